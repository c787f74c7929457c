/* Odds and ends that several subsystems use. */
#ifndef SYS_H
#define SYS_H
#include <stdint.h>
#include "uapi/uapi.h"

uint64_t hw_seed(void);            /* a seed from the CPU: TSC, RDRAND */
void random_init(void);
uint64_t random_u64(void);          /* not cryptographic: see sys.c */

/* init's resource limits (Linux's INIT_RLIMITS); fork copies them */
extern const struct rlimit init_rlimits[];

#endif
