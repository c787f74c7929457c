/* Fault injection: see fail.h. */
#include "kernel.h"
#include "mm/fail.h"
#include "param.h"
#include "task.h"

struct fail_site_state {
	const char *name;
	uint64_t interval;      /* N: 0 = never fail */
	uint64_t calls;         /* allocations that could have failed; atomic */
	uint64_t failed;        /* atomic */
};

static struct fail_site_state sites[NR_FAIL_SITES] = {
	[FAIL_PAGE] = { .name = "page" },
	[FAIL_SLAB] = { .name = "slab" },
};
bool fail_armed;                    /* a site has an interval */
static bool random_mode;
static uint64_t seed;

/* A decimal number that is the whole of s, into *v. */
static bool parse_u64(const char *s, uint64_t *v)
{
	uint64_t n = 0;

	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || n > (UINT64_MAX - 9) / 10)
			return false;
		n = n * 10 + (*s - '0');
	}
	*v = n;
	return true;
}

/* One "key:number" item of fail=; false if it makes no sense. */
static bool fail_item(char *item)
{
	char *colon = strchr(item, ':');
	uint64_t n;

	if (!colon || !parse_u64(colon + 1, &n))
		return false;
	*colon = '\0';
	if (strcmp(item, "seed") == 0) {
		random_mode = true;
		seed = n;
		return true;
	}
	for (int i = 0; i < NR_FAIL_SITES; i++) {
		if (strcmp(item, sites[i].name) == 0) {
			sites[i].interval = n;
			return true;
		}
	}
	return false;
}

/* fail=page:N,slab:N,seed:S, in any order, each item optional. */
static void fail_param(const char *value)
{
	char buf[64], *item = buf, *comma;

	strlcpy(buf, value, sizeof(buf));
	for (; item; item = comma) {
		comma = strchr(item, ',');
		if (comma)
			*comma++ = '\0';
		if (!fail_item(item)) {
			printk("cmdline: fail=%s: expected fail=page:N,slab:N[,seed:S]\n", value);
			sites[FAIL_PAGE].interval = sites[FAIL_SLAB].interval = 0;
			return;
		}
	}
	fail_armed = sites[FAIL_PAGE].interval || sites[FAIL_SLAB].interval;
}
KERNEL_PARAM("fail", fail_param);

/* splitmix64: a stateless draw, so no lock orders the callers. */
static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9;
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb;
	return x ^ (x >> 31);
}

/*
 * Linux fails only the tasks marked make-it-fail; here, every task whose
 * parent is not init. So init, which must outlive the run to report it, and
 * the program it runs (a harness such as fuzz, which must count before and
 * after) never see a failure; whatever that program starts does, and so do
 * its children. The kernel's own work (boot, idle) has no mm. An orphan's
 * parent is init, so it may free what it holds in peace.
 */
static bool may_fail_here(void)
{
	struct task *t = current;

	return t && t->mm && t->parent && t->parent->tgid > 1;
}

bool should_fail_armed(enum fail_site site)
{
	struct fail_site_state *s = &sites[site];
	uint64_t n;
	bool fail;

	if (!s->interval || !may_fail_here())
		return false;
	n = __atomic_add_fetch(&s->calls, 1, __ATOMIC_RELAXED);
	if (random_mode)
		fail = mix(seed ^ (n * NR_FAIL_SITES + site)) % s->interval == 0;
	else
		fail = n % s->interval == 0;
	if (fail)
		__atomic_add_fetch(&s->failed, 1, __ATOMIC_RELAXED);
	return fail;
}

void fail_report(void)
{
	if (!sites[FAIL_PAGE].interval && !sites[FAIL_SLAB].interval)
		return;
	printk("fail: %lu of %lu page allocations and %lu of %lu kmallocs failed on purpose\n",
	       sites[FAIL_PAGE].failed, sites[FAIL_PAGE].calls,
	       sites[FAIL_SLAB].failed, sites[FAIL_SLAB].calls);
}
