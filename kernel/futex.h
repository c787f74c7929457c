/* Futexes: user-space locks' sleeping and waking, keyed by user address. */
#ifndef FUTEX_H
#define FUTEX_H
#include <stdint.h>

/* A shared FUTEX_WAKE (no FUTEX_PRIVATE_FLAG, as Linux's at a thread's
 * exit) of up to n tasks waiting on the futex at user address uaddr of
 * the current mm; returns how many woke. */
int futex_wake(uintptr_t uaddr, int n);

struct task;
/* Exit or exec: release the robust futexes current (t) holds. */
void exit_robust_list(struct task *t);

#endif
