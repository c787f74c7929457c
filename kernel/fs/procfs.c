/*
 * /proc: files the kernel writes as they are read, in Linux's formats, so
 * ps and the tests can look at tasks and address spaces:
 *
 *   /proc/stat  /proc/cpuinfo  /proc/meminfo  /proc/cmdline
 *   /proc/self -> <own pid>, /proc/mounts -> self/mounts (links)
 *   /proc/PID/{stat,status,sched,maps,pagemap,mounts}  the thread group (its leader)
 *   /proc/PID/exe -> the program's path, /proc/PID/fd/N -> what fd N is (links)
 *   /proc/PID/task/TID/{stat,status,sched,comm,cmdline} each task of the group
 *
 * tasklab adds two lines Linux does not have: `Mm:` in status (an id of
 * the address space: tasks with the same id share one mm) and `ctxt_cr3`
 * in /proc/stat (context switches that reloaded CR3).
 *
 * Every read generates the whole text again and keeps the part at the
 * file offset (a small version of Linux's seq_file).
 */
#include "kernel.h"
#include "fs/procfs.h"
#include "fs/ramfs.h"
#include "arch/x86/bootinfo.h"
#include "uapi/errno.h"
#include "mm/slab.h"
#include "arch/x86/memlayout.h"
#include "mm/mm.h"
#include "mm/page_alloc.h"
#include "sched.h"
#include "sys.h"
#include "drivers/rtc.h"
#include "task.h"
#include "arch/x86/pgtable.h"
#include "arch/x86/smp.h"
#include "arch/x86/timer.h"
#include "lib/format.h"

enum proc_kind {
	/* directories */
	P_ROOT, P_PID, P_TASKS, P_TID, P_FDS,
	/* links */
	P_SELF, P_MOUNTS_LINK, P_EXE, P_FD,
	/* files */
	P_STAT, P_CPUINFO, P_MEMINFO, P_CMDLINE, P_TSTAT, P_TSTATUS, P_TSCHED, P_TCOMM,
	P_TCMDLINE, P_MAPS, P_PAGEMAP, P_MOUNTS,
};

struct proc_node {
	enum proc_kind kind;
	int pid, tid;               /* for the per-process and per-task kinds */
	int fd;                     /* P_FD's */
};

static bool is_dir(enum proc_kind k)
{
	return k <= P_FDS;
}

static bool is_link(enum proc_kind k)
{
	return k >= P_SELF && k <= P_FD;
}

/* ---- names to nodes ---- */

/* The next path component of *p as a number, or -1. As Linux's
 * name_to_int: decimal digits only, no leading zero, nothing that
 * overflows (so "00001" and 4294967297 name no process). */
static int component_number(const char **p)
{
	int n = 0;

	if (**p < '0' || **p > '9' || (**p == '0' && (*p)[1] >= '0' && (*p)[1] <= '9'))
		return -1;
	while (**p >= '0' && **p <= '9') {
		int digit = *(*p)++ - '0';
		if (n > (INT32_MAX - digit) / 10)
			return -1;
		n = n * 10 + digit;
	}
	return (**p == '/' || **p == '\0') ? n : -1;
}

/* Does a component equal name? Advances *p past it if so. */
static bool component_is(const char **p, const char *name)
{
	size_t n = strlen(name);

	if (strncmp(*p, name, n) != 0 || ((*p)[n] != '/' && (*p)[n] != '\0'))
		return false;
	*p += n;
	return true;
}

static void skip_slash(const char **p)
{
	if (**p == '/')
		(*p)++;
}

/* Under tasklist_lock: is pid a live or zombie thread group, tid in it? */
static bool group_exists(int pid)
{
	struct task *t = find_task(pid);

	return t && t == t->group_leader && t->state != TASK_DEAD;
}

static bool task_in_group(int pid, int tid)
{
	struct task *t = find_task(tid);

	return t && t->tgid == pid && t->state != TASK_DEAD;
}

/* The file at fd in process pid's table, with a reference; NULL if none.
 * (The table is taken under tasklist_lock, as /proc takes a task's mm.) */
static struct file *task_fget(int pid, int fd)
{
	struct files_struct *files = NULL;
	struct file *f;
	struct task *t;

	spin_lock(&tasklist_lock);
	if ((t = find_task(pid)) && (files = t->files))
		refcount_inc(&files->refcount);
	spin_unlock(&tasklist_lock);
	if (!files)
		return NULL;
	f = fget_from(files, fd);
	files_put(files);
	return f;
}

/* "fd" and "fd/N" inside /proc/PID. */
static int lookup_fd(const char *p, struct proc_node *n)
{
	struct file *f;

	n->kind = P_FDS;
	skip_slash(&p);
	if (!*p)
		return 0;
	n->kind = P_FD;
	if ((n->fd = component_number(&p)) < 0 || !(f = task_fget(n->pid, n->fd)))
		return -ENOENT;
	file_put(f);
	return *p ? -ENOTDIR : 0;
}

/* A file inside /proc/PID (or /proc/PID/task/TID when tid is set). */
static int lookup_task_file(const char *p, struct proc_node *n)
{
	if (!*p)
		return 0;
	if (!n->tid && component_is(&p, "fd"))
		return lookup_fd(p, n);
	if (component_is(&p, "stat"))
		n->kind = P_TSTAT;
	else if (component_is(&p, "status"))
		n->kind = P_TSTATUS;
	else if (component_is(&p, "sched"))
		n->kind = P_TSCHED;
	else if (component_is(&p, "comm"))
		n->kind = P_TCOMM;
	else if (component_is(&p, "cmdline"))
		n->kind = P_TCMDLINE;
	else if (!n->tid && component_is(&p, "mounts"))
		n->kind = P_MOUNTS;
	else if (!n->tid && component_is(&p, "maps"))
		n->kind = P_MAPS;
	else if (!n->tid && component_is(&p, "pagemap"))
		n->kind = P_PAGEMAP;
	else if (!n->tid && component_is(&p, "exe"))
		n->kind = P_EXE;
	else
		return -ENOENT;
	return *p ? -ENOTDIR : 0;
}

static const struct {
	const char *name;
	enum proc_kind kind;
} top_files[] = { { "stat", P_STAT }, { "cpuinfo", P_CPUINFO }, { "meminfo", P_MEMINFO },
		  { "cmdline", P_CMDLINE } };

/* "/proc/..." to a node: 0 or -ENOENT. */
static int proc_lookup(const char *path, struct proc_node *n)
{
	const char *p = path + 5;   /* past "/proc" */
	int err = 0;

	*n = (struct proc_node){ .kind = P_ROOT };
	skip_slash(&p);
	if (!*p)
		return 0;
	if (component_is(&p, "self")) {
		n->kind = P_SELF;           /* namei.c follows it when more comes */
		return *p ? -ENOENT : 0;
	}
	if (component_is(&p, "mounts")) {
		n->kind = P_MOUNTS_LINK;    /* as Linux's: each process sees its own */
		return *p ? -ENOENT : 0;
	}
	for (size_t i = 0; i < ARRAY_SIZE(top_files); i++) {
		if (component_is(&p, top_files[i].name)) {
			n->kind = top_files[i].kind;
			return *p ? -ENOTDIR : 0;
		}
	}
	n->kind = P_PID;
	if ((n->pid = component_number(&p)) < 0)
		return -ENOENT;
	spin_lock(&tasklist_lock);
	if (!group_exists(n->pid))
		err = -ENOENT;
	skip_slash(&p);
	if (!err && component_is(&p, "task")) {
		n->kind = P_TASKS;
		skip_slash(&p);
		if (*p) {
			n->kind = P_TID;
			n->tid = component_number(&p);
			if (n->tid < 0 || !task_in_group(n->pid, n->tid))
				err = -ENOENT;
			skip_slash(&p);
		}
	}
	spin_unlock(&tasklist_lock);
	if (!err && (n->kind == P_PID || n->kind == P_TID))
		err = lookup_task_file(p, n);
	else if (!err && *p)
		err = -ENOENT;
	return err;
}

/* ---- generating text ---- */

void wwrite(struct window *w, const char *bytes, size_t n)
{
	for (size_t i = 0; i < n; i++, w->pos++)
		if (w->pos >= w->skip && w->got < w->cap)
			w->buf[w->got++] = bytes[i];
}

void wprintf(struct window *w, const char *fmt, ...)
{
	char line[256];
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = MIN((size_t)vsnprintf(line, sizeof(line), fmt, ap), sizeof(line) - 1);
	va_end(ap);
	wwrite(w, line, n);
}

/* The address space of task tid, with a reference (taken under
 * tasklist_lock, so an exit or exec on another CPU cannot free it while
 * /proc reads it); NULL for a zombie or no such task. mmput when done. */
static struct mm *task_mm_get(int tid)
{
	struct mm *mm = NULL;
	struct task *t;

	spin_lock(&tasklist_lock);
	if ((t = find_task(tid)) && t->state != TASK_DEAD && (mm = t->mm))
		mmget(mm);
	spin_unlock(&tasklist_lock);
	return mm;
}

/*
 * /proc/PID/cmdline: the bytes from arg_start to arg_end of its memory,
 * the arguments exec put there, each ending in a NUL. As Linux, it is read
 * from the process's memory, where the program may have changed it; a
 * zombie has none. (Linux goes on into the environment when the last byte
 * is no NUL, for setproctitle; tasklab stops at arg_end.)
 */
static void show_cmdline(struct window *w, int tid)
{
	struct mm *mm = task_mm_get(tid);
	char chunk[128];

	if (!mm)
		return;
	/* exec set the layout before it installed the mm: it does not change */
	for (uintptr_t a = mm->layout.arg_start; a < mm->layout.arg_end && w->got < w->cap;
	     a += sizeof(chunk)) {
		size_t n = MIN(sizeof(chunk), mm->layout.arg_end - a);
		if (copy_from_mm(mm, chunk, a, n))
			break;
		wwrite(w, chunk, n);
	}
	mmput(mm);
}

static char state_letter(const struct task *t)
{
	switch (t->state) {
	case TASK_RUNNING:
		return 'R';
	case TASK_SLEEPING:
		return t->jobctl_stopped ? 'T' : 'S';
	case TASK_ZOMBIE:
		return 'Z';
	default:
		return 'X';
	}
}

static const char *state_name(const struct task *t)
{
	switch (state_letter(t)) {
	case 'R': return "R (running)";
	case 'S': return "S (sleeping)";
	case 'T': return "T (stopped)";
	case 'Z': return "Z (zombie)";
	}
	return "X (dead)";
}

/* Pages the mm maps, and bytes its regions span. Under mm->lock. */
static void mm_usage(struct mm *mm, uint64_t *rss, uint64_t *vsize)
{
	struct vma *v;

	assert_held(&mm->lock);
	*vsize = 0;
	list_for_each_entry(v, &mm->vmas, node)
		*vsize += v->end - v->start;
	*rss = mm_resident_pages(mm);
}

static void usage_of(struct task *t, uint64_t *rss, uint64_t *vsize)
{
	*rss = *vsize = 0;
	if (t->mm) {
		spin_lock(&t->mm->lock);
		mm_usage(t->mm, rss, vsize);
		spin_unlock(&t->mm->lock);
	}
}

/* Signals with a handler (caught) or SIG_IGN (ignored), as stat's bitmasks. */
static void handled_signals(struct task *t, uint64_t *ignored, uint64_t *caught)
{
	*ignored = *caught = 0;
	for (int sig = 1; sig <= NSIG; sig++) {
		void *h = t->sighand->action[sig - 1].handler;
		if (h == SIG_IGN)
			*ignored |= 1ULL << (sig - 1);
		else if (h != SIG_DFL)
			*caught |= 1ULL << (sig - 1);
	}
}

/*
 * Linux's /proc/PID/stat, all 52 fields, where tasklab has no value for a
 * field (major faults, the tty) the value of a Linux process that has
 * none. Times are in clock ticks (USER_HZ). A thread's own stat
 * (!whole) has its own times and faults, its process's children's. Under
 * tasklist_lock.
 */
static void show_task_stat(struct window *w, struct task *t, bool whole)
{
	static const struct mm_layout none;
	const struct mm_layout *l = t->mm ? &t->mm->layout : &none;
	struct usage u = whole ? group_usage(t) : task_usage(t), c = t->signal->children;
	uint64_t rss, vsize, ignored, caught;

	assert_held(&tasklist_lock);
	usage_of(t, &rss, &vsize);
	handled_signals(t, &ignored, &caught);
	wprintf(w, "%d (%s) %c %d %d %d 0 -1 0 %lu %lu 0 0 %lu %lu %lu %lu %d %d %d 0 %lu ",
		t->tid, t->comm, state_letter(t), task_ppid(t), t->signal->pgid,
		t->signal->sid, u.min_flt, c.min_flt, ticks_to_clock_t(u.utime),
		ticks_to_clock_t(u.stime), ticks_to_clock_t(c.utime), ticks_to_clock_t(c.stime),
		20 + t->nice, t->nice, t->signal->nr_threads, t->start_time);
	wprintf(w, "%lu %lu 18446744073709551615 %lu %lu %lu 0 0 %lu %lu %lu %lu 0 0 0 %d %d 0 0 0 0 0 ",
		vsize, rss, l->start_code, l->end_code, l->start_stack,
		t->pending.signal | t->signal->shared_pending.signal, t->blocked,
		ignored, caught, t->exit_signal, t->cpu);
	wprintf(w, "%lu %lu %lu %lu %lu %lu %lu %d\n", l->start_data, l->end_data,
		t->mm ? t->mm->start_brk : 0, l->arg_start, l->arg_end, l->env_start, l->env_end,
		t->state == TASK_ZOMBIE ? t->exit_code : 0);
}

static void show_task_status(struct window *w, struct task *t)
{
	uint64_t rss, vsize;

	usage_of(t, &rss, &vsize);
	wprintf(w, "Name:\t%s\nState:\t%s\nTgid:\t%d\nPid:\t%d\nPPid:\t%d\n", t->comm,
		state_name(t), t->tgid, t->tid, task_ppid(t));
	wprintf(w, "Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n");        /* everyone is root */
	wprintf(w, "VmSize:\t%8lu kB\nVmRSS:\t%8lu kB\nThreads:\t%d\n", vsize >> 10,
		rss * (PAGE_SIZE >> 10), t->signal->nr_threads);
	if (t->mm)
		wprintf(w, "Mm:\t%d\n", t->mm->id);
}

/* A line of /proc/PID/sched: a time in ns as Linux shows it, in ms. */
static void sched_ms_line(struct window *w, const char *name, uint64_t ns)
{
	wprintf(w, "%-45s:%14lu.%06lu\n", name, ns / 1000000, ns % 1000000);
}

/*
 * What the scheduler knows of a task, in the format of Linux's
 * /proc/PID/sched (which has many more lines): its virtual runtime and
 * the CPU time it had, in ms, and its weight; and (tasklab's own lines)
 * the TLB shootdowns its address space has cost and the IPIs sent to make
 * it see a signal while it ran on another CPU. Under tasklist_lock.
 */
static void show_task_sched(struct window *w, struct task *t)
{
	uint64_t vruntime, sum_exec, kicks;
	int nice;

	spin_lock(&sched_lock);
	vruntime = t->vruntime;
	sum_exec = t->sum_exec_ns;
	kicks = t->kicks;
	nice = t->nice;
	spin_unlock(&sched_lock);
	wprintf(w, "%s (%d, #threads: %d)\n", t->comm, t->tid, t->signal->nr_threads);
	wprintf(w, "-------------------------------------------------------------------\n");
	sched_ms_line(w, "se.vruntime", vruntime);
	sched_ms_line(w, "se.sum_exec_runtime", sum_exec);
	if (t->mm)
		wprintf(w, "%-45s:%21lu\n", "mm.tlb_shootdowns",
			__atomic_load_n(&t->mm->shootdowns, __ATOMIC_RELAXED));
	wprintf(w, "%-45s:%21lu\n", "nr_signal_kicks", kicks);
	wprintf(w, "%-45s:%21u\n", "se.load.weight", nice_to_weight(nice));
	wprintf(w, "%-45s:%21d\n", "prio", 120 + nice);
}

static void show_maps(struct window *w, struct task *t)
{
	struct vma *v;

	if (!t->mm)
		return;
	spin_lock(&t->mm->lock);
	list_for_each_entry(v, &t->mm->vmas, node)
		wprintf(w, "%08lx-%08lx %c%c%c%c 00000000 00:00 0 %s\n", v->start, v->end,
			v->flags & VM_READ ? 'r' : '-', v->flags & VM_WRITE ? 'w' : '-',
			v->flags & VM_EXEC ? 'x' : '-', v->flags & VM_SHARED ? 's' : 'p',
			v->name ? v->name : "");
	spin_unlock(&t->mm->lock);
}

/* Print node's text into w. */
static void generate(const struct proc_node *n, struct window *w)
{
	struct task *t;

	switch (n->kind) {
	case P_STAT:
		show_stat(w);
		return;
	case P_CPUINFO:
		show_cpuinfo(w);
		return;
	case P_MEMINFO:
		show_meminfo(w);
		return;
	case P_CMDLINE:
		wprintf(w, "%s\n", bootinfo.cmdline);
		return;
	case P_TCMDLINE:
		show_cmdline(w, n->tid ? n->tid : n->pid);
		return;
	case P_MOUNTS:
		show_mounts(w);
		return;
	default:
		break;
	}
	spin_lock(&tasklist_lock);
	t = find_task(n->tid ? n->tid : n->pid);
	if (t && t->state != TASK_DEAD) {
		if (n->kind == P_TSTAT)
			show_task_stat(w, t, !n->tid);
		else if (n->kind == P_TSTATUS)
			show_task_status(w, t);
		else if (n->kind == P_TSCHED)
			show_task_sched(w, t);
		else if (n->kind == P_TCOMM)
			wprintf(w, "%s\n", t->comm);
		else if (n->kind == P_MAPS)
			show_maps(w, t);
	}
	spin_unlock(&tasklist_lock);
}

static long proc_read(struct file *f, char *ubuf, size_t n)
{
	struct window w = { .cap = MIN(n, PAGE_SIZE) };
	long ret;

	if (!(w.buf = page_zalloc()))
		return -ENOMEM;
	spin_lock(&f->lock);
	w.skip = f->pos;
	generate(f->private, &w);
	ret = copy_to_user(ubuf, w.buf, w.got) ? -EFAULT : (long)w.got;
	if (ret > 0)
		f->pos += ret;
	spin_unlock(&f->lock);
	page_put(w.buf);
	return ret;
}

/*
 * /proc/PID/pagemap: 8 bytes for each virtual page, in Linux's format:
 * bit 63 present, bit 56 mapped by this process alone, bits 0-54 the
 * frame number. Tests use it to see parent and child share a frame after
 * fork, and stop sharing after a write.
 */
static long pagemap_read(struct file *f, char *ubuf, size_t n)
{
	struct proc_node *node = f->private;
	struct mm *mm;
	long done = 0;

	if (f->pos % 8 || n % 8)
		return -EINVAL;
	if (!(mm = task_mm_get(node->pid)))
		return 0;
	for (; (size_t)done < n && (uint64_t)f->pos / 8 < USER_TOP / PAGE_SIZE; done += 8) {
		uintptr_t va = (uintptr_t)(f->pos / 8) * PAGE_SIZE;
		uint64_t entry = 0;
		spin_lock(&mm->lock);
		pte_t pte = lookup_pte(mm->pgd, va);
		bool exclusive = user_page_exclusive(mm, va);
		spin_unlock(&mm->lock);
		if (pte & PTE_P) {
			entry = (1ULL << 63) | ((pte & PTE_ADDR) >> PAGE_SHIFT);
			if (exclusive)
				entry |= 1ULL << 56;
		}
		if (copy_to_user(ubuf + done, &entry, 8)) {
			done = done ? done : -EFAULT;
			break;
		}
		f->pos += 8;
	}
	mmput(mm);
	return done;
}

/* ---- directories ---- */

/*
 * A directory's offsets: its fixed entries (".", "..", "self", ...) take
 * 0, 1, 2..., and a process or thread takes ID_OFFSET plus its id, listed
 * in the order of the ids, as Linux does. So the offset where one getdents
 * stopped means the same after tasks came and went: the next call goes on
 * with the next id, skipping and repeating none.
 */
#define ID_OFFSET 256

struct lister {
	char *ubuf;
	size_t n, used;
	int64_t index;              /* of the next fixed entry */
	int64_t *pos;               /* the file offset: where to go on */
	bool full;
	int err;
};

/* Offer the entry at offset off; it is written if not read before and it fits. */
static void emit_at(struct lister *l, int64_t off, const char *name, uint32_t mode)
{
	if (l->full || off < *l->pos)
		return;
	if (!dirent_put(l->ubuf, l->n, &l->used, name, off + 1, mode, off + 1, &l->err)) {
		l->full = true;
		return;
	}
	*l->pos = off + 1;
}

static void emit(struct lister *l, const char *name, bool dir)
{
	emit_at(l, l->index++, name, dir ? S_IFDIR : S_IFREG);
}

/* Under tasklist_lock: the least id >= from of the thread groups (P_ROOT)
 * or of the threads of group n->pid (P_TASKS), 0 if none. Each call looks
 * at every task, few enough (MAX_TASKS) for /proc's listings. */
static int next_id(const struct proc_node *n, int from)
{
	struct task *t;
	int best = 0;

	assert_held(&tasklist_lock);
	for_each_task(t) {
		bool listed = n->kind == P_ROOT ? t == t->group_leader : t->tgid == n->pid;
		if (listed && t->state != TASK_DEAD && t->tid >= from && (!best || t->tid < best))
			best = t->tid;
	}
	return best;
}

/* The processes (or threads) of directory n, from the file offset on. */
static void emit_ids(const struct proc_node *n, struct lister *l)
{
	char name[16];

	for (int id = next_id(n, MIN(MAX(*l->pos - ID_OFFSET, 0), INT32_MAX)); id && !l->full;
	     id = next_id(n, id + 1)) {
		snprintf(name, sizeof(name), "%d", id);
		emit_at(l, ID_OFFSET + id, name, S_IFDIR);
	}
}

/* /proc/PID/fd: a link for each open fd, at offset ID_OFFSET + fd. The
 * fds are noted first and listed after: nothing is copied out under the
 * table's lock. */
static void emit_fds(const struct proc_node *n, struct lister *l)
{
	bool open[MAX_FDS];
	char name[16];

	for (int fd = 0; fd < MAX_FDS; fd++) {
		struct file *f = task_fget(n->pid, fd);
		open[fd] = f != NULL;
		if (f)
			file_put(f);
	}
	for (int fd = 0; fd < MAX_FDS && !l->full; fd++) {
		if (!open[fd])
			continue;
		snprintf(name, sizeof(name), "%d", fd);
		emit_at(l, ID_OFFSET + fd, name, S_IFLNK);
	}
}

static void list_dir(const struct proc_node *n, struct lister *l)
{
	emit(l, ".", true);
	emit(l, "..", true);
	spin_lock(&tasklist_lock);
	switch (n->kind) {
	case P_ROOT:
		emit_at(l, l->index++, "self", S_IFLNK);
		emit_at(l, l->index++, "mounts", S_IFLNK);
		for (size_t i = 0; i < ARRAY_SIZE(top_files); i++)
			emit(l, top_files[i].name, false);
		emit_ids(n, l);
		break;
	case P_PID:
		emit(l, "task", true);
		emit(l, "maps", false);
		emit(l, "pagemap", false);
		emit(l, "fd", true);
		emit_at(l, l->index++, "exe", S_IFLNK);
		emit(l, "mounts", false);
		/* fall through */
	case P_TID:
		emit(l, "stat", false);
		emit(l, "status", false);
		emit(l, "sched", false);
		emit(l, "comm", false);
		emit(l, "cmdline", false);
		break;
	case P_TASKS:
		emit_ids(n, l);
		break;
	default:
		break;
	}
	spin_unlock(&tasklist_lock);
	if (n->kind == P_FDS)
		emit_fds(n, l);
}

static long proc_getdents(struct file *f, char *ubuf, size_t n)
{
	struct lister l = { .ubuf = ubuf, .n = n };

	spin_lock(&f->lock);
	l.pos = &f->pos;
	list_dir(f->private, &l);
	spin_unlock(&f->lock);
	if (l.err)
		return l.err;
	return l.used == 0 && l.full ? -EINVAL : (long)l.used;
}

/* ---- files ---- */

static void proc_node_stat(const struct proc_node *n, struct stat *st)
{
	*st = (struct stat){
		.st_dev = PROC_DEV, .st_ino = n->kind << 24 | n->pid << 8 | n->tid | n->fd, .st_nlink = 1,
		.st_mode = is_dir(n->kind) ? S_IFDIR | 0555 : is_link(n->kind) ? S_IFLNK | 0777 :
			   S_IFREG | 0444,
		.st_blksize = PAGE_SIZE,
	};
}

static void proc_file_stat(struct file *f, struct stat *st)
{
	proc_node_stat(f->private, st);
}

static void proc_release(struct file *f)
{
	kfree(f->private);
}

static const struct file_ops proc_text_ops = {
	.read = proc_read, .stat = proc_file_stat, .seekable = true, .release = proc_release,
};

static const struct file_ops proc_pagemap_ops = {
	.read = pagemap_read, .stat = proc_file_stat, .seekable = true, .release = proc_release,
};

/* The directory's own path, for openat and fstatat relative to it. */
static int proc_dir_path(struct file *f, char *buf, size_t size)
{
	const struct proc_node *n = f->private;
	int len;

	switch (n->kind) {
	case P_ROOT:
		len = snprintf(buf, size, "/proc");
		break;
	case P_PID:
		len = snprintf(buf, size, "/proc/%d", n->pid);
		break;
	case P_TASKS:
		len = snprintf(buf, size, "/proc/%d/task", n->pid);
		break;
	case P_FDS:
		len = snprintf(buf, size, "/proc/%d/fd", n->pid);
		break;
	default:
		len = snprintf(buf, size, "/proc/%d/task/%d", n->pid, n->tid);
	}
	return len < (int)size ? 0 : -ENAMETOOLONG;
}

static const struct file_ops proc_dir_ops = {
	.getdents = proc_getdents, .stat = proc_file_stat, .seekable = true,
	.release = proc_release, .dir_path = proc_dir_path,
};

int proc_stat(const char *path, struct stat *st)
{
	struct proc_node n;
	int err = proc_lookup(path, &n);

	if (!err)
		proc_node_stat(&n, st);
	return err;
}

int proc_open(const char *path, int flags, struct file **out)
{
	struct proc_node n, *copy;
	const struct file_ops *ops;
	int err = proc_lookup(path, &n);

	if (err)
		return err;
	if (is_link(n.kind))
		return -ELOOP;              /* O_NOFOLLOW: namei.c follows it otherwise */
	if ((flags & O_ACCMODE) != O_RDONLY)
		return is_dir(n.kind) ? -EISDIR : -EACCES;
	if ((flags & O_DIRECTORY) && !is_dir(n.kind))
		return -ENOTDIR;
	ops = is_dir(n.kind) ? &proc_dir_ops : n.kind == P_PAGEMAP ? &proc_pagemap_ops :
	      &proc_text_ops;
	if (!(copy = kmalloc(sizeof(*copy))))
		return -ENOMEM;
	*copy = n;
	*out = file_alloc(ops, flags, copy);
	if (!*out) {
		kfree(copy);
		return -ENOMEM;
	}
	return 0;
}

/* What /proc/PID/fd/N shows: the file's path, "pipe:[ino]"... */
static int fd_link(const struct proc_node *n, char *buf, size_t size)
{
	struct file *f = task_fget(n->pid, n->fd);
	int err;

	if (!f)
		return -ENOENT;
	if (f->ops->name)
		err = f->ops->name(f, buf, size);
	else if (f->ops->dir_path)
		err = f->ops->dir_path(f, buf, size);
	else
		err = -ENOENT;
	file_put(f);
	if (err)        /* a file without a name (a deleted one): as Linux's anon files */
		strlcpy(buf, "anon_inode:[file]", size);
	return 0;
}

/* The program's path, kept by exec; none for a zombie. */
static int exe_link(const struct proc_node *n, char *buf, size_t size)
{
	struct task *t;
	int err = -ENOENT;

	spin_lock(&tasklist_lock);
	if ((t = find_task(n->pid)) && t->mm && t->mm->exe) {
		strlcpy(buf, t->mm->exe, size);
		err = 0;
	}
	spin_unlock(&tasklist_lock);
	return err;
}

int proc_readlink(const char *path, char *buf, size_t size)
{
	struct proc_node n;
	char target[256];
	int err = proc_lookup(path, &n), len;

	if (err)
		return err;
	if (n.kind == P_SELF)
		snprintf(target, sizeof(target), "%d", current->tgid);
	else if (n.kind == P_MOUNTS_LINK)
		strlcpy(target, "self/mounts", sizeof(target));
	else if (n.kind == P_EXE)
		err = exe_link(&n, target, sizeof(target));
	else if (n.kind == P_FD)
		err = fd_link(&n, target, sizeof(target));
	else
		err = -EINVAL;
	if (err)
		return err;
	len = MIN(strlen(target), size);
	memcpy(buf, target, len);
	return len;
}
