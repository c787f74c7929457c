/* The frame allocator: pages, free counts and reference counts. */
#include "kernel.h"
#include "ktest.h"
#include "arch/x86/memlayout.h"
#include "mm/page_alloc.h"

static bool page_aligned(const void *p)
{
	return ((uintptr_t)p & (PAGE_SIZE - 1)) == 0;
}

/* Pages come from RAM the allocator manages, in the direct map. */
static bool in_direct_map(const void *p)
{
	return (uintptr_t)p >= DIRECT_MAP_BASE && V2P(p) < ram_top();
}

KTEST(pmm_alloc_free)
{
	uint64_t start = pages_free();
	char *a = page_alloc(), *b = page_alloc();

	EXPECT(a && b);
	if (!a || !b)
		return;
	EXPECT(a != b);
	EXPECT(page_aligned(a) && page_aligned(b));
	EXPECT(in_direct_map(a) && in_direct_map(b));
	EXPECT_EQ(pages_free(), start - 2);
	EXPECT_EQ(page_refcount(a), 1);
	/* Both pages are really ours: writing one leaves the other alone. */
	memset(a, 0xaa, PAGE_SIZE);
	memset(b, 0x55, PAGE_SIZE);
	EXPECT_EQ(a[0], (char)0xaa);
	EXPECT_EQ(a[PAGE_SIZE - 1], (char)0xaa);
	page_put(a);
	EXPECT_EQ(pages_free(), start - 1);
	page_put(b);
	EXPECT_EQ(pages_free(), start);
	EXPECT(pages_free() <= pages_total());
}

KTEST(pmm_refcount)
{
	uint64_t start = pages_free();
	void *p = page_alloc();

	EXPECT(p);
	if (!p)
		return;
	page_get(p);
	page_get(p);
	EXPECT_EQ(page_refcount(p), 3);
	page_put(p);
	page_put(p);
	EXPECT_EQ(page_refcount(p), 1);
	EXPECT_EQ(pages_free(), start - 1);     /* still held */
	page_put(p);                            /* the last reference frees it */
	EXPECT_EQ(page_refcount(p), 0);
	EXPECT_EQ(pages_free(), start);
}

KTEST(pmm_zalloc)
{
	uint64_t *p = page_alloc();
	bool zero = true;

	EXPECT(p);
	if (!p)
		return;
	memset(p, 0xff, PAGE_SIZE);
	page_put(p);
	/* The free list is LIFO, so this very likely reuses the dirty page. */
	p = page_zalloc();
	EXPECT(p);
	if (!p)
		return;
	for (int i = 0; i < PAGE_SIZE / 8; i++)
		zero &= p[i] == 0;
	EXPECT(zero);
	page_put(p);
}

/*
 * Take every free page, then give them all back. The pages are chained
 * through their first word, so the test needs no memory of its own.
 */
KTEST(pmm_exhaustion)
{
	uint64_t start = pages_free(), taken = 0;
	void **chain = NULL, **p;
	bool aligned = true;

	while ((p = page_alloc())) {
		aligned &= page_aligned(p);
		*p = chain;
		chain = p;
		taken++;
	}
	EXPECT(aligned);
	EXPECT_EQ(taken, start);
	EXPECT_EQ(pages_free(), 0);
	EXPECT(page_zalloc() == NULL);
	while (chain) {
		p = *chain;
		page_put(chain);
		chain = p;
	}
	EXPECT_EQ(pages_free(), start);
}
