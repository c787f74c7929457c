/*
 * The IDT, and trap(): where every interrupt and exception arrives with the
 * registers saved in a trapframe. A fault in the kernel is a kernel bug and
 * panics; a fault in user mode is the program's and (once there are user
 * programs) kills it with a signal.
 */
#include "kernel.h"
#include "arch/x86/trap.h"
#include "arch/x86/cpu.h"
#include "arch/x86/apic.h"
#include "arch/x86/memlayout.h"
#include "arch/x86/smp.h"
#include "uapi/errno.h"
#include "mm/mm.h"
#include "signal.h"
#include "syscall.h"
#include "task.h"
#include "arch/x86/x86.h"

struct gate {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;      /* P, DPL, type (0xe = 64-bit interrupt gate) */
	uint16_t offset_mid;
	uint32_t offset_hi;
	uint32_t reserved;
} __attribute__((packed));

static struct gate idt[256];
static irq_handler_t irq_handlers[256];
extern char trap_vectors[];     /* entry.S: 256 stubs, 16 bytes apart */

static const char *const exception_names[32] = {
	"divide error", "debug", "NMI", "breakpoint", "overflow",
	"bound range exceeded", "invalid opcode", "device not available",
	"double fault", "coprocessor segment overrun", "invalid TSS",
	"segment not present", "stack-segment fault", "general protection fault",
	"page fault", "reserved (15)", "x87 floating-point error", "alignment check",
	"machine check", "SIMD floating-point error", "virtualization exception",
	"control protection exception", "reserved (22)", "reserved (23)",
	"reserved (24)", "reserved (25)", "reserved (26)", "reserved (27)",
	"hypervisor injection", "VMM communication", "security exception",
	"reserved (31)",
};

const char *trap_name(uint64_t vector)
{
	if (vector < 32)
		return exception_names[vector];
	return vector == T_SPURIOUS ? "spurious interrupt" : "interrupt";
}

static void set_gate(int n, uintptr_t handler, int dpl, int ist)
{
	idt[n] = (struct gate){
		.offset_lo = handler & 0xffff,
		.selector = KERNEL_CS,
		.ist = ist,
		.type_attr = 0x80 | (dpl << 5) | 0xe,
		.offset_mid = (handler >> 16) & 0xffff,
		.offset_hi = handler >> 32,
	};
}

/* Every CPU uses the one IDT. */
void idt_load(void)
{
	struct { uint16_t limit; uint64_t base; } __attribute__((packed)) ptr = {
		sizeof(idt) - 1, (uint64_t)idt
	};

	asm volatile("lidt %0" : : "m"(ptr));
}

void trap_init(void)
{
	for (int n = 0; n < 256; n++)
		set_gate(n, (uintptr_t)trap_vectors + 16 * n, 0, 0);
	/* int3 may be used from user mode (debuggers, breakpoints in tests). */
	set_gate(T_BRKPT, (uintptr_t)trap_vectors + 16 * T_BRKPT, 3, 0);
	/* A double fault runs on its own stack (TSS IST 1): when the kernel
	 * stack overflows into its guard page, the old one is unusable. */
	set_gate(T_DBLFLT, (uintptr_t)trap_vectors + 16 * T_DBLFLT, 0, 1);
	set_gate(T_NMI, (uintptr_t)trap_vectors + 16 * T_NMI, 0, 2);
	idt_load();
}

void irq_register(int vector, irq_handler_t fn)
{
	irq_handlers[vector] = fn;
}

/*
 * A kernel page fault on a user page that is there: SMEP or SMAP refused
 * it. The user-copy routines never fault on a user address (they go
 * through the direct map), so the kernel dereferenced a user pointer.
 */
static void smep_smap_panic(struct trapframe *tf)
{
	uintptr_t addr = read_cr2();

	if (addr >= USER_TOP || !(tf->error & PF_PRESENT))
		return;
	if ((tf->error & PF_FETCH) && (read_cr4() & CR4_SMEP))
		panic_tf(tf, "kernel executed user memory at 0x%lx (SMEP)", addr);
	if (!(tf->error & PF_FETCH) && (read_cr4() & CR4_SMAP))
		panic_tf(tf, "kernel touched user memory at 0x%lx outside the user-copy "
			 "routines (SMAP)", addr);
}

/* Exceptions the kernel causes are bugs: say everything we know, then stop. */
static void kernel_fault(struct trapframe *tf)
{
	if (tf->vector == T_PGFLT) {
		smep_smap_panic(tf);
		panic_tf(tf, "%s at 0x%lx (%s, %s) in kernel mode", trap_name(tf->vector),
			 read_cr2(), tf->error & PF_PRESENT ? "protection" : "not present",
			 tf->error & PF_WRITE ? "write" : tf->error & PF_FETCH ? "fetch" : "read");
	}
	if (tf->vector == T_DBLFLT)     /* the CPU could not even push a frame */
		panic_tf(tf, "double fault in kernel mode: a kernel stack ran into its guard page?");
	panic_tf(tf, "%s (vector %lu, error 0x%lx) in kernel mode",
		 trap_name(tf->vector), tf->vector, tf->error);
}

/*
 * The signal a CPU exception in user mode means, as on Linux (the ktest
 * trap_fault_signal pins it). A stack access through a non-canonical rsp
 * is a stack-segment fault (#SS) on real hardware, hence SIGBUS, but
 * QEMU's TCG checks canonical form in its page walk, for every access
 * alike, and raises #GP: there Linux and tasklab both give
 * tests/abi/badstack SIGSEGV. The ABI tests take Linux's answer from that
 * same QEMU.
 */
int fault_signal(uint64_t vector)
{
	switch (vector) {
	case T_DIVIDE:
	case T_FPERR:
	case T_SIMDERR:
		return SIGFPE;
	case T_ILLOP:
		return SIGILL;
	case T_DEBUG:
	case T_BRKPT:
		return SIGTRAP;
	case T_SEGNP:
	case T_STACK:
	case T_ALIGN:
		return SIGBUS;
	}
	return SIGSEGV;
}

/* SIGFPE's si_code for an x87 (#MF) or SIMD (#XM) exception: the
 * exception its status flags show raised and unmasked, the first in
 * Linux's order; 0 if none (a spurious one, which sends no signal). The
 * registers still hold the program's FPU state. */
static int fpu_fault_code(uint64_t vector)
{
	uint32_t raised;

	if (vector == T_SIMDERR) {
		uint32_t mxcsr;

		asm volatile("stmxcsr %0" : "=m"(mxcsr));
		raised = mxcsr & ~(mxcsr >> 7);         /* flags 0-5, masks 7-12 */
	} else {
		uint16_t cw, sw;

		asm volatile("fnstcw %0; fnstsw %1" : "=m"(cw), "=m"(sw));
		raised = sw & ~cw;                      /* flags and masks 0-5 */
	}
	if (raised & 0x01)
		return FPE_FLTINV;
	if (raised & 0x04)
		return FPE_FLTDIV;
	if (raised & 0x08)
		return FPE_FLTOVF;
	if (raised & 0x12)
		return FPE_FLTUND;                      /* underflow, or a denormal operand */
	if (raised & 0x20)
		return FPE_FLTRES;
	return 0;
}

/* The si_code of the signal for a CPU exception in user mode, as Linux
 * gives it: what went wrong, where the exception says; SI_KERNEL for the
 * rest (int3, #GP, #NP, #SS). mm_err is handle_mm_fault's answer. */
static int fault_code(uint64_t vector, int mm_err)
{
	switch (vector) {
	case T_DIVIDE:
		return FPE_INTDIV;
	case T_ILLOP:
		return ILL_ILLOPN;
	case T_DEBUG:
		return TRAP_TRACE;      /* TF: tasklab sets no hardware breakpoints */
	case T_ALIGN:
		return BUS_ADRALN;
	case T_FPERR:
	case T_SIMDERR:
		return fpu_fault_code(vector);
	case T_PGFLT:
		return mm_err == -EACCES ? SEGV_ACCERR : SEGV_MAPERR;
	}
	return SI_KERNEL;
}

/* Will this signal end the program (no handler)? Then say why, once. */
static bool fatal(int sig)
{
	return current->sighand->action[sig - 1].handler == SIG_DFL;
}

/*
 * An exception caused by user code: a page fault the mm can fix, or a
 * signal for the program. One line in the log for a fatal one, in
 * Linux's words.
 */
static void user_fault(struct trapframe *tf)
{
	struct task *t = current;
	uintptr_t addr = tf->vector == T_PGFLT ? read_cr2() : tf->rip;
	int sig = fault_signal(tf->vector), err = 0, code;

	if (tf->vector == T_PGFLT) {
		err = handle_mm_fault(t->mm, addr, tf->error);
		if (err == 0) {
			t->min_flt++;           /* getrusage's ru_minflt */
			return;
		}
		if (err == -ENOMEM) {
			printk("Out of memory: killed %s[%d] (page fault at 0x%lx)\n",
			       t->comm, t->tid, addr);
			force_signal(SIGKILL, SI_KERNEL, addr);
			return;
		}
		if (fatal(sig))
			printk("%s[%d]: segfault at %lx ip %016lx sp %016lx error %lx\n",
			       t->comm, t->tid, addr, tf->rip, tf->rsp, tf->error);
	} else if (fatal(sig) && sig != SIGTRAP) {
		printk("traps: %s[%d] %s ip:%lx sp:%lx error:%lx\n", t->comm, t->tid,
		       trap_name(tf->vector), tf->rip, tf->rsp, tf->error);
	}
	code = fault_code(tf->vector, err);
	if (code)               /* 0: an FPU exception with nothing to report */
		force_signal(sig, code, addr);
}

void trap(struct trapframe *tf)
{
	bool from_user = tf->cs & 3;

	if (tf->vector == T_NMI)
		smp_stopped(tf);        /* never returns */
	/* A program may set RFLAGS.AC, which lifts SMAP; an interrupt gate
	 * keeps it (syscall clears it by FMASK): not for the kernel's code. */
	if (from_user && cpu_smap)
		asm volatile("clac" ::: "memory");
	if (tf->vector >= T_IRQ0) {
		if (irq_handlers[tf->vector])
			irq_handlers[tf->vector](tf);
		if (tf->vector != T_SPURIOUS)
			lapic_eoi();
	} else if (from_user) {
		sti();          /* the fault is the program's: the kernel may block */
		user_fault(tf);
	} else {
		kernel_fault(tf);
	}
	if (from_user)
		return_to_user(tf);
}
