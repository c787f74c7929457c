/*
 * threads: start three threads, run a command while they exist, join them.
 *
 *   threads [PROG [ARG...]]      e.g.  threads ps
 *
 * The threads wait on a mutex the first thread holds, so they sleep in
 * FUTEX_WAIT while PROG runs: `threads ps` shows one process (one PID,
 * one Mm) made of four tasks (four TIDs), next to ps itself.
 */
#include "ulib.h"

#define NTHREADS 3

static mutex_t gate = MUTEX_INIT;

static void *worker(void *arg)
{
	mutex_lock(&gate);              /* sleeps until main opens the gate */
	mutex_unlock(&gate);
	return arg;
}

/* Is task tid of process pid asleep? Its state is the letter after "(comm) ". */
static bool asleep(pid_t pid, pid_t tid)
{
	char path[64], buf[256], *p;
	int fd, n;

	snprintf(path, sizeof path, "/proc/%d/task/%d/stat", pid, tid);
	if ((fd = open(path, O_RDONLY)) < 0)
		return false;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return (p = strrchr(buf, ')')) && p[1] == ' ' && p[2] == 'S';
}

/* In the child: wait until the parent sleeps in waitpid and its threads on
 * the gate, so that PROG sees them settled, not a moment of their start. */
static void wait_for_sleepers(pid_t parent, const thread_t *t)
{
	for (int tries = 0; tries < 100000; tries++) {
		bool all = asleep(parent, parent);
		for (int i = 0; i < NTHREADS && all; i++)
			all = asleep(parent, t[i]->tid);
		if (all)
			return;
		sched_yield();
	}
}

/* Run argv[0] in a child process and wait for it. */
static void run(char **argv, const thread_t *t)
{
	int status;
	pid_t parent = getpid(), pid = fork();

	if (pid == 0) {
		wait_for_sleepers(parent, t);
		execvp(argv[0], argv);
		fprintf(stderr, "threads: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		fprintf(stderr, "threads: cannot run %s: %s\n", argv[0], strerror(errno));
}

int main(int argc, char **argv)
{
	thread_t t[NTHREADS];
	int err;

	mutex_lock(&gate);
	printf("threads: pid %d, main tid %d, threads:", getpid(), gettid());
	for (long i = 0; i < NTHREADS; i++) {
		if ((err = thread_create(&t[i], worker, (void *)i))) {
			fprintf(stderr, "threads: thread_create: %s\n", strerror(err));
			return 1;
		}
		printf(" %d", t[i]->tid);       /* clone wrote it (CLONE_PARENT_SETTID) */
	}
	printf("\n");
	if (argc > 1)
		run(argv + 1, t);
	mutex_unlock(&gate);
	for (long i = 0; i < NTHREADS; i++) {
		void *result;
		thread_join(t[i], &result);
		if ((long)result != i)
			printf("threads: thread %ld returned %ld\n", i, (long)result);
	}
	printf("threads: joined %d threads\n", NTHREADS);
	return 0;
}
