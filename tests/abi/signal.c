/* Signal handlers through musl's sigaction: a handler that runs and
 * returns (rt_sigreturn restores the registers), a blocked signal that
 * waits until unblocked, SA_SIGINFO with the fault address of a SIGSEGV,
 * and SIGCHLD reaching the parent. */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t usr1_count, chld_count;
static volatile void *fault_addr;
static sigjmp_buf recover;

static void on_usr1(int sig) { usr1_count++; }
static void on_chld(int sig) { chld_count++; }

static void on_segv(int sig, siginfo_t *info, void *uc)
{
	fault_addr = info->si_addr;
	siglongjmp(recover, 1);
}

static void handle(int sig, void (*fn)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sigaction(sig, &sa, NULL);
}

int main(void)
{
	struct sigaction sa;
	sigset_t set;
	double x = 1.5;         /* live in an SSE register across the handler */

	printf("== abi-signal ==\n");
	handle(SIGUSR1, on_usr1);
	kill(getpid(), SIGUSR1);
	printf("handler ran %d time(s), x still %.1f\n", (int)usr1_count, x * 1.0);

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	kill(getpid(), SIGUSR1);
	printf("while blocked: %d\n", (int)usr1_count);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	printf("after unblocking: %d\n", (int)usr1_count);

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, NULL);
	if (sigsetjmp(recover, 1) == 0)
		*(volatile int *)0x1234 = 1;
	printf("SIGSEGV handler saw address %p\n", (void *)fault_addr);

	handle(SIGCHLD, on_chld);
	if (fork() == 0)
		_exit(0);
	wait(NULL);
	printf("SIGCHLD handler ran %d time(s)\n", (int)chld_count);
	return 0;
}
