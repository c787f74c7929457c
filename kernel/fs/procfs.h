/* /proc: files the kernel writes as they are read (see procfs.c). */
#ifndef PROC_H
#define PROC_H
#include "fs/file.h"

#define PROC_DEV 2          /* st_dev of /proc's files (the ramfs's is 1) */

/* path starts with "/proc": see procfs.c for what is there. */
int proc_open(const char *path, int flags, struct file **out);
int proc_stat(const char *path, struct stat *st);
int proc_readlink(const char *path, char *buf, size_t size);

/* A /proc file's text is printed whole at each read into a window, which
 * keeps the bytes [skip, skip + cap) (a small version of Linux's seq_file). */
struct window {
	char *buf;
	size_t skip, cap;
	size_t pos;                 /* bytes printed so far */
	size_t got;                 /* bytes kept in buf */
};

void wwrite(struct window *w, const char *bytes, size_t n);
void wprintf(struct window *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* /proc/PID/mounts (statfs.c): the mount table, in Linux's format. */
void show_mounts(struct window *w);

/* /proc/stat, /proc/cpuinfo and /proc/meminfo (proc_misc.c). */
void show_stat(struct window *w);
void show_cpuinfo(struct window *w);
void show_meminfo(struct window *w);

#endif
