/*
 * fuzz: a system-call fuzzer at teaching scale, in the spirit of syzkaller.
 *
 *   fuzz [-v] [-s SEED] [-t SECONDS] [-r ROUNDS] [-p PROCS] [-n CALLS]
 *   fuzz -c PROG [ARG...]     only the leak check, around PROG
 *
 * A round forks PROCS worker processes, each with two fuzzing threads and a
 * ticker; each fuzzing thread makes CALLS system calls whose arguments
 * come from a small description of every call (the table `calls` in
 * fuzz_calls.c): the descriptors and mappings the worker made, plausible
 * sizes and flags, and hostile values (NULL, kernel addresses, unaligned
 * pointers, lengths that wrap, -1). Workers fork children that
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
#include "fuzz.h"

#define TICK_NS     2000000
#define ROUND_LIMIT_NS (60 * 1000000000L)  /* a round takes well under a second */

bool verbose;                           /* -v: every call on stderr, before it runs */
/* On tasklab init runs us and nothing else runs: the harness may end what
 * is left. On both kernels open only reads: the root is writable, and a
 * file created or truncated would outlive the run (a leak to the check,
 * and /bin/true empty for the children's exec). */
static bool on_tasklab;

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
