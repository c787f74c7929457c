#!/usr/bin/env bash
# The demos of the guided tour must show what they claim. sharedemo,
# crashdemo and ipcdemo run on tasklab, and the same facts must hold for
# what they printed on Linux (cases linux/...), recorded in
# tests/linux/DEMO.expected by tools/linux-record. `threads ps` runs as a
# student types it, at the shell.
. "$(dirname "$0")/lib.sh"

# check_DEMO PREFIX: the facts DEMO prints, in $out; case names start with PREFIX.

check_sharedemo() {
	local p=$1
	expect_status "${p}sharedemo/exit" 0
	expect_line "${p}sharedemo/thread-shares-fork-copies" \
		'^heap \(malloc\) +shared +copy ' '^global variable +shared +copy ' \
		'^file descriptors +shared +copy ' '^cwd +shared +copy ' '^signal handlers +shared +copy '
	expect_line "${p}sharedemo/thread-keeps-own" \
		'^stack \(rsp register\) +own +copy ' '^TLS \(fs register\) +own +copy ' '^errno +own +copy '
}

# The pre-fork server loses one worker and the bad request, nothing else;
# the threaded one dies whole, before it has answered as much.
check_crashdemo() {
	local p=$1 deaths answered
	expect_status "${p}crashdemo/exit" 0
	deaths=$(printf '%s\n' "$out" | grep -Ec '^  worker [0-9]+ died of SIGSEGV; the master forked worker [0-9]+ to replace it$')
	check "${p}crashdemo/worker-replaced" "want one worker dead of SIGSEGV and replaced, got $deaths" \
		[ "$deaths" = 1 ]
	expect_line "${p}crashdemo/prefork-answers-the-rest" '^  answered 8 of 9 requests; unanswered: 1$'
	expect_line "${p}crashdemo/threaded-server-dies" \
		'^  the server process died of SIGSEGV: all its threads died at once$'
	answered=$(printf '%s\n' "$out" | sed -n '/^threaded server:/,$s/^  answered \([0-9]*\) of 9 requests; unanswered: 1\( .*\)*$/\1/p')
	check "${p}crashdemo/threaded-answers-less" "the threaded server answered '$answered' of 9, want fewer than 8" \
		[ "${answered:-9}" -lt 8 ]
}

check_ipcdemo() {
	local p=$1
	expect_status "${p}ipcdemo/exit" 0
	expect_line "${p}ipcdemo/pipe" '^pipe: child [0-9]+ read "hello, child"$'
	expect_line "${p}ipcdemo/map-shared-seen" \
		'^MAP_SHARED page: the child added 1000; the parent reads 1000: seen$'
	expect_line "${p}ipcdemo/map-private-not-seen" \
		'^MAP_PRIVATE page: the child added 1000; the parent reads 0: not seen$'
}

for demo in sharedemo crashdemo ipcdemo; do
	run_kernel -- "/bin/$demo"
	"check_$demo" ""
	linux_answer "$demo" "linux/$demo/exit" && "check_$demo" linux/
done

# At the shell: three threads sleep while ps runs. One process of four
# tasks, all in one mm, which is neither the shell's nor ps's.
run_kernel -- /bin/sh -c 'threads ps'
expect_status shell-threads-ps/exit 0
check_threads shell-threads-ps/one-process "[0-9]+"
mms=$( (tasks_of threads | head -n 1; tasks_of sh; tasks_of ps) | cut -d' ' -f6)
check shell-threads-ps/own-mm "want three different MMs for threads, sh and ps, got: $(echo $mms)" \
	[ "$(sort -u <<<"$mms" | wc -l)" = 3 ]

# The README's `threads ps` example has the shape of this run: the same
# lines in the same order, each number standing for any number.
readme_block=$(awk '/^    \$ threads ps$/ { on = 1 } on && !/^    / { exit } on' "$top/README.md" |
	sed 's/^    //' | tail -n +2)
run_block=$(printf '%s\n' "$out" | sed -n '/^threads: pid /,/^threads: joined /p')
check shell-threads-ps/readme "README's block: $(shape <<<"$readme_block" | tr '\n' '|'); the run: $(shape <<<"$run_block" | tr '\n' '|')" \
	same_shape "$readme_block" "$run_block"
finish
