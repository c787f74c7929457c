#!/usr/bin/env bash
# Copy-on-write fork, and the eager copy kept beside it (fork=copy):
# cowtest in both modes (its PASS/FAIL lines become this suite's cases,
# named by mode), and usertests under fork=copy, which must pass there as
# it does under copy-on-write.
. "$(dirname "$0")/lib.sh"

# Run PROG in one fork mode; report each of its verdicts under MODE/.
run_in_mode() {
	local mode=$1 prog=$2 prefix=$3 line
	run_kernel --timeout 300 --cmdline "fork=$mode" -- "/bin/$prog"
	while read -r line; do
		case $line in
		"PASS $prefix/"*) pass "$mode/${line#PASS $prefix/}" ;;
		"FAIL $prefix/"*) fail "$mode/${line#FAIL $prefix/}" "${line#*: }" ;;
		esac
	done < <(printf '%s\n' "$out" | grep -E "^(PASS|FAIL) $prefix/")
	expect_status "$mode/$prog-status" 0
}

run_in_mode cow cowtest cow
run_in_mode copy cowtest cow
run_in_mode copy usertests usertests
finish
