/* == abi-fifo == : mknod and mkfifo (man 2 mknod, man 7 fifo). A FIFO is
 * a pipe with a name: opening it for reading waits for a writer and for
 * writing waits for a reader, unless O_NONBLOCK (a lone reader goes on, a
 * lone writer gets ENXIO); O_RDWR waits for no one. Its bytes never reach
 * the file system. Also mknod's other types and its refusals. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#define FIFO "/fifo.test"

static void result(const char *what, long r)
{
	printf("%s: %ld%s%s\n", what, r, r < 0 ? " " : "", r < 0 ? strerror(errno) : "");
}

static void show_type(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		printf("%s: %s\n", path, strerror(errno));
	else
		printf("%s: %s, mode %o, size %ld\n", path,
		       S_ISFIFO(st.st_mode) ? "a FIFO" : S_ISREG(st.st_mode) ? "a regular file" :
		       S_ISCHR(st.st_mode) ? "a character device" : "something else",
		       st.st_mode & 07777, (long)st.st_size);
}

/* A child writes to the FIFO; the parent's open waits for it, reads its
 * line, then end of file once the child has closed. */
static void round_trip(void)
{
	char buf[64] = { 0 };
	pid_t pid = fork();
	int fd, st;

	if (pid == 0) {
		fd = open(FIFO, O_WRONLY);
		write(fd, "through the fifo\n", 17);
		_exit(0);
	}
	fd = open(FIFO, O_RDONLY);
	result("read", read(fd, buf, sizeof(buf) - 1));
	printf("got: %s", buf);
	waitpid(pid, &st, 0);
	result("read after the writer closed", read(fd, buf, sizeof(buf)));
	close(fd);
}

static void nonblocking(void)
{
	char buf[8];
	int r, w;

	result("open O_WRONLY|O_NONBLOCK, no reader", open(FIFO, O_WRONLY | O_NONBLOCK));
	r = open(FIFO, O_RDONLY | O_NONBLOCK);
	result("open O_RDONLY|O_NONBLOCK, no writer", r >= 0 ? 0 : -1);
	result("read with no writer", read(r, buf, sizeof(buf)));
	w = open(FIFO, O_WRONLY | O_NONBLOCK);
	result("open O_WRONLY|O_NONBLOCK with a reader", w >= 0 ? 0 : -1);
	result("write", write(w, "abc", 3));
	result("read", read(r, buf, sizeof(buf)));
	result("read, empty, a writer open", read(r, buf, sizeof(buf)));
	close(w);
	close(r);
	w = open(FIFO, O_RDWR);
	result("open O_RDWR alone", w >= 0 ? 0 : -1);
	result("write", write(w, "hello", 5));
	result("read it back", read(w, buf, sizeof(buf)));
	close(w);
}

int main(void)
{
	printf("== abi-fifo ==\n");
	umask(022);
	unlink(FIFO);
	result("mkfifo", mkfifo(FIFO, 0666));
	show_type(FIFO);
	result("mkfifo again", mkfifo(FIFO, 0666));
	fflush(stdout);
	round_trip();
	nonblocking();
	show_type(FIFO);
	result("unlink", unlink(FIFO));

	result("mknod S_IFREG", mknod("/mknod.reg", S_IFREG | 0600, 0));
	show_type("/mknod.reg");
	unlink("/mknod.reg");
	result("mknod type 0", mknod("/mknod.zero", 0644, 0));
	show_type("/mknod.zero");
	unlink("/mknod.zero");
	result("mknod S_IFCHR 1:3", mknod("/mknod.null", S_IFCHR | 0666, makedev(1, 3)));
	show_type("/mknod.null");
	result("write to it", write(open("/mknod.null", O_WRONLY), "x", 1));
	unlink("/mknod.null");
	result("mknod S_IFDIR", mknod("/mknod.dir", S_IFDIR | 0755, 0));
	result("mknod in a missing directory", mknod("/no/such/fifo", S_IFIFO | 0644, 0));
	result("mknodat in /proc", mknodat(AT_FDCWD, "/proc/fifo", S_IFIFO | 0644, 0));
	return 0;
}
