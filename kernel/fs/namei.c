/* Paths: the working directory, and names made absolute (Linux's fs/namei.c). */
#include "kernel.h"
#include "fs/file.h"
#include "uapi/errno.h"
#include "mm/slab.h"
#include "mm/mm.h"
#include "syscall.h"
#include "task.h"
#include "lib/format.h"

struct fs_struct *fs_alloc(const char *cwd)
{
	struct fs_struct *fs = kzalloc(sizeof(*fs));

	if (fs) {
		refcount_set(&fs->refcount, 1);
		fs->lock = (struct spinlock)SPINLOCK_INIT("fs");
		strlcpy(fs->cwd, cwd, sizeof(fs->cwd));
	}
	return fs;
}

struct fs_struct *fs_dup(struct fs_struct *old)
{
	struct fs_struct *fs = fs_alloc("/");

	if (fs) {
		spin_lock(&old->lock);
		strlcpy(fs->cwd, old->cwd, sizeof(fs->cwd));
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

/* /proc/self is a symbolic link to /proc/<our pid> on Linux. tasklab has no
 * links, so the walk follows this one here: a working directory of
 * /proc/self is then the process's own directory, not whoever asks later. */
static int follow_proc_self(char *out, size_t size)
{
	if (strcmp(out, "/proc/self") != 0)
		return 0;
	return snprintf(out, size, "/proc/%d", current->tgid) < (int)size ? 0 : -ENAMETOOLONG;
}

/* Append path's components to out (absolute, no trailing '/'), handling
 * "." and "..". With lookup, as Linux's walk: each name followed by a '/'
 * must be a directory that exists, so that ".." goes back only through
 * directories that exist and "file/" is ENOTDIR. */
int path_append(char *out, size_t size, const char *path, bool lookup)
{
	int err;

	size_t len = strlen(out);

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
			if ((err = follow_proc_self(out, size)))
				return err;
			len = strlen(out);
			if (lookup && *end == '/' && (err = is_directory(out)))
				return err;
		}
		path = *end ? end + 1 : end;
	}
	return 0;
}

int path_resolve(const char *path, char *out, size_t size)
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
	return path_append(out, size, path, true);
}

/* The *at() calls: a relative path starts at directory dirfd (or the
 * working directory for AT_FDCWD). */
int at_path(int dirfd, const char *upath, char *out, size_t size)
{
	char name[256];
	struct file *dir;
	long n = strncpy_from_user(name, upath, sizeof(name));
	int err;

	if (n < 0)
		return n;
	if (dirfd == AT_FDCWD || name[0] == '/')
		return path_resolve(name, out, size);
	if (!(dir = fget(dirfd)))
		return -EBADF;
	err = dir->ops->dir_path ? dir->ops->dir_path(dir, out, size) : -ENOTDIR;
	file_put(dir);
	if (!err && !*name)
		err = -ENOENT;
	return err ? err : path_append(out, size, name, true);
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
