/*
 * printf-style formatting, shared by the kernel's printk and user/'s printf:
 * one implementation, two callers. Understands %d %i %u %x %X %o %p %s %c %%,
 * the l, ll, z and h length modifiers, a width, '-' and '0' flags and a
 * precision for strings ("%.*s").
 */
#ifndef FORMAT_H
#define FORMAT_H
#include <stdarg.h>
#include <stddef.h>

/* Calls out(c, arg) for each character; returns how many it produced. */
int vformat(void (*out)(char c, void *arg), void *arg, const char *fmt, va_list ap);

/* Into a buffer, always NUL-terminated; returns the length it wanted. */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
