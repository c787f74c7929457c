/*
 * forkscale: fork + exit + wait against the memory the parent has touched,
 * beside vfork and a thread, which share that memory instead of copying it.
 * With copy-on-write, fork copies page tables (8 bytes a page); with eager
 * copying (tasklab's fork=copy) it copies every page (4096 bytes); with
 * On-Demand-Fork (tasklab's fork=odf) it shares the last-level tables too
 * (8 bytes per 2 MiB). The cost per page says which.
 *
 * The kernel chooses how fork copies (the kernel command line, fork=copy
 * or fork=odf), so run this once per boot mode. --mode NAME says which one
 * it is; without it, /proc/cmdline is searched for fork=copy and fork=odf.
 *
 * Usage: forkscale [--quick] [--machine] [--mode cow|copy|odf]
 *
 * --machine adds the lines tools/bench reads (bench/bench.h).
 */
#include "bench/bench.h"

#define MiB  (1024ul * 1024)
#define PAGE 4096

static const unsigned sizes_mb[] = { 0, 1, 4, 16, 64, 256, 1024 };
#define NSIZES ARRAY_SIZE(sizes_mb)
#define QUICK_NSIZES 3          /* 0, 1 and 4 MiB */
enum { FORK, VFORK, THREAD, NKINDS };

/* Is word one of the words (separated by spaces or newlines) of line? */
static bool has_word(const char *line, const char *word)
{
	size_t n = strlen(word);

	for (const char *s = line; *s; s++)
		if ((s == line || s[-1] == ' ') && strncmp(s, word, n) == 0 &&
		    (s[n] == ' ' || s[n] == '\n' || s[n] == '\0'))
			return true;
	return false;
}

/* How this kernel's fork copies memory: cow, copy, odf, or unknown. */
static const char *fork_mode(int argc, char **argv)
{
	static char cmdline[1024];

	for (int i = 1; i + 1 < argc; i++)
		if (strcmp(argv[i], "--mode") == 0)
			return argv[i + 1];
	if (read_file("/proc/cmdline", cmdline, sizeof cmdline))
		return has_word(cmdline, "fork=copy") ? "copy" :
		       has_word(cmdline, "fork=odf") ? "odf" : "cow";
	return on_linux() ? "cow" : "unknown";
}

/* Eager copying needs the memory twice, while the child lives. */
static bool fits(unsigned mb)
{
	struct sysinfo si;
	uint64_t need = (uint64_t)mb * MiB * 2 + 16 * MiB;

	return sysinfo(&si) == 0 && need <= (uint64_t)si.freeram * si.mem_unit;
}

/* Map mb MiB and write to every page, so each one is really there. Linux
 * (Debian's kernel: transparent huge pages "always") would back it with
 * 2 MiB pages, and fork would copy one entry per 2 MiB: ask for 4 KiB
 * pages, as tasklab has, so that the cost per page compares. */
static char *touch(unsigned mb)
{
	size_t len = mb * MiB;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	if (on_linux())
		raw_syscall(SYS_madvise, p, len, MADV_NOHUGEPAGE);
	for (size_t off = 0; off < len; off += PAGE)
		p[off] = 1;
	return p;
}

/* Each sample is a fork that may copy all of it: fewer for big sizes. */
static unsigned samples_for(unsigned mb, bool quick)
{
	return quick ? 3 : mb >= 64 ? 5 : 11;
}

/* What each page beyond size 0 adds to a fork, in cycles. Only fork
 * copies something per page; vfork and threads share the memory, so their
 * difference from size 0 is noise (on TCG it can be negative) and has no
 * per-page figure. A fork that cost less than at size 0 (noise too) counts
 * as 0, never as a negative cost. */
static uint64_t per_page(struct row rows[][NKINDS], int size)
{
	uint64_t pages = sizes_mb[size] * MiB / PAGE;
	uint64_t at_size = rows[size][FORK].m.cycles_median, at_0 = rows[0][FORK].m.cycles_median;

	return at_size > at_0 ? (at_size - at_0) / pages : 0;
}

/* Row names for tools/bench: fork_copy_4M, vfork_4M, thread_4M. */
static void name_rows(struct row rows[][NKINDS], int nsizes, const char *mode)
{
	static char names[NSIZES][NKINDS][32];
	static const char *kinds[NKINDS] = { "fork", "vfork", "thread" };

	for (int i = 0; i < nsizes; i++) {
		for (int k = 0; k < NKINDS; k++) {
			struct row *r = &rows[i][k];
			int n = snprintf(r->extra, sizeof r->extra, " size_mb=%u", sizes_mb[i]);
			if (i > 0 && k == FORK)
				snprintf(r->extra + n, sizeof r->extra - n, " per_page_cycles=%lu",
					 per_page(rows, i));
			if (k == FORK)
				snprintf(names[i][k], 32, "fork_%s_%uM", mode, sizes_mb[i]);
			else
				snprintf(names[i][k], 32, "%s_%uM", kinds[k], sizes_mb[i]);
			r->name = r->label = names[i][k];
		}
	}
}

static void print_matrix(struct row rows[][NKINDS], int nsizes, const char *mode)
{
	printf("cycles, median   %12s %12s %12s %16s\n", "fork", "vfork", "thread",
	       "fork per page");
	for (int i = 0; i < nsizes; i++) {
		printf("%4u MiB touched %12lu %12lu %12lu", sizes_mb[i],
		       rows[i][FORK].m.cycles_median, rows[i][VFORK].m.cycles_median,
		       rows[i][THREAD].m.cycles_median);
		if (i > 0)
			printf(" %16lu\n", per_page(rows, i));
		else
			printf(" %16s\n", "-");
	}
	printf("(fork copies memory by %s)\n", mode);
}

/* Does kind k cost at most a quarter more at every size than with no
 * memory? vfork and threads share the address space, so nothing they do
 * should grow with it: a walk of the page tables at thread exit once made
 * a thread cost 20 times more, and the sizes showed it. */
static bool flat_in_size(struct row rows[][NKINDS], int nsizes, int k)
{
	uint64_t at_0 = rows[0][k].m.cycles_median;

	for (int i = 1; i < nsizes; i++)
		if (rows[i][k].m.cycles_median > at_0 + at_0 / 4)
			return false;
	return true;
}

static void check_rows(struct row rows[][NKINDS], int nsizes, const char *mode)
{
	bool cheaper = true, grows = true;

	check_all_measured("forkscale", rows[0], nsizes * NKINDS);
	for (int i = 0; i < nsizes; i++)
		cheaper &= rows[i][THREAD].m.cycles_median < rows[i][FORK].m.cycles_median;
	check("forkscale", "thread_cheaper_than_fork", cheaper,
	      "at some size a thread costs no less than a fork");
	check("forkscale", "sharing_flat_in_size",
	      flat_in_size(rows, nsizes, VFORK) && flat_in_size(rows, nsizes, THREAD),
	      "vfork or a thread costs a quarter more or worse in a bigger process");
	if (strcmp(mode, "odf") == 0)
		check("forkscale", "odf_fork_shares_tables", nsizes > 1 && per_page(rows, nsizes - 1) < 25,
		      "fork=odf costs 25 cycles a page or more: are the PTE tables copied?");
	if (strcmp(mode, "copy") != 0)
		return;
	for (int i = 1; i < nsizes; i++)
		grows &= rows[i][FORK].m.cycles_median > rows[i - 1][FORK].m.cycles_median;
	check("forkscale", "eager_fork_grows_with_size", grows && nsizes > 1,
	      "an eager-copy fork did not cost more with more memory");
}

int main(int argc, char **argv)
{
	static struct row rows[NSIZES][NKINDS];
	bool quick = has_flag(argc, argv, "--quick");
	const char *mode = fork_mode(argc, argv);
	int nsizes = 0;

	bench_init(argc, argv);
	print_header("forkscale", "fork + exit + wait against touched memory",
		     samples_for(0, quick));
	if (machine_lines)
		printf("BENCHINFO forkscale mode=%s\n", mode);
	for (int i = 0; i < (quick ? QUICK_NSIZES : (int)NSIZES); i++, nsizes++) {
		unsigned mb = sizes_mb[i], samples = samples_for(mb, quick);
		char *mem;

		if (!fits(mb)) {
			printf("note: skipping %u MiB and up: not enough free memory\n", mb);
			break;
		}
		if (mb && !(mem = touch(mb))) {
			printf("note: skipping %u MiB and up: mmap failed\n", mb);
			break;
		}
		rows[i][FORK].m = measure(fork_exit_wait, NULL, samples);
		rows[i][VFORK].m = measure(vfork_exit_wait, NULL, samples);
		rows[i][THREAD].m = measure(thread_create_join, NULL, samples);
		if (mb)
			munmap(mem, mb * MiB);
	}
	name_rows(rows, nsizes, mode);
	print_matrix(rows, nsizes, mode);
	print_bench_lines("forkscale", rows[0], nsizes * NKINDS);
	check_rows(rows, nsizes, mode);
	return check_status();
}
