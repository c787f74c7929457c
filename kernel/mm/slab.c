/*
 * kmalloc: a small slab allocator. Each size class (16, 32, ... 2048
 * bytes) carves whole pages into equal objects. A page's header says which
 * class it serves, so kfree finds it by rounding the address down to the
 * page. A page whose objects are all free goes straight back to the frame
 * allocator, so free-frame counts before and after a test compare exactly.
 * Objects over half a page take a page of their own: page-aligned, which
 * no slab object is, so kfree can tell them apart.
 */
#include "kernel.h"
#include "mm/slab.h"
#include "arch/x86/memlayout.h"
#include "mm/page_alloc.h"
#include "mm/fail.h"
#include "spinlock.h"

#define SLAB_MAGIC   0x51ab51ab
#define MIN_SHIFT    4           /* 16 bytes */
#define NCLASSES     8           /* 16 .. 2048 */
#define SLAB_MAX     2048

struct slab {
	uint32_t magic;
	uint16_t size;              /* of each object */
	uint16_t inuse;             /* objects handed out */
	void *free;                 /* free objects, linked through their first word */
	struct slab *prev, *next;   /* in its class's list while it has room */
};

static struct spinlock kmalloc_lock = SPINLOCK_INIT("kmalloc");
static struct slab *partial[NCLASSES];     /* slabs with a free object */
static uint64_t objects, slab_pages;        /* in use, for /proc/meminfo; atomic */

/* Objects start on a multiple of their size after the header. */
static size_t first_object(size_t size)
{
	return ALIGN_UP(sizeof(struct slab), size);
}

/* The smallest class whose objects hold size bytes: the bit length of
 * size - 1 says which power of two that is. */
static int size_class(size_t size)
{
	if (size <= (1 << MIN_SHIFT))
		return 0;
	return 64 - __builtin_clzl(size - 1) - MIN_SHIFT;
}

static void list_remove(int c, struct slab *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else
		partial[c] = s->next;
	if (s->next)
		s->next->prev = s->prev;
	s->prev = s->next = NULL;
}

static void list_push(int c, struct slab *s)
{
	s->prev = NULL;
	s->next = partial[c];
	if (s->next)
		s->next->prev = s;
	partial[c] = s;
}

static struct slab *new_slab(size_t size)
{
	struct slab *s = page_zalloc();

	if (!s)
		return NULL;
	*s = (struct slab){ .magic = SLAB_MAGIC, .size = size };
	for (size_t off = PAGE_SIZE - size; off >= first_object(size); off -= size) {
		void **obj = (void **)((char *)s + off);
		*obj = s->free;
		s->free = obj;
	}
	return s;
}

/* An object handed out (p not NULL) counts until kfree. */
static void *counted(void *p)
{
	if (p)
		__atomic_add_fetch(&objects, 1, __ATOMIC_RELAXED);
	return p;
}

void *kmalloc(size_t size)
{
	struct slab *s;
	void **obj;
	int c;

	if (size == 0 || size > KMALLOC_MAX || should_fail(FAIL_SLAB))
		return NULL;
	if (size > SLAB_MAX)
		return counted(page_zalloc());
	c = size_class(size);
	spin_lock(&kmalloc_lock);
	s = partial[c];
	if (!s) {
		s = new_slab((size_t)1 << (c + MIN_SHIFT));
		if (!s) {
			spin_unlock(&kmalloc_lock);
			return NULL;
		}
		list_push(c, s);
		__atomic_add_fetch(&slab_pages, 1, __ATOMIC_RELAXED);
	}
	obj = s->free;
	s->free = *obj;
	s->inuse++;
	if (!s->free)
		list_remove(c, s);      /* full */
	spin_unlock(&kmalloc_lock);
	return counted(obj);
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);

	if (p && size <= SLAB_MAX)      /* larger ones are whole zeroed pages */
		memset(p, 0, size);
	return p;
}

void kfree(void *p)
{
	struct slab *s = (struct slab *)ALIGN_DOWN((uintptr_t)p, PAGE_SIZE);
	void **obj = p;
	int c;

	if (!p)
		return;
	__atomic_sub_fetch(&objects, 1, __ATOMIC_RELAXED);
	if (((uintptr_t)p & (PAGE_SIZE - 1)) == 0) {
		page_put(p);
		return;
	}
	if (s->magic != SLAB_MAGIC || ((uintptr_t)p - (uintptr_t)s) % s->size)
		panic("kfree: %p was not given by kmalloc", p);
	c = size_class(s->size);
	spin_lock(&kmalloc_lock);
	if (!s->free)
		list_push(c, s);        /* was full: has room again */
	*obj = s->free;
	s->free = obj;
	if (--s->inuse == 0) {
		list_remove(c, s);
		s->magic = 0;
		page_put(s);
		__atomic_sub_fetch(&slab_pages, 1, __ATOMIC_RELAXED);
	}
	spin_unlock(&kmalloc_lock);
}

void kmalloc_usage(uint64_t *nobjects, uint64_t *npages)
{
	*nobjects = __atomic_load_n(&objects, __ATOMIC_RELAXED);
	*npages = __atomic_load_n(&slab_pages, __ATOMIC_RELAXED);
}
