/*
 * Open files and fd tables, and the system calls on the table itself:
 * close, dup, fcntl, ioctl (Linux's fs/file.c). Names are namei.c's and
 * open.c's, reading and writing read_write.c's. The kinds of file (the
 * root file system's files and directories, /proc's, pipes, the console,
 * /dev's devices) live in ramfs.c, procfs.c, pipe.c, drivers/tty.c and
 * drivers/mem.c and plug in through struct file_ops.
 */
#include "kernel.h"
#include "fs/file.h"
#include "uapi/errno.h"
#include "mm/slab.h"
#include "mm/mm.h"
#include "syscall.h"
#include "task.h"

struct file *file_alloc(const struct file_ops *ops, int flags, void *private)
{
	struct file *f = kzalloc(sizeof(*f));

	if (!f)
		return NULL;
	f->ops = ops;
	refcount_set(&f->refcount, 1);
	f->flags = flags & (O_ACCMODE | O_NONBLOCK | O_APPEND);
	f->lock = (struct spinlock)SPINLOCK_INIT("file");
	f->private = private;
	return f;
}

void file_get(struct file *f)
{
	refcount_inc(&f->refcount);
}

void file_put(struct file *f)
{
	if (!refcount_dec_and_test(&f->refcount))
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
		refcount_set(&fs->refcount, 1);
		fs->lock = (struct spinlock)SPINLOCK_INIT("files");
		fs->fd = fs->fd_array;
		fs->max_fds = NR_OPEN_DEFAULT;
	}
	return fs;
}

/* Give fs all MAX_FDS slots (see struct files_struct). 0 or -ENOMEM. */
static int expand_files(struct files_struct *fs)
{
	struct file **slots = kzalloc(MAX_FDS * sizeof(*slots));

	if (!slots)
		return -ENOMEM;
	spin_lock(&fs->lock);
	if (fs->max_fds < MAX_FDS) {            /* else another thread did */
		memcpy(slots, fs->fd, fs->max_fds * sizeof(*slots));
		fs->fd = slots;
		fs->max_fds = MAX_FDS;
		slots = NULL;
	}
	spin_unlock(&fs->lock);
	kfree(slots);
	return 0;
}

struct files_struct *files_dup(struct files_struct *old)
{
	struct files_struct *fs = files_alloc();

	if (!fs)
		return NULL;
	spin_lock(&old->lock);
	while (old->max_fds > fs->max_fds) {    /* a grown table: grow the copy */
		spin_unlock(&old->lock);
		if (expand_files(fs) < 0) {
			files_put(fs);
			return NULL;
		}
		spin_lock(&old->lock);
	}
	for (int i = 0; i < old->fd_end; i++)
		if ((fs->fd[i] = old->fd[i]))
			file_get(fs->fd[i]);
	fs->fd_end = old->fd_end;
	memcpy(fs->cloexec, old->cloexec, sizeof(fs->cloexec));
	spin_unlock(&old->lock);
	return fs;
}

void files_put(struct files_struct *fs)
{
	if (!refcount_dec_and_test(&fs->refcount))
		return;
	for (int i = 0; i < fs->fd_end; i++)
		if (fs->fd[i])
			file_put(fs->fd[i]);
	if (fs->fd != fs->fd_array)
		kfree(fs->fd);
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

/* Put f in slot fd (free), with its close-on-exec bit. Under fs->lock,
 * or before anyone else can see the table. */
static void fd_install(struct files_struct *fs, int fd, struct file *f, bool cloexec)
{
	fs->fd[fd] = f;
	set_cloexec(fs, fd, cloexec);
	fs->fd_end = MAX(fs->fd_end, fd + 1);
}

/* Under fs->lock: take f out of slot fd; the caller puts it. */
static struct file *fd_remove(struct files_struct *fs, int fd)
{
	struct file *f = fs->fd[fd];

	assert_held(&fs->lock);
	fs->fd[fd] = NULL;
	set_cloexec(fs, fd, false);
	return f;
}

void files_close_on_exec(struct files_struct *fs)
{
	for (int fd = 0; fd < fs->fd_end; fd++) {
		struct file *f = NULL;

		spin_lock(&fs->lock);
		if (fs->fd[fd] && is_cloexec(fs, fd))
			f = fd_remove(fs, fd);
		spin_unlock(&fs->lock);
		if (f)
			file_put(f);
	}
}

/* The fds a process may use: RLIMIT_NOFILE's soft limit, within the table. */
static int fd_limit(void)
{
	return MIN(rlimit(RLIMIT_NOFILE), (uint64_t)MAX_FDS);
}

/* The lowest free fd at or above `from`; takes the caller's reference.
 * -EMFILE when none is left below the limit, -ENOMEM when the table could
 * not grow to reach one. */
static int fd_alloc_from(struct file *f, int from, int cloexec)
{
	struct files_struct *fs = current->files;
	int fd, limit = fd_limit();

	for (;;) {
		spin_lock(&fs->lock);
		for (fd = from; fd < MIN(limit, fs->max_fds) && fs->fd[fd]; fd++)
			;
		if (fd < limit && fd < fs->max_fds) {
			fd_install(fs, fd, f, cloexec);
			spin_unlock(&fs->lock);
			return fd;
		}
		spin_unlock(&fs->lock);
		if (fd >= limit)
			return -EMFILE;
		if (expand_files(fs) < 0)
			return -ENOMEM;
	}
}

/* Put f in slot fd of a table no one else uses yet (the first process). */
void fd_install_in(struct files_struct *fs, int fd, struct file *f)
{
	fd_install(fs, fd, f, false);
}

int fd_alloc(struct file *f, int cloexec)
{
	return fd_alloc_from(f, 0, cloexec);
}

struct file *fget(int fd)
{
	return fget_from(current->files, fd);
}

struct file *fget_from(struct files_struct *fs, int fd)
{
	struct file *f = NULL;

	if (fd < 0)
		return NULL;
	spin_lock(&fs->lock);
	if (fd < fs->max_fds && (f = fs->fd[fd]))
		file_get(f);
	spin_unlock(&fs->lock);
	return f;
}

/* ---- system calls on file descriptors ---- */

long sys_close(int fd)
{
	struct files_struct *fs = current->files;
	struct file *f = NULL;

	if (fd < 0)
		return -EBADF;
	spin_lock(&fs->lock);
	if (fd < fs->max_fds && fs->fd[fd])
		f = fd_remove(fs, fd);
	spin_unlock(&fs->lock);
	if (!f)
		return -EBADF;
	file_put(f);
	return 0;
}

/* dup3's core: make newfd refer to oldfd's file. */
static long do_dup3(int oldfd, int newfd, int flags)
{
	struct files_struct *fs = current->files;
	struct file *f, *old = NULL;

	if (flags & ~O_CLOEXEC)
		return -EINVAL;
	if (newfd < 0 || newfd >= fd_limit())
		return -EBADF;
	if (!(f = fget(oldfd)))
		return -EBADF;
	/* max_fds only grows: read without the lock, it is at worst stale
	 * small, and expand_files checks again under it. */
	if (newfd >= __atomic_load_n(&fs->max_fds, __ATOMIC_RELAXED) && expand_files(fs) < 0) {
		file_put(f);
		return -ENOMEM;
	}
	spin_lock(&fs->lock);
	if (fs->fd[newfd])
		old = fd_remove(fs, newfd);
	fd_install(fs, newfd, f, flags & O_CLOEXEC);
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
		if (arg >= (unsigned long)fd_limit()) {
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

