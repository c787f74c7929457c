/*
 * fuzz: a system-call fuzzer at teaching scale, in the spirit of syzkaller.
 *
 *   fuzz [-v] [-s SEED] [-t SECONDS] [-r ROUNDS] [-p PROCS] [-n CALLS]
 *   fuzz -c PROG [ARG...]     only the leak check, around PROG
 *
 * A round forks PROCS worker processes, each with two fuzzing threads and a
 * ticker; each fuzzing thread makes CALLS
 * system calls whose arguments come from a small description of every call
 * (the table `calls` below): the descriptors and mappings the worker made,
 * plausible sizes and flags, and hostile values (NULL, kernel addresses,
 * unaligned pointers, lengths that wrap, -1). Workers fork children that
 * fuzz too, with the calls a worker must not make (execve, rt_sigreturn,
 * set_tid_address...), and kill them at the end. The ticker signals the
 * fuzzing threads every few milliseconds, so no blocking call blocks for
 * good. Rounds go on until ROUNDS are done or SECONDS have passed; round R
 * uses seed SEED+R, and under tools/run --icount a seed repeats exactly.
 *
 * The harness (this process) checks that when every worker is gone, the
 * free pages (MemAvailable), the kmalloc objects in use (SlabObjects) and
 * the number of processes are what they were before: nothing leaked. Run
 * by init, it is spared by fault injection (fail=), and its workers are
 * not. A round that does not end within a minute is a hang: the harness
 * shows what is left and gives up. Exit status 0: no leak; 1: a leak; 2: a
 * usage error; 3: a hang.
 */
#include "ulib.h"

#define PAGE        4096
#define MIN(a, b)   ((a) < (b) ? (a) : (b))
#define ARENA_SIZE  (256 * 1024)    /* the mappings and buffers calls may use */
#define FUZZ_THREADS 2
#define MAX_FDS     32
#define MAX_MAPS    16
#define MAX_KIDS    10
#define KID_CALLS   40
#define TICK_NS     2000000
#define ROUND_LIMIT_NS (60 * 1000000000L)  /* a round takes well under a second */

/* What a worker tells the harness, through a pipe; each thread counts
 * its calls in one too. */
struct report {
	long calls, failed, nomem, signals;
};

/* ---- the random numbers: xorshift64*, one state per thread ---- */

static uint64_t mix(uint64_t x)         /* splitmix64: seeds from seeds */
{
	x += 0x9e3779b97f4a7c15;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9;
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb;
	return x ^ (x >> 31);
}

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1d;
}

static uint64_t below(uint64_t *s, uint64_t n)
{
	return rnd(s) % n;
}

#define PICK(s, arr) ((arr)[below(s, sizeof(arr) / sizeof((arr)[0]))])

/* ---- what a worker owns: its pools ---- */

static char *arena;                     /* ARENA_SIZE bytes, then a guard page */
/* Where the arguments the kernel reads are built (timespecs, iovecs...):
 * not in the arena, which calls may unmap or make read-only. */
static char args_area[4 * PAGE] __attribute__((aligned(PAGE)));
static int fds[MAX_FDS], nfds;
static struct { uintptr_t addr; size_t len; } maps[MAX_MAPS];
static int nmaps;
static int kids[MAX_KIDS], nkids;      /* 0: reaped */
static uintptr_t initial_brk;
static bool in_kid;                     /* a forked child may make any call */
static volatile int nsignals;
static bool verbose;                    /* -v: every call on stderr, before it runs */
/* On tasklab init runs us and nothing else runs: the harness may end what
 * is left. On both kernels open only reads: the root is writable, and a
 * file created or truncated would outlive the run (a leak to the check,
 * and /bin/true empty for the children's exec). */
static bool on_tasklab;

/* Pools are shared by the worker's threads without locks: a lost update
 * only means another value is fuzzed. */
static void remember(int *pool, int *n, int max, int v, uint64_t *s)
{
	if (*n < max)
		pool[(*n)++] = v;
	else
		pool[below(s, max)] = v;
}

/* Values no call should accept as an address. */
static const uint64_t hostile_addrs[] = {
	0, 1, 0xfff, 0xffffffff80000000, 0xffff800000000000, 0x0000800000000000,
	0xffffffffffffffff, 0x8000000000000000,
};

/* Lengths past the end of user space from any address: even from 0 they
 * may not unmap the worker's own code. */
static const uint64_t hostile_lens[] = {
	0xffffffffffffffff, 0xfffffffffffff000, 0x8000000000000000, 1UL << 48,
};

static uint64_t arg_len(uint64_t *s)
{
	switch (below(s, 6)) {
	case 0: return 0;
	case 1: return 1 + below(s, 64);
	case 2: return PAGE;
	case 3: return below(s, 4 * PAGE);
	case 4: return ARENA_SIZE;
	default: return below(s, 2) ? PICK(s, hostile_lens) : 0x7fffffff;
	}
}

/* A pointer for the kernel to read or write: into the arena (aligned or
 * not, near the guard page), into a mapping, or hostile. */
static uint64_t arg_ptr(uint64_t *s)
{
	switch (below(s, 8)) {
	case 0: return PICK(s, hostile_addrs);
	case 1: return (uintptr_t)arena + ARENA_SIZE - 1 - below(s, 16);
	case 2: if (nmaps)
			return maps[below(s, nmaps)].addr + below(s, PAGE);
		/* fall through */
	case 3: return (uintptr_t)arena + below(s, ARENA_SIZE);
	default: return (uintptr_t)arena + below(s, ARENA_SIZE / 8) * 8;
	}
}

static uint64_t arg_fd(uint64_t *s)
{
	static const int64_t bad[] = { -1, -100, 1 << 20, 0x7fffffff, 4096, 63, 64 };

	if (nfds && below(s, 8))
		return fds[below(s, nfds)];
	return PICK(s, bad);
}

static const char long_path[] =
	"/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	"/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
	"/ccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc";

static uint64_t arg_path(uint64_t *s)
{
	static const char *const paths[] = {
		"/", "/proc", "/proc/self/maps", "/proc/self/stat", "/proc/meminfo",
		"/proc/self/task", "/proc/1/status", "/bin", "/bin/true", "/bin/true/x",
		"/nonexistent", "", ".", "..", "/proc/self/fd", "/tests/notelf", long_path,
	};

	if (below(s, 6) == 0)
		return arg_ptr(s);
	return (uintptr_t)PICK(s, paths);
}

static uint64_t arg_flags(uint64_t *s, uint64_t plausible)
{
	switch (below(s, 4)) {
	case 0: return rnd(s);
	case 1: return rnd(s) & 0xffffffff;
	default: return rnd(s) & plausible;
	}
}

/* A process for kill and friends: ourselves, a child, a group, nobody.
 * Never init, the harness or another worker (-1 would reach them all). */
static uint64_t arg_pid(uint64_t *s)
{
	switch (below(s, 6)) {
	case 0: return getpid();
	case 1: return gettid();
	case 2: return nkids ? kids[below(s, nkids)] : 0;
	case 3: return 0;
	case 4: return nkids ? -(long)kids[below(s, nkids)] : 99999;
	default: return PICK(s, ((const int64_t[]){ 99999, 0x7fffffff, -0x7fffffff, 1 << 30 }));
	}
}

/* Signals a worker may send itself: each has a handler or is ignored. A
 * child may send anything to whoever it may reach. */
static uint64_t arg_sig(uint64_t *s)
{
	static const int mild[] = { 0, SIGUSR1, SIGUSR2, SIGALRM, SIGCHLD, SIGWINCH, SIGCONT };
	static const int any[] = { SIGKILL, SIGSTOP, SIGTERM, SIGSEGV, 65, -1, 1000 };

	return in_kid && below(s, 4) == 0 ? PICK(s, any) : PICK(s, mild);
}

/* A timespec for a sleep: short, malformed, long (a signal ends it), or a
 * bad pointer. */
static uint64_t arg_timespec(uint64_t *s)
{
	struct timespec *ts = (struct timespec *)(args_area + below(s, 64) * 16);

	switch (below(s, 5)) {
	case 0: return PICK(s, hostile_addrs);
	case 1: *ts = (struct timespec){ 0, 1000000000 }; break;         /* EINVAL */
	case 2: *ts = (struct timespec){ -1, 0 }; break;
	case 3: *ts = (struct timespec){ 1000, 0 }; break;
	default: *ts = (struct timespec){ 0, below(s, 2000000) }; break;
	}
	return (uintptr_t)ts;
}

/* An iovec array, its entries any pointer and length. */
static uint64_t arg_iov(uint64_t *s)
{
	struct { uint64_t base, len; } *iov = (void *)(args_area + PAGE + below(s, 64) * 64);

	if (below(s, 6) == 0)
		return arg_ptr(s);
	for (int i = 0; i < 4; i++) {
		iov[i].base = arg_ptr(s);
		iov[i].len = arg_len(s);
	}
	return (uintptr_t)iov;
}

static uint64_t arg_iovcnt(uint64_t *s)
{
	return below(s, 4) ? below(s, 5) : PICK(s, ((const int64_t[]){ -1, 1025, 1 << 30 }));
}

/* A signal mask: never SIGUSR1 in a worker, or the ticker could not wake
 * a blocked call; a child may block anything. */
static uint64_t arg_sigset(uint64_t *s)
{
	uint64_t *set = (uint64_t *)(args_area + 2 * PAGE + below(s, 64) * 8);

	if (below(s, 6) == 0)           /* not into the arena: a random mask */
		return PICK(s, hostile_addrs);
	*set = rnd(s) & (in_kid ? ~0UL : ~(1UL << (SIGUSR1 - 1)));
	return (uintptr_t)set;
}

/* An address for the mmap family: a page of the arena or of a mapping
 * (unaligned now and then), or hostile. */
static uint64_t arg_map_addr(uint64_t *s)
{
	uint64_t off = below(s, 8) ? 0 : 1 + below(s, PAGE - 1);

	switch (below(s, 4)) {
	case 0: return PICK(s, hostile_addrs);
	case 1: if (nmaps)
			return maps[below(s, nmaps)].addr + off;
		/* fall through */
	default: return (uintptr_t)arena + below(s, ARENA_SIZE / PAGE) * PAGE + off;
	}
}

/* A length for the mmap family that stays inside the arena when addr is
 * in it, so no call unmaps the worker's own code, stack or threads. */
static uint64_t arg_map_len(uint64_t *s, uint64_t addr)
{
	uint64_t a = (uintptr_t)arena, room, len;

	if (below(s, 8) == 0)
		return PICK(s, hostile_lens);
	len = below(s, 4) == 0 ? below(s, 3 * PAGE) : (1 + below(s, 8)) * PAGE;
	if (addr >= a && addr < a + ARENA_SIZE) {
		room = a + ARENA_SIZE - addr;
		return len < room ? len : room;
	}
	for (int i = 0; i < nmaps; i++)
		if (addr >= maps[i].addr && addr < maps[i].addr + maps[i].len)
			return MIN(len, maps[i].addr + maps[i].len - addr);
	return len;
}

/* ---- the calls ---- */

enum kind {
	NONE, FD, PTR, LEN, PATH, FLAGS, PID, SIG, TIMESPEC, IOV, IOVCNT, SIGSET,
	MAPADDR, MAPLEN, SMALL, WHENCE, CLOCK, PROT, MAPFLAGS, FUTEXOP, IOCTL, FCNTL,
	ADVICE, CLONEFLAGS, ARCHCODE, SIGSETSIZE, WAITOPT, NICE, BRK, ACTSIG, SIGACT, ARGV,
};

struct call {
	const char *name;
	int nr;
	enum kind args[6];
	uint64_t flags;         /* FLAGS: the bits that make sense */
	bool kid_only;          /* it would end or derail a worker */
};

#define O_ANY (O_ACCMODE | O_CREAT | O_EXCL | O_TRUNC | O_APPEND | O_NONBLOCK | O_DIRECTORY | O_CLOEXEC)

static const struct call calls[] = {
	{ "read", SYS_read, { FD, PTR, LEN } },
	{ "write", SYS_write, { FD, PTR, LEN } },
	{ "open", SYS_open, { PATH, FLAGS, SMALL }, O_ANY },
	{ "close", SYS_close, { FD } },
	{ "stat", SYS_stat, { PATH, PTR } },
	{ "fstat", SYS_fstat, { FD, PTR } },
	{ "lstat", SYS_lstat, { PATH, PTR } },
	{ "lseek", SYS_lseek, { FD, LEN, WHENCE } },
	{ "mmap", SYS_mmap, { MAPADDR, MAPLEN, PROT, MAPFLAGS, FD, LEN } },
	{ "mprotect", SYS_mprotect, { MAPADDR, MAPLEN, PROT } },
	{ "munmap", SYS_munmap, { MAPADDR, MAPLEN } },
	{ "brk", SYS_brk, { BRK } },
	{ "rt_sigaction", SYS_rt_sigaction, { ACTSIG, SIGACT, PTR, SIGSETSIZE } },
	{ "rt_sigprocmask", SYS_rt_sigprocmask, { SMALL, SIGSET, PTR, SIGSETSIZE } },
	{ "rt_sigreturn", 15, { NONE }, 0, true },
	{ "ioctl", SYS_ioctl, { FD, IOCTL, PTR } },
	{ "readv", SYS_readv, { FD, IOV, IOVCNT } },
	{ "writev", SYS_writev, { FD, IOV, IOVCNT } },
	{ "access", SYS_access, { PATH, SMALL } },
	{ "pipe", SYS_pipe, { PTR } },
	{ "sched_yield", SYS_sched_yield, { NONE } },
	{ "madvise", SYS_madvise, { MAPADDR, MAPLEN, ADVICE } },
	{ "dup", SYS_dup, { FD } },
	{ "dup2", SYS_dup2, { FD, FD } },
	{ "pause", SYS_pause, { NONE } },
	{ "nanosleep", SYS_nanosleep, { TIMESPEC, PTR } },
	{ "getpid", SYS_getpid, { NONE } },
	{ "fork", SYS_fork, { NONE } },
	{ "vfork", SYS_vfork, { NONE } },
	{ "clone", SYS_clone, { CLONEFLAGS, PTR, PTR, PTR, PTR } },
	{ "execve", SYS_execve, { PATH, ARGV, ARGV }, 0, true },
	{ "exit", SYS_exit, { SMALL }, 0, true },
	{ "wait4", SYS_wait4, { PID, PTR, WAITOPT, PTR } },
	{ "kill", SYS_kill, { PID, SIG } },
	{ "uname", SYS_uname, { PTR } },
	{ "fcntl", SYS_fcntl, { FD, FCNTL, SMALL } },
	{ "getcwd", SYS_getcwd, { PTR, LEN } },
	{ "chdir", SYS_chdir, { PATH } },
	{ "sysinfo", SYS_sysinfo, { PTR } },
	{ "getuid", 102, { NONE } },
	{ "setpgid", SYS_setpgid, { PID, PID } },
	{ "getppid", SYS_getppid, { NONE } },
	{ "getpgrp", SYS_getpgrp, { NONE } },
	{ "setsid", SYS_setsid, { NONE } },
	{ "getpgid", SYS_getpgid, { PID } },
	{ "getsid", 124, { PID } },
	{ "getpriority", SYS_getpriority, { SMALL, PID } },
	{ "setpriority", SYS_setpriority, { SMALL, PID, NICE } },
	{ "arch_prctl", SYS_arch_prctl, { ARCHCODE, PTR } },
	{ "gettid", SYS_gettid, { NONE } },
	{ "tkill", SYS_tkill, { PID, SIG } },
	{ "futex", SYS_futex, { PTR, FUTEXOP, SMALL, TIMESPEC, PTR, SMALL } },
	{ "getdents64", SYS_getdents64, { FD, PTR, LEN } },
	{ "set_tid_address", SYS_set_tid_address, { PTR }, 0, true },
	{ "restart_syscall", 219, { NONE } },
	{ "clock_gettime", SYS_clock_gettime, { CLOCK, PTR } },
	{ "clock_getres", 229, { CLOCK, PTR } },
	{ "clock_nanosleep", SYS_clock_nanosleep, { CLOCK, SMALL, TIMESPEC, PTR } },
	{ "tgkill", SYS_tgkill, { PID, PID, SIG } },
	{ "openat", SYS_openat, { FD, PATH, FLAGS, SMALL }, O_ANY },
	{ "newfstatat", SYS_newfstatat, { FD, PATH, PTR, FLAGS }, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH },
	{ "dup3", SYS_dup3, { FD, FD, FLAGS }, O_CLOEXEC },
	{ "pipe2", SYS_pipe2, { PTR, FLAGS }, O_CLOEXEC | O_NONBLOCK },
	{ "getrandom", SYS_getrandom, { PTR, LEN, FLAGS }, 7 },
};

/* The signals whose action a worker may change: not SIGUSR1 (the ticker's)
 * nor SIGPIPE, and only to a handler or to ignore; a child, any. */
static uint64_t arg_actsig(uint64_t *s)
{
	static const int mild[] = { SIGUSR2, SIGALRM, SIGCHLD, SIGWINCH };

	return in_kid ? below(s, 70) : PICK(s, mild);
}

static void on_signal(int sig)
{
	nsignals++;
}

static void *restorer;          /* ulib's, read back from the kernel at setup */

static uint64_t arg_sigact(uint64_t *s)
{
	struct kernel_sigaction *sa = (void *)(args_area + 3 * PAGE + below(s, 64) * 32);
	static const uint64_t kid_handlers[] = { 0 /* SIG_DFL */, 0x1000, 0xffffffff80000000 };

	switch (below(s, 5)) {
	case 0: return in_kid ? arg_ptr(s) : 0;
	case 1: *sa = (struct kernel_sigaction){ .handler = (void *)1 }; break;    /* SIG_IGN */
	case 2: if (in_kid) {
			*sa = (struct kernel_sigaction){ .handler = (void *)PICK(s, kid_handlers) };
			break;
		}
		/* fall through */
	default:
		*sa = (struct kernel_sigaction){ .handler = on_signal, .restorer = restorer,
						 .flags = SA_RESTORER | (arg_flags(s, SA_NODEFER | SA_RESETHAND | SA_SIGINFO) & ~(in_kid ? 0 : SA_RESETHAND)) };
	}
	return (uintptr_t)sa;
}

static uint64_t arg(uint64_t *s, const struct call *c, enum kind k, const uint64_t *prev)
{
	static const int64_t small[] = { 0, 1, 2, 3, -1, 0x7fffffff, 64, 0x80000000 };

	switch (k) {
	case NONE: return 0;
	case FD: return arg_fd(s);
	case PTR: return arg_ptr(s);
	case LEN: return arg_len(s);
	case PATH: return arg_path(s);
	case FLAGS: return arg_flags(s, c->flags) & (c->nr != SYS_open && c->nr != SYS_openat ?
		~0UL : ~(uint64_t)(O_ACCMODE | O_CREAT | O_TRUNC | O_APPEND));
	case PID: return arg_pid(s);
	case SIG: return arg_sig(s);
	case TIMESPEC: return arg_timespec(s);
	case IOV: return arg_iov(s);
	case IOVCNT: return arg_iovcnt(s);
	case SIGSET: return arg_sigset(s);
	case MAPADDR: return arg_map_addr(s);
	case MAPLEN: return arg_map_len(s, prev[0]);
	case SMALL: return below(s, 2) ? PICK(s, small) : below(s, 64);
	case WHENCE: return below(s, 5) ? below(s, 5) : rnd(s);
	case CLOCK: return below(s, 5) ? below(s, 8) : PICK(s, small);
	case PROT: return below(s, 5) ? below(s, 8) : rnd(s);
	case MAPFLAGS: return PICK(s, ((const uint64_t[]){
		MAP_PRIVATE | MAP_ANONYMOUS, MAP_SHARED | MAP_ANONYMOUS, MAP_PRIVATE | MAP_ANONYMOUS,
		MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED,
		MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, MAP_PRIVATE, MAP_SHARED, 0,
		MAP_PRIVATE | MAP_SHARED | MAP_ANONYMOUS }));
	case FUTEXOP: return below(s, 6) ? PICK(s, ((const uint64_t[]){ FUTEX_WAIT, FUTEX_WAKE,
		FUTEX_REQUEUE, FUTEX_CMP_REQUEUE, FUTEX_WAIT_BITSET, FUTEX_WAKE_BITSET }))
		| (below(s, 2) ? FUTEX_PRIVATE_FLAG : 0) : rnd(s) & 0x1ff;
	case IOCTL: return PICK(s, ((const uint64_t[]){ 0x5401, 0x5402, 0x5413, 0x541b, 0x5410,
		0x540f, 0, 0xffffffff }));
	case FCNTL: return PICK(s, ((const uint64_t[]){ F_DUPFD, F_GETFD, F_SETFD, F_GETFL,
		F_SETFL, F_DUPFD_CLOEXEC, 1000, -1 }));
	case ADVICE: return PICK(s, ((const uint64_t[]){ MADV_DONTNEED, MADV_FREE,
		MADV_NOHUGEPAGE, 0, 1, 2, 1000, -1 }));
	/* Only combinations clone must refuse: a child on a random stack
	 * sharing our memory would wreck the worker. SIGCHLD alone is fork. */
	case CLONEFLAGS: return PICK(s, ((const uint64_t[]){ CLONE_THREAD, CLONE_SIGHAND,
		CLONE_THREAD | CLONE_SIGHAND, CLONE_VM | CLONE_THREAD, CLONE_FS | CLONE_NEWNS,
		CLONE_SIGHAND | CLONE_VFORK, SIGCHLD, SIGCHLD | CLONE_PARENT_SETTID }));
	case ARCHCODE: return in_kid && below(s, 2) ? PICK(s, ((const uint64_t[]){ ARCH_SET_FS,
		ARCH_SET_GS, 0, -1 })) : PICK(s, ((const uint64_t[]){ ARCH_GET_FS, ARCH_GET_GS }));
	case SIGSETSIZE: return below(s, 6) ? 8 : PICK(s, small);
	case WAITOPT: return PICK(s, ((const uint64_t[]){ 0, WNOHANG, WNOHANG, 0x7fffffff }));
	case NICE: return below(s, 6) ? below(s, 40) - 20 : PICK(s, small);
	case BRK: return below(s, 3) ? (below(s, 2) ? 0 : PICK(s, hostile_addrs))
				     : initial_brk + below(s, 64) * PAGE;
	case ACTSIG: return arg_actsig(s);
	case SIGACT: return arg_sigact(s);
	case ARGV: return below(s, 3) ? (uintptr_t)(const char *const[]){ "true", "x", NULL }
				      : arg_ptr(s);
	}
	return 0;
}

/* ---- making calls ---- */

static bool failed(long ret)
{
	return (unsigned long)ret > -4096UL;
}

/* vfork's child shares our stack: it must exit without a call or a return
 * of its own, so both sides are one piece of assembly. */
static long vfork_exit(void)
{
	long ret;

	__asm__ volatile("syscall\n\t"
			 "test %%rax, %%rax\n\t"
			 "jnz 1f\n\t"
			 "mov $60, %%eax\n\t"
			 "xor %%edi, %%edi\n\t"
			 "syscall\n"
			 "1:"
			 : "=a"(ret) : "a"(SYS_vfork) : "rcx", "r11", "rdi", "memory");
	return ret;
}

static void kid_main(uint64_t *s);

/* What a call's result adds to the pools. */
static void note_result(uint64_t *s, const struct call *c, const uint64_t *a, long ret)
{
	int nr = c->nr;

	if ((nr == SYS_fork || nr == SYS_clone) && ret == 0) {
		if (in_kid)
			raw_syscall(SYS_exit_group, 0);     /* no grandchildren fuzzing */
		kid_main(s);
	}
	if (failed(ret))
		return;
	if (nr == SYS_open || nr == SYS_openat || nr == SYS_dup || nr == SYS_dup2 ||
	    nr == SYS_dup3)
		remember(fds, &nfds, MAX_FDS, ret, s);
	else if ((nr == SYS_pipe || nr == SYS_pipe2) && a[0] >= (uintptr_t)arena &&
		 a[0] + 8 <= (uintptr_t)arena + ARENA_SIZE) {
		remember(fds, &nfds, MAX_FDS, ((int *)a[0])[0], s);
		remember(fds, &nfds, MAX_FDS, ((int *)a[0])[1], s);
	} else if (nr == SYS_mmap && !(a[3] & MAP_FIXED) && nmaps < MAX_MAPS) {
		maps[nmaps].addr = ret;
		maps[nmaps++].len = (a[1] + PAGE - 1) & ~(uint64_t)(PAGE - 1);
	} else if ((nr == SYS_fork || nr == SYS_clone) && ret > 0) {
		kids[__atomic_fetch_add(&nkids, 1, __ATOMIC_RELAXED)] = ret;
	} else if (nr == SYS_wait4 && ret > 0) {
		for (int i = 0; i < nkids; i++)
			if (kids[i] == ret)
				kids[i] = 0;        /* gone: no signal for whoever gets its pid */
	}
}

/* One random call with random arguments. */
static void fuzz_one(uint64_t *s, struct report *t)
{
	const struct call *c;
	uint64_t a[6] = { 0 };
	long ret;

	do
		c = &calls[below(s, sizeof calls / sizeof calls[0])];
	while (c->kid_only && !in_kid);
	for (int i = 0; i < 6; i++)
		a[i] = arg(s, c, c->args[i], a);
	/* Every child must be known, to be killed at the end: one slot each,
	 * and room for the other threads' forks under way. */
	if ((c->nr == SYS_fork || c->nr == SYS_clone) && nkids >= MAX_KIDS - FUZZ_THREADS)
		return;
	if (verbose)
		fprintf(stderr, "fuzz %d/%d: %s(%lx, %lx, %lx, %lx, %lx, %lx)\n", getpid(), gettid(),
			c->name, a[0], a[1], a[2], a[3], a[4], a[5]);
	if (c->nr == SYS_vfork)
		ret = vfork_exit();
	else
		ret = syscall6(c->nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	t->calls++;
	t->failed += failed(ret);
	t->nomem += ret == -ENOMEM || ret == -EAGAIN;
	note_result(s, c, a, ret);
}

/* A forked child's second thread: more calls, until the child's exit
 * ends it wherever it is. */
static void *kid_thread(void *arg)
{
	struct report t = { 0 };
	uint64_t ks = mix((uintptr_t)arg);

	for (;;)
		fuzz_one(&ks, &t);
	return NULL;
}

/* A forked child: its own process group (so kill(0, ...) reaches no one
 * else), now and then a second thread, a few calls of any kind, then exit. */
static void kid_main(uint64_t *s)
{
	struct report t = { 0 };
	uint64_t ks = mix(*s + 1);
	thread_t th;

	in_kid = true;
	nkids = 0;
	if (setpgid(0, 0) < 0)
		raw_syscall(SYS_exit_group, 0);
	if (below(&ks, 2))
		thread_create(&th, kid_thread, (void *)(uintptr_t)rnd(&ks));
	for (int i = 0; i < KID_CALLS; i++)
		fuzz_one(&ks, &t);
	raw_syscall(SYS_exit_group, 0);
}

/* ---- a worker: fuzzing threads and a ticker ---- */

struct fuzzer {
	thread_t thread;
	uint64_t seed;
	long ncalls;
	struct report tally;
	volatile bool done;
};

static void *fuzz_thread(void *arg)
{
	struct fuzzer *f = arg;
	uint64_t s = mix(f->seed) | 1;

	for (long i = 0; i < f->ncalls; i++)
		fuzz_one(&s, &f->tally);
	f->done = true;
	return NULL;
}

/* The last call failed for want of memory (fault injection, fail=), and
 * is worth trying again; setup tries up to TRIES times. */
#define TRIES 100
static bool out_of_memory(void)
{
	return errno == ENOMEM || errno == EAGAIN;
}

/* The arena, with its guard page after it. */
static bool map_arena(void)
{
	for (int i = 0; i < TRIES; i++) {
		arena = mmap(NULL, ARENA_SIZE + PAGE, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (arena != MAP_FAILED || !out_of_memory())
			break;
	}
	if (arena == MAP_FAILED)
		return false;
	for (int i = 0; i < TRIES; i++)
		if (mprotect(arena + ARENA_SIZE, PAGE, PROT_NONE) == 0)
			return true;
	return false;
}

/* The handlers, the arena and the pools' first entries. */
static bool worker_setup(uint64_t seed)
{
	static const int sigs[] = { SIGUSR1, SIGUSR2, SIGALRM, SIGCHLD, SIGWINCH, SIGPIPE };
	uint64_t s = mix(seed);
	struct kernel_sigaction old;
	int p[2];

	setpgid(0, 0);
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		if (sigaction_simple(sigs[i], on_signal) < 0)
			return false;
	if (raw_syscall(SYS_rt_sigaction, SIGUSR1, NULL, &old, sizeof old.mask) < 0)
		return false;
	restorer = old.restorer;
	if (!map_arena())
		return false;
	initial_brk = raw_syscall(SYS_brk, 0);
	remember(fds, &nfds, MAX_FDS, open("/", O_RDONLY | O_DIRECTORY), &s);
	remember(fds, &nfds, MAX_FDS, open("/proc/self/maps", O_RDONLY), &s);
	remember(fds, &nfds, MAX_FDS, open("/bin/true", O_RDONLY), &s);
	if (pipe(p) == 0) {
		remember(fds, &nfds, MAX_FDS, p[0], &s);
		remember(fds, &nfds, MAX_FDS, p[1], &s);
	}
	return true;
}

/* A worker: seed decides all it does; its report goes to report_fd. */
static int worker(uint64_t seed, long ncalls, int report_fd)
{
	static struct fuzzer f[FUZZ_THREADS];
	struct report r = { 0 };
	int running = 0, status;
	struct timespec tick = { 0, TICK_NS };

	if (!worker_setup(seed))
		return 3;
	for (int i = 0; i < FUZZ_THREADS; i++) {
		f[i] = (struct fuzzer){ .seed = seed * FUZZ_THREADS + i, .ncalls = ncalls };
		for (int j = 0; j < TRIES && !(running & 1 << i); j++)
			if (thread_create(&f[i].thread, fuzz_thread, &f[i]) == 0)
				running |= 1 << i;
	}
	while (running) {
		nanosleep(&tick, NULL);
		for (int i = 0; i < FUZZ_THREADS; i++) {
			if (!(running & 1 << i))
				continue;
			if (f[i].done)
				running &= ~(1 << i);
			else
				raw_syscall(SYS_tgkill, getpid(), f[i].thread->tid, SIGUSR1);
		}
	}
	for (int i = 0; i < FUZZ_THREADS; i++) {
		if (!f[i].thread)
			continue;
		thread_join(f[i].thread, NULL);
		r.calls += f[i].tally.calls;
		r.failed += f[i].tally.failed;
		r.nomem += f[i].tally.nomem;
	}
	r.signals = nsignals;
	for (int i = 0; i < nkids; i++)
		if (kids[i])
			kill(kids[i], SIGKILL);
	while (wait4(-1, &status, 0, NULL) > 0 || errno == EINTR)
		;
	write(report_fd, &r, sizeof r);
	return 0;
}

/* ---- the harness ---- */

struct counts {
	long free_pages, slab_objects, procs;
};

enum scan { COUNT, KILL_LEFT, SHOW };

/* What scan_procs does with a process other than us and init: end what the
 * run left behind (a fuzzed child whose worker died, or a test's child
 * blocked for good: init's now), or show its /proc/PID/stat (pid, name,
 * state...) when it should be gone. On Linux, end only fuzz processes. */
static void visit(long pid, enum scan what)
{
	char path[32], stat[80], *comm;
	long n;
	int fd;

	if (pid == getpid() || pid == 1 || what == COUNT)
		return;
	snprintf(path, sizeof path, "/proc/%ld/stat", pid);
	if ((fd = open(path, O_RDONLY)) < 0)
		return;
	n = read(fd, stat, sizeof stat - 1);
	close(fd);
	stat[n > 0 ? n : 0] = '\0';
	comm = strchr(stat, '(');
	if (what == SHOW)
		printf("fuzz: left: %s...\n", stat);
	else if (on_tasklab || (comm && strncmp(comm, "(fuzz) ", 7) == 0))
		kill(pid, SIGKILL);
}

/* How many processes /proc shows (its numeric entries); visit each. */
static long scan_procs(enum scan what)
{
	char buf[2048];
	long n = 0, got;
	int fd;

	if ((fd = open("/proc", O_RDONLY | O_DIRECTORY)) < 0)
		return -1;
	while ((got = getdents64(fd, buf, sizeof buf)) != 0) {
		if (got < 0) {
			n = -1;
			break;
		}
		for (long off = 0; off < got;) {
			struct linux_dirent64 *d = (void *)(buf + off);
			if (d->d_name[0] >= '0' && d->d_name[0] <= '9') {
				n++;
				visit(strtol(d->d_name, NULL, 10), what);
			}
			off += d->d_reclen;
		}
	}
	close(fd);
	return n;
}

static struct counts take_counts(void)
{
	return (struct counts){ meminfo_kb("MemAvailable") / (PAGE / 1024),
				meminfo_kb("SlabObjects"), scan_procs(COUNT) };
}

static bool same_counts(struct counts a, struct counts b)
{
	return a.free_pages == b.free_pages && a.slab_objects == b.slab_objects &&
	       a.procs == b.procs;
}

/* Orphans go to init and a frame may be freed a moment after its process:
 * give the counts a second to settle before calling anything lost. */
static struct counts settled_counts(struct counts want)
{
	struct counts now = take_counts();

	for (int i = 0; i < 100 && !same_counts(now, want); i++) {
		msleep(10);
		now = take_counts();
	}
	return now;
}

/* vfork and exec argv. The child's exec may fail for want of memory
 * (fault injection): try again. It needs dozens of pages, and under
 * fail=page:N with a small N may never get them all, so not for ever. */
static pid_t spawn(char **argv)
{
	pid_t pid = vfork();

	if (pid == 0) {
		for (int i = 0; i < 10 * TRIES; i++)
			if (execve(argv[0], argv, environ) < 0 && !out_of_memory())
				break;
		_exit(127);
	}
	return pid;
}

/* Wait for every child; how many died of a signal, or -1 if some are
 * still there at deadline (ns of now_ns(); 0: none). */
static int reap_all(long deadline)
{
	int status, killed = 0;
	pid_t pid;

	for (;;) {
		pid = wait4(-1, &status, deadline ? WNOHANG : 0, NULL);
		if (pid > 0)
			killed += WIFSIGNALED(status);
		else if (pid < 0 && errno != EINTR)
			return killed;          /* no child left */
		else if (deadline && now_ns() > deadline)
			return -1;
		else if (pid == 0)
			msleep(5);
	}
}

/* One round: PROCS workers with seeds from seed, their reports summed in
 * *r. The harness forks them: fault injection spares its fork (as it does
 * the harness), so that even at high rates every worker starts. */
static int run_round(uint64_t seed, int procs, long ncalls, int report[2], struct report *r)
{
	struct report one;
	int killed;

	for (int i = 0; i < procs; i++)
		if (fork() == 0)
			_exit(worker(seed * procs + i, ncalls, report[1]));
	killed = reap_all(now_ns() + ROUND_LIMIT_NS);
	if (killed < 0) {
		printf("fuzz: HANG: the round of seed %lu still runs after %ld s; left:\n",
		       (unsigned long)seed, ROUND_LIMIT_NS / 1000000000);
		scan_procs(SHOW);
		exit(3);
	}
	while (read(report[0], &one, sizeof one) == sizeof one) {
		r->calls += one.calls;
		r->failed += one.failed;
		r->nomem += one.nomem;
		r->signals += one.signals;
	}
	return killed;
}

/* Touch the stack the harness will use, so that its growth after the
 * first count does not look like a leak. */
static void prefault_stack(void)
{
	volatile char pad[64 * 1024];

	for (size_t i = 0; i < sizeof pad; i += PAGE)
		pad[i] = 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: fuzz [-v] [-s SEED] [-t SECONDS] [-r ROUNDS] [-p PROCS] [-n CALLS]\n"
			"       fuzz -c PROG [ARG...]\n");
	return 2;
}

/* The verdict: the counts after against before. */
static int check_leaks(struct counts before, const char *what)
{
	struct counts after;

	scan_procs(KILL_LEFT);
	after = settled_counts(before);

	if (before.slab_objects < 0) {
		printf("fuzz: leaks not checked (no SlabObjects in /proc/meminfo: not tasklab)\n");
		return 0;
	}
	printf("fuzz: after %s: free pages %ld -> %ld, slab objects %ld -> %ld, processes %ld -> %ld\n",
	       what, before.free_pages, after.free_pages, before.slab_objects, after.slab_objects,
	       before.procs, after.procs);
	if (same_counts(before, after)) {
		printf("fuzz: no leak\n");
		return 0;
	}
	scan_procs(SHOW);
	printf("fuzz: LEAK\n");
	return 1;
}

/* fuzz -c PROG ARGS: the leak check around one program. */
static int check_program(char **argv)
{
	struct counts before = take_counts();
	int status;
	pid_t pid = spawn(argv);

	if (pid < 0) {
		perror("fuzz: vfork");
		return 2;
	}
	while (wait4(pid, &status, 0, NULL) < 0)
		;
	reap_all(0);
	printf("fuzz: %s %s %d\n", argv[0], WIFSIGNALED(status) ? "killed by signal" : "exited",
	       WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
	return check_leaks(before, argv[0]);
}

int main(int argc, char **argv)
{
	uint64_t seed = 1;
	long seconds = 0, rounds = 0, ncalls = 300, round;
	int procs = 3, report[2], killed = 0, opt;
	struct report r = { 0 };
	struct counts before;
	struct utsname u;
	char what[64];

	prefault_stack();
	on_tasklab = uname(&u) == 0 && strcmp(u.sysname, "tasklab") == 0;
	for (opt = 1; opt < argc; opt++) {
		const char *o = argv[opt];
		if (strcmp(o, "-c") == 0 && opt + 1 < argc)
			return check_program(argv + opt + 1);
		if (strcmp(o, "-v") == 0) {
			verbose = true;
			continue;
		}
		if (o[0] != '-' || !o[1] || o[2] || opt + 1 >= argc)
			return usage();
		long v = strtol(argv[++opt], NULL, 10);
		switch (o[1]) {
		case 's': seed = v; break;
		case 't': seconds = v; break;
		case 'r': rounds = v; break;
		case 'p': procs = v; break;
		case 'n': ncalls = v; break;
		default: return usage();
		}
	}
	if (!seconds && !rounds)
		rounds = 1;
	if (pipe(report) < 0)
		return 2;
	raw_syscall(SYS_fcntl, report[0], F_SETFL, O_NONBLOCK);
	before = take_counts();
	long deadline = now_ns() + seconds * 1000000000L;
	for (round = 0; (!rounds || round < rounds) && (!seconds || now_ns() < deadline); round++)
		killed += run_round(seed + round, procs, ncalls, report, &r);
	printf("fuzz: seeds %lu..%lu, %ld rounds of %d processes x %d threads: %ld calls, "
	       "%ld failed (%ld ENOMEM/EAGAIN), %ld signals handled, %d processes killed\n",
	       (unsigned long)seed, (unsigned long)(seed + round - 1), round, procs, FUZZ_THREADS,
	       r.calls, r.failed, r.nomem, r.signals, killed);
	snprintf(what, sizeof what, "%ld rounds", round);
	return check_leaks(before, what);
}
