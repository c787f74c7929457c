/*
 * init, process 1. The kernel passes the words after `--` on its command
 * line as our arguments: run that command and exit with its status, which
 * powers the machine off and becomes tools/run's status. Without arguments,
 * run the shell. Either way, reap every child that exits: orphans are given
 * to us, and a dead process stays a zombie until someone waits for it.
 */
#include "ulib.h"

/* The shell's convention: 128+N for a death by signal N. */
static int exit_code(int status)
{
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

/* vfork, not fork: the child only execs, so nothing needs copying, and
 * init runs even where fork cannot (the fork lab's skeleton, docs/labs/fork.md). */
static pid_t spawn(char **argv)
{
	pid_t pid = vfork();

	if (pid == 0) {
		execvp(argv[0], argv);
		fprintf(stderr, "init: %s: %s\n", argv[0], strerror(errno));
		_exit(errno == ENOENT ? 127 : 126);
	}
	if (pid < 0)
		perror("init: vfork");
	return pid;
}

/* Wait for pid, reaping whichever other children exit in the meantime. */
static int wait_for(pid_t pid)
{
	int status;
	pid_t got;

	while ((got = wait(&status)) != pid)
		if (got < 0 && errno != EINTR)
			return 127;
	return exit_code(status);
}

int main(int argc, char **argv)
{
	static char *shell[] = { "/bin/sh", NULL };
	char **cmd = argc > 1 ? argv + 1 : shell;
	pid_t pid = spawn(cmd);

	if (pid < 0)
		return 127;
	int code = wait_for(pid);
	return argc > 1 ? code : 0;
}
