#ifndef TTY_H
#define TTY_H
#include "fs/file.h"

void tty_init(void);
struct file *tty_open(void);    /* the console, for fds 0, 1 and 2 */
void tty_set_foreground(int pgid);

#endif
