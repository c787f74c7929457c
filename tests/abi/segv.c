/* A child dying of SIGSEGV, seen through WIFSIGNALED and WTERMSIG. */
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	int status;

	printf("== abi-segv ==\n");
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		*(volatile int *)0 = 1;
		_exit(0);
	}
	waitpid(pid, &status, 0);
	printf("signaled %d, signal %d (SIGSEGV is %d), exited %d\n", WIFSIGNALED(status),
	       WTERMSIG(status), SIGSEGV, WIFEXITED(status));
	return 0;
}
