/*
 * parbench: do the other CPUs help? The same CPU-bound work (an integer
 * hash loop that touches no memory) is split into k equal parts, run by k
 * threads of one process and then by k processes, for k = 1 .. the CPUs we
 * may run on. Each row times one whole run (start the workers, wait for
 * them all); speedup is the one-worker time over the row's, of the medians
 * and of the fastest runs. On tasklab each row also says how often a CPU
 * found the one run queue's lock held, and how long it spun, per run.
 *
 * Only wall-clock time means anything here: under QEMU's multi-threaded
 * TCG each guest CPU is a host thread, so the parts really run at once (up
 * to the host's cores). Under -icount QEMU runs the CPUs in turn on one
 * host thread and no speedup is possible.
 *
 * Usage: parbench [--quick] [--machine]
 */
#include "bench/cpus.h"

#define SAMPLES       5
#define QUICK_SAMPLES 3
#define WORK          (1UL << 25)    /* hash steps in one run, all parts together */
#define QUICK_WORK    (1UL << 21)

static unsigned long work;          /* steps in one run */

/* A part of the work: steps of a multiply-xorshift hash, registers only. */
static unsigned long hash_steps(unsigned long steps, unsigned long seed)
{
	unsigned long h = seed;

	for (unsigned long i = 0; i < steps; i++) {
		h ^= h >> 29;
		h *= 0xbf58476d1ce4e5b9UL;
		h += i;
	}
	return h;
}

/* Keeps the compiler from dropping the work. */
static volatile unsigned long sink;

static void *thread_part(void *parts)
{
	sink = hash_steps(work / (unsigned long)parts, (unsigned long)parts);
	return NULL;
}

static bool run_threads(void *parts)
{
	int k = (int)(long)parts;
	thread_t t[MAX_CPUS];
	bool ok = true;
	int started = 1;

	for (; started < k && thread_create(&t[started], thread_part, parts) == 0; started++)
		;
	thread_part(parts);                  /* we are the first worker */
	for (int i = 1; i < started; i++)
		ok &= thread_join(t[i], NULL) == 0;
	return ok && started == k;
}

static bool run_processes(void *parts)
{
	int k = (int)(long)parts, status, started = 0;
	bool ok = true;

	for (; started < k; started++) {
		pid_t pid = fork();
		if (pid == 0) {
			thread_part(parts);
			_exit(0);
		}
		if (pid < 0)
			break;
	}
	for (int i = 0; i < started; i++)
		ok &= wait(&status) > 0 && status == 0;
	return ok && started == k;
}

/* The speedup over the one-worker row of the same kind, of the medians
 * and of the fastest runs (those the busy host let run undisturbed). */
static void note_speedup(struct row *r, const struct row *one)
{
	char median[16], fastest[16];

	snprintf(r->extra, sizeof r->extra, " speedup=%s speedup_min=%s",
		 fmt_ratio(median, sizeof median, one->m.ns_median, r->m.ns_median),
		 fmt_ratio(fastest, sizeof fastest, one->m.ns_min, r->m.ns_min));
}

int main(int argc, char **argv)
{
	static struct row rows[2 * MAX_CPUS];
	static char names[2 * MAX_CPUS][32], labels[2 * MAX_CPUS][32];
	bool quick = has_flag(argc, argv, "--quick");
	unsigned samples = quick ? QUICK_SAMPLES : SAMPLES;
	int ncpus = cpus_online(), n = 0;
	char what[96];

	bench_init(argc, argv);
	work = quick ? QUICK_WORK : WORK;
	snprintf(what, sizeof what, "%lu hash steps split over 1..%d threads, then processes",
		 work, ncpus);
	print_header("parbench", what, samples);
	printf("# wall-clock only: under -icount the CPUs take turns on one host thread\n");
	for (int kind = 0; kind < 2; kind++) {
		int first = n;
		for (long k = 1; k <= ncpus; k++, n++) {
			snprintf(names[n], sizeof names[n], "%s_%ld", kind ? "procs" : "threads", k);
			snprintf(labels[n], sizeof labels[n], "%ld %s", k,
				 kind ? (k > 1 ? "processes" : "process") : (k > 1 ? "threads" : "thread"));
			struct lock_cost before = sched_lock_cost();

			rows[n] = (struct row){ names[n], labels[n] };
			rows[n].m = measure(kind ? run_processes : run_threads, (void *)k, samples);
			note_speedup(&rows[n], &rows[first]);
			note_lock_cost(&rows[n], before);
		}
	}
	print_table(rows, n, 0);
	for (int i = 0; i < n; i++)
		printf("%-26s%s\n", rows[i].label, rows[i].extra);
	print_bench_lines("parbench", rows, n);
	check_all_measured("parbench", rows, n);
	return check_status();
}
