/* Issue 15, items 4 and 8-11: how signals are delivered. The returns from
 * a handler with the trap flag set, the siginfo that faults and senders
 * give, real-time signals that queue, a handler that drops its FPU state,
 * and x87 exceptions. Each case runs in a process of its own (abicase.h). */
#define _GNU_SOURCE
#include <ucontext.h>
#include "abicase.h"

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
 * once per instruction stepped and goes on. Returning from rt_sigreturn
 * by sysret with TF set and rip == rcx traps at the same rip again,
 * forever (so the handler gives up after TRAP_LIMIT traps): Linux never
 * returns by sysret with TF (or RF) set. */
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

static void drop_fpregs(int sig, siginfo_t *info, void *ucv)
{
	((ucontext_t *)ucv)->uc_mcontext.fpregs = NULL;
}

/* [10] A handler that clears uc_mcontext.fpregs: rt_sigreturn then
 * resets the FPU state (MXCSR goes back to 0x1f80 from the rounding mode
 * we set), and the program goes on. tasklab killed the process. */
static void null_fpstate(void)
{
	struct sigaction sa = { .sa_sigaction = drop_fpregs, .sa_flags = SA_SIGINFO };
	unsigned mxcsr = 0x3f80;        /* the default, rounding down */

	sigaction(SIGUSR1, &sa, NULL);
	__asm__ volatile("ldmxcsr %0" : : "m"(mxcsr));
	raise(SIGUSR1);
	__asm__ volatile("stmxcsr %0" : "=m"(mxcsr));
	say("back from the handler, the program goes on; MXCSR %#x", mxcsr);
}

int main(int argc, char **argv)
{
	self_path = argv[0];
	printf("== abi-sigdeliver ==\n");
	run_case("[4] TF set over a syscall, SIGTRAP handled", trap_flag_syscall, 3);
	run_case("[10] SIGUSR1 handler sets uc_mcontext.fpregs to NULL", null_fpstate, 5);
	return 0;
}
