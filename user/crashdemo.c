/*
 * crashdemo: why Chrome runs each tab in a process of its own, and Postgres
 * each connection in a backend process: a crash stays in its process.
 *
 * The same small server, built twice. Requests (numbers) wait in a pipe;
 * three workers take them one at a time and write each one back to a
 * reply pipe when it is served. Request 1 hits a bug: a write through a
 * NULL pointer.
 *
 *   pre-fork server   the workers are processes; the master waits for them
 *                     with wait4 and forks a new worker for each that dies
 *   threaded server   the workers are threads of one process (run in a
 *                     child of ours, so that we live to tell)
 */
#include "ulib.h"

#define NWORKERS    3
#define NREQUESTS   9
#define BAD_REQUEST 1

static int requests[2], replies[2];     /* pipes: [0] to read, [1] to write */
static int *volatile nowhere;           /* NULL, hidden from the compiler */

static void serve(int req)
{
	if (req == BAD_REQUEST)
		*nowhere = req;                 /* the bug: a page fault, then SIGSEGV */
	msleep(20);                             /* the work */
	write(replies[1], &req, sizeof req);
}

/* Take requests until the pipe is empty and its write end closed. */
static void serve_all(void)
{
	int req;

	while (read(requests[0], &req, sizeof req) == sizeof req)
		serve(req);
}

/* Fill the request pipe and close its write end: when the requests run
 * out, a worker's read returns 0. The reply pipe stays open for writing. */
static void queue_requests(void)
{
	if (pipe(requests) < 0 || pipe(replies) < 0) {
		perror("crashdemo: pipe");
		exit(1);
	}
	for (int req = 1; req <= NREQUESTS; req++)
		write(requests[1], &req, sizeof req);
	close(requests[1]);
}

/* Close our end of the reply pipe, read every reply, and say which
 * requests got none. */
static void count_replies(void)
{
	bool answered[NREQUESTS + 1] = { false };
	int req, n = 0;

	close(replies[1]);
	while (read(replies[0], &req, sizeof req) == sizeof req)
		answered[req] = true, n++;
	close(replies[0]);
	close(requests[0]);
	printf("  answered %d of %d requests; unanswered:", n, NREQUESTS);
	for (req = 1; req <= NREQUESTS; req++)
		if (!answered[req])
			printf(" %d", req);
	printf("\n");
}

static const char *ending(int status)
{
	static char buf[32];

	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV)
		return "died of SIGSEGV";
	if (WIFSIGNALED(status))
		snprintf(buf, sizeof buf, "died of signal %d", WTERMSIG(status));
	else
		snprintf(buf, sizeof buf, "exited with status %d", WEXITSTATUS(status));
	return buf;
}

static pid_t start_worker(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		serve_all();
		_exit(0);
	}
	return pid;
}

static void prefork_server(void)
{
	int status, exited = 0;
	pid_t pid;

	queue_requests();
	printf("pre-fork server: master %d, workers", getpid());
	for (int i = 0; i < NWORKERS; i++)
		printf(" %d", start_worker());
	printf("\n");
	/* A worker that runs out of requests exits 0; one that crashed is
	 * replaced, and the new one takes the next request from the pipe. */
	while (exited < NWORKERS && (pid = wait4(-1, &status, 0, NULL)) > 0) {
		if (WIFSIGNALED(status))
			printf("  worker %d %s; the master forked worker %d to replace it\n", pid,
			       ending(status), start_worker());
		else
			exited++;
	}
	count_replies();
	printf("  the master lived on: the bad write faulted in one worker's own mm,\n"
	       "  and the kernel killed that process alone (fork gave each its own page tables)\n");
}

static mutex_t gate = MUTEX_INIT;

static void *worker_thread(void *unused)
{
	mutex_lock(&gate);              /* wait until the tids are printed */
	mutex_unlock(&gate);
	serve_all();
	return NULL;
}

/* The whole threaded server, in a process of its own. */
static void threaded_server(void)
{
	thread_t t[NWORKERS];

	mutex_lock(&gate);
	printf("threaded server: pid %d, worker threads", getpid());
	for (int i = 0; i < NWORKERS; i++) {
		if (thread_create(&t[i], worker_thread, NULL) != 0)
			_exit(1);
		printf(" %d", t[i]->tid);
	}
	printf("\n");
	mutex_unlock(&gate);
	for (int i = 0; i < NWORKERS; i++)
		thread_join(t[i], NULL);
	_exit(0);
}

static void run_threaded_server(void)
{
	int status;
	pid_t pid;

	queue_requests();
	if ((pid = fork()) == 0)
		threaded_server();
	wait4(pid, &status, 0, NULL);
	printf("  the server process %s: all its threads died at once\n", ending(status));
	count_replies();
	printf("  the threads share one mm and one set of signal handlers (CLONE_VM|CLONE_SIGHAND\n"
	       "  |CLONE_THREAD): a fatal signal ends the whole thread group\n");
}

int main(void)
{
	printf("crashdemo: %d requests, %d workers; request %d crashes whoever serves it.\n\n",
	       NREQUESTS, NWORKERS, BAD_REQUEST);
	prefork_server();
	printf("\n");
	run_threaded_server();
	return 0;
}
