/* next_word (kernel/param.c), which splits the kernel command line, on any
 * string: each word it cuts lies inside the string, the rest it leaves
 * too, and the walk ends. */
#include "fuzz.h"
#include "param.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = input_string(data, size), *rest = line, *w;

	while ((w = next_word(&rest))) {
		if (w < line || rest > line + size || w + strlen(w) > line + size)
			__builtin_trap();
		touch(w, strlen(w) + 1);
	}
	free(line);
	return 0;
}
