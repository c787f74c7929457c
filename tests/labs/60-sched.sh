# The sched lab's tests (docs/labs/sched.md), run by `make grade LAB=sched`.
# tools/lab sources this file: the list of tests with their points, then
# one function per test, which boots the kernel and checks what the
# programs printed and their exit status (helpers: tools/lab, "grade").
# Every boot runs under --icount: guest time is instructions, so the same
# kernel gives the same shares and latencies on every machine. And on one
# CPU (--cpus 1, whatever make test CPUS=N says): the tests are about how
# the tasks share that one CPU; on two, two busy children each have one.

lab_test share-two        20
lab_test share-three      20
lab_test share-negative   15
lab_test no-starvation    20
lab_test latency          25

# check_shares TOLERANCE: every child of `schedtest share` had a share of
# the CPU within TOLERANCE tenths of a percentage point of its weight's,
# and /proc showed each one's nice value.
check_shares() {
	local verdict
	want_status 0
	want_count 0 '/proc says nice'
	verdict=$(lines '^child [0-9]+ nice ' | awk -v tol="$1" '
		{ nice = $4; got = $7; want = $13
		  sub(/:/, "", nice); sub(/%.*/, "", got); sub(/%.*/, "", want)
		  d = (got - want) * 10; if (d < 0) d = -d
		  if (d > tol && !why) why = "the nice " nice " child had " got "% of the CPU, its weight asks for " want "%" }
		END { if (NR == 0) why = "no child lines"; print why }')
	[ -z "$verdict" ] || why "$verdict (within $(($1 / 10)).$(($1 % 10)) points)"
}

# Two busy children, nice 0 and 5: weights 1024 and 335.
test_share_two() {
	boot --icount --cpus 1 -- /bin/schedtest share 300 0 5
	check_shares 30
}

test_share_three() {
	boot --icount --cpus 1 -- /bin/schedtest share 300 0 5 10
	check_shares 30
}

# Below zero too: nice -10 weighs 9548, nice 10 weighs 110.
test_share_negative() {
	boot --icount --cpus 1 -- /bin/schedtest share 300 -10 0 10
	check_shares 30
}

# A nice 19 child beside two nice 0 ones gets its 0.7%: a few ticks in 5 s,
# but never none.
test_no_starvation() {
	boot --icount --cpus 1 -- /bin/schedtest share 500 0 0 19
	check_shares 30
	[ "$(lines '^child 2 nice 19: ' | awk '{ print $5 }')" -gt 0 ] 2>/dev/null ||
		why "the nice 19 child never ran in 500 ticks"
}

# A task that sleeps 10 ms at a time beside four busy ones. Its sleep ends
# at a timer tick, up to 10 ms after the 10 ms; it must then run within a
# tick, not after the running task's slice (20 ms) or the whole queue's.
test_latency() {
	boot --icount --cpus 1 -- /bin/schedtest latency 4 20
	want_status 0
	local late
	late=$(lines '^schedtest: 20 sleeps' | sed -n 's/.*late by \([0-9]*\) us at most.*/\1/p')
	[ -n "$late" ] || why "no line 'schedtest: 20 sleeps ... late by N us at most'"
	[ "$late" -le 20000 ] || why "a sleep of 10 ms ended $late us late: want 20000 at most"
}
