/* Reference counts (Linux's refcount_t): how many hold an object; the last put frees it. */
#ifndef REFCOUNT_H
#define REFCOUNT_H
#include <stdbool.h>
#include "kernel.h"

typedef struct {
	int refs;
} refcount_t;

static inline void refcount_set(refcount_t *r, int n)
{
	__atomic_store_n(&r->refs, n, __ATOMIC_RELAXED);
}

static inline int refcount_read(const refcount_t *r)
{
	return __atomic_load_n(&r->refs, __ATOMIC_RELAXED);
}

/* Taking another reference needs no ordering: the taker already holds one,
 * so the object cannot go away meanwhile. */
static inline void refcount_inc(refcount_t *r)
{
	__atomic_add_fetch(&r->refs, 1, __ATOMIC_RELAXED);
}

/*
 * Drop one; true for the last, whose caller frees the object. Release: this
 * holder's writes to the object are done before the count falls. Acquire:
 * the one who frees sees every other holder's writes first. A count below
 * zero is a put too many: better a panic now than a use after free later.
 */
static inline bool refcount_dec_and_test(refcount_t *r)
{
	int left = __atomic_sub_fetch(&r->refs, 1, __ATOMIC_ACQ_REL);

	assert(left >= 0);
	return left == 0;
}

#endif
