/*
 * The bytes of the root file system's regular files (see ramfs.h; names,
 * directories and open files are ramfs.c's): page frames found through an
 * index of pages, as a page table's; reads, writes, truncation, and
 * tmpfs's limit of half the RAM for them all (-ENOSPC past it). All but
 * ramfs_pages run under ramfs.c's ramfs_lock.
 *
 * A file unpacked from the initramfs keeps pointing at its bytes in the
 * archive until it is first written or truncated: the archive's memory is
 * never given back to the frame allocator anyway, so the copy would only
 * cost boot time and frames. Its first change copies it into frames.
 */
#include "kernel.h"
#include "fs/ramfs_internal.h"
#include "uapi/errno.h"
#include "mm/mm.h"
#include "mm/page_alloc.h"
#include "arch/x86/memlayout.h"

#define PTRS_PER_PAGE   (PAGE_SIZE / sizeof(void *))
#define MAX_FILE_PAGES  (PTRS_PER_PAGE * PTRS_PER_PAGE)    /* 1 GiB */

static uint64_t data_pages;     /* frames holding file bytes, all files */
static const uint8_t zeros[PAGE_SIZE];  /* what a hole reads as */

/* Where page idx of the file's frames is recorded; with alloc, the index
 * pages on the way are made. NULL: none (or no memory for one). */
static void **page_slot(struct inode *i, uint64_t idx, bool alloc)
{
	void ***leaf;

	if (idx >= MAX_FILE_PAGES)
		return NULL;
	if (!i->pages && (!alloc || !(i->pages = page_zalloc())))
		return NULL;
	leaf = &i->pages[idx / PTRS_PER_PAGE];
	if (!*leaf && (!alloc || !(*leaf = page_zalloc())))
		return NULL;
	return &(*leaf)[idx % PTRS_PER_PAGE];
}

static void *page_of(struct inode *i, uint64_t idx)
{
	void **slot = page_slot(i, idx, false);

	return slot ? *slot : NULL;
}

/* A frame for file bytes, within tmpfs's default limit: half the RAM. */
static void *data_page_alloc(void)
{
	void *p = data_pages < pages_total() / 2 ? page_zalloc() : NULL;

	if (p)
		data_pages++;
	return p;
}

/* Give back the frames of pages first.. on, and the index pages left empty. */
void free_pages_from(struct inode *i, uint64_t first)
{
	if (!i->pages)
		return;
	for (uint64_t l = first / PTRS_PER_PAGE; l < PTRS_PER_PAGE; l++) {
		void **leaf = i->pages[l];
		uint64_t from = l == first / PTRS_PER_PAGE ? first % PTRS_PER_PAGE : 0;

		if (!leaf)
			continue;
		for (uint64_t k = from; k < PTRS_PER_PAGE; k++) {
			if (leaf[k]) {
				page_put(leaf[k]);
				leaf[k] = NULL;
				i->nr_pages--;
				data_pages--;
			}
		}
		if (from == 0) {
			page_put(leaf);
			i->pages[l] = NULL;
		}
	}
	if (first == 0) {
		page_put(i->pages);
		i->pages = NULL;
	}
}

/* The first change to a file still in the initramfs: copy it to frames.
 * Out of memory, it stays as it was. */
static int materialize(struct inode *i)
{
	if (!i->initrd_data)
		return 0;
	for (int64_t off = 0; off < i->size; off += PAGE_SIZE) {
		void **slot = page_slot(i, off / PAGE_SIZE, true);
		if (!slot || !(*slot = data_page_alloc())) {
			free_pages_from(i, 0);
			return -ENOSPC;
		}
		i->nr_pages++;
		memcpy(*slot, i->initrd_data + off, MIN(PAGE_SIZE, (uint64_t)(i->size - off)));
	}
	i->initrd_data = NULL;
	return 0;
}

int truncate_inode(struct inode *i, int64_t len)
{
	int err;

	if (len < 0)
		return -EINVAL;
	if ((uint64_t)len > MAX_FILE_PAGES * PAGE_SIZE)
		return -EFBIG;
	if (len == 0)
		i->initrd_data = NULL;      /* nothing of it to keep */
	if ((err = materialize(i)))
		return err;
	if (len < i->size) {
		void *last = page_of(i, len / PAGE_SIZE);
		free_pages_from(i, ALIGN_UP(len, PAGE_SIZE) / PAGE_SIZE);
		/* a later extension must read zeros past len, not the old bytes */
		if (last && len % PAGE_SIZE)
			memset((char *)last + len % PAGE_SIZE, 0, PAGE_SIZE - len % PAGE_SIZE);
	}
	i->size = len;
	i->mtime = i->ctime = now();
	return 0;
}

/* Read [pos, pos + n) of the file, to user or kernel memory. */
long inode_read(struct inode *i, char *dst, size_t n, int64_t pos, bool user)
{
	size_t done = 0;

	if (pos >= i->size)
		return 0;
	n = MIN(n, (uint64_t)(i->size - pos));
	while (done < n) {
		int64_t at = pos + done;
		size_t chunk = MIN(n - done, (size_t)(PAGE_SIZE - at % PAGE_SIZE));
		const uint8_t *page = i->initrd_data ? i->initrd_data + ALIGN_DOWN(at, PAGE_SIZE) :
				      page_of(i, at / PAGE_SIZE);
		const uint8_t *src = (page ? page : zeros) + at % PAGE_SIZE;

		if (!user)
			memcpy(dst + done, src, chunk);
		else if (copy_to_user(dst + done, src, chunk))
			return done ? (long)done : -EFAULT;
		done += chunk;
	}
	if (i->atime <= i->mtime)   /* relatime, as Linux's default */
		i->atime = now();
	return done;
}

/* Write user bytes at pos. A frame that cannot be had ends the write:
 * what came before it is kept, and if nothing did, -ENOSPC. */
long inode_write(struct inode *i, const char *ubuf, size_t n, int64_t pos)
{
	uint64_t limit = MAX_FILE_PAGES * PAGE_SIZE;
	size_t done = 0;
	long err = 0;

	if ((uint64_t)pos >= limit)
		return -EFBIG;
	if ((err = materialize(i)))
		return err;
	n = MIN(n, limit - pos);
	while (done < n) {
		int64_t at = pos + done;
		size_t chunk = MIN(n - done, (size_t)(PAGE_SIZE - at % PAGE_SIZE));
		void **slot = page_slot(i, at / PAGE_SIZE, true);

		if (slot && !*slot && (*slot = data_page_alloc()))
			i->nr_pages++;
		if (!slot || !*slot) {
			err = -ENOSPC;
			break;
		}
		if (copy_from_user((char *)*slot + at % PAGE_SIZE, ubuf + done, chunk)) {
			err = -EFAULT;
			break;
		}
		done += chunk;
	}
	if (done) {
		i->size = MAX(i->size, pos + (int64_t)done);
		i->mtime = i->ctime = now();
	}
	return done ? (long)done : err;
}

uint64_t ramfs_pages(void)
{
	return __atomic_load_n(&data_pages, __ATOMIC_RELAXED);
}
