/*
 * fuzz's system calls (the harness is fuzz.c): the pools of descriptors,
 * mappings and children a worker owns, the generators of arguments that
 * draw on them, the table of calls, and the making of one call, whose
 * result may add to the pools (or start a forked child fuzzing).
 */
#include "fuzz.h"

#define MIN(a, b)   ((a) < (b) ? (a) : (b))
#define MAX_MAPS    16
#define KID_CALLS   40

/* ---- what a worker owns: its pools ---- */

char *arena;                            /* ARENA_SIZE bytes, then a guard page */
/* Where the arguments the kernel reads are built (timespecs, iovecs...):
 * not in the arena, which calls may unmap or make read-only. */
static char args_area[4 * PAGE] __attribute__((aligned(PAGE)));
int fds[MAX_FDS], nfds;
static struct { uintptr_t addr; size_t len; } maps[MAX_MAPS];
static int nmaps;
int kids[MAX_KIDS], nkids;              /* 0: reaped */
uintptr_t initial_brk;
static bool in_kid;                     /* a forked child may make any call */
volatile int nsignals;

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

void on_signal(int sig)
{
	nsignals++;
}

void *restorer;                 /* ulib's, read back from the kernel at setup */

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
void fuzz_one(uint64_t *s, struct report *t)
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
