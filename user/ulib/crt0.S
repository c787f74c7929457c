# The first code of every user program, and vfork and clone, the system
# calls that cannot be written in C.

	.text
	.globl _start
# The kernel starts us with rsp pointing at Linux's initial stack:
#   argc | argv[0] .. argv[argc-1] | 0 | envp[0] .. | 0 | auxv pairs .. | AT_NULL
_start:
	xor %ebp, %ebp                  # no caller: backtraces stop here
	mov %rsp, %rbx                  # rbx survives calls (callee-saved)
	and $-16, %rsp                  # the ABI wants rsp 16-aligned at each call
	call __thread_init              # FS -> the first thread's block: errno works
	mov (%rbx), %rdi                # main's 1st argument: argc
	lea 8(%rbx), %rsi               # 2nd: argv
	lea 8(%rsi,%rdi,8), %rdx        # 3rd: envp, just after argv's NULL
	mov %rdx, environ(%rip)
	mov %rdx, %rcx
1:	cmpq $0, (%rcx)                 # the auxv starts after envp's NULL
	lea 8(%rcx), %rcx               # (lea leaves the flags alone)
	jne 1b
	mov %rcx, __auxv(%rip)
	call main
	mov %eax, %edi
	call exit                       # flushes stdout, never returns

	.globl vfork
# The child runs first, on our stack, until it execs or exits. Any call it
# makes overwrites the slot holding our return address, so keep that
# address in a register (each task gets its own copy of the registers).
vfork:
	pop %rdx
	mov $58, %eax                   # SYS_vfork
	syscall
	push %rdx
	mov %rax, %rdi
	jmp syscall_ret                 # -errno becomes errno and -1

	.globl __clone
# long __clone(flags, stack, parent_tid, child_tid, tls, entry)
#              rdi    rsi    rdx         rcx        r8   r9
# The child returns from the syscall on `stack`, which holds no return
# address: it cannot return from here like a C function, so it calls
# entry(), which must end with exit(2).
# The .cfi lines tell debuggers where the return address is: for the child,
# nowhere, so a backtrace in a new thread ends here.
__clone:
	.cfi_startproc
	mov %rcx, %r10                  # the kernel takes the 4th argument in r10
	mov $56, %eax                   # SYS_clone
	syscall                         # both tasks continue here, r9 kept
	test %rax, %rax
	jnz 1f
	.cfi_undefined rip
	xor %ebp, %ebp                  # child: the outermost frame
	call *%r9
	ud2                             # entry never returns
1:	.cfi_offset rip, -8
	ret                             # parent: the tid, or -errno
	.cfi_endproc

	.section .note.GNU-stack, "", @progbits
