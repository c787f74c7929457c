/* usertests: the root file system's memory. A file's bytes are page
 * frames, counted as Shmem in /proc/meminfo; they must all come back when
 * the last name goes and no fd holds the file (the run's free-pages check
 * then sees every index page back too), and a file system that runs out
 * must say -ENOSPC and keep what it had. On Linux, /proc/meminfo speaks of
 * the host's files: these tests run on tasklab only. */
#include "usertests.h"

#define FILES 100

static long shmem_pages(void)
{
	return meminfo_kb("Shmem") / (PAGE / 1024);
}

static void expect_shmem(long want, const char *when)
{
	long got = shmem_pages();

	check(got == want, "%s: Shmem is %ld pages, want %ld", when, got, want);
}

/* A file of pages pages of byte c, and if hole_at, one byte more there
 * (the pages between are a hole: no frame). */
static void make_file(const char *path, int pages, char c, long hole_at)
{
	static char page[PAGE];
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	check(fd >= 0, "create %s: %s", path, strerror(errno));
	memset(page, c, PAGE);
	for (int i = 0; i < pages; i++)
		check(write(fd, page, PAGE) == PAGE, "write %s: %s", path, strerror(errno));
	if (hole_at) {
		lseek(fd, hole_at, SEEK_SET);
		check(write(fd, &c, 1) == 1, "write past a hole in %s", path);
	}
	close(fd);
}

static void expect_byte(const char *path, long off, char want)
{
	int fd = open(path, O_RDONLY);
	char c = 0;

	check(fd >= 0 && lseek(fd, off, SEEK_SET) == off && read(fd, &c, 1) == 1,
	      "read %s at %ld: %s", path, off, strerror(errno));
	check(c == want, "%s at %ld: byte %d, want %d", path, off, c, want);
	close(fd);
}

/* Run test in a child, then remove what it leaves when a check fails part
 * way (a check exits at once), so that the run's free-pages count, and the
 * leak check of a run under fault injection, see only the kernel's losses.
 * The test's verdict is the child's. */
static void then_clean_up(void (*test)(void), void (*clean_up)(void))
{
	int status = run_child(test);

	clean_up();
	check(!WIFSIGNALED(status), "killed by signal %d", WTERMSIG(status));
	if (WEXITSTATUS(status))
		exit(WEXITSTATUS(status));      /* the child said why */
}

static void remove_storm(void)
{
	char name[64];

	for (int i = 0; i < FILES; i++) {
		snprintf(name, sizeof name, "/storm/f%d", i);
		unlink(name);
		snprintf(name, sizeof name, "/storm/g%d", i);
		unlink(name);
	}
	rmdir("/storm");
}

/* Create, write, rename over, truncate and unlink files in rounds; Shmem
 * follows every step to the page, and ends where it began. */
static void fs_storm(void)
{
	char name[64], other[64];
	long base, want;

	base = shmem_pages();
	check(mkdir("/storm", 0755) == 0, "mkdir /storm: %s", strerror(errno));
	for (int round = 0; round < 4; round++) {
		want = base;
		for (int i = 0; i < FILES; i++) {
			snprintf(name, sizeof name, "/storm/f%d", i);
			make_file(name, 1 + i % 3, 'a' + i % 26, i % 7 ? 0 : 64L * PAGE);
			want += 1 + i % 3 + (i % 7 == 0);
		}
		expect_shmem(want, "after creating the files");
		expect_byte("/storm/f7", 64L * PAGE, 'a' + 7);
		expect_byte("/storm/f7", 10L * PAGE, 0);
		/* f1 (2 pages) over f0 (1 page + 1 past a hole) */
		check(rename("/storm/f1", "/storm/f0") == 0, "rename: %s", strerror(errno));
		want -= 2;
		expect_shmem(want, "after a rename over a file");
		/* f5: 3 pages; cut to 1 page and a byte: 2 */
		check(raw_syscall(SYS_truncate, "/storm/f5", PAGE + 1) == 0, "truncate");
		want -= 1;
		expect_shmem(want, "after a truncate");
		/* f2: unlinked while open keeps its frames until the close */
		int fd = open("/storm/f2", O_RDONLY);
		unlink("/storm/f2");
		expect_shmem(want, "after unlinking an open file");
		close(fd);
		want -= 3;
		expect_shmem(want, "after closing it");
		for (int i = 0; i < FILES; i++) {
			snprintf(name, sizeof name, "/storm/f%d", i);
			snprintf(other, sizeof other, "/storm/g%d", i);
			rename(name, other);
			unlink(other);
		}
		expect_shmem(base, "after unlinking them all");
	}
	check(rmdir("/storm") == 0, "rmdir /storm: %s", strerror(errno));
}

void t_fs_storm(void)
{
	if (!on_linux)
		then_clean_up(fs_storm, remove_storm);
}

/* Write until the file system is full: -ENOSPC, the file as long as what
 * was written, every byte still right; the frames back after the unlink. */
static void fs_full(void)
{
	static char buf[16 * PAGE];
	long base, total = 0, n = 0, chunk = 0;
	struct stat st;
	int fd;

	base = shmem_pages();
	fd = open("/full", O_RDWR | O_CREAT | O_TRUNC, 0644);
	check(fd >= 0, "create /full: %s", strerror(errno));
	for (;; chunk++) {
		for (int p = 0; p < 16; p++)
			memset(buf + p * PAGE, (chunk * 16 + p) & 0xff, PAGE);
		if ((n = write(fd, buf, sizeof buf)) <= 0)
			break;              /* (after a short one, the next fails) */
		total += n;
	}
	check(n < 0 && errno == ENOSPC, "the write that did not fit: %ld (%s), want ENOSPC",
	      n, strerror(errno));
	check(total > meminfo_kb("MemTotal") * 1024 / 4,
	      "only %ld bytes fitted: tmpfs takes half of RAM", total);
	check(fstat(fd, &st) == 0 && st.st_size == total, "size %ld after writing %ld bytes",
	      (long)st.st_size, total);
	expect_shmem(base + (total + PAGE - 1) / PAGE, "when full");
	check(write(fd, "x", 1) < 0 && errno == ENOSPC, "one more byte: %s", strerror(errno));
	for (long off = 0; off < total; off += 997 * PAGE + 13)
		expect_byte("/full", off, (off / PAGE) & 0xff);
	expect_byte("/full", total - 1, ((total - 1) / PAGE) & 0xff);
	check(unlink("/full") == 0, "unlink: %s", strerror(errno));
	close(fd);
	expect_shmem(base, "after the unlink");
}

static void remove_full(void)
{
	unlink("/full");
}

void t_fs_full(void)
{
	if (!on_linux)
		then_clean_up(fs_full, remove_full);
}
