/* Issue 11: poll, ppoll, select and pselect6 over pipes, the terminal and
 * regular files: what each is ready for, waiting until one is (woken by a
 * write or a close), timeouts (their shape only), signals, the ppoll and
 * pselect6 masks, and the errors. "[11]" is the issue. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include "abicase.h"

static void *bad = (void *)16;
static const struct pollfd ro_pollfd = { 1, POLLOUT, 0 };        /* in read-only memory */
static const struct timespec ro_timespec = { 1, 0 };
static volatile sig_atomic_t handled;

static void count(int sig) { handled++; }

static void catch(int sig, int flags)
{
	struct sigaction sa = { .sa_handler = count, .sa_flags = flags };

	sigaction(sig, &sa, NULL);
}

/* A child sends us SIGUSR1 after 100 ms, while we wait. */
static void usr1_later(void)
{
	pid_t parent = getpid();

	fflush(stdout);
	if (fork() == 0) {
		sleep_ms(100);
		kill(parent, SIGUSR1);
		_exit(0);
	}
}

static void block_usr1(void)
{
	sigset_t usr1;

	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);
}

static const char *bits(int r)
{
	static const struct { int bit; const char *name; } names[] = {
		{ POLLIN, "IN" }, { POLLPRI, "PRI" }, { POLLOUT, "OUT" }, { POLLERR, "ERR" },
		{ POLLHUP, "HUP" }, { POLLNVAL, "NVAL" }, { POLLRDNORM, "RDNORM" },
		{ POLLRDBAND, "RDBAND" }, { POLLWRNORM, "WRNORM" }, { POLLWRBAND, "WRBAND" },
	};
	static char bufs[4][96];
	static int next;
	char *buf = bufs[next++ % 4];   /* four to a line */

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (r & names[i].bit)
			snprintf(buf + strlen(buf), 96 - strlen(buf), "%s%s",
				 buf[0] ? "|" : "", names[i].name);
	return buf[0] ? buf : "none";
}

#define ALL (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM | POLLPRI)

/* Poll one fd for ALL with timeout ms: "returns N, revents X". */
static void poll_one(const char *what, int fd, short events, int ms)
{
	struct pollfd p = { fd, events, 0x7fff };
	long r = poll(&p, 1, ms);

	say("%s: poll %s, revents %s", what, result(r), bits(p.revents));
}

static void pipe_states(void)
{
	int fds[2];
	char c;

	pipe(fds);
	poll_one("empty pipe, read end", fds[0], ALL, 0);
	poll_one("empty pipe, write end", fds[1], ALL, 0);
	write(fds[1], "ab", 2);
	poll_one("2 bytes in, read end", fds[0], ALL, 0);
	poll_one("2 bytes in, read end, events 0", fds[0], 0, 0);
	close(fds[1]);
	poll_one("writer gone, 2 bytes in, read end", fds[0], ALL, 0);
	read(fds[0], &c, 1);
	read(fds[0], &c, 1);
	poll_one("writer gone, drained, read end", fds[0], ALL, 0);
	poll_one("... events 0", fds[0], 0, 0);
	close(fds[0]);
	pipe(fds);
	close(fds[0]);
	poll_one("reader gone, write end", fds[1], ALL, 0);
	poll_one("... events 0", fds[1], 0, 0);
}

/* A full pipe is not writable; a pipe is again once its reader drains it. */
static void pipe_full(void)
{
	static char buf[4096];
	int fds[2], n = 0;

	pipe2(fds, O_NONBLOCK);
	while (write(fds[1], buf, sizeof(buf)) > 0)
		n++;
	poll_one("full pipe, write end", fds[1], ALL, 0);
	read(fds[0], buf, 1);
	poll_one("full pipe less 1 byte, write end", fds[1], ALL, 0);
	while (read(fds[0], buf, sizeof(buf)) > 0)
		;
	poll_one("drained pipe, write end", fds[1], ALL, 0);
}

static void other_files(void)
{
	struct pollfd p[4] = { { -1, ALL, 0x7fff }, { 99, ALL, 0x7fff }, { 0, 0, 0 }, { 0, 0, 0 } };
	int file = open(self_path, O_RDONLY), dir = open("/", O_RDONLY);
	long r;

	poll_one("a regular file", file, ALL, 0);
	poll_one("a directory", dir, ALL, 0);
	poll_one("stdout, the console", 1, POLLOUT, 0);
	poll_one("stdin, the console, no input", 0, POLLIN, 0);
	p[2] = (struct pollfd){ file, POLLIN, 0x7fff };
	p[3] = (struct pollfd){ file, POLLOUT, 0x7fff };
	r = poll(p, 4, 0);
	say("fd -1, fd 99 (not open), the file twice: poll %s; revents %s, %s, %s, %s", result(r),
	    bits(p[0].revents), bits(p[1].revents), bits(p[2].revents), bits(p[3].revents));
}

/* A child does `act` to the pipe after 100 ms, while we wait. */
/* A child writes a byte to the pipe after 100 ms, while we wait, and
 * keeps the write end open until we exit (so we see no hang-up); or just
 * closes it after 100 ms. */
static void later(int fds[2], bool write_byte)
{
	int hold[2];
	char c;

	pipe(hold);
	fflush(stdout);
	if (fork() == 0) {
		close(hold[1]);
		sleep_ms(100);
		if (!write_byte)
			_exit(0);
		write(fds[1], "x", 1);
		read(hold[0], &c, 1);   /* end of file when we exit */
		_exit(0);
	}
	close(hold[0]);
	close(fds[1]);
}

static void waits(void)
{
	int fds[2];

	pipe(fds);
	later(fds, true);
	poll_one("wait, a byte comes", fds[0], POLLIN, -1);
	close(fds[0]);
	pipe(fds);
	later(fds, false);
	poll_one("wait, the writer closes", fds[0], POLLIN, -1);
	close(fds[0]);
	pipe(fds);
	poll_one("wait 100 ms, nothing comes", fds[0], POLLIN, 100);
}

static void signals(void)
{
	int fds[2];

	pipe(fds);
	catch(SIGUSR1, SA_RESTART);
	usr1_later();
	poll_one("wait, an SA_RESTART handler runs", fds[0], POLLIN, -1);
	say("handled %d", (int)handled);
}

static void poll_errors(void)
{
	struct pollfd p = { 0, POLLOUT, 0 };
	struct rlimit rl = { 10, 10 };
	struct pollfd many[11];

	say("poll(bad address, 1) %s", result(poll(bad, 1, 0)));
	say("poll(NULL, 0, 0) %s", result(poll(NULL, 0, 0)));
	setrlimit(RLIMIT_NOFILE, &rl);
	for (int i = 0; i < 11; i++)
		many[i] = (struct pollfd){ -1, 0, 0 };
	say("RLIMIT_NOFILE 10: poll of 10 fds %s", result(poll(many, 10, 0)));
	say("RLIMIT_NOFILE 10: poll of 11 fds %s", result(poll(many, 11, 0)));
	say("a read-only pollfd, fd ready: poll %s", result(poll((void *)&ro_pollfd, 1, 0)));
	(void)p;
}

static const char *ts_words(const struct timespec *ts, long max_ms)
{
	long ms = ts->tv_sec * 1000 + ts->tv_nsec / 1000000;

	if (!ts->tv_sec && !ts->tv_nsec)
		return "zero";
	return ms >= 0 && ms <= max_ms ? "some left, no more than was set" : "wrong";
}

static void ppoll_mask(void)
{
	struct pollfd p;
	struct timespec ts = { 5, 0 };
	sigset_t empty;
	int fds[2];
	long r;

	pipe(fds);
	p = (struct pollfd){ fds[0], POLLIN, 0 };
	catch(SIGUSR1, 0);
	block_usr1();
	sigemptyset(&empty);
	usr1_later();
	/* the system call itself: musl's ppoll passes a copy of ts */
	r = syscall(SYS_ppoll, &p, 1, &ts, &empty, 8);
	sigprocmask(SIG_BLOCK, NULL, &empty);
	say("ppoll(5 s, empty mask), SIGUSR1 blocked comes: %s; handled %d; USR1 blocked after: %s; timespec after: %s",
	    result(r), (int)handled, sigismember(&empty, SIGUSR1) ? "yes" : "no", ts_words(&ts, 5000));
	ts = (struct timespec){ 0, 100000000 };
	r = syscall(SYS_ppoll, &p, 1, &ts, NULL, 8);
	say("ppoll(100 ms), nothing comes: %s; timespec after: %s", result(r), ts_words(&ts, 100));
}

static void ppoll_errors(void)
{
	struct pollfd p = { 1, POLLOUT, 0 };
	struct timespec ts = { 0, 1000000000 };
	uint64_t mask = 0;

	say("ppoll(bad timespec) %s", result(syscall(SYS_ppoll, &p, 1, bad, NULL, 8)));
	say("ppoll(nsec 1000000000) %s", result(syscall(SYS_ppoll, &p, 1, &ts, NULL, 8)));
	ts.tv_nsec = 0;
	ts.tv_sec = -1;
	say("ppoll(sec -1) %s", result(syscall(SYS_ppoll, &p, 1, &ts, NULL, 8)));
	ts.tv_sec = 1;
	say("ppoll(mask, sigsetsize 4) %s", result(syscall(SYS_ppoll, &p, 1, &ts, &mask, 4)));
	say("ppoll(bad mask) %s", result(syscall(SYS_ppoll, &p, 1, &ts, bad, 8)));
	say("ppoll(read-only timespec, fd ready) %s", result(syscall(SYS_ppoll, &p, 1, (void *)&ro_timespec, NULL, 8)));
}

static const char *set_words(const fd_set *s, int n)
{
	static char bufs[3][64];
	static int next;
	char *buf = bufs[next++ % 3];   /* three to a line */

	buf[0] = '\0';
	for (int fd = 0; fd < n; fd++)
		if (FD_ISSET(fd, s))
			snprintf(buf + strlen(buf), 64 - strlen(buf), "%s%d", buf[0] ? "," : "", fd);
	return buf[0] ? buf : "-";
}

static void select_pipe(void)
{
	fd_set r, w, e;
	struct timeval tv = { 0, 0 };
	int fds[2], n;
	long ret;

	pipe(fds);
	n = fds[1] + 1;
	FD_ZERO(&r); FD_ZERO(&w); FD_ZERO(&e);
	FD_SET(fds[0], &r); FD_SET(fds[1], &w); FD_SET(fds[0], &e); FD_SET(fds[1], &e);
	ret = select(n, &r, &w, &e, &tv);
	say("empty pipe (read end %d, write end %d): select %s; read %s, write %s, except %s",
	    fds[0], fds[1], result(ret), set_words(&r, n), set_words(&w, n), set_words(&e, n));
	write(fds[1], "x", 1);
	FD_ZERO(&r); FD_ZERO(&w);
	FD_SET(fds[0], &r); FD_SET(fds[1], &r); FD_SET(fds[0], &w); FD_SET(fds[1], &w);
	ret = select(n, &r, &w, NULL, &tv);
	say("a byte in, both ends in both sets: select %s; read %s, write %s", result(ret),
	    set_words(&r, n), set_words(&w, n));
	close(fds[1]);
	FD_ZERO(&r);
	FD_SET(fds[0], &r);
	ret = select(n, &r, NULL, NULL, NULL);
	say("writer gone: select %s; read %s", result(ret), set_words(&r, n));
	read(fds[0], &n, 1);
	n = fds[0] + 1;
	ret = select(n, &r, NULL, NULL, NULL);
	say("writer gone, drained: select %s; read %s", result(ret), set_words(&r, n));
}

static void select_wait(void)
{
	fd_set r;
	struct timeval tv = { 0, 100000 };
	int fds[2];
	long ret;

	pipe(fds);
	FD_ZERO(&r);
	FD_SET(fds[0], &r);
	/* the system call itself: musl's select passes a copy of tv */
	ret = syscall(SYS_select, fds[0] + 1, &r, NULL, NULL, &tv);
	say("100 ms, nothing comes: select %s; read %s; timeval after: %s", result(ret),
	    set_words(&r, fds[0] + 1), tv.tv_sec || tv.tv_usec ? "not zero" : "zero");
	later(fds, true);
	FD_SET(fds[0], &r);
	tv = (struct timeval){ 5, 0 };
	ret = syscall(SYS_select, fds[0] + 1, &r, NULL, NULL, &tv);
	say("5 s, a byte comes: select %s; read %s; timeval after: %s", result(ret),
	    set_words(&r, fds[0] + 1), tv.tv_sec < 5 && (tv.tv_sec || tv.tv_usec) ?
	    "some left, less than was set" : "wrong");
	tv = (struct timeval){ 0, 100000 };
	ret = select(0, NULL, NULL, NULL, &tv);
	say("no fds, 100 ms: select %s", result(ret));
}

static void select_errors(void)
{
	fd_set r;
	struct timeval tv = { 0, 0 };
	uint64_t argpack[2] = { 0, 8 }, mask = 0;
	struct timespec ts = { 0, 0 };

	FD_ZERO(&r);
	FD_SET(40, &r);
	say("fd 40 not open: select %s", result(select(41, &r, NULL, NULL, &tv)));
	FD_ZERO(&r);
	FD_SET(1, &r);
	say("nfds -1: select %s", result(select(-1, &r, NULL, NULL, &tv)));
	say("bad read set: select %s", result(select(2, bad, NULL, NULL, &tv)));
	say("bad timeval: select %s", result(syscall(SYS_select, 2, &r, NULL, NULL, bad)));
	tv.tv_usec = 1500000;
	say("usec 1500000, fd ready: select %s", result(syscall(SYS_select, 2, NULL, &r, NULL, &tv)));
	tv = (struct timeval){ 0, -1 };
	say("usec -1: select %s", result(syscall(SYS_select, 2, &r, NULL, NULL, &tv)));
	tv = (struct timeval){ -1, 0 };
	say("sec -1: select %s", result(syscall(SYS_select, 2, &r, NULL, NULL, &tv)));
	FD_SET(1, &r);
	say("a 1000-fd write set with fd 1: select %s; write %s",
	    result(select(1000, NULL, &r, NULL, NULL)), set_words(&r, 2));
	say("pselect6 bad sigset pack %s", result(syscall(SYS_pselect6, 2, &r, NULL, NULL, &ts, bad)));
	argpack[0] = (uint64_t)(uintptr_t)&mask;
	argpack[1] = 4;
	say("pselect6 sigsetsize 4 %s", result(syscall(SYS_pselect6, 2, &r, NULL, NULL, &ts, argpack)));
	argpack[0] = 16;
	argpack[1] = 8;
	say("pselect6 bad mask %s", result(syscall(SYS_pselect6, 2, &r, NULL, NULL, &ts, argpack)));
	ts.tv_nsec = 1000000000;
	say("pselect6 nsec 1000000000 %s", result(syscall(SYS_pselect6, 2, &r, NULL, NULL, &ts, NULL)));
}

static void pselect_mask(void)
{
	fd_set r;
	sigset_t empty;
	int fds[2];
	long ret;

	pipe(fds);
	catch(SIGUSR1, SA_RESTART);
	block_usr1();
	sigemptyset(&empty);
	usr1_later();
	FD_ZERO(&r);
	FD_SET(fds[0], &r);
	ret = pselect(fds[0] + 1, &r, NULL, NULL, NULL, &empty);
	sigprocmask(SIG_BLOCK, NULL, &empty);
	say("pselect(empty mask), SIGUSR1 blocked comes, SA_RESTART: %s; handled %d; USR1 blocked after: %s",
	    result(ret), (int)handled, sigismember(&empty, SIGUSR1) ? "yes" : "no");
}

int main(int argc, char **argv)
{
	self_path = argv[0];
	printf("== abi-poll ==\n");
	run_case("[11] pipe states", pipe_states, 5);
	run_case("[11] full pipe", pipe_full, 5);
	run_case("[11] files, the console, bad fds", other_files, 5);
	run_case("[11] poll waits", waits, 5);
	run_case("[11] poll and a signal", signals, 5);
	run_case("[11] poll errors", poll_errors, 5);
	run_case("[11] ppoll's mask and timespec", ppoll_mask, 5);
	run_case("[11] ppoll errors", ppoll_errors, 5);
	run_case("[11] select on a pipe", select_pipe, 5);
	run_case("[11] select waits", select_wait, 5);
	run_case("[11] select and pselect6 errors", select_errors, 5);
	run_case("[11] pselect's mask", pselect_mask, 5);
	return 0;
}
