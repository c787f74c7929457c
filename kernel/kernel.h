/* What nearly every kernel file needs: printing, panicking, strings. */
#ifndef KERNEL_H
#define KERNEL_H
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdarg.h>

#define ARRAY_SIZE(a)   (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b)       ((a) < (b) ? (a) : (b))
#define MAX(a, b)       ((a) > (b) ? (a) : (b))
#define ALIGN_UP(x, a)  (((x) + (a) - 1) & ~((uint64_t)(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((uint64_t)(a) - 1))
/* The functions students step through in gdb and rewrite as exercises
 * (copy_process, copy_page_range, do_wp_page, pick_next...) stay real
 * functions at -O2, so `break FUNC` stops at their first line with their
 * arguments in view. */
#define noinline __attribute__((noinline))
/* And a helper that runs once a page stays inline however many call it. */
#define __always_inline inline __attribute__((always_inline))

#define container_of(p, type, member) \
	((type *)((char *)(p) - offsetof(type, member)))

/* console.c */
void console_init(void);
void console_write(const char *s, size_t n);
int printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintk(const char *fmt, va_list ap);

/* panic.c */
struct trapframe;
void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
void panic_tf(struct trapframe *tf, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 2, 3)));
const char *ksym_lookup(uintptr_t addr, uintptr_t *offset);
void backtrace_from(uintptr_t rbp);
struct trapframe;
void backtrace_tf(const struct trapframe *tf);     /* its rip, then backtrace_from */
/* stackprotector.c: boot.S sets the canary; __stack_chk_fail is gcc's to call */
void stack_protector_init(void);
void __stack_chk_fail(void) __attribute__((noreturn));

#define assert(c) \
	do { if (!(c)) panic("assertion failed: %s (%s:%d)", #c, __FILE__, __LINE__); } while (0)

/* main.c: the C entry point, called by boot/boot.S with the boot loader's
 * magic and information; and power the machine off (the status reaches tools/run) */
void kmain(uint32_t magic, uint64_t info);
void poweroff(int status) __attribute__((noreturn));
#define PANIC_STATUS 125

#include "lib/string.h"

#endif
