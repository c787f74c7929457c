/* Several CPUs: starting the others, and the interrupts CPUs send each other. */
#ifndef SMP_H
#define SMP_H

/* Where the APs' real-mode start code is copied: a free page below 1 MiB
 * (the frame allocator hands out nothing below 1 MiB). */
#define TRAMP_PHYS 0x8000

#ifndef __ASSEMBLER__
struct cpu;

void smp_boot(void);                /* start every other CPU the MADT lists */
void smp_resched(struct cpu *c);    /* make c look at the run queue now */
void smp_resched_mask(unsigned long mask);    /* ... each CPU in mask */
extern uint64_t smp_resched_ipis;  /* sent since boot: /proc/stat's resched_ipis */
void ap_main(struct cpu *c);        /* trampoline.S: an AP's first C code */

/* panic: stop every other CPU (an NMI), then show where each was. */
struct trapframe;
void smp_stop_others(void);
void smp_show_stopped(void);
void smp_stopped(struct trapframe *tf) __attribute__((noreturn));   /* the NMI */

#endif
#endif
