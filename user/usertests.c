/*
 * usertests: the kernel's system calls seen from user space, in xv6's
 * spirit. Each test runs in a forked child, so a test that crashes only
 * fails itself. Prints `PASS usertests/NAME` or `FAIL usertests/NAME: why`
 * per test, then `usertests: N passed, N failed`.
 *
 *   usertests            run every test
 *   usertests NAME...    run only those
 *
 * Around the whole run the free pages are counted (sysinfo): on tasklab a
 * single page not given back fails the run. The same binary runs on Linux,
 * where only that check is skipped (Linux's free memory moves on its own).
 */
#include "ulib.h"

#define PAGE 4096
#define REPORTED 99          /* a test's exit status: it printed its own FAIL */
#define TEST_TIMEOUT_S 60

static const char *test_name;      /* the test this process runs */
static const char *self;           /* our own path, to exec ourselves */
static char root[256];             /* where the file system's / is: "" on tasklab */
static bool on_linux;

/* ---- Helpers for the tests ---- */

__attribute__((noreturn, format(printf, 1, 2)))
static void fail(const char *fmt, ...)
{
	va_list ap;

	printf("FAIL usertests/%s: ", test_name);
	va_start(ap, fmt);
	vfprintf(stdout, fmt, ap);
	va_end(ap);
	printf("\n");
	exit(REPORTED);
}

#define check(cond, ...) do { if (!(cond)) fail(__VA_ARGS__); } while (0)

/* For raw system calls: the result must be -err. */
static void expect_err(long r, int err, const char *what)
{
	check(r == -err, "%s: got %ld, want -%d (%s)", what, r, err, strerror(err));
}

static char *path_in_root(const char *path)
{
	static char buf[4][300];
	static int next;
	char *p = buf[next++ % 4];

	snprintf(p, sizeof buf[0], "%s%s", root, path);
	return p;
}

/* Runs fn in a child and returns the child's wait status. */
static int run_child(void (*fn)(void))
{
	int status;
	pid_t pid = fork();

	check(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		fn();
		_exit(0);
	}
	check(waitpid(pid, &status, 0) == pid, "waitpid: %s", strerror(errno));
	return status;
}

static void expect_signal(int status, int sig, const char *what)
{
	check(WIFSIGNALED(status) && WTERMSIG(status) == sig,
	      "%s: want death by signal %d, got status 0x%x", what, sig, status);
}

static void expect_exit(int status, int code, const char *what)
{
	check(WIFEXITED(status) && WEXITSTATUS(status) == code,
	      "%s: want exit %d, got status 0x%x", what, code, status);
}

static void read_exactly(int fd, void *buf, size_t n, const char *what)
{
	check(read(fd, buf, n) == (ssize_t)n, "%s: short read", what);
}

static void *map_pages(int pages, int prot, int flags)
{
	void *p = mmap(NULL, pages * PAGE, prot, flags | MAP_ANONYMOUS, -1, 0);

	check(p != MAP_FAILED, "mmap: %s", strerror(errno));
	return p;
}

/* ---- fork, exit, wait4 ---- */

static void t_wait(void)
{
	static const int codes[] = { 0, 1, 42, 255 };
	pid_t pids[4];
	int status;

	for (int i = 0; i < 4; i++) {
		pids[i] = fork();
		check(pids[i] >= 0, "fork: %s", strerror(errno));
		if (pids[i] == 0) {
			msleep(10 * (4 - i));       /* exit in reverse order */
			_exit(codes[i]);
		}
	}
	check(waitpid(pids[0], &status, WNOHANG) == 0, "WNOHANG on a running child must return 0");
	for (int i = 0; i < 4; i++) {
		check(waitpid(pids[i], &status, 0) == pids[i], "wait4 for pid %d", pids[i]);
		expect_exit(status, codes[i], "exit status");
	}
	expect_err(raw_syscall(SYS_wait4, -1, &status, 0, 0), ECHILD, "wait4 with no children");
	expect_err(raw_syscall(SYS_wait4, pids[0], &status, 0, 0), ECHILD, "wait4 for a reaped child");

	pid_t pid = fork();
	if (pid == 0)
		_exit(3);
	check(wait(&status) == pid, "wait4(-1) must return the child");
	expect_exit(status, 3, "wait4(-1)");
}

/* A child that has exited keeps its pid and status until it is waited for. */
static void t_zombie(void)
{
	int p[2], status;
	char c;

	check(pipe(p) == 0, "pipe");
	pid_t pid = fork();
	if (pid == 0)
		_exit(7);
	close(p[1]);
	check(read(p[0], &c, 1) == 0, "the pipe should reach EOF");   /* the child is gone */
	msleep(20);
	check(kill(pid, 0) == 0, "a zombie must still have its pid: %s", strerror(errno));
	check(waitpid(pid, &status, 0) == pid, "wait4 for the zombie");
	expect_exit(status, 7, "zombie");
	expect_err(raw_syscall(SYS_kill, pid, 0), ESRCH, "kill after the zombie was reaped");
}

/* A grandchild whose parent dies is re-parented to init (pid 1). */
static void t_orphan(void)
{
	int p[2], status;
	pid_t ppid;

	check(pipe(p) == 0, "pipe");
	pid_t mid = fork();
	if (mid == 0) {
		pid_t me = getpid();
		if (fork() == 0) {
			long deadline = now_ns() + 5000000000L;
			while (getppid() == me && now_ns() < deadline)
				msleep(1);
			ppid = getppid();
			write(p[1], &ppid, sizeof ppid);
			_exit(0);
		}
		_exit(0);
	}
	close(p[1]);
	check(waitpid(mid, &status, 0) == mid, "wait4");
	read_exactly(p[0], &ppid, sizeof ppid, "the orphan's report");
	/* Linux may hand orphans to a "subreaper" instead of init. */
	if (on_linux)
		check(ppid != mid, "the orphan's parent is still its dead parent");
	else
		check(ppid == 1, "the orphan's parent is %d, want 1", ppid);
}

static void t_ids(void)
{
	int p[2], status;
	pid_t ids[3], me = getpid();

	check(pipe(p) == 0, "pipe");
	check(gettid() == me, "gettid %d != getpid %d", gettid(), me);
	pid_t pid = fork();
	if (pid == 0) {
		ids[0] = getpid(), ids[1] = getppid(), ids[2] = gettid();
		write(p[1], ids, sizeof ids);
		_exit(0);
	}
	read_exactly(p[0], ids, sizeof ids, "child's ids");
	waitpid(pid, &status, 0);
	check(ids[0] == pid, "child's getpid %d, fork returned %d", ids[0], pid);
	check(ids[1] == me, "child's getppid %d, want %d", ids[1], me);
	check(ids[2] == pid, "child's gettid %d, want %d", ids[2], pid);
	check(pid != me, "child and parent share a pid");
}

__attribute__((noreturn)) static void pause_forever(void)
{
	for (;;)
		pause();
}

static void t_kill(void)
{
	static const int sigs[] = { SIGTERM, SIGKILL };
	int status, p[2];

	for (int i = 0; i < 2; i++) {
		pid_t pid = fork();
		if (pid == 0)
			pause_forever();
		check(kill(pid, sigs[i]) == 0, "kill: %s", strerror(errno));
		check(waitpid(pid, &status, 0) == pid, "wait4");
		expect_signal(status, sigs[i], "killed child");
		expect_err(raw_syscall(SYS_kill, pid, sigs[i]), ESRCH, "kill of a reaped pid");
	}
	/* An ignored SIGTERM does nothing; SIGKILL cannot be ignored. */
	check(pipe(p) == 0, "pipe");
	pid_t pid = fork();
	if (pid == 0) {
		sigaction_simple(SIGTERM, SIG_IGN);
		write(p[1], "r", 1);
		pause_forever();
	}
	read_exactly(p[0], &status, 1, "ready");
	kill(pid, SIGTERM);
	msleep(30);
	check(waitpid(pid, &status, WNOHANG) == 0, "a child ignoring SIGTERM died of it");
	kill(pid, SIGKILL);
	check(waitpid(pid, &status, 0) == pid, "wait4");
	expect_signal(status, SIGKILL, "SIGKILL");
}

static volatile pid_t vfork_child;

/* vfork's child shares our memory and runs before we resume. */
static void t_vfork(void)
{
	int status;
	long start = now_ns();
	pid_t pid = vfork();

	if (pid == 0) {
		msleep(30);
		vfork_child = getpid();
		_exit(5);
	}
	check(pid > 0, "vfork: %s", strerror(errno));
	check(now_ns() - start >= 30000000L, "the parent ran before the child's exit");
	check(vfork_child == pid, "the child's write to shared memory is missing");
	check(waitpid(pid, &status, 0) == pid, "wait4");
	expect_exit(status, 5, "vfork child");
}

/* The vfork parent resumes when the child execs, not only when it exits. */
static void t_vfork_exec(void)
{
	char *argv[] = { (char *)self, "--sleep", "300", NULL };
	int status;
	long start = now_ns();
	pid_t pid = vfork();

	if (pid == 0) {
		msleep(30);
		execv(self, argv);
		_exit(127);
	}
	check(pid > 0, "vfork: %s", strerror(errno));
	check(now_ns() - start >= 30000000L, "the parent ran before the child's exec");
	check(waitpid(pid, &status, WNOHANG) == 0, "the parent waited for the exec'd child's exit");
	check(waitpid(pid, &status, 0) == pid, "wait4");
	expect_exit(status, 0, "the exec'd child");
}

/* ---- exec ---- */

static char *probe_env[] = { "FOO=bar", "EMPTY=", NULL };

/* Runs as `usertests --exec-probe hello ""`, started by t_exec_args. */
static void exec_probe(int argc, char **argv)
{
	extern char _start[];

	check(argc == 4, "argc %d, want 4", argc);
	check(strcmp(argv[2], "hello") == 0 && argv[3][0] == '\0' && !argv[4], "argv is wrong");
	check(environ[0] && strcmp(environ[0], probe_env[0]) == 0 &&
	      environ[1] && strcmp(environ[1], probe_env[1]) == 0 && !environ[2], "envp is wrong");
	check(getenv("FOO") && strcmp(getenv("FOO"), "bar") == 0, "getenv(FOO)");
	check(getauxval(AT_PAGESZ) == PAGE, "AT_PAGESZ %lu", getauxval(AT_PAGESZ));
	check(getauxval(AT_ENTRY) == (unsigned long)_start, "AT_ENTRY 0x%lx, want %p",
	      getauxval(AT_ENTRY), _start);
	check(getauxval(AT_RANDOM) != 0, "no AT_RANDOM");
	check(getauxval(AT_PHDR) != 0 && getauxval(AT_PHENT) == 56 && getauxval(AT_PHNUM) > 0,
	      "AT_PHDR/AT_PHENT/AT_PHNUM");
	exit(0);
}

static void t_exec_args(void)
{
	char *argv[] = { (char *)self, "--exec-probe", "hello", "", NULL };

	execve(self, argv, probe_env);
	fail("execve %s: %s", self, strerror(errno));
}

/* A failed exec returns an error and leaves the caller's image as it was. */
static void t_exec_errors(void)
{
	static volatile int marker = 1234;
	char *argv[] = { "x", NULL };

	expect_err(raw_syscall(SYS_execve, "/no/such/file", argv, NULL), ENOENT, "missing file");
	expect_err(raw_syscall(SYS_execve, path_in_root("/tests/notelf"), argv, NULL), ENOEXEC,
		   "a text file");
	expect_err(raw_syscall(SYS_execve, path_in_root("/tests/badarch"), argv, NULL), ENOEXEC,
		   "an ELF for aarch64");
	expect_err(raw_syscall(SYS_execve, 1, argv, NULL), EFAULT, "path pointer 1");

	/* One argument longer than Linux's 128 KiB per-string limit. */
	size_t big = 256 * 1024;
	char *huge = malloc(big + 1);
	check(huge, "malloc");
	memset(huge, 'a', big);
	huge[big] = '\0';
	char *bigv[] = { "x", huge, NULL };
	expect_err(raw_syscall(SYS_execve, self, bigv, NULL), E2BIG, "256 KiB argument");
	check(marker == 1234, "the old image was damaged");
}

/* ---- pipes ---- */

static void t_pipe_data(void)
{
	int p[2], status;
	char buf[1000], got[1000];

	check(pipe(p) == 0, "pipe: %s", strerror(errno));
	for (int i = 0; i < (int)sizeof buf; i++)
		buf[i] = i * 7;
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		for (int i = 0; i < 10; i++)
			write(p[1], buf + i * 100, 100);
		_exit(0);
	}
	close(p[1]);
	size_t n = 0;
	ssize_t r;
	while (n < sizeof got && (r = read(p[0], got + n, sizeof got - n)) > 0)
		n += r;
	check(n == sizeof got && memcmp(buf, got, n) == 0, "data changed in the pipe");
	check(read(p[0], got, 1) == 0, "no EOF after the writer exited");
	waitpid(pid, &status, 0);
	close(p[0]);
	expect_err(raw_syscall(SYS_read, p[0], got, 1), EBADF, "read of a closed fd");
}

static void write_to_closed_pipe(void)
{
	int p[2];

	pipe(p);
	close(p[0]);
	write(p[1], "x", 1);
}

/* Writing with no reader: SIGPIPE, or -EPIPE when SIGPIPE is ignored. */
static void t_pipe_epipe(void)
{
	expect_signal(run_child(write_to_closed_pipe), SIGPIPE, "write to a readerless pipe");
	int p[2];
	check(pipe(p) == 0, "pipe");
	close(p[0]);
	sigaction_simple(SIGPIPE, SIG_IGN);
	expect_err(raw_syscall(SYS_write, p[1], "x", 1), EPIPE, "write with SIGPIPE ignored");
}

/* A write bigger than the pipe sleeps until the reader drains it. */
static void t_pipe_block(void)
{
	enum { TOTAL = 256 * 1024 };
	int p[2], status;
	unsigned char *buf = malloc(TOTAL);

	check(buf && pipe(p) == 0, "pipe/malloc");
	pid_t pid = fork();
	if (pid == 0) {
		for (int i = 0; i < TOTAL; i++)
			buf[i] = i % 251;
		_exit(write(p[1], buf, TOTAL) == TOTAL ? 0 : 1);
	}
	close(p[1]);
	msleep(50);
	check(waitpid(pid, &status, WNOHANG) == 0, "the writer did not block");
	size_t n = 0;
	ssize_t r;
	while ((r = read(p[0], buf + n, TOTAL - n)) > 0)
		n += r;
	check(n == TOTAL, "read %zu bytes, want %d", n, TOTAL);
	for (int i = 0; i < TOTAL; i++)
		check(buf[i] == i % 251, "byte %d changed", i);
	waitpid(pid, &status, 0);
	expect_exit(status, 0, "the writer's write(2) returned short");
}

/* A file's offset is shared between a parent and child (one open file). */
static void t_fds(void)
{
	char buf[16];
	int status, fd = open(self, O_RDONLY);

	check(fd >= 0, "open %s: %s", self, strerror(errno));
	int d = dup(fd);
	check(d == fd + 1, "dup gave %d, want the lowest free fd %d", d, fd + 1);
	check(dup2(fd, 20) == 20, "dup2");
	pid_t pid = fork();
	if (pid == 0)
		_exit(read(20, buf, 16) == 16 ? 0 : 1);
	waitpid(pid, &status, 0);
	check(lseek(fd, 0, SEEK_CUR) == 16, "the child's read did not move our offset");
	expect_err(raw_syscall(SYS_close, 99), EBADF, "close of a free fd");
	expect_err(raw_syscall(SYS_dup, -1), EBADF, "dup(-1)");
	expect_err(raw_syscall(SYS_open, "/no/such/file", O_RDONLY), ENOENT, "open missing");
}

/* ---- Bad pointers: every pointer a syscall takes must give -EFAULT ---- */

/* Stand-ins in the table below, replaced when the call is made. */
enum {
	BAD = -1000,     /* the bad pointer under test */
	FILE_FD,         /* a regular file open for reading */
	PIPE_FD,         /* the write end of a pipe with a reader */
	DIR_FD,          /* a directory */
	TTY_FD,          /* fd 0 when it is a terminal (else the row is skipped) */
	GOOD_BUF,        /* a writable 4 KiB buffer */
	ROOT_PATH,       /* "/" */
	ECHO_PATH,       /* a program that exits 0 if a broken exec runs it */
	GOOD_ARGV,       /* { "echo", NULL } */
	BAD_ARGV,        /* { "echo", BAD, NULL } */
	BAD_IOV,         /* one iovec whose base is BAD */
};

struct badcall {
	const char *what;
	long nr;
	long args[6];
	bool path;       /* the pointer is a string: also try one that runs off the end */
	bool null_ok;    /* NULL means "not wanted" here, not a fault */
};

static const struct badcall badcalls[] = {
	{ "read(buf)", SYS_read, { FILE_FD, BAD, 64 } },
	{ "write(buf)", SYS_write, { PIPE_FD, BAD, 64 } },
	{ "readv(iov)", SYS_readv, { FILE_FD, BAD, 1 } },
	{ "readv(iov_base)", SYS_readv, { FILE_FD, BAD_IOV, 1 } },
	{ "writev(iov)", SYS_writev, { PIPE_FD, BAD, 1 } },
	{ "writev(iov_base)", SYS_writev, { PIPE_FD, BAD_IOV, 1 } },
	{ "open(path)", SYS_open, { BAD, O_RDONLY }, true },
	{ "openat(path)", SYS_openat, { AT_FDCWD, BAD, O_RDONLY }, true },
	{ "stat(path)", SYS_stat, { BAD, GOOD_BUF }, true },
	{ "stat(buf)", SYS_stat, { ROOT_PATH, BAD } },
	{ "lstat(path)", SYS_lstat, { BAD, GOOD_BUF }, true },
	{ "lstat(buf)", SYS_lstat, { ROOT_PATH, BAD } },
	{ "fstat(buf)", SYS_fstat, { FILE_FD, BAD } },
	{ "newfstatat(path)", SYS_newfstatat, { AT_FDCWD, BAD, GOOD_BUF, 0 }, true },
	{ "newfstatat(buf)", SYS_newfstatat, { AT_FDCWD, ROOT_PATH, BAD, 0 } },
	{ "access(path)", SYS_access, { BAD, F_OK }, true },
	{ "chdir(path)", SYS_chdir, { BAD }, true },
	{ "getcwd(buf)", SYS_getcwd, { BAD, 256 } },
	{ "getdents64(buf)", SYS_getdents64, { DIR_FD, BAD, 4096 } },
	{ "pipe(fds)", SYS_pipe, { BAD } },
	{ "pipe2(fds)", SYS_pipe2, { BAD, 0 } },
	{ "wait4(status)", SYS_wait4, { -1, BAD, 0, 0 }, .null_ok = true },
	{ "execve(path)", SYS_execve, { BAD, GOOD_ARGV, 0 }, true },
	{ "execve(argv)", SYS_execve, { ECHO_PATH, BAD, 0 }, .null_ok = true },
	{ "execve(argv[1])", SYS_execve, { ECHO_PATH, BAD_ARGV, 0 }, .null_ok = true },
	{ "execve(envp)", SYS_execve, { ECHO_PATH, GOOD_ARGV, BAD }, .null_ok = true },
	{ "clock_gettime(ts)", SYS_clock_gettime, { CLOCK_MONOTONIC, BAD } },
	{ "nanosleep(req)", SYS_nanosleep, { BAD, 0 } },
	{ "clock_nanosleep(req)", SYS_clock_nanosleep, { CLOCK_MONOTONIC, 0, BAD, 0 } },
	{ "uname(buf)", SYS_uname, { BAD } },
	{ "sysinfo(info)", SYS_sysinfo, { BAD } },
	{ "getrandom(buf)", SYS_getrandom, { BAD, 16, 0 } },
	{ "rt_sigaction(act)", SYS_rt_sigaction, { SIGUSR1, BAD, 0, 8 }, .null_ok = true },
	{ "rt_sigaction(oldact)", SYS_rt_sigaction, { SIGUSR1, 0, BAD, 8 }, .null_ok = true },
	{ "rt_sigprocmask(set)", SYS_rt_sigprocmask, { SIG_BLOCK, BAD, 0, 8 }, .null_ok = true },
	{ "rt_sigprocmask(oldset)", SYS_rt_sigprocmask, { SIG_BLOCK, 0, BAD, 8 }, .null_ok = true },
	{ "arch_prctl(ARCH_GET_FS)", SYS_arch_prctl, { ARCH_GET_FS, BAD } },
	{ "ioctl(TCGETS)", SYS_ioctl, { TTY_FD, TCGETS, BAD } },
	{ "ioctl(TIOCGWINSZ)", SYS_ioctl, { TTY_FD, TIOCGWINSZ, BAD } },
	{ "ioctl(TIOCGPGRP)", SYS_ioctl, { TTY_FD, TIOCGPGRP, BAD } },
	{ "ioctl(TIOCSPGRP)", SYS_ioctl, { TTY_FD, TIOCSPGRP, BAD } },
};

struct badptr {
	const char *what;
	unsigned long addr;
};

/* A page that is mapped, and the one after it, which is not. */
static char *mapped_then_hole(void)
{
	char *p = map_pages(2, PROT_READ | PROT_WRITE, MAP_PRIVATE);

	munmap(p + PAGE, PAGE);
	return p;
}

/* The value for one argument in the table, made real. */
static long resolve(long arg, unsigned long bad)
{
	static char buf[PAGE];
	static char *good_argv[] = { "echo", NULL };
	static char *bad_argv[] = { "echo", NULL, NULL };
	static struct iovec iov = { NULL, 64 };
	int p[2];

	switch (arg) {
	case BAD: return bad;
	case FILE_FD: return open(self, O_RDONLY);
	case PIPE_FD: return pipe(p) == 0 ? p[1] : -1;   /* p[0] stays open: no SIGPIPE */
	case DIR_FD: return open(path_in_root("/"), O_RDONLY | O_DIRECTORY);
	case TTY_FD: return 0;
	case GOOD_BUF: return (long)buf;
	case ROOT_PATH: return (long)"/";
	case ECHO_PATH: return (long)path_in_root("/bin/echo");
	case GOOD_ARGV: return (long)good_argv;
	case BAD_ARGV: bad_argv[1] = (char *)bad; return (long)bad_argv;
	case BAD_IOV: iov.iov_base = (void *)bad; return (long)&iov;
	default: return arg;
	}
}

/* In a child of its own, so that a crash names the call. The exit status
 * says what happened: 100 for -EFAULT, 101 for success, else the errno. */
static void try_badcall(const struct badcall *c, const struct badptr *bp)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		long a[6];
		for (int i = 0; i < 6; i++)
			a[i] = resolve(c->args[i], bp->addr);
		if (c->nr == SYS_wait4 && fork() == 0)
			_exit(0);                   /* a child for wait4 to find */
		long r = syscall6(c->nr, a[0], a[1], a[2], a[3], a[4], a[5]);
		_exit(r == -EFAULT ? 100 : r >= 0 ? 101 : -r);
	}
	check(waitpid(pid, &status, 0) == pid, "wait4");
	check(!WIFSIGNALED(status), "%s with %s: killed by signal %d", c->what, bp->what,
	      WTERMSIG(status));
	check(WEXITSTATUS(status) != 101, "%s with %s: succeeded", c->what, bp->what);
	check(WEXITSTATUS(status) == 100, "%s with %s: got -%d (%s), want -EFAULT", c->what,
	      bp->what, WEXITSTATUS(status), strerror(WEXITSTATUS(status)));
}

static void t_badptr(void)
{
	char *hole = mapped_then_hole();
	struct badptr ptrs[] = {
		{ "NULL", 0 },          /* first: skipped where NULL is allowed */
		{ "1", 1 },
		{ "an unmapped page", (unsigned long)hole + PAGE },
		{ "the first non-user address", 0x0000800000000000UL },
		{ "the direct map", 0xffff800000000000UL },
		{ "kernel text", 0xffffffff80000000UL },
	};
	/* For strings: 8 good characters, no NUL, then the unmapped page. */
	memset(hole, 'a', PAGE);
	struct badptr runs_off = { "a string running into a hole", (unsigned long)hole + PAGE - 8 };
	bool tty = isatty(0);

	for (size_t i = 0; i < sizeof badcalls / sizeof badcalls[0]; i++) {
		const struct badcall *c = &badcalls[i];
		if (c->args[0] == TTY_FD && !tty)
			continue;
		for (size_t j = c->null_ok ? 1 : 0; j < sizeof ptrs / sizeof ptrs[0]; j++)
			try_badcall(c, &ptrs[j]);
		if (c->path)
			try_badcall(c, &runs_off);
	}
}

/* ---- Memory ---- */

static bool all_bytes(const unsigned char *p, size_t n, unsigned char v)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != v)
			return false;
	return true;
}

static volatile unsigned char *touch_addr;

static void touch_write(void)
{
	*touch_addr = 1;
}

static void touch_read(void)
{
	(void)*touch_addr;
}

/* Writing (or reading) at p must kill a child with SIGSEGV. */
static void expect_segv(void *p, void (*how)(void), const char *what)
{
	touch_addr = p;
	expect_signal(run_child(how), SIGSEGV, what);
}

static void t_brk(void)
{
	unsigned long start = raw_syscall(SYS_brk, 0);
	unsigned char *base = (unsigned char *)((start + PAGE - 1) & ~(PAGE - 1UL));
	unsigned long top = (unsigned long)base + 3 * PAGE;

	check(raw_syscall(SYS_brk, top) == (long)top, "brk grow to 0x%lx", top);
	memset(base, 0x5a, 3 * PAGE);
	check(raw_syscall(SYS_brk, base + PAGE) == (long)(base + PAGE), "brk shrink");
	check(all_bytes(base, PAGE, 0x5a), "contents below the break changed");
	expect_segv(base + PAGE, touch_write, "write above a shrunk break");
	check(raw_syscall(SYS_brk, top) == (long)top, "brk grow again");
	check(all_bytes(base + PAGE, 2 * PAGE, 0), "memory given back by brk came back dirty");
	check(raw_syscall(SYS_brk, PAGE) == (long)top, "a bad brk must return the old break");
	raw_syscall(SYS_brk, start);
}

static void t_mmap(void)
{
	enum { N = 64 };
	unsigned char *p = map_pages(N, PROT_READ | PROT_WRITE, MAP_PRIVATE);

	check(((unsigned long)p & (PAGE - 1)) == 0, "mmap result %p is not page-aligned", p);
	check(all_bytes(p, N * PAGE, 0), "fresh anonymous memory is not zero");
	memset(p, 0xab, N * PAGE);
	check(all_bytes(p, N * PAGE, 0xab), "anonymous memory did not keep a write");
	check(munmap(p, N * PAGE) == 0, "munmap");
	expect_segv(p, touch_read, "read after munmap");
	expect_segv(p + (N - 1) * PAGE, touch_write, "write to the last page after munmap");
	expect_err(raw_syscall(SYS_mmap, 0, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
		   EINVAL, "mmap of length 0");
}

static void t_mmap_fixed(void)
{
	unsigned char *p = map_pages(4, PROT_READ | PROT_WRITE, MAP_PRIVATE);

	memset(p, 7, 4 * PAGE);
	void *q = mmap(p + PAGE, 2 * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	check(q == p + PAGE, "MAP_FIXED mapped at %p, want %p", q, p + PAGE);
	check(all_bytes(p + PAGE, 2 * PAGE, 0), "MAP_FIXED did not replace the old pages");
	check(all_bytes(p, PAGE, 7) && all_bytes(p + 3 * PAGE, PAGE, 7),
	      "MAP_FIXED changed the pages around it");
	munmap(p, 4 * PAGE);
}

static void t_mmap_protnone(void)
{
	void *p = map_pages(1, PROT_NONE, MAP_PRIVATE);

	expect_segv(p, touch_read, "read of PROT_NONE");
	expect_segv(p, touch_write, "write of PROT_NONE");
}

static void t_mprotect(void)
{
	unsigned char *p = map_pages(2, PROT_READ | PROT_WRITE, MAP_PRIVATE);

	p[0] = 9;
	check(mprotect(p, PAGE, PROT_READ) == 0, "mprotect: %s", strerror(errno));
	check(p[0] == 9, "mprotect lost the contents");
	expect_segv(p, touch_write, "write to a read-only page");
	touch_addr = p;
	expect_exit(run_child(touch_read), 0, "read of a read-only page");
	touch_addr = p + PAGE;
	expect_exit(run_child(touch_write), 0, "write to the next page, still writable");
	check(mprotect(p, PAGE, PROT_READ | PROT_WRITE) == 0, "mprotect back");
	p[0] = 10;
}

static void t_mmap_shared(void)
{
	int status;
	volatile int *shared = map_pages(1, PROT_READ | PROT_WRITE, MAP_SHARED);
	volatile int *private = map_pages(1, PROT_READ | PROT_WRITE, MAP_PRIVATE);

	pid_t pid = fork();
	if (pid == 0) {
		*shared = 42;
		*private = 42;
		_exit(0);
	}
	waitpid(pid, &status, 0);
	check(*shared == 42, "the child's write to MAP_SHARED memory is not seen");
	check(*private == 0, "the child's write to MAP_PRIVATE memory leaked to the parent");
}

/* The C library's allocator, over brk and mmap. */
static void t_malloc(void)
{
	enum { N = 200 };
	unsigned char *blocks[N];

	for (int i = 0; i < N; i++) {
		size_t size = 1 + i * 37 % 3000;
		blocks[i] = malloc(size);
		check(blocks[i], "malloc(%zu)", size);
		memset(blocks[i], i, size);
	}
	for (int i = 0; i < N; i += 2)
		free(blocks[i]);
	for (int i = 1; i < N; i += 2)
		check(all_bytes(blocks[i], 1 + i * 37 % 3000, i), "block %d was overwritten", i);
	blocks[1] = realloc(blocks[1], 100000);
	check(blocks[1] && all_bytes(blocks[1], 1 + 37, 1), "realloc lost the contents");
	unsigned char *big = malloc(1 << 20);
	check(big, "malloc(1 MiB)");
	memset(big, 3, 1 << 20);
	free(big);
	unsigned char *z = calloc(1000, 8);
	check(z && all_bytes(z, 8000, 0), "calloc memory is not zero");
	for (int i = 1; i < N; i += 2)
		free(blocks[i]);
	free(z);
	/* sizes whose header or rounding would wrap around */
	check(malloc((size_t)-1) == NULL && errno == ENOMEM, "malloc(SIZE_MAX) did not fail");
	check(calloc(1, (size_t)-8) == NULL, "calloc(1, SIZE_MAX-7) did not fail");
}

/* ---- Faults kill with the right signal ---- */

static void write_null(void)
{
	*(volatile int *)0 = 1;
}

static void write_text(void)
{
	*(volatile unsigned char *)(void *)write_text = 0xc3;
}

static void read_kernel(void)
{
	(void)*(volatile long *)0xffffffff80000000UL;
}

static void divide_by_zero(void)
{
	volatile int one = 1, zero = 0;    /* volatile: no folding, a real idiv */
	volatile int x = one / zero;
	(void)x;
}

static void illegal_instruction(void)
{
	__asm__ volatile("ud2");
}

static void t_faults(void)
{
	expect_signal(run_child(write_null), SIGSEGV, "write to address 0");
	expect_signal(run_child(write_text), SIGSEGV, "write to our own text");
	expect_signal(run_child(read_kernel), SIGSEGV, "read of kernel memory");
	expect_signal(run_child(divide_by_zero), SIGFPE, "divide by zero");
	expect_signal(run_child(illegal_instruction), SIGILL, "ud2");
}

/* ---- Time, names, randomness ---- */

static void t_clock(void)
{
	struct timespec a, b;

	check(clock_gettime(CLOCK_MONOTONIC, &a) == 0, "clock_gettime: %s", strerror(errno));
	for (int i = 0; i < 1000; i++) {
		check(clock_gettime(CLOCK_MONOTONIC, &b) == 0, "clock_gettime");
		check(b.tv_nsec >= 0 && b.tv_nsec < 1000000000, "tv_nsec %ld", b.tv_nsec);
		check(b.tv_sec > a.tv_sec || (b.tv_sec == a.tv_sec && b.tv_nsec >= a.tv_nsec),
		      "CLOCK_MONOTONIC went backwards");
		a = b;
	}
	long start = now_ns();
	while (now_ns() < start + 20000000L)     /* spin 20 ms: the clock must move */
		;
}

static void t_nanosleep(void)
{
	static const long ms[] = { 1, 20, 100 };

	for (int i = 0; i < 3; i++) {
		long start = now_ns();
		check(msleep(ms[i]) == 0, "nanosleep: %s", strerror(errno));
		long slept = now_ns() - start;
		check(slept >= ms[i] * 1000000, "asked %ld ms, slept %ld ns", ms[i], slept);
	}
	struct timespec bad = { 0, 1000000000 };
	expect_err(raw_syscall(SYS_nanosleep, &bad, 0), EINVAL, "tv_nsec = 1e9");
	bad = (struct timespec){ -1, 0 };
	expect_err(raw_syscall(SYS_nanosleep, &bad, 0), EINVAL, "tv_sec = -1");
}

static void t_uname(void)
{
	struct utsname u;

	check(uname(&u) == 0, "uname: %s", strerror(errno));
	check(u.sysname[0] && u.release[0], "empty sysname or release");
	check(strcmp(u.machine, "x86_64") == 0, "machine is \"%s\"", u.machine);
}

static void t_getrandom(void)
{
	unsigned char a[32] = { 0 }, b[32] = { 0 };

	check(getrandom(a, sizeof a, 0) == sizeof a, "getrandom: %s", strerror(errno));
	check(getrandom(b, sizeof b, GRND_NONBLOCK) == sizeof b, "getrandom nonblock");
	check(!all_bytes(a, sizeof a, 0), "32 zero bytes");
	check(memcmp(a, b, sizeof a) != 0, "the same 32 bytes twice");
}

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
static void t_thread_memory(void)
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
static void t_thread_files(void)
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
static void t_thread_ids(void)
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
static void t_thread_join(void)
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

static void t_thread_exec(void)
{
	expect_exit(run_child(thread_execs), 5, "execve from a second thread");
	expect_exit(run_child(leader_execs), 5, "execve from the first thread, with two others");
}

/* /proc's numbers for a process with a 16 TiB region (reserved, not
 * touched) cost what it uses, not what it spans: this must not hang. */
static void t_proc_huge(void)
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

static void *print_dots(void *unused)
{
	for (int i = 0; i < 150; i++)
		printf(".");            /* no newline: all four fill one buffer */
	return NULL;
}

/* printf from several threads at once: whole calls, no broken buffer. */
static void t_printf_threads(void)
{
	thread_t t[4];

	for (int i = 0; i < 4; i++)
		t[i] = start_thread(print_dots, NULL);
	for (int i = 0; i < 4; i++)
		thread_join(t[i], NULL);
	printf("\n");
}

/* exit ends one task, exit_group all of them. */
static void t_thread_exit(void)
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

static void t_thread_faults(void)
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
static void t_clone_flags(void)
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

/* arch_prctl: the FS base is ours to set, but only to a user address. */
static void t_arch_prctl(void)
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

static void t_tgkill(void)
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

static void t_futex(void)
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

/* A futex in MAP_SHARED memory joins two processes: the key is the page,
 * not the address in one mm. */
static void t_futex_shared(void)
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

static void t_threadbomb(void)
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

/* ---- Fork bomb: fork must fail cleanly, and everything come back ---- */

static void t_forkbomb(void)
{
	/* On Linux, stop early: the host's limit is far away and shared. */
	int cap = on_linux ? 200 : 100000;
	pid_t *pids = map_pages((cap * sizeof(pid_t) + PAGE - 1) / PAGE,
				PROT_READ | PROT_WRITE, MAP_PRIVATE);
	int n = 0, status;
	long r;

	while (n < cap && (r = raw_syscall(SYS_fork)) >= 0) {
		if (r == 0)
			pause_forever();
		pids[n++] = r;
	}
	for (int i = 0; i < n; i++)
		kill(pids[i], SIGKILL);
	for (int i = 0; i < n; i++) {
		check(waitpid(pids[i], &status, 0) == pids[i], "wait4 for child %d", i);
		expect_signal(status, SIGKILL, "bomb child");
	}
	expect_err(raw_syscall(SYS_wait4, -1, &status, WNOHANG, 0), ECHILD, "children left over");
	if (on_linux && n == cap)
		return;
	check(n < cap, "fork never failed in %d tries", cap);
	check(r == -EAGAIN || r == -ENOMEM, "fork failed with %ld, want -EAGAIN or -ENOMEM", r);
	check(n > 0, "not a single fork succeeded");
}

/* ---- The runner ---- */

static const struct test {
	const char *name;
	void (*fn)(void);
} tests[] = {
	{ "wait", t_wait },
	{ "zombie", t_zombie },
	{ "orphan", t_orphan },
	{ "ids", t_ids },
	{ "kill", t_kill },
	{ "vfork", t_vfork },
	{ "vfork-exec", t_vfork_exec },
	{ "exec-args", t_exec_args },
	{ "exec-errors", t_exec_errors },
	{ "pipe-data", t_pipe_data },
	{ "pipe-epipe", t_pipe_epipe },
	{ "pipe-block", t_pipe_block },
	{ "fds", t_fds },
	{ "badptr", t_badptr },
	{ "brk", t_brk },
	{ "mmap", t_mmap },
	{ "mmap-fixed", t_mmap_fixed },
	{ "mmap-protnone", t_mmap_protnone },
	{ "mprotect", t_mprotect },
	{ "mmap-shared", t_mmap_shared },
	{ "malloc", t_malloc },
	{ "faults", t_faults },
	{ "clock", t_clock },
	{ "nanosleep", t_nanosleep },
	{ "uname", t_uname },
	{ "getrandom", t_getrandom },
	{ "thread-memory", t_thread_memory },
	{ "thread-files", t_thread_files },
	{ "thread-ids", t_thread_ids },
	{ "thread-join", t_thread_join },
	{ "thread-exit", t_thread_exit },
	{ "thread-exec", t_thread_exec },
	{ "proc-huge", t_proc_huge },
	{ "printf-threads", t_printf_threads },
	{ "thread-faults", t_thread_faults },
	{ "clone-flags", t_clone_flags },
	{ "arch-prctl", t_arch_prctl },
	{ "tgkill", t_tgkill },
	{ "futex", t_futex },
	{ "futex-shared", t_futex_shared },
	{ "forkbomb", t_forkbomb },
	{ "threadbomb", t_threadbomb },
};

/* Waits for a test, killing its process group when it takes too long. */
static int wait_test(pid_t pid)
{
	long deadline = now_ns() + TEST_TIMEOUT_S * 1000000000L;
	int status;

	while (waitpid(pid, &status, WNOHANG) == 0) {
		if (now_ns() > deadline) {
			kill(-pid, SIGKILL);
			waitpid(pid, &status, 0);
			return -1;
		}
		msleep(5);
	}
	return status;
}

static bool run_test(const struct test *t)
{
	pid_t pid = fork();

	if (pid < 0) {
		printf("FAIL usertests/%s: fork: %s\n", t->name, strerror(errno));
		return false;
	}
	if (pid == 0) {
		test_name = t->name;
		setpgid(0, 0);          /* so a timeout can kill the test's children too */
		t->fn();
		exit(0);
	}
	int status = wait_test(pid);
	if (status == -1)
		printf("FAIL usertests/%s: timed out after %d s\n", t->name, TEST_TIMEOUT_S);
	else if (WIFSIGNALED(status))
		printf("FAIL usertests/%s: killed by signal %d\n", t->name, WTERMSIG(status));
	else if (WEXITSTATUS(status) != 0 && WEXITSTATUS(status) != REPORTED)
		printf("FAIL usertests/%s: exit status %d\n", t->name, WEXITSTATUS(status));
	else if (WEXITSTATUS(status) == 0)
		printf("PASS usertests/%s\n", t->name);
	return status == 0;
}

static long free_pages(void)
{
	struct sysinfo si;

	if (sysinfo(&si) < 0)
		return -1;
	return (long)(si.freeram * si.mem_unit / PAGE);
}

/* Touch the stack we will use, so that growing it does not count as a leak. */
static void prefault_stack(void)
{
	volatile char pad[32 * 1024];

	for (size_t i = 0; i < sizeof pad; i += PAGE)
		pad[i] = 0;
}

/* Orphans are reaped by init and frames may be freed a moment after a
 * process is, so give the count a second to settle before calling it lost. */
static bool check_free_pages(long before)
{
	long after = free_pages();

	for (int i = 0; i < 100 && after != before; i++) {
		msleep(10);
		after = free_pages();
	}
	if (after == before)
		printf("PASS usertests/free-pages\n");
	else
		printf("FAIL usertests/free-pages: %ld free pages before the run, %ld after\n",
		       before, after);
	return after == before;
}

static void find_paths(const char *argv0)
{
	static char path[256];

	if (!strchr(argv0, '/'))
		snprintf(path, sizeof path, "/bin/%s", argv0);
	else
		snprintf(path, sizeof path, "%s", argv0);
	self = path;
	/* The tree holding /bin/usertests is the file system's root: on tasklab
	 * that is /, on Linux wherever build/rootfs is. */
	const char *bin = NULL;
	for (const char *p = self; (p = strchr(p, '/')); p++)
		if (strncmp(p, "/bin/", 5) == 0)
			bin = p;
	snprintf(root, sizeof root, "%.*s", bin ? (int)(bin - self) : 2, bin ? self : "..");
}

int main(int argc, char **argv)
{
	struct utsname u;
	int passed = 0, failed = 0;

	find_paths(argv[0]);
	on_linux = uname(&u) == 0 && strcmp(u.sysname, "Linux") == 0;
	if (argc > 1 && strcmp(argv[1], "--exec-probe") == 0) {
		test_name = "exec-args";
		exec_probe(argc, argv);
	}
	if (argc > 2 && strcmp(argv[1], "--sleep") == 0)      /* for vfork-exec */
		return msleep(atoi(argv[2]));
	prefault_stack();
	long before = free_pages();
	for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++) {
		bool wanted = argc == 1;
		for (int j = 1; j < argc; j++)
			wanted |= strcmp(argv[j], tests[i].name) == 0;
		if (wanted && run_test(&tests[i]))
			passed++;
		else if (wanted)
			failed++;
	}
	if (on_linux)
		printf("usertests: free-page count not checked on Linux\n");
	else if (check_free_pages(before))
		passed++;
	else
		failed++;
	printf("usertests: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}
