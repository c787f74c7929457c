/*
 * What the benchmarks (spawnbench, forkscale, switchbench) share: timing an
 * operation, reporting rows for people (a table with a log-scale bar chart)
 * and for tools/bench (one "BENCH ..." line per row), and sanity checks.
 * Threads come from ulib's thread library, as a program's would.
 */
#ifndef BENCH_H
#define BENCH_H
#include "ulib.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* The time-stamp counter. Under QEMU's -icount it counts guest
 * instructions (1 GHz), so results repeat exactly. lfence keeps earlier
 * instructions from finishing after we read it on real hardware. */
static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) :: "memory");
	return (uint64_t)hi << 32 | lo;
}

/* One operation under test; false when it failed (the row then fails). */
typedef bool (*bench_op)(void *arg);

struct measure {
	uint64_t cycles_median, cycles_min;   /* per operation */
	uint64_t ns_median, ns_min;           /* per operation */
	unsigned batch;        /* operations per timed sample */
	unsigned samples;      /* timed samples */
	uint64_t ops;          /* operations run in all, warm-up included */
	bool ok;               /* every operation succeeded */
};

/* Run op in `samples` timed batches (after a warm-up that picks the batch
 * size) and take median and minimum of the per-operation costs. */
struct measure measure(bench_op op, void *arg, unsigned samples);

struct row {
	const char *name;      /* for tools/bench: fork_exit_wait */
	const char *label;     /* for people: "fork + exit + wait" */
	struct measure m;
	char extra[128];       /* more " key=value" fields for the BENCH line */
};

/*
 * At the shell a benchmark prints its table for people and nothing else.
 * With --machine (tools/bench and tests/50-bench pass it, on tasklab and on
 * Linux alike) it also prints the lines programs read: "BENCHINFO ...",
 * one "BENCH ..." per row and one "CHECK ..." per sanity check. Call
 * bench_init first: it reads the flag.
 */
void bench_init(int argc, char **argv);
extern bool machine_lines;
/* "# spawnbench: ..." lines, and with --machine "BENCHINFO ...". */
void print_header(const char *bench, const char *what, unsigned samples);
/* Is this kernel Linux (not tasklab)? */
bool on_linux(void);
/* The table with ratios to rows[base] and a log-scale bar chart. */
void print_table(struct row *rows, int n, int base);
/* With --machine, one "BENCH bench name key=value ..." line per row. */
void print_bench_lines(const char *bench, const struct row *rows, int n);
/* x/y as a decimal with at least two significant digits (4.12, 0.43,
 * 0.023), into buf: the one style of ratio in every benchmark. */
const char *fmt_ratio(char *buf, size_t size, uint64_t x, uint64_t y);

/* With --machine "CHECK bench/name ok" or "CHECK bench/name FAIL: why";
 * at the shell only a failure, in words. The exit status of a benchmark
 * is 1 if any check failed. */
void check(const char *bench, const char *name, bool ok, const char *why);
void check_all_measured(const char *bench, const struct row *rows, int n);
int check_status(void);

/* Read a whole (small) file into buf, NUL-terminated (procfs.c). */
bool read_file(const char *path, char *buf, size_t size);
/* The value of the line "key N" in /proc/stat; false if there is none. */
bool proc_stat(const char *key, uint64_t *value);
/* tasklab's counts of the run queue's lock in /proc/stat: how often a CPU
 * found it held, and the ns it spun for it. "has" is false on Linux. */
struct lock_cost {
	uint64_t contended, wait_ns;
	bool has;
};
struct lock_cost sched_lock_cost(void);
/* Onto r->extra, the cost from `before` to now per measured operation:
 * " lock_contended_per_op=X lock_wait_ns_per_op=Y", or n/a for each. */
void note_lock_cost(struct row *r, struct lock_cost before);

/* Does argv hold this flag (e.g. "--quick")? */
bool has_flag(int argc, char **argv, const char *flag);

static inline long futex_wait(volatile int *addr, int val)
{
	return raw_syscall(SYS_futex, addr, FUTEX_WAIT, val, NULL);
}

static inline long futex_wake(volatile int *addr, int n)
{
	return raw_syscall(SYS_futex, addr, FUTEX_WAKE, n);
}

/* Start a task that ends at once, and wait for it (spawn.c). */
bool fork_exit_wait(void *unused);
bool vfork_exit_wait(void *unused);
bool thread_create_join(void *unused);
bool fork_exec_wait(void *path);            /* exec path, no arguments */

#endif
