#!/usr/bin/env bash
# The in-kernel unit tests (tests/kernel/*.c): one boot with `ktest`, and
# each "PASS ktest/X" or "FAIL ktest/X" the kernel prints becomes a case here.
. "$(dirname "$0")/lib.sh"

# The kernel's verdict lines, a FAIL with its first failed check as reason.
verdicts() {
	printf '%s\n' "$out" | awk '
		/^ktest [^ ]+: running$/ { why = "" }
		/^  check failed at / && why == "" { why = substr($0, 19) }
		/^PASS ktest\// { print }
		/^FAIL ktest\// { print $0 ": " (why == "" ? "failed" : why) }'
}

run_kernel --cmdline ktest
lines=$(verdicts)
[ -n "$lines" ] && printf '%s\n' "$lines"
npass=$(printf '%s\n' "$lines" | grep -c '^PASS ')
nfail=$(printf '%s\n' "$lines" | grep -c '^FAIL ')
failures=$nfail
[ "$nfail" = 0 ] || show_output

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
