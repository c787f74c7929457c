/*
 * ps: every task, one line each, as `ps -eLf` lists them: a process (PID)
 * is a thread group, each of its threads a task (TID) of its own.
 *
 *     PID    TID   PPID S NLWP     MM PSR     TIME CMD
 *
 * MM names the address space: tasks with the same MM share one mm, which
 * is what makes them threads of one process rather than processes. PSR is
 * the CPU the task runs on (or last ran on), TIME the CPU time it has had,
 * user and system, as [DD-]HH:MM:SS. The data comes from
 * /proc/PID/task/TID/status and .../stat; tasklab adds the `Mm:` line to
 * status. Linux has no such line, so there the column shows `-`.
 */
#include "ulib.h"

#define MAXIDS 1024

/* The numeric entries of directory path (pids, tids), sorted; -1 if it
 * cannot be read (a process may exit while we look). */
static int list_ids(const char *path, int *ids, int max)
{
	static char buf[4096];
	int fd = open(path, O_RDONLY | O_DIRECTORY), n = 0;
	ssize_t len;

	if (fd < 0)
		return -1;
	while ((len = getdents64(fd, buf, sizeof buf)) > 0)
		for (ssize_t off = 0; off < len;) {
			struct linux_dirent64 *d = (struct linux_dirent64 *)(buf + off);
			if (d->d_name[0] >= '1' && d->d_name[0] <= '9' && n < max)
				ids[n++] = atoi(d->d_name);
			off += d->d_reclen;
		}
	close(fd);
	for (int i = 1; i < n; i++)         /* insertion sort: lists are short */
		for (int j = i; j > 0 && ids[j - 1] > ids[j]; j--) {
			int t = ids[j];
			ids[j] = ids[j - 1];
			ids[j - 1] = t;
		}
	return n;
}

/* The whole (small) file as a string; false if it is gone. */
static bool read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	size_t n = 0;
	ssize_t r;

	if (fd < 0)
		return false;
	while (n < size - 1 && (r = read(fd, buf + n, size - 1 - n)) > 0)
		n += r;
	close(fd);
	buf[n] = '\0';
	return n > 0;
}

/* The value of a `Key:\tvalue` line of a status file, copied into out
 * (to the end of the line); "-" when there is no such line. */
static const char *status_field(const char *status, const char *key, char *out, size_t size)
{
	size_t klen = strlen(key);

	for (const char *line = status; *line;) {
		const char *end = strchr(line, '\n');
		if (!end)
			end = line + strlen(line);
		if (strncmp(line, key, klen) == 0 && line[klen] == ':') {
			const char *v = line + klen + 1;
			while (*v == ' ' || *v == '\t')
				v++;
			snprintf(out, size, "%.*s", (int)(end - v), v);
			return out;
		}
		line = *end ? end + 1 : end;
	}
	return "-";
}

/* Field n (1-based, n > 2) of a stat file, as a number: the fields after
 * the command, which is in parentheses and may hold spaces. */
static long stat_field(const char *stat, int n)
{
	const char *p = strrchr(stat, ')');

	for (int field = 2; p && field < n; field++)
		p = strchr(p + 1, ' ');
	return p ? strtol(p + 1, NULL, 10) : -1;
}

/* CPU time as ps shows it: clock ticks (USER_HZ, 100 a second) as
 * HH:MM:SS, with DD- before it past a day. */
static const char *cpu_time(long ticks, char *buf, size_t size)
{
	long s = ticks / 100;

	if (s >= 86400)
		snprintf(buf, size, "%ld-%02ld:%02ld:%02ld", s / 86400, s / 3600 % 24, s / 60 % 60, s % 60);
	else
		snprintf(buf, size, "%02ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
	return buf;
}

static void show_task(int pid, int tid)
{
	char path[64], status[2048], stat[1024];
	char tgid[16], ppid[16], state[32], nlwp[16], mm[16], name[64], time[32];

	snprintf(path, sizeof path, "/proc/%d/task/%d/status", pid, tid);
	if (!read_file(path, status, sizeof status))
		return;                         /* it exited meanwhile */
	snprintf(path, sizeof path, "/proc/%d/task/%d/stat", pid, tid);
	if (!read_file(path, stat, sizeof stat))
		return;
	printf("%6s %6d %6s %.1s %4s %6s %3ld %8s %s\n", status_field(status, "Tgid", tgid, sizeof tgid),
	       tid, status_field(status, "PPid", ppid, sizeof ppid),
	       status_field(status, "State", state, sizeof state),
	       status_field(status, "Threads", nlwp, sizeof nlwp),
	       status_field(status, "Mm", mm, sizeof mm), stat_field(stat, 39),
	       cpu_time(stat_field(stat, 14) + stat_field(stat, 15), time, sizeof time),
	       status_field(status, "Name", name, sizeof name));
}

int main(void)
{
	static int pids[MAXIDS], tids[MAXIDS];
	char path[64];
	int npids = list_ids("/proc", pids, MAXIDS);

	if (npids < 0) {
		fprintf(stderr, "ps: /proc: %s\n", strerror(errno));
		return 1;
	}
	printf("%6s %6s %6s %s %4s %6s %3s %8s %s\n", "PID", "TID", "PPID", "S", "NLWP", "MM", "PSR",
	       "TIME", "CMD");
	for (int i = 0; i < npids; i++) {
		snprintf(path, sizeof path, "/proc/%d/task", pids[i]);
		int ntids = list_ids(path, tids, MAXIDS);
		for (int j = 0; j < ntids; j++)
			show_task(pids[i], tids[j]);
	}
	return 0;
}
