/* check_elf: what exec accepts as a static x86-64 executable. Each bad
 * case breaks one thing in an otherwise good image. */
#include "kernel.h"
#include "ktest.h"
#include "fs/elf.h"
#include "uapi/errno.h"
#include "fs/exec.h"
#include "arch/x86/memlayout.h"

#define EM_AARCH64 183
#define ET_REL     1
#define PT_NOTE    4

/* Headers, then text at 0x1000 and data at 0x2000 of the file. */
#define TEXT_VA    0x401000UL
#define DATA_VA    0x402000UL
#define IMAGE_SIZE 0x2100

static uint8_t image[IMAGE_SIZE] __attribute__((aligned(8)));
static Elf64_Ehdr *const eh = (Elf64_Ehdr *)image;
static Elf64_Phdr *const ph = (Elf64_Phdr *)(image + sizeof(Elf64_Ehdr));

/* A good image: ELF header, PT_PHDR, a text and a data PT_LOAD, a note. */
static void build(void)
{
	memset(image, 0, sizeof(image));
	memcpy(eh->e_ident, ELFMAG, 4);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[6] = 1;                     /* EV_CURRENT */
	eh->e_type = ET_EXEC;
	eh->e_machine = EM_X86_64;
	eh->e_version = 1;
	eh->e_entry = TEXT_VA;
	eh->e_phoff = sizeof(Elf64_Ehdr);
	eh->e_ehsize = sizeof(Elf64_Ehdr);
	eh->e_phentsize = sizeof(Elf64_Phdr);
	eh->e_phnum = 4;
	ph[0] = (Elf64_Phdr){ .p_type = PT_PHDR, .p_flags = PF_R, .p_offset = eh->e_phoff,
			      .p_vaddr = 0x400000 + eh->e_phoff, .p_filesz = 4 * sizeof(Elf64_Phdr),
			      .p_memsz = 4 * sizeof(Elf64_Phdr), .p_align = 8 };
	ph[1] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_X, .p_offset = 0x1000,
			      .p_vaddr = TEXT_VA, .p_filesz = 0x800, .p_memsz = 0x800,
			      .p_align = PAGE_SIZE };
	ph[2] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_W, .p_offset = 0x2000,
			      .p_vaddr = DATA_VA, .p_filesz = 0x100, .p_memsz = 0x3000,
			      .p_align = PAGE_SIZE };
	ph[3] = (Elf64_Phdr){ .p_type = PT_NOTE, .p_flags = PF_R, .p_offset = 0x200,
			      .p_vaddr = 0x400200, .p_filesz = 0x20, .p_memsz = 0x20 };
	image[0x1000] = 0xc3;                   /* ret */
}

static void expect_check(int line, int want, size_t size)
{
	int got = check_elf(image, size, size);

	if (got != want)
		ktest_fail(__FILE__, line, "check_elf gave %d, want %d", got, want);
}
/* Rebuild, apply the change (statements), check the verdict. */
#define CASE(want, change)                                                    \
	do {                                                                  \
		build();                                                      \
		change;                                                       \
		expect_check(__LINE__, want, IMAGE_SIZE);                     \
	} while (0)
#define BAD(change) CASE(-ENOEXEC, change)

KTEST(elf_accepts)
{
	CASE(0, (void)0);
	CASE(0, eh->e_type = ET_DYN);                   /* static PIE */
	CASE(0, eh->e_phnum = 3);                       /* no note */
	CASE(0, ph[0].p_type = PT_NOTE);                /* no PT_PHDR */
	CASE(0, ph[2].p_filesz = 0);                    /* all .bss */
	CASE(0, ph[1].p_offset = 0; ph[1].p_vaddr = 0x400000;        /* text from the file's start */
		ph[1].p_filesz = ph[1].p_memsz = 0x1800);
	CASE(0, ph[2].p_vaddr = 0x7000002000UL);        /* same page offset, far away */
	CASE(0, ph[2].p_filesz = IMAGE_SIZE - 0x2000);  /* to the last byte */
	build();
	expect_check(__LINE__, 0, 0x2100);
	/* The headers alone are enough when no segment needs file bytes. */
	build();
	ph[1].p_offset = 0x40; ph[1].p_vaddr = TEXT_VA + 0x40; ph[1].p_filesz = 0;
	ph[2].p_offset = 0x40; ph[2].p_vaddr = DATA_VA + 0x40; ph[2].p_filesz = 0;
	expect_check(__LINE__, 0, sizeof(Elf64_Ehdr) + 4 * sizeof(Elf64_Phdr));
}

KTEST(elf_rejects_header)
{
	BAD(eh->e_ident[0] = 0x7e);
	BAD(memcpy(eh->e_ident, "\177ELG", 4));
	BAD(eh->e_ident[EI_CLASS] = 1);                 /* ELFCLASS32 */
	BAD(eh->e_ident[EI_CLASS] = 0);
	BAD(eh->e_ident[EI_DATA] = 2);                  /* big-endian */
	BAD(eh->e_machine = EM_AARCH64);
	BAD(eh->e_machine = 3);                         /* i386 */
	BAD(eh->e_type = ET_REL);
	BAD(eh->e_type = 4);                            /* ET_CORE */
	BAD(eh->e_phnum = 0);
	BAD(eh->e_phentsize = sizeof(Elf64_Phdr) - 1);
	BAD(eh->e_phoff = IMAGE_SIZE);
	BAD(eh->e_phoff = IMAGE_SIZE - sizeof(Elf64_Phdr));      /* the table runs past */
	BAD(eh->e_phoff = ~0ULL - 8);                   /* wraps */
	BAD(eh->e_phnum = 0xffff);
}

KTEST(elf_rejects_segments)
{
	BAD(ph[3].p_type = PT_INTERP);                  /* dynamically linked */
	BAD(ph[1].p_flags = PF_R | PF_W | PF_X);        /* writable and executable */
	BAD(ph[2].p_flags = PF_W | PF_X);
	BAD(ph[2].p_filesz = ph[2].p_memsz + 1);
	BAD(ph[2].p_filesz = IMAGE_SIZE - 0x2000 + 1);  /* a byte past the end */
	BAD(ph[2].p_offset = IMAGE_SIZE + 0x1000);      /* past the end */
	BAD(ph[2].p_offset = ~0ULL & ~0xfffULL);        /* offset + filesz wraps */
	BAD(ph[2].p_filesz = ~0ULL; ph[2].p_memsz = ~0ULL);
	BAD(ph[2].p_vaddr = DATA_VA + 0x800);           /* not congruent mod 4096 */
	BAD(ph[1].p_offset = 0x1010);
	BAD(ph[2].p_vaddr = ~0ULL & ~0xfffULL);         /* vaddr + memsz wraps */
	BAD(ph[2].p_vaddr = 0x7f0000000000UL);          /* beyond user space */
	BAD(ph[2].p_vaddr = 0xffffffff80002000UL);      /* the kernel's */
	/* A static PIE is loaded at 0x555555554000: its addresses count from there. */
	BAD(eh->e_type = ET_DYN; ph[2].p_vaddr = 0x300000002000UL);
	BAD(ph[1].p_type = PT_NOTE; ph[2].p_type = PT_NOTE);   /* no PT_LOAD */
	build();
	expect_check(__LINE__, -ENOEXEC, 0);
	build();
	expect_check(__LINE__, -ENOEXEC, sizeof(Elf64_Ehdr) - 1);       /* truncated */
	build();
	expect_check(__LINE__, -ENOEXEC, sizeof(Elf64_Ehdr) + 4 * sizeof(Elf64_Phdr) - 1);
	build();
	expect_check(__LINE__, -ENOEXEC, 0x2000);       /* the data segment is cut off */
}
