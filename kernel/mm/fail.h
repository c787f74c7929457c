/*
 * Fault injection (Linux's failslab and fail_page_alloc): the command line's
 * fail=page:N,slab:N[,seed:S] makes every Nth frame allocation and every Nth
 * kmalloc fail, or with seed:S each one with probability 1/N, drawn from a
 * generator seeded with S. Only allocations made for the processes that
 * the program init runs starts, and their children, fail (see fail.c).
 */
#ifndef FAIL_H
#define FAIL_H
#include <stdbool.h>
#include <stdint.h>

enum fail_site { FAIL_PAGE, FAIL_SLAB, NR_FAIL_SITES };

/* Should this allocation fail on purpose? Counts the ones that do. Every
 * allocation asks, so the answer without fail= (fail_armed false: no) is
 * given inline. */
extern bool fail_armed;
bool should_fail_armed(enum fail_site site);
static inline bool should_fail(enum fail_site site)
{
	return fail_armed && should_fail_armed(site);
}
/* "fail: ..." on the console, if fail= was given (when init exits). */
void fail_report(void);

#endif
