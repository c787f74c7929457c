/*
 * System calls with no subsystem of their own: time and sleeping, the
 * machine's name and memory, random bytes, the TLS register, identities.
 */
#include "kernel.h"
#include "sys.h"
#include "arch/x86/cpu.h"
#include "uapi/errno.h"
#include "arch/x86/memlayout.h"
#include "mm/mm.h"
#include "mm/page_alloc.h"
#include "sched.h"
#include "syscall.h"
#include "task.h"
#include "arch/x86/timer.h"
#include "uapi/uapi.h"
#include "arch/x86/x86.h"

#define NSEC_PER_SEC 1000000000LL

/* ---- random numbers ---- */

/* xorshift64*, seeded from the TSC (and RDRAND where the CPU has it).
 * Good enough for AT_RANDOM and getrandom in a teaching kernel; not for
 * cryptography. */
static uint64_t rng_state;
static struct spinlock rng_lock = SPINLOCK_INIT("random");

void random_init(void)
{
	uint32_t a, b, c, d;
	uint64_t seed = rdtsc();

	cpuid(1, &a, &b, &c, &d);
	if (c & (1 << 30)) {            /* RDRAND */
		uint64_t r;
		unsigned char ok;
		asm volatile("rdrand %0; setc %1" : "=r"(r), "=qm"(ok));
		if (ok)
			seed ^= r;
	}
	rng_state = seed | 1;
}

uint64_t random_u64(void)
{
	uint64_t x;

	spin_lock(&rng_lock);
	x = rng_state;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng_state = x;
	spin_unlock(&rng_lock);
	return x * 0x2545f4914f6cdd1dULL;
}

long sys_getrandom(char *ubuf, size_t n, unsigned flags)
{
	size_t done = 0;

	if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	while (done < n) {
		uint64_t r = random_u64();
		size_t chunk = MIN(n - done, sizeof(r));
		if (copy_to_user(ubuf + done, &r, chunk))
			return done ? (long)done : -EFAULT;
		done += chunk;
	}
	return done;
}

/* ---- time ---- */

/* The PC's CMOS clock gives the date at boot; the TSC keeps time after. */
static uint64_t boot_epoch_ns;

static uint8_t cmos(uint8_t reg)
{
	outb(0x70, reg);
	return inb(0x71);
}

static int bcd(int v, bool binary)
{
	return binary ? v : (v & 0xf) + (v >> 4) * 10;
}

/* Days from 1970-01-01 to y-m-d (a civil calendar formula). */
static int64_t days_since_epoch(int y, int m, int d)
{
	y -= m <= 2;
	int64_t era = y / 400, yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void rtc_init(void)
{
	bool binary;
	int s, mi, h, d, mo, y;

	while (cmos(0x0a) & 0x80)       /* wait out an update in progress */
		pause();
	binary = cmos(0x0b) & 0x04;
	s = bcd(cmos(0x00), binary);
	mi = bcd(cmos(0x02), binary);
	h = bcd(cmos(0x04), binary);
	d = bcd(cmos(0x07), binary);
	mo = bcd(cmos(0x08), binary);
	y = 2000 + bcd(cmos(0x09), binary);
	boot_epoch_ns = ((days_since_epoch(y, mo, d) * 24 + h) * 3600 + mi * 60 + s) * NSEC_PER_SEC;
	boot_epoch_ns -= clock_ns();
}

uint64_t realtime_offset_ns(void)
{
	return boot_epoch_ns;
}

int timespec_from_user(const void *uts, int64_t *ns)
{
	struct timespec ts;

	if (copy_from_user(&ts, uts, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= NSEC_PER_SEC)
		return -EINVAL;
	/* A time beyond 292 years is "forever": it would overflow ns. */
	*ns = ts.tv_sec >= INT64_MAX / NSEC_PER_SEC ? INT64_MAX :
	      ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
	return 0;
}

static int timespec_to_user(void *uts, int64_t ns)
{
	struct timespec ts = { ns / NSEC_PER_SEC, ns % NSEC_PER_SEC };

	return copy_to_user(uts, &ts, sizeof(ts));
}

/* The clock's reading in ns; -EINVAL for clocks we do not have. */
static int64_t clock_read(int clock)
{
	switch (clock) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
		return boot_epoch_ns + clock_ns();
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
		return clock_ns();
	}
	return -EINVAL;
}

long sys_clock_gettime(int clock, void *uts)
{
	int64_t ns = clock_read(clock);

	if (ns < 0)
		return ns;
	return timespec_to_user(uts, ns);
}

long sys_clock_getres(int clock, void *uts)
{
	if (clock_read(clock) < 0)
		return -EINVAL;
	return uts ? timespec_to_user(uts, 1) : 0;
}

/* Sleep until clock_ns() reaches deadline; -EINTR if a signal comes. */
static long sleep_until(uint64_t deadline)
{
	while (clock_ns() < deadline) {
		long err = wait_sleep(NULL, NULL, deadline, SLEEP_INTERRUPTIBLE);
		if (err == -EINTR)
			return err;
	}
	return 0;
}

long sys_clock_nanosleep(int clock, int flags, const void *ureq, void *urem)
{
	int64_t ns, now = clock_read(clock);
	uint64_t deadline;
	long err;

	if (now < 0)
		return -EINVAL;
	if ((err = timespec_from_user(ureq, &ns)))
		return err;
	deadline = clock_ns() + ((flags & TIMER_ABSTIME) ? MAX(ns - now, 0) : ns);
	err = sleep_until(deadline);
	if (err == -EINTR && urem && !(flags & TIMER_ABSTIME) &&
	    timespec_to_user(urem, deadline - MIN(deadline, clock_ns())))
		return -EFAULT;
	return err;
}

long sys_nanosleep(const void *ureq, void *urem)
{
	return sys_clock_nanosleep(CLOCK_MONOTONIC, 0, ureq, urem);
}

long sys_pause(void)
{
	while (wait_sleep(NULL, NULL, 0, SLEEP_INTERRUPTIBLE) != -EINTR)
		;
	return -EINTR;
}

long sys_sched_yield(void)
{
	schedule();             /* current stays runnable: to the back of the queue */
	return 0;
}

/* ---- the machine ---- */

long sys_uname(void *ubuf)
{
	static const struct utsname u = {
		"tasklab", "tasklab", "0.1.0", "#1 " __DATE__, "x86_64", "(none)",
	};

	return copy_to_user(ubuf, &u, sizeof(u));
}

/* freeram is what usertests watches for lost pages. */
long sys_sysinfo(void *ubuf)
{
	struct sysinfo si = {
		.uptime = clock_ns() / NSEC_PER_SEC,
		.totalram = pages_total() * PAGE_SIZE,
		.freeram = pages_free() * PAGE_SIZE,
		.procs = count_tasks(),
		.mem_unit = 1,
	};

	return copy_to_user(ubuf, &si, sizeof(si));
}

/* ---- per-task odds and ends ---- */

/* The FS base is the thread pointer of x86-64 TLS (%fs:0 is the thread
 * block); sched.c loads it on every switch to this task. */
long sys_arch_prctl(int code, uintptr_t addr)
{
	struct task *t = current;

	switch (code) {
	case ARCH_SET_FS:
		if (addr >= USER_TOP)
			return -EPERM;
		t->fs_base = addr;
		wrmsr(MSR_FS_BASE, addr);
		return 0;
	case ARCH_GET_FS:
		return copy_to_user((void *)addr, &t->fs_base, sizeof(t->fs_base));
	}
	return -EINVAL;
}

/* Signal one thread, tid, if it belongs to process tgid (0: any). */
static long signal_thread(int tgid, int tid, int sig)
{
	struct task *t;
	long ret = -ESRCH;

	if (tid <= 0 || sig < 0 || sig > NSIG)
		return -EINVAL;
	spin_lock(&tasklist_lock);
	t = find_task(tid);
	if (t && (!tgid || t->tgid == tgid) && t->state != TASK_ZOMBIE && t->state != TASK_DEAD)
		ret = sig ? send_signal_to_task(t, sig) : 0;
	spin_unlock(&tasklist_lock);
	return ret;
}

long sys_tgkill(int tgid, int tid, int sig)
{
	return tgid <= 0 ? -EINVAL : signal_thread(tgid, tid, sig);
}

long sys_tkill(int tid, int sig)
{
	return signal_thread(0, tid, sig);
}

/* Everyone is root in tasklab: getuid, getgid, geteuid, getegid. */
long sys_getuid(void)
{
	return 0;
}
