/* Issue 15's "also seen": regions that never merged (one per mmap, and an
 * mprotect split that stayed split after the protection came back), and a
 * working directory of /proc/self that meant whoever asked later. As
 * Linux: adjacent anonymous regions with the same protection are one, and
 * /proc/self is a link to the process's own directory. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096

static int maps_lines(void)
{
	char buf[4096];
	int fd = open("/proc/self/maps", O_RDONLY), lines = 0;
	ssize_t n;

	while (fd >= 0 && (n = read(fd, buf, sizeof buf)) > 0)
		for (ssize_t i = 0; i < n; i++)
			lines += buf[i] == '\n';
	close(fd);
	return lines;
}

/* Many adjacent mmaps make one region (two at most: the first may not
 * touch its neighbours). */
static void adjacent_mmaps(void)
{
	int before = maps_lines();
	char *top = mmap(NULL, 501 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	munmap(top, 501 * PAGE);        /* a hole to fill, page by page, from its top */
	for (int i = 500; i >= 1; i--)
		mmap(top + i * PAGE, PAGE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	printf("500 adjacent one-page mmaps add at most 2 regions: %s\n",
	       maps_lines() - before <= 2 ? "yes" : "no");
	munmap(top + PAGE, 500 * PAGE);
}

/* mprotect of a middle page splits a region in three; putting the
 * protection back joins them again. */
static void mprotect_split_and_join(void)
{
	char *p = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int whole = maps_lines(), split, joined;

	mprotect(p + PAGE, PAGE, PROT_READ);
	split = maps_lines();
	mprotect(p + PAGE, PAGE, PROT_READ | PROT_WRITE);
	joined = maps_lines();
	printf("mprotect of the middle page: %+d regions; protection back: %+d\n",
	       split - whole, joined - whole);
	munmap(p, 3 * PAGE);
}

/* chdir("/proc/self") is our own directory: getcwd names our pid, and a
 * child that inherits it reads our stat, not its own. */
static void proc_self_cwd(void)
{
	char cwd[64], want[64], stat[64];
	int fd, status;
	pid_t child;

	chdir("/proc/self");
	snprintf(want, sizeof want, "/proc/%d", getpid());
	printf("getcwd after chdir(\"/proc/self\") names our pid: %s\n",
	       getcwd(cwd, sizeof cwd) && strcmp(cwd, want) == 0 ? "yes" : "no");
	fflush(stdout);
	child = fork();
	if (child == 0) {
		ssize_t n = (fd = open("stat", O_RDONLY)) < 0 ? -1 : read(fd, stat, sizeof stat - 1);
		int pid = 0;

		if (n > 0) {
			stat[n] = '\0';
			sscanf(stat, "%d", &pid);
		}
		printf("a child reading ./stat there reads its parent's: %s\n",
		       pid == getppid() ? "yes" : "no");
		fflush(stdout);
		_exit(0);
	}
	waitpid(child, &status, 0);
	chdir("/");
}

int main(void)
{
	printf("== abi-regions ==\n");
	adjacent_mmaps();
	mprotect_split_and_join();
	proc_self_cwd();
	return 0;
}
