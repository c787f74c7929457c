/* TLB flushes that reach every CPU which may cache the translations (tlb.c). */
#ifndef TLB_H
#define TLB_H
#include <stdint.h>
#include <stdbool.h>

struct mm;

void tlb_init(void);
/* Load mm's page table on this CPU (a switch to one of its tasks, exec). */
void load_mm(struct mm *mm);
/* Forget [start, end) of mm on every CPU that may cache it; returns when
 * all have, so the frames the old entries pointed to may be freed.
 * tables: page tables are freed too (CPUs holding mm lazily let go). */
void flush_tlb_range(struct mm *mm, uintptr_t start, uintptr_t end, bool tables);
/* mm dies: no CPU may hold its page table any more (this one included). */
void tlb_forget_mm(struct mm *mm);
/* Kernel addresses (global pages): every CPU. */
void flush_tlb_kernel_range(uintptr_t start, uintptr_t end);
/* A CPU spinning with interrupts off answers a shootdown meanwhile. */
void shootdown_poll(void);
uint64_t tlb_shootdowns(void);      /* IPI rounds since boot */

#endif
