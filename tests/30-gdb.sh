#!/usr/bin/env bash
# The gdb walkthrough of README.md, without a human: QEMU waits for gdb as in
# `make qemu-gdb`, gdb reads the .gdbinit that `make` writes from
# tools/gdbinit.tmpl (with a free port of our own), and then does what a
# student would: the commands README.md shows under "Debugging with gdb",
# whose output must be what the README shows. Then the commands of
# tools/gdb/tasklab.py (tl-ps...) and the tour, tools/gdb/tour-*.gdb, all
# three in one gdb. gdb debugs build/debug, the kernel built at -Og.
# Everything runs under a timeout, and QEMU is killed on every way out.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
B=build/debug
[ "${UBSAN:-}" = 1 ] && B=build/ubsan/debug    # what tools/run --gdb boots then
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
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
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
		(exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# run_gdb NAME GDB-COMMAND...: gdb in batch mode with tools/gdbinit.tmpl
# (and no other init file), then the commands; the output goes to $work/NAME.gdb.
# A short connect timeout: gdb would retry a refused connection for 15 s.
# Its build/debug becomes $B (under UBSAN=1, build/ubsan/debug).
run_gdb() {
	local name=$1 args=() c
	shift
	sed -e "s/@GDBPORT@/$port/" -e "s|build/debug|$B|" tools/gdbinit.tmpl \
		>"$work/gdbinit"
	for c in "$@"; do
		args+=(-ex "$c")
	done
	timeout "$TIMEOUT" gdb -nx -batch -iex "set tcp connect-timeout 2" \
		-x "$work/gdbinit" "${args[@]}" \
		</dev/null >"$work/$name.gdb" 2>&1 &
	wait $!         # unlike a command in the foreground, wait lets TERM in at once
}

has() { grep -Eq -- "$1" "$2"; }

# Did each `next` from the stop matching $1 in gdb's output $2 go forward in
# the source? At -O2 the lines jump back and forth; at -Og they follow it.
steps_forward() {
	stop=$1 awk '$0 ~ ENVIRON["stop"] { on = 1 }
	     on && /^[0-9]+\t/ { if (n++ && $1 <= last) bad = 1; last = $1 }
	     END { exit bad || n < 4 }' "$2"
}

# Pass CASE ($1) if steps_forward finds the stop $2 in $log; $3 names the function.
check_steps() {
	if steps_forward "$2" "$log"; then
		pass "$1"
	else
		fail "$1" "next in $3 did not go forward line by line" "$log"
	fi
}

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

# README.md's transcript under "Debugging with gdb": the indented block
# with "(gdb) " prompts, without its indent.
readme_transcript() {
	awk '/^## / { in_section = ($0 == "## Debugging with gdb") }
	     in_section && /^    / { block = block substr($0, 5) "\n"; next }
	     in_section && block ~ /\(gdb\) / { printf "%s", block; exit }
	     { block = "" }' README.md
}

# Addresses and GRUB's info pointer change with every change of the kernel.
normalize() {
	sed -E 's/0x[0-9a-f]{9,}/0xADDR/g; s/info=[0-9]+/info=N/; s/[ \t]+$//'
}

# Is every output line of the README's transcript in gdb's output $1, in
# the same order? Prints the first one that is not.
transcript_matches() {
	awk 'BEGIN { n = 0; i = 0 }
	     NR == FNR { if ($0 !~ /^\(gdb\) /) want[n++] = $0; next }
	     i < n && $0 == want[i] { i++ }
	     END { if (i < n) { print want[i]; exit 1 } }' \
		<(readme_transcript | normalize) <(normalize <"$1")
}

# The student's path: the GRUB ISO, as `make qemu-gdb` boots it, and the
# README's commands, then one more to see where `next` went.
mapfile -t student < <(readme_transcript | sed -n 's/^(gdb) //p')
[ "${#student[@]}" -gt 0 ] || { fail setup "README.md shows no (gdb) commands"; exit 1; }
student+=("info registers rip")
port=$(free_port)
if ! start_qemu iso timeout "$TIMEOUT" qemu-system-x86_64 -m 128M -smp 1 -no-reboot \
	-boot d -nic none -device isa-debug-exit,iobase=0xf4,iosize=0x04 -display none \
	-serial stdio -monitor none -cdrom "$B/tasklab.iso" -S -gdb tcp:127.0.0.1:"$port"; then
	fail iso-start "QEMU did not start with a gdb stub on port $port" "$work/iso.console"
else
	run_gdb iso "${student[@]}"
	log=$work/iso.gdb
	if missing=$(transcript_matches "$log"); then
		pass readme-transcript
	else
		fail readme-transcript "README.md shows \`$missing\`, gdb did not print it (in order)" "$log"
	fi
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
	if has '^(Thread [0-9]+ hit )?Breakpoint 1, kmain \(' "$log"; then
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
	check_steps next-follows-source '^(Thread [0-9]+ hit )?Breakpoint 1, kmain \(' kmain
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

# tools/gdb/tasklab.py's commands, stopped where several tasks exist: the
# second copy_process is sh vforking for one side of the pipe (init vforked
# the first, to run sh; sh's exec woke it, so it may not have run since to
# sleep in wait4).
port=$(free_port)
if ! start_qemu tl tools/run --timeout "$TIMEOUT" --gdb "$port" -- /bin/sh -c 'echo x | cat'; then
	fail tl-start "tools/run --gdb $port did not start a gdb stub" "$work/tl.console"
else
	run_gdb tl "break copy_process" continue continue tl-ps tl-current tl-vmas \
		'tl-pagewalk $tl_current()->tf->rsp' 'tl-pagewalk &kpgd' 'tl-pagewalk 0x1000' \
		'print $tl_task(1)->comm' 'frame 0' next next next next
	log=$work/tl.gdb
	if has '^ +1 +1 (SLEEPING|RUNNABLE) +init +[0-9]+@0x' "$log" &&
	   has '^\* +2 +2 RUNNING +sh +[0-9]+@0x' "$log"; then
		pass tl-ps
	else
		fail tl-ps "tl-ps does not list init (sleeping or runnable) and sh current" "$log"
	fi
	if has '^tid 2 \(sh\), tgid 2, RUNNING, struct task \*0x' "$log" && has '^\$1 = "init"' "$log"; then
		pass tl-current
	else
		fail tl-current "tl-current does not name sh, or \$tl_task(1) is not init" "$log"
	fi
	if has '^  0x0000000000400000-0x[0-9a-f]+ r--p' "$log" && has ' r-xp' "$log" &&
	   has '^  0x[0-9a-f]+-0x00007fffffffb000 rw-p \[stack\]$' "$log"; then
		pass tl-vmas
	else
		fail tl-vmas "tl-vmas does not show the program's text and [stack]" "$log"
	fi
	# The user stack: four levels, each present and user, a frame in use.
	if has '^0x7fff[0-9a-f]+ in tid 2 \(sh\)' "$log" && has '^  PGD\[255\] = 0x[0-9a-f]{16}  P W U' "$log" &&
	   has '^  PUD\[511\] = .* P W U' "$log" && has '^  PMD\[511\] = .* P W U' "$log" &&
	   has '^  PTE\[[ 0-9]+\] = .* P W U .* NX$' "$log" &&
	   has '^  page at pa 0x[0-9a-f]+, refcount [1-9][0-9]*: 0x7fff' "$log"; then
		pass tl-pagewalk
	else
		fail tl-pagewalk "no four-level walk of the user stack with P, U and a refcount" "$log"
	fi
	check_steps next-follows-source-copy_process '^#0  copy_process \(' copy_process
	if has '^0xffffffff80[0-9a-f]+ in the kernel \(kpgd\)' "$log" && has 'refcount reserved: 0xffffffff80' "$log" &&
	   has '^  not present: an access faults$' "$log"; then
		pass tl-pagewalk-kernel
	else
		fail tl-pagewalk-kernel "no walk of kpgd for a kernel address, or of an unmapped one" "$log"
	fi
fi
stop_qemu

# The tour of README.md: tools/gdb/tour-*.gdb, run as they are, back to
# back in one gdb, as a student would type them, on user program tour run
# from the shell twice (the third walk-through needs a new fork). Then the
# warnings for user symbols looked up in another process, and no breakpoint
# must be left. Each walk-through's part of gdb's output goes to its own log.
tours=(fork clone cow)
port=$(free_port)
if ! start_qemu tours tools/run --timeout "$TIMEOUT" --gdb "$port" -- /bin/sh -c 'tour; tour'; then
	fail tours "tools/run --gdb $port did not start a gdb stub" "$work/tours.console"
	tours=()
fi
cmds=()
for t in "${tours[@]}"; do
	cmds+=("echo @@@ tour-$t\n" "source tools/gdb/tour-$t.gdb")
done
if [ ${#tours[@]} -gt 0 ]; then
	# sh is tid 2; the last walk-through stopped in tour, in user code.
	cmds+=("echo @@@ after\n" "tl-pagewalk &counter 2" "add-user sh" stepi "info breakpoints")
	run_gdb tours "${cmds[@]}"
	awk -v dir="$work" '/^@@@ / { f = dir "/" $2 ".gdb"; next } f { print > f }' "$work/tours.gdb"
fi

# In the thread, tl-pagewalk $rsp walked an address in thread_create's
# stack: the rw-p mapping that starts where a ---p guard page ends.
rsp_above_guard() {
	local sp guard_end top
	sp=$(sed -n 's/^\(0x[0-9a-f]*\) in tid 5 (tour).*/\1/p' "$1")
	read -r guard_end top < <(sed -n '/ ---p *$/{N;s/^  0x[0-9a-f]*-\(0x[0-9a-f]*\) ---p *\n  \1-\(0x[0-9a-f]*\) rw-p.*/\1 \2/p}' "$1")
	[ -n "$sp" ] && [ -n "$top" ] && ((guard_end <= sp && sp < top))
}

# init is tid 1 and sh 2; the first tour 3, its child 4 and its thread 5;
# the second tour 6 and its child 7.
log=$work/tour-fork.gdb
if [ ! -f "$log" ]; then
	fail tour-fork "gdb's output has no part for this walk-through" "$work/tours.gdb"
elif ! has '^=> 0x[0-9a-f]+ <fork\+[0-9]+>:\s+syscall' "$log" || ! has '^rax +0x39 +57$' "$log"; then
	fail tour-fork "nexti did not reach fork's syscall instruction with rax = 57" "$log"
elif ! has '^syscall_entry \(\) at kernel/arch/x86/entry.S' "$log"; then
	fail tour-fork "stepi from syscall did not land in syscall_entry" "$log"
elif ! has '^(Thread [0-9]+ hit )?Temporary breakpoint [0-9]+, (0x[0-9a-f]+ in )?copy_process \(' "$log" ||
     ! has '^#[0-9] .* in sys_fork \(\)' "$log"; then
	fail tour-fork "break copy_process was not hit from sys_fork" "$log"
elif ! has '^\* +3 +3 RUNNING +tour ' "$log" || ! has '^  +4 +4 RUNNABLE +tour +[0-9]+@0x[0-9a-f]+ +$' "$log"; then
	fail tour-fork "tl-ps does not show the child, with an mm of its own" "$log"
elif ! has '^  PTE\[[ 0-9]+\] = .* COW .*' "$log" || ! has 'refcount 2: 0x7fff' "$log"; then
	fail tour-fork "the parent's stack page is not COW with refcount 2" "$log"
elif ! has '^tid 4 \(tour\), tgid 4, RUNNING' "$log" || ! has '^\$[0-9]+ = 0$' "$log"; then
	fail tour-fork "the child does not start in ret_from_fork with rax 0" "$log"
else
	pass tour-fork
fi

# From thread_create through __clone's syscall to copy_process, with
# pthread_create's flags: CLONE_VM|FS|FILES|SIGHAND|THREAD|SYSVSEM|SETTLS|
# PARENT_SETTID|CHILD_CLEARTID. With ret_from_fork's breakpoint left from
# the first walk-through, the thread would stop there, not in thread_main.
log=$work/tour-clone.gdb
if [ ! -f "$log" ]; then
	fail tour-clone "gdb's output has no part for this walk-through" "$work/tours.gdb"
elif ! has '^(Thread [0-9]+ hit )?Temporary breakpoint [0-9]+, thread_create \(' "$log" ||
   ! has '^#1 .* in thread_create \(.*\) at user/ulib/thread.c' "$log"; then
	fail tour-clone "thread_create did not call __clone" "$log"
elif ! has '^rdi +0x3d0f00 ' "$log" || ! has '^=> 0x[0-9a-f]+ <__clone\+[0-9]+>:\s+syscall' "$log" ||
     ! has '^rax +0x38 +56$' "$log"; then
	fail tour-clone "__clone did not reach its syscall with the thread's flags and rax = 56" "$log"
elif ! has '^\$[0-9]+ = 0x3d0f00$' "$log" || ! has '^#[0-9] .* in sys_clone \(' "$log"; then
	fail tour-clone "copy_process did not get the thread's clone flags from sys_clone" "$log"
elif ! has '^\* +3 +3 RUNNING +tour .* 5\(mm,files,fs,sighand,signal\)$' "$log" ||
     ! has '^  +5 +3 RUNNABLE +tour .* 3\(mm,files,fs,sighand,signal\)$' "$log"; then
	fail tour-clone "tl-ps does not show a thread sharing all with tid 3" "$log"
elif ! has '^(Thread [0-9]+ hit )?Temporary breakpoint [0-9]+, thread_main \(' "$log" || ! has '^tid 5 \(tour\), tgid 3, RUNNING' "$log"; then
	fail tour-clone "the thread did not run thread_main as tid 5 of group 3" "$log"
elif ! has '^#2 .* in __clone \(\) at user/ulib/crt0.S' "$log" || has '^#[0-9]+ .* in \?\? \(' "$log"; then
	fail tour-clone "the thread's backtrace does not end at __clone" "$log"
elif ! has '^  page at pa 0x[0-9a-f]+, refcount 1: 0x' "$log" || ! rsp_above_guard "$log"; then
	fail tour-clone "the thread's rsp is not in a stack mapping above a guard page" "$log"
else
	pass tour-clone
fi

# Before the write: shared, read-only, COW, two users. After it, each side
# has a frame of its own: the child a new writable one, the parent the old
# one, of which it is now the only user. With copy_process's breakpoint left
# from an earlier walk-through, this one would stop in sh forking the
# second tour.
log=$work/tour-cow.gdb
if [ ! -f "$log" ]; then
	fail tour-cow "gdb's output has no part for this walk-through" "$work/tours.gdb"
else
	va=$(sed -n 's/^\$[0-9]* = \(0x[0-9a-f]*\)$/\1/p' "$log")
	if [ -z "$va" ] || ! has '^(Thread [0-9]+ hit )?Temporary breakpoint [0-9]+, (0x[0-9a-f]+ in )?do_wp_page \(' "$log"; then
		fail tour-cow "do_wp_page was not hit" "$log"
	elif ! has '^tid 7 \(tour\), tgid 7' "$log" || ! has '^  PTE\[[ 0-9]+\] = 0x[0-9a-f]+  P U A D COW NX$' "$log" ||
	     ! has "^  page at pa 0x[0-9a-f]+, refcount 2: $va" "$log"; then
		fail tour-cow "before the write, counter's page is not COW with refcount 2 in the child" "$log"
	elif ! has '^(Thread [0-9]+ hit )?Temporary breakpoint [0-9]+, child_main \(\) at user/tour.c:[0-9]+$' "$log"; then
		fail tour-cow "the child did not stop again at the write that faulted" "$log"
	elif ! has '^  PTE\[[ 0-9]+\] = 0x[0-9a-f]+  P W U A D NX$' "$log" ||
	     [ "$(grep -c "^  page at pa 0x[0-9a-f]*, refcount 1: $va" "$log")" != 2 ]; then
		fail tour-cow "after the write, the child and the parent do not each own one frame" "$log"
	else
		pass tour-cow
	fi
fi

# tour's counter looked up in sh, and tour's code named with sh's symbols:
# both are said to be wrong, and only then. Each walk-through deleted its
# breakpoints (they are temporary).
log=$work/after.gdb
if [ ! -f "$log" ]; then
	fail tours-wrong-process "gdb did not get past the walk-throughs" "$work/tours.gdb"
elif cat "$work"/tour-*.gdb | grep -q '^warning: '; then
	fail tours-wrong-process "a walk-through warned of the wrong process" "$work/tours.gdb"
elif ! has "^warning: counter is tour's symbol, but tid 2 \(sh\) is not tour" "$log"; then
	fail tours-wrong-process "tl-pagewalk &counter in sh did not warn that counter is tour's" "$log"
elif ! has "^warning: stopped in tid 7 \(tour\), but gdb has sh's symbols" "$log"; then
	fail tours-wrong-process "a stop in tour with sh's symbols did not warn" "$log"
else
	pass tours-wrong-process
fi
if [ -f "$log" ] && has '^No breakpoints or watchpoints\.$' "$log"; then
	pass tours-leave-no-breakpoint
else
	fail tours-leave-no-breakpoint "breakpoints are left after the walk-throughs" "$log"
fi
stop_qemu

[ "$failures" = 0 ]
