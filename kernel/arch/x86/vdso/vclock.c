/*
 * The vDSO's code: clock_gettime, gettimeofday, time and getcpu, run in
 * user mode, inside the process that calls them. The kernel maps this
 * (built as a small shared object, see vdso.lds) into every process, with
 * its data page [vvar] just below it; musl and glibc find the functions by
 * name through AT_SYSINFO_EHDR. Nothing here may need a relocation or
 * writable data: the pages are the same read-only ones in every process.
 */
#include <stdint.h>
#include <stddef.h>
#include "arch/x86/vdso/vvar.h"

#define SYS_clock_gettime 228
#define NSEC_PER_SEC      1000000000ULL

struct timezone {
	int tz_minuteswest, tz_dsttime;
};

/* The data page, one page below the ELF header (vdso.lds puts it there);
 * hidden, so the code reaches it PC-relative, with no relocation. */
extern const struct vvar vvar __attribute__((visibility("hidden")));

/* What the C libraries look up, at version LINUX_2.6 (vdso.map). */
int __vdso_clock_gettime(int clock, struct timespec *ts);
int __vdso_gettimeofday(struct timeval *tv, struct timezone *tz);
long __vdso_time(long *t);
int __vdso_getcpu(unsigned *cpu, unsigned *node, void *unused);

/* The kernel's clock_ns(), in user mode. lfence: the TSC is not read
 * before the loads and calls that come before it in the program. */
static uint64_t boot_ns(void)
{
	uint32_t lo, hi;

	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) :: "memory");
	return cycles_to_ns(((uint64_t)hi << 32 | lo) - vvar.tsc_base, vvar.ns_mult);
}

static uint64_t real_ns(void)
{
	return vvar.realtime_offset + boot_ns();
}

/* A clock the vDSO does not have (the CPU-time clocks, bad ids): the
 * system call answers, as on Linux. */
static long sys_clock_gettime(int clock, struct timespec *ts)
{
	long ret;

	__asm__ volatile("syscall" : "=a"(ret) : "a"(SYS_clock_gettime), "D"(clock), "S"(ts)
			 : "rcx", "r11", "memory");
	return ret;
}

int __vdso_clock_gettime(int clock, struct timespec *ts)
{
	enum clock_base base = clock_base(clock);
	uint64_t ns;

	if (base == CLOCK_BASE_NONE)
		return sys_clock_gettime(clock, ts);
	ns = base == CLOCK_BASE_REAL ? real_ns() : boot_ns();
	ts->tv_sec = ns / NSEC_PER_SEC;
	ts->tv_nsec = ns % NSEC_PER_SEC;
	return 0;
}

/* The time zone is always UTC, as Linux's when nobody set one. */
int __vdso_gettimeofday(struct timeval *tv, struct timezone *tz)
{
	if (tv) {
		uint64_t ns = real_ns();
		tv->tv_sec = ns / NSEC_PER_SEC;
		tv->tv_usec = ns % NSEC_PER_SEC / 1000;
	}
	if (tz)
		*tz = (struct timezone){ 0, 0 };
	return 0;
}

long __vdso_time(long *t)
{
	long sec = real_ns() / NSEC_PER_SEC;

	if (t)
		*t = sec;
	return sec;
}

/* lsl reads the limit of this CPU's own GDT entry: the CPU number, set by
 * cpu_init. The one instruction every x86-64 CPU has for it (rdpid and
 * rdtscp are missing on QEMU's default CPU); Linux's vDSO does the same. */
int __vdso_getcpu(unsigned *cpu, unsigned *node, void *unused)
{
	unsigned limit;

	__asm__("lsl %1, %0" : "=r"(limit) : "r"(CPUNODE_SEL));
	if (cpu)
		*cpu = limit & ((1 << CPUNODE_CPU_BITS) - 1);
	if (node)
		*node = limit >> CPUNODE_CPU_BITS;
	return 0;
}
