/*
 * Open files, fd tables, working directories, and the system calls on
 * file descriptors. The kinds of file (initramfs files and directories,
 * pipes, the console) live in initramfs.c, pipe.c and drivers/tty.c and plug in
 * through struct file_ops.
 */
#include "kernel.h"
#include "fs/file.h"
#include "uapi/errno.h"
#include "fs/initramfs.h"
#include "mm/slab.h"
#include "mm/mm.h"
#include "fs/pipe.h"
#include "fs/procfs.h"
#include "syscall.h"
#include "task.h"

struct file *file_alloc(const struct file_ops *ops, int flags, void *private)
{
	struct file *f = kzalloc(sizeof(*f));

	if (!f)
		return NULL;
	f->ops = ops;
	f->refcount = 1;
	f->flags = flags & (O_ACCMODE | O_NONBLOCK | O_APPEND);
	f->lock = (struct spinlock)SPINLOCK_INIT("file");
	f->private = private;
	return f;
}

void file_get(struct file *f)
{
	__atomic_add_fetch(&f->refcount, 1, __ATOMIC_RELAXED);
}

void file_put(struct file *f)
{
	if (__atomic_sub_fetch(&f->refcount, 1, __ATOMIC_ACQ_REL) > 0)
		return;
	if (f->ops->release)
		f->ops->release(f);
	kfree(f);
}

/* ---- fd tables ---- */

struct files_struct *files_alloc(void)
{
	struct files_struct *fs = kzalloc(sizeof(*fs));

	if (fs) {
		fs->refcount = 1;
		fs->lock = (struct spinlock)SPINLOCK_INIT("files");
	}
	return fs;
}

struct files_struct *files_dup(struct files_struct *old)
{
	struct files_struct *fs = files_alloc();

	if (!fs)
		return NULL;
	spin_lock(&old->lock);
	for (int i = 0; i < MAX_FDS; i++)
		if ((fs->fd[i] = old->fd[i]))
			file_get(fs->fd[i]);
	memcpy(fs->cloexec, old->cloexec, sizeof(fs->cloexec));
	spin_unlock(&old->lock);
	return fs;
}

void files_put(struct files_struct *fs)
{
	if (__atomic_sub_fetch(&fs->refcount, 1, __ATOMIC_ACQ_REL) > 0)
		return;
	for (int i = 0; i < MAX_FDS; i++)
		if (fs->fd[i])
			file_put(fs->fd[i]);
	kfree(fs);
}

static bool is_cloexec(struct files_struct *fs, int fd)
{
	return fs->cloexec[fd / 64] & (1ULL << (fd % 64));
}

static void set_cloexec(struct files_struct *fs, int fd, bool on)
{
	if (on)
		fs->cloexec[fd / 64] |= 1ULL << (fd % 64);
	else
		fs->cloexec[fd / 64] &= ~(1ULL << (fd % 64));
}

/* Under fs->lock: take f out of slot fd; the caller puts it. */
static struct file *fd_remove(struct files_struct *fs, int fd)
{
	struct file *f = fs->fd[fd];

	fs->fd[fd] = NULL;
	set_cloexec(fs, fd, false);
	return f;
}

void files_close_on_exec(struct files_struct *fs)
{
	for (int fd = 0; fd < MAX_FDS; fd++) {
		struct file *f = NULL;

		spin_lock(&fs->lock);
		if (fs->fd[fd] && is_cloexec(fs, fd))
			f = fd_remove(fs, fd);
		spin_unlock(&fs->lock);
		if (f)
			file_put(f);
	}
}

/* The lowest free fd at or above `from`; takes the caller's reference. */
static int fd_alloc_from(struct file *f, int from, int cloexec)
{
	struct files_struct *fs = current->files;
	int fd;

	spin_lock(&fs->lock);
	for (fd = from; fd < MAX_FDS && fs->fd[fd]; fd++)
		;
	if (fd < MAX_FDS) {
		fs->fd[fd] = f;
		set_cloexec(fs, fd, cloexec);
	}
	spin_unlock(&fs->lock);
	return fd < MAX_FDS ? fd : -EMFILE;
}

/* Put f in slot fd of a table no one else uses yet (the first process). */
void fd_install_in(struct files_struct *fs, int fd, struct file *f)
{
	fs->fd[fd] = f;
}

int fd_alloc(struct file *f, int cloexec)
{
	return fd_alloc_from(f, 0, cloexec);
}

/* The file behind fd, with a reference the caller must put; NULL: EBADF. */
static struct file *fget(int fd)
{
	struct files_struct *fs = current->files;
	struct file *f = NULL;

	if (fd < 0 || fd >= MAX_FDS)
		return NULL;
	spin_lock(&fs->lock);
	if ((f = fs->fd[fd]))
		file_get(f);
	spin_unlock(&fs->lock);
	return f;
}

/* ---- working directory and paths ---- */

struct fs_struct *fs_alloc(const char *cwd)
{
	struct fs_struct *fs = kzalloc(sizeof(*fs));

	if (fs) {
		fs->refcount = 1;
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
	if (__atomic_sub_fetch(&fs->refcount, 1, __ATOMIC_ACQ_REL) == 0)
		kfree(fs);
}

/* Append path's components to out (absolute, no trailing '/'), handling
 * "." and "..". */
int path_append(char *out, size_t size, const char *path)
{
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
	return path_append(out, size, path);
}

/* The *at() calls: a relative path starts at directory dirfd (or the
 * working directory for AT_FDCWD). */
static int at_path(int dirfd, const char *upath, char *out, size_t size)
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
	return err ? err : path_append(out, size, name);
}

int user_path(const char *upath, char *out, size_t size)
{
	return at_path(AT_FDCWD, upath, out, size);
}


bool dirent_put(char *ubuf, size_t n, size_t *used, const char *name,
		       uint64_t ino, uint32_t mode, int64_t next_pos, int *err)
{
	char buf[sizeof(struct linux_dirent64) + 256];
	struct linux_dirent64 *d = (struct linux_dirent64 *)buf;
	size_t namelen = strnlen(name, 255);
	size_t reclen = ALIGN_UP(sizeof(*d) + namelen + 1, 8);

	if (*used + reclen > n)
		return false;
	memset(buf, 0, reclen);
	d->d_ino = ino;
	d->d_off = next_pos;
	d->d_reclen = reclen;
	d->d_type = (mode & S_IFMT) == S_IFDIR ? DT_DIR : DT_REG;
	memcpy(d->d_name, name, namelen);
	if (copy_to_user(ubuf + *used, buf, reclen)) {
		*err = -EFAULT;
		return false;
	}
	*used += reclen;
	return true;
}

/* ---- names to files: /proc is the kernel's, the rest the initramfs ---- */

static bool is_proc(const char *path)
{
	return strncmp(path, "/proc", 5) == 0 && (path[5] == '\0' || path[5] == '/');
}

static int vfs_open(const char *path, int flags, struct file **f)
{
	return is_proc(path) ? proc_open(path, flags, f) : initrd_open(path, flags, f);
}

static int vfs_stat(const char *path, struct stat *st)
{
	return is_proc(path) ? proc_stat(path, st) : initrd_stat(path, st);
}

/* ---- system calls ---- */

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

long sys_close(int fd)
{
	struct files_struct *fs = current->files;
	struct file *f = NULL;

	if (fd < 0 || fd >= MAX_FDS)
		return -EBADF;
	spin_lock(&fs->lock);
	if (fs->fd[fd])
		f = fd_remove(fs, fd);
	spin_unlock(&fs->lock);
	if (!f)
		return -EBADF;
	file_put(f);
	return 0;
}

long sys_read(int fd, char *buf, size_t n)
{
	struct file *f = fget(fd);
	long ret;

	if (!f)
		return -EBADF;
	if ((f->flags & O_ACCMODE) == O_WRONLY)
		ret = -EBADF;
	else if (!f->ops->read)
		ret = f->ops->getdents ? -EISDIR : -EINVAL;
	else
		ret = f->ops->read(f, buf, n);
	file_put(f);
	return ret;
}

long sys_write(int fd, const char *buf, size_t n)
{
	struct file *f = fget(fd);
	long ret;

	if (!f)
		return -EBADF;
	if ((f->flags & O_ACCMODE) == O_RDONLY || !f->ops->write)
		ret = -EBADF;
	else
		ret = f->ops->write(f, buf, n);
	file_put(f);
	return ret;
}

/* readv/writev: one read or write per buffer, stopping at a short one. */
static long do_iov(int fd, const struct iovec *uiov, int iovcnt, bool write)
{
	long total = 0;

	if (iovcnt < 0 || iovcnt > 1024)
		return -EINVAL;
	for (int i = 0; i < iovcnt; i++) {
		struct iovec iov;
		long n;

		if (copy_from_user(&iov, &uiov[i], sizeof(iov)))
			return -EFAULT;
		if (iov.iov_len == 0)
			continue;
		n = write ? sys_write(fd, iov.iov_base, iov.iov_len) : sys_read(fd, iov.iov_base, iov.iov_len);
		if (n < 0)
			return total ? total : n;
		total += n;
		if ((size_t)n < iov.iov_len)
			break;
	}
	return total;
}

long sys_readv(int fd, const struct iovec *iov, int iovcnt)
{
	return do_iov(fd, iov, iovcnt, false);
}

long sys_writev(int fd, const struct iovec *iov, int iovcnt)
{
	return do_iov(fd, iov, iovcnt, true);
}

long sys_lseek(int fd, long off, int whence)
{
	struct file *f = fget(fd);
	struct stat st;
	long ret;

	if (!f)
		return -EBADF;
	if (!f->ops->seekable) {
		file_put(f);
		return -ESPIPE;
	}
	f->ops->stat(f, &st);
	spin_lock(&f->lock);
	switch (whence) {
	case SEEK_SET: ret = off; break;
	case SEEK_CUR: ret = f->pos + off; break;
	case SEEK_END: ret = st.st_size + off; break;
	default: ret = -1;
	}
	if (ret < 0)
		ret = -EINVAL;
	else
		f->pos = ret;
	spin_unlock(&f->lock);
	file_put(f);
	return ret;
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

long sys_access(const char *upath, int mode)
{
	char path[256];
	struct stat st;
	int err = user_path(upath, path, sizeof(path));

	if (err)
		return err;
	err = vfs_stat(path, &st);
	if (!err && (mode & W_OK))
		err = -EROFS;           /* W_OK: the initramfs is read-only */
	return err;
}

long sys_getdents64(int fd, char *buf, size_t n)
{
	struct file *f = fget(fd);
	long ret;

	if (!f)
		return -EBADF;
	ret = f->ops->getdents ? f->ops->getdents(f, buf, n) : -ENOTDIR;
	file_put(f);
	return ret;
}

/* dup3's core: make newfd refer to oldfd's file. */
static long do_dup3(int oldfd, int newfd, int flags)
{
	struct files_struct *fs = current->files;
	struct file *f, *old = NULL;

	if (flags & ~O_CLOEXEC)
		return -EINVAL;
	if (newfd < 0 || newfd >= MAX_FDS)
		return -EBADF;
	if (!(f = fget(oldfd)))
		return -EBADF;
	spin_lock(&fs->lock);
	if (fs->fd[newfd])
		old = fd_remove(fs, newfd);
	fs->fd[newfd] = f;
	set_cloexec(fs, newfd, flags & O_CLOEXEC);
	spin_unlock(&fs->lock);
	if (old)
		file_put(old);
	return newfd;
}

long sys_dup3(int oldfd, int newfd, int flags)
{
	if (oldfd == newfd)
		return -EINVAL;
	return do_dup3(oldfd, newfd, flags);
}

long sys_dup2(int oldfd, int newfd)
{
	if (oldfd == newfd) {
		struct file *f = fget(oldfd);
		if (!f)
			return -EBADF;
		file_put(f);
		return newfd;
	}
	return do_dup3(oldfd, newfd, 0);
}

long sys_dup(int oldfd)
{
	struct file *f = fget(oldfd);
	int fd;

	if (!f)
		return -EBADF;
	fd = fd_alloc(f, 0);
	if (fd < 0)
		file_put(f);
	return fd;
}

long sys_fcntl(int fd, int cmd, unsigned long arg)
{
	struct files_struct *fs = current->files;
	struct file *f = fget(fd);
	long ret = 0;

	if (!f)
		return -EBADF;
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		if (arg >= MAX_FDS) {
			ret = -EINVAL;
			break;
		}
		file_get(f);
		ret = fd_alloc_from(f, arg, cmd == F_DUPFD_CLOEXEC);
		if (ret < 0)
			file_put(f);
		break;
	case F_GETFD:
		spin_lock(&fs->lock);
		ret = is_cloexec(fs, fd) ? FD_CLOEXEC : 0;
		spin_unlock(&fs->lock);
		break;
	case F_SETFD:
		spin_lock(&fs->lock);
		set_cloexec(fs, fd, arg & FD_CLOEXEC);
		spin_unlock(&fs->lock);
		break;
	case F_GETFL:
		ret = f->flags;
		break;
	case F_SETFL:           /* only these two may change after open */
		f->flags = (f->flags & ~(O_NONBLOCK | O_APPEND)) | (arg & (O_NONBLOCK | O_APPEND));
		break;
	default:
		ret = -EINVAL;
	}
	file_put(f);
	return ret;
}

long sys_ioctl(int fd, unsigned long cmd, unsigned long arg)
{
	struct file *f = fget(fd);
	long ret;

	if (!f)
		return -EBADF;
	ret = f->ops->ioctl ? f->ops->ioctl(f, cmd, arg) : -ENOTTY;
	file_put(f);
	return ret;
}

long sys_pipe2(int *ufds, int flags)
{
	struct file *rf, *wf;
	int fds[2], err;

	if (flags & ~(O_CLOEXEC | O_NONBLOCK))
		return -EINVAL;
	err = pipe_create(&rf, &wf, flags);
	if (err)
		return err;
	fds[0] = fd_alloc(rf, flags & O_CLOEXEC);
	fds[1] = fds[0] < 0 ? -EMFILE : fd_alloc(wf, flags & O_CLOEXEC);
	if (fds[1] < 0 || copy_to_user(ufds, fds, sizeof(fds))) {
		err = fds[1] < 0 ? -EMFILE : -EFAULT;
		if (fds[0] >= 0)
			sys_close(fds[0]);      /* puts rf */
		else
			file_put(rf);
		if (fds[1] >= 0)
			sys_close(fds[1]);
		else
			file_put(wf);
		return err;
	}
	return 0;
}

long sys_pipe(int *ufds)
{
	return sys_pipe2(ufds, 0);
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

long sys_chdir(const char *upath)
{
	char path[256];
	struct stat st;
	int err = user_path(upath, path, sizeof(path));

	if (err)
		return err;
	err = vfs_stat(path, &st);
	if (err)
		return err;
	if ((st.st_mode & S_IFMT) != S_IFDIR)
		return -ENOTDIR;
	spin_lock(&current->fs->lock);
	strlcpy(current->fs->cwd, path, sizeof(current->fs->cwd));
	spin_unlock(&current->fs->lock);
	return 0;
}
