#!/usr/bin/env bash
# Debian's busybox (a static glibc binary, built for Linux) runs unchanged:
# tests/busybox/script.sh, a shell script of busybox applets (pipes, jobs,
# kill, trap, redirections, files, find, xargs, a here-document, dd,
# /proc/self/exe), run by `busybox sh` on tasklab, prints line for line what
# it printed on Linux in the same QEMU (tests/linux/busybox.expected, made by
# tools/linux-record). The image has busybox only when the host has Debian's
# busybox-static (the Makefile installs it as root; CI does): without it the
# suite says SKIP and checks nothing, except on CI (CI=true), where it fails.
. "$(dirname "$0")/lib.sh"

if [ ! -x "$B/rootfs/usr/bin/busybox" ]; then
	why="no busybox in the image (install Debian's busybox-static, then make)"
	if [ "${CI:-}" = true ]; then
		fail image "$why"
	else
		echo "SKIP busybox: $why"
	fi
	finish
	exit
fi

# The script's own output: what the console shows after the boot's lines
# and before init's exit, without the kernel's one-line notes of system
# calls it does not implement (they go to the console, not to the script's
# output; the README lists them).
script_output() {
	printf '%s\n' "$out" |
		awk '/^== / { on = 1 } /^tasklab: init exited/ { exit } on' |
		grep -v '^syscall: .* which tasklab does not implement'
}

run_kernel -- /usr/bin/busybox sh /tests/busybox.sh
expect_status script/exit 0
tasklab=$(script_output)
if linux_answer busybox script/same-as-linux; then
	linux=$(printf '%s\n' "$out")
	if [ "$tasklab" = "$linux" ]; then
		pass script/same-as-linux
	else
		fail script/same-as-linux "output differs from Linux's; diff Linux tasklab:
$(diff <(printf '%s\n' "$linux") <(printf '%s\n' "$tasklab"))"
	fi
	check script/linux-exit "Linux's status $status, expected 0" [ "$status" = 0 ]
fi

# A FIFO's two ends opened at once on two CPUs, many times: the writer may
# open, write and close before the reader's open has looked for it. (Each
# open must count a partner present when it comes; before, the reader then
# waited for a writer forever, most often in the second round.)
run_kernel --cpus 2 --timeout 120 -- /usr/bin/busybox sh -c \
	'mkfifo /f; i=0; while [ $i -lt 100 ]; do (echo x > /f &); cat /f > /dev/null; i=$((i+1)); done; echo fifo round trips: $i'
expect_line 2cpus/fifo '^fifo round trips: 100$'
finish
