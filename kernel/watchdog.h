/*
 * The lockup watchdog (Linux's soft-lockup detector, simplified): the timer
 * interrupt notes when each CPU last switched tasks, and a CPU that has run
 * kernel code for watchdog=S seconds (10 by default, 0: off) without
 * switching, returning to user mode or halting idle panics with the
 * backtrace of the code it was stuck in. A loop with interrupts off stops
 * the timer too, and goes unseen.
 */
#ifndef WATCHDOG_H
#define WATCHDOG_H

struct trapframe;

/* Called by the timer interrupt with the frame it interrupted. */
void watchdog_tick(struct trapframe *tf);

#endif
