/*
 * Address spaces' regions (vmas) and the system calls that change them:
 * brk, mmap, munmap, mprotect, madvise (Linux's mm/mmap.c and mm/mprotect.c).
 */
#include "kernel.h"
#include "mm/mm.h"
#include "mm/internal.h"
#include "uapi/errno.h"
#include "mm/slab.h"
#include "arch/x86/memlayout.h"
#include "mm/page_alloc.h"
#include "task.h"
#include "uapi/uapi.h"

/* Linux's vma_lookup; its find_vma (the first region ending above addr)
 * tasklab has no use for. */
struct vma *vma_lookup(struct mm *mm, uintptr_t addr)
{
	struct vma *v;

	list_for_each_entry(v, &mm->vmas, node)
		if (addr >= v->start && addr < v->end)
			return v;
	return NULL;
}

bool range_is_free(struct mm *mm, uintptr_t start, uintptr_t end)
{
	struct vma *v;

	list_for_each_entry(v, &mm->vmas, node)
		if (v->start < end && start < v->end)
			return false;
	return true;
}

/* The region starting below addr that is the last to, or the list's head
 * if none does: searched from the top, so that fork and exec, which add
 * regions in address order, find it in one step. */
static struct list_head *last_region_below(struct mm *mm, uintptr_t addr)
{
	struct list_head *pos;

	for (pos = mm->vmas.prev; pos != &mm->vmas; pos = pos->prev)
		if (list_entry(pos, struct vma, node)->start < addr)
			break;
	return pos;
}

struct vma *vma_add(struct mm *mm, uintptr_t start, uintptr_t end, unsigned flags,
		    const char *name)
{
	struct list_head *prev = last_region_below(mm, start), *next = prev->next;
	struct vma *v;

	/* Regions never overlap: fork copies each page once per region. In a
	 * sorted list only the neighbours could. */
	if (start >= end ||
	    (prev != &mm->vmas && list_entry(prev, struct vma, node)->end > start) ||
	    (next != &mm->vmas && list_entry(next, struct vma, node)->start < end) ||
	    !(v = kmalloc(sizeof(*v))))
		return NULL;
	*v = (struct vma){ .start = start, .end = end, .flags = flags, .name = name };
	list_add(&v->node, prev);       /* after prev: sorted */
	return v;
}

/* May a and b, a ending where b starts, be one region? As Linux's
 * vma_merge: the same flags and name; not shared memory (each MAP_SHARED
 * mapping is an object of its own) and not the stack. */
static bool can_merge(const struct vma *a, const struct vma *b)
{
	return a->end == b->start && a->flags == b->flags && a->name == b->name &&
	       !(a->flags & (VM_SHARED | VM_GROWSDOWN));
}

/* Join the regions that touch [start, end) with their neighbours where
 * they can be one: mmap and mprotect would otherwise leave a region per
 * call, and /proc/PID/maps and fork walk every one. */
static void merge_range(struct mm *mm, uintptr_t start, uintptr_t end)
{
	struct vma *v, *next;

	list_for_each_entry_safe(v, next, &mm->vmas, node) {
		if (&next->node == &mm->vmas || next->start > end)
			break;
		if (v->end < start || !can_merge(v, next))
			continue;
		next->start = v->start;         /* next absorbs v */
		list_del(&v->node);
		kfree(v);
	}
}

/* Cut v in two at addr (inside it); returns the upper part, or NULL. */
static struct vma *split_vma(struct mm *mm, struct vma *v, uintptr_t addr)
{
	uintptr_t end = v->end;
	struct vma *upper;

	v->end = addr;
	upper = vma_add(mm, addr, end, v->flags, v->name);
	if (!upper)
		v->end = end;
	return upper;
}

/* Make [start, end) the exact bounds of regions; -ENOMEM if out of memory. */
static int split_at_bounds(struct mm *mm, uintptr_t start, uintptr_t end)
{
	struct vma *v;

	if ((v = vma_lookup(mm, start)) && v->start < start && !split_vma(mm, v, start))
		return -ENOMEM;
	if ((v = vma_lookup(mm, end)) && v->start < end && !split_vma(mm, v, end))
		return -ENOMEM;
	return 0;
}

/* Remove every region (and page) in [start, end). Under mm->lock. */
int do_munmap(struct mm *mm, uintptr_t start, uintptr_t end)
{
	struct vma *v, *n;
	int err = split_at_bounds(mm, start, end);

	assert_held(&mm->lock);
	if (!err)
		err = unshare_pte_tables(mm, start, end);
	if (err)
		return err;
	list_for_each_entry_safe(v, n, &mm->vmas, node) {
		if (v->start >= start && v->end <= end) {
			unmap_pages(mm, v->start, v->end);
			list_del(&v->node);
			kfree(v);
		}
	}
	return 0;
}

/* ---- the system calls ---- */

static unsigned prot_to_vm(int prot)
{
	return (prot & PROT_READ ? VM_READ : 0) | (prot & PROT_WRITE ? VM_WRITE : 0) |
	       (prot & PROT_EXEC ? VM_EXEC : 0);
}

/*
 * brk: the heap is [start_brk, brk). Growing extends the heap region (or
 * adds one) over free addresses only; shrinking unmaps. The program may
 * have unmapped or remapped parts of its heap meanwhile, so the region is
 * found by where it ends, never assumed.
 */
long sys_brk(uintptr_t addr)
{
	struct mm *mm = current->mm;
	uintptr_t old_end, new_end;
	struct vma *heap;

	spin_lock(&mm->lock);
	if (addr < mm->start_brk || addr >= USER_MMAP_TOP)
		goto out;                       /* Linux: brk(0) etc. just report */
	old_end = ALIGN_UP(mm->brk, PAGE_SIZE);
	new_end = ALIGN_UP(addr, PAGE_SIZE);
	if (new_end > old_end) {
		heap = old_end > mm->start_brk ? vma_lookup(mm, old_end - 1) : NULL;
		if (!range_is_free(mm, old_end, new_end))
			goto out;
		if (heap && heap->end == old_end && heap->start >= mm->start_brk &&
		    heap->flags == (VM_READ | VM_WRITE))
			heap->end = new_end;
		else if (!vma_add(mm, old_end, new_end, VM_READ | VM_WRITE, "[heap]"))
			goto out;
	} else if (new_end < old_end) {
		/* as Linux: no shrinking over a heap the program unmapped itself */
		if (range_is_free(mm, new_end, old_end) || do_munmap(mm, new_end, old_end) < 0)
			goto out;
	}
	mm->brk = addr;
out:
	addr = mm->brk;
	spin_unlock(&mm->lock);
	return addr;
}

/* Highest free gap of len bytes below USER_MMAP_TOP, or 0. */
static uintptr_t find_free_area(struct mm *mm, size_t len)
{
	uintptr_t top = USER_MMAP_TOP;
	struct vma *v;

	for (struct list_head *p = mm->vmas.prev; p != &mm->vmas; p = p->prev) {
		v = list_entry(p, struct vma, node);
		if (v->start >= top)
			continue;
		if (v->end + len <= top)
			break;
		top = v->start;
	}
	return top >= USER_MIN_ADDR + len ? top - len : 0;
}

/*
 * Give shared memory its pages now. Private memory gets a page on first
 * touch, but a shared page must be the same page in every process that
 * inherits the mapping, touched before the fork or not. Returns the
 * region's address, or -ENOMEM with the region removed.
 */
static long populate(struct mm *mm, struct vma *v)
{
	if (unshare_pte_tables(mm, v->start, v->end) < 0) {
		do_munmap(mm, v->start, v->end);
		return -ENOMEM;
	}
	for (uintptr_t va = v->start; va < v->end; va += PAGE_SIZE) {
		pte_t *pte = walk(mm->pgd, va, true);
		void *page = pte ? page_zalloc() : NULL;
		if (!page) {
			do_munmap(mm, v->start, v->end);
			return -ENOMEM;
		}
		*pte = vma_make_pte(V2P(page), v->flags);
	}
	return v->start;
}

long sys_mmap(uintptr_t addr, size_t len, int prot, int flags, int fd, long off)
{
	struct mm *mm = current->mm;
	int type = flags & (MAP_SHARED | MAP_PRIVATE);
	bool fixed = flags & (MAP_FIXED | MAP_FIXED_NOREPLACE);
	unsigned vmflags = prot_to_vm(prot);
	struct vma *v;
	long ret;

	if (len == 0 || (addr & (PAGE_SIZE - 1)) || (off & (PAGE_SIZE - 1)) ||
	    (type != MAP_SHARED && type != MAP_PRIVATE) || len > USER_MMAP_TOP)
		return -EINVAL;
	if (!(flags & MAP_ANONYMOUS))
		return fd < 0 ? -EBADF : -ENODEV;   /* no file mappings (yet) */
	len = ALIGN_UP(len, PAGE_SIZE);
	if (type == MAP_SHARED)
		vmflags |= VM_SHARED;
	if (fixed && (addr < USER_MIN_ADDR || addr + len > USER_TOP || addr + len < addr))
		return -EINVAL;

	spin_lock(&mm->lock);
	if (fixed && !range_is_free(mm, addr, addr + len)) {
		ret = (flags & MAP_FIXED_NOREPLACE) ? -EEXIST : do_munmap(mm, addr, addr + len);
		if (ret)
			goto out;
	}
	if (!fixed && !(addr >= USER_MIN_ADDR && addr < USER_MMAP_TOP && addr + len > addr &&
			addr + len <= USER_MMAP_TOP && range_is_free(mm, addr, addr + len)))
		addr = find_free_area(mm, len);     /* the hint is only a hint */
	ret = -ENOMEM;
	if (addr && (v = vma_add(mm, addr, addr + len, vmflags, NULL)))
		ret = (vmflags & VM_SHARED) ? populate(mm, v) : (long)addr;
	if (ret > 0)
		merge_range(mm, addr, addr + len);
out:
	spin_unlock(&mm->lock);
	return ret;
}

long sys_munmap(uintptr_t addr, size_t len)
{
	struct mm *mm = current->mm;
	long ret;

	if ((addr & (PAGE_SIZE - 1)) || len == 0 || addr + len < addr || addr + len > USER_TOP)
		return -EINVAL;
	spin_lock(&mm->lock);
	ret = do_munmap(mm, addr, addr + ALIGN_UP(len, PAGE_SIZE));
	spin_unlock(&mm->lock);
	return ret;
}

/* Where the regions from start on, with no hole, stop covering [start,
 * end): end if nothing is missing, start if start itself is unmapped. */
static uintptr_t mapped_until(struct mm *mm, uintptr_t start, uintptr_t end)
{
	struct vma *v;

	list_for_each_entry(v, &mm->vmas, node) {
		if (v->end <= start)
			continue;
		if (v->start > start)
			break;          /* a hole at start */
		start = v->end;
		if (start >= end)
			return end;
	}
	return start;
}

static bool range_is_mapped(struct mm *mm, uintptr_t start, uintptr_t end)
{
	return mapped_until(mm, start, end) == end;
}

/* New flags (*vm_flags) for a page's entry; a page still shared
 * copy-on-write stays read-only until the write fault copies it. */
static void change_pte_prot(pte_t *pte, void *vm_flags)
{
	pte_t old = *pte;

	*pte = vma_make_pte(old & PTE_ADDR, *(unsigned *)vm_flags) |
	       (old & (PTE_COW | PTE_A | PTE_D));
	if (*pte & PTE_COW)
		*pte &= ~PTE_W;
}

/* Is a region of [start, end) the kernel's own (the vDSO)? */
static bool range_has_special(struct mm *mm, uintptr_t start, uintptr_t end)
{
	struct vma *v;

	list_for_each_entry(v, &mm->vmas, node)
		if ((v->flags & VM_SPECIAL) && v->start < end && start < v->end)
			return true;
	return false;
}

/*
 * Give [start, end) the protection vm_prot, region by region from start,
 * as Linux does: a hole stops it with -ENOMEM, the regions before the hole
 * changed all the same. The vDSO's pages, shared by every process, never
 * become writable: -EACCES, as Linux says for [vvar]. Under mm->lock.
 */
static int mprotect_range(struct mm *mm, uintptr_t start, uintptr_t end, unsigned vm_prot)
{
	uintptr_t stop = mapped_until(mm, start, end);
	struct vma *v;

	if ((vm_prot & VM_WRITE) && range_has_special(mm, start, stop))
		return -EACCES;
	if (stop > start && (split_at_bounds(mm, start, stop) ||
			     unshare_pte_tables(mm, start, stop)))
		return -ENOMEM;
	list_for_each_entry(v, &mm->vmas, node) {
		if (v->start < start || v->end > stop)
			continue;
		v->flags = (v->flags & (VM_SHARED | VM_GROWSDOWN | VM_SPECIAL)) | vm_prot;
		walk_range(mm->pgd, v->start, v->end,
			   &(struct pt_walk_ops){ .pte = change_pte_prot }, &v->flags);
	}
	flush_tlb_range(mm, start, stop, false);
	merge_range(mm, start, stop);
	return stop < end ? -ENOMEM : 0;
}

long sys_mprotect(uintptr_t addr, size_t len, int prot)
{
	struct mm *mm = current->mm;
	uintptr_t end = addr + ALIGN_UP(len, PAGE_SIZE);
	long ret;

	if ((addr & (PAGE_SIZE - 1)) || (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC)))
		return -EINVAL;
	if (len > USER_TOP || end < addr || end > USER_TOP)
		return -ENOMEM;         /* as Linux: outside the address space */
	if (!len)
		return 0;
	spin_lock(&mm->lock);
	ret = mprotect_range(mm, addr, end, prot_to_vm(prot));
	spin_unlock(&mm->lock);
	return ret;
}

/* madvise: advice may be ignored, except "I no longer need these pages"
 * (musl's malloc says it for freed memory): they are dropped, and read
 * back as zeros. Shared memory and the vDSO keep their pages. */
long sys_madvise(uintptr_t addr, size_t len, int advice)
{
	struct mm *mm = current->mm;
	uintptr_t end = addr + ALIGN_UP(len, PAGE_SIZE);
	struct vma *v;
	long ret = 0;

	if ((addr & (PAGE_SIZE - 1)) || len > USER_TOP || end < addr || end > USER_TOP)
		return -EINVAL;
	if (advice != MADV_DONTNEED && advice != MADV_FREE)
		return 0;
	spin_lock(&mm->lock);
	if (!range_is_mapped(mm, addr, end) || unshare_pte_tables(mm, addr, end))
		ret = -ENOMEM;
	list_for_each_entry(v, &mm->vmas, node)
		if (!ret && !(v->flags & (VM_SHARED | VM_SPECIAL)) && v->start < end && addr < v->end)
			unmap_pages(mm, MAX(v->start, addr), MIN(v->end, end));
	spin_unlock(&mm->lock);
	return ret;
}
