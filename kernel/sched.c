/*
 * The scheduler. Runnable tasks wait in one run queue, and the policy
 * (fair.c: weighted fair sharing by nice value) chooses which runs next;
 * the timer takes the CPU from a task whose time slice is used up, and a
 * woken task may take it at once if the policy says so (but only at the
 * boundary back to user mode: kernel code is never preempted, as in a
 * Linux built without CONFIG_PREEMPT). A task that must wait sleeps on a
 * wait queue until someone wakes it.
 *
 * sched_lock protects the run queue, every wait queue and every task's
 * scheduling fields. It is held across swtch: the task switched to
 * releases it (in schedule() after its own swtch returns, or in
 * schedule_tail() when it is new).
 *
 * With several CPUs there is still one run queue, shared, under the one
 * sched_lock: every CPU picks from it, so there is nothing to balance,
 * and the policy (fair.c) sees every runnable task at once. Its cost is
 * that CPUs contend for the lock; at tasklab's few CPUs and a switch of a
 * few thousand instructions the lock is rarely waited for (/proc/stat's
 * sched_lock_contended counts it; the README has the numbers), and Linux
 * keeps a queue per CPU because it runs on hundreds. A task is taken off the
 * queue while it runs, and put back only under the lock that its CPU holds
 * until swtch has left its stack: no CPU can pick a task another is still
 * running on (xv6's rule). A CPU with nothing to run halts; a wake-up that
 * finds one idle sends it an interrupt (smp_resched), once the waker holds
 * no lock (resched_cpu says why).
 */
#include "kernel.h"
#include "sched.h"
#include "syscall.h"
#include "uapi/errno.h"
#include "arch/x86/memlayout.h"
#include "mm/mm.h"
#include "arch/x86/timer.h"
#include "arch/x86/trap.h"
#include "arch/x86/x86.h"
#include "arch/x86/smp.h"
#include "arch/x86/tlb.h"

struct spinlock sched_lock = SPINLOCK_INIT("sched");
static struct list_head run_queue = LIST_HEAD_INIT(run_queue);
static struct list_head timed_sleepers = LIST_HEAD_INIT(timed_sleepers);
static struct sched_stats stats;

void wait_queue_init(struct wait_queue *wq)
{
	list_init(&wq->sleepers);
}

/* Under sched_lock: make t runnable, at the back of the queue. */
static void enqueue(struct task *t)
{
	assert_held(&sched_lock);
	t->state = TASK_RUNNING;
	list_add_tail(&t->run_node, &run_queue);
}

/* Charge the running task for the time since it was last charged. */
static void update_curr(uint64_t now)
{
	struct task *curr = current;

	if (curr != this_cpu()->idle)
		sched_charge(curr, now - curr->exec_start);
	curr->exec_start = now;
}

static bool cpu_allowed(struct task *t, struct cpu *c)
{
	return t->cpus_allowed & (1UL << c->id);
}

/* The CPU that should take t, just queued, now: an idle one (not already
 * called), else, if t may preempt, this one or another whose task the
 * policy says t should preempt; NULL if t waits its turn. Under sched_lock. */
static struct cpu *cpu_for(struct task *t, bool preempt)
{
	struct cpu *c;

	for (int i = 0; i < ncpus; i++) {
		c = &cpus[i];
		if (cpu_allowed(t, c) && c->current_task == c->idle && !c->need_resched)
			return c;
	}
	if (!preempt)
		return NULL;
	if (cpu_allowed(t, this_cpu()) && sched_preempt(current, t))
		return this_cpu();
	for (int i = 0; i < ncpus; i++) {
		c = &cpus[i];
		if (cpu_allowed(t, c) && c->current_task != c->idle &&
		    sched_preempt(c->current_task, t))
			return c;
	}
	return NULL;
}

/*
 * Under sched_lock: interrupt CPU c (another) so that it looks at its
 * need_resched and at the signals of the task it runs. The IPI goes when
 * this CPU releases its last spinlock (spin_unlock), not now: the task it
 * wakes on c goes straight for sched_lock, and then, back in wait_sleep,
 * for the lock it slept under (futex_lock, say), which the waker may still
 * hold. c would spin while this CPU finishes; under QEMU's TCG, on a busy
 * host, that has been milliseconds (the README's "Several CPUs" has the
 * numbers). Linux too wakes futex waiters only after dropping the lock.
 * It cannot be missed: what c is to see is written before the lock is
 * released, and an idle CPU tests need_resched with interrupts off just
 * before it halts, so an IPI that comes after the test still ends the hlt.
 */
static void resched_cpu(struct cpu *c)
{
	assert_held(&sched_lock);
	this_cpu()->resched_due |= 1UL << c->id;
}

/* Under sched_lock: make the CPU cpu_for chooses switch at its next
 * return to user mode (or, idle, at once); another CPU is told by an IPI.
 * An idle CPU runs only when told (or at its next tick). */
static void kick_cpu_for(struct task *t, bool preempt)
{
	struct cpu *c = cpu_for(t, preempt);

	if (!c || c->need_resched)
		return;
	c->need_resched = true;
	if (c != this_cpu())
		resched_cpu(c);
}

/*
 * Under sched_lock: t has something to do on its way back to user mode (a
 * signal to act on). If another CPU runs it, perhaps in user mode where it
 * would not look until that CPU's next tick, an IPI makes it look now: its
 * return from the interrupt is a return to user mode (Linux's
 * kick_process). A sleeping task is woken instead, by the caller.
 */
void kick_task(struct task *t)
{
	assert_held(&sched_lock);
	if (t->state != TASK_RUNNING || !t->on_cpu || t->cpu == this_cpu()->id)
		return;
	t->kicks++;
	resched_cpu(&cpus[t->cpu]);
}

/* Under sched_lock: t, new or woken, becomes runnable where the policy
 * places it, and takes a CPU as kick_cpu_for says. */
static void activate(struct task *t, bool woken)
{
	update_curr(clock_ns());
	sched_place(t, current, &run_queue, woken);
	enqueue(t);
	kick_cpu_for(t, true);
}

/*
 * The choice itself is the policy's: pick_next in fair.c. It sees only
 * the tasks that may run on this CPU: the others wait in a list aside
 * meanwhile, and go back to the front of the queue in their order.
 */
static struct task *pick_next_task(void)
{
	struct list_head aside = LIST_HEAD_INIT(aside);
	struct task *t, *n, *next;

	list_for_each_entry_safe(t, n, &run_queue, run_node)
		if (!cpu_allowed(t, this_cpu())) {
			list_del(&t->run_node);
			list_add_tail(&t->run_node, &aside);
		}
	next = pick_next(&run_queue, this_cpu()->idle);
	while (!list_empty(&aside)) {
		t = list_entry(aside.prev, struct task, run_node);
		list_del(&t->run_node);
		list_add(&t->run_node, &run_queue);
	}
	return next;
}

/*
 * Switch address spaces only when the mm changes: threads of one process
 * and kernel-only tasks (mm == NULL, which run on whatever page table is
 * loaded, since every one maps the kernel) skip the CR3 reload and the
 * TLB flush that comes with it. That is much of why a thread switch is
 * cheaper than a process switch.
 */
static void switch_mm(struct task *next)
{
	if (!next->mm)
		return;
	if (next->mm != this_cpu()->active_mm)
		stats.mm_switches++;
	load_mm(next->mm);      /* tlb.c: also when a shootdown left it stale */
}

static void context_switch(struct task *prev, struct task *next)
{
	struct cpu *c = this_cpu();
	bool intena;

	stats.switches++;
	switch_mm(next);
	fpu_save(&prev->fpu);
	fpu_restore(&next->fpu);
	/* Always: a program can change its FS base behind our back (loading a
	 * selector into %fs), so equal recorded values prove nothing. */
	if (next->mm)
		wrmsr(MSR_FS_BASE, next->fs_base);
	cpu_set_kernel_stack((uint64_t)next->kstack + KSTACK_SIZE);
	c->current_task = next;
	next->cpu = c->id;
	/* prev stays on this CPU's stack until swtch, but sched_lock is
	 * held until then: no other CPU can take it before. */
	prev->on_cpu = false;
	next->on_cpu = true;
	/* interrupts-on-before-the-lock belongs to the task, not the CPU */
	intena = c->intena;
	swtch(&prev->context, next->context);
	this_cpu()->intena = intena;
}

/* A dead task's stack can only be freed once we are off it. */
static void finish_task_switch(void)
{
	struct cpu *c = this_cpu();
	struct task *dead = c->dead;

	c->dead = NULL;
	spin_unlock(&sched_lock);
	if (dead)
		task_free(dead);
}

/*
 * Give up the CPU. The caller has set current->state: RUNNING means it
 * wants to run again (a yield or a preemption), anything else that it is
 * asleep or gone. A yield chooses among the others first, and runs the
 * caller again only if there is no other: whatever the policy thinks of
 * the caller, sched_yield means "someone else, if anyone".
 */
static void __schedule(bool yield)
{
	struct task *prev, *next, *idle = this_cpu()->idle;
	uint64_t now;
	bool requeue;

	may_sleep("schedule", NULL);
	spin_lock(&sched_lock);
	now = clock_ns();               /* under the lock: no tick charges in between */
	prev = current;
	update_curr(now);
	requeue = prev->state == TASK_RUNNING && prev != idle;
	if (requeue && !yield)
		enqueue(prev);
	next = pick_next_task();
	if (requeue && yield) {
		enqueue(prev);
		if (next == idle && cpu_allowed(prev, this_cpu()))
			next = prev;
	}
	if (next != idle)
		list_del(&next->run_node);
	next->ticks_left = TIMESLICE_TICKS;
	next->exec_start = now;
	this_cpu()->need_resched = false;
	/* prev waits in the queue while another runs here: an idle CPU may
	 * take it (one it may run on, if its affinity changed). */
	if (requeue && next != prev)
		kick_cpu_for(prev, false);
	if (prev->state == TASK_DEAD)
		this_cpu()->dead = prev;
	if (next != prev)
		context_switch(prev, next);
	finish_task_switch();
}

void schedule(void)
{
	__schedule(false);
}

/* A new task's first return from swtch comes here (via ret_from_fork). */
void schedule_tail(void)
{
	finish_task_switch();
}

void wake_up_new_task(struct task *t)
{
	spin_lock(&sched_lock);
	stats.forks++;
	t->nice = current->nice;        /* a child inherits its creator's */
	activate(t, false);
	spin_unlock(&sched_lock);
}

/* Under sched_lock: end t's sleep with `result`. */
void wake_up_task(struct task *t, int result)
{
	assert_held(&sched_lock);
	if (t->state != TASK_SLEEPING)
		return;
	list_del(&t->run_node);
	if (t->wake_at) {
		list_del(&t->timer_node);
		t->wake_at = 0;
	}
	t->sleep_result = result;
	if (t->on_cpu) {
		/* Woken between wait_sleep's unlock and its schedule() (by an
		 * interrupt, or by another CPU): it never left its CPU, and
		 * schedule() queues it itself. Queued here too, it would be in
		 * the queue twice and corrupt it, or run on two CPUs at once. */
		t->state = TASK_RUNNING;
		return;
	}
	activate(t, true);
}

void wake_up(struct wait_queue *wq)
{
	struct task *t, *n;

	spin_lock(&sched_lock);
	list_for_each_entry_safe(t, n, &wq->sleepers, run_node)
		wake_up_task(t, 0);
	spin_unlock(&sched_lock);
}

void wake_up_one(struct wait_queue *wq)
{
	spin_lock(&sched_lock);
	if (!list_empty(&wq->sleepers))
		wake_up_task(list_first_entry(&wq->sleepers, struct task, run_node), 0);
	spin_unlock(&sched_lock);
}

int wait_sleep(struct wait_queue *wq, struct spinlock *lk, uint64_t deadline, int flags)
{
	struct task *t = current;
	int result;

	may_sleep("wait_sleep", lk);
	spin_lock(&sched_lock);
	/* Holding sched_lock, we cannot miss a wake_up sent after lk is released. */
	if (lk)
		spin_unlock(lk);
	if (sleep_interrupted(t, flags)) {
		spin_unlock(&sched_lock);
		if (lk)
			spin_lock(lk);
		return -ERESTARTSYS;
	}
	t->state = TASK_SLEEPING;
	t->sleep_flags = flags;
	t->sleep_result = 0;
	if (wq)
		list_add_tail(&t->run_node, &wq->sleepers);
	else
		list_init(&t->run_node);
	t->wake_at = deadline;
	if (deadline)
		list_add_tail(&t->timer_node, &timed_sleepers);
	spin_unlock(&sched_lock);
	schedule();
	result = t->sleep_result;
	if (lk)
		spin_lock(lk);
	return result;
}

void completion_init(struct completion *c)
{
	c->lock = (struct spinlock)SPINLOCK_INIT("completion");
	c->done = false;
	wait_queue_init(&c->wq);
}

/* The wake-up happens under the lock: once the waiter sees done it may
 * return and free c (the vfork parent's is on its stack). */
void complete(struct completion *c)
{
	spin_lock(&c->lock);
	c->done = true;
	wake_up(&c->wq);
	spin_unlock(&c->lock);
}

/* Wait until c is done, or until a signal that `flags` lets in comes:
 * 0 or -ERESTARTSYS. */
static int completion_wait(struct completion *c, int flags)
{
	int err = 0;

	spin_lock(&c->lock);
	while (!c->done && !err)
		err = wait_sleep(&c->wq, &c->lock, 0, flags);
	err = c->done ? 0 : err;
	spin_unlock(&c->lock);
	return err;
}

void wait_for_completion(struct completion *c)
{
	completion_wait(c, 0);
}

int wait_for_completion_killable(struct completion *c)
{
	return completion_wait(c, SLEEP_KILLABLE);
}

/* Timer interrupt: wake timed sleepers whose time has come; charge the tick
 * to the running task (in user or kernel mode, as Linux's utime and stime)
 * and count down its slice. */
void sched_tick(bool user)
{
	uint64_t now = clock_ns();
	struct task *t, *n;

	spin_lock(&sched_lock);
	update_curr(now);
	list_for_each_entry_safe(t, n, &timed_sleepers, timer_node)
		if (t->wake_at <= now)
			wake_up_task(t, -ETIMEDOUT);
	account_tick(current, user);
	if (--current->ticks_left <= 0 || current == this_cpu()->idle)
		this_cpu()->need_resched = !list_empty(&run_queue);
	spin_unlock(&sched_lock);
}

struct sched_stats sched_get_stats(void)
{
	return stats;
}

/* The idle task: the boot code's own context, once init is started. */
void sched_run_idle(void)
{
	for (;;) {
		cli();
		/* Told to look (a wake-up, or a tick that saw queued tasks)? A
		 * queue with only tasks pinned elsewhere must not keep this CPU
		 * taking sched_lock in a loop. */
		if (!this_cpu()->need_resched) {
			/* sti takes effect after the next instruction, so no
			 * interrupt can slip in between the test and the hlt. */
			asm volatile("sti; hlt" ::: "memory");
			continue;
		}
		sti();
		schedule();
	}
}

void sched_init(struct task *idle)
{
	struct cpu *c = this_cpu();

	c->idle = idle;
	c->current_task = idle;
	idle->state = TASK_RUNNING;
	idle->on_cpu = true;
}

/* Wait until t, which will never run again (a zombie, or dead), has
 * switched away for good: its CPU clears on_cpu under sched_lock and holds
 * the lock until swtch has left t's stack. Only then may t be freed. */
void wait_task_inactive(struct task *t)
{
	for (;;) {
		spin_lock(&sched_lock);
		bool on = t->on_cpu;
		spin_unlock(&sched_lock);
		if (!on)
			return;
		pause();
	}
}

long sys_sched_yield(void)
{
	__schedule(true);       /* current stays runnable, behind any other */
	return 0;
}

/* ---- affinity: sched_setaffinity(2), sched_getaffinity(2), getcpu(2) ---- */

/* The CPUs that run, as a mask; Linux's cpumask for them is one long. */
static unsigned long online_mask(void)
{
	return ncpus == 8 * (int)sizeof(long) ? ~0UL : (1UL << ncpus) - 1;
}

/* The CPU t runs on, or NULL if none. Under sched_lock. */
static struct cpu *task_cpu(struct task *t)
{
	for (int i = 0; i < ncpus; i++)
		if (cpus[i].current_task == t)
			return &cpus[i];
	return NULL;
}

/* Under sched_lock: t may run only on `mask` from now on. If its CPU is
 * no longer one of them, that CPU switches away at its next chance (and
 * pick_next_task leaves t to the others). */
static void set_cpus_allowed(struct task *t, unsigned long mask)
{
	struct cpu *c = task_cpu(t);

	t->cpus_allowed = mask;
	if (c && !cpu_allowed(t, c)) {
		c->need_resched = true;
		if (c != this_cpu())
			resched_cpu(c);
	}
}

/* As Linux: a mask shorter than ours is taken as zero-filled, a longer
 * one is cut; CPUs that do not run are dropped, and if none is left,
 * EINVAL. Returns once the caller, if it is the task, runs on one of them. */
long sys_sched_setaffinity(int pid, unsigned len, const unsigned long *umask)
{
	unsigned long mask = 0;
	struct task *t;

	if (copy_from_user(&mask, umask, MIN(len, sizeof(mask))))
		return -EFAULT;
	mask &= online_mask();
	if (!mask)
		return -EINVAL;
	spin_lock(&tasklist_lock);
	t = pid == 0 ? current : find_task(pid);
	if (!t) {
		spin_unlock(&tasklist_lock);
		return -ESRCH;
	}
	spin_lock(&sched_lock);
	set_cpus_allowed(t, mask);
	spin_unlock(&sched_lock);
	spin_unlock(&tasklist_lock);
	if (!cpu_allowed(current, this_cpu()))
		schedule();
	return 0;
}

/* As Linux: len must hold a bit per CPU and be a whole number of longs;
 * the mask written is one long, and its size in bytes is the result
 * (musl and glibc count the CPUs from it). */
long sys_sched_getaffinity(int pid, unsigned len, unsigned long *umask)
{
	unsigned long mask;
	struct task *t;

	if (len * 8 < (unsigned)ncpus || (len & (sizeof(long) - 1)))
		return -EINVAL;
	spin_lock(&tasklist_lock);
	t = pid == 0 ? current : find_task(pid);
	mask = t ? t->cpus_allowed & online_mask() : 0;
	spin_unlock(&tasklist_lock);
	if (!t)
		return -ESRCH;
	if (copy_to_user(umask, &mask, sizeof(mask)))
		return -EFAULT;
	return sizeof(mask);
}

/* The CPU the caller runs on (it may be on another by the time it looks),
 * and its NUMA node: always 0. The third argument is unused, as in Linux. */
long sys_getcpu(unsigned *ucpu, unsigned *unode, void *unused)
{
	unsigned cpu = this_cpu()->id, node = 0;

	if ((ucpu && copy_to_user(ucpu, &cpu, sizeof(cpu))) ||
	    (unode && copy_to_user(unode, &node, sizeof(node))))
		return -EFAULT;
	return 0;
}
