/* Thin wrappers around x86 instructions that C cannot express. */
#ifndef X86_H
#define X86_H
#include <stdint.h>

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;
	asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outb(uint16_t port, uint8_t v)
{
	asm volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outw(uint16_t port, uint16_t v)
{
	asm volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;
	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	asm volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static inline void cpuid(uint32_t leaf, uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d)
{
	asm volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(0));
}

static inline uint64_t read_cr2(void)
{
	uint64_t v;
	asm volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

static inline uint64_t read_cr3(void)
{
	uint64_t v;
	asm volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

static inline void write_cr3(uint64_t v)
{
	asm volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}

static inline uint64_t read_cr4(void)
{
	uint64_t v;
	asm volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static inline void invlpg(uintptr_t va)
{
	asm volatile("invlpg (%0)" : : "r"(va) : "memory");
}

static inline uint64_t read_rflags(void)
{
	uint64_t v;
	asm volatile("pushfq; popq %0" : "=r"(v));
	return v;
}

#define RFLAGS_IF (1 << 9)

static inline void cli(void) { asm volatile("cli" ::: "memory"); }
static inline void sti(void) { asm volatile("sti" ::: "memory"); }
static inline void hlt(void) { asm volatile("hlt" ::: "memory"); }
static inline void pause(void) { asm volatile("pause"); }

/* MSRs */
#define MSR_EFER          0xc0000080
#define MSR_STAR          0xc0000081
#define MSR_LSTAR         0xc0000082
#define MSR_FMASK         0xc0000084
#define MSR_FS_BASE       0xc0000100
#define MSR_GS_BASE       0xc0000101
#define MSR_KERNEL_GS     0xc0000102
#define MSR_APIC_BASE     0x1b

/* Control-register and EFER bits, by the Intel SDM's names (vol. 3, 2.5 and 2.2.1). */
#define CR0_MP            (1 << 1)      /* monitor coprocessor: wait/fwait honour TS */
#define CR0_EM            (1 << 2)      /* emulate the FPU (trap on every FPU instruction) */
#define CR0_NE            (1 << 5)      /* x87 errors raise #MF, not the PC's FERR# line */
#define CR4_PGE           (1 << 7)      /* global pages survive a CR3 load */
#define CR4_OSFXSR        (1 << 9)      /* the OS saves SSE state with fxsave: SSE allowed */
#define CR4_OSXMMEXCPT    (1 << 10)     /* SIMD exceptions raise #XM, not #UD */
#define CR4_SMEP          (1 << 20)     /* the kernel may not execute user pages */
#define CR4_SMAP          (1 << 21)     /* nor read or write them (unless RFLAGS.AC) */
#define EFER_SCE          (1 << 0)      /* syscall/sysret enabled */
#define EFER_LME          (1 << 8)      /* long mode */
#define EFER_NXE          (1 << 11)     /* the NX bit of page-table entries is honoured */

#endif
