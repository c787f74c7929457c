/*
 * What parbench and shootbench, the benchmarks that use several CPUs,
 * share (cpus.c).
 */
#ifndef BENCH_CPUS_H
#define BENCH_CPUS_H
#include "bench.h"

/* Our affinity masks are one unsigned long. */
#define MAX_CPUS 64

/* How many CPUs we may run on (sched_getaffinity); at least one, at most MAX_CPUS. */
int cpus_online(void);
/* Pin the calling thread to one CPU (sched_setaffinity). */
bool pin_to_cpu(int cpu);

#endif
