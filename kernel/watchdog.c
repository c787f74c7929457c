/* The lockup watchdog: see watchdog.h. */
#include "kernel.h"
#include "watchdog.h"
#include "arch/x86/cpu.h"
#include "param.h"
#include "sched.h"
#include "task.h"
#include "arch/x86/timer.h"
#include "arch/x86/trap.h"

#define HLT_OPCODE 0xf4

static uint64_t limit_ns = 10 * 1000000000UL;

/* What each CPU was doing at its last tick: the same task, the same count of
 * switches, and kernel mode ever since `since` means it has not scheduled. */
static struct {
	struct task *task;
	uint64_t switches;
	uint64_t since;
} watch[ARRAY_SIZE(cpus)];

static void watchdog_param(const char *value)
{
	uint64_t s = 0;

	for (const char *c = value; *c; c++) {
		if (*c < '0' || *c > '9' || s > 1000000) {
			printk("cmdline: watchdog=%s: expected a number of seconds\n", value);
			return;
		}
		s = s * 10 + (*c - '0');
	}
	limit_ns = s * 1000000000UL;
}
KERNEL_PARAM("watchdog", watchdog_param);

/* An idle CPU waits in hlt, and the interrupt returns to the next instruction. */
static bool halted(const struct trapframe *tf)
{
	return *(const uint8_t *)(tf->rip - 1) == HLT_OPCODE;
}

void watchdog_tick(struct trapframe *tf)
{
	int cpu = this_cpu()->id;
	uint64_t now = clock_ns(), switches = sched_get_stats().switches;

	if ((tf->cs & 3) || halted(tf) || watch[cpu].task != current ||
	    watch[cpu].switches != switches) {
		watch[cpu].task = current;
		watch[cpu].switches = switches;
		watch[cpu].since = now;
		return;
	}
	if (limit_ns && now - watch[cpu].since > limit_ns)
		panic_tf(tf, "watchdog: CPU %d stuck in the kernel for %lu s without scheduling (%s[%d])",
			 cpu, (now - watch[cpu].since) / 1000000000, current->comm, current->tid);
}
