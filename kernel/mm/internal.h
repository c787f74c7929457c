/* What mm/memory.c and mm/mmap.c share, and nobody else needs (as Linux's mm/internal.h). */
#ifndef MM_INTERNAL_H
#define MM_INTERNAL_H
#include <stdint.h>
#include "mm/mm.h"
#include "arch/x86/tlb.h"


/* Drop the pages mapped in [start, end), and the page tables left empty;
 * regions are not touched. */
void unmap_pages(struct mm *mm, uintptr_t start, uintptr_t end);

/* Remove every region (and page) in [start, end). Under mm->lock. */
int do_munmap(struct mm *mm, uintptr_t start, uintptr_t end);

#endif
