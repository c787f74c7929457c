/* The vDSO's image (vdso.so, which the Makefile builds from vclock.c), in
 * the kernel's read-only data; vdso.c copies it into pages at boot. */
	.section .rodata
	.balign 16
	.globl vdso_image, vdso_image_end
vdso_image:
	.incbin "vdso.so"
vdso_image_end:
