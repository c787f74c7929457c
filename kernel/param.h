/*
 * The kernel command line: "name" or "name=value" words, as on Linux. A
 * subsystem declares the words it understands with KERNEL_PARAM; anything
 * after a lone "--" is the program (and its arguments) for init to run.
 * "Double quotes" keep spaces inside a word; \ takes the next character
 * literally.
 */
#ifndef PARAM_H
#define PARAM_H

struct kparam {
	const char *name;
	void (*set)(const char *value);     /* value is "" for a bare word */
};

#define KERNEL_PARAM(pname, fn)                                               \
	static const struct kparam kparam_##fn                                \
		__attribute__((used, section(".kparams"), aligned(8))) = { pname, fn }

/* Call each word's handler; report unknown words and carry on. */
void params_parse(const char *cmdline);
/* Cut the next word out of the string *s in place (quotes, backslashes as
 * above) and advance *s past it; NULL when only spaces are left. */
char *next_word(char **s);
/* Split the words after "--" into argv (at most max); returns how many. */
int params_init_argv(const char **argv, int max);

#endif
