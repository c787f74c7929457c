/* Issue 15, items 8-11: signals (the others are in tests/abi). Each case runs in a process of its own
 * (abicase.h), since on tasklab some of them kill it. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include "abicase.h"

static volatile sig_atomic_t handled;
static volatile int last_code, last_pid_is_sender;
static sigjmp_buf recover;

static void count(int sig) { handled++; }

static void catch(int sig, void (*fn)(int), int flags)
{
	struct sigaction sa = { .sa_handler = fn, .sa_flags = flags };

	sigaction(sig, &sa, NULL);
}

static void block(int sig)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_BLOCK, &set, NULL);
}

static void unblock(int sig)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
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

static void catch_info(int sig, void (*fn)(int, siginfo_t *, void *))
{
	struct sigaction sa = { .sa_sigaction = fn, .sa_flags = SA_SIGINFO };

	sigaction(sig, &sa, NULL);
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
 * integer divide by zero. tasklab: SI_KERNEL (0x80) for all. */
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
 * sender's pid in si_pid. tasklab: si_code 0 and si_pid 0. */
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

/* [9] A real-time signal sent three times while blocked is queued three
 * times: the handler runs three times. tasklab: once. */
static void rt_queued(void)
{
	catch(SIGRTMIN, count, 0);
	block(SIGRTMIN);
	for (int i = 0; i < 3; i++)
		kill(getpid(), SIGRTMIN);
	unblock(SIGRTMIN);
	say("handler runs %d time(s)", (int)handled);
}

static void drop_fpregs(int sig, siginfo_t *info, void *ucv)
{
	((ucontext_t *)ucv)->uc_mcontext.fpregs = NULL;
}

/* [10] A handler that clears uc_mcontext.fpregs: rt_sigreturn then
 * leaves the FPU state as it is, and the program goes on. tasklab kills
 * the process. */
static void null_fpstate(void)
{
	catch_info(SIGUSR1, drop_fpregs);
	raise(SIGUSR1);
	say("back from the handler, the program goes on");
}

/* [11] An x87 divide by zero with the exception unmasked raises SIGFPE
 * with FPE_FLTDIV (3) at the next x87 instruction. tasklab never sets
 * CR0.NE: no signal, and the quotient is inf. */
static void x87_exception(void)
{
	volatile long double one = 1.0L, zero = 0.0L, q = 0;
	unsigned short cw;

	catch_info(SIGFPE, on_fault);
	last_code = -1;
	if (sigsetjmp(recover, 1) == 0) {
		__asm__ volatile("fnstcw %0" : "=m"(cw));
		cw &= ~0x4;             /* unmask ZE, the zero-divide exception */
		__asm__ volatile("fldcw %0" : : "m"(cw));
		q = one / zero;
		__asm__ volatile("fwait");
		__asm__ volatile("fninit");
		say("no signal; the quotient is %s", q > 1e300L ? "inf" : "finite");
	} else {
		__asm__ volatile("fninit");
		say("SIGFPE with si_code %d", last_code);
	}
}

int main(int argc, char **argv)
{
	self_path = argv[0];
	printf("== abi-signals2 ==\n");
	run_case("[8] siginfo of faults", fault_codes, 5);
	run_case("[8] siginfo of kill and tgkill", sender_codes, 5);
	run_case("[9] SIGRTMIN sent 3 times while blocked", rt_queued, 5);
	run_case("[10] SIGUSR1 handler sets uc_mcontext.fpregs to NULL", null_fpstate, 5);
	run_case("[11] x87 1.0/0.0 with the zero-divide exception unmasked", x87_exception, 5);
	return 0;
}
