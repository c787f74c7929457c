/*
 * sharedemo: what a thread shares with the task that made it and what it
 * keeps for itself, beside a forked child, which shares nothing.
 *
 * Each row is one experiment, run twice: the "other task" is first a thread
 * (thread_create: clone with CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|
 * CLONE_THREAD|CLONE_SETTLS...), then a child (fork: clone with no sharing
 * flag at all). The other task changes something, or looks whether its own
 * stack or TLS block is main's; then main looks.
 */
#include "ulib.h"

static int global;             /* in the data segment */
static int *heap;              /* from malloc */
static char main_cwd[256];
static char *main_stack;       /* an address in main's stack */
static thread_t main_tls;      /* main's thread block (TLS), where FS points */

/* A change experiment: other() changes something; changed() tells whether
 * main sees the change, and puts main's state back for the next run. */
static int write_heap(void) { *heap = 1; return 0; }
static bool heap_changed(int r) { bool seen = *heap == 1; *heap = 0; return seen; }

static int write_global(void) { global = 1; return 0; }
static bool global_changed(int r) { bool seen = global == 1; global = 0; return seen; }

#define FD 42
static int open_fd(void) { return dup2(1, FD) == FD ? 0 : 1; }
static bool fd_changed(int r)
{
	struct stat st;
	bool seen = fstat(FD, &st) == 0;

	close(FD);
	return seen;
}

static int change_cwd(void) { return chdir("/proc") == 0 ? 0 : 1; }
static bool cwd_changed(int r)
{
	char now[sizeof main_cwd];
	bool seen = getcwd(now, sizeof now) && strcmp(now, main_cwd) != 0;

	chdir(main_cwd);
	return seen;
}

static int ignore_sigusr1(void) { return sigaction_simple(SIGUSR1, SIG_IGN) == 0 ? 0 : 1; }
static bool handler_changed(int r)
{
	struct kernel_sigaction old;

	raw_syscall(SYS_rt_sigaction, SIGUSR1, NULL, &old, sizeof old.mask);
	sigaction_simple(SIGUSR1, SIG_DFL);
	return old.handler == SIG_IGN;
}

static int set_errno(void) { close(-1); return 0; }    /* fails: errno = EBADF */
static bool errno_changed(int r) { return errno == EBADF; }

/* A place experiment: other() answers whether its stack or TLS block is
 * at main's address; main just takes the answer. */
static int stack_is_mains(void)
{
	char here;
	return (uintptr_t)(main_stack - &here) < 64 * 1024;   /* a few frames below main's */
}
static int tls_is_mains(void) { return thread_self() == main_tls; }
static bool answer(int r) { return r; }

enum kind { CHANGE, PLACE };

struct experiment {
	const char *thing;
	enum kind kind;
	int (*other)(void);         /* in the thread or the child; its result goes to... */
	bool (*same)(int r);        /* ...main: did it find one thing for both tasks? */
	const char *why;
};

static const struct experiment experiments[] = {
	{ "heap (malloc)", CHANGE, write_heap, heap_changed, "CLONE_VM: one mm, one page table" },
	{ "global variable", CHANGE, write_global, global_changed, "CLONE_VM: the data pages too" },
	{ "file descriptors", CHANGE, open_fd, fd_changed, "CLONE_FILES: one fd table" },
	{ "cwd", CHANGE, change_cwd, cwd_changed, "CLONE_FS: one fs_struct" },
	{ "signal handlers", CHANGE, ignore_sigusr1, handler_changed, "CLONE_SIGHAND: one table" },
	{ "stack (rsp register)", PLACE, stack_is_mains, answer,
	  "registers are per task; thread_create mmaps a stack" },
	{ "TLS (fs register)", PLACE, tls_is_mains, answer, "CLONE_SETTLS: an FS base of its own" },
	{ "errno", CHANGE, set_errno, errno_changed, "it lives in the TLS block" },
};

/*
 * One word for what main found. A forked child's same address is in
 * another mm, so it names a copy; only a thread can have "own" at a new
 * address and "shared" at the same one.
 */
static const char *verdict(const struct experiment *e, bool in_thread, bool same)
{
	if (same)
		return in_thread || e->kind == CHANGE ? "shared" : "copy";
	return in_thread || e->kind == PLACE ? "own" : "copy";
}

static void *thread_main(void *e)
{
	return (void *)(long)((const struct experiment *)e)->other();
}

static bool run_in_thread(const struct experiment *e)
{
	thread_t t;
	void *r;

	if (thread_create(&t, thread_main, (void *)e) != 0) {
		printf("sharedemo: thread_create failed\n");
		exit(1);
	}
	thread_join(t, &r);
	return e->same((int)(long)r);
}

static bool run_in_child(const struct experiment *e)
{
	int status;
	pid_t pid = fork();

	if (pid == 0)
		_exit(e->other());
	if (pid < 0 || waitpid(pid, &status, 0) != pid) {
		printf("sharedemo: fork failed\n");
		exit(1);
	}
	return e->same(WEXITSTATUS(status));
}

int main(void)
{
	char here;

	heap = calloc(1, sizeof *heap);
	getcwd(main_cwd, sizeof main_cwd);
	main_stack = &here;
	main_tls = thread_self();
	printf("sharedemo: another task (a thread, then a forked child) changes each thing,\n"
	       "or looks whether its own is main's; then main looks.\n");
	printf("  shared: main sees the change   own: a separate one   copy: the child's own copy of main's\n\n");
	printf("%-22s %-8s %-8s %s\n", "thing", "thread", "fork", "why (for the thread; fork copies all)");
	for (size_t i = 0; i < sizeof experiments / sizeof experiments[0]; i++) {
		const struct experiment *e = &experiments[i];
		errno = 0;
		bool thread_same = run_in_thread(e);
		errno = 0;
		bool child_same = run_in_child(e);
		printf("%-22s %-8s %-8s %s\n", e->thing, verdict(e, true, thread_same),
		       verdict(e, false, child_same), e->why);
	}
	printf("\nA thread is a task that clone told to share: one mm, fd table, fs and handlers.\n");
	printf("fork shares none of them: the child starts with copies (its memory copy-on-write).\n");
	return 0;
}
