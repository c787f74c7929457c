/* Issue 15, items 2, 5, 7, 12 and 13: signals and sleeping system calls. Which
 * signals end a sleep, what the interrupted call returns, and when the
 * kernel restarts it. Each case runs in a process of its own (abicase.h). */
#define _GNU_SOURCE
#include <pthread.h>
#include <sys/syscall.h>
#include "abicase.h"

#define FUTEX_WAIT 0            /* <linux/futex.h>, which musl-gcc lacks */
#define FUTEX_WAKE 1

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

/* Fork a child that sends us sig after 100 ms and waits 100 ms more: the
 * signal comes while we sleep in a system call. True in the child, which
 * then does what ends our sleep, and exits. */
static bool signalling_child(int sig)
{
	pid_t parent = getpid();

	fflush(stdout);
	if (fork() != 0)
		return false;
	sleep_ms(100);
	kill(parent, sig);
	sleep_ms(100);
	return true;
}

/* The signal, then (if fd >= 0) a byte written to fd. */
static void signal_me_later(int sig, int fd)
{
	if (signalling_child(sig)) {
		if (fd >= 0)
			write(fd, "x", 1);
		_exit(0);
	}
}

/* [2] A signal that kills ends a parent waiting in vfork at once, while
 * the child still runs (here: sits in pause): Linux's vfork wait is
 * killable. tasklab's was not, so the parent lived until the child let go. */
static void kill_vfork_parent_with(int sig)
{
	int fds[2], st;
	pid_t parent, child = 0;

	pipe(fds);
	fflush(stdout);
	parent = fork();
	if (parent == 0) {
		if (vfork() == 0) {
			pid_t me = getpid();

			write(fds[1], &me, sizeof(me));
			pause();
			_exit(0);
		}
		_exit(97);      /* back from vfork: the child ended */
	}
	read(fds[0], &child, sizeof(child));    /* the parent is in vfork now */
	kill(parent, sig);
	waitpid(parent, &st, 0);
	kill(child, SIGKILL);
	say("parent %s", status_words(st));
}

static void kill_vfork_parent(void) { kill_vfork_parent_with(SIGKILL); }
static void term_vfork_parent(void) { kill_vfork_parent_with(SIGTERM); }

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

/* [5] An unblocked signal with a handler still ends the sleep: EINTR. */
static void handled_vs_read(void)
{
	int fds[2];
	char c;
	long r;

	pipe(fds);
	catch(SIGUSR1, count, 0);
	signal_me_later(SIGUSR1, fds[1]);
	r = read(fds[0], &c, 1);
	say("read %s; handler ran %d time(s)", result(r), (int)handled);
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

/* [7] So is a wait4: it goes on to reap the child it waits for. */
static void sa_restart_wait(void)
{
	pid_t pid, r;
	int st = 0;

	catch(SIGUSR1, count, SA_RESTART);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		sleep_ms(300);  /* past the signal */
		_exit(5);
	}
	signal_me_later(SIGUSR1, -1);
	r = waitpid(pid, &st, 0);
	say("waitpid %s; the child %s; handler ran %d time(s)",
	    r == pid ? "returns the child's pid" : result(r), status_words(st), (int)handled);
}

/* A word in memory shared with our children, 0 until wake_word_later. */
static int *shared_word(void)
{
	int *w = mmap(NULL, sizeof(int), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		      -1, 0);

	*w = 0;
	return w;
}

/* The signal, then *w set to 1 and its FUTEX_WAKE. */
static void signal_me_then_wake(int sig, int *w)
{
	if (signalling_child(sig)) {
		*w = 1;
		syscall(SYS_futex, w, FUTEX_WAKE, 1, NULL, NULL, 0);
		_exit(0);
	}
}

/* [7] A futex wait with no timeout goes on after an SA_RESTART handler,
 * until FUTEX_WAKE; one with a timeout fails with EINTR (Linux resumes it
 * through restart_syscall only when no handler runs). */
static void sa_restart_futex(const struct timespec *timeout)
{
	int *w = shared_word();
	long r;

	catch(SIGUSR1, count, SA_RESTART);
	signal_me_then_wake(SIGUSR1, w);
	r = syscall(SYS_futex, w, FUTEX_WAIT, 0, timeout, NULL, 0);
	say("FUTEX_WAIT %s; handler ran %d time(s)", result(r), (int)handled);
}

static void sa_restart_futex_untimed(void) { sa_restart_futex(NULL); }

static void sa_restart_futex_timed(void)
{
	struct timespec ts = { 2, 0 };

	sa_restart_futex(&ts);
}

/* [7] A sleep is never restarted after a handler, SA_RESTART or not: it
 * fails with EINTR and says how much of it was left. */
static void sa_restart_nanosleep(void)
{
	struct timespec ts = { 2, 0 }, rem = { -1, -1 };
	long r;

	catch(SIGUSR1, count, SA_RESTART);
	signal_me_later(SIGUSR1, -1);
	r = nanosleep(&ts, &rem);
	say("nanosleep %s; some of the 2 s left in rem: %s; handler ran %d time(s)", result(r),
	    rem.tv_sec >= 0 && rem.tv_sec < 2 && rem.tv_nsec >= 0 && (rem.tv_sec || rem.tv_nsec) ?
	    "yes" : "no", (int)handled);
}

/* [7] Nor is pause. */
static void sa_restart_pause(void)
{
	long r;

	catch(SIGUSR1, count, SA_RESTART);
	signal_me_later(SIGUSR1, -1);
	r = pause();
	say("pause %s; handler ran %d time(s)", result(r), (int)handled);
}

/* [7] restart_syscall with no interrupted sleep to resume: EINTR. */
static void restart_nothing(void)
{
	say("restart_syscall %s", result(syscall(SYS_restart_syscall)));
}

static long slept[2];

static void *nanosleep_1s(void *arg)
{
	struct timespec ts = { 1, 0 };

	slept[arg != NULL] = nanosleep(&ts, NULL) < 0 ? -errno : 0;
	return NULL;
}

/* [7] Two threads sleep; one signal for the process interrupts only the
 * thread that runs the handler. A sleep a signal has woken but that runs
 * no handler (tasklab wakes every thread that could take it) goes on to
 * its end, through restart_syscall. */
static void one_signal_two_sleepers(void)
{
	pthread_t t;
	int eintr = 0, done = 0;

	catch(SIGUSR1, count, 0);
	signal_me_later(SIGUSR1, -1);
	pthread_create(&t, NULL, nanosleep_1s, (void *)1);
	nanosleep_1s(NULL);
	pthread_join(t, NULL);
	for (int i = 0; i < 2; i++) {
		eintr += slept[i] == -EINTR;
		done += slept[i] == 0;
	}
	say("%d nanosleep(s) fail with EINTR, %d return 0; handler ran %d time(s)",
	    eintr, done, (int)handled);
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
	self_path = argv[0];
	printf("== abi-sigsleep ==\n");
	run_case("[2] SIGKILL to a parent waiting in vfork", kill_vfork_parent, 3);
	run_case("[2] SIGTERM, not caught, to a parent waiting in vfork", term_vfork_parent, 3);
	run_case("[5] nanosleep(1 s) while a blocked SIGUSR1 arrives", blocked_vs_nanosleep, 5);
	run_case("[5] pipe read while a blocked SIGUSR1 arrives", blocked_vs_read, 5);
	run_case("[5] nanosleep(1 s) while a blocked SIGCHLD arrives", blocked_sigchld_vs_nanosleep, 5);
	run_case("[5] pipe read while an unblocked SIGUSR1 with a handler arrives",
		 handled_vs_read, 5);
	run_case("[7] pipe read interrupted by an SA_RESTART handler", sa_restart_read, 5);
	run_case("[7] waitpid interrupted by an SA_RESTART handler", sa_restart_wait, 5);
	run_case("[7] FUTEX_WAIT, no timeout, interrupted by an SA_RESTART handler",
		 sa_restart_futex_untimed, 5);
	run_case("[7] FUTEX_WAIT, 2 s timeout, interrupted by an SA_RESTART handler",
		 sa_restart_futex_timed, 5);
	run_case("[7] nanosleep(2 s) interrupted by an SA_RESTART handler", sa_restart_nanosleep, 5);
	run_case("[7] pause interrupted by an SA_RESTART handler", sa_restart_pause, 5);
	run_case("[7] restart_syscall with nothing to restart", restart_nothing, 5);
	run_case("[7] two threads in nanosleep(1 s), one SIGUSR1 for the process",
		 one_signal_two_sleepers, 5);
	run_case("[12] 200000-byte pipe write, reader takes 4096 bytes and exits",
		 sigpipe_after_partial_write, 5);
	run_case("[13] thread probes its leader after the leader's pthread_exit",
		 tgkill_exited_leader, 5);
	return 0;
}
