/* Per-CPU state, the GDT and the TSS. */
#ifndef CPU_H
#define CPU_H

/* Segment selectors. The order is dictated by syscall/sysret: syscall loads
 * CS from STAR[47:32] and SS = CS + 8; sysret loads SS = STAR[63:48] + 8 and
 * CS = STAR[63:48] + 16. So user data must sit just below user code. */
#define KERNEL_CS   0x08
#define KERNEL_DS   0x10
#define USER_DS     (0x18 | 3)
#define USER_CS     (0x20 | 3)
#define TSS_SEL     0x28

/* Offsets into struct cpu that assembly reads through %gs. */
#define CPU_SYSCALL_RSP  8
#define CPU_USER_RSP     16

/* The most CPUs tasklab runs on; more in the MADT are left in the firmware. */
#define MAX_CPUS         8

#ifndef __ASSEMBLER__
#include <stdint.h>
#include <stdbool.h>

struct tss {
	uint32_t reserved0;
	uint64_t rsp0;          /* kernel stack for interrupts from ring 3 */
	uint64_t rsp1, rsp2;
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));

struct task;
struct mm;
struct spinlock;
struct trapframe;

#define MAX_HELD 8                  /* spinlocks one CPU may hold at once */

/* A task's x87/SSE registers, as fxsave stores them. While the task runs
 * they live in the CPU; the switch saves them here (the kernel itself is
 * built without SSE, so entering it needs no save). */
struct fpu {
	uint8_t fx[512];
} __attribute__((aligned(16)));

/* Where a CPU's timer ticks went (acct.c), /proc/stat's columns. */
enum cpustat {
	CPUSTAT_USER,               /* a task in user mode, nice <= 0 */
	CPUSTAT_NICE,               /* ... nice > 0 */
	CPUSTAT_SYSTEM,             /* a task in the kernel */
	CPUSTAT_IDLE,               /* the idle task */
	NR_CPUSTAT,
};

struct cpu {
	/* The first fields are read by assembly through %gs: keep the offsets. */
	struct cpu *self;           /* 0: this struct's own address */
	uint64_t syscall_rsp;       /* 8: top of the current task's kernel stack */
	uint64_t user_rsp;          /* 16: user rsp saved on syscall entry */
	struct task *current_task;  /* 24: the task running here */
	int id;                     /* index in cpus[]: 0 is the boot CPU */
	uint32_t apic_id;           /* its local APIC's, for IPIs */
	int ncli;                   /* depth of irq_save() nesting */
	bool intena;                /* were interrupts on before the first irq_save? */
	struct task *idle;          /* runs when nothing else can */
	struct mm *active_mm;       /* whose page table CR3 holds */
	struct task *dead;          /* exited task to free once off its stack */
	bool need_resched;          /* the time slice is over: switch soon */
	unsigned long resched_due;  /* CPUs to send a resched IPI once no lock is held */
	uint64_t cpustat[NR_CPUSTAT];       /* ticks, by enum cpustat */
	int nlocks;                 /* spinlocks held, and which (spinlock.c) */
	struct spinlock *held[MAX_HELD];
	struct trapframe *stopped;  /* where a panic on another CPU stopped it */
	uint64_t gdt[8];
	struct tss tss;
};

extern struct cpu cpus[MAX_CPUS];
extern int ncpus;                   /* running: cpus[0 .. ncpus-1] */
extern bool cpu_smap;               /* SMAP is on: RFLAGS.AC would lift it */
#define for_each_online_cpu(c) for ((c) = cpus; (c) < cpus + ncpus; (c)++)

static inline struct cpu *this_cpu(void)
{
	struct cpu *c;
	asm volatile("mov %%gs:0, %0" : "=r"(c));
	return c;
}

void cpu_init(struct cpu *c);
void cpu_set_kernel_stack(uint64_t top);
void syscall_init(void);
uint64_t cpu_hwcap(void);

/* What CPUID says of this CPU, for /proc/cpuinfo. */
struct cpu_ident {
	char vendor[13];
	char model_name[49];
	int family, model, stepping;
	uint32_t max_leaf;
};
void cpu_identify(struct cpu_ident *id);
/* The names Linux gives the feature bits this CPU has, in Linux's order:
 * stores up to max of them in names and returns how many there are. */
int cpu_flag_names(const char **names, int max);

void fpu_init(void);                            /* boot CPU: also the clean state */
void fpu_cpu_init(void);                        /* each CPU: control registers */
void fpu_save(struct fpu *f);                   /* registers -> f */
void fpu_restore(const struct fpu *f);          /* f -> registers */
void fpu_reset(struct fpu *f);                  /* f = the state after reset */
bool fpu_valid(const struct fpu *f);            /* may f be loaded (MXCSR sane)? */

#endif /* __ASSEMBLER__ */

#endif
