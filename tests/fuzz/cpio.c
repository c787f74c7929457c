/* cpio_parse (kernel/fs/initramfs.c) on any bytes. Each member it hands
 * over must lie inside the archive: its name, NUL included, and its data
 * are all read here. */
#include "fuzz.h"
#include "fs/initramfs.h"

static bool read_member(const struct cpio_entry *e, void *arg)
{
	touch(e->name, strlen(e->name) + 1);
	touch(e->data, e->size);
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	long bad;

	cpio_parse(data, data + size, read_member, NULL, &bad);
	return 0;
}
