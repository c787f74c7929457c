/*
 * The physical memory manager: free lists of 4 KiB frames, fed by the
 * boot loader's RAM map, with a reference count per frame.
 */
#include "kernel.h"
#include "mm/page_alloc.h"
#include "mm/fail.h"
#include "arch/x86/bootinfo.h"
#include "arch/x86/cpu.h"
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
static uint64_t nfree;          /* frames on any free list; atomic */
static uint64_t nmanaged;

/*
 * Free frames of two kinds: OTHER, and ZEROED, known to hold only zeros
 * (page_put_zeroed), which page_zalloc hands out without clearing them.
 * The shared lists are under pmm_lock. Each CPU also keeps up to
 * CPU_FRAMES of each kind of its own (Linux's per-CPU page lists): most
 * allocations and frees find or leave a frame there, with interrupts off
 * (nothing else touches a CPU's lists) but no lock. The price: a CPU may
 * keep that many frames while another runs out.
 */
enum { OTHER, ZEROED };
#define CPU_FRAMES 16

struct free_lists {
	struct page *head[2];   /* by kind, linked through next */
	int n[2];
};
static struct free_lists shared;                    /* under pmm_lock */
static struct free_lists cpu_lists[MAX_CPUS];       /* its CPU's, interrupts off */

static void push(struct free_lists *l, int kind, struct page *p)
{
	p->next = l->head[kind];
	l->head[kind] = p;
	l->n[kind]++;
}

/* A frame of `kind` from l, or of the other kind if l has none (*kind
 * says which); NULL if l is empty. */
static struct page *pop(struct free_lists *l, int *kind)
{
	struct page *p;

	if (!l->head[*kind])
		*kind = !*kind;
	if ((p = l->head[*kind])) {
		l->head[*kind] = p->next;
		l->n[*kind]--;
	}
	return p;
}

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
			push(&shared, OTHER, p);
			nfree++;
		}
	}
	nmanaged = nfree;
	if (nmanaged * PAGE_SIZE < (uint64_t)MIN_RAM_MB << 20)
		panic("tasklab needs at least %d MiB of RAM; only %lu KiB is free "
		      "(try QEMU's -m 128)", MIN_RAM_MB, nmanaged * PAGE_SIZE >> 10);
}

/* Take a free frame, of `kind` if there is one (*zeroed: it is ZEROED):
 * this CPU's own first, else a shared one. NULL if none is left. */
static void *take_frame(int kind, bool *zeroed)
{
	struct page *p;

	if (should_fail(FAIL_PAGE))
		return NULL;
	irq_save();
	if (!(p = pop(&cpu_lists[this_cpu()->id], &kind))) {
		spin_lock(&pmm_lock);
		p = pop(&shared, &kind);
		spin_unlock(&pmm_lock);
	}
	irq_restore();
	if (!p)
		return NULL;
	p->refcount = 1;
	p->private = 0;
	__atomic_sub_fetch(&nfree, 1, __ATOMIC_RELAXED);
	*zeroed = kind == ZEROED;
	return page_to_virt(p);
}

/* The zeroed frames are kept for page_zalloc, as long as others are left. */
void *page_alloc(void)
{
	bool zeroed;

	return take_frame(OTHER, &zeroed);
}

void *page_zalloc(void)
{
	bool zeroed;
	void *kva = take_frame(ZEROED, &zeroed);

	if (kva && !zeroed)
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

/*
 * One reference fewer; the last one adds the frame to the batch, to go on
 * a ZEROED (zeroed) or OTHER free list when the batch is given back.
 */
void page_put_batched(struct page_batch *b, void *kva, bool zeroed)
{
	struct page *p = virt_to_page(kva);
	int left = __atomic_sub_fetch(&p->refcount, 1, __ATOMIC_ACQ_REL);

	if (left < 0)
		panic("page_put: frame 0x%lx is %s", V2P(kva), left < -1 ? "reserved" : "already free");
	if (left > 0)
		return;
	p->next = zeroed ? b->zeroed : b->other;
	*(zeroed ? &b->zeroed : &b->other) = p;
	b->n++;
}

/* The frames of chain go on this CPU's list of their kind while it has
 * room, the rest on *rest. */
static void give_back(struct free_lists *mine, int kind, struct page *chain, struct page **rest)
{
	while (chain) {
		struct page *p = chain;

		chain = p->next;
		if (mine->n[kind] < CPU_FRAMES) {
			push(mine, kind, p);
		} else {
			p->next = *rest;
			*rest = p;
		}
	}
}

void page_batch_free(struct page_batch *b)
{
	struct page *rest[2] = { NULL, NULL };
	struct free_lists *mine;

	if (b->n == 0)
		return;
	__atomic_add_fetch(&nfree, b->n, __ATOMIC_RELAXED);
	irq_save();
	mine = &cpu_lists[this_cpu()->id];
	give_back(mine, OTHER, b->other, &rest[OTHER]);
	give_back(mine, ZEROED, b->zeroed, &rest[ZEROED]);
	if (rest[OTHER] || rest[ZEROED]) {
		spin_lock(&pmm_lock);
		for (int kind = OTHER; kind <= ZEROED; kind++)
			while (rest[kind]) {
				struct page *p = rest[kind];

				rest[kind] = p->next;
				push(&shared, kind, p);
			}
		spin_unlock(&pmm_lock);
	}
	irq_restore();
	*b = (struct page_batch){ 0 };
}

void page_put(void *kva)
{
	struct page_batch b = { 0 };

	page_put_batched(&b, kva, false);
	page_batch_free(&b);
}

void page_put_zeroed(void *kva)
{
	struct page_batch b = { 0 };

	page_put_batched(&b, kva, true);
	page_batch_free(&b);
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
	return __atomic_load_n(&nfree, __ATOMIC_RELAXED);
}

/* Other CPUs' counts are read as they go by: for the tests, on one CPU. */
uint64_t pages_free_zeroed(void)
{
	uint64_t n;

	spin_lock(&pmm_lock);
	n = shared.n[ZEROED];
	spin_unlock(&pmm_lock);
	for (int i = 0; i < ncpus; i++)
		n += __atomic_load_n(&cpu_lists[i].n[ZEROED], __ATOMIC_RELAXED);
	return n;
}

uint64_t pages_total(void)
{
	return nmanaged;
}

uint64_t ram_top(void)
{
	return nframes << PAGE_SHIFT;
}
