/*
 * Where things live in the virtual address space. Included from assembly
 * too, so only #defines here.
 *
 *   0x0000000000000000 .. 0x00007fffffffffff   user space (lower half, per mm)
 *   0xffff800000000000 ..                      all RAM, direct-mapped (PML4[256])
 *   0xffffff0000000000 ..                      kernel stacks with guard pages (PML4[510])
 *   0xffffffff80000000 ..                      the kernel image (PML4[511])
 *
 * Every mm's PML4 shares the kernel half (entries 256..511).
 */
#ifndef MEMLAYOUT_H
#define MEMLAYOUT_H

#define KERNEL_VMA       0xffffffff80000000
#define DIRECT_MAP_BASE  0xffff800000000000
#define KSTACK_AREA      0xffffff0000000000
#define USER_TOP         0x0000800000000000   /* first non-canonical address */

#define PAGE_SIZE        4096
#define PAGE_SHIFT       12
#define KSTACK_PAGES     4
#define KSTACK_SIZE      (KSTACK_PAGES * PAGE_SIZE)

/* The most tasks at once (Linux's threads-max): fork and clone fail with
 * EAGAIN beyond it. Each has a kernel stack in the KSTACK_AREA. */
#define MAX_TASKS        512

/* tasklab refuses to boot with less RAM than this. */
#define MIN_RAM_MB       16

#ifndef __ASSEMBLER__
#include <stdint.h>
/* physical <-> kernel virtual, through the direct map */
#define P2V(pa)  ((void *)((uintptr_t)(pa) + DIRECT_MAP_BASE))
#define V2P(va)  ((uintptr_t)(va) - DIRECT_MAP_BASE)
/* the kernel image is linked at KERNEL_VMA but loaded at physical 0 + offset */
#define KIMG2P(va) ((uintptr_t)(va) - KERNEL_VMA)
/* from linker.ld: where the loader put the kernel image (physical) */
extern char __kernel_phys_start[], __kernel_phys_end[];
#endif

#endif
