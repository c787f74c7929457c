#!/usr/bin/env bash
# usertests on tasklab: its PASS/FAIL lines are this suite's cases, plus
# usertests/summary, which fails when the final line is missing (a crash or
# hang) or the exit status is not 0, and usertests/faults-announced.
set -u
cd "$(dirname "$0")/.."
RUN=${RUN:-tools/run}        # another runner can stand in, to test this script

log=$($RUN --timeout 300 -- /bin/usertests 2>&1)
status=$?
grep -E '^(PASS|FAIL) usertests/' <<<"$log"
summary=$(grep -E '^usertests: [0-9]+ passed, [0-9]+ failed$' <<<"$log")
if [ -z "$summary" ]; then
	echo "FAIL usertests/summary: no final line (status $status); the end of the log:"
	tail -n 30 <<<"$log"
	exit 1
elif [ "$status" != 0 ]; then
	echo "FAIL usertests/summary: $summary, exit status $status"
	exit 1
fi
echo "PASS usertests/summary"
# A student sees the kernel's fault lines: usertests must have said first
# that they are expected.
note=$(grep -n -m1 "^usertests: the kernel's lines about them" <<<"$log" | cut -d: -f1)
fault=$(grep -n -m1 -E '^[a-z]+\[[0-9]+\]: segfault at |^traps: ' <<<"$log" | cut -d: -f1)
if [ -n "$note" ] && [ "$note" -lt "${fault:-999999}" ]; then
	echo "PASS usertests/faults-announced"
else
	echo "FAIL usertests/faults-announced: no note before the first fault line (line ${fault:-none})"
	exit 1
fi
grep -q '^FAIL usertests/' <<<"$log" && exit 1
exit 0
