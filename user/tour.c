/*
 * The program the gdb tour in README.md steps through (tools/gdb/tour-*.gdb):
 * a fork whose child writes to memory it shares copy-on-write with its
 * parent, then a thread made with a raw clone(2), which shares everything.
 * It prints what each one saw, so it also makes sense run on its own (or
 * on Linux: it uses only Linux's system calls).
 */
#include "ulib.h"

/* Linux's clone flags (kernel/task.h): what pthread_create asks for. */
#define CLONE_VM       0x00000100
#define CLONE_FS       0x00000200
#define CLONE_FILES    0x00000400
#define CLONE_SIGHAND  0x00000800
#define CLONE_THREAD   0x00010000
#define CLONE_SYSVSEM  0x00040000
#define THREAD_FLAGS (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | \
		      CLONE_THREAD | CLONE_SYSVSEM)

/*
 * clone(2) returns twice, and in the new thread it returns on the new stack,
 * where C has no frame to return to: so the call is made in assembly. The
 * new thread pops fn and arg from its stack, calls fn, and ends with
 * SYS_exit, which ends that thread alone (exit_group would end them all).
 */
long spawn_thread(unsigned long flags, void *stack_top, int (*fn)(void *), void *arg);
__asm__(
	".text\n"
	".globl spawn_thread\n"
	"spawn_thread:\n"
	"	sub $16, %rsi\n"        /* fn and arg on the new stack */
	"	mov %rdx, (%rsi)\n"
	"	mov %rcx, 8(%rsi)\n"
	"	xor %edx, %edx\n"       /* no parent_tid, child_tid or tls */
	"	xor %r10d, %r10d\n"
	"	xor %r8d, %r8d\n"
	"	mov $56, %eax\n"        /* SYS_clone */
	"	syscall\n"
	"	test %rax, %rax\n"
	"	jnz 1f\n"               /* the caller: the new tid, or -errno */
	"	pop %rax\n"             /* the new thread, on its own stack */
	"	pop %rdi\n"
	"	call *%rax\n"
	"	mov %eax, %edi\n"
	"	mov $60, %eax\n"        /* SYS_exit */
	"	syscall\n"
	"1:	ret\n");

/* In the data segment, so the parent has touched its page before the fork
 * (a page never touched is not copied on write: it is not there yet). */
static int counter = 100;
static volatile int thread_done;

static void child_main(void)
{
	counter = 200;          /* its first write to this page: a COW fault */
	printf("child: pid %d set counter = %d\n", getpid(), counter);
	exit(0);
}

static int thread_main(void *arg)
{
	counter = 300;          /* main's memory: no copy, main sees it */
	printf("thread: tid %d in process %d set counter = %d\n", gettid(), getpid(), counter);
	thread_done = 1;
	return 0;
}

int main(void)
{
	static char stack[16384] __attribute__((aligned(16)));
	int status;
	pid_t pid = fork();

	if (pid < 0) {
		perror("tour: fork");
		return 1;
	}
	if (pid == 0)
		child_main();
	waitpid(pid, &status, 0);
	printf("parent: pid %d still has counter = %d\n", getpid(), counter);

	if (spawn_thread(THREAD_FLAGS, stack + sizeof(stack), thread_main, NULL) < 0) {
		printf("tour: clone failed\n");
		return 1;
	}
	while (!thread_done)
		sched_yield();
	printf("parent: after the thread, counter = %d\n", counter);
	return 0;
}
