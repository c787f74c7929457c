/* snprintf: every conversion, modifier and flag format.h promises, checked
 * against what C's printf prints for the same format. */
#include "kernel.h"
#include "ktest.h"
#include "lib/format.h"

#define INT_MIN_    (-2147483647 - 1)
#define LONG_MIN_   (-9223372036854775807L - 1)
#define LLONG_MIN_  (-9223372036854775807LL - 1)

/* Format into a buffer; the text and the returned length must be `want`. */
static void __attribute__((format(printf, 3, 4)))
expect_format(int line, const char *want, const char *fmt, ...)
{
	char buf[128];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (strcmp(buf, want) != 0 || n != (int)strlen(want))
		ktest_fail(__FILE__, line, "\"%s\" gave \"%s\" (%d), want \"%s\" (%d)",
			   fmt, buf, n, want, (int)strlen(want));
}
#define EXPECT_FORMAT(want, ...) expect_format(__LINE__, want, __VA_ARGS__)

KTEST(format_conversions)
{
	EXPECT_FORMAT("0 42 -42", "%d %d %d", 0, 42, -42);
	EXPECT_FORMAT("7", "%i", 7);
	EXPECT_FORMAT("4294967295", "%u", 4294967295u);
	EXPECT_FORMAT("beef BEEF", "%x %X", 0xbeef, 0xBEEF);
	EXPECT_FORMAT("ffffffff", "%x", -1);
	EXPECT_FORMAT("10 777", "%o %o", 8, 0777);
	EXPECT_FORMAT("0x1234", "%p", (void *)0x1234);
	EXPECT_FORMAT("0xffffffff80000000", "%p", (void *)0xffffffff80000000);
	EXPECT_FORMAT("hi", "%s", "hi");
	EXPECT_FORMAT("x", "%c", 'x');
	EXPECT_FORMAT("100%", "%d%%", 100);
	EXPECT_FORMAT("plain text", "plain text");
}

KTEST(format_length_modifiers)
{
	EXPECT_FORMAT("-2147483648", "%d", INT_MIN_);
	EXPECT_FORMAT("-9223372036854775808", "%ld", LONG_MIN_);
	EXPECT_FORMAT("9223372036854775807", "%ld", -(LONG_MIN_ + 1));
	EXPECT_FORMAT("18446744073709551615", "%lu", ~0UL);
	EXPECT_FORMAT("-9223372036854775808", "%lld", LLONG_MIN_);
	EXPECT_FORMAT("ffffffffffffffff", "%llx", ~0ULL);
	EXPECT_FORMAT("1777777777777777777777", "%lo", ~0UL);
	EXPECT_FORMAT("18446744073709551615", "%zu", (size_t)-1);
	EXPECT_FORMAT("4464 -1", "%hd %hd", 70000, 65535);     /* cut to short */
	EXPECT_FORMAT("1", "%hu", 65537);
	EXPECT_FORMAT("-56 ff", "%hhd %hhx", 200, 0x1ff);       /* cut to char */
}

KTEST(format_width_and_flags)
{
	EXPECT_FORMAT("   42|", "%5d|", 42);
	EXPECT_FORMAT("42   |", "%-5d|", 42);
	EXPECT_FORMAT("00042|", "%05d|", 42);
	EXPECT_FORMAT("-0042|", "%05d|", -42);          /* sign before the zeros */
	EXPECT_FORMAT("  -42|", "%5d|", -42);
	EXPECT_FORMAT("12345", "%3d", 12345);           /* width is a minimum */
	EXPECT_FORMAT("0000beef", "%08x", 0xbeef);
	EXPECT_FORMAT("00000000ffffffff", "%016lx", 0xffffffffUL);
	EXPECT_FORMAT("    42|", "%*d|", 6, 42);
	EXPECT_FORMAT("    ab|ab    |", "%6s|%-6s|", "ab", "ab");
	EXPECT_FORMAT("  x|", "%3c|", 'x');
	EXPECT_FORMAT("    0x1234|", "%10p|", (void *)0x1234);
	EXPECT_FORMAT("0x1234    |", "%-10p|", (void *)0x1234);
}

KTEST(format_string_precision)
{
	EXPECT_FORMAT("abc", "%.*s", 3, "abcdef");
	EXPECT_FORMAT("ab", "%.2s", "abcdef");
	EXPECT_FORMAT("abc", "%.9s", "abc");            /* stops at the NUL */
	EXPECT_FORMAT("", "%.0s", "abc");
	EXPECT_FORMAT("   ab|", "%5.2s|", "abcdef");
}

KTEST(format_truncation)
{
	char buf[8];
	int n;

	memset(buf, 'Z', sizeof(buf));
	n = snprintf(buf, 5, "%s", "hello world");
	EXPECT_EQ(n, 11);                               /* the length it wanted */
	EXPECT(strcmp(buf, "hell") == 0);               /* cut, NUL-terminated */
	EXPECT(buf[5] == 'Z' && buf[7] == 'Z');         /* nothing past size */

	n = snprintf(buf, 1, "%d", 12345);
	EXPECT_EQ(n, 5);
	EXPECT_EQ(buf[0], '\0');

	buf[0] = 'Z';
	n = snprintf(buf, 0, "%d", -1);                 /* size 0: writes nothing */
	EXPECT_EQ(n, 2);
	EXPECT_EQ(buf[0], 'Z');

	n = snprintf(buf, sizeof(buf), "%s", "1234567");        /* fits exactly */
	EXPECT_EQ(n, 7);
	EXPECT(strcmp(buf, "1234567") == 0);
}

/* Formats C leaves odd or undefined, which gcc rightly warns about; we test
 * them on purpose, because kernel code does print NULL strings. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-overflow"
KTEST(format_odd_cases)
{
	EXPECT_FORMAT("(null)", "%s", (char *)NULL);
	EXPECT_FORMAT("42   |", "%-05d|", 42);          /* '-' beats '0' */
}
#pragma GCC diagnostic pop
