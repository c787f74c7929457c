/* ACPI tables: what tasklab reads of them. */
#ifndef ACPI_H
#define ACPI_H

int acpi_count_cpus(void);      /* CPUs in the MADT; 0 if there is none */

#endif
