/*
 * panic(): the kernel found a bug in itself. Print the message, the
 * registers and a backtrace with function names, then power off with
 * status 125 (tools/run reports that as "kernel panic").
 */
#include "kernel.h"
#include "drivers/console.h"
#include "arch/x86/trap.h"
#include "arch/x86/x86.h"
#include "arch/x86/cpu.h"
#include "arch/x86/smp.h"

/* The symbol table that tools/mksyms generates from `nm`, sorted by address. */
struct ksym {
	uint64_t addr;
	const char *name;
};
extern const struct ksym ksyms[];
extern const uint64_t ksyms_count;

const char *ksym_lookup(uintptr_t addr, uintptr_t *offset)
{
	uint64_t lo = 0, hi = ksyms_count;

	if (!hi || addr < ksyms[0].addr)
		return NULL;
	while (hi - lo > 1) {           /* the last symbol at or below addr */
		uint64_t mid = (lo + hi) / 2;
		if (ksyms[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	*offset = addr - ksyms[lo].addr;
	return ksyms[lo].name;
}

static void print_addr(uintptr_t addr)
{
	uintptr_t off;
	const char *name = ksym_lookup(addr, &off);

	if (name)
		printk("  [<%016lx>] %s+0x%lx\n", addr, name, off);
	else
		printk("  [<%016lx>] ?\n", addr);
}

/*
 * Every function starts with "push %rbp; mov %rsp, %rbp" (we build with
 * -fno-omit-frame-pointer), so rbp heads a linked list of frames:
 * [rbp] is the caller's rbp and [rbp+8] the return address. boot.S starts
 * the list with rbp = 0.
 */
void backtrace_from(uintptr_t rbp)
{
	printk("backtrace:\n");
	for (int depth = 0; rbp && depth < 32; depth++) {
		uintptr_t *frame = (uintptr_t *)rbp;

		if (rbp & 7 || rbp < 0xffff800000000000)
			break;          /* not a kernel frame: a user rbp, or garbage */
		if (frame[1] == 0)
			break;
		print_addr(frame[1] - 1);   /* -1: the call, not the next instruction */
		rbp = frame[0];
	}
}

static void dump_trapframe(const struct trapframe *tf)
{
	printk("RIP: %04lx:%016lx RFLAGS: %08lx\n", tf->cs, tf->rip, tf->rflags);
	printk("RSP: %04lx:%016lx ERR: %lx VEC: %lu\n", tf->ss, tf->rsp, tf->error, tf->vector);
	printk("RAX: %016lx RBX: %016lx RCX: %016lx\n", tf->rax, tf->rbx, tf->rcx);
	printk("RDX: %016lx RSI: %016lx RDI: %016lx\n", tf->rdx, tf->rsi, tf->rdi);
	printk("RBP: %016lx R8:  %016lx R9:  %016lx\n", tf->rbp, tf->r8, tf->r9);
	printk("R10: %016lx R11: %016lx R12: %016lx\n", tf->r10, tf->r11, tf->r12);
	printk("R13: %016lx R14: %016lx R15: %016lx\n", tf->r13, tf->r14, tf->r15);
	printk("CR2: %016lx CR3: %016lx\n", read_cr2(), read_cr3());
}

/* Where a kernel trapframe was: its rip, then the frames that called it. */
void backtrace_tf(const struct trapframe *tf)
{
	print_addr(tf->rip);
	backtrace_from(tf->rbp);
}

/*
 * One CPU panics; the others stop where they are (an NMI), so that nothing
 * changes under the message, and their backtraces follow its own.
 */
static void __attribute__((noreturn)) die(const struct trapframe *tf, const char *fmt,
					  va_list ap)
{
	static int panicking = -1;      /* the CPU that panics first */
	int first = -1;

	cli();
	if (!__atomic_compare_exchange_n(&panicking, &first, this_cpu()->id, false,
					 __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
		if (first == this_cpu()->id)    /* a panic while panicking: stop quietly */
			poweroff(PANIC_STATUS);
		for (;;)                /* another CPU's panic is being told: wait for its NMI */
			hlt();
	}
	smp_stop_others();
	console_panicking = true;
	printk("\nKernel panic: ");
	vprintk(fmt, ap);
	printk("\n");
	dump_trapframe(tf);
	backtrace_tf(tf);
	smp_show_stopped();
	poweroff(PANIC_STATUS);
}

void panic(const char *fmt, ...)
{
	struct trapframe regs = { 0 };
	va_list ap;

	/* Registers as they are here, so the dump looks like a fault's. */
	asm volatile("mov %%rsp, %0; mov %%rbp, %1; leaq (%%rip), %2"
		     : "=r"(regs.rsp), "=r"(regs.rbp), "=r"(regs.rip));
	asm volatile("mov %%rbx, %0; mov %%r12, %1; mov %%r13, %2; mov %%r14, %3; mov %%r15, %4"
		     : "=m"(regs.rbx), "=m"(regs.r12), "=m"(regs.r13), "=m"(regs.r14),
		       "=m"(regs.r15));
	asm volatile("mov %%cs, %0; mov %%ss, %1" : "=r"(regs.cs), "=r"(regs.ss));
	regs.rflags = read_rflags();
	va_start(ap, fmt);
	die(&regs, fmt, ap);
}

void panic_tf(struct trapframe *tf, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	die(tf, fmt, ap);
}
