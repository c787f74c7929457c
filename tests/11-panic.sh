#!/usr/bin/env bash
# panic(): the kernel's last words. tests/kernel/panic.c panics on purpose two
# calls deep; the console must show why, the registers and who called whom.
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
finish
