/*
 * The Linux x86-64 system-call ABI, as far as tasklab implements it. The
 * flags and structures system calls share with the kernel are in
 * kernel/uapi/uapi.h (and the error numbers in kernel/uapi/errno.h): one copy for
 * both sides. Here: the system-call numbers, the C types, and the helpers
 * only user space needs. The values are Linux's, so the same binary runs
 * on tasklab and on Linux.
 */
#ifndef ABI_H
#define ABI_H
#include <stdint.h>
#include <stddef.h>
#include "errno.h"     /* kernel/uapi/errno.h */
#include "uapi.h"      /* kernel/uapi/uapi.h */

/* System-call numbers (arch/x86/entry/syscalls/syscall_64.tbl). */
enum {
	SYS_read = 0, SYS_write = 1, SYS_open = 2, SYS_close = 3, SYS_stat = 4,
	SYS_fstat = 5, SYS_lstat = 6, SYS_lseek = 8, SYS_mmap = 9, SYS_mprotect = 10,
	SYS_munmap = 11, SYS_brk = 12, SYS_rt_sigaction = 13, SYS_rt_sigprocmask = 14,
	SYS_ioctl = 16, SYS_readv = 19, SYS_writev = 20, SYS_access = 21, SYS_pipe = 22,
	SYS_sched_yield = 24, SYS_madvise = 28, SYS_dup = 32, SYS_dup2 = 33, SYS_pause = 34,
	SYS_nanosleep = 35, SYS_getpid = 39, SYS_clone = 56, SYS_fork = 57, SYS_vfork = 58,
	SYS_execve = 59, SYS_exit = 60, SYS_wait4 = 61, SYS_kill = 62, SYS_uname = 63,
	SYS_fcntl = 72, SYS_fsync = 74, SYS_truncate = 76, SYS_ftruncate = 77, SYS_getcwd = 79,
	SYS_chdir = 80, SYS_rename = 82, SYS_mkdir = 83, SYS_rmdir = 84, SYS_link = 86,
	SYS_unlink = 87, SYS_symlink = 88, SYS_readlink = 89, SYS_chmod = 90, SYS_umask = 95,
	SYS_getrusage = 98, SYS_sysinfo = 99, SYS_times = 100,
	SYS_setpgid = 109, SYS_getppid = 110, SYS_getpgrp = 111, SYS_setsid = 112,
	SYS_getpgid = 121, SYS_getpriority = 140, SYS_setpriority = 141, SYS_arch_prctl = 158, SYS_mount = 165, SYS_reboot = 169,
	SYS_gettid = 186, SYS_tkill = 200, SYS_futex = 202, SYS_getdents64 = 217,
	SYS_set_tid_address = 218, SYS_clock_gettime = 228, SYS_clock_nanosleep = 230,
	SYS_exit_group = 231, SYS_tgkill = 234, SYS_openat = 257, SYS_newfstatat = 262,
	SYS_readlinkat = 267,
	SYS_dup3 = 292, SYS_pipe2 = 293, SYS_getrandom = 318,
	SYS_sched_setaffinity = 203, SYS_sched_getaffinity = 204, SYS_getcpu = 309,
};

/* setpriority and getpriority: which (tasklab has PRIO_PROCESS only) */
#define PRIO_PROCESS 0

typedef long ssize_t;
typedef long off_t;
typedef int pid_t;
typedef unsigned int mode_t;

#define S_ISDIR(m) (((m) & S_IFMT) == S_IFDIR)
#define S_ISLNK(m) (((m) & S_IFMT) == S_IFLNK)
#define MAP_FAILED ((void *)-1)

/* The status word wait4(2) fills in */
#define WIFEXITED(s)   (((s) & 0x7f) == 0)
#define WEXITSTATUS(s) (((s) >> 8) & 0xff)
#define WIFSIGNALED(s) (((s) & 0x7f) != 0 && ((s) & 0x7f) != 0x7f)
#define WTERMSIG(s)    ((s) & 0x7f)
#define WIFSTOPPED(s)  (((s) & 0xff) == 0x7f)
#define WSTOPSIG(s)    WEXITSTATUS(s)

#endif
