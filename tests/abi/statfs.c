/* == abi-statfs == : statfs and fstatfs (what df reads) and the mount
 * table in /proc/self/mounts (what df and mount list). The root is a tmpfs
 * on both kernels (Linux's rootfs): its size is half of RAM, so the
 * numbers differ between machines and are checked by their relations
 * only; a file's pages are taken from its free blocks. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

/* What does not depend on the machine. */
static void show(const char *what, int r, const struct statfs *sf)
{
	if (r < 0) {
		printf("%s: %s\n", what, strerror(errno));
		return;
	}
	printf("%s: type %#lx bsize %ld frsize %ld namelen %ld flags %#lx blocks %s, "
	       "bavail = bfree <= blocks: %s\n", what, (long)sf->f_type, (long)sf->f_bsize,
	       (long)sf->f_frsize, (long)sf->f_namelen, (long)sf->f_flags,
	       sf->f_blocks ? "some" : "none",
	       sf->f_bavail == sf->f_bfree && sf->f_bfree <= sf->f_blocks ? "yes" : "no");
}

static void by_path(const char *path)
{
	struct statfs sf;

	show(path, statfs(path, &sf), &sf);
}

static void by_fd(const char *what, int fd)
{
	struct statfs sf;

	show(what, fstatfs(fd, &sf), &sf);
}

/* The first three fields of each line of the mount table (the options
 * carry sizes). */
static void mounts(void)
{
	char source[64], dir[64], type[64], rest[256], link[64];
	FILE *f = fopen("/proc/self/mounts", "r");
	ssize_t n = readlink("/proc/mounts", link, sizeof(link) - 1);

	printf("/proc/mounts -> %.*s\n", (int)(n > 0 ? n : 0), link);
	while (f && fscanf(f, "%63s %63s %63s %255[^\n]", source, dir, type, rest) == 4)
		printf("mount: %s on %s type %s\n", source, dir, type);
	if (f)
		fclose(f);
}

/* Writing a 1 MiB file takes 256 of the root's 4 KiB blocks; removing
 * it gives them back. */
static void usage(void)
{
	static char mib[1 << 20];
	struct statfs before, during, after;
	int fd = open("/statfs.test", O_CREAT | O_WRONLY | O_TRUNC, 0644);

	memset(mib, 'x', sizeof(mib));
	statfs("/", &before);
	write(fd, mib, sizeof(mib));
	fstatfs(fd, &during);
	close(fd);
	unlink("/statfs.test");
	statfs("/", &after);
	printf("a 1 MiB file takes %ld blocks; removed, %ld\n",
	       (long)(before.f_bfree - during.f_bfree), (long)(before.f_bfree - after.f_bfree));
}

int main(void)
{
	struct statfs sf;
	int fds[2];

	printf("== abi-statfs ==\n");
	by_path("/");
	by_path("/proc");
	by_path("/proc/self/stat");
	by_path("/nonexistent");
	mkfifo("/statfs.fifo", 0644);           /* a FIFO's name: the root's, no pipe's */
	by_path("/statfs.fifo");
	unlink("/statfs.fifo");
	pipe(fds);
	by_fd("a pipe", fds[0]);
	by_fd("closed fd", 99);
	by_fd("/proc/self/status, open", open("/proc/self/status", O_RDONLY));
	by_fd("/, open", open("/", O_RDONLY | O_DIRECTORY));
	/* the system call itself: libc's statfs clears the buffer first */
	show("bad pointer", syscall(SYS_statfs, "/", (struct statfs *)8), &sf);
	mounts();
	usage();
	return 0;
}
