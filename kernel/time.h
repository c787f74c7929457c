/* Time in the system calls: nanoseconds, and struct timespec from user space. */
#ifndef TIME_H
#define TIME_H
#include <stdint.h>

#define NSEC_PER_SEC 1000000000LL

/* A user struct timespec as nanoseconds: 0, -EFAULT or -EINVAL. */
int timespec_from_user(const void *uts, int64_t *ns);

struct signal_struct;
/* From the timer interrupt: send SIGALRM for the interval timers due. */
void itimers_run(void);
/* A process is gone: its timer goes too. */
void itimer_cancel(struct signal_struct *sig);

#endif
