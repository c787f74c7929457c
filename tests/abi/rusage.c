/* Issue 10, part 5: where the time goes. getrusage, times, wait4's rusage
 * and /proc/self/stat's times: their shape, never their values (CPU time
 * depends on the machine). Each case spins until the time it wants has
 * been counted; a kernel that never counts it hangs, and the watchdog
 * says so. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/times.h>
#include "abicase.h"

#define SPIN_MS 300

static volatile unsigned long sink;

static long ms_of(struct timeval tv)
{
	return tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

static struct rusage usage(int who)
{
	struct rusage ru;

	if (getrusage(who, &ru) < 0) {
		say("getrusage(%d) %s", who, result(-1));
		exit(1);
	}
	return ru;
}

static long user_ms(int who)
{
	return ms_of(usage(who).ru_utime);
}

static long sys_ms(int who)
{
	return ms_of(usage(who).ru_stime);
}

/* Spin in user mode until this thread has SPIN_MS more of user time. */
static void burn_user(void)
{
	long start = user_ms(RUSAGE_THREAD);

	while (user_ms(RUSAGE_THREAD) - start < SPIN_MS)
		for (int i = 0; i < 1000000; i++)
			sink += i;
}

/* Make system calls until this thread has SPIN_MS more of system time. */
static void burn_system(void)
{
	long start = sys_ms(RUSAGE_THREAD);

	while (sys_ms(RUSAGE_THREAD) - start < SPIN_MS)
		for (int i = 0; i < 1000; i++)
			syscall(SYS_getppid);
}

static void user_spin(void)
{
	struct rusage a = usage(RUSAGE_SELF), b;

	burn_user();
	b = usage(RUSAGE_SELF);
	say("spinning in user mode: user time grows by %d ms or more; system time grows %s",
	    SPIN_MS, ms_of(b.ru_stime) - ms_of(a.ru_stime) < SPIN_MS ? "less" : "as much");
}

/* How the time of a system call splits between user and kernel mode
 * depends on the kernel (on Linux under QEMU, half and half): only that
 * system time grows is checked. */
static void system_spin(void)
{
	burn_system();
	say("calling getppid: system time grows by %d ms or more", SPIN_MS);
}

/* A child that spins and reaps a grandchild that spins too. */
static void spinning_family(void)
{
	pid_t grandchild = fork();

	burn_user();
	if (grandchild == 0)
		_exit(0);
	waitpid(grandchild, NULL, 0);
	_exit(0);
}

/* The /proc/self/stat field n (1-based, n > 2) as a number. */
static long stat_field(int n)
{
	char buf[1024], *p;
	int fd = open("/proc/self/stat", O_RDONLY);
	ssize_t len = read(fd, buf, sizeof(buf) - 1);

	close(fd);
	buf[len > 0 ? len : 0] = '\0';
	p = strrchr(buf, ')');
	for (int field = 2; p && field < n; field++)
		p = strchr(p + 1, ' ');
	return p ? atol(p + 1) : -1;
}

static void children_times(void)
{
	long tick = sysconf(_SC_CLK_TCK), want = 2 * SPIN_MS;
	struct rusage ru;
	struct tms tms;
	pid_t pid;
	int st;

	say("clock ticks per second: %ld", tick);
	if ((pid = fork()) == 0)
		spinning_family();
	say("before reaping: children's user time %ld ms", user_ms(RUSAGE_CHILDREN));
	wait4(pid, &st, 0, &ru);
	say("wait4's rusage: user time %s %ld ms (the child's and its reaped child's)",
	    ms_of(ru.ru_utime) >= want ? "at least" : "less than", want);
	say("RUSAGE_CHILDREN: user time %s wait4's",
	    user_ms(RUSAGE_CHILDREN) == ms_of(ru.ru_utime) ? "equals" : "differs from");
	say("RUSAGE_SELF: user time %s the child's", user_ms(RUSAGE_SELF) < want ? "below" : "not below");
	times(&tms);
	say("times: children's user time %s %ld ticks",
	    tms.tms_cutime >= want * tick / 1000 ? "at least" : "less than", want * tick / 1000);
	say("/proc/self/stat: cutime %s times' cutime, cstime %s",
	    stat_field(16) == tms.tms_cutime ? "equals" : "differs from",
	    stat_field(17) == tms.tms_cstime ? "equals too" : "differs");
	say("/proc/self/stat: processor %s",
	    stat_field(39) >= 0 && stat_field(39) < sysconf(_SC_NPROCESSORS_ONLN) ? "is a CPU's number" : "is not a CPU");
}

static void *spinning_thread(void *arg)
{
	burn_user();
	return NULL;
}

static void thread_times(void)
{
	pthread_t th;

	pthread_create(&th, NULL, spinning_thread, NULL);
	pthread_join(th, NULL);
	say("after a thread spun and exited: RUSAGE_THREAD user time %s %d ms, RUSAGE_SELF's %s",
	    user_ms(RUSAGE_THREAD) < SPIN_MS ? "below" : "not below", SPIN_MS,
	    user_ms(RUSAGE_SELF) >= SPIN_MS ? "not below" : "below");
}

/* Touch n new pages. */
static void touch_pages(long n)
{
	char *p = mmap(NULL, n * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	for (long i = 0; i < n; i++)
		p[i * 4096] = 1;
}

static void memory_usage(void)
{
	struct rusage a = usage(RUSAGE_SELF), b, ru;
	pid_t pid;

	touch_pages(64);
	b = usage(RUSAGE_SELF);
	say("touching 64 new pages: %s64 more minor faults, no major one",
	    b.ru_minflt - a.ru_minflt >= 64 && b.ru_majflt == 0 ? "" : "not ");
	touch_pages(1024);
	say("after touching 4 MB: maxrss %s 4096 kB", usage(RUSAGE_SELF).ru_maxrss >= 4096 ? "at least" : "below");
	if ((pid = fork()) == 0) {
		touch_pages(2048);
		_exit(0);
	}
	wait4(pid, NULL, 0, &ru);
	say("a child touched 8 MB: wait4's maxrss %s 8192 kB, minor faults %s 2048",
	    ru.ru_maxrss >= 8192 ? "at least" : "below", ru.ru_minflt >= 2048 ? "at least" : "below");
	b = usage(RUSAGE_CHILDREN);
	say("RUSAGE_CHILDREN: maxrss %s, minor faults %s",
	    b.ru_maxrss == ru.ru_maxrss ? "the child's" : "not the child's",
	    b.ru_minflt == ru.ru_minflt ? "the child's" : "not the child's");
}

static void bad_arguments(void)
{
	struct rusage ru;
	pid_t pid;
	long t1, t2;

	say("getrusage(2) %s", result(syscall(SYS_getrusage, 2, &ru)));
	say("getrusage(-2) %s", result(syscall(SYS_getrusage, -2, &ru)));
	say("getrusage(99, pointer 1) %s", result(syscall(SYS_getrusage, 99, (void *)1)));
	say("getrusage(RUSAGE_SELF, pointer 1) %s", result(syscall(SYS_getrusage, RUSAGE_SELF, (void *)1)));
	say("getrusage(RUSAGE_CHILDREN, NULL) %s", result(syscall(SYS_getrusage, RUSAGE_CHILDREN, NULL)));
	say("times(pointer 1) %s", result(syscall(SYS_times, (void *)1)));
	t1 = syscall(SYS_times, NULL);
	t2 = syscall(SYS_times, NULL);
	say("times(NULL) twice: %s", t1 > 0 && t2 >= t1 ? "succeeds, the clock does not go back" : "fails");
	if ((pid = fork()) == 0)
		_exit(0);
	say("wait4 with rusage pointer 1 %s", result(wait4(pid, NULL, 0, (void *)1)));
	say("then wait4 again %s", result(wait4(pid, NULL, 0, NULL)));
}

int main(int argc, char **argv)
{
	self_path = argv[0];
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("== abi-rusage ==\n");
	run_case("[1] user time", user_spin, 30);
	run_case("[2] system time", system_spin, 30);
	run_case("[3] children's times", children_times, 30);
	run_case("[4] threads' times", thread_times, 30);
	run_case("[5] memory", memory_usage, 30);
	run_case("[6] bad arguments", bad_arguments, 10);
	return 0;
}
