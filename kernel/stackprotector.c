/*
 * The stack protector. gcc (-fstack-protector-strong) gives every function
 * with a local array or a local whose address escapes a canary: the
 * prologue copies __stack_chk_guard just above the locals, the epilogue
 * compares it before returning and calls __stack_chk_fail when a write
 * past the end of a local buffer changed it. The value is drawn at each
 * boot, so an overflow cannot simply write it back.
 */
#include "kernel.h"
#include "sys.h"

uintptr_t __stack_chk_guard;

/*
 * boot.S calls this just before kmain, before any function with a canary
 * has started (one that had would find a different value on its return).
 * The low byte is zero, as in glibc: a runaway string copy stops at the
 * NUL before it could reproduce the rest.
 */
void stack_protector_init(void)
{
	__stack_chk_guard = hw_seed() << 8;
}

/* The caller's frame is damaged: never return into it. */
void __attribute__((noreturn)) __stack_chk_fail(void)
{
	uintptr_t off;
	const char *fn = ksym_lookup((uintptr_t)__builtin_return_address(0), &off);

	panic("stack protector: the stack canary of %s was overwritten "
	      "(a buffer overflow on the kernel stack)", fn ? fn : "?");
}
