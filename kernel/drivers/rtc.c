/* The PC's CMOS real-time clock, read once at boot for the date. */
#include "kernel.h"
#include "drivers/rtc.h"
#include "time.h"
#include "arch/x86/timer.h"
#include "arch/x86/x86.h"

/* The CMOS clock gives the date at boot; the TSC keeps time after. */
static uint64_t boot_epoch_ns;

static uint8_t cmos(uint8_t reg)
{
	outb(0x70, reg);
	return inb(0x71);
}

static int bcd(int v, bool binary)
{
	return binary ? v : (v & 0xf) + (v >> 4) * 10;
}

/* Days from 1970-01-01 to y-m-d (a civil calendar formula). */
static int64_t days_since_epoch(int y, int m, int d)
{
	y -= m <= 2;
	int64_t era = y / 400, yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void rtc_init(void)
{
	bool binary;
	int s, mi, h, d, mo, y;

	while (cmos(0x0a) & 0x80)       /* wait out an update in progress */
		pause();
	binary = cmos(0x0b) & 0x04;
	s = bcd(cmos(0x00), binary);
	mi = bcd(cmos(0x02), binary);
	h = bcd(cmos(0x04), binary);
	d = bcd(cmos(0x07), binary);
	mo = bcd(cmos(0x08), binary);
	y = 2000 + bcd(cmos(0x09), binary);
	boot_epoch_ns = ((days_since_epoch(y, mo, d) * 24 + h) * 3600 + mi * 60 + s) * NSEC_PER_SEC;
	boot_epoch_ns -= clock_ns();
}

uint64_t realtime_offset_ns(void)
{
	return boot_epoch_ns;
}
