/*
 * What fuzz's two files share: fuzz.c, the harness (rounds, workers and
 * their threads, leak checks), and fuzz_calls.c, the system calls (the
 * table, their arguments' generators, one call made and its result kept).
 */
#ifndef FUZZ_H
#define FUZZ_H
#include "ulib.h"

#define PAGE        4096
#define ARENA_SIZE  (256 * 1024)    /* the mappings and buffers calls may use */
#define FUZZ_THREADS 2
#define MAX_FDS     32
#define MAX_KIDS    10

/* What a worker tells the harness, through a pipe; each thread counts
 * its calls in one too. */
struct report {
	long calls, failed, nomem, signals;
};

/* ---- the random numbers: xorshift64*, one state per thread ---- */

static inline uint64_t mix(uint64_t x)  /* splitmix64: seeds from seeds */
{
	x += 0x9e3779b97f4a7c15;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9;
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb;
	return x ^ (x >> 31);
}

static inline uint64_t rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1d;
}

static inline uint64_t below(uint64_t *s, uint64_t n)
{
	return rnd(s) % n;
}

#define PICK(s, arr) ((arr)[below(s, sizeof(arr) / sizeof((arr)[0]))])

/* ---- what a worker owns: its pools (fuzz_calls.c) ---- */

extern char *arena;                     /* ARENA_SIZE bytes, then a guard page */
extern int fds[MAX_FDS], nfds;
extern int kids[MAX_KIDS], nkids;       /* 0: reaped */
extern uintptr_t initial_brk;
extern volatile int nsignals;
extern void *restorer;                  /* ulib's, read back from the kernel at setup */
extern bool verbose;                    /* -v (fuzz.c): every call on stderr, before it runs */

/* Pools are shared by the worker's threads without locks: a lost update
 * only means another value is fuzzed. */
static inline void remember(int *pool, int *n, int max, int v, uint64_t *s)
{
	if (*n < max)
		pool[(*n)++] = v;
	else
		pool[below(s, max)] = v;
}

void on_signal(int sig);
/* One random call with random arguments, counted in *t. */
void fuzz_one(uint64_t *s, struct report *t);

#endif
