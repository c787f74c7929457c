/* Time: the periodic timer interrupt and the TSC clock. */
#ifndef TIMER_H
#define TIMER_H
#include <stdint.h>

/* Timer interrupts per second. 100 Hz (10 ms) is Linux's old default and
 * slow enough that ticking costs little under software emulation. */
#define HZ 100

void timer_init(void);          /* calibrates, and starts the boot CPU's */
void timer_start(void);         /* this CPU's timer */
uint64_t timer_ticks(void);     /* timer interrupts since boot */
uint64_t tsc_hz(void);          /* TSC frequency measured at boot */
uint64_t clock_ns(void);        /* nanoseconds since boot, from the TSC */
uint64_t tsc_to_ns(uint64_t cycles);
struct vvar;
void timer_fill_vvar(struct vvar *vv);  /* the time base, for the vDSO */

#endif
