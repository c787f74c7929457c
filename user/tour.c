/*
 * The program the gdb tour in README.md steps through (tools/gdb/tour-*.gdb):
 * a fork whose child writes to memory it shares copy-on-write with its
 * parent, then a thread (ulib's thread_create: clone(2) sharing everything).
 * It prints what each one saw, so it also makes sense run on its own (or
 * on Linux: it uses only Linux's system calls).
 */
#include "ulib.h"

/* In the data segment, so the parent has touched its page before the fork
 * (a page never touched is not copied on write: it is not there yet). */
static int counter = 100;

static void child_main(void)
{
	counter = 200;          /* its first write to this page: a COW fault */
	printf("child: pid %d set counter = %d\n", getpid(), counter);
	exit(0);
}

static void *thread_main(void *arg)
{
	counter = 300;          /* main's memory: no copy, main sees it */
	printf("thread: tid %d in process %d set counter = %d\n", gettid(), getpid(), counter);
	return NULL;
}

int main(void)
{
	thread_t thread;
	int status;
	pid_t pid = fork();

	if (pid < 0) {
		perror("tour: fork");
		return 1;
	}
	if (pid == 0)
		child_main();
	waitpid(pid, &status, 0);
	printf("parent: pid %d still has counter = %d\n", getpid(), counter);

	if (thread_create(&thread, thread_main, NULL) != 0) {
		printf("tour: thread_create failed\n");
		return 1;
	}
	thread_join(thread, NULL);
	printf("parent: after the thread, counter = %d\n", counter);
	return 0;
}
