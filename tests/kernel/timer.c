/* Time: the timer interrupt ticks and the TSC clock agrees with it. Every
 * bound is loose on purpose: an emulator on a busy machine runs unevenly. */
#include "kernel.h"
#include "ktest.h"
#include "arch/x86/timer.h"
#include "arch/x86/x86.h"

#define MS 1000000ULL           /* nanoseconds */
#define TICK_NS (1000 * MS / HZ)

/* Spin (not hlt: a dead timer would never wake us) until `n` more ticks
 * have come or `limit_ns` has passed; returns how long it took. */
static uint64_t wait_ticks(uint64_t n, uint64_t limit_ns)
{
	uint64_t t0 = clock_ns(), target = timer_ticks() + n;

	while (timer_ticks() < target && clock_ns() - t0 < limit_ns)
		pause();
	return clock_ns() - t0;
}

KTEST(timer_ticks_advance)
{
	uint64_t start = timer_ticks(), took;

	EXPECT(read_rflags() & RFLAGS_IF);      /* tests run with interrupts on */
	took = wait_ticks(10, 5000 * MS);
	EXPECT(timer_ticks() >= start + 10);
	/* Ten ticks are 100 ms; the first may come at once, and the clock
	 * counts the same TSC the timer was calibrated against. */
	EXPECT(took >= 9 * TICK_NS / 2);
	EXPECT(took < 5000 * MS);
}

KTEST(timer_clock_monotonic)
{
	uint64_t first = clock_ns(), prev = first, prev_ticks = timer_ticks();
	bool ordered = true;

	for (int i = 0; i < 10000; i++) {
		uint64_t now = clock_ns(), ticks = timer_ticks();
		ordered &= now >= prev && ticks >= prev_ticks;
		prev = now;
		prev_ticks = ticks;
	}
	EXPECT(ordered);
	EXPECT(prev > first);                   /* and it did move on */
}

/* Since boot, ticks * 10 ms and the TSC clock tell about the same time. */
KTEST(timer_clock_matches_ticks)
{
	uint64_t ns = clock_ns(), ticks_ns = timer_ticks() * TICK_NS;

	EXPECT(ticks_ns <= ns + 2 * TICK_NS);
	EXPECT(ticks_ns + 2 * TICK_NS >= ns / 2);
	/* The conversion itself: one second of TSC cycles is 1e9 ns (±0.1%). */
	uint64_t one_second = tsc_to_ns(tsc_hz());
	EXPECT(one_second > 999 * MS && one_second < 1001 * MS);
}
