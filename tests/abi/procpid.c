/* == abi-procpid == : /proc/PID/cmdline, comm and status, as ps and top
 * read them. cmdline is the arguments, each ending in a NUL, read from the
 * process's memory (so a program that rewrites its argv shows the change);
 * a zombie's is empty. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* The whole file, read chunk bytes at a time; its length, -1 if none. */
static long slurp(const char *path, char *buf, size_t size, size_t chunk)
{
	int fd = open(path, O_RDONLY);
	long got = 0, n;

	if (fd < 0)
		return -1;
	while ((size_t)got < size && (n = read(fd, buf + got, chunk < size - got ? chunk : size - got)) > 0)
		got += n;
	close(fd);
	return got;
}

/* cmdline's bytes, a NUL shown as '|'. */
static void show_cmdline(const char *what, const char *path, size_t chunk)
{
	char buf[512];
	long n = slurp(path, buf, sizeof(buf), chunk);

	printf("%s: %ld bytes: ", what, n);
	for (long i = 0; i < n; i++)
		putchar(buf[i] ? buf[i] : '|');
	printf("\n");
}

/* The value of one line of a status file, "" if it has none. */
static const char *status_field(const char *text, const char *name)
{
	static char value[64];
	const char *p = strstr(text, name);

	value[0] = '\0';
	if (p && (p == text || p[-1] == '\n') && p[strlen(name)] == ':') {
		p += strlen(name) + 1;
		p += strspn(p, "\t ");
		snprintf(value, sizeof(value), "%.*s", (int)strcspn(p, "\n"), p);
	}
	return value;
}

static void status(void)
{
	char text[4096], want[32];
	long n = slurp("/proc/self/status", text, sizeof(text) - 1, sizeof(text));

	text[n > 0 ? n : 0] = '\0';
	printf("Name: %s\n", status_field(text, "Name"));
	printf("State: %s\n", status_field(text, "State"));
	snprintf(want, sizeof(want), "%d", getpid());
	printf("Pid is getpid(): %s\n", strcmp(status_field(text, "Pid"), want) ? "no" : "yes");
	printf("Tgid is getpid(): %s\n", strcmp(status_field(text, "Tgid"), want) ? "no" : "yes");
	snprintf(want, sizeof(want), "%d", getppid());
	printf("PPid is getppid(): %s\n", strcmp(status_field(text, "PPid"), want) ? "no" : "yes");
	printf("Threads: %s\n", status_field(text, "Threads"));
	printf("VmRSS ends in kB: %s\n", strstr(status_field(text, "VmRSS"), " kB") ? "yes" : "no");
}

/* Until process pid is a zombie: its state in /proc/PID/stat is Z. */
static void wait_for_zombie(pid_t pid)
{
	char path[64], buf[256], *state;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	for (int tries = 0; tries < 200; tries++) {
		long n = slurp(path, buf, sizeof(buf) - 1, sizeof(buf));
		buf[n > 0 ? n : 0] = '\0';
		if ((state = strrchr(buf, ')')) && state[1] == ' ' && state[2] == 'Z')
			return;
		usleep(10000);
	}
}

int main(int argc, char **argv)
{
	char path[64], buf[64];
	int go[2], st;
	pid_t pid;

	if (argc > 1) {                 /* the child: rewrite an argument, wait */
		argv[1][0] = 'X';
		read(0, buf, 1);
		return 0;
	}
	printf("== abi-procpid ==\n");
	show_cmdline("self", "/proc/self/cmdline", 4096);
	show_cmdline("self, 3 bytes a read", "/proc/self/cmdline", 3);
	snprintf(path, sizeof(path), "/proc/self/task/%ld/cmdline", (long)syscall(SYS_gettid));
	show_cmdline("its thread", path, 4096);
	printf("comm: %ld bytes: %.*s", slurp("/proc/self/comm", buf, sizeof(buf), 64),
	       (int)sizeof(buf), buf);
	status();
	fflush(stdout);

	/* A child that execs this program with arguments, rewrites one, and
	 * waits on a pipe until it is let go. */
	pipe(go);
	if ((pid = fork()) == 0) {
		dup2(go[0], 0);
		close(go[1]);
		execl(argv[0], argv[0], "one", "two words", "", "last", (char *)NULL);
		_exit(127);
	}
	close(go[0]);
	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	/* until the child has run exec and rewritten its argument */
	for (int tries = 0; tries < 200; tries++) {
		long n = slurp(path, buf, sizeof(buf), sizeof(buf));
		if (n > (long)strlen(buf) + 1 && buf[strlen(buf) + 1] == 'X')
			break;
		usleep(10000);
	}
	show_cmdline("child after exec", path, 4096);
	close(go[1]);
	wait_for_zombie(pid);
	show_cmdline("child as a zombie", path, 4096);
	waitpid(pid, &st, 0);
	show_cmdline("child reaped", path, 4096);
	return 0;
}
