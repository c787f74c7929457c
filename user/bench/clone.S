# long bench_clone(flags, sp, ptid, ctid, tls): the clone(2) system call,
# in assembly because the child returns on another stack, where no C frame
# of ours exists. bthread_start left the child's function and argument on
# top of that stack.

	.text
	.globl bench_clone
bench_clone:
	mov %rcx, %r10                  # the kernel takes the 4th argument in r10
	mov $56, %eax                   # SYS_clone
	syscall
	test %rax, %rax
	jz 1f
	ret                             # the parent: the child's tid, or -errno
1:	xor %ebp, %ebp                  # the child: backtraces stop here
	pop %rax                        # fn
	pop %rdi                        # its argument
	call *%rax                      # rsp is 16-aligned before the call
	mov %eax, %edi
	mov $60, %eax                   # SYS_exit: only this thread ends
	syscall
	ud2

	.section .note.GNU-stack, "", @progbits
