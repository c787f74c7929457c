#!/usr/bin/env bash
# The benchmarks, for correctness, not speed: each runs in --quick mode on
# tasklab under --icount and must measure every row (no failure, no zero)
# and pass its own sanity checks (a thread is cheaper than a fork; with
# eager copying, fork costs more the more memory there is). Asked with
# --machine, as tools/bench asks, they print BENCH and CHECK lines; at the
# shell, without it, only their tables. Timings and the comparison with
# Linux are `make bench`'s business. parbench and shootbench run on 2 CPUs
# under multi-threaded TCG, as tools/bench runs them; only that they
# measure every row is checked, and on tasklab that a munmap or mprotect
# sends a shootdown exactly when a thread runs on the other CPU.
. "$(dirname "$0")/lib.sh"

# Every row of benchmark $1 measured: $2 BENCH lines, none failed or zero
# (the case: $3-rows, or $1-rows).
expect_rows() {
	local bench=$1 want=$2 name=${3:-$1} got bad
	got=$(printf '%s\n' "$out" | grep -c "^BENCH $bench ")
	bad=$(printf '%s\n' "$out" | grep -E "^BENCH $bench " |
		grep -E ' failed$|cycles_median=0 |ns_median=0 ' | head -n 1)
	if [ "$got" != "$want" ]; then
		fail "$name-rows" "$got BENCH lines, expected $want"
	elif [ -n "$bad" ]; then
		fail "$name-rows" "not measured: $bad"
	else
		pass "$name-rows"
	fi
}

# The benchmark's own checks, each one a case here; the named ones must be there.
expect_checks() {
	local bench=$1 name
	shift
	for name in "$@"; do
		if has_line "^CHECK $bench/$name ok$"; then
			pass "$bench-$name"
		else
			fail "$bench-$name" "$(printf '%s\n' "$out" | grep "^CHECK $bench/$name" ||
				echo "no CHECK $bench/$name line")"
		fi
	done
	expect_status "$bench-status" 0
}

# No per-page cost below zero: only fork has one, and it never shrinks.
no_negative_per_page() {
	local bad
	bad=$(printf '%s\n' "$out" | grep -E '^BENCH forkscale ' | grep -E 'per_page_cycles=-|^BENCH forkscale (vfork|thread)_.*per_page')
	check forkscale-per-page "per-page cost where there is none, or negative: $bad" [ -z "$bad" ]
}

lacks_line() {
	! has_line "$1"
}

# At the shell: the table, and no line meant for programs.
expect_table_only() {
	local bench=$1
	expect_status "$bench-shell-status" 0
	expect_line "$bench-shell-table" '^# '"$bench"': ' 'ratio|cycles, median'
	check "$bench-shell-no-machine-lines" "lines for tools/bench printed without --machine" \
		lacks_line '^(BENCH|BENCHINFO|CHECK) '
}

run_kernel --icount -- /bin/sh -c 'spawnbench --quick'
expect_table_only spawnbench
check spawnbench-one-ratio-style "a ratio written as 1/N" lacks_line ' 1/[0-9]+ '

run_kernel --icount -- /bin/spawnbench --machine --quick
expect_rows spawnbench 6
expect_checks spawnbench all_measured thread_cheaper_than_fork

run_kernel --icount -- /bin/switchbench --machine --quick
expect_rows switchbench 4
expect_checks switchbench all_measured

# forkscale must find out from /proc/cmdline that fork copies eagerly.
run_kernel --icount --cmdline fork=copy -- /bin/forkscale --machine --quick
expect_line forkscale-mode '^BENCHINFO forkscale mode=copy$'
expect_rows forkscale 9
no_negative_per_page
expect_checks forkscale all_measured thread_cheaper_than_fork sharing_flat_in_size \
	eager_fork_grows_with_size

# ... and that fork shares the PTE tables (fork=odf): a few cycles a page
# where copy-on-write takes about a hundred.
run_kernel --icount --cmdline fork=odf -- /bin/forkscale --machine --quick
expect_line forkscale-odf-mode '^BENCHINFO forkscale mode=odf$'
expect_checks forkscale odf_fork_shares_tables

run_kernel --icount -- /bin/sh -c 'forkscale --quick'
expect_table_only forkscale

# clockbench is a musl program: its clock reads go through the vDSO.
run_kernel --icount -- /bin/clockbench --machine --quick
expect_rows clockbench 6
expect_checks clockbench vdso_cheaper

run_kernel --icount -- /bin/sh -c 'clockbench --quick'
expect_table_only clockbench

# 2 CPUs: one and two threads, then one and two processes.
run_kernel --cpus 2 -- /bin/parbench --machine --quick
expect_rows parbench 4
expect_checks parbench all_measured

# 2 CPUs: munmap and mprotect alone, then with a thread spinning on CPU 1.
# Counts, not times: alone no call sends a shootdown (but the munmap that
# frees a page table may tell a CPU that ran us before, lazily); with the
# spinner every call does (the mprotect pair: two).
run_kernel --cpus 2 -- /bin/shootbench --machine --quick
expect_rows shootbench 4
expect_checks shootbench all_cpus all_measured
expect_line shootbench-alone '^BENCH shootbench mprotect_spin0 .* shootdowns_per_call=0\.00$'
expect_line shootbench-munmap-shoots '^BENCH shootbench munmap_spin1 .* shootdowns_per_call=1\.00$'
expect_line shootbench-mprotect-shoots '^BENCH shootbench mprotect_spin1 .* shootdowns_per_call=2\.00$'

# 2 CPUs: the futex games pinned to one CPU, then to two.
run_kernel --cpus 2 -- /bin/switchbench --machine --pinned --quick
expect_rows switchbench 4 switchbench-pinned
expect_line switchbench-pinned-checks '^CHECK switchbench/all_measured ok$' \
	'^CHECK switchbench/threads_keep_cr3 ok$'
expect_status switchbench-pinned-status 0
finish
