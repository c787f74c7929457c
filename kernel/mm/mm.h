/*
 * Address spaces. An mm is a page table plus the list of regions (vmas)
 * that say which user addresses are valid and how they may be used. Pages
 * inside a region are allocated on first touch (the page-fault handler), so
 * the page table maps only what the program used. Threads share one mm;
 * fork gives the child a copy (dup_mm -> copy_page_range).
 */
#ifndef MM_H
#define MM_H
#include <stdint.h>
#include <stddef.h>
#include "lib/list.h"
#include "spinlock.h"
#include "refcount.h"
#include "arch/x86/pgtable.h"

/* vma flags */
#define VM_READ     0x1
#define VM_WRITE    0x2
#define VM_EXEC     0x4
#define VM_SHARED   0x8             /* MAP_SHARED: fork shares, never copies */
#define VM_GROWSDOWN 0x10           /* the stack: grows down on a fault below it */
#define VM_SPECIAL  0x20            /* the kernel's pages ([vdso], [vvar]): fork
				       shares them, nothing may write them */

/* Fixed user layout (Linux randomizes these; we keep them predictable).
 * [vvar] and [vdso] sit above the stack, as Linux puts them, in the page
 * tables the stack needs anyway; the last page stays unmapped. */
#define USER_VDSO_TOP    0x00007ffffffff000
#define USER_VDSO_SIZE   (4UL << 12)            /* room for [vvar] and [vdso] */
#define USER_STACK_TOP   (USER_VDSO_TOP - USER_VDSO_SIZE)
#define USER_STACK_MAX   (USER_STACK_TOP - USER_MMAP_TOP)  /* the most RLIMIT_STACK can give */
#define USER_STACK_START (128UL << 10)          /* its first size, as Linux's 128 KiB + */
#define USER_MMAP_TOP    0x00007f0000000000     /* mmap searches down from here */
#define USER_MIN_ADDR    0x10000                /* nothing below: catches NULL+offset */

struct vma {
	uintptr_t start, end;       /* [start, end), page-aligned */
	unsigned flags;             /* VM_* */
	const char *name;           /* "[heap]", "[stack]", the program, or NULL */
	struct list_head node;      /* in mm->vmas, sorted by start */
};

struct mm {
	pte_t *pgd;                 /* top of the page table; what CR3 holds */
	struct list_head vmas;      /* under lock */
	uintptr_t start_brk, brk;   /* the heap is [start_brk, brk) */
	struct mm_layout {          /* where exec put the program, for /proc/PID/stat */
		uintptr_t start_code, end_code, start_data, end_data, start_stack;
		uintptr_t arg_start, arg_end, env_start, env_end;      /* Linux's names */
		uintptr_t stack_max;    /* the most the stack grows: RLIMIT_STACK at exec */
	} layout;
	const char *exe;            /* the program's path, for /proc/PID/exe (exe_path_get/put) */
	int id;                     /* a number for /proc and ps: same id, same mm */
	refcount_t users;           /* tasks sharing this mm */
	unsigned long cpumask;      /* CPUs whose TLB may hold it (arch/x86/tlb.c); atomic */
	uint64_t shootdowns;        /* TLB shootdowns (IPI rounds) it cost */
	struct spinlock lock;       /* vmas, page table entries, brk */
};

/* How fork copies private memory: copies it, shares it copy-on-write,
 * or shares the PTE tables too (On-Demand-Fork, memory.c). */
enum fork_mode { FORK_COPY, FORK_COW, FORK_ODF };
extern enum fork_mode fork_mode;

struct mm *mm_alloc(void);
struct mm *dup_mm(struct mm *old);          /* fork: NULL when out of memory */
void mmget(struct mm *mm);
/* The last put frees it all, and returns how many pages it still mapped
 * (0 from any other put). */
uint64_t mmput(struct mm *mm);
uint64_t mm_resident_pages(struct mm *mm);  /* under mm->lock */
int copy_page_range(struct mm *dst, struct mm *src, struct vma *vma);

/* Regions: add one (exec), or the system calls. vma_add refuses (NULL) a
 * region that would overlap another. */
struct vma *vma_add(struct mm *mm, uintptr_t start, uintptr_t end, unsigned flags,
		    const char *name);
struct vma *vma_lookup(struct mm *mm, uintptr_t addr);    /* containing addr */
bool range_is_free(struct mm *mm, uintptr_t start, uintptr_t end);  /* no region there */
pte_t vma_make_pte(uintptr_t pa, unsigned flags);       /* a leaf entry for a region */

/* A user page fault at addr: 0 when fixed; when the program must get
 * SIGSEGV, -EFAULT if nothing is mapped there (SEGV_MAPERR), -EACCES if a
 * region is but forbids the access (SEGV_ACCERR). -ENOMEM when out of
 * memory. error is the CPU's page-fault error code. */
int handle_mm_fault(struct mm *mm, uintptr_t addr, uint64_t error);

/* Copying to and from user memory. The kernel never dereferences a user
 * pointer: each page is looked up (and faulted in) in the page table and
 * reached through the direct map. Anything else is -EFAULT. */
int copy_to_user(void *dst, const void *src, size_t n);
int copy_from_user(void *dst, const void *src, size_t n);
/* Up to max bytes including the NUL: the length, -EFAULT, or -ENAMETOOLONG. */
long strncpy_from_user(char *dst, const char *src, size_t max);
/* If the aligned user word at uaddr holds *old, make it new: 0; if not,
 * -EAGAIN with its value in *old; or -EFAULT. Atomic (robust futexes). */
int cmpxchg_user_u32(uintptr_t uaddr, uint32_t *old, uint32_t new);
int copy_to_mm(struct mm *mm, uintptr_t dst, const void *src, size_t n);
int copy_from_mm(struct mm *mm, void *dst, uintptr_t src, size_t n);

/* The frame behind a user address, for /proc/self/pagemap: 0 if none. */
uint64_t user_pfn(struct mm *mm, uintptr_t addr);
/* Is the page at addr mapped by mm alone? Under mm->lock. */
bool user_page_exclusive(struct mm *mm, uintptr_t addr);

long sys_brk(uintptr_t addr);
long sys_mmap(uintptr_t addr, size_t len, int prot, int flags, int fd, long off);
long sys_munmap(uintptr_t addr, size_t len);
long sys_mprotect(uintptr_t addr, size_t len, int prot);
long sys_madvise(uintptr_t addr, size_t len, int advice);

#endif
