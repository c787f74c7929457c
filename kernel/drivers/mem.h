/* Character devices: /dev/null, zero, full, random, urandom, tty and console. */
#ifndef MEM_H
#define MEM_H
#include <stdint.h>
#include "fs/file.h"

/* Make /dev and its nodes in the root file system (as Linux's devtmpfs). */
void dev_init(void);
/* Open the device numbered rdev (major << 8 | minor): 0, -ENXIO or -ENOMEM. */
int chrdev_open(uint32_t rdev, int flags, struct file **out);

#endif
