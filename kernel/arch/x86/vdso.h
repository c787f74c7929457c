/* The vDSO: user-mode clock reads (vdso/vclock.c), mapped into every process. */
#ifndef VDSO_H
#define VDSO_H
#include <stdint.h>

struct mm;

void vdso_init(void);                   /* after timer_init and rtc_init */
/* Map [vvar] and [vdso] into a new program's mm: the address of the vDSO's
 * ELF header (AT_SYSINFO_EHDR), or 0 when out of memory. */
uintptr_t vdso_map(struct mm *mm);

#endif
