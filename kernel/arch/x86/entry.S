/*
 * Every interrupt and exception enters through one of 256 small stubs, which
 * push the vector number (and a 0 where the CPU pushes no error code, so the
 * frame always has the same shape), then join alltraps. alltraps saves the
 * registers as a struct trapframe and calls trap(tf) in trap.c.
 */
#include "arch/x86/cpu.h"

/* The general registers, in struct trapframe's order (r15 lowest). */
.macro SAVE_REGS
	pushq %rax; pushq %rbx; pushq %rcx; pushq %rdx; pushq %rsi; pushq %rdi; pushq %rbp
	pushq %r8; pushq %r9; pushq %r10; pushq %r11; pushq %r12; pushq %r13; pushq %r14; pushq %r15
.endm

.macro RESTORE_REGS
	popq %r15; popq %r14; popq %r13; popq %r12; popq %r11; popq %r10; popq %r9; popq %r8
	popq %rbp; popq %rdi; popq %rsi; popq %rdx; popq %rcx; popq %rbx; popq %rax
.endm

/* The CPU pushes an error code for these exceptions only. */
#define HAS_ERROR(n) ((n) == 8 || ((n) >= 10 && (n) <= 14) || (n) == 17 || (n) == 21 || (n) == 29 || (n) == 30)

.text
.balign 16
.globl trap_vectors
trap_vectors:
.set n, 0
.rept 256
	.balign 16              /* stub n is at trap_vectors + 16 * n */
	.if !HAS_ERROR(n)
	pushq $0
	.endif
	pushq $n
	jmp alltraps
	.set n, n + 1
.endr

/* For gdb: these entry points have no caller frame (the CPU came from
 * user mode, or from whatever it interrupted), so `bt` stops here. */
.cfi_sections .debug_frame

alltraps:
	.cfi_startproc
	.cfi_undefined rip
	SAVE_REGS
	/* From user mode, GS still holds the user's base: take the kernel's. */
	testb $3, 18*8(%rsp)    /* cs */
	jz 1f
	swapgs
1:	mov %rsp, %rdi
	cld
	call trap
.globl trapret
trapret:
	testb $3, 18*8(%rsp)
	jz 2f
	swapgs
2:	RESTORE_REGS
	addq $16, %rsp          /* vector and error code */
	iretq
	.cfi_endproc

/*
 * The syscall instruction lands here, still on the user's stack, with the
 * user's rip in rcx, rflags in r11 and interrupts off (FMASK). Switch to
 * this task's kernel stack, save the registers as the same struct
 * trapframe an interrupt makes, and call syscall_dispatch(tf).
 */
.globl syscall_entry
syscall_entry:
	.cfi_startproc
	.cfi_undefined rip
	swapgs
	movq %rsp, %gs:CPU_USER_RSP
	movq %gs:CPU_SYSCALL_RSP, %rsp
	pushq $USER_DS                  /* ss */
	pushq %gs:CPU_USER_RSP          /* rsp */
	pushq %r11                      /* rflags */
	pushq $USER_CS                  /* cs */
	pushq %rcx                      /* rip */
	pushq $0                        /* error */
	pushq $-1                       /* vector: none, this is a system call */
	SAVE_REGS
	movq %rsp, %rdi
	call syscall_dispatch           /* returns with interrupts off */

	/*
	 * sysret is the fast way out, but it restores rip from rcx and rflags
	 * from r11, so take it only when those still say so (not after
	 * execve or a signal handler changed the frame), and only for a
	 * canonical rip: sysret to a non-canonical address faults in ring 0
	 * on Intel CPUs, with the user's rsp already loaded. Nor with TF or
	 * RF set (as Linux): sysret with TF traps at the new rip before
	 * running it, so rt_sigreturn from a SIGTRAP handler would trap at
	 * the same rip forever; iretq lets one instruction run first.
	 */
	movq 17*8(%rsp), %rcx           /* rip */
	cmpq 12*8(%rsp), %rcx           /* == saved rcx? */
	jne trapret
	movq 19*8(%rsp), %r11           /* rflags */
	cmpq 4*8(%rsp), %r11            /* == saved r11? */
	jne trapret
	testq $0x10100, %r11            /* TF (bit 8) or RF (bit 16)? */
	jnz trapret
	movq %rcx, %rax
	shrq $47, %rax                  /* below 0x800000000000? */
	jnz trapret
	RESTORE_REGS
	movq 5*8(%rsp), %rsp            /* past vector, error, rip, cs, rflags: the user rsp */
	swapgs
	sysretq
	.cfi_endproc

/* Start running in user mode from trapframe tf (for the first process). */
.globl enter_user
enter_user:
	movq %rdi, %rsp
	jmp trapret
