# The fork lab's tests (docs/labs/fork.md), run by `make grade LAB=fork`:
# fork's copy of an address space, eager (fork=copy) and copy-on-write,
# with every frame given back, and the eager copy's cost measured.

lab_test page-tables       20
lab_test copy-isolation    15
lab_test copy-usertests    15
lab_test copy-no-leak      15
lab_test copy-out-of-memory 15
lab_test cow-fork          10
lab_test copy-costs        10

# fork fails in the skeleton: of make test, only what never forks passes
# (init and sh start programs with vfork; docs/labs/fork.md). The kernel's
# unit tests of copy_page_range are this lab's page-tables test.
lab_outside boot shell

# The kernel's unit tests (tests/kernel/fork.c): copy_page_range on a
# made-up mm, in both modes: every page and permission copied, the frames
# counted, and no page table made for what maps nothing.
test_page_tables() {
	want_ktest fork_copy_page_range_copy fork_copy_page_range_cow
}

# fork=copy: the child's memory is its own from the start, only shared
# mappings are shared, and an exec'd child runs.
test_copy_isolation() {
	boot --cmdline fork=copy -- /bin/cowtest share shared-not-cow both-write \
		readonly-private last-user munmap-while-shared exec-after-fork
	want_passes cow share shared-not-cow both-write readonly-private last-user \
		munmap-while-shared exec-after-fork
	want_status 0
}

# fork=copy: what every program expects of fork (usertests' process,
# file and memory tests, each run in a forked child).
test_copy_usertests() {
	local cases="wait zombie orphan ids kill exec-args pipe-data fds brk mmap mmap-fixed
		mmap-protnone mprotect mmap-shared malloc faults"
	# shellcheck disable=SC2086
	boot --cmdline fork=copy -- /bin/usertests $cases
	# shellcheck disable=SC2086
	want_passes usertests $cases free-pages
	want_status 0
}

# fork=copy: 20 forks of a 16 MiB process, each child writing one page,
# and not one page lost.
test_copy_no_leak() {
	boot --cmdline fork=copy -- /bin/cowtest many-forks
	want_passes cow many-forks free-pages
	want_status 0
}

# fork=copy: a 16 MiB process forks until memory runs out part-way
# through a copy; fork fails with ENOMEM and gives back what it copied.
test_copy_out_of_memory() {
	boot --cmdline fork=copy -- /bin/cowtest fork-until-failure
	want_passes cow fork-until-failure free-pages
	want_status 0
}

# The default, fork=cow: your dup_mmap and copy_page_range walk the same
# tables; copy_one_pte shares the pages instead of copying them.
test_cow_fork() {
	boot -- /bin/cowtest
	want_passes cow share shared-not-cow both-write readonly-private last-user \
		munmap-while-shared exec-after-fork many-forks fork-until-failure free-pages
	want_status 0
}

# forkscale under --icount (instructions for cycles: the same numbers on
# every machine): every row measured, and an eager fork that costs more
# with more memory touched.
test_copy_costs() {
	boot --icount --cmdline fork=copy -- /bin/forkscale --quick
	want_line '\(fork copies memory by copy\)'
	local failed
	failed=$(lines '^forkscale: check .* failed' | head -n 1)
	[ -z "$failed" ] || why "$failed"
	want_status 0
}
