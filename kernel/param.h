/*
 * The kernel command line: "name" or "name=value" words, as on Linux. A
 * subsystem declares the words it understands with KERNEL_PARAM; anything
 * after a lone "--" is the program (and its arguments) for init to run.
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
/* The words after "--", or "" when there are none. */
const char *params_init_args(void);

#endif
