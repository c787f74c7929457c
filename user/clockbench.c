/*
 * clockbench: what a clock read costs a program, through its C library.
 * Built with musl (not ulib), as a Linux program would be: musl's
 * clock_gettime, gettimeofday, time and sched_getcpu call the vDSO's
 * functions when the kernel maps one (AT_SYSINFO_EHDR), and make a system
 * call when it does not. The system call itself is the last row, for
 * comparison. Each sample times CALLS calls; the rows give the median and
 * the fastest sample, per call. Under QEMU's -icount, cycles are guest
 * instructions. With --machine it also prints tools/bench's BENCH lines.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#define CALLS       2000
#define SAMPLES     21
#define QUICK_SAMPLES 5

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) :: "memory");
	return (uint64_t)hi << 32 | lo;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* The calls under test; each returns something, so none is optimised out. */
static long libc_monotonic(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_nsec;
}

static long libc_realtime(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_nsec;
}

static long libc_gettimeofday(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return tv.tv_usec;
}

static long libc_time(void)
{
	return time(NULL);
}

static long libc_getcpu(void)
{
	return sched_getcpu();
}

static long syscall_monotonic(void)
{
	struct timespec ts;

	syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
	return ts.tv_nsec;
}

static const struct {
	const char *name, *label;
	long (*call)(void);
} rows[] = {
	{ "clock_gettime_monotonic", "clock_gettime(CLOCK_MONOTONIC)", libc_monotonic },
	{ "clock_gettime_realtime", "clock_gettime(CLOCK_REALTIME)", libc_realtime },
	{ "gettimeofday", "gettimeofday", libc_gettimeofday },
	{ "time", "time", libc_time },
	{ "sched_getcpu", "sched_getcpu", libc_getcpu },
	{ "syscall_clock_gettime", "syscall(SYS_clock_gettime)", syscall_monotonic },
};
#define NROWS (sizeof rows / sizeof rows[0])

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

struct result {
	uint64_t cycles_median, cycles_min, ns_median, ns_min;
};

/* `samples` samples of CALLS calls (after one unmeasured, which pays for
 * the C library's first look into the vDSO); per call. */
static struct result measure(long (*call)(void), int samples)
{
	uint64_t cycles[SAMPLES], ns[SAMPLES];
	volatile long sink;
	struct result r;

	for (int i = 0; i < CALLS; i++)
		sink = call();
	for (int s = 0; s < samples; s++) {
		uint64_t n0 = now_ns(), c0 = rdtsc();
		for (int i = 0; i < CALLS; i++)
			sink = call();
		cycles[s] = (rdtsc() - c0) / CALLS;
		ns[s] = (now_ns() - n0) / CALLS;
	}
	(void)sink;
	qsort(cycles, samples, sizeof cycles[0], cmp_u64);
	qsort(ns, samples, sizeof ns[0], cmp_u64);
	r = (struct result){ cycles[samples / 2], cycles[0], ns[samples / 2], ns[0] };
	return r;
}

int main(int argc, char **argv)
{
	int machine = 0, samples = SAMPLES;
	struct result res[NROWS];
	struct utsname u;

	for (int i = 1; i < argc; i++) {
		machine |= strcmp(argv[i], "--machine") == 0;
		if (strcmp(argv[i], "--quick") == 0)
			samples = QUICK_SAMPLES;
	}
	uname(&u);
	printf("# clockbench: clock reads through the C library (musl), %d calls a sample\n", CALLS);
	printf("# on %s %s, %d samples per row; cycles by rdtsc, ns by CLOCK_MONOTONIC\n",
	       u.sysname, u.release, samples);
	if (machine)
		printf("BENCHINFO clockbench kernel=%s release=%s samples=%d\n", u.sysname,
		       u.release, samples);
	for (size_t i = 0; i < NROWS; i++)
		res[i] = measure(rows[i].call, samples);
	/* the ratio to the system call, the last row, in the style of the other benchmarks */
	printf("%-32s %21s %21s %9s\n", "", "cycles median/min", "ns median/min", "ratio");
	for (size_t i = 0; i < NROWS; i++)
		printf("%-32s %10llu/%-10llu %10llu/%-10llu %#9.2g\n", rows[i].label,
		       (unsigned long long)res[i].cycles_median, (unsigned long long)res[i].cycles_min,
		       (unsigned long long)res[i].ns_median, (unsigned long long)res[i].ns_min,
		       (double)res[i].cycles_median / res[NROWS - 1].cycles_median);
	printf("ratio: to %s, in cycles\n", rows[NROWS - 1].label);
	if (!machine)
		return 0;
	for (size_t i = 0; i < NROWS; i++)
		printf("BENCH clockbench %s cycles_median=%llu cycles_min=%llu ns_median=%llu "
		       "ns_min=%llu batch=%d samples=%d\n", rows[i].name,
		       (unsigned long long)res[i].cycles_median, (unsigned long long)res[i].cycles_min,
		       (unsigned long long)res[i].ns_median, (unsigned long long)res[i].ns_min,
		       CALLS, samples);
	/* The point of a vDSO: the C library's read does not enter the kernel,
	 * so it costs well under a system call (without one, as much or more). */
	int ok = 2 * res[0].cycles_median < res[NROWS - 1].cycles_median;
	printf("CHECK clockbench/vdso_cheaper %s\n",
	       ok ? "ok" : "FAIL: clock_gettime costs half a system call or more: no vDSO?");
	return !ok;
}
