/*
 * The system-wide files of /proc: stat, cpuinfo and meminfo, in Linux's
 * formats (Linux's fs/proc/stat.c, cpuinfo.c and meminfo.c; before 2.6.27,
 * fs/proc/proc_misc.c). procfs.c finds them by name and prints them into a
 * window at each read.
 */
#include "kernel.h"
#include "fs/procfs.h"
#include "fs/ramfs.h"
#include "mm/slab.h"
#include "mm/page_alloc.h"
#include "sched.h"
#include "sys.h"
#include "task.h"
#include "drivers/rtc.h"
#include "arch/x86/pgtable.h"
#include "arch/x86/smp.h"
#include "arch/x86/timer.h"
#include "lib/format.h"

/* A cpu line of /proc/stat: Linux's ten columns in clock ticks, of which
 * tasklab counts user, nice, system and idle (acct.c). */
static void cpustat_line(struct window *w, const char *name, const uint64_t *ticks)
{
	wprintf(w, "%s %lu %lu %lu %lu 0 0 0 0 0 0\n", name,
		ticks_to_clock_t(ticks[CPUSTAT_USER]), ticks_to_clock_t(ticks[CPUSTAT_NICE]),
		ticks_to_clock_t(ticks[CPUSTAT_SYSTEM]), ticks_to_clock_t(ticks[CPUSTAT_IDLE]));
}

/* Tasks that are runnable or running, as Linux's procs_running. */
static int nr_running(void)
{
	struct task *t;
	int n = 0;

	spin_lock(&tasklist_lock);
	for_each_task(t)
		n += t->state == TASK_RUNNING;
	spin_unlock(&tasklist_lock);
	return n;
}

/* Linux's /proc/stat: the "cpu" line sums the "cpuN" lines (of one copy
 * of the counts: another CPU's tick may add to its own meanwhile). No task
 * waits for a disk, so procs_blocked (Linux's tasks in I/O wait) is 0.
 * tasklab's own lines: ctxt_cr3, what the one run queue's lock costs
 * the CPUs that share it (sched_lock_*: taken, found held, ns spun), and
 * the reschedule IPIs sent (wake-ups and kicks; Linux's RES line in
 * /proc/interrupts). */
void show_stat(struct window *w)
{
	struct sched_stats st = sched_get_stats();
	uint64_t sum[NR_CPUSTAT] = { 0 }, each[MAX_CPUS][NR_CPUSTAT];
	struct cpu *c;
	char name[16];

	for_each_online_cpu(c)
		for (int i = 0; i < NR_CPUSTAT; i++) {
			each[c->id][i] = __atomic_load_n(&c->cpustat[i], __ATOMIC_RELAXED);
			sum[i] += each[c->id][i];
		}
	cpustat_line(w, "cpu ", sum);
	for_each_online_cpu(c) {
		snprintf(name, sizeof(name), "cpu%d", c->id);
		cpustat_line(w, name, each[c->id]);
	}
	wprintf(w, "ctxt %lu\nctxt_cr3 %lu\nbtime %lu\n", st.switches, st.mm_switches,
		realtime_offset_ns() / 1000000000);
	wprintf(w, "sched_lock_acquired %lu\nsched_lock_contended %lu\nsched_lock_wait_ns %lu\n",
		sched_lock.acquired, sched_lock.contended, sched_lock.wait_ns);
	wprintf(w, "resched_ipis %lu\n", __atomic_load_n(&smp_resched_ipis, __ATOMIC_RELAXED));
	wprintf(w, "processes %lu\nprocs_running %d\nprocs_blocked 0\n", st.forks, nr_running());
}

/* One processor's part of /proc/cpuinfo, the lines programs read, in
 * Linux's format. */
static void cpuinfo_entry(struct window *w, const struct cpu *c, const struct cpu_ident *id,
			  const char **flags, int nflags)
{
	uint64_t khz = tsc_hz() / 1000;

	wprintf(w, "processor\t: %d\nvendor_id\t: %s\ncpu family\t: %d\nmodel\t\t: %d\n",
		c->id, id->vendor, id->family, id->model);
	wprintf(w, "model name\t: %s\nstepping\t: %d\ncpu MHz\t\t: %lu.%03lu\n",
		id->model_name, id->stepping, khz / 1000, khz % 1000);
	wprintf(w, "fpu\t\t: yes\nfpu_exception\t: yes\ncpuid level\t: %u\nwp\t\t: yes\nflags\t\t:",
		id->max_leaf);
	for (int i = 0; i < nflags; i++)
		wprintf(w, " %s", flags[i]);
	wprintf(w, "\n\n");
}

/* Every CPU that is up. Their CPUID is taken as this one's: QEMU's CPUs
 * are all of one model, and Linux too assumes the boot CPU's features. */
void show_cpuinfo(struct window *w)
{
	const char *flags[128];
	int nflags = MIN(cpu_flag_names(flags, ARRAY_SIZE(flags)), (int)ARRAY_SIZE(flags));
	struct cpu_ident id;
	struct cpu *c;

	cpu_identify(&id);
	for_each_online_cpu(c)
		cpuinfo_entry(w, c, &id, flags, nflags);
}

/* Linux's fields, as far as tasklab has them: no swap. The root file
 * system's file pages are Cached and Shmem, as tmpfs's are on Linux (a file
 * still in the initramfs lies outside the managed frames: not counted).
 * MemAvailable adds the freed kernel stacks kept for the next task to
 * MemFree; like Linux's, it leaves out Shmem, which cannot be dropped.
 * SlabObjects (tasklab's own) counts the kmalloc objects in use, which the
 * leak checks compare. */
void show_meminfo(struct window *w)
{
	uint64_t stacks, cached, objects, slabs, kb = PAGE_SIZE >> 10;

	kstack_pages(&stacks, &cached);
	wprintf(w, "MemTotal:       %8lu kB\nMemFree:        %8lu kB\n"
		"MemAvailable:   %8lu kB\n", pages_total() * kb, pages_free() * kb,
		(pages_free() + cached) * kb);
	wprintf(w, "Buffers:        %8d kB\nCached:         %8lu kB\n"
		"SwapCached:     %8d kB\nSwapTotal:      %8d kB\nSwapFree:       %8d kB\n",
		0, ramfs_pages() * kb, 0, 0, 0);
	wprintf(w, "Shmem:          %8lu kB\nKernelStack:    %8lu kB\n", ramfs_pages() * kb,
		stacks * kb);
	kmalloc_usage(&objects, &slabs);
	wprintf(w, "Slab:           %8lu kB\nSlabObjects:    %8lu\n", slabs * kb, objects);
}
