/*
 * Where the time goes: CPU time and resource usage, per task, per process,
 * for its reaped children, and per CPU. Shown by getrusage, times, wait4's
 * rusage, /proc/PID/stat and /proc/stat.
 *
 * CPU time is counted in timer ticks, as Linux does by default
 * (CONFIG_TICK_CPU_ACCOUNTING): each tick charges a whole 1/HZ s to the
 * task the timer interrupted, as user time if it interrupted user mode,
 * system time if the kernel. It costs one increment a tick and nothing on
 * the system-call path; reading the TSC at every kernel entry and exit
 * would be exact but would tax every system call and interrupt. The price
 * is that it samples: a task that runs for less than a tick at a time may
 * be charged more or less than it ran, but over many ticks the counts
 * come out right. (The scheduler's exact time, in ns, is sum_exec_ns.)
 *
 * Where the counts live:
 *   task           utime, stime, min_flt: its own
 *   signal_struct  gone: of the threads that have left the process;
 *                  children: of the children it reaped, and of theirs
 *   struct cpu     cpustat: this CPU's ticks by kind (user, nice, ...)
 */
#include "kernel.h"
#include "acct.h"
#include "task.h"
#include "syscall.h"
#include "uapi/errno.h"
#include "uapi/uapi.h"
#include "mm/mm.h"
#include "arch/x86/cpu.h"
#include "arch/x86/memlayout.h"
#include "arch/x86/timer.h"

void account_tick(struct task *t, bool user)
{
	struct cpu *c = this_cpu();

	if (t == c->idle) {
		c->cpustat[CPUSTAT_IDLE]++;
	} else if (user) {
		t->utime++;
		c->cpustat[t->nice > 0 ? CPUSTAT_NICE : CPUSTAT_USER]++;
	} else {
		t->stime++;
		c->cpustat[CPUSTAT_SYSTEM]++;
	}
}

static void usage_add(struct usage *sum, const struct usage *u)
{
	sum->utime += u->utime;
	sum->stime += u->stime;
	sum->min_flt += u->min_flt;
	sum->maxrss = MAX(sum->maxrss, u->maxrss);
}

struct usage task_usage(const struct task *t)
{
	return (struct usage){ .utime = t->utime, .stime = t->stime, .min_flt = t->min_flt };
}

void account_thread_gone(struct task *t)
{
	struct usage u = task_usage(t);

	assert_held(&tasklist_lock);
	usage_add(&t->signal->gone, &u);
}

/* Pages mm maps now (0 for no mm). The peak between two samples is not
 * seen: tasklab samples the RSS when the mm goes (exit, exec; mmput counts
 * it in the teardown) and at getrusage, rather than keep a high-water mark
 * up to date at every fault, as Linux does. */
static uint64_t rss_pages(struct mm *mm)
{
	uint64_t n;

	if (!mm)
		return 0;
	spin_lock(&mm->lock);
	n = mm_resident_pages(mm);
	spin_unlock(&mm->lock);
	return n;
}

void account_mm_release(struct task *t, uint64_t pages)
{
	spin_lock(&tasklist_lock);
	t->signal->gone.maxrss = MAX(t->signal->gone.maxrss, pages);
	spin_unlock(&tasklist_lock);
}

struct usage group_usage(struct task *t)
{
	struct task *leader = t->group_leader, *th;
	struct usage sum = leader->signal->gone, u = task_usage(leader);

	assert_held(&tasklist_lock);
	usage_add(&sum, &u);
	list_for_each_entry(th, &leader->thread_group, thread_node) {
		u = task_usage(th);
		usage_add(&sum, &u);
	}
	return sum;
}

struct usage account_reaped(struct task *c)
{
	struct usage u = group_usage(c);

	usage_add(&u, &c->signal->children);
	usage_add(&current->signal->children, &u);
	return u;
}

uint64_t ticks_to_clock_t(uint64_t ticks)
{
	return ticks * USER_HZ / HZ;
}

static struct timeval ticks_to_timeval(uint64_t ticks)
{
	return (struct timeval){ ticks / HZ, ticks % HZ * (1000000 / HZ) };
}

void usage_to_rusage(const struct usage *u, struct rusage *ru)
{
	*ru = (struct rusage){
		.ru_utime = ticks_to_timeval(u->utime),
		.ru_stime = ticks_to_timeval(u->stime),
		.ru_maxrss = u->maxrss * (PAGE_SIZE / 1024),
		.ru_minflt = u->min_flt,
	};
}

/* getrusage's answer for who, which is valid; the RSS as Linux's: the
 * process's peak, for RUSAGE_THREAD too. */
static struct usage usage_of(int who)
{
	struct task *t = current;
	struct usage u;

	spin_lock(&tasklist_lock);
	if (who == RUSAGE_CHILDREN) {
		u = t->signal->children;
	} else {
		u = who == RUSAGE_THREAD ? task_usage(t) : group_usage(t);
		u.maxrss = MAX(t->signal->gone.maxrss, rss_pages(t->mm));
	}
	spin_unlock(&tasklist_lock);
	return u;
}

long sys_getrusage(int who, void *uru)
{
	struct usage u;
	struct rusage ru;

	if (who != RUSAGE_SELF && who != RUSAGE_CHILDREN && who != RUSAGE_THREAD)
		return -EINVAL;
	u = usage_of(who);
	usage_to_rusage(&u, &ru);
	return copy_to_user(uru, &ru, sizeof(ru)) ? -EFAULT : 0;
}

/* The process's times and its reaped children's, and clock ticks since
 * boot (Linux counts from an arbitrary point, 5 minutes before the
 * 32-bit jiffies wrap; programs may only take differences). */
long sys_times(void *utms)
{
	struct usage self, kids;
	struct tms tms;

	spin_lock(&tasklist_lock);
	self = group_usage(current);
	kids = current->signal->children;
	spin_unlock(&tasklist_lock);
	tms = (struct tms){ ticks_to_clock_t(self.utime), ticks_to_clock_t(self.stime),
			    ticks_to_clock_t(kids.utime), ticks_to_clock_t(kids.stime) };
	if (utms && copy_to_user(utms, &tms, sizeof(tms)))
		return -EFAULT;
	return ticks_to_clock_t(timer_ticks());
}
