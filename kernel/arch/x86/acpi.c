/*
 * ACPI, as far as tasklab reads it: which CPUs the machine has, from the
 * MADT. The firmware (SeaBIOS, under QEMU) leaves the RSDP in the BIOS area;
 * it points to the RSDT, a list of tables, one of which is the MADT
 * (signature "APIC") with one entry per CPU's local APIC.
 */
#include "kernel.h"
#include "arch/x86/acpi.h"
#include "arch/x86/pgtable.h"

struct rsdp {
	char signature[8];          /* "RSD PTR " */
	uint8_t checksum;           /* the first 20 bytes add up to 0 */
	char oem[6];
	uint8_t revision;
	uint32_t rsdt;              /* physical address of the RSDT */
} __attribute__((packed));

struct sdt_header {             /* at the start of every table */
	char signature[4];
	uint32_t length;            /* of the whole table, header included */
	uint8_t revision, checksum;
	char oem[6], oem_table[8];
	uint32_t oem_revision, creator, creator_revision;
} __attribute__((packed));

#define MADT_ENTRIES    8       /* after the header: local APIC address, flags */
#define MADT_LAPIC      0       /* entry type: a CPU's local APIC */
#define LAPIC_ENABLED   1       /* flags: the CPU is usable... */
#define LAPIC_ONLINE_CAPABLE 2  /* ...or can be brought up */

static bool checksum_ok(const uint8_t *p, size_t n)
{
	uint8_t sum = 0;

	while (n--)
		sum += *p++;
	return sum == 0;
}

static const struct rsdp *scan_rsdp(uintptr_t pa, size_t len)
{
	const char *p = vm_map_mmio(pa, len);

	for (size_t off = 0; off + sizeof(struct rsdp) <= len; off += 16)
		if (memcmp(p + off, "RSD PTR ", 8) == 0 && checksum_ok((const uint8_t *)p + off, 20))
			return (const struct rsdp *)(p + off);
	return NULL;
}

/* The RSDP lies on a 16-byte boundary in the first KiB of the EBDA (whose
 * segment the BIOS data area holds at 0x40e), or in 0xe0000-0xfffff. */
static const struct rsdp *find_rsdp(void)
{
	uintptr_t ebda = (uintptr_t)*(const uint16_t *)vm_map_mmio(0x40e, 2) << 4;
	const struct rsdp *r = ebda ? scan_rsdp(ebda, 1024) : NULL;

	return r ? r : scan_rsdp(0xe0000, 0x20000);
}

static const struct sdt_header *map_table(uintptr_t pa)
{
	const struct sdt_header *h = vm_map_mmio(pa, sizeof(*h));

	vm_map_mmio(pa, h->length);
	return checksum_ok((const uint8_t *)h, h->length) ? h : NULL;
}

static const struct sdt_header *find_table(const char *signature)
{
	const struct rsdp *r = find_rsdp();
	const struct sdt_header *rsdt = r ? map_table(r->rsdt) : NULL;

	if (!rsdt)
		return NULL;
	const uint32_t *entry = (const uint32_t *)(rsdt + 1);
	size_t n = (rsdt->length - sizeof(*rsdt)) / 4;
	for (size_t i = 0; i < n; i++) {
		const struct sdt_header *h = map_table(entry[i]);
		if (h && memcmp(h->signature, signature, 4) == 0)
			return h;
	}
	return NULL;
}

int acpi_cpus(uint32_t *apic_ids, int max)
{
	const struct sdt_header *madt = find_table("APIC");
	int cpus = 0;

	if (!madt)
		return 0;
	const uint8_t *p = (const uint8_t *)(madt + 1) + MADT_ENTRIES;
	const uint8_t *end = (const uint8_t *)madt + madt->length;
	for (; p + 2 <= end && p[1] >= 2; p += p[1]) {
		uint32_t flags;
		if (p[0] != MADT_LAPIC || p[1] < 8)
			continue;
		memcpy(&flags, p + 4, sizeof(flags));
		if (!(flags & (LAPIC_ENABLED | LAPIC_ONLINE_CAPABLE)))
			continue;
		if (cpus < max)
			apic_ids[cpus] = p[3];          /* after type, length, processor id */
		cpus++;
	}
	return cpus;
}
