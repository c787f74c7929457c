/*
 * Spinlocks: what keeps CPUs out of each other's way in shared kernel
 * state. Holding a spinlock keeps interrupts off on this CPU (an interrupt
 * handler taking the same lock would otherwise deadlock).
 */
#ifndef SPINLOCK_H
#define SPINLOCK_H
#include <stdbool.h>
#include <stdint.h>

/*
 * The lock order: a CPU holding a lock takes only locks further down this
 * list, so two CPUs can never each hold what the other waits for.
 *
 *   file (f->lock)         a read of /proc or a pipe copies out under it
 *   ramfs                  the root file system's tree and file bytes; copies
 *                          to and from user space under it (kernel/fs/ramfs.c)
 *   pipe, futex, tty, completion
 *   tasklist               the task list and family tree; wakes under it
 *   mm (mm->lock)          regions and page tables
 *   kvm                    the kernel's own mappings and stacks
 *   kmalloc
 *   pmm                    page frames
 *   sched                  the run queue and wait queues
 *   shootdown              one TLB shootdown at a time (arch/x86/tlb.c)
 *   sighand, random, console, files (an fd table)
 *                          leaves: nothing is taken under them
 *
 * (Observed with every pair of nested locks printed while the test suites
 * ran; a new nesting belongs here first.)
 */

struct cpu;

struct spinlock {
	volatile int locked;
	struct cpu *cpu;    /* the holder, while locked: spin_held asks */
	const char *name;   /* for panics about misuse */
	/* What it cost (Linux's lock_stat), counted by its holder: */
	uint64_t acquired;          /* times taken */
	uint64_t contended;         /* ... of which another CPU held it */
	uint64_t wait_ns;           /* time spent spinning for it */
};

#define SPINLOCK_INIT(n) { .locked = 0, .cpu = 0, .name = (n) }

void spin_lock(struct spinlock *lk);
void spin_unlock(struct spinlock *lk);
bool spin_held(struct spinlock *lk);        /* by this CPU */

/* For functions whose comment says "Under X_lock": the caller must hold it. */
#define assert_held(lk) \
	do { if (!spin_held(lk)) panic("%s: %s not held", __func__, (lk)->name); } while (0)

/* Panic (naming `who`) if this CPU holds a spinlock other than `allowed`
 * (may be NULL): a task that sleeps holding one keeps every other CPU
 * that wants it spinning, maybe until it wakes, maybe for ever. */
void may_sleep(const char *who, struct spinlock *allowed);

/* Nestable "interrupts off" (xv6's pushcli/popcli). */
void irq_save(void);
void irq_restore(void);

#endif
