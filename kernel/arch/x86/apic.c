/*
 * Interrupt controllers. The 8259 PICs of the original PC are masked; each
 * CPU's local APIC delivers its timer, and the I/O APIC routes device
 * interrupts (the serial port) to a CPU. Both are memory-mapped at the
 * standard PC addresses.
 */
#include "kernel.h"
#include "arch/x86/apic.h"
#include "arch/x86/memlayout.h"
#include "arch/x86/trap.h"
#include "arch/x86/pgtable.h"
#include "arch/x86/x86.h"
#include "spinlock.h"

#define LAPIC_ID      0x020
#define LAPIC_TPR     0x080     /* task priority: 0 accepts everything */
#define LAPIC_EOI     0x0b0
#define LAPIC_SVR     0x0f0     /* spurious vector, and the APIC enable bit */
#define LAPIC_ICR_LO  0x300     /* interrupt command: writing it sends an IPI */
#define LAPIC_ICR_HI  0x310     /* ... to the APIC ID in bits 24-31 */
#define ICR_PENDING   (1 << 12)
#define LAPIC_LINT0   0x350
#define LAPIC_LINT1   0x360
#define LAPIC_ERROR   0x370
#define LVT_MASKED    (1 << 16)

#define IOAPIC_PHYS   0xfec00000
#define IOREGSEL      0x00
#define IOWIN         0x10
#define IOAPIC_REDTBL 0x10      /* two 32-bit registers per IRQ */

static volatile uint32_t *lapic;
static volatile uint32_t *ioapic;

void pic_disable(void)
{
	/* Remap the PICs above our vectors first, so that a stray interrupt
	 * they raise before the mask lands cannot look like a CPU exception. */
	outb(0x20, 0x11); outb(0xa0, 0x11);     /* ICW1: initialise, ICW4 follows */
	outb(0x21, 0xe0); outb(0xa1, 0xe8);     /* ICW2: vector base */
	outb(0x21, 0x04); outb(0xa1, 0x02);     /* ICW3: cascade on IRQ2 */
	outb(0x21, 0x01); outb(0xa1, 0x01);     /* ICW4: 8086 mode */
	outb(0x21, 0xff); outb(0xa1, 0xff);     /* mask every line */
}

uint32_t lapic_read(uint32_t reg)
{
	return lapic[reg / 4];
}

void lapic_write(uint32_t reg, uint32_t v)
{
	lapic[reg / 4] = v;
	(void)lapic[LAPIC_ID / 4];      /* wait for the write to land */
}

void lapic_init(void)
{
	uintptr_t base = rdmsr(MSR_APIC_BASE) & ~0xfffULL;

	lapic = vm_map_mmio(base, PAGE_SIZE);
	ioapic = vm_map_mmio(IOAPIC_PHYS, PAGE_SIZE);
	lapic_write(LAPIC_SVR, 0x100 | T_SPURIOUS);     /* enable */
	lapic_write(LAPIC_LINT0, LVT_MASKED);
	lapic_write(LAPIC_LINT1, LVT_MASKED);
	lapic_write(LAPIC_ERROR, LVT_MASKED);
	lapic_write(LAPIC_TIMER_LVT, LVT_MASKED);
	lapic_write(LAPIC_TPR, 0);
	lapic_eoi();
}

void lapic_eoi(void)
{
	lapic_write(LAPIC_EOI, 0);
}

uint32_t lapic_id(void)
{
	return lapic_read(LAPIC_ID) >> 24;
}

/* Send an interrupt (icr: vector and delivery mode) to the CPU whose local
 * APIC has ID apic_id, and wait until the APIC has sent it. */
void lapic_ipi(uint32_t apic_id, uint32_t icr)
{
	irq_save();             /* the two writes belong together */
	lapic_write(LAPIC_ICR_HI, apic_id << 24);
	lapic_write(LAPIC_ICR_LO, icr);
	while (lapic_read(LAPIC_ICR_LO) & ICR_PENDING)
		pause();
	irq_restore();
}

/* Send device IRQ `irq` to the boot CPU (APIC ID 0) as `vector`: edge, high. */
void ioapic_route(int irq, int vector)
{
	ioapic[IOREGSEL / 4] = IOAPIC_REDTBL + 2 * irq;
	ioapic[IOWIN / 4] = vector;
	ioapic[IOREGSEL / 4] = IOAPIC_REDTBL + 2 * irq + 1;
	ioapic[IOWIN / 4] = 0;
}
