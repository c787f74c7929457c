/* The root file system's calls, each with good and bad arguments: open's
 * flags, read, write, lseek past the end, truncate, rename, unlink, mkdir,
 * rmdir, symlink, readlink, link, chmod, umask, fsync, utimensat, stat's fields, and
 * getdents64 of a directory that changes while it is listed. Linux's root
 * here is its rootfs, a tmpfs: tasklab's must answer as it does. Nothing
 * printed depends on inode numbers or the time of day, only on how they
 * relate. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TOP "/t-files"

/* One line: what was done, and what the call returned or which error. */
static long show(const char *what, long r)
{
	if (r < 0)
		printf("%s: %s\n", what, strerror(errno));
	else
		printf("%s: %ld\n", what, r);
	return r;
}

static void put(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0 || write(fd, text, strlen(text)) != (long)strlen(text))
		printf("cannot write %s: %s\n", path, strerror(errno));
	close(fd);
}

/* The file's bytes, as text (at most 63). */
static const char *get(const char *path)
{
	static char buf[64];
	int fd = open(path, O_RDONLY);
	long n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

	close(fd);
	if (n < 0)
		return strerror(errno);
	buf[n] = '\0';
	return buf;
}

static struct stat st_of(const char *path)
{
	struct stat st = { 0 };

	if (lstat(path, &st) < 0)
		printf("lstat %s: %s\n", path, strerror(errno));
	return st;
}

static void opens(void)
{
	int fd;
	char buf[16] = "";

	printf("-- open\n");
	put(TOP "/f", "hello");
	show("O_CREAT|O_EXCL on a file that exists", open(TOP "/f", O_WRONLY | O_CREAT | O_EXCL, 0644));
	show("no O_CREAT, no file", open(TOP "/nothing", O_RDONLY));
	show("O_CREAT in a directory that is not there", open(TOP "/no/f", O_WRONLY | O_CREAT, 0644));
	show("a file as a directory on the way", open(TOP "/f/x", O_RDONLY));
	show("O_DIRECTORY on a file", open(TOP "/f", O_RDONLY | O_DIRECTORY));
	show("O_WRONLY on a directory", open(TOP, O_WRONLY));
	show("O_CREAT on a directory", open(TOP, O_RDONLY | O_CREAT, 0644));
	show("write to an O_RDONLY fd", write(fd = open(TOP "/f", O_RDONLY), "x", 1));
	close(fd);
	fd = open(TOP "/f", O_RDWR | O_APPEND);
	lseek(fd, 0, SEEK_SET);
	show("O_APPEND write after lseek to 0", write(fd, " world", 6));
	show("...then the offset", lseek(fd, 0, SEEK_CUR));
	close(fd);
	printf("the file: %s\n", get(TOP "/f"));
	fd = open(TOP "/f", O_RDWR | O_TRUNC);
	printf("O_TRUNC: size %ld\n", (long)st_of(TOP "/f").st_size);
	show("read of the empty file", read(fd, buf, sizeof(buf)));
	close(fd);
	umask(022);
	close(open(TOP "/mode", O_WRONLY | O_CREAT, 0777));
	printf("created with 0777 under umask 022: %o\n", st_of(TOP "/mode").st_mode & 07777);
	show("creat", fd = creat(TOP "/creat", 0600));
	printf("creat's mode: %o\n", st_of(TOP "/creat").st_mode);
	close(fd);
	char longname[300];
	memset(longname, 'n', sizeof(longname));
	memcpy(longname, TOP "/", strlen(TOP "/"));
	longname[strlen(TOP "/") + 256] = '\0';
	show("a name of 256 bytes", open(longname, O_WRONLY | O_CREAT, 0644));
}

static void reads_writes(void)
{
	static char big[10000];
	char buf[16];
	int fd = open(TOP "/data", O_RDWR | O_CREAT | O_TRUNC, 0644);
	struct stat st;

	printf("-- read, write, lseek\n");
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = 'a' + i % 26;
	show("write 10000 bytes", write(fd, big, sizeof(big)));
	show("lseek to 4094", lseek(fd, 4094, SEEK_SET));
	memset(buf, 0, sizeof(buf));
	show("read 4 across a page boundary", read(fd, buf, 4));
	printf("they are %s (want %.4s)\n", buf, big + 4094);
	show("read at the end", (lseek(fd, 0, SEEK_END), read(fd, buf, 4)));
	show("lseek before the start", lseek(fd, -1, SEEK_SET));
	show("lseek with a bad whence", lseek(fd, 0, 7));
	show("lseek 1 MiB past the end", lseek(fd, 1 << 20, SEEK_END));
	show("write one byte there", write(fd, "z", 1));
	fstat(fd, &st);
	printf("size %ld, blocks %ld (a hole costs nothing)\n", (long)st.st_size, (long)st.st_blocks);
	show("read in the hole", (lseek(fd, 100000, SEEK_SET), read(fd, buf, 8)));
	printf("the hole reads as zeros: %s\n", memcmp(buf, "\0\0\0\0\0\0\0\0", 8) ? "no" : "yes");
	show("write from a bad address", write(fd, (void *)16, 8));
	show("read into a bad address", (lseek(fd, 0, SEEK_SET), read(fd, (void *)16, 8)));
	show("write to a bad fd", write(99, "x", 1));
	close(fd);
}

static void truncates(void)
{
	char buf[8];
	int fd;

	printf("-- truncate, ftruncate\n");
	put(TOP "/t", "0123456789");
	show("truncate to 4", truncate(TOP "/t", 4));
	printf("the file: %s\n", get(TOP "/t"));
	show("truncate up to 8000", truncate(TOP "/t", 8000));
	fd = open(TOP "/t", O_RDONLY);
	show("read past the old end", (lseek(fd, 4, SEEK_SET), read(fd, buf, 8)));
	printf("zeros where the cut bytes were: %s\n", memcmp(buf, "\0\0\0\0\0\0\0\0", 8) ? "no" : "yes");
	show("ftruncate on an O_RDONLY fd", ftruncate(fd, 0));
	close(fd);
	show("truncate to a negative length", truncate(TOP "/t", -1));
	show("truncate a directory", truncate(TOP, 0));
	show("truncate what is not there", truncate(TOP "/nothing", 0));
	show("ftruncate a bad fd", ftruncate(99, 0));
	fd = open(TOP "/t", O_RDWR);
	show("ftruncate to 3", ftruncate(fd, 3));
	printf("size %ld\n", (long)st_of(TOP "/t").st_size);
	close(fd);
}

static void renames(void)
{
	printf("-- rename\n");
	put(TOP "/r1", "one");
	put(TOP "/r2", "two");
	link(TOP "/r2", TOP "/r2-link");
	show("a file over another", rename(TOP "/r1", TOP "/r2"));
	printf("r2 now: %s; r1: %s; the old r2 by its other name: %s\n", get(TOP "/r2"),
	       get(TOP "/r1"), get(TOP "/r2-link"));
	printf("its links now: %ld\n", (long)st_of(TOP "/r2-link").st_nlink);
	show("a file onto itself", rename(TOP "/r2", TOP "/r2"));
	show("onto another name of the same file", rename(TOP "/r2-link", TOP "/r2-link"));
	show("what is not there", rename(TOP "/nothing", TOP "/x"));
	show("into a directory that is not there", rename(TOP "/r2", TOP "/no/x"));
	mkdir(TOP "/d1", 0755);
	mkdir(TOP "/d1/sub", 0755);
	mkdir(TOP "/d2", 0755);
	put(TOP "/d2/f", "x");
	show("a directory into itself", rename(TOP "/d1", TOP "/d1/sub/d1"));
	show("a directory onto its own child", rename(TOP "/d1", TOP "/d1/sub"));
	show("a directory onto a file", rename(TOP "/d1", TOP "/r2"));
	show("a file onto a directory", rename(TOP "/r2", TOP "/d1"));
	show("a directory onto a non-empty one", rename(TOP "/d1", TOP "/d2"));
	show("a parent onto its child", rename(TOP "/d1/sub", TOP "/d1"));
	mkdir(TOP "/empty", 0755);
	show("a directory onto an empty one", rename(TOP "/d1", TOP "/empty"));
	printf("links of %s: %ld, of the top: %ld\n", "empty", (long)st_of(TOP "/empty").st_nlink,
	       (long)st_of(TOP).st_nlink);
	show("a directory into another", rename(TOP "/empty", TOP "/d2/moved"));
	printf("links of d2: %ld, of the top: %ld\n", (long)st_of(TOP "/d2").st_nlink,
	       (long)st_of(TOP).st_nlink);
	show("its child is there", access(TOP "/d2/moved/sub", F_OK));
	show("renameat with AT_FDCWD", renameat(AT_FDCWD, TOP "/r2", AT_FDCWD, TOP "/r3"));
	show("a name in /proc", rename(TOP "/r3", "/proc/r3"));
}

static void unlinks(void)
{
	char buf[8] = "";
	struct stat st;
	int fd;

	printf("-- unlink, rmdir, mkdir\n");
	put(TOP "/u", "kept");
	fd = open(TOP "/u", O_RDONLY);
	show("unlink a file that is open", unlink(TOP "/u"));
	show("read it after", read(fd, buf, 4));
	fstat(fd, &st);
	printf("read %.4s; links %ld\n", buf, (long)st.st_nlink);
	close(fd);
	show("unlink it again", unlink(TOP "/u"));
	show("unlink a directory", unlink(TOP "/d2"));
	show("unlinkat AT_REMOVEDIR a file", unlinkat(AT_FDCWD, TOP "/f", AT_REMOVEDIR));
	show("unlinkat with a bad flag", unlinkat(AT_FDCWD, TOP "/f", 1));
	show("rmdir a file", rmdir(TOP "/f"));
	show("rmdir a non-empty directory", rmdir(TOP "/d2"));
	show("rmdir what is not there", rmdir(TOP "/nothing"));
	show("rmdir .", rmdir(TOP "/d2/."));
	show("rmdir ..", rmdir(TOP "/d2/moved/.."));
	show("rmdir an empty directory", rmdir(TOP "/d2/moved/sub"));
	show("mkdir with a trailing slash", mkdir(TOP "/slash/", 0755));
	show("mkdir what exists", mkdir(TOP "/d2", 0755));
	show("mkdir under a file", mkdir(TOP "/f/d", 0755));
	show("mkdir under nothing", mkdir(TOP "/no/d", 0755));
	show("mkdir in /proc", mkdir("/proc/d", 0755));
	show("umask 027 (the old one)", umask(027));
	mkdir(TOP "/masked", 0777);
	printf("mkdir 0777 under umask 027: %o\n", st_of(TOP "/masked").st_mode & 07777);
	show("umask back", umask(022));
	/* a directory removed while open lists nothing, and takes no new names */
	mkdir(TOP "/gone", 0755);
	fd = open(TOP "/gone", O_RDONLY | O_DIRECTORY);
	rmdir(TOP "/gone");
	show("getdents64 of a removed directory", syscall(SYS_getdents64, fd, (char[256]){ 0 }, 256));
	show("create in it", openat(fd, "f", O_WRONLY | O_CREAT, 0644));
	close(fd);
}

static void links(void)
{
	char buf[64];
	struct stat a, b;

	printf("-- link, symlink, readlink\n");
	put(TOP "/l", "linked");
	show("link", link(TOP "/l", TOP "/l2"));
	a = st_of(TOP "/l");
	b = st_of(TOP "/l2");
	printf("links %ld and %ld, the same inode: %s\n", (long)a.st_nlink, (long)b.st_nlink,
	       a.st_ino == b.st_ino ? "yes" : "no");
	show("link onto a name that exists", link(TOP "/l", TOP "/l2"));
	show("link a directory", link(TOP "/d2", TOP "/d3"));
	show("link what is not there", link(TOP "/nothing", TOP "/l3"));
	show("linkat with a bad flag", linkat(AT_FDCWD, TOP "/l", AT_FDCWD, TOP "/l3", 1));
	unlink(TOP "/l");
	printf("after unlinking one: %s, links %ld\n", get(TOP "/l2"), (long)st_of(TOP "/l2").st_nlink);

	show("symlink", symlink("l2", TOP "/s"));
	show("symlink onto a name that exists", symlink("x", TOP "/s"));
	show("symlink to nothing at all", symlink("", TOP "/s0"));
	printf("through the link: %s\n", get(TOP "/s"));
	a = st_of(TOP "/s");
	printf("lstat: a link %s, size %ld\n", S_ISLNK(a.st_mode) ? "yes" : "no", (long)a.st_size);
	stat(TOP "/s", &a);
	printf("stat: a regular file %s\n", S_ISREG(a.st_mode) ? "yes" : "no");
	memset(buf, 0, sizeof(buf));
	show("readlink", readlink(TOP "/s", buf, sizeof(buf)));
	printf("it says %s\n", buf);
	show("readlink into 1 byte", readlink(TOP "/s", buf, 1));
	show("readlink into 0 bytes", syscall(SYS_readlink, TOP "/s", buf, 0));
	show("readlink a file", readlink(TOP "/l2", buf, sizeof(buf)));
	show("readlink what is not there", readlink(TOP "/nothing", buf, sizeof(buf)));
	show("readlinkat from the directory", readlinkat(open(TOP, O_RDONLY), "s", buf, sizeof(buf)));
	show("O_NOFOLLOW on a link", open(TOP "/s", O_RDONLY | O_NOFOLLOW));
	symlink("nowhere", TOP "/dangling");
	show("stat a dangling link", stat(TOP "/dangling", &a));
	show("lstat it", lstat(TOP "/dangling", &a));
	show("O_CREAT through it", open(TOP "/dangling", O_WRONLY | O_CREAT, 0644));
	show("...made the file it names", access(TOP "/nowhere", F_OK));
	symlink("loop2", TOP "/loop1");
	symlink("loop1", TOP "/loop2");
	show("stat a loop of links", stat(TOP "/loop1", &a));
	symlink("d2/moved", TOP "/dirlink");
	put(TOP "/d2/marker", "in d2");
	printf("dirlink/../marker (.. of where the link leads): %s\n", get(TOP "/dirlink/../marker"));
	symlink(TOP "/d2", TOP "/abslink");
	printf("an absolute link on the way: %s\n", get(TOP "/abslink/marker"));
	show("unlink a link (not what it names)", unlink(TOP "/s"));
	printf("l2 still: %s\n", get(TOP "/l2"));
	show("rename a link", rename(TOP "/abslink", TOP "/abslink2"));
	printf("it still leads there: %s\n", get(TOP "/abslink2/marker"));
}

static void modes(char *self)
{
	int fd, status;

	printf("-- chmod, exec\n");
	show("chmod", chmod(TOP "/l2", 0600));
	printf("mode %o\n", st_of(TOP "/l2").st_mode & 07777);
	show("chmod what is not there", chmod(TOP "/nothing", 0600));
	fd = open(TOP "/l2", O_RDONLY);
	show("fchmod", fchmod(fd, 0640));
	printf("mode %o\n", st_of(TOP "/l2").st_mode & 07777);
	close(fd);
	show("fchmod a bad fd", fchmod(99, 0640));
	show("fchmodat", fchmodat(AT_FDCWD, TOP "/l2", 0444, 0));
	printf("mode %o\n", st_of(TOP "/l2").st_mode & 07777);

	/* a copy of this program, exec'd from the RAM disk */
	int in = open(self, O_RDONLY), out = open(TOP "/prog", O_WRONLY | O_CREAT, 0644);
	char buf[4096];
	long n, copied = 0;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		copied += write(out, buf, n);
	close(in);
	close(out);
	printf("copied the program: %s\n", copied == st_of(self).st_size ? "all of it" : "not all");
	char *argv[] = { TOP "/prog", "child", NULL };
	show("exec it without an x bit", execv(argv[0], argv));
	chmod(TOP "/prog", 0755);
	fflush(stdout);
	if (fork() == 0) {
		execv(argv[0], argv);
		_exit(99);
	}
	wait(&status);
	printf("with one, the copy ran and exited %d\n", WEXITSTATUS(status));
}

static void syncs(void)
{
	int fds[2], fd = open(TOP "/l2", O_RDONLY), dir = open(TOP, O_RDONLY);

	printf("-- fsync\n");
	show("fsync a file", fsync(fd));
	show("fdatasync a file", fdatasync(fd));
	show("fsync a directory", fsync(dir));
	pipe(fds);
	show("fsync a pipe", fsync(fds[0]));
	show("fsync a bad fd", fsync(99));
	close(fd);
	close(dir);
	close(fds[0]);
	close(fds[1]);
}

static void stats(void)
{
	struct timespec now;
	struct stat st, before;

	printf("-- stat\n");
	clock_gettime(CLOCK_REALTIME, &now);
	put(TOP "/new", "12345");
	st = st_of(TOP "/new");
	printf("size %ld, mode %o, links %ld, blocks %ld, blksize %ld\n", (long)st.st_size,
	       st.st_mode, (long)st.st_nlink, (long)st.st_blocks, (long)st.st_blksize);
	printf("times within 2 s of the clock: %s\n",
	       labs(st.st_mtime - now.tv_sec) <= 2 && labs(st.st_ctime - now.tv_sec) <= 2 &&
	       labs(st.st_atime - now.tv_sec) <= 2 ? "yes" : "no");
	before = st;
	chmod(TOP "/new", 0600);
	st = st_of(TOP "/new");
	printf("chmod: ctime not before, mtime kept: %s\n",
	       st.st_ctime >= before.st_ctime && st.st_mtime == before.st_mtime &&
	       st.st_mtim.tv_nsec == before.st_mtim.tv_nsec ? "yes" : "no");
	st = st_of(TOP);
	printf("a directory: mode %o, links %ld\n", st.st_mode, (long)st.st_nlink);
	show("stat what is not there", stat(TOP "/nothing", &st));
	show("stat into a bad address", syscall(SYS_stat, TOP, (void *)16));
	show("fstatat with a bad flag", fstatat(AT_FDCWD, TOP, &st, 0x4));
}

/* "atime A.N mtime M.N" of path (not following a last link). */
static void show_times(const char *what, const char *path)
{
	struct stat st = st_of(path);

	printf("%s: atime %ld.%09ld mtime %ld.%09ld\n", what, (long)st.st_atime,
	       st.st_atim.tv_nsec, (long)st.st_mtime, st.st_mtim.tv_nsec);
}

/* Is path's modification time within a minute of now? */
static const char *mtime_is_now(const char *path)
{
	return labs(st_of(path).st_mtime - time(NULL)) < 60 ? "yes" : "no";
}

/* utimensat and futimens: given times, UTIME_NOW and UTIME_OMIT, a link
 * itself, and bad arguments. */
static void utimes_calls(void)
{
	struct timespec ts[2] = { { 1000, 5 }, { 2000, 7 } };
	int fd;

	printf("-- utimensat, futimens\n");
	put(TOP "/tm", "t");
	symlink("tm", TOP "/tm-link");
	show("utimensat given times", utimensat(AT_FDCWD, TOP "/tm", ts, 0));
	show_times("after", TOP "/tm");
	ts[0].tv_nsec = UTIME_OMIT, ts[1].tv_nsec = UTIME_NOW;
	show("utimensat OMIT, NOW", utimensat(AT_FDCWD, TOP "/tm", ts, 0));
	printf("atime kept: %ld, mtime now: %s\n", (long)st_of(TOP "/tm").st_atime,
	       mtime_is_now(TOP "/tm"));
	ts[0] = ts[1] = (struct timespec){ 3000, 0 };
	show("utimensat of the link itself", utimensat(AT_FDCWD, TOP "/tm-link", ts,
						       AT_SYMLINK_NOFOLLOW));
	printf("link mtime %ld, its target's now: %s\n", (long)st_of(TOP "/tm-link").st_mtime,
	       mtime_is_now(TOP "/tm"));
	show("utimensat through the link", utimensat(AT_FDCWD, TOP "/tm-link", ts, 0));
	show_times("target after", TOP "/tm");
	fd = open(TOP "/tm", O_RDONLY);
	show("futimens NULL (now)", futimens(fd, NULL));
	printf("mtime now: %s\n", mtime_is_now(TOP "/tm"));
	show("utimensat(fd, NULL, NULL, AT_SYMLINK_NOFOLLOW)",
	     syscall(SYS_utimensat, fd, NULL, NULL, AT_SYMLINK_NOFOLLOW));
	close(fd);
	show("futimens a bad fd", futimens(99, NULL));
	ts[0].tv_nsec = 1000000000;
	show("utimensat tv_nsec 10^9", utimensat(AT_FDCWD, TOP "/tm", ts, 0));
	ts[0].tv_nsec = -1;
	show("utimensat tv_nsec -1", utimensat(AT_FDCWD, TOP "/tm", ts, 0));
	ts[0].tv_nsec = ts[1].tv_nsec = UTIME_OMIT;
	show("utimensat both OMIT, no such file", utimensat(AT_FDCWD, TOP "/none", ts, 0));
	show("utimensat no such file", utimensat(AT_FDCWD, TOP "/none", NULL, 0));
	show("utimensat bad flags", utimensat(AT_FDCWD, TOP "/tm", NULL, 1));
	show("utimensat bad times pointer",
	     syscall(SYS_utimensat, AT_FDCWD, TOP "/tm", (void *)8, 0));
	show("utimensat NULL path, AT_FDCWD", syscall(SYS_utimensat, AT_FDCWD, NULL, NULL, 0));
}

/* The *at calls, relative to a directory's fd: and with a file's fd, or
 * no fd at all, in its place. */
static void at_calls(void)
{
	int dir = open(TOP "/at", O_RDONLY | O_DIRECTORY), file = open(TOP "/l2", O_RDONLY);
	char buf[16] = "";

	printf("-- the *at calls\n");
	if (dir < 0) {
		mkdir(TOP "/at", 0755);
		dir = open(TOP "/at", O_RDONLY | O_DIRECTORY);
	}
	show("mkdirat", mkdirat(dir, "sub", 0700));
	printf("its mode: %o\n", st_of(TOP "/at/sub").st_mode & 07777);
	close(openat(dir, "f", O_WRONLY | O_CREAT, 0644));
	show("linkat", linkat(dir, "f", dir, "sub/g", 0));
	show("symlinkat", symlinkat("sub/g", dir, "ln"));
	show("readlinkat", readlinkat(dir, "ln", buf, sizeof(buf)));
	show("linkat AT_SYMLINK_FOLLOW of the link", linkat(dir, "ln", dir, "h", AT_SYMLINK_FOLLOW));
	printf("links of f: %ld\n", (long)st_of(TOP "/at/f").st_nlink);
	show("renameat", renameat(dir, "h", dir, "sub/h"));
	show("fchmodat", fchmodat(dir, "f", 0600, 0));
	show("unlinkat", unlinkat(dir, "sub/g", 0));
	show("unlinkat a directory without AT_REMOVEDIR", unlinkat(dir, "sub", 0));
	show("unlinkat AT_REMOVEDIR a non-empty one", unlinkat(dir, "sub", AT_REMOVEDIR));
	unlinkat(dir, "sub/h", 0);
	show("unlinkat AT_REMOVEDIR", unlinkat(dir, "sub", AT_REMOVEDIR));
	show("mkdirat with a file's fd", mkdirat(file, "x", 0755));
	show("mkdirat with a bad fd", mkdirat(99, "x", 0755));
	show("symlinkat with a file's fd", symlinkat("x", file, "y"));
	show("unlinkat with a bad fd", unlinkat(99, "x", 0));
	show("renameat with a bad fd", renameat(99, "x", dir, "y"));
	show("an absolute path ignores a bad fd", mkdirat(99, TOP "/at/abs", 0755));
	close(dir);
	close(file);
}

/* Entries present from start to end are listed exactly once, whatever
 * else is created and removed meanwhile. */
static void listing(void)
{
	char buf[1024] __attribute__((aligned(8))), name[32];     /* 128 bytes used */
	int fd, seen[20] = { 0 }, other = 0;
	long n;

	printf("-- getdents64 of a changing directory\n");
	mkdir(TOP "/ls", 0755);
	for (int i = 0; i < 20; i++) {
		snprintf(name, sizeof(name), TOP "/ls/keep%d", i);
		put(name, "");
	}
	put(TOP "/ls/gone", "");
	fd = open(TOP "/ls", O_RDONLY | O_DIRECTORY);
	for (int round = 0; (n = syscall(SYS_getdents64, fd, buf, 128)) > 0; round++) {
		for (long off = 0; off < n; ) {
			struct dirent64 *d = (void *)(buf + off);
			int k;
			if (sscanf(d->d_name, "keep%d", &k) == 1 && k >= 0 && k < 20)
				seen[k]++;
			else if (strcmp(d->d_name, ".") && strcmp(d->d_name, "..") &&
				 strcmp(d->d_name, "gone") && strncmp(d->d_name, "new", 3))
				other++;
			off += d->d_reclen;
		}
		snprintf(name, sizeof(name), TOP "/ls/new%d", round);
		if (round < 3)          /* (a listing that grows as fast as it is read need never end) */
			put(name, "");
		if (round == 1)
			unlink(TOP "/ls/gone");
	}
	show("the last getdents64", n);
	int once = 0;
	for (int i = 0; i < 20; i++)
		once += seen[i] == 1;
	printf("unchanged entries listed once: %d of 20; strangers: %d\n", once, other);
	show("getdents64 into too small a buffer", (lseek(fd, 0, SEEK_SET),
	     syscall(SYS_getdents64, fd, buf, 8)));
	show("getdents64 of a file", syscall(SYS_getdents64, open(TOP "/l2", O_RDONLY), buf, 128));
	close(fd);
}

int main(int argc, char **argv)
{
	if (argc > 1)
		return 7;               /* the copy exec'd by modes() */
	printf("== abi-files ==\n");
	if (mkdir(TOP, 0755) < 0) {
		printf("mkdir " TOP ": %s\n", strerror(errno));
		return 1;
	}
	opens();
	reads_writes();
	truncates();
	renames();
	unlinks();
	links();
	modes(argv[0]);
	syncs();
	stats();
	at_calls();
	utimes_calls();
	listing();
	return 0;
}
