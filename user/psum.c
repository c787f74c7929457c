/*
 * psum: the sum 1 + 2 + ... + N, cut into slices, one thread per slice.
 *
 *   psum [THREADS [N]]      1 <= THREADS <= 64 (default 4), N >= THREADS (default 1000000)
 *
 * The threads are tasks that clone(2) made to share this process's memory
 * (ulib's thread_create), so each writes its result straight into the
 * slices array that main reads after joining it: no pipe, no copy. main
 * prints every slice with the tid of the thread that summed it, and the
 * total, checked against N(N+1)/2.
 */
#include "ulib.h"

#define MAX_THREADS 64

/* The part of the sum one thread does. */
struct slice {
	long lo, hi;            /* the numbers lo..hi, both included */
	long sum;               /* the thread's result */
	int tid;                /* the thread's own tid (gettid) */
};

/*
 * Sum s->lo..s->hi into s->sum and record the thread's tid in s->tid.
 * A thread_create start function: arg is the struct slice; returns NULL.
 */
static void *sum_slice(void *arg)
{
	/* LAB util: begin (handout: return NULL;) */
	struct slice *s = arg;
	long sum = 0;

	for (long i = s->lo; i <= s->hi; i++)
		sum += i;
	s->sum = sum;
	s->tid = gettid();
	return NULL;
	/* LAB util: end */
}

/*
 * Cut 1..n into nthreads slices of consecutive numbers, in order and as
 * even as can be (sizes differ by at most one), fill in lo and hi of
 * slices[0..nthreads-1], run sum_slice on each in a thread of its own
 * (thread_create; all of them running at once), wait for every one
 * (thread_join), and add up their sums.
 * Returns the total, or -1 if a thread could not be created.
 */
static long psum(long n, int nthreads, struct slice *slices)
{
	/* LAB util: begin (handout: (void)sum_slice; return -1;) */
	thread_t threads[MAX_THREADS];
	long total = 0, lo = 1;
	int started = 0;

	for (int i = 0; i < nthreads; i++) {
		long size = n / nthreads + (i < n % nthreads);
		slices[i] = (struct slice){ .lo = lo, .hi = lo + size - 1 };
		lo += size;
		if (thread_create(&threads[i], sum_slice, &slices[i]) != 0)
			break;
		started++;
	}
	for (int i = 0; i < started; i++) {
		thread_join(threads[i], NULL);
		total += slices[i].sum;
	}
	return started == nthreads ? total : -1;
	/* LAB util: end */
}

int main(int argc, char **argv)
{
	static struct slice slices[MAX_THREADS];
	int nthreads = argc > 1 ? atoi(argv[1]) : 4;
	long n = argc > 2 ? strtol(argv[2], NULL, 10) : 1000000;

	if (nthreads < 1 || nthreads > MAX_THREADS || n < nthreads) {
		fprintf(stderr, "usage: psum [THREADS [N]], 1 <= THREADS <= %d <= N\n", MAX_THREADS);
		return 2;
	}
	long start = now_ns();
	long total = psum(n, nthreads, slices);
	long us = (now_ns() - start) / 1000;
	if (total < 0) {
		fprintf(stderr, "psum: failed\n");
		return 1;
	}
	for (int i = 0; i < nthreads; i++)
		printf("slice %d: %ld..%ld = %ld, by tid %d\n", i, slices[i].lo, slices[i].hi,
		       slices[i].sum, slices[i].tid);
	long want = n * (n + 1) / 2;
	printf("psum: 1..%ld = %ld with %d threads in %ld us (pid %d)\n", n, total, nthreads, us,
	       getpid());
	if (total != want) {
		printf("psum: wrong, 1..%ld is %ld\n", n, want);
		return 1;
	}
	return 0;
}
