/*
 * printf and friends over write(2), formatted by kernel/lib/format.c's vformat.
 * stdout keeps a small buffer, written out at each newline, when full, at
 * fflush and at exit; stderr is written at the end of every call, so error
 * messages are never held back.
 */
#include "ulib.h"

struct FILE {
	int fd;
	bool flush_each_call;
	mutex_t lock;           /* threads print whole calls, one at a time */
	int len;
	char buf[512];
};

static FILE out = { .fd = 1 };
static FILE err = { .fd = 2, .flush_each_call = true };
FILE *stdout = &out;
FILE *stderr = &err;

/* write(2) may take less than asked (a pipe, a signal): loop until done. */
static void write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w <= 0)
			return;
		p += w;
		n -= w;
	}
}

static void flush_locked(FILE *f)
{
	write_all(f->fd, f->buf, f->len);
	f->len = 0;
}

int fflush(FILE *f)
{
	mutex_lock(&f->lock);
	flush_locked(f);
	mutex_unlock(&f->lock);
	return 0;
}

/* vformat's output function: called with f->lock held. */
static void put(char c, void *arg)
{
	FILE *f = arg;

	f->buf[f->len++] = c;
	if (c == '\n' || f->len == sizeof f->buf)
		flush_locked(f);
}

int vfprintf(FILE *f, const char *fmt, va_list ap)
{
	int n;

	mutex_lock(&f->lock);
	n = vformat(put, f, fmt, ap);
	if (f->flush_each_call)
		flush_locked(f);
	mutex_unlock(&f->lock);
	return n;
}

int fprintf(FILE *f, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vfprintf(f, fmt, ap);
	va_end(ap);
	return n;
}

int printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vfprintf(stdout, fmt, ap);
	va_end(ap);
	return n;
}

int puts(const char *s)
{
	return printf("%s\n", s);
}

int putchar(int c)
{
	mutex_lock(&stdout->lock);
	put((char)c, stdout);
	mutex_unlock(&stdout->lock);
	return (unsigned char)c;
}

void perror(const char *msg)
{
	const char *e = strerror(errno);

	if (msg && *msg)
		fprintf(stderr, "%s: %s\n", msg, e);
	else
		fprintf(stderr, "%s\n", e);
}
