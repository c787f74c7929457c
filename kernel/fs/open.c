/* From a name to an open file, and what a name's inode says or changes:
 * open, stat, readlink, access, chdir, chmod, truncate, umask, fsync
 * (Linux's fs/open.c, fs/stat.c, fs/sync.c). */
#include "kernel.h"
#include "fs/file.h"
#include "uapi/errno.h"
#include "fs/ramfs.h"
#include "fs/procfs.h"
#include "mm/mm.h"
#include "syscall.h"
#include "task.h"
#include "time.h"

/* /proc is the kernel's, the rest the root file system's. */
bool is_proc(const char *path)
{
	return strncmp(path, "/proc", 5) == 0 && (path[5] == '\0' || path[5] == '/');
}

int vfs_stat(const char *path, struct stat *st)
{
	return is_proc(path) ? proc_stat(path, st) : ramfs_stat(path, st);
}

int vfs_readlink(const char *path, char *buf, size_t size)
{
	return is_proc(path) ? proc_readlink(path, buf, size) : ramfs_readlink(path, buf, size);
}

static int vfs_open(const char *path, int flags, uint32_t mode, struct file **f)
{
	struct stat st;

	if (!is_proc(path))
		return ramfs_open(path, flags, mode, f);
	/* O_CREAT|O_EXCL: only the caller that creates the file may open it */
	if ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL) && proc_stat(path, &st) == 0)
		return -EEXIST;
	return proc_open(path, flags, f);
}

uint32_t current_umask(void)
{
	return __atomic_load_n(&current->fs->umask, __ATOMIC_RELAXED);
}

long sys_openat(int dirfd, const char *upath, int flags, int mode)
{
	char path[256];
	struct file *f;
	int err, fd;

	/* O_EXCL|O_CREAT makes a new file even where a link is */
	bool follow = !(flags & O_NOFOLLOW) && (flags & (O_CREAT | O_EXCL)) != (O_CREAT | O_EXCL);

	err = at_path_flags(dirfd, upath, path, sizeof(path), LOOKUP_DIRS | (follow ? LOOKUP_FOLLOW : 0));
	if (err)
		return err;
	err = vfs_open(path, flags, mode & ~current_umask(), &f);
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

long sys_creat(const char *upath, int mode)
{
	return sys_openat(AT_FDCWD, upath, O_CREAT | O_WRONLY | O_TRUNC, mode);
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
	return err;                 /* root may read and write everything */
}

int vfs_fstat(int fd, struct stat *st)
{
	struct file *f = fget(fd);

	if (!f)
		return -EBADF;
	*st = (struct stat){ 0 };
	f->ops->stat(f, st);
	file_put(f);
	return 0;
}

long sys_fstat(int fd, struct stat *ust)
{
	struct stat st;
	int err = vfs_fstat(fd, &st);

	return err ? err : copy_to_user(ust, &st, sizeof(st));
}

long sys_newfstatat(int dirfd, const char *upath, struct stat *ust, int flags)
{
	char path[256];
	struct stat st = { 0 };
	char c = 1;
	int err;

	/* (0x800 and 0x6000: AT_NO_AUTOMOUNT and statx's sync modes, no-ops here) */
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | 0x800 | 0x6000))
		return -EINVAL;
	if ((flags & AT_EMPTY_PATH) && copy_from_user(&c, upath, 1))
		return -EFAULT;
	if (c == '\0' && dirfd != AT_FDCWD)
		return sys_fstat(dirfd, ust);           /* "" names dirfd itself */
	if (c == '\0')
		err = path_resolve(".", path, sizeof(path));    /* ... or the cwd */
	else
		err = at_path_flags(dirfd, upath, path, sizeof(path),
				    LOOKUP_DIRS | (flags & AT_SYMLINK_NOFOLLOW ? 0 : LOOKUP_FOLLOW));
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

long sys_lstat(const char *upath, struct stat *ust)
{
	return sys_newfstatat(AT_FDCWD, upath, ust, AT_SYMLINK_NOFOLLOW);
}

long sys_readlinkat(int dirfd, const char *upath, char *ubuf, int size)
{
	char path[256], target[256];
	int err, n;

	if (size <= 0)
		return -EINVAL;
	err = at_path_flags(dirfd, upath, path, sizeof(path), LOOKUP_DIRS);
	if (err)
		return err;
	n = vfs_readlink(path, target, sizeof(target));
	if (n < 0)
		return n;
	n = MIN(n, size);
	return copy_to_user(ubuf, target, n) ? -EFAULT : n;
}

long sys_readlink(const char *upath, char *ubuf, int size)
{
	return sys_readlinkat(AT_FDCWD, upath, ubuf, size);
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

long sys_fchmodat(int dirfd, const char *upath, uint32_t mode)
{
	char path[256];
	int err = at_path(dirfd, upath, path, sizeof(path));

	if (err)
		return err;
	return is_proc(path) ? -EPERM : ramfs_chmod(path, mode);
}

long sys_chmod(const char *upath, uint32_t mode)
{
	return sys_fchmodat(AT_FDCWD, upath, mode);
}

long sys_fchmod(int fd, uint32_t mode)
{
	struct file *f = fget(fd);
	int err;

	if (!f)
		return -EBADF;
	err = ramfs_fchmod(f, mode);
	file_put(f);
	return err;
}

static bool utime_nsec_ok(int64_t nsec)
{
	return nsec == UTIME_NOW || nsec == UTIME_OMIT || (nsec >= 0 && nsec < NSEC_PER_SEC);
}

/* utimensat, as Linux's: a NULL path sets the times of the file dirfd
 * (glibc's futimens); both times UTIME_OMIT do nothing, the path unread. */
long sys_utimensat(int dirfd, const char *upath, const struct timespec *utimes, int flags)
{
	struct timespec ts[2];
	char path[256];
	struct file *f;
	int err;

	if (utimes) {
		if (copy_from_user(ts, utimes, sizeof(ts)))
			return -EFAULT;
		if (ts[0].tv_nsec == UTIME_OMIT && ts[1].tv_nsec == UTIME_OMIT)
			return 0;
		if (!utime_nsec_ok(ts[0].tv_nsec) || !utime_nsec_ok(ts[1].tv_nsec))
			return -EINVAL;
	}
	if (!upath && dirfd != AT_FDCWD) {
		if (flags)
			return -EINVAL;
		if (!(f = fget(dirfd)))
			return -EBADF;
		err = ramfs_futimens(f, utimes ? ts : NULL);
		file_put(f);
		return err;
	}
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	err = at_path_flags(dirfd, upath, path, sizeof(path),
			    LOOKUP_DIRS | (flags & AT_SYMLINK_NOFOLLOW ? 0 : LOOKUP_FOLLOW));
	if (err)
		return err;
	return is_proc(path) ? -EPERM : ramfs_utimens(path, utimes ? ts : NULL);
}

long sys_truncate(const char *upath, long len)
{
	char path[256];
	int err = user_path(upath, path, sizeof(path));

	if (err)
		return err;
	return is_proc(path) ? -EACCES : ramfs_truncate(path, len);
}

long sys_ftruncate(int fd, long len)
{
	struct file *f = fget(fd);
	int err;

	if (!f)
		return -EBADF;
	err = len < 0 ? -EINVAL : ramfs_ftruncate(f, len);
	file_put(f);
	return err;
}

/* Nothing is ever written back (a RAM disk), so a file is always in sync;
 * as on Linux, only files and directories can be asked. */
long sys_fsync(int fd)
{
	struct file *f = fget(fd);
	struct stat st;
	uint32_t type;

	if (!f)
		return -EBADF;
	f->ops->stat(f, &st);
	file_put(f);
	type = st.st_mode & S_IFMT;
	return type == S_IFREG || type == S_IFDIR ? 0 : -EINVAL;
}

long sys_umask(uint32_t mask)
{
	return __atomic_exchange_n(&current->fs->umask, mask & 0777, __ATOMIC_RELAXED);
}
