/*
 * Signals. Sending one sets a bit in the task's (or the thread group's)
 * pending set, queues an entry with its siginfo (one per real-time signal
 * sent; standard signals coalesce), and wakes the task if it sleeps
 * interruptibly. Signals act only on the way back to user mode
 * (do_signals): the default action (terminate, or ignore), or a call to
 * the program's handler on a frame pushed onto its user stack, which
 * rt_sigreturn later undoes. Stopping and continuing a process (job
 * control) is in jobctl.c; the handler's frame and rt_sigreturn are in
 * arch/x86/signal.c.
 */
#include "kernel.h"
#include "signal.h"
#include "signal_internal.h"
#include "uapi/errno.h"
#include "mm/slab.h"
#include "mm/mm.h"
#include "sched.h"
#include "syscall.h"
#include "task.h"
#include "arch/x86/trap.h"

struct sighand_struct *sighand_alloc(void)
{
	struct sighand_struct *sh = kzalloc(sizeof(*sh));

	if (sh) {
		refcount_set(&sh->refcount, 1);
		sh->lock = (struct spinlock)SPINLOCK_INIT("sighand");
	}
	return sh;
}

struct sighand_struct *sighand_dup(struct sighand_struct *old)
{
	struct sighand_struct *sh = sighand_alloc();

	if (sh) {
		spin_lock(&old->lock);
		memcpy(sh->action, old->action, sizeof(sh->action));
		spin_unlock(&old->lock);
	}
	return sh;
}

void sighand_put(struct sighand_struct *sh)
{
	if (refcount_dec_and_test(&sh->refcount))
		kfree(sh);
}

/* exec: handlers point into the old image, so they go back to SIG_DFL;
 * ignored signals stay ignored (POSIX). */
void sighand_reset_for_exec(struct sighand_struct *sh)
{
	spin_lock(&sh->lock);
	for (int i = 0; i < NSIG; i++)
		if (sh->action[i].handler != SIG_IGN)
			sh->action[i] = (struct kernel_sigaction){ 0 };
	spin_unlock(&sh->lock);
}

static uint64_t deliverable(struct task *t)
{
	return (t->pending.signal | t->signal->shared_pending.signal) &
	       ~(t->blocked & ~UNBLOCKABLE);
}

/* A stopped process's threads have something to do on the way back to
 * user mode too: stop there (do_signals). */
bool signal_pending(struct task *t)
{
	return deliverable(t) != 0 || t->signal->stopped;
}

/* Signals whose default action is to do nothing. (SIGCONT's work is done
 * as it is sent: prepare_signal.) */
static bool default_ignored(int sig)
{
	return sig == SIGCHLD || sig == SIGCONT || sig == SIGURG || sig == SIGWINCH;
}

/* Will sig, once t acts on it, end t's process? (No handler, and the
 * default action kills.) */
static bool sig_fatal(struct task *t, int sig)
{
	return sig == SIGKILL ||
	       (t->sighand && t->sighand->action[sig - 1].handler == SIG_DFL &&
		!default_ignored(sig) && !stop_signal(sig));
}

/* Does sig, not blocked, end a sleep of kind flags? A killable sleep (the
 * vfork parent's) ends only for a signal that kills, as in Linux; a
 * stopped thread's only for SIGKILL. */
static bool ends_sleep(struct task *t, int sig, int flags)
{
	return (flags & SLEEP_INTERRUPTIBLE) || ((flags & SLEEP_KILLABLE) && sig_fatal(t, sig)) ||
	       ((flags & SLEEP_WAKEKILL) && sig == SIGKILL);
}

bool sleep_interrupted(struct task *t, int flags)
{
	uint64_t set = deliverable(t);

	if ((flags & SLEEP_INTERRUPTIBLE) && t->signal && t->signal->stopped)
		return true;            /* stop first, sleep after SIGCONT */

	for (int sig = 1; set; sig++, set >>= 1)
		if ((set & 1) && ends_sleep(t, sig, flags))
			return true;
	return false;
}

/* Wake t if sig ends the sleep it is in; if t runs on another CPU, kick
 * it there. A signal it blocks stays pending without ending the sleep, as
 * in Linux (a blocked SIGCHLD does not cut a nanosleep short). */
static void signal_wake(struct task *t, int sig)
{
	if (sig != SIGKILL && (t->blocked & sigmask(sig)))
		return;
	spin_lock(&sched_lock);
	if (t->state == TASK_SLEEPING && ends_sleep(t, sig, t->sleep_flags))
		wake_up_task(t, -ERESTARTSYS);
	else
		kick_task(t);
	spin_unlock(&sched_lock);
}

/* Would t throw sig away? Then it is not even queued (as in Linux), so it
 * cannot interrupt a sleep: a parent's wait4 is not broken by SIGCHLD. A
 * blocked signal is kept: the program may change its mind before
 * unblocking. init, as on Linux, gets no signal it has no handler for:
 * `kill -9 1` does nothing. */
static bool sig_ignored(struct task *t, int sig)
{
	void *handler;

	if (!t->sighand)
		return true;            /* exiting: past caring */
	handler = t->sighand->action[sig - 1].handler;
	if (t->tgid == 1 && handler == SIG_DFL)
		return true;
	if (sig == SIGKILL || (t->blocked & sigmask(sig)))
		return false;
	return handler == SIG_IGN || (handler == SIG_DFL && default_ignored(sig));
}

/* ---- the pending sets: which signals, and the siginfo of each ---- */

/* One signal sent and not yet delivered. */
struct sigqueue {
	struct list_head node;              /* in a struct sigpending's list */
	struct kernel_siginfo info;
};

void sigpending_init(struct sigpending *p)
{
	p->signal = 0;
	list_init(&p->list);
}

/* An entry for a signal to process sig; NULL when out of memory, or when
 * a real-time signal would pass SIGQUEUE_MAX (standard signals never
 * queue more than one each, so they need no limit). */
static struct sigqueue *sigqueue_alloc(struct signal_struct *sig, int signo)
{
	int n = __atomic_add_fetch(&sig->nr_queued, 1, __ATOMIC_RELAXED);
	struct sigqueue *q = NULL;

	if (signo < SIGRTMIN || n <= SIGQUEUE_MAX)
		q = kmalloc(sizeof(*q));
	if (!q)
		__atomic_sub_fetch(&sig->nr_queued, 1, __ATOMIC_RELAXED);
	return q;
}

static void sigqueue_free(struct signal_struct *sig, struct sigqueue *q)
{
	__atomic_sub_fetch(&sig->nr_queued, 1, __ATOMIC_RELAXED);
	kfree(q);
}

void sigpending_flush(struct sigpending *p, struct signal_struct *sig)
{
	struct sigqueue *q, *next;

	list_for_each_entry_safe(q, next, &p->list, node)
		sigqueue_free(sig, q);
	sigpending_init(p);
}

/*
 * Add the signal info describes to p, a pending set of t or of t's
 * process. A standard signal already there is not added again. A
 * real-time signal queues, up to SIGQUEUE_MAX: past it, a program's
 * tkill/tgkill fails with -EAGAIN while kill's (and the kernel's) signal
 * is still sent, without its siginfo, as on Linux.
 */
static int enqueue_signal(struct task *t, struct sigpending *p, const struct kernel_siginfo *info)
{
	int sig = info->signo, ret = 0;
	struct sigqueue *q = NULL;

	if (sig >= SIGRTMIN || !(p->signal & sigmask(sig)))
		q = sigqueue_alloc(t->signal, sig);     /* kmalloc may not nest in sighand */
	spin_lock(&t->sighand->lock);
	if (sig < SIGRTMIN && (p->signal & sigmask(sig))) {
		/* already pending (maybe sent meanwhile): one is all it keeps */
	} else if (!q && sig >= SIGRTMIN && info->code < 0) {
		ret = -EAGAIN;
	} else {
		if (q) {
			q->info = *info;
			list_add_tail(&q->node, &p->list);
			q = NULL;
		}
		__atomic_or_fetch(&p->signal, sigmask(sig), __ATOMIC_RELAXED);
	}
	spin_unlock(&t->sighand->lock);
	if (q)
		sigqueue_free(t->signal, q);
	return ret;
}

/* Take sig's oldest entry off p, its siginfo into *info, and sig out of
 * the set unless another entry of it remains. Returns the entry, for the
 * caller to free once it has let go of the lock. Under sighand->lock. */
static struct sigqueue *collect_signal(struct sigpending *p, int sig, struct kernel_siginfo *info)
{
	struct sigqueue *q, *first = NULL;
	bool more = false;

	list_for_each_entry(q, &p->list, node) {
		if (q->info.signo != sig)
			continue;
		if (first) {
			more = true;
			break;
		}
		first = q;
	}
	if (first) {
		list_del(&first->node);
		*info = first->info;
	} else {        /* it was sent without its siginfo: Linux says SI_USER */
		*info = (struct kernel_siginfo){ .signo = sig, .code = SI_USER };
	}
	if (!more)
		__atomic_and_fetch(&p->signal, ~sigmask(sig), __ATOMIC_RELAXED);
	return first;
}

/* Take the signals of mask off pending set p of t's process, entries and
 * all. Under sighand->lock; the entries go to *freed, to be freed after. */
static void discard_pending(struct sigpending *p, uint64_t mask, struct list_head *freed)
{
	struct sigqueue *q, *n;

	list_for_each_entry_safe(q, n, &p->list, node) {
		if (mask & sigmask(q->info.signo)) {
			list_del(&q->node);
			list_add_tail(&q->node, freed);
		}
	}
	__atomic_and_fetch(&p->signal, ~mask, __ATOMIC_RELAXED);
}

/* ... off every pending set of t's process. Under tasklist_lock. */
void discard_group_signals(struct task *t, uint64_t mask)
{
	struct task *leader = t->group_leader, *th;
	struct list_head freed = LIST_HEAD_INIT(freed);
	struct sigqueue *q, *n;

	spin_lock(&t->sighand->lock);
	discard_pending(&t->signal->shared_pending, mask, &freed);
	discard_pending(&leader->pending, mask, &freed);
	list_for_each_entry(th, &leader->thread_group, thread_node)
		discard_pending(&th->pending, mask, &freed);
	spin_unlock(&t->sighand->lock);
	list_for_each_entry_safe(q, n, &freed, node)
		sigqueue_free(t->signal, q);
}

/* ---- sending ---- */

/* The siginfo of a signal the kernel sends. */
static struct kernel_siginfo kernel_info(int sig)
{
	return (struct kernel_siginfo){ .signo = sig, .code = SI_KERNEL };
}

/* The siginfo of a signal the current program sends: code is SI_USER
 * (kill) or SI_TKILL (tkill, tgkill). It names the sender. */
static struct kernel_siginfo sender_info(int sig, int code)
{
	return (struct kernel_siginfo){
		.signo = sig, .code = code,
		.kill = { .pid = current->tgid, .uid = 0 },     /* everyone is root */
	};
}


/* Queue a signal for t and wake it; a forced signal (a fault, or the
 * kernel ending a thread) skips the ignore rules. */
static int send_signal(struct task *t, const struct kernel_siginfo *info, bool force)
{
	int sig = info->signo, ret;

	if (sig < 1 || sig > NSIG)
		return -EINVAL;
	prepare_signal(t, sig);
	if (!force && sig_ignored(t, sig))
		return 0;
	ret = enqueue_signal(t, &t->pending, info);
	if (ret == 0)
		signal_wake(t, sig);
	return ret;
}

int send_signal_to_task(struct task *t, int sig)
{
	struct kernel_siginfo info = kernel_info(sig);

	return send_signal(t, &info, false);
}

void kill_thread(struct task *t)
{
	struct kernel_siginfo info = kernel_info(SIGKILL);

	if (t->sighand)
		send_signal(t, &info, true);
}

/* A signal for the whole process: any one thread that does not block it
 * will act on it. SIGKILL reaches them all. Under tasklist_lock. */
int send_signal_to_group_info(struct task *t, const struct kernel_siginfo *info)
{
	struct task *leader = t->group_leader, *th;
	int sig = info->signo, ret;

	assert_held(&tasklist_lock);
	if (sig < 1 || sig > NSIG)
		return -EINVAL;
	prepare_signal(leader, sig);
	if (sig_ignored(leader, sig))
		return 0;
	ret = enqueue_signal(t, &t->signal->shared_pending, info);
	if (ret)
		return ret;
	signal_wake(leader, sig);
	list_for_each_entry(th, &leader->thread_group, thread_node)
		signal_wake(th, sig);
	return 0;
}

/* Is process t (a group leader) one that kill(-pgid, ...) reaches? -1 is
 * kill(-1, ...): every process but init and the caller, as on Linux. */
static bool in_pgrp(struct task *t, int pgid)
{
	if (pgid == -1)
		return t->tgid != 1 && t->tgid != current->tgid;
	return t->signal->pgid == pgid;
}

/* Signal 0 sends nothing, but still says whether the group exists. */
static int pgrp_send_info(int pgid, const struct kernel_siginfo *info)
{
	struct task *t;
	int sent = 0;

	spin_lock(&tasklist_lock);
	for_each_task(t) {
		if (t == t->group_leader && t->signal->nr_threads > 0 && in_pgrp(t, pgid)) {
			if (info->signo)
				send_signal_to_group_info(t, info);
			sent++;
		}
	}
	spin_unlock(&tasklist_lock);
	return sent ? 0 : -ESRCH;
}

int send_signal_to_pgrp(int pgid, int sig)
{
	struct kernel_siginfo info = kernel_info(sig);

	return pgrp_send_info(pgid, &info);
}

void force_signal(int sig, int code, uintptr_t addr)
{
	struct kernel_siginfo info = { .signo = sig, .code = code, .addr = addr };
	struct task *t = current;
	struct kernel_sigaction *ka = &t->sighand->action[sig - 1];

	spin_lock(&t->sighand->lock);
	if (ka->handler == SIG_IGN || (t->blocked & sigmask(sig)))
		ka->handler = SIG_DFL;
	spin_unlock(&t->sighand->lock);
	t->blocked &= ~sigmask(sig);
	t->fault_addr = addr;
	send_signal(t, &info, true);
}

/* Take the lowest deliverable signal off t's pending sets, with its
 * siginfo; 0 if none. */
static int dequeue_signal(struct task *t, struct kernel_siginfo *info)
{
	struct sigqueue *q = NULL;
	uint64_t set;
	int sig = 0;

	spin_lock(&t->sighand->lock);
	set = deliverable(t);
	if (set) {
		sig = __builtin_ctzll(set) + 1;
		q = collect_signal(t->pending.signal & sigmask(sig) ? &t->pending
				   : &t->signal->shared_pending, sig, info);
	}
	spin_unlock(&t->sighand->lock);
	if (q)
		sigqueue_free(t->signal, q);
	return sig;
}

/* ---- interrupted system calls: EINTR or a restart ---- */

#define SYSCALL_INSN_LEN 2          /* the syscall instruction, 0f 05 */

/* The number of the system call tf returns from, or -1: tf is an
 * interrupt's or an exception's, or rt_sigreturn has put back registers
 * whose rax means nothing (Linux's orig_ax, syscall_get_nr). */
static long syscall_nr(const struct trapframe *tf)
{
	return tf->vector == TRAP_SYSCALL ? (long)tf->error : -1;
}

bool syscall_interrupted(const struct trapframe *tf)
{
	long r = tf->rax;

	return syscall_nr(tf) >= 0 && (r == -ERESTARTSYS || r == -ERESTARTNOINTR ||
				       r == -ERESTARTNOHAND || r == -ERESTART_RESTARTBLOCK);
}

/* Back up over the syscall instruction with nr in rax: the program runs
 * it again, with the arguments still in their registers. */
static void syscall_again(struct trapframe *tf, long nr)
{
	tf->rax = nr;
	tf->rip -= SYSCALL_INSN_LEN;
}

/* A handler is about to run: the interrupted call fails with EINTR, unless
 * it says it may go on after one (with SA_RESTART for -ERESTARTSYS). */
static void restart_before_handler(struct trapframe *tf, const struct kernel_sigaction *ka)
{
	long r = tf->rax;

	if (!syscall_interrupted(tf))
		return;
	if (r == -ERESTARTNOINTR || (r == -ERESTARTSYS && (ka->flags & SA_RESTART)))
		syscall_again(tf, syscall_nr(tf));
	else
		tf->rax = -EINTR;
}

/* No handler runs (the signal was ignored, or another thread took it): the
 * call goes on as if nothing happened; a sleep with a deadline through
 * restart_syscall, which resumes it from current->restart_block. */
static void restart_without_handler(struct trapframe *tf)
{
	if (!syscall_interrupted(tf))
		return;
	syscall_again(tf, (long)tf->rax == -ERESTART_RESTARTBLOCK ? NR_restart_syscall : syscall_nr(tf));
}

/* rt_sigreturn: the registers are the program's own again, and nothing
 * interrupted is left to resume (Linux does the same). */
void forget_interrupted_syscall(struct task *t, struct trapframe *tf)
{
	tf->error = -1;
	t->restart_block.fn = NULL;
}

void do_signals(struct trapframe *tf)
{
	struct task *t = current;
	struct kernel_siginfo info;
	int sig;

	for (;;) {
		struct kernel_sigaction ka;

		stop_while_stopped(t);
		if (!(sig = dequeue_signal(t, &info)))
			break;

		spin_lock(&t->sighand->lock);
		ka = t->sighand->action[sig - 1];
		if (ka.flags & SA_RESETHAND)
			t->sighand->action[sig - 1].handler = SIG_DFL;
		spin_unlock(&t->sighand->lock);

		if (sig == SIGKILL || ka.handler == SIG_DFL) {
			if (sig != SIGKILL && default_ignored(sig))
				continue;
			if (sig != SIGKILL && stop_signal(sig)) {
				group_stop(t, sig);     /* and stop at the loop's top */
				continue;
			}
			do_group_exit(sig);     /* the wait status of a death by signal */
		}
		if (ka.handler == SIG_IGN)
			continue;
		restart_before_handler(tf, &ka);    /* the frame saves rip and rax */
		if (setup_signal_frame(tf, &info, &ka) < 0)
			do_group_exit(SIGSEGV); /* no room for the frame: Linux does the same */
		return;                         /* one handler at a time */
	}
	restart_without_handler(tf);
	if (t->restore_sigmask) {       /* no handler ran: the caller's mask is back */
		t->restore_sigmask = false;
		t->blocked = t->saved_sigmask;
	}
}

/* ---- the alternate signal stack (sigaltstack) ---- */

/* Is sp on t's alternate stack? Not while SS_AUTODISARM has it forgotten
 * for a handler that runs on it (Linux's on_sig_stack). */
static bool on_sig_stack(struct task *t, uintptr_t sp)
{
	if (t->sas.flags & SS_AUTODISARM)
		return false;
	return sp > t->sas.sp && sp - t->sas.sp <= t->sas.size;
}

/* What sigaltstack reports of it, seen from sp: SS_DISABLE if there is
 * none, SS_ONSTACK if sp is on it, else 0 (Linux's sas_ss_flags). */
int sas_ss_flags(struct task *t, uintptr_t sp)
{
	if (!t->sas.size)
		return SS_DISABLE;
	return on_sig_stack(t, sp) ? SS_ONSTACK : 0;
}

/* The checks and the change of sigaltstack, for the system call and for
 * rt_sigreturn; sp is the program's stack pointer. 0 or -errno. */
int set_altstack(struct task *t, const struct sigstack *ss, uintptr_t sp)
{
	int mode = ss->flags & ~SS_AUTODISARM;

	if (on_sig_stack(t, sp))
		return -EPERM;          /* not while a handler runs on it */
	if (mode != SS_DISABLE && mode != SS_ONSTACK && mode != 0)
		return -EINVAL;
	if (mode == SS_DISABLE) {
		t->sas = (struct sigstack){ 0 };
		return 0;
	}
	if (ss->size < MINSIGSTKSZ)
		return -ENOMEM;
	t->sas = (struct sigstack){ .sp = ss->sp, .size = ss->size,
				    .flags = ss->flags & SS_AUTODISARM };
	return 0;
}

/* The alternate stack as sigaltstack reports it and a frame saves it. */
struct sigstack altstack_of(struct task *t, uintptr_t sp)
{
	return (struct sigstack){ .sp = t->sas.sp, .size = t->sas.size,
				  .flags = sas_ss_flags(t, sp) | (t->sas.flags & SS_AUTODISARM) };
}

long sys_sigaltstack(const struct sigstack *uss, struct sigstack *uold)
{
	struct task *t = current;
	struct sigstack ss, old = altstack_of(t, t->tf->rsp);
	int err = 0;

	if (uss && copy_from_user(&ss, uss, sizeof(ss)))
		return -EFAULT;
	if (uss)
		err = set_altstack(t, &ss, t->tf->rsp);
	if (!err && uold && copy_to_user(uold, &old, sizeof(old)))
		return -EFAULT;
	return err;
}

/* A new thread sharing the mm (not a vfork child) would share the stack
 * too: it starts without one, as on Linux. exec forgets it. */
void reset_altstack(struct task *t)
{
	t->sas = (struct sigstack){ 0 };
}

long sys_rt_sigaction(int sig, const struct kernel_sigaction *uact, struct kernel_sigaction *uold,
		      size_t sigsetsize)
{
	struct sighand_struct *sh = current->sighand;
	struct kernel_sigaction act, old;

	if (sigsetsize != sizeof(uint64_t) || sig < 1 || sig > NSIG)
		return -EINVAL;
	if (uact && (sig == SIGKILL || sig == SIGSTOP))
		return -EINVAL;
	if (uact && copy_from_user(&act, uact, sizeof(act)))
		return -EFAULT;
	spin_lock(&sh->lock);
	old = sh->action[sig - 1];
	if (uact)
		sh->action[sig - 1] = act;
	spin_unlock(&sh->lock);
	if (uold && copy_to_user(uold, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

long sys_rt_sigprocmask(int how, const uint64_t *uset, uint64_t *uold, size_t sigsetsize)
{
	struct task *t = current;
	uint64_t set, old = t->blocked;

	if (sigsetsize != sizeof(uint64_t))
		return -EINVAL;
	if (uset) {
		if (copy_from_user(&set, uset, sizeof(set)))
			return -EFAULT;
		if (how == SIG_BLOCK)
			t->blocked |= set;
		else if (how == SIG_UNBLOCK)
			t->blocked &= ~set;
		else if (how == SIG_SETMASK)
			t->blocked = set;
		else
			return -EINVAL;
		t->blocked &= ~UNBLOCKABLE;
	}
	if (uold && copy_to_user(uold, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

/* SIGKILL every thread of t's process but t. Under tasklist_lock. */
void zap_other_threads(struct task *t)
{
	struct task *leader = t->group_leader, *th;

	assert_held(&tasklist_lock);
	if (t != leader)
		kill_thread(leader);
	list_for_each_entry(th, &leader->thread_group, thread_node)
		if (th != t)
			kill_thread(th);
}

long sys_kill(int pid, int sig)
{
	struct task *t;
	struct kernel_siginfo info = sender_info(sig, SI_USER);
	long ret = -ESRCH;

	if (sig < 0 || sig > NSIG)
		return -EINVAL;
	if (pid <= 0)       /* 0: our process group; -1: everyone we may; -N: group N */
		return pgrp_send_info(pid == 0 ? current->signal->pgid : pid == -1 ? -1 : -pid,
				      &info);
	spin_lock(&tasklist_lock);
	t = find_task(pid);         /* any thread's id names its whole process */
	if (t && t->state != TASK_DEAD) {
		ret = 0;            /* a zombie still owns its pid; a signal does nothing */
		if (sig && t->signal->nr_threads > 0)
			ret = send_signal_to_group_info(t, &info);
	}
	spin_unlock(&tasklist_lock);
	return ret;
}

/* Signal one thread, tid, if it belongs to process tgid (0: any). A
 * leader that has exited while its threads live on is a zombie that
 * still owns its tid: Linux finds it, and sig 0 succeeds. */
static long signal_thread(int tgid, int tid, int sig)
{
	struct kernel_siginfo info = sender_info(sig, SI_TKILL);
	struct task *t;
	long ret = -ESRCH;

	if (tid <= 0 || sig < 0 || sig > NSIG)
		return -EINVAL;
	spin_lock(&tasklist_lock);
	t = find_task(tid);
	if (t && (!tgid || t->tgid == tgid) && t->state != TASK_DEAD)
		ret = sig ? send_signal(t, &info, false) : 0;
	spin_unlock(&tasklist_lock);
	return ret;
}

long sys_tgkill(int tgid, int tid, int sig)
{
	return tgid <= 0 ? -EINVAL : signal_thread(tgid, tid, sig);
}

long sys_tkill(int tid, int sig)
{
	return signal_thread(0, tid, sig);
}

/* Sleep until a signal comes. Only a handler ends the call: a signal that
 * runs none restarts it (-ERESTARTNOHAND). */
static long sleep_for_signal(void)
{
	while (wait_sleep(NULL, NULL, 0, SLEEP_INTERRUPTIBLE) != -ERESTARTSYS)
		;
	return -ERESTARTNOHAND;
}

long sys_pause(void)
{
	return sleep_for_signal();
}

void set_temporary_sigmask(uint64_t mask)
{
	struct task *t = current;

	t->saved_sigmask = t->blocked;
	t->restore_sigmask = true;
	t->blocked = mask & ~UNBLOCKABLE;
}

void restore_sigmask_unless(bool interrupted)
{
	struct task *t = current;

	if (t->restore_sigmask && !interrupted) {
		t->restore_sigmask = false;
		t->blocked = t->saved_sigmask;
	}
}

/* Wait for a signal under a mask of the caller's choosing, set and slept
 * on at once: no signal can come in between, as between sigprocmask and
 * pause. The caller's mask comes back after the handler (do_signals puts
 * the saved one in the frame), so the handler runs under the new one. */
long sys_rt_sigsuspend(const uint64_t *umask, size_t sigsetsize)
{
	uint64_t mask;

	if (sigsetsize != sizeof(mask))
		return -EINVAL;
	if (copy_from_user(&mask, umask, sizeof(mask)))
		return -EFAULT;
	set_temporary_sigmask(mask);
	return sleep_for_signal();
}

long sys_restart_syscall(void)
{
	struct restart_block *rb = &current->restart_block;
	long (*fn)(struct restart_block *) = rb->fn;

	rb->fn = NULL;          /* fn sets it again if interrupted again */
	return fn ? fn(rb) : -EINTR;
}
