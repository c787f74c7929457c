/* From a name to an open file: open, stat, access, chdir (Linux's fs/open.c, fs/stat.c). */
#include "kernel.h"
#include "fs/file.h"
#include "uapi/errno.h"
#include "fs/initramfs.h"
#include "fs/procfs.h"
#include "mm/mm.h"
#include "syscall.h"
#include "task.h"

/* /proc is the kernel's, the rest the initramfs. */
static bool is_proc(const char *path)
{
	return strncmp(path, "/proc", 5) == 0 && (path[5] == '\0' || path[5] == '/');
}

int vfs_stat(const char *path, struct stat *st)
{
	return is_proc(path) ? proc_stat(path, st) : initrd_stat(path, st);
}

static int vfs_open(const char *path, int flags, struct file **f)
{
	struct stat st;

	/* O_CREAT|O_EXCL: only the caller that creates the file may open it */
	if ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL) && vfs_stat(path, &st) == 0)
		return -EEXIST;
	return is_proc(path) ? proc_open(path, flags, f) : initrd_open(path, flags, f);
}

long sys_openat(int dirfd, const char *upath, int flags, int mode)
{
	char path[256];
	struct file *f;
	int err, fd;

	err = at_path(dirfd, upath, path, sizeof(path));
	if (err)
		return err;
	err = vfs_open(path, flags, &f);
	if (err)
		return err;
	fd = fd_alloc(f, flags & O_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}

long sys_open(const char *upath, int flags, int mode)
{
	return sys_openat(AT_FDCWD, upath, flags, mode);
}

/* The user's path, resolved into path, and what it names. */
static int stat_user_path(const char *upath, char *path, size_t size, struct stat *st)
{
	int err = user_path(upath, path, size);

	return err ? err : vfs_stat(path, st);
}

long sys_access(const char *upath, int mode)
{
	char path[256];
	struct stat st;
	int err = stat_user_path(upath, path, sizeof(path), &st);

	if (!err && (mode & X_OK) && !may_exec(st.st_mode))
		err = -EACCES;
	if (!err && (mode & W_OK))
		err = -EROFS;           /* W_OK: the initramfs is read-only */
	return err;
}

long sys_fstat(int fd, struct stat *ust)
{
	struct file *f = fget(fd);
	struct stat st = { 0 };

	if (!f)
		return -EBADF;
	f->ops->stat(f, &st);
	file_put(f);
	return copy_to_user(ust, &st, sizeof(st));
}

long sys_newfstatat(int dirfd, const char *upath, struct stat *ust, int flags)
{
	char path[256];
	struct stat st = { 0 };
	char c = 1;
	int err;

	if ((flags & AT_EMPTY_PATH) && copy_from_user(&c, upath, 1))
		return -EFAULT;
	if (c == '\0' && dirfd != AT_FDCWD)
		return sys_fstat(dirfd, ust);           /* "" names dirfd itself */
	if (c == '\0')
		err = path_resolve(".", path, sizeof(path));    /* ... or the cwd */
	else
		err = at_path(dirfd, upath, path, sizeof(path));
	if (err)
		return err;
	err = vfs_stat(path, &st);
	if (err)
		return err;
	return copy_to_user(ust, &st, sizeof(st));
}

long sys_stat(const char *upath, struct stat *ust)
{
	return sys_newfstatat(AT_FDCWD, upath, ust, 0);
}

long sys_chdir(const char *upath)
{
	char path[256];
	struct stat st;
	int err = stat_user_path(upath, path, sizeof(path), &st);

	if (err)
		return err;
	if ((st.st_mode & S_IFMT) != S_IFDIR)
		return -ENOTDIR;
	spin_lock(&current->fs->lock);
	strlcpy(current->fs->cwd, path, sizeof(current->fs->cwd));
	spin_unlock(&current->fs->lock);
	return 0;
}
