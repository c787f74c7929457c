/* Paths: the working directory, and names made absolute (Linux's fs/namei.c). */
#include "kernel.h"
#include "fs/file.h"
#include "uapi/errno.h"
#include "mm/slab.h"
#include "mm/mm.h"
#include "syscall.h"
#include "task.h"
#include "lib/format.h"
#include "fs/ramfs.h"

struct fs_struct *fs_alloc(const char *cwd)
{
	struct fs_struct *fs = kzalloc(sizeof(*fs));

	if (fs) {
		refcount_set(&fs->refcount, 1);
		fs->lock = (struct spinlock)SPINLOCK_INIT("fs");
		strlcpy(fs->cwd, cwd, sizeof(fs->cwd));
		fs->umask = 022;            /* Linux's default for init */
	}
	return fs;
}

struct fs_struct *fs_dup(struct fs_struct *old)
{
	struct fs_struct *fs = fs_alloc("/");

	if (fs) {
		spin_lock(&old->lock);
		strlcpy(fs->cwd, old->cwd, sizeof(fs->cwd));
		fs->umask = old->umask;
		spin_unlock(&old->lock);
	}
	return fs;
}

void fs_put(struct fs_struct *fs)
{
	if (refcount_dec_and_test(&fs->refcount))
		kfree(fs);
}

/* Is path an existing directory? 0, -ENOENT or -ENOTDIR. */
static int is_directory(const char *path)
{
	struct stat st;
	int err = vfs_stat(path, &st);

	return err ? err : (st.st_mode & S_IFMT) == S_IFDIR ? 0 : -ENOTDIR;
}

#define MAX_LINKS    40         /* as Linux: links followed in one walk ... */
#define MAX_NESTING  8          /* ... and links inside a link's target */

struct walk_state {
	int flags;
	int links, nesting;
};

static int walk_path(char *out, size_t size, const char *path, struct walk_state *w);

static bool only_slashes(const char *s)
{
	while (*s == '/')
		s++;
	return !*s;
}

/* out names a symbolic link? Then make it the path the link names: its
 * target, from the directory that holds the link. Anything else, or
 * nothing at all, stays as it is for the caller's own checks. */
static int follow_link(char *out, size_t size, struct walk_state *w)
{
	char target[256];
	int n = vfs_readlink(out, target, sizeof(target));
	int err, flags;

	if (n < 0)
		return 0;
	if (n == sizeof(target))
		return -ENAMETOOLONG;
	if (++w->links > MAX_LINKS || w->nesting == MAX_NESTING)
		return -ELOOP;
	if (n == 0)
		return -ENOENT;
	target[n] = '\0';
	if (target[0] == '/')
		strlcpy(out, "/", size);
	else
		path_append(out, size, "..", 0);
	/* the target's own last name is followed too, whatever the caller asked */
	flags = w->flags;
	w->flags = LOOKUP_DIRS | LOOKUP_FOLLOW;
	w->nesting++;
	err = walk_path(out, size, target, w);
	w->nesting--;
	w->flags = flags;
	return err;
}

/* Append path's components to out (absolute, no trailing '/'), handling
 * "." and "..". With LOOKUP_DIRS, as Linux's walk: a symbolic link before
 * a '/' is followed, and each name followed by a '/' must then be a
 * directory that exists, so that ".." goes back only through directories
 * that exist and "file/" is ENOTDIR. */
static int walk_path(char *out, size_t size, const char *path, struct walk_state *w)
{
	size_t len = strlen(out);
	int err;

	while (*path) {
		const char *end = path;
		size_t n;

		while (*end && *end != '/')
			end++;
		n = end - path;
		if (n == 2 && path[0] == '.' && path[1] == '.') {
			while (len > 0 && out[len - 1] != '/')
				len--;
			if (len > 1)
				len--;              /* the '/' before it, unless root */
			out[len] = '\0';
		} else if (n > 0 && !(n == 1 && path[0] == '.')) {
			if (len + (len > 1) + n + 1 > size)
				return -ENAMETOOLONG;
			if (len > 1)
				out[len++] = '/';
			memcpy(out + len, path, n);
			len += n;
			out[len] = '\0';
			if ((w->flags & LOOKUP_DIRS) && (*end || (w->flags & LOOKUP_FOLLOW)) &&
			    (err = follow_link(out, size, w)))
				return err;
			len = strlen(out);
			if ((w->flags & LOOKUP_DIRS) && *end == '/' &&
			    !((w->flags & LOOKUP_NAME) && only_slashes(end)) &&
			    (err = is_directory(out)))
				return err;
		}
		path = *end ? end + 1 : end;
	}
	return 0;
}

int path_append(char *out, size_t size, const char *path, int flags)
{
	return walk_path(out, size, path, &(struct walk_state){ .flags = flags });
}

static int resolve(const char *path, char *out, size_t size, int flags)
{
	if (!*path)
		return -ENOENT;
	if (path[0] == '/') {
		strlcpy(out, "/", size);
	} else {
		spin_lock(&current->fs->lock);
		strlcpy(out, current->fs->cwd, size);
		spin_unlock(&current->fs->lock);
	}
	return path_append(out, size, path, flags);
}

int path_resolve(const char *path, char *out, size_t size)
{
	return resolve(path, out, size, LOOKUP_DIRS | LOOKUP_FOLLOW);
}

/* The *at() calls: a relative path starts at directory dirfd (or the
 * working directory for AT_FDCWD). */
int at_path_flags(int dirfd, const char *upath, char *out, size_t size, int flags)
{
	char name[256];
	struct file *dir;
	long n = strncpy_from_user(name, upath, sizeof(name));
	int err;

	if (n < 0)
		return n;
	if (dirfd == AT_FDCWD || name[0] == '/')
		return resolve(name, out, size, flags);
	if (!(dir = fget(dirfd)))
		return -EBADF;
	err = dir->ops->dir_path ? dir->ops->dir_path(dir, out, size) : -ENOTDIR;
	file_put(dir);
	if (!err && !*name)
		err = -ENOENT;
	return err ? err : path_append(out, size, name, flags);
}

int at_path(int dirfd, const char *upath, char *out, size_t size)
{
	return at_path_flags(dirfd, upath, out, size, LOOKUP_DIRS | LOOKUP_FOLLOW);
}

int user_path(const char *upath, char *out, size_t size)
{
	return at_path(AT_FDCWD, upath, out, size);
}

long sys_getcwd(char *ubuf, size_t size)
{
	char cwd[256];
	size_t len;

	spin_lock(&current->fs->lock);
	strlcpy(cwd, current->fs->cwd, sizeof(cwd));
	spin_unlock(&current->fs->lock);
	len = strlen(cwd) + 1;
	if (size < len)
		return -ERANGE;
	if (copy_to_user(ubuf, cwd, len))
		return -EFAULT;
	return len;
}

/* ---- calls that make and remove names (Linux's fs/namei.c) ---- */

/* /proc's names cannot be made or removed: as Linux, a new name there is
 * not found (its lookup knows only its own), an existing one refuses. */
static int proc_refuses(const char *path)
{
	struct stat st;

	return vfs_stat(path, &st) == 0 ? -EPERM : -ENOENT;
}

/* A name in the root file system for a call on the name itself. */
static int name_path(int dirfd, const char *upath, char *path, size_t size)
{
	int err = at_path_flags(dirfd, upath, path, size, LOOKUP_DIRS | LOOKUP_NAME);

	return err ? err : is_proc(path) ? proc_refuses(path) : 0;
}

long sys_mkdirat(int dirfd, const char *upath, uint32_t mode)
{
	char path[256];
	int err = name_path(dirfd, upath, path, sizeof(path));

	return err ? err : ramfs_mkdir(path, mode & 01777 & ~current_umask());
}

long sys_mkdir(const char *upath, uint32_t mode)
{
	return sys_mkdirat(AT_FDCWD, upath, mode);
}

/* A FIFO, a regular file (type 0 too) or a character device, as root may
 * make them on Linux (man 2 mknod); a directory is -EPERM, as there (mkdir
 * makes those). tasklab has no block devices or sockets to name: -EPERM
 * for those too. dev is Linux's encoding, whose low 20 bits are tasklab's
 * major << 8 | minor for numbers below 256. */
long sys_mknodat(int dirfd, const char *upath, uint32_t mode, uint64_t dev)
{
	char path[256];
	uint32_t type = mode & S_IFMT;
	int err;

	if (type == 0)
		type = S_IFREG;
	if (type == S_IFDIR || type == S_IFBLK || type == S_IFSOCK)
		return -EPERM;
	if (type != S_IFIFO && type != S_IFREG && type != S_IFCHR)
		return -EINVAL;
	if ((err = name_path(dirfd, upath, path, sizeof(path))))
		return err;
	return ramfs_mknod(path, type | (mode & 07777 & ~current_umask()),
			   type == S_IFCHR ? (uint32_t)(dev & 0xfffff) : 0);
}

long sys_mknod(const char *upath, uint32_t mode, uint64_t dev)
{
	return sys_mknodat(AT_FDCWD, upath, mode, dev);
}

/* Does the user's path end in "." or ".."? rmdir refuses both by name. */
static int dot_name(const char *upath, int *err)
{
	char name[256];
	long n = strncpy_from_user(name, upath, sizeof(name));
	const char *last;

	if (n < 0)
		return *err = n;
	while (n > 1 && name[n - 1] == '/')
		name[--n] = '\0';
	last = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
	if (strcmp(last, ".") == 0)
		*err = -EINVAL;
	else if (strcmp(last, "..") == 0)
		*err = -ENOTEMPTY;
	return *err;
}

static long do_rmdir(int dirfd, const char *upath)
{
	char path[256];
	int err = 0;

	if (dot_name(upath, &err) || (err = name_path(dirfd, upath, path, sizeof(path))))
		return err;
	return ramfs_rmdir(path);
}

long sys_rmdir(const char *upath)
{
	return do_rmdir(AT_FDCWD, upath);
}

long sys_unlinkat(int dirfd, const char *upath, int flags)
{
	char path[256];
	int err;

	if (flags & ~AT_REMOVEDIR)
		return -EINVAL;
	if (flags & AT_REMOVEDIR)
		return do_rmdir(dirfd, upath);
	if ((err = at_path_flags(dirfd, upath, path, sizeof(path), LOOKUP_DIRS)))
		return err;
	return is_proc(path) ? proc_refuses(path) : ramfs_unlink(path);
}

long sys_unlink(const char *upath)
{
	return sys_unlinkat(AT_FDCWD, upath, 0);
}

/* Both names in the root file system; /proc's cannot move or be linked. */
static int two_names(int olddfd, const char *uold, char *old, int newdfd, const char *unew,
		     char *new, int oldflags)
{
	int err = at_path_flags(olddfd, uold, old, 256, oldflags);

	if (!err)
		err = at_path_flags(newdfd, unew, new, 256, LOOKUP_DIRS | LOOKUP_NAME);
	if (!err && (is_proc(old) || is_proc(new)))
		err = is_proc(old) && is_proc(new) ? -EPERM : -EXDEV;
	return err;
}

long sys_renameat2(int olddfd, const char *uold, int newdfd, const char *unew, unsigned flags)
{
	char old[256], new[256];
	int err;

	if (flags)
		return -EINVAL;             /* RENAME_NOREPLACE and the rest: not here */
	err = two_names(olddfd, uold, old, newdfd, unew, new, LOOKUP_DIRS | LOOKUP_NAME);
	return err ? err : ramfs_rename(old, new);
}

long sys_renameat(int olddfd, const char *uold, int newdfd, const char *unew)
{
	return sys_renameat2(olddfd, uold, newdfd, unew, 0);
}

long sys_rename(const char *uold, const char *unew)
{
	return sys_renameat2(AT_FDCWD, uold, AT_FDCWD, unew, 0);
}

long sys_linkat(int olddfd, const char *uold, int newdfd, const char *unew, int flags)
{
	char old[256], new[256];
	int err;

	if (flags & ~AT_SYMLINK_FOLLOW)
		return -EINVAL;
	err = two_names(olddfd, uold, old, newdfd, unew, new,
			LOOKUP_DIRS | (flags & AT_SYMLINK_FOLLOW ? LOOKUP_FOLLOW : 0));
	return err ? err : ramfs_link(old, new);
}

long sys_link(const char *uold, const char *unew)
{
	return sys_linkat(AT_FDCWD, uold, AT_FDCWD, unew, 0);
}

long sys_symlinkat(const char *utarget, int newdfd, const char *upath)
{
	char target[256], path[256];
	long n = strncpy_from_user(target, utarget, sizeof(target));
	int err;

	if (n < 0)
		return n;
	if (n == 0)
		return -ENOENT;
	err = at_path_flags(newdfd, upath, path, sizeof(path), LOOKUP_DIRS);
	if (!err && is_proc(path))
		err = proc_refuses(path);
	return err ? err : ramfs_symlink(target, path);
}

long sys_symlink(const char *utarget, const char *upath)
{
	return sys_symlinkat(utarget, AT_FDCWD, upath);
}
