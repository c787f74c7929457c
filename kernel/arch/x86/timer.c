/*
 * Time. At boot the legacy PIT, whose 1.193182 MHz crystal is the one clock
 * of known speed on a PC, measures how fast the TSC and the local APIC
 * timer count. Afterwards the APIC timer interrupts HZ times a second
 * (ticks, preemption) and the TSC tells fine-grained time.
 */
#include "kernel.h"
#include "arch/x86/timer.h"
#include "arch/x86/apic.h"
#include "arch/x86/cpu.h"
#include "sched.h"
#include "time.h"
#include "arch/x86/trap.h"
#include "arch/x86/x86.h"
#include "arch/x86/vdso/vvar.h"
#include "watchdog.h"

#define PIT_HZ         1193182
#define PIT_CH2        0x42
#define PIT_CMD        0x43
#define PIT_GATE_PORT  0x61     /* bit 0: channel 2 gate; bit 5: its output */
#define CALIBRATE_MS   10

static volatile uint64_t ticks;
static uint64_t tsc_freq;
static uint64_t tsc_boot;
static uint64_t ns_mult;        /* ns = cycles * ns_mult >> 32 */
static uint32_t apic_per_ms;    /* the same on every CPU */

/*
 * Run PIT channel 2 once for CALIBRATE_MS (mode 0: its output goes high
 * when the count reaches zero) and see how far the TSC and the APIC timer
 * count meanwhile.
 */
static void calibrate(uint64_t *tsc_per_ms, uint32_t *apic_per_ms)
{
	uint16_t count = PIT_HZ * CALIBRATE_MS / 1000;
	uint64_t t0, t1;
	uint32_t apic_left;

	outb(PIT_GATE_PORT, (inb(PIT_GATE_PORT) & ~0x02) | 0x01);
	outb(PIT_CMD, 0xb0);            /* channel 2, lo/hi byte, mode 0 */
	outb(PIT_CH2, count & 0xff);
	lapic_write(LAPIC_TIMER_DIV, 0x3);      /* divide by 16 */
	outb(PIT_CH2, count >> 8);              /* counting starts now */
	lapic_write(LAPIC_TIMER_INIT, 0xffffffff);
	t0 = rdtsc();
	while (!(inb(PIT_GATE_PORT) & 0x20))
		pause();
	t1 = rdtsc();
	apic_left = lapic_read(LAPIC_TIMER_COUNT);
	lapic_write(LAPIC_TIMER_INIT, 0);
	*tsc_per_ms = (t1 - t0) / CALIBRATE_MS;
	*apic_per_ms = (0xffffffff - apic_left) / CALIBRATE_MS;
}

/* Every CPU's timer ticks; the boot CPU's counts the time. */
static void timer_interrupt(struct trapframe *tf)
{
	if (this_cpu()->id == 0)
		__atomic_add_fetch(&ticks, 1, __ATOMIC_RELAXED);
	sched_tick(tf->cs & 3);
	watchdog_tick(tf);
	itimers_run();
}

/* This CPU's local APIC timer: HZ interrupts a second. */
void timer_start(void)
{
	lapic_write(LAPIC_TIMER_DIV, 0x3);
	lapic_write(LAPIC_TIMER_LVT, (1 << 17) | T_TIMER);      /* periodic */
	lapic_write(LAPIC_TIMER_INIT, apic_per_ms * 1000 / HZ);
}

void timer_init(void)
{
	uint64_t tsc_per_ms;

	calibrate(&tsc_per_ms, &apic_per_ms);
	tsc_freq = tsc_per_ms * 1000;
	tsc_boot = rdtsc();
	ns_mult = ((uint64_t)1000000000 << 32) / tsc_freq;
	irq_register(T_TIMER, timer_interrupt);
	timer_start();
	printk("timer: TSC %lu.%03lu MHz, APIC timer %u kHz (/16), HZ=%d\n",
	       tsc_freq / 1000000, tsc_freq / 1000 % 1000, apic_per_ms, HZ);
}

uint64_t timer_ticks(void)
{
	return ticks;
}

uint64_t tsc_hz(void)
{
	return tsc_freq;
}

uint64_t tsc_to_ns(uint64_t cycles)
{
	return cycles_to_ns(cycles, ns_mult);
}

/* The vDSO's copy of the time base: it reads clock_ns() with these. */
void timer_fill_vvar(struct vvar *vv)
{
	vv->tsc_base = tsc_boot;
	vv->ns_mult = ns_mult;
}

uint64_t clock_ns(void)
{
	return tsc_to_ns(rdtsc() - tsc_boot);
}
