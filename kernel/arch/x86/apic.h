/* The local APIC (timer, end-of-interrupt) and the I/O APIC (device IRQs). */
#ifndef APIC_H
#define APIC_H
#include <stdint.h>

void pic_disable(void);
void lapic_init(void);
void lapic_eoi(void);
uint32_t lapic_read(uint32_t reg);
void lapic_write(uint32_t reg, uint32_t v);
void ioapic_route(int irq, int vector);
uint32_t lapic_id(void);
void lapic_ipi(uint32_t apic_id, uint32_t icr);

/* Delivery modes for lapic_ipi (besides a plain vector, "fixed"). */
#define ICR_NMI       (4 << 8)
#define ICR_INIT      (5 << 8 | 1 << 14)        /* level: assert */
#define ICR_STARTUP   (6 << 8)                  /* vector = start page number */

#define LAPIC_TIMER_LVT     0x320
#define LAPIC_TIMER_INIT    0x380
#define LAPIC_TIMER_COUNT   0x390
#define LAPIC_TIMER_DIV     0x3e0

#endif
