/*
 * ls: list directories (the current one by default, which is / at boot)
 * with each entry's size; a '/' marks directories. Names are sorted, since
 * getdents64 returns them in whatever order the file system keeps.
 *
 * ls -l: one line per entry with what stat(2) says: the type and
 * permissions as Linux's ls writes them (drwxr-xr-x), the number of links,
 * the owner's and group's numbers (there are no user names here, as with
 * ls -n), the size and the name, and where a symbolic link points. There
 * is no date column.
 *
 * Usage: ls [-l] [PATH...]
 */
#include "ulib.h"

#define MAXNAMES 512

static bool long_format;

/* "drwxr-xr-x": the file's type, then read/write/execute for owner, group
 * and others. */
static const char *mode_string(uint32_t mode, char buf[11])
{
	static const char types[][2] = {
		{ S_IFDIR >> 12, 'd' }, { S_IFCHR >> 12, 'c' }, { S_IFIFO >> 12, 'p' },
		{ S_IFREG >> 12, '-' }, { S_IFLNK >> 12, 'l' },
	};

	buf[0] = '?';
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
		if ((mode & S_IFMT) >> 12 == (uint32_t)types[i][0])
			buf[0] = types[i][1];
	for (int i = 0; i < 9; i++)
		buf[1 + i] = mode & (0400 >> i) ? "rwx"[i % 3] : '-';
	buf[10] = '\0';
	return buf;
}

/* What readlinkat gives, as a length for "%.*s": 0 for no link. */
static int link_length(int dirfd, const char *name, char *buf, size_t size)
{
	ssize_t n = readlinkat(dirfd, name, buf, size);

	return n < 0 ? 0 : (int)n;
}

static void print_entry(int dirfd, const char *name)
{
	struct stat st;
	char mode[11], target[256] = "";

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		printf("%s\n", name);
	else if (long_format)
		printf("%s %3lu %4u %4u %9ld %s%s%.*s\n", mode_string(st.st_mode, mode),
		       (unsigned long)st.st_nlink, st.st_uid, st.st_gid, (long)st.st_size, name,
		       S_ISLNK(st.st_mode) ? " -> " : "",
		       link_length(dirfd, name, target, sizeof(target)), target);
	else if (S_ISDIR(st.st_mode))
		printf("%s/\n", name);
	else
		printf("%-20s %8ld\n", name, (long)st.st_size);
}

static void sort(char **names, int n)
{
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
			char *t = names[j];
			names[j] = names[j - 1];
			names[j - 1] = t;
		}
}

/* Reads the whole directory, then prints it; hidden names are skipped. */
static int list_dir(int fd)
{
	static char buf[8192];
	char *names[MAXNAMES];
	int n = 0;
	ssize_t len;

	while ((len = getdents64(fd, buf, sizeof buf)) > 0)
		for (ssize_t off = 0; off < len;) {
			struct linux_dirent64 *d = (struct linux_dirent64 *)(buf + off);
			if (d->d_name[0] != '.' && n < MAXNAMES)
				names[n++] = strdup(d->d_name);
			off += d->d_reclen;
		}
	sort(names, n);
	for (int i = 0; i < n; i++) {
		print_entry(fd, names[i]);
		free(names[i]);
	}
	return len < 0 ? -1 : 0;
}

static int list(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY);

	if (fd < 0 && errno == ENOTDIR) {
		print_entry(AT_FDCWD, path);
		return 0;
	}
	if (fd < 0 || list_dir(fd) < 0) {
		fprintf(stderr, "ls: %s: %s\n", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return 1;
	}
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	int status = 0, first = 1;

	for (; first < argc && argv[first][0] == '-' && argv[first][1]; first++) {
		if (strcmp(argv[first], "-l") != 0) {
			fprintf(stderr, "ls: unknown option %s\nusage: ls [-l] [PATH...]\n",
				argv[first]);
			return 2;
		}
		long_format = true;
	}
	if (first == argc)
		return list(".");
	for (int i = first; i < argc; i++) {
		if (argc - first > 1)
			printf("%s%s:\n", i > first ? "\n" : "", argv[i]);
		status |= list(argv[i]);
	}
	return status;
}
