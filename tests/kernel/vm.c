/* Page tables: map, look up and unmap on a private PGD; kernel stacks. */
#include "kernel.h"
#include "ktest.h"
#include "arch/x86/memlayout.h"
#include "mm/page_alloc.h"
#include "arch/x86/pgtable.h"

#define GIB (1ULL << 30)

/* Free a table and the tables below it, not the pages they map
 * (level 3 = PGD ... 0 = PTE table). */
static void free_tables(pte_t *table, int level)
{
	if (level > 0)
		for (int i = 0; i < 512; i++)
			if (table[i] & PTE_P)
				free_tables(P2V(table[i] & PTE_ADDR), level - 1);
	page_put(table);
}

/* Map va and check how many page tables that had to allocate. */
static void map_counting(pte_t *pgd, uintptr_t va, uintptr_t pa, uint64_t flags,
			 int new_tables)
{
	uint64_t before = pages_free();

	EXPECT_EQ(map_page(pgd, va, pa, flags), 0);
	EXPECT_EQ(before - pages_free(), new_tables);
	EXPECT_EQ(lookup_pte(pgd, va), pa | flags | PTE_P);
}

KTEST(vm_map_lookup_unmap)
{
	uint64_t start = pages_free();
	pte_t *pgd = page_zalloc();
	void *page = page_alloc();
	uintptr_t pa, top = USER_TOP - PAGE_SIZE;

	EXPECT(pgd && page);
	if (!pgd || !page)
		return;
	pa = V2P(page);
	/* An empty PGD: the first mapping needs a PUD, a PMD and a PTE table. */
	map_counting(pgd, 0x400000, pa, PTE_U | PTE_W, 3);
	map_counting(pgd, 0x401000, pa, PTE_U, 0);               /* same tables */
	map_counting(pgd, 0x200000, pa, PTE_U | PTE_COW, 1);     /* new PTE table */
	map_counting(pgd, GIB, pa, PTE_U | vm_nx(), 2);          /* new PMD, PTE table */
	map_counting(pgd, top, pa, PTE_U | PTE_W, 3);            /* PGD entry 255 */
	/* The CPU checks U and W at every level; the tables leave both open. */
	EXPECT_EQ(pgd[0] & (PTE_P | PTE_W | PTE_U), PTE_P | PTE_W | PTE_U);
	EXPECT_EQ(pgd[PTE_INDEX(top, 3)] & (PTE_P | PTE_W | PTE_U), PTE_P | PTE_W | PTE_U);

	/* Mapping again replaces the entry, with its new flags. */
	map_counting(pgd, 0x400000, pa, PTE_U, 0);
	/* Unmapping hands back exactly the old entry, then it is gone. */
	EXPECT_EQ(unmap_page(pgd, 0x400000), pa | PTE_U | PTE_P);
	EXPECT_EQ(lookup_pte(pgd, 0x400000), 0);
	EXPECT_EQ(unmap_page(pgd, 0x400000), 0);
	EXPECT_EQ(lookup_pte(pgd, 0x401000), pa | PTE_U | PTE_P);  /* the neighbour stays */

	/* Looking where no table exists allocates nothing. */
	uint64_t before = pages_free();
	EXPECT(walk(pgd, 5 * GIB, false) == NULL);
	EXPECT_EQ(lookup_pte(pgd, 5 * GIB), 0);
	EXPECT_EQ(unmap_page(pgd, 5 * GIB), 0);
	EXPECT_EQ(pages_free(), before);

	free_tables(pgd, 3);
	page_put(page);
	EXPECT_EQ(pages_free(), start);
}

static bool stack_mapped(uintptr_t base)
{
	for (int i = 0; i < KSTACK_PAGES; i++)
		if (!(lookup_pte(kernel_pgd(), base + i * PAGE_SIZE) & PTE_W))
			return false;
	return true;
}

static bool stack_unmapped(uintptr_t base)
{
	for (int i = 0; i < KSTACK_PAGES; i++)
		if (lookup_pte(kernel_pgd(), base + i * PAGE_SIZE))
			return false;
	return true;
}

KTEST(vm_kstack)
{
	uint64_t start;
	char *a, *b;

	/* The first stacks may create page tables for the stack area; those
	 * stay, so count pages only from the second round on. */
	a = kstack_alloc();
	b = kstack_alloc();
	EXPECT(a && b);
	if (!a || !b)
		return;
	kstack_free(a);
	kstack_free(b);

	start = pages_free();
	a = kstack_alloc();
	b = kstack_alloc();
	EXPECT(a && b);
	if (!a || !b)
		return;
	EXPECT_EQ(start - pages_free(), 2 * KSTACK_PAGES);
	EXPECT(stack_mapped((uintptr_t)a) && stack_mapped((uintptr_t)b));
	/* The guard page below each stack stays unmapped, so overflow faults. */
	EXPECT_EQ(lookup_pte(kernel_pgd(), (uintptr_t)a - PAGE_SIZE), 0);
	EXPECT_EQ(lookup_pte(kernel_pgd(), (uintptr_t)b - PAGE_SIZE), 0);
	/* Two stacks never share a page: they are a whole stack + guard apart. */
	EXPECT(a + KSTACK_SIZE + PAGE_SIZE <= b || b + KSTACK_SIZE + PAGE_SIZE <= a);
	memset(a, 0x11, KSTACK_SIZE);           /* writable end to end */
	memset(b, 0x22, KSTACK_SIZE);
	EXPECT(a[0] == 0x11 && a[KSTACK_SIZE - 1] == 0x11);
	kstack_free(a);
	kstack_free(b);
	EXPECT(stack_unmapped((uintptr_t)a) && stack_unmapped((uintptr_t)b));
	EXPECT_EQ(pages_free(), start);
}
