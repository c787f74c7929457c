/*
 * malloc: small blocks come from the heap that brk(2) grows, kept on a free
 * list sorted by address so that neighbours merge again when freed; big
 * blocks get pages of their own from mmap(2) and go straight back with
 * munmap(2).
 *
 * Every block starts with a 16-byte header; the caller's memory follows it,
 * so it is 16-byte aligned like the ABI wants.
 */
#include "ulib.h"

#define ALIGN      16
#define BIG        (64 * 1024)     /* from this size on, a block has its own mapping */
#define HEAP_GROW  (64 * 1024)     /* ask brk for at least this much at a time */
#define PAGE       4096

struct block {
	size_t size;          /* of the whole block, header included */
	struct block *next;   /* the next free block; unused while allocated */
};
/* In an mmap'ed block the size's low bit is set (sizes are multiples of 16). */
#define MAPPED 1

static struct block *free_list;        /* under heap_lock */
static mutex_t heap_lock = MUTEX_INIT;  /* threads share the heap */

static size_t round_up(size_t n, size_t to)
{
	return (n + to - 1) / to * to;
}

static void *to_user(struct block *b)
{
	return b + 1;
}

static struct block *to_block(void *p)
{
	return (struct block *)p - 1;
}

/* Put b back on the free list in address order, merging with neighbours. */
static void insert_free(struct block *b)
{
	struct block **link = &free_list;

	while (*link && *link < b)
		link = &(*link)->next;
	b->next = *link;
	*link = b;
	if (b->next && (char *)b + b->size == (char *)b->next) {
		b->size += b->next->size;
		b->next = b->next->next;
	}
	struct block *prev = (struct block *)((char *)link - offsetof(struct block, next));
	if (link != &free_list && (char *)prev + prev->size == (char *)b) {
		prev->size += b->size;
		prev->next = b->next;
	}
}

/* First fit; a block with room to spare is split and its tail stays free. */
static struct block *take_free(size_t size)
{
	for (struct block **link = &free_list; *link; link = &(*link)->next) {
		struct block *b = *link;
		if (b->size < size)
			continue;
		if (b->size - size >= 2 * sizeof(struct block)) {
			struct block *rest = (struct block *)((char *)b + size);
			rest->size = b->size - size;
			rest->next = b->next;
			*link = rest;
			b->size = size;
		} else {
			*link = b->next;
		}
		return b;
	}
	return NULL;
}

static void *malloc_big(size_t size)
{
	size = round_up(size, PAGE);
	struct block *b = mmap(NULL, size, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (b == MAP_FAILED)
		return NULL;
	b->size = size | MAPPED;
	return to_user(b);
}

void *malloc(size_t n)
{
	/* a size whose header and page rounding would wrap around: no */
	if (n > (size_t)-1 - PAGE - sizeof(struct block)) {
		errno = ENOMEM;
		return NULL;
	}
	if (n >= BIG)
		return malloc_big(n + sizeof(struct block));
	size_t size = round_up(n + sizeof(struct block), ALIGN);
	mutex_lock(&heap_lock);
	struct block *b = take_free(size);
	if (!b) {
		size_t grow = size > HEAP_GROW ? size : HEAP_GROW;
		struct block *fresh = sbrk(grow);
		if (fresh != (void *)-1) {
			fresh->size = grow;
			insert_free(fresh);
			b = take_free(size);
		}
	}
	mutex_unlock(&heap_lock);
	return b ? to_user(b) : NULL;
}

void free(void *p)
{
	if (!p)
		return;
	struct block *b = to_block(p);
	if (b->size & MAPPED) {
		munmap(b, b->size & ~(size_t)MAPPED);
		return;
	}
	mutex_lock(&heap_lock);
	insert_free(b);
	mutex_unlock(&heap_lock);
}

void *calloc(size_t n, size_t size)
{
	if (size && n > (size_t)-1 / size)
		return NULL;
	void *p = malloc(n * size);
	return p ? memset(p, 0, n * size) : NULL;
}

void *realloc(void *p, size_t n)
{
	if (!p)
		return malloc(n);
	size_t have = (to_block(p)->size & ~(size_t)MAPPED) - sizeof(struct block);
	if (n <= have)
		return p;
	void *q = malloc(n);
	if (q) {
		memcpy(q, p, have);
		free(p);
	}
	return q;
}
