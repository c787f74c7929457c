/* The real-time clock: the date at boot, from which CLOCK_REALTIME counts. */
#ifndef DRIVERS_RTC_H
#define DRIVERS_RTC_H
#include <stdint.h>

void rtc_init(void);
uint64_t realtime_offset_ns(void);  /* CLOCK_REALTIME - clock_ns() */

#endif
