/* What the boot loader told us, copied out of its multiboot structures. */
#ifndef BOOTINFO_H
#define BOOTINFO_H
#include <stdint.h>

#define BOOT_MAX_RANGES   32
#define BOOT_MAX_MODULES  8

struct phys_range {
	uint64_t start, end;        /* [start, end) */
};

struct bootinfo {
	char loader[64];                            /* "GRUB 2.06", "qemu" */
	char cmdline[512];
	int nram;
	struct phys_range ram[BOOT_MAX_RANGES];     /* usable RAM only */
	int nmodules;
	struct phys_range modules[BOOT_MAX_MODULES];
};

extern struct bootinfo bootinfo;

void bootinfo_parse(uint32_t magic, uint64_t info_phys);

#endif
