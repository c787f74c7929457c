/* Odds and ends that several subsystems use. */
#ifndef SYS_H
#define SYS_H
#include <stdint.h>

uint64_t hw_seed(void);            /* a seed from the CPU: TSC, RDRAND */
void random_init(void);
uint64_t random_u64(void);          /* not cryptographic: see sys.c */

#endif
