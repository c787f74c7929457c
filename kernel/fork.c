/*
 * Tasks: creating them (fork, vfork and clone all go through
 * copy_process), ending them (exit, exit_group) and reaping them (wait4).
 */
#include "kernel.h"
#include "task.h"
#include "uapi/errno.h"
#include "fs/exec.h"
#include "fs/file.h"
#include "futex.h"
#include "mm/slab.h"
#include "arch/x86/memlayout.h"
#include "param.h"
#include "mm/mm.h"
#include "sched.h"
#include "syscall.h"
#include "arch/x86/trap.h"
#include "drivers/tty.h"
#include "arch/x86/pgtable.h"

#define PID_MAX 32768
#define RUSAGE_SIZE 144         /* Linux's struct rusage on x86-64 */

struct spinlock tasklist_lock = SPINLOCK_INIT("tasklist");
struct list_head all_tasks = LIST_HEAD_INIT(all_tasks);    /* under tasklist_lock */
static int nr_tasks;                                        /* under tasklist_lock */
static int last_tid;                                        /* under tasklist_lock */
static struct task *init_task;                              /* pid 1: adopts orphans */

/* Under tasklist_lock. */
struct task *find_task(int tid)
{
	struct task *t;

	for_each_task(t)
		if (t->tid == tid)
			return t;
	return NULL;
}

/* The next unused id after the last one given, as Linux hands out pids. */
static int alloc_tid(void)
{
	do
		last_tid = last_tid % (PID_MAX - 1) + 1;
	while (find_task(last_tid));
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

/* A task with a kernel stack, and nothing else yet. */
static struct task *task_alloc(void)
{
	struct task *t = kzalloc(sizeof(*t));

	if (!t)
		return NULL;
	t->kstack = kstack_alloc();
	if (!t->kstack) {
		kfree(t);
		return NULL;
	}
	/* The user registers live at the top of the kernel stack: that is
	 * where syscall_entry and the CPU's interrupt push them. */
	t->tf = (struct trapframe *)((char *)t->kstack + KSTACK_SIZE) - 1;
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
static void exit_files_fs(struct task *t)
{
	if (t->files)
		files_put(t->files);
	if (t->fs)
		fs_put(t->fs);
	t->files = NULL;
	t->fs = NULL;
}

static void signal_put(struct signal_struct *sig)
{
	if (__atomic_sub_fetch(&sig->refcount, 1, __ATOMIC_ACQ_REL) == 0)
		kfree(sig);
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
	if (t->signal)
		signal_put(t->signal);
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
		__atomic_add_fetch(&current->files->refcount, 1, __ATOMIC_RELAXED);
		p->files = current->files;
		return 0;
	}
	p->files = files_dup(current->files);
	return p->files ? 0 : -ENOMEM;
}

static int copy_fs(uint64_t flags, struct task *p)
{
	if (flags & CLONE_FS) {
		__atomic_add_fetch(&current->fs->refcount, 1, __ATOMIC_RELAXED);
		p->fs = current->fs;
		return 0;
	}
	p->fs = fs_dup(current->fs);
	return p->fs ? 0 : -ENOMEM;
}

static int copy_sighand(uint64_t flags, struct task *p)
{
	if (flags & CLONE_SIGHAND) {
		__atomic_add_fetch(&current->sighand->refcount, 1, __ATOMIC_RELAXED);
		p->sighand = current->sighand;
		return 0;
	}
	p->sighand = sighand_dup(current->sighand);
	return p->sighand ? 0 : -ENOMEM;
}

/* A thread joins its creator's thread group; anything else starts one. */
static int copy_signal(uint64_t flags, struct task *p)
{
	struct signal_struct *sig;

	if (flags & CLONE_THREAD) {
		__atomic_add_fetch(&current->signal->refcount, 1, __ATOMIC_RELAXED);
		p->signal = current->signal;
		return 0;
	}
	sig = kzalloc(sizeof(*sig));
	if (!sig)
		return -ENOMEM;
	sig->refcount = 1;
	sig->pgid = current->signal->pgid;
	sig->sid = current->signal->sid;
	wait_queue_init(&sig->child_exit);
	wait_queue_init(&sig->exec_wait);
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
	if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND))
		return -EINVAL;         /* threads share signal handlers */
	if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM))
		return -EINVAL;         /* handlers are addresses in one mm */
	if ((flags & CLONE_PARENT) && current == init_task)
		return -EINVAL;         /* init has no parent to share */
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

/* Put p into the family tree and the task list. Under tasklist_lock. */
static void link_task(struct task *p, uint64_t flags)
{
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
	nr_tasks++;
}

/* Take t out of the task list: its pid is free again. Under tasklist_lock. */
static void unlink_task(struct task *t)
{
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
	if ((flags & CLONE_SETTLS) && args->tls >= USER_TOP) {
		*err = -EPERM;
		return NULL;
	}
	*err = -ENOMEM;
	if (!(p = task_alloc()))
		return NULL;
	if ((*err = copy_parts(flags, p))) {
		task_free(p);
		return NULL;
	}
	set_comm(p, current->comm);
	p->blocked = current->blocked;
	p->exit_signal = (flags & CLONE_THREAD) ? 0 : (flags & CSIGNAL);
	p->fs_base = (flags & CLONE_SETTLS) ? args->tls : current->fs_base;
	fpu_save(&p->fpu);                      /* our live registers are the parent's */
	*p->tf = *current->tf;
	p->tf->rax = 0;                         /* the child's clone() returns 0 */
	if (args->stack)
		p->tf->rsp = args->stack;
	if (flags & CLONE_CHILD_CLEARTID)
		p->clear_child_tid = args->child_tid;
	/* Its first switch returns into ret_from_fork, just below the frame. */
	p->context = (struct context *)p->tf - 1;
	*p->context = (struct context){ .rip = (uint64_t)ret_from_fork };

	spin_lock(&tasklist_lock);
	if (nr_tasks >= MAX_TASKS) {
		spin_unlock(&tasklist_lock);
		task_free(p);
		*err = -EAGAIN;
		return NULL;
	}
	link_task(p, flags);
	spin_unlock(&tasklist_lock);
	return p;
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
	/* Both ids are written before the child runs, as Linux does. */
	if (args->flags & CLONE_PARENT_SETTID)
		copy_to_user(args->parent_tid, &tid, sizeof(tid));
	if (args->flags & CLONE_CHILD_SETTID)
		copy_to_mm(p->mm, (uintptr_t)args->child_tid, &tid, sizeof(tid));
	if (args->flags & CLONE_VFORK) {
		completion_init(&vfork);
		p->vfork_done = &vfork;
	}
	wake_up_new_task(p);
	/* The vfork parent sleeps until the child lets go of the shared mm. */
	if (args->flags & CLONE_VFORK)
		wait_for_completion(&vfork);
	return tid;
}

/* exec or exit: a vfork child is done with its parent's memory. */
void mm_release(struct task *t)
{
	if (t->vfork_done) {
		complete(t->vfork_done);
		t->vfork_done = NULL;
	}
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

/* x86-64 argument order: flags, newsp, parent_tid, child_tid, tls. */
long sys_clone(uint64_t flags, uintptr_t newsp, int *parent_tid, int *child_tid, uint64_t tls)
{
	struct clone_args args = {
		.flags = flags, .stack = newsp, .parent_tid = parent_tid,
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
	t->signal->refcount = 1;
	t->signal->nr_threads = 1;
	t->signal->pgid = t->signal->sid = 1;
	wait_queue_init(&t->signal->child_exit);
	wait_queue_init(&t->signal->exec_wait);
	set_comm(t, "init");
	fpu_reset(&t->fpu);
	t->context = (struct context *)t->tf - 1;
	*t->context = (struct context){ .rip = (uint64_t)init_entry };
	spin_lock(&tasklist_lock);
	t->tid = t->tgid = alloc_tid();
	t->parent = t;
	list_add_tail(&t->all_node, &all_tasks);
	nr_tasks++;
	init_task = t;
	spin_unlock(&tasklist_lock);
	tty_set_foreground(1);
	wake_up_new_task(t);
}

/* ---- exit ---- */

/* A wait status (Linux's encoding) as a shell's exit code: 128+N for
 * death by signal N. */
static int status_to_code(int status)
{
	return (status & 0x7f) ? 128 + (status & 0x7f) : (status >> 8) & 0xff;
}

/* CLONE_CHILD_CLEARTID: tell a joining thread this one is gone. Only
 * while others share the mm: otherwise nobody is left to look. */
static void clear_child_tid(struct task *t)
{
	int zero = 0;

	if (t->clear_child_tid && t->mm->users > 1 &&
	    copy_to_user(t->clear_child_tid, &zero, sizeof(zero)) == 0)
		futex_wake((uintptr_t)t->clear_child_tid, 1);
	t->clear_child_tid = NULL;
}

static void exit_mm(struct task *t)
{
	struct mm *mm = t->mm;

	clear_child_tid(t);
	mm_release(t);
	spin_lock(&tasklist_lock);          /* /proc looks at t->mm under it */
	t->mm = NULL;
	spin_unlock(&tasklist_lock);
	mmput(mm);
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
	return init_task;
}

/* Under tasklist_lock. */
static void reparent_children(struct task *t)
{
	struct task *c, *n, *reaper = find_new_reaper(t);
	bool zombies = false;

	list_for_each_entry_safe(c, n, &t->children, sibling) {
		list_del(&c->sibling);
		c->parent = reaper;
		list_add_tail(&c->sibling, &reaper->children);
		zombies |= c->state == TASK_ZOMBIE;
	}
	if (zombies)
		wake_up(&reaper->signal->child_exit);
}

/* SIGKILL every thread of t's process but t. Under tasklist_lock. */
static void zap_other_threads(struct task *t)
{
	struct task *leader = t->group_leader, *th;

	if (t != leader)
		kill_thread(leader);
	list_for_each_entry(th, &leader->thread_group, thread_node)
		if (th != t)
			kill_thread(th);
}

/* The whole group is gone: the parent may now reap the leader. */
static void notify_parent(struct task *leader)
{
	struct task *parent = leader->parent;

	if (leader->exit_signal)
		send_signal_to_group(parent, leader->exit_signal);
	wake_up(&parent->signal->child_exit);
}

void do_exit(int status)
{
	struct task *t = current, *leader = t->group_leader;

	if (t == init_task) {
		printk("tasklab: init exited with status %d, powering off\n", status_to_code(status));
		poweroff(status_to_code(status));
	}
	exit_mm(t);
	exit_files_fs(t);
	spin_lock(&tasklist_lock);
	reparent_children(t);
	if (t->signal->group_exiting)
		status = t->signal->group_exit_code;
	t->exit_code = status;
	bool last = --t->signal->nr_threads == 0;
	if (t == leader) {
		t->state = TASK_ZOMBIE;         /* keeps its pid until wait4 reaps it */
	} else {
		unlink_task(t);
		list_del(&t->thread_node);
		t->state = TASK_DEAD;           /* freed after the switch away */
	}
	if (last)
		notify_parent(leader);
	else if (t->signal->exec_task && t->signal->nr_threads == 1)
		wake_up(&t->signal->exec_wait);         /* de_thread may go on */
	spin_unlock(&tasklist_lock);
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

/*
 * The thread that called execve takes the place of its group leader: the
 * leader's pid, parent and place among the parent's children, so the
 * parent still sees one process. The old leader (a zombie by now) is
 * released. Under tasklist_lock.
 */
static void take_leader_place(struct task *t, struct task *leader)
{
	int tid = leader->tid;

	leader->tid = t->tid;
	t->tid = tid;
	list_del(&t->thread_node);
	list_init(&t->thread_group);
	t->group_leader = t;
	t->parent = leader->parent;
	t->exit_signal = leader->exit_signal;
	list_del(&leader->sibling);
	list_add_tail(&t->sibling, &t->parent->children);
	unlink_task(leader);
	leader->state = TASK_DEAD;
}

/*
 * execve in a multi-threaded process: every other thread dies first, as
 * in Linux's de_thread. Returns 0, or -EAGAIN if the process is already
 * exiting.
 */
int de_thread(void)
{
	struct task *t = current, *old_leader = NULL;
	struct signal_struct *sig = t->signal;

	spin_lock(&tasklist_lock);
	if (sig->nr_threads == 1 && t == t->group_leader) {
		spin_unlock(&tasklist_lock);
		return 0;
	}
	if (sig->group_exiting || sig->exec_task) {
		spin_unlock(&tasklist_lock);
		return -EAGAIN;
	}
	sig->exec_task = t;
	zap_other_threads(t);
	while (sig->nr_threads > 1)
		wait_sleep(&sig->exec_wait, &tasklist_lock, 0, 0);
	if (t != t->group_leader) {
		old_leader = t->group_leader;
		take_leader_place(t, old_leader);
	}
	sig->exec_task = NULL;
	spin_unlock(&tasklist_lock);
	if (old_leader)
		task_free(old_leader);
	return 0;
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

/* A child of th that wait4's pid selects; a zombie whose whole group has
 * exited is returned, *any says whether there is a match at all. */
static struct task *reapable_child(struct task *th, int pid, bool *any)
{
	struct task *c;

	list_for_each_entry(c, &th->children, sibling) {
		if (!wait_matches(c, pid))
			continue;
		*any = true;
		if (c->state == TASK_ZOMBIE && c->signal->nr_threads == 0)
			return c;
	}
	return NULL;
}

/* Any thread may wait for the children of every thread of its process.
 * Under tasklist_lock. */
static struct task *find_reapable(int pid, bool *any)
{
	struct task *leader = current->group_leader, *th, *c;

	*any = false;
	if ((c = reapable_child(leader, pid, any)))
		return c;
	list_for_each_entry(th, &leader->thread_group, thread_node)
		if ((c = reapable_child(th, pid, any)))
			return c;
	return NULL;
}

long sys_wait4(int pid, int *ustatus, int options, void *rusage)
{
	struct task *c;
	bool any;
	int status, zero = 0;
	long ret;

	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WALL | __WCLONE))
		return -EINVAL;
	/* Check the pointers before reaping: a bad one loses no child. No
	 * resource accounting: the struct rusage reads as all zeros. */
	if ((ustatus && copy_to_user(ustatus, &zero, sizeof(zero))) ||
	    (rusage && copy_to_user(rusage, &(char[RUSAGE_SIZE]){ 0 }, RUSAGE_SIZE)))
		return -EFAULT;
	spin_lock(&tasklist_lock);
	/* Look again after every wake-up, a signal's too: the SIGCHLD that
	 * woke us may come with the very zombie we wait for. */
	for (ret = 0; ; ret = wait_sleep(&current->signal->child_exit, &tasklist_lock, 0,
					 SLEEP_INTERRUPTIBLE)) {
		c = find_reapable(pid, &any);
		if (c || !any || (options & WNOHANG) || ret == -EINTR)
			break;
	}
	if (!c) {
		spin_unlock(&tasklist_lock);
		return !any ? -ECHILD : ret == -EINTR ? -EINTR : 0;
	}
	/* One CPU: a zombie has switched away for good before its parent
	 * runs. With more CPUs, wait here until it is off its CPU. */
	list_del(&c->sibling);
	unlink_task(c);
	c->state = TASK_DEAD;
	ret = c->tid;
	/* A leader that left by exit(2) before another thread's exit_group
	 * reports the group's code, as in Linux's wait_task_zombie. */
	status = c->signal->group_exiting ? c->signal->group_exit_code : c->exit_code;
	spin_unlock(&tasklist_lock);
	task_free(c);
	if (ustatus && copy_to_user(ustatus, &status, sizeof(status)))
		return -EFAULT;
	return ret;
}

/* ---- identity ---- */

long sys_getpid(void)
{
	return current->tgid;
}

long sys_gettid(void)
{
	return current->tid;
}

/* The parent's pid; 0 for init, which has none (as on Linux). */
int task_ppid(struct task *t)
{
	struct task *leader = t->group_leader;

	return leader->parent == leader ? 0 : leader->parent->tgid;
}

long sys_getppid(void)
{
	return task_ppid(current);
}

long sys_set_tid_address(int *tidptr)
{
	current->clear_child_tid = tidptr;
	return current->tid;
}

long sys_kill(int pid, int sig)
{
	struct task *t;
	long ret = -ESRCH;

	if (sig < 0 || sig > NSIG)
		return -EINVAL;
	if (pid <= 0)       /* 0: our process group; -1: everyone we may; -N: group N */
		return send_signal_to_pgrp(pid == 0 ? current->signal->pgid : pid == -1 ? -1 : -pid,
					   sig);
	spin_lock(&tasklist_lock);
	t = find_task(pid);         /* any thread's id names its whole process */
	if (t && t->state != TASK_DEAD) {
		ret = 0;            /* a zombie still owns its pid; a signal does nothing */
		if (sig && t->signal->nr_threads > 0)
			ret = send_signal_to_group(t, sig);
	}
	spin_unlock(&tasklist_lock);
	return ret;
}

long sys_setpgid(int pid, int pgid)
{
	struct task *t;
	long ret = -ESRCH;

	if (pgid < 0)
		return -EINVAL;
	spin_lock(&tasklist_lock);
	t = pid ? find_task(pid) : current->group_leader;
	if (t && (t == current->group_leader || t->parent == current->group_leader)) {
		t->signal->pgid = pgid ? pgid : t->tgid;
		ret = 0;
	}
	spin_unlock(&tasklist_lock);
	return ret;
}

/* The thread group of pid (0: the caller's), or NULL. Under tasklist_lock. */
static struct signal_struct *group_of(int pid)
{
	struct task *t = pid ? find_task(pid) : current;

	return t && t->signal ? t->signal : NULL;
}

long sys_getpgid(int pid)
{
	struct signal_struct *sig;
	long ret;

	spin_lock(&tasklist_lock);
	ret = (sig = group_of(pid)) ? sig->pgid : -ESRCH;
	spin_unlock(&tasklist_lock);
	return ret;
}

long sys_getpgrp(void)
{
	return current->signal->pgid;
}

long sys_setsid(void)
{
	struct signal_struct *sig = current->signal;

	if (sig->pgid == current->tgid)
		return -EPERM;          /* already a group leader */
	sig->sid = sig->pgid = current->tgid;
	return sig->sid;
}

long sys_getsid(int pid)
{
	struct signal_struct *sig;
	long ret;

	spin_lock(&tasklist_lock);
	ret = (sig = group_of(pid)) ? sig->sid : -ESRCH;
	spin_unlock(&tasklist_lock);
	return ret;
}
