/*
 * cowtest: copy-on-write fork, seen from user space. /proc/self/pagemap
 * names the frame behind each page, so the tests can watch parent and
 * child share a frame after fork and stop sharing it after a write.
 * Under fork=copy (the kernel command line) the child never shares a
 * private page; the tests expect whichever mode /proc/cmdline says. Under
 * fork=odf parent and child share the page tables too, until one side
 * changes something in a table's 2 MiB: the tests on a 16 MiB region
 * write, unmap and exit on both sides of such shared tables.
 *
 *   cowtest [NAME...]      prints PASS cow/NAME or FAIL cow/NAME: why
 */
#include "ulib.h"

#define PAGE 4096
#define PM_PRESENT   (1UL << 63)
#define PM_EXCLUSIVE (1UL << 56)       /* mapped by this process alone */
#define PM_PFN(e)    ((e) & ((1UL << 55) - 1))

static bool eager;                  /* fork=copy: no sharing of private pages */
static int failures;

/* The pagemap entry of the page holding p (0 on error). */
static unsigned long pagemap(const void *p)
{
	unsigned long entry = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);

	if (fd < 0)
		return 0;
	if (lseek(fd, (unsigned long)p / PAGE * sizeof(entry), SEEK_SET) < 0 ||
	    read(fd, &entry, sizeof(entry)) != sizeof(entry))
		entry = 0;
	close(fd);
	return entry;
}

/* Free pages, with the freed kernel stacks kept for reuse (MemAvailable). */
static unsigned long free_pages(void)
{
	return meminfo_kb("MemAvailable") / (PAGE / 1024);
}

/* A private anonymous region of n pages, every page written. */
static char *touched(size_t pages, char fill)
{
	char *p = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	for (size_t i = 0; i < pages; i++)
		p[i * PAGE] = fill;
	return p;
}

/* Run fn in a child; the child's exit status 0 means it passed. */
static int in_child(int (*fn)(void *), void *arg)
{
	int status;
	pid_t pid = fork();

	if (pid == 0)
		_exit(fn(arg));
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* ---- the tests: each returns NULL or what went wrong ---- */

struct page_pair {
	char *page;
	unsigned long parent_pfn;
};

/* Child side of `share`: 1 = wrong sharing, 2 = the write did not copy. */
static int child_shares_then_copies(void *arg)
{
	struct page_pair *pp = arg;
	unsigned long before = pagemap(pp->page);

	if (!(before & PM_PRESENT) || (PM_PFN(before) == pp->parent_pfn) == eager)
		return 1;
	pp->page[0] = 'c';              /* the first write */
	unsigned long after = pagemap(pp->page);
	if (PM_PFN(after) == pp->parent_pfn || !(after & PM_EXCLUSIVE))
		return 2;
	return 0;
}

static const char *test_share(void)
{
	struct page_pair pp = { touched(1, 'p') };
	unsigned long e;

	if (!pp.page)
		return "mmap failed";
	pp.parent_pfn = PM_PFN(pagemap(pp.page));
	if (!pp.parent_pfn || !(pagemap(pp.page) & PM_EXCLUSIVE))
		return "pagemap shows no frame, or a shared one, before fork";
	switch (in_child(child_shares_then_copies, &pp)) {
	case 0: break;
	case 1: return eager ? "fork=copy, yet the child shares the parent's frame" :
			       "the child does not share the parent's frame after fork";
	case 2: return "the child's write did not give it a frame of its own";
	default: return "the child died";
	}
	e = pagemap(pp.page);
	if (pp.page[0] != 'p' || PM_PFN(e) != pp.parent_pfn)
		return "the parent's page changed";
	if (!(e & PM_EXCLUSIVE))
		return "the parent's frame is still counted as shared after the child left";
	munmap(pp.page, PAGE);
	return NULL;
}

static int child_writes_shared(void *arg)
{
	struct page_pair *pp = arg;

	if (PM_PFN(pagemap(pp->page)) != pp->parent_pfn)
		return 1;
	pp->page[0] = 'c';
	return PM_PFN(pagemap(pp->page)) == pp->parent_pfn ? 0 : 2;
}

static const char *test_shared_is_not_cow(void)
{
	struct page_pair pp;

	pp.page = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (pp.page == MAP_FAILED)
		return "mmap failed";
	pp.page[0] = 'p';
	pp.parent_pfn = PM_PFN(pagemap(pp.page));
	if (in_child(child_writes_shared, &pp) != 0)
		return "MAP_SHARED: the child's frame is not the parent's, before or after a write";
	if (pp.page[0] != 'c')
		return "MAP_SHARED: the parent does not see the child's write";
	munmap(pp.page, PAGE);
	return NULL;
}

static int child_writes_every_page(void *arg)
{
	char *p = arg;

	for (int i = 0; i < 4; i++)
		p[i * PAGE] = 'c';
	return (p[0] == 'c' && p[3 * PAGE] == 'c') ? 0 : 1;
}

static const char *test_both_write(void)
{
	char *p = touched(4, 'p');

	if (!p)
		return "mmap failed";
	if (in_child(child_writes_every_page, p) != 0)
		return "the child's writes went wrong";
	for (int i = 0; i < 4; i++)
		if (p[i * PAGE] != 'p')
			return "the child's write reached the parent";
	p[0] = 'q';
	munmap(p, 4 * PAGE);
	return NULL;
}

/* A read-only private page is shared too; making it writable in the child
 * and writing must still copy. */
static int child_unprotects(void *arg)
{
	char *p = arg;

	if (mprotect(p, PAGE, PROT_READ | PROT_WRITE) < 0)
		return 1;
	p[0] = 'c';
	return 0;
}

static const char *test_readonly_private(void)
{
	char *p = touched(1, 'p');

	if (!p || mprotect(p, PAGE, PROT_READ) < 0)
		return "mmap or mprotect failed";
	if (in_child(child_unprotects, p) != 0)
		return "the child could not write its page";
	if (p[0] != 'p')
		return "the child's write to a once read-only page reached the parent";
	munmap(p, PAGE);
	return NULL;
}

/* Child side of `last-user`: after the parent's write, the child still
 * has the page as it was, in the frame it shared (under fork=copy, its own). */
static int child_keeps_frame(void *arg)
{
	struct page_pair *pp = arg;

	return pp->page[0] == 'p' && (PM_PFN(pagemap(pp->page)) == pp->parent_pfn) != eager ?
	       0 : 1;
}

static int exit_at_once(void *arg)
{
	(void)arg;
	return 0;
}

/* The reference count decides a write's fault: a page another process
 * still maps is copied; a page whose other users have gone is taken back
 * as it is, in the same frame. */
static const char *test_last_user(void)
{
	struct page_pair pp = { touched(1, 'p') };
	int fds[2], status;
	bool copied;
	char c;
	pid_t pid;

	if (!pp.page || pipe(fds) < 0)
		return "mmap or pipe failed";
	pp.parent_pfn = PM_PFN(pagemap(pp.page));
	pid = fork();
	if (pid == 0) {
		read(fds[0], &c, 1);    /* until the parent has written */
		_exit(child_keeps_frame(&pp));
	}
	pp.page[0] = 'q';
	copied = PM_PFN(pagemap(pp.page)) != pp.parent_pfn;
	write(fds[1], "!", 1);
	waitpid(pid, &status, 0);
	close(fds[0]);
	close(fds[1]);
	if (!eager && !copied)
		return "the parent's write to a page its child still maps did not copy it";
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return "the parent's write changed the child's page or took its frame";
	pp.parent_pfn = PM_PFN(pagemap(pp.page));
	if (in_child(exit_at_once, NULL) != 0)
		return "the child died";
	pp.page[0] = 'r';
	if (PM_PFN(pagemap(pp.page)) != pp.parent_pfn)
		return "a write copied a page that no other process maps any more";
	munmap(pp.page, PAGE);
	return NULL;
}

/* The parent unmaps what it shares with a child: the child keeps its copy. */
static const char *test_munmap_while_shared(void)
{
	char *p = touched(8, 'x');
	int fds[2], status;
	char c = 0;
	pid_t pid;

	if (!p || pipe(fds) < 0)
		return "mmap or pipe failed";
	pid = fork();
	if (pid == 0) {
		read(fds[0], &c, 1);    /* wait until the parent has unmapped */
		_exit(p[7 * PAGE] == 'x' ? 0 : 1);
	}
	munmap(p, 8 * PAGE);
	write(fds[1], "!", 1);
	waitpid(pid, &status, 0);
	close(fds[0]);
	close(fds[1]);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? NULL :
	       "the child lost its pages when the parent unmapped the shared ones";
}

/* ---- a region of several page tables (fork=odf shares them) ---- */

#define RANGE      (2ul << 20)          /* what one PTE table maps */
#define BIG_PAGES  (16 * 256)           /* 16 MiB: 8 to 9 PTE tables */

/* The pages of the BIG_PAGES region p that mark() writes: pages 1 and 300
 * of every 2 MiB range, and the region's first and last pages, so that
 * every page table over the region gets a write wherever it starts. */
static bool marked(const char *p, size_t i)
{
	size_t in_range = ((unsigned long)p / PAGE + i) % (RANGE / PAGE);

	return in_range == 1 || in_range == 300 || i == 0 || i == BIG_PAGES - 1;
}

static void mark(char *p, char mine)
{
	for (size_t i = 0; i < BIG_PAGES; i++)
		if (marked(p, i))
			p[i * PAGE] = mine;
}

/* Does every page of the region hold `fill`, but the marked ones `mine`? */
static bool holds(const char *p, char fill, char mine)
{
	for (size_t i = 0; i < BIG_PAGES; i++)
		if (p[i * PAGE] != (marked(p, i) ? mine : fill))
			return false;
	return true;
}

/* Wait for a byte on fd (the other side is done): false on EOF. */
static bool await(int fd)
{
	char c;

	return read(fd, &c, 1) == 1;
}

/* Parent and child both write to every 2 MiB range of a 16 MiB region,
 * the child first (it copies each shared table), then the parent (the
 * last user of each table, it takes it back). Each must see its own writes
 * and none of the other's; the child's view is checked after the parent's
 * writes, the parent's after the child's. */
static const char *test_every_range(void)
{
	char *p = touched(BIG_PAGES, 'p');
	int to_parent[2], to_child[2], status;
	pid_t pid;

	if (!p || pipe(to_parent) < 0 || pipe(to_child) < 0)
		return "mmap or pipe failed";
	pid = fork();
	if (pid == 0) {
		mark(p, 'c');
		write(to_parent[1], "!", 1);
		_exit(await(to_child[0]) && holds(p, 'p', 'c') ? 0 : 1);
	}
	bool child_wrote = await(to_parent[0]);
	bool clean = holds(p, 'p', 'p');        /* nothing of the child's */
	mark(p, 'P');
	write(to_child[1], "!", 1);
	waitpid(pid, &status, 0);
	for (int i = 0; i < 2; i++) {
		close(to_parent[i]);
		close(to_child[i]);
	}
	if (!child_wrote || !clean)
		return "the child's writes reached the parent";
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return "the parent's writes reached the child, or the child lost its own";
	if (!holds(p, 'p', 'P'))
		return "the parent lost its writes";
	munmap(p, BIG_PAGES * PAGE);
	return NULL;
}

/* Child side of `child-changes-mappings`: munmap, mprotect and madvise in
 * ranges it shares with its parent, each across a 2 MiB boundary and in
 * page tables of its own (a change unshares the tables it touches). */
static int child_changes_mappings(void *arg)
{
	char *p = arg;
	char *bound = (char *)(((unsigned long)p + RANGE) & ~(RANGE - 1));    /* in p */

	if (munmap(bound - 2 * PAGE, 4 * PAGE) < 0 ||
	    mprotect(bound + 2 * RANGE - 2 * PAGE, 4 * PAGE, PROT_READ) < 0 ||
	    raw_syscall(SYS_madvise, bound + 4 * RANGE - 2 * PAGE, 4 * PAGE, MADV_DONTNEED) < 0)
		return 1;
	if (pagemap(bound - PAGE) & PM_PRESENT)
		return 2;                       /* still mapped */
	if (bound[2 * RANGE] != 'p' || bound[4 * RANGE] != 0 || bound[4 * RANGE - PAGE] != 0)
		return 3;
	return 0;
}

/* What the child unmaps, write-protects or drops stays mapped, writable
 * and filled in the parent. */
static const char *test_child_changes_mappings(void)
{
	char *p = touched(BIG_PAGES, 'p');

	if (!p)
		return "mmap failed";
	switch (in_child(child_changes_mappings, p)) {
	case 0: break;
	case 1: return "munmap, mprotect or madvise failed in the child";
	case 2: return "the child's munmap left the page mapped";
	case 3: return "the child's pages after mprotect or madvise are wrong";
	default: return "the child died";
	}
	if (!holds(p, 'p', 'p'))
		return "the child's munmap or madvise took pages from the parent";
	mark(p, 'P');                           /* SIGSEGV if its mprotect leaked */
	munmap(p, BIG_PAGES * PAGE);
	return NULL;
}

/* The process that forked exits first; its child, left the only user of
 * the tables, writes to every range and exits. Then every page is back.
 * The child is made with CLONE_PARENT, so that this process reaps both. */
static const char *test_forker_exits_first(void)
{
	unsigned long before = free_pages();
	int go[2], status, ok = 0;
	pid_t pid;

	if (pipe(go) < 0)
		return "pipe failed";
	pid = fork();
	if (pid == 0) {
		char *p = touched(BIG_PAGES, 'p');
		long child = p ? raw_syscall(SYS_clone, CLONE_PARENT | SIGCHLD, 0) : -1;
		if (child == 0) {
			close(go[1]);
			bool intact = await(go[0]) && holds(p, 'p', 'p');
			mark(p, 'c');
			_exit(intact && holds(p, 'p', 'c') ? 0 : 1);
		}
		_exit(child > 0 ? 0 : 1);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || status != 0) {
		ok = -1;
	} else {
		write(go[1], "!", 1);           /* its forker is gone: on with it */
		ok = wait(&status) > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
	}
	close(go[0]);
	close(go[1]);
	if (ok < 0)
		return "the fork or the clone failed";
	if (!ok)
		return "the child lost its pages when its forker exited";
	if (free_pages() != before) {
		static char msg[96];
		snprintf(msg, sizeof(msg), "%lu free pages before, %lu after both exited",
			 before, free_pages());
		return msg;
	}
	return NULL;
}

static const char *test_exec_after_fork(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		char *argv[] = { "echo", "exec after fork", NULL };
		execv("/bin/echo", argv);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? NULL : "exec after fork failed";
}

/* 1000 forks of a 16 MiB process (20 under fork=copy, where each copies
 * all 16 MiB): no page may be lost. */
static const char *test_many_forks(void)
{
	int rounds = eager ? 20 : 1000;
	char *p = touched(16 * 256, 'm');
	unsigned long before;

	if (!p)
		return "mmap failed";
	before = free_pages();
	for (int i = 0; i < rounds; i++) {
		int status;
		pid_t pid = fork();
		if (pid == 0) {
			p[(i % 4096) * PAGE] = 'c';
			_exit(0);
		}
		if (pid < 0 || waitpid(pid, &status, 0) != pid || status != 0)
			return "a fork, or its child, failed";
	}
	if (free_pages() != before) {
		static char msg[96];
		snprintf(msg, sizeof(msg), "%lu free pages before %d forks, %lu after",
			 before, rounds, free_pages());
		return msg;
	}
	munmap(p, 16 * 256 * PAGE);
	return NULL;
}

/* A 16 MiB process forks until fork fails: under fork=copy, for want of
 * memory part-way through a copy; under copy-on-write, at the task limit.
 * The failed fork, and the children once reaped, give every page back. */
static const char *test_fork_until_failure(void)
{
	static pid_t pids[1000];
	char *p = touched(16 * 256, 'f');
	unsigned long before;
	int n = 0, status, err;
	pid_t pid = 0;

	if (!p)
		return "mmap failed";
	before = free_pages();
	while (n < 1000 && (pid = fork()) > 0)
		pids[n++] = pid;
	if (pid == 0)
		for (;;)
			pause();
	err = errno;
	for (int i = 0; i < n; i++)
		kill(pids[i], SIGKILL);
	for (int i = 0; i < n; i++)
		waitpid(pids[i], &status, 0);
	if (pid > 0 || (err != ENOMEM && err != EAGAIN))
		return "fork never failed, or not with ENOMEM or EAGAIN";
	if (free_pages() != before) {
		static char msg[96];
		snprintf(msg, sizeof(msg), "%lu free pages before %d forks and a failed one, %lu after",
			 before, n, free_pages());
		return msg;
	}
	munmap(p, 16 * 256 * PAGE);
	return NULL;
}

static const struct {
	const char *name;
	const char *(*fn)(void);
} tests[] = {
	{ "share", test_share },
	{ "shared-not-cow", test_shared_is_not_cow },
	{ "both-write", test_both_write },
	{ "readonly-private", test_readonly_private },
	{ "last-user", test_last_user },
	{ "munmap-while-shared", test_munmap_while_shared },
	{ "every-range", test_every_range },
	{ "child-changes-mappings", test_child_changes_mappings },
	{ "forker-exits-first", test_forker_exits_first },
	{ "exec-after-fork", test_exec_after_fork },
	{ "many-forks", test_many_forks },
	{ "fork-until-failure", test_fork_until_failure },
};

static bool wanted(const char *name, int argc, char **argv)
{
	if (argc < 2)
		return true;
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return true;
	return false;
}

/* Is the kernel running with fork=copy? (A word of /proc/cmdline.) */
static bool kernel_copies(void)
{
	char buf[512] = "";
	int fd = open("/proc/cmdline", O_RDONLY);

	if (fd >= 0) {
		read(fd, buf, sizeof(buf) - 1);
		close(fd);
	}
	for (char *w = buf; *w; w++)
		if ((w == buf || w[-1] == ' ') && strncmp(w, "fork=copy", 9) == 0 &&
		    (w[9] == ' ' || w[9] == '\n' || w[9] == '\0'))
			return true;
	return false;
}

int main(int argc, char **argv)
{
	unsigned long before, after;

	eager = kernel_copies();
	printf("cowtest: fork %s\n", eager ? "copies pages (fork=copy)" : "is copy-on-write");
	before = free_pages();
	for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		if (!wanted(tests[i].name, argc, argv))
			continue;
		const char *why = tests[i].fn();
		if (why) {
			printf("FAIL cow/%s: %s\n", tests[i].name, why);
			failures++;
		} else {
			printf("PASS cow/%s\n", tests[i].name);
		}
	}
	after = free_pages();
	if (after != before) {
		printf("FAIL cow/free-pages: %lu before, %lu after\n", before, after);
		failures++;
	} else {
		printf("PASS cow/free-pages\n");
	}
	return failures ? 1 : 0;
}
