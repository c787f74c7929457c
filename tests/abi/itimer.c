/* Issue 11: alarm, setitimer and getitimer (ITIMER_REAL): SIGALRM when
 * the time is up, again every interval, the time left as the calls
 * report it (its shape only: no timing is compared), their errors, and
 * what fork and exec do with a timer. "[11]" is the issue. */
#define _GNU_SOURCE
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include "abicase.h"

static volatile sig_atomic_t alarms;

static void on_alarm(int sig) { alarms++; }

static void catch_alarm(void)
{
	struct sigaction sa = { .sa_handler = on_alarm };

	sigaction(SIGALRM, &sa, NULL);
}

static void *bad = (void *)16;

/* The value left, in words: none, or within (0, max_us] microseconds. */
static const char *left(const struct itimerval *v, long max_us)
{
	long us = v->it_value.tv_sec * 1000000L + v->it_value.tv_usec;

	if (us == 0)
		return "none left";
	return us > 0 && us <= max_us ? "some left, no more than was set" : "a wrong time left";
}

static void alarm_returns(void)
{
	long r;

	say("alarm(5) returns %u", alarm(5));
	r = alarm(3);
	say("alarm(3) returns %ld (5 s, rounded)", r);
	r = alarm(0);
	say("alarm(0) returns %ld", r);
	r = alarm(0);
	say("alarm(0) again returns %ld", r);
}

static void alarm_fires(void)
{
	long r;

	catch_alarm();
	alarm(1);
	r = pause();
	say("alarm(1), then pause: %s; SIGALRM handled %d", result(r), (int)alarms);
	say("alarm(0) after it went off returns %u", alarm(0));
}

static void alarm_kills(void)
{
	pid_t child;
	int st;

	fflush(stdout);
	if ((child = fork()) == 0) {
		alarm(1);
		for (;;)
			pause();
	}
	waitpid(child, &st, 0);
	say("alarm(1), no handler: %s", status_words(st));
}

static void interval_timer(void)
{
	struct itimerval set = { { 0, 50000 }, { 0, 50000 } }, got, old;
	sigset_t alrm, none;
	long r;

	catch_alarm();
	sigemptyset(&alrm);
	sigaddset(&alrm, SIGALRM);
	sigprocmask(SIG_BLOCK, &alrm, NULL);
	sigemptyset(&none);
	r = setitimer(ITIMER_REAL, &set, &old);
	say("setitimer(50 ms, every 50 ms) %s; old: interval %ld.%06ld, %s", result(r),
	    (long)old.it_interval.tv_sec, (long)old.it_interval.tv_usec, left(&old, 0));
	r = getitimer(ITIMER_REAL, &got);
	say("getitimer %s: interval %ld.%06ld, %s", result(r), (long)got.it_interval.tv_sec,
	    (long)got.it_interval.tv_usec, left(&got, 50000));
	while (alarms < 3)
		sigsuspend(&none);
	say("3 SIGALRMs came");
	set = (struct itimerval){ { 0, 0 }, { 0, 0 } };
	r = setitimer(ITIMER_REAL, &set, &old);
	say("disarm %s; old: interval %ld.%06ld, %s", result(r), (long)old.it_interval.tv_sec,
	    (long)old.it_interval.tv_usec, left(&old, 50000));
	r = getitimer(ITIMER_REAL, &got);
	say("getitimer %s: interval %ld.%06ld, %s", result(r), (long)got.it_interval.tv_sec,
	    (long)got.it_interval.tv_usec, left(&got, 0));
}

/* An interval with no value is no timer at all. */
static void interval_only(void)
{
	struct itimerval set = { { 1, 0 }, { 0, 0 } }, got;

	say("setitimer(value 0, interval 1 s) %s", result(setitimer(ITIMER_REAL, &set, NULL)));
	getitimer(ITIMER_REAL, &got);
	say("getitimer: interval %ld.%06ld, %s", (long)got.it_interval.tv_sec,
	    (long)got.it_interval.tv_usec, left(&got, 0));
}

static void itimer_errors(void)
{
	struct itimerval set = { { 0, 0 }, { 10, 0 } }, got;
	long r;

	say("getitimer(5) %s", result(syscall(SYS_getitimer, 5, &got)));
	say("getitimer(REAL, bad address) %s", result(syscall(SYS_getitimer, ITIMER_REAL, bad)));
	say("setitimer(5) %s", result(syscall(SYS_setitimer, 5, &set, NULL)));
	say("setitimer(REAL, bad new) %s", result(syscall(SYS_setitimer, ITIMER_REAL, bad, NULL)));
	set.it_value.tv_usec = 1000000;
	say("setitimer(usec 1000000) %s", result(syscall(SYS_setitimer, ITIMER_REAL, &set, NULL)));
	set.it_value = (struct timeval){ -1, 0 };
	say("setitimer(sec -1) %s", result(syscall(SYS_setitimer, ITIMER_REAL, &set, NULL)));
	set.it_value = (struct timeval){ 10, 0 };
	set.it_interval.tv_usec = -1;
	say("setitimer(interval usec -1) %s", result(syscall(SYS_setitimer, ITIMER_REAL, &set, NULL)));
	set.it_interval.tv_usec = 0;
	r = syscall(SYS_setitimer, ITIMER_REAL, &set, bad);
	getitimer(ITIMER_REAL, &got);
	say("setitimer(10 s, bad old) %s; then %s", result(r), left(&got, 10000000));
	alarm(0);
}

/* fork: the child has no timer. exec: the timer goes on in the new image. */
static void across_fork_exec(void)
{
	struct itimerval got;
	pid_t child;
	int st;

	alarm(10);
	fflush(stdout);
	if ((child = fork()) == 0) {
		getitimer(ITIMER_REAL, &got);
		say("a fork child's timer: %s", left(&got, 0));
		_exit(0);
	}
	waitpid(child, NULL, 0);
	alarm(0);
	fflush(stdout);
	if ((child = fork()) == 0) {
		alarm(1);
		execl(self_path, self_path, "pause", (char *)NULL);
		_exit(99);
	}
	waitpid(child, &st, 0);
	say("alarm(1), then exec of a program that pauses: %s", status_words(st));
}

int main(int argc, char **argv)
{
	self_path = argv[0];
	if (argc == 2 && strcmp(argv[1], "pause") == 0) {
		for (;;)
			pause();
	}
	printf("== abi-itimer ==\n");
	run_case("[11] alarm's return", alarm_returns, 5);
	run_case("[11] alarm goes off", alarm_fires, 5);
	run_case("[11] alarm with no handler", alarm_kills, 5);
	run_case("[11] setitimer with an interval", interval_timer, 5);
	run_case("[11] setitimer, interval only", interval_only, 5);
	run_case("[11] itimer errors", itimer_errors, 5);
	run_case("[11] itimer across fork and exec", across_fork_exec, 5);
	return 0;
}
