#!/usr/bin/env bash
# Copy-on-write fork, and the two strategies kept beside it: the eager
# copy (fork=copy) and shared page tables (fork=odf). cowtest in each mode
# (its PASS/FAIL lines become this suite's cases, named by mode), and
# usertests under fork=copy and fork=odf, which must pass there as they do
# under copy-on-write (20-usertests).
. "$(dirname "$0")/lib.sh"

# Run PROG in one fork mode; report each of its verdicts under MODE/.
run_in_mode() {
	local mode=$1 prog=$2 prefix=$3
	run_kernel --timeout 300 --cmdline "fork=$mode" -- "/bin/$prog"
	relay_verdicts "$prefix" "$mode"
	expect_status "$mode/$prog-status" 0
}

for mode in cow copy odf; do
	run_in_mode $mode cowtest cow
done
for mode in copy odf; do
	run_in_mode $mode usertests usertests
done
finish
