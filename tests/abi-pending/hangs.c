/* Issue 15, items 1-3: cases where tasklab hangs and Linux goes on. Each
 * runs under abicase.h's watchdog, so a hang is reported, not suffered. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include "abicase.h"

static char stack[64 * 1024] __attribute__((aligned(16)));

static int exec_exit7(void *arg)
{
	execl(self_path, self_path, "exit7", (char *)NULL);
	_exit(99);
}

/* [1] A CLONE_THREAD|CLONE_VFORK child that execs: exec must end the
 * other thread (the one waiting in vfork), and the case's process goes on
 * as the new program, which exits 7. tasklab: exec waits for that thread,
 * which waits for exec: both stuck, uninterruptibly. */
static void vfork_thread_exec(void)
{
	clone(exec_exit7, stack + sizeof(stack),
	      CLONE_VM | CLONE_SIGHAND | CLONE_THREAD | CLONE_VFORK, NULL);
	_exit(98);      /* the clone failed, or we came back from vfork */
}

/* [2] SIGKILL ends a parent waiting in vfork at once, while the child
 * still runs (here: sits in pause). tasklab: the vfork wait is not
 * killable, so the parent lives until the child lets go. */
static void kill_vfork_parent(void)
{
	int fds[2], st;
	pid_t parent, child = 0;

	pipe(fds);
	fflush(stdout);
	parent = fork();
	if (parent == 0) {
		if (vfork() == 0) {
			pid_t me = getpid();

			write(fds[1], &me, sizeof(me));
			pause();
			_exit(0);
		}
		_exit(97);      /* back from vfork: the child ended */
	}
	read(fds[0], &child, sizeof(child));    /* the parent is in vfork now */
	kill(parent, SIGKILL);
	waitpid(parent, &st, 0);
	kill(child, SIGKILL);
	say("parent %s", status_words(st));
}

/* The terminal the tty cases read: a new pseudo-terminal where there is
 * one (Linux), so that no input is waiting whoever runs us; else our
 * console (tasklab, where nobody types). */
static int open_terminal(void)
{
	int master = posix_openpt(O_RDWR | O_NOCTTY);

	if (master >= 0 && grantpt(master) == 0 && unlockpt(master) == 0)
		return open(ptsname(master), O_RDWR | O_NOCTTY);
	return 0;
}

/* [3] A terminal read with O_NONBLOCK and no input fails with EAGAIN.
 * tasklab ignores O_NONBLOCK and blocks. */
static void tty_nonblock(void)
{
	int fd = open_terminal();
	char c;
	long r;

	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0) {
		say("fcntl F_SETFL O_NONBLOCK %s", result(-1));
		return;
	}
	r = read(fd, &c, 1);
	say("read %s", result(r));
}

/* [3] A zero-length terminal read returns 0 at once. tasklab blocks. */
static void tty_read_zero(void)
{
	char c;

	say("read %s", result(read(open_terminal(), &c, 0)));
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "exit7") == 0)
		return 7;
	self_path = argv[0];
	printf("== abi-hangs ==\n");
	run_case("[1] vfork+CLONE_THREAD child execs a program that exits 7",
		 vfork_thread_exec, 3);
	run_case("[2] SIGKILL to a parent waiting in vfork", kill_vfork_parent, 3);
	run_case("[3] O_NONBLOCK read of a terminal with no input", tty_nonblock, 3);
	run_case("[3] zero-length read of a terminal", tty_read_zero, 3);
	return 0;
}
