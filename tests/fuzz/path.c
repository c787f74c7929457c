/*
 * path_append (kernel/fs/namei.c) on any name, appended to "/" in a
 * buffer of 2 to 65 bytes (the input's first byte says), allocated to the
 * byte so that AddressSanitizer sees a write past it. On success the
 * result must be absolute, with no empty, "." or ".." component and no
 * trailing '/'.
 */
#include "fuzz.h"
#include "fs/file.h"
#include "task.h"
#include "arch/x86/cpu.h"

long syscall(long nr, ...);

/* path_append follows /proc/self, which asks for current->tgid: current
 * is read through %gs, as in the kernel, so this thread gets a struct cpu
 * there (arch_prctl ARCH_SET_GS) whose task is pid 1. */
static struct task task = { .tgid = 1 };
static struct cpu cpu = { .self = &cpu, .current_task = &task };

static void __attribute__((constructor)) set_gs(void)
{
	syscall(158, 0x1001, &cpu);     /* arch_prctl(ARCH_SET_GS, &cpu) */
}

static bool well_formed(const char *p)
{
	if (p[0] != '/')
		return false;
	if (p[1] == '\0')
		return true;
	for (const char *c = p; *c; ) {      /* at a '/': one component follows */
		const char *end = ++c;

		while (*end && *end != '/')
			end++;
		if (end == c || (end - c == 1 && c[0] == '.') ||
		    (end - c == 2 && c[0] == '.' && c[1] == '.'))
			return false;
		c = end;
	}
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t outsize;
	char *out, *path;

	if (size == 0)
		return 0;
	outsize = data[0] % 64 + 2;
	out = malloc(outsize);
	path = input_string(data + 1, size - 1);
	out[0] = '/';
	out[1] = '\0';
	if (path_append(out, outsize, path, false) == 0 && !well_formed(out))
		__builtin_trap();
	free(out);
	free(path);
	return 0;
}
