/*
 * A thread made the way a C library makes one (glibc's pthread_create,
 * musl's too): clone(2) with the flags below, a stack of its own, a TLS
 * block; joined by sleeping on the tid word that the kernel clears and
 * futex-wakes when the thread exits (CLONE_CHILD_CLEARTID).
 */
#include "bench.h"

#define STACK_SIZE (64 * 1024)
#define THREAD_FLAGS (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | \
	CLONE_SYSVSEM | CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID)

/* clone.S: the child starts on sp, where fn and its argument wait. */
long bench_clone(unsigned long flags, void *sp, volatile int *ptid, volatile int *ctid,
		 void *tls);

int bthread_start(struct bthread *t, int (*fn)(void *), void *arg)
{
	/* One stack per bthread, kept for the next start, as C libraries
	 * cache stacks: we measure the kernel's work, not mmap's. */
	if (!t->stack) {
		void *s = mmap(NULL, STACK_SIZE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (s == MAP_FAILED)
			return -1;
		t->stack = s;
	}
	void **sp = (void **)(t->stack + STACK_SIZE);
	*--sp = arg;
	*--sp = (void *)fn;
	t->tls[0] = t->tls;
	return syscall_ret(bench_clone(THREAD_FLAGS, sp, &t->tid, &t->tid, t->tls)) < 0 ? -1 : 0;
}

void bthread_join(struct bthread *t)
{
	int tid;

	while ((tid = t->tid) != 0)
		futex_wait(&t->tid, tid);
}
