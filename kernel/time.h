/* Time in the system calls: nanoseconds, and struct timespec from user space. */
#ifndef TIME_H
#define TIME_H
#include <stdint.h>

#define NSEC_PER_SEC 1000000000LL

/* A user struct timespec as nanoseconds: 0, -EFAULT or -EINVAL. */
int timespec_from_user(const void *uts, int64_t *ns);

#endif
