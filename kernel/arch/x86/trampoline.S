/*
 * Where each other CPU (an "AP") starts. INIT-SIPI-SIPI (smp.c) wakes it in
 * 16-bit real mode at TRAMP_PHYS, a page below 1 MiB to which smp.c copies
 * these bytes (real mode reaches no higher). It takes the same three steps
 * as boot.S: protected mode, then long mode on boot.S's early page table
 * (which maps the low 1 GiB at 0 as well, so the instructions after
 * "paging on" still run), then a jump to the higher half, where it loads
 * the kernel's page table and calls ap_main with the stack and struct cpu
 * that smp.c left in the parameters at the end.
 *
 * The code runs at TRAMP_PHYS, not where it is linked: every address in
 * it is written as TRAMP(label), its offset in the copy.
 */
#include "arch/x86/smp.h"

#define TRAMP(x) ((x) - tramp_start + TRAMP_PHYS)

.section .rodata
.globl tramp_start, tramp_end, tramp_cr3, tramp_efer, tramp_stack, tramp_cpu, tramp_kcr3
.code16
tramp_start:
	cli
	xor %ax, %ax
	mov %ax, %ds
	lgdtl TRAMP(tramp_gdt_ptr)
	mov %cr0, %eax
	or $1, %eax                             /* PE: protected mode */
	mov %eax, %cr0
	ljmpl $0x08, $TRAMP(tramp32)

.code32
tramp32:
	mov $0x10, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	mov %cr4, %eax
	or $(1 << 5), %eax                      /* PAE */
	mov %eax, %cr4
	mov TRAMP(tramp_cr3), %eax
	mov %eax, %cr3
	mov $0xc0000080, %ecx                   /* EFER: LME, and NXE as the boot CPU has it */
	rdmsr
	or TRAMP(tramp_efer), %eax
	wrmsr
	mov %cr0, %eax
	or $((1 << 31) | (1 << 16)), %eax       /* PG, WP */
	mov %eax, %cr0
	ljmp $0x18, $TRAMP(tramp64)

.code64
tramp64:
	mov $0x10, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	movq TRAMP(tramp_stack), %rsp           /* mapped only in the kernel's table */
	movq TRAMP(tramp_cpu), %rdi             /* ap_main's argument */
	movq TRAMP(tramp_kcr3), %rax
	movabs $ap_higher_half, %rcx
	jmp *%rcx

.balign 8
tramp_gdt:
	.quad 0
	.quad 0x00cf9a000000ffff                /* 0x08: 32-bit code */
	.quad 0x00cf92000000ffff                /* 0x10: data */
	.quad 0x00af9a000000ffff                /* 0x18: 64-bit code */
tramp_gdt_ptr:
	.short tramp_gdt_ptr - tramp_gdt - 1
	.long TRAMP(tramp_gdt)

/* Filled in by smp.c before each AP starts. */
.balign 8
tramp_stack:    .quad 0
tramp_cpu:      .quad 0
tramp_kcr3:     .quad 0                 /* the kernel's page table */
tramp_cr3:      .long 0
tramp_efer:     .long 0
tramp_end:

/* The first higher-half instructions of an AP: the low page it came from
 * is not mapped in the kernel's page table, this code is. */
.text
.globl ap_higher_half
.type ap_higher_half, @function
ap_higher_half:
	.cfi_sections .debug_frame
	.cfi_startproc
	.cfi_undefined rip
	mov %rax, %cr3
	xor %ebp, %ebp                          /* ends the backtrace */
	call ap_main
1:	cli
	hlt
	jmp 1b
	.cfi_endproc
.size ap_higher_half, . - ap_higher_half
