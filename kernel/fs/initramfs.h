/*
 * The initramfs: a cpio "newc" archive (Linux's initramfs format, made by
 * the standard cpio tool) that the boot loader loads into memory. Its
 * members are unpacked into the root file system (fs/ramfs.h) at boot; a
 * file keeps pointing at its bytes in the archive until it is written.
 */
#ifndef INITRD_H
#define INITRD_H
#include <stddef.h>
#include <stdint.h>
#include "fs/file.h"
#include "lib/list.h"

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

/* Unpack the archive at [start, end) (kernel addresses) into the root file
 * system. Returns how many members it took; a malformed archive is
 * reported and cut short. */
int initrd_parse(const void *start, const void *end);

#endif
