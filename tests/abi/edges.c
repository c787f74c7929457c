/* Corner cases a code review found (each once crashed or confused the
 * kernel, or lost pages): brk over a heap the program unmapped itself, a
 * thread waiting for its own child, a process whose first thread exited
 * still killable, a program changing its FS base behind the kernel's back,
 * MAP_SHARED memory forked while PROT_NONE, an mmap hint in the kernel's
 * half, and small errno and return-value rules of read, dup3, tgkill and
 * fstatat. The output is the same on Linux. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int wait_for(pid_t pid)
{
	int status = -1;

	waitpid(pid, &status, 0);
	return status;
}

/* (musl's brk() always fails: the system call is made directly.) */
static void brk_over_unmapped_heap(void)
{
	long start = syscall(SYS_brk, 0);

	syscall(SYS_brk, start + 8192);
	munmap((void *)start, 8192);
	printf("brk back over a heap we unmapped: %s\n",
	       syscall(SYS_brk, start) == start ? "done" : "refused, as Linux does");
	printf("brk up again past it: %s\n",
	       syscall(SYS_brk, start + 16384) == start + 16384 ? "done" : "refused");
	*(volatile char *)(start + 12288) = 1;         /* the new part is there */
}

static void *fork_and_wait(void *unused)
{
	pid_t child = fork();

	if (child == 0)
		_exit(7);
	printf("a thread waits for its own child: exit %d\n", WEXITSTATUS(wait_for(child)));
	return NULL;
}

static void *pause_forever(void *unused)
{
	for (;;)
		pause();
	return NULL;
}

/* The first thread exits alone; the process lives on in the other one,
 * and a SIGKILL to its pid must still end it. */
static void kill_after_first_thread_exits(void)
{
	pid_t child = fork();
	pthread_t t;

	if (child == 0) {
		pthread_create(&t, NULL, pause_forever, NULL);
		syscall(SYS_exit, 0);
	}
	usleep(100000);
	kill(child, SIGKILL);
	int status = wait_for(child);
	printf("killed after its first thread exited: %s\n",
	       WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL ? "yes" : "no");
}

/* A child zeroes its FS base with a selector load and spins; the parent's
 * own TLS (errno) must not notice. */
static void fs_base_behind_our_back(void)
{
	pid_t child = fork();

	if (child == 0) {
		__asm__ volatile("mov %0, %%fs" : : "r"(0));
		for (;;)
			;
	}
	for (int i = 0; i < 50; i++)
		sched_yield();
	errno = 0;
	close(-1);
	printf("our TLS after the child's FS change: errno %s\n", errno == EBADF ? "ok" : "wrong");
	kill(child, SIGKILL);
	wait_for(child);
}

static void shared_forked_while_protnone(void)
{
	int *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pid_t child;

	*p = 1;
	mprotect(p, 4096, PROT_NONE);
	child = fork();
	if (child == 0) {
		mprotect(p, 4096, PROT_READ | PROT_WRITE);
		*p = 42;
		_exit(0);
	}
	wait_for(child);
	mprotect(p, 4096, PROT_READ | PROT_WRITE);
	printf("MAP_SHARED, forked while PROT_NONE: the parent reads %d\n", *p);
}

static void mmap_hint_in_kernel_half(void)
{
	void *p = mmap((void *)0xffffff0000000000UL, 1UL << 20, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	printf("an mmap hint in the kernel's half: %s\n",
	       p != MAP_FAILED && (unsigned long)p < 0x800000000000UL ? "ignored" : "honoured");
}

static void small_rules(void)
{
	int fds[2];
	struct stat st;
	char c;

	pipe(fds);
	printf("read of 0 bytes from an empty pipe: %zd\n", read(fds[0], &c, 0));
	printf("dup3 with a bad flag: %s\n",    /* (musl's dup3 would fall back to dup2) */
	       syscall(SYS_dup3, fds[0], 9, 1) < 0 && errno == EINVAL ? "EINVAL" : "?");
	printf("tgkill with tgid 0: %s\n",
	       syscall(SYS_tgkill, 0, getpid(), 0) < 0 && errno == EINVAL ? "EINVAL" : "?");
	printf("fstatat(AT_FDCWD, \"\", AT_EMPTY_PATH) is a directory: %d\n",
	       fstatat(AT_FDCWD, "", &st, AT_EMPTY_PATH) == 0 && S_ISDIR(st.st_mode));
	close(fds[0]);
	close(fds[1]);
}

int main(void)
{
	pthread_t t;

	printf("== abi-edges ==\n");
	fflush(stdout);
	brk_over_unmapped_heap();
	fflush(stdout);
	pthread_create(&t, NULL, fork_and_wait, NULL);
	pthread_join(t, NULL);
	fflush(stdout);
	kill_after_first_thread_exits();
	fflush(stdout);
	fs_base_behind_our_back();
	shared_forked_while_protnone();
	mmap_hint_in_kernel_half();
	small_rules();
	return 0;
}
