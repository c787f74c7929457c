/* usertests: threads (clone through ulib's thread library) and futexes. */
#include "usertests.h"

/* ---- Threads: tasks that share our memory, files and signal handlers ---- */

static thread_t start_thread(void *(*fn)(void *), void *arg)
{
	thread_t t;
	int err = thread_create(&t, fn, arg);

	check(err == 0, "thread_create: %s", strerror(err));
	return t;
}

static void *join_thread(thread_t t)
{
	void *result;

	check(thread_join(t, &result) == 0, "thread_join");
	return result;
}

static long futex(int *word, int op, int val, const struct timespec *timeout, int val3)
{
	return raw_syscall(SYS_futex, word, op, val, timeout, NULL, val3);
}

/* Sleep until *word != val; only its owner's change ends the wait. */
static void wait_while(int *word, int val)
{
	while (__atomic_load_n(word, __ATOMIC_ACQUIRE) == val)
		futex(word, FUTEX_WAIT, val, NULL, 0);
}

static void set_and_wake(int *word, int val)
{
	__atomic_store_n(word, val, __ATOMIC_RELEASE);
	futex(word, FUTEX_WAKE, 1 << 30, NULL, 0);
}

static int shared_global;

static void *write_memory(void *heap)
{
	shared_global = 1;
	*(int *)heap = 2;
	return NULL;
}

/* A thread's writes land in our memory; a forked child's in its copy. */
void t_thread_memory(void)
{
	int *heap = malloc(sizeof *heap), status;

	*heap = 0;
	join_thread(start_thread(write_memory, heap));
	check(shared_global == 1, "the thread's write to a global is not seen");
	check(*heap == 2, "the thread's write to the heap is not seen");
	shared_global = *heap = 0;
	pid_t pid = fork();
	if (pid == 0) {
		write_memory(heap);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	check(shared_global == 0 && *heap == 0, "a forked child's writes reached the parent");
	free(heap);
}

static void *open_self(void *unused)
{
	return (void *)(long)open(self, O_RDONLY);
}

/* CLONE_FILES: one fd table for all threads; fork copies it. */
void t_thread_files(void)
{
	char buf[4];
	int fd = (int)(long)join_thread(start_thread(open_self, NULL)), status;

	check(fd >= 0, "open in a thread: %s", strerror(-fd));
	check(read(fd, buf, 4) == 4 && memcmp(buf, "\177ELF", 4) == 0,
	      "the fd the thread opened does not work in the main thread");
	pid_t pid = fork();
	if (pid == 0)
		_exit(close(fd) == 0 ? 0 : 1);
	waitpid(pid, &status, 0);
	expect_exit(status, 0, "close in the child");
	check(read(fd, buf, 4) == 4, "the child's close closed the parent's fd");
}

struct ids {
	pid_t pid, tid;
	thread_t self;
	void *stack;            /* the address of a local variable */
	int err;                /* errno after a failed call, read later */
	int go;                 /* a futex: the main thread has set its errno */
};

static void *report_ids(void *arg)
{
	struct ids *ids = arg;
	int local;

	ids->pid = getpid();
	ids->tid = gettid();
	ids->self = thread_self();
	ids->stack = &local;
	close(-1);                              /* errno = EBADF, in this thread */
	wait_while(&ids->go, 0);
	ids->err = errno;
	return NULL;
}

/* Same pid, own tid, own stack, own thread block and so own errno. */
void t_thread_ids(void)
{
	struct ids ids = { 0 };
	int local;
	thread_t t = start_thread(report_ids, &ids);
	char *map = t->map;                     /* join unmaps t itself */

	check(open("/no/such/file", O_RDONLY) < 0 && errno == ENOENT, "open of a missing file");
	set_and_wake(&ids.go, 1);
	join_thread(t);
	check(ids.pid == getpid(), "getpid in the thread %d, in main %d", ids.pid, getpid());
	check(ids.tid != gettid() && ids.tid > 0, "gettid in the thread %d, in main %d", ids.tid,
	      gettid());
	check(ids.self == t && thread_self() != t, "thread_self: %p in the thread, created %p",
	      ids.self, t);
	check((char *)ids.stack > map + PAGE && (char *)ids.stack < (char *)t,
	      "the thread's stack %p is outside its mapping at %p", ids.stack, map);
	check(ids.stack != &local, "the thread ran on our stack");
	check(ids.err == EBADF, "the thread's errno is %d, want EBADF: main's open changed it",
	      ids.err);
	check(errno == ENOENT, "main's errno is %d, want ENOENT: the thread's close changed it",
	      errno);
}

static void *nap(void *ms)
{
	msleep((long)ms);
	return NULL;
}

/* CLONE_CHILD_CLEARTID: the kernel zeroes the tid word and wakes its
 * futex when the thread is gone, not before and not never. */
void t_thread_join(void)
{
	struct timespec limit = { 5, 0 };
	long start = now_ns();
	thread_t t = start_thread(nap, (void *)50L);
	int tid = t->tid;

	check(tid > 0, "CLONE_PARENT_SETTID did not store the tid");
	long r = futex(&t->tid, FUTEX_WAIT, tid, &limit, 0);
	check(r == 0, "FUTEX_WAIT on the tid word gave %ld, want 0: woken at the exit", r);
	check(t->tid == 0, "the tid word is %d after the wake, want 0", t->tid);
	check(now_ns() - start >= 50000000L, "woken before the thread's 50 ms were up");
	long deadline = now_ns() + 1000000000L;
	while (raw_syscall(SYS_tgkill, getpid(), tid, 0) == 0 && now_ns() < deadline)
		sched_yield();
	expect_err(raw_syscall(SYS_tgkill, getpid(), tid, 0), ESRCH, "tgkill to the joined thread");
	join_thread(t);
}

static void *exit_group_7(void *unused)
{
	msleep(20);
	exit(7);
}

static void *sleep_forever(void *unused)
{
	pause_forever();
}

static void main_exits_alone(void)
{
	start_thread(exit_group_7, NULL);
	thread_exit(NULL);
}

static void thread_exits_group(void)
{
	start_thread(sleep_forever, NULL);
	start_thread(exit_group_7, NULL);
	pause_forever();
}

static void main_exits_group(void)
{
	start_thread(sleep_forever, NULL);
	start_thread(sleep_forever, NULL);
	exit(3);
}

/* execve in a thread that is not the first: the other threads die, the
 * caller takes over the process's pid, and the new program's exit status
 * reaches the parent as the process's. */
static void *exec_sh_exit_5(void *unused)
{
	char *argv[] = { "sh", "-c", "exit 5", NULL };

	execv("/bin/sh", argv);
	return NULL;
}

static void thread_execs(void)
{
	start_thread(sleep_forever, NULL);
	start_thread(exec_sh_exit_5, NULL);
	pause_forever();
}

static void leader_execs(void)
{
	start_thread(sleep_forever, NULL);
	start_thread(sleep_forever, NULL);
	exec_sh_exit_5(NULL);
}

void t_thread_exec(void)
{
	expect_exit(run_child(thread_execs), 5, "execve from a second thread");
	expect_exit(run_child(leader_execs), 5, "execve from the first thread, with two others");
}

/* /proc's numbers for a process with a 16 TiB region (reserved, not
 * touched) cost what it uses, not what it spans: this must not hang. */
void t_proc_huge(void)
{
	void *p = mmap(NULL, 1UL << 44, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char buf[512];
	int fd;

	check(p != MAP_FAILED, "mmap of 16 TiB: %s", strerror(errno));
	fd = open("/proc/self/status", O_RDONLY);
	check(fd >= 0 && read(fd, buf, sizeof buf) > 0, "reading /proc/self/status");
	close(fd);
	munmap(p, 1UL << 44);
}

/* The numeric fields of /proc/self/stat, from field 4 on, at their numbers
 * in proc(5) (field[4] is the ppid); returns the number of the last one. */
static int read_stat(long *field, int max)
{
	char buf[1024], *p, *end;
	int fd = open("/proc/self/stat", O_RDONLY), n = 3;
	ssize_t len = fd < 0 ? -1 : read(fd, buf, sizeof buf - 1);

	close(fd);
	if (len <= 0)
		return 0;
	buf[len] = '\0';
	if (!(p = strrchr(buf, ')')))       /* after "pid (comm) S" */
		return 0;
	for (p += 4; n + 1 < max; p = end) {
		long v = strtol(p, &end, 10);
		if (end == p)
			break;
		field[++n] = v;
	}
	return n;
}

static volatile long spin_count;

/* /proc/self/stat as Linux writes it: all 52 fields, and the ones tasklab
 * knows filled in (ids, CPU time, signal masks, where the program lies). */
void t_proc_stat(void)
{
	long f[64] = { 0 }, start = now_ns(), local, n;
	uint64_t usr1 = 1UL << (SIGUSR1 - 1);

	raw_syscall(SYS_rt_sigprocmask, SIG_BLOCK, &usr1, NULL, sizeof usr1);
	sigaction_simple(SIGUSR2, SIG_IGN);
	while (now_ns() - start < 100 * 1000000L)  /* 100 ms of CPU: ticks to count */
		spin_count++;
	n = read_stat(f, 64);
	check(n == 52, "/proc/self/stat has %ld fields, want 52", n);
	check(f[4] == getppid(), "ppid %ld, want %d", f[4], getppid());
	check(f[14] + f[15] > 0, "no CPU time after 100 ms of it (utime %ld, stime %ld)",
	      f[14], f[15]);
	check(f[20] == 1, "num_threads %ld, want 1", f[20]);
	check(f[26] <= (long)t_proc_stat && (long)t_proc_stat < f[27],
	      "this code at %p is not in [startcode, endcode) = [%lx, %lx)", (void *)t_proc_stat,
	      f[26], f[27]);
	check(f[28] > (long)&local && f[28] - (long)&local < 1 << 20,
	      "startstack %lx is not just above this frame's %p", f[28], (void *)&local);
	check(f[32] & usr1, "blocked (%lx) does not show SIGUSR1", f[32]);
	check(f[33] & (1UL << (SIGUSR2 - 1)), "sigignore (%lx) does not show SIGUSR2", f[33]);
	check(f[38] == SIGCHLD, "exit_signal %ld, want SIGCHLD", f[38]);
	check(f[47] <= (long)sbrk(0) && f[45] <= f[46], "start_brk %lx past the break %p, "
	      "or data [%lx, %lx) upside down", f[47], sbrk(0), f[45], f[46]);
	check(f[48] < f[49] && f[49] <= f[50] && f[50] <= f[51],
	      "argument and environment areas out of order: %lx %lx %lx %lx",
	      f[48], f[49], f[50], f[51]);
}

/* setpriority and getpriority (PRIO_PROCESS): the nice value, clamped to
 * -20..19, inherited by a child, in /proc/PID/stat (18: 20 + nice, 19:
 * nice); the raw getpriority returns 20 - nice. */
void t_priority(void)
{
	long f[64] = { 0 };
	int status;

	errno = 0;
	check(getpriority(PRIO_PROCESS, 0) == 0 && errno == 0, "nice %d at the start, want 0",
	      getpriority(PRIO_PROCESS, 0));
	check(setpriority(PRIO_PROCESS, 0, 5) == 0, "setpriority 5: %s", strerror(errno));
	check(getpriority(PRIO_PROCESS, getpid()) == 5, "nice %d after setting 5",
	      getpriority(PRIO_PROCESS, getpid()));
	check(raw_syscall(SYS_getpriority, PRIO_PROCESS, 0) == 15,
	      "the raw getpriority gave %ld at nice 5, want 20 - 5", raw_syscall(SYS_getpriority, PRIO_PROCESS, 0));
	setpriority(PRIO_PROCESS, 0, 100);
	check(getpriority(PRIO_PROCESS, 0) == 19, "nice %d after setting 100, want 19",
	      getpriority(PRIO_PROCESS, 0));
	setpriority(PRIO_PROCESS, 0, -100);
	check(getpriority(PRIO_PROCESS, 0) == -20, "nice %d after setting -100, want -20",
	      getpriority(PRIO_PROCESS, 0));
	expect_err(raw_syscall(SYS_setpriority, 99, 0, 0), EINVAL, "setpriority, which = 99");
	expect_err(raw_syscall(SYS_getpriority, PRIO_PROCESS, 999999), ESRCH,
		   "getpriority of no such task");
	setpriority(PRIO_PROCESS, 0, 7);
	pid_t pid = fork();
	if (pid == 0)
		_exit(getpriority(PRIO_PROCESS, 0) == 7 ? 0 : 1);
	waitpid(pid, &status, 0);
	expect_exit(status, 0, "a child of a nice 7 process is not nice 7");
	read_stat(f, 64);
	check(f[18] == 27 && f[19] == 7, "/proc/self/stat: priority %ld, nice %ld; want 27, 7",
	      f[18], f[19]);
	if (on_linux)
		return;         /* its /proc/PID/sched has these lines only with CONFIG_SCHED_DEBUG */
	static char buf[1024], want[256];
	int fd = open("/proc/self/sched", O_RDONLY), len;
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof buf - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	/* Its last two lines: the weight of nice 7, and 120 + nice. */
	len = snprintf(want, sizeof want, "%-45s:%21d\n%-45s:%21d\n", "se.load.weight", 215,
		       "prio", 127);
	check(n >= len && strcmp(buf + n - len, want) == 0,
	      "/proc/self/sched at nice 7 does not end with weight 215 and prio 127: %s", buf);
}

/* /proc/meminfo has the fields free(1) reads, and they add up. */
void t_proc_meminfo(void)
{
	static const char *fields[] = { "MemTotal", "MemFree", "MemAvailable", "Buffers",
					"Cached", "SwapTotal", "SwapFree" };
	long total = meminfo_kb("MemTotal"), avail = meminfo_kb("MemAvailable");

	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		check(meminfo_kb(fields[i]) >= 0, "/proc/meminfo has no %s", fields[i]);
	check(meminfo_kb("MemFree") <= avail && avail <= total,
	      "want MemFree <= MemAvailable (%ld kB) <= MemTotal (%ld kB)", avail, total);
}

#define PRINTERS   4
#define LINES_EACH 10           /* 40 lines of 44 bytes: well within a pipe */
#define LINE_FMT   "printf from thread %d, call %02d: one line\n"

static void *print_lines(void *id)
{
	for (int i = 0; i < LINES_EACH; i++)
		printf(LINE_FMT, (int)(long)id, i);
	return NULL;
}

/* Is line (up to its newline) one of the lines a thread prints, and not
 * seen before? Marks it seen. */
static bool expected_line(const char *line, bool seen[PRINTERS][LINES_EACH])
{
	char want[64];

	for (int t = 0; t < PRINTERS; t++)
		for (int i = 0; i < LINES_EACH; i++) {
			int n = snprintf(want, sizeof want, LINE_FMT, t, i);
			if (!seen[t][i] && strncmp(line, want, n) == 0)
				return seen[t][i] = true;
		}
	return false;
}

/* printf from several threads at once, into a pipe: every call's line
 * arrives whole, never cut by another thread's. */
void t_printf_threads(void)
{
	static char buf[4096];
	static bool seen[PRINTERS][LINES_EACH];
	thread_t t[PRINTERS];
	int p[2], saved = dup(1), lines = 0;
	ssize_t len = 0, n;

	check(saved >= 0 && pipe(p) == 0, "pipe: %s", strerror(errno));
	dup2(p[1], 1);
	close(p[1]);
	for (int i = 0; i < PRINTERS; i++)
		t[i] = start_thread(print_lines, (void *)(long)i);
	for (int i = 0; i < PRINTERS; i++)
		join_thread(t[i]);
	fflush(stdout);
	dup2(saved, 1);         /* our stdout again; the pipe has no writer left */
	close(saved);
	while ((n = read(p[0], buf + len, sizeof buf - 1 - len)) > 0)
		len += n;
	buf[len] = '\0';
	for (char *line = buf; *line; line = strchr(line, '\n') + 1, lines++)
		check(strchr(line, '\n') && expected_line(line, seen),
		      "line %d is not one thread's whole line: %.60s", lines + 1, line);
	check(lines == PRINTERS * LINES_EACH, "%d lines, want %d", lines, PRINTERS * LINES_EACH);
}

/* exit ends one task, exit_group all of them. */
void t_thread_exit(void)
{
	expect_exit(run_child(main_exits_alone), 7, "the group after its first thread's exit");
	expect_exit(run_child(thread_exits_group), 7, "exit_group in a thread");
	expect_exit(run_child(main_exits_group), 3, "exit_group with two sleeping threads");
}

static void *segfault(void *unused)
{
	write_null();
	return NULL;
}

static void a_thread_segfaults(void)
{
	start_thread(sleep_forever, NULL);
	start_thread(segfault, NULL);
	pause_forever();
}

static void *unmap_arg(void *p)
{
	munmap(p, PAGE);
	return NULL;
}

static void *make_read_only(void *p)
{
	mprotect(p, PAGE, PROT_READ);
	return NULL;
}

struct page_job {
	volatile char *page;
	int go;                 /* futex: read the page now */
};

static void *read_when_told(void *arg)
{
	struct page_job *job = arg;

	wait_while(&job->go, 0);
	return (void *)(long)*job->page;
}

/* A munmap by one thread unmaps for all: the other's read kills the group.
 * (That thread starts first: its stack could take the freed address.) */
static void unmap_then_read_in_thread(void)
{
	static struct page_job job;

	job.page = map_pages(1, PROT_READ | PROT_WRITE, MAP_PRIVATE);
	start_thread(read_when_told, &job);
	munmap((void *)job.page, PAGE);
	set_and_wake(&job.go, 1);
	pause_forever();
}

/* An mprotect by a thread applies to the main thread's next write. */
static void protect_in_thread_then_write(void)
{
	char *p = map_pages(1, PROT_READ | PROT_WRITE, MAP_PRIVATE);

	*p = 1;
	join_thread(start_thread(make_read_only, p));
	*p = 2;
}

void t_thread_faults(void)
{
	expect_signal(run_child(a_thread_segfaults), SIGSEGV, "a thread's segfault");
	expect_signal(run_child(unmap_then_read_in_thread), SIGSEGV, "read after munmap");
	expect_signal(run_child(protect_in_thread_then_write), SIGSEGV, "write after mprotect");
	char *p = map_pages(1, PROT_READ | PROT_WRITE, MAP_PRIVATE);
	join_thread(start_thread(unmap_arg, p));
	expect_segv(p, touch_read, "read of a page a thread unmapped");
}

static void exit_entry(void)
{
	for (;;)
		raw_syscall(SYS_exit, 0);
}

/* clone with flags that must be refused, run as fork would if they were
 * not: the child only exits. */
static void expect_clone_error(unsigned long flags, void *tls, int err, const char *what)
{
	long r = __clone(flags, NULL, NULL, NULL, tls, exit_entry);

	if (r > 0 && !(flags & CLONE_THREAD))
		waitpid(r, NULL, 0);
	expect_err(r, err, what);
}

/* Linux's rules (kernel/fork.c), exactly. */
void t_clone_flags(void)
{
	expect_clone_error(CLONE_VM | CLONE_THREAD, NULL, EINVAL,
			   "CLONE_THREAD without CLONE_SIGHAND");
	expect_clone_error(CLONE_SIGHAND | SIGCHLD, NULL, EINVAL, "CLONE_SIGHAND without CLONE_VM");
	expect_clone_error(CLONE_NEWNS | CLONE_FS | SIGCHLD, NULL, EINVAL, "CLONE_NEWNS|CLONE_FS");
	expect_clone_error(CLONE_PIDFD | CLONE_PARENT_SETTID | SIGCHLD, NULL, EINVAL,
			   "CLONE_PIDFD|CLONE_PARENT_SETTID");
	expect_clone_error(CLONE_SETTLS | SIGCHLD, (void *)0xffffffff80000000UL, EPERM,
			   "CLONE_SETTLS with a kernel address");
	if (!on_linux) {        /* Linux has these; tasklab refuses them */
		expect_clone_error(CLONE_NEWNS | SIGCHLD, NULL, EINVAL, "CLONE_NEWNS");
		expect_clone_error(CLONE_PIDFD | SIGCHLD, NULL, EINVAL, "CLONE_PIDFD");
	}
}

static int parent_tid_word, child_tid_word;

/* Exit 0 if CLONE_CHILD_SETTID wrote our tid into our copy of the word. */
static void exit_if_tid_set(void)
{
	for (;;)
		raw_syscall(SYS_exit, child_tid_word == gettid() ? 0 : 1);
}

/* A child that does not share memory: CLONE_PARENT_SETTID writes its tid
 * into our memory before clone returns, CLONE_CHILD_SETTID into the
 * child's copy before it runs, not into ours. */
void t_clone_tids(void)
{
	int status;
	long pid;

	parent_tid_word = child_tid_word = 0;
	pid = __clone(CLONE_PARENT_SETTID | CLONE_CHILD_SETTID | SIGCHLD, NULL, &parent_tid_word,
		      &child_tid_word, NULL, exit_if_tid_set);
	check(pid > 0, "clone: %s", strerror(-pid));
	check(parent_tid_word == pid, "CLONE_PARENT_SETTID: our word holds %d, want the tid %ld",
	      parent_tid_word, pid);
	check(child_tid_word == 0, "CLONE_CHILD_SETTID wrote %d into our memory, not the child's copy",
	      child_tid_word);
	check(waitpid(pid, &status, 0) == pid, "waitpid: %s", strerror(errno));
	expect_exit(status, 0, "CLONE_CHILD_SETTID: the child's copy of the word is not its tid");
}

/* arch_prctl: the FS base is ours to set, but only to a user address. */
void t_arch_prctl(void)
{
	unsigned long fs = 0;

	check(raw_syscall(SYS_arch_prctl, ARCH_GET_FS, &fs) == 0 && fs == (unsigned long)thread_self(),
	      "ARCH_GET_FS gave 0x%lx, want our thread block %p", fs, thread_self());
	expect_err(raw_syscall(SYS_arch_prctl, ARCH_SET_FS, 0xffffffff80000000UL), EPERM,
		   "ARCH_SET_FS to kernel text");
	expect_err(raw_syscall(SYS_arch_prctl, ARCH_SET_FS, 0x0000800000000000UL), EPERM,
		   "ARCH_SET_FS to a non-canonical address");
	check(thread_self() == (thread_t)fs, "a refused ARCH_SET_FS changed FS");
}

struct victim {
	int ready;              /* futex: SIGUSR1 is blocked in the victim */
	int go;                 /* futex: unblock it */
};

static void *block_usr1_then_wait(void *arg)
{
	struct victim *v = arg;
	uint64_t usr1 = 1UL << (SIGUSR1 - 1);

	raw_syscall(SYS_rt_sigprocmask, SIG_BLOCK, &usr1, NULL, sizeof usr1);
	set_and_wake(&v->ready, 1);
	wait_while(&v->go, 0);
	raw_syscall(SYS_rt_sigprocmask, SIG_UNBLOCK, &usr1, NULL, sizeof usr1);
	return NULL;
}

static int tgkill_pipe[2];

/* SIGUSR1 to one thread, which blocks it: it waits there, and does not
 * kill the group through the main thread, which does not block it. */
static void signal_one_thread(void)
{
	static struct victim v;
	thread_t t = start_thread(block_usr1_then_wait, &v);

	wait_while(&v.ready, 0);
	expect_err(raw_syscall(SYS_tgkill, 1, t->tid, SIGUSR1), ESRCH, "tgkill with the wrong tgid");
	check(raw_syscall(SYS_tgkill, getpid(), t->tid, SIGUSR1) == 0, "tgkill");
	msleep(30);
	write(tgkill_pipe[1], "alive", 5);
	set_and_wake(&v.go, 1);
	join_thread(t);
}

void t_tgkill(void)
{
	char buf[5];

	check(pipe(tgkill_pipe) == 0, "pipe");
	int status = run_child(signal_one_thread);
	close(tgkill_pipe[1]);
	check(read(tgkill_pipe[0], buf, 5) == 5, "the signal for one thread killed the group at once");
	expect_signal(status, SIGUSR1, "once the thread unblocked SIGUSR1");
}

/* ---- futex ---- */

static void expect_timeout(long r, long start, const char *what)
{
	long waited = now_ns() - start;

	expect_err(r, ETIMEDOUT, what);
	check(waited >= 20000000L, "%s: timed out after %ld ns, before 20 ms", what, waited);
}

void t_futex(void)
{
	int word = 1;
	struct timespec ms20 = { 0, 20000000 }, abs;

	expect_err(futex(&word, FUTEX_WAIT, 2, NULL, 0), EAGAIN, "WAIT for a value it does not hold");
	long start = now_ns();
	expect_timeout(futex(&word, FUTEX_WAIT, 1, &ms20, 0), start, "WAIT, relative 20 ms");
	start = now_ns();
	clock_gettime(CLOCK_MONOTONIC, &abs);
	abs.tv_nsec += 20000000;
	abs.tv_sec += abs.tv_nsec / 1000000000;
	abs.tv_nsec %= 1000000000;
	expect_timeout(futex(&word, FUTEX_WAIT_BITSET, 1, &abs, FUTEX_BITSET_ANY), start,
		       "WAIT_BITSET until CLOCK_MONOTONIC + 20 ms");
	expect_err(futex(NULL, FUTEX_WAIT, 0, NULL, 0), EFAULT, "WAIT at NULL");
	expect_err(futex((int *)0xffffffff80000000UL, FUTEX_WAIT, 0, NULL, 0), EFAULT,
		   "WAIT at a kernel address");
	expect_err(futex((int *)((char *)&word + 1), FUTEX_WAIT, 0, NULL, 0), EINVAL,
		   "WAIT at an unaligned address");
	expect_err(futex(&word, FUTEX_WAIT, 1, (void *)1, 0), EFAULT, "WAIT with a bad timeout");
	check(futex(&word, FUTEX_WAKE, 1, NULL, 0) == 0, "WAKE with no waiters woke someone");
}

/* ---- The ulib mutex ---- */

static mutex_t test_mutex = MUTEX_INIT;
static int holding;             /* 1 while hold_mutex has the lock */

static void *hold_mutex(void *unused)
{
	mutex_lock(&test_mutex);
	set_and_wake(&holding, 1);
	msleep(30);
	__atomic_store_n(&holding, 0, __ATOMIC_RELEASE);
	mutex_unlock(&test_mutex);
	return NULL;
}

/* A thread that sleeps holding the mutex keeps us out until it unlocks,
 * and its unlock lets us in (a lost wake-up would hang here). */
void t_mutex(void)
{
	thread_t t = start_thread(hold_mutex, NULL);

	wait_while(&holding, 0);
	mutex_lock(&test_mutex);
	check(__atomic_load_n(&holding, __ATOMIC_ACQUIRE) == 0,
	      "mutex_lock returned while another thread held the mutex");
	mutex_unlock(&test_mutex);
	join_thread(t);
	check(test_mutex.state == 0, "the mutex's word is %d after the last unlock, want 0",
	      test_mutex.state);
}

/* A futex in MAP_SHARED memory joins two processes: the key is the page,
 * not the address in one mm. */
void t_futex_shared(void)
{
	int *word = map_pages(1, PROT_READ | PROT_WRITE, MAP_SHARED), status;
	struct timespec limit = { 5, 0 };
	long woken = 0;

	pid_t pid = fork();
	if (pid == 0)
		_exit(futex(word, FUTEX_WAIT, 0, &limit, 0) == 0 ? 0 : 1);
	long deadline = now_ns() + 5000000000L;
	while (woken == 0 && now_ns() < deadline) {
		msleep(1);
		woken = futex(word, FUTEX_WAKE, 1, NULL, 0);
	}
	check(woken == 1, "FUTEX_WAKE never found the other process's waiter (%ld)", woken);
	waitpid(pid, &status, 0);
	expect_exit(status, 0, "the waiter was not woken");
}

/* ---- Thread bomb: clone must fail cleanly, and everything come back ---- */

static int bomb_go;

static void *wait_for_go(void *unused)
{
	wait_while(&bomb_go, 0);
	return NULL;
}

void t_threadbomb(void)
{
	int cap = on_linux ? 200 : 100000, n = 0, err = 0;
	thread_t *threads = map_pages((cap * sizeof(thread_t) + PAGE - 1) / PAGE,
				      PROT_READ | PROT_WRITE, MAP_PRIVATE);

	while (n < cap && (err = thread_create(&threads[n], wait_for_go, NULL)) == 0)
		n++;
	set_and_wake(&bomb_go, 1);
	for (int i = 0; i < n; i++)
		join_thread(threads[i]);
	if (on_linux && n == cap)
		return;
	check(n < cap, "thread_create never failed in %d tries", cap);
	check(err == EAGAIN || err == ENOMEM, "thread_create failed with %d, want EAGAIN or ENOMEM",
	      err);
	check(n > 0, "not a single thread started");
}

