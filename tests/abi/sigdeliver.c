/* Issue 15, items 4 and 8-11: how signals are delivered. The returns from
 * a handler with the trap flag set, the siginfo that faults and senders
 * give, real-time signals that queue, a handler that drops its FPU state,
 * and x87 exceptions. Each case runs in a process of its own (abicase.h). */
#define _GNU_SOURCE
#include <setjmp.h>
#include <sys/syscall.h>
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

static volatile sig_atomic_t handled;
static volatile int last_code, last_pid_is_sender;
static sigjmp_buf recover;

static void count(int sig) { handled++; }

static void catch(int sig, void (*fn)(int))
{
	struct sigaction sa = { .sa_handler = fn };

	sigaction(sig, &sa, NULL);
}

static void catch_info(int sig, void (*fn)(int, siginfo_t *, void *))
{
	struct sigaction sa = { .sa_sigaction = fn, .sa_flags = SA_SIGINFO };

	sigaction(sig, &sa, NULL);
}

static void mask(int how, int sig)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(how, &set, NULL);
}

static void on_info(int sig, siginfo_t *info, void *uc)
{
	last_code = info->si_code;
	last_pid_is_sender = info->si_pid == getpid();
}

static void on_fault(int sig, siginfo_t *info, void *uc)
{
	last_code = info->si_code;
	siglongjmp(recover, 1);
}

/* The si_code of the fault that writing to p raises. */
static int write_fault_code(volatile char *p)
{
	last_code = -1;
	if (sigsetjmp(recover, 1) == 0)
		*p = 1;
	return last_code;
}

/* [8] The si_code of faults: SEGV_ACCERR (2) for a write to a read-only
 * page, SEGV_MAPERR (1) for an unmapped one, FPE_INTDIV (1) for an
 * integer divide by zero. tasklab gave SI_KERNEL (0x80) for all. (QEMU's
 * TCG raises no SSE exception, #XM, even unmasked: none is tried here.) */
static void fault_codes(void)
{
	char *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *gone = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	volatile int one = 1, zero = 0, q;

	munmap(gone, 4096);
	catch_info(SIGSEGV, on_fault);
	catch_info(SIGFPE, on_fault);
	say("write to a read-only page: SIGSEGV si_code %#x", write_fault_code(ro));
	say("write to an unmapped page: SIGSEGV si_code %#x", write_fault_code(gone));
	last_code = -1;
	if (sigsetjmp(recover, 1) == 0)
		q = one / zero;
	say("integer divide by zero: SIGFPE si_code %#x", last_code);
	(void)q;
}

/* [8] kill gives SI_USER (0) and tgkill SI_TKILL (-6), both with the
 * sender's pid in si_pid. tasklab gave si_code 0 and si_pid 0. */
static void sender_codes(void)
{
	catch_info(SIGUSR1, on_info);
	kill(getpid(), SIGUSR1);
	say("kill: si_code %d, si_pid is the sender's: %s", last_code,
	    last_pid_is_sender ? "yes" : "no");
	syscall(SYS_tgkill, getpid(), gettid(), SIGUSR1);
	say("tgkill: si_code %d, si_pid is the sender's: %s", last_code,
	    last_pid_is_sender ? "yes" : "no");
}

static volatile int chld_code, chld_status, chld_pid;

static void on_chld(int sig, siginfo_t *info, void *uc)
{
	chld_code = info->si_code;
	chld_status = info->si_status;
	chld_pid = info->si_pid;
}

/* The SIGCHLD siginfo of a child ended by end(): si_code, si_status and
 * whether si_pid is the child's, in words. */
static void sigchld_of(const char *how, void (*end)(void))
{
	pid_t pid;

	fflush(stdout);
	mask(SIG_BLOCK, SIGCHLD);
	if ((pid = fork()) == 0)
		end();
	waitpid(pid, NULL, 0);
	chld_code = -1;
	mask(SIG_UNBLOCK, SIGCHLD);
	say("child that %s: SIGCHLD si_code %d, si_status %d, si_pid is the child's: %s", how,
	    chld_code, chld_status, chld_pid == pid ? "yes" : "no");
}

static void exit3(void) { _exit(3); }
static void die_by_sigkill(void) { raise(SIGKILL); }

/* [8] SIGCHLD says how the child ended: CLD_EXITED (1) with its exit
 * code, CLD_KILLED (2) with the signal, and the child's pid. */
static void sigchld_codes(void)
{
	catch_info(SIGCHLD, on_chld);
	sigchld_of("exits 3", exit3);
	sigchld_of("SIGKILL kills", die_by_sigkill);
}

/* [9] A real-time signal sent three times while blocked is queued three
 * times: the handler runs three times. tasklab: once. */
static void rt_queued(void)
{
	catch(SIGRTMIN, count);
	mask(SIG_BLOCK, SIGRTMIN);
	for (int i = 0; i < 3; i++)
		kill(getpid(), SIGRTMIN);
	mask(SIG_UNBLOCK, SIGRTMIN);
	say("handler runs %d time(s)", (int)handled);
}

/* [9] A standard signal does not queue: sent three times while blocked,
 * its handler runs once. */
static void standard_coalesces(void)
{
	catch(SIGUSR2, count);
	mask(SIG_BLOCK, SIGUSR2);
	for (int i = 0; i < 3; i++)
		kill(getpid(), SIGUSR2);
	mask(SIG_UNBLOCK, SIGUSR2);
	say("handler runs %d time(s)", (int)handled);
}

/* [9] The queue has a limit (Linux: RLIMIT_SIGPENDING; tasklab: a
 * process's SIGQUEUE_MAX): past it tgkill fails with EAGAIN, while kill
 * still succeeds, without a siginfo to queue. The handler then runs once
 * per signal tgkill queued, and once for kill's, which waits in the
 * process's pending set, not the thread's. (The limit itself differs: it
 * is not printed.) */
static void rt_limit(void)
{
	long sent = 0, r = 0;

	catch(SIGRTMIN, count);
	mask(SIG_BLOCK, SIGRTMIN);
	while (sent < 1000000 && (r = syscall(SYS_tgkill, getpid(), gettid(), SIGRTMIN)) == 0)
		sent++;
	say("tgkill, sent again and again, %s", result(r));
	say("kill then %s", result(kill(getpid(), SIGRTMIN)));
	mask(SIG_UNBLOCK, SIGRTMIN);
	say("the handler runs once per signal tgkill queued, and %ld more time(s)",
	    (long)handled - sent);
}

static volatile unsigned short handler_cw;

static void on_x87_fault(int sig, siginfo_t *info, void *uc)
{
	unsigned short cw;

	__asm__ volatile("fnstcw %0" : "=m"(cw));
	handler_cw = cw;
	on_fault(sig, info, uc);
}

/* SIGFPE's si_code for num/0.0 on the x87, with exception `unmask`
 * unmasked; -1 if no signal came. */
static int x87_fault_code(long double num, unsigned short unmask)
{
	volatile long double n = num, zero = 0.0L, q = 0;
	unsigned short cw;

	catch_info(SIGFPE, on_x87_fault);
	last_code = -1;
	if (sigsetjmp(recover, 1) == 0) {
		__asm__ volatile("fnstcw %0" : "=m"(cw));
		cw &= ~unmask;
		__asm__ volatile("fldcw %0" : : "m"(cw));
		q = n / zero;
		__asm__ volatile("fwait");
	}
	__asm__ volatile("fninit");
	(void)q;
	return last_code;
}

/* [11] An x87 divide by zero with the exception unmasked raises SIGFPE
 * with FPE_FLTDIV (3) at the next x87 instruction, 0/0 with the invalid
 * operation unmasked FPE_FLTINV (7); the handler starts with the x87's
 * default control word (0x37f: all masked). tasklab did not set CR0.NE:
 * no signal, and the quotient was inf. */
static void x87_exception(void)
{
	say("1.0/0.0, zero-divide unmasked: SIGFPE si_code %d", x87_fault_code(1.0L, 0x4));
	say("the handler's control word %#x", handler_cw);
	say("0.0/0.0, invalid operation unmasked: SIGFPE si_code %d", x87_fault_code(0.0L, 0x1));
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
	run_case("[8] siginfo of faults", fault_codes, 5);
	run_case("[8] siginfo of kill and tgkill", sender_codes, 5);
	run_case("[8] siginfo of SIGCHLD", sigchld_codes, 5);
	run_case("[9] SIGRTMIN sent 3 times while blocked", rt_queued, 5);
	run_case("[9] SIGUSR2 sent 3 times while blocked", standard_coalesces, 5);
	run_case("[9] SIGRTMIN sent while blocked until the queue is full", rt_limit, 30);
	run_case("[10] SIGUSR1 handler sets uc_mcontext.fpregs to NULL", null_fpstate, 5);
	run_case("[11] x87 exceptions, unmasked", x87_exception, 5);
	return 0;
}
