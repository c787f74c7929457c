/* usertests: memory (brk, mmap, munmap, mprotect, malloc), faults, time. */
#include "usertests.h"

/* ---- Memory ---- */

static bool all_bytes(const unsigned char *p, size_t n, unsigned char v)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != v)
			return false;
	return true;
}

void t_brk(void)
{
	unsigned long start = raw_syscall(SYS_brk, 0);
	unsigned char *base = (unsigned char *)((start + PAGE - 1) & ~(PAGE - 1UL));
	unsigned long top = (unsigned long)base + 3 * PAGE;

	check(raw_syscall(SYS_brk, top) == (long)top, "brk grow to 0x%lx", top);
	memset(base, 0x5a, 3 * PAGE);
	check(raw_syscall(SYS_brk, base + PAGE) == (long)(base + PAGE), "brk shrink");
	check(all_bytes(base, PAGE, 0x5a), "contents below the break changed");
	expect_segv(base + PAGE, touch_write, "write above a shrunk break");
	check(raw_syscall(SYS_brk, top) == (long)top, "brk grow again");
	check(all_bytes(base + PAGE, 2 * PAGE, 0), "memory given back by brk came back dirty");
	check(raw_syscall(SYS_brk, PAGE) == (long)top, "a bad brk must return the old break");
	raw_syscall(SYS_brk, start);
}

void t_mmap(void)
{
	enum { N = 64 };
	unsigned char *p = map_pages(N, PROT_READ | PROT_WRITE, MAP_PRIVATE);

	check(((unsigned long)p & (PAGE - 1)) == 0, "mmap result %p is not page-aligned", p);
	check(all_bytes(p, N * PAGE, 0), "fresh anonymous memory is not zero");
	memset(p, 0xab, N * PAGE);
	check(all_bytes(p, N * PAGE, 0xab), "anonymous memory did not keep a write");
	check(munmap(p, N * PAGE) == 0, "munmap");
	expect_segv(p, touch_read, "read after munmap");
	expect_segv(p + (N - 1) * PAGE, touch_write, "write to the last page after munmap");
	expect_err(raw_syscall(SYS_mmap, 0, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
		   EINVAL, "mmap of length 0");
}

void t_mmap_fixed(void)
{
	unsigned char *p = map_pages(4, PROT_READ | PROT_WRITE, MAP_PRIVATE);

	memset(p, 7, 4 * PAGE);
	void *q = mmap(p + PAGE, 2 * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	check(q == p + PAGE, "MAP_FIXED mapped at %p, want %p", q, p + PAGE);
	check(all_bytes(p + PAGE, 2 * PAGE, 0), "MAP_FIXED did not replace the old pages");
	check(all_bytes(p, PAGE, 7) && all_bytes(p + 3 * PAGE, PAGE, 7),
	      "MAP_FIXED changed the pages around it");
	munmap(p, 4 * PAGE);
}

void t_mmap_protnone(void)
{
	void *p = map_pages(1, PROT_NONE, MAP_PRIVATE);

	expect_segv(p, touch_read, "read of PROT_NONE");
	expect_segv(p, touch_write, "write of PROT_NONE");
}

void t_mprotect(void)
{
	unsigned char *p = map_pages(2, PROT_READ | PROT_WRITE, MAP_PRIVATE);

	p[0] = 9;
	check(mprotect(p, PAGE, PROT_READ) == 0, "mprotect: %s", strerror(errno));
	check(p[0] == 9, "mprotect lost the contents");
	expect_segv(p, touch_write, "write to a read-only page");
	touch_addr = p;
	expect_exit(run_child(touch_read), 0, "read of a read-only page");
	touch_addr = p + PAGE;
	expect_exit(run_child(touch_write), 0, "write to the next page, still writable");
	check(mprotect(p, PAGE, PROT_READ | PROT_WRITE) == 0, "mprotect back");
	p[0] = 10;
}

void t_mmap_shared(void)
{
	int status;
	volatile int *shared = map_pages(1, PROT_READ | PROT_WRITE, MAP_SHARED);
	volatile int *private = map_pages(1, PROT_READ | PROT_WRITE, MAP_PRIVATE);

	pid_t pid = fork();
	if (pid == 0) {
		*shared = 42;
		*private = 42;
		_exit(0);
	}
	waitpid(pid, &status, 0);
	check(*shared == 42, "the child's write to MAP_SHARED memory is not seen");
	check(*private == 0, "the child's write to MAP_PRIVATE memory leaked to the parent");
}

/* The C library's allocator, over brk and mmap. */
void t_malloc(void)
{
	enum { N = 200 };
	unsigned char *blocks[N];

	for (int i = 0; i < N; i++) {
		size_t size = 1 + i * 37 % 3000;
		blocks[i] = malloc(size);
		check(blocks[i], "malloc(%zu)", size);
		memset(blocks[i], i, size);
	}
	for (int i = 0; i < N; i += 2)
		free(blocks[i]);
	for (int i = 1; i < N; i += 2)
		check(all_bytes(blocks[i], 1 + i * 37 % 3000, i), "block %d was overwritten", i);
	blocks[1] = realloc(blocks[1], 100000);
	check(blocks[1] && all_bytes(blocks[1], 1 + 37, 1), "realloc lost the contents");
	unsigned char *big = malloc(1 << 20);
	check(big, "malloc(1 MiB)");
	memset(big, 3, 1 << 20);
	free(big);
	unsigned char *z = calloc(1000, 8);
	check(z && all_bytes(z, 8000, 0), "calloc memory is not zero");
	for (int i = 1; i < N; i += 2)
		free(blocks[i]);
	free(z);
	/* sizes whose header or rounding would wrap around */
	check(malloc((size_t)-1) == NULL && errno == ENOMEM, "malloc(SIZE_MAX) did not fail");
	check(calloc(1, (size_t)-8) == NULL, "calloc(1, SIZE_MAX-7) did not fail");
}

/* ---- Faults kill with the right signal ---- */

static void write_text(void)
{
	*(volatile unsigned char *)(void *)write_text = 0xc3;
}

static void read_kernel(void)
{
	(void)*(volatile long *)0xffffffff80000000UL;
}

static void divide_by_zero(void)
{
	volatile int one = 1, zero = 0;    /* volatile: no folding, a real idiv */
	volatile int x = one / zero;
	(void)x;
}

static void illegal_instruction(void)
{
	__asm__ volatile("ud2");
}

void t_faults(void)
{
	expect_signal(run_child(write_null), SIGSEGV, "write to address 0");
	expect_signal(run_child(write_text), SIGSEGV, "write to our own text");
	expect_signal(run_child(read_kernel), SIGSEGV, "read of kernel memory");
	expect_signal(run_child(divide_by_zero), SIGFPE, "divide by zero");
	expect_signal(run_child(illegal_instruction), SIGILL, "ud2");
}

/* ---- Time, names, randomness ---- */

void t_clock(void)
{
	struct timespec a, b;

	check(clock_gettime(CLOCK_MONOTONIC, &a) == 0, "clock_gettime: %s", strerror(errno));
	for (int i = 0; i < 1000; i++) {
		check(clock_gettime(CLOCK_MONOTONIC, &b) == 0, "clock_gettime");
		check(b.tv_nsec >= 0 && b.tv_nsec < 1000000000, "tv_nsec %ld", b.tv_nsec);
		check(b.tv_sec > a.tv_sec || (b.tv_sec == a.tv_sec && b.tv_nsec >= a.tv_nsec),
		      "CLOCK_MONOTONIC went backwards");
		a = b;
	}
	long start = now_ns();
	while (now_ns() < start + 20000000L)     /* spin 20 ms: the clock must move */
		;
}

void t_nanosleep(void)
{
	static const long ms[] = { 1, 20, 100 };

	for (int i = 0; i < 3; i++) {
		long start = now_ns();
		check(msleep(ms[i]) == 0, "nanosleep: %s", strerror(errno));
		long slept = now_ns() - start;
		check(slept >= ms[i] * 1000000, "asked %ld ms, slept %ld ns", ms[i], slept);
	}
	struct timespec bad = { 0, 1000000000 };
	expect_err(raw_syscall(SYS_nanosleep, &bad, 0), EINVAL, "tv_nsec = 1e9");
	bad = (struct timespec){ -1, 0 };
	expect_err(raw_syscall(SYS_nanosleep, &bad, 0), EINVAL, "tv_sec = -1");
}

void t_uname(void)
{
	struct utsname u;

	check(uname(&u) == 0, "uname: %s", strerror(errno));
	check(u.sysname[0] && u.release[0], "empty sysname or release");
	check(strcmp(u.machine, "x86_64") == 0, "machine is \"%s\"", u.machine);
}

void t_getrandom(void)
{
	unsigned char a[32] = { 0 }, b[32] = { 0 };

	check(getrandom(a, sizeof a, 0) == sizeof a, "getrandom: %s", strerror(errno));
	check(getrandom(b, sizeof b, GRND_NONBLOCK) == sizeof b, "getrandom nonblock");
	check(!all_bytes(a, sizeof a, 0), "32 zero bytes");
	check(memcmp(a, b, sizeof a) != 0, "the same 32 bytes twice");
}

