/* /dev's devices (null, zero, full, random, urandom; the terminal's nodes
 * by their numbers) and /proc's links: /proc/self/exe, /proc/PID/exe and
 * /proc/self/fd/. On Linux, /dev is the devtmpfs linuxinit mounts. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

static void show(const char *what, long r)
{
	if (r < 0)
		printf("%s: %s\n", what, strerror(errno));
	else
		printf("%s: %ld\n", what, r);
}

static bool all_zero(const char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (buf[i])
			return false;
	return true;
}

static void devices(void)
{
	static const char *nodes[] = { "null", "zero", "full", "random", "urandom", "tty",
				       "console" };
	char buf[100], path[32];
	struct stat st;
	int fd;

	printf("-- /dev\n");
	for (size_t i = 0; i < sizeof(nodes) / sizeof(nodes[0]); i++) {
		snprintf(path, sizeof(path), "/dev/%s", nodes[i]);
		if (stat(path, &st) < 0)
			printf("%s: %s\n", path, strerror(errno));
		else
			printf("%s: a character device %s, %u:%u, mode %o\n", path,
			       S_ISCHR(st.st_mode) ? "yes" : "no", major(st.st_rdev),
			       minor(st.st_rdev), st.st_mode & 07777);
	}
	fd = open("/dev/null", O_RDWR);
	show("write 5 to /dev/null", write(fd, "hello", 5));
	show("read /dev/null", read(fd, buf, sizeof(buf)));
	close(fd);
	fd = open("/dev/zero", O_RDWR);
	memset(buf, 'x', sizeof(buf));
	show("read 100 from /dev/zero", read(fd, buf, sizeof(buf)));
	printf("all zeros: %s\n", all_zero(buf, sizeof(buf)) ? "yes" : "no");
	show("write to /dev/zero", write(fd, "abc", 3));
	close(fd);
	fd = open("/dev/full", O_RDWR);
	show("write to /dev/full", write(fd, "abc", 3));
	memset(buf, 'x', sizeof(buf));
	show("read from /dev/full", read(fd, buf, sizeof(buf)));
	printf("all zeros: %s\n", all_zero(buf, sizeof(buf)) ? "yes" : "no");
	close(fd);
	for (int i = 0; i < 2; i++) {
		fd = open(i ? "/dev/urandom" : "/dev/random", O_RDONLY);
		memset(buf, 0, sizeof(buf));
		show(i ? "read 64 from /dev/urandom" : "read 64 from /dev/random", read(fd, buf, 64));
		printf("not all zeros: %s\n", all_zero(buf, 64) ? "no" : "yes");
		close(fd);
	}
	show("write to /dev/urandom", write(fd = open("/dev/urandom", O_WRONLY), "seed", 4));
	close(fd);
	show("open a device that is not there", open("/dev/nothing", O_RDONLY));
}

/* readlink's answer as text, or the error. */
static const char *link_of(const char *path)
{
	static char buf[256];
	long n = readlink(path, buf, sizeof(buf) - 1);

	if (n < 0)
		return strerror(errno);
	buf[n] = '\0';
	return buf;
}

static void proc_links(const char *self)
{
	char path[64], buf[8];
	struct stat st;
	int fds[2], fd, dir;
	pid_t child;

	printf("-- /proc links\n");
	printf("/proc/self/exe is our path: %s\n", strcmp(link_of("/proc/self/exe"), self) ? "no" : "yes");
	lstat("/proc/self/exe", &st);
	printf("lstat: a link %s\n", S_ISLNK(st.st_mode) ? "yes" : "no");
	fd = open("/proc/self/exe", O_RDONLY);
	show("read the program through it", read(fd, buf, 4));
	printf("it starts with ELF: %s\n", memcmp(buf, "\177ELF", 4) ? "no" : "yes");
	close(fd);
	child = fork();
	if (child == 0) {
		pause();
		_exit(0);
	}
	snprintf(path, sizeof(path), "/proc/%d/exe", child);
	printf("a child's exe is the same: %s\n", strcmp(link_of(path), self) ? "no" : "yes");
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);

	mkdir("/t-dev", 0755);
	fd = open("/t-dev/file", O_RDWR | O_CREAT | O_TRUNC, 0644);
	write(fd, "data", 4);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	printf("fd of a file: %s\n", link_of(path));
	int again = open(path, O_RDONLY);
	memset(buf, 0, sizeof(buf));
	show("open it again through /proc/self/fd and read", read(again, buf, 4));
	printf("read %s\n", buf);
	close(again);
	printf("fd 0: %s\n", link_of("/proc/self/fd/0"));
	pipe(fds);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fds[0]);
	fstat(fds[0], &st);
	snprintf(buf, sizeof(buf), "%lu", (unsigned long)st.st_ino);
	char want[32];
	snprintf(want, sizeof(want), "pipe:[%lu]", (unsigned long)st.st_ino);
	printf("fd of a pipe is pipe:[its inode]: %s\n", strcmp(link_of(path), want) ? "no" : "yes");
	show("readlink a closed fd", readlink("/proc/self/fd/99", buf, sizeof(buf)));
	show("readlink /proc/self/fd itself", readlink("/proc/self/fd", buf, sizeof(buf)));

	/* the list: 0 1 2, the file, the pipe's ends, and the directory's own fd */
	dir = open("/proc/self/fd", O_RDONLY | O_DIRECTORY);
	DIR *d = fdopendir(dir);
	struct dirent *e;
	bool seen[64] = { false };
	while ((e = readdir(d)))
		if (e->d_name[0] != '.' && atoi(e->d_name) < 64)
			seen[atoi(e->d_name)] = e->d_type == DT_LNK;
	printf("/proc/self/fd lists (links):");
	for (int i = 0; i < 64; i++)
		if (seen[i])
			printf(" %d", i);
	printf("\n");
	closedir(d);
}

int main(int argc, char **argv)
{
	printf("== abi-devfiles ==\n");
	devices();
	proc_links(argv[0]);
	return 0;
}
