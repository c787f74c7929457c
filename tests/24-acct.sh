#!/usr/bin/env bash
# Where the time goes, seen from outside: the shape of /proc/stat and
# /proc/cpuinfo (one cpuN line and one processor entry per CPU that is up,
# whatever their number), ps's PSR and TIME columns, and the shell's
# `time`. getrusage, times and wait4's rusage are held to Linux's answer
# by tests/abi/rusage.c (40-abi). Shapes only: no verdict on how much
# time anything took, except under --icount, where guest time counts
# instructions and repeats exactly.
. "$(dirname "$0")/lib.sh"

# The lines of $out between the line "== NAME ==" and the next "== ".
section() {
	printf '%s\n' "$out" | awk -v start="== $1 ==" '$0 == start { on = 1; next } /^== / { on = 0 } on'
}

run_kernel -- /bin/sh -c 'echo == stat ==; cat /proc/stat; echo == cpuinfo ==; cat /proc/cpuinfo; echo == ps ==; ps; echo == end =='
expect_status boots 0
# ($(...) drops a section's last blank lines: "." keeps cpuinfo's.)
stat=$(section stat) cpuinfo=$(section cpuinfo; echo .) ps=$(section ps)

# The cpu line: "cpu", two spaces, ten numbers; then cpu0, cpu1...; the
# first line sums the others, column by column.
why=$(awk '
	function numbers() { for (i = 2; i <= NF; i++) if ($i !~ /^[0-9]+$/) return 0; return NF == 11 }
	NR == 1 { if (substr($0, 1, 5) != "cpu  " || !numbers()) { print "first line is not cpu and ten numbers: " $0; exit }
		  for (i = 2; i <= 11; i++) total[i] = $i; next }
	/^cpu[0-9]/ { if (!numbers() || $1 != "cpu" (n + 0)) { print "bad or out-of-order line: " $0; exit }
		      n++; for (i = 2; i <= 11; i++) sum[i] += $i }
	END { if (n == 0) { print "no cpuN line"; exit }
	      for (i = 2; i <= 11; i++) if (sum[i] != total[i]) { print "column " i - 1 " of cpu is not the sum of the cpuN lines"; exit } }
' <<<"$stat")
check stat/cpu-lines "${why:-}" [ -z "$why" ]
ncpus=$(grep -c '^cpu[0-9]' <<<"$stat")
for field in ctxt btime processes procs_running procs_blocked; do
	check "stat/$field" "no line \"$field N\"" grep -Eq "^$field [0-9]+$" <<<"$stat"
done
check stat/procs-running "procs_running counts no task (cat runs)" \
	grep -Eq '^procs_running [1-9][0-9]*$' <<<"$stat"

# /proc/cpuinfo: processor 0, 1... each with the fields programs read, as
# many as /proc/stat has cpuN lines, each entry ended by a blank line.
why=$(awk -v ncpus="$ncpus" -F '\t+: ?' '
	$1 == "processor" { if ($2 != n) { print "processor " $2 " where " n " was due"; exit } n++; delete seen }
	$1 != "" { seen[$1] = $2 }
	$0 == "" && n { if (seen["vendor_id"] == "" || seen["model name"] == "" || seen["cpu MHz"] !~ /^[0-9]+\.[0-9][0-9][0-9]$/ ||
			   seen["cpu family"] !~ /^[0-9]+$/ || seen["flags"] !~ /(^| )fpu( |$)/) { print "processor " n - 1 " lacks a field"; exit }
			ended++ }
	END { if (n != ncpus) print n " processor entries, " ncpus " cpuN lines in /proc/stat"
	      else if (ended != n) print "an entry does not end with a blank line" }
' <<<"$cpuinfo")
check cpuinfo/processors "${why:-}" [ -z "$why" ]

# ps: PSR is the number of a CPU that is up, TIME is HH:MM:SS.
why=$(awk -v ncpus="$ncpus" '
	NR == 1 { if ($7 != "PSR" || $8 != "TIME") { print "header: " $0; exit } next }
	$7 !~ /^[0-9]+$/ || $7 >= ncpus || $8 !~ /^([0-9]+-)?[0-9][0-9]:[0-9][0-9]:[0-9][0-9]$/ { print "line: " $0; exit }
	END { if (NR < 2) print "no task listed" }
' <<<"$ps")
check ps/psr-time "${why:-}" [ -z "$why" ]

# The shell's time: bash's three lines after a blank one, the exit status
# of what it timed, and, under --icount, the user time of a child that
# sums 30 million numbers (about 0.1 s of guest time there): not zero.
run_kernel --icount -- /bin/sh -c 'time psum 1 30000000; echo status $?; time nosuch; echo status $?'
expect_status time/boots 0
why=$(printf '%s\n' "$out" | awk '
	/^real\t/ { if (prev != "" || $0 !~ /^real\t[0-9]+m[0-9]+\.[0-9][0-9][0-9]s$/) { print "bad real line: " $0; exit }
		    getline u; getline s
		    if (u !~ /^user\t[0-9]+m[0-9]+\.[0-9][0-9][0-9]s$/ || s !~ /^sys\t[0-9]+m[0-9]+\.[0-9][0-9][0-9]s$/) { print "bad user/sys lines"; exit }
		    n++; if (n == 1 && u == "user\t0m0.000s") { print "no user time for psum"; exit } }
	{ prev = $0 }
	END { if (n != 2) print n + 0 " reports of time, want 2" }')
check time/bash-format "${why:-}" [ -z "$why" ]
expect_line time/status 'status 0' 'status 127'
finish
