#!/usr/bin/env bash
# The system-call fuzzer (user/fuzz.c) on a fixed set of seeds, under
# --icount: no panic, no hang (the boot's timeout), and after the workers
# are gone the free pages, kmalloc objects and processes are back where
# they started (fuzz prints "fuzz: no leak" and exits 0). A seed repeats
# exactly: the same calls, the same results. And the lockup watchdog: a
# kernel loop that never schedules panics with its backtrace.
# suite-timeout: 900
. "$(dirname "$0")/lib.sh"
RUN_TIMEOUT=300

# The seeds: 1-3 at random. A seed that finds a kernel bug joins them, as
# the test that pins the fix (none has yet: see the README).
SEEDS="1 2 3"

# The summary line of a fuzz run: seeds, rounds, calls and their results.
summary() {
	printf '%s\n' "$out" | grep -E '^fuzz: seeds '
}

fuzz_seed() {
	local seed=$1
	run_kernel --icount -- /bin/fuzz -s "$seed" -r 2
	if [ "$status" = 0 ] && has_line '^fuzz: no leak$'; then
		pass "seed-$seed"
	else
		fail "seed-$seed" "exit status $status (125: panic, 124: hang, 1: leak)"
	fi
}

for seed in $SEEDS; do
	fuzz_seed "$seed"
done

# The same seed twice: the same summary, call for call.
run_kernel --icount -- /bin/fuzz -s 1 -r 1
first=$(summary)
run_kernel --icount -- /bin/fuzz -s 1 -r 1
second=$(summary)
check repeats "seed 1 gave '$first', then '$second'" [ -n "$first" -a "$first" = "$second" ]

RUN_TIMEOUT=60
run_kernel --cmdline "watchdog=1 ktest=watchdog"
expect_status watchdog-status 125
expect_line watchdog-report \
	'^Kernel panic: watchdog: CPU 0 stuck in the kernel for [0-9]+ s without scheduling' \
	'^  \[<ffffffff8[0-9a-f]{7}>\] spin_without_scheduling'
finish
