/*
 * Spinlocks. tasklab runs on one CPU today, but shared kernel state is
 * locked as if there were several, so SMP can come without a rewrite.
 * Holding a spinlock keeps interrupts off on this CPU (an interrupt handler
 * taking the same lock would otherwise deadlock).
 */
#ifndef SPINLOCK_H
#define SPINLOCK_H
#include <stdbool.h>

struct spinlock {
	volatile int locked;
	const char *name;   /* for panics about misuse */
};

#define SPINLOCK_INIT(n) { .locked = 0, .name = (n) }

void spin_lock(struct spinlock *lk);
void spin_unlock(struct spinlock *lk);
bool spin_held(struct spinlock *lk);

/* Nestable "interrupts off" (xv6's pushcli/popcli). */
void irq_save(void);
void irq_restore(void);

#endif
