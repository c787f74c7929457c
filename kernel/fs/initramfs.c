/* The initramfs: the cpio "newc" archive GRUB loads, unpacked into files in memory. */
#include "kernel.h"
#include "fs/initramfs.h"
#include "uapi/errno.h"
#include "mm/slab.h"
#include "arch/x86/memlayout.h"
#include "mm/mm.h"

#define NEWC_MAGIC    "070701"
#define NEWC_HDR_LEN  110
#define NEWC_TRAILER  "TRAILER!!!"

static struct list_head entries = LIST_HEAD_INIT(entries);     /* read-only after boot */

/* Field i (0 = ino ... 12 = check) of a newc header: 8 hex digits. */
static bool newc_field(const char *hdr, int i, uint32_t *out)
{
	uint32_t v = 0;

	for (int k = 0; k < 8; k++) {
		char c = hdr[6 + 8 * i + k];
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
			c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (d < 0)
			return false;
		v = v << 4 | d;
	}
	*out = v;
	return true;
}

enum { F_INO, F_MODE, F_UID, F_GID, F_NLINK, F_MTIME, F_FILESIZE, F_NAMESIZE = 11 };

/* "./bin/sh" -> "/bin/sh", "." -> "/"; a new string, or NULL. */
static char *archive_path(const char *name)
{
	char *p = kmalloc(256);

	if (!p)
		return NULL;
	strlcpy(p, "/", 256);
	if (path_append(p, 256, name, false) < 0) {
		kfree(p);
		return NULL;
	}
	return p;
}

static bool add_entry(const struct cpio_entry *c, void *arg)
{
	struct initrd_entry *e = kmalloc(sizeof(*e));
	char *path = archive_path(c->name);

	if (!e || !path) {
		kfree(e);
		kfree(path);
		return false;
	}
	*e = (struct initrd_entry){ .path = path, .mode = c->mode, .ino = c->ino,
				    .data = c->data, .size = c->size };
	list_add_tail(&e->node, &entries);
	return true;
}

int cpio_parse(const void *start, const void *end,
	       bool (*fn)(const struct cpio_entry *e, void *arg), void *arg, long *bad)
{
	const char *base = start;
	size_t len = (const char *)end - base, off = 0, data;
	int n = 0;

	/* Offsets from the start, not pointers: a huge size in a header must
	 * not wrap around the address space, and newc pads to 4 bytes from
	 * the archive's start wherever it lies. */
	while (off <= len && len - off >= NEWC_HDR_LEN) {
		const char *hdr = base + off, *name = hdr + NEWC_HDR_LEN;
		uint32_t mode, ino, size, namesize;

		if (memcmp(hdr, NEWC_MAGIC, 6) != 0 || !newc_field(hdr, F_MODE, &mode) ||
		    !newc_field(hdr, F_INO, &ino) || !newc_field(hdr, F_FILESIZE, &size) ||
		    !newc_field(hdr, F_NAMESIZE, &namesize))
			break;
		data = ALIGN_UP(off + NEWC_HDR_LEN + namesize, 4);
		if (namesize == 0 || data > len || size > len - data || name[namesize - 1] != '\0')
			break;
		if (strcmp(name, NEWC_TRAILER) == 0) {
			*bad = -1;
			return n;
		}
		if (!fn(&(struct cpio_entry){ name, mode, ino, (const uint8_t *)base + data, size },
			arg))
			break;
		n++;
		off = ALIGN_UP(data + size, 4);
	}
	*bad = MIN(off, len);
	return n;
}

int initrd_parse(const void *start, const void *end)
{
	long bad;
	int n = cpio_parse(start, end, add_entry, NULL, &bad);

	if (bad >= 0)
		printk("initrd: malformed archive at offset %ld; using the %d entries before it\n",
		       bad, n);
	return n;
}

const struct initrd_entry *initrd_find(const char *path)
{
	struct initrd_entry *e;

	list_for_each_entry(e, &entries, node)
		if (strcmp(e->path, path) == 0)
			return e;
	return NULL;
}

static void entry_stat(const struct initrd_entry *e, struct stat *st)
{
	*st = (struct stat){
		.st_dev = 1, .st_ino = e->ino, .st_nlink = 1, .st_mode = e->mode,
		.st_size = e->size, .st_blksize = PAGE_SIZE,
		.st_blocks = ALIGN_UP(e->size, 512) / 512,
	};
}

int initrd_stat(const char *path, struct stat *st)
{
	const struct initrd_entry *e = initrd_find(path);

	if (!e)
		return -ENOENT;
	entry_stat(e, st);
	return 0;
}

static long file_read(struct file *f, char *ubuf, size_t n)
{
	const struct initrd_entry *e = f->private;
	long done;

	spin_lock(&f->lock);
	done = f->pos >= (int64_t)e->size ? 0 : MIN(n, e->size - f->pos);
	if (done && copy_to_user(ubuf, e->data + f->pos, done))
		done = -EFAULT;
	else
		f->pos += done;
	spin_unlock(&f->lock);
	return done;
}

static void file_stat(struct file *f, struct stat *st)
{
	entry_stat(f->private, st);
}

/* Is e directly inside directory dir? */
static bool is_child(const struct initrd_entry *e, const char *dir)
{
	size_t len = strlen(dir);
	const char *rest;

	if (strcmp(e->path, "/") == 0 || strncmp(e->path, dir, len) != 0)
		return false;
	rest = e->path + len;
	if (len > 1) {
		if (*rest != '/')
			return false;
		rest++;
	}
	return *rest && !strchr(rest, '/');
}

/* Positions: 0 is ".", 1 is "..", 2 + k the k-th child. */
static long dir_getdents(struct file *f, char *ubuf, size_t n)
{
	const struct initrd_entry *dir = f->private, *e;
	size_t used = 0;
	int64_t pos = 2;
	int err = 0;

	spin_lock(&f->lock);
	if (f->pos == 0 && dirent_put(ubuf, n, &used, ".", dir->ino, S_IFDIR, 1, &err))
		f->pos = 1;
	if (f->pos == 1 && dirent_put(ubuf, n, &used, "..", dir->ino, S_IFDIR, 2, &err))
		f->pos = 2;
	list_for_each_entry(e, &entries, node) {
		if (f->pos < 2 || !is_child(e, dir->path))
			continue;
		if (pos++ < f->pos)
			continue;
		if (!dirent_put(ubuf, n, &used, strrchr(e->path, '/') + 1, e->ino, e->mode,
				pos, &err))
			break;
		f->pos = pos;
	}
	spin_unlock(&f->lock);
	if (err)
		return err;
	return used == 0 && n > 0 && pos > f->pos ? -EINVAL : (long)used;
}

static const struct file_ops initrd_file_ops = {
	.read = file_read, .stat = file_stat, .seekable = true,
};

static int dir_path(struct file *f, char *buf, size_t size)
{
	const struct initrd_entry *e = f->private;

	return strlcpy(buf, e->path, size) < size ? 0 : -ENAMETOOLONG;
}

static const struct file_ops initrd_dir_ops = {
	.getdents = dir_getdents, .stat = file_stat, .seekable = true, .dir_path = dir_path,
};

int initrd_open(const char *path, int flags, struct file **out)
{
	const struct initrd_entry *e = initrd_find(path);
	bool is_dir;

	if (!e)
		return (flags & O_CREAT) ? -EROFS : -ENOENT;
	is_dir = (e->mode & S_IFMT) == S_IFDIR;
	if ((flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC))
		return is_dir ? -EISDIR : -EROFS;
	if ((flags & O_DIRECTORY) && !is_dir)
		return -ENOTDIR;
	*out = file_alloc(is_dir ? &initrd_dir_ops : &initrd_file_ops, flags, (void *)e);
	return *out ? 0 : -ENOMEM;
}
