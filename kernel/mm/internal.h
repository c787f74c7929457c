/* What mm/memory.c and mm/mmap.c share, and nobody else needs (as Linux's mm/internal.h). */
#ifndef MM_INTERNAL_H
#define MM_INTERNAL_H
#include <stdint.h>
#include "mm/mm.h"
#include "arch/x86/tlb.h"


/* Drop the pages mapped in [start, end), and the page tables left empty;
 * regions are not touched. The PTE tables there must be mm's own
 * (unshare_pte_tables). */
void unmap_pages(struct mm *mm, uintptr_t start, uintptr_t end);

/* fork=odf: give mm its own copy of every PTE table over [start, end)
 * that it shares with another mm, before changing entries there. 0 or
 * -ENOMEM. Under mm->lock. */
int unshare_pte_tables(struct mm *mm, uintptr_t start, uintptr_t end);

/* Remove every region (and page) in [start, end). Under mm->lock. */
int do_munmap(struct mm *mm, uintptr_t start, uintptr_t end);

#endif
