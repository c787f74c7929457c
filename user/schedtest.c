/*
 * schedtest: how the scheduler shares the CPU, measured from /proc.
 *
 *   schedtest share TICKS NICE...   one busy child per NICE value, for TICKS
 *                                   clock ticks (10 ms each); then each
 *                                   child's CPU ticks and share, beside the
 *                                   share its weight asks for
 *   schedtest latency BUSY ROUNDS   BUSY busy children at nice 0, while we
 *                                   sleep 10 ms ROUNDS times: how late does
 *                                   each sleep end?
 *
 * Each child's CPU time is what /proc/PID/stat says (utime + stime, fields
 * 14 and 15, in ticks), its nice value field 19. Run under `tools/run
 * --icount`, every run repeats exactly; the same binary runs on Linux.
 */
#include "ulib.h"

#define MAX_CHILDREN 8
#define NSEC_PER_TICK 10000000L

/* The weights the shares should follow: Linux's, nice -20..19. */
static const long weight[40] = {
	88761, 71755, 56483, 46273, 36291, 29154, 23254, 18705, 14949, 11916,
	9548, 7620, 6100, 4904, 3906, 3121, 2501, 1991, 1586, 1277,
	1024, 820, 655, 526, 423, 335, 272, 215, 172, 137,
	110, 87, 70, 56, 45, 36, 29, 23, 18, 15,
};

static void die(const char *what)
{
	fprintf(stderr, "schedtest: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* Fields 14 + 15 (CPU ticks) and 19 (nice) of /proc/PID/stat. */
static long cpu_ticks(pid_t pid, int *nice)
{
	char path[64], buf[512], *p;
	long field[20] = { 0 };
	int fd, n;

	snprintf(path, sizeof path, "/proc/%d/stat", pid);
	if ((fd = open(path, O_RDONLY)) < 0)
		die(path);
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	if (!(p = strrchr(buf, ')')))
		die("no ')' in /proc/PID/stat");
	/* The fields after "(comm)" are the 3rd on; the state is a letter. */
	p += 3;
	for (int i = 4; i < 20 && *p; i++) {
		while (*p == ' ')
			p++;
		field[i] = strtol(p, &p, 10);
	}
	if (nice)
		*nice = (int)field[19];
	return field[14] + field[15];
}

/* A child that runs until killed, at the given nice value; it tells us it
 * is ready on the pipe `ready` and waits for the pipe `go` to reach end of
 * file (so it closes its own write end of go). */
static pid_t start_busy(int nice, const int *ready, const int *go)
{
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (pid > 0)
		return pid;
	close(go[1]);
	if (setpriority(PRIO_PROCESS, 0, nice) < 0)
		die("setpriority");
	char c = 0;
	write(ready[1], &c, 1);
	read(go[0], &c, 1);
	for (volatile unsigned long spins = 0;; spins++)
		;
}

/* Start n busy children at nice[i], all at once: each is ready (its nice
 * value set) before any starts to spin. */
static void start_all(int n, const int *nice, pid_t *pids)
{
	int ready[2], go[2];
	char c;

	if (pipe(ready) < 0 || pipe(go) < 0)
		die("pipe");
	for (int i = 0; i < n; i++)
		pids[i] = start_busy(nice[i], ready, go);
	for (int i = 0; i < n; i++)
		if (read(ready[0], &c, 1) != 1)
			die("a child did not start");
	close(ready[0]);
	close(ready[1]);
	close(go[0]);
	close(go[1]);                   /* go: every child's read ends */
}

static void stop_all(int n, const pid_t *pids)
{
	for (int i = 0; i < n; i++)
		kill(pids[i], SIGKILL);
	for (int i = 0; i < n; i++)
		waitpid(pids[i], NULL, 0);
}

static int share(long ticks, const char *const *nices, int n)
{
	int nice[MAX_CHILDREN], got_nice;
	pid_t pids[MAX_CHILDREN];
	long before[MAX_CHILDREN], used[MAX_CHILDREN], total_used = 0, total_weight = 0;

	for (int i = 0; i < n; i++) {
		nice[i] = atoi(nices[i]);
		if (nice[i] < -20 || nice[i] > 19) {
			fprintf(stderr, "schedtest: nice %s is not in -20..19\n", nices[i]);
			return 2;
		}
		total_weight += weight[nice[i] + 20];
	}
	start_all(n, nice, pids);
	for (int i = 0; i < n; i++)
		before[i] = cpu_ticks(pids[i], NULL);
	msleep(ticks * (NSEC_PER_TICK / 1000000));
	for (int i = 0; i < n; i++) {
		used[i] = cpu_ticks(pids[i], &got_nice) - before[i];
		total_used += used[i];
		if (got_nice != nice[i])
			printf("schedtest: child %d: /proc says nice %d, want %d\n", i, got_nice, nice[i]);
	}
	stop_all(n, pids);
	printf("schedtest: %d busy children for %ld ticks\n", n, ticks);
	for (int i = 0; i < n; i++) {
		/* In tenths of a percent: ulib's printf has no floating point. */
		long got = total_used ? used[i] * 1000 / total_used : 0;
		long want = weight[nice[i] + 20] * 1000 / total_weight;
		printf("child %d nice %d: %ld ticks, %ld.%ld%% of the CPU, weight share %ld.%ld%%\n",
		       i, nice[i], used[i], got / 10, got % 10, want / 10, want % 10);
	}
	return 0;
}

static int latency(int busy, int rounds)
{
	int nice[MAX_CHILDREN] = { 0 };
	pid_t pids[MAX_CHILDREN];
	long worst = 0, sum = 0;

	start_all(busy, nice, pids);
	for (int i = 0; i < rounds; i++) {
		long start = now_ns();
		msleep(10);
		long late = now_ns() - start - 10 * 1000000L;
		worst = late > worst ? late : worst;
		sum += late;
	}
	stop_all(busy, pids);
	printf("schedtest: %d sleeps of 10 ms beside %d busy children: late by %ld us at most, %ld us on average\n",
	       rounds, busy, worst / 1000, sum / rounds / 1000);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 4 && strcmp(argv[1], "share") == 0 && argc - 3 <= MAX_CHILDREN)
		return share(atoi(argv[2]), (const char *const *)argv + 3, argc - 3);
	if (argc == 4 && strcmp(argv[1], "latency") == 0 && atoi(argv[2]) <= MAX_CHILDREN &&
	    atoi(argv[3]) > 0)
		return latency(atoi(argv[2]), atoi(argv[3]));
	fprintf(stderr, "usage: schedtest share TICKS NICE... (up to %d)\n"
		"       schedtest latency BUSY ROUNDS\n", MAX_CHILDREN);
	return 2;
}
