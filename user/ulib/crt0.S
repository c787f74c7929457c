# The first code of every user program, and vfork, the one system call that
# cannot be written in C.

	.text
	.globl _start
# The kernel starts us with rsp pointing at Linux's initial stack:
#   argc | argv[0] .. argv[argc-1] | 0 | envp[0] .. | 0 | auxv pairs .. | AT_NULL
_start:
	xor %ebp, %ebp                  # no caller: backtraces stop here
	mov (%rsp), %rdi                # main's 1st argument: argc
	lea 8(%rsp), %rsi               # 2nd: argv
	lea 8(%rsi,%rdi,8), %rdx        # 3rd: envp, just after argv's NULL
	mov %rdx, environ(%rip)
	mov %rdx, %rcx
1:	cmpq $0, (%rcx)                 # the auxv starts after envp's NULL
	lea 8(%rcx), %rcx               # (lea leaves the flags alone)
	jne 1b
	mov %rcx, __auxv(%rip)
	and $-16, %rsp                  # the ABI wants rsp 16-aligned at each call
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

	.section .note.GNU-stack, "", @progbits
