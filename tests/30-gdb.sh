#!/usr/bin/env bash
# The gdb walkthrough of README.md, without a human: QEMU waits for gdb as in
# `make qemu-gdb`, gdb reads the .gdbinit that `make` writes from
# tools/gdbinit.tmpl (with a free port of our own), and then does what a
# student would: break kmain, continue, bt, next, print.
# Everything runs under a timeout, and QEMU is killed on every way out.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
B=build
TIMEOUT=${RUN_TIMEOUT:-60}
failures=0
work=$(mktemp -d)
qemu_pid=

stop_qemu() {
	# QEMU runs in a session of its own (setsid): killing that session kills
	# QEMU and what runs it (timeout, tools/run, tee), and nothing else. Not
	# just the process group: `timeout` puts itself in a group of its own.
	if [ -n "$qemu_pid" ]; then
		pkill -TERM -s "$qemu_pid"
		{ wait "$qemu_pid"; } 2>/dev/null     # and no "Terminated" from bash
		qemu_pid=
	fi
}
trap 'stop_qemu; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

pass() { echo "PASS gdb/$1"; }

# Details are indented so that tests/run-all counts only our verdict lines.
fail() {
	echo "FAIL gdb/$1: $2"
	failures=$((failures + 1))
	if [ -n "${3:-}" ] && [ -f "$3" ]; then
		echo "    --- $3 ---"
		tail -n 40 "$3" | sed 's/^/    | /'
	fi
}

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("localhost", 0)); print(s.getsockname()[1])'
}

# start_qemu NAME COMMAND...: run COMMAND (which must start QEMU with a gdb
# stub on $port, stopped) in the background; its output goes to $work/NAME.
start_qemu() {
	local name=$1
	shift
	setsid "$@" </dev/null >"$work/$name.console" 2>&1 &
	qemu_pid=$!
	# Wait until the stub listens, so that gdb does not race QEMU's start.
	for _ in $(seq 50); do
		kill -0 "$qemu_pid" 2>/dev/null || return 1
		(exec 3<>/dev/tcp/localhost/"$port") 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# run_gdb NAME GDB-COMMAND...: gdb in batch mode with tools/gdbinit.tmpl
# (and no other init file), then the commands; the output goes to $work/NAME.gdb.
# A short connect timeout: gdb would retry a refused connection for 15 s.
run_gdb() {
	local name=$1 args=() c
	shift
	sed "s/@GDBPORT@/$port/" tools/gdbinit.tmpl >"$work/gdbinit"
	for c in "$@"; do
		args+=(-ex "$c")
	done
	timeout "$TIMEOUT" gdb -nx -batch -iex "set tcp connect-timeout 2" \
		-x "$work/gdbinit" "${args[@]}" \
		</dev/null >"$work/$name.gdb" 2>&1 &
	wait $!         # unlike a command in the foreground, wait lets TERM in at once
}

has() { grep -Eq -- "$1" "$2"; }

for f in "$B/kernel.elf" "$B/kernel.bin" "$B/tasklab.iso"; do
	if [ ! -f "$f" ]; then
		fail setup "$f is missing; run make first"
		exit 1
	fi
done
for cmd in gdb qemu-system-x86_64 python3 setsid pkill; do
	if ! command -v "$cmd" >/dev/null; then
		fail setup "$cmd is not installed"
		exit 1
	fi
done

# The student's path: the GRUB ISO, as `make qemu-gdb` boots it.
student=("break kmain" continue bt next "print/x magic" "info registers rip")
port=$(free_port)
if ! start_qemu iso timeout "$TIMEOUT" qemu-system-x86_64 -m 128M -smp 1 -no-reboot \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 -display none -serial stdio \
	-monitor none -cdrom "$B/tasklab.iso" -S -gdb tcp::"$port"; then
	fail iso-start "QEMU did not start with a gdb stub on port $port" "$work/iso.console"
else
	run_gdb iso "${student[@]}"
	log=$work/iso.gdb
	if has "Remote 'g' packet reply is too long" "$log"; then
		fail no-g-packet-error "gdb rejected QEMU's registers" "$log"
	else
		pass no-g-packet-error
	fi
	if has '^#0  long_mode_start \(\) at boot/boot.S' "$log" && has 'tasklab: stopped at long_mode_start' "$log"; then
		pass stop-in-long-mode
	else
		fail stop-in-long-mode "gdb did not stop at long_mode_start on attaching" "$log"
	fi
	if has '^Breakpoint 1, kmain \(' "$log"; then
		pass break-kmain
	else
		fail break-kmain "the breakpoint at kmain was not hit" "$log"
	fi
	# boot.S's debug info ends the backtrace at higher_half, with no ?? frames.
	if ! has '^#0  kmain \(.*kernel/main.c' "$log"; then
		fail bt "bt does not show kmain in kernel/main.c" "$log"
	elif ! has '^#1 .* in higher_half \(\) at boot/boot.S' "$log" || has '^#[0-9]+ .* in \?\? \(' "$log"; then
		fail bt "bt does not end at higher_half in boot/boot.S" "$log"
	else
		pass bt
	fi
	# `next` leaves kmain's first line; GRUB passes the multiboot2 magic.
	if has '^rip +0xffffffff80[0-9a-f]+ +0xffffffff80[0-9a-f]+ <kmain\+[1-9][0-9]*>' "$log" &&
	   has '^\$1 = 0x36d76289$' "$log"; then
		pass next-print
	else
		fail next-print "after next, rip is not inside kmain or magic is not 0x36d76289" "$log"
	fi
fi
stop_qemu

# tools/run --gdb: QEMU's own multiboot1 loader (-kernel) instead of GRUB.
port=$(free_port)
if ! start_qemu run tools/run --timeout "$TIMEOUT" --gdb "$port"; then
	fail tools-run "tools/run --gdb $port did not start a gdb stub" "$work/run.console"
else
	run_gdb run "${student[@]}"
	log=$work/run.gdb
	if has "Remote 'g' packet reply is too long" "$log"; then
		fail tools-run "gdb rejected QEMU's registers" "$log"
	elif ! has '^#0  kmain \(.*kernel/main.c' "$log" || ! has '^\$1 = 0x2badb002$' "$log"; then
		fail tools-run "no stop in kmain, or magic is not multiboot1's 0x2badb002" "$log"
	else
		pass tools-run
	fi
fi
stop_qemu

# add-user needs no QEMU: without one, the .gdbinit says so and goes on.
# A program that is not there gets a clear message; one that is (once there
# are user programs) gives its symbols.
port=$(free_port)
prog=
if [ -d "$B/rootfs/bin" ]; then
	prog=$(ls "$B/rootfs/bin" | grep -x init || ls "$B/rootfs/bin" | head -n 1)
fi
cmds=("add-user no-such-program")
[ -n "$prog" ] && cmds+=("add-user $prog" "info address main")
run_gdb add-user "${cmds[@]}"
log=$work/add-user.gdb
if ! has 'cannot reach QEMU' "$log"; then
	fail add-user "without QEMU, the .gdbinit did not say it cannot reach it" "$log"
elif ! has '(no user program no-such-program|does not exist: no user programs)' "$log"; then
	fail add-user "no clear message for a program that does not exist" "$log"
elif [ -n "$prog" ] && ! has '^Symbol "main" is a function at address 0x' "$log"; then
	fail add-user "add-user $prog did not give main's symbol" "$log"
else
	pass add-user
fi

[ "$failures" = 0 ]
