/*
 * usertests: the kernel's system calls seen from user space, in xv6's
 * spirit. Each test runs in a forked child, so a test that crashes only
 * fails itself. Prints `PASS usertests/NAME` or `FAIL usertests/NAME: why`
 * per test, then `usertests: N passed, N failed`.
 *
 *   usertests            run every test
 *   usertests NAME...    run only those
 *
 * Around the whole run the free pages are counted (MemAvailable): on tasklab a
 * single page not given back fails the run. The same binary runs on Linux,
 * where only that check is skipped (Linux's free memory moves on its own).
 */
#include "usertests.h"

#define REPORTED 99          /* a test's exit status: it printed its own FAIL */
#define TEST_TIMEOUT_S 60

const char *test_name;
const char *self;
char root[256];
bool on_linux;

/* ---- Helpers for the tests ---- */

__attribute__((noreturn, format(printf, 1, 2)))
void fail(const char *fmt, ...)
{
	va_list ap;

	printf("FAIL usertests/%s: ", test_name);
	va_start(ap, fmt);
	vfprintf(stdout, fmt, ap);
	va_end(ap);
	printf("\n");
	exit(REPORTED);
}


/* For raw system calls: the result must be -err. */
void expect_err(long r, int err, const char *what)
{
	check(r == -err, "%s: got %ld, want -%d (%s)", what, r, err, strerror(err));
}

char *path_in_root(const char *path)
{
	static char buf[4][300];
	static int next;
	char *p = buf[next++ % 4];

	snprintf(p, sizeof buf[0], "%s%s", root, path);
	return p;
}

/* Runs fn in a child and returns the child's wait status. */
int run_child(void (*fn)(void))
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

void expect_signal(int status, int sig, const char *what)
{
	check(WIFSIGNALED(status) && WTERMSIG(status) == sig,
	      "%s: want death by signal %d, got status 0x%x", what, sig, status);
}

void expect_exit(int status, int code, const char *what)
{
	check(WIFEXITED(status) && WEXITSTATUS(status) == code,
	      "%s: want exit %d, got status 0x%x", what, code, status);
}

void read_exactly(int fd, void *buf, size_t n, const char *what)
{
	check(read(fd, buf, n) == (ssize_t)n, "%s: short read", what);
}

void *map_pages(int pages, int prot, int flags)
{
	void *p = mmap(NULL, pages * PAGE, prot, flags | MAP_ANONYMOUS, -1, 0);

	check(p != MAP_FAILED, "mmap: %s", strerror(errno));
	return p;
}

volatile unsigned char *touch_addr;     /* what touch_read and touch_write touch */

void touch_write(void)
{
	*touch_addr = 1;
}

void touch_read(void)
{
	(void)*touch_addr;
}

/* Writing (or reading) at p must kill a child with SIGSEGV. */
void expect_segv(void *p, void (*how)(void), const char *what)
{
	touch_addr = p;
	expect_signal(run_child(how), SIGSEGV, what);
}

void write_null(void)
{
	*(volatile int *)0 = 1;
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

__attribute__((noreturn)) void pause_forever(void)
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
		check(pid > 0, "fork: %s", strerror(errno));    /* kill(-1) would end us all */
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
	check(pid > 0, "fork: %s", strerror(errno));
	read_exactly(p[0], &status, 1, "ready");
	kill(pid, SIGTERM);
	msleep(30);
	check(waitpid(pid, &status, WNOHANG) == 0, "a child ignoring SIGTERM died of it");
	kill(pid, SIGKILL);
	check(waitpid(pid, &status, 0) == pid, "wait4");
	expect_signal(status, SIGKILL, "SIGKILL");
}

#define SIGRT 32             /* the first real-time signal (no C library here keeps it) */

/* A process that floods itself with a blocked real-time signal until
 * the queue is full, adds one for the whole process, and exits with them
 * all pending. */
static void fill_sigqueue(void)
{
	uint64_t set = 1ULL << (SIGRT - 1) | 1ULL << (SIGUSR1 - 1);
	long n = 0, r;

	check(raw_syscall(SYS_rt_sigprocmask, SIG_BLOCK, &set, 0, sizeof(set)) == 0,
	      "rt_sigprocmask");
	while (n < 1000000 && (r = raw_syscall(SYS_tgkill, getpid(), gettid(), SIGRT)) == 0)
		n++;
	expect_err(r, EAGAIN, "tgkill past the queue's limit");
	check(kill(getpid(), SIGRT) == 0, "kill past the queue's limit: %s", strerror(errno));
	check(kill(getpid(), SIGUSR1) == 0, "kill: %s", strerror(errno));
}

/* Real-time signals queue up to a limit, and each entry of the queue is
 * given back when the process goes, delivered or not: the free-page
 * count around the run would catch one that is not. */
static void t_sigqueue(void)
{
	int status = run_child(fill_sigqueue);

	check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the child: status 0x%x", status);
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

/* Past 64 fds the table grows (fs/file.c's expand_files): dup2 to a high
 * fd in a small table, dup taking the lowest free fd across the growth,
 * and a fork copying a grown table. */
#define MANY_FDS 100

static void dup2_high(void)
{
	check(dup2(1, MANY_FDS - 10) == MANY_FDS - 10, "dup2 to fd %d", MANY_FDS - 10);
	check(raw_syscall(SYS_fcntl, MANY_FDS - 10, F_GETFD) == 0, "fcntl of the new fd");
	check(close(MANY_FDS - 10) == 0, "close of the new fd");
	expect_err(raw_syscall(SYS_close, MANY_FDS - 10), EBADF, "close of it again");
}

static void use_high_fd(void)
{
	_exit(raw_syscall(SYS_fcntl, MANY_FDS - 1, F_GETFD) == 0 ? 0 : 1);
}

static void t_many_fds(void)
{
	int first = dup(0), fd = first, status;

	expect_exit(run_child(dup2_high), 0, "dup2 to a high fd");
	check(first >= 0, "dup: %s", strerror(errno));
	while (fd < MANY_FDS - 1) {
		int next = dup(0);
		check(next == fd + 1, "dup gave %d, want the lowest free fd %d", next, fd + 1);
		fd = next;
	}
	status = run_child(use_high_fd);
	expect_exit(status, 0, "a forked child's fd 99");
	for (fd = first; fd < MANY_FDS; fd++)
		check(close(fd) == 0, "close %d", fd);
	expect_err(raw_syscall(SYS_fcntl, MANY_FDS - 1, F_GETFD), EBADF, "fcntl of a closed fd");
	check(dup(0) == first, "dup after closing: not the lowest free fd");
	close(first);
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
	{ "sigqueue", t_sigqueue },
	{ "vfork", t_vfork },
	{ "vfork-exec", t_vfork_exec },
	{ "exec-args", t_exec_args },
	{ "exec-errors", t_exec_errors },
	{ "pipe-data", t_pipe_data },
	{ "pipe-epipe", t_pipe_epipe },
	{ "pipe-block", t_pipe_block },
	{ "fds", t_fds },
	{ "many-fds", t_many_fds },
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
	{ "fs-storm", t_fs_storm },
	{ "fs-full", t_fs_full },
	{ "thread-memory", t_thread_memory },
	{ "thread-files", t_thread_files },
	{ "thread-ids", t_thread_ids },
	{ "thread-join", t_thread_join },
	{ "thread-exit", t_thread_exit },
	{ "thread-exec", t_thread_exec },
	{ "proc-huge", t_proc_huge },
	{ "proc-stat", t_proc_stat },
	{ "priority", t_priority },
	{ "proc-meminfo", t_proc_meminfo },
	{ "printf-threads", t_printf_threads },
	{ "thread-faults", t_thread_faults },
	{ "clone-flags", t_clone_flags },
	{ "clone-tids", t_clone_tids },
	{ "arch-prctl", t_arch_prctl },
	{ "tgkill", t_tgkill },
	{ "futex", t_futex },
	{ "futex-shared", t_futex_shared },
	{ "mutex", t_mutex },
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

/* MemAvailable, not MemFree: the kernel keeps the stacks of a few exited
 * tasks for the next ones, and counts them there. */
static long free_pages(void)
{
	long kb = meminfo_kb("MemAvailable");

	return kb < 0 ? -1 : kb / (PAGE / 1024);
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
	/* What the console shows between the verdicts must not look like failure. */
	printf("usertests: some tests crash a child on purpose (bad pointers, a division by zero);\n"
	       "usertests: the kernel's lines about them (\"segfault at ...\", \"traps: ...\") are expected\n");
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
