/*
 * Address spaces: struct mm, its regions, page faults, fork's copy of the
 * page table, and safe access to user memory.
 */
#include "kernel.h"
#include "mm/mm.h"
#include "arch/x86/cpu.h"
#include "uapi/errno.h"
#include "mm/slab.h"
#include "arch/x86/memlayout.h"
#include "param.h"
#include "mm/page_alloc.h"
#include "task.h"
#include "arch/x86/trap.h"
#include "uapi/uapi.h"
#include "arch/x86/x86.h"

enum fork_mode fork_mode = FORK_COW;
static int last_mm_id;          /* atomic */

/* fork=copy: fork copies every private page at once, so the cost of the
 * copy can be measured beside copy-on-write (fork=cow, the default). */
static void fork_param(const char *value)
{
	if (strcmp(value, "copy") == 0)
		fork_mode = FORK_COPY;
	else if (strcmp(value, "cow") == 0)
		fork_mode = FORK_COW;
	else
		printk("cmdline: fork=%s: expected fork=cow or fork=copy\n", value);
}
KERNEL_PARAM("fork", fork_param);

struct mm *mm_alloc(void)
{
	struct mm *mm = kzalloc(sizeof(*mm));

	if (!mm)
		return NULL;
	mm->pgd = page_zalloc();
	if (!mm->pgd) {
		kfree(mm);
		return NULL;
	}
	/* The kernel half is the same in every address space. */
	memcpy(mm->pgd + 256, kernel_pgd() + 256, 256 * sizeof(pte_t));
	list_init(&mm->vmas);
	mm->id = __atomic_add_fetch(&last_mm_id, 1, __ATOMIC_RELAXED);
	mm->users = 1;
	mm->lock = (struct spinlock)SPINLOCK_INIT("mm");
	return mm;
}

void mmget(struct mm *mm)
{
	__atomic_add_fetch(&mm->users, 1, __ATOMIC_RELAXED);
}

/* Free a table at `level` and everything below it: the user pages it maps
 * (one reference each) and the lower tables. The PGD (level 3) itself is
 * kept: only its user half is walked. */
static void free_table(pte_t *table, int level)
{
	int n = level == 3 ? 256 : 512;

	for (int i = 0; i < n; i++) {
		pte_t e = table[i];
		if (level == 0) {
			if (pte_has_page(e))
				page_put(P2V(e & PTE_ADDR));
		} else if (e & PTE_P) {
			free_table(P2V(e & PTE_ADDR), level - 1);
		}
	}
	if (level < 3)
		page_put(table);
}

void mmput(struct mm *mm)
{
	struct vma *v, *n;

	if (__atomic_sub_fetch(&mm->users, 1, __ATOMIC_ACQ_REL) > 0)
		return;
	/* Never free the page table the CPU is using. */
	if (this_cpu()->active_mm == mm) {
		write_cr3(V2P(kernel_pgd()));
		this_cpu()->active_mm = NULL;
	}
	free_table(mm->pgd, 3);
	page_put(mm->pgd);
	list_for_each_entry_safe(v, n, &mm->vmas, node)
		kfree(v);
	kfree(mm);
}

/* Forget the TLB's copies of [start, end) if this CPU may hold any. (With
 * more CPUs, every CPU using mm would be asked to do the same.) */
static void flush_tlb_range(struct mm *mm, uintptr_t start, uintptr_t end)
{
	if (this_cpu()->active_mm != mm)
		return;
	if ((end - start) / PAGE_SIZE > 32) {
		write_cr3(read_cr3());          /* cheaper than many invlpg */
		return;
	}
	for (uintptr_t va = start; va < end; va += PAGE_SIZE)
		flush_tlb_page(va);
}

/* The leaf entry for a page with vma flags `flags` at physical pa. */
pte_t vma_make_pte(uintptr_t pa, unsigned flags)
{
	pte_t pte = pa | (flags & VM_SHARED ? PTE_SHARED : 0);

	if (!(flags & (VM_READ | VM_WRITE | VM_EXEC)))
		return pte | PTE_PROTNONE;      /* no access: kept, not present */
	pte |= PTE_P | PTE_U;
	if (flags & VM_WRITE)
		pte |= PTE_W;
	if (!(flags & VM_EXEC))
		pte |= vm_nx();
	return pte;
}

/* ---- regions ---- */

struct vma *find_vma(struct mm *mm, uintptr_t addr)
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

struct vma *vma_add(struct mm *mm, uintptr_t start, uintptr_t end, unsigned flags,
		    const char *name)
{
	struct vma *v, *pos;

	/* Regions never overlap: fork copies each page once per region. */
	if (start >= end || !range_is_free(mm, start, end) || !(v = kmalloc(sizeof(*v))))
		return NULL;
	*v = (struct vma){ .start = start, .end = end, .flags = flags, .name = name };
	list_for_each_entry(pos, &mm->vmas, node)
		if (pos->start > start)
			break;
	list_add_tail(&v->node, &pos->node);    /* before pos: sorted */
	return v;
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

	if ((v = find_vma(mm, start)) && v->start < start && !split_vma(mm, v, start))
		return -ENOMEM;
	if ((v = find_vma(mm, end)) && v->start < end && !split_vma(mm, v, end))
		return -ENOMEM;
	return 0;
}

static bool table_empty(const pte_t *table)
{
	for (int i = 0; i < 512; i++)
		if (table[i])
			return false;
	return true;
}

/* Give back the page tables below `table` (at `level`) that cover part of
 * [start, end) and map nothing any more. */
static void free_empty_tables(pte_t *table, int level, uintptr_t start, uintptr_t end)
{
	uintptr_t span = 1ULL << (PAGE_SHIFT + 9 * level);

	for (uintptr_t va = start, next; va < end; va = next) {
		pte_t *e = &table[PTE_INDEX(va, level)];
		next = MIN(ALIGN_DOWN(va, span) + span, end);
		if (level == 0 || !(*e & PTE_P))
			continue;
		pte_t *lower = P2V(*e & PTE_ADDR);
		free_empty_tables(lower, level - 1, va, next);
		if (table_empty(lower)) {
			*e = 0;
			page_put(lower);
		}
	}
}

/*
 * Call fn on every leaf entry in [start, end) below `table` that holds a
 * page, descending only into the tables that are present: the cost is
 * what is mapped there, however large the range (a region may span
 * terabytes of which a few pages are used).
 */
static void for_each_pte(pte_t *table, int level, uintptr_t start, uintptr_t end,
			 void (*fn)(pte_t *pte, void *arg), void *arg)
{
	uintptr_t span = 1ULL << (PAGE_SHIFT + 9 * level);

	for (uintptr_t va = start, next; va < end; va = next) {
		pte_t *e = &table[PTE_INDEX(va, level)];
		next = MIN(ALIGN_DOWN(va, span) + span, end);
		if (level == 0 && pte_has_page(*e))
			fn(e, arg);
		else if (level > 0 && (*e & PTE_P))
			for_each_pte(P2V(*e & PTE_ADDR), level - 1, va, next, fn, arg);
	}
}

static void count_page(pte_t *pte, void *count)
{
	(*(uint64_t *)count)++;
}

uint64_t mm_resident_pages(struct mm *mm)
{
	uint64_t n = 0;

	for_each_pte(mm->pgd, 3, 0, USER_TOP, count_page, &n);
	return n;
}

static void drop_page(pte_t *pte, void *unused)
{
	page_put(P2V(*pte & PTE_ADDR));
	*pte = 0;
}

/* Drop the pages mapped in [start, end), and the page tables left empty;
 * regions are not touched. */
static void unmap_pages(struct mm *mm, uintptr_t start, uintptr_t end)
{
	for_each_pte(mm->pgd, 3, start, end, drop_page, NULL);
	free_empty_tables(mm->pgd, 3, start, end);
	flush_tlb_range(mm, start, end);
}

/* Remove every region (and page) in [start, end). Under mm->lock. */
static int unmap_region(struct mm *mm, uintptr_t start, uintptr_t end)
{
	struct vma *v, *n;
	int err = split_at_bounds(mm, start, end);

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

/* ---- fork ---- */

/*
 * Give the child's PTE (*dst) the page that the parent's PTE (*src) maps.
 * Shared memory (MAP_SHARED) is shared: one more reference to the same
 * frame. Private memory is either copied now (fork=copy), or shared
 * read-only in both with the COW bit set, each side copying it on its
 * first write (do_wp_page). Read-only pages get the COW bit too: an
 * mprotect may make them writable later, and the write must still copy.
 * Returns 0 or -ENOMEM.
 */
static int copy_one_pte(pte_t *dst, pte_t *src)
{
	void *page = P2V(*src & PTE_ADDR), *copy;

	if ((*src & PTE_SHARED) || fork_mode == FORK_COW) {
		if (!(*src & PTE_SHARED))
			*src = (*src & ~PTE_W) | PTE_COW;
		page_get(page);
		*dst = *src;
		return 0;
	}
	copy = page_alloc();
	if (!copy)
		return -ENOMEM;
	memcpy(copy, page, PAGE_SIZE);
	*dst = (*src & ~PTE_ADDR) | V2P(copy);
	return 0;
}

/*
 * Copy the entries of src's table at `level` that cover [start, end) into
 * dst's, descending the four levels and skipping what is not mapped.
 */
static int copy_table(pte_t *dst, pte_t *src, int level, uintptr_t start, uintptr_t end)
{
	uintptr_t span = 1ULL << (PAGE_SHIFT + 9 * level);     /* what one entry maps */

	for (uintptr_t va = start, next; va < end; va = next) {
		int i = PTE_INDEX(va, level);
		next = MIN(ALIGN_DOWN(va, span) + span, end);
		if (level == 0) {
			if (pte_has_page(src[i]) && copy_one_pte(&dst[i], &src[i]) < 0)
				return -ENOMEM;
			continue;
		}
		if (!(src[i] & PTE_P))
			continue;
		pte_t *d = pt_next_level(dst, va, level, true);
		if (!d || copy_table(d, P2V(src[i] & PTE_ADDR), level - 1, va, next) < 0)
			return -ENOMEM;
	}
	return 0;
}

/* fork: give dst the pages of src's region vma. 0 or -ENOMEM. */
noinline int copy_page_range(struct mm *dst, struct mm *src, struct vma *vma)
{
	return copy_table(dst->pgd, src->pgd, 3, vma->start, vma->end);
}

struct mm *dup_mm(struct mm *old)
{
	struct mm *mm = mm_alloc();
	struct vma *v;
	int err = 0;

	if (!mm)
		return NULL;
	spin_lock(&old->lock);
	mm->start_brk = old->start_brk;
	mm->brk = old->brk;
	list_for_each_entry(v, &old->vmas, node)
		if (!vma_add(mm, v->start, v->end, v->flags, v->name) ||
		    (err = copy_page_range(mm, old, v)) < 0)
			break;
	/* The parent's writable pages just became read-only (COW): forget
	 * the writable translations the TLB may hold. */
	flush_tlb_range(old, 0, USER_TOP);
	spin_unlock(&old->lock);
	if (err || &v->node != &old->vmas) {
		mmput(mm);          /* drops the references the copy took */
		return NULL;
	}
	return mm;
}

/* ---- page faults ---- */

/*
 * A write to a copy-on-write page. While another mm still maps the frame,
 * copy it and point this PTE at the private copy; once we are its only
 * user, the frame is simply ours again: make it writable. Either way the
 * stale read-only translation must leave the TLB. Under mm->lock.
 */
static noinline int do_wp_page(struct mm *mm, uintptr_t va, pte_t *pte)
{
	void *old = P2V(*pte & PTE_ADDR), *copy;

	if (page_refcount(old) == 1) {
		*pte = (*pte & ~PTE_COW) | PTE_W;
	} else {
		copy = page_alloc();
		if (!copy)
			return -ENOMEM;
		memcpy(copy, old, PAGE_SIZE);
		*pte = (*pte & ~(PTE_ADDR | PTE_COW)) | V2P(copy) | PTE_W;
		page_put(old);
	}
	flush_tlb_range(mm, va, va + PAGE_SIZE);
	return 0;
}

/*
 * Make the page at va present for the access asked (write: writable).
 * Returns its PTE, or NULL with *err = -EFAULT (the region does not allow
 * it) or -ENOMEM. Under mm->lock.
 */
/*
 * A fault below the stack region grows it down to the page, as Linux
 * does, up to USER_STACK_SIZE and never into another region. A small
 * stack region keeps fork's and exit's walks over it short. Returns the
 * stack region, or NULL when va is not the stack's to take.
 */
static struct vma *grow_stack(struct mm *mm, uintptr_t va)
{
	struct vma *v;

	list_for_each_entry(v, &mm->vmas, node) {
		if (!(v->flags & VM_GROWSDOWN) || va >= v->start)
			continue;
		if (v->end - va > USER_STACK_SIZE || !range_is_free(mm, va, v->start))
			return NULL;
		v->start = va;
		return v;
	}
	return NULL;
}

static pte_t *fault_in(struct mm *mm, uintptr_t va, bool write, bool exec, int *err)
{
	struct vma *v = find_vma(mm, va);
	pte_t *pte;
	void *page;

	if (!v)
		v = grow_stack(mm, va);

	*err = -EFAULT;
	if (!v || !(v->flags & (VM_READ | VM_WRITE | VM_EXEC)))
		return NULL;
	if ((write && !(v->flags & VM_WRITE)) || (exec && !(v->flags & VM_EXEC)))
		return NULL;
	*err = -ENOMEM;
	pte = walk(mm->pgd, va, true);
	if (!pte)
		return NULL;
	if (!(*pte & PTE_P)) {
		/* First touch: a zero-filled page, as anonymous memory must be. */
		page = page_zalloc();
		if (!page)
			return NULL;
		*pte = vma_make_pte(V2P(page), v->flags);
	}
	if (write && !(*pte & PTE_W)) {
		*err = (*pte & PTE_COW) ? do_wp_page(mm, va, pte) : -EFAULT;
		if (*err)
			return NULL;
	}
	return pte;
}

int handle_mm_fault(struct mm *mm, uintptr_t addr, uint64_t error)
{
	pte_t *pte;
	int err;

	if (addr >= USER_TOP)
		return -EFAULT;
	spin_lock(&mm->lock);
	pte = fault_in(mm, ALIGN_DOWN(addr, PAGE_SIZE), error & PF_WRITE, error & PF_FETCH, &err);
	spin_unlock(&mm->lock);
	return pte ? 0 : err;
}

/* ---- user memory access ---- */

/*
 * Copy n bytes between kernel memory kbuf and user address uaddr of mm,
 * page by page through the direct map, faulting pages in as the program
 * itself would. 0 or -EFAULT / -ENOMEM.
 */
static int user_copy(struct mm *mm, uintptr_t uaddr, void *kbuf, size_t n, bool to_user)
{
	int err = 0;

	if (uaddr + n < uaddr || uaddr + n > USER_TOP)
		return -EFAULT;
	spin_lock(&mm->lock);
	while (n > 0) {
		size_t off = uaddr & (PAGE_SIZE - 1), chunk = MIN(n, PAGE_SIZE - off);
		pte_t *pte = fault_in(mm, uaddr - off, to_user, false, &err);
		if (!pte)
			break;
		char *kva = (char *)P2V(*pte & PTE_ADDR) + off;
		if (to_user)
			memcpy(kva, kbuf, chunk);
		else
			memcpy(kbuf, kva, chunk);
		uaddr += chunk;
		kbuf = (char *)kbuf + chunk;
		n -= chunk;
		err = 0;
	}
	spin_unlock(&mm->lock);
	return err;
}

int copy_to_mm(struct mm *mm, uintptr_t dst, const void *src, size_t n)
{
	return user_copy(mm, dst, (void *)src, n, true);
}

int copy_from_mm(struct mm *mm, void *dst, uintptr_t src, size_t n)
{
	return user_copy(mm, src, dst, n, false);
}

int copy_to_user(void *dst, const void *src, size_t n)
{
	return copy_to_mm(current->mm, (uintptr_t)dst, src, n);
}

int copy_from_user(void *dst, const void *src, size_t n)
{
	return copy_from_mm(current->mm, dst, (uintptr_t)src, n);
}

long strncpy_from_user(char *dst, const char *src, size_t max)
{
	uintptr_t u = (uintptr_t)src;

	for (size_t i = 0; i < max; ) {
		/* copy up to the end of this page, then look for the NUL */
		size_t chunk = MIN(max - i, PAGE_SIZE - ((u + i) & (PAGE_SIZE - 1)));
		int err = copy_from_user(dst + i, (const char *)(u + i), chunk);
		if (err)
			return err;
		for (size_t k = 0; k < chunk; k++)
			if (dst[i + k] == '\0')
				return i + k;
		i += chunk;
	}
	return -ENAMETOOLONG;
}

uint64_t user_pfn(struct mm *mm, uintptr_t addr)
{
	pte_t pte;

	spin_lock(&mm->lock);
	pte = lookup_pte(mm->pgd, addr);
	spin_unlock(&mm->lock);
	return pte & PTE_P ? (pte & PTE_ADDR) >> PAGE_SHIFT : 0;
}

/* ---- system calls ---- */

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
		heap = old_end > mm->start_brk ? find_vma(mm, old_end - 1) : NULL;
		if (!range_is_free(mm, old_end, new_end))
			goto out;
		if (heap && heap->end == old_end && heap->start >= mm->start_brk &&
		    heap->flags == (VM_READ | VM_WRITE))
			heap->end = new_end;
		else if (!vma_add(mm, old_end, new_end, VM_READ | VM_WRITE, "[heap]"))
			goto out;
	} else if (new_end < old_end) {
		/* as Linux: no shrinking over a heap the program unmapped itself */
		if (range_is_free(mm, new_end, old_end) || unmap_region(mm, new_end, old_end) < 0)
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
	for (uintptr_t va = v->start; va < v->end; va += PAGE_SIZE) {
		pte_t *pte = walk(mm->pgd, va, true);
		void *page = pte ? page_zalloc() : NULL;
		if (!page) {
			unmap_region(mm, v->start, v->end);
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
		ret = (flags & MAP_FIXED_NOREPLACE) ? -EEXIST : unmap_region(mm, addr, addr + len);
		if (ret)
			goto out;
	}
	if (!fixed && !(addr >= USER_MIN_ADDR && addr < USER_MMAP_TOP && addr + len > addr &&
			addr + len <= USER_MMAP_TOP && range_is_free(mm, addr, addr + len)))
		addr = find_free_area(mm, len);     /* the hint is only a hint */
	ret = -ENOMEM;
	if (addr && (v = vma_add(mm, addr, addr + len, vmflags, NULL)))
		ret = (vmflags & VM_SHARED) ? populate(mm, v) : (long)addr;
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
	ret = unmap_region(mm, addr, addr + ALIGN_UP(len, PAGE_SIZE));
	spin_unlock(&mm->lock);
	return ret;
}

/* Is [start, end) covered by regions with no hole? */
static bool range_is_mapped(struct mm *mm, uintptr_t start, uintptr_t end)
{
	struct vma *v;

	list_for_each_entry(v, &mm->vmas, node) {
		if (v->end <= start)
			continue;
		if (v->start > start)
			return false;
		start = v->end;
		if (start >= end)
			return true;
	}
	return false;
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

long sys_mprotect(uintptr_t addr, size_t len, int prot)
{
	struct mm *mm = current->mm;
	uintptr_t end = addr + ALIGN_UP(len, PAGE_SIZE);
	struct vma *v;
	long ret;

	if ((addr & (PAGE_SIZE - 1)) || (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC)))
		return -EINVAL;
	if (len > USER_TOP || end < addr || end > USER_TOP)
		return -ENOMEM;         /* as Linux: outside the address space */
	spin_lock(&mm->lock);
	ret = -ENOMEM;          /* Linux's answer for a range with holes */
	if (len && (!range_is_mapped(mm, addr, end) || split_at_bounds(mm, addr, end)))
		goto out;
	list_for_each_entry(v, &mm->vmas, node) {
		if (v->start < addr || v->end > end)
			continue;
		v->flags = (v->flags & (VM_SHARED | VM_GROWSDOWN)) | prot_to_vm(prot);
		for_each_pte(mm->pgd, 3, v->start, v->end, change_pte_prot, &v->flags);
	}
	flush_tlb_range(mm, addr, end);
	ret = 0;
out:
	spin_unlock(&mm->lock);
	return ret;
}

/* madvise: advice may be ignored, except "I no longer need these pages"
 * (musl's malloc says it for freed memory): they are dropped, and read
 * back as zeros. Shared memory keeps its pages. */
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
	if (!range_is_mapped(mm, addr, end))
		ret = -ENOMEM;
	list_for_each_entry(v, &mm->vmas, node)
		if (!ret && !(v->flags & VM_SHARED) && v->start < end && addr < v->end)
			unmap_pages(mm, MAX(v->start, addr), MIN(v->end, end));
	spin_unlock(&mm->lock);
	return ret;
}
