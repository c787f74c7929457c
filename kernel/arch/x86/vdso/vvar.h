/*
 * The vDSO's data page, [vvar]: what the kernel tells the vDSO's code
 * (vclock.c) so that it reads the clocks in user mode, and the arithmetic
 * both share, so that a clock read in the vDSO returns exactly what
 * clock_gettime in the kernel would. Included by the kernel and by the
 * vDSO (which has no kernel around it): inline, freestanding code only.
 */
#ifndef VDSO_VVAR_H
#define VDSO_VVAR_H
#include <stdint.h>
#include "uapi/uapi.h"

/*
 * tasklab's clock is the TSC alone: ns since boot = (rdtsc() - tsc_base)
 * * ns_mult >> 32, and CLOCK_REALTIME adds the RTC's time at boot. The
 * kernel writes these once, before the first process, and never again
 * (there is no clock_settime and no NTP), so readers need no sequence count
 * like Linux's vdso_data.seq; a kernel that changes them later needs one.
 */
struct vvar {
	uint64_t tsc_base;
	uint64_t ns_mult;
	uint64_t realtime_offset;       /* CLOCK_REALTIME - CLOCK_MONOTONIC, ns */
};

static inline uint64_t cycles_to_ns(uint64_t cycles, uint64_t ns_mult)
{
	return (uint64_t)(((unsigned __int128)cycles * ns_mult) >> 32);
}

/* The two time bases a clock id may read: boot (monotonic) or real time. */
enum clock_base { CLOCK_BASE_NONE, CLOCK_BASE_BOOT, CLOCK_BASE_REAL };

/* The coarse clocks are as fine as the others: the TSC costs no more. */
static inline enum clock_base clock_base(int clock)
{
	switch (clock) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
		return CLOCK_BASE_REAL;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
		return CLOCK_BASE_BOOT;
	}
	return CLOCK_BASE_NONE;
}

/* getcpu's GDT entry: user code reads its limit with lsl (vclock.c). As
 * Linux's GDT_ENTRY_CPUNODE, the limit is node << 12 | cpu. */
#define GDT_CPUNODE      7
#define CPUNODE_SEL      (GDT_CPUNODE * 8 | 3)
#define CPUNODE_CPU_BITS 12

#endif
