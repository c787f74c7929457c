/*
 * Page tables. x86-64 translates a 48-bit virtual address through four
 * levels of 512-entry tables; we use Linux's names for them:
 *
 *   47     39 38     30 29     21 20     12 11         0
 *  +---------+---------+---------+---------+------------+
 *  | PGD idx | PUD idx | PMD idx | PTE idx | page offset|
 *  +---------+---------+---------+---------+------------+
 *   PML4       PDPT      PD        PT       (Intel's names)
 *
 * CR3 holds the physical address of the PGD. Each entry holds the physical
 * address of the next table (or of the page) plus the flag bits below.
 */
#ifndef VM_H
#define VM_H
#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include "arch/x86/memlayout.h"

typedef uint64_t pte_t;

#define PTE_P      (1ULL << 0)     /* present */
#define PTE_W      (1ULL << 1)     /* writable */
#define PTE_U      (1ULL << 2)     /* user may access */
#define PTE_PWT    (1ULL << 3)     /* write-through */
#define PTE_PCD    (1ULL << 4)     /* cache disabled (device memory) */
#define PTE_A      (1ULL << 5)     /* accessed (set by the CPU) */
#define PTE_D      (1ULL << 6)     /* dirty (set by the CPU) */
#define PTE_PS     (1ULL << 7)     /* in a PUD/PMD: a 1 GiB / 2 MiB page */
#define PTE_G      (1ULL << 8)     /* global: kept in the TLB across CR3 loads */
#define PTE_COW    (1ULL << 9)     /* software bit: copy on write */
#define PTE_SHARED (1ULL << 10)    /* software bit: MAP_SHARED, never COW */
#define PTE_PROTNONE (1ULL << 11)  /* software bit: a page kept but PROT_NONE (P clear) */
#define PTE_NX     (1ULL << 63)    /* no execute */
#define PTE_ADDR   0x000ffffffffff000ULL

/* The levels, numbered from the bottom: an entry at `level` maps
 * 4 KiB << (9 * level) bytes. */
enum pt_level { PTE_LEVEL = 0, PMD_LEVEL = 1, PUD_LEVEL = 2, PGD_LEVEL = 3 };

#define PMD_SIZE   (1ULL << 21)    /* what a PTE table maps: 2 MiB */

#define PTE_INDEX(va, level)  (((uintptr_t)(va) >> (12 + 9 * (level))) & 511)

void vm_init(void);
void vm_init_cpu(void);            /* each CPU: load the kernel's table */
pte_t *kernel_pgd(void);
/* A new mm's PGD (zeroed) gets the kernel half, which is the same in every
 * address space; pgd_remove_kernel takes it out, leaving zeros. */
void pgd_add_kernel(pte_t *pgd);
void pgd_remove_kernel(pte_t *pgd);
pte_t vm_nx(void);                 /* PTE_NX if the CPU supports it, else 0 */

/* One step down: the table that entry PTE_INDEX(va, level) of `table`
 * points to (level PGD_LEVEL ... PMD_LEVEL), allocating it when missing
 * and alloc is true. NULL if missing (or a huge page, or out of memory).
 * Inline, for every walk down the levels takes it: the table is there,
 * usually; pt_next_level_slow is the rest. */
pte_t *pt_next_level_slow(pte_t *table, uintptr_t va, int level, bool alloc);
static inline pte_t *pt_next_level(pte_t *table, uintptr_t va, int level, bool alloc)
{
	pte_t e = table[PTE_INDEX(va, level)];

	if ((e & (PTE_P | PTE_PS)) == PTE_P)
		return P2V(e & PTE_ADDR);
	return pt_next_level_slow(table, va, level, alloc);
}

/* Does this leaf entry hold a page (present, or kept under PROT_NONE)? */
static inline bool pte_has_page(pte_t pte)
{
	return pte & (PTE_P | PTE_PROTNONE);
}

/* Find the PTE that maps va, creating missing tables when alloc is true.
 * NULL when a table is missing (or could not be allocated). */
pte_t *walk(pte_t *pgd, uintptr_t va, bool alloc);

/* Map one 4 KiB page: 0, or -ENOMEM when a table could not be allocated.
 * An existing mapping is replaced (the caller drops its page). */
int map_page(pte_t *pgd, uintptr_t va, uintptr_t pa, uint64_t flags);

/* Remove the mapping of va and return the PTE it had (0 if none). The
 * caller owns the page it pointed to. */
pte_t unmap_page(pte_t *pgd, uintptr_t va);

/* The PTE mapping va, or 0. */
pte_t lookup_pte(pte_t *pgd, uintptr_t va);

/*
 * The walk over a range, [start, end) of the address space whose PGD is
 * pgd, entering only the tables that are present: the cost is what is
 * mapped there, however large the range (a region may span terabytes of
 * which a few pages are used). At each leaf entry that holds a page, ops->pte
 * runs; after the walk below an entry that points to a table (PMD_LEVEL and
 * up), ops->table_done runs on that entry, so it may free the table.
 * Either may be NULL.
 */
struct pt_walk_ops {
	void (*pte)(pte_t *pte, void *arg);
	void (*table_done)(pte_t *entry, void *arg);
};
void walk_range(pte_t *pgd, uintptr_t start, uintptr_t end,
		const struct pt_walk_ops *ops, void *arg);

/* Make device memory (uncached) reachable in the direct map. */
void *vm_map_mmio(uintptr_t pa, size_t size);

/* Kernel stacks: KSTACK_SIZE each, with an unmapped guard page below so an
 * overflow faults instead of corrupting memory. Returns the lowest address
 * of the stack, or NULL. */
void *kstack_alloc(void);
#define KSTACK_CACHE    2       /* freed stacks kept mapped, as Linux's NR_CACHED_STACKS */
void kstack_free(void *stack);
/* Pages of the stacks in use, and of freed ones kept for the next task. */
void kstack_pages(uint64_t *used, uint64_t *cached);

#endif
