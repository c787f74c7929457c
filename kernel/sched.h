/* The scheduler: a round-robin run queue, wait queues, and sleeping. */
#ifndef SCHED_H
#define SCHED_H
#include <stdint.h>
#include "task.h"

#define TIMESLICE_TICKS 2           /* 20 ms at HZ=100 before preemption */

/* Flags for wait_sleep: which signals end the sleep (with -ERESTARTSYS) */
#define SLEEP_INTERRUPTIBLE 1       /* any the task does not block */
#define SLEEP_KILLABLE      2       /* only one that kills it (Linux's TASK_KILLABLE) */
#define SLEEP_WAKEKILL      4       /* only SIGKILL (a job-control stop: Linux's TASK_STOPPED) */

extern struct spinlock sched_lock;

struct sched_stats {
	uint64_t switches;          /* every switch to another task */
	uint64_t mm_switches;       /* ... of which reloaded CR3 (another mm) */
	uint64_t forks;             /* tasks created since boot */
};

void sched_init(struct task *idle);
void sched_run_idle(void) __attribute__((noreturn));
void schedule(void);
void wake_up_new_task(struct task *t);
void wait_task_inactive(struct task *t);    /* t, dead or a zombie, is off its CPU */

/* The policy (fair.c; each function's contract is there), under sched_lock. */
#define NICE_MIN      (-20)
#define NICE_MAX      19
#define NICE_0_WEIGHT 1024
uint32_t nice_to_weight(int nice);
void sched_charge(struct task *t, uint64_t ns);
void sched_place(struct task *t, struct task *curr, struct list_head *queue, bool woken);
bool sched_preempt(struct task *curr, struct task *t);
/* The next task to run from queue (tasks linked by run_node), or idle if
 * it is empty; the queue is left as it is. */
struct task *pick_next(struct list_head *queue, struct task *idle);
void sched_tick(bool user);                 /* from the timer interrupt */
struct sched_stats sched_get_stats(void);

/*
 * Sleep on wq until wake_up(wq), the deadline (ns of clock_ns(), 0 = none),
 * or a signal that flags let in. Called and returns holding lk (if
 * any), which it releases while asleep: take it, test the condition, and
 * sleep in a loop. Returns 0, -ETIMEDOUT or -ERESTARTSYS (a signal: the
 * system call returns it, and do_signals decides between EINTR and a
 * restart, as in Linux).
 */
int wait_sleep(struct wait_queue *wq, struct spinlock *lk, uint64_t deadline, int flags);
void wake_up(struct wait_queue *wq);        /* every sleeper */
void wake_up_one(struct wait_queue *wq);
void wake_up_task(struct task *t, int result);    /* under sched_lock */
void kick_task(struct task *t);   /* under sched_lock: t, running elsewhere, looks at its signals */
void wait_queue_init(struct wait_queue *wq);

/* A one-shot event to wait for (vfork's parent waits for its child). */
struct completion {
	struct spinlock lock;
	bool done;
	struct wait_queue wq;
};
void completion_init(struct completion *c);
void complete(struct completion *c);
void wait_for_completion(struct completion *c);
/* The same, but a fatal signal ends the wait: 0 if done, else -ERESTARTSYS. */
int wait_for_completion_killable(struct completion *c);

/* switch.S */
void swtch(struct context **save, struct context *load);
void ret_from_fork(void);
void enter_user(struct trapframe *tf) __attribute__((noreturn));
void schedule_tail(void);

#endif
