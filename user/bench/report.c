/*
 * Reporting: a table for people, with ratios and a log-scale bar chart,
 * and, when asked with --machine, "BENCH" lines for tools/bench. No
 * floating point: ratios are printed from integers, logarithms are taken
 * in eighths of a doubling.
 */
#include "bench.h"

#define LABEL_WIDTH 26
#define CHARS_PER_DOUBLING 3    /* bar length: 3 '#' each time the cost doubles */

static int failed_checks;
bool machine_lines;

void bench_init(int argc, char **argv)
{
	machine_lines = has_flag(argc, argv, "--machine");
}

bool on_linux(void)
{
	struct utsname u;
	return uname(&u) == 0 && strcmp(u.sysname, "Linux") == 0;
}

void print_header(const char *bench, const char *what, unsigned samples)
{
	struct utsname u;

	if (uname(&u) < 0)
		strcpy(u.sysname, "?"), strcpy(u.release, "?");
	printf("# %s: %s\n", bench, what);
	printf("# on %s %s, %u samples per row; cycles by rdtsc, ns by CLOCK_MONOTONIC\n",
	       u.sysname, u.release, samples);
	if (machine_lines)
		printf("BENCHINFO %s kernel=%s release=%s samples=%u\n", bench, u.sysname,
		       u.release, samples);
}

const char *fmt_ratio(char *buf, size_t size, uint64_t x, uint64_t y)
{
	uint64_t scale = 100;   /* x * scale / y: two digits after "0.0..." */
	int zeros = 0;

	if (y == 0) {
		snprintf(buf, size, "n/a");
	} else if (x >= y) {
		snprintf(buf, size, "%lu.%02lu", x / y, x * 100 / y % 100);
	} else {
		for (; x && x * scale / y < 10 && scale < 1000000000; scale *= 10)
			zeros++;
		snprintf(buf, size, "0.%.*s%02lu", zeros, "000000000", x * scale / y);
	}
	return buf;
}

/* log2(v) in eighths, the fraction read off the bits below the top one. */
static int log2_x8(uint64_t v)
{
	int p = 63 - __builtin_clzl(v | 1);
	int frac = p >= 3 ? (int)(v >> (p - 3)) & 7 : (int)(v << (3 - p)) & 7;
	return p * 8 + frac;
}

static int bar_length(uint64_t v, int base_x8)
{
	return (log2_x8(v) - base_x8) * CHARS_PER_DOUBLING / 8 + 1;
}

/* Under the bars: where 10, 100, 1000... cycles fall. */
static void print_axis(int indent, int base_x8, int width)
{
	char line[160];
	int end = 0;
	uint64_t ten_k = 1;

	memset(line, ' ', sizeof line);
	for (int k = 0; k <= 12; k++, ten_k *= 10) {
		int pos = indent + bar_length(ten_k, base_x8) - 1;
		if (log2_x8(ten_k) < base_x8 || pos < end || pos + 4 >= (int)sizeof line ||
		    pos > indent + width)
			continue;
		end = pos + snprintf(line + pos, sizeof line - pos, "|1e%d", k);
		line[end++] = ' ';
	}
	line[end] = '\0';
	printf("%s (cycles, log scale)\n", line);
}

void print_table(struct row *rows, int n, int base)
{
	char ratio[16];
	uint64_t lo = ~0ul;
	int width = 0, indent;

	for (int i = 0; i < n; i++)
		if (rows[i].m.ok && rows[i].m.cycles_median < lo)
			lo = rows[i].m.cycles_median;
	int base_x8 = log2_x8(lo) / 8 * 8;      /* the power of two below the cheapest */

	printf("%-*s %21s %21s %9s\n", LABEL_WIDTH, "", "cycles median/min", "ns median/min",
	       "ratio");
	for (int i = 0; i < n; i++) {
		const struct measure *m = &rows[i].m;
		if (!m->ok) {
			printf("%-*s FAILED\n", LABEL_WIDTH, rows[i].label);
			continue;
		}
		printf("%-*s %10lu/%-10lu %10lu/%-10lu %9s ", LABEL_WIDTH, rows[i].label,
		       m->cycles_median, m->cycles_min, m->ns_median, m->ns_min,
		       fmt_ratio(ratio, sizeof ratio, m->cycles_median, rows[base].m.cycles_median));
		int len = bar_length(m->cycles_median, base_x8);
		for (int j = 0; j < len; j++)
			putchar('#');
		putchar('\n');
		if (len > width)
			width = len;
	}
	indent = LABEL_WIDTH + 1 + 21 + 1 + 21 + 1 + 9 + 1;
	print_axis(indent, base_x8, width);
	printf("ratio: to %s\n", rows[base].label);
}

void print_bench_lines(const char *bench, const struct row *rows, int n)
{
	if (!machine_lines)
		return;
	for (int i = 0; i < n; i++) {
		const struct measure *m = &rows[i].m;
		if (!m->ok) {
			printf("BENCH %s %s failed\n", bench, rows[i].name);
			continue;
		}
		printf("BENCH %s %s cycles_median=%lu cycles_min=%lu ns_median=%lu ns_min=%lu "
		       "batch=%u samples=%u%s\n", bench, rows[i].name, m->cycles_median,
		       m->cycles_min, m->ns_median, m->ns_min, m->batch, m->samples, rows[i].extra);
	}
}

void check(const char *bench, const char *name, bool ok, const char *why)
{
	if (!ok)
		failed_checks++;
	if (machine_lines)
		printf("CHECK %s/%s %s%s\n", bench, name, ok ? "ok" : "FAIL: ", ok ? "" : why);
	else if (!ok)
		printf("%s: check %s failed: %s\n", bench, name, why);
}

void check_all_measured(const char *bench, const struct row *rows, int n)
{
	char why[80] = "";

	for (int i = 0; i < n && !why[0]; i++)
		if (!rows[i].m.ok)
			snprintf(why, sizeof why, "%s was not measured", rows[i].name);
	check(bench, "all_measured", !why[0], why);
}

int check_status(void)
{
	return failed_checks ? 1 : 0;
}

bool has_flag(int argc, char **argv, const char *flag)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], flag) == 0)
			return true;
	return false;
}
