# The futex lab's tests (docs/labs/futex.md), run by `make grade LAB=futex`.
# tools/lab sources this file: the list of tests with their points, then
# one function per test, which boots the kernel and checks what the
# programs printed and their exit status (helpers: tools/lab, "grade").
# The suites a handout passes without this lab (the self-check runs them):
# the demos, threads, usertests and cow (which runs usertests again, with
# fork copying) start threads of ulib's, and abi's futexmem and sigsleep
# call futex themselves.
lab_outside shell

lab_test futex-wait       20
lab_test futex-shared     10
lab_test thread-join      15
lab_test mutex            20
lab_test threads          25
lab_test pthread          10

# usertests_one TEST: usertests runs TEST alone and passes it.
usertests_one() {
	boot -- /bin/usertests "$1"
	want_line "PASS usertests/$1"
	want_status 0
}

# WAIT sleeps while the word holds val (EAGAIN otherwise), times out after
# a relative or an absolute deadline, and checks its arguments; WAKE with
# no waiter wakes no one.
test_futex_wait() {
	usertests_one futex
}

# A futex in MAP_SHARED memory: a waiter in one process, a waker in another.
test_futex_shared() {
	usertests_one futex-shared
}

# The kernel's wake at a thread's exit (CLONE_CHILD_CLEARTID) ends a
# FUTEX_WAIT on the tid word, and thread_join returns after it.
test_thread_join() {
	usertests_one thread-join
}

# mutex_lock keeps a second thread out while the first sleeps holding the
# lock, and mutex_unlock lets it in.
test_mutex() {
	usertests_one mutex
}

# Three threads sleep on a mutex while ps lists them (state S: asleep in
# the kernel, not spinning); then all are joined, each with its result.
test_threads() {
	boot -- /bin/threads /bin/ps
	want_status 0
	want_count 4 '^ +[0-9]+ +[0-9]+ +[0-9]+ S +4 +[0-9]+ +[0-9]+ +[0-9:-]+ threads$'
	want_count 0 '^threads: thread [0-9]+ returned'
	want_line 'threads: joined 3 threads'
}

# musl's pthreads on our futex: join, a mutex-protected counter, a timed
# condition wait that must time out. (musl spins where a futex fails, so
# this one checks that a futex that works does not break musl.)
test_pthread() {
	boot -- /tests/abi-pthread
	want_status 0
	want_line 'thread 3 returned 1030' 'counter 40000 \(want 40000\)' 'timed wait: ETIMEDOUT'
}
