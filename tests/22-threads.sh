#!/usr/bin/env bash
# Threads seen from outside: `threads ps` starts three threads that sleep on
# a mutex and runs ps meanwhile. ps must show one process (one PID, one MM)
# made of four tasks (four TIDs), beside ps, a process with an mm of its own.
# So must it on Linux, where MM is `-`: the two programs' output there is
# recorded in tests/linux/threads.expected by tools/linux-record.
. "$(dirname "$0")/lib.sh"

run_kernel -- /bin/threads /bin/ps
expect_status exit 0
check_threads ps-shows-threads "[0-9]+"
ps_mm=$(tasks_of ps | cut -d' ' -f6)
threads_mm=$(tasks_of threads | head -n 1 | cut -d' ' -f6)
check ps-own-mm "ps's MM ($ps_mm) should differ from the threads' ($threads_mm)" \
	[ -n "$ps_mm" -a "$ps_mm" != "$threads_mm" ]
expect_line joined '^threads: joined 3 threads$'

# The same with fork=odf (fork shares the page tables): the shell's forks
# and the threads' shared mm must not mix.
run_kernel --cmdline fork=odf -- /bin/threads /bin/ps
expect_status odf-exit 0
check_threads odf-ps-shows-threads "[0-9]+"
expect_line odf-joined '^threads: joined 3 threads$'

if linux_answer threads linux-exit; then
	expect_status linux-exit 0
	check_threads linux-ps-shows-threads -
fi
finish
