/* fork, exit and waitpid with exit statuses, through musl. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	int status;

	printf("== abi-fork ==\n");
	for (int code = 0; code < 3; code++) {
		fflush(stdout);       /* or the child prints our buffer again */
		pid_t pid = fork();
		if (pid == 0) {
			printf("child %d running\n", code);
			exit(code * 21);
		}
		if (waitpid(pid, &status, 0) != pid) {
			perror("waitpid");
			return 1;
		}
		printf("child %d: exited %d, status %d\n", code, WIFEXITED(status),
		       WEXITSTATUS(status));
	}
	printf("no more children: %s\n", waitpid(-1, &status, 0) < 0 ? "yes" : "no");
	return 0;
}
