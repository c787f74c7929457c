/*
 * In-kernel unit tests. A test is a function registered with KTEST(name)
 * (files under tests/kernel/). It runs inside the booted kernel when the
 * command line says `ktest` (all of them) or `ktest=name`, and prints one
 * verdict line, "PASS ktest/name" or "FAIL ktest/name", that make test reads.
 * A KTEST_EXPLICIT test (one that must panic, say) runs only when named.
 */
#ifndef KTEST_H
#define KTEST_H
#include "kernel.h"

struct ktest {
	const char *name;
	void (*fn)(void);
	bool explicit_only;
};

#define KTEST_DEFINE(tname, explicit)                                         \
	static void ktest_##tname(void);                                     \
	static const struct ktest ktest_desc_##tname                         \
		__attribute__((used, section(".ktests"), aligned(8))) =      \
		{ #tname, ktest_##tname, explicit };                          \
	static void ktest_##tname(void)

#define KTEST(name)          KTEST_DEFINE(name, false)
#define KTEST_EXPLICIT(name) KTEST_DEFINE(name, true)

/* Record a failed check and carry on; the test fails at the end. */
#define EXPECT(cond)                                                          \
	do {                                                                  \
		if (!(cond))                                                  \
			ktest_fail(__FILE__, __LINE__, "%s", #cond);          \
	} while (0)

#define EXPECT_EQ(a, b)                                                       \
	do {                                                                  \
		long long a_ = (long long)(a), b_ = (long long)(b);           \
		if (a_ != b_)                                                 \
			ktest_fail(__FILE__, __LINE__, "%s == %s (%lld != %lld)", \
				   #a, #b, a_, b_);                           \
	} while (0)

void ktest_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Run the tests the command line asks for; returns how many failed. */
int ktest_run(const char *which);

#endif
