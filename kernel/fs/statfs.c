/*
 * The mount table and statfs: what df and mount read (Linux's
 * fs/proc_namespace.c and fs/statfs.c). tasklab mounts nothing at run
 * time; its table is fixed and shows what Linux shows in the same
 * machine: the root ramfs (Linux's rootfs, a tmpfs), /dev and /proc.
 * tasklab's /dev is a directory of the root ramfs, not a file system of
 * its own, so its statfs gives the root's numbers.
 */
#include "kernel.h"
#include "fs/file.h"
#include "fs/procfs.h"
#include "fs/ramfs.h"
#include "arch/x86/memlayout.h"
#include "mm/mm.h"
#include "mm/page_alloc.h"
#include "syscall.h"
#include "uapi/errno.h"
#include "uapi/uapi.h"

static const struct mount {
	const char *source, *dir, *type, *options;      /* as /proc/mounts has them */
	const char *more;       /* options after the size, for a tmpfs (else NULL) */
} mounts[] = {
	{ "rootfs", "/", "rootfs", "rw", "" },
	{ "devtmpfs", "/dev", "devtmpfs", "rw,relatime", ",mode=755" },
	{ "proc", "/proc", "proc", "rw,relatime", NULL },
};

/* The ramfs's limit, in pages: tmpfs's default size, half of RAM (ramfs.c
 * refuses a page beyond it). */
static uint64_t ramfs_limit(void)
{
	return pages_total() / 2;
}

void show_mounts(struct window *w)
{
	for (size_t i = 0; i < ARRAY_SIZE(mounts); i++) {
		const struct mount *m = &mounts[i];
		wprintf(w, "%s %s %s %s", m->source, m->dir, m->type, m->options);
		/* nr_inodes=0: no limit on files (Linux's rootfs has one) */
		if (m->more)
			wprintf(w, ",size=%luk,nr_inodes=0%s", ramfs_limit() * (PAGE_SIZE >> 10),
				m->more);
		wprintf(w, " 0 0\n");
	}
}

/* What statfs says of the file system of a file that stats as st: /proc
 * (PROC_DEV), a pipe's (pipefs: an open pipe or FIFO stats with st_dev 0),
 * or the ramfs (its files, a FIFO's name among them, and the devices in
 * /dev). The ramfs has no limit on inodes: f_files 0, as Linux's tmpfs
 * with nr_inodes=0. */
static struct statfs statfs_of(const struct stat *st)
{
	struct statfs sf = {
		.f_bsize = PAGE_SIZE, .f_frsize = PAGE_SIZE, .f_namelen = 255,
		.f_fsid = { (int32_t)st->st_dev, 0 },
	};

	if (st->st_dev == PROC_DEV) {
		sf.f_type = PROC_SUPER_MAGIC;
		sf.f_flags = ST_VALID | ST_RELATIME;
	} else if ((st->st_mode & S_IFMT) == S_IFIFO && st->st_dev == 0) {
		sf.f_type = PIPEFS_MAGIC;
		sf.f_flags = ST_VALID;
	} else {
		sf.f_type = TMPFS_MAGIC;
		sf.f_flags = ST_VALID;
		sf.f_blocks = ramfs_limit();
		sf.f_bfree = sf.f_bavail = sf.f_blocks - MIN(ramfs_pages(), sf.f_blocks);
	}
	return sf;
}

static long statfs_to_user(const struct stat *st, struct statfs *usf)
{
	struct statfs sf = statfs_of(st);

	return copy_to_user(usf, &sf, sizeof(sf));
}

long sys_statfs(const char *upath, struct statfs *usf)
{
	char path[256];
	struct stat st;
	int err = user_path(upath, path, sizeof(path));

	if (!err)
		err = vfs_stat(path, &st);
	return err ? err : statfs_to_user(&st, usf);
}

long sys_fstatfs(int fd, struct statfs *usf)
{
	struct stat st;
	int err = vfs_fstat(fd, &st);

	return err ? err : statfs_to_user(&st, usf);
}
