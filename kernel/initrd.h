/*
 * The initramfs: a cpio "newc" archive (Linux's initramfs format, made by
 * the standard cpio tool) that the boot loader loads into memory. tasklab
 * reads files straight out of it; it is read-only.
 */
#ifndef INITRD_H
#define INITRD_H
#include <stddef.h>
#include <stdint.h>
#include "file.h"
#include "list.h"

struct initrd_entry {
	const char *path;           /* absolute: "/", "/bin", "/bin/sh" */
	uint32_t mode;              /* S_IFREG / S_IFDIR | permissions */
	uint32_t ino;
	const uint8_t *data;        /* in the archive */
	size_t size;
	struct list_head node;
};

/* Parse the archive at [start, end) (kernel addresses). Returns how many
 * entries it found; a malformed archive is reported and cut short. */
int initrd_parse(const void *start, const void *end);
const struct initrd_entry *initrd_find(const char *path);
int initrd_open(const char *path, int flags, struct file **out);
int initrd_stat(const char *path, struct stat *st);

#endif
