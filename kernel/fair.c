/*
 * The scheduling policy: weighted fair sharing by nice value, in the
 * manner of Linux's CFS (kernel/sched/fair.c). Each task has a virtual
 * runtime, the time it ran scaled by the inverse of its weight; the task
 * that has had the least runs next. Busy tasks then share the CPU in
 * proportion to their weights: a nice 0 task runs about three times as
 * long as a nice 5 one, since its virtual clock runs three times slower.
 *
 * sched.c decides *when* to switch (the time slice, a task going to
 * sleep, a wake-up); this file decides *who* runs and what it costs:
 *   sched_charge   t ran ns nanoseconds: advance its virtual runtime
 *   sched_place    t becomes runnable (new or woken): where it starts
 *   sched_preempt  should t, just made runnable, take the CPU from curr?
 *   pick_next      which queued task runs next
 * All four run under sched_lock, and only choose or account: the queue
 * itself (adding, removing) is sched.c's.
 *
 * setpriority and getpriority, which set and read the nice value, are
 * here too.
 */
#include "kernel.h"
#include "sched.h"
#include "syscall.h"
#include "uapi/errno.h"
#include "arch/x86/timer.h"

/*
 * The weight of each nice value, -20 to 19: nice 0 weighs 1024, and each
 * step weighs about 1.25 times the next, so one step is some 10% of the
 * CPU between two busy tasks. These are Linux's values
 * (sched_prio_to_weight in kernel/sched/core.c), so shares compare.
 */
static const uint32_t nice_weight[40] = {
	/* -20 */ 88761, 71755, 56483, 46273, 36291,
	/* -15 */ 29154, 23254, 18705, 14949, 11916,
	/* -10 */  9548,  7620,  6100,  4904,  3906,
	/*  -5 */  3121,  2501,  1991,  1586,  1277,
	/*   0 */  1024,   820,   655,   526,   423,
	/*   5 */   335,   272,   215,   172,   137,
	/*  10 */   110,    87,    70,    56,    45,
	/*  15 */    36,    29,    23,    18,    15,
};

uint32_t nice_to_weight(int nice)
{
	return nice_weight[nice - NICE_MIN];
}

/* The smallest virtual runtime of a runnable task, never decreasing: a
 * task that becomes runnable starts there or later, so it neither waits
 * for the others to catch up with it nor, if it slept long, runs for ages. */
static uint64_t min_vruntime;

/* How far behind min_vruntime a woken task may start: half a time slice.
 * Without it a woken task ties with the running one (which had the least
 * when it was picked) and waits out its slice; with it, it runs at once,
 * and a task that sleeps often gains at most this much each time. */
#define WAKE_CREDIT_NS (TIMESLICE_TICKS * (1000000000ULL / HZ) / 2)

/*
 * Task t ran for ns nanoseconds of real time: charge it ns scaled by
 * NICE_0_WEIGHT / its weight, so a heavier task's virtual clock runs
 * slower. (It also counts the real time, for /proc/PID/sched.)
 */
void sched_charge(struct task *t, uint64_t ns)
{
	t->sum_exec_ns += ns;
	/* LAB sched: begin (handout: return;) */
	t->vruntime += ns * NICE_0_WEIGHT / nice_to_weight(t->nice);
	/* LAB sched: end */
}

/*
 * t becomes runnable: a new task, or one woken from a sleep (woken).
 * curr is the task running now (the idle task if none), queue the run
 * queue, without t. Give t a virtual runtime of at least the smallest
 * among those that are runnable (min_vruntime), less WAKE_CREDIT_NS if it
 * was woken: a task that slept keeps no credit for the time it was away,
 * and one that ran more than the others keeps its debt.
 */
void sched_place(struct task *t, struct task *curr, struct list_head *queue, bool woken)
{
	/* LAB sched: begin (handout: (void)min_vruntime; return;) */
	struct task *q;
	uint64_t least = UINT64_MAX, start;

	if (curr->state == TASK_RUNNING && curr != this_cpu()->idle)
		least = curr->vruntime;
	list_for_each_entry(q, queue, run_node)
		least = MIN(least, q->vruntime);
	if (least != UINT64_MAX)
		min_vruntime = MAX(min_vruntime, least);
	start = min_vruntime;
	if (woken)
		start = start > WAKE_CREDIT_NS ? start - WAKE_CREDIT_NS : 0;
	t->vruntime = MAX(t->vruntime, start);
	/* LAB sched: end */
}

/*
 * t was just made runnable while curr runs: true if t should run now
 * rather than at the end of curr's time slice. So a task that sleeps
 * most of the time (an editor, a shell) answers at once when woken,
 * however many busy tasks there are.
 */
bool sched_preempt(struct task *curr, struct task *t)
{
	/* LAB sched: begin (handout: return false;) */
	return curr == this_cpu()->idle || t->vruntime < curr->vruntime;
	/* LAB sched: end */
}

/*
 * The scheduling decision: which task of `queue` (linked by run_node) runs
 * next, or idle if it is empty. It only chooses: the caller takes the task
 * off the queue. The task with the smallest virtual runtime; of equals, the
 * one queued first, so tasks that never ran take turns as in round robin.
 */
noinline struct task *pick_next(struct list_head *queue, struct task *idle)
{
	/* LAB sched: begin (handout: return list_empty(queue) ? idle : list_first_entry(queue, struct task, run_node);) */
	struct task *t, *best = idle;

	list_for_each_entry(t, queue, run_node)
		if (best == idle || t->vruntime < best->vruntime)
			best = t;
	return best;
	/* LAB sched: end */
}

/* ---- setpriority(2) and getpriority(2) ---- */

#define PRIO_PROCESS 0

/* The task `who` names for PRIO_PROCESS (0: the caller), or NULL; under
 * tasklist_lock. Only PRIO_PROCESS: tasklab has no users, and leaves
 * process groups (PRIO_PGRP) out. */
static struct task *prio_target(int who)
{
	return who == 0 ? current : find_task(who);
}

/* Set the nice value, clamped to -20..19 as Linux does. Everyone is root
 * here, so lowering it (more CPU) is allowed too. */
long sys_setpriority(int which, int who, int nice)
{
	struct task *t;

	if (which != PRIO_PROCESS)
		return -EINVAL;
	spin_lock(&tasklist_lock);
	if (!(t = prio_target(who))) {
		spin_unlock(&tasklist_lock);
		return -ESRCH;
	}
	spin_lock(&sched_lock);
	t->nice = MIN(MAX(nice, NICE_MIN), NICE_MAX);
	spin_unlock(&sched_lock);
	spin_unlock(&tasklist_lock);
	return 0;
}

/* The raw system call returns 20 - nice (1..40), never negative, so that
 * it cannot be taken for an error; the C library's getpriority() turns it
 * back into the nice value. */
long sys_getpriority(int which, int who)
{
	struct task *t;
	long ret;

	if (which != PRIO_PROCESS)
		return -EINVAL;
	spin_lock(&tasklist_lock);
	ret = (t = prio_target(who)) ? 20 - t->nice : -ESRCH;
	spin_unlock(&tasklist_lock);
	return ret;
}
