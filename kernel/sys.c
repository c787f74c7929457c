/*
 * System calls with no subsystem of their own: the machine's name and
 * memory, random bytes, the TLS register, identities (Linux's kernel/sys.c).
 */
#include "kernel.h"
#include "sys.h"
#include "arch/x86/cpu.h"
#include "uapi/errno.h"
#include "arch/x86/memlayout.h"
#include "mm/mm.h"
#include "mm/page_alloc.h"
#include "mm/slab.h"
#include "sched.h"
#include "syscall.h"
#include "task.h"
#include "time.h"
#include "arch/x86/timer.h"
#include "uapi/uapi.h"
#include "arch/x86/x86.h"

/* ---- random numbers ---- */

/* xorshift64*, seeded from the TSC (and RDRAND where the CPU has it).
 * Good enough for AT_RANDOM and getrandom in a teaching kernel; not for
 * cryptography. */
static uint64_t rng_state;
static struct spinlock rng_lock = SPINLOCK_INIT("random");

/* The TSC, mixed with RDRAND where the CPU has it. */
uint64_t hw_seed(void)
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
	return seed;
}

void random_init(void)
{
	rng_state = hw_seed() | 1;
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

/* Everyone is root in tasklab: getuid, getgid, geteuid, getegid. */
long sys_getuid(void)
{
	return 0;
}

/* The caller's supplementary groups: their number, and with size > 0 the
 * ids in ulist (-EINVAL if they do not fit), as Linux's getgroups. */
long sys_getgroups(int size, uint32_t *ulist)
{
	const struct group_info *g = current->groups;
	int n = g ? g->n : 0;

	if (size < 0 || (size && size < n))
		return -EINVAL;
	if (size && n && copy_to_user(ulist, g->gid, n * sizeof(*ulist)))
		return -EFAULT;
	return n;
}

/* Drop a task's hold on its groups (NULL: it had none). */
void groups_put(struct group_info *g)
{
	if (g && refcount_dec_and_test(&g->refs))
		kfree(g);
}

/* Root (everyone) may set any list; Linux's limit is 65536 groups,
 * tasklab's NGROUPS_TL. Kept sorted, as Linux does, so getgroups returns
 * them in order. A new list replaces the old, which the caller's children
 * may share. */
long sys_setgroups(int size, const uint32_t *ulist)
{
	struct group_info *g = NULL;

	if (size < 0 || size > NGROUPS_TL)
		return -EINVAL;
	if (size) {
		if (!(g = kmalloc(sizeof(*g))))
			return -ENOMEM;
		refcount_set(&g->refs, 1);
		g->n = size;
		if (copy_from_user(g->gid, ulist, size * sizeof(*ulist))) {
			kfree(g);
			return -EFAULT;
		}
	}
	for (int i = 1; i < size; i++)          /* insertion sort: few ids */
		for (int j = i; j > 0 && g->gid[j - 1] > g->gid[j]; j--) {
			uint32_t tmp = g->gid[j];
			g->gid[j] = g->gid[j - 1];
			g->gid[j - 1] = tmp;
		}
	groups_put(current->groups);
	current->groups = g;
	return 0;
}

long sys_getpid(void)
{
	return current->tgid;
}

long sys_gettid(void)
{
	return current->tid;
}

/* The parent's pid; 0 for init, which has none (as on Linux). */
int task_ppid(struct task *t)
{
	struct task *leader = t->group_leader;

	return leader->parent == leader ? 0 : leader->parent->tgid;
}

long sys_getppid(void)
{
	return task_ppid(current);
}

/* Is some process (a zombie too) in group pgid of session sid? Under
 * tasklist_lock. */
static bool group_in_session(int pgid, int sid)
{
	struct task *t;

	assert_held(&tasklist_lock);
	for_each_task(t)
		if (t->signal->pgid == pgid && t->signal->sid == sid)
			return true;
	return false;
}

/* May the caller move process p (a leader) to group pgid? Linux's rules:
 * p is our own process, or a child of any of our threads that is in our
 * session and has not exec'd; not a session leader; and the group is
 * p's own or one that exists in our session. 0 or -errno. Under
 * tasklist_lock. */
static long setpgid_allowed(struct task *p, int pgid)
{
	struct task *me = current->group_leader;
	int sid = me->signal->sid;

	if (p != me) {
		if (p->parent->group_leader != me)
			return -ESRCH;
		if (p->signal->sid != sid)
			return -EPERM;
		if (p->did_exec)
			return -EACCES;
	}
	if (p->signal->sid == p->tgid)
		return -EPERM;          /* a session leader stays in its group */
	if (pgid != p->tgid && !group_in_session(pgid, sid))
		return -EPERM;
	return 0;
}

long sys_setpgid(int pid, int pgid)
{
	struct task *t;
	long ret = -ESRCH;

	if (pgid < 0)
		return -EINVAL;
	spin_lock(&tasklist_lock);
	t = pid ? find_task(pid) : current;
	if (t) {
		t = t->group_leader;
		pgid = pgid ? pgid : t->tgid;
		if (!(ret = setpgid_allowed(t, pgid)))
			t->signal->pgid = pgid;
	}
	spin_unlock(&tasklist_lock);
	return ret;
}

/* The thread group of pid (0: the caller's), or NULL. Under tasklist_lock. */
static struct signal_struct *group_of(int pid)
{
	struct task *t = pid ? find_task(pid) : current;

	assert_held(&tasklist_lock);
	return t && t->signal ? t->signal : NULL;
}

long sys_getpgid(int pid)
{
	struct signal_struct *sig;
	long ret;

	spin_lock(&tasklist_lock);
	ret = (sig = group_of(pid)) ? sig->pgid : -ESRCH;
	spin_unlock(&tasklist_lock);
	return ret;
}

long sys_getpgrp(void)
{
	return current->signal->pgid;
}

long sys_setsid(void)
{
	struct signal_struct *sig = current->signal;

	if (sig->pgid == current->tgid)
		return -EPERM;          /* already a group leader */
	sig->sid = sig->pgid = current->tgid;
	return sig->sid;
}

long sys_getsid(int pid)
{
	struct signal_struct *sig;
	long ret;

	spin_lock(&tasklist_lock);
	ret = (sig = group_of(pid)) ? sig->sid : -ESRCH;
	spin_unlock(&tasklist_lock);
	return ret;
}

/* ---- resource limits (Linux's getrlimit, setrlimit, prlimit64) ---- */

#define NR_OPEN (1 << 20)           /* Linux's fs.nr_open: RLIMIT_NOFILE's ceiling */
#define INF RLIM_INFINITY

/* What init starts with, as Linux's INIT_RLIMITS; fork copies them. Only
 * STACK (exec) and NOFILE (the fd allocator) are enforced. NPROC and
 * SIGPENDING are tasklab's own ceilings, MAX_TASKS and SIGQUEUE_MAX. */
const struct rlimit init_rlimits[RLIM_NLIMITS] = {
	[RLIMIT_CPU] = { INF, INF }, [RLIMIT_FSIZE] = { INF, INF },
	[RLIMIT_DATA] = { INF, INF }, [RLIMIT_STACK] = { 8 << 20, INF },
	[RLIMIT_CORE] = { 0, INF }, [RLIMIT_RSS] = { INF, INF },
	[RLIMIT_NPROC] = { MAX_TASKS, MAX_TASKS }, [RLIMIT_NOFILE] = { 1024, 4096 },
	[RLIMIT_MEMLOCK] = { 8 << 20, 8 << 20 }, [RLIMIT_AS] = { INF, INF },
	[RLIMIT_LOCKS] = { INF, INF }, [RLIMIT_SIGPENDING] = { SIGQUEUE_MAX, SIGQUEUE_MAX },
	[RLIMIT_MSGQUEUE] = { 819200, 819200 }, [RLIMIT_NICE] = { 0, 0 },
	[RLIMIT_RTPRIO] = { 0, 0 }, [RLIMIT_RTTIME] = { INF, INF },
};

/* Read limit `resource` of process sig into *old (if old), then set it to
 * *new (if new). Everyone is root, with CAP_SYS_RESOURCE: the hard limit
 * may rise too; only NOFILE has a ceiling (Linux's EPERM). 0 or -errno. */
static long do_prlimit(struct signal_struct *sig, unsigned resource, const struct rlimit *new,
		       struct rlimit *old)
{
	assert_held(&tasklist_lock);
	if (resource >= RLIM_NLIMITS)
		return -EINVAL;
	if (new && new->rlim_cur > new->rlim_max)
		return -EINVAL;
	if (new && resource == RLIMIT_NOFILE && new->rlim_max > NR_OPEN)
		return -EPERM;
	if (old)
		*old = sig->rlim[resource];
	if (new)
		sig->rlim[resource] = *new;
	return 0;
}

/* The checks, then the user copies, in Linux's order: a bad new pointer
 * fails before anything else, a bad old one after the limit is set. */
long sys_prlimit64(int pid, unsigned resource, const struct rlimit *unew, struct rlimit *uold)
{
	struct signal_struct *sig;
	struct rlimit new, old;
	long ret = -ESRCH;

	if (unew && copy_from_user(&new, unew, sizeof(new)))
		return -EFAULT;
	spin_lock(&tasklist_lock);
	if ((sig = group_of(pid)))
		ret = do_prlimit(sig, resource, unew ? &new : NULL, uold ? &old : NULL);
	spin_unlock(&tasklist_lock);
	if (!ret && uold && copy_to_user(uold, &old, sizeof(old)))
		return -EFAULT;
	return ret;
}

long sys_getrlimit(unsigned resource, struct rlimit *uold)
{
	struct rlimit old;
	long ret;

	spin_lock(&tasklist_lock);
	ret = do_prlimit(current->signal, resource, NULL, &old);
	spin_unlock(&tasklist_lock);
	if (!ret && copy_to_user(uold, &old, sizeof(old)))
		return -EFAULT;
	return ret;
}

long sys_setrlimit(unsigned resource, const struct rlimit *unew)
{
	if (!unew)
		return -EFAULT;         /* prlimit64 would take NULL as "no change" */
	return sys_prlimit64(0, resource, unew, NULL);
}

/* ---- prctl: the thread's name, and nothing else yet ---- */

long sys_prctl(int option, uintptr_t arg2)
{
	char name[TASK_COMM_LEN] = { 0 };
	struct task *t = current;

	switch (option) {
	case PR_SET_NAME:
		/* as Linux: at most 15 bytes are taken, a longer name is cut */
		if (strncpy_from_user(name, (const char *)arg2, sizeof(name) - 1) == -EFAULT)
			return -EFAULT;
		spin_lock(&tasklist_lock);          /* /proc reads comm under it */
		set_comm(t, name);
		spin_unlock(&tasklist_lock);
		return 0;
	case PR_GET_NAME:
		spin_lock(&tasklist_lock);
		memcpy(name, t->comm, sizeof(name));
		spin_unlock(&tasklist_lock);
		return copy_to_user((void *)arg2, name, sizeof(name));
	}
	return -EINVAL;
}
