/*
 * Futexes: "fast user-space mutexes". A lock or condition variable lives
 * in a user word; the kernel only provides waiting on that word (WAIT: if
 * it still holds val, sleep) and waking those who wait (WAKE). Waiters
 * are found by a key. A private operation (FUTEX_PRIVATE_FLAG) keys the
 * word by (mm, address), wherever it lies. A shared one keys a word in
 * MAP_SHARED memory by its physical address, so processes sharing the page
 * meet there, and any other word by (mm, address). As in Linux, a private
 * and a shared key never match: a shared wake does not wake a private wait.
 */
#include "kernel.h"
#include "futex.h"
#include "uapi/errno.h"
#include "arch/x86/memlayout.h"
#include "mm/mm.h"
#include "sched.h"
#include "drivers/rtc.h"
#include "time.h"
#include "syscall.h"
#include "task.h"
#include "arch/x86/timer.h"
#include "uapi/uapi.h"

struct futex_key {
	struct mm *mm;              /* NULL for a word in MAP_SHARED memory */
	uintptr_t addr;             /* user address, or physical for MAP_SHARED */
	bool shared;                /* made by an operation without FUTEX_PRIVATE_FLAG */
};

struct futex_waiter {
	struct futex_key key;
	uint32_t bitset;
	bool queued;                /* false once a waker took it off the list */
	struct wait_queue wq;       /* just this waiter */
	struct list_head node;
};

/* Every waiter, on one list: few tasks wait at once in a teaching kernel.
 * (Linux hashes the key into buckets.) */
static struct spinlock futex_lock = SPINLOCK_INIT("futex");
static struct list_head waiters = LIST_HEAD_INIT(waiters);

static bool key_eq(const struct futex_key *a, const struct futex_key *b)
{
	return a->mm == b->mm && a->addr == b->addr && a->shared == b->shared;
}

/* The key of the word at uaddr for a private or a shared operation. A
 * private key needs no look at the memory (as Linux: so waking a private
 * futex that is no longer mapped finds nobody, and is no error). */
static int get_key(uintptr_t uaddr, bool private, struct futex_key *key)
{
	struct mm *mm = current->mm;
	struct vma *v;
	bool shared;

	if (uaddr % 4)
		return -EINVAL;
	if (uaddr >= USER_TOP)
		return -EFAULT;         /* as Linux: not a user address */
	if (private) {
		*key = (struct futex_key){ mm, uaddr, false };
		return 0;
	}
	spin_lock(&mm->lock);
	v = vma_lookup(mm, uaddr);
	shared = v && (v->flags & VM_SHARED);
	spin_unlock(&mm->lock);
	if (!v)
		return -EFAULT;
	if (!shared) {
		*key = (struct futex_key){ mm, uaddr, true };
		return 0;
	}
	uint64_t pfn = user_pfn(mm, uaddr);
	if (!pfn) {
		int val;
		if (copy_from_user(&val, (void *)uaddr, sizeof(val)))   /* fault it in */
			return -EFAULT;
		pfn = user_pfn(mm, uaddr);
	}
	*key = (struct futex_key){ NULL, (pfn << PAGE_SHIFT) | (uaddr & (PAGE_SIZE - 1)), true };
	return 0;
}

/* A user timespec as an absolute deadline in clock_ns() time; 0 = none. */
static int get_deadline(const void *uts, bool absolute, bool realtime, uint64_t *deadline)
{
	int64_t ns;
	int err;

	*deadline = 0;
	if (!uts)
		return 0;
	if ((err = timespec_from_user(uts, &ns)))
		return err;
	if (absolute)
		ns -= realtime ? (int64_t)realtime_offset_ns() : 0;
	else
		ns = ns > INT64_MAX - (int64_t)clock_ns() ? INT64_MAX : ns + (int64_t)clock_ns();
	*deadline = ns > 0 ? (uint64_t)ns : 1;      /* already past: time out at once */
	return 0;
}

static long futex_wait_restart(struct restart_block *rb);

/* A timed wait cut short by a signal with no handler resumes through
 * restart_syscall, to the same deadline (Linux's futex_wait_restart); an
 * untimed one is simply run again (-ERESTARTSYS). */
static long futex_wait_interrupted(uintptr_t uaddr, bool private, int val,
				   uint32_t bitset, uint64_t deadline)
{
	struct restart_block *rb = &current->restart_block;

	if (!deadline)
		return -ERESTARTSYS;
	rb->futex.uaddr = uaddr;
	rb->futex.private = private;
	rb->futex.val = val;
	rb->futex.bitset = bitset;
	rb->futex.deadline = deadline;
	rb->fn = futex_wait_restart;
	return -ERESTART_RESTARTBLOCK;
}

static long futex_wait(uintptr_t uaddr, bool private, int val, uint32_t bitset,
		       uint64_t deadline)
{
	struct futex_waiter w = { .bitset = bitset, .queued = true };
	int cur, err;

	if (!bitset)
		return -EINVAL;
	if ((err = get_key(uaddr, private, &w.key)))
		return err;
	wait_queue_init(&w.wq);
	/* LAB futex: begin (handout: (void)cur; (void)futex_wait_interrupted; return -ENOSYS;) */
	spin_lock(&futex_lock);
	/* Read the word under the lock: a waker that changes it and then
	 * calls FUTEX_WAKE cannot slip in before we are on the list. */
	if (copy_from_user(&cur, (void *)uaddr, sizeof(cur))) {
		spin_unlock(&futex_lock);
		return -EFAULT;
	}
	if (cur != val) {
		spin_unlock(&futex_lock);
		return -EAGAIN;
	}
	list_add_tail(&w.node, &waiters);
	while (w.queued && !err)
		err = wait_sleep(&w.wq, &futex_lock, deadline, SLEEP_INTERRUPTIBLE);
	if (w.queued) {                 /* timed out or interrupted */
		list_del(&w.node);
		w.queued = false;
	} else {
		err = 0;                /* woken, whatever else happened meanwhile */
	}
	spin_unlock(&futex_lock);
	if (err == -ERESTARTSYS)
		return futex_wait_interrupted(uaddr, private, val, bitset, deadline);
	return err;
	/* LAB futex: end */
}

static long futex_wait_restart(struct restart_block *rb)
{
	return futex_wait(rb->futex.uaddr, rb->futex.private, rb->futex.val, rb->futex.bitset,
			  rb->futex.deadline);
}

/* Wake up to n waiters on key whose bitset meets `bitset`; requeue up to
 * n2 more onto key2 if given. Under futex_lock. */
static int wake_key(const struct futex_key *key, int n, uint32_t bitset,
		    const struct futex_key *key2, int n2)
{
	/* LAB futex: begin (handout: (void)key_eq; return -ENOSYS;) */
	struct futex_waiter *w, *next;
	int woken = 0, moved = 0;

	assert_held(&futex_lock);
	list_for_each_entry_safe(w, next, &waiters, node) {
		if (!key_eq(&w->key, key) || !(w->bitset & bitset))
			continue;
		if (woken < n) {
			list_del(&w->node);
			w->queued = false;
			wake_up(&w->wq);
			woken++;
		} else if (key2 && moved < n2) {
			w->key = *key2;
			moved++;
		}
	}
	return woken + moved;
	/* LAB futex: end */
}

/* WAKE: up to n waiters whose bitset meets `bitset`; as Linux, n <= 0
 * still wakes one. */
static long futex_wake_bitset(uintptr_t uaddr, bool private, int n, uint32_t bitset)
{
	struct futex_key key;
	long ret;

	if (!bitset)
		return -EINVAL;
	if ((ret = get_key(uaddr, private, &key)))
		return ret;
	spin_lock(&futex_lock);
	ret = wake_key(&key, MAX(n, 1), bitset, NULL, 0);
	spin_unlock(&futex_lock);
	return ret;
}

int futex_wake(uintptr_t uaddr, int n)
{
	long woken = futex_wake_bitset(uaddr, false, n, FUTEX_BITSET_ANY);

	return woken < 0 ? 0 : woken;
}

/* REQUEUE: wake n, move up to n2 others to uaddr2 (CMP_: only if *uaddr == val3). */
static long futex_requeue(uintptr_t uaddr, bool private, int n, int n2, uintptr_t uaddr2,
			  bool cmp, int val3)
{
	struct futex_key key, key2;
	long ret;
	int cur;

	if (n < 0 || n2 < 0)
		return -EINVAL;         /* as Linux */
	if ((ret = get_key(uaddr, private, &key)) || (ret = get_key(uaddr2, private, &key2)))
		return ret;
	spin_lock(&futex_lock);
	if (cmp && copy_from_user(&cur, (void *)uaddr, sizeof(cur)))
		ret = -EFAULT;
	else if (cmp && cur != val3)
		ret = -EAGAIN;
	else
		ret = wake_key(&key, n, FUTEX_BITSET_ANY, &key2, n2);
	spin_unlock(&futex_lock);
	return ret;
}

long sys_futex(int *uaddr, int op, int val, const void *timeout, int *uaddr2, int val3)
{
	int cmd = op & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
	bool realtime = op & FUTEX_CLOCK_REALTIME;
	bool private = op & FUTEX_PRIVATE_FLAG;
	uint64_t deadline;
	long err;

	switch (cmd) {
	case FUTEX_WAIT:
	case FUTEX_WAIT_BITSET:
		if (realtime && cmd == FUTEX_WAIT)
			return -ENOSYS;         /* as Linux: only the bitset form takes it */
		if ((err = get_deadline(timeout, cmd == FUTEX_WAIT_BITSET, realtime, &deadline)))
			return err;
		return futex_wait((uintptr_t)uaddr, private, val,
				  cmd == FUTEX_WAIT ? FUTEX_BITSET_ANY : (uint32_t)val3, deadline);
	case FUTEX_WAKE:
	case FUTEX_WAKE_BITSET:
		return futex_wake_bitset((uintptr_t)uaddr, private, val,
					 cmd == FUTEX_WAKE ? FUTEX_BITSET_ANY : (uint32_t)val3);
	case FUTEX_REQUEUE:
	case FUTEX_CMP_REQUEUE:
		/* for these, the "timeout" argument carries a count */
		return futex_requeue((uintptr_t)uaddr, private, val, (int)(uintptr_t)timeout,
				     (uintptr_t)uaddr2, cmd == FUTEX_CMP_REQUEUE, val3);
	}
	return -ENOSYS;
}

/* ---- robust futexes: locks a dead thread held ---- */

#define ROBUST_LIST_LIMIT 2048      /* Linux's bound on a list that may loop */

long sys_set_robust_list(struct robust_list_head *head, size_t len)
{
	if (len != sizeof(*head))
		return -EINVAL;
	current->robust_list = (uintptr_t)head;     /* read only at exit, as Linux */
	return 0;
}

long sys_get_robust_list(int pid, uintptr_t *uhead, size_t *ulen)
{
	size_t len = sizeof(struct robust_list_head);
	struct task *t;
	uintptr_t head = 0;
	long ret = 0;

	spin_lock(&tasklist_lock);
	t = pid ? find_task(pid) : current;
	if (t && t->state != TASK_DEAD)
		head = t->robust_list;
	else
		ret = -ESRCH;
	spin_unlock(&tasklist_lock);
	if (ret)
		return ret;
	if (copy_to_user(ulen, &len, sizeof(len)) || copy_to_user(uhead, &head, sizeof(head)))
		return -EFAULT;
	return 0;
}

/*
 * Thread tid died holding the futex at uaddr, or (pending) was taking or
 * releasing it: if the word still names tid, mark it FUTEX_OWNER_DIED
 * (keeping FUTEX_WAITERS), so the next owner learns the data it guards may
 * be inconsistent, and wake one waiter to take it. A pending entry whose
 * word is 0 was being released: a waiter may have missed the wake-up.
 * As Linux's handle_futex_death; tasklab has no PI futexes to care for.
 */
static void futex_owner_died(uintptr_t uaddr, int tid, bool pending)
{
	uint32_t val;
	int err;

	if (uaddr % 4 || copy_from_user(&val, (void *)uaddr, sizeof(val)))
		return;
	if (pending && val == 0) {
		futex_wake(uaddr, 1);
		return;
	}
	do {
		if ((val & FUTEX_TID_MASK) != (uint32_t)tid)
			return;
		/* another thread may set FUTEX_WAITERS meanwhile: try again */
		err = cmpxchg_user_u32(uaddr, &val, (val & FUTEX_WAITERS) | FUTEX_OWNER_DIED);
	} while (err == -EAGAIN);
	if (!err && (val & FUTEX_WAITERS))
		futex_wake(uaddr, 1);
}

/* A user pointer of the list; bit 0 marks a PI futex, of no meaning here. */
static int fetch_robust_entry(uintptr_t uptr, uintptr_t *entry)
{
	uint64_t v;

	if (copy_from_user(&v, (void *)uptr, sizeof(v)))
		return -EFAULT;
	*entry = v & ~1ULL;
	return 0;
}

/*
 * At exit or exec, t (current) lets go of the robust futexes it holds: the
 * list set_robust_list named, walked in user memory, which the program
 * may have left corrupt or circular. So every read may fail (the walk
 * stops there) and the walk has a bound. Each entry is read before its
 * futex is released: once released, another thread may reuse the memory.
 */
void exit_robust_list(struct task *t)
{
	struct robust_list_head h;
	uintptr_t head = t->robust_list, entry, next, pending;
	int left = ROBUST_LIST_LIMIT;

	t->robust_list = 0;
	if (!head || copy_from_user(&h, (void *)head, sizeof(h)))
		return;
	pending = h.list_op_pending & ~1ULL;
	for (entry = h.next & ~1ULL; entry != head && left-- > 0; entry = next) {
		int err = fetch_robust_entry(entry, &next);

		if (entry != pending)
			futex_owner_died(entry + h.futex_offset, t->tid, false);
		if (err)
			return;
	}
	if (pending)
		futex_owner_died(pending + h.futex_offset, t->tid, true);
}
