/* The in-kernel unit tests' runner: ktest=NAME on the command line runs them. */
#include "ktest.h"
#include "lib/format.h"

extern const struct ktest __ktests_start[], __ktests_end[];

static int failures;        /* failed checks in the running test */

void ktest_fail(const char *file, int line, const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk("  check failed at %s:%d: %s\n", file, line, msg);
	failures++;
}

static bool run_one(const struct ktest *t)
{
	failures = 0;
	printk("ktest %s: running\n", t->name);
	t->fn();
	printk("%s ktest/%s\n", failures ? "FAIL" : "PASS", t->name);
	return failures == 0;
}

/* which: NULL or "" for every test, else one test's name. */
int ktest_run(const char *which)
{
	bool all = !which || !*which;
	int failed = 0, ran = 0;

	for (const struct ktest *t = __ktests_start; t < __ktests_end; t++) {
		if (all ? t->explicit_only : strcmp(t->name, which) != 0)
			continue;
		ran++;
		if (!run_one(t))
			failed++;
	}
	if (ran == 0) {
		printk("ktest: no test named '%s'\n", which);
		return 1;
	}
	printk("ktest: %d passed, %d failed\n", ran - failed, failed);
	return failed;
}
