/* Reading what the kernel tells in /proc, when it has a /proc at all. */
#include "bench.h"

bool read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	size_t len = 0;
	ssize_t n = 0;

	if (fd < 0)
		return false;
	while (len + 1 < size && (n = read(fd, buf + len, size - 1 - len)) > 0)
		len += n;
	close(fd);
	buf[len] = '\0';
	return n >= 0;
}

/* The number after "key " at the start of a line of /proc/stat. Linux's
 * file is long (an "intr" line counts every interrupt line), hence the
 * big buffer; from malloc, so that programs that never call this do not
 * carry it (a fork copies every page of the data segment). */
bool proc_stat(const char *key, uint64_t *value)
{
	enum { SIZE = 64 * 1024 };
	char *buf = malloc(SIZE);
	size_t n = strlen(key);
	bool found = false;

	if (!buf || !read_file("/proc/stat", buf, SIZE)) {
		free(buf);
		return false;
	}
	for (char *line = buf, *nl; line; line = nl ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		if (strncmp(line, key, n) == 0 && line[n] == ' ') {
			*value = strtol(line + n + 1, NULL, 10);
			found = true;
			break;
		}
	}
	free(buf);
	return found;
}

struct lock_cost sched_lock_cost(void)
{
	struct lock_cost c;

	c.has = proc_stat("sched_lock_contended", &c.contended) &&
		proc_stat("sched_lock_wait_ns", &c.wait_ns);
	return c;
}

void note_lock_cost(struct row *r, struct lock_cost before)
{
	struct lock_cost after = sched_lock_cost();
	bool has = before.has && after.has;
	char contended[16], wait[16];
	size_t n = strlen(r->extra);

	snprintf(r->extra + n, sizeof r->extra - n, " lock_contended_per_op=%s lock_wait_ns_per_op=%s",
		 has ? fmt_ratio(contended, sizeof contended, after.contended - before.contended,
				 r->m.ops) : "n/a",
		 has ? fmt_ratio(wait, sizeof wait, after.wait_ns - before.wait_ns, r->m.ops) : "n/a");
}
