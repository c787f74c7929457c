/*
 * The root file system: a tree of inodes in memory, as Linux's rootfs
 * (tmpfs). The initramfs is unpacked into it at boot; everything else a
 * program writes lives in page frames until it is deleted. Nothing is ever
 * written back anywhere: it is a RAM disk that vanishes at power-off.
 *
 * Every function here takes an absolute, normalised path whose symbolic
 * links namei.c has already followed (or not, for the calls that act on
 * the link itself): the last component is taken as it is.
 */
#ifndef RAMFS_H
#define RAMFS_H
#include <stdint.h>
#include "fs/file.h"
#include "lib/list.h"

struct inode {
	uint32_t ino;
	uint32_t mode;              /* S_IFREG, S_IFDIR, S_IFLNK, S_IFCHR | permissions */
	uint32_t nlink;             /* names (a directory: 2 + its subdirectories) */
	uint32_t opens;             /* open files and execs using it */
	uint32_t rdev;              /* a device node: major << 8 | minor */
	int64_t size;
	int64_t atime, mtime, ctime;        /* ns since the epoch */
	/* A regular file's bytes: until its first change, where the initramfs
	 * holds them; then in page frames, pages[i / 512][i % 512] the i-th
	 * (a NULL: a hole, read as zeros). */
	const uint8_t *initrd_data;
	void ***pages;
	uint64_t nr_pages;          /* data frames it holds */
	struct list_head children;  /* a directory's entries, by offset */
	struct inode *parent;       /* a directory's parent (the root: itself) */
	int64_t next_off;           /* a directory: the offset its next entry gets */
	char *target;               /* a symbolic link's */
};

/* Boot: the empty root, then the initramfs's members put into it. */
void ramfs_init(void);
int ramfs_unpack(const char *path, uint32_t mode, const uint8_t *data, size_t size);
int ramfs_mknod(const char *path, uint32_t mode, uint32_t rdev);

int ramfs_stat(const char *path, struct stat *st);
int ramfs_open(const char *path, int flags, uint32_t mode, struct file **out);
/* The target of the link at path into buf (no NUL): its length, -EINVAL
 * when path is no link. */
int ramfs_readlink(const char *path, char *buf, size_t size);
int ramfs_mkdir(const char *path, uint32_t mode);
int ramfs_symlink(const char *target, const char *path);
int ramfs_link(const char *old, const char *new);
int ramfs_unlink(const char *path);
int ramfs_rmdir(const char *path);
int ramfs_rename(const char *old, const char *new);
int ramfs_chmod(const char *path, uint32_t mode);
int ramfs_truncate(const char *path, int64_t len);

/* The inode an open file of the ramfs reads, or NULL for other files. */
struct inode *ramfs_file_inode(struct file *f);
int ramfs_ftruncate(struct file *f, int64_t len);
int ramfs_fchmod(struct file *f, uint32_t mode);
/* utimensat's times: access and modification (NULL: both now; UTIME_NOW,
 * UTIME_OMIT in a tv_nsec). */
int ramfs_utimens(const char *path, const struct timespec ts[2]);
int ramfs_futimens(struct file *f, const struct timespec ts[2]);
/* A name of inode (a file open, perhaps deleted): 0, or -ENOENT. */
int ramfs_inode_path(struct inode *inode, char *buf, size_t size);

/* exec: the regular file at path, held until ramfs_put; its bytes at off. */
int ramfs_get_file(const char *path, struct inode **out);
long ramfs_pread_kernel(struct inode *inode, void *buf, size_t n, int64_t off);
void ramfs_put(struct inode *inode);

uint64_t ramfs_pages(void);     /* data frames all files hold: /proc/meminfo */

#endif
