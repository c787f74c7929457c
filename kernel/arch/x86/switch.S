/*
 * swtch(&prev->context, next->context): the context switch itself.
 * Save the callee-saved registers on prev's kernel stack, store its stack
 * pointer in *save, load next's, pop its registers and return into next,
 * wherever it last called swtch. (CR3 and the FS base are switched in C,
 * by sched.c, before this.)
 */
.text
.globl swtch
swtch:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, (%rdi)
	movq %rsi, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret

/*
 * A new task's first swtch returns here (copy_process puts this address
 * in its context). Its user registers are the trapframe just above, a copy
 * of its parent's with rax = 0: finish the switch, then leave as any
 * system call does.
 */
.globl ret_from_fork
ret_from_fork:
	call schedule_tail
	movq %rsp, %rdi
	call return_to_user
	jmp trapret
