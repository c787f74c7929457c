/* Spinlocks, and the nesting of interrupt disabling they rely on. */
#include "kernel.h"
#include "spinlock.h"
#include "arch/x86/cpu.h"
#include "arch/x86/x86.h"

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

void spin_lock(struct spinlock *lk)
{
	irq_save();
	if (spin_held(lk))
		panic("spin_lock: %s already held", lk->name);
	while (__atomic_exchange_n(&lk->locked, 1, __ATOMIC_ACQUIRE))
		pause();
}

void spin_unlock(struct spinlock *lk)
{
	if (!spin_held(lk))
		panic("spin_unlock: %s not held", lk->name);
	__atomic_store_n(&lk->locked, 0, __ATOMIC_RELEASE);
	irq_restore();
}

/* One CPU: "locked" means "held by us". SMP will record the owning CPU. */
bool spin_held(struct spinlock *lk)
{
	return lk->locked;
}
