/*
 * shootbench: the hidden cost of threads. Taking a page away (munmap, or
 * mprotect to read-only) must also take its translation out of the TLB of
 * every other CPU that runs the same address space: the kernel interrupts
 * them (a TLB shootdown, an IPI) and waits for their answer. A
 * single-threaded process never pays for it; one with a thread spinning on
 * another CPU pays on every call.
 *
 * We run pinned to CPU 0 and time the calls with 0, 1 .. N-1 extra threads
 * spinning on CPUs 1 .. N-1 (N: the CPUs we may run on):
 *
 *   munmap    one touched page of a pool mapped beforehand
 *   mprotect  one page to read-only and back to read-write (a pair)
 *
 * On tasklab each row also says how many shootdowns a call sent (the
 * mm.tlb_shootdowns line of /proc/self/sched); Linux has no such count.
 *
 * Only wall-clock time means anything with several CPUs: under -icount
 * QEMU runs them in turn on one host thread, and a call that waits for
 * another CPU waits for QEMU to get round to it.
 *
 * Usage: shootbench [--quick] [--machine]
 */
#include "bench/cpus.h"

#define SAMPLES       51
#define QUICK_SAMPLES 5
/* Pages for the munmap rows. measure() runs at most 3 * (2B - 1) + 1
 * calls picking its batch B, then samples * B: with B at most 128 (a
 * munmap costs more than 800 cycles), these suffice. */
#define POOL       8192
#define QUICK_POOL 2048
#define PAGE       4096

/* ---- The spinning threads ---- */

static volatile int stop_spinning, spinning;

static void *spin(void *cpu)
{
	if (!pin_to_cpu((int)(long)cpu))
		return (void *)-1L;
	__atomic_add_fetch(&spinning, 1, __ATOMIC_SEQ_CST);
	while (!stop_spinning)
		__asm__ volatile("pause");
	return NULL;
}

/* Start one more spinner, on CPU `cpu`, and wait until it runs there
 * (or has ended: the kernel zeroes its tid when it could not pin itself). */
static bool add_spinner(thread_t *t, int cpu)
{
	int before = spinning;

	if (thread_create(t, spin, (void *)(long)cpu) != 0)
		return false;
	while (spinning == before && __atomic_load_n(&(*t)->tid, __ATOMIC_ACQUIRE))
		sched_yield();
	if (spinning == before) {
		thread_join(*t, NULL);
		return false;
	}
	return true;
}

static void stop_spinners(thread_t *t, int n)
{
	stop_spinning = 1;
	for (int i = 0; i < n; i++)
		thread_join(t[i], NULL);
}

/* ---- The operations ---- */

struct pool {
	char *base;
	size_t next, size;           /* in pages */
};

/* Map the pool and touch every page, so each munmap has a page to free
 * and a translation to drop. */
static bool pool_fill(struct pool *p, size_t pages)
{
	p->base = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);
	if (p->base == MAP_FAILED)
		return false;
	for (size_t i = 0; i < pages; i++)
		p->base[i * PAGE] = 1;
	p->next = 0;
	p->size = pages;
	return true;
}

static void pool_drain(struct pool *p)
{
	if (p->next < p->size)
		munmap(p->base + p->next * PAGE, (p->size - p->next) * PAGE);
}

/* A pool that runs dry fails the row rather than refill inside a timing. */
static bool munmap_page(void *pool)
{
	struct pool *p = pool;

	return p->next < p->size && munmap(p->base + p->next++ * PAGE, PAGE) == 0;
}

static bool mprotect_pair(void *page)
{
	return mprotect(page, PAGE, PROT_READ) == 0 &&
	       mprotect(page, PAGE, PROT_READ | PROT_WRITE) == 0;
}

/* ---- Measuring ---- */

/* mm.tlb_shootdowns of /proc/self/sched, or -1 (Linux has none). */
static long shootdowns_sent(void)
{
	static char buf[4096];
	const char *key = "mm.tlb_shootdowns";

	if (!read_file("/proc/self/sched", buf, sizeof buf))
		return -1;
	for (char *line = buf; line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
		if (strncmp(line, key, strlen(key)) == 0 && strchr(line, ':'))
			return strtol(strchr(line, ':') + 1, NULL, 10);
	return -1;
}

/* Measure one row; on tasklab note the shootdowns per call. */
static void measure_row(struct row *r, bench_op op, void *arg, unsigned samples)
{
	char per_call[16];
	long before = shootdowns_sent();

	r->m = measure(op, arg, samples);
	if (before >= 0 && r->m.ok)
		snprintf(r->extra, sizeof r->extra, " shootdowns_per_call=%s",
			 fmt_ratio(per_call, sizeof per_call, shootdowns_sent() - before, r->m.ops));
}

int main(int argc, char **argv)
{
	static struct row rows[2 * MAX_CPUS];
	static char names[2 * MAX_CPUS][32], labels[2 * MAX_CPUS][40];
	static thread_t spinners[MAX_CPUS];
	bool quick = has_flag(argc, argv, "--quick");
	unsigned samples = quick ? QUICK_SAMPLES : SAMPLES;
	int ncpus = cpus_online(), n = 0, extra = 0;
	struct pool pool;
	char *page;

	bench_init(argc, argv);
	print_header("shootbench", "munmap and mprotect of one page, with threads spinning on "
		     "the other CPUs", samples);
	printf("# wall-clock only: under -icount the CPUs take turns on one host thread\n");
	page = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED || !pin_to_cpu(0)) {
		printf("shootbench: no page or no CPU 0\n");
		return 1;
	}
	page[0] = 1;
	for (; extra < ncpus; extra++) {
		if (extra > 0 && !add_spinner(&spinners[extra - 1], extra))
			break;
		snprintf(names[n], sizeof names[n], "munmap_spin%d", extra);
		snprintf(labels[n], sizeof labels[n], "munmap, %d spinning", extra);
		rows[n] = (struct row){ names[n], labels[n] };
		if (pool_fill(&pool, quick ? QUICK_POOL : POOL)) {
			measure_row(&rows[n], munmap_page, &pool, samples);
			pool_drain(&pool);
		}
		n++;
		snprintf(names[n], sizeof names[n], "mprotect_spin%d", extra);
		snprintf(labels[n], sizeof labels[n], "mprotect pair, %d spinning", extra);
		rows[n] = (struct row){ names[n], labels[n] };
		measure_row(&rows[n], mprotect_pair, page, samples);
		n++;
	}
	stop_spinners(spinners, extra > 0 ? extra - 1 : 0);
	print_table(rows, n, 0);
	for (int i = 0; i < n; i++)
		if (rows[i].extra[0])
			printf("%-26s %s\n", rows[i].label, rows[i].extra + 1);
	print_bench_lines("shootbench", rows, n);
	check("shootbench", "all_cpus", extra == ncpus, "a spinning thread could not start");
	check_all_measured("shootbench", rows, n);
	return check_status();
}
