/* The lockup watchdog: a kernel loop that never schedules must panic with
 * the loop in the backtrace (tests/26-fuzz.sh boots with watchdog=1). */
#include "kernel.h"
#include "ktest.h"
#include "arch/x86/timer.h"

static noinline void spin_without_scheduling(uint64_t ns)
{
	uint64_t end = clock_ns() + ns;

	/* The clock is read once per thousand pauses: a tick that lands in
	 * clock_ns, before its frame is made, would leave this function out
	 * of the backtrace (it happened on two CPUs). */
	while (clock_ns() < end)
		for (int i = 0; i < 1000; i++)
			asm volatile("pause");
}

KTEST_EXPLICIT(watchdog)
{
	spin_without_scheduling(5 * 1000000000UL);
	ktest_fail(__FILE__, __LINE__, "5 s in a kernel loop and the watchdog (watchdog=1) said nothing");
}
