/*
 * The two boot protocols tasklab accepts. GRUB (make qemu) speaks
 * multiboot2: a list of tagged records. QEMU's -kernel (tools/run) speaks
 * multiboot1: a fixed struct with flag bits. Both give the same three
 * things, which we copy into `bootinfo`: the command line, the RAM map and
 * the modules (the initramfs).
 */
#include "kernel.h"
#include "arch/x86/bootinfo.h"
#include "arch/x86/memlayout.h"

#define MB2_BOOT_MAGIC  0x36d76289
#define MB1_BOOT_MAGIC  0x2badb002
#define MEMORY_AVAILABLE 1          /* type of a RAM range in both protocols */

struct bootinfo bootinfo;

static void add_ram(uint64_t base, uint64_t len, uint32_t type)
{
	if (type != MEMORY_AVAILABLE || bootinfo.nram == BOOT_MAX_RANGES)
		return;
	bootinfo.ram[bootinfo.nram++] = (struct phys_range){ base, base + len };
}

static void add_module(uint64_t start, uint64_t end)
{
	if (bootinfo.nmodules < BOOT_MAX_MODULES)
		bootinfo.modules[bootinfo.nmodules++] = (struct phys_range){ start, end };
}

struct mb2_tag {
	uint32_t type, size;
};

struct mb2_mmap_entry {
	uint64_t base, len;
	uint32_t type, reserved;
};

static void parse_mb2(uint64_t info)
{
	uint32_t total = *(uint32_t *)P2V(info);

	for (uint64_t off = 8; off + 8 <= total; ) {
		struct mb2_tag *tag = P2V(info + off);
		uint32_t *w = (uint32_t *)(tag + 1);

		switch (tag->type) {
		case 0:         /* end */
			return;
		case 1:         /* command line */
			strlcpy(bootinfo.cmdline, (char *)w, sizeof(bootinfo.cmdline));
			break;
		case 2:         /* boot loader name */
			strlcpy(bootinfo.loader, (char *)w, sizeof(bootinfo.loader));
			break;
		case 3:         /* module: start, end, then a string */
			add_module(w[0], w[1]);
			break;
		case 6: {       /* memory map: entry size, version, entries */
			uint32_t esize = w[0];
			for (char *e = (char *)(w + 2); e + esize <= (char *)tag + tag->size; e += esize) {
				struct mb2_mmap_entry *m = (void *)e;
				add_ram(m->base, m->len, m->type);
			}
			break;
		}
		}
		off = ALIGN_UP(off + tag->size, 8);
	}
}

struct mb1_info {
	uint32_t flags;
	uint32_t mem_lower, mem_upper;
	uint32_t boot_device;
	uint32_t cmdline;
	uint32_t mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr;
	uint32_t drives_length, drives_addr;
	uint32_t config_table;
	uint32_t boot_loader_name;
};

struct mb1_mmap_entry {
	uint32_t size;          /* of the rest of this entry */
	uint64_t base, len;
	uint32_t type;
} __attribute__((packed));

static void parse_mb1(uint64_t info)
{
	struct mb1_info *mb = P2V(info);

	if (mb->flags & (1 << 2)) {
		/* Multiboot1 puts the kernel's file name first: skip it. */
		const char *s = P2V(mb->cmdline);
		while (*s && *s != ' ')
			s++;
		while (*s == ' ')
			s++;
		strlcpy(bootinfo.cmdline, s, sizeof(bootinfo.cmdline));
	}
	if (mb->flags & (1 << 3)) {
		uint32_t *mod = P2V(mb->mods_addr);
		for (uint32_t i = 0; i < mb->mods_count; i++, mod += 4)
			add_module(mod[0], mod[1]);
	}
	if (mb->flags & (1 << 6)) {
		char *p = P2V(mb->mmap_addr), *end = p + mb->mmap_length;
		for (; p < end; p += ((struct mb1_mmap_entry *)p)->size + 4) {
			struct mb1_mmap_entry *m = (void *)p;
			add_ram(m->base, m->len, m->type);
		}
	}
	if (mb->flags & (1 << 9))
		strlcpy(bootinfo.loader, P2V(mb->boot_loader_name), sizeof(bootinfo.loader));
}

void bootinfo_parse(uint32_t magic, uint64_t info_phys)
{
	if (magic == MB2_BOOT_MAGIC)
		parse_mb2(info_phys);
	else if (magic == MB1_BOOT_MAGIC)
		parse_mb1(info_phys);
	else
		panic("not started by a multiboot loader (magic 0x%x)", magic);
	if (bootinfo.nram == 0)
		panic("the boot loader gave no memory map");
}
