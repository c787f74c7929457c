/* The initramfs: the cpio "newc" archive GRUB loads, unpacked into the root file system. */
#include "kernel.h"
#include "fs/initramfs.h"
#include "uapi/errno.h"
#include "fs/ramfs.h"
#include "arch/x86/memlayout.h"
#include "mm/mm.h"

#define NEWC_MAGIC    "070701"
#define NEWC_HDR_LEN  110
#define NEWC_TRAILER  "TRAILER!!!"

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

/* Put member c into the root file system, at its path from the archive's
 * top ("./bin/sh" -> "/bin/sh", "." -> "/"). */
static bool add_entry(const struct cpio_entry *c, void *arg)
{
	char path[256] = "/";
	int err = path_append(path, sizeof(path), c->name, 0);

	if (!err)
		err = ramfs_unpack(path, c->mode, c->data, c->size);
	if (err)
		printk("initrd: %s: error %d\n", c->name, err);
	return !err;
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
