/* Issue 11: waiting for signals and where handlers run. rt_sigsuspend
 * (the mask swapped and slept on at once, the old one back after the
 * handler) and sigaltstack (SA_ONSTACK, SS_ONSTACK, SS_DISABLE,
 * SS_AUTODISARM, its errors, what fork, threads and exec do with it).
 * "[11]" is the issue. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/syscall.h>
#include "abicase.h"

#ifndef SS_AUTODISARM
#define SS_AUTODISARM (1U << 31)
#endif

static volatile sig_atomic_t usr1, usr2;
static volatile int usr1_mask_usr1, usr1_mask_usr2;

static bool blocked(int sig)
{
	sigset_t now;

	sigprocmask(SIG_BLOCK, NULL, &now);
	return sigismember(&now, sig);
}

static void on_usr1(int sig)
{
	usr1++;
	usr1_mask_usr1 = blocked(SIGUSR1);
	usr1_mask_usr2 = blocked(SIGUSR2);
}

static void on_usr2(int sig) { usr2++; }

static void catch(int sig, void (*fn)(int), int flags)
{
	struct sigaction sa = { .sa_handler = fn, .sa_flags = flags };

	sigaction(sig, &sa, NULL);
}

static void block_only(int sig)
{
	sigset_t set;

	sigemptyset(&set);
	if (sig)
		sigaddset(&set, sig);
	sigprocmask(SIG_SETMASK, &set, NULL);
}

/* A child sends us the signals, 100 ms apart, then exits. */
static void send_later(int first, int second)
{
	pid_t parent = getpid();

	fflush(stdout);
	if (fork() != 0)
		return;
	sleep_ms(100);
	kill(parent, first);
	if (second) {
		sleep_ms(100);
		kill(parent, second);
	}
	_exit(0);
}

static const char *yes(int b) { return b ? "yes" : "no"; }

/* SIGUSR1 blocked; sigsuspend lets it in under a mask that blocks SIGUSR2
 * instead. SIGUSR2 comes first and must not end the wait. */
static void suspend_swaps_mask(void)
{
	sigset_t mask;
	long r;

	catch(SIGUSR1, on_usr1, 0);
	catch(SIGUSR2, on_usr2, 0);
	block_only(SIGUSR1);
	send_later(SIGUSR2, SIGUSR1);
	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR2);
	r = sigsuspend(&mask);
	fflush(stdout);
	say("sigsuspend %s; USR1 handled %d, USR2 handled %d", result(r), (int)usr1, (int)usr2);
	say("in the USR1 handler, blocked: USR1 %s, USR2 %s", yes(usr1_mask_usr1),
	    yes(usr1_mask_usr2));
	say("after: blocked USR1 %s, USR2 %s", yes(blocked(SIGUSR1)), yes(blocked(SIGUSR2)));
}

/* A signal already pending ends it at once. */
static void suspend_pending(void)
{
	sigset_t empty;
	long r;

	catch(SIGUSR1, on_usr1, 0);
	block_only(SIGUSR1);
	raise(SIGUSR1);
	sigemptyset(&empty);
	r = sigsuspend(&empty);
	say("sigsuspend with USR1 pending %s; handled %d; USR1 blocked after: %s",
	    result(r), (int)usr1, yes(blocked(SIGUSR1)));
}

/* An SA_RESTART handler does not restart it. */
static void suspend_sa_restart(void)
{
	sigset_t empty;
	long r;

	catch(SIGUSR1, on_usr1, SA_RESTART);
	send_later(SIGUSR1, 0);
	sigemptyset(&empty);
	r = sigsuspend(&empty);
	say("sigsuspend, SA_RESTART handler: %s; handled %d", result(r), (int)usr1);
}

static void suspend_errors(void)
{
	uint64_t mask = 0;

	say("rt_sigsuspend(mask, 4) %s", result(syscall(SYS_rt_sigsuspend, &mask, 4)));
	say("rt_sigsuspend(bad address, 8) %s", result(syscall(SYS_rt_sigsuspend, (void *)16, 8)));
}

/* A write to a full pipe, interrupted by a handler: restarted with
 * SA_RESTART (it returns once the reader has made room), EINTR without. */
static void full_pipe_write(int flags)
{
	static char buf[4096];
	int fds[2];
	long r;

	catch(SIGUSR1, on_usr1, flags);
	pipe2(fds, O_NONBLOCK);
	while (write(fds[1], buf, sizeof(buf)) > 0 || write(fds[1], buf, 1) > 0)
		;
	fcntl(fds[1], F_SETFL, 0);
	send_later(SIGUSR1, 0);
	fflush(stdout);
	if (fork() == 0) {      /* the reader: drains the pipe after the signal */
		sleep_ms(300);
		while (read(fds[0], buf, sizeof(buf)) > 0)
			;
		_exit(0);
	}
	r = write(fds[1], "x", 1);
	say("%s: write of 1 byte to a full pipe %s; handled %d",
	    flags ? "SA_RESTART" : "no SA_RESTART", result(r), (int)usr1);
}

static void pipe_write_restart(void)
{
	full_pipe_write(SA_RESTART);
}

static void pipe_write_eintr(void)
{
	full_pipe_write(0);
}

/* ---- sigaltstack ---- */

/* The system call itself: musl's sigaltstack checks some arguments (and
 * reads them) before the kernel sees them. */
static long altstack_call(const stack_t *ss, stack_t *old)
{
	return syscall(SYS_sigaltstack, ss, old);
}

static char altstack[65536] __attribute__((aligned(16)));

static const char *flags_words(int f)
{
	static char buf[64];

	snprintf(buf, sizeof(buf), "%s%s%s%s", f & SS_ONSTACK ? "SS_ONSTACK " : "",
		 f & SS_DISABLE ? "SS_DISABLE " : "", (unsigned)f & SS_AUTODISARM ? "SS_AUTODISARM " : "",
		 f & ~(SS_ONSTACK | SS_DISABLE | (int)SS_AUTODISARM) ? "others " : "");
	if (!buf[0])
		strcpy(buf, "0 ");
	buf[strlen(buf) - 1] = '\0';
	return buf;
}

/* What sigaltstack says now, the stack named by whether it is ours. */
static const char *query(void)
{
	static char buf[96];
	stack_t old;

	if (altstack_call(NULL, &old) < 0)
		return result(-1);
	snprintf(buf, sizeof(buf), "flags %s, sp %s, size %zu", flags_words(old.ss_flags),
		 old.ss_sp == altstack ? "ours" : old.ss_sp ? "other" : "NULL", old.ss_size);
	return buf;
}

static long set_ours(int flags, size_t size)
{
	stack_t ss = { .ss_sp = altstack, .ss_flags = flags, .ss_size = size };

	return altstack_call(&ss, NULL);
}

/* Each call, then what it left: "what: result; then: state". */
static void set_then(const char *what, int flags, size_t size)
{
	long r = set_ours(flags, size);

	say("%s %s; then: %s", what, result(r), query());
}

static volatile int on_alt, in_handler_eperm;
static char in_handler_query[96];

static void where(int sig)
{
	char here;

	on_alt = &here >= altstack && &here < altstack + sizeof(altstack);
	strcpy(in_handler_query, query());
	in_handler_eperm = set_ours(0, sizeof(altstack)) < 0 ? errno : 0;
}

static void altstack_delivery(void)
{
	say("at start: %s", query());
	set_then("set 64 KiB", 0, sizeof(altstack));
	catch(SIGUSR1, where, SA_ONSTACK);
	raise(SIGUSR1);
	say("SA_ONSTACK handler on it: %s; it saw: %s", yes(on_alt), in_handler_query);
	say("sigaltstack from that handler: %s", err_name(in_handler_eperm));
	catch(SIGUSR1, where, 0);
	raise(SIGUSR1);
	say("handler without SA_ONSTACK on it: %s; it saw: %s", yes(on_alt), in_handler_query);
	say("after: %s", query());
}

static void altstack_autodisarm(void)
{
	set_then("set SS_AUTODISARM", SS_AUTODISARM, sizeof(altstack));
	catch(SIGUSR1, where, SA_ONSTACK);
	raise(SIGUSR1);
	say("handler on it: %s; it saw: %s; its sigaltstack %s", yes(on_alt), in_handler_query,
	    err_name(in_handler_eperm));
	say("after the handler: %s", query());
}

static void altstack_errors(void)
{
	stack_t ss;
	long r;

	set_then("size 1000", 0, 1000);
	set_then("size MINSIGSTKSZ-1 (2047)", 0, 2047);
	set_then("flags 5", 5, sizeof(altstack));
	set_then("flags SS_ONSTACK", SS_ONSTACK, sizeof(altstack));
	set_then("SS_DISABLE", SS_DISABLE, 0);
	set_then("SS_DISABLE, size 1", SS_DISABLE, 1);
	say("bad new %s", result(altstack_call((void *)16, NULL)));
	set_ours(0, sizeof(altstack));
	say("bad old %s", result(altstack_call(NULL, (void *)16)));
	ss = (stack_t){ .ss_sp = altstack, .ss_size = 1000 };
	r = altstack_call(&ss, (void *)16);
	say("size 1000 with bad old %s; then: %s", result(r), query());
	ss.ss_size = 4096;
	r = altstack_call(&ss, (void *)16);
	say("size 4096 with bad old %s; then: %s", result(r), query());
}

#pragma GCC diagnostic ignored "-Winfinite-recursion"      /* it is the point */
static int overflow(int n)
{
	volatile char pad[4096];

	pad[0] = n;
	return overflow(n + 1) + pad[0];
}

static void leave(int sig) { _exit(3); }

/* The classic use: a handler for the SIGSEGV of a stack overflow. */
static void overflow_with(bool alt)
{
	pid_t child;
	int st;

	fflush(stdout);
	if ((child = fork()) == 0) {
		if (alt)
			set_ours(0, sizeof(altstack));
		catch(SIGSEGV, leave, SA_ONSTACK);
		overflow(0);
		_exit(0);
	}
	waitpid(child, &st, 0);
	say("stack overflow, SIGSEGV handler, %s altstack: %s", alt ? "an" : "no", status_words(st));
}

static void altstack_overflow(void)
{
	overflow_with(true);
	overflow_with(false);
}

static void *thread_query(void *arg)
{
	say("a new thread: %s", query());
	return NULL;
}

static void altstack_inherit(void)
{
	pthread_t t;
	pid_t child;

	set_ours(0, sizeof(altstack));
	fflush(stdout);
	if ((child = fork()) == 0) {
		say("a fork child: %s", query());
		_exit(0);
	}
	waitpid(child, NULL, 0);
	pthread_create(&t, NULL, thread_query, NULL);
	pthread_join(t, NULL);
	fflush(stdout);
	if ((child = fork()) == 0) {
		execl(self_path, self_path, "query", (char *)NULL);
		_exit(99);
	}
	waitpid(child, NULL, 0);
}

int main(int argc, char **argv)
{
	self_path = argv[0];
	if (argc == 2 && strcmp(argv[1], "query") == 0) {
		case_label = "[11] sigaltstack across fork, threads, exec";
		say("after exec: %s", query());
		return 0;
	}
	printf("== abi-sigwait ==\n");
	run_case("[11] sigsuspend swaps the mask", suspend_swaps_mask, 5);
	run_case("[11] sigsuspend, signal pending", suspend_pending, 5);
	run_case("[11] sigsuspend, SA_RESTART", suspend_sa_restart, 5);
	run_case("[11] sigsuspend errors", suspend_errors, 5);
	run_case("[11] pipe write and SA_RESTART", pipe_write_restart, 5);
	run_case("[11] pipe write without SA_RESTART", pipe_write_eintr, 5);
	run_case("[11] sigaltstack and SA_ONSTACK", altstack_delivery, 5);
	run_case("[11] sigaltstack SS_AUTODISARM", altstack_autodisarm, 5);
	run_case("[11] sigaltstack errors", altstack_errors, 5);
	run_case("[11] sigaltstack for a stack overflow", altstack_overflow, 10);
	run_case("[11] sigaltstack across fork, threads, exec", altstack_inherit, 5);
	return 0;
}
