/* A child given a non-canonical stack by clone() dies of SIGSEGV; the kernel
 * (whose iretq/sysret would fault on such an address) carries on. */
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	int status;
	pid_t pid;

	printf("== abi-badstack ==\n");
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		long r = syscall(SYS_clone, SIGCHLD, 0x0000900000000000UL, 0, 0, 0);
		if (r == 0)
			for (;;)
				;
		waitpid(r, &status, 0);
		printf("child with a bad stack: signaled %d, signal %d\n", WIFSIGNALED(status),
		       WTERMSIG(status));
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	printf("the first child exited with %d\n", WEXITSTATUS(status));
	return 0;
}
