#!/usr/bin/env bash
# The in-kernel unit tests (tests/kernel/*.c): one boot with `ktest`, and
# each "PASS ktest/X" or "FAIL ktest/X" the kernel prints becomes a case here.
. "$(dirname "$0")/lib.sh"

# The kernel's verdicts as "PASS name" or "FAIL name reason", where the
# reason is the test's first failed check.
verdicts() {
	printf '%s\n' "$out" | awk '
		/^ktest [^ ]+: running$/ { why = "" }
		/^  check failed at / && why == "" { why = substr($0, 19) }
		/^PASS ktest\// { print "PASS", substr($2, 7) }
		/^FAIL ktest\// { print "FAIL", substr($2, 7), (why == "" ? "failed" : why) }'
}

# Under --icount the timer and the TSC both follow the guest's instruction
# count, so the timer tests' verdicts cannot depend on how busy the host is.
run_kernel --icount --cmdline ktest
npass=0 nfail=0
while read -r verdict name reason; do
	if [ "$verdict" = PASS ]; then
		pass "$name"
		npass=$((npass + 1))
	else
		fail "$name" "$reason"
		nfail=$((nfail + 1))
	fi
done < <(verdicts)

# The run as a whole: the kernel's own count agrees, and it powered off
# with status 0 (1 if a test failed), not a panic or a timeout.
summary="ktest: $npass passed, $nfail failed"
if [ "$npass" = 0 ] && [ "$nfail" = 0 ]; then
	fail run "no ktest verdicts"
elif ! has_line "^$summary\$"; then
	fail run "the kernel's summary is not '$summary'"
else
	expect_status run "$([ "$nfail" = 0 ] && echo 0 || echo 1)"
fi
finish
