#!/usr/bin/env bash
# Fault injection (fail=page:N,slab:N[,seed:S], kernel/mm/fail.c): usertests,
# the threads program and the fuzzer run while frame allocations and
# kmallocs fail on purpose. Their own checks may fail; the kernel may not:
# no panic, no hang (the boot's timeout), and when they are gone the free
# pages, kmalloc objects and processes are back where they started (fuzz -c
# PROG, the harness, spared by the fault injection, says "fuzz: no leak").
# suite-timeout: 1200
. "$(dirname "$0")/lib.sh"
RUN_TIMEOUT=400

# How many allocations failed on purpose, from the kernel's line as init exits.
failed_on_purpose() {
	printf '%s\n' "$out" | sed -nE 's/^fail: ([0-9]+) of [0-9]+ page allocations and ([0-9]+) of [0-9]+ kmallocs failed on purpose$/\1 \2/p' |
		awk '{ print $1 + $2 }'
}

# Boot with fail=$2 running fuzz's arguments $3...; case $1.
under_faults() {
	local name=$1 spec=$2
	shift 2
	run_kernel --icount --cmdline "fail=$spec" -- /bin/fuzz "$@"
	if [ "$status" = 124 ] || [ "$status" = 125 ]; then
		fail "$name" "the kernel hung or panicked (status $status)"
	elif ! has_line '^fuzz: no leak$'; then
		fail "$name" "a leak (status $status)"
	elif [ "$(failed_on_purpose)" = 0 ] || [ -z "$(failed_on_purpose)" ]; then
		fail "$name" "no allocation failed on purpose"
	else
		pass "$name"
	fi
}

under_faults usertests page:200,slab:200,seed:1 -c /bin/usertests
under_faults threads page:20,slab:20,seed:2 -c /bin/threads /bin/ps
under_faults fuzz-random page:40,slab:40,seed:3 -s 1 -r 2
under_faults fuzz-every-nth page:97,slab:89 -s 2 -r 2

# A malformed value is reported and turns fault injection off.
run_kernel --cmdline "fail=page:x" -- /bin/true
expect_line bad-option '^cmdline: fail=page:x: expected fail=page:N,slab:N\[,seed:S\]$'
check bad-option-off "fault injection reported as init exits" [ -z "$(failed_on_purpose)" ]
finish
