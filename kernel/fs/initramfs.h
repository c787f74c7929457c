/*
 * The initramfs: a cpio "newc" archive (Linux's initramfs format, made by
 * the standard cpio tool) that the boot loader loads into memory. tasklab
 * reads files straight out of it; it is read-only.
 */
#ifndef INITRD_H
#define INITRD_H
#include <stddef.h>
#include <stdint.h>
#include "fs/file.h"
#include "lib/list.h"

struct initrd_entry {
	const char *path;           /* absolute: "/", "/bin", "/bin/sh" */
	uint32_t mode;              /* S_IFREG / S_IFDIR | permissions */
	uint32_t ino;
	const uint8_t *data;        /* in the archive */
	size_t size;
	struct list_head node;
};

/* One member of a cpio newc archive: pointers into the archive. */
struct cpio_entry {
	const char *name;           /* as stored: ".", "./bin/sh" */
	uint32_t mode, ino;
	const uint8_t *data;
	size_t size;
};

/* Walk the newc archive at [start, end), calling fn for each member before
 * TRAILER!!!; fn returns false to stop. Returns how many members fn took;
 * *bad is -1 after a clean trailer, else the offset where it stopped
 * (malformed or missing header, or fn refused). Touches nothing else. */
int cpio_parse(const void *start, const void *end,
	       bool (*fn)(const struct cpio_entry *e, void *arg), void *arg, long *bad);

/* Parse the archive at [start, end) (kernel addresses). Returns how many
 * entries it found; a malformed archive is reported and cut short. */
int initrd_parse(const void *start, const void *end);
const struct initrd_entry *initrd_find(const char *path);
int initrd_open(const char *path, int flags, struct file **out);
int initrd_stat(const char *path, struct stat *st);

#endif
