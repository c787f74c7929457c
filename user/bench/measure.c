/*
 * Timing. A sample times a batch of operations with both clocks: rdtsc
 * (cycles) and clock_gettime(CLOCK_MONOTONIC) (nanoseconds). Cheap
 * operations run many to a batch, so that reading the clocks (a system
 * call on tasklab) costs little beside them.
 */
#include "bench.h"

/* A batch should last at least this long, to dwarf the clock reads. */
#define MIN_BATCH_CYCLES 100000
#define MAX_BATCH        4096
#define MAX_SAMPLES      256

struct sample {
	uint64_t cycles, ns;
};

/* Run op n times between the clock reads; false if an operation failed. */
static bool time_batch(bench_op op, void *arg, unsigned n, struct sample *s)
{
	bool ok = true;
	long ns0 = now_ns();
	uint64_t c0 = rdtsc();

	for (unsigned i = 0; i < n && ok; i++)
		ok = op(arg);
	s->cycles = rdtsc() - c0;
	s->ns = now_ns() - ns0;
	return ok;
}

static void sort(uint64_t *a, unsigned n)
{
	for (unsigned i = 1; i < n; i++) {
		uint64_t v = a[i];
		unsigned j = i;
		for (; j > 0 && a[j - 1] > v; j--)
			a[j] = a[j - 1];
		a[j] = v;
	}
}

/*
 * Warm up (the first run pays for page faults and heap growth), then
 * double the batch until one lasts MIN_BATCH_CYCLES. A batch size is judged
 * by the fastest of BATCH_TRIES batches: one slow batch (an interrupt, the
 * host preempting QEMU, code translated for the first time) must not stop
 * the doubling early, or cheap operations would be timed one at a time,
 * their nanoseconds dominated by the clock read (a system call on tasklab,
 * not on Linux). This is the same rule on every kernel; it only ignores
 * outliers.
 */
#define BATCH_TRIES 3

static bool pick_batch(bench_op op, void *arg, struct measure *m)
{
	struct sample s;

	if (!op(arg))
		return false;
	m->ops = 1;
	for (m->batch = 1;; m->batch *= 2) {
		uint64_t fastest = ~0ul;
		for (int i = 0; i < BATCH_TRIES; i++) {
			if (!time_batch(op, arg, m->batch, &s))
				return false;
			m->ops += m->batch;
			if (s.cycles < fastest)
				fastest = s.cycles;
		}
		if (fastest >= MIN_BATCH_CYCLES || m->batch >= MAX_BATCH)
			return true;
	}
}

struct measure measure(bench_op op, void *arg, unsigned samples)
{
	static uint64_t cycles[MAX_SAMPLES], ns[MAX_SAMPLES];
	struct measure m = { .samples = samples < MAX_SAMPLES ? samples : MAX_SAMPLES };
	struct sample s;

	if (!pick_batch(op, arg, &m))
		return m;
	for (unsigned i = 0; i < m.samples; i++) {
		if (!time_batch(op, arg, m.batch, &s))
			return m;
		m.ops += m.batch;
		cycles[i] = s.cycles / m.batch;
		ns[i] = s.ns / m.batch;
	}
	sort(cycles, m.samples);
	sort(ns, m.samples);
	m.cycles_median = cycles[m.samples / 2];
	m.cycles_min = cycles[0];
	m.ns_median = ns[m.samples / 2];
	m.ns_min = ns[0];
	m.ok = m.cycles_min > 0 && m.ns_median > 0;
	return m;
}
