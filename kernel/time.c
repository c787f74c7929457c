/* Clocks and sleeping: clock_gettime, clock_nanosleep, nanosleep (Linux's kernel/time/). */
#include "kernel.h"
#include "time.h"
#include "uapi/errno.h"
#include "drivers/rtc.h"
#include "mm/mm.h"
#include "sched.h"
#include "syscall.h"
#include "task.h"
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

/* ---- interval timers: alarm, setitimer, getitimer (ITIMER_REAL) ---- */

/* Every armed timer, on one list the timer interrupt walks (few processes
 * have one). Lock order: itimer_lock, then tasklist_lock. */
static struct spinlock itimer_lock = SPINLOCK_INIT("itimer");
static struct list_head armed_itimers = LIST_HEAD_INIT(armed_itimers);

/* Arm sig's timer for expires (0: disarm). Under itimer_lock. */
static void itimer_set(struct signal_struct *sig, uint64_t expires, uint64_t interval)
{
	if (sig->it_real_expires)
		list_del(&sig->it_real_node);
	sig->it_real_expires = expires;
	sig->it_real_interval = interval;
	if (expires)
		list_add_tail(&sig->it_real_node, &armed_itimers);
}

/* SIGALRM to the timer's process, if it still lives: false if not. */
static bool itimer_fire(struct signal_struct *sig)
{
	struct kernel_siginfo info = { .signo = SIGALRM, .code = SI_KERNEL };   /* as Linux */
	struct task *t;
	bool alive;

	spin_lock(&tasklist_lock);
	t = find_task(sig->it_real_tgid);
	alive = t && t->signal == sig && sig->nr_threads > 0;
	if (alive)
		send_signal_to_group_info(t, &info);
	spin_unlock(&tasklist_lock);
	return alive;
}

void itimers_run(void)
{
	uint64_t now = clock_ns(), next;
	struct signal_struct *sig, *n;

	spin_lock(&itimer_lock);
	list_for_each_entry_safe(sig, n, &armed_itimers, it_real_node) {
		if (sig->it_real_expires > now)
			continue;
		next = 0;
		/* the next period after now: missed periods are skipped, not
		 * sent in a burst (as Linux's hrtimer_forward) */
		if (itimer_fire(sig) && sig->it_real_interval)
			next = sig->it_real_expires + ((now - sig->it_real_expires) /
				sig->it_real_interval + 1) * sig->it_real_interval;
		itimer_set(sig, next, sig->it_real_interval);
	}
	spin_unlock(&itimer_lock);
}

void itimer_cancel(struct signal_struct *sig)
{
	spin_lock(&itimer_lock);
	itimer_set(sig, 0, 0);
	spin_unlock(&itimer_lock);
}

#define ITIMER_FOREVER (INT64_MAX / 4)  /* ~73 years: no sum of two overflows */

static uint64_t timeval_ns(const struct timeval *tv)
{
	if (tv->tv_sec >= ITIMER_FOREVER / NSEC_PER_SEC)
		return ITIMER_FOREVER;
	return tv->tv_sec * NSEC_PER_SEC + tv->tv_usec * 1000;
}

static struct timeval ns_timeval(uint64_t ns)
{
	return (struct timeval){ ns / NSEC_PER_SEC, ns % NSEC_PER_SEC / 1000 };
}

/* The process's timer as getitimer shows it. A timer past its time that
 * the interrupt has not yet seen has 1 us left (as Linux). Under itimer_lock. */
static struct itimerval itimer_get(struct signal_struct *sig, uint64_t now)
{
	uint64_t left = sig->it_real_expires;

	if (left)
		left = left > now ? left - now : 1000;
	return (struct itimerval){ ns_timeval(sig->it_real_interval), ns_timeval(left) };
}

/* Set the process's timer to *new, the old setting in *old. */
static void do_setitimer(const struct itimerval *new, struct itimerval *old)
{
	struct signal_struct *sig = current->signal;
	uint64_t now = clock_ns(), value = timeval_ns(&new->it_value);

	spin_lock(&itimer_lock);
	*old = itimer_get(sig, now);
	sig->it_real_tgid = current->tgid;
	itimer_set(sig, value ? now + value : 0, value ? timeval_ns(&new->it_interval) : 0);
	spin_unlock(&itimer_lock);
}

static bool timeval_valid(const struct timeval *tv)
{
	return tv->tv_sec >= 0 && tv->tv_usec >= 0 && tv->tv_usec < 1000000;
}

/* Only ITIMER_REAL: the CPU-time timers (VIRTUAL, PROF) fail with EINVAL. */
long sys_setitimer(int which, const struct itimerval *unew, struct itimerval *uold)
{
	struct itimerval new = { 0 }, old;

	/* as Linux, a NULL new value disarms (a misfeature it keeps) */
	if (unew && copy_from_user(&new, unew, sizeof(new)))
		return -EFAULT;
	if (!timeval_valid(&new.it_value) || !timeval_valid(&new.it_interval) ||
	    which != ITIMER_REAL)
		return -EINVAL;
	do_setitimer(&new, &old);
	if (uold && copy_to_user(uold, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

long sys_getitimer(int which, struct itimerval *uval)
{
	struct itimerval val;

	if (which != ITIMER_REAL)
		return -EINVAL;
	spin_lock(&itimer_lock);
	val = itimer_get(current->signal, clock_ns());
	spin_unlock(&itimer_lock);
	return copy_to_user(uval, &val, sizeof(val));
}

/* The seconds the old alarm had left, rounded to the nearest; one about to
 * go off counts as 1, not 0 (which would say there was none). */
long sys_alarm(unsigned seconds)
{
	struct itimerval new = { .it_value = { seconds, 0 } }, old;

	do_setitimer(&new, &old);
	if ((!old.it_value.tv_sec && old.it_value.tv_usec) || old.it_value.tv_usec >= 500000)
		old.it_value.tv_sec++;
	return old.it_value.tv_sec;
}
