/*
 * Pipes: a one-page ring buffer between a read end and a write end.
 * A reader sleeps while the pipe is empty and there are writers (no
 * writers left: end of file); a writer sleeps while it is full and there
 * are readers (no readers left: EPIPE, and SIGPIPE).
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
	unsigned ino;               /* a number for fstat and /proc/PID/fd: "pipe:[ino]" */
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

static void pipe_release(struct pipe *p, bool writer)
{
	bool last;

	spin_lock(&p->lock);
	if (writer)
		p->writers--;
	else
		p->readers--;
	last = p->readers == 0 && p->writers == 0;
	/* Whoever waits on the other end must notice the change. (Under the
	 * lock: once it is dropped, the other end's release may free p.) */
	pipe_wake(p, writer ? &p->rwait : &p->wwait);
	spin_unlock(&p->lock);
	if (last) {
		page_put(p->buf);
		kfree(p);
	}
}

static void read_release(struct file *f)  { pipe_release(f->private, false); }
static void write_release(struct file *f) { pipe_release(f->private, true); }

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
	if ((f->flags & O_ACCMODE) == O_RDONLY) {
		mask |= p->head != p->tail ? POLLIN | POLLRDNORM : 0;
		mask |= p->writers ? 0 : POLLHUP;
	} else {
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

int pipe_create(struct file **r, struct file **w, int flags)
{
	static unsigned last_ino;
	struct pipe *p = kzalloc(sizeof(*p));

	if (!p || !(p->buf = page_zalloc())) {
		kfree(p);
		return -ENOMEM;
	}
	p->lock = (struct spinlock)SPINLOCK_INIT("pipe");
	wait_queue_init(&p->rwait);
	wait_queue_init(&p->wwait);
	list_init(&p->poll.entries);
	p->readers = p->writers = 1;
	p->ino = __atomic_add_fetch(&last_ino, 1, __ATOMIC_RELAXED);
	*r = file_alloc(&pipe_read_ops, O_RDONLY | (flags & O_NONBLOCK), p);
	*w = file_alloc(&pipe_write_ops, O_WRONLY | (flags & O_NONBLOCK), p);
	if (!*r || !*w) {
		kfree(*r);
		kfree(*w);
		page_put(p->buf);
		kfree(p);
		return -ENOMEM;
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
