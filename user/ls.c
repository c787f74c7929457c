/*
 * ls: list directories (the current one by default, which is / at boot)
 * with each entry's size; a '/' marks directories. Names are sorted, since
 * getdents64 returns them in whatever order the file system keeps.
 */
#include "ulib.h"

#define MAXNAMES 512

static void print_entry(int dirfd, const char *name)
{
	struct stat st;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		printf("%s\n", name);
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
	int status = 0;

	if (argc < 2)
		return list(".");
	for (int i = 1; i < argc; i++) {
		if (argc > 2)
			printf("%s%s:\n", i > 1 ? "\n" : "", argv[i]);
		status |= list(argv[i]);
	}
	return status;
}
