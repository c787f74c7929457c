/*
 * The character devices of /dev, with Linux's numbers (Documentation/
 * admin-guide/devices.txt): the memory devices of major 1, and the
 * terminal as /dev/tty and /dev/console. tasklab has one terminal, the
 * console, and it is every process's controlling terminal.
 */
#include "kernel.h"
#include "drivers/mem.h"
#include "drivers/tty.h"
#include "fs/ramfs.h"
#include "uapi/errno.h"
#include "arch/x86/memlayout.h"
#include "mm/mm.h"
#include "syscall.h"
#include "lib/format.h"

#define DEV(major, minor) ((major) << 8 | (minor))
enum { DEV_NULL = DEV(1, 3), DEV_ZERO = DEV(1, 5), DEV_FULL = DEV(1, 7),
       DEV_RANDOM = DEV(1, 8), DEV_URANDOM = DEV(1, 9), DEV_TTY = DEV(5, 0),
       DEV_CONSOLE = DEV(5, 1) };

static const struct {
	const char *name;
	uint32_t rdev, mode;
} nodes[] = {
	{ "null", DEV_NULL, 0666 }, { "zero", DEV_ZERO, 0666 }, { "full", DEV_FULL, 0666 },
	{ "random", DEV_RANDOM, 0666 }, { "urandom", DEV_URANDOM, 0666 },
	{ "tty", DEV_TTY, 0666 }, { "console", DEV_CONSOLE, 0600 },
};

/* The links Linux's user space (udev) makes: the process's own fds. */
static const struct {
	const char *name, *target;
} links[] = {
	{ "fd", "/proc/self/fd" }, { "stdin", "/proc/self/fd/0" },
	{ "stdout", "/proc/self/fd/1" }, { "stderr", "/proc/self/fd/2" },
};

static uint32_t rdev_of(struct file *f)
{
	return (uintptr_t)f->private;
}

static long zero_read(char *ubuf, size_t n)
{
	static const char zeros[512];
	size_t done = 0;

	while (done < n) {
		size_t chunk = MIN(n - done, sizeof(zeros));
		if (copy_to_user(ubuf + done, zeros, chunk))
			return done ? (long)done : -EFAULT;
		done += chunk;
	}
	return done;
}

static long mem_read(struct file *f, char *ubuf, size_t n)
{
	switch (rdev_of(f)) {
	case DEV_NULL:
		return 0;
	case DEV_RANDOM:
	case DEV_URANDOM:
		return sys_getrandom(ubuf, n, 0);
	default:
		return zero_read(ubuf, n);
	}
}

/* Everything written is taken and dropped, but not by a full disk. */
static long mem_write(struct file *f, const char *ubuf, size_t n)
{
	return rdev_of(f) == DEV_FULL ? -ENOSPC : (long)n;
}

static void mem_stat(struct file *f, struct stat *st)
{
	*st = (struct stat){ .st_mode = S_IFCHR | 0666, .st_nlink = 1, .st_rdev = rdev_of(f),
			     .st_blksize = PAGE_SIZE };
}

static int mem_name(struct file *f, char *buf, size_t size)
{
	for (size_t i = 0; i < ARRAY_SIZE(nodes); i++)
		if (nodes[i].rdev == rdev_of(f))
			return snprintf(buf, size, "/dev/%s", nodes[i].name) < (int)size ? 0 :
			       -ENAMETOOLONG;
	return -ENOENT;
}

static const struct file_ops mem_ops = {
	.read = mem_read, .write = mem_write, .stat = mem_stat, .seekable = true,
	.name = mem_name,
};

static bool is_mem_device(uint32_t rdev)
{
	for (size_t i = 0; i < ARRAY_SIZE(nodes); i++)
		if (nodes[i].rdev == rdev)
			return rdev >> 8 == 1;
	return false;
}

int chrdev_open(uint32_t rdev, int flags, struct file **out)
{
	if (rdev == DEV_TTY || rdev == DEV_CONSOLE)
		*out = tty_open();
	else if (is_mem_device(rdev))
		*out = file_alloc(&mem_ops, flags, (void *)(uintptr_t)rdev);
	else
		return -ENXIO;
	return *out ? 0 : -ENOMEM;
}

void dev_init(void)
{
	char path[32];
	int err = ramfs_mkdir("/dev", 0755);

	if (err && err != -EEXIST)
		printk("dev: cannot make /dev: error %d\n", err);
	for (size_t i = 0; i < ARRAY_SIZE(nodes); i++) {
		snprintf(path, sizeof(path), "/dev/%s", nodes[i].name);
		ramfs_mknod(path, S_IFCHR | nodes[i].mode, nodes[i].rdev);
	}
	for (size_t i = 0; i < ARRAY_SIZE(links); i++) {
		snprintf(path, sizeof(path), "/dev/%s", links[i].name);
		ramfs_symlink(links[i].target, path);
	}
}
