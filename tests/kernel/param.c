/* The command-line tokenizer: spaces, "double quotes", backslashes. */
#include "kernel.h"
#include "ktest.h"
#include "param.h"

/* Split line (a copy) with next_word: the words must be want[0..n). */
static void expect_words(int line, const char *text, int n, const char *const *want)
{
	char buf[128], *s = buf, *w;
	int i = 0;

	strlcpy(buf, text, sizeof(buf));
	while ((w = next_word(&s))) {
		if (i >= n || strcmp(w, want[i]) != 0)
			ktest_fail(__FILE__, line, "'%s': word %d is '%s', want '%s'", text, i, w,
				   i < n ? want[i] : "(none)");
		i++;
	}
	if (i != n)
		ktest_fail(__FILE__, line, "'%s': %d words, want %d", text, i, n);
	EXPECT(next_word(&s) == NULL);          /* and stays at the end */
}
#define EXPECT_WORDS(text, ...)                                               \
	expect_words(__LINE__, text, ARRAY_SIZE(((const char *[]){ __VA_ARGS__ })), \
		     (const char *[]){ __VA_ARGS__ })
#define EXPECT_NO_WORDS(text) expect_words(__LINE__, text, 0, NULL)

KTEST(param_next_word)
{
	EXPECT_WORDS("a \"b c\" d\\\"e", "a", "b c", "d\"e");
	EXPECT_WORDS("ktest", "ktest");
	EXPECT_WORDS("  fork=copy   ktest=vm  ", "fork=copy", "ktest=vm");
	EXPECT_WORDS("x=\"a b\"c d", "x=a bc", "d");       /* quotes inside a word */
	EXPECT_WORDS("x \"\" y", "x", "", "y");             /* an empty word */
	EXPECT_WORDS("a\\ b c", "a b", "c");                /* an escaped space */
	EXPECT_WORDS("\\\\ \\\"", "\\", "\"");
	EXPECT_WORDS("\"a \\\" b\"", "a \" b");             /* an escaped quote inside quotes */
	EXPECT_WORDS("\"open quote", "open quote");         /* runs to the end */
	EXPECT_WORDS("end\\", "end\\");                     /* a last backslash is kept */
	EXPECT_WORDS("-- sh -c \"echo hi\"", "--", "sh", "-c", "echo hi");
	EXPECT_NO_WORDS("");
	EXPECT_NO_WORDS("     ");
}

/* The rest of the string after a word is where the next one starts: the
 * "--" of params_parse relies on it. */
KTEST(param_next_word_rest)
{
	char buf[] = "one two  \"th ree\" four";
	char *s = buf, *w;

	w = next_word(&s);
	EXPECT(w && strcmp(w, "one") == 0);
	EXPECT(strcmp(s, "two  \"th ree\" four") == 0);
	w = next_word(&s);
	EXPECT(w && strcmp(w, "two") == 0);
	w = next_word(&s);
	EXPECT(w && strcmp(w, "th ree") == 0);
	EXPECT(strcmp(s, "four") == 0);
	EXPECT(strcmp(next_word(&s), "four") == 0);
	EXPECT_EQ(*s, '\0');
	EXPECT(next_word(&s) == NULL);
}
