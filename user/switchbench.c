/*
 * switchbench: two tasks taking turns, as two threads of one process and as
 * two processes. A round trip is two context switches: to the partner and
 * back. Between processes each switch also changes the address space
 * (reloads CR3, which flushes the TLB); between threads it does not.
 *
 *   futex ping-pong   each side sleeps in futex(FUTEX_WAIT) until the other
 *                     hands it the turn (the word lives in MAP_SHARED memory
 *                     for processes) and wakes it
 *   yield ping-pong   each side calls sched_yield() until it has the turn
 *
 * The kernel's own counts come from /proc/stat: "ctxt" (Linux's, every
 * switch), "ctxt_cr3" (tasklab's, the switches that reloaded CR3), and
 * "sched_lock_contended" and "sched_lock_wait_ns" (tasklab's: how often a
 * CPU found the one run queue's lock held, and how long it spun), and
 * "resched_ipis" (tasklab's: the IPIs that woke or kicked another CPU).
 *
 * With --pinned (two CPUs at least), the futex games again with the two
 * sides pinned to one CPU, then to two: apart, each wake-up crosses to the
 * other CPU (an IPI to an idle one), and each CPU keeps its own address
 * space loaded.
 *
 * Usage: switchbench [--quick] [--machine] [--pinned]
 *
 * --machine adds the lines tools/bench reads (bench/bench.h).
 */
#include "bench/cpus.h"

#define SAMPLES       51
#define QUICK_SAMPLES 5

/* The turn word: whose turn it is, or the end of the game. */
enum { MAIN_TURN, PARTNER_TURN, STOP };

static int load(int *turn)
{
	return __atomic_load_n(turn, __ATOMIC_SEQ_CST);
}

static void store(int *turn, int v)
{
	__atomic_store_n(turn, v, __ATOMIC_SEQ_CST);
}

/* Hand the turn over, then sleep until it comes back. */
static bool futex_round_trip(void *turn)
{
	store(turn, PARTNER_TURN);
	futex_wake(turn, 1);
	while (load(turn) == PARTNER_TURN)
		futex_wait(turn, PARTNER_TURN);
	return true;
}

static void *futex_partner(void *turn)
{
	int v;

	while ((v = load(turn)) != STOP) {
		if (v == PARTNER_TURN) {
			store(turn, MAIN_TURN);
			futex_wake(turn, 1);
		} else {
			futex_wait(turn, v);
		}
	}
	return NULL;
}

static bool yield_round_trip(void *turn)
{
	store(turn, PARTNER_TURN);
	while (load(turn) == PARTNER_TURN)
		sched_yield();
	return true;
}

static void *yield_partner(void *turn)
{
	int v;

	while ((v = load(turn)) != STOP) {
		if (v == PARTNER_TURN)
			store(turn, MAIN_TURN);
		sched_yield();
	}
	return NULL;
}

struct game {
	const char *name, *label;
	bench_op round_trip;
	void *(*partner)(void *turn);
	bool processes;
	int partner_cpu;            /* -1: both sides free; else we run on CPU 0, it on this */
};

/* The kernel's switch counters; "has" is false when it does not say. */
struct switches {
	uint64_t ctxt, cr3, ipis;
	bool has_ctxt, has_cr3, has_ipis;
};

static struct switches count_switches(void)
{
	struct switches s;

	s.has_ctxt = proc_stat("ctxt", &s.ctxt);
	s.has_cr3 = proc_stat("ctxt_cr3", &s.cr3);
	s.has_ipis = proc_stat("resched_ipis", &s.ipis);
	return s;
}

/* Switches per round trip as " key=value" onto extra, or n/a. */
static void add_per_op(char *extra, size_t size, const char *key, bool has, uint64_t count,
		       uint64_t ops)
{
	char buf[16];
	size_t n = strlen(extra);

	snprintf(extra + n, size - n, " %s=%s", key,
		 has ? fmt_ratio(buf, sizeof buf, count, ops) : "n/a");
}

/* The partner is a thread, or a forked process sharing one page with us. */
static bool fork_partner(const struct game *g, int *turn, thread_t *t, pid_t *pid)
{
	if (!g->processes)
		return thread_create(t, g->partner, turn) == 0;
	*pid = fork();
	if (*pid == 0) {
		g->partner(turn);
		_exit(0);
	}
	return *pid > 0;
}

/* A pinned partner is made on its CPU, whose mask it inherits; then we go
 * to CPU 0. */
static bool start_partner(const struct game *g, int *turn, thread_t *t, pid_t *pid)
{
	bool started;

	if (g->partner_cpu < 0)
		return fork_partner(g, turn, t, pid);
	started = pin_to_cpu(g->partner_cpu) && fork_partner(g, turn, t, pid);
	return pin_to_cpu(0) && started;
}

static void stop_partner(const struct game *g, int *turn, thread_t t, pid_t pid)
{
	store(turn, STOP);
	futex_wake(turn, 1);
	if (g->processes)
		waitpid(pid, NULL, 0);
	else
		thread_join(t, NULL);
}

/* Time round trips against a partner; return the kernel's switch counts
 * over them. */
static struct switches play(const struct game *g, struct row *r, unsigned samples)
{
	static int private_turn;
	thread_t thread = NULL;
	int *turn = &private_turn;
	struct switches before, after, delta = { 0 };
	struct lock_cost lock_before = { 0 };
	pid_t pid = 0;

	if (g->processes) {
		turn = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (turn == MAP_FAILED)
			return delta;
	}
	store(turn, MAIN_TURN);
	if (start_partner(g, turn, &thread, &pid)) {
		before = count_switches();
		lock_before = sched_lock_cost();
		r->m = measure(g->round_trip, turn, samples);
		after = count_switches();
		note_lock_cost(r, lock_before);
		stop_partner(g, turn, thread, pid);
		delta = (struct switches){ after.ctxt - before.ctxt, after.cr3 - before.cr3,
					   after.ipis - before.ipis,
					   before.has_ctxt && after.has_ctxt,
					   before.has_cr3 && after.has_cr3,
					   before.has_ipis && after.has_ipis };
	}
	if (g->processes)
		munmap(turn, 4096);
	add_per_op(r->extra, sizeof r->extra, "ctxt_per_op", delta.has_ctxt, delta.ctxt, r->m.ops);
	add_per_op(r->extra, sizeof r->extra, "cr3_per_op", delta.has_cr3, delta.cr3, r->m.ops);
	add_per_op(r->extra, sizeof r->extra, "ipi_per_op", delta.has_ipis, delta.ipis, r->m.ops);
	return delta;
}

static void print_switch_counts(const struct row *rows, int n)
{
	printf("kernel counts per round trip (/proc/stat):\n");
	for (int i = 0; i < n; i++)
		printf("  %-28s%s\n", rows[i].label, rows[i].extra);
}

/* Where the kernel counts them: threads of one process switch without
 * reloading CR3; processes reload it. */
static void check_cr3(const struct row *rows, const struct switches *sw, int thread, int process)
{
	if (!sw[thread].has_cr3 || !sw[process].has_cr3) {
		printf("note: this kernel does not count CR3 reloads (no ctxt_cr3 in /proc/stat)\n");
		return;
	}
	/* cr3/ops of the threads < cr3/ops of the processes, in integers */
	check("switchbench", "threads_keep_cr3",
	      sw[thread].cr3 * rows[process].m.ops < sw[process].cr3 * rows[thread].m.ops,
	      "thread switches reloaded CR3 as often as process switches");
}

int main(int argc, char **argv)
{
	static const struct game free_games[] = {
		{ "futex_thread", "futex ping-pong, threads", futex_round_trip, futex_partner, false, -1 },
		{ "futex_process", "futex ping-pong, processes", futex_round_trip, futex_partner, true, -1 },
		{ "yield_thread", "yield ping-pong, threads", yield_round_trip, yield_partner, false, -1 },
		{ "yield_process", "yield ping-pong, processes", yield_round_trip, yield_partner, true, -1 },
	};
	static const struct game pinned_games[] = {
		{ "futex_thread_1cpu", "futex, threads, one CPU", futex_round_trip, futex_partner, false, 0 },
		{ "futex_process_1cpu", "futex, processes, one CPU", futex_round_trip, futex_partner, true, 0 },
		{ "futex_thread_2cpus", "futex, threads, two CPUs", futex_round_trip, futex_partner, false, 1 },
		{ "futex_process_2cpus", "futex, processes, two CPUs", futex_round_trip, futex_partner, true, 1 },
	};
	bool pinned = has_flag(argc, argv, "--pinned");
	const struct game *games = pinned ? pinned_games : free_games;
	struct row rows[ARRAY_SIZE(free_games)] = { 0 };
	struct switches sw[ARRAY_SIZE(free_games)];
	unsigned samples = has_flag(argc, argv, "--quick") ? QUICK_SAMPLES : SAMPLES;
	int n = ARRAY_SIZE(rows);

	bench_init(argc, argv);
	print_header("switchbench", pinned ? "round trips between two tasks, pinned to one CPU or two" :
			"round trips between two tasks (two switches each)", samples);
	if (pinned && cpus_online() < 2) {
		check("switchbench", "two_cpus", false, "--pinned needs two CPUs");
		return check_status();
	}
	for (int i = 0; i < n; i++) {
		rows[i].name = games[i].name;
		rows[i].label = games[i].label;
		sw[i] = play(&games[i], &rows[i], samples);
	}
	print_table(rows, n, 0);
	print_switch_counts(rows, n);
	print_bench_lines("switchbench", rows, n);
	check_all_measured("switchbench", rows, n);
	check_cr3(rows, sw, 0, 1);
	return check_status();
}
