/* Spinlocks, and the nesting of interrupt disabling they rely on. */
#include "kernel.h"
#include "spinlock.h"
#include "arch/x86/cpu.h"
#include "arch/x86/x86.h"
#include "arch/x86/smp.h"
#include "arch/x86/tlb.h"
#include "arch/x86/timer.h"

void irq_save(void)
{
	bool was_on = read_rflags() & RFLAGS_IF;
	struct cpu *c;

	cli();
	c = this_cpu();
	if (c->ncli++ == 0)
		c->intena = was_on;
}

void irq_restore(void)
{
	struct cpu *c = this_cpu();

	if (read_rflags() & RFLAGS_IF)
		panic("irq_restore: interrupts are on");
	if (--c->ncli < 0)
		panic("irq_restore: not saved");
	if (c->ncli == 0 && c->intena)
		sti();
}

/*
 * Each CPU lists the spinlocks it holds, so that sleeping with one can be
 * caught (may_sleep). Locks are not always released in the order they were
 * taken (wait_sleep drops the caller's lock under sched_lock), so release
 * searches. sched_lock, held across swtch, is taken by one task and
 * released by the next on the same CPU: per CPU, the list stays right.
 */
static void held_add(struct cpu *c, struct spinlock *lk)
{
	if (c->nlocks == MAX_HELD)
		panic("spin_lock: %s: more than %d spinlocks held", lk->name, MAX_HELD);
	c->held[c->nlocks++] = lk;
}

static void held_remove(struct cpu *c, struct spinlock *lk)
{
	int i = c->nlocks - 1;

	while (c->held[i] != lk)
		i--;
	c->held[i] = c->held[--c->nlocks];
}

void may_sleep(const char *who, struct spinlock *allowed)
{
	struct cpu *c = this_cpu();

	for (int i = 0; i < c->nlocks; i++)
		if (c->held[i] != allowed)
			panic("%s: sleeping with spinlock %s held", who, c->held[i]->name);
}

/*
 * Acquire and release are the whole memory-ordering story. The exchange
 * that takes the lock is an acquire: no load or store inside the critical
 * section may be done (by the compiler or the CPU) before the lock is held.
 * The store that frees it is a release: everything written inside is
 * visible to the next CPU whose acquire sees the 0. On x86 the exchange is
 * a locked xchg and the store a plain mov (x86 never moves a store before an
 * earlier load or store), but the __atomic builtins also keep the compiler
 * from moving memory accesses across them, which "volatile" alone does not.
 */
static bool try_take(struct spinlock *lk)
{
	return !__atomic_exchange_n(&lk->locked, 1, __ATOMIC_ACQUIRE);
}

/* Another CPU holds lk: spin until it is ours, and count the wait. The
 * clock is read only here, so an uncontended lock costs nothing more.
 * (Out of line, so that spin_lock's own path stays short.) */
static noinline void spin_wait(struct spinlock *lk)
{
	uint64_t start = clock_ns();

	/* Interrupts are off while we spin, but a CPU that holds the lock
	 * may be waiting for this one to answer a TLB shootdown: answer. */
	do {
		shootdown_poll();
		pause();
	} while (!try_take(lk));
	lk->contended++;
	lk->wait_ns += clock_ns() - start;
}

void spin_lock(struct spinlock *lk)
{
	struct cpu *c;

	irq_save();
	c = this_cpu();         /* interrupts off: we stay on this CPU */
	if (lk->locked && lk->cpu == c)
		panic("spin_lock: %s already held", lk->name);
	if (!try_take(lk))
		spin_wait(lk);
	lk->acquired++;
	lk->cpu = c;
	held_add(c, lk);
}

/* The last lock this CPU held is gone: send the reschedule IPIs that were
 * asked for under it (sched.c's resched_cpu says why they wait). Out of
 * line: most unlocks have none to send. */
static noinline void send_resched_due(struct cpu *c)
{
	unsigned long mask = c->resched_due;

	c->resched_due = 0;
	irq_restore();
	smp_resched_mask(mask);
}

void spin_unlock(struct spinlock *lk)
{
	struct cpu *c = lk->cpu;

	if (!spin_held(lk))
		panic("spin_unlock: %s not held", lk->name);
	held_remove(c, lk);
	lk->cpu = NULL;
	__atomic_store_n(&lk->locked, 0, __ATOMIC_RELEASE);
	if (c->nlocks == 0 && c->resched_due)
		send_resched_due(c);
	else
		irq_restore();
}

/* Interrupts are off while a lock is held, so this CPU cannot change under
 * the question. */
bool spin_held(struct spinlock *lk)
{
	return lk->locked && lk->cpu == this_cpu();
}
