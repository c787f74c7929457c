/* kmalloc: size classes, alignment, distinct objects, pages given back. */
#include "kernel.h"
#include "ktest.h"
#include "mm/slab.h"
#include "arch/x86/memlayout.h"
#include "mm/page_alloc.h"

/* Enough objects to fill three slab pages of the smallest class. */
#define MAX_OBJECTS (3 * PAGE_SIZE / 16)

static void *objs[MAX_OBJECTS];

/* Each object gets its own fill byte, so an overlap shows as a wrong byte. */
static uint8_t pattern(int i)
{
	return (uint8_t)(i * 31 + 7);
}

static bool filled_with(const uint8_t *p, size_t size, uint8_t byte)
{
	for (size_t i = 0; i < size; i++)
		if (p[i] != byte)
			return false;
	return true;
}

static bool overlap(const void *a, const void *b, size_t size)
{
	return (uintptr_t)a < (uintptr_t)b + size && (uintptr_t)b < (uintptr_t)a + size;
}

/* Linux's promise: a power-of-two size is aligned to itself, any size to 8. */
static size_t alignment(size_t size)
{
	return (size & (size - 1)) == 0 ? MAX(size, 8) : 8;
}

/*
 * Allocate n objects of `size` bytes, fill each, check they are aligned,
 * disjoint and intact, then free them all.
 */
static void exercise(size_t size, int n)
{
	uint64_t start = pages_free();

	for (int i = 0; i < n; i++) {
		objs[i] = kmalloc(size);
		EXPECT(objs[i]);
		if (!objs[i])
			n = i;  /* free what we got */
		else
			memset(objs[i], pattern(i), size);
	}
	for (int i = 0; i < n; i++)
		EXPECT_EQ((uintptr_t)objs[i] % alignment(size), 0);
	for (int i = 0; i < n; i++)
		for (int j = i + 1; j < n; j++)
			EXPECT(!overlap(objs[i], objs[j], size));
	for (int i = 0; i < n; i++)
		EXPECT(filled_with(objs[i], size, pattern(i)));
	/* n objects cannot fit in fewer pages than this. */
	EXPECT(start - pages_free() >= n * size / PAGE_SIZE);
	for (int i = 0; i < n; i++)
		kfree(objs[i]);
	EXPECT_EQ(pages_free(), start);         /* every slab page went back */
}

KTEST(kmalloc_size_classes)
{
	for (size_t class = 16; class <= KMALLOC_MAX; class *= 2) {
		int n = 3 * PAGE_SIZE / class;          /* at least three slabs */

		exercise(class, n);             /* exactly a class */
		exercise(class / 2 + 1, n);     /* just above the class below */
	}
}

KTEST(kmalloc_small_and_odd)
{
	exercise(1, 20);
	exercise(24, 20);
	exercise(KMALLOC_MAX - 1, 4);
}

KTEST(kmalloc_limits)
{
	uint64_t start = pages_free();

	EXPECT(kmalloc(0) == NULL);
	EXPECT(kmalloc(KMALLOC_MAX + 1) == NULL);
	EXPECT(kmalloc((size_t)-1) == NULL);
	EXPECT(kzalloc(0) == NULL);
	kfree(NULL);                            /* allowed, does nothing */
	EXPECT_EQ(pages_free(), start);
}

KTEST(kmalloc_kzalloc)
{
	uint8_t *p = kmalloc(100);

	EXPECT(p);
	if (!p)
		return;
	memset(p, 0xff, 100);
	kfree(p);
	/* Same class, so very likely the same dirty object again. */
	p = kzalloc(100);
	EXPECT(p);
	if (!p)
		return;
	EXPECT(filled_with(p, 100, 0));
	kfree(p);
}

/* Freeing in an order other than allocation's must also give pages back. */
KTEST(kmalloc_free_order)
{
	uint64_t start = pages_free();
	int n = 2 * PAGE_SIZE / 64;

	for (int i = 0; i < n; i++)
		EXPECT((objs[i] = kmalloc(64)) != NULL);
	for (int i = 0; i < n; i += 2)          /* every other one first */
		kfree(objs[i]);
	for (int i = 0; i < n; i += 2)          /* reuse the holes */
		EXPECT((objs[i] = kmalloc(64)) != NULL);
	for (int i = n - 1; i >= 0; i--)
		kfree(objs[i]);
	EXPECT_EQ(pages_free(), start);
}
