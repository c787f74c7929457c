#!/usr/bin/env bash
# Threads seen from outside: `threads ps` starts three threads that sleep on
# a mutex and runs ps meanwhile. ps must show one process (one PID, one MM)
# made of four tasks (four TIDs), beside ps, a process with an mm of its own.
# The same two programs run on this Linux host, where MM is `-`.
. "$(dirname "$0")/lib.sh"

# ps's lines for the command $1 in $out: "PID TID PPID S NLWP MM".
tasks_of() {
	printf '%s\n' "$out" | awk -v cmd="$1" '$7 == cmd { print $1, $2, $3, $4, $5, $6 }'
}

# The four tasks of `threads`: one PID, four TIDs (the first the PID),
# NLWP 4, asleep, and one MM, which matches the regex $2.
check_threads() {
	local name=$1 want_mm=$2 lines pids tids mms
	lines=$(tasks_of threads)
	pids=$(cut -d' ' -f1 <<<"$lines" | sort -u)
	tids=$(cut -d' ' -f2 <<<"$lines" | sort -u | wc -l)
	mms=$(cut -d' ' -f6 <<<"$lines" | sort -u)
	if [ "$(wc -l <<<"$lines")" != 4 ] || [ "$(wc -l <<<"$pids")" != 1 ] || [ "$tids" != 4 ]; then
		fail "$name" "want 4 tasks of one PID with 4 TIDs, got: $(echo $lines)"
	elif ! grep -qx "$pids $pids .* [0-9-]*" <<<"$lines"; then
		fail "$name" "no task has TID = PID (the group leader)"
	elif [ "$(cut -d' ' -f4,5 <<<"$lines" | sort -u)" != "S 4" ]; then
		fail "$name" "want state S and NLWP 4 for every thread: $(echo $lines)"
	elif [ "$(wc -l <<<"$mms")" != 1 ] || ! grep -Eqx -- "$want_mm" <<<"$mms"; then
		fail "$name" "want one MM (/$want_mm/) for the four tasks, got: $(echo $mms)"
	else
		pass "$name"
	fi
}

run_kernel -- /bin/threads /bin/ps
expect_status exit 0
check_threads ps-shows-threads "[0-9]+"
ps_mm=$(tasks_of ps | cut -d' ' -f6)
threads_mm=$(tasks_of threads | head -n 1 | cut -d' ' -f6)
check ps-own-mm "ps's MM ($ps_mm) should differ from the threads' ($threads_mm)" \
	[ -n "$ps_mm" -a "$ps_mm" != "$threads_mm" ]
expect_line joined '^threads: joined 3 threads$'

set_run_result "$(timeout 30 "$B/rootfs/bin/threads" "$B/rootfs/bin/ps" 2>&1)" $?
expect_status linux-exit 0
check_threads linux-ps-shows-threads -
finish
