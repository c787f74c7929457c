/*
 * The kernel's hardening, each shown by doing the forbidden thing on
 * purpose; run only by name (tests/11-panic.sh checks the panic line):
 * ktest=stack_smash. Each test that comes back has failed.
 */
#include "kernel.h"
#include "ktest.h"

extern uintptr_t __stack_chk_guard;

/* A buffer overflow: bytes from buf up to and including the canary above
 * it (found by its value), as a runaway copy would write them, and no
 * further, so the frame's saved rbp and return address stay for the
 * backtrace. The volatile pointer hides buf's size from gcc's warnings. */
static noinline __attribute__((noclone)) void smash_buffer(void)
{
	char buf[16];
	char *volatile p = buf;
	uintptr_t *canary = (uintptr_t *)ALIGN_UP((uintptr_t)p + sizeof(buf), 8);

	for (int i = 0; i < 4 && *canary != __stack_chk_guard; i++)
		canary++;
	memset(p, 'A', (char *)(canary + 1) - p);
}

KTEST_EXPLICIT(stack_smash)
{
	smash_buffer();
	ktest_fail(__FILE__, __LINE__, "returned from a smashed frame: no stack protector");
}
