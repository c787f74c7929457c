/* The scheduler's choice (pick_next) on a local queue of fake tasks,
 * which sleepers wake_up_one and wake_up wake, and when a reschedule IPI
 * goes. */
#include "kernel.h"
#include "ktest.h"
#include "sched.h"
#include "arch/x86/smp.h"
#include "spinlock.h"
#include "task.h"

/* Never run: only their list nodes and states are used. */
static struct task fake[4], idle;

static int queue_length(struct list_head *q)
{
	int n = 0;

	for (struct list_head *p = q->next; p != q; p = p->next)
		n++;
	return n;
}

KTEST(sched_pick_next)
{
	struct list_head q = LIST_HEAD_INIT(q);
	struct task *t;

	EXPECT(pick_next(&q, &idle) == &idle);
	EXPECT(list_empty(&q));
	for (int i = 0; i < 3; i++)
		list_add_tail(&fake[i].run_node, &q);
	/* The longest waiter, and choosing takes nothing off the queue. */
	EXPECT(pick_next(&q, &idle) == &fake[0]);
	EXPECT(pick_next(&q, &idle) == &fake[0]);
	EXPECT_EQ(queue_length(&q), 3);
	/* Round robin: run the chosen one, put it back at the tail, as
	 * schedule() does with a preempted task. */
	for (int round = 0; round < 7; round++) {
		t = pick_next(&q, &idle);
		EXPECT(t == &fake[round % 3]);
		list_del(&t->run_node);
		list_add_tail(&t->run_node, &q);
	}
	/* A task woken now waits behind those already queued. */
	list_add_tail(&fake[3].run_node, &q);
	t = pick_next(&q, &idle);                       /* fake[1] */
	list_del(&t->run_node);
	EXPECT(t == &fake[1]);
	EXPECT(pick_next(&q, &idle) == &fake[2]);
	list_del(&fake[2].run_node);
	EXPECT(pick_next(&q, &idle) == &fake[0]);
	list_del(&fake[0].run_node);
	EXPECT(pick_next(&q, &idle) == &fake[3]);
	list_del(&fake[3].run_node);
	EXPECT(pick_next(&q, &idle) == &idle);          /* empty again */
}

/* Put fake[0..n) to sleep on wq, in order. */
static void sleep_on(struct wait_queue *wq, int n)
{
	for (int i = 0; i < n; i++) {
		fake[i].state = TASK_SLEEPING;
		fake[i].wake_at = 0;
		fake[i].sleep_result = 99;
		list_add_tail(&fake[i].run_node, &wq->sleepers);
	}
}

/*
 * A woken task goes onto the real run queue. Interrupts stay off until
 * the test has taken it back off, so the scheduler never sees it; nothing
 * else is runnable while ktests run.
 */
static void unqueue(struct task *t)
{
	spin_lock(&sched_lock);
	list_del(&t->run_node);
	t->state = TASK_SLEEPING;
	spin_unlock(&sched_lock);
}

KTEST(sched_wake_up)
{
	struct wait_queue wq = WAIT_QUEUE_INIT(wq);

	irq_save();
	sleep_on(&wq, 3);
	wake_up_one(&wq);                       /* the first sleeper, only */
	EXPECT_EQ(fake[0].state, TASK_RUNNING);
	EXPECT_EQ(fake[0].sleep_result, 0);
	EXPECT_EQ(fake[1].state, TASK_SLEEPING);
	EXPECT_EQ(fake[2].state, TASK_SLEEPING);
	EXPECT_EQ(queue_length(&wq.sleepers), 2);
	EXPECT(list_first_entry(&wq.sleepers, struct task, run_node) == &fake[1]);
	unqueue(&fake[0]);
	wake_up_one(&wq);
	EXPECT_EQ(fake[1].state, TASK_RUNNING);
	EXPECT_EQ(fake[2].state, TASK_SLEEPING);
	unqueue(&fake[1]);
	wake_up(&wq);                           /* every one left */
	EXPECT_EQ(fake[2].state, TASK_RUNNING);
	EXPECT(list_empty(&wq.sleepers));
	unqueue(&fake[2]);
	wake_up_one(&wq);                       /* nobody: nothing happens */
	EXPECT(list_empty(&wq.sleepers));

	sleep_on(&wq, 3);
	wake_up(&wq);
	/* In the run queue in the order they slept. */
	EXPECT(fake[0].run_node.next == &fake[1].run_node);
	EXPECT(fake[1].run_node.next == &fake[2].run_node);
	for (int i = 0; i < 3; i++) {
		EXPECT_EQ(fake[i].state, TASK_RUNNING);
		unqueue(&fake[i]);
	}
	EXPECT(list_empty(&wq.sleepers));
	irq_restore();
}

/* A reschedule IPI asked for while this CPU holds spinlocks goes when it
 * releases the last of them, not before (sched.c's resched_cpu says why).
 * The test asks for one to this CPU itself: any CPU will do, and the
 * interrupt does nothing here. */
KTEST(sched_resched_ipi_after_last_unlock)
{
	static struct spinlock outer = SPINLOCK_INIT("ktest outer");
	static struct spinlock inner = SPINLOCK_INIT("ktest inner");
	uint64_t sent = smp_resched_ipis;

	spin_lock(&outer);
	spin_lock(&inner);
	this_cpu()->resched_due |= 1UL << this_cpu()->id;
	spin_unlock(&inner);
	EXPECT_EQ(smp_resched_ipis, sent);
	EXPECT(this_cpu()->resched_due != 0);
	spin_unlock(&outer);
	EXPECT_EQ(smp_resched_ipis, sent + 1);
	EXPECT_EQ(this_cpu()->resched_due, 0);
}
