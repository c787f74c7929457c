/* /proc: files the kernel writes as they are read (see procfs.c). */
#ifndef PROC_H
#define PROC_H
#include "fs/file.h"

/* path starts with "/proc": see procfs.c for what is there. */
int proc_open(const char *path, int flags, struct file **out);
int proc_stat(const char *path, struct stat *st);
int proc_readlink(const char *path, char *buf, size_t size);

#endif
