/*
 * The panic path, run only as `ktest=panic` (tests/11-panic.sh): panic two
 * calls deep, so the backtrace has frames of ours to name. The script checks
 * the message, the register dump, the backtrace and exit status 125.
 */
#include "kernel.h"
#include "ktest.h"
#include "arch/x86/memlayout.h"
#include "arch/x86/pgtable.h"
#include "arch/x86/timer.h"
#include "sched.h"
#include "spinlock.h"

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

/* Deeper and deeper, with a frame that cannot be optimised away. */
static noinline __attribute__((noclone)) int recurse(int depth)
{
	volatile char frame[256];

	frame[0] = depth;
	if (depth > 1 << 20)            /* never: 256 MiB of stack; keeps gcc content */
		return 0;
	return recurse(depth + 1) + frame[0];
}

/*
 * A kernel stack overflow, run only as `ktest=stack_overflow`: on a task's
 * kernel stack (the boot stack has no guard page), recurse until the guard
 * page below it. The CPU cannot push the page fault's frame there, so it
 * raises a double fault, which runs on a stack of its own and panics.
 */
KTEST_EXPLICIT(stack_overflow)
{
	uintptr_t top = (uintptr_t)kstack_alloc() + KSTACK_SIZE;

	asm volatile("mov %0, %%rsp; xor %%edi, %%edi; call *%1" : : "r"(top), "r"(recurse)
		     : "memory", "rdi");
}

static struct spinlock test_lock = SPINLOCK_INIT("ktest");

/* Sleeping with a spinlock held, run only as `ktest=sleep_locked`: the
 * held-lock check must panic, naming the lock. */
KTEST_EXPLICIT(sleep_locked)
{
	spin_lock(&test_lock);
	wait_sleep(NULL, NULL, clock_ns() + 1000000, 0);
}
