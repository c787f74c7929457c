/*
 * ulib: tasklab's small C library. Everything a user program gets, in one
 * header: system-call wrappers, strings, stdio, malloc, and a few helpers.
 * Wrappers behave like libc's: on failure they return -1 and set errno.
 */
#ifndef ULIB_H
#define ULIB_H
#include <stdarg.h>
#include <stdbool.h>
#include "abi.h"
#include "format.h"     /* kernel/lib/format.h: vformat, snprintf, vsnprintf */

/* ---- System calls (syscall.c) ---- */

/* The raw system call: up to six arguments, returns -errno on failure. */
long syscall6(long n, long a1, long a2, long a3, long a4, long a5, long a6);
/* raw_syscall(SYS_x, args...) pads the missing arguments with zeros. */
#define SYSCALL_PAD_(n, a, b, c, d, e, f, ...) \
	syscall6(n, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))
#define raw_syscall(...) SYSCALL_PAD_(__VA_ARGS__, 0, 0, 0, 0, 0, 0)
/* libc's convention: a negative result becomes errno and -1. */
long syscall_ret(long r);

/* errno lives in the thread block (thread.c): one per thread. */
int *__errno_location(void);
#define errno (*__errno_location())

ssize_t read(int fd, void *buf, size_t n);
ssize_t write(int fd, const void *buf, size_t n);
int open(const char *path, int flags, ...);
int openat(int dirfd, const char *path, int flags, ...);
int close(int fd);
int stat(const char *path, struct stat *st);
int fstat(int fd, struct stat *st);
int fstatat(int dirfd, const char *path, struct stat *st, int flags);
off_t lseek(int fd, off_t off, int whence);
int pipe(int fds[2]);
int dup(int fd);
int dup2(int fd, int newfd);
int access(const char *path, int mode);
int chdir(const char *path);
int mkdir(const char *path, mode_t mode);
int rmdir(const char *path);
int unlink(const char *path);
int rename(const char *old, const char *new);
ssize_t readlinkat(int dirfd, const char *path, char *buf, size_t n);
char *getcwd(char *buf, size_t size);
ssize_t getdents64(int fd, void *buf, size_t n);
int ioctl(int fd, unsigned long req, void *arg);

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);
int munmap(void *addr, size_t len);
int mprotect(void *addr, size_t len, int prot);
void *sbrk(long incr);

pid_t fork(void);
/* In crt0.S: the child borrows our memory and stack until it execs or exits. */
__attribute__((returns_twice)) pid_t vfork(void);
int execve(const char *path, char *const argv[], char *const envp[]);
int execv(const char *path, char *const argv[]);
int execvp(const char *file, char *const argv[]);   /* searches /bin */
pid_t wait4(pid_t pid, int *status, int options, void *rusage);
pid_t waitpid(pid_t pid, int *status, int options);
pid_t wait(int *status);
int kill(pid_t pid, int sig);
pid_t getpid(void);
pid_t getppid(void);
pid_t gettid(void);
int setpgid(pid_t pid, pid_t pgid);
pid_t getpgrp(void);
int pause(void);
int sched_yield(void);
int setpriority(int which, int who, int nice);    /* nice: -20..19 */
int getpriority(int which, int who);              /* the nice value */
/* SIG_DFL, SIG_IGN or a function; without SA_RESTART, so a system call
 * the signal interrupts fails with EINTR. */
int sigaction_simple(int sig, void *handler);

int clock_gettime(int clock, struct timespec *ts);
int getrusage(int who, struct rusage *ru);
int nanosleep(const struct timespec *req, struct timespec *rem);
int msleep(long ms);
long now_ns(void);                              /* CLOCK_MONOTONIC in ns */
int uname(struct utsname *u);
int sysinfo(struct sysinfo *si);
long meminfo_kb(const char *field);     /* a /proc/meminfo field, or -1 */
ssize_t getrandom(void *buf, size_t n, unsigned flags);
int isatty(int fd);

__attribute__((noreturn)) void exit(int status);    /* flushes stdout first */
__attribute__((noreturn)) void _exit(int status);

/* ---- Threads (thread.c): tasks made by clone that share our memory ---- */

/* A thread's block, at the top of its stack mapping; FS points at it. */
struct thread {
	struct thread *self;        /* %fs:0 holds the block's own address (x86-64 TLS ABI) */
	int err;                    /* this thread's errno */
	int tid;                    /* the kernel sets it at clone and zeroes it at exit */
	void *(*fn)(void *);        /* what the thread runs ... */
	void *arg;
	void *result;               /* ... and what it returned, for thread_join */
	void *map;                  /* its stack mapping, guard page included */
	size_t map_size;
};
typedef struct thread *thread_t;

/* Like pthread_create and pthread_join: 0, or an error number. */
int thread_create(thread_t *t, void *(*fn)(void *), void *arg);
int thread_join(thread_t t, void **result);         /* not for the first thread */
__attribute__((noreturn)) void thread_exit(void *result);
thread_t thread_self(void);

/* clone(2) itself (crt0.S): the child calls entry() on stack, and entry
 * must end with exit(2). Returns the child's tid or -errno. */
long __clone(unsigned long flags, void *stack, int *parent_tid, int *child_tid, void *tls,
	     void (*entry)(void));

typedef struct {
	int state;                  /* 0 free, 1 locked, 2 locked with sleepers */
} mutex_t;
#define MUTEX_INIT { 0 }
void mutex_lock(mutex_t *m);
void mutex_unlock(mutex_t *m);

/* ---- Process start (crt0.S) ---- */
extern char **environ;
unsigned long getauxval(unsigned long type);
char *getenv(const char *name);

/* ---- Strings (string.c) ---- */
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strcpy(char *dst, const char *src);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
char *strdup(const char *s);
long strtol(const char *s, char **end, int base);
int atoi(const char *s);
const char *strerror(int err);

/* ---- Standard I/O (stdio.c): stdout is buffered up to each newline ---- */
typedef struct FILE FILE;
extern FILE *stdout, *stderr;
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int fprintf(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int vfprintf(FILE *f, const char *fmt, va_list ap);
int puts(const char *s);
int putchar(int c);
int fflush(FILE *f);
void perror(const char *msg);

/* ---- Memory (malloc.c) ---- */
void *malloc(size_t n);
void free(void *p);
void *calloc(size_t n, size_t size);
void *realloc(void *p, size_t n);

#endif
