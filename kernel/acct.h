/* Where the time goes: the CPU time and resources tasks use (acct.c). */
#ifndef ACCT_H
#define ACCT_H
#include <stdint.h>
#include <stdbool.h>

struct task;
struct rusage;

/*
 * What a task, a process, or a process's reaped children used: CPU time
 * in timer ticks (1/HZ s) in user and in kernel mode, minor page faults,
 * and the largest resident set seen, in pages.
 */
struct usage {
	uint64_t utime, stime;
	uint64_t min_flt;
	uint64_t maxrss;
};

/* The timer interrupted task t on this CPU, in user mode or not: charge
 * it the tick. Under sched_lock. */
void account_tick(struct task *t, bool user);

/* Thread t leaves its group for good: the group keeps what it used.
 * Under tasklist_lock. */
void account_thread_gone(struct task *t);

/* t let go of its mm (exit, exec), which mapped `pages` when its last user
 * let it go (0 if others still use it): the process's peak RSS is at least
 * that. */
void account_mm_release(struct task *t, uint64_t pages);

/* Task t alone (its maxrss is not known: 0). */
struct usage task_usage(const struct task *t);

/* The whole thread group of t. Under tasklist_lock. */
struct usage group_usage(struct task *t);

/* wait4 reaps child c (a group leader whose threads are all gone): the
 * caller's process adds c's usage and its children's to its children's,
 * which is also what wait4 reports in its rusage. Under tasklist_lock. */
struct usage account_reaped(struct task *c);

void usage_to_rusage(const struct usage *u, struct rusage *ru);

/* Ticks (HZ) as the clock ticks (USER_HZ) of times(2) and /proc. */
uint64_t ticks_to_clock_t(uint64_t ticks);

#endif
