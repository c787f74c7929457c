/* meminfo_kb: one field of /proc/meminfo, as free(1) and top read it. */
#include "ulib.h"

long meminfo_kb(const char *field)
{
	char buf[1024], *p = buf;
	size_t len = strlen(field);
	int fd = open("/proc/meminfo", O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof buf - 1);

	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	for (; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (strncmp(p, field, len) == 0 && p[len] == ':')
			return strtol(p + len + 1, NULL, 10);
	return -1;
}
