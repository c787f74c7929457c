/* What mm/memory.c and mm/mmap.c share, and nobody else needs (as Linux's mm/internal.h). */
#ifndef MM_INTERNAL_H
#define MM_INTERNAL_H
#include <stdint.h>
#include "mm/mm.h"

/* Forget the TLB's copies of [start, end) if this CPU may hold any. */
void flush_tlb_range(struct mm *mm, uintptr_t start, uintptr_t end);

/* Call fn on every leaf entry in [start, end) below `table` (at `level`)
 * that holds a page, entering only the tables that are present. */
void for_each_pte(pte_t *table, int level, uintptr_t start, uintptr_t end,
		  void (*fn)(pte_t *pte, void *arg), void *arg);

/* Drop the pages mapped in [start, end), and the page tables left empty;
 * regions are not touched. */
void unmap_pages(struct mm *mm, uintptr_t start, uintptr_t end);

/* Remove every region (and page) in [start, end). Under mm->lock. */
int do_munmap(struct mm *mm, uintptr_t start, uintptr_t end);

#endif
