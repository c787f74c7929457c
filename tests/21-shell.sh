#!/usr/bin/env bash
# The shell on tasklab: each case boots `sh -c COMMAND` and checks the exit
# status and, when given, a line the output must contain (a grep -E regex
# matched against whole lines).
set -u
cd "$(dirname "$0")/.."
RUN=${RUN:-tools/run}        # another runner can stand in, to test this script
failed=0

# check NAME STATUS LINE COMMAND
check() {
	local name=$1 want_status=$2 want_line=$3 cmd=$4 log status
	log=$($RUN --timeout 60 -- /bin/sh -c "$cmd" 2>&1)
	status=$?
	if [ "$status" != "$want_status" ]; then
		echo "FAIL shell/$name: \`$cmd\` exited $status, want $want_status"
	elif [ -n "$want_line" ] && ! grep -Eqx "$want_line" <<<"$log"; then
		echo "FAIL shell/$name: \`$cmd\` did not print a line matching /$want_line/"
	else
		echo "PASS shell/$name"
		return
	fi
	tail -n 15 <<<"$log"
	failed=1
}

check pipe 0 'hi' 'echo hi | cat'
check long-pipeline 0 'a b c' 'echo a b c | cat | cat | cat | cat | cat | cat | cat'
check not-found 127 'sh: nosuch: command not found' 'nosuch'
check status-variable 0 'status 127' 'nosuch; echo status $?'
check exit-status 3 '' 'exit 3'
check quotes 0 'a  b c' "echo 'a  b' \"c\""
check background 0 'bg' 'echo bg & wait'
check redirect-in 0 'this is not an executable' 'cat < /tests/notelf'
check redirect-read-only 1 'sh: /out: Read-only file system' 'echo x > /out'
check cd-ls 0 'usertests +[0-9]+' 'cd /bin; ls'
check ls-root 0 'bin/' 'ls'
exit $failed
