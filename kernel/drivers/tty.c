/*
 * The console as a terminal: the line discipline between the serial port
 * and programs. Input is "cooked" as Linux's canonical mode does it: the
 * kernel echoes what is typed, handles backspace and Ctrl-U, and a read
 * returns a whole line once Enter is pressed. Ctrl-C sends SIGINT to the
 * terminal's foreground process group, Ctrl-Z SIGTSTP, Ctrl-D ends the input.
 */
#include "kernel.h"
#include "drivers/tty.h"
#include "arch/x86/apic.h"
#include "drivers/console.h"
#include "fs/poll.h"
#include "uapi/errno.h"
#include "mm/mm.h"
#include "sched.h"
#include "arch/x86/trap.h"

#define TTY_BUF 1024

#define CTRL(c) ((c) - '@')

static struct {
	struct spinlock lock;
	char buf[TTY_BUF];
	size_t read, ready, edit;   /* buf[read..ready) can be read; [ready..edit) is being typed */
	int eof_pending;            /* Ctrl-D lines waiting to be read as EOF */
	int fg_pgid;                /* foreground process group: gets Ctrl-C */
	struct wait_queue readers;
	struct poll_head poll;      /* its pollers: woken with the readers */
} tty = { .lock = SPINLOCK_INIT("tty"), .poll = POLL_HEAD_INIT(tty.poll) };

static void echo(const char *s, size_t n)
{
	console_write(s, n);
}

/* One received character, under tty.lock. Returns a signal to send, or 0. */
static int tty_input(char c)
{
	assert_held(&tty.lock);
	if (c == '\r')
		c = '\n';
	if (c == CTRL('C')) {
		tty.edit = tty.ready;
		echo("^C\n", 3);
		return SIGINT;
	}
	if (c == CTRL('Z')) {                   /* stop the foreground job */
		tty.edit = tty.ready;
		echo("^Z\n", 3);
		return SIGTSTP;
	}
	if (c == 0x7f || c == '\b') {           /* backspace */
		if (tty.edit > tty.ready) {
			tty.edit--;
			echo("\b \b", 3);
		}
		return 0;
	}
	if (c == CTRL('U')) {                   /* erase the line */
		for (; tty.edit > tty.ready; tty.edit--)
			echo("\b \b", 3);
		return 0;
	}
	if (c == CTRL('D')) {                   /* hand over what there is; alone, EOF */
		if (tty.edit == tty.ready)
			tty.eof_pending++;
		tty.ready = tty.edit;
		return 0;
	}
	/* Full: drop the character. The last place is kept for a newline,
	 * so a full line can still be ended and read. */
	if (tty.edit - tty.read >= TTY_BUF || (tty.edit - tty.read == TTY_BUF - 1 && c != '\n'))
		return 0;
	tty.buf[tty.edit++ % TTY_BUF] = c;
	echo(&c, 1);
	if (c == '\n')
		tty.ready = tty.edit;
	return 0;
}

static void serial_interrupt(struct trapframe *tf)
{
	int c, sig = 0, pgid;

	spin_lock(&tty.lock);
	while ((c = uart_getc()) >= 0)
		sig = tty_input(c) ?: sig;
	pgid = tty.fg_pgid;
	spin_unlock(&tty.lock);
	wake_up(&tty.readers);
	poll_wake(&tty.poll);
	if (sig && pgid > 0)
		send_signal_to_pgrp(pgid, sig);
}

/* Wait until a line (or an end of file) can be read, under tty.lock:
 * 0, -EINTR, or -EAGAIN at once for a reader that asked not to wait. */
static int wait_for_input(struct file *f)
{
	int err = 0;

	assert_held(&tty.lock);
	while (!err && tty.read == tty.ready && !tty.eof_pending)
		err = (f->flags & O_NONBLOCK) ? -EAGAIN :
		      wait_sleep(&tty.readers, &tty.lock, 0, SLEEP_INTERRUPTIBLE);
	return err;
}

static long tty_read(struct file *f, char *ubuf, size_t n)
{
	long done = 0;
	int err;

	if (n == 0)
		return 0;               /* as Linux: nothing to wait for */
	spin_lock(&tty.lock);
	if ((err = wait_for_input(f))) {
		spin_unlock(&tty.lock);
		return err;
	}
	if (tty.read == tty.ready) {
		tty.eof_pending--;              /* a read of 0 bytes: end of file */
	} else {
		/* one line at most, as canonical mode reads do */
		char line[TTY_BUF];
		while ((size_t)done < n && tty.read < tty.ready) {
			char c = tty.buf[tty.read++ % TTY_BUF];
			line[done++] = c;
			if (c == '\n')
				break;
		}
		spin_unlock(&tty.lock);
		return copy_to_user(ubuf, line, done) ? -EFAULT : done;
	}
	spin_unlock(&tty.lock);
	return 0;
}

static long tty_write(struct file *f, const char *ubuf, size_t n)
{
	char buf[256];
	size_t done = 0;

	while (done < n) {
		size_t chunk = MIN(n - done, sizeof(buf));
		if (copy_from_user(buf, ubuf + done, chunk))
			return done ? (long)done : -EFAULT;
		console_write(buf, chunk);
		done += chunk;
	}
	return done;
}

/* ioctls: enough for isatty(), the window size and job control. */
static long tty_ioctl(struct file *f, unsigned long cmd, unsigned long arg)
{
	/* what a cooked terminal reports: ICRNL; OPOST|ONLCR; B115200|CS8|CREAD;
	 * ISIG|ICANON|ECHO|ECHOE|ECHOK */
	static const struct termios cooked = {
		.c_iflag = 0400, .c_oflag = 05, .c_cflag = 010002 | 060 | 0200,
		.c_lflag = 01 | 02 | 010 | 020 | 040,
		.c_cc = { [0] = CTRL('C'), [2] = 0x7f, [3] = CTRL('U'), [4] = CTRL('D'), [6] = 1 },
	};
	struct winsize winsize = { .ws_row = 24, .ws_col = 80 };
	int pgid;

	switch (cmd) {
	case TCGETS:
		return copy_to_user((void *)arg, &cooked, sizeof(cooked));
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
		return 0;       /* accepted; the line discipline stays cooked */
	case TIOCGWINSZ:
		return copy_to_user((void *)arg, &winsize, sizeof(winsize));
	case TIOCGPGRP:
		pgid = tty.fg_pgid;
		return copy_to_user((void *)arg, &pgid, sizeof(pgid));
	case TIOCSPGRP:
		if (copy_from_user(&pgid, (void *)arg, sizeof(pgid)))
			return -EFAULT;
		if (pgid <= 0)
			return -EINVAL;
		tty_set_foreground(pgid);
		return 0;
	}
	return -ENOTTY;
}

static void tty_stat(struct file *f, struct stat *st)
{
	*st = (struct stat){ .st_mode = S_IFCHR | 0620, .st_nlink = 1,
			     .st_rdev = (5 << 8) | 1, .st_blksize = 1024 };
}

static int tty_name(struct file *f, char *buf, size_t size)
{
	return strlcpy(buf, "/dev/console", size) < size ? 0 : -ENAMETOOLONG;
}

/* Readable when a line (or an end of file) is there, as a read would
 * find it; writing to the console never waits. */
static unsigned tty_poll(struct file *f, struct poll_table *pt)
{
	unsigned mask = POLLOUT | POLLWRNORM;

	poll_wait(pt, f, &tty.poll);
	spin_lock(&tty.lock);
	if (tty.read != tty.ready || tty.eof_pending)
		mask |= POLLIN | POLLRDNORM;
	spin_unlock(&tty.lock);
	return mask;
}

static const struct file_ops tty_ops = {
	.read = tty_read, .write = tty_write, .ioctl = tty_ioctl, .stat = tty_stat,
	.name = tty_name, .poll = tty_poll,
};

void tty_set_foreground(int pgid)
{
	spin_lock(&tty.lock);
	tty.fg_pgid = pgid;
	spin_unlock(&tty.lock);
}

struct file *tty_open(void)
{
	return file_alloc(&tty_ops, O_RDWR, NULL);
}

void tty_init(void)
{
	wait_queue_init(&tty.readers);
	irq_register(T_SERIAL, serial_interrupt);
	ioapic_route(4, T_SERIAL);          /* COM1 is ISA IRQ 4 */
	uart_enable_rx_irq();
}
