/*
 * poll, ppoll, select, pselect6 (Linux's fs/select.c): wait until one of
 * several files is ready, a timeout passes, or a signal comes. Each pass
 * asks every file's poll operation what it is ready for; the first pass
 * also hangs the poller on each file's poll_head, so that a change there
 * (poll_wake) wakes it for another pass. select is poll over bit sets.
 */
#include "kernel.h"
#include "fs/file.h"
#include "fs/poll.h"
#include "uapi/errno.h"
#include "mm/mm.h"
#include "mm/slab.h"
#include "sched.h"
#include "signal.h"
#include "syscall.h"
#include "task.h"
#include "time.h"
#include "arch/x86/timer.h"
#include "uapi/uapi.h"

/* What a file without a poll operation is: always ready (Linux's DEFAULT_POLLMASK). */
#define DEFAULT_POLLMASK (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM)
/* Which poll bits make select report an fd in each of its sets. */
#define POLLIN_SET  (POLLRDNORM | POLLRDBAND | POLLIN | POLLHUP | POLLERR)
#define POLLOUT_SET (POLLWRBAND | POLLWRNORM | POLLOUT | POLLERR)
#define POLLEX_SET  POLLPRI

/* Lock order: a file's own lock (pipe, tty), then poll_lock, then sched_lock. */
static struct spinlock poll_lock = SPINLOCK_INIT("poll");

/* The poller hangs on one head. The file reference keeps the head alive
 * until the poller lets go, whoever closes the fd meanwhile. */
struct poll_entry {
	struct list_head node;          /* in head->entries */
	struct poll_head *head;
	struct poll_table *pt;
	struct file *file;
};

/* One poll call's: the heads it hangs on, and where it sleeps. */
struct poll_table {
	struct poll_entry *entries;     /* one page of them */
	int n, max;
	bool full;                      /* a head found no room: it cannot wake us */
	bool triggered;                 /* a head woke us since the pass began; under poll_lock */
	struct wait_queue wq;
};

#define POLL_ENTRIES (KMALLOC_MAX / sizeof(struct poll_entry))
#define FULL_TABLE_NAP (10 * 1000 * 1000)   /* ns: how long a poller with a full table sleeps */

void poll_wait(struct poll_table *pt, struct file *f, struct poll_head *h)
{
	struct poll_entry *e;

	if (!pt)
		return;
	for (int i = 0; i < pt->n; i++)
		if (pt->entries[i].head == h)
			return;         /* the same pipe twice: one wake-up is enough */
	if (pt->n == pt->max) {
		pt->full = true;
		return;
	}
	e = &pt->entries[pt->n++];
	*e = (struct poll_entry){ .head = h, .pt = pt, .file = f };
	file_get(f);
	spin_lock(&poll_lock);
	list_add_tail(&e->node, &h->entries);
	spin_unlock(&poll_lock);
}

void poll_wake(struct poll_head *h)
{
	struct poll_entry *e;

	spin_lock(&poll_lock);
	list_for_each_entry(e, &h->entries, node) {
		e->pt->triggered = true;
		wake_up(&e->pt->wq);
	}
	spin_unlock(&poll_lock);
}

static void poll_table_init(struct poll_table *pt)
{
	*pt = (struct poll_table){ .entries = kmalloc(KMALLOC_MAX) };
	pt->max = pt->entries ? POLL_ENTRIES : 0;
	wait_queue_init(&pt->wq);
}

static void poll_table_free(struct poll_table *pt)
{
	spin_lock(&poll_lock);
	for (int i = 0; i < pt->n; i++)
		list_del(&pt->entries[i].node);
	spin_unlock(&poll_lock);
	for (int i = 0; i < pt->n; i++)
		file_put(pt->entries[i].file);      /* may release a pipe: poll_lock is free */
	kfree(pt->entries);
}

/* One pass: each fd's revents (what it is ready for, of what was asked,
 * and POLLERR and POLLHUP always; POLLNVAL if it is not open), and how
 * many have any. A negative fd is skipped. */
static int poll_pass(struct pollfd *fds, unsigned n, struct poll_table *pt)
{
	int count = 0;

	for (unsigned i = 0; i < n; i++) {
		struct pollfd *p = &fds[i];
		struct file *f;
		unsigned mask;

		p->revents = 0;
		if (p->fd < 0)
			continue;
		if (!(f = fget(p->fd))) {
			p->revents = POLLNVAL;
		} else {
			mask = f->ops->poll ? f->ops->poll(f, pt) : DEFAULT_POLLMASK;
			p->revents = mask & ((uint16_t)p->events | POLLERR | POLLHUP);
			file_put(f);
		}
		count += p->revents != 0;
	}
	return count;
}

/*
 * Pass over fds until one is ready or the deadline (clock_ns(); 0: none)
 * has passed: the number ready (0 at the deadline), or -ERESTARTSYS if a
 * signal came first. A wake-up between a pass and the sleep is not lost:
 * the pass starts by clearing `triggered`, which poll_wake sets.
 */
static int do_poll(struct pollfd *fds, unsigned n, uint64_t deadline)
{
	struct poll_table pt, *first = &pt;
	int count;

	poll_table_init(&pt);
	for (;;) {
		uint64_t until = deadline;
		int err = 0;

		spin_lock(&poll_lock);
		pt.triggered = false;
		spin_unlock(&poll_lock);
		count = poll_pass(fds, n, first);
		first = NULL;           /* on the heads from the first pass on */
		if (count || (deadline && clock_ns() >= deadline))
			break;
		if (pt.full)            /* some head cannot wake us: look again soon */
			until = deadline ? MIN(deadline, clock_ns() + FULL_TABLE_NAP) :
				clock_ns() + FULL_TABLE_NAP;
		spin_lock(&poll_lock);
		if (!pt.triggered)
			err = wait_sleep(&pt.wq, &poll_lock, until, SLEEP_INTERRUPTIBLE);
		spin_unlock(&poll_lock);
		if (err == -ERESTARTSYS) {
			count = err;
			break;
		}
	}
	poll_table_free(&pt);
	return count;
}

/* A relative timeout in ns (negative: none) as do_poll's deadline. */
static uint64_t deadline_in(int64_t ns)
{
	return ns < 0 ? 0 : clock_ns() + ns;
}

/* ---- poll, ppoll ---- */

/*
 * poll over the user's array: its revents written back, as Linux does,
 * whatever the outcome. The array is copied in whole, so tasklab takes at
 * most a page of it (512 fds; more: -ENOMEM); Linux, RLIMIT_NOFILE.
 */
static long poll_user(struct pollfd *ufds, unsigned nfds, uint64_t deadline)
{
	struct pollfd *fds = NULL;
	size_t size = (size_t)nfds * sizeof(*fds);
	long ret;

	if (nfds > rlimit(RLIMIT_NOFILE))
		return -EINVAL;
	if (nfds && !(fds = kmalloc(size)))
		return -ENOMEM;
	if (copy_from_user(fds, ufds, size)) {
		kfree(fds);
		return -EFAULT;
	}
	ret = do_poll(fds, nfds, deadline);
	for (unsigned i = 0; i < nfds; i++)
		if (copy_to_user(&ufds[i].revents, &fds[i].revents, sizeof(fds[i].revents)))
			ret = -EFAULT;
	kfree(fds);
	return ret;
}

static long poll_restart(struct restart_block *rb);

/* Interrupted, poll ends with EINTR if a handler runs; if none does, it
 * goes on to the same deadline through restart_syscall (as Linux). */
static long poll_until(struct pollfd *ufds, unsigned nfds, uint64_t deadline)
{
	struct restart_block *rb = &current->restart_block;
	long ret = poll_user(ufds, nfds, deadline);

	if (ret != -ERESTARTSYS)
		return ret;
	rb->poll.ufds = ufds;
	rb->poll.nfds = nfds;
	rb->poll.deadline = deadline;
	rb->fn = poll_restart;
	return -ERESTART_RESTARTBLOCK;
}

static long poll_restart(struct restart_block *rb)
{
	return poll_until(rb->poll.ufds, rb->poll.nfds, rb->poll.deadline);
}

long sys_poll(struct pollfd *ufds, unsigned nfds, int timeout_ms)
{
	return poll_until(ufds, nfds, deadline_in(timeout_ms < 0 ? -1 : timeout_ms * 1000000LL));
}

/*
 * The end of ppoll, select and pselect6. The time left is written back
 * to the user's timeout (Linux does, so that a restarted call waits only
 * for the rest; not for a zero timeout). If it cannot be, the call is not
 * restarted: EINTR. A mask the call set is put back now, or, if a handler
 * is to run, after it.
 */
static long poll_select_finish(long ret, uint64_t deadline, void *utime, bool timeval)
{
	int64_t left;

	if (ret == -ERESTARTSYS)
		ret = -ERESTARTNOHAND;
	restore_sigmask_unless(ret == -ERESTARTNOHAND);
	if (!utime || !deadline)
		return ret;
	left = MAX((int64_t)(deadline - clock_ns()), 0);
	struct timespec ts = { left / NSEC_PER_SEC, left % NSEC_PER_SEC };
	struct timeval tv = { ts.tv_sec, ts.tv_nsec / 1000 };
	if (timeval ? copy_to_user(utime, &tv, sizeof(tv)) : copy_to_user(utime, &ts, sizeof(ts)))
		return ret == -ERESTARTNOHAND ? -EINTR : ret;
	return ret;
}

/* ppoll's and pselect6's timespec: 0 (none), or the deadline; *zero if it
 * is a zero timeout, which is never written back. 0 or -errno. */
static int timespec_deadline(const void *uts, uint64_t *deadline, bool *zero)
{
	int64_t ns = -1;
	int err;

	if (uts && (err = timespec_from_user(uts, &ns)))
		return err;
	*zero = ns == 0;
	*deadline = deadline_in(ns);
	return 0;
}

/* The signal mask ppoll and pselect6 may take: set for the call's time. */
static int user_sigmask(const uint64_t *umask, size_t sigsetsize)
{
	uint64_t mask;

	if (!umask)
		return 0;
	if (sigsetsize != sizeof(mask))
		return -EINVAL;
	if (copy_from_user(&mask, umask, sizeof(mask)))
		return -EFAULT;
	set_temporary_sigmask(mask);
	return 0;
}

long sys_ppoll(struct pollfd *ufds, unsigned nfds, void *uts, const uint64_t *umask,
	       size_t sigsetsize)
{
	uint64_t deadline;
	bool zero;
	long ret;

	if ((ret = timespec_deadline(uts, &deadline, &zero)) || (ret = user_sigmask(umask, sigsetsize)))
		return ret;
	ret = poll_user(ufds, nfds, deadline);
	return poll_select_finish(ret, deadline, zero ? NULL : uts, false);
}

/* ---- select, pselect6 ---- */

#define SET_WORDS ((MAX_FDS + 63) / 64)

/* The three fd sets: 1 bit per fd, as many bytes as nfds needs. */
struct fd_sets {
	uint64_t in[SET_WORDS], out[SET_WORDS], ex[SET_WORDS];
};

static bool fd_isset(const uint64_t *set, int fd)
{
	return set[fd / 64] & (1ULL << (fd % 64));
}

static int get_set(uint64_t *set, const uint64_t *uset, size_t bytes)
{
	memset(set, 0, SET_WORDS * sizeof(*set));
	return uset && copy_from_user(set, uset, bytes) ? -EFAULT : 0;
}

static int put_set(uint64_t *uset, const uint64_t *set, size_t bytes)
{
	return uset && copy_to_user(uset, set, bytes) ? -EFAULT : 0;
}

/* The fds the sets name, as pollfds; -EBADF if one is not open (Linux
 * checks them all before it waits). Returns how many. */
static int sets_to_pollfds(const struct fd_sets *s, int n, struct pollfd *fds)
{
	int count = 0;

	for (int fd = 0; fd < n; fd++) {
		short events = (fd_isset(s->in, fd) ? POLLIN_SET : 0) |
			       (fd_isset(s->out, fd) ? POLLOUT_SET : 0) |
			       (fd_isset(s->ex, fd) ? POLLEX_SET : 0);
		struct file *f;

		if (!events)
			continue;
		if (!(f = fget(fd)))
			return -EBADF;
		file_put(f);
		fds[count++] = (struct pollfd){ .fd = fd, .events = events };
	}
	return count;
}

/* Put fd in set if it was asked for there and is ready: 1 if so. */
static int mark(uint64_t *set, const uint64_t *asked, int fd, bool ready)
{
	if (!ready || !fd_isset(asked, fd))
		return 0;
	set[fd / 64] |= 1ULL << (fd % 64);
	return 1;
}

/* The sets again, now of the fds found ready; the number of bits set. */
static int pollfds_to_sets(const struct pollfd *fds, int count, struct fd_sets *s)
{
	struct fd_sets asked = *s;
	int bits = 0;

	memset(s, 0, sizeof(*s));
	for (int i = 0; i < count; i++) {
		int fd = fds[i].fd;
		short r = fds[i].revents;

		bits += mark(s->in, asked.in, fd, r & POLLIN_SET) +
			mark(s->out, asked.out, fd, r & POLLOUT_SET) +
			mark(s->ex, asked.ex, fd, r & POLLEX_SET);
	}
	return bits;
}

/* select's core: n is clamped to the fd table's size, as Linux clamps it
 * to its own; the sets are written back only if the call did not fail. */
static long do_select(int n, uint64_t *uin, uint64_t *uout, uint64_t *uex, uint64_t deadline)
{
	struct pollfd fds[MAX_FDS];
	struct fd_sets s;
	size_t bytes;
	long ret;
	int nfds;

	if (n < 0)
		return -EINVAL;
	n = MIN(n, MAX_FDS);
	bytes = ALIGN_UP(n, 64) / 8;
	if (get_set(s.in, uin, bytes) || get_set(s.out, uout, bytes) || get_set(s.ex, uex, bytes))
		return -EFAULT;
	if ((nfds = sets_to_pollfds(&s, n, fds)) < 0)
		return nfds;
	if ((ret = do_poll(fds, nfds, deadline)) < 0)
		return ret;
	ret = pollfds_to_sets(fds, nfds, &s);
	if (put_set(uin, s.in, bytes) || put_set(uout, s.out, bytes) || put_set(uex, s.ex, bytes))
		return -EFAULT;
	return ret;
}

long sys_select(int n, uint64_t *uin, uint64_t *uout, uint64_t *uex, struct timeval *utv)
{
	struct timeval tv;
	uint64_t deadline = 0;
	int64_t sec = 0, nsec = 0;

	if (utv) {
		if (copy_from_user(&tv, utv, sizeof(tv)))
			return -EFAULT;
		/* as Linux: 1500000 us is 1.5 s, but a negative part is invalid */
		sec = tv.tv_sec + tv.tv_usec / 1000000;
		nsec = tv.tv_usec % 1000000 * 1000;
		if (sec < 0 || nsec < 0)
			return -EINVAL;
		deadline = deadline_in(sec >= INT64_MAX / NSEC_PER_SEC ? INT64_MAX :
				       sec * NSEC_PER_SEC + nsec);
	}
	return poll_select_finish(do_select(n, uin, uout, uex, deadline), deadline,
				  utv && (sec || nsec) ? utv : NULL, true);
}

/* pselect6's sixth argument: the mask and its size, in user memory. */
struct sigset_argpack {
	const uint64_t *mask;
	size_t size;
};

long sys_pselect6(int n, uint64_t *uin, uint64_t *uout, uint64_t *uex, void *uts,
		  const struct sigset_argpack *usig)
{
	struct sigset_argpack sig = { 0 };
	uint64_t deadline;
	bool zero;
	long ret;

	if ((ret = timespec_deadline(uts, &deadline, &zero)))
		return ret;
	if (usig && copy_from_user(&sig, usig, sizeof(sig)))
		return -EFAULT;
	if ((ret = user_sigmask(sig.mask, sig.size)))
		return ret;
	ret = do_select(n, uin, uout, uex, deadline);
	return poll_select_finish(ret, deadline, zero ? NULL : uts, false);
}
