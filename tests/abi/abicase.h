/* Shared by the Linux-ABI test programs whose cases may hang or kill the
 * process on a kernel that gets them wrong: each case runs in a child of
 * its own process group, under a watchdog, so the program always finishes
 * and says what happened. Each case prints one line, "[N] what: result",
 * N being the defect's number in issue 15 ("[N]" also keeps the line from
 * looking like a kernel log line to tests/40-abi.sh). */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *case_label;  /* "[N] what", of the running case */
static char *self_path;         /* argv[0]: cases exec this program again */

/* One result line of the running case. */
#define say(...) do { \
		printf("%s: ", case_label); \
		printf(__VA_ARGS__); \
		printf("\n"); \
		fflush(stdout); \
	} while (0)

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, ms % 1000 * 1000000 };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* An errno as its name, for the errors these cases can meet. */
static const char *err_name(int e)
{
	static const struct { int e; const char *name; } names[] = {
		{ 0, "no error" }, { EPERM, "EPERM" }, { ENOENT, "ENOENT" },
		{ ESRCH, "ESRCH" }, { EINTR, "EINTR" }, { EBADF, "EBADF" },
		{ ECHILD, "ECHILD" }, { EAGAIN, "EAGAIN" }, { ENOMEM, "ENOMEM" },
		{ EACCES, "EACCES" }, { EFAULT, "EFAULT" }, { EEXIST, "EEXIST" },
		{ ENOTDIR, "ENOTDIR" }, { EINVAL, "EINVAL" }, { ENOSYS, "ENOSYS" },
		{ ENOEXEC, "ENOEXEC" }, { EPIPE, "EPIPE" }, { EROFS, "EROFS" },
	};
	static char other[32];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].e == e)
			return names[i].name;
	snprintf(other, sizeof(other), "errno %d", e);
	return other;
}

/* A system call's result in words: "returns 0" or "fails with EINTR". */
static inline const char *result(long r)
{
	static char buf[64];

	if (r < 0)
		snprintf(buf, sizeof(buf), "fails with %s", err_name(errno));
	else
		snprintf(buf, sizeof(buf), "returns %ld", r);
	return buf;
}

/* A wait status in words. */
static const char *status_words(int st)
{
	static char buf[64];

	if (WIFEXITED(st))
		snprintf(buf, sizeof(buf), "exits with status %d", WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		snprintf(buf, sizeof(buf), "killed by signal %d", WTERMSIG(st));
	else
		snprintf(buf, sizeof(buf), "wait status %#x", st);
	return buf;
}

/* Wait for a or b, reaping (and forgetting) any other child that ends
 * first: on tasklab this program is init, so orphans come to it. */
static pid_t wait_for_either(pid_t a, pid_t b, int *st)
{
	for (;;) {
		pid_t pid = waitpid(-1, st, 0);

		if (pid < 0 || pid == a || pid == b)
			return pid;
	}
}

/* Whether pid ends within about a second (it has been sent SIGKILL). */
static bool ends_soon(pid_t pid)
{
	for (int i = 0; i < 20; i++) {
		if (waitpid(pid, NULL, WNOHANG) == pid)
			return true;
		sleep_ms(50);
	}
	return false;
}

/* Run fn in a child process that leads a process group of its own. A
 * watchdog process SIGKILLs that group after secs seconds. If fn returns,
 * the child exits 0 and nothing more is said; any other end is printed:
 * its exit status or signal, or that it hung, or that even SIGKILL did not
 * end it (a task stuck in an uninterruptible sleep). */
static void run_case(const char *label, void (*fn)(void), int secs)
{
	volatile int *fired = mmap(NULL, sizeof(int), PROT_READ | PROT_WRITE,
				   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pid_t child, dog;
	int st;

	case_label = label;
	fflush(stdout);
	child = fork();
	if (child == 0) {
		setpgid(0, 0);
		fn();
		fflush(stdout);
		_exit(0);
	}
	setpgid(child, child);  /* both sides: neither may run first */
	dog = fork();
	if (dog == 0) {
		sleep_ms(secs * 1000L);
		*fired = 1;
		kill(-child, SIGKILL);
		_exit(0);
	}
	if (wait_for_either(child, dog, &st) == child) {
		kill(dog, SIGKILL);
		waitpid(dog, NULL, 0);
		if (*fired)
			say("timed out (hang)");
		else if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			say("the case's process %s", status_words(st));
	} else if (ends_soon(child)) {
		say("timed out (hang)");
	} else {
		say("timed out (hang), and SIGKILL did not end it");
	}
	munmap((void *)fired, sizeof(int));
}
