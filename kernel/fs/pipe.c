/*
 * Pipes: a one-page ring buffer between a read end and a write end.
 * A reader sleeps while the pipe is empty and there are writers (no
 * writers left: end of file); a writer sleeps while it is full and there
 * are readers (no readers left: EPIPE, and SIGPIPE).
 *
 * A FIFO (mkfifo) is the same pipe, found by the number of its inode in
 * the ramfs rather than made by pipe(2): its first open makes it, its last
 * close frees it (the inode never holds bytes, as on Linux).
 */
#include "kernel.h"
#include "fs/pipe.h"
#include "fs/poll.h"
#include "uapi/errno.h"
#include "mm/slab.h"
#include "arch/x86/memlayout.h"
#include "mm/mm.h"
#include "mm/page_alloc.h"
#include "sched.h"
#include "syscall.h"
#include "lib/format.h"

struct pipe {
	struct spinlock lock;
	char *buf;                  /* PIPE_SIZE bytes */
	size_t head, tail;          /* bytes ever written / read: head - tail are in buf */
	int readers, writers;       /* open ends */
	unsigned r_opens, w_opens;  /* a FIFO's opens for reading, writing, ever */
	unsigned ino;               /* a number for fstat and /proc/PID/fd: "pipe:[ino]" */
	uint32_t fifo_ino;          /* a FIFO's inode in the ramfs; 0 for pipe(2)'s */
	struct list_head fifo_node; /* a FIFO's, in fifos */
	struct wait_queue rwait, wwait;
	struct poll_head poll;      /* pollers of either end */
};

/* Wake the sleepers on wq (p's rwait or wwait), and every poller of p:
 * whatever woke them changed what one end or the other is ready for. */
static void pipe_wake(struct pipe *p, struct wait_queue *wq)
{
	wake_up(wq);
	poll_wake(&p->poll);
}

/* The open FIFOs; fifo_lock, taken before a pipe's lock, guards the list
 * and so the last close of a FIFO against a new open finding it. */
static struct list_head fifos = LIST_HEAD_INIT(fifos);
static struct spinlock fifo_lock = SPINLOCK_INIT("fifo");

static void pipe_free(struct pipe *p)
{
	page_put(p->buf);
	kfree(p);
}

/* A file that read, wrote, or both (a FIFO's O_RDWR) is closed. */
static void pipe_release(struct pipe *p, bool reader, bool writer)
{
	bool last;

	if (p->fifo_ino)
		spin_lock(&fifo_lock);
	spin_lock(&p->lock);
	p->readers -= reader;
	p->writers -= writer;
	last = p->readers == 0 && p->writers == 0;
	if (last && p->fifo_ino)
		list_del(&p->fifo_node);
	/* Whoever waits on the other end must notice the change. (Under the
	 * lock: once it is dropped, the other end's release may free p.) */
	if (writer)
		pipe_wake(p, &p->rwait);
	if (reader)
		pipe_wake(p, &p->wwait);
	spin_unlock(&p->lock);
	if (p->fifo_ino)
		spin_unlock(&fifo_lock);
	if (last)
		pipe_free(p);
}

static void read_release(struct file *f)  { pipe_release(f->private, true, false); }
static void write_release(struct file *f) { pipe_release(f->private, false, true); }
static void rdwr_release(struct file *f)  { pipe_release(f->private, true, true); }

static long pipe_read(struct file *f, char *ubuf, size_t n)
{
	struct pipe *p = f->private;
	long done = 0;

	if (n == 0)
		return 0;
	spin_lock(&p->lock);
	while (p->head == p->tail && p->writers > 0) {
		int err = (f->flags & O_NONBLOCK) ? -EAGAIN :
			  wait_sleep(&p->rwait, &p->lock, 0, SLEEP_INTERRUPTIBLE);
		if (err) {
			spin_unlock(&p->lock);
			return err;
		}
	}
	while ((size_t)done < n && p->head != p->tail) {
		size_t off = p->tail % PIPE_SIZE;
		size_t chunk = MIN(MIN(n - done, p->head - p->tail), PIPE_SIZE - off);
		if (copy_to_user(ubuf + done, p->buf + off, chunk)) {
			done = done ? done : -EFAULT;
			break;
		}
		p->tail += chunk;
		done += chunk;
	}
	spin_unlock(&p->lock);
	pipe_wake(p, &p->wwait);
	return done;
}

static long pipe_write(struct file *f, const char *ubuf, size_t n)
{
	struct pipe *p = f->private;
	size_t done = 0;
	long err = 0;

	spin_lock(&p->lock);
	while (done < n) {
		size_t space = PIPE_SIZE - (p->head - p->tail);
		/* POSIX: a write of up to PIPE_SIZE bytes goes in all at once */
		size_t need = n - done <= PIPE_SIZE ? n - done : 1;
		if (p->readers == 0) {
			err = -EPIPE;
			break;
		}
		if (space < need) {
			pipe_wake(p, &p->rwait);
			err = (f->flags & O_NONBLOCK) ? -EAGAIN :
			      wait_sleep(&p->wwait, &p->lock, 0, SLEEP_INTERRUPTIBLE);
			if (err)
				break;
			continue;
		}
		size_t off = p->head % PIPE_SIZE;
		size_t chunk = MIN(MIN(n - done, space), PIPE_SIZE - off);
		if (copy_from_user(p->buf + off, ubuf + done, chunk)) {
			err = -EFAULT;
			break;
		}
		p->head += chunk;
		done += chunk;
	}
	spin_unlock(&p->lock);
	pipe_wake(p, &p->rwait);
	/* SIGPIPE even when part of the bytes went in: Linux's pipe_write
	 * sends it whenever it finds no reader, whatever it returns. */
	if (err == -EPIPE)
		send_signal_to_task(current, SIGPIPE);
	return done ? (long)done : err;
}

static void pipe_stat(struct file *f, struct stat *st)
{
	struct pipe *p = f->private;

	*st = (struct stat){ .st_mode = S_IFIFO | 0600, .st_nlink = 1, .st_blksize = PAGE_SIZE,
			     .st_ino = p->ino };
}

static int pipe_name(struct file *f, char *buf, size_t size)
{
	struct pipe *p = f->private;

	return snprintf(buf, size, "pipe:[%u]", p->ino) < (int)size ? 0 : -ENAMETOOLONG;
}

/* As Linux's pipe_poll: the read end is readable when there are bytes, and
 * hung up when no writer is left; the write end is in error when no reader
 * is left, and writable while half the pipe is free, so that a write of up
 * to PIPE_SIZE / 2 bytes will not wait (Linux: while one of its 16 page
 * slots is free, a page's write will not). */
static unsigned pipe_poll(struct file *f, struct poll_table *pt)
{
	struct pipe *p = f->private;
	unsigned mask = 0;

	poll_wait(pt, f, &p->poll);
	spin_lock(&p->lock);
	if ((f->flags & O_ACCMODE) != O_WRONLY) {
		mask |= p->head != p->tail ? POLLIN | POLLRDNORM : 0;
		mask |= p->writers ? 0 : POLLHUP;
	}
	if ((f->flags & O_ACCMODE) != O_RDONLY) {
		mask |= PIPE_SIZE - (p->head - p->tail) >= PIPE_SIZE / 2 ? POLLOUT | POLLWRNORM : 0;
		mask |= p->readers ? 0 : POLLERR;
	}
	spin_unlock(&p->lock);
	return mask;
}

static const struct file_ops pipe_read_ops = {
	.read = pipe_read, .stat = pipe_stat, .release = read_release, .name = pipe_name,
	.poll = pipe_poll,
};

static const struct file_ops pipe_write_ops = {
	.write = pipe_write, .stat = pipe_stat, .release = write_release, .name = pipe_name,
	.poll = pipe_poll,
};

static const struct file_ops pipe_rdwr_ops = {
	.read = pipe_read, .write = pipe_write, .stat = pipe_stat, .release = rdwr_release,
	.name = pipe_name, .poll = pipe_poll,
};

/* An empty pipe with no ends open; NULL when out of memory. */
static struct pipe *pipe_alloc(void)
{
	static unsigned last_ino;
	struct pipe *p = kzalloc(sizeof(*p));

	if (!p || !(p->buf = page_zalloc())) {
		kfree(p);
		return NULL;
	}
	p->lock = (struct spinlock)SPINLOCK_INIT("pipe");
	wait_queue_init(&p->rwait);
	wait_queue_init(&p->wwait);
	list_init(&p->poll.entries);
	p->ino = __atomic_add_fetch(&last_ino, 1, __ATOMIC_RELAXED);
	return p;
}

int pipe_create(struct file **r, struct file **w, int flags)
{
	struct pipe *p = pipe_alloc();

	if (!p)
		return -ENOMEM;
	p->readers = p->writers = 1;
	*r = file_alloc(&pipe_read_ops, O_RDONLY | (flags & O_NONBLOCK), p);
	*w = file_alloc(&pipe_write_ops, O_WRONLY | (flags & O_NONBLOCK), p);
	if (!*r || !*w) {
		kfree(*r);
		kfree(*w);
		pipe_free(p);
		return -ENOMEM;
	}
	return 0;
}

/* Under fifo_lock: the pipe of FIFO ino, made if it has none; NULL when
 * out of memory. */
static struct pipe *fifo_get(uint32_t ino)
{
	struct pipe *p;

	list_for_each_entry(p, &fifos, fifo_node)
		if (p->fifo_ino == ino)
			return p;
	if ((p = pipe_alloc())) {
		p->fifo_ino = ino;
		list_add(&p->fifo_node, &fifos);
	}
	return p;
}

/* Counts a new end of p and wakes whoever waits in open for it. True if
 * the other side has an end open now; else *seen is its count of opens,
 * for fifo_wait_other_end. Both are read in the same hold of the lock as
 * our end is counted (as Linux's fifo_open does under pipe->mutex): read
 * later, a partner that opened and closed meanwhile, on another CPU, would
 * be missed, or waited for again. */
static bool fifo_add_end(struct pipe *p, bool reader, bool writer, unsigned *seen)
{
	bool partner;

	spin_lock(&p->lock);
	p->readers += reader;
	p->r_opens += reader;
	p->writers += writer;
	p->w_opens += writer;
	if (reader)
		pipe_wake(p, &p->wwait);
	if (writer)
		pipe_wake(p, &p->rwait);
	partner = reader ? p->writers > 0 : p->readers > 0;
	*seen = reader ? p->w_opens : p->r_opens;
	spin_unlock(&p->lock);
	return partner;
}

/* As Linux's fifo_open (man 7 fifo): a reader that found no writer waits
 * until one has opened, a writer with no reader until one has; O_RDWR
 * waits for no one. With O_NONBLOCK a reader goes on alone, and a writer
 * with no reader gets ENXIO. Whether someone "has opened" is counted in
 * opens, so one that came and went since fifo_add_end counted our end
 * (`seen`) still counts. */
static int fifo_wait_other_end(struct pipe *p, int flags, unsigned seen)
{
	bool reader = (flags & O_ACCMODE) == O_RDONLY;
	int *others = reader ? &p->writers : &p->readers;
	unsigned *opens = reader ? &p->w_opens : &p->r_opens;
	int err = 0;

	spin_lock(&p->lock);
	if (flags & O_NONBLOCK)
		err = reader ? 0 : -ENXIO;
	else
		while (!err && !*others && *opens == seen)
			err = wait_sleep(reader ? &p->rwait : &p->wwait, &p->lock, 0,
					 SLEEP_INTERRUPTIBLE);
	spin_unlock(&p->lock);
	return err;
}

int fifo_open(uint32_t ino, int flags, struct file **out)
{
	int mode = flags & O_ACCMODE;
	bool reader = mode != O_WRONLY, writer = mode != O_RDONLY;
	struct pipe *p;
	unsigned seen;
	bool partner = false;
	int err;

	spin_lock(&fifo_lock);
	if ((p = fifo_get(ino)))
		partner = fifo_add_end(p, reader, writer, &seen);
	spin_unlock(&fifo_lock);
	if (!p)
		return -ENOMEM;
	*out = file_alloc(reader && writer ? &pipe_rdwr_ops : reader ? &pipe_read_ops :
			  &pipe_write_ops, flags, p);
	if (!*out) {
		pipe_release(p, reader, writer);
		return -ENOMEM;
	}
	if (mode != O_RDWR && !partner && (err = fifo_wait_other_end(p, flags, seen))) {
		file_put(*out);                 /* its release counts the end out */
		return err;
	}
	return 0;
}

long sys_pipe2(int *ufds, int flags)
{
	struct file *rf, *wf;
	int fds[2], err;

	if (flags & ~(O_CLOEXEC | O_NONBLOCK))
		return -EINVAL;
	err = pipe_create(&rf, &wf, flags);
	if (err)
		return err;
	fds[0] = fd_alloc(rf, flags & O_CLOEXEC);
	fds[1] = fds[0] < 0 ? -EMFILE : fd_alloc(wf, flags & O_CLOEXEC);
	if (fds[1] < 0 || copy_to_user(ufds, fds, sizeof(fds))) {
		err = fds[1] < 0 ? -EMFILE : -EFAULT;
		if (fds[0] >= 0)
			sys_close(fds[0]);      /* puts rf */
		else
			file_put(rf);
		if (fds[1] >= 0)
			sys_close(fds[1]);
		else
			file_put(wf);
		return err;
	}
	return 0;
}

long sys_pipe(int *ufds)
{
	return sys_pipe2(ufds, 0);
}
