/*
 * The physical memory manager: a free list of 4 KiB frames, fed by the
 * boot loader's RAM map, with a reference count per frame.
 */
#include "kernel.h"
#include "mm/page_alloc.h"
#include "mm/fail.h"
#include "arch/x86/bootinfo.h"
#include "arch/x86/memlayout.h"
#include "spinlock.h"

#define RESERVED  (-1)          /* refcount of frames never handed out */

struct page {
	int refcount;           /* 0 free, RESERVED, else mappings + owners; atomic */
	union {
		struct page *next;      /* in the free list, while free */
		unsigned long private;  /* the owner's, while allocated */
	};
};

static struct spinlock pmm_lock = SPINLOCK_INIT("pmm");
static struct page *mem_map;    /* one struct page per frame, by frame number */
static uint64_t nframes;        /* frames covered by mem_map */
static struct page *free_list;  /* protected by pmm_lock */
static uint64_t nfree, nmanaged;

static struct page *virt_to_page(const void *kva)
{
	uint64_t pfn = V2P(kva) >> PAGE_SHIFT;

	if (pfn >= nframes || ((uintptr_t)kva & (PAGE_SIZE - 1)))
		panic("virt_to_page: %p is not a page of RAM", kva);
	return &mem_map[pfn];
}

static void *page_to_virt(struct page *p)
{
	return P2V((uint64_t)(p - mem_map) << PAGE_SHIFT);
}

static bool overlaps(uint64_t a, uint64_t b, uint64_t start, uint64_t end)
{
	return a < end && start < b;
}

/* May frame [pa, pa + PAGE_SIZE) be handed out? */
static bool frame_usable(uint64_t pa, uint64_t map_end)
{
	uint64_t end = pa + PAGE_SIZE;

	if (pa < 0x100000)                  /* BIOS data, VGA, ROMs */
		return false;
	if (overlaps(pa, end, (uint64_t)__kernel_phys_start,
		     map_end))                  /* the kernel image and mem_map */
		return false;
	for (int i = 0; i < bootinfo.nmodules; i++)
		if (overlaps(pa, end, bootinfo.modules[i].start, bootinfo.modules[i].end))
			return false;
	return true;
}

/* mem_map goes right after the kernel image and the modules. */
static uint64_t place_mem_map(void)
{
	uint64_t at = (uint64_t)__kernel_phys_end;

	for (int i = 0; i < bootinfo.nmodules; i++)
		at = MAX(at, bootinfo.modules[i].end);
	return ALIGN_UP(at, PAGE_SIZE);
}

void pmm_init(void)
{
	uint64_t top = 0, map_pa, map_end;

	for (int i = 0; i < bootinfo.nram; i++)
		top = MAX(top, bootinfo.ram[i].end);
	nframes = top >> PAGE_SHIFT;
	map_pa = place_mem_map();
	map_end = ALIGN_UP(map_pa + nframes * sizeof(struct page), PAGE_SIZE);
	if (map_end > top)
		panic("tasklab needs at least %d MiB of RAM; this machine has %lu KiB "
		      "(try QEMU's -m 128)", MIN_RAM_MB, top >> 10);
	mem_map = P2V(map_pa);
	for (uint64_t i = 0; i < nframes; i++)
		mem_map[i].refcount = RESERVED;

	/* Push from the top down, so the list hands out low frames first: the
	 * early page tables map only the first 1 GiB until vm_init is done. */
	for (int r = bootinfo.nram - 1; r >= 0; r--) {
		uint64_t lo = ALIGN_UP(bootinfo.ram[r].start, PAGE_SIZE);
		uint64_t hi = ALIGN_DOWN(bootinfo.ram[r].end, PAGE_SIZE);
		for (uint64_t pa = hi; pa > lo; pa -= PAGE_SIZE) {
			struct page *p = &mem_map[(pa - PAGE_SIZE) >> PAGE_SHIFT];
			if (!frame_usable(pa - PAGE_SIZE, map_end))
				continue;
			p->refcount = 0;
			p->next = free_list;
			free_list = p;
			nfree++;
		}
	}
	nmanaged = nfree;
	if (nmanaged * PAGE_SIZE < (uint64_t)MIN_RAM_MB << 20)
		panic("tasklab needs at least %d MiB of RAM; only %lu KiB is free "
		      "(try QEMU's -m 128)", MIN_RAM_MB, nmanaged * PAGE_SIZE >> 10);
}

void *page_alloc(void)
{
	struct page *p;

	if (should_fail(FAIL_PAGE))
		return NULL;
	spin_lock(&pmm_lock);
	p = free_list;
	if (p) {
		free_list = p->next;
		p->refcount = 1;
		p->private = 0;
		nfree--;
	}
	spin_unlock(&pmm_lock);
	return p ? page_to_virt(p) : NULL;
}

void *page_zalloc(void)
{
	void *kva = page_alloc();

	if (kva)
		memset(kva, 0, PAGE_SIZE);
	return kva;
}

/* Reference counts change with atomic instructions, without pmm_lock:
 * fork takes one per shared page, so this is on its hottest path. Only a
 * frame's return to the free list needs the lock. */
void page_get(void *kva)
{
	struct page *p = virt_to_page(kva);
	int old = __atomic_fetch_add(&p->refcount, 1, __ATOMIC_RELAXED);

	if (old <= 0)
		panic("page_get: frame 0x%lx is %s", V2P(kva), old ? "reserved" : "free");
}

void page_put(void *kva)
{
	struct page *p = virt_to_page(kva);
	int left = __atomic_sub_fetch(&p->refcount, 1, __ATOMIC_ACQ_REL);

	if (left < 0)
		panic("page_put: frame 0x%lx is %s", V2P(kva), left < -1 ? "reserved" : "already free");
	if (left > 0)
		return;
	spin_lock(&pmm_lock);
	p->next = free_list;
	free_list = p;
	nfree++;
	spin_unlock(&pmm_lock);
}

bool page_put_unless_last(void *kva)
{
	struct page *p = virt_to_page(kva);
	int old = __atomic_load_n(&p->refcount, __ATOMIC_ACQUIRE);

	do {
		if (old <= 0)
			panic("page_put_unless_last: frame 0x%lx is %s", V2P(kva),
			      old ? "reserved" : "free");
		if (old == 1)
			return false;
	} while (!__atomic_compare_exchange_n(&p->refcount, &old, old - 1, false,
					      __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE));
	return true;
}

int page_refcount(const void *kva)
{
	return virt_to_page(kva)->refcount;
}

unsigned long page_private(const void *kva)
{
	return virt_to_page(kva)->private;
}

void set_page_private(void *kva, unsigned long value)
{
	virt_to_page(kva)->private = value;
}

uint64_t pages_free(void)
{
	return nfree;
}

uint64_t pages_total(void)
{
	return nmanaged;
}

uint64_t ram_top(void)
{
	return nframes << PAGE_SHIFT;
}
