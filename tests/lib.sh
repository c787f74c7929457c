# Shared helpers for the test suites (tests/NN-name.sh); see tests/run-all
# for the conventions. A suite starts with:  . "$(dirname "$0")/lib.sh"
#
# run_kernel ARGS...      boot with tools/run ARGS (with a timeout); sets
#                         $out (console + tools/run's messages) and $status
# pass CASE               print "PASS suite/CASE"
# fail CASE REASON        print "FAIL suite/CASE: REASON" and, once per run,
#                         the console output it was about
# check CASE REASON CMD.. pass if the command CMD... succeeds, else fail
# has_line RE             is there a line of $out matching the extended regex?
# expect_line CASE RE...  pass if every extended regex RE matches a line of $out
# expect_status CASE N    pass if $status is N
# same_shape A B          are texts A and B the same, numbers aside?
# finish                  the suite's exit status: 1 if any case failed
#
# Linux's answers, recorded by tools/linux-record in tests/abi/ and
# tests/linux/ (never taken from the host): four header lines, then the output.
# REC is a recording's path from the tree's top (tests/linux/threads.expected).
# recorded_field NAME REC the value of the header line "# NAME: VALUE" of REC
# recorded_output REC     the output recorded in REC
# recording_problem REC   why REC is not Linux's answer for the tree's sources
#                         (it is missing, or older than them), or nothing
# linux_answer NAME CASE  set $out and $status to tests/linux/NAME.expected's
#                         answer; if there is none, fail CASE and return 1
#
# For `threads ps` (user/threads.c runs ps while three threads sleep):
# tasks_of CMD            ps's "PID TID PPID S NLWP MM" for command CMD in $out
#                         (its 9th column)
# check_threads CASE MM   pass if threads shows as one process of 4 tasks, one MM

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
B=$top/build
[ "${UBSAN:-}" = 1 ] && B=$B/ubsan     # make test UBSAN=1: the UBSAN build
. "$top/tools/linux.sh"         # source_hash
SUITE=$(basename "$0" .sh)
SUITE=${SUITE#[0-9]*-}          # tests/12-boot.sh is suite "boot"
RUN_TIMEOUT=${RUN_TIMEOUT:-60}  # seconds; no boot may hang the test run

out= status= shown=true failures=0

# Set $out and $status for a fresh run; its output is shown on failure.
set_run_result() {
	out=$1 status=$2 shown=false
}

run_kernel() {
	local o s
	o=$("$top/tools/run" --timeout "$RUN_TIMEOUT" "$@" 2>&1)
	s=$?
	set_run_result "$o" "$s"
}

pass() {
	echo "PASS $SUITE/$1"
}

# The console output is indented so that its own PASS/FAIL lines (ktest
# prints some) are not counted by tests/run-all.
show_output() {
	$shown && return
	shown=true
	echo "    --- output (status $status) ---"
	printf '%s\n' "$out" | sed 's/^/    | /'
}

fail() {
	echo "FAIL $SUITE/$1: $2"
	failures=$((failures + 1))
	show_output
}

# Pass or fail CASE on a condition given as a command.
check() {
	local name=$1 reason=$2
	shift 2
	if "$@"; then pass "$name"; else fail "$name" "$reason"; fi
}

has_line() {
	printf '%s\n' "$out" | grep -Eq -- "$1"
}

expect_line() {
	local name=$1 re
	shift
	for re in "$@"; do
		has_line "$re" || { fail "$name" "no line matches /$re/"; return; }
	done
	pass "$name"
}

expect_status() {
	check "$1" "exit status $status, expected $2" [ "$status" = "$2" ]
}

# ps's lines for the command $1 in $out: "PID TID PPID S NLWP MM".
tasks_of() {
	printf '%s\n' "$out" | awk -v cmd="$1" '$9 == cmd { print $1, $2, $3, $4, $5, $6 }'
}

# The four tasks of `threads`: one PID, four TIDs (the first the PID),
# NLWP 4, asleep, and one MM, which matches the regex $2.
check_threads() {
	local name=$1 want_mm=$2 lines pids tids mms
	lines=$(tasks_of threads)
	pids=$(cut -d' ' -f1 <<<"$lines" | sort -u)
	tids=$(cut -d' ' -f2 <<<"$lines" | sort -u | wc -l)
	mms=$(cut -d' ' -f6 <<<"$lines" | sort -u)
	if [ "$(wc -l <<<"$lines")" != 4 ] || [ "$(wc -l <<<"$pids")" != 1 ] || [ "$tids" != 4 ]; then
		fail "$name" "want 4 tasks of one PID with 4 TIDs, got: $(echo $lines)"
	elif ! grep -qx "$pids $pids .* [0-9-]*" <<<"$lines"; then
		fail "$name" "no task has TID = PID (the group leader)"
	elif [ "$(cut -d' ' -f4,5 <<<"$lines" | sort -u)" != "S 4" ]; then
		fail "$name" "want state S and NLWP 4 for every thread: $(echo $lines)"
	elif [ "$(wc -l <<<"$mms")" != 1 ] || ! grep -Eqx -- "$want_mm" <<<"$mms"; then
		fail "$name" "want one MM (/$want_mm/) for the four tasks, got: $(echo $mms)"
	else
		pass "$name"
	fi
}

recorded_field() {
	head -n 4 "$top/$2" | sed -n "s/^# $1: //p"
}

recorded_output() {
	tail -n +5 "$top/$1"
}

# The header's "source: sha256 HASH of FILE..." must still hold for FILE...
recording_problem() {
	local rec=$1 source files
	if [ ! -f "$top/$rec" ]; then
		echo "no recording of Linux's answer ($rec); record it with tools/linux-record $rec"
		return
	fi
	source=$(recorded_field source "$rec")
	files=${source#* of }
	# shellcheck disable=SC2086  # the file names are words
	if [ "$files" = "$source" ]; then
		echo "$rec names no source files; re-record it with tools/linux-record $rec"
	elif [ "$source" != "$(source_hash $files)" ]; then
		echo "$files changed since $rec was recorded; re-record with tools/linux-record $rec"
	fi
}

linux_answer() {
	local rec=tests/linux/$1.expected problem
	problem=$(recording_problem "$rec")
	if [ -n "$problem" ]; then
		out= status= shown=true         # no output to show
		fail "$2" "$problem"
		return 1
	fi
	set_run_result "$(recorded_output "$rec")" "$(recorded_field status "$rec")"
}

# An example in README.md against a run, numbers aside: shape turns every
# number into N and runs of spaces into one; same_shape A B compares two
# texts so (A must not be empty).
shape() {
	sed -E 's/0x[0-9a-f]+/HEX/g; s/[0-9]+/N/g; s/ +/ /g; s/^ //'
}

same_shape() {
	[ -n "$1" ] && [ "$(shape <<<"$1")" = "$(shape <<<"$2")" ]
}

# The verdicts a program printed ("PASS PREFIX/case", "FAIL PREFIX/case: why"
# in $out), as this suite's cases, named GROUP/case.
relay_verdicts() {
	local prefix=$1 group=$2 line
	while read -r line; do
		case $line in
		"PASS $prefix/"*) pass "$group/${line#PASS $prefix/}" ;;
		"FAIL $prefix/"*) fail "$group/${line#FAIL $prefix/}" "${line#*: }" ;;
		esac
	done < <(printf '%s\n' "$out" | grep -E "^(PASS|FAIL) $prefix/")
}

finish() {
	[ "$failures" = 0 ]
}
