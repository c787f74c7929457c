#include "kernel.h"
#include "bootinfo.h"
#include "param.h"

extern const struct kparam __kparams_start[], __kparams_end[];

/* The words are cut out of this copy in place, so the values handlers get
 * stay valid for as long as the kernel runs. */
static char words[sizeof(bootinfo.cmdline)];
static const char *init_args = "";

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
	char *s = words;

	strlcpy(words, cmdline, sizeof(words));
	while (*s) {
		char *w;

		while (*s == ' ')
			s++;
		if (!*s)
			break;
		w = s;
		while (*s && *s != ' ')
			s++;
		if (*s)
			*s++ = '\0';
		if (strcmp(w, "--") == 0) {
			init_args = s;
			return;
		}
		apply(w);
	}
}

const char *params_init_args(void)
{
	return init_args;
}
