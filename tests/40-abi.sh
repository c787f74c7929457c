#!/usr/bin/env bash
# Linux-ABI tests: each program of tests/abi, built with musl-gcc -static
# (/tests/abi-NAME), and a few built with glibc's gcc -static as well
# (/tests/abi-glibc-NAME, user/user.mk), must print on tasklab what they
# printed on Linux, and exit the same way. Linux's answer is recorded in
# tests/abi/NAME.expected (glibc-NAME.expected) by tools/linux-record
# (Debian's Linux in this same QEMU machine), never taken from the host.
# The first line of tests/abi/NAME.c, in either build, is `== abi-NAME ==`;
# on tasklab its output runs from there to the kernel's `tasklab: poweroff`
# line. Kernel log lines ("subsystem: ..." and Linux-style "prog[pid]:
# segfault ...") are dropped on both sides, so the programs never print
# lines of that shape.
. "$(dirname "$0")/lib.sh"
cd "$top"
RUN=${RUN:-tools/run}        # another runner can stand in, to test this script

kernel_lines='^[a-z][a-z0-9_-]*(\[[0-9]+\])?: '

programs=$(abi_programs)
for name in $programs; do
	first="== abi-$(basename "$(abi_source "$name")" .c) =="
	rec=tests/abi/$name.expected
	problem=$(recording_problem "$rec")
	if [ -n "$problem" ]; then
		fail "$name" "$problem"
		continue
	fi
	want=$(recorded_output "$rec" | grep -Ev "$kernel_lines")
	want_status=$(recorded_field status "$rec")
	log=$($RUN --timeout 60 -- "/tests/abi-$name" 2>&1)
	status=$?
	got=$(sed -n "/^$first\$/,/^tasklab: poweroff/p" <<<"$log" |
		grep -Ev "$kernel_lines")
	if [ "$status" != "$want_status" ]; then
		fail "$name" "exit status $status on tasklab, $want_status on Linux"
		tail -n 20 <<<"$log"
	elif [ "$got" != "$want" ]; then
		fail "$name" "output differs from Linux's (- Linux, + tasklab)"
		diff <(echo "$want") <(echo "$got")
	else
		pass "$name"
	fi
done
# A recording left behind by a program that is gone.
for rec in tests/abi/*.expected; do
	name=$(basename "$rec" .expected)
	[ -e "$rec" ] && ! grep -qx "$name" <<<"$programs" && fail "$name" "$rec has no program; remove it"
done
finish
