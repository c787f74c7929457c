/*
 * Job control: stopping and continuing a process. A stop signal (SIGSTOP,
 * SIGTSTP, SIGTTIN, SIGTTOU) with its default action stops every thread of
 * the process on its way back to user mode; SIGCONT lets them go on. The
 * parent hears of each (SIGCHLD with CLD_STOPPED, CLD_CONTINUED; wait4's
 * WUNTRACED, WCONTINUED). Linux keeps all this in kernel/signal.c
 * (prepare_signal, do_signal_stop, do_notify_parent_cldstop; the orphaned
 * group test is kernel/exit.c's will_become_orphaned_pgrp); here it has a
 * file of its own, and signal.c calls in at three places: as a signal is
 * sent (prepare_signal), as a stop signal is taken (group_stop), and on
 * the way back to user mode (stop_while_stopped).
 */
#include "kernel.h"
#include "signal.h"
#include "signal_internal.h"
#include "sched.h"
#include "task.h"

/* Tell the parent of process `leader` that it stopped or continued (why:
 * CLD_STOPPED, CLD_CONTINUED): SIGCHLD says so unless the parent asked not
 * to hear (SA_NOCLDSTOP), as Linux's do_notify_parent_cldstop, and a wait4
 * asleep looks again. Under tasklist_lock. */
static void notify_parent_jobctl(struct task *leader, int why)
{
	struct task *parent = leader->parent;
	struct signal_struct *s = leader->signal;
	struct kernel_siginfo info = {
		.signo = SIGCHLD, .code = why,
		.chld = { .pid = leader->tgid, .uid = 0,
			  .status = why == CLD_STOPPED ? s->stop_signal : SIGCONT },
	};

	if (parent == leader)
		return;                 /* init: nobody to tell */
	if (!(parent->sighand->action[SIGCHLD - 1].flags & SA_NOCLDSTOP))
		send_signal_to_group_info(parent, &info);
	wake_up(&parent->signal->child_exit);
}

/*
 * As a signal is sent, before anything else (Linux's prepare_signal): a
 * stop signal cancels a pending SIGCONT, and SIGCONT the pending stop
 * signals; SIGCONT continues a stopped process, whatever becomes of the
 * signal after (blocked, ignored or caught). Under tasklist_lock.
 */
void prepare_signal(struct task *t, int sig)
{
	struct signal_struct *s = t->signal;

	if ((!stop_signal(sig) && sig != SIGCONT) || !t->sighand)
		return;
	assert_held(&tasklist_lock);
	discard_group_signals(t, sig == SIGCONT ? STOP_SIGNALS : sigmask(SIGCONT));
	if (sig == SIGCONT && s->stopped) {
		s->stopped = false;
		/* wait4 hears of it at once; SIGCHLD comes as the process runs
		 * again, and not at all if it is killed first (as Linux) */
		if (s->stop_pending == 0) {     /* the parent heard it stop */
			s->jobctl_report = CLD_CONTINUED;
			s->tell_continued = true;
			wake_up(&t->group_leader->parent->signal->child_exit);
		}
		wake_up(&s->stop_wait);
	}
}

/* Is process group pgid orphaned: has none of its processes a parent in
 * another group of the same session (init does not count)? A job-control
 * shell is such a parent; with none, nobody could continue a stopped job,
 * so the terminal's stop signals do nothing (Linux's
 * will_become_orphaned_pgrp). Under tasklist_lock. */
static bool pgrp_orphaned(int pgid)
{
	struct task *t;

	for_each_task(t) {
		struct signal_struct *ps;

		if (t != t->group_leader || t->signal->pgid != pgid || t->signal->nr_threads == 0 ||
		    t->parent->tgid == 1)
			continue;
		ps = t->parent->signal;
		if (ps->pgid != pgid && ps->sid == t->signal->sid)
			return false;
	}
	return true;
}

/* End an interruptible sleep of th's, or kick it if it runs on another
 * CPU, so that it goes back to user mode (and stops there). Under
 * tasklist_lock. */
static void interrupt_sleep(struct task *th)
{
	spin_lock(&sched_lock);
	if (th->state == TASK_SLEEPING && (th->sleep_flags & SLEEP_INTERRUPTIBLE))
		wake_up_task(th, -ERESTARTSYS);
	else
		kick_task(th);
	spin_unlock(&sched_lock);
}

/* Thread t took stop signal sig with its default action: the whole process
 * stops, unless it is exiting, or sig is one of the terminal's (not
 * SIGSTOP) and its process group is orphaned. Every thread stops on its
 * way back to user mode: those asleep are woken to get there. */
void group_stop(struct task *t, int sig)
{
	struct signal_struct *s = t->signal;
	struct task *leader = t->group_leader, *th;

	spin_lock(&tasklist_lock);
	if (!s->stopped && !s->group_exiting && (sig == SIGSTOP || !pgrp_orphaned(s->pgid))) {
		s->stopped = true;
		s->stop_signal = sig;
		s->stop_pending = s->nr_threads;
		s->stop_gen++;
		if (leader != t)
			interrupt_sleep(leader);
		list_for_each_entry(th, &leader->thread_group, thread_node)
			if (th != t)
				interrupt_sleep(th);
	}
	spin_unlock(&tasklist_lock);
}

static bool sigkill_pending(struct task *t)
{
	return (t->pending.signal | t->signal->shared_pending.signal) & sigmask(SIGKILL);
}

/* Thread t has stopped, or is exiting, in its process's stop: the last
 * one to do so tells the parent. Under tasklist_lock. */
static void count_stopped(struct task *t)
{
	struct signal_struct *s = t->signal;

	if (!s->stopped || t->stop_seen == s->stop_gen)
		return;
	t->stop_seen = s->stop_gen;
	if (--s->stop_pending == 0) {
		s->jobctl_report = CLD_STOPPED;
		notify_parent_jobctl(t->group_leader, CLD_STOPPED);
	}
}

void jobctl_exit(struct task *t)
{
	assert_held(&tasklist_lock);
	count_stopped(t);
}

/* While t's process is stopped, t sleeps: SIGCONT (which clears `stopped`)
 * or SIGKILL wakes it. */
void stop_while_stopped(struct task *t)
{
	struct signal_struct *s = t->signal;

	spin_lock(&tasklist_lock);
	while (s->stopped && !sigkill_pending(t)) {
		count_stopped(t);
		t->jobctl_stopped = true;
		wait_sleep(&s->stop_wait, &tasklist_lock, 0, SLEEP_WAKEKILL);
	}
	t->jobctl_stopped = false;
	if (s->tell_continued && !sigkill_pending(t) && !s->group_exiting) {
		s->tell_continued = false;
		notify_parent_jobctl(t->group_leader, CLD_CONTINUED);
	}
	spin_unlock(&tasklist_lock);
}
