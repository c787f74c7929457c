/*
 * pingpong: a parent and its child pass one byte back and forth over two
 * pipes, one for each direction, as in xv6's first lab.
 *
 *   pingpong [ROUNDS]       ROUNDS round trips (default 1)
 *
 * In the first round the child prints "PID: received ping" and the parent
 * "PID: received pong", each with its own process id. At the end the
 * parent prints how long a round trip took: two pipe writes, two reads,
 * and two switches between the processes, the cost that the util lab's
 * measurement part compares with Linux's.
 */
#include "ulib.h"

/* LAB util: begin */
/* The child's side: pass each byte from `in` back to `out`, rounds times.
 * Returns 0, or -1 if a read or a write failed. */
static int echo_bytes(int in, int out, int rounds)
{
	char byte;

	for (int i = 0; i < rounds; i++) {
		if (read(in, &byte, 1) != 1)
			return -1;
		if (i == 0)
			printf("%d: received ping\n", getpid());
		if (write(out, &byte, 1) != 1)
			return -1;
	}
	return 0;
}
/* LAB util: end */

/*
 * The whole exchange: make a pipe for each direction, fork, and play the
 * parent's side, rounds times: write a byte to the child, read it back.
 * The child prints "PID: received ping" after the first byte it reads
 * and exits 0 after the last one; the parent prints "PID: received pong"
 * after the first byte it reads back, and waits for the child with wait4.
 * Each side closes the pipe ends it does not use.
 * Returns 0 when every byte came back and the child exited 0, else -1.
 */
static int pingpong(int rounds)
{
	/* LAB util: begin (handout: return -1;) */
	int down[2], up[2];             /* parent -> child, child -> parent */
	char byte = 'p';
	int status;

	if (pipe(down) < 0 || pipe(up) < 0)
		return -1;
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		close(down[1]);
		close(up[0]);
		exit(echo_bytes(down[0], up[1], rounds) == 0 ? 0 : 1);
	}
	close(down[0]);
	close(up[1]);
	int ok = 1;
	for (int i = 0; i < rounds && ok; i++) {
		ok = write(down[1], &byte, 1) == 1 && read(up[0], &byte, 1) == 1;
		if (ok && i == 0)
			printf("%d: received pong\n", getpid());
	}
	close(down[1]);                 /* a child stuck in read sees EOF */
	close(up[0]);
	if (wait4(pid, &status, 0, NULL) != pid || status != 0)
		return -1;
	return ok ? 0 : -1;
	/* LAB util: end */
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 1;

	if (rounds < 1) {
		fprintf(stderr, "usage: pingpong [ROUNDS]\n");
		return 2;
	}
	long start = now_ns();
	if (pingpong(rounds) < 0) {
		fprintf(stderr, "pingpong: failed\n");
		return 1;
	}
	long ns = now_ns() - start;
	printf("pingpong: %d round trips, %ld ns each\n", rounds, ns / rounds);
	return 0;
}
