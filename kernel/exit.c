/* Ending tasks (exit, exit_group) and reaping them (wait4), as Linux's kernel/exit.c. */
#include "kernel.h"
#include "task.h"
#include "uapi/errno.h"
#include "mm/fail.h"
#include "mm/mm.h"
#include "sched.h"
#include "syscall.h"
#include "uapi/uapi.h"

/* A wait status (Linux's encoding) as a shell's exit code: 128+N for
 * death by signal N. */
static int status_to_code(int status)
{
	return (status & 0x7f) ? 128 + (status & 0x7f) : (status >> 8) & 0xff;
}

static void exit_mm(struct task *t)
{
	struct mm *mm = t->mm;

	mm_release(t);
	spin_lock(&tasklist_lock);          /* /proc looks at t->mm under it */
	t->mm = NULL;
	spin_unlock(&tasklist_lock);
	account_mm_release(t, mmput(mm));
}

/* Who adopts t's children: another live thread of its process (they are
 * the process's children), else init, which reaps orphans. */
static struct task *find_new_reaper(struct task *t)
{
	struct task *leader = t->group_leader, *th;

	if (leader != t && leader->state != TASK_ZOMBIE)
		return leader;
	list_for_each_entry(th, &leader->thread_group, thread_node)
		if (th != t)
			return th;
	return child_reaper;
}

/* Under tasklist_lock. */
static void reparent_children(struct task *t)
{
	struct task *c, *n, *reaper = find_new_reaper(t);
	bool zombies = false;

	assert_held(&tasklist_lock);
	list_for_each_entry_safe(c, n, &t->children, sibling) {
		list_del(&c->sibling);
		c->parent = reaper;
		/* Another process adopts it as a plain child, as on Linux: a
		 * "clone" child would be a zombie no wait4 of init reaps. */
		if (reaper->tgid != t->tgid)
			c->exit_signal = SIGCHLD;
		list_add_tail(&c->sibling, &reaper->children);
		zombies |= c->state == TASK_ZOMBIE;
	}
	if (zombies)
		wake_up(&reaper->signal->child_exit);
}

/* The wait status of a process whose threads are all gone. A leader that
 * left by exit(2) before another thread's exit_group reports the group's
 * code, as in Linux's wait_task_zombie. Under tasklist_lock. */
static int group_status(struct task *leader)
{
	struct signal_struct *sig = leader->signal;

	return sig->group_exiting ? sig->group_exit_code : leader->exit_code;
}

/* Does the parent want no zombies: SIGCHLD ignored, or SA_NOCLDWAIT?
 * Then a child whose exit signal is SIGCHLD is reaped as it exits (as in
 * Linux's do_notify_parent), and wait4 finds no such child. */
static bool parent_autoreaps(struct task *parent, int exit_signal)
{
	struct kernel_sigaction *ka = &parent->sighand->action[SIGCHLD - 1];

	return exit_signal == SIGCHLD && (ka->handler == SIG_IGN || (ka->flags & SA_NOCLDWAIT));
}

/* The whole group is gone: the parent may now reap the leader. Its exit
 * signal says how the child ended, as Linux's do_notify_parent does.
 * Returns true if nobody will reap it: the leader is to be released at once. */
static bool notify_parent(struct task *leader)
{
	struct task *parent = leader->parent;
	int status = group_status(leader);
	struct kernel_siginfo info = {
		.signo = leader->exit_signal,
		.code = (status & 0x7f) ? CLD_KILLED : CLD_EXITED,
		.chld = { .pid = leader->tgid, .uid = 0,
			  .status = (status & 0x7f) ? status & 0x7f : (status >> 8) & 0xff },
	};
	bool autoreap = parent_autoreaps(parent, leader->exit_signal);

	if (leader->exit_signal)
		send_signal_to_group_info(parent, &info);
	wake_up(&parent->signal->child_exit);   /* a waiter may now find it, or none */
	return autoreap;
}

/* Reaped: leader c leaves its parent and frees its pid. Its memory is
 * freed by task_free, after it has switched away for good. Under
 * tasklist_lock. */
static void release_task(struct task *c)
{
	assert_held(&tasklist_lock);
	/* Another CPU may still be switching away from its exit. (A task that
	 * releases itself is freed by its CPU once off its stack.) */
	if (c != current)
		wait_task_inactive(c);
	list_del(&c->sibling);
	unlink_task(c);
	c->state = TASK_DEAD;
}

void do_exit(int status)
{
	struct task *t = current, *leader = t->group_leader, *reaped = NULL;

	if (t == child_reaper) {
		printk("tasklab: init exited with status %d, powering off\n", status_to_code(status));
		fail_report();
		poweroff(status_to_code(status));
	}
	exit_mm(t);
	exit_files_fs(t);
	spin_lock(&tasklist_lock);
	reparent_children(t);
	if (t->signal->group_exiting)
		status = t->signal->group_exit_code;
	t->exit_code = status;
	jobctl_exit(t);
	bool last = --t->signal->nr_threads == 0;
	if (t == leader) {
		t->state = TASK_ZOMBIE;         /* keeps its pid until wait4 reaps it */
	} else {
		unlink_task(t);
		list_del(&t->thread_node);
		account_thread_gone(t);
		t->state = TASK_DEAD;           /* freed after the switch away */
	}
	if (last && notify_parent(leader)) {
		release_task(leader);
		if (leader != t)
			reaped = leader;        /* a zombie, off its CPU: free it now */
	} else if (t->signal->exec_task && t->signal->nr_threads == 1) {
		wake_up(&t->signal->exec_wait);         /* de_thread may go on */
	}
	spin_unlock(&tasklist_lock);
	if (reaped)
		task_free(reaped);
	schedule();
	panic("do_exit: a dead task ran again");
}

void do_group_exit(int status)
{
	struct task *t = current;
	struct signal_struct *sig = t->signal;

	spin_lock(&tasklist_lock);
	if (sig->group_exiting) {
		status = sig->group_exit_code;
	} else if (!sig->exec_task) {   /* (an execve's de_thread is ending us: just go) */
		sig->group_exiting = true;
		sig->group_exit_code = status;
		zap_other_threads(t);   /* they die on their way back to user mode */
	}
	spin_unlock(&tasklist_lock);
	do_exit(status);
}

long sys_exit(int code)
{
	do_exit((code & 0xff) << 8);
}

long sys_exit_group(int code)
{
	do_group_exit((code & 0xff) << 8);
}

/* ---- wait ---- */

/* Does child c match wait4's pid argument? */
static bool wait_matches(struct task *c, int pid)
{
	if (pid > 0)
		return c->tid == pid;
	if (pid == 0)
		return c->signal->pgid == current->signal->pgid;
	if (pid < -1)
		return c->signal->pgid == -pid;
	return true;
}

/* Does child c's kind match wait4's options? A "clone" child, one whose
 * exit signal is not SIGCHLD, is waited for only with __WCLONE, the others
 * only without it; __WALL takes both (Linux's eligible_child). */
static bool wait_kind_matches(struct task *c, int options)
{
	if (options & __WALL)
		return true;
	return (c->exit_signal != SIGCHLD) == !!(options & __WCLONE);
}

/* Is c a zombie whose whole group has exited: one to reap? */
static bool exited(struct task *c)
{
	return c->state == TASK_ZOMBIE && c->signal->nr_threads == 0;
}

/* Has c stopped (WUNTRACED) or continued (WCONTINUED) since wait4 last
 * said so, and do the options ask to hear it? */
static bool jobctl_reportable(struct task *c, int options)
{
	int r = c->signal->jobctl_report;

	return ((options & WUNTRACED) && r == CLD_STOPPED) ||
	       ((options & WCONTINUED) && r == CLD_CONTINUED);
}

/* A child of th that wait4's pid and options select, with something to
 * report: it exited, or stopped or continued. *any says whether there is
 * a match at all. */
static struct task *reapable_child(struct task *th, int pid, int options, bool *any)
{
	struct task *c;

	list_for_each_entry(c, &th->children, sibling) {
		if (!wait_matches(c, pid) || !wait_kind_matches(c, options))
			continue;
		*any = true;
		if (exited(c) || jobctl_reportable(c, options))
			return c;
	}
	return NULL;
}

/* Report, once, that c stopped or continued: its pid, with the status
 * WIFSTOPPED (the signal as WSTOPSIG) or WIFCONTINUED reads, and the
 * usage of c's process so far (Linux's too). c stays. Drops tasklist_lock. */
static long report_jobctl(struct task *c, int *ustatus, struct rusage *rusage)
{
	struct signal_struct *s = c->signal;
	int status = s->jobctl_report == CLD_STOPPED ? (s->stop_signal << 8) | 0x7f : 0xffff;
	struct usage usage = group_usage(c);
	struct rusage ru;
	long ret = c->tid;

	s->jobctl_report = 0;
	spin_unlock(&tasklist_lock);
	usage_to_rusage(&usage, &ru);
	if ((ustatus && copy_to_user(ustatus, &status, sizeof(status))) ||
	    (rusage && copy_to_user(rusage, &ru, sizeof(ru))))
		return -EFAULT;
	return ret;
}

/* Any thread may wait for the children of every thread of its process;
 * with __WNOTHREAD, for its own only. Under tasklist_lock. */
static struct task *find_reapable(int pid, int options, bool *any)
{
	struct task *leader = current->group_leader, *th, *c;

	assert_held(&tasklist_lock);
	*any = false;
	if (options & __WNOTHREAD)
		return reapable_child(current, pid, options, any);
	if ((c = reapable_child(leader, pid, options, any)))
		return c;
	list_for_each_entry(th, &leader->thread_group, thread_node)
		if ((c = reapable_child(th, pid, options, any)))
			return c;
	return NULL;
}

long sys_wait4(int pid, int *ustatus, int options, void *rusage)
{
	struct task *c;
	struct usage usage;
	struct rusage ru;
	bool any;
	int status;
	long ret;

	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WALL | __WCLONE))
		return -EINVAL;
	spin_lock(&tasklist_lock);
	/* Look again after every wake-up, a signal's too: the SIGCHLD that
	 * woke us may come with the very zombie we wait for. */
	for (ret = 0; ; ret = wait_sleep(&current->signal->child_exit, &tasklist_lock, 0,
					 SLEEP_INTERRUPTIBLE)) {
		c = find_reapable(pid, options, &any);
		if (c || !any || (options & WNOHANG) || ret == -ERESTARTSYS)
			break;
	}
	if (!c) {
		spin_unlock(&tasklist_lock);
		return !any ? -ECHILD : ret;    /* 0 (WNOHANG), or -ERESTARTSYS */
	}
	if (!exited(c))
		return report_jobctl(c, ustatus, rusage);
	release_task(c);
	ret = c->tid;
	status = group_status(c);
	usage = account_reaped(c);
	spin_unlock(&tasklist_lock);
	task_free(c);
	usage_to_rusage(&usage, &ru);
	/* The pointers are written only now, as Linux does: a call that
	 * reaps nothing leaves them alone, and a bad one loses the child. */
	if ((ustatus && copy_to_user(ustatus, &status, sizeof(status))) ||
	    (rusage && copy_to_user(rusage, &ru, sizeof(ru))))
		return -EFAULT;
	return ret;
}
