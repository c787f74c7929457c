/*
 * System-call wrappers. The x86-64 convention: the number in rax, arguments
 * in rdi rsi rdx r10 r8 r9, `syscall` clobbers rcx (return rip) and r11
 * (rflags), and the result comes back in rax, -4095..-1 meaning -errno.
 */
#include "ulib.h"

long syscall6(long n, long a1, long a2, long a3, long a4, long a5, long a6)
{
	register long r10 __asm__("r10") = a4;
	register long r8 __asm__("r8") = a5;
	register long r9 __asm__("r9") = a6;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

long syscall_ret(long r)
{
	if (r < 0 && r > -4096) {
		errno = -r;
		return -1;
	}
	return r;
}

/* Each wrapper is the raw call plus libc's error convention. */
#define WRAP(...) syscall_ret(raw_syscall(__VA_ARGS__))

ssize_t read(int fd, void *buf, size_t n) { return WRAP(SYS_read, fd, buf, n); }
ssize_t write(int fd, const void *buf, size_t n) { return WRAP(SYS_write, fd, buf, n); }
int close(int fd) { return WRAP(SYS_close, fd); }
int stat(const char *path, struct stat *st) { return WRAP(SYS_stat, path, st); }
int fstat(int fd, struct stat *st) { return WRAP(SYS_fstat, fd, st); }
off_t lseek(int fd, off_t off, int whence) { return WRAP(SYS_lseek, fd, off, whence); }
int pipe(int fds[2]) { return WRAP(SYS_pipe, fds); }
int dup(int fd) { return WRAP(SYS_dup, fd); }
int dup2(int fd, int newfd) { return WRAP(SYS_dup2, fd, newfd); }
int access(const char *path, int mode) { return WRAP(SYS_access, path, mode); }
int chdir(const char *path) { return WRAP(SYS_chdir, path); }
int mkdir(const char *path, mode_t mode) { return WRAP(SYS_mkdir, path, mode); }
int rmdir(const char *path) { return WRAP(SYS_rmdir, path); }
int unlink(const char *path) { return WRAP(SYS_unlink, path); }
int rename(const char *old, const char *new) { return WRAP(SYS_rename, old, new); }
ssize_t readlinkat(int dirfd, const char *path, char *buf, size_t n)
{
	return WRAP(SYS_readlinkat, dirfd, path, buf, n);
}
ssize_t getdents64(int fd, void *buf, size_t n) { return WRAP(SYS_getdents64, fd, buf, n); }
int ioctl(int fd, unsigned long req, void *arg) { return WRAP(SYS_ioctl, fd, req, arg); }
int munmap(void *addr, size_t len) { return WRAP(SYS_munmap, addr, len); }
int mprotect(void *addr, size_t len, int prot) { return WRAP(SYS_mprotect, addr, len, prot); }
int execve(const char *path, char *const argv[], char *const envp[])
{
	return WRAP(SYS_execve, path, argv, envp);
}
pid_t wait4(pid_t pid, int *status, int options, void *rusage)
{
	return WRAP(SYS_wait4, pid, status, options, rusage);
}
int kill(pid_t pid, int sig) { return WRAP(SYS_kill, pid, sig); }
pid_t getpid(void) { return WRAP(SYS_getpid); }
pid_t getppid(void) { return WRAP(SYS_getppid); }
pid_t gettid(void) { return WRAP(SYS_gettid); }
int setpgid(pid_t pid, pid_t pgid) { return WRAP(SYS_setpgid, pid, pgid); }
pid_t getpgrp(void) { return WRAP(SYS_getpgrp); }
int pause(void) { return WRAP(SYS_pause); }
int sched_yield(void) { return WRAP(SYS_sched_yield); }
int setpriority(int which, int who, int nice) { return WRAP(SYS_setpriority, which, who, nice); }

/* The system call returns 20 - nice, so that no nice value looks like an
 * error; -1 is then both nice -1 and failure: set errno = 0 first to tell. */
int getpriority(int which, int who)
{
	long r = raw_syscall(SYS_getpriority, which, who);

	return r < 0 ? syscall_ret(r) : 20 - r;
}
int clock_gettime(int clock, struct timespec *ts) { return WRAP(SYS_clock_gettime, clock, ts); }
int getrusage(int who, struct rusage *ru) { return WRAP(SYS_getrusage, who, ru); }
int nanosleep(const struct timespec *req, struct timespec *rem)
{
	return WRAP(SYS_nanosleep, req, rem);
}
int uname(struct utsname *u) { return WRAP(SYS_uname, u); }
int sysinfo(struct sysinfo *si) { return WRAP(SYS_sysinfo, si); }
ssize_t getrandom(void *buf, size_t n, unsigned flags) { return WRAP(SYS_getrandom, buf, n, flags); }

/* The mode argument only matters with O_CREAT; it is read either way. */
int open(const char *path, int flags, ...)
{
	va_list ap;
	va_start(ap, flags);
	mode_t mode = va_arg(ap, mode_t);
	va_end(ap);
	return WRAP(SYS_open, path, flags, mode);
}

int openat(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	va_start(ap, flags);
	mode_t mode = va_arg(ap, mode_t);
	va_end(ap);
	return WRAP(SYS_openat, dirfd, path, flags, mode);
}

int fstatat(int dirfd, const char *path, struct stat *st, int flags)
{
	return WRAP(SYS_newfstatat, dirfd, path, st, flags);
}

/* The kernel's getcwd returns a length; libc's returns the buffer. */
char *getcwd(char *buf, size_t size)
{
	return WRAP(SYS_getcwd, buf, size) < 0 ? NULL : buf;
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	return (void *)WRAP(SYS_mmap, addr, len, prot, flags, fd, off);
}

/* brk(2) returns the new break, or the old one when it cannot move. */
void *sbrk(long incr)
{
	static char *cur;

	if (!cur)
		cur = (char *)raw_syscall(SYS_brk, 0);
	char *old = cur;
	char *want = old + incr;
	cur = (char *)raw_syscall(SYS_brk, want);
	if (cur != want) {
		errno = ENOMEM;
		return (void *)-1;
	}
	return old;
}

/* Buffered output must not be copied into the child, or it prints twice. */
pid_t fork(void)
{
	fflush(stdout);
	return WRAP(SYS_fork);
}

int execv(const char *path, char *const argv[])
{
	return execve(path, argv, environ);
}

/* Commands without a slash live in /bin. */
int execvp(const char *file, char *const argv[])
{
	char path[256];

	if (strchr(file, '/'))
		return execv(file, argv);
	if (snprintf(path, sizeof path, "/bin/%s", file) >= (int)sizeof path) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return execv(path, argv);
}

pid_t waitpid(pid_t pid, int *status, int options) { return wait4(pid, status, options, NULL); }
pid_t wait(int *status) { return wait4(-1, status, 0, NULL); }

/* Where a handler returns to: x86-64 programs must give the kernel this
 * code (SA_RESTORER), which asks it to restore the interrupted context. */
void signal_return(void);
__asm__(".text\n"
	"signal_return:\n"
	"	mov $15, %eax\n"          /* SYS_rt_sigreturn */
	"	syscall\n");

int sigaction_simple(int sig, void *handler)
{
	struct kernel_sigaction sa = { .handler = handler };

	if (handler != SIG_DFL && handler != SIG_IGN) {
		sa.flags = SA_RESTORER;
		sa.restorer = signal_return;
	}
	return WRAP(SYS_rt_sigaction, sig, &sa, NULL, sizeof sa.mask);
}

int msleep(long ms)
{
	struct timespec ts = { ms / 1000, ms % 1000 * 1000000 };
	return nanosleep(&ts, NULL);
}

long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

/* A terminal is what answers the terminal ioctl TCGETS. */
int isatty(int fd)
{
	struct termios t;
	return ioctl(fd, TCGETS, &t) == 0;
}

void _exit(int status)
{
	for (;;)
		raw_syscall(SYS_exit_group, status);
}

void exit(int status)
{
	fflush(stdout);
	_exit(status);
}
