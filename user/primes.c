/*
 * primes: the primes up to N by a pipeline of processes, the sieve Doug
 * McIlroy described for Unix pipes (xv6's lab has it too).
 *
 *   primes [N]        2 <= N <= 1000 (default 35)
 *
 * The first process writes 2, 3, ..., N into a pipe. Each stage reads the
 * first number from its pipe: a prime, since no earlier stage divided it.
 * It prints it, starts the next stage, and passes on every later number
 * that its prime does not divide. Every prime is found by a process of its
 * own, so the run makes one process per prime below N, all alive at once.
 */
#include "ulib.h"

#define MAX_N 1000      /* 168 primes: a stage's count fits in an exit status */

/* LAB util: begin */
static int sieve(int in);

/* Fork the next stage: a process that runs sieve on the read end of the
 * pipe fds and exits with its result, so its exit status is its count.
 * The child closes the write end (else it would never see EOF) and
 * old_in, its parent's input (-1 if none): each stage holds only its own
 * pipe, not one per stage before it. Returns the pid, or -1. */
static pid_t start_stage(int fds[2], int old_in)
{
	pid_t pid = fork();

	if (pid == 0) {
		close(fds[1]);
		if (old_in >= 0)
			close(old_in);
		exit(sieve(fds[0]));
	}
	close(fds[0]);
	return pid;
}

/* Wait for a stage; its exit status is the number of primes it and the
 * stages after it printed. Returns that number, or -1. */
static int stage_count(pid_t pid)
{
	int status;

	if (pid < 0 || wait4(pid, &status, 0, NULL) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}
/* LAB util: end */

/*
 * One stage, in a process of its own, reading ints (4 bytes each, in
 * increasing order) from the pipe end `in` until end of file. The first
 * int is a prime p: print "prime p (pid PID)" with this process's pid.
 * If more ints follow, make a pipe, fork the next stage, which runs
 * sieve on the pipe's read end, and write to it every later int that p
 * does not divide; close the write end, then wait4 for the next stage.
 * Returns the number of primes this stage and all later ones printed
 * (this stage's 1 plus the next stage's exit status, 1 if there is no
 * next stage), 0 if `in` was empty, or -1 on an error: the caller exits
 * with it.
 */
static int sieve(int in)
{
	/* LAB util: begin (handout: return -1;) */
	int p, n, fds[2];
	pid_t next = 0;

	if (read(in, &p, sizeof p) != sizeof p)
		return 0;
	printf("prime %d (pid %d)\n", p, getpid());
	while (read(in, &n, sizeof n) == sizeof n) {
		if (n % p == 0)
			continue;
		if (!next) {            /* the first survivor: now a next stage is needed */
			if (pipe(fds) < 0 || (next = start_stage(fds, in)) < 0)
				return -1;
		}
		if (write(fds[1], &n, sizeof n) != sizeof n)
			return -1;
	}
	close(in);
	if (!next)
		return 1;
	close(fds[1]);
	int later = stage_count(next);
	return later < 0 ? -1 : 1 + later;
	/* LAB util: end */
}

/*
 * The whole sieve: make a pipe, start the first stage (a child process
 * that exits with sieve's result on the pipe's read end), write 2..n into
 * the pipe, close it and wait4 for the stage.
 * Returns the number of primes the stages printed, or -1.
 */
static int primes(int n)
{
	/* LAB util: begin (handout: (void)sieve; return -1;) */
	int fds[2];

	if (pipe(fds) < 0)
		return -1;
	pid_t first = start_stage(fds, -1);
	for (int i = 2; i <= n && first > 0; i++)
		if (write(fds[1], &i, sizeof i) != sizeof i)
			break;
	close(fds[1]);
	return stage_count(first);
	/* LAB util: end */
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 35;

	if (n < 2 || n > MAX_N) {
		fprintf(stderr, "usage: primes [N], 2 <= N <= %d\n", MAX_N);
		return 2;
	}
	int count = primes(n);
	if (count < 0) {
		fprintf(stderr, "primes: failed\n");
		return 1;
	}
	printf("primes: %d primes up to %d, each found by a process of its own\n", count, n);
	return 0;
}
