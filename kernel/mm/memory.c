/*
 * Address spaces' pages: struct mm's life, fork's copy of the page table,
 * page faults (anonymous and copy-on-write), zapping, and safe access to
 * user memory (Linux's mm/memory.c). The regions are mmap.c's.
 */
#include "kernel.h"
#include "mm/mm.h"
#include "mm/internal.h"
#include "arch/x86/cpu.h"
#include "uapi/errno.h"
#include "mm/slab.h"
#include "arch/x86/memlayout.h"
#include "param.h"
#include "mm/page_alloc.h"
#include "task.h"
#include "fs/exec.h"
#include "arch/x86/trap.h"
#include "uapi/uapi.h"
#include "arch/x86/x86.h"

enum fork_mode fork_mode = FORK_COW;
static int last_mm_id;          /* atomic */

/* fork=copy: fork copies every private page at once, so the cost of the
 * copy can be measured beside copy-on-write (fork=cow, the default);
 * fork=odf shares the PTE tables too (On-Demand-Fork, below). */
static void fork_param(const char *value)
{
	if (strcmp(value, "copy") == 0)
		fork_mode = FORK_COPY;
	else if (strcmp(value, "cow") == 0)
		fork_mode = FORK_COW;
	else if (strcmp(value, "odf") == 0)
		fork_mode = FORK_ODF;
	else
		printk("cmdline: fork=%s: expected fork=cow, fork=copy or fork=odf\n", value);
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
	pgd_add_kernel(mm->pgd);
	list_init(&mm->vmas);
	mm->id = __atomic_add_fetch(&last_mm_id, 1, __ATOMIC_RELAXED);
	refcount_set(&mm->users, 1);
	mm->lock = (struct spinlock)SPINLOCK_INIT("mm");
	return mm;
}

void mmget(struct mm *mm)
{
	refcount_inc(&mm->users);
}

/* ---- tearing down ---- */

/* The pages that entries i to last of PTE table `table` map: a tight loop,
 * for it runs over every entry of a region. */
static uint64_t free_ptes(pte_t *table, int i, int last, struct page_batch *freed)
{
	uint64_t pages = 0;

	for (; i <= last; i++) {
		if (!pte_has_page(table[i]))
			continue;
		page_put_batched(freed, P2V(table[i] & PTE_ADDR), false);
		table[i] = 0;
		pages++;
	}
	return pages;
}

/*
 * fork=odf: how many pages a shared PTE table maps. While shared, nothing
 * maps or unmaps a page in it (a change unshares it first), so the count
 * is taken once and kept in the table's page_private, as count + 1 (0: not
 * counted yet), until unshare_pte_table makes the table writable again.
 * The children of a process that has not written there since exit
 * without counting it again.
 */
static uint64_t shared_table_pages(pte_t *table)
{
	uint64_t n = page_private(table);

	if (n)
		return n - 1;
	for (int i = 0; i < 512; i++)
		n += pte_has_page(table[i]);
	set_page_private(table, n + 1);
	return n;
}

/*
 * fork=odf: exit's part of a PTE table behind a write-protected PMD entry,
 * which other mms may still share: drop this mm's reference and leave the
 * pages to them. True then, with
 * *pages the pages it maps (this mm's resident set too); false if this mm
 * is its last user, which frees it all as any other table.
 */
static bool put_shared_pte_table(pte_t *table, uint64_t *pages)
{
	if (page_refcount(table) == 1)
		return false;
	*pages = shared_table_pages(table);
	return page_put_unless_last(table);
}

/* A PTE table no mm points to any more (fork=odf's last user, or a copy
 * that failed): its pages, then the table itself, all zeros by then. */
static void free_pte_table(pte_t *table)
{
	struct page_batch freed = { 0 };

	free_ptes(table, 0, 511, &freed);
	page_put_batched(&freed, table, true);
	page_batch_free(&freed);
}

/*
 * exit: let go of what `table` (at `level`) maps in [start, end), the
 * range of a region or of a run of regions close together (mmput): the
 * user pages (one reference each) and the lower tables that no later
 * region reaches. Regions are walked in address order, and a table can
 * hold the pages of several: the walk that reaches its last region frees
 * it, which is the one whose next region starts at `ceiling` or above
 * (USER_TOP after the last region). A table never lies outside every
 * region: munmap frees those it leaves empty. So only the ranges regions
 * cover are read, not whole 512-entry tables, and a process that maps a few
 * pages frees them in a few hundred instructions. Each entry let go is
 * cleared: nothing maps outside the regions either, so a table is all zeros
 * when it goes, and the next page_zalloc takes it as it is. The frames
 * whose last reference goes are gathered in `freed`, for mmput to give
 * back to the allocator all at once.
 *
 * This is the one walk that does not go through walk_range: it runs over
 * every entry an exiting process has, and a callback per page made fork +
 * exit + wait cost 27% more. Linux too tears an mm down with code of its
 * own (exit_mmap: zap_pte_range, free_pgtables with the same ceiling), not
 * with its generic walk_page_range. Returns the number of user pages it let
 * go: the process's resident size at exit, for getrusage's ru_maxrss,
 * counted here where it costs nothing.
 */
static uint64_t free_table(pte_t *table, int level, uintptr_t start, uintptr_t end,
			   uintptr_t ceiling, struct page_batch *freed)
{
	uintptr_t span = 1ULL << (PAGE_SHIFT + 9 * level);     /* what one entry maps */
	uint64_t pages = 0, shared;

	if (level == PTE_LEVEL)
		return free_ptes(table, PTE_INDEX(start, level), PTE_INDEX(end - 1, level), freed);
	for (uintptr_t va = start, next; va < end; va = next) {
		pte_t *e = &table[PTE_INDEX(va, level)];
		uintptr_t span_end = ALIGN_DOWN(va, span) + span;
		next = MIN(span_end, end);
		if (!(*e & PTE_P))
			continue;
		if (level == PMD_LEVEL && !(*e & PTE_W) &&
		    put_shared_pte_table(P2V(*e & PTE_ADDR), &shared)) {
			pages += shared;        /* fork=odf: another mm's too */
			*e = 0;
			continue;
		}
		pages += free_table(P2V(*e & PTE_ADDR), level - 1, va, next, ceiling, freed);
		if (span_end <= ceiling) {      /* else the next region's walk frees it */
			page_put_batched(freed, P2V(*e & PTE_ADDR), true);
			*e = 0;
		}
	}
	return pages;
}

/*
 * munmap and madvise: the pages of a range go, and the tables it leaves
 * with nothing mapped (the callbacks of walk_range). Until every CPU has
 * flushed its TLB, another thread may still reach a page through an old
 * translation: the entries are cleared at once, but the frames (pages and
 * tables) are gathered and freed only after the flush (Linux's
 * mmu_gather), a batch at a time.
 */
#define GATHER_MAX 64

struct gather {
	struct mm *mm;
	uintptr_t start, end;       /* the range whose entries are cleared */
	bool tables;                /* page tables among the frames */
	int n;
	void *frames[GATHER_MAX];
};

static void gather_flush(struct gather *g)
{
	flush_tlb_range(g->mm, g->start, g->end, g->tables);
	for (int i = 0; i < g->n; i++)
		page_put(g->frames[i]);
	g->n = 0;
	g->tables = false;
}

/* *entry no longer points to frame: clear it, free the frame after the flush. */
static void gather_frame(struct gather *g, pte_t *entry)
{
	void *frame = P2V(*entry & PTE_ADDR);

	*entry = 0;
	if (g->n == GATHER_MAX)
		gather_flush(g);
	g->frames[g->n++] = frame;
}

static void drop_page(pte_t *pte, void *g)
{
	gather_frame(g, pte);
}

static bool table_empty(const pte_t *table)
{
	for (int i = 0; i < 512; i++)
		if (table[i])
			return false;
	return true;
}

static void free_lower_if_empty(pte_t *entry, void *g)
{
	if (table_empty(P2V(*entry & PTE_ADDR))) {
		gather_frame(g, entry);
		((struct gather *)g)->tables = true;
	}
}

static const struct pt_walk_ops unmap_ops = { drop_page, free_lower_if_empty };

uint64_t mmput(struct mm *mm)
{
	struct page_batch freed = { 0 };
	struct vma *v, *n;
	uintptr_t run_start = 0;
	bool in_run = false;
	uint64_t pages = 0;

	if (!refcount_dec_and_test(&mm->users))
		return 0;
	/* Never free a page table a CPU is using. */
	tlb_forget_mm(mm);
	/* One walk for each run of regions less than a PTE table's span (2
	 * MiB) apart: the program's text, data and heap; the stack and the
	 * vDSO above it. The gaps in a run map nothing, and the way down the
	 * four levels, not the entries, is most of what a small region costs
	 * (Linux's free_pgtables joins regions the same way). */
	list_for_each_entry_safe(v, n, &mm->vmas, node) {
		bool last = &n->node == &mm->vmas;
		uintptr_t ceiling = last ? USER_TOP : n->start;
		if (!in_run)
			run_start = v->start;
		in_run = !last && n->start - v->end < (1UL << (PAGE_SHIFT + 9));
		if (!in_run)
			pages += free_table(mm->pgd, PGD_LEVEL, run_start, v->end, ceiling, &freed);
		kfree(v);
	}
	pgd_remove_kernel(mm->pgd);                 /* the kernel half's tables are shared */
	page_put_batched(&freed, mm->pgd, true);
	page_batch_free(&freed);
	exe_path_put(mm->exe);
	kfree(mm);
	return pages;
}

/* The leaf entry for a page with vma flags `flags` at physical pa. */
pte_t vma_make_pte(uintptr_t pa, unsigned flags)
{
	pte_t pte = pa | (flags & (VM_SHARED | VM_SPECIAL) ? PTE_SHARED : 0);

	if (!(flags & (VM_READ | VM_WRITE | VM_EXEC)))
		return pte | PTE_PROTNONE;      /* no access: kept, not present */
	pte |= PTE_P | PTE_U;
	if (flags & VM_WRITE)
		pte |= PTE_W;
	if (!(flags & VM_EXEC))
		pte |= vm_nx();
	return pte;
}

static void count_page(pte_t *pte, void *count)
{
	(*(uint64_t *)count)++;
}

uint64_t mm_resident_pages(struct mm *mm)
{
	uint64_t n = 0;

	assert_held(&mm->lock);
	walk_range(mm->pgd, 0, USER_TOP, &(struct pt_walk_ops){ .pte = count_page }, &n);
	return n;
}

/* Drop the pages mapped in [start, end), and the page tables left empty;
 * regions are not touched. */
void unmap_pages(struct mm *mm, uintptr_t start, uintptr_t end)
{
	struct gather g = { .mm = mm, .start = start, .end = end };

	walk_range(mm->pgd, start, end, &unmap_ops, &g);
	gather_flush(&g);
}

/* ---- fork ---- */

/*
 * fork=copy: give the child (*dst) a copy of its own of the private page
 * that the parent's PTE (*src) maps, with the parent's permissions.
 * 0 or -ENOMEM.
 */
static int copy_private_page(pte_t *dst, pte_t *src)
{
	/* LAB fork: begin (handout: return -ENOSYS;) */
	void *copy = page_alloc();

	if (!copy)
		return -ENOMEM;
	memcpy(copy, P2V(*src & PTE_ADDR), PAGE_SIZE);
	*dst = (*src & ~PTE_ADDR) | V2P(copy);
	return 0;
	/* LAB fork: end */
}

/*
 * fork=cow: parent and child share the private page, both read-only with
 * the COW bit set, so that each side copies it on its first write
 * (do_wp_page). Read-only pages get the COW bit too: an mprotect may make
 * them writable later, and the write must still copy. 0, or -ENOSYS when
 * this kernel cannot share (then copy_one_pte copies the page at once).
 */
static int share_cow_page(pte_t *dst, pte_t *src)
{
	/* LAB cow: begin (handout: return -ENOSYS;) */
	*src = (*src & ~PTE_W) | PTE_COW;
	page_get(P2V(*src & PTE_ADDR));
	*dst = *src;
	return 0;
	/* LAB cow: end */
}

/*
 * Give the child's PTE (*dst) the page that the parent's PTE (*src) maps.
 * Shared memory (MAP_SHARED) is shared: one more reference to the same
 * frame. Private memory is shared copy-on-write (fork=cow, the default,
 * and fork=odf when it unshares a table) or copied now (fork=copy).
 * Returns 0 or -ENOMEM. Inlined into its two callers: fork runs it once a
 * page, and a call each made a fork=cow fork 17 instructions a page dearer.
 */
static __always_inline int copy_one_pte(pte_t *dst, pte_t *src)
{
	if (*src & PTE_SHARED) {
		page_get(P2V(*src & PTE_ADDR));
		*dst = *src;
		return 0;
	}
	if (fork_mode != FORK_COPY && share_cow_page(dst, src) == 0)
		return 0;
	return copy_private_page(dst, src);
}

/* ---- fork=odf: PTE tables shared until a change ---- */

/*
 * On-Demand-Fork (Zhao, Gong and Fonseca, EuroSys 2021). fork=cow still
 * visits every PTE of the parent: it write-protects it and takes a
 * reference on its page, about 100 instructions a page. fork=odf stops one
 * level up: the child's PMD entry points at the parent's PTE table itself,
 * so a 2 MiB range costs fork one entry, whatever it maps.
 *
 * - A PTE table's frame counts the mms whose PMD entry points at it: its
 *   reference count (struct page), 1 for the table of a single mm.
 * - Both PMD entries lose PTE_W. x86 lets a write through only if every
 *   level allows it, so neither side can write anywhere in the 2 MiB,
 *   whatever the PTEs say. A user PMD entry without PTE_W therefore means "this
 *   table may be shared" (pt_next_level makes every other one writable).
 * - A data page keeps one reference per *table* that maps it, not per mm:
 *   a shared table is one mapping, however many mms use it.
 * - Before anything changes in the range (a write fault, a page's first
 *   touch, munmap, mprotect, madvise, mmap's populate), the mm making the
 *   change unshares the table (unshare_pte_table): it copies it the way
 *   fork=cow copies one (copy_one_pte: private pages read-only and COW in
 *   both tables, one more reference per page), points its own PMD entry at
 *   the copy, writable, and lets go of the old table. The last mm left on
 *   a table finds its count at 1 and only makes its PMD entry writable.
 * - exit lets go of a shared table (free_table); whoever lets go of the
 *   last reference frees the table's pages too (pte_table_put).
 *
 * So the fault handler needs no case of its own for a PMD-level write
 * protection: a fault that must change something first unshares the table
 * (walk_for_fault), and what is left is the PTE-level fault it always was
 * (a first touch, or a COW break in do_wp_page).
 */

/* Does this PMD entry point to a PTE table that may be shared? */
static bool pmd_write_protected(pte_t pmd)
{
	return (pmd & (PTE_P | PTE_W | PTE_PS)) == PTE_P;
}

/* fork: let the child's PMD entry (*dst) share the PTE table the parent's
 * (*src) points to, neither of them writable. */
static void share_pte_table(pte_t *dst, pte_t *src)
{
	if (*dst & PTE_P)
		return;         /* an earlier region in the same 2 MiB shared it */
	*src &= ~PTE_W;
	page_get(P2V(*src & PTE_ADDR));
	*dst = *src;
}

/* One mm fewer uses table; the last one frees it with its pages. */
static void pte_table_put(pte_t *table)
{
	if (!page_put_unless_last(table))
		free_pte_table(table);
}

/*
 * Make the PTE table that mm's PMD entry *pmd points to mm's own, and the
 * entry writable; va is an address in its 2 MiB. While other mms use the
 * table, mm gets a copy; the entries of both become what fork=cow would
 * have made them. 0 or -ENOMEM. Under mm->lock.
 */
static int unshare_pte_table(struct mm *mm, pte_t *pmd, uintptr_t va)
{
	pte_t *old = P2V(*pmd & PTE_ADDR), *copy = old;
	uintptr_t start = ALIGN_DOWN(va, PMD_SIZE);

	/* A count of 1 cannot grow meanwhile: only a fork of mm, which
	 * holds mm->lock, could share the table again. */
	if (page_refcount(old) > 1) {
		if (!(copy = page_zalloc()))
			return -ENOMEM;
		for (int i = 0; i < 512; i++) {
			if (pte_has_page(old[i]) && copy_one_pte(&copy[i], &old[i]) < 0) {
				free_pte_table(copy);
				return -ENOMEM;
			}
		}
	}
	if (copy == old)
		set_page_private(old, 0);       /* its page count may change now */
	*pmd = (*pmd & ~PTE_ADDR) | V2P(copy) | PTE_W;
	/* Before the put, which may free the old table: mm's CPUs, lazy ones
	 * too, must stop walking it (tables). */
	flush_tlb_range(mm, start, start + PMD_SIZE, copy != old);
	if (copy != old)
		pte_table_put(old);
	return 0;
}

/*
 * Unshare every PTE table over [start, end) of mm, before a change there
 * that no other mm may see. Skips what a missing upper table would map,
 * so a huge sparse range costs what is mapped in it. 0 or -ENOMEM. Under
 * mm->lock.
 */
int unshare_pte_tables(struct mm *mm, uintptr_t start, uintptr_t end)
{
	uintptr_t va = ALIGN_DOWN(start, PMD_SIZE);

	assert_held(&mm->lock);
	while (va < end) {
		pte_t *pud = pt_next_level(mm->pgd, va, PGD_LEVEL, false);
		pte_t *pmd = pud ? pt_next_level(pud, va, PUD_LEVEL, false) : NULL;
		int level = !pud ? PGD_LEVEL : !pmd ? PUD_LEVEL : PMD_LEVEL;
		uintptr_t span = 1ULL << (PAGE_SHIFT + 9 * level);     /* one entry's */

		if (pmd && pmd_write_protected(pmd[PTE_INDEX(va, PMD_LEVEL)]) &&
		    unshare_pte_table(mm, &pmd[PTE_INDEX(va, PMD_LEVEL)], va) < 0)
			return -ENOMEM;
		va = ALIGN_DOWN(va, span) + span;
	}
	return 0;
}

/* The PTE for va, in a table of mm's own (unshared first): for a fault
 * that changes it. NULL when out of memory. */
/*
 * A fault's walk: the PTE for va, with the tables it needs made. A fault
 * that will change the PTE (a write, or a page's first touch) gets it in a
 * table of mm's own: a write-protected PMD entry's table is unshared
 * first. NULL when out of memory. One walk, whatever the mode: every
 * fault of every process takes it.
 */
static pte_t *walk_for_fault(struct mm *mm, uintptr_t va, bool write)
{
	pte_t *pud = pt_next_level(mm->pgd, va, PGD_LEVEL, true);
	pte_t *pmd = pud ? pt_next_level(pud, va, PUD_LEVEL, true) : NULL;
	pte_t *entry = pmd ? &pmd[PTE_INDEX(va, PMD_LEVEL)] : NULL;
	pte_t *table = pmd ? pt_next_level(pmd, va, PMD_LEVEL, true) : NULL;
	pte_t *pte = table ? &table[PTE_INDEX(va, PTE_LEVEL)] : NULL;

	if (pte && pmd_write_protected(*entry) && (write || !(*pte & PTE_P))) {
		if (unshare_pte_table(mm, entry, va) < 0)
			return NULL;
		pte = (pte_t *)P2V(*entry & PTE_ADDR) + PTE_INDEX(va, PTE_LEVEL);
	}
	return pte;
}

/* Is the page at addr mapped by mm alone (pagemap's "exclusive")? Both
 * its own count and its table's must be 1. Under mm->lock. */
bool user_page_exclusive(struct mm *mm, uintptr_t addr)
{
	pte_t *pte = walk(mm->pgd, addr, false);

	return pte && (*pte & PTE_P) && page_refcount(P2V(*pte & PTE_ADDR)) == 1 &&
	       page_refcount((void *)ALIGN_DOWN((uintptr_t)pte, PAGE_SIZE)) == 1;
}

/* LAB fork: begin */
/* The leaf entries i to last of a PTE table: a tight loop, for it runs
 * over every page of a region. */
static int copy_ptes(pte_t *dst, pte_t *src, int i, int last)
{
	for (; i <= last; i++)
		if (pte_has_page(src[i]) && copy_one_pte(&dst[i], &src[i]) < 0)
			return -ENOMEM;
	return 0;
}

/*
 * Copy the entries of src's table at `level` that cover [start, end) into
 * dst's, descending the four levels and skipping what is not mapped.
 */
static int copy_table(pte_t *dst, pte_t *src, int level, uintptr_t start, uintptr_t end)
{
	uintptr_t span = 1ULL << (PAGE_SHIFT + 9 * level);     /* what one entry maps */

	if (level == PTE_LEVEL)
		return copy_ptes(dst, src, PTE_INDEX(start, level), PTE_INDEX(end - 1, level));
	for (uintptr_t va = start, next; va < end; va = next) {
		int i = PTE_INDEX(va, level);
		next = MIN(ALIGN_DOWN(va, span) + span, end);
		if (!(src[i] & PTE_P))
			continue;
		if (level == PMD_LEVEL && fork_mode == FORK_ODF) {
			share_pte_table(&dst[i], &src[i]);
			continue;
		}
		pte_t *d = pt_next_level(dst, va, level, true);
		if (!d || copy_table(d, P2V(src[i] & PTE_ADDR), level - 1, va, next) < 0)
			return -ENOMEM;
	}
	return 0;
}
/* LAB fork: end */

/* fork: give dst the pages of src's region vma. 0 or -ENOMEM. */
noinline int copy_page_range(struct mm *dst, struct mm *src, struct vma *vma)
{
	/* LAB fork: begin (handout: (void)copy_one_pte; (void)share_pte_table; return -ENOSYS;) */
	return copy_table(dst->pgd, src->pgd, PGD_LEVEL, vma->start, vma->end);
	/* LAB fork: end */
}

/*
 * Give the new mm what the old one has: its heap's bounds, its layout, and
 * each region with its pages. 0, or an error with what was copied so far
 * left in mm, for the caller's mmput to drop. Under old->lock.
 */
static int dup_mmap(struct mm *mm, struct mm *old)
{
	/* LAB fork: begin (handout: return -ENOSYS;) */
	struct vma *v;
	int err;

	mm->start_brk = old->start_brk;
	mm->brk = old->brk;
	mm->layout = old->layout;
	list_for_each_entry(v, &old->vmas, node) {
		if (!vma_add(mm, v->start, v->end, v->flags, v->name))
			return -ENOMEM;
		if ((err = copy_page_range(mm, old, v)) < 0)
			return err;
	}
	return 0;
	/* LAB fork: end */
}

struct mm *dup_mm(struct mm *old)
{
	struct mm *mm = mm_alloc();
	int err;

	if (!mm)
		return NULL;
	exe_path_get(old->exe);
	mm->exe = old->exe;
	spin_lock(&old->lock);
	err = dup_mmap(mm, old);
	/* Copy-on-write made the parent's writable pages read-only: forget
	 * the writable translations the TLB may hold. */
	flush_tlb_range(old, 0, USER_TOP, false);
	spin_unlock(&old->lock);
	if (err) {
		mmput(mm);          /* drops the pages and references copied so far */
		return NULL;
	}
	return mm;
}

/* ---- page faults ---- */

/*
 * A write to a copy-on-write page. While another mm still maps the frame,
 * copy it and point this PTE at the private copy; once we are its only
 * user, the frame is simply ours again: make it writable. Either way the
 * stale read-only translation must leave the TLB. 0 or -ENOMEM. Under
 * mm->lock.
 */
static noinline int do_wp_page(struct mm *mm, uintptr_t va, pte_t *pte)
{
	/* LAB cow: begin (handout: return -ENOSYS;) */
	void *old = P2V(*pte & PTE_ADDR), *copy = old;

	assert_held(&mm->lock);
	if (page_refcount(old) == 1) {
		*pte = (*pte & ~PTE_COW) | PTE_W;
	} else {
		copy = page_alloc();
		if (!copy)
			return -ENOMEM;
		memcpy(copy, old, PAGE_SIZE);
		*pte = (*pte & ~(PTE_ADDR | PTE_COW)) | V2P(copy) | PTE_W;
	}
	/* Before the put: a thread on another CPU may read old through its
	 * TLB until then, and its other user may now write to it. */
	flush_tlb_range(mm, va, va + PAGE_SIZE, false);
	if (copy != old)
		page_put(old);
	return 0;
	/* LAB cow: end */
}

/*
 * Make the page at va present for the access asked (write: writable).
 * Returns its PTE, or NULL with *err = -EFAULT (the region does not allow
 * it) or -ENOMEM. Under mm->lock.
 */
/*
 * A fault below the stack region grows it down to the page, as Linux
 * does, up to the size exec allowed and never into another region. A small
 * stack region keeps fork's and exit's walks over it short. Returns the
 * stack region, or NULL when va is not the stack's to take.
 */
static struct vma *grow_stack(struct mm *mm, uintptr_t va)
{
	struct vma *v;

	assert_held(&mm->lock);
	list_for_each_entry(v, &mm->vmas, node) {
		if (!(v->flags & VM_GROWSDOWN) || va >= v->start)
			continue;
		if (v->end - va > mm->layout.stack_max || !range_is_free(mm, va, v->start))
			return NULL;
		v->start = va;
		return v;
	}
	return NULL;
}

static pte_t *fault_in(struct mm *mm, uintptr_t va, bool write, bool exec, int *err)
{
	struct vma *v = vma_lookup(mm, va);
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
	pte = walk_for_fault(mm, va, write);
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
	if (!pte && err == -EFAULT && vma_lookup(mm, addr))
		err = -EACCES;          /* the handler's siginfo tells the two apart */
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

int cmpxchg_user_u32(uintptr_t uaddr, uint32_t *old, uint32_t new)
{
	struct mm *mm = current->mm;
	pte_t *pte;
	int err;

	if (uaddr % 4 || uaddr + 4 > USER_TOP)
		return -EFAULT;
	spin_lock(&mm->lock);
	pte = fault_in(mm, ALIGN_DOWN(uaddr, PAGE_SIZE), true, false, &err);
	if (pte) {
		uint32_t *kva = (uint32_t *)((char *)P2V(*pte & PTE_ADDR) + (uaddr & (PAGE_SIZE - 1)));
		err = __atomic_compare_exchange_n(kva, old, new, false, __ATOMIC_SEQ_CST,
						  __ATOMIC_SEQ_CST) ? 0 : -EAGAIN;
	}
	spin_unlock(&mm->lock);
	return err;
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
