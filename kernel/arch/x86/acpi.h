/* ACPI tables: what tasklab reads of them. */
#ifndef ACPI_H
#define ACPI_H
#include <stdint.h>

/* The CPUs in the MADT (0 if there is none); the local APIC IDs of the
 * first `max` go to apic_ids. */
int acpi_cpus(uint32_t *apic_ids, int max);

#endif
