/* Issue 15, items 5-7, 12, 13: signals. Each case runs in a process of its own
 * (abicase.h), since on tasklab some of them kill it. */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <sys/syscall.h>
#include "abicase.h"

static volatile sig_atomic_t handled;

static void count(int sig) { handled++; }

static void catch(int sig, void (*fn)(int), int flags)
{
	struct sigaction sa = { .sa_handler = fn, .sa_flags = flags };

	sigaction(sig, &sa, NULL);
}

static void block(int sig)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_BLOCK, &set, NULL);
}

static void unblock(int sig)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

/* A child that sends us sig after 100 ms and, if fd >= 0, writes a byte
 * to fd 100 ms later: the signal comes while we sleep in a system call. */
static void signal_me_later(int sig, int fd)
{
	pid_t parent = getpid();

	fflush(stdout);
	if (fork() == 0) {
		sleep_ms(100);
		kill(parent, sig);
		sleep_ms(100);
		if (fd >= 0)
			write(fd, "x", 1);
		_exit(0);
	}
}

/* [5] A blocked signal does not cut a sleep short: it stays pending. */
static void blocked_vs_nanosleep(void)
{
	struct timespec ts = { 1, 0 };
	long r;

	catch(SIGUSR1, count, 0);
	block(SIGUSR1);
	signal_me_later(SIGUSR1, -1);
	r = nanosleep(&ts, NULL);
	unblock(SIGUSR1);
	say("nanosleep %s; handler runs %d time(s) once unblocked", result(r),
	    (int)handled);
}

/* [5] Nor a blocking pipe read: it returns the byte that comes later. */
static void blocked_vs_read(void)
{
	int fds[2];
	char c;
	long r;

	pipe(fds);
	catch(SIGUSR1, count, 0);
	block(SIGUSR1);
	signal_me_later(SIGUSR1, fds[1]);
	r = read(fds[0], &c, 1);
	unblock(SIGUSR1);
	say("read %s; handler runs %d time(s) once unblocked", result(r),
	    (int)handled);
}

/* [5] The same with SIGCHLD, blocked, from a child that exits. */
static void blocked_sigchld_vs_nanosleep(void)
{
	struct timespec ts = { 1, 0 };

	block(SIGCHLD);
	fflush(stdout);
	if (fork() == 0) {
		sleep_ms(100);  /* so that we sleep when SIGCHLD comes */
		_exit(0);
	}
	say("nanosleep %s", result(nanosleep(&ts, NULL)));
}

static char stack[64 * 1024] __attribute__((aligned(16)));

static int exec_exit0(void *arg)
{
	execl(self_path, self_path, "exit0", (char *)NULL);
	_exit(99);
}

/* [6] A CLONE_SIGHAND child (not a thread) that execs gets a handler
 * table of its own; ours keeps our handler. tasklab resets the shared
 * table, so raise(SIGUSR1) kills us. */
static void exec_keeps_sharers_handlers(void)
{
	pid_t pid;
	int st;

	catch(SIGUSR1, count, 0);
	pid = clone(exec_exit0, stack + sizeof(stack), CLONE_VM | CLONE_SIGHAND | SIGCHLD, NULL);
	waitpid(pid, &st, 0);
	raise(SIGUSR1);
	say("the child %s; our SIGUSR1 handler runs %d time(s)", status_words(st),
	    (int)handled);
}

/* [7] A pipe read interrupted by an SA_RESTART handler is restarted, and
 * returns the byte written after the signal. */
static void sa_restart_read(void)
{
	int fds[2];
	char c;
	long r;

	pipe(fds);
	catch(SIGUSR1, count, SA_RESTART);
	signal_me_later(SIGUSR1, fds[1]);
	r = read(fds[0], &c, 1);
	say("read %s; handler ran %d time(s)", result(r), (int)handled);
}

/* [12] A write that has written part of its bytes when the reader goes
 * away still raises SIGPIPE, which kills the writer. tasklab returns the
 * partial count and sends nothing. */
static void sigpipe_after_partial_write(void)
{
	static char buf[200000];
	int fds[2];
	long r;

	pipe(fds);
	fflush(stdout);
	if (fork() == 0) {      /* the reader: takes one page, then leaves */
		close(fds[1]);
		read(fds[0], buf, 4096);
		_exit(0);
	}
	close(fds[0]);
	r = write(fds[1], buf, sizeof(buf));
	say("write %s, and the writer lives on", r > 0 ? "returns a partial count" : result(r));
}

static void *probe_leader(void *arg)
{
	sleep_ms(200);          /* let the leader finish exiting */
	say("tgkill(pid, pid, 0) %s", result(syscall(SYS_tgkill, getpid(), getpid(), 0)));
	exit(0);
}

/* [13] The leader has called pthread_exit but the process lives on in
 * another thread: tgkill on the leader still finds it. tasklab: ESRCH. */
static void tgkill_exited_leader(void)
{
	pthread_t t;

	pthread_create(&t, NULL, probe_leader, NULL);
	pthread_exit(NULL);
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "exit0") == 0)
		return 0;
	self_path = argv[0];
	printf("== abi-signals2 ==\n");
	run_case("[5] nanosleep(1 s) while a blocked SIGUSR1 arrives", blocked_vs_nanosleep, 5);
	run_case("[5] pipe read while a blocked SIGUSR1 arrives", blocked_vs_read, 5);
	run_case("[5] nanosleep(1 s) while a blocked SIGCHLD arrives", blocked_sigchld_vs_nanosleep, 5);
	run_case("[6] CLONE_VM|CLONE_SIGHAND child execs, then we raise SIGUSR1",
		 exec_keeps_sharers_handlers, 5);
	run_case("[7] pipe read interrupted by an SA_RESTART handler", sa_restart_read, 5);
	run_case("[12] 200000-byte pipe write, reader takes 4096 bytes and exits",
		 sigpipe_after_partial_write, 5);
	run_case("[13] thread probes its leader after the leader's pthread_exit",
		 tgkill_exited_leader, 5);
	return 0;
}
