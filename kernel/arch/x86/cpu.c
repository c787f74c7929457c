/*
 * Segmentation is mostly off in long mode, but the CPU still wants a GDT
 * (for the privilege level in CS and SS) and a TSS (for the kernel stack to
 * switch to when an interrupt arrives from ring 3).
 */
#include "kernel.h"
#include "arch/x86/cpu.h"
#include "arch/x86/memlayout.h"
#include "arch/x86/x86.h"
#include "arch/x86/vdso/vvar.h"

struct cpu cpus[MAX_CPUS];
int ncpus = 1;
static char double_fault_stack[MAX_CPUS][PAGE_SIZE] __attribute__((aligned(16)));
static char nmi_stack[MAX_CPUS][PAGE_SIZE] __attribute__((aligned(16)));
static struct fpu fpu_clean;
static uint32_t mxcsr_mask;
bool cpu_smap;

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

/* A user data segment that no one loads: its limit is the CPU's number,
 * which the vDSO's getcpu reads with lsl, in user mode (node 0). */
static uint64_t cpunode_descriptor(int cpu)
{
	return (uint64_t)(cpu & 0xffff) | (0xf2ULL << 40) | ((uint64_t)(cpu >> 16 & 0xf) << 48);
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

/*
 * SMEP and SMAP, where the CPU has them (CPUID 7, EBX bits 7 and 20):
 * kernel code may then neither execute nor touch a user page, so a stray
 * user pointer in the kernel faults at once (kernel_fault in trap.c names
 * it). The kernel itself never needs the stac that would lift SMAP: the
 * user-copy routines (user_copy in mm/memory.c) reach user memory through
 * the direct map, never at the user's address. CR4 is per CPU: every CPU
 * runs this from cpu_init.
 */
static void protect_from_user(void)
{
	uint32_t max, b, c, d, ebx7;
	uint64_t cr4 = read_cr4();

	cpuid(0, &max, &b, &c, &d);
	if (max < 7)
		return;
	cpuid(7, &max, &ebx7, &c, &d);
	if (ebx7 & (1 << 7))
		cr4 |= CR4_SMEP;
	if (ebx7 & (1 << 20)) {
		cr4 |= CR4_SMAP;
		cpu_smap = true;
	}
	asm volatile("mov %0, %%cr4" : : "r"(cr4) : "memory");
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
	c->gdt[GDT_CPUNODE] = cpunode_descriptor(c->id);
	load_gdt(c);
	/* %gs:0 finds this struct; swapgs swaps it with the user's GS on entry. */
	wrmsr(MSR_GS_BASE, (uint64_t)c);
	wrmsr(MSR_KERNEL_GS, 0);
	protect_from_user();
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

/* CPUID's 0x80000000 range: the highest extended leaf, then the leaf itself
 * if the CPU has it (all zero if not). */
static void cpuid_ext(uint32_t leaf, uint32_t r[4])
{
	cpuid(0x80000000, &r[0], &r[1], &r[2], &r[3]);
	if (r[0] < leaf) {
		r[0] = r[1] = r[2] = r[3] = 0;
		return;
	}
	cpuid(leaf, &r[0], &r[1], &r[2], &r[3]);
}

void cpu_identify(struct cpu_ident *id)
{
	uint32_t a, b, c, d, r[4];
	int family, model;

	cpuid(0, &id->max_leaf, &b, &c, &d);
	memcpy(id->vendor, &b, 4);
	memcpy(id->vendor + 4, &d, 4);
	memcpy(id->vendor + 8, &c, 4);
	id->vendor[12] = '\0';
	cpuid(1, &a, &b, &c, &d);
	/* The extended family and model count only where the SDM says. */
	family = (a >> 8) & 0xf;
	model = (a >> 4) & 0xf;
	if (family == 0xf)
		family += (a >> 20) & 0xff;
	if (family >= 6)
		model += ((a >> 16) & 0xf) << 4;
	id->family = family;
	id->model = model;
	id->stepping = a & 0xf;
	memset(id->model_name, 0, sizeof(id->model_name));
	for (int i = 0; i < 3; i++) {           /* the brand string: 3 x 16 bytes */
		cpuid_ext(0x80000002 + i, r);
		memcpy(id->model_name + 16 * i, r, 16);
	}
}

/* A CPUID register's feature bits and Linux's names for them (as in its
 * arch/x86/include/asm/cpufeatures.h; a bit Linux does not show has none). */
struct feature_word {
	uint32_t leaf;
	int reg;                    /* 0 eax, 1 ebx, 2 ecx, 3 edx */
	const char *names[32];
};

static const struct feature_word feature_words[] = {
	{ 1, 3, { "fpu", "vme", "de", "pse", "tsc", "msr", "pae", "mce", "cx8", "apic", 0,
		  "sep", "mtrr", "pge", "mca", "cmov", "pat", "pse36", "pn", "clflush", 0,
		  "dts", "acpi", "mmx", "fxsr", "sse", "sse2", "ss", "ht", "tm", "ia64", "pbe" } },
	{ 0x80000001, 3, { [11] = "syscall", [19] = "mp", [20] = "nx", [22] = "mmxext",
		  [25] = "fxsr_opt", [26] = "pdpe1gb", [27] = "rdtscp", [29] = "lm",
		  [30] = "3dnowext", [31] = "3dnow" } },
	{ 1, 2, { "pni", "pclmulqdq", "dtes64", "monitor", "ds_cpl", "vmx", "smx", "est",
		  "tm2", "ssse3", "cid", "sdbg", "fma", "cx16", "xtpr", "pdcm", 0, "pcid", "dca",
		  "sse4_1", "sse4_2", "x2apic", "movbe", "popcnt", "tsc_deadline_timer", "aes",
		  "xsave", 0, "avx", "f16c", "rdrand", "hypervisor" } },
	{ 0x80000001, 2, { "lahf_lm", "cmp_legacy", "svm", "extapic", "cr8_legacy", "abm",
		  "sse4a", "misalignsse", "3dnowprefetch", "osvw", "ibs", "xop", "skinit", "wdt",
		  [15] = "lwp", [16] = "fma4", [17] = "tce", [22] = "topoext" } },
	{ 7, 1, { "fsgsbase", [1] = "tsc_adjust", [3] = "bmi1", [4] = "hle", [5] = "avx2",
		  [7] = "smep", [8] = "bmi2", [9] = "erms", [10] = "invpcid", [11] = "rtm",
		  [16] = "avx512f", [18] = "rdseed", [19] = "adx", [20] = "smap",
		  [23] = "clflushopt", [24] = "clwb", [29] = "sha_ni" } },
};

/* The register of leaf that word names; zero if the CPU lacks the leaf. */
static uint32_t feature_bits(const struct feature_word *w, uint32_t max_leaf)
{
	uint32_t r[4] = { 0 };

	if (w->leaf >= 0x80000000)
		cpuid_ext(w->leaf, r);
	else if (w->leaf <= max_leaf)
		cpuid(w->leaf, &r[0], &r[1], &r[2], &r[3]);
	return r[w->reg];
}

int cpu_flag_names(const char **names, int max)
{
	uint32_t max_leaf, b, c, d;
	int n = 0;

	cpuid(0, &max_leaf, &b, &c, &d);
	for (size_t i = 0; i < ARRAY_SIZE(feature_words); i++) {
		uint32_t bits = feature_bits(&feature_words[i], max_leaf);
		for (int bit = 0; bit < 32; bit++) {
			const char *name = feature_words[i].names[bit];
			if (!name || !(bits & (1U << bit)))
				continue;
			if (n < max)
				names[n] = name;
			n++;
		}
	}
	return n;
}
