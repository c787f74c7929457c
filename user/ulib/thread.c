/*
 * Threads, made the way Linux's C libraries make them: a thread is a task
 * that clone(2) creates sharing our memory, files and signal handlers.
 * The library only adds what the kernel does not know about: a stack (with
 * a guard page), a thread block reached through the FS register (TLS),
 * and waiting on futexes.
 *
 * One mapping per thread, from low to high addresses:
 *
 *   | guard page (PROT_NONE) | stack, growing down ...  | struct thread |
 *                                                      ^ the new rsp
 *
 * A stack overflow hits the guard page and dies of SIGSEGV instead of
 * silently overwriting whatever lies below.
 */
#include "ulib.h"

#define PAGE       4096
#define STACK_SIZE (64 * 1024)

/* What clone shares for a thread: all of it, as pthread_create asks. The
 * kernel writes the tid into t->tid (PARENT_SETTID) before the thread runs,
 * and zeroes it and futex-wakes it when the thread exits (CHILD_CLEARTID). */
#define THREAD_FLAGS (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | \
	CLONE_SYSVSEM | CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID)

/* ---- futex: sleep until a word changes ---- */

/*
 * Sleep while *word == val (checked by the kernel, atomically with going to
 * sleep). Returns 0 when woken, -EAGAIN if *word already differed.
 *
 * Without FUTEX_PRIVATE_FLAG: the kernel's wake at a thread's exit
 * (CLONE_CHILD_CLEARTID) is a shared-futex wake, and Linux files private
 * and shared waiters apart, so a private wait on a tid word never ends.
 */
static long futex_wait(int *word, int val)
{
	return raw_syscall(SYS_futex, word, FUTEX_WAIT, val, NULL);
}

static void futex_wake(int *word, int n)
{
	raw_syscall(SYS_futex, word, FUTEX_WAKE, n);
}

/* ---- the thread block, through the FS register ---- */

static struct thread main_thread;

/* The x86-64 TLS ABI: the FS base points at the thread block, whose first
 * word points to itself, so one load from %fs:0 finds it. */
struct thread *thread_self(void)
{
	struct thread *self;

	__asm__("mov %%fs:0, %0" : "=r"(self));
	return self;
}

/* crt0 calls this before main: the first thread's block is a static one. */
void __thread_init(void)
{
	main_thread.self = &main_thread;
	raw_syscall(SYS_arch_prctl, ARCH_SET_FS, &main_thread);
}

/* errno is per thread: each block has its own. */
int *__errno_location(void)
{
	return &thread_self()->err;
}

/* ---- creating, ending and joining threads ---- */

void thread_exit(void *result)
{
	thread_self()->result = result;
	for (;;)
		raw_syscall(SYS_exit, 0);      /* this task only: exit_group would end all */
}

/* Where a new thread starts (from __clone), with its own FS base already set. */
static void thread_start(void)
{
	struct thread *self = thread_self();

	thread_exit(self->fn(self->arg));
}

/*
 * Every thread's mapping has the same size, so one that a joined thread
 * left can serve the next thread_create as it is. One is kept, as C
 * libraries keep a cache of stacks: a program that starts and joins threads
 * in a loop then pays for clone, not for mmap, mprotect and munmap.
 */
static void *spare_map;

/* A mapping for a new thread: the spare one, or a new one. MAP_FAILED and
 * errno if there is none. */
static char *get_stack(size_t size)
{
	char *map = __atomic_exchange_n(&spare_map, NULL, __ATOMIC_ACQUIRE);

	if (map)
		return map;
	map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map != MAP_FAILED && mprotect(map, PAGE, PROT_NONE) < 0) {
		int err = errno;
		munmap(map, size);
		errno = err;
		return MAP_FAILED;
	}
	return map;
}

/* Keep the mapping as the spare one if there is none yet, else unmap it. */
static void put_stack(void *map, size_t size)
{
	void *none = NULL;

	if (!__atomic_compare_exchange_n(&spare_map, &none, map, false, __ATOMIC_RELEASE,
					 __ATOMIC_RELAXED))
		munmap(map, size);
}

/* Returns 0, or an error number (not -1 and errno), as pthread_create does. */
int thread_create(thread_t *tp, void *(*fn)(void *), void *arg)
{
	size_t size = PAGE + STACK_SIZE;
	char *map = get_stack(size);

	if (map == MAP_FAILED)
		return errno;
	/* The block at the very top, the stack just below it, 16-byte aligned. */
	struct thread *t = (struct thread *)(map + size) - 1;
	*t = (struct thread){ .self = t, .fn = fn, .arg = arg, .map = map, .map_size = size };
	void *stack = (void *)((uintptr_t)t & ~15UL);

	long tid = __clone(THREAD_FLAGS, stack, &t->tid, &t->tid, t, thread_start);
	if (tid < 0) {
		put_stack(map, size);
		return -tid;
	}
	*tp = t;
	return 0;
}

/* Wait until the kernel has cleared t's tid, which it does as the thread
 * exits; then nothing runs on its stack any more and it can be reused. */
int thread_join(thread_t t, void **result)
{
	int tid;

	/* LAB futex: begin (handout: (void)tid; return ENOSYS;) */
	while ((tid = __atomic_load_n(&t->tid, __ATOMIC_ACQUIRE)) != 0)
		futex_wait(&t->tid, tid);
	/* LAB futex: end */
	if (result)
		*result = t->result;
	put_stack(t->map, t->map_size);
	return 0;
}

/* ---- a mutex: one futex word, three states ---- */

/*
 * 0 = unlocked, 1 = locked, 2 = locked and someone may be sleeping on it.
 * Locking and unlocking without contention are one atomic instruction each;
 * only a lock that was seen as 2 costs the unlocker a FUTEX_WAKE.
 */
void mutex_lock(mutex_t *m)
{
	/* LAB futex: begin (handout: (void)futex_wait; return;) */
	int c = 0;

	if (__atomic_compare_exchange_n(&m->state, &c, 1, false, __ATOMIC_ACQUIRE,
					__ATOMIC_RELAXED))
		return;
	/* Contended: mark it 2 so the holder wakes us, and sleep until we are
	 * the one who swapped a 0 out. */
	while (__atomic_exchange_n(&m->state, 2, __ATOMIC_ACQUIRE) != 0)
		futex_wait(&m->state, 2);
	/* LAB futex: end */
}

void mutex_unlock(mutex_t *m)
{
	/* LAB futex: begin (handout: (void)futex_wake; return;) */
	if (__atomic_exchange_n(&m->state, 0, __ATOMIC_RELEASE) == 2)
		futex_wake(&m->state, 1);
	/* LAB futex: end */
}
