#!/usr/bin/env bash
# Linux-ABI tests: each program of tests/abi, built with musl-gcc -static,
# must print on tasklab what it printed on Linux, and exit the same way.
# Linux's answer is recorded in tests/abi/NAME.expected by tools/abi-record
# (Debian's Linux in this same QEMU machine), never taken from the host. A
# program's first line is `== abi-NAME ==`; on tasklab its output runs from
# there to the kernel's `tasklab: poweroff` line. Kernel log lines
# ("subsystem: ..." and Linux-style "prog[pid]: segfault ...") are dropped
# on both sides, so the programs never print lines of that shape.
set -u
cd "$(dirname "$0")/.."
RUN=${RUN:-tools/run}        # another runner can stand in, to test this script
failed=0

kernel_lines='^[a-z][a-z0-9_-]*(\[[0-9]+\])?: '

fail() {
	echo "FAIL abi/$1: $2"
	failed=1
}

# A header field of a recording ("# NAME: VALUE" in its first four lines).
field() {
	head -n 4 "$2" | sed -n "s/^# $1: //p"
}

for src in tests/abi/*.c; do
	name=$(basename "$src" .c)
	rec=tests/abi/$name.expected
	if [ ! -f "$rec" ]; then
		fail "$name" "no recording of Linux's output ($rec); record it with tools/abi-record $name"
		continue
	fi
	if [ "$(field source "$rec")" != "sha256 $(sha256sum < "$src" | cut -d' ' -f1)" ]; then
		fail "$name" "$src changed since $rec was recorded; re-record with tools/abi-record $name"
		continue
	fi
	want=$(tail -n +5 "$rec" | grep -Ev "$kernel_lines")
	want_status=$(field status "$rec")
	log=$($RUN --timeout 60 -- "/tests/abi-$name" 2>&1)
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
# A recording left behind by a program that is gone.
for rec in tests/abi/*.expected; do
	[ -e "$rec" ] && [ ! -f "${rec%.expected}.c" ] && fail "$(basename "$rec" .expected)" "$rec has no program; remove it"
done
exit $failed
