/*
 * The first instructions tasklab runs. A multiboot loader (GRUB through the
 * multiboot2 header, or QEMU's -kernel through the multiboot1 header) enters
 * _start in 32-bit protected mode with paging off. We build just enough page
 * tables to turn on long mode, then jump to kmain in the higher half.
 *
 *   eax = 0x36d76289 (multiboot2) or 0x2badb002 (multiboot1)
 *   ebx = physical address of the loader's boot information
 */
#include "../kernel/arch/x86/memlayout.h"

#define PHYS(sym)  ((sym) - KERNEL_VMA)

/* Multiboot1 header. QEMU's -kernel loader understands only multiboot1 and
 * 32-bit ELF, so we set the "address kludge" flag and give it load addresses:
 * QEMU then loads build/kernel.bin (a flat image made by objcopy) without
 * looking at ELF headers at all. GRUB's multiboot2 command ignores it. */
#define MB1_MAGIC  0x1badb002
#define MB1_FLAGS  ((1 << 1) | (1 << 16))      /* memory map, address kludge */

/* Multiboot2 header, used by GRUB (`multiboot2 /boot/kernel.elf`). */
#define MB2_MAGIC  0xe85250d6
#define MB2_ARCH   0                            /* i386 protected mode */

.section .multiboot, "a"
.balign 8
mb2_header:
	.long MB2_MAGIC
	.long MB2_ARCH
	.long mb2_header_end - mb2_header
	.long -(MB2_MAGIC + MB2_ARCH + (mb2_header_end - mb2_header))
	.short 0, 0                             /* end tag */
	.long 8
mb2_header_end:

.balign 4
mb1_header:
	.long MB1_MAGIC
	.long MB1_FLAGS
	.long -(MB1_MAGIC + MB1_FLAGS)
	.long mb1_header                        /* header_addr */
	.long __kernel_phys_start               /* load_addr */
	.long __kernel_load_end                 /* load_end_addr */
	.long __kernel_phys_end                 /* bss_end_addr */
	.long _start                            /* entry_addr */

.section .boot.text, "ax"
.code32
.globl _start
_start:
	cli
	cld
	mov %eax, %edi                          /* kmain's first argument */
	mov %ebx, %esi                          /* and its second */
	mov $PHYS(boot_stack_top), %esp

	/* The loader zeroes .bss for us, but say so rather than trust it. */
	mov %edi, %edx
	mov $PHYS(__bss_start), %edi
	mov $PHYS(__bss_end), %ecx
	sub %edi, %ecx
	xor %eax, %eax
	rep stosb
	mov %edx, %edi

	/* Is there long mode at all? CPUID 0x80000001, EDX bit 29. */
	mov $0x80000000, %eax
	cpuid
	cmp $0x80000001, %eax
	jb no_long_mode
	mov $0x80000001, %eax
	cpuid
	test $(1 << 29), %edx
	jz no_long_mode
	mov %edx, %ebp                          /* keep the NX bit (20) for later */

	/*
	 * Early page tables: the first 1 GiB mapped three times with 2 MiB
	 * pages: at 0 (so the instructions after "paging on" still run), at
	 * DIRECT_MAP_BASE (so P2V works from the first line of C) and at
	 * KERNEL_VMA (where the C code is linked). kernel/arch/x86/pgtable.c replaces them.
	 *   PML4[0]   -> pdpt_low[0]    -> pd  (identity)
	 *   PML4[256] -> pdpt_low[0]    -> pd  (0xffff800000000000)
	 *   PML4[511] -> pdpt_high[510] -> pd  (0xffffffff80000000)
	 */
	mov $PHYS(boot_pd), %ebx
	xor %ecx, %ecx
1:	mov %ecx, %eax
	shl $21, %eax
	or $0x83, %eax                          /* present, writable, 2 MiB */
	mov %eax, (%ebx, %ecx, 8)
	inc %ecx
	cmp $512, %ecx
	jne 1b

	mov $PHYS(boot_pd), %eax
	or $3, %eax
	mov %eax, PHYS(boot_pdpt_low)
	mov %eax, PHYS(boot_pdpt_high) + 510 * 8
	mov $PHYS(boot_pdpt_low), %eax
	or $3, %eax
	mov %eax, PHYS(boot_pml4)
	mov %eax, PHYS(boot_pml4) + 256 * 8
	mov $PHYS(boot_pdpt_high), %eax
	or $3, %eax
	mov %eax, PHYS(boot_pml4) + 511 * 8

	mov %cr4, %eax
	or $(1 << 5), %eax                      /* PAE */
	mov %eax, %cr4
	mov $PHYS(boot_pml4), %eax
	mov %eax, %cr3

	mov $0xc0000080, %ecx                   /* EFER */
	rdmsr
	or $(1 << 8), %eax                      /* LME: long mode enable */
	test $(1 << 20), %ebp
	jz 2f
	or $(1 << 11), %eax                     /* NXE: no-execute pages */
2:	wrmsr

	mov %cr0, %eax
	or $((1 << 31) | (1 << 16)), %eax       /* PG, and WP so the kernel obeys read-only pages */
	mov %eax, %cr0

	lgdt boot_gdt_ptr
	ljmp $0x08, $long_mode_start

no_long_mode:
	/* No console driver yet: write straight into VGA text memory. */
	mov $no_lm_msg, %esi
	mov $0xb8000, %edi
3:	lodsb
	test %al, %al
	jz 4f
	mov $0x4f, %ah
	stosw
	jmp 3b
4:	hlt
	jmp 4b

.code64
/* The first instruction in 64-bit mode. Global, and typed as a function, so
 * that gdb names it: tools/gdbinit.tmpl lets the CPU run until here. */
.globl long_mode_start
.type long_mode_start, @function
long_mode_start:
	mov $0x10, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	xor %eax, %eax
	mov %ax, %fs
	mov %ax, %gs
	movabs $higher_half, %rax
	jmp *%rax
.size long_mode_start, . - long_mode_start

.section .boot.rodata, "a"
no_lm_msg:
	.asciz "tasklab needs a 64-bit (x86-64) CPU"

.balign 8
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff                /* 0x08: 64-bit code */
	.quad 0x00cf92000000ffff                /* 0x10: data */
boot_gdt_ptr:
	.short boot_gdt_ptr - boot_gdt - 1
	.long boot_gdt

.text
/* Named for gdb's backtraces (__text_start shares its address). */
.globl higher_half
.type higher_half, @function
higher_half:
	/* Debug info saying this frame has no caller, so gdb's bt ends here. */
	.cfi_sections .debug_frame
	.cfi_startproc
	.cfi_undefined rip
	movabs $boot_stack_top, %rsp
	xor %ebp, %ebp                          /* ends the backtrace */
	/* The stack protector's canary, before any C function that checks
	 * one; edi, esi hold the multiboot magic and info address for kmain. */
	push %rdi
	push %rsi
	call stack_protector_init
	pop %rsi
	pop %rdi
	call kmain
5:	cli
	hlt
	jmp 5b
	.cfi_endproc
.size higher_half, . - higher_half

.bss
.balign 4096
.globl boot_pml4                        /* smp.c's trampoline uses it too */
boot_pml4:      .skip 4096
boot_pdpt_low:  .skip 4096
boot_pdpt_high: .skip 4096
boot_pd:        .skip 4096
.globl boot_stack, boot_stack_top
boot_stack:     .skip KSTACK_SIZE
boot_stack_top:
