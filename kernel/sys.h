/* Odds and ends that several subsystems use. */
#ifndef SYS_H
#define SYS_H
#include <stdint.h>

void random_init(void);
uint64_t random_u64(void);          /* not cryptographic: see sys.c */
void rtc_init(void);
uint64_t realtime_offset_ns(void);  /* CLOCK_REALTIME - clock_ns() */
/* A user struct timespec as nanoseconds: 0, -EFAULT or -EINVAL. */
int timespec_from_user(const void *uts, int64_t *ns);

#endif
