/*
 * The three ways to start a task that spawnbench and forkscale both time:
 * each starts one that ends at once, and waits for it.
 */
#include "bench.h"

static bool exited_ok(pid_t pid)
{
	int status;
	return pid > 0 && waitpid(pid, &status, 0) == pid && status == 0;
}

bool fork_exit_wait(void *unused)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	return exited_ok(pid);
}

bool vfork_exit_wait(void *unused)
{
	pid_t pid = vfork();

	if (pid == 0)
		_exit(0);
	return exited_ok(pid);
}

static void *thread_body(void *unused)
{
	return NULL;
}

bool thread_create_join(void *unused)
{
	thread_t t;

	if (thread_create(&t, thread_body, NULL) != 0)
		return false;
	thread_join(t, NULL);
	return true;
}

bool fork_exec_wait(void *path)
{
	char *argv[] = { path, NULL };
	pid_t pid = fork();

	if (pid == 0) {
		execv(argv[0], argv);
		_exit(127);
	}
	return exited_ok(pid);
}
