/*
 * ipcdemo: a forked child shares nothing with its parent until the two ask
 * for it: through a pipe (a kernel object both hold fds for), or through
 * memory mapped MAP_SHARED before the fork. Memory mapped MAP_PRIVATE, as
 * all ordinary memory is, stays private: the child writes to its own copy.
 */
#include "ulib.h"

#define ADDS 1000

static pid_t wait_for(pid_t pid)
{
	int status;

	if (pid < 0 || waitpid(pid, &status, 0) != pid || status != 0) {
		printf("ipcdemo: the child failed\n");
		exit(1);
	}
	return pid;
}

static void through_a_pipe(void)
{
	static const char msg[] = "hello, child";
	char buf[64];
	int fds[2];

	if (pipe(fds) < 0) {
		perror("ipcdemo: pipe");
		exit(1);
	}
	pid_t pid = fork();
	if (pid == 0) {
		close(fds[1]);
		ssize_t n = read(fds[0], buf, sizeof buf - 1);
		buf[n > 0 ? n : 0] = '\0';
		printf("pipe: child %d read \"%s\"\n", getpid(), buf);
		exit(0);
	}
	close(fds[0]);
	printf("pipe: the parent writes \"%s\"\n", msg);
	write(fds[1], msg, strlen(msg));
	close(fds[1]);
	wait_for(pid);
	printf("  one pipe in the kernel: fork copied the fd table, and both copies point to it\n");
}

/* The child adds ADDS to a counter in a page mapped with flags; after it
 * has exited, what does the parent's counter say? */
static int child_adds(int flags)
{
	int *counter = mmap(NULL, 4096, PROT_READ | PROT_WRITE, flags | MAP_ANONYMOUS, -1, 0);

	if (counter == MAP_FAILED) {
		perror("ipcdemo: mmap");
		exit(1);
	}
	*counter = 0;                   /* the parent touches the page before the fork */
	pid_t pid = fork();
	if (pid == 0) {
		for (int i = 0; i < ADDS; i++)
			(*counter)++;
		_exit(0);
	}
	wait_for(pid);
	int seen = *counter;
	munmap(counter, 4096);
	return seen;
}

int main(void)
{
	printf("ipcdemo: a forked child shares nothing with its parent, unless they ask.\n\n");
	through_a_pipe();

	int shared = child_adds(MAP_SHARED);
	printf("MAP_SHARED page: the child added %d; the parent reads %d: %s\n", ADDS, shared,
	       shared == ADDS ? "seen" : "not seen");
	printf("  both page tables map the same frame: fork shares MAP_SHARED pages as they are\n");

	int private = child_adds(MAP_PRIVATE);
	printf("MAP_PRIVATE page: the child added %d; the parent reads %d: %s\n", ADDS, private,
	       private == ADDS ? "seen" : "not seen");
	printf("  fork made the page copy-on-write: the child's first write gave it a copy\n");
	return 0;
}
