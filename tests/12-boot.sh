#!/usr/bin/env bash
# Booting, both ways: QEMU's -kernel (tools/run) and the GRUB ISO (`make qemu`).
# Also tools/run's own contract: PROG's status, 124 on timeout, 125 on panic.
. "$(dirname "$0")/lib.sh"

banner='^tasklab: a teaching kernel for x86-64'
min_ram=$(sed -n 's/^#define MIN_RAM_MB *\([0-9]*\).*/\1/p' "$top/kernel/arch/x86/memlayout.h")

# Boot build/tasklab.iso through GRUB with `make qemu`, as a student does
# (the firmware and GRUB on the same console), until the kernel has shown
# its timer ticking and read the initramfs, then stop QEMU (GRUB gives no command line, so nothing
# would power it off). $status is 124 when we had to stop it. timeout runs
# make in a process group of its own and stops that whole group, QEMU too.
boot_iso() {
	local log pid s=124
	log=$(mktemp)
	timeout "$RUN_TIMEOUT" make -s --no-print-directory -C "$top" qemu </dev/null >"$log" 2>&1 &
	pid=$!
	while kill -0 "$pid" 2>/dev/null && ! grep -q '^initrd: ' "$log"; do
		sleep 0.2
	done
	if kill -0 "$pid" 2>/dev/null; then
		kill "$pid"
		wait "$pid"
	else
		wait "$pid"
		s=$?
	fi
	# The console's escape sequences (colours, clearing the screen) go.
	set_run_result "$(tr -d '\r' <"$log" | sed 's/\x1b\[[0-9;?]*[A-Za-z]//g; s/\x1b[c]//g')" "$s"
	rm -f "$log"
}

lacks_line() { ! has_line "$1"; }

# GRUB's line, once and whole: "  Booting `tasklab'", not two copies
# interleaved (from writing to the serial port and to the BIOS console,
# which QEMU -nographic also sends to the serial port).
grub_line_clean() {
	local lines
	lines=$(printf '%s\n' "$out" | grep -F 'Booting `tasklab')
	[ "$(wc -l <<<"$lines")" = 1 ] && grep -qx " *Booting \`tasklab'" <<<"$lines"
}

# An unknown option is reported, and the rest of the command line still works.
run_kernel --cpus 1 --cmdline "bogus_option=1 ktest=pmm_refcount"
expect_line banner "$banner"
expect_line cmdline "^boot: loader '[^']+', command line 'bogus_option=1 ktest=pmm_refcount'\$"
expect_line memory '^mem: RAM 0x[0-9a-f]+-0x[0-9a-f]+ \([0-9]+ KiB\)$' \
	'^mem: 12[0-9] MiB of RAM, [0-9]+ pages free'
expect_line timer '^timer: TSC [0-9]+\.[0-9]{3} MHz' '^timer: 5 ticks in [0-9]+ us'
expect_line one_cpu '^cpu: 1 CPU found, 1 running$'
expect_line unknown_option "^cmdline: unknown option 'bogus_option=1' ignored\$" \
	'^PASS ktest/pmm_refcount$'
expect_status run_status_0 0

# The CPUs come from ACPI's MADT, and every one is started.
run_kernel --cpus 3 --cmdline ktest=pmm_refcount
expect_line three_cpus_running '^cpu: 3 CPUs found, 3 running$'

run_kernel --cmdline ktest=no_such_test
expect_line no_such_ktest "^ktest: no test named 'no_such_test'\$"
expect_status run_status_1 1

# Without a command the kernel never powers off: tools/run must give up.
run_kernel --timeout 5
expect_line run_timeout_message '^tools/run: timed out after 5s$'
expect_status run_timeout_124 124

run_kernel --mem 8M
expect_line small_ram_message "^Kernel panic: tasklab needs at least $min_ram MiB of RAM"
expect_status small_ram_panic_125 125

run_kernel --no-such-option
expect_status run_bad_option 2

boot_iso
expect_line iso_banner "$banner"
expect_line iso_loader_grub "^boot: loader 'GRUB"
expect_line iso_initrd '^mem: .*, 1 module\(s\)$'
expect_status iso_still_running 124          # not powered off or panicked
# The CD first and no network card: no tries of other disks before it.
check iso_no_boot_failed "the firmware printed a 'Boot failed' line before GRUB" \
	lacks_line 'Boot failed'
check iso_no_pxe "the network card's boot ROM (iPXE) printed its banner" lacks_line iPXE
check iso_grub_line "GRUB's Booting line is missing, repeated or garbled" grub_line_clean
# README's "Two commands" shows these lines: they must be what a boot prints.
readme_boot=$(sed -n '/^    tasklab: a teaching kernel/,/^    initrd: /s/^    //p' "$top/README.md")
run_boot=$(printf '%s\n' "$out" | sed -n '/^tasklab: a teaching kernel/,/^initrd: /p')
check iso_readme_boot_lines "README's boot lines: $(shape <<<"$readme_boot" | tr '\n' '|'); the boot: $(shape <<<"$run_boot" | tr '\n' '|')" \
	same_shape "$readme_boot" "$run_boot"
finish
