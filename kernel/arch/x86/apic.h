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

#define LAPIC_TIMER_LVT     0x320
#define LAPIC_TIMER_INIT    0x380
#define LAPIC_TIMER_COUNT   0x390
#define LAPIC_TIMER_DIV     0x3e0

#endif
