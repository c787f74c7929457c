/* Issue 15, item 3: a terminal read with O_NONBLOCK and no input fails
 * with EAGAIN, and a zero-length read returns 0 at once; tasklab blocked
 * in both. Each case runs under abicase.h's watchdog, so a hang is
 * reported, not suffered. */
#define _GNU_SOURCE
#include <fcntl.h>
#include "abicase.h"

/* The terminal the cases read, with no input waiting: a new
 * pseudo-terminal where there is one (a Linux host, whoever runs us);
 * else our console, where nobody types (tasklab, and Linux booted by
 * tools/linux-record, whose /dev has no pseudo-terminals). -1, said,
 * if that is no terminal: the cases would mean nothing. */
static int open_terminal(void)
{
	int master = posix_openpt(O_RDWR | O_NOCTTY), fd = -1;

	if (master >= 0 && grantpt(master) == 0 && unlockpt(master) == 0)
		fd = open(ptsname(master), O_RDWR | O_NOCTTY);
	if (fd < 0)
		fd = dup(0);
	if (isatty(fd))
		return fd;
	say("no terminal to read");
	return -1;
}

/* [3] A terminal read with O_NONBLOCK and no input fails with EAGAIN.
 * The flags go back as they were: the console's open file is shared
 * with whoever runs us. */
static void tty_nonblock(void)
{
	int fd = open_terminal(), flags = fcntl(fd, F_GETFL);
	char c;
	long r;

	if (fd < 0)
		return;
	if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
		say("fcntl F_SETFL O_NONBLOCK %s", result(-1));
		return;
	}
	r = read(fd, &c, 1);
	fcntl(fd, F_SETFL, flags);
	say("read %s", result(r));
}

/* [3] A zero-length terminal read returns 0 at once. */
static void tty_read_zero(void)
{
	int fd = open_terminal();
	char c;

	if (fd >= 0)
		say("read %s", result(read(fd, &c, 0)));
}

int main(int argc, char **argv)
{
	self_path = argv[0];
	printf("== abi-ttynb ==\n");
	run_case("[3] O_NONBLOCK read of a terminal with no input", tty_nonblock, 3);
	run_case("[3] zero-length read of a terminal", tty_read_zero, 3);
	return 0;
}
