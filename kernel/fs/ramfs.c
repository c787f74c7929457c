/*
 * The root file system in memory (Linux's rootfs, a tmpfs): see ramfs.h.
 * Here: inodes, directories and their entries, lookups, the calls on
 * names, and open files; a regular file's bytes are ramfs_file.c's.
 *
 * One lock, ramfs_lock, guards the whole tree and every file's bytes;
 * reads and writes copy to and from user space under it (a fault there
 * takes only mm and pmm, further down the lock order). A teaching kernel's
 * file traffic is small, and one lock keeps rename, which touches two
 * directories, as simple as the rest.
 */
#include "kernel.h"
#include "fs/ramfs_internal.h"
#include "uapi/errno.h"
#include "mm/slab.h"
#include "arch/x86/memlayout.h"
#include "drivers/mem.h"
#include "fs/pipe.h"
#include "time.h"
#include "lib/format.h"

#define NAME_MAX        255
#define DIRENT_SIZE     20          /* what tmpfs adds to a directory's size per entry */

/* A name in a directory. */
struct dentry {
	struct list_head node;      /* in the directory's children, by off */
	struct inode *inode;
	int64_t off;                /* its getdents offset: never reused in this directory */
	char name[];
};

static struct spinlock ramfs_lock = SPINLOCK_INIT("ramfs");
static struct inode *root;
static uint32_t last_ino;

static const struct file_ops ramfs_file_ops, ramfs_dir_ops;

/* ---- inodes ---- */

static struct inode *inode_new(uint32_t mode)
{
	struct inode *i = kzalloc(sizeof(*i));

	if (!i)
		return NULL;
	i->ino = ++last_ino;
	i->mode = mode;
	i->atime = i->mtime = i->ctime = now();
	list_init(&i->children);
	i->next_off = 2;            /* 0 and 1 are "." and ".." */
	if (is_type(i, S_IFDIR)) {
		i->size = 2 * DIRENT_SIZE;
		i->nlink = 1;               /* its "."; its name in the parent adds one */
	}
	return i;
}

/* No name and no user left: free it. */
static void inode_maybe_free(struct inode *i)
{
	if (i->nlink || i->opens)
		return;
	free_pages_from(i, 0);
	kfree(i->target);
	kfree(i);
}

static void ramfs_put_locked(struct inode *i)
{
	i->opens--;
	inode_maybe_free(i);
}

static void inode_stat(const struct inode *i, struct stat *st)
{
	int64_t blocks = 0;

	if (is_type(i, S_IFREG))
		blocks = i->initrd_data ? ALIGN_UP(i->size, PAGE_SIZE) / 512 :
			 i->nr_pages * (PAGE_SIZE / 512);
	*st = (struct stat){
		.st_dev = 1, .st_ino = i->ino, .st_nlink = i->nlink, .st_mode = i->mode,
		.st_rdev = i->rdev, .st_size = i->size, .st_blksize = PAGE_SIZE,
		.st_blocks = blocks,
		.st_atime = i->atime / NSEC_PER_SEC, .st_atime_nsec = i->atime % NSEC_PER_SEC,
		.st_mtime = i->mtime / NSEC_PER_SEC, .st_mtime_nsec = i->mtime % NSEC_PER_SEC,
		.st_ctime = i->ctime / NSEC_PER_SEC, .st_ctime_nsec = i->ctime % NSEC_PER_SEC,
	};
}

/* ---- directories ---- */

static struct dentry *dentry_new(const char *name, size_t len, struct inode *inode)
{
	struct dentry *d = kmalloc(sizeof(*d) + len + 1);

	if (d) {
		memcpy(d->name, name, len);
		d->name[len] = '\0';
		d->inode = inode;
	}
	return d;
}

/* Put d in dir, at the end of its listing. */
static void dentry_attach(struct inode *dir, struct dentry *d)
{
	d->off = dir->next_off++;
	list_add_tail(&d->node, &dir->children);
	d->inode->nlink++;
	if (is_type(d->inode, S_IFDIR)) {
		dir->nlink++;               /* the child's ".." */
		d->inode->parent = dir;
	}
	dir->size += DIRENT_SIZE;
	dir->mtime = dir->ctime = d->inode->ctime = now();
}

static void dentry_detach(struct inode *dir, struct dentry *d)
{
	list_del(&d->node);
	d->inode->nlink--;
	if (is_type(d->inode, S_IFDIR))
		dir->nlink--;
	dir->size -= DIRENT_SIZE;
	dir->mtime = dir->ctime = d->inode->ctime = now();
}

static int dir_add(struct inode *dir, const char *name, struct inode *inode)
{
	struct dentry *d = dentry_new(name, strlen(name), inode);

	if (!d)
		return -ENOMEM;
	dentry_attach(dir, d);
	return 0;
}

/* Take the name away; the inode goes when its last name and user have. */
static void dir_remove(struct inode *dir, struct dentry *d)
{
	struct inode *i = d->inode;

	dentry_detach(dir, d);
	kfree(d);
	if (is_type(i, S_IFDIR))
		i->nlink = 0;               /* its "." goes with it */
	inode_maybe_free(i);
}

static struct dentry *dir_find(struct inode *dir, const char *name, size_t len)
{
	struct dentry *d;

	list_for_each_entry(d, &dir->children, node)
		if (strlen(d->name) == len && memcmp(d->name, name, len) == 0)
			return d;
	return NULL;
}

/* The inode at [path, path + len). Under ramfs_lock. */
static int lookup_n(const char *path, size_t len, struct inode **out)
{
	struct inode *i = root;
	const char *end = path + len;

	assert_held(&ramfs_lock);
	while (path < end) {
		const char *next;
		struct dentry *d;

		while (path < end && *path == '/')
			path++;
		if (path == end)
			break;
		for (next = path; next < end && *next != '/'; next++)
			;
		if (!is_type(i, S_IFDIR))
			return -ENOTDIR;
		if (!(d = dir_find(i, path, next - path)))
			return -ENOENT;
		i = d->inode;
		path = next;
	}
	*out = i;
	return 0;
}

static int lookup(const char *path, struct inode **out)
{
	return lookup_n(path, strlen(path), out);
}

/* The directory that holds path's last component, the component ("" for
 * the root itself) and its entry if it exists. Under ramfs_lock. */
struct where {
	struct inode *dir;
	const char *name;
	struct dentry *d;
};

static int lookup_parent(const char *path, struct where *w)
{
	const char *slash = strrchr(path, '/');
	int err;

	if (!slash)
		return -ENOENT;
	w->name = slash + 1;
	if (strlen(w->name) > NAME_MAX)
		return -ENAMETOOLONG;
	if ((err = lookup_n(path, slash - path, &w->dir)))
		return err;
	if (!is_type(w->dir, S_IFDIR))
		return -ENOTDIR;
	w->d = *w->name ? dir_find(w->dir, w->name, strlen(w->name)) : NULL;
	return 0;
}

/* A new name in a live directory, for a new inode of mode. */
static int create(struct where *w, uint32_t mode, struct inode **out)
{
	struct inode *i;

	if (!*w->name || w->d)
		return -EEXIST;
	if (w->dir->nlink == 0)
		return -ENOENT;             /* the directory was removed */
	if (!(i = inode_new(mode)))
		return -ENOMEM;
	if (dir_add(w->dir, w->name, i)) {
		kfree(i);
		return -ENOMEM;
	}
	*out = i;
	return 0;
}

/* ---- open files ---- */

static long file_read(struct file *f, char *ubuf, size_t n)
{
	long ret;

	spin_lock(&f->lock);
	spin_lock(&ramfs_lock);
	ret = inode_read(f->private, ubuf, n, f->pos, true);
	if (ret > 0)
		f->pos += ret;
	spin_unlock(&ramfs_lock);
	spin_unlock(&f->lock);
	return ret;
}

static long file_write(struct file *f, const char *ubuf, size_t n)
{
	struct inode *i = f->private;
	long ret;

	spin_lock(&f->lock);
	spin_lock(&ramfs_lock);
	if (f->flags & O_APPEND)
		f->pos = i->size;
	ret = n ? inode_write(i, ubuf, n, f->pos) : 0;
	if (ret > 0)
		f->pos += ret;
	spin_unlock(&ramfs_lock);
	spin_unlock(&f->lock);
	return ret;
}

static void file_stat(struct file *f, struct stat *st)
{
	spin_lock(&ramfs_lock);
	inode_stat(f->private, st);
	spin_unlock(&ramfs_lock);
}

static void file_release(struct file *f)
{
	spin_lock(&ramfs_lock);
	ramfs_put_locked(f->private);
	spin_unlock(&ramfs_lock);
}

/* Offsets: 0 ".", 1 "..", then each entry's own, which it keeps however
 * the directory changes: a listing goes on after the last entry it gave. */
static long dir_getdents(struct file *f, char *ubuf, size_t n)
{
	struct inode *dir = f->private;
	struct dentry *d;
	size_t used = 0;
	bool full = false;
	int err = 0;

	spin_lock(&f->lock);
	spin_lock(&ramfs_lock);
	if (dir->nlink == 0) {
		err = -ENOENT;              /* removed: as Linux, not even "." */
		goto out;
	}
	if (f->pos == 0 && (full = !dirent_put(ubuf, n, &used, ".", dir->ino, S_IFDIR, 1, &err)))
		goto out;
	f->pos = MAX(f->pos, 1);
	if (f->pos == 1 && (full = !dirent_put(ubuf, n, &used, "..", dir->parent->ino, S_IFDIR,
					       2, &err)))
		goto out;
	f->pos = MAX(f->pos, 2);
	list_for_each_entry(d, &dir->children, node) {
		if (d->off < f->pos)
			continue;
		if ((full = !dirent_put(ubuf, n, &used, d->name, d->inode->ino, d->inode->mode,
					d->off + 1, &err)))
			break;
		f->pos = d->off + 1;
	}
out:
	spin_unlock(&ramfs_lock);
	spin_unlock(&f->lock);
	if (err)
		return err;
	return used == 0 && full ? -EINVAL : (long)used;
}

/* A directory's path, or a file's (one of its names): for openat and /proc/PID/fd. */
static int file_path(struct file *f, char *buf, size_t size)
{
	return ramfs_inode_path(f->private, buf, size);
}

static const struct file_ops ramfs_file_ops = {
	.read = file_read, .write = file_write, .stat = file_stat, .seekable = true,
	.release = file_release, .name = file_path,
};

static const struct file_ops ramfs_dir_ops = {
	.getdents = dir_getdents, .stat = file_stat, .seekable = true, .release = file_release,
	.dir_path = file_path,
};

struct inode *ramfs_file_inode(struct file *f)
{
	return f->ops == &ramfs_file_ops || f->ops == &ramfs_dir_ops ? f->private : NULL;
}

/* Under ramfs_lock: may this open of i go ahead? */
static int may_open(struct inode *i, int flags)
{
	if (is_type(i, S_IFDIR) && ((flags & O_ACCMODE) != O_RDONLY || (flags & O_CREAT)))
		return -EISDIR;
	if ((flags & O_DIRECTORY) && !is_type(i, S_IFDIR))
		return -ENOTDIR;
	if (is_type(i, S_IFLNK))
		return -ELOOP;              /* O_NOFOLLOW met a link */
	return 0;
}

int ramfs_open(const char *path, int flags, uint32_t mode, struct file **out)
{
	struct where w;
	struct inode *i = NULL;
	int err;

	spin_lock(&ramfs_lock);
	err = lookup_parent(path, &w);
	if (!err && !*w.name)
		i = root;
	else if (!err && w.d)
		i = w.d->inode;
	if (!err && i && (flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL))
		err = -EEXIST;
	else if (!err && !i)
		err = (flags & O_CREAT) ? create(&w, S_IFREG | (mode & 07777), &i) : -ENOENT;
	else if (!err)
		err = may_open(i, flags);
	if (!err && (is_type(i, S_IFCHR) || is_type(i, S_IFIFO))) {
		bool fifo = is_type(i, S_IFIFO);
		uint32_t id = fifo ? i->ino : i->rdev;      /* FIFOs: pipe.c finds theirs by ino */
		spin_unlock(&ramfs_lock);
		return fifo ? fifo_open(id, flags, out) : chrdev_open(id, flags, out);
	}
	if (!err && (flags & O_TRUNC) && is_type(i, S_IFREG))
		err = truncate_inode(i, 0);
	if (!err) {
		i->opens++;
		*out = file_alloc(is_type(i, S_IFDIR) ? &ramfs_dir_ops : &ramfs_file_ops, flags, i);
		if (!*out) {
			ramfs_put_locked(i);
			err = -ENOMEM;
		}
	}
	spin_unlock(&ramfs_lock);
	return err;
}

/* ---- calls on names ---- */

int ramfs_stat(const char *path, struct stat *st)
{
	struct inode *i;
	int err;

	spin_lock(&ramfs_lock);
	if (!(err = lookup(path, &i)))
		inode_stat(i, st);
	spin_unlock(&ramfs_lock);
	return err;
}

int ramfs_readlink(const char *path, char *buf, size_t size)
{
	struct inode *i;
	int err;

	spin_lock(&ramfs_lock);
	err = lookup(path, &i);
	if (!err && !is_type(i, S_IFLNK))
		err = -EINVAL;
	if (!err) {
		err = MIN(size, (uint64_t)i->size);
		memcpy(buf, i->target, err);
		if (i->atime <= i->mtime)
			i->atime = now();
	}
	spin_unlock(&ramfs_lock);
	return err;
}

/* Make a new inode of mode at path; *out gets it (under ramfs_lock, so the
 * caller fills it in before anyone else sees it). */
static int make_node(const char *path, uint32_t mode, struct inode **out)
{
	struct where w;
	int err;

	assert_held(&ramfs_lock);
	if ((err = lookup_parent(path, &w)))
		return err;
	return create(&w, mode, out);
}

int ramfs_mkdir(const char *path, uint32_t mode)
{
	struct inode *i;
	int err;

	spin_lock(&ramfs_lock);
	err = make_node(path, S_IFDIR | (mode & 07777), &i);
	spin_unlock(&ramfs_lock);
	return err;
}

int ramfs_mknod(const char *path, uint32_t mode, uint32_t rdev)
{
	struct inode *i;
	int err;

	spin_lock(&ramfs_lock);
	if (!(err = make_node(path, mode, &i)))
		i->rdev = rdev;
	spin_unlock(&ramfs_lock);
	return err;
}

/* A link to the len bytes of target (not NUL-terminated). */
static int symlink_n(const char *target, size_t len, const char *path)
{
	char *copy = kmalloc(len + 1);
	struct inode *i;
	int err;

	if (!copy)
		return -ENOMEM;
	memcpy(copy, target, len);
	copy[len] = '\0';
	spin_lock(&ramfs_lock);
	if (!(err = make_node(path, S_IFLNK | 0777, &i))) {
		i->target = copy;
		i->size = len;
	}
	spin_unlock(&ramfs_lock);
	if (err)
		kfree(copy);
	return err;
}

int ramfs_symlink(const char *target, const char *path)
{
	return symlink_n(target, strlen(target), path);
}

int ramfs_link(const char *old, const char *new)
{
	struct inode *i;
	struct where w;
	int err;

	spin_lock(&ramfs_lock);
	err = lookup(old, &i);
	if (!err && is_type(i, S_IFDIR))
		err = -EPERM;
	if (!err)
		err = lookup_parent(new, &w);
	if (!err && (!*w.name || w.d))
		err = -EEXIST;
	if (!err && w.dir->nlink == 0)
		err = -ENOENT;
	if (!err)
		err = dir_add(w.dir, w.name, i);
	spin_unlock(&ramfs_lock);
	return err;
}

/* The entry of an existing path, for unlink and rmdir. */
static int find_entry(const char *path, struct where *w, int root_err)
{
	int err = lookup_parent(path, w);

	if (!err && !*w->name)
		return root_err;
	return err ? err : w->d ? 0 : -ENOENT;
}

int ramfs_unlink(const char *path)
{
	struct where w;
	int err;

	spin_lock(&ramfs_lock);
	err = find_entry(path, &w, -EISDIR);
	if (!err && is_type(w.d->inode, S_IFDIR))
		err = -EISDIR;
	if (!err)
		dir_remove(w.dir, w.d);
	spin_unlock(&ramfs_lock);
	return err;
}

int ramfs_rmdir(const char *path)
{
	struct where w;
	int err;

	spin_lock(&ramfs_lock);
	err = find_entry(path, &w, -EBUSY);
	if (!err && !is_type(w.d->inode, S_IFDIR))
		err = -ENOTDIR;
	if (!err && !list_empty(&w.d->inode->children))
		err = -ENOTEMPTY;
	if (!err)
		dir_remove(w.dir, w.d);
	spin_unlock(&ramfs_lock);
	return err;
}

/* Is directory a on the way from b up to the root (or b itself)? */
static bool is_ancestor(struct inode *a, struct inode *b)
{
	for (;;) {
		if (b == a)
			return true;
		if (b == root || !b->parent)
			return false;
		b = b->parent;
	}
}

/* rename's checks, in Linux's order, before anything changes. */
static int rename_check(struct where *from, struct where *to)
{
	struct inode *src = from->d->inode, *dst = to->d ? to->d->inode : NULL;

	if (is_type(src, S_IFDIR) && is_ancestor(src, to->dir))
		return -EINVAL;             /* a directory into itself */
	if (!*to->name || (dst && is_ancestor(dst, from->dir)))
		return -ENOTEMPTY;          /* over one of its own ancestors */
	if (!dst || dst == src)
		return 0;
	if (is_type(src, S_IFDIR) && !is_type(dst, S_IFDIR))
		return -ENOTDIR;
	if (!is_type(src, S_IFDIR) && is_type(dst, S_IFDIR))
		return -EISDIR;
	return list_empty(&dst->children) ? 0 : -ENOTEMPTY;
}

int ramfs_rename(const char *old, const char *new)
{
	struct where from, to;
	struct dentry *moved = NULL;
	int err;

	spin_lock(&ramfs_lock);
	err = find_entry(old, &from, -EBUSY);
	if (!err)
		err = lookup_parent(new, &to);
	if (!err)
		err = rename_check(&from, &to);
	if (!err && to.d && to.d->inode == from.d->inode)
		goto out;                   /* two names of one file: nothing to do */
	if (!err && to.dir->nlink == 0)
		err = -ENOENT;
	if (!err && !(moved = dentry_new(to.name, strlen(to.name), from.d->inode)))
		err = -ENOMEM;
	if (err)
		goto out;
	if (to.d)
		dir_remove(to.dir, to.d);
	dentry_detach(from.dir, from.d);
	kfree(from.d);
	dentry_attach(to.dir, moved);
out:
	spin_unlock(&ramfs_lock);
	return err;
}

int ramfs_chmod(const char *path, uint32_t mode)
{
	struct inode *i;
	int err;

	spin_lock(&ramfs_lock);
	if (!(err = lookup(path, &i))) {
		i->mode = (i->mode & S_IFMT) | (mode & 07777);
		i->ctime = now();
	}
	spin_unlock(&ramfs_lock);
	return err;
}

/* One of utimensat's times: ts, or now, or the old time t (UTIME_OMIT). */
static int64_t new_time(const struct timespec *ts, int64_t t)
{
	if (!ts || ts->tv_nsec == UTIME_NOW)
		return now();
	if (ts->tv_nsec == UTIME_OMIT)
		return t;
	return ts->tv_sec * NSEC_PER_SEC + ts->tv_nsec;
}

static void set_times(struct inode *i, const struct timespec ts[2])
{
	i->atime = new_time(ts ? &ts[0] : NULL, i->atime);
	i->mtime = new_time(ts ? &ts[1] : NULL, i->mtime);
	i->ctime = now();
}

int ramfs_utimens(const char *path, const struct timespec ts[2])
{
	struct inode *i;
	int err;

	spin_lock(&ramfs_lock);
	if (!(err = lookup(path, &i)))
		set_times(i, ts);
	spin_unlock(&ramfs_lock);
	return err;
}

int ramfs_futimens(struct file *f, const struct timespec ts[2])
{
	struct inode *i = ramfs_file_inode(f);

	if (!i)
		return -EPERM;
	spin_lock(&ramfs_lock);
	set_times(i, ts);
	spin_unlock(&ramfs_lock);
	return 0;
}

int ramfs_fchmod(struct file *f, uint32_t mode)
{
	struct inode *i = ramfs_file_inode(f);

	if (!i)
		return -EPERM;
	spin_lock(&ramfs_lock);
	i->mode = (i->mode & S_IFMT) | (mode & 07777);
	i->ctime = now();
	spin_unlock(&ramfs_lock);
	return 0;
}

int ramfs_truncate(const char *path, int64_t len)
{
	struct inode *i;
	int err;

	spin_lock(&ramfs_lock);
	err = lookup(path, &i);
	if (!err && is_type(i, S_IFDIR))
		err = -EISDIR;
	else if (!err && !is_type(i, S_IFREG))
		err = -EINVAL;
	if (!err)
		err = truncate_inode(i, len);
	spin_unlock(&ramfs_lock);
	return err;
}

int ramfs_ftruncate(struct file *f, int64_t len)
{
	struct inode *i = ramfs_file_inode(f);
	int err;

	if (!i || !is_type(i, S_IFREG) || (f->flags & O_ACCMODE) == O_RDONLY)
		return -EINVAL;
	spin_lock(&ramfs_lock);
	err = truncate_inode(i, len);
	spin_unlock(&ramfs_lock);
	return err;
}

/* ---- names of inodes ---- */

/* The entry of dir (or of a directory under it) that names target. */
static struct dentry *find_name(struct inode *dir, struct inode *target, struct inode **in)
{
	struct dentry *d, *found;

	list_for_each_entry(d, &dir->children, node) {
		if (d->inode == target) {
			*in = dir;
			return d;
		}
		if (is_type(d->inode, S_IFDIR) && (found = find_name(d->inode, target, in)))
			return found;
	}
	return NULL;
}

/* Under ramfs_lock: path of i into buf. A directory knows its parent; any
 * other file is searched for from the root (only /proc's fd links ask). */
static int path_of(struct inode *i, char *buf, size_t size)
{
	struct inode *dir = i->parent;
	struct dentry *d;
	size_t len, n;
	int err;

	if (i == root)
		return strlcpy(buf, "/", size) < size ? 0 : -ENAMETOOLONG;
	if (i->nlink == 0)
		return -ENOENT;
	d = is_type(i, S_IFDIR) ? find_name(dir, i, &dir) : find_name(root, i, &dir);
	if (!d)
		return -ENOENT;
	if ((err = path_of(dir, buf, size)))
		return err;
	len = strlen(buf);
	n = snprintf(buf + len, size - len, "%s%s", dir == root ? "" : "/", d->name);
	return n < size - len ? 0 : -ENAMETOOLONG;
}

int ramfs_inode_path(struct inode *i, char *buf, size_t size)
{
	int err;

	spin_lock(&ramfs_lock);
	err = path_of(i, buf, size);
	spin_unlock(&ramfs_lock);
	return err;
}

/* ---- exec ---- */

int ramfs_get_file(const char *path, struct inode **out)
{
	struct inode *i;
	int err;

	spin_lock(&ramfs_lock);
	err = lookup(path, &i);
	if (!err && (!is_type(i, S_IFREG) || !may_exec(i->mode)))
		err = -EACCES;
	if (!err) {
		i->opens++;
		*out = i;
	}
	spin_unlock(&ramfs_lock);
	return err;
}

long ramfs_pread_kernel(struct inode *i, void *buf, size_t n, int64_t off)
{
	long ret;

	spin_lock(&ramfs_lock);
	ret = inode_read(i, buf, n, off, false);
	spin_unlock(&ramfs_lock);
	return ret;
}

void ramfs_put(struct inode *i)
{
	spin_lock(&ramfs_lock);
	ramfs_put_locked(i);
	spin_unlock(&ramfs_lock);
}

/* ---- boot ---- */

void ramfs_init(void)
{
	root = inode_new(S_IFDIR | 0755);
	if (!root)
		panic("ramfs: no memory for the root");
	root->nlink = 2;                /* "." and its own ".." */
	root->parent = root;
}

int ramfs_unpack(const char *path, uint32_t mode, const uint8_t *data, size_t size)
{
	struct inode *i;
	int err = 0;

	switch (mode & S_IFMT) {
	case S_IFLNK:
		return symlink_n((const char *)data, size, path);
	case S_IFCHR:
		return ramfs_mknod(path, mode, 0);
	case S_IFDIR:
		if (strcmp(path, "/") == 0) {
			root->mode = mode;
			return 0;
		}
		return ramfs_mkdir(path, mode);
	case S_IFREG:
		spin_lock(&ramfs_lock);
		if (!(err = make_node(path, mode, &i))) {
			i->initrd_data = data;
			i->size = size;
		}
		spin_unlock(&ramfs_lock);
		return err;
	}
	return -EINVAL;
}
