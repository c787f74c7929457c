/* read, write, readv, writev, lseek, getdents64 (Linux's fs/read_write.c, readdir.c). */
#include "kernel.h"
#include "fs/file.h"
#include "uapi/errno.h"
#include "mm/mm.h"
#include "syscall.h"

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
	d->d_type = (mode & S_IFMT) >> 12;     /* DT_DIR, DT_REG...: the type bits */
	memcpy(d->d_name, name, namelen);
	if (copy_to_user(ubuf + *used, buf, reclen)) {
		*err = -EFAULT;
		return false;
	}
	*used += reclen;
	return true;
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
