/*
 * Physical page frames. Each 4 KiB frame of RAM has a struct page holding
 * its reference count: 1 for a page with a single owner, more when several
 * page tables map it (copy-on-write after fork), 0 when free. Pages are
 * handed out as kernel virtual addresses in the direct map; V2P gives the
 * physical address a page-table entry needs.
 */
#ifndef PMM_H
#define PMM_H
#include <stdint.h>
#include <stdbool.h>

void pmm_init(void);
/* page_alloc is only for a caller that overwrites the whole page (a COW
 * copy): a frame may still hold an exited program's code, which makes every
 * store into it slow under QEMU until all of it is written (see kstack_alloc).
 * Everyone else takes page_zalloc. */
void *page_alloc(void);         /* refcount 1, contents undefined; NULL if none */
void *page_zalloc(void);        /* the same, zero-filled */
void page_get(void *kva);       /* one more reference */
void page_put(void *kva);       /* one fewer; the last one frees the frame */
/* page_put of a page the caller knows to hold only zeros (an emptied page
 * table): page_zalloc hands such frames out first, without clearing them
 * again. A page table is built up from zeros at fork and cleared entry by
 * entry as exit drops what it maps, so the next fork's tables cost no
 * 512-entry memset. (Such a frame was written whole when it was first
 * cleared, so QEMU keeps no translated code of it: see page_alloc.) */
void page_put_zeroed(void *kva);
/* Frames freed by many puts, given back with one round-trip of the free
 * lists' lock (exit frees a whole page table's worth): page_put_batched
 * (zeroed: as page_put_zeroed) adds a frame whose last reference went, and
 * page_batch_free, before the caller returns, gives them all back. */
struct page_batch {
	struct page *other, *zeroed;    /* chains of frames, through their next */
	int n;
};
void page_put_batched(struct page_batch *b, void *kva, bool zeroed);
void page_batch_free(struct page_batch *b);
/* One fewer unless the caller holds the last reference: true if it dropped
 * one, false (and nothing changed) if the caller is the frame's last user.
 * For frames whose last user has work to do before freeing (fork=odf's
 * shared page tables). */
bool page_put_unless_last(void *kva);
int page_refcount(const void *kva);
/* A word of the frame's owner, while it is allocated (Linux's
 * page_private); 0 from page_alloc. */
unsigned long page_private(const void *kva);
void set_page_private(void *kva, unsigned long value);
uint64_t pages_free(void);
uint64_t pages_free_zeroed(void);       /* of which page_put_zeroed's (a count: slow) */
uint64_t pages_total(void);     /* frames the allocator manages */
uint64_t ram_top(void);         /* first physical address above all RAM */

#endif
