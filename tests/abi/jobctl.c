/* Issue 11: job control. SIGSTOP, SIGTSTP, SIGTTIN and SIGTTOU stop a
 * process (all its threads), SIGCONT continues it; wait4 reports both
 * (WUNTRACED, WCONTINUED), and so does SIGCHLD (CLD_STOPPED,
 * CLD_CONTINUED) unless SA_NOCLDSTOP; ps shows a stopped task as T. The
 * stopped processes lead process groups of their own, whose parent (the
 * case's process) is in another group of the session: not orphaned.
 * "[11]" is the issue. */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include "abicase.h"

static int ready[2];            /* the child says it is set up */

static void child_ready(void)
{
	write(ready[1], "r", 1);
}

static void wait_ready(void)
{
	char c;

	read(ready[0], &c, 1);
}

/* A child in a process group of its own that runs fn, then sleeps. */
static pid_t spawn(void (*fn)(void))
{
	pid_t pid;

	pipe(ready);
	fflush(stdout);
	if ((pid = fork()) == 0) {
		setpgid(0, 0);
		if (fn)
			fn();
		child_ready();
		for (;;)
			pause();
	}
	setpgid(pid, pid);
	wait_ready();
	return pid;
}

static const char *wait_words(pid_t pid, int options)
{
	static char buf[80];
	int st = 0;
	pid_t r = waitpid(pid, &st, options);

	if (r < 0)
		return result(r);
	if (r == 0)
		return "nothing to report";
	if (WIFSTOPPED(st))
		snprintf(buf, sizeof(buf), "stopped by signal %d", WSTOPSIG(st));
	else if (WIFCONTINUED(st))
		snprintf(buf, sizeof(buf), "continued");
	else
		return status_words(st);
	return buf;
}

/* The state letter of /proc/PID/stat (or of a thread's, with tid). */
static char state_of(pid_t pid, pid_t tid)
{
	char path[64], buf[256], *p;
	int fd, n;

	if (tid)
		snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", pid, tid);
	else
		snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if ((fd = open(path, O_RDONLY)) < 0)
		return '?';
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : '?';
}

static const char *status_state(pid_t pid)
{
	static char line[64];
	char path[64], buf[512], *p;
	int fd, n;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	fd = open(path, O_RDONLY);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	p = strstr(buf, "State:\t");
	if (!p)
		return "?";
	snprintf(line, sizeof(line), "%.*s", (int)strcspn(p + 7, "\n"), p + 7);
	return line;
}

static void stop_and_continue(int sig)
{
	pid_t pid = spawn(NULL);

	kill(pid, sig);
	say("signal %d: waitpid(WUNTRACED) %s", sig, wait_words(pid, WUNTRACED));
	/* (Linux's /proc shows R here after the terminal's stop signals) */
	if (sig == SIGSTOP)
		say("stat state %c; status \"%s\"", state_of(pid, 0), status_state(pid));
	say("again, WNOHANG: %s", wait_words(pid, WUNTRACED | WNOHANG));
	kill(pid, SIGCONT);
	say("SIGCONT: waitpid(WCONTINUED) %s; stopped now: %s", wait_words(pid, WCONTINUED),
	    state_of(pid, 0) == 'T' ? "yes" : "no");
	say("again, WNOHANG: %s", wait_words(pid, WCONTINUED | WNOHANG));
	kill(pid, SIGKILL);
	say("SIGKILL: %s", wait_words(pid, 0));
}

static void stop_signals(void)
{
	stop_and_continue(SIGSTOP);
	stop_and_continue(SIGTSTP);
	stop_and_continue(SIGTTIN);
	stop_and_continue(SIGTTOU);
}

/* Without WUNTRACED a stop is not reported; a kill is, and ends the stop. */
static void wait_options(void)
{
	pid_t pid = spawn(NULL);

	kill(pid, SIGSTOP);
	say("stopped: waitpid(WNOHANG) %s", wait_words(pid, WNOHANG));
	say("waitpid(WUNTRACED) %s", wait_words(pid, WUNTRACED));
	kill(pid, SIGCONT);
	say("continued: waitpid(WUNTRACED | WNOHANG) %s", wait_words(pid, WUNTRACED | WNOHANG));
	say("waitpid(WCONTINUED | WNOHANG) %s", wait_words(pid, WCONTINUED | WNOHANG));
	kill(pid, SIGSTOP);
	waitpid(pid, NULL, WUNTRACED);
	kill(pid, SIGTERM);
	say("SIGTERM while stopped: waitpid(WNOHANG) %s; stat state %c",
	    wait_words(pid, WNOHANG), state_of(pid, 0));
	kill(pid, SIGCONT);
	say("then SIGCONT: %s", wait_words(pid, 0));
	pid = spawn(NULL);
	kill(pid, SIGSTOP);
	waitpid(pid, NULL, WUNTRACED);
	kill(pid, SIGKILL);
	say("SIGKILL while stopped: %s", wait_words(pid, 0));
}

/* A handler that tells the parent which signal it ran for. */
static void tell(int sig)
{
	char c = sig;

	write(ready[1], &c, 1);
}

static void catch_telling(int sig)
{
	struct sigaction sa = { .sa_handler = tell };

	sigaction(sig, &sa, NULL);
}

static void catch_tstp(void)
{
	catch_telling(SIGTSTP);
}

static void ignore_tstp(void)
{
	signal(SIGTSTP, SIG_IGN);
}

static void caught_or_ignored(void)
{
	pid_t pid = spawn(catch_tstp);
	char c = 0;

	kill(pid, SIGTSTP);
	read(ready[0], &c, 1);
	say("SIGTSTP caught: the handler ran: %s; waitpid(WUNTRACED | WNOHANG) %s",
	    c == SIGTSTP ? "yes" : "no", wait_words(pid, WUNTRACED | WNOHANG));
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	pid = spawn(ignore_tstp);
	kill(pid, SIGTSTP);
	kill(pid, SIGSTOP);
	say("SIGTSTP ignored, then SIGSTOP: waitpid(WUNTRACED) %s", wait_words(pid, WUNTRACED));
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	say("sigaction(SIGSTOP) %s", result(sigaction(SIGSTOP, &(struct sigaction){
		.sa_handler = tell }, NULL)));
}

static int go[2];

/* Blocks SIGTSTP, is ready, waits for go, unblocks. */
static void block_tstp_then_unblock(void)
{
	sigset_t set;
	char c;

	sigemptyset(&set);
	sigaddset(&set, SIGTSTP);
	sigprocmask(SIG_BLOCK, &set, NULL);
	child_ready();
	read(go[0], &c, 1);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	_exit(7);
}

/* SIGCONT throws away a pending stop signal; a stop signal, a pending SIGCONT. */
static void pending_discarded(void)
{
	pid_t pid;

	pipe(go);
	pid = spawn(block_tstp_then_unblock);
	kill(pid, SIGTSTP);
	kill(pid, SIGCONT);
	write(go[1], "g", 1);
	say("SIGTSTP blocked and pending, then SIGCONT, then unblocked: %s",
	    wait_words(pid, WUNTRACED));
}

static volatile sig_atomic_t codes[8], ncodes, statuses[8];

static void on_chld(int sig, siginfo_t *si, void *uc)
{
	if (ncodes < 8) {
		statuses[ncodes] = si->si_status;
		codes[ncodes++] = si->si_code;
	}
}

static const char *code_name(int c)
{
	return c == CLD_STOPPED ? "CLD_STOPPED" : c == CLD_CONTINUED ? "CLD_CONTINUED" :
	       c == CLD_KILLED ? "CLD_KILLED" : c == CLD_EXITED ? "CLD_EXITED" : "other";
}

/* A SIGCONT handler tells us the child runs again: Linux sends its parent
 * CLD_CONTINUED only then. */
static void catch_cont(void)
{
	catch_telling(SIGCONT);
}

static void sigchld_for(int flags)
{
	struct sigaction sa = { .sa_sigaction = on_chld, .sa_flags = SA_SIGINFO | flags };
	sigset_t chld, old;
	pid_t pid;

	sigaction(SIGCHLD, &sa, NULL);
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	ncodes = 0;
	pid = spawn(catch_cont);
	sigprocmask(SIG_BLOCK, &chld, &old);
	kill(pid, SIGSTOP);
	waitpid(pid, NULL, WUNTRACED);
	sigprocmask(SIG_SETMASK, &old, NULL);   /* the handler runs here, if it is sent */
	sigprocmask(SIG_BLOCK, &chld, NULL);
	kill(pid, SIGCONT);
	waitpid(pid, NULL, WCONTINUED);
	wait_ready();           /* its SIGCONT handler ran */
	sigprocmask(SIG_SETMASK, &old, NULL);
	sigprocmask(SIG_BLOCK, &chld, NULL);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	sigprocmask(SIG_SETMASK, &old, NULL);
	for (int i = 0; i < ncodes; i++)
		say("%s: SIGCHLD %s, si_status %d", flags ? "SA_NOCLDSTOP" : "no flags",
		    code_name(codes[i]), (int)statuses[i]);
}

static void sigchld_codes(void)
{
	sigchld_for(0);
	sigchld_for(SA_NOCLDSTOP);
}

static void *sleeper(void *arg)
{
	child_ready();
	for (;;)
		pause();
	return NULL;
}

static void two_threads(void)
{
	pthread_t t;

	pthread_create(&t, NULL, sleeper, NULL);
}

/* "N threads, M of them stopped (T)", from /proc/PID/task. */
static const char *threads_words(pid_t pid)
{
	static char buf[64];
	char path[64];
	struct dirent *d;
	DIR *dir;
	int n = 0, stopped = 0;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	if (!(dir = opendir(path)))
		return "no /proc/PID/task";
	while ((d = readdir(dir))) {
		if (d->d_name[0] == '.')
			continue;
		n++;
		stopped += state_of(pid, atoi(d->d_name)) == 'T';
	}
	closedir(dir);
	snprintf(buf, sizeof(buf), "%d threads, %d of them stopped (T)", n, stopped);
	return buf;
}

/* Stopping a process stops all its threads. */
static void threads_stop(void)
{
	pid_t pid = spawn(two_threads);

	wait_ready();           /* the second thread's */
	kill(pid, SIGSTOP);
	say("two threads: %s", wait_words(pid, WUNTRACED));
	say("%s", threads_words(pid));
	kill(pid, SIGCONT);
	say("SIGCONT: %s", wait_words(pid, WCONTINUED));
	kill(pid, SIGKILL);
	say("SIGKILL: %s", wait_words(pid, 0));
}

/* The child forks a grandchild in a group of its own, and exits: the
 * grandchild's parent is now init, so its group is orphaned, and the
 * terminal's stop signals do nothing to it. A real-time signal sent after
 * SIGTSTP (and taken after it: it has a higher number) finds it running. */
static void orphaned_group(void)
{
	pid_t child, grandchild;
	char c = 0;

	int pid_pipe[2];

	pipe(ready);
	pipe(pid_pipe);
	fflush(stdout);
	if ((child = fork()) == 0) {
		if ((grandchild = fork()) == 0) {
			setpgid(0, 0);
			catch_telling(SIGRTMIN + 5);
			child_ready();
			for (;;)
				pause();
		}
		setpgid(grandchild, grandchild);
		wait_ready();
		write(pid_pipe[1], &grandchild, sizeof(grandchild));
		_exit(0);
	}
	read(pid_pipe[0], &grandchild, sizeof(grandchild));
	waitpid(child, NULL, 0);
	kill(grandchild, SIGTSTP);
	kill(grandchild, SIGRTMIN + 5);
	read(ready[0], &c, 1);
	say("orphaned group: SIGTSTP, then a real-time signal: its handler ran: %s",
	    c == SIGRTMIN + 5 ? "yes" : "no");
	kill(grandchild, SIGKILL);
}

int main(int argc, char **argv)
{
	self_path = argv[0];
	printf("== abi-jobctl ==\n");
	run_case("[11] the four stop signals", stop_signals, 10);
	run_case("[11] wait4's options", wait_options, 5);
	run_case("[11] stop signals caught or ignored", caught_or_ignored, 5);
	run_case("[11] pending signals discarded", pending_discarded, 5);
	run_case("[11] SIGCHLD", sigchld_codes, 5);
	run_case("[11] threads", threads_stop, 5);
	run_case("[11] an orphaned process group", orphaned_group, 5);
	return 0;
}
