/* Interrupts and exceptions: the IDT and the frame every entry saves. */
#ifndef TRAP_H
#define TRAP_H
#include <stdint.h>

/* What entry.S pushes, lowest address first. The last five words are
 * pushed by the CPU itself; error is the CPU's error code or 0, except in
 * a system call's frame (vector TRAP_SYSCALL), where it is the call's
 * number, or -1 once no restart may run it again (Linux's orig_ax). */
struct trapframe {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;
};

/* Vectors 0..31 are the CPU's exceptions; the rest are ours. */
#define T_DIVIDE    0
#define T_DEBUG     1
#define T_NMI       2           /* a panic on another CPU stops this one with it */
#define T_BRKPT     3
#define T_ILLOP     6
#define T_DBLFLT    8
#define T_SEGNP     11          /* segment not present */
#define T_STACK     12          /* stack-segment fault */
#define T_GPFLT     13
#define T_PGFLT     14
#define T_FPERR     16          /* x87 floating-point error */
#define T_ALIGN     17          /* alignment check */
#define T_SIMDERR   19          /* SIMD floating-point error */
#define T_IRQ0      32          /* first device interrupt */
#define T_TIMER     T_IRQ0
#define T_SERIAL    (T_IRQ0 + 4)
#define T_RESCHED   0xf0        /* IPI: look at the run queue (sched.c) */
#define T_SHOOTDOWN 0xf1        /* IPI: flush the TLB as asked (tlb.c) */
#define T_SPURIOUS  0xff
#define TRAP_SYSCALL ((uint64_t)-1) /* not a vector: entry.S's mark of a system call */

/* Page-fault error code bits. */
#define PF_PRESENT  0x1         /* 0: page not present; 1: protection violation */
#define PF_WRITE    0x2
#define PF_USER     0x4
#define PF_FETCH    0x10

typedef void (*irq_handler_t)(struct trapframe *tf);

void trap_init(void);
void idt_load(void);
void irq_register(int vector, irq_handler_t fn);
const char *trap_name(uint64_t vector);
int fault_signal(uint64_t vector);
void trap(struct trapframe *tf);

#endif
