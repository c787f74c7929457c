#!/usr/bin/env bash
# Copy-on-write fork, and the eager copy kept beside it (fork=copy):
# cowtest in both modes (its PASS/FAIL lines become this suite's cases,
# named by mode), and usertests under fork=copy, which must pass there as
# it does under copy-on-write.
. "$(dirname "$0")/lib.sh"

# Run PROG in one fork mode; report each of its verdicts under MODE/.
run_in_mode() {
	local mode=$1 prog=$2 prefix=$3
	run_kernel --timeout 300 --cmdline "fork=$mode" -- "/bin/$prog"
	relay_verdicts "$prefix" "$mode"
	expect_status "$mode/$prog-status" 0
}

run_in_mode cow cowtest cow
run_in_mode copy cowtest cow
run_in_mode copy usertests usertests
finish
