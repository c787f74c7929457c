/*
 * Signals. Sending one sets a bit in the task's (or the thread group's)
 * pending set, queues an entry with its siginfo (one per real-time signal
 * sent; standard signals coalesce), and wakes the task if it sleeps
 * interruptibly. Signals act only on the way back to user mode
 * (do_signals): the default action (terminate, or ignore), or a call to
 * the program's handler on a frame pushed onto its user stack, which
 * rt_sigreturn later undoes.
 */
#include "kernel.h"
#include "signal.h"
#include "uapi/errno.h"
#include "mm/slab.h"
#include "mm/mm.h"
#include "sched.h"
#include "syscall.h"
#include "task.h"
#include "arch/x86/trap.h"

#define UNBLOCKABLE (sigmask(SIGKILL) | sigmask(SIGSTOP))
/* The signals whose default action stops the process (job control). */
#define STOP_SIGNALS (sigmask(SIGSTOP) | sigmask(SIGTSTP) | sigmask(SIGTTIN) | sigmask(SIGTTOU))

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

static bool stop_signal(int sig)
{
	return STOP_SIGNALS & sigmask(sig);
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

/* ---- job control: stopping and continuing a process ---- */

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
static void discard_group_signals(struct task *t, uint64_t mask)
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
static void prepare_signal(struct task *t, int sig)
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
static void group_stop(struct task *t, int sig)
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
static void stop_while_stopped(struct task *t)
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

static int setup_signal_frame(struct trapframe *tf, const struct kernel_siginfo *info,
			      const struct kernel_sigaction *ka);

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
static void forget_interrupted_syscall(struct task *t, struct trapframe *tf)
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

/* ---- handlers: the frame on the user stack (Linux's layout) ---- */

struct sigcontext {
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
	uint16_t cs, gs, fs, ss;
	uint64_t err, trapno, oldmask, cr2;
	uint64_t fpstate;           /* user address of the saved FPU/SSE state */
	uint64_t reserved[8];
};

struct ucontext {
	uint64_t uc_flags, uc_link;
	struct sigstack uc_stack;
	struct sigcontext mcontext;
	uint64_t sigmask;
};

struct siginfo {
	struct kernel_siginfo head;
	uint8_t rest[128 - sizeof(struct kernel_siginfo)];
};

struct rt_sigframe {
	uint64_t restorer;          /* the handler's return address: calls rt_sigreturn */
	struct ucontext uc;
	struct siginfo info;
};

#define RED_ZONE   128              /* the ABI lets leaf code use 128 bytes below rsp */
#define USER_RFLAGS 0x40dd5         /* flags a program may set: CF PF AF ZF SF TF DF OF AC */

static void save_sigcontext(struct sigcontext *sc, const struct trapframe *tf)
{
	*sc = (struct sigcontext){
		.r8 = tf->r8, .r9 = tf->r9, .r10 = tf->r10, .r11 = tf->r11,
		.r12 = tf->r12, .r13 = tf->r13, .r14 = tf->r14, .r15 = tf->r15,
		.rdi = tf->rdi, .rsi = tf->rsi, .rbp = tf->rbp, .rbx = tf->rbx,
		.rdx = tf->rdx, .rax = tf->rax, .rcx = tf->rcx, .rsp = tf->rsp,
		.rip = tf->rip, .eflags = tf->rflags, .cs = tf->cs, .ss = tf->ss,
		.trapno = tf->vector,
		.err = tf->vector == TRAP_SYSCALL ? 0 : tf->error,     /* not orig_ax */
	};
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
static int sas_ss_flags(struct task *t, uintptr_t sp)
{
	if (!t->sas.size)
		return SS_DISABLE;
	return on_sig_stack(t, sp) ? SS_ONSTACK : 0;
}

/* Where a handler's frame goes below: under the red zone of the stack in
 * use, or the top of the alternate stack for an SA_ONSTACK handler when
 * one is set up and not already in use (as Linux's get_sigframe). *alt
 * says whether the frame must then fit on the alternate stack. */
static uintptr_t frame_top(struct task *t, uintptr_t sp, const struct kernel_sigaction *ka,
			   bool *alt)
{
	*alt = sas_ss_flags(t, sp) == SS_ONSTACK;
	if ((ka->flags & SA_ONSTACK) && sas_ss_flags(t, sp) == 0) {
		*alt = true;
		return t->sas.sp + t->sas.size;
	}
	return sp - RED_ZONE;
}

/* The checks and the change of sigaltstack, for the system call and for
 * rt_sigreturn; sp is the program's stack pointer. 0 or -errno. */
static int set_altstack(struct task *t, const struct sigstack *ss, uintptr_t sp)
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
static struct sigstack altstack_of(struct task *t, uintptr_t sp)
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

static int setup_signal_frame(struct trapframe *tf, const struct kernel_siginfo *info,
			      const struct kernel_sigaction *ka)
{
	int sig = info->signo;
	struct task *t = current;
	struct rt_sigframe frame = { 0 };
	uintptr_t fx, sp, top;
	bool alt;

	if (!(ka->flags & SA_RESTORER))
		return -EFAULT;         /* x86-64 programs must say how to return */
	top = frame_top(t, tf->rsp, ka, &alt);
	fx = ALIGN_DOWN(top - sizeof(t->fpu), 64);
	sp = ALIGN_DOWN(fx - sizeof(frame), 16) - 8;    /* as if called: rsp+8 aligned */
	if (alt && !(sp > t->sas.sp && sp - t->sas.sp <= t->sas.size))
		return -EFAULT;         /* it would overflow the alternate stack */
	fpu_save(&t->fpu);
	frame.restorer = (uint64_t)ka->restorer;
	save_sigcontext(&frame.uc.mcontext, tf);
	frame.uc.mcontext.fpstate = fx;
	frame.uc.mcontext.cr2 = t->fault_addr;
	/* after rt_sigsuspend, the mask to come back to is the caller's own */
	frame.uc.sigmask = t->restore_sigmask ? t->saved_sigmask : t->blocked;
	frame.uc.uc_stack = altstack_of(t, tf->rsp);
	frame.info.head = *info;
	if (copy_to_user((void *)fx, &t->fpu, sizeof(t->fpu)) ||
	    copy_to_user((void *)sp, &frame, sizeof(frame)))
		return -EFAULT;
	t->restore_sigmask = false;     /* the frame has it */
	if (t->sas.flags & SS_AUTODISARM)
		reset_altstack(t);      /* until rt_sigreturn puts it back */
	/* The handler starts with a clean FPU, as on Linux: no x87 exception
	 * left pending (SIGFPE's) to raise #MF again at its first x87 use. */
	fpu_reset(&t->fpu);
	fpu_restore(&t->fpu);
	tf->rsp = sp;
	tf->rip = (uint64_t)ka->handler;
	tf->rdi = sig;
	tf->rsi = sp + offsetof(struct rt_sigframe, info);
	tf->rdx = sp + offsetof(struct rt_sigframe, uc);
	tf->rax = 0;
	tf->rflags &= ~(1 << 8 | 1 << 10);      /* TF, DF: a clean start for the handler */
	t->blocked |= ka->mask | (ka->flags & SA_NODEFER ? 0 : sigmask(sig));
	t->blocked &= ~UNBLOCKABLE;
	return 0;
}

/* Load the FPU/SSE state a handler's frame holds at user address u. A
 * handler may set the pointer to NULL: then, as on Linux, the registers
 * start afresh (the state after reset). */
static int fpu_load_user(struct task *t, uintptr_t u)
{
	struct fpu f;

	if (!u)
		fpu_reset(&f);
	else if (copy_from_user(&f, (void *)u, sizeof(f)) || !fpu_valid(&f))
		return -EFAULT;
	t->fpu = f;
	fpu_restore(&t->fpu);
	return 0;
}

long sys_rt_sigreturn(void)
{
	struct task *t = current;
	struct trapframe *tf = t->tf;
	uintptr_t frame = tf->rsp - 8;          /* the handler's ret popped `restorer` */
	struct ucontext uc;
	struct sigcontext *sc = &uc.mcontext;

	if (copy_from_user(&uc, (void *)(frame + offsetof(struct rt_sigframe, uc)), sizeof(uc)) ||
	    fpu_load_user(t, sc->fpstate) < 0) {
		force_signal(SIGSEGV, SI_KERNEL, frame);
		return -EFAULT;
	}
	tf->r8 = sc->r8; tf->r9 = sc->r9; tf->r10 = sc->r10; tf->r11 = sc->r11;
	tf->r12 = sc->r12; tf->r13 = sc->r13; tf->r14 = sc->r14; tf->r15 = sc->r15;
	tf->rdi = sc->rdi; tf->rsi = sc->rsi; tf->rbp = sc->rbp; tf->rbx = sc->rbx;
	tf->rdx = sc->rdx; tf->rax = sc->rax; tf->rcx = sc->rcx; tf->rsp = sc->rsp;
	tf->rip = sc->rip;
	/* The program may not give itself kernel privilege or disable interrupts. */
	tf->rflags = (tf->rflags & ~USER_RFLAGS) | (sc->eflags & USER_RFLAGS);
	tf->cs = USER_CS;
	tf->ss = USER_DS;
	t->blocked = uc.sigmask & ~UNBLOCKABLE;
	/* As Linux: the stack the frame saved is set again (what undoes
	 * SS_AUTODISARM); an error other than a bad frame is no matter. */
	set_altstack(t, &uc.uc_stack, tf->rsp);
	forget_interrupted_syscall(t, tf);
	return tf->rax;
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
