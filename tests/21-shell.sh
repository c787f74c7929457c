#!/usr/bin/env bash
# The shell on tasklab: each case boots `sh -c COMMAND` and checks the exit
# status and, when given, a line the output must contain (a grep -E regex
# matched against whole lines). The last cases type at an interactive
# shell, as a student does (tools/run --stdin).
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
	elif [ -n "$want_line" ] && ! grep -Eqx -- "$want_line" <<<"$log"; then
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
# The root is a RAM disk: files come and go (kernel/fs/ramfs.c).
check redirect-write 0 'x' 'echo x > /out; cat /out'
check redirect-append 0 '-rw-r--r-- +1 +0 +0 +4 /f' 'echo a > /f; echo b >> /f; ls -l /f'
check redirect-truncates 0 '-rw-r--r-- +1 +0 +0 +2 /f' 'echo longer > /f; echo x > /f; ls -l /f'
check mkdir-file-in-it 0 'in d' 'mkdir /d; echo in d > /d/f; cd /d; cat f'
check rm-file 1 'ls: /f: No such file or directory' 'echo x > /f; rm /f; ls /f'
check rm-dir-refused 1 'rm: /d: Is a directory' 'mkdir /d; rm /d'
check rmdir-not-empty 1 'rm: /d: Directory not empty' 'mkdir /d; echo x > /d/f; rm -d /d'
check rmdir 1 'ls: /d: No such file or directory' 'mkdir /d; echo x > /d/f; rm -d /d/f /d; ls /d'
check mkdir-exists 1 'mkdir: /bin: File exists' 'mkdir /bin'
check dev-null 0 'after' 'echo x > /dev/null; cat /dev/null; echo after'
check dev-tty 0 'to the terminal' 'echo to the terminal > /dev/tty'
check dev-stdin 0 'via stdin' 'echo via stdin > /f; cat /dev/stdin < /f'
check dev-fd 0 'via fd 0' 'echo via fd 0 > /f; cat /dev/fd/0 < /f'
check cd-ls 0 'usertests +[0-9]+' 'cd /bin; ls'
check ls-root 0 'bin/' 'ls'
check ls-l-dir 0 'drwxr-xr-x +2 +0 +0 +[0-9]+ bin' 'ls -l'
check ls-l-file 0 '-rwxr-xr-x +1 +0 +0 +[1-9][0-9]* sh' 'ls -l /bin | cat'
check ls-bad-option 2 'usage: ls \[-l\] \[PATH...\]' 'ls -x'
check pwd 0 '/bin' 'cd /bin; pwd'
check pwd-pipe 0 '/tests' 'cd /tests; pwd | cat'

# clear writes the ANSI "cursor home, erase screen"; no newline follows it.
log=$($RUN --timeout 60 -- /bin/sh -c 'clear' 2>&1)
if grep -q $'\e\\[H\e\\[2J' <<<"$log"; then
	echo "PASS shell/clear"
else
	echo "FAIL shell/clear: no ESC [H ESC [2J in the output"
	tail -n 5 <<<"$log" | cat -v
	failed=1
fi

# type LINE...: boot an interactive shell and, once it has printed its
# first prompt, type each LINE (printf escapes allowed) a second apart.
# Sets $log. (The pause times nothing: it is there because input typed
# the moment a prompt appeared was sometimes lost, QEMU having stopped
# reading the FIFO; not yet understood. The verdict is on the log only.)
type_at_prompts() {
	local dir line tries
	dir=$(mktemp -d)
	mkfifo "$dir/in"
	$RUN --stdin --timeout 60 -- /bin/sh <"$dir/in" >"$dir/log" 2>&1 &
	trap '' PIPE            # a kernel that died early shows in $log, not here
	exec {typing}>"$dir/in"
	for ((tries = 0; tries < 150; tries++)); do
		grep -q '^\$ ' "$dir/log" && break
		sleep 0.2
	done
	for line in "$@"; do
		sleep 1
		printf "$line" >&"$typing"
	done
	wait $!
	exec {typing}>&-
	log=$(cat "$dir/log")
	rm -rf "$dir"
}

# Ctrl-C drops the line being typed; the terminal echoes ^C and a newline,
# and the shell gives a new prompt at once, as bash does.
type_at_prompts 'echo abc\003' 'echo after\n' 'exit\n'
if grep -qx '\$ echo abc^C' <<<"$log" && grep -A1 -x '\$ echo abc^C' <<<"$log" | grep -qx '\$ echo after' &&
	grep -qx 'after' <<<"$log" && ! grep -qx 'abc' <<<"$log"; then
	echo "PASS shell/ctrl-c-new-prompt"
else
	echo "FAIL shell/ctrl-c-new-prompt: want '\$ echo abc^C', then '\$ echo after' on the next line"
	tail -n 8 <<<"$log"
	failed=1
fi

# Ctrl-Z stops the foreground job (here cat, reading the terminal); this
# shell has no fg, so it says so and goes on, the job's status 128+SIGTSTP.
type_at_prompts 'cat\n' '\032' 'echo status $?\n' 'exit\n'
if grep -q '^\[[0-9]*\] stopped$' <<<"$log" && grep -qx 'status 148' <<<"$log"; then
	echo "PASS shell/ctrl-z-stops-job"
else
	echo "FAIL shell/ctrl-z-stops-job: want '[PGID] stopped', then 'status 148'"
	tail -n 8 <<<"$log"
	failed=1
fi
exit $failed
