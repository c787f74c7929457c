/* musl's pthreads: create, join, a mutex, a condition variable, __thread. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#define NTHREADS 4
#define ROUNDS 10000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static long counter;            /* under lock */
static int arrived;             /* under lock */
static __thread int mine = 100; /* every thread starts with its own copy */

/* Each thread adds to the shared counter under the mutex, then waits at a
 * barrier made of the condition variable, then reports its own copy. */
static void *work(void *arg)
{
	long id = (long)arg;

	mine += id;
	for (int i = 0; i < ROUNDS; i++) {
		pthread_mutex_lock(&lock);
		counter++;
		pthread_mutex_unlock(&lock);
	}
	pthread_mutex_lock(&lock);
	arrived++;
	pthread_cond_broadcast(&changed);
	while (arrived < NTHREADS)
		pthread_cond_wait(&changed, &lock);
	pthread_mutex_unlock(&lock);
	return (void *)(long)(mine * 10);
}

int main(void)
{
	pthread_t t[NTHREADS];
	void *result;

	printf("== abi-pthread ==\n");
	fflush(stdout);
	for (long i = 0; i < NTHREADS; i++)
		if (pthread_create(&t[i], NULL, work, (void *)i) != 0) {
			printf("pthread_create failed\n");
			return 1;
		}
	for (int i = 0; i < NTHREADS; i++) {
		pthread_join(t[i], &result);
		printf("thread %d returned %ld\n", i, (long)result);
	}
	printf("counter %ld (want %d)\n", counter, NTHREADS * ROUNDS);
	printf("main's __thread copy: %d\n", mine);

	/* A held mutex; a wait with a deadline (FUTEX_WAIT with a timeout). */
	struct timespec deadline;
	pthread_mutex_lock(&lock);
	printf("trylock of a held mutex: %s\n", pthread_mutex_trylock(&lock) == EBUSY ? "EBUSY" : "?");
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_nsec += 20 * 1000000;
	if (deadline.tv_nsec >= 1000000000) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000;
	}
	printf("timed wait: %s\n",
	       pthread_cond_timedwait(&changed, &lock, &deadline) == ETIMEDOUT ? "ETIMEDOUT" : "?");
	pthread_mutex_unlock(&lock);
	return 0;
}
