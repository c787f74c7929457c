/*
 * The panic path, run only as `ktest=panic` (tests/11-panic.sh): panic two
 * calls deep, so the backtrace has frames of ours to name. The script checks
 * the message, the register dump, the backtrace and exit status 125.
 */
#include "kernel.h"
#include "ktest.h"

/* noinline, noclone: each function keeps its own frame and its own name. */
static noinline __attribute__((noclone)) void panic_test_inner(int depth)
{
	panic("ktest: deliberate panic at depth %d", depth);
}

static noinline __attribute__((noclone)) void panic_test_outer(int depth)
{
	panic_test_inner(depth + 1);
}

KTEST_EXPLICIT(panic)
{
	panic_test_outer(1);
}
