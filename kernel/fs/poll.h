/*
 * Waiting on many files at once (poll, select): a file that can make a
 * poller wait (a pipe, the terminal) keeps a poll_head, the pollers
 * waiting on it, and wakes them with poll_wake whenever it may have
 * become ready. A task sleeps on one wait queue at a time (its run_node),
 * so a poller does not sleep on the files' own wait queues: each head
 * points at the poller's table, whose one wait queue it sleeps on.
 */
#ifndef POLL_H
#define POLL_H
#include "lib/list.h"

struct file;
struct poll_table;

struct poll_head {
	struct list_head entries;           /* struct poll_entry, in select.c; under poll_lock */
};
#define POLL_HEAD_INIT(h) { LIST_HEAD_INIT((h).entries) }

/* In a file's poll operation, before it looks at its state: the poller
 * (pt, NULL once it has registered) is woken by h from now on. */
void poll_wait(struct poll_table *pt, struct file *f, struct poll_head *h);
/* h's file may have changed state: wake its pollers, who look again. */
void poll_wake(struct poll_head *h);

#endif
