/*
 * CPUs, for the benchmarks that use several (parbench, shootbench): how
 * many we may run on, and pinning the calling thread to one.
 */
#include "cpus.h"

int cpus_online(void)
{
	unsigned long mask = 0;
	int n = 0;

	if (raw_syscall(SYS_sched_getaffinity, 0, sizeof mask, &mask) < 0)
		return 1;
	for (; mask; mask &= mask - 1)      /* no libgcc here for popcount */
		n++;
	return n ? n : 1;
}

bool pin_to_cpu(int cpu)
{
	unsigned long mask = 1UL << cpu;

	return raw_syscall(SYS_sched_setaffinity, 0, sizeof mask, &mask) == 0;
}
