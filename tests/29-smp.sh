#!/usr/bin/env bash
# Several CPUs (smptest's cases, named by the CPU count): affinity and
# getcpu as on Linux; two threads of one process running at the same time;
# a munmap by a process with one thread sends no TLB shootdown, one with a
# thread running on another CPU does; the stale-TLB test (a thread on
# another CPU reads a page while it is unmapped: once munmap has returned,
# the next read must fault, every round); a signal to a thread spinning in
# user mode on another CPU reaches it at once, by a kick IPI, not at that
# CPU's next tick; the vDSO's getcpu agrees with the system call's on each
# CPU; and on 4 CPUs the fork and thread bombs end in
# EAGAIN/ENOMEM with every page given back.
# suite-timeout: 900
. "$(dirname "$0")/lib.sh"

# Run smptest on `cpus` CPUs; report each of its verdicts under cpus/.
smptest() {
	local cpus=$1
	shift
	run_kernel --cpus "$cpus" --timeout 120 -- /bin/smptest "$@"
	relay_verdicts smptest "$cpus"
	expect_status "$cpus/$1-status" 0
}

smptest 1 affinity 1
for cpus in 2 4; do
	smptest $cpus affinity $cpus
	smptest $cpus parallel
	smptest $cpus shootdowns
	smptest $cpus stale-tlb 300
	smptest $cpus kick 50
done

# The vDSO's getcpu and the system call's, pinned to each CPU in turn
# (abi/vdso: 40-abi holds its one-CPU answer to Linux's).
run_kernel --cpus 2 -- /tests/abi-vdso --each-cpu
expect_line 2/vdso-getcpu '^getcpu pinned to CPU 0: vDSO 0, system call 0$' \
	'^getcpu pinned to CPU 1: vDSO 1, system call 1$'

run_kernel --cpus 4 --timeout 300 -- /bin/usertests forkbomb threadbomb thread-exit zombie
expect_line 4/bombs '^PASS usertests/forkbomb$' '^PASS usertests/threadbomb$' \
	'^PASS usertests/free-pages$' '^usertests: 5 passed, 0 failed$'
expect_status 4/bombs-status 0
finish
