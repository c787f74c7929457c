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

/* Take pages and scribble on them, then free them: the free list is LIFO, so
 * they are what the next allocations get, as an exited program's text is. */
static void free_dirty_pages(int n)
{
	void *pages[KSTACK_PAGES];

	for (int i = 0; i < n; i++)
		if ((pages[i] = page_alloc()))
			memset(pages[i], 0xcc, PAGE_SIZE);      /* int3, as code */
	for (int i = n - 1; i >= 0; i--)
		if (pages[i])
			page_put(pages[i]);
}

static bool all_zero(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static uint64_t cached_pages(void)
{
	uint64_t used, cached;

	kstack_pages(&used, &cached);
	return cached;
}

KTEST(vm_kstack)
{
	char *s[KSTACK_CACHE + 1], *fresh;
	int n = KSTACK_CACHE + 1;
	uint64_t start;

	/* Empty the cache and make the stack area's page tables, then fill the
	 * cache again: two stacks stay mapped, the third is unmapped. */
	for (int i = 0; i < n; i++)
		if (!(s[i] = kstack_alloc())) {
			ktest_fail(__FILE__, __LINE__, "kstack_alloc failed");
			return;
		}
	for (int i = 0; i < n; i++)
		kstack_free(s[i]);
	EXPECT_EQ(cached_pages(), KSTACK_CACHE * KSTACK_PAGES);
	EXPECT(stack_mapped((uintptr_t)s[0]) && stack_unmapped((uintptr_t)s[n - 1]));

	/* Cached stacks come back as they are: no page allocated. */
	start = pages_free();
	for (int i = 0; i < KSTACK_CACHE; i++) {
		EXPECT((s[i] = kstack_alloc()) != NULL);
		EXPECT(s[i] && stack_mapped((uintptr_t)s[i]));
	}
	EXPECT_EQ(pages_free(), start);
	EXPECT_EQ(cached_pages(), 0);

	/* With the cache empty a stack takes new frames, and writes them whole
	 * even when they come dirty: a frame of code must not become a stack
	 * that QEMU keeps write-protected for its stale translations. */
	free_dirty_pages(KSTACK_PAGES);
	EXPECT((fresh = kstack_alloc()) != NULL);
	if (!fresh)
		return;
	EXPECT_EQ(start - pages_free(), KSTACK_PAGES);
	EXPECT(all_zero(fresh, KSTACK_SIZE));
	s[n - 1] = fresh;

	for (int i = 0; i < n; i++) {
		/* The guard page below each stack stays unmapped, so overflow faults. */
		EXPECT_EQ(lookup_pte(kernel_pgd(), (uintptr_t)s[i] - PAGE_SIZE), 0);
		memset(s[i], 0x11 * (i + 1), KSTACK_SIZE);       /* writable end to end */
	}
	/* Two stacks never share a page: they are a whole stack + guard apart. */
	EXPECT(s[0] + KSTACK_SIZE + PAGE_SIZE <= s[1] || s[1] + KSTACK_SIZE + PAGE_SIZE <= s[0]);
	EXPECT(s[0][0] == 0x11 && s[0][KSTACK_SIZE - 1] == 0x11);

	/* Freed, the first two fill the cache and the last goes back. */
	for (int i = 0; i < n; i++)
		kstack_free(s[i]);
	EXPECT(stack_mapped((uintptr_t)s[0]) && stack_unmapped((uintptr_t)fresh));
	EXPECT_EQ(pages_free(), start);
}
