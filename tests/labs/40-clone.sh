# The clone lab's tests (docs/labs/clone.md), run by `make grade LAB=clone`:
# what clone's flags share and what they copy, the rules that refuse
# flags which make no sense together, and the thread library's requests
# (SETTLS, PARENT_SETTID, CHILD_SETTID, CHILD_CLEARTID), down to musl's
# pthreads.

lab_test sharedemo         20
lab_test flag-rules        20
lab_test thread-usertests  20
lab_test clone-tids        15
lab_test musl-pthreads     15
lab_test psum              10

# The skeleton refuses what threads need; fork and vfork work. Every
# other suite of make test starts a thread somewhere (the kernel's unit
# tests of the flag rules are this lab's flag-rules test).
lab_outside boot shell

# sharedemo: a thread shares the fd table, the cwd and the signal
# handlers with main, and has a TLS block of its own; a forked child has
# copies of everything.
test_sharedemo() {
	boot -- /bin/sharedemo
	want_line 'heap \(malloc\) +shared +copy .*' \
		'file descriptors +shared +copy .*' \
		'cwd +shared +copy .*' \
		'signal handlers +shared +copy .*' \
		'TLS \(fs register\) +own +copy .*' \
		'errno +own +copy .*'
	want_status 0
}

# Linux's rules: CLONE_THREAD needs CLONE_SIGHAND, CLONE_SIGHAND needs
# CLONE_VM, init may not CLONE_PARENT; a TLS outside user memory is EPERM.
# The kernel's unit tests call check_clone_flags itself; usertests makes
# the system calls.
test_flag_rules() {
	want_ktest clone_flags_rejected clone_flags_accepted
	boot -- /bin/usertests clone-flags
	want_passes usertests clone-flags
	want_status 0
}

# Threads: one memory, one fd table, their own tids, stacks and errno (by
# their TLS), joined through CHILD_CLEARTID's futex wake, and exit and
# exec ending them all.
test_thread_usertests() {
	local cases="thread-memory thread-files thread-ids thread-join thread-exit thread-exec
		arch-prctl"
	# shellcheck disable=SC2086
	boot -- /bin/usertests $cases
	# shellcheck disable=SC2086
	want_passes usertests $cases free-pages
	want_status 0
}

# CLONE_PARENT_SETTID writes the tid into the parent's memory before
# clone returns; CLONE_CHILD_SETTID into the child's (its copy, here).
test_clone_tids() {
	boot -- /bin/usertests clone-tids
	want_passes usertests clone-tids
	want_status 0
}

# musl's pthread_create, join, mutexes, __thread and timed waits
# (tests/abi/pthread.c, built with musl-gcc): what it printed on Linux.
test_musl_pthreads() {
	boot -- /tests/abi-pthread
	want_count 4 '^thread [0-3] returned 10[0-3]0$'
	want_line 'counter 40000 \(want 40000\)' "main's __thread copy: 100" \
		'trylock of a held mutex: EBUSY' 'timed wait: ETIMEDOUT'
	want_status 0
}

# psum (the util lab's threads) sums 1..1000003 in 7 threads.
test_psum() {
	boot -- /bin/psum 7 1000003
	want_count 7 '^slice [0-9]+: '
	want_line 'psum: 1\.\.1000003 = 500003500006 with 7 threads in [0-9]+ us \(pid [0-9]+\)'
	want_status 0
}
