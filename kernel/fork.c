/*
 * Creating tasks: fork, vfork and clone all go through copy_process, as in
 * Linux's kernel/fork.c. Ending and reaping them is exit.c.
 */
#include "kernel.h"
#include "task.h"
#include "futex.h"
#include "uapi/errno.h"
#include "fs/exec.h"
#include "fs/file.h"
#include "mm/slab.h"
#include "arch/x86/memlayout.h"
#include "param.h"
#include "mm/mm.h"
#include "sched.h"
#include "syscall.h"
#include "arch/x86/timer.h"
#include "arch/x86/trap.h"
#include "drivers/tty.h"
#include "sys.h"
#include "time.h"
#include "arch/x86/pgtable.h"

#define PID_MAX 32768

struct spinlock tasklist_lock = SPINLOCK_INIT("tasklist");
struct list_head all_tasks = LIST_HEAD_INIT(all_tasks);    /* under tasklist_lock */
static int nr_tasks;        /* tasks linked, or reserved and being made; under tasklist_lock */
static int last_tid;                                        /* under tasklist_lock */
struct task *child_reaper;                                  /* pid 1: adopts orphans */

/* Under tasklist_lock. */
struct task *find_task(int tid)
{
	struct task *t;

	assert_held(&tasklist_lock);
	for_each_task(t)
		if (t->tid == tid)
			return t;
	return NULL;
}

/* Is pid some task's id, or the id of a process group or session that
 * still has a member? Linux frees a pid only when none of these use it. */
static bool pid_in_use(int pid)
{
	struct task *t;

	for_each_task(t)
		if (t->tid == pid || t->signal->pgid == pid || t->signal->sid == pid)
			return true;
	return false;
}

/* The next unused id after the last one given, as Linux hands out pids.
 * Under tasklist_lock. */
static int alloc_tid(void)
{
	assert_held(&tasklist_lock);
	do
		last_tid = last_tid % (PID_MAX - 1) + 1;
	while (pid_in_use(last_tid));
	return last_tid;
}

void set_comm(struct task *t, const char *name)
{
	strlcpy(t->comm, name, sizeof(t->comm));
}

int count_tasks(void)
{
	return nr_tasks;
}

/* kmalloc's classes are powers of two, and one of 2048 bytes takes a
 * page of its own: a task a few bytes over 1024 cost every fork and
 * thread a page to clear and free (about 800 instructions). Look for a
 * hole (ptype /o struct task in gdb) before making it bigger. */
_Static_assert(sizeof(struct task) <= 1024, "struct task outgrew kmalloc's 1024-byte class");

/* A task with a kernel stack, and nothing else yet. */
static struct task *task_alloc(void)
{
	struct task *t = kzalloc(sizeof(*t));

	if (!t)
		return NULL;
	t->cpus_allowed = ~0UL;         /* every CPU, until sched_setaffinity */
	t->kstack = kstack_alloc();
	if (!t->kstack) {
		kfree(t);
		return NULL;
	}
	/* The user registers live at the top of the kernel stack: that is
	 * where syscall_entry and the CPU's interrupt push them. */
	t->tf = (struct trapframe *)((char *)t->kstack + KSTACK_SIZE) - 1;
	t->start_time = timer_ticks();
	sigpending_init(&t->pending);
	list_init(&t->run_node);
	list_init(&t->timer_node);
	list_init(&t->children);
	list_init(&t->sibling);
	list_init(&t->thread_group);
	list_init(&t->thread_node);
	t->group_leader = t;
	return t;
}

/* Drop the task's files and working directory (at exit, or in task_free). */
/* Give t the fd table files, and return the one it had. /proc takes a
 * task's table under tasklist_lock (and a reference): it must never find
 * one whose last reference is going. */
static struct files_struct *swap_files(struct task *t, struct files_struct *files)
{
	struct files_struct *old;

	spin_lock(&tasklist_lock);
	old = t->files;
	t->files = files;
	spin_unlock(&tasklist_lock);
	return old;
}

void exit_files_fs(struct task *t)
{
	if (t->files)       /* only t, or who frees it, changes it: no lock to look */
		files_put(swap_files(t, NULL));
	if (t->fs)
		fs_put(t->fs);
	t->fs = NULL;
}

static void signal_put(struct signal_struct *sig)
{
	if (refcount_dec_and_test(&sig->refcount)) {
		itimer_cancel(sig);
		sigpending_flush(&sig->shared_pending, sig);
		kfree(sig);
	}
}

/* The handlers stay until here: a zombie leader whose threads still run
 * must go on receiving the process's signals. */
void task_free(struct task *t)
{
	exit_files_fs(t);
	if (t->sighand)
		sighand_put(t->sighand);
	if (t->mm)
		mmput(t->mm);
	if (t->signal) {
		sigpending_flush(&t->pending, t->signal);
		signal_put(t->signal);
	}
	groups_put(t->groups);
	kstack_free(t->kstack);
	kfree(t);
}

/* ---- creation ---- */

/*
 * Each copy_* helper shares the part with the parent when its flag is set
 * (one more reference) and gives the child its own copy otherwise. This is
 * the whole difference between a process and a thread.
 */
static int copy_mm(uint64_t flags, struct task *p)
{
	if (flags & CLONE_VM) {
		mmget(current->mm);
		p->mm = current->mm;
		return 0;
	}
	p->mm = dup_mm(current->mm);
	return p->mm ? 0 : -ENOMEM;
}

static int copy_files(uint64_t flags, struct task *p)
{
	if (flags & CLONE_FILES) {
		/* LAB clone: begin (handout: return -ENOSYS;) */
		refcount_inc(&current->files->refcount);
		p->files = current->files;
		return 0;
		/* LAB clone: end */
	}
	p->files = files_dup(current->files);
	return p->files ? 0 : -ENOMEM;
}

static int copy_fs(uint64_t flags, struct task *p)
{
	if (flags & CLONE_FS) {
		/* LAB clone: begin (handout: return -ENOSYS;) */
		refcount_inc(&current->fs->refcount);
		p->fs = current->fs;
		return 0;
		/* LAB clone: end */
	}
	p->fs = fs_dup(current->fs);
	return p->fs ? 0 : -ENOMEM;
}

static int copy_sighand(uint64_t flags, struct task *p)
{
	if (flags & CLONE_SIGHAND) {
		/* LAB clone: begin (handout: return -ENOSYS;) */
		refcount_inc(&current->sighand->refcount);
		p->sighand = current->sighand;
		return 0;
		/* LAB clone: end */
	}
	p->sighand = sighand_dup(current->sighand);
	return p->sighand ? 0 : -ENOMEM;
}

/*
 * exec: the fd table and the handlers, if another process still shares
 * them (CLONE_FILES, CLONE_SIGHAND without CLONE_THREAD; our threads are
 * gone by now), become our own copies before exec closes fds and resets
 * handlers, as Linux's unshare_files and unshare_sighand. 0 or -ENOMEM.
 */
int unshare_files(void)
{
	struct task *t = current;
	struct files_struct *old = t->files, *copy;

	if (refcount_read(&old->refcount) == 1)
		return 0;
	if (!(copy = files_dup(old)))
		return -ENOMEM;
	files_put(swap_files(t, copy));
	return 0;
}

int unshare_sighand(void)
{
	struct task *t = current;
	struct sighand_struct *old = t->sighand, *copy;

	if (refcount_read(&old->refcount) == 1)
		return 0;
	if (!(copy = sighand_dup(old)))
		return -ENOMEM;
	spin_lock(&tasklist_lock);          /* senders read t->sighand under it */
	t->sighand = copy;
	spin_unlock(&tasklist_lock);
	sighand_put(old);
	return 0;
}

/* A thread joins its creator's thread group; anything else starts one. */
static int copy_signal(uint64_t flags, struct task *p)
{
	struct signal_struct *sig;

	if (flags & CLONE_THREAD) {
		refcount_inc(&current->signal->refcount);
		p->signal = current->signal;
		return 0;
	}
	sig = kzalloc(sizeof(*sig));
	if (!sig)
		return -ENOMEM;
	refcount_set(&sig->refcount, 1);
	sig->pgid = current->signal->pgid;
	sig->sid = current->signal->sid;
	spin_lock(&tasklist_lock);
	memcpy(sig->rlim, current->signal->rlim, sizeof(sig->rlim));
	spin_unlock(&tasklist_lock);
	sigpending_init(&sig->shared_pending);
	wait_queue_init(&sig->child_exit);
	wait_queue_init(&sig->exec_wait);
	wait_queue_init(&sig->stop_wait);
	p->signal = sig;
	return 0;
}

/* Flags tasklab implements. The rest (namespaces, pidfd, ptrace...) are
 * refused, never half-honoured. */
#define CLONE_SUPPORTED (CSIGNAL | CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | \
	CLONE_VFORK | CLONE_PARENT | CLONE_THREAD | CLONE_SYSVSEM | CLONE_SETTLS | \
	CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID | \
	CLONE_DETACHED | CLONE_UNTRACED)

/* Linux's rules for flag combinations (kernel/fork.c, copy_process). */
int check_clone_flags(uint64_t flags)
{
	if (flags & ~(uint64_t)CLONE_SUPPORTED)
		return -EINVAL;
	/* LAB clone: begin */
	if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND))
		return -EINVAL;         /* threads share signal handlers */
	if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM))
		return -EINVAL;         /* handlers are addresses in one mm */
	if ((flags & CLONE_PARENT) && current == child_reaper)
		return -EINVAL;         /* init has no parent to share */
	/* LAB clone: end */
	/* An exit signal with CLONE_THREAD is ignored, as by Linux's clone:
	 * a thread sends none (copy_process). */
	return 0;
}

static int copy_parts(uint64_t flags, struct task *p)
{
	int err;

	if ((err = copy_mm(flags, p)) || (err = copy_files(flags, p)) ||
	    (err = copy_fs(flags, p)) || (err = copy_sighand(flags, p)) ||
	    (err = copy_signal(flags, p)))
		return err;
	return 0;
}

/*
 * Count a task about to be made among the MAX_TASKS before anything is
 * allocated for it: at the limit, fork fails with EAGAIN (as at Linux's
 * threads-max), not with ENOMEM for want of a kernel stack, of which there
 * are exactly MAX_TASKS.
 */
static bool reserve_task(void)
{
	bool ok;

	spin_lock(&tasklist_lock);
	ok = nr_tasks < MAX_TASKS;
	if (ok)
		nr_tasks++;
	spin_unlock(&tasklist_lock);
	return ok;
}

static void unreserve_task(void)
{
	spin_lock(&tasklist_lock);
	nr_tasks--;
	spin_unlock(&tasklist_lock);
}

/*
 * What a thread library asks of the new task: its own thread-local
 * storage (CLONE_SETTLS: FS's base, a user address), and the address of
 * the word that its exit clears and futex-wakes (CLONE_CHILD_CLEARTID),
 * which thread_join and pthread_join sleep on. 0 or -EPERM.
 */
static int copy_thread_tls(const struct clone_args *args, struct task *p)
{
	p->fs_base = current->fs_base;
	if (!(args->flags & (CLONE_SETTLS | CLONE_CHILD_CLEARTID)))
		return 0;               /* fork, vfork: nothing asked */
	/* LAB clone: begin (handout: return -ENOSYS;) */
	if (args->flags & CLONE_SETTLS) {
		if (args->tls >= USER_TOP)
			return -EPERM;
		p->fs_base = args->tls;
	}
	if (args->flags & CLONE_CHILD_CLEARTID)
		p->clear_child_tid = args->child_tid;
	return 0;
	/* LAB clone: end */
}

/*
 * Tell the new task's id, before it runs, as Linux does: to the parent's
 * memory (CLONE_PARENT_SETTID) and to the child's, which is the parent's
 * only with CLONE_VM (CLONE_CHILD_SETTID).
 */
static void set_tids(const struct clone_args *args, struct task *p)
{
	/* LAB clone: begin */
	if (args->flags & CLONE_PARENT_SETTID)
		copy_to_user(args->parent_tid, &p->tid, sizeof(p->tid));
	if (args->flags & CLONE_CHILD_SETTID)
		copy_to_mm(p->mm, (uintptr_t)args->child_tid, &p->tid, sizeof(p->tid));
	/* LAB clone: end */
}

/* Put p (reserved) into the family tree and the task list. Under
 * tasklist_lock. */
static void link_task(struct task *p, uint64_t flags)
{
	assert_held(&tasklist_lock);
	p->tid = alloc_tid();
	if (flags & CLONE_THREAD) {
		p->tgid = current->tgid;
		p->group_leader = current->group_leader;
		p->parent = current->parent;
		list_add_tail(&p->thread_node, &p->group_leader->thread_group);
	} else {
		p->tgid = p->tid;
		p->parent = (flags & CLONE_PARENT) ? current->group_leader->parent : current;
		list_add_tail(&p->sibling, &p->parent->children);
	}
	p->signal->nr_threads++;
	list_add_tail(&p->all_node, &all_tasks);
}

/* Take t out of the task list: its pid is free again. Under tasklist_lock. */
void unlink_task(struct task *t)
{
	assert_held(&tasklist_lock);
	list_del(&t->all_node);
	nr_tasks--;
}

/*
 * Make a new task from the current one: the single path behind fork,
 * vfork and clone. What the child shares and what it gets a copy of is
 * decided by flags, as in Linux's copy_process.
 */
static noinline struct task *copy_process(const struct clone_args *args, long *err)
{
	uint64_t flags = args->flags;
	struct task *p;

	if ((*err = check_clone_flags(flags)))
		return NULL;
	if (!reserve_task()) {
		*err = -EAGAIN;
		return NULL;
	}
	*err = -ENOMEM;
	if (!(p = task_alloc()) || (*err = copy_parts(flags, p)) ||
	    (*err = copy_thread_tls(args, p))) {
		if (p)
			task_free(p);
		unreserve_task();
		return NULL;
	}
	set_comm(p, current->comm);
	p->blocked = current->blocked;
	if ((flags & (CLONE_VM | CLONE_VFORK)) != CLONE_VM)
		p->sas = current->sas;          /* a thread starts with no altstack */
	p->cpus_allowed = current->cpus_allowed;
	p->groups = current->groups;            /* shared: never changed */
	if (p->groups)
		refcount_inc(&p->groups->refs);
	p->exit_signal = (flags & CLONE_THREAD) ? 0 : (flags & CSIGNAL);
	fpu_save(&p->fpu);                      /* our live registers are the parent's */
	*p->tf = *current->tf;
	p->tf->rax = 0;                         /* the child's clone() returns 0 */
	if (args->stack)
		p->tf->rsp = args->stack;
	/* Its first switch returns into ret_from_fork, just below the frame. */
	p->context = (struct context *)p->tf - 1;
	*p->context = (struct context){ .rip = (uint64_t)ret_from_fork };

	spin_lock(&tasklist_lock);
	link_task(p, flags);
	spin_unlock(&tasklist_lock);
	return p;
}

/*
 * The vfork parent sleeps until the child lets go of the shared mm. The
 * sleep is killable, as Linux's wait_for_vfork_done: a killed parent takes
 * its completion (on its stack) back from the child, unless the child has
 * already taken it to complete it.
 */
static void wait_for_vfork_done(int tid, struct completion *vfork)
{
	struct task *child;
	bool taken = false;

	if (wait_for_completion_killable(vfork) == 0)
		return;
	spin_lock(&tasklist_lock);
	child = find_task(tid);
	if (child && child->vfork_done == vfork) {
		child->vfork_done = NULL;
		taken = true;
	}
	spin_unlock(&tasklist_lock);
	if (!taken)
		wait_for_completion(vfork);     /* the child is in complete(): a moment */
}

long kernel_clone(const struct clone_args *args)
{
	struct completion vfork;
	struct task *p;
	long err;
	int tid;

	p = copy_process(args, &err);
	if (!p)
		return err;
	tid = p->tid;
	set_tids(args, p);
	if (args->flags & CLONE_VFORK) {
		completion_init(&vfork);
		p->vfork_done = &vfork;
	}
	wake_up_new_task(p);
	if (args->flags & CLONE_VFORK)
		wait_for_vfork_done(tid, &vfork);
	return tid;
}

/* CLONE_CHILD_CLEARTID: tell a joining thread this one is gone. Only
 * while others share the mm: otherwise nobody is left to look. */
static void clear_child_tid(struct task *t)
{
	int zero = 0;

	if (t->clear_child_tid && refcount_read(&t->mm->users) > 1 &&
	    copy_to_user(t->clear_child_tid, &zero, sizeof(zero)) == 0)
		futex_wake((uintptr_t)t->clear_child_tid, 1);
	t->clear_child_tid = NULL;
}

/* exec or exit: t lets go of its memory (still current's). Its robust
 * futexes are released, and the clear_child_tid word is cleared, and forgotten: a new image has its own
 * (as Linux's mm_release). A vfork parent may go on: vfork_done is taken
 * under tasklist_lock, which a killed parent takes it back under
 * (wait_for_vfork_done), and completed after: completion comes before
 * tasklist in the lock order. */
void mm_release(struct task *t)
{
	struct completion *vfork;

	exit_robust_list(t);
	clear_child_tid(t);
	spin_lock(&tasklist_lock);
	vfork = t->vfork_done;
	t->vfork_done = NULL;
	spin_unlock(&tasklist_lock);
	if (vfork)
		complete(vfork);
}

long sys_fork(void)
{
	struct clone_args args = { .flags = SIGCHLD };

	return kernel_clone(&args);
}

long sys_vfork(void)
{
	struct clone_args args = { .flags = CLONE_VM | CLONE_VFORK | SIGCHLD };

	return kernel_clone(&args);
}

/* x86-64 argument order: flags, newsp, parent_tid, child_tid, tls. The
 * flags are an unsigned long, but clone(2) reads only their low 32 bits,
 * as Linux's does (clone3 is the call that rejects unknown bits). */
long sys_clone(uint64_t flags, uintptr_t newsp, int *parent_tid, int *child_tid, uint64_t tls)
{
	struct clone_args args = {
		.flags = (uint32_t)flags, .stack = newsp, .parent_tid = parent_tid,
		.child_tid = child_tid, .tls = tls,
	};

	return kernel_clone(&args);
}

/* ---- the first process ---- */

/* Task 1 starts here, in the kernel: it becomes /bin/init by exec. */
static void init_entry(void)
{
	static const char *const envp[] = { "PATH=/bin", "HOME=/", "TERM=vt100", NULL };
	const char *argv[32] = { "/bin/init" };
	long err;

	schedule_tail();
	argv[1 + params_init_argv(argv + 1, ARRAY_SIZE(argv) - 2)] = NULL;
	err = kernel_execve("/bin/init", argv, envp);
	if (err)
		panic("cannot run /bin/init (error %ld): is the initramfs loaded?", err);
	return_to_user(current->tf);
	enter_user(current->tf);
}

void start_init(void)
{
	struct task *t = task_alloc();
	struct file *console = tty_open();

	if (!t || !console || !(t->mm = mm_alloc()) || !(t->files = files_alloc()) ||
	    !(t->fs = fs_alloc("/")) || !(t->sighand = sighand_alloc()) ||
	    !(t->signal = kzalloc(sizeof(*t->signal))))
		panic("start_init: out of memory");
	for (int fd = 0; fd < 3; fd++) {
		file_get(console);
		fd_install_in(t->files, fd, console);
	}
	file_put(console);
	refcount_set(&t->signal->refcount, 1);
	t->signal->nr_threads = 1;
	t->signal->pgid = t->signal->sid = 1;
	memcpy(t->signal->rlim, init_rlimits, sizeof(t->signal->rlim));
	sigpending_init(&t->signal->shared_pending);
	wait_queue_init(&t->signal->child_exit);
	wait_queue_init(&t->signal->exec_wait);
	wait_queue_init(&t->signal->stop_wait);
	set_comm(t, "init");
	fpu_reset(&t->fpu);
	t->context = (struct context *)t->tf - 1;
	*t->context = (struct context){ .rip = (uint64_t)init_entry };
	spin_lock(&tasklist_lock);
	t->tid = t->tgid = alloc_tid();
	t->parent = t;
	list_add_tail(&t->all_node, &all_tasks);
	nr_tasks++;
	child_reaper = t;
	spin_unlock(&tasklist_lock);
	tty_set_foreground(1);
	wake_up_new_task(t);
}

long sys_set_tid_address(int *tidptr)
{
	current->clear_child_tid = tidptr;
	return current->tid;
}
