/* Issue 12: the vDSO. Linux maps a small ELF shared object into every
 * process and says where in the auxiliary vector (AT_SYSINFO_EHDR); its
 * functions answer clock_gettime, gettimeofday, time and getcpu in user
 * mode, and musl and glibc look them up by name and version. This program
 * looks them up the way musl does and holds their answers to the system
 * calls': the shape only (order, agreement), never a time. getcpu's
 * answer is asked for once the program is pinned to CPU 0, which every
 * machine has: CPU 0 on both kernels, whatever the number of CPUs.
 * With --each-cpu it also asks on each CPU the program may run on, pinned
 * there: the vDSO, the system call and the pin must agree (tests/29-smp.sh
 * runs that on two CPUs; Linux's answer is recorded on one, without it). */
#include <elf.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

typedef int (*gettime_fn)(clockid_t, struct timespec *);
typedef int (*gettimeofday_fn)(struct timeval *, void *);
typedef time_t (*time_fn)(time_t *);
typedef int (*getcpu_fn)(unsigned *, unsigned *, void *);

static const Elf64_Ehdr *vdso;

static const void *at(uintptr_t base, uint64_t offset)
{
	return (const void *)(base + offset);
}

/* Is version index `ndx` the one named `want` in the version definitions? */
static int version_is(const Elf64_Verdef *d, unsigned ndx, const char *strs, const char *want)
{
	for (;; d = at((uintptr_t)d, d->vd_next)) {
		if (!(d->vd_flags & VER_FLG_BASE) && (d->vd_ndx & 0x7fff) == (ndx & 0x7fff)) {
			const Elf64_Verdaux *aux = at((uintptr_t)d, d->vd_aux);
			return strcmp(strs + aux->vda_name, want) == 0;
		}
		if (!d->vd_next)
			return 0;
	}
}

/* The function `name`, version LINUX_2.6, found as musl's __vdsosym finds
 * it: the PT_LOAD segment gives the load bias, the dynamic section the
 * tables, DT_HASH the number of symbols. NULL if it is not there. */
static void *vdso_sym(const char *name)
{
	const Elf64_Phdr *ph = at((uintptr_t)vdso, vdso->e_phoff);
	const Elf64_Dyn *dyn = NULL;
	const Elf64_Sym *syms = NULL;
	const Elf64_Verdef *verdef = NULL;
	const Elf64_Half *versym = NULL;
	const Elf32_Word *hash = NULL;
	const char *strs = NULL;
	uintptr_t base = 0;

	for (int i = 0; i < vdso->e_phnum; i++) {
		if (ph[i].p_type == PT_LOAD)
			base = (uintptr_t)vdso + ph[i].p_offset - ph[i].p_vaddr;
		else if (ph[i].p_type == PT_DYNAMIC)
			dyn = at((uintptr_t)vdso, ph[i].p_offset);
	}
	for (; dyn && dyn->d_tag != DT_NULL; dyn++) {
		const void *p = at(base, dyn->d_un.d_ptr);
		switch (dyn->d_tag) {
		case DT_STRTAB: strs = p; break;
		case DT_SYMTAB: syms = p; break;
		case DT_HASH: hash = p; break;
		case DT_VERSYM: versym = p; break;
		case DT_VERDEF: verdef = p; break;
		}
	}
	if (!strs || !syms || !hash || !versym || !verdef)
		return NULL;
	for (Elf32_Word i = 0; i < hash[1]; i++)
		if (ELF64_ST_TYPE(syms[i].st_info) == STT_FUNC && syms[i].st_shndx != SHN_UNDEF &&
		    strcmp(strs + syms[i].st_name, name) == 0 &&
		    version_is(verdef, versym[i], strs, "LINUX_2.6"))
			return (void *)at(base, syms[i].st_value);
	return NULL;
}

static long long ns_of(const struct timespec *ts)
{
	return ts->tv_sec * 1000000000LL + ts->tv_nsec;
}

static long long sys_clock_ns(clockid_t clock)
{
	struct timespec ts;

	syscall(SYS_clock_gettime, clock, &ts);
	return ns_of(&ts);
}

/* The start of the region named `name` in /proc/self/maps, or 0. */
static uintptr_t region(const char *name)
{
	char line[256];
	unsigned long start = 0;
	FILE *f = fopen("/proc/self/maps", "r");

	while (f && fgets(line, sizeof line, f))
		if (strstr(line, name) && sscanf(line, "%lx-", &start) == 1)
			break;
		else
			start = 0;
	if (f)
		fclose(f);
	return start;
}

/* Each clock the vDSO has reads between two system-call reads of the same
 * clock, and 1000 reads in a row never go back. 1 if all do. */
static int clocks_agree(gettime_fn gettime, int quiet)
{
	static const struct { clockid_t id; const char *name; } clocks[] = {
		{ CLOCK_REALTIME, "CLOCK_REALTIME" }, { CLOCK_MONOTONIC, "CLOCK_MONOTONIC" },
		{ CLOCK_MONOTONIC_RAW, "CLOCK_MONOTONIC_RAW" },
		{ CLOCK_REALTIME_COARSE, "CLOCK_REALTIME_COARSE" },
		{ CLOCK_MONOTONIC_COARSE, "CLOCK_MONOTONIC_COARSE" },
		{ CLOCK_BOOTTIME, "CLOCK_BOOTTIME" },
	};
	int all = 1;

	for (size_t i = 0; i < sizeof clocks / sizeof clocks[0]; i++) {
		struct timespec ts;
		long long before = sys_clock_ns(clocks[i].id), prev, now;
		int ok = gettime(clocks[i].id, &ts) == 0 && ts.tv_nsec >= 0 && ts.tv_nsec < 1000000000;
		long long mine = ns_of(&ts), after = sys_clock_ns(clocks[i].id);
		int between = ok && before <= mine && mine <= after, forward = 1;

		prev = mine;
		for (int n = 0; n < 1000; n++, prev = now) {
			gettime(clocks[i].id, &ts);
			now = ns_of(&ts);
			forward &= now >= prev;
		}
		if (!quiet)
			printf("%s: between two system calls: %s; 1000 reads never go back: %s\n",
			       clocks[i].name, between ? "yes" : "no", forward ? "yes" : "no");
		all &= between && forward;
	}
	return all;
}

/* Pinned to each CPU of our affinity mask in turn (one long, as on both
 * kernels here), getcpu of the vDSO and of the system call: a line each. */
static void getcpu_each(getcpu_fn getcpu_v)
{
	unsigned long all = 0;

	syscall(SYS_sched_getaffinity, 0, sizeof all, &all);
	for (unsigned cpu = 0; cpu < 8 * sizeof all; cpu++) {
		unsigned long one = 1UL << cpu;
		unsigned v = 99, sys = 99;

		if (!(all & one))
			continue;
		syscall(SYS_sched_setaffinity, 0, sizeof one, &one);
		getcpu_v(&v, NULL, NULL);
		syscall(SYS_getcpu, &sys, NULL, NULL);
		printf("getcpu pinned to CPU %u: vDSO %u, system call %u\n", cpu, v, sys);
	}
	syscall(SYS_sched_setaffinity, 0, sizeof all, &all);
}

/* sched_setaffinity(2) to CPU 0 only, for this thread. */
static int pin_to_cpu0(void)
{
	unsigned long mask = 1;

	return syscall(SYS_sched_setaffinity, 0, sizeof mask, &mask);
}

int main(int argc, char **argv)
{
	gettime_fn gettime;
	gettimeofday_fn gettimeofday_v;
	time_fn time_v;
	getcpu_fn getcpu_v;
	struct timespec ts;
	struct timeval tv;
	struct { int minuteswest, dsttime; } tz = { -1, -1 };
	unsigned cpu = 99, node = 99;
	long long before, after;
	time_t t, stored;
	uintptr_t vvar;
	pid_t pid;
	int status;

	printf("== abi-vdso ==\n");
	vdso = (const Elf64_Ehdr *)getauxval(AT_SYSINFO_EHDR);
	printf("AT_SYSINFO_EHDR: %s\n", vdso ? "present" : "missing");
	if (!vdso)
		return 1;
	printf("an ELF shared object: %s\n", memcmp(vdso->e_ident, ELFMAG, SELFMAG) == 0 &&
	       vdso->e_ident[EI_CLASS] == ELFCLASS64 && vdso->e_type == ET_DYN ? "yes" : "no");
	printf("/proc/self/maps: [vdso] at AT_SYSINFO_EHDR: %s; [vvar] below it: %s\n",
	       region("[vdso]") == (uintptr_t)vdso ? "yes" : "no",
	       (vvar = region("[vvar]")) && vvar < (uintptr_t)vdso ? "yes" : "no");

	gettime = (gettime_fn)vdso_sym("__vdso_clock_gettime");
	gettimeofday_v = (gettimeofday_fn)vdso_sym("__vdso_gettimeofday");
	time_v = (time_fn)vdso_sym("__vdso_time");
	getcpu_v = (getcpu_fn)vdso_sym("__vdso_getcpu");
	printf("LINUX_2.6 symbols: clock_gettime %s, gettimeofday %s, time %s, getcpu %s\n",
	       gettime ? "found" : "missing", gettimeofday_v ? "found" : "missing",
	       time_v ? "found" : "missing", getcpu_v ? "found" : "missing");
	if (!gettime || !gettimeofday_v || !time_v || !getcpu_v)
		return 1;

	clocks_agree(gettime, 0);
	/* A clock it does not have: the system call answers, in the raw form. */
	printf("an unknown clock: returns %d\n", gettime(12345, &ts));

	before = sys_clock_ns(CLOCK_REALTIME) / 1000;
	gettimeofday_v(&tv, &tz);
	after = sys_clock_ns(CLOCK_REALTIME) / 1000;
	printf("gettimeofday: between two system calls: %s; time zone %d %d\n",
	       before <= tv.tv_sec * 1000000LL + tv.tv_usec &&
	       tv.tv_sec * 1000000LL + tv.tv_usec <= after ? "yes" : "no", tz.minuteswest, tz.dsttime);

	before = sys_clock_ns(CLOCK_REALTIME) / 1000000000;
	t = time_v(&stored);
	after = sys_clock_ns(CLOCK_REALTIME) / 1000000000;
	printf("time: between two system calls: %s; stored the same: %s\n",
	       before <= t && t <= after ? "yes" : "no", stored == t ? "yes" : "no");

	if (argc > 1 && strcmp(argv[1], "--each-cpu") == 0)
		getcpu_each(getcpu_v);
	status = pin_to_cpu0();
	printf("pinned to CPU 0: %s\n", status == 0 ? "yes" : strerror(errno));
	status = getcpu_v(&cpu, &node, NULL);
	printf("getcpu: returns %d, cpu %u, node %u\n", status, cpu, node);

	errno = 0;
	printf("mprotect([vvar], read+write): %s\n",
	       mprotect((void *)vvar, 4096, PROT_READ | PROT_WRITE) == 0 ? "allowed" : strerror(errno));

	/* A forked child has the same vDSO, and it still answers. */
	pid = fork();
	if (pid == 0)
		_exit(region("[vdso]") == (uintptr_t)vdso && clocks_agree(gettime, 1) ? 0 : 1);
	waitpid(pid, &status, 0);
	printf("a forked child's vDSO agrees: %s\n",
	       WIFEXITED(status) && WEXITSTATUS(status) == 0 ? "yes" : "no");
	return 0;
}
