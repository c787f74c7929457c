/*
 * Every interrupt and exception enters through one of 256 small stubs, which
 * push the vector number (and a 0 where the CPU pushes no error code, so the
 * frame always has the same shape), then join alltraps. alltraps saves the
 * registers as a struct trapframe and calls trap(tf) in trap.c.
 */

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

alltraps:
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
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
2:	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	addq $16, %rsp          /* vector and error code */
	iretq
