/*
 * smptest: what several CPUs change for threads, checked from user mode.
 * Each case prints PASS or FAIL lines (tests/24-smp.sh counts them).
 *
 *   smptest affinity NCPUS   sched_{set,get}affinity and getcpu, as on Linux
 *   smptest parallel         two threads of one process run at the same time
 *   smptest shootdowns [N]   munmap by one thread sends no TLB shootdown; with
 *                            a second thread running on another CPU, it does
 *                            (N munmaps each way, 100 unless said; and what
 *                            one costs)
 *   smptest stale-tlb ROUNDS a thread on another CPU reads a page in a loop
 *                            while the first unmaps it: once munmap has
 *                            returned, the next read must fault, every round
 *   smptest kick ROUNDS      a signal to a thread spinning in user mode on
 *                            another CPU reaches it at once (an IPI), not at
 *                            that CPU's next tick
 *
 * All but the first need two CPUs at least (tools/run --cpus 2).
 */
#include "ulib.h"

static int failures;

#define check(name, cond, ...) do {                                    \
	if (cond) {                                                     \
		printf("PASS smptest/%s\n", name);                      \
	} else {                                                        \
		printf("FAIL smptest/%s: ", name);                      \
		printf(__VA_ARGS__);                                    \
		printf("\n");                                           \
		failures++;                                             \
	}                                                               \
} while (0)

static long set_affinity(unsigned long mask)
{
	return raw_syscall(SYS_sched_setaffinity, 0, sizeof(mask), &mask);
}

static int this_cpu(void)
{
	unsigned cpu = ~0u;

	raw_syscall(SYS_getcpu, &cpu, 0, 0);
	return cpu;
}

static void t_affinity(int ncpus)
{
	unsigned long mask = 0, all = (1UL << ncpus) - 1;
	long r = raw_syscall(SYS_sched_getaffinity, 0, sizeof(mask), &mask);

	check("getaffinity", r == sizeof(mask) && mask == all,
	      "returned %ld, mask %lx; expected %zu and %lx", r, mask, sizeof(mask), all);
	check("getaffinity-short", raw_syscall(SYS_sched_getaffinity, 0, 4, &mask) == -EINVAL,
	      "a length that is not a whole number of longs should be EINVAL");
	check("getaffinity-pid", raw_syscall(SYS_sched_getaffinity, 99999, sizeof(mask), &mask) == -ESRCH,
	      "no such task should be ESRCH");
	check("setaffinity-empty", set_affinity(0) == -EINVAL, "an empty mask should be EINVAL");
	check("setaffinity-offline", set_affinity(1UL << 63) == -EINVAL,
	      "a mask of CPUs that do not run should be EINVAL");
	for (int cpu = ncpus - 1; cpu >= 0; cpu--) {
		char name[32];
		int on;

		r = set_affinity(1UL << cpu);
		on = this_cpu();
		snprintf(name, sizeof name, "pinned-to-%d", cpu);
		check(name, r == 0 && on == cpu, "setaffinity returned %ld, then getcpu said %d", r, on);
	}
	set_affinity(all);
}

/* ---- parallel: a ping-pong by spinning, no system call in between ---- */

#define ROUNDS 2000
static volatile int turn;               /* whose move: round number, even = A */
static int cpu_at[ROUNDS];              /* getcpu of the thread that made each move */

static void play(int parity)
{
	for (int r = parity; r < ROUNDS; r += 2) {
		while (turn != r)
			;
		cpu_at[r] = this_cpu();
		turn = r + 1;
	}
}

static void *player_b(void *arg)
{
	play(1);
	return NULL;
}

/* On one CPU every move would wait for a time slice; on two, the threads
 * move in turn, each on its own CPU, at the same time. */
static void t_parallel(void)
{
	thread_t b;
	int apart = 0;

	thread_create(&b, player_b, NULL);
	play(0);
	thread_join(b, NULL);
	for (int r = 0; r + 1 < ROUNDS; r++)
		apart += cpu_at[r] != cpu_at[r + 1];
	check("parallel", apart > ROUNDS / 2,
	      "only %d of %d moves were on a CPU other than the one before", apart, ROUNDS - 1);
	printf("smptest: the two threads moved on CPUs %d and %d\n", cpu_at[0], cpu_at[1]);
}

/* ---- TLB shootdowns ---- */

/* The line `key` of a /proc/.../sched file, or -1. */
static long sched_field(const char *path, const char *key)
{
	char buf[2048], *p;
	int fd = open(path, O_RDONLY), n;

	n = fd < 0 ? -1 : read(fd, buf, sizeof buf - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	for (p = buf; *p && strncmp(p, key, strlen(key)) != 0; p++)
		;
	return *p && (p = strchr(p, ':')) ? strtol(p + 1, NULL, 10) : -1;
}

static long shootdowns(void)
{
	return sched_field("/proc/self/sched", "mm.tlb_shootdowns");
}

/* Map two pages and unmap one, `rounds` times: the page table stays (it
 * maps the other), so only the CPUs running the mm can hold the
 * translation. Returns the shootdowns those munmaps sent; *ns, their time
 * (under tools/run --icount, guest instructions). The other page's munmap
 * frees the table, and may tell a CPU that ran us before (lazy TLB): it
 * is not counted. */
static long munmap_cost(int rounds, long *ns)
{
	long sent = 0;

	*ns = 0;
	for (int i = 0; i < rounds; i++) {
		char *p = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		long before, t0;

		p[0] = p[4096] = 1;
		before = shootdowns();
		t0 = now_ns();
		munmap(p, 4096);
		*ns += now_ns() - t0;
		sent += shootdowns() - before;
		munmap(p + 4096, 4096);
	}
	return sent;
}

static volatile bool spinning, stop;

static void *spinner(void *arg)
{
	set_affinity(2);                /* CPU 1 */
	spinning = true;
	while (!stop)
		;
	return NULL;
}

static void t_shootdowns(int munmaps)
{
	thread_t t;
	long alone, shared, alone_ns, shared_ns;

	set_affinity(1);                /* CPU 0 */
	alone = munmap_cost(munmaps, &alone_ns);
	thread_create(&t, spinner, NULL);
	while (!spinning)
		;
	shared = munmap_cost(munmaps, &shared_ns);
	stop = true;
	thread_join(t, NULL);
	check("one-thread-none", alone == 0, "%d munmaps with one thread sent %ld shootdowns",
	      munmaps, alone);
	check("two-threads-some", shared >= munmaps,
	      "%d munmaps while a thread runs on another CPU sent %ld shootdowns", munmaps, shared);
	printf("smptest: munmap of a page: %ld shootdowns alone, %ld with a thread on CPU 1\n",
	       alone, shared);
	printf("smptest: munmap of a page: %ld ns alone, %ld ns with a thread on CPU 1\n",
	       alone_ns / munmaps, shared_ns / munmaps);
}

/* ---- the stale TLB: the reader must fault once munmap has returned ---- */

/* Read *p; -1 if it faults (the SIGSEGV handler resumes at read_fault). */
long read_or_fault(volatile int *p);
extern char read_fault[];
asm(".text\n"
    ".globl read_or_fault\n"
    "read_or_fault:\n"
    "	movslq (%rdi), %rax\n"
    "	ret\n"
    ".globl read_fault\n"
    "read_fault:\n"
    "	movq $-1, %rax\n"
    "	ret\n");

#define UC_RIP 168              /* ucontext: flags, link, stack (40), then rip is gregs[16] */

static void segv(int sig, void *info, void *uc)
{
	*(unsigned long *)((char *)uc + UC_RIP) = (unsigned long)read_fault;
}

static volatile int *volatile target;
static volatile int round_no, seen, unmapped, faulted, stale;

static void *reader(void *arg)
{
	int last_fault = 0;

	set_affinity(2);                /* CPU 1 */
	for (;;) {
		int r = round_no, u;
		long v;

		if (r < 0)
			return NULL;
		if (r == 0 || r == last_fault)
			continue;
		u = unmapped;           /* before the read: x86 keeps loads in order */
		v = read_or_fault(target);
		if (v < 0) {
			last_fault = faulted = r;
			continue;
		}
		if (u == r)             /* munmap had returned, yet the read worked */
			stale = r;
		seen = r;
	}
}

static void t_stale_tlb(int rounds)
{
	thread_t t;
	int r;

	sigaction_simple(SIGSEGV, segv);
	set_affinity(1);                /* CPU 0 */
	thread_create(&t, reader, NULL);
	for (r = 1; r <= rounds && !stale; r++) {
		volatile int *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		*p = r;
		target = p;
		round_no = r;
		while (seen != r)       /* the reader has it in its TLB */
			;
		munmap((void *)p, 4096);
		unmapped = r;
		while (faulted != r && !stale)
			;
	}
	round_no = -1;
	thread_join(t, NULL);
	check("stale-tlb", !stale, "round %d: a read after munmap returned did not fault", stale);
	printf("smptest: %d rounds of munmap under a reading thread\n", r - 1);
}

/* ---- the kick: a signal for a thread running in user mode on another CPU ---- */

/* A receiver whose loop runs more times than this once the signal was
 * sent did not get it at once: far more than an IPI's way on any machine,
 * far fewer than the loops up to the next tick (10 ms) under TCG. */
#define KICK_MAX_LOOPS 10000

static volatile int receiver_tid, kick_ready, kick_sent, kick_handled, kick_done;
static volatile long kick_worst;        /* most loops after a send, over the rounds */

static void on_kick(int sig)
{
	kick_handled++;
}

/* On CPU 1, each round: say ready, then spin in user mode (no system call,
 * whose way back would look at signals) until the handler has run,
 * counting the loops once the sender says it has sent the signal. */
static void *receiver(void *rounds)
{
	set_affinity(2);                /* CPU 1 */
	receiver_tid = gettid();
	for (int r = 1; r <= (int)(long)rounds; r++) {
		long loops = 0;

		kick_ready = r;
		while (kick_handled != r)
			loops += kick_sent == r;
		if (loops > kick_worst)
			kick_worst = loops;
	}
	while (!kick_done)
		;
	return NULL;
}

/*
 * Each round, once the receiver spins on CPU 1, CPU 0 sends it a signal
 * and says so. Without a kick the signal waits for CPU 1's next tick,
 * and the receiver spins on for up to 10 ms: about 1.5 million loops at
 * most under TCG here. With one, the IPI was on its way before tgkill
 * returned, and the receiver loops once or twice at most. A count of the
 * receiver's own loops, not a time: a busy host that stops the receiver's
 * CPU stops its loop too. Its count of kicks says one IPI per signal.
 */
static void t_kick(int rounds)
{
	thread_t t;
	char path[64];
	long kicks;

	sigaction_simple(SIGUSR1, on_kick);
	set_affinity(1);                /* CPU 0 */
	thread_create(&t, receiver, (void *)(long)rounds);
	for (int r = 1; r <= rounds; r++) {
		while (kick_ready != r)
			;
		raw_syscall(SYS_tgkill, getpid(), receiver_tid, SIGUSR1);
		kick_sent = r;
		while (kick_handled != r)
			;
	}
	snprintf(path, sizeof path, "/proc/self/task/%d/sched", receiver_tid);
	kicks = sched_field(path, "nr_signal_kicks");
	kick_done = 1;
	thread_join(t, NULL);
	check("kick-counted", kicks == rounds, "%d signals to a thread running on CPU 1 sent %ld kicks",
	      rounds, kicks);
	check("kick-at-once", kick_worst <= KICK_MAX_LOOPS,
	      "a thread spinning on CPU 1 looped %ld times after tgkill returned, before its handler ran",
	      kick_worst);
	printf("smptest: %d signals to a thread spinning on CPU 1: at most %ld loops after tgkill returned\n",
	       rounds, kick_worst);
}

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "";
	int n = argc > 2 ? atoi(argv[2]) : 0;

	if (strcmp(what, "affinity") == 0 && n > 0)
		t_affinity(n);
	else if (strcmp(what, "parallel") == 0)
		t_parallel();
	else if (strcmp(what, "shootdowns") == 0)
		t_shootdowns(n > 0 ? n : 100);
	else if (strcmp(what, "stale-tlb") == 0 && n > 0)
		t_stale_tlb(n);
	else if (strcmp(what, "kick") == 0 && n > 0)
		t_kick(n);
	else {
		fprintf(stderr, "usage: smptest affinity NCPUS | parallel | shootdowns [N] | "
			"stale-tlb ROUNDS | kick ROUNDS\n");
		return 2;
	}
	return failures ? 1 : 0;
}
