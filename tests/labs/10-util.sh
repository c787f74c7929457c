# The util lab's tests (docs/labs/util.md), run by `make grade LAB=util`.
# tools/lab sources this file: the list of tests with their points, then
# one function per test, which boots the kernel and checks what the
# program printed and its exit status (helpers: tools/lab, "grade").

lab_test pingpong          10
lab_test pingpong-rounds   10
lab_test primes            15
lab_test primes-1000       15
lab_test psum              15
lab_test psum-uneven       15

# One ping and one pong line, the ping first, from two processes.
check_ping_pong() {
	want_count 1 '^[0-9]+: received ping$'
	want_count 1 '^[0-9]+: received pong$'
	local ping pong
	ping=$(lines '^[0-9]+: received ping$' | cut -d: -f1)
	pong=$(lines '^[0-9]+: received pong$' | cut -d: -f1)
	[ "$ping" != "$pong" ] || why "ping and pong both printed by process $ping: want the child and the parent"
	[ "$(lines 'received p[io]ng$' | head -n 1)" = "$ping: received ping" ] ||
		why "pong was printed before ping: the parent must wait for the child's reply"
}

test_pingpong() {
	boot -- /bin/pingpong
	want_status 0
	check_ping_pong
	want_line 'pingpong: 1 round trips, [0-9]+ ns each'
}

test_pingpong_rounds() {
	boot -- /bin/pingpong 1000
	want_status 0
	check_ping_pong
	want_line 'pingpong: 1000 round trips, [0-9]+ ns each'
}

# check_primes N: "prime P (pid X)" for every prime P <= N, in order, each
# from a process of its own, and the count that came back through the
# exit statuses.
check_primes() {
	local n=$1 want got pids
	want=$(awk -v n="$n" 'BEGIN { for (i = 2; i <= n; i++) { for (d = 2; d * d <= i && i % d; d++); if (d * d > i) print i } }')
	got=$(lines '^prime [0-9]+ \(pid [0-9]+\)$' | cut -d' ' -f2)
	[ "$got" = "$want" ] || why "$(paste -d' ' <(echo "$want") <(echo "$got") |
		awk -v n="$n" '$1 != $2 { print "prime number " NR " up to " n " is " $1 ", got " ($2 == "" ? "no line" : $2); exit }')"
	pids=$(lines '^prime [0-9]+ \(pid [0-9]+\)$' | sed 's/.*pid \([0-9]*\))$/\1/' | sort -u | wc -l)
	[ "$pids" = "$(wc -l <<<"$want")" ] ||
		why "$(wc -l <<<"$want") primes printed by $pids processes: want one process per prime"
	want_line "primes: $(wc -l <<<"$want") primes up to $n, each found by a process of its own"
}

test_primes() {
	boot -- /bin/primes
	want_status 0
	check_primes 35
}

test_primes_1000() {
	boot -- /bin/primes 1000
	want_status 0
	check_primes 1000
}

# check_psum N THREADS: the slices cover 1..N in order, with sizes that
# differ by at most one, each summed right by a thread of its own (a tid
# that is neither another slice's nor the process's pid), and the total.
check_psum() {
	local n=$1 threads=$2 pid verdict
	want_count "$threads" '^slice [0-9]+: '
	want_line "psum: 1\\.\\.$n = $((n * (n + 1) / 2)) with $threads threads in [0-9]+ us \\(pid [0-9]+\\)"
	pid=$(lines '^psum: ' | sed 's/.*(pid \([0-9]*\))$/\1/')
	verdict=$(lines '^slice [0-9]+: ' | awk -v n="$n" -v pid="$pid" '
		function bad(msg) { if (!why) why = msg }
		{ split($3, r, /\.\./); lo = r[1] + 0; hi = r[2] + 0; sum = $5 + 0; tid = $8 + 0
		  size = hi - lo + 1 }
		lo != end + 1 { bad("slice " $2 " starts at " lo ", want " end + 1) }
		sum != (lo + hi) * size / 2 { bad("slice " $2 " sums " lo ".." hi " to " sum) }
		tid == pid || seen[tid]++ { bad("tid " tid " summed two slices, or is the process itself") }
		NR == 1 || size < min { min = size }
		NR == 1 || size > max { max = size }
		{ end = hi }
		END {
			if (end != n) bad("the slices end at " end ", want " n)
			if (max - min > 1) bad("slices of " min " to " max " numbers: want sizes that differ by one at most")
			print why
		}')
	[ -z "$verdict" ] || why "$verdict"
}

test_psum() {
	boot -- /bin/psum
	want_status 0
	check_psum 1000000 4
}

test_psum_uneven() {
	boot -- /bin/psum 7 1000003
	want_status 0
	check_psum 1000003 7
}
