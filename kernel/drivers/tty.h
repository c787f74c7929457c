/* The terminal: the console as a file, with line editing and a foreground process group. */
#ifndef TTY_H
#define TTY_H
#include "fs/file.h"

void tty_init(void);
struct file *tty_open(void);    /* the console, for fds 0, 1 and 2 */
void tty_set_foreground(int pgid);

#endif
