#!/usr/bin/env bash
# Linux-ABI tests: each program of tests/abi, built with musl-gcc -static,
# must print the same on tasklab as on this Linux host. A program's first
# line is `== abi-NAME ==`; on tasklab its output runs from there to the
# kernel's `tasklab: poweroff` line. Kernel log lines ("subsystem: ..." and
# Linux-style "prog[pid]: segfault ...") are dropped on both sides, so the
# programs never print lines of that shape.
set -u
cd "$(dirname "$0")/.."
RUN=${RUN:-tools/run}        # another runner can stand in, to test this script
failed=0

kernel_lines='^[a-z][a-z0-9_-]*(\[[0-9]+\])?: '

fail() {
	echo "FAIL abi/$1: $2"
	failed=1
}

for src in tests/abi/*.c; do
	name=$(basename "$src" .c)
	if [ ! -x "build/abi/$name" ]; then
		fail "$name" "build/abi/$name is missing; run make"
		continue
	fi
	want=$(timeout 60 "build/abi/$name" | grep -Ev "$kernel_lines")
	want_status=${PIPESTATUS[0]}
	log=$($RUN --timeout 60 -- "/bin/abi-$name" 2>&1)
	status=$?
	got=$(sed -n "/^== abi-$name ==\$/,/^tasklab: poweroff/p" <<<"$log" |
		grep -Ev "$kernel_lines")
	if [ "$status" != "$want_status" ]; then
		fail "$name" "exit status $status on tasklab, $want_status on Linux"
		tail -n 20 <<<"$log"
	elif [ "$got" != "$want" ]; then
		fail "$name" "output differs from Linux's (- Linux, + tasklab)"
		diff <(echo "$want") <(echo "$got")
	else
		echo "PASS abi/$name"
	fi
done
exit $failed
