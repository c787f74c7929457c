#!/usr/bin/env bash
# panic(): the kernel's last words. tests/kernel/panic.c panics on purpose two
# calls deep; the console must show why, the registers and who called whom
# (on every CPU, when there are several). Sleeping with a spinlock held panics.
. "$(dirname "$0")/lib.sh"

# The function names of the backtrace, one line: "f g h".
backtrace_names() {
	printf '%s\n' "$out" | sed -n '/^backtrace:$/,$s/^  \[<[0-9a-f]*>\] \([^+]*\)+0x.*/\1/p' |
		tr '\n' ' '
}

run_kernel --cmdline ktest=panic
expect_line poweroff '^tasklab: poweroff status=125$'
expect_status exit_code 125
expect_line message '^Kernel panic: ktest: deliberate panic at depth 2$'
expect_line registers '^RIP: 0008:ffffffff8[0-9a-f]{7} RFLAGS: [0-9a-f]+$' \
	'^RAX: [0-9a-f]{16} RBX: [0-9a-f]{16} RCX: [0-9a-f]{16}$' \
	'^CR2: [0-9a-f]{16} CR3: [0-9a-f]{16}$' \
	'^  \[<ffffffff8[0-9a-f]{7}>\] panic\+0x'
names=$(backtrace_names)
case "$names" in
"panic_test_inner panic_test_outer ktest_panic "*kmain*) pass backtrace ;;
*) fail backtrace "frames are '$names', expected panic_test_inner panic_test_outer ktest_panic ... kmain" ;;
esac

# A kernel stack that overflows hits its guard page; the double fault that
# follows runs on its own stack and panics, naming the likely cause.
run_kernel --cmdline ktest=stack_overflow
expect_status stack_overflow_status 125
expect_line stack_overflow_message \
	'^Kernel panic: double fault in kernel mode: a kernel stack ran into its guard page\?$' \
	'^  \[<ffffffff8[0-9a-f]{7}>\] recurse\+0x'

# Hardening (tests/kernel/harden.c): each test does the forbidden thing and
# must die of it with status 125 and a panic line naming what and where.
# expect_panic CASE KTEST RE: boot ktest=KTEST; the panic line matches RE.
expect_panic() {
	run_kernel --cmdline "ktest=$2"
	if [ "$status" != 125 ]; then
		fail "$1" "exit status $status, expected 125 (a panic)"
	else
		expect_line "$1" "^Kernel panic: $3\$"
	fi
}
expect_panic stack_protector stack_smash \
	'stack protector: the stack canary of smash_buffer was overwritten \(a buffer overflow on the kernel stack\)'
expect_panic smap smap 'kernel touched user memory at 0x400000 outside the user-copy routines \(SMAP\)'
expect_panic smep smep 'kernel executed user memory at 0x400000 \(SMEP\)'
# The UBSAN build reports the signed overflow at its file and line.
if [ "${UBSAN:-}" = 1 ]; then
	line=$(grep -n 'UBSAN reports this line' "$top/tests/kernel/harden.c" | cut -d: -f1)
	expect_panic ubsan ubsan "UBSAN: signed integer overflow in \\+ at tests/kernel/harden.c:$line:[0-9]+"
fi

# Sleeping with a spinlock held: the held-lock check panics, naming it.
run_kernel --cmdline ktest=sleep_locked
expect_status sleep_locked_status 125
expect_line sleep_locked_message '^Kernel panic: wait_sleep: sleeping with spinlock ktest held$'

# With more CPUs, the panic stops the others (an NMI) and shows where each was.
run_kernel --cpus 3 --cmdline ktest=panic
expect_status three_cpus_status 125
expect_line three_cpus_stopped '^Kernel panic: ktest: deliberate panic at depth 2$' \
	'^CPU 1: stopped running idle\[0\] in kernel mode$' \
	'^CPU 2: stopped running idle\[0\] in kernel mode$' '^  \[<ffffffff8[0-9a-f]{7}>\] ap_main\+0x'
finish
