/*
 * What ramfs.c (names, directories, open files) and ramfs_file.c (a
 * regular file's bytes) share, and nobody else needs (as Linux's
 * fs/ramfs/internal.h).
 */
#ifndef RAMFS_INTERNAL_H
#define RAMFS_INTERNAL_H
#include <stdbool.h>
#include <stdint.h>
#include "fs/ramfs.h"
#include "arch/x86/timer.h"
#include "drivers/rtc.h"

static inline int64_t now(void)
{
	return realtime_offset_ns() + clock_ns();
}

static inline bool is_type(const struct inode *i, uint32_t type)
{
	return (i->mode & S_IFMT) == type;
}

/* A regular file's bytes (ramfs_file.c), each under ramfs_lock. */
void free_pages_from(struct inode *i, uint64_t first);
int truncate_inode(struct inode *i, int64_t len);
long inode_read(struct inode *i, char *dst, size_t n, int64_t pos, bool user);
long inode_write(struct inode *i, const char *ubuf, size_t n, int64_t pos);

#endif
