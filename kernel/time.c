/* Clocks and sleeping: clock_gettime, clock_nanosleep, nanosleep (Linux's kernel/time/). */
#include "kernel.h"
#include "time.h"
#include "uapi/errno.h"
#include "drivers/rtc.h"
#include "mm/mm.h"
#include "sched.h"
#include "syscall.h"
#include "arch/x86/timer.h"
#include "uapi/uapi.h"
#include "arch/x86/vdso/vvar.h"

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

/* The clock's reading in ns; -EINVAL for clocks we do not have. The vDSO
 * (arch/x86/vdso/vclock.c) answers the same clocks the same way. */
static int64_t clock_read(int clock)
{
	switch (clock_base(clock)) {
	case CLOCK_BASE_REAL:
		return realtime_offset_ns() + clock_ns();
	case CLOCK_BASE_BOOT:
		return clock_ns();
	case CLOCK_BASE_NONE:
		break;
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

/* Sleep until clock_ns() reaches deadline; -ERESTARTSYS if a signal comes. */
static long sleep_until(uint64_t deadline)
{
	while (clock_ns() < deadline) {
		long err = wait_sleep(NULL, NULL, deadline, SLEEP_INTERRUPTIBLE);
		if (err == -ERESTARTSYS)
			return err;
	}
	return 0;
}

static long nanosleep_restart(struct restart_block *rb);

/*
 * A relative sleep, as Linux's do_nanosleep. Cut short by a signal, it
 * says in urem how long was left, and returns -ERESTART_RESTARTBLOCK: a
 * handler makes that EINTR; with none, restart_syscall sleeps on to the
 * same deadline, not for the whole time again.
 */
static long nanosleep_until(uint64_t deadline, void *urem)
{
	struct restart_block *rb = &current->restart_block;

	if (sleep_until(deadline) == 0)
		return 0;
	if (urem && timespec_to_user(urem, deadline - MIN(deadline, clock_ns())))
		return -EFAULT;
	rb->nanosleep.deadline = deadline;
	rb->nanosleep.urem = urem;
	rb->fn = nanosleep_restart;
	return -ERESTART_RESTARTBLOCK;
}

static long nanosleep_restart(struct restart_block *rb)
{
	return nanosleep_until(rb->nanosleep.deadline, rb->nanosleep.urem);
}

long sys_clock_nanosleep(int clock, int flags, const void *ureq, void *urem)
{
	int64_t ns, now = clock_read(clock);
	long err;

	if (now < 0)
		return -EINVAL;
	if ((err = timespec_from_user(ureq, &ns)))
		return err;
	/* An absolute sleep is simply run again: its deadline stays put. */
	if (flags & TIMER_ABSTIME)
		return sleep_until(clock_ns() + MAX(ns - now, 0)) ? -ERESTARTNOHAND : 0;
	return nanosleep_until(clock_ns() + ns, urem);
}

long sys_nanosleep(const void *ureq, void *urem)
{
	return sys_clock_nanosleep(CLOCK_MONOTONIC, 0, ureq, urem);
}
