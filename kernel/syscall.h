/*
 * System calls: Linux's x86-64 numbers and argument order, so the same
 * static binary runs on Linux and on tasklab. Each sys_* function lives in
 * the file of its subsystem; syscall.c holds the table.
 */
#ifndef SYSCALL_H
#define SYSCALL_H
#include <stddef.h>
#include <stdint.h>

struct trapframe;
struct stat;
struct iovec;
struct kernel_sigaction;
struct rlimit;
struct robust_list_head;
struct timespec;

void syscall_dispatch(struct trapframe *tf);
/* The last stop before user mode: reschedule, act on signals. Leaves
 * interrupts off. */
void return_to_user(struct trapframe *tf);

/* fs/file.c */
long sys_read(int fd, char *buf, size_t n);
long sys_write(int fd, const char *buf, size_t n);
long sys_open(const char *path, int flags, int mode);
long sys_openat(int dirfd, const char *path, int flags, int mode);
long sys_close(int fd);
long sys_stat(const char *path, struct stat *st);
long sys_fstat(int fd, struct stat *st);
long sys_newfstatat(int dirfd, const char *path, struct stat *st, int flags);
long sys_lseek(int fd, long off, int whence);
long sys_ioctl(int fd, unsigned long cmd, unsigned long arg);
long sys_readv(int fd, const struct iovec *iov, int iovcnt);
long sys_writev(int fd, const struct iovec *iov, int iovcnt);
long sys_access(const char *path, int mode);
long sys_pipe(int *fds);
long sys_pipe2(int *fds, int flags);
long sys_dup(int fd);
long sys_dup2(int oldfd, int newfd);
long sys_dup3(int oldfd, int newfd, int flags);
long sys_fcntl(int fd, int cmd, unsigned long arg);
long sys_getcwd(char *buf, size_t size);
long sys_chdir(const char *path);
long sys_getdents64(int fd, char *buf, size_t n);
/* the root file system's names and inodes: fs/open.c, fs/namei.c */
long sys_creat(const char *path, int mode);
long sys_lstat(const char *path, struct stat *st);
long sys_readlink(const char *path, char *buf, int size);
long sys_readlinkat(int dirfd, const char *path, char *buf, int size);
long sys_chmod(const char *path, uint32_t mode);
long sys_fchmod(int fd, uint32_t mode);
long sys_fchmodat(int dirfd, const char *path, uint32_t mode);
long sys_utimensat(int dirfd, const char *path, const struct timespec *times, int flags);
long sys_truncate(const char *path, long len);
long sys_ftruncate(int fd, long len);
long sys_fsync(int fd);
long sys_umask(uint32_t mask);
long sys_mkdir(const char *path, uint32_t mode);
long sys_mkdirat(int dirfd, const char *path, uint32_t mode);
long sys_mknod(const char *path, uint32_t mode, uint64_t dev);
long sys_mknodat(int dirfd, const char *path, uint32_t mode, uint64_t dev);
long sys_rmdir(const char *path);
long sys_unlink(const char *path);
long sys_unlinkat(int dirfd, const char *path, int flags);
long sys_rename(const char *old, const char *new);
long sys_renameat(int olddfd, const char *old, int newdfd, const char *new);
long sys_renameat2(int olddfd, const char *old, int newdfd, const char *new, unsigned flags);
long sys_link(const char *old, const char *new);
long sys_linkat(int olddfd, const char *old, int newdfd, const char *new, int flags);
long sys_symlink(const char *target, const char *path);
long sys_symlinkat(const char *target, int newdfd, const char *path);

/* fs/select.c */
struct pollfd;
struct timeval;
struct sigset_argpack;
long sys_poll(struct pollfd *fds, unsigned nfds, int timeout_ms);
long sys_ppoll(struct pollfd *fds, unsigned nfds, void *ts, const uint64_t *mask,
	       size_t sigsetsize);
long sys_select(int n, uint64_t *in, uint64_t *out, uint64_t *ex, struct timeval *tv);
long sys_pselect6(int n, uint64_t *in, uint64_t *out, uint64_t *ex, void *ts,
		  const struct sigset_argpack *sig);

/* mm/mmap.c: in mm/mm.h */

/* signal.c */
long sys_rt_sigaction(int sig, const struct kernel_sigaction *act,
		      struct kernel_sigaction *old, size_t sigsetsize);
long sys_rt_sigprocmask(int how, const uint64_t *set, uint64_t *old, size_t sigsetsize);
long sys_rt_sigreturn(void);
long sys_kill(int pid, int sig);
long sys_pause(void);
long sys_rt_sigsuspend(const uint64_t *mask, size_t sigsetsize);
struct sigstack;
long sys_sigaltstack(const struct sigstack *ss, struct sigstack *old);
long sys_restart_syscall(void);
#define NR_restart_syscall 219      /* do_signals puts it in rax to resume a sleep */
long sys_tkill(int tid, int sig);
long sys_tgkill(int tgid, int tid, int sig);

/* fork.c */
long sys_fork(void);
long sys_vfork(void);
long sys_clone(uint64_t flags, uintptr_t newsp, int *parent_tid, int *child_tid, uint64_t tls);
long sys_set_tid_address(int *tidptr);

/* exit.c */
long sys_exit(int code);
long sys_exit_group(int code);
long sys_wait4(int pid, int *status, int options, void *rusage);

/* acct.c */
long sys_getrusage(int who, void *ru);
long sys_times(void *tms);

/* fs/exec.c */
long sys_execve(const char *path, const char *const *argv, const char *const *envp);

/* futex.c */
long sys_futex(int *uaddr, int op, int val, const void *timeout, int *uaddr2, int val3);
long sys_set_robust_list(struct robust_list_head *head, size_t len);
long sys_get_robust_list(int pid, uintptr_t *head, size_t *len);

/* sched.c */
long sys_sched_yield(void);
long sys_sched_setaffinity(int pid, unsigned len, const unsigned long *umask);
long sys_sched_getaffinity(int pid, unsigned len, unsigned long *umask);
long sys_getcpu(unsigned *ucpu, unsigned *unode, void *unused);
long sys_getpriority(int which, int who);
long sys_setpriority(int which, int who, int nice);

/* time.c */
long sys_nanosleep(const void *req, void *rem);
long sys_clock_gettime(int clock, void *ts);
long sys_clock_getres(int clock, void *ts);
long sys_clock_nanosleep(int clock, int flags, const void *req, void *rem);
struct itimerval;
long sys_setitimer(int which, const struct itimerval *new, struct itimerval *old);
long sys_getitimer(int which, struct itimerval *val);
long sys_alarm(unsigned seconds);

/* fs/statfs.c */
struct statfs;
long sys_statfs(const char *upath, struct statfs *usf);
long sys_fstatfs(int fd, struct statfs *usf);

/* sys.c */
long sys_uname(void *buf);
long sys_sysinfo(void *buf);
long sys_getrandom(char *buf, size_t n, unsigned flags);
long sys_arch_prctl(int code, uintptr_t addr);
long sys_getuid(void);
long sys_getgroups(int size, uint32_t *ulist);
long sys_setgroups(int size, const uint32_t *ulist);
long sys_getpid(void);
long sys_getppid(void);
long sys_gettid(void);
long sys_setpgid(int pid, int pgid);
long sys_getpgid(int pid);
long sys_getpgrp(void);
long sys_setsid(void);
long sys_getsid(int pid);
long sys_prlimit64(int pid, unsigned resource, const struct rlimit *new, struct rlimit *old);
long sys_getrlimit(unsigned resource, struct rlimit *old);
long sys_setrlimit(unsigned resource, const struct rlimit *new);
long sys_prctl(int option, uintptr_t arg2);

#endif
