# The cow lab's tests (docs/labs/cow.md), run by `make grade LAB=cow`:
# copy-on-write fork, seen through /proc/self/pagemap (which frame backs
# each page, and whether another process maps it too) and MemAvailable.
# Every test also runs `cowtest share`: a fork that still copies every
# page (the skeleton's fallback) passes none of them.

lab_test share             15
lab_test last-user         15
lab_test private-writes    15
lab_test many-forks        15
lab_test fork-until-failure 10
lab_test usertests         10
lab_test kernel-cow        20

# The skeleton's fork copies instead of sharing: every suite of make test
# passes but the copy-on-write one (23-cow), and the kernel's unit tests of
# copy-on-write, which are this lab's kernel-cow test.
lab_outside boot usertests shell threads demos abi

# cowtest_cases CASE...: cowtest share and CASE... under copy-on-write (the
# default), each passed, and no page lost over the run.
cowtest_cases() {
	boot -- /bin/cowtest share "$@"
	want_passes cow share "$@" free-pages
	want_status 0
}

# After fork the child maps the parent's frame; its first write gives it
# a frame of its own; once it has gone, the parent's frame is its alone.
test_share() {
	cowtest_cases
}

# A write to a page another process still maps copies it, leaving the
# other its frame and data; a write to a page no other process maps any
# more takes it back as it is, in the same frame (page_refcount).
test_last_user() {
	cowtest_cases last-user
}

# Writes on either side stay there; MAP_SHARED stays shared; a read-only
# page made writable still copies; munmap in the parent leaves the
# child's pages.
test_private_writes() {
	cowtest_cases both-write shared-not-cow readonly-private munmap-while-shared
}

# 1000 forks of a 16 MiB process, each child writing one page: not one
# frame lost (each reference taken is dropped).
test_many_forks() {
	cowtest_cases many-forks
}

# A 16 MiB process forks until the task limit stops it: the children,
# killed and reaped, give back every frame.
test_fork_until_failure() {
	cowtest_cases fork-until-failure
}

# usertests' process and memory tests under copy-on-write: brk, mmap,
# mprotect, PROT_NONE pages, faults, and bad pointers given to the kernel
# (copy_to_user writes through a COW page too).
test_usertests() {
	local cases="wait fds badptr brk mmap mmap-fixed mmap-protnone mprotect mmap-shared
		malloc faults pipe-data exec-args"
	boot -- /bin/cowtest share
	want_passes cow share
	# shellcheck disable=SC2086
	boot -- /bin/usertests $cases
	# shellcheck disable=SC2086
	want_passes usertests $cases free-pages
	want_status 0
}

# The kernel's unit tests (tests/kernel/fork.c), on a made-up mm: the
# marking (both PTEs read-only and COW, one reference more), the write
# fault (copy or reuse, the references after), a write to a read-only
# region refused with the frame still shared, and copy_to_user into a
# shared page copying it as the program's own write would.
test_kernel_cow() {
	want_ktest fork_copy_page_range_cow fork_cow_fault fork_bad_faults fork_copy_to_mm_breaks_cow
}
