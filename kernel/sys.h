/* Odds and ends that several subsystems use. */
#ifndef SYS_H
#define SYS_H
#include <stdint.h>

void random_init(void);
uint64_t random_u64(void);          /* not cryptographic: see sys.c */

#endif
