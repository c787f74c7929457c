/* The kernel command line: split into words and handed to each KERNEL_PARAM. */
#include "kernel.h"
#include "arch/x86/bootinfo.h"
#include "param.h"

extern const struct kparam __kparams_start[], __kparams_end[];

/* The words are cut out of this copy in place, so the values handlers get
 * stay valid for as long as the kernel runs. */
static char words[sizeof(bootinfo.cmdline)];
static char *init_args;         /* the rest after "--", not yet split */

/*
 * Cut the next word out of *s, in place. Words are separated by spaces;
 * "double quotes" keep spaces inside a word (as on Linux), and a
 * backslash takes the next character literally (tasklab's addition, so
 * tools/run can pass any argument through). NULL when no word is left.
 */
char *next_word(char **s)
{
	char *in = *s, *out, *word;
	bool quoted = false;

	while (*in == ' ')
		in++;
	if (!*in)
		return NULL;
	word = out = in;
	for (; *in && (quoted || *in != ' '); in++) {
		if (*in == '"')
			quoted = !quoted;
		else if (*in == '\\' && in[1])
			*out++ = *++in;
		else
			*out++ = *in;
	}
	*s = *in ? in + 1 : in;
	*out = '\0';
	return word;
}

static void apply(char *word)
{
	char *eq = strchr(word, '=');
	const char *value = "";

	if (eq) {
		*eq = '\0';
		value = eq + 1;
	}
	for (const struct kparam *p = __kparams_start; p < __kparams_end; p++) {
		if (strcmp(p->name, word) == 0) {
			p->set(value);
			return;
		}
	}
	printk("cmdline: unknown option '%s%s%s' ignored\n", word, eq ? "=" : "", value);
}

void params_parse(const char *cmdline)
{
	char *s = words, *w;

	strlcpy(words, cmdline, sizeof(words));
	while ((w = next_word(&s))) {
		if (strcmp(w, "--") == 0) {
			init_args = s;
			return;
		}
		apply(w);
	}
}

int params_init_argv(const char **argv, int max)
{
	int n = 0;
	const char *w;

	while (n < max && init_args && (w = next_word(&init_args)))
		argv[n++] = w;
	return n;
}
