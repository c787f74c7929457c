/*
 * The x86-64 side of signal handling (Linux's arch/x86/kernel/signal.c):
 * the frame a handler runs on, in Linux's layout (rt_sigframe: the return
 * address, the ucontext with the saved registers and mask, the siginfo),
 * where it goes on the user stack, and rt_sigreturn, which the handler
 * returns through to put the saved registers back.
 */
#include "kernel.h"
#include "signal.h"
#include "signal_internal.h"
#include "uapi/errno.h"
#include "mm/mm.h"
#include "syscall.h"
#include "task.h"
#include "arch/x86/trap.h"

struct sigcontext {
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
	uint16_t cs, gs, fs, ss;
	uint64_t err, trapno, oldmask, cr2;
	uint64_t fpstate;           /* user address of the saved FPU/SSE state */
	uint64_t reserved[8];
};

struct ucontext {
	uint64_t uc_flags, uc_link;
	struct sigstack uc_stack;
	struct sigcontext mcontext;
	uint64_t sigmask;
};

struct siginfo {
	struct kernel_siginfo head;
	uint8_t rest[128 - sizeof(struct kernel_siginfo)];
};

struct rt_sigframe {
	uint64_t restorer;          /* the handler's return address: calls rt_sigreturn */
	struct ucontext uc;
	struct siginfo info;
};

#define RED_ZONE   128              /* the ABI lets leaf code use 128 bytes below rsp */
#define USER_RFLAGS 0x40dd5         /* flags a program may set: CF PF AF ZF SF TF DF OF AC */

static void save_sigcontext(struct sigcontext *sc, const struct trapframe *tf)
{
	*sc = (struct sigcontext){
		.r8 = tf->r8, .r9 = tf->r9, .r10 = tf->r10, .r11 = tf->r11,
		.r12 = tf->r12, .r13 = tf->r13, .r14 = tf->r14, .r15 = tf->r15,
		.rdi = tf->rdi, .rsi = tf->rsi, .rbp = tf->rbp, .rbx = tf->rbx,
		.rdx = tf->rdx, .rax = tf->rax, .rcx = tf->rcx, .rsp = tf->rsp,
		.rip = tf->rip, .eflags = tf->rflags, .cs = tf->cs, .ss = tf->ss,
		.trapno = tf->vector,
		.err = tf->vector == TRAP_SYSCALL ? 0 : tf->error,     /* not orig_ax */
	};
}

/* Where a handler's frame goes below: under the red zone of the stack in
 * use, or the top of the alternate stack for an SA_ONSTACK handler when
 * one is set up and not already in use (as Linux's get_sigframe). *alt
 * says whether the frame must then fit on the alternate stack. */
static uintptr_t frame_top(struct task *t, uintptr_t sp, const struct kernel_sigaction *ka,
			   bool *alt)
{
	*alt = sas_ss_flags(t, sp) == SS_ONSTACK;
	if ((ka->flags & SA_ONSTACK) && sas_ss_flags(t, sp) == 0) {
		*alt = true;
		return t->sas.sp + t->sas.size;
	}
	return sp - RED_ZONE;
}

int setup_signal_frame(struct trapframe *tf, const struct kernel_siginfo *info,
		       const struct kernel_sigaction *ka)
{
	int sig = info->signo;
	struct task *t = current;
	struct rt_sigframe frame = { 0 };
	uintptr_t fx, sp, top;
	bool alt;

	if (!(ka->flags & SA_RESTORER))
		return -EFAULT;         /* x86-64 programs must say how to return */
	top = frame_top(t, tf->rsp, ka, &alt);
	fx = ALIGN_DOWN(top - sizeof(t->fpu), 64);
	sp = ALIGN_DOWN(fx - sizeof(frame), 16) - 8;    /* as if called: rsp+8 aligned */
	if (alt && !(sp > t->sas.sp && sp - t->sas.sp <= t->sas.size))
		return -EFAULT;         /* it would overflow the alternate stack */
	fpu_save(&t->fpu);
	frame.restorer = (uint64_t)ka->restorer;
	save_sigcontext(&frame.uc.mcontext, tf);
	frame.uc.mcontext.fpstate = fx;
	frame.uc.mcontext.cr2 = t->fault_addr;
	/* after rt_sigsuspend, the mask to come back to is the caller's own */
	frame.uc.sigmask = t->restore_sigmask ? t->saved_sigmask : t->blocked;
	frame.uc.uc_stack = altstack_of(t, tf->rsp);
	frame.info.head = *info;
	if (copy_to_user((void *)fx, &t->fpu, sizeof(t->fpu)) ||
	    copy_to_user((void *)sp, &frame, sizeof(frame)))
		return -EFAULT;
	t->restore_sigmask = false;     /* the frame has it */
	if (t->sas.flags & SS_AUTODISARM)
		reset_altstack(t);      /* until rt_sigreturn puts it back */
	/* The handler starts with a clean FPU, as on Linux: no x87 exception
	 * left pending (SIGFPE's) to raise #MF again at its first x87 use. */
	fpu_reset(&t->fpu);
	fpu_restore(&t->fpu);
	tf->rsp = sp;
	tf->rip = (uint64_t)ka->handler;
	tf->rdi = sig;
	tf->rsi = sp + offsetof(struct rt_sigframe, info);
	tf->rdx = sp + offsetof(struct rt_sigframe, uc);
	tf->rax = 0;
	tf->rflags &= ~(1 << 8 | 1 << 10);      /* TF, DF: a clean start for the handler */
	t->blocked |= ka->mask | (ka->flags & SA_NODEFER ? 0 : sigmask(sig));
	t->blocked &= ~UNBLOCKABLE;
	return 0;
}

/* Load the FPU/SSE state a handler's frame holds at user address u. A
 * handler may set the pointer to NULL: then, as on Linux, the registers
 * start afresh (the state after reset). */
static int fpu_load_user(struct task *t, uintptr_t u)
{
	struct fpu f;

	if (!u)
		fpu_reset(&f);
	else if (copy_from_user(&f, (void *)u, sizeof(f)) || !fpu_valid(&f))
		return -EFAULT;
	t->fpu = f;
	fpu_restore(&t->fpu);
	return 0;
}

long sys_rt_sigreturn(void)
{
	struct task *t = current;
	struct trapframe *tf = t->tf;
	uintptr_t frame = tf->rsp - 8;          /* the handler's ret popped `restorer` */
	struct ucontext uc;
	struct sigcontext *sc = &uc.mcontext;

	if (copy_from_user(&uc, (void *)(frame + offsetof(struct rt_sigframe, uc)), sizeof(uc)) ||
	    fpu_load_user(t, sc->fpstate) < 0) {
		force_signal(SIGSEGV, SI_KERNEL, frame);
		return -EFAULT;
	}
	tf->r8 = sc->r8; tf->r9 = sc->r9; tf->r10 = sc->r10; tf->r11 = sc->r11;
	tf->r12 = sc->r12; tf->r13 = sc->r13; tf->r14 = sc->r14; tf->r15 = sc->r15;
	tf->rdi = sc->rdi; tf->rsi = sc->rsi; tf->rbp = sc->rbp; tf->rbx = sc->rbx;
	tf->rdx = sc->rdx; tf->rax = sc->rax; tf->rcx = sc->rcx; tf->rsp = sc->rsp;
	tf->rip = sc->rip;
	/* The program may not give itself kernel privilege or disable interrupts. */
	tf->rflags = (tf->rflags & ~USER_RFLAGS) | (sc->eflags & USER_RFLAGS);
	tf->cs = USER_CS;
	tf->ss = USER_DS;
	t->blocked = uc.sigmask & ~UNBLOCKABLE;
	/* As Linux: the stack the frame saved is set again (what undoes
	 * SS_AUTODISARM); an error other than a bad frame is no matter. */
	set_altstack(t, &uc.uc_stack, tf->rsp);
	forget_interrupted_syscall(t, tf);
	return tf->rax;
}
