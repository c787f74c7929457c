/*
 * Page tables: the kernel's own, and the walk/map/unmap that every address
 * space (see mm/memory.c) is built with.
 */
#include "kernel.h"
#include "arch/x86/pgtable.h"
#include "arch/x86/bootinfo.h"
#include "uapi/errno.h"
#include "arch/x86/memlayout.h"
#include "mm/page_alloc.h"
#include "spinlock.h"
#include "arch/x86/tlb.h"
#include "arch/x86/x86.h"

#define KSTACK_SLOTS    MAX_TASKS
#define KSTACK_STRIDE   ((KSTACK_PAGES + 1) * PAGE_SIZE)    /* + guard page */

extern char __text_start[], __text_end[], __rodata_start[], __rodata_end[];
extern char __data_start[], __bss_end[];

static pte_t *kpgd;                 /* the kernel's PGD; every mm copies its top half */
static int kernel_slots[8], nkernel_slots;  /* its entries in use there (vm_init) */
static pte_t nx;                    /* PTE_NX if the CPU has it, else 0 */
static struct spinlock kvm_lock = SPINLOCK_INIT("kvm");    /* kernel mappings */

pte_t *kernel_pgd(void)
{
	return kpgd;
}

/* The kernel half has a handful of entries, all made by vm_init before any
 * mm: copying those, not the 256 slots, is enough, and taking them out
 * again leaves a PGD that is all zeros. */
void pgd_add_kernel(pte_t *pgd)
{
	for (int i = 0; i < nkernel_slots; i++)
		pgd[kernel_slots[i]] = kpgd[kernel_slots[i]];
}

void pgd_remove_kernel(pte_t *pgd)
{
	for (int i = 0; i < nkernel_slots; i++)
		pgd[kernel_slots[i]] = 0;
}

pte_t *pt_next_level_slow(pte_t *table, uintptr_t va, int level, bool alloc)
{
	pte_t *e = &table[PTE_INDEX(va, level)];

	if (*e & PTE_P) {
		if (*e & PTE_PS)
			return NULL;            /* a huge page: no lower table */
		return P2V(*e & PTE_ADDR);
	}
	if (!alloc)
		return NULL;
	pte_t *t = page_zalloc();
	if (!t)
		return NULL;
	/* Permissions are decided at the last level; keep the upper levels open.
	 * User bit only below the user half, so kernel tables stay kernel-only. */
	*e = V2P(t) | PTE_P | PTE_W | (va < USER_TOP ? PTE_U : 0);
	return t;
}

pte_t *walk(pte_t *pgd, uintptr_t va, bool alloc)
{
	pte_t *table = pgd;

	for (int level = PGD_LEVEL; level > PTE_LEVEL; level--) {
		table = pt_next_level(table, va, level, alloc);
		if (!table)
			return NULL;
	}
	return &table[PTE_INDEX(va, PTE_LEVEL)];
}

int map_page(pte_t *pgd, uintptr_t va, uintptr_t pa, uint64_t flags)
{
	pte_t *pte = walk(pgd, va, true);

	if (!pte)
		return -ENOMEM;
	*pte = (pa & PTE_ADDR) | flags | PTE_P;
	return 0;
}

pte_t unmap_page(pte_t *pgd, uintptr_t va)
{
	pte_t *pte = walk(pgd, va, false);
	pte_t old;

	if (!pte || !(*pte & PTE_P))
		return 0;
	old = *pte;
	*pte = 0;
	return old;
}

pte_t lookup_pte(pte_t *pgd, uintptr_t va)
{
	pte_t *pte = walk(pgd, va, false);

	return pte && (*pte & PTE_P) ? *pte : 0;
}

/* The leaf entries of one PTE table from index i to last: a tight loop,
 * for it runs over every entry of every table an mm has (exit, fork). */
static void walk_ptes(pte_t *table, int i, int last, const struct pt_walk_ops *ops, void *arg)
{
	for (; i <= last; i++)
		if (pte_has_page(table[i]))
			ops->pte(&table[i], arg);
}

/* The entries of `table` (at `level`) that cover [start, end), by index:
 * descend into each lower table present, then tell table_done. */
static void walk_level(pte_t *table, int level, uintptr_t start, uintptr_t end,
		       const struct pt_walk_ops *ops, void *arg)
{
	int shift = PAGE_SHIFT + 9 * level;             /* one entry maps 1 << shift */
	int first = PTE_INDEX(start, level), last = PTE_INDEX(end - 1, level);

	if (level == PTE_LEVEL) {
		if (ops->pte)
			walk_ptes(table, first, last, ops, arg);
		return;
	}
	for (int i = first; i <= last; i++) {
		pte_t e = table[i];
		uintptr_t lo;

		if (!(e & PTE_P) || (e & PTE_PS))
			continue;
		lo = ALIGN_DOWN(start, 1ULL << shift) + ((uintptr_t)(i - first) << shift);
		walk_level(P2V(e & PTE_ADDR), level - 1, MAX(lo, start), MIN(lo + (1ULL << shift), end),
			   ops, arg);
		if (ops->table_done)
			ops->table_done(&table[i], arg);
	}
}

void walk_range(pte_t *pgd, uintptr_t start, uintptr_t end,
		const struct pt_walk_ops *ops, void *arg)
{
	if (start < end)
		walk_level(pgd, PGD_LEVEL, start, end, ops, arg);
}

static void map_range(uintptr_t va, uintptr_t end, uintptr_t pa, uint64_t flags)
{
	for (; va < end; va += PAGE_SIZE, pa += PAGE_SIZE)
		if (map_page(kpgd, va, pa, flags) < 0)
			panic("vm_init: out of memory for kernel page tables");
}

/* All RAM at DIRECT_MAP_BASE, in 2 MiB pages: P2V works for any frame. */
static void map_direct(void)
{
	for (int i = 0; i < bootinfo.nram; i++) {
		uint64_t pa = ALIGN_DOWN(bootinfo.ram[i].start, PMD_SIZE);
		for (; pa < bootinfo.ram[i].end; pa += PMD_SIZE) {
			uintptr_t va = (uintptr_t)P2V(pa);
			pte_t *pmd = kpgd;
			for (int level = 3; level > 1; level--)
				if (!(pmd = pt_next_level(pmd, va, level, true)))
					panic("vm_init: out of memory for the direct map");
			pmd[PTE_INDEX(va, 1)] = pa | PTE_P | PTE_W | PTE_PS | PTE_G | nx;
		}
	}
}

/* This CPU: global pages on (kept across CR3 loads), the kernel's table. */
void vm_init_cpu(void)
{
	uint64_t cr4;

	asm volatile("mov %%cr4, %0" : "=r"(cr4));
	asm volatile("mov %0, %%cr4" : : "r"(cr4 | CR4_PGE));
	write_cr3(V2P(kpgd));
}

void vm_init(void)
{
	nx = (rdmsr(MSR_EFER) & EFER_NXE) ? PTE_NX : 0;
	kpgd = page_zalloc();
	if (!kpgd)
		panic("vm_init: no memory");
	/* Allocate the PUDs of the kernel half now: an mm copies PGD entries
	 * 256..511 once, and later kernel mappings must show up in it. */
	pt_next_level(kpgd, DIRECT_MAP_BASE, PGD_LEVEL, true);
	pt_next_level(kpgd, KSTACK_AREA, PGD_LEVEL, true);
	pt_next_level(kpgd, KERNEL_VMA, PGD_LEVEL, true);
	map_direct();
	/* Make the page tables of every kernel stack slot now, so that
	 * creating and freeing tasks never allocates (or leaks) one. */
	for (uintptr_t va = KSTACK_AREA; va < KSTACK_AREA + KSTACK_SLOTS * KSTACK_STRIDE;
	     va += PAGE_SIZE)
		if (!walk(kpgd, va, true))
			panic("vm_init: out of memory for kernel stack tables");
	/* The kernel image: code read-only and executable, the rest not executable. */
	map_range((uintptr_t)__text_start, (uintptr_t)__text_end, KIMG2P(__text_start), PTE_G);
	map_range((uintptr_t)__rodata_start, (uintptr_t)__rodata_end, KIMG2P(__rodata_start),
		  PTE_G | nx);
	map_range((uintptr_t)__data_start, (uintptr_t)__bss_end, KIMG2P(__data_start),
		  PTE_W | PTE_G | nx);
	for (int i = 256; i < 512; i++)
		if (kpgd[i]) {
			assert(nkernel_slots < (int)ARRAY_SIZE(kernel_slots));
			kernel_slots[nkernel_slots++] = i;
		}
	vm_init_cpu();
}

pte_t vm_nx(void)
{
	return nx;
}

/* Is va mapped in the kernel's tables, by a 4 KiB page or a huge one? */
static bool kernel_mapped(uintptr_t va)
{
	pte_t *table = kpgd;

	for (int level = PGD_LEVEL; level >= PTE_LEVEL; level--) {
		pte_t e = table[PTE_INDEX(va, level)];
		if (!(e & PTE_P))
			return false;
		if (level == PTE_LEVEL || (e & PTE_PS))
			return true;
		table = P2V(e & PTE_ADDR);
	}
	return false;
}

void *vm_map_mmio(uintptr_t pa, size_t size)
{
	spin_lock(&kvm_lock);
	for (uintptr_t p = ALIGN_DOWN(pa, PAGE_SIZE); p < pa + size; p += PAGE_SIZE) {
		uintptr_t va = (uintptr_t)P2V(p);
		if (!kernel_mapped(va) &&
		    map_page(kpgd, va, p, PTE_W | PTE_PCD | PTE_PWT | PTE_G | nx) < 0)
			panic("vm_map_mmio: out of memory");
	}
	spin_unlock(&kvm_lock);
	return P2V(pa);
}

/*
 * A freed stack stays mapped in its slot, up to KSTACK_CACHE of them, and
 * the next task takes it as it is (Linux keeps NR_CACHED_STACKS per CPU):
 * creating a thread then costs no page allocation, mapping or TLB flush.
 *
 * A stack that needs new frames takes them zero-filled, though nothing
 * reads the old contents. The reason is the emulator: QEMU translates guest
 * code per physical page, and a page that still holds translations stays
 * write-protected, so that every store into it is checked against them.
 * Frames freed by an exiting program still hold its code. As a kernel stack
 * that only ever writes its top 2 KiB, such a frame keeps its translations
 * forever, and every push in the kernel takes the slow path: a thread
 * creation ran 35 times slower. Writing the whole frame once drops them.
 */
enum { SLOT_FREE, SLOT_CACHED, SLOT_USED };
static uint8_t kstack_state[KSTACK_SLOTS];                 /* under kvm_lock */
static int kstack_cached[KSTACK_CACHE], ncached;           /* under kvm_lock */
static int nused;                                          /* under kvm_lock */

static uintptr_t kstack_base(int slot)
{
	return KSTACK_AREA + slot * KSTACK_STRIDE + PAGE_SIZE;  /* guard page below */
}

/* Any CPU that ran the task may cache its stack's translations: the
 * frames are freed only once every CPU has flushed them. */
static void kstack_unmap(uintptr_t base, int npages)
{
	pte_t old[KSTACK_PAGES];

	for (int i = 0; i < npages; i++)
		old[i] = unmap_page(kpgd, base + i * PAGE_SIZE);
	flush_tlb_kernel_range(base, base + npages * PAGE_SIZE);
	for (int i = 0; i < npages; i++)
		page_put(P2V(old[i] & PTE_ADDR));
}

/* Give a free slot fresh zero-filled frames; false if memory ran out. */
static bool kstack_map(uintptr_t base)
{
	for (int i = 0; i < KSTACK_PAGES; i++) {
		void *page = page_zalloc();
		if (!page || map_page(kpgd, base + i * PAGE_SIZE, V2P(page),
				      PTE_W | PTE_G | nx) < 0) {
			if (page)
				page_put(page);
			kstack_unmap(base, i);
			return false;
		}
	}
	return true;
}

void *kstack_alloc(void)
{
	int slot = -1;

	spin_lock(&kvm_lock);
	if (ncached > 0) {
		slot = kstack_cached[--ncached];
	} else {
		for (int i = 0; i < KSTACK_SLOTS && slot < 0; i++)
			if (kstack_state[i] == SLOT_FREE)
				slot = i;
		if (slot >= 0 && !kstack_map(kstack_base(slot)))
			slot = -1;
	}
	if (slot >= 0) {
		kstack_state[slot] = SLOT_USED;
		nused++;
	}
	spin_unlock(&kvm_lock);
	return slot >= 0 ? (void *)kstack_base(slot) : NULL;
}

void kstack_free(void *stack)
{
	uintptr_t base = (uintptr_t)stack;
	int slot = (base - KSTACK_AREA) / KSTACK_STRIDE;

	spin_lock(&kvm_lock);
	nused--;
	if (ncached < KSTACK_CACHE) {
		kstack_cached[ncached++] = slot;
		kstack_state[slot] = SLOT_CACHED;
	} else {
		kstack_unmap(base, KSTACK_PAGES);
		kstack_state[slot] = SLOT_FREE;
	}
	spin_unlock(&kvm_lock);
}

void kstack_pages(uint64_t *used, uint64_t *cached)
{
	spin_lock(&kvm_lock);
	*used = (uint64_t)nused * KSTACK_PAGES;
	*cached = (uint64_t)ncached * KSTACK_PAGES;
	spin_unlock(&kvm_lock);
}
