/* Futexes: user-space locks' sleeping and waking, keyed by user address. */
#ifndef FUTEX_H
#define FUTEX_H
#include <stdint.h>

/* Wake up to n tasks waiting on the futex at user address uaddr of the
 * current mm; returns how many woke. */
int futex_wake(uintptr_t uaddr, int n);

#endif
