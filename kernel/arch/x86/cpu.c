/*
 * Segmentation is mostly off in long mode, but the CPU still wants a GDT
 * (for the privilege level in CS and SS) and a TSS (for the kernel stack to
 * switch to when an interrupt arrives from ring 3).
 */
#include "kernel.h"
#include "arch/x86/cpu.h"
#include "arch/x86/memlayout.h"
#include "arch/x86/x86.h"

struct cpu cpus[MAX_CPUS];
int ncpus = 1;
static char double_fault_stack[MAX_CPUS][PAGE_SIZE] __attribute__((aligned(16)));
static char nmi_stack[MAX_CPUS][PAGE_SIZE] __attribute__((aligned(16)));
static struct fpu fpu_clean;
static uint32_t mxcsr_mask;

/* Descriptor bits: present, DPL, code/data, executable, 64-bit (L). */
#define SEG_KCODE  0x00209a0000000000   /* P, DPL0, code, readable, L */
#define SEG_KDATA  0x0000920000000000   /* P, DPL0, data, writable */
#define SEG_UDATA  0x0000f20000000000   /* P, DPL3, data, writable */
#define SEG_UCODE  0x0020fa0000000000   /* P, DPL3, code, readable, L */

static void set_tss_descriptor(struct cpu *c)
{
	uint64_t base = (uint64_t)&c->tss;
	uint64_t limit = sizeof(c->tss) - 1;

	/* A 16-byte system descriptor: type 9 = available 64-bit TSS. */
	c->gdt[5] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ULL << 40) |
		    (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	c->gdt[6] = base >> 32;
}

static void load_gdt(struct cpu *c)
{
	struct { uint16_t limit; uint64_t base; } __attribute__((packed)) ptr = {
		sizeof(c->gdt) - 1, (uint64_t)c->gdt
	};

	asm volatile("lgdt %0" : : "m"(ptr));
	/* Reload CS with a far return, then the data segments. */
	asm volatile("pushq %0; leaq 1f(%%rip), %%rax; pushq %%rax; lretq; 1:"
		     : : "i"(KERNEL_CS) : "rax", "memory");
	asm volatile("mov %0, %%ds; mov %0, %%es; mov %0, %%ss" : : "r"(KERNEL_DS));
	asm volatile("mov %0, %%fs; mov %0, %%gs" : : "r"(0));
	asm volatile("ltr %w0" : : "r"(TSS_SEL));
}

/* This CPU's descriptor tables and %gs, from its struct cpu c (id set). */
void cpu_init(struct cpu *c)
{
	c->self = c;
	c->gdt[0] = 0;
	c->gdt[1] = SEG_KCODE;
	c->gdt[2] = SEG_KDATA;
	c->gdt[3] = SEG_UDATA;
	c->gdt[4] = SEG_UCODE;
	c->tss.iomap_base = sizeof(c->tss);     /* no I/O permission bitmap */
	/* A double fault gets a stack of its own (trap.c puts IST 1 in its
	 * gate): it is what a kernel stack overflow turns into. */
	c->tss.ist[0] = (uint64_t)double_fault_stack[c->id] + PAGE_SIZE;
	/* So does an NMI (IST 2): it may come in syscall_entry before the
	 * switch to the kernel stack, with the user's rsp in the register. */
	c->tss.ist[1] = (uint64_t)nmi_stack[c->id] + PAGE_SIZE;
	set_tss_descriptor(c);
	load_gdt(c);
	/* %gs:0 finds this struct; swapgs swaps it with the user's GS on entry. */
	wrmsr(MSR_GS_BASE, (uint64_t)c);
	wrmsr(MSR_KERNEL_GS, 0);
}

void cpu_set_kernel_stack(uint64_t top)
{
	struct cpu *c = this_cpu();

	c->tss.rsp0 = top;
	c->syscall_rsp = top;
}

/* syscall jumps to syscall_entry (entry.S) with CS/SS from STAR, and
 * clears the RFLAGS bits in FMASK: interrupts stay off until the entry
 * code is on the kernel stack. */
void syscall_init(void)
{
	extern char syscall_entry[];

	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	/* sysret takes SS = base + 8 and CS = base + 16, so base = user data - 8 */
	wrmsr(MSR_STAR, ((uint64_t)((USER_DS & ~3) - 8) << 48) | ((uint64_t)KERNEL_CS << 32));
	wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
	wrmsr(MSR_FMASK, 0x47700);                      /* IF TF DF AC NT */
}

void fpu_cpu_init(void)
{
	uint64_t cr0, cr4;

	asm volatile("mov %%cr0, %0" : "=r"(cr0));
	cr0 = (cr0 & ~CR0_EM) | CR0_MP | CR0_NE;        /* the FPU is real; its errors, #MF */
	asm volatile("mov %0, %%cr0" : : "r"(cr0));
	asm volatile("mov %%cr4, %0" : "=r"(cr4));
	cr4 |= CR4_OSFXSR | CR4_OSXMMEXCPT;             /* SSE for users */
	asm volatile("mov %0, %%cr4" : : "r"(cr4));
	asm volatile("fninit");
}

void fpu_init(void)
{
	fpu_cpu_init();
	fpu_save(&fpu_clean);
	mxcsr_mask = *(uint32_t *)&fpu_clean.fx[28];
	if (!mxcsr_mask)
		mxcsr_mask = 0xffbf;                    /* the SDM's default */
}

void fpu_save(struct fpu *f)
{
	asm volatile("fxsave64 %0" : "=m"(*f));
}

void fpu_restore(const struct fpu *f)
{
	asm volatile("fxrstor64 %0" : : "m"(*f));
}

void fpu_reset(struct fpu *f)
{
	*f = fpu_clean;
}

/* fxrstor faults on reserved MXCSR bits: check state that came from a user. */
bool fpu_valid(const struct fpu *f)
{
	return (*(const uint32_t *)&f->fx[24] & ~mxcsr_mask) == 0;
}

/* CPUID leaf 1's feature bits (EDX), which Linux passes as AT_HWCAP. */
uint64_t cpu_hwcap(void)
{
	uint32_t a, b, c, d;

	cpuid(1, &a, &b, &c, &d);
	return d;
}
