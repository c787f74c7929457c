/* fork's memory: copy_page_range under fork=cow, fork=copy and fork=odf, the
 * copy-on-write fault (do_wp_page), and faults the regions forbid. */
#include "kernel.h"
#include "ktest.h"
#include "uapi/errno.h"
#include "arch/x86/memlayout.h"
#include "mm/mm.h"
#include "mm/page_alloc.h"
#include "arch/x86/trap.h"
#include "arch/x86/pgtable.h"

#define RW      (VM_READ | VM_WRITE)
#define WFAULT  (PF_WRITE | PF_PRESENT | PF_USER)

/* The source address space. Pages sit far apart so the copy must walk
 * every level: PGD entries 0, 1 and 253, several PUD, PMD and PTE tables. */
#define PRIV       0x400000UL            /* private RW: pages 0 and 2, holes at 1, 3 */
#define RDONLY     0x600000UL            /* private read-only: one page */
#define SHARED     0x10000000UL          /* MAP_SHARED RW: one page */
#define SPARSE     0x40000000UL          /* private RW, up to SPARSE_END */
#define SPARSE_END 0x7f0000000000UL
#define NTABLES    13                    /* page tables the layout needs, PGD aside */

/* Every mapped page of the source, with the fill byte it gets. */
static const struct { uintptr_t va; unsigned flags; } pages[] = {
	{ PRIV, RW }, { PRIV + 2 * PAGE_SIZE, RW }, { RDONLY, VM_READ },
	{ SHARED, RW | VM_SHARED }, { SPARSE, RW }, { 0x8000000000UL, RW },
	{ 0x7effffffe000UL, RW },
};
#define NPAGES (int)(sizeof(pages) / sizeof(pages[0]))

static uint8_t fill(int i)
{
	return 0xa0 + i;
}

static void *page_of(pte_t pte)
{
	return P2V(pte & PTE_ADDR);
}

static bool filled_with(const uint8_t *p, size_t n, uint8_t byte)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != byte)
			return false;
	return true;
}

/* Map a page filled with `byte` at va as region flags say. */
static bool map_filled(struct mm *mm, uintptr_t va, unsigned flags, uint8_t byte)
{
	pte_t *pte = walk(mm->pgd, va, true);
	void *page = page_alloc();

	if (!pte || !page) {
		if (page)
			page_put(page);
		return false;
	}
	memset(page, byte, PAGE_SIZE);
	*pte = vma_make_pte(V2P(page), flags);
	return true;
}

static struct mm *make_source(void)
{
	struct mm *mm = mm_alloc();
	bool ok;

	if (!mm)
		return NULL;
	ok = vma_add(mm, PRIV, PRIV + 4 * PAGE_SIZE, RW, NULL) &&
	     vma_add(mm, RDONLY, RDONLY + PAGE_SIZE, VM_READ, NULL) &&
	     vma_add(mm, SHARED, SHARED + PAGE_SIZE, RW | VM_SHARED, NULL) &&
	     vma_add(mm, SPARSE, SPARSE_END, RW, NULL);
	for (int i = 0; ok && i < NPAGES; i++)
		ok = map_filled(mm, pages[i].va, pages[i].flags, fill(i));
	if (!ok) {
		mmput(mm);
		return NULL;
	}
	return mm;
}

/* exit clears each entry it lets go, and the PGD's kernel half, so every
 * table it frees is all zeros: page_zalloc hands them out again without
 * clearing them. */
KTEST(fork_teardown_zeroes_tables)
{
	uint64_t start = pages_free(), zeroed;
	struct mm *src = make_source();
	void *tables[NTABLES + 1];              /* the PGD too */

	EXPECT(src);
	if (!src)
		return;
	zeroed = pages_free_zeroed();
	mmput(src);
	EXPECT_EQ(pages_free(), start);
	EXPECT_EQ(pages_free_zeroed(), zeroed + NTABLES + 1);
	for (int i = 0; i < NTABLES + 1; i++) {
		tables[i] = page_zalloc();
		EXPECT(tables[i] && filled_with(tables[i], PAGE_SIZE, 0));
	}
	EXPECT_EQ(pages_free_zeroed(), zeroed);
	for (int i = 0; i < NTABLES + 1; i++)
		if (tables[i])
			page_put_zeroed(tables[i]);
	EXPECT_EQ(pages_free(), start);
}

/* fork's copy of src's regions and pages under `mode`; *taken gets the
 * pages the copy itself took. */
static struct mm *fork_copy(struct mm *src, enum fork_mode mode, uint64_t *taken)
{
	enum fork_mode saved = fork_mode;
	struct mm *dst = mm_alloc();
	struct vma *v;
	int err = 0;

	if (!dst)
		return NULL;
	list_for_each_entry(v, &src->vmas, node)
		if (!vma_add(dst, v->start, v->end, v->flags, v->name))
			err = -ENOMEM;
	fork_mode = mode;
	*taken = pages_free();
	list_for_each_entry(v, &src->vmas, node)
		if (!err)
			err = copy_page_range(dst, src, v);
	*taken -= pages_free();
	fork_mode = saved;
	EXPECT_EQ(err, 0);
	if (err) {
		mmput(dst);
		return NULL;
	}
	return dst;
}

/* The addresses in the regions that map nothing stay unmapped in the copy,
 * and get no page tables either. */
static void expect_holes(struct mm *dst)
{
	EXPECT_EQ(lookup_pte(dst->pgd, PRIV + PAGE_SIZE), 0);
	EXPECT_EQ(lookup_pte(dst->pgd, PRIV + 3 * PAGE_SIZE), 0);
	EXPECT_EQ(lookup_pte(dst->pgd, SPARSE + PAGE_SIZE), 0);
	EXPECT(walk(dst->pgd, 0x100000000UL, false) == NULL);     /* 4 GiB: no PMD */
	EXPECT(walk(dst->pgd, 0x10000000000UL, false) == NULL);   /* PGD entry 2 */
	EXPECT(walk(dst->pgd, 0x7e0000000000UL, false) == NULL);  /* PGD entry 252 */
}

KTEST(fork_copy_page_range_cow)
{
	uint64_t start = pages_free(), taken;
	struct mm *src = make_source(), *dst;

	EXPECT(src);
	if (!src)
		return;
	dst = fork_copy(src, FORK_COW, &taken);
	EXPECT_EQ(fork_mode, FORK_COW);         /* restored (the default) */
	if (!dst) {
		mmput(src);
		return;
	}
	EXPECT_EQ(taken, NTABLES);              /* page tables only: no page copied */
	for (int i = 0; i < NPAGES; i++) {
		pte_t s = lookup_pte(src->pgd, pages[i].va), d = lookup_pte(dst->pgd, pages[i].va);
		EXPECT(s & PTE_P);
		EXPECT_EQ(d & PTE_ADDR, s & PTE_ADDR);  /* the same frame */
		EXPECT_EQ(page_refcount(page_of(s)), 2);
		EXPECT(filled_with(page_of(d), PAGE_SIZE, fill(i)));
		EXPECT_EQ(d, s);                        /* the same entry, bit for bit */
		if (pages[i].flags & VM_SHARED) {
			/* Shared memory stays shared and writable: no COW. */
			EXPECT(s & PTE_W);
			EXPECT(!(s & PTE_COW));
			EXPECT(s & PTE_SHARED);
		} else {
			/* Private: read-only in both until a write copies it. A
			 * read-only page gets the COW bit too, so a later
			 * mprotect(PROT_WRITE) cannot make the frame writable in
			 * two processes at once. */
			EXPECT(!(s & PTE_W));
			EXPECT(s & PTE_COW);
		}
		EXPECT(s & PTE_U);
	}
	expect_holes(dst);
	mmput(dst);
	for (int i = 0; i < NPAGES; i++)
		EXPECT_EQ(page_refcount(page_of(lookup_pte(src->pgd, pages[i].va))), 1);
	mmput(src);
	EXPECT_EQ(pages_free(), start);
}

KTEST(fork_copy_page_range_copy)
{
	uint64_t start = pages_free(), taken;
	struct mm *src = make_source(), *dst;
	pte_t before[NPAGES];

	EXPECT(src);
	if (!src)
		return;
	for (int i = 0; i < NPAGES; i++)
		before[i] = lookup_pte(src->pgd, pages[i].va);
	dst = fork_copy(src, FORK_COPY, &taken);
	EXPECT_EQ(fork_mode, FORK_COW);
	if (!dst) {
		mmput(src);
		return;
	}
	EXPECT_EQ(taken, NTABLES + NPAGES - 1); /* tables + every private page */
	for (int i = 0; i < NPAGES; i++) {
		pte_t s = lookup_pte(src->pgd, pages[i].va), d = lookup_pte(dst->pgd, pages[i].va);
		EXPECT_EQ(s, before[i]);                /* the parent is untouched */
		EXPECT(filled_with(page_of(d), PAGE_SIZE, fill(i)));
		EXPECT_EQ(d & ~PTE_ADDR, s & ~PTE_ADDR);  /* same permissions */
		EXPECT(!(d & PTE_COW));
		if (pages[i].flags & VM_SHARED) {
			EXPECT_EQ(d & PTE_ADDR, s & PTE_ADDR);
			EXPECT_EQ(page_refcount(page_of(s)), 2);
		} else {
			EXPECT((d & PTE_ADDR) != (s & PTE_ADDR));
			EXPECT_EQ(page_refcount(page_of(s)), 1);
			EXPECT_EQ(page_refcount(page_of(d)), 1);
		}
	}
	/* Really two pages: writing the child's leaves the parent's alone. */
	memset(page_of(lookup_pte(dst->pgd, PRIV)), 0x11, PAGE_SIZE);
	EXPECT(filled_with(page_of(lookup_pte(src->pgd, PRIV)), PAGE_SIZE, fill(0)));
	expect_holes(dst);
	mmput(dst);
	mmput(src);
	EXPECT_EQ(pages_free(), start);
}

/* A copy-on-write pair: the source of make_source and its fork=cow copy. */
static bool cow_pair(struct mm **src, struct mm **dst)
{
	uint64_t taken;

	*src = make_source();
	*dst = *src ? fork_copy(*src, FORK_COW, &taken) : NULL;
	EXPECT(*src && *dst);
	if (*src && !*dst)
		mmput(*src);
	return *dst != NULL;
}

KTEST(fork_cow_fault)
{
	uint64_t start = pages_free(), before;
	struct mm *src, *dst;
	pte_t s, d;
	void *old;

	if (!cow_pair(&src, &dst))
		return;
	old = page_of(lookup_pte(src->pgd, PRIV));

	/* A read of a COW page is no write: nothing changes. */
	before = pages_free();
	EXPECT_EQ(handle_mm_fault(dst, PRIV + 8, PF_USER), 0);
	EXPECT_EQ(lookup_pte(dst->pgd, PRIV), lookup_pte(src->pgd, PRIV));
	EXPECT_EQ(pages_free(), before);

	/* The child writes first: it gets a copy of its own. */
	EXPECT_EQ(handle_mm_fault(dst, PRIV + 0x123, WFAULT), 0);
	d = lookup_pte(dst->pgd, PRIV);
	s = lookup_pte(src->pgd, PRIV);
	EXPECT(page_of(d) != old);
	EXPECT_EQ(s & PTE_ADDR, V2P(old));
	EXPECT((d & (PTE_P | PTE_U | PTE_W)) == (PTE_P | PTE_U | PTE_W));
	EXPECT(!(d & PTE_COW));
	EXPECT(filled_with(page_of(d), PAGE_SIZE, fill(0)));
	EXPECT_EQ(page_refcount(old), 1);
	EXPECT_EQ(page_refcount(page_of(d)), 1);
	EXPECT_EQ(pages_free(), before - 1);
	EXPECT(s & PTE_COW);                    /* the parent's is still COW */
	EXPECT(!(s & PTE_W));

	/* Then the parent, now the frame's only user: write is just restored. */
	before = pages_free();
	EXPECT_EQ(handle_mm_fault(src, PRIV + 0xff8, WFAULT), 0);
	s = lookup_pte(src->pgd, PRIV);
	EXPECT_EQ(s & PTE_ADDR, V2P(old));
	EXPECT(s & PTE_W);
	EXPECT(!(s & PTE_COW));
	EXPECT_EQ(page_refcount(old), 1);
	EXPECT_EQ(pages_free(), before);
	EXPECT(filled_with(old, PAGE_SIZE, fill(0)));

	/* The other COW pages are still shared, untouched by all this. */
	EXPECT_EQ(lookup_pte(dst->pgd, PRIV + 2 * PAGE_SIZE), lookup_pte(src->pgd, PRIV + 2 * PAGE_SIZE));
	EXPECT_EQ(page_refcount(page_of(lookup_pte(src->pgd, SPARSE))), 2);

	/* A shared page is written in place: no fault work, no copy. */
	before = pages_free();
	EXPECT_EQ(handle_mm_fault(dst, SHARED, WFAULT), 0);
	EXPECT_EQ(lookup_pte(dst->pgd, SHARED), lookup_pte(src->pgd, SHARED));
	EXPECT_EQ(pages_free(), before);

	mmput(dst);
	mmput(src);
	EXPECT_EQ(pages_free(), start);
}

KTEST(fork_bad_faults)
{
	uint64_t start = pages_free(), before;
	struct mm *src, *dst;
	pte_t d;

	if (!cow_pair(&src, &dst))
		return;
	/* Writing a read-only region is refused, COW bit or not (-EACCES:
	 * SEGV_ACCERR), and the shared frame stays shared. */
	before = pages_free();
	d = lookup_pte(dst->pgd, RDONLY);
	EXPECT_EQ(handle_mm_fault(dst, RDONLY, WFAULT), -EACCES);
	EXPECT_EQ(handle_mm_fault(dst, RDONLY + 100, PF_WRITE | PF_USER), -EACCES);
	EXPECT_EQ(lookup_pte(dst->pgd, RDONLY), d);
	EXPECT_EQ(page_refcount(page_of(d)), 2);
	EXPECT_EQ(handle_mm_fault(dst, RDONLY, PF_USER | PF_PRESENT), 0);     /* reading is fine */
	/* Executing a region without VM_EXEC is refused too. */
	EXPECT_EQ(handle_mm_fault(dst, PRIV, PF_FETCH | PF_USER | PF_PRESENT), -EACCES);
	/* Outside every region: read or write, nothing is mapped (-EFAULT:
	 * SEGV_MAPERR). */
	EXPECT_EQ(handle_mm_fault(dst, PRIV + 4 * PAGE_SIZE, PF_USER), -EFAULT);
	EXPECT_EQ(handle_mm_fault(dst, 0x500000, WFAULT), -EFAULT);
	EXPECT_EQ(handle_mm_fault(dst, 0, PF_USER), -EFAULT);
	EXPECT_EQ(handle_mm_fault(dst, SPARSE_END, PF_USER), -EFAULT);
	EXPECT_EQ(handle_mm_fault(dst, USER_TOP, PF_USER), -EFAULT);
	EXPECT_EQ(handle_mm_fault(dst, DIRECT_MAP_BASE, PF_WRITE), -EFAULT);
	EXPECT_EQ(lookup_pte(dst->pgd, PRIV + 4 * PAGE_SIZE), 0);
	EXPECT_EQ(lookup_pte(dst->pgd, 0x500000), 0);
	EXPECT_EQ(pages_free(), before);

	/* A read of an untouched page in a region: a fresh zeroed page. */
	EXPECT_EQ(handle_mm_fault(dst, PRIV + PAGE_SIZE + 5, PF_USER), 0);
	d = lookup_pte(dst->pgd, PRIV + PAGE_SIZE);
	EXPECT(d & PTE_P);
	EXPECT(d && filled_with(page_of(d), PAGE_SIZE, 0));
	EXPECT_EQ(lookup_pte(src->pgd, PRIV + PAGE_SIZE), 0);  /* the parent's hole stays */
	EXPECT_EQ(pages_free(), before - 1);
	/* ... the same for a write, in a hole of the sparse region that needs
	 * new page tables. */
	EXPECT_EQ(handle_mm_fault(dst, 0x300000000000UL, WFAULT), 0);
	d = lookup_pte(dst->pgd, 0x300000000000UL);
	EXPECT(d & PTE_W);
	EXPECT(d && filled_with(page_of(d), PAGE_SIZE, 0));

	mmput(dst);
	mmput(src);
	EXPECT_EQ(pages_free(), start);
}

KTEST(fork_copy_to_mm_breaks_cow)
{
	uint64_t start = pages_free();
	struct mm *src, *dst;
	const uintptr_t va = PRIV + 2 * PAGE_SIZE;      /* pages[1] */
	uint8_t buf[16];
	void *old;

	if (!cow_pair(&src, &dst))
		return;
	old = page_of(lookup_pte(src->pgd, va));
	/* A write that straddles into the hole after the page: the hole gets
	 * a zeroed page, the COW page a copy. */
	EXPECT_EQ(copy_to_mm(dst, va + PAGE_SIZE - 3, "child", 5), 0);
	EXPECT(page_of(lookup_pte(dst->pgd, va)) != old);
	EXPECT(filled_with(old, PAGE_SIZE, fill(1)));           /* the parent's is intact */
	EXPECT_EQ(page_refcount(old), 1);
	EXPECT_EQ(copy_from_mm(dst, buf, va + PAGE_SIZE - 5, 7), 0);
	EXPECT(memcmp(buf, (uint8_t[]){ fill(1), fill(1), 'c', 'h', 'i', 'l', 'd' }, 7) == 0);
	EXPECT_EQ(copy_from_mm(src, buf, va + PAGE_SIZE - 5, 5), 0);
	EXPECT(filled_with(buf, 5, fill(1)));
	EXPECT(lookup_pte(dst->pgd, va) & PTE_W);
	EXPECT(lookup_pte(src->pgd, va) & PTE_COW);

	/* The other way: the parent writes, the child keeps the old bytes. */
	old = page_of(lookup_pte(src->pgd, SPARSE));
	EXPECT_EQ(copy_to_mm(src, SPARSE, "parent", 6), 0);
	EXPECT(filled_with(page_of(lookup_pte(dst->pgd, SPARSE)), PAGE_SIZE, fill(4)));
	EXPECT_EQ(page_of(lookup_pte(dst->pgd, SPARSE)), old);
	EXPECT_EQ(page_refcount(old), 1);

	/* copy_to_mm never writes a read-only region, nor outside regions. */
	EXPECT_EQ(copy_to_mm(dst, RDONLY, "x", 1), -EFAULT);
	EXPECT(filled_with(page_of(lookup_pte(dst->pgd, RDONLY)), PAGE_SIZE, fill(2)));
	EXPECT_EQ(copy_to_mm(dst, PRIV + 4 * PAGE_SIZE - 1, "xy", 2), -EFAULT);
	EXPECT_EQ(copy_to_mm(dst, USER_TOP - 1, "xy", 2), -EFAULT);

	mmput(dst);
	mmput(src);
	EXPECT_EQ(pages_free(), start);
}

/* fork=odf: the PMD entry over va in mm, and the PTE table it points to. */
static pte_t *pmd_entry_of(struct mm *mm, uintptr_t va)
{
	pte_t *pud = pt_next_level(mm->pgd, va, PGD_LEVEL, false);
	pte_t *pmd = pud ? pt_next_level(pud, va, PUD_LEVEL, false) : NULL;

	return pmd ? &pmd[PTE_INDEX(va, PMD_LEVEL)] : NULL;
}

static void *pte_table_of(struct mm *mm, uintptr_t va)
{
	pte_t *pmd = pmd_entry_of(mm, va);

	return pmd && (*pmd & PTE_P) ? P2V(*pmd & PTE_ADDR) : NULL;
}

#define NPTE_TABLES 6       /* of the NTABLES: one per 2 MiB with a page */

/*
 * fork=odf: fork gives the child the parent's PTE tables themselves, both
 * PMD entries read-only, every PTE as it was; a write fault unshares one
 * table (a copy whose entries are fork=cow's), the others stay shared;
 * the parent, now the last user of that table, takes it back without a
 * copy; and whichever mm goes first, every page comes back.
 */
KTEST(fork_odf_share_unshare)
{
	uint64_t start = pages_free(), taken, before;
	struct mm *src = make_source(), *dst;
	pte_t ptes[NPAGES];
	void *table;

	EXPECT(src);
	if (!src)
		return;
	for (int i = 0; i < NPAGES; i++)
		ptes[i] = lookup_pte(src->pgd, pages[i].va);
	dst = fork_copy(src, FORK_ODF, &taken);
	if (!dst) {
		mmput(src);
		return;
	}
	EXPECT_EQ(taken, NTABLES - NPTE_TABLES);        /* no PTE table, no page */
	for (int i = 0; i < NPAGES; i++) {
		uintptr_t va = pages[i].va;
		EXPECT(pte_table_of(dst, va) == pte_table_of(src, va));
		EXPECT_EQ(*pmd_entry_of(src, va) & (PTE_P | PTE_W), PTE_P);
		EXPECT_EQ(*pmd_entry_of(dst, va), *pmd_entry_of(src, va));
		EXPECT_EQ(page_refcount(pte_table_of(src, va)), 2);
		EXPECT_EQ(lookup_pte(src->pgd, va), ptes[i]);   /* untouched */
		EXPECT_EQ(page_refcount(page_of(ptes[i])), 1);  /* one table maps it */
	}

	/* The child writes pages[0]: its table for PRIV is a copy now, whose
	 * other page (pages[1]) is COW in both; the page written is copied. */
	before = pages_free();
	table = pte_table_of(src, PRIV);
	EXPECT_EQ(handle_mm_fault(dst, PRIV, WFAULT), 0);
	EXPECT(pte_table_of(dst, PRIV) != table);
	EXPECT(pte_table_of(src, PRIV) == table);
	EXPECT_EQ(page_refcount(table), 1);
	EXPECT(*pmd_entry_of(dst, PRIV) & PTE_W);
	EXPECT_EQ(pages_free(), before - 2);            /* the table, the page */
	EXPECT(page_of(lookup_pte(dst->pgd, PRIV)) != page_of(ptes[0]));
	EXPECT(filled_with(page_of(lookup_pte(dst->pgd, PRIV)), PAGE_SIZE, fill(0)));
	EXPECT_EQ(page_refcount(page_of(ptes[0])), 1);
	EXPECT_EQ(page_refcount(page_of(ptes[1])), 2);
	EXPECT(lookup_pte(src->pgd, pages[1].va) & PTE_COW);
	EXPECT_EQ(lookup_pte(dst->pgd, pages[1].va), lookup_pte(src->pgd, pages[1].va));
	EXPECT(pte_table_of(dst, RDONLY) == pte_table_of(src, RDONLY));  /* still shared */

	/* The parent writes pages[1]: the table is its alone, no copy of it;
	 * the page, still in the child's table, is copied. */
	before = pages_free();
	EXPECT_EQ(handle_mm_fault(src, pages[1].va, WFAULT), 0);
	EXPECT(pte_table_of(src, PRIV) == table);
	EXPECT(*pmd_entry_of(src, PRIV) & PTE_W);
	EXPECT_EQ(pages_free(), before - 1);
	EXPECT(filled_with(page_of(lookup_pte(dst->pgd, pages[1].va)), PAGE_SIZE, fill(1)));

	/* The parent goes first: the tables it shared stay with the child. */
	mmput(src);
	for (int i = 2; i < NPAGES; i++) {
		EXPECT_EQ(page_refcount(pte_table_of(dst, pages[i].va)), 1);
		EXPECT(filled_with(page_of(lookup_pte(dst->pgd, pages[i].va)), PAGE_SIZE, fill(i)));
	}
	mmput(dst);
	EXPECT_EQ(pages_free(), start);
}
