/* Pipes: a one-page ring buffer between a reading and a writing file. */
#ifndef PIPE_H
#define PIPE_H
#include "fs/file.h"

#define PIPE_SIZE 4096      /* one page; writes up to this size are atomic */

/* A new pipe: *r reads, *w writes. flags: O_NONBLOCK. 0 or -ENOMEM. */
int pipe_create(struct file **r, struct file **w, int flags);
/* An open of the FIFO whose inode in the ramfs is ino (see pipe.c). */
int fifo_open(uint32_t ino, int flags, struct file **out);

#endif
