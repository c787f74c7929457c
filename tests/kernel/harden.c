/*
 * The kernel's hardening, each shown by doing the forbidden thing on
 * purpose; run only by name (tests/11-panic.sh checks the panic line):
 * ktest=stack_smash, ktest=smap, ktest=smep, and ktest=ubsan in the
 * UBSAN=1 build. Each test that comes back has failed.
 */
#include "kernel.h"
#include "ktest.h"
#include "arch/x86/memlayout.h"
#include "arch/x86/pgtable.h"
#include "arch/x86/x86.h"
#include "mm/page_alloc.h"

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

/* The user address the SMAP and SMEP tests touch. */
#define USER_PAGE 0x400000UL

/* A page mapped for user mode at USER_PAGE in the page table in use,
 * holding one `ret` instruction. */
static void map_user_page(void)
{
	uint8_t *page = page_zalloc();

	page[0] = 0xc3;
	if (map_page(P2V(read_cr3() & PTE_ADDR), USER_PAGE, V2P(page), PTE_U | PTE_W))
		panic("ktest: out of memory mapping a user page");
}

KTEST_EXPLICIT(smap)
{
	map_user_page();
	(void)*(volatile uint8_t *)USER_PAGE;
	ktest_fail(__FILE__, __LINE__, "the kernel read a user page: SMAP is off");
}

KTEST_EXPLICIT(smep)
{
	map_user_page();
	((void (*)(void))USER_PAGE)();
	ktest_fail(__FILE__, __LINE__, "the kernel ran code on a user page: SMEP is off");
}

/* Signed overflow; the volatile keeps gcc from seeing it at compile time. */
KTEST_EXPLICIT(ubsan)
{
	volatile int big = INT32_MAX;
	int sum;

	sum = big + 1;          /* tests/11-panic.sh: UBSAN reports this line */
	ktest_fail(__FILE__, __LINE__, "no UBSAN report for %d: built without UBSAN=1?", sum);
}
