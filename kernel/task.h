/*
 * The task: tasklab's one schedulable object, as in Linux. A process is a
 * task with an address space (mm) of its own; a thread is a task that
 * shares its mm (and more) with others. Which parts are shared and which
 * copied is decided in one place, copy_process() in fork.c, by CLONE_* flags.
 */
#ifndef TASK_H
#define TASK_H
#include <stdint.h>
#include <stdbool.h>
#include "lib/list.h"
#include "spinlock.h"
#include "refcount.h"
#include "signal.h"
#include "acct.h"
#include "arch/x86/cpu.h"
#include "arch/x86/memlayout.h"

struct completion;

#define TASK_COMM_LEN 16
#define NGROUPS_TL 32               /* supplementary groups a task may have (Linux: 65536) */

enum task_state {
	TASK_RUNNING,           /* runnable: in the run queue, or on a CPU (as Linux) */
	TASK_SLEEPING,          /* on a wait queue, or in a timed sleep */
	TASK_ZOMBIE,            /* exited, waiting for its parent's wait4 */
	TASK_DEAD,              /* exited and reaped: freed soon */
};

/* Registers swtch (switch.S) saves: the callee-saved ones of the SysV ABI.
 * The rest were saved by the C caller of swtch. */
struct context {
	uint64_t r15, r14, r13, r12, rbx, rbp, rip;
};

struct wait_queue {
	struct list_head sleepers;          /* tasks, by run_node; under sched_lock */
};
#define WAIT_QUEUE_INIT(wq) { LIST_HEAD_INIT((wq).sleepers) }

/*
 * What the tasks of one thread group (one process) share whatever the
 * clone flags: Linux's signal_struct.
 */
struct signal_struct {
	refcount_t refcount;        /* tasks using it */
	int nr_threads;             /* live tasks in the group; under tasklist_lock */
	int pgid, sid;              /* process group and session */
	bool group_exiting;         /* exit_group or a fatal signal ran */
	int group_exit_code;
	struct sigpending shared_pending;   /* signals for the group as a whole */
	int nr_queued;              /* siginfo entries queued to its tasks; atomic */
	struct wait_queue child_exit;       /* wait4 sleeps here */
	struct task *exec_task;     /* a thread in execve, waiting for the others to die */
	struct wait_queue exec_wait;        /* ... here */
	/* Accounting (acct.c), under tasklist_lock: */
	struct usage gone;          /* threads that have left, mms let go of */
	struct usage children;      /* reaped children, theirs included */
	struct rlimit rlim[RLIM_NLIMITS];   /* getrlimit/setrlimit; under tasklist_lock */
	/* Job control, under tasklist_lock: a stop signal stopped the process
	 * (every thread sleeps on stop_wait) until SIGCONT or SIGKILL. The
	 * parent hears of it once the last thread has stopped. */
	bool stopped;
	int stop_signal;            /* the one that stopped it, for wait4's status */
	int stop_pending;           /* threads yet to stop */
	bool tell_continued;        /* SIGCHLD for the parent, once a thread runs again */
	unsigned stop_gen;          /* which stop: one more each time */
	int jobctl_report;          /* CLD_STOPPED, CLD_CONTINUED: for wait4 to report once; or 0 */
	struct wait_queue stop_wait;
	/* ITIMER_REAL (alarm, setitimer): SIGALRM to process it_real_tgid at
	 * it_real_expires (clock_ns; 0: disarmed), then every it_real_interval
	 * ns. Under time.c's itimer_lock. */
	uint64_t it_real_expires, it_real_interval;
	int it_real_tgid;
	struct list_head it_real_node;      /* in time.c's armed timers, while armed */
};

/* The soft limit of resource r for the current process (Linux's rlimit()). */
#define rlimit(r) (current->signal->rlim[(r)].rlim_cur)

/* How restart_syscall resumes a sleep that a signal with no handler
 * interrupted (Linux's restart_block): the call's state, its deadline
 * absolute, so that the sleep ends when it would have. */
struct restart_block {
	long (*fn)(struct restart_block *rb);       /* NULL: nothing to resume */
	union {
		struct { uint64_t deadline; void *urem; } nanosleep;
		struct {
			uintptr_t uaddr;
			bool private;
			int val;
			uint32_t bitset;
			uint64_t deadline;
		} futex;
		struct { void *ufds; unsigned nfds; uint64_t deadline; } poll;
	};
};

/* A task's supplementary groups. setgroups makes a new list, never
 * changes one, so fork shares it (Linux's cred->group_info). */
struct group_info {
	refcount_t refs;
	int n;
	uint32_t gid[NGROUPS_TL];   /* sorted, as Linux keeps them */
};

struct task {
	int tid;                    /* Linux's "pid" of a task; gettid() */
	int tgid;                   /* thread group id: getpid() */
	char comm[TASK_COMM_LEN];   /* program name, for ps and messages */

	/* Scheduling: under sched_lock. */
	enum task_state state;
	struct list_head run_node;  /* in the run queue, or in one wait queue */
	struct list_head timer_node;        /* in the timed sleepers, if wake_at */
	uint64_t wake_at;           /* ns deadline of a timed sleep, or 0 */
	int sleep_result;           /* why it woke: 0, -ERESTARTSYS, -ETIMEDOUT */
	int sleep_flags;            /* wait_sleep's: which signals end its sleep */
	struct context *context;    /* saved by swtch while not running */
	bool on_cpu;                /* some CPU runs it (or is switching away from it) */
	int cpu;                    /* the CPU it runs on, or last ran on */
	unsigned long cpus_allowed; /* CPUs it may run on, by cpus[] index (affinity) */
	int ticks_left;             /* of its time slice */
	int nice;                   /* -20..19: its weight in the fair share (fair.c) */
	uint64_t vruntime;          /* ns it ran, scaled by its weight (fair.c) */
	uint64_t exec_start;        /* clock_ns() when it was last charged */
	uint64_t sum_exec_ns;       /* ns it ran in all */
	uint64_t utime, stime;      /* ticks it ran in user and kernel mode */
	uint64_t min_flt;           /* page faults it took (none go to disk) */
	uint64_t kicks;             /* IPIs sent to make it see a signal (kick_task) */
	uint64_t start_time;        /* timer_ticks() when it was created */

	/* Family: under tasklist_lock. */
	struct task *parent;        /* who wait4s for it */
	struct list_head children;  /* its children, by sibling */
	struct list_head sibling;
	struct list_head all_node;  /* in the list of all tasks */
	struct task *group_leader;  /* the thread group's first task */
	struct list_head thread_node;       /* in the leader's thread_group */
	struct list_head thread_group;
	int exit_code;              /* the wait status once a zombie */
	int exit_signal;            /* sent to the parent at exit (SIGCHLD), or 0 */
	bool did_exec;              /* ran execve since fork: setpgid may not move it */

	/* Credentials: every uid and gid is 0 (root); only the supplementary
	 * groups change (setgroups). */
	struct group_info *groups;  /* NULL: none */

	/* What it owns or shares (see copy_process). */
	struct mm *mm;
	struct files_struct *files;
	struct fs_struct *fs;
	struct sighand_struct *sighand;
	struct signal_struct *signal;
	uint64_t blocked;           /* signal mask */
	uint64_t saved_sigmask;     /* rt_sigsuspend's caller's mask: back once a handler ran */
	bool restore_sigmask;       /* saved_sigmask holds it (Linux's TIF_RESTORE_SIGMASK) */
	bool jobctl_stopped;        /* asleep in its process's stop: ps shows T; under tasklist_lock */
	unsigned stop_seen;         /* the last stop_gen it counted itself stopped in */
	struct sigstack sas;        /* sigaltstack: sp, size, flags (SS_AUTODISARM) */
	struct sigpending pending;  /* signals for this task alone */
	struct restart_block restart_block; /* its own: restart_syscall reads it */

	uint64_t fs_base;           /* user TLS pointer (arch_prctl) */
	int *set_child_tid;         /* CLONE_CHILD_SETTID */
	int *clear_child_tid;       /* CLONE_CHILD_CLEARTID, set_tid_address */
	uintptr_t robust_list;      /* set_robust_list: user address of its head, or 0 */
	struct completion *vfork_done;      /* the vfork parent waits on it */
	uintptr_t fault_addr;       /* of the last fault, for the signal handler */
	struct fpu fpu;             /* x87/SSE registers while switched out */

	void *kstack;               /* lowest address of its kernel stack */
	struct trapframe *tf;       /* user registers, at the top of kstack */
};

/* The task running on this CPU (Linux's get_current). */
static inline struct task *get_current(void)
{
	return this_cpu()->current_task;
}
#define current get_current()

extern struct spinlock tasklist_lock;
extern struct list_head all_tasks;
extern struct task *child_reaper;          /* pid 1: adopts orphans */
#define for_each_task(t) list_for_each_entry(t, &all_tasks, all_node)

void task_init(void);
struct task *find_task(int tid);            /* under tasklist_lock */
void start_init(void);
void mm_release(struct task *t);
int unshare_files(void);
int unshare_sighand(void);
int de_thread(void);
void do_exit(int code) __attribute__((noreturn));
void do_group_exit(int code) __attribute__((noreturn));
void task_free(struct task *t);
void unlink_task(struct task *t);           /* under tasklist_lock: frees its pid */
void exit_files_fs(struct task *t);
void set_comm(struct task *t, const char *name);
void groups_put(struct group_info *g);     /* sys.c; NULL: none */
int count_tasks(void);
int task_ppid(struct task *t);

struct clone_args {
	uint64_t flags;
	uintptr_t stack;            /* the child's user rsp, or 0 for the parent's */
	int *parent_tid, *child_tid;
	uint64_t tls;
};

/* Are these clone flags a combination tasklab accepts? 0 or -EINVAL
 * (Linux's rules from kernel/fork.c, minus what tasklab does not implement). */
int check_clone_flags(uint64_t flags);

/* Linux's kernel_clone: copy_process, then start the child. Returns its tid. */
long kernel_clone(const struct clone_args *args);

#endif
