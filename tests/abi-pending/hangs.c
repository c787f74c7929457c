/* Issue 15, items 1, 3 and 4: cases where tasklab hangs and Linux goes on. Each
 * runs under abicase.h's watchdog, so a hang is reported, not suffered. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <ucontext.h>
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

#define TF 0x100
#define TRAP_LIMIT 50
static volatile int traps;

/* After TRAP_LIMIT traps, clear TF in the saved flags, to end a livelock. */
static void on_trap(int sig, siginfo_t *info, void *ucv)
{
	ucontext_t *uc = ucv;

	if (++traps >= TRAP_LIMIT)
		uc->uc_mcontext.gregs[REG_EFL] &= ~TF;
}

/* [4] Single-stepping over a syscall with a SIGTRAP handler: Linux traps
 * once per instruction stepped (4 times here) and goes on. tasklab
 * returns from rt_sigreturn by sysret with TF set and rip == rcx, which
 * traps at the same rip again, forever; so the handler gives up after
 * TRAP_LIMIT traps. Linux never returns by sysret with TF (or RF) set. */
static void trap_flag_syscall(void)
{
	struct sigaction sa = { .sa_sigaction = on_trap, .sa_flags = SA_SIGINFO };

	sigaction(SIGTRAP, &sa, NULL);
	__asm__ volatile(
		"pushfq; orq %0, (%%rsp); popfq\n\t"
		"movl $39, %%eax; syscall\n\t"          /* getpid */
		"pushfq; andq %1, (%%rsp); popfq"
		: : "i"(TF), "i"(~TF) : "rax", "rcx", "r11", "memory", "cc");
	if (traps >= TRAP_LIMIT)
		say("SIGTRAP %d times, stopped by clearing TF in the handler", traps);
	else
		say("SIGTRAP %d times, then the program goes on", traps);
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "exit7") == 0)
		return 7;
	self_path = argv[0];
	printf("== abi-hangs ==\n");
	run_case("[1] vfork+CLONE_THREAD child execs a program that exits 7",
		 vfork_thread_exec, 3);
	run_case("[3] O_NONBLOCK read of a terminal with no input", tty_nonblock, 3);
	run_case("[3] zero-length read of a terminal", tty_read_zero, 3);
	run_case("[4] TF set over a syscall, SIGTRAP handled", trap_flag_syscall, 3);
	return 0;
}
