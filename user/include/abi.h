/*
 * The Linux x86-64 system-call ABI, as far as tasklab implements it:
 * syscall numbers, flags and the structures the kernel reads or writes.
 * The values are Linux's (see man 2 NAME and linux/include/uapi), so the
 * same binary runs on tasklab and on Linux.
 */
#ifndef ABI_H
#define ABI_H
#include <stdint.h>
#include <stddef.h>
#include "errno.h"     /* kernel/errno.h: the error numbers, shared with the kernel */

/* System-call numbers (arch/x86/entry/syscalls/syscall_64.tbl). */
enum {
	SYS_read = 0, SYS_write = 1, SYS_open = 2, SYS_close = 3, SYS_stat = 4,
	SYS_fstat = 5, SYS_lstat = 6, SYS_lseek = 8, SYS_mmap = 9, SYS_mprotect = 10,
	SYS_munmap = 11, SYS_brk = 12, SYS_rt_sigaction = 13, SYS_rt_sigprocmask = 14,
	SYS_ioctl = 16, SYS_readv = 19, SYS_writev = 20, SYS_access = 21, SYS_pipe = 22,
	SYS_sched_yield = 24, SYS_madvise = 28, SYS_dup = 32, SYS_dup2 = 33, SYS_pause = 34,
	SYS_nanosleep = 35, SYS_getpid = 39, SYS_clone = 56, SYS_fork = 57, SYS_vfork = 58,
	SYS_execve = 59, SYS_exit = 60, SYS_wait4 = 61, SYS_kill = 62, SYS_uname = 63,
	SYS_fcntl = 72, SYS_getcwd = 79, SYS_chdir = 80, SYS_mkdir = 83, SYS_sysinfo = 99,
	SYS_setpgid = 109, SYS_getppid = 110, SYS_getpgrp = 111, SYS_setsid = 112,
	SYS_getpgid = 121, SYS_arch_prctl = 158, SYS_mount = 165, SYS_reboot = 169,
	SYS_gettid = 186, SYS_tkill = 200, SYS_futex = 202, SYS_getdents64 = 217,
	SYS_set_tid_address = 218, SYS_clock_gettime = 228, SYS_clock_nanosleep = 230,
	SYS_exit_group = 231, SYS_tgkill = 234, SYS_openat = 257, SYS_newfstatat = 262,
	SYS_dup3 = 292, SYS_pipe2 = 293, SYS_getrandom = 318,
};

typedef long ssize_t;
typedef long off_t;
typedef int pid_t;
typedef unsigned int mode_t;

/* open(2) and fcntl(2) */
#define O_RDONLY    0
#define O_WRONLY    1
#define O_RDWR      2
#define O_CREAT     0100
#define O_TRUNC     01000
#define O_APPEND    02000
#define O_DIRECTORY 0200000
#define O_CLOEXEC   02000000
#define AT_FDCWD    (-100)
#define AT_SYMLINK_NOFOLLOW 0x100
#define F_DUPFD 0
#define F_GETFD 1
#define F_SETFD 2
#define F_GETFL 3
#define FD_CLOEXEC 1
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
#define F_OK 0
#define X_OK 1

/* The kernel's struct stat on x86-64 (not the 32-bit layout). */
struct stat {
	uint64_t st_dev, st_ino, st_nlink;
	uint32_t st_mode, st_uid, st_gid, __pad0;
	uint64_t st_rdev;
	int64_t st_size, st_blksize, st_blocks;
	int64_t st_atime, st_atime_nsec, st_mtime, st_mtime_nsec, st_ctime, st_ctime_nsec;
	int64_t __unused[3];
};
#define S_IFMT  0170000
#define S_IFDIR 0040000
#define S_IFREG 0100000
#define S_ISDIR(m) (((m) & S_IFMT) == S_IFDIR)

/* One record of getdents64(2); records are d_reclen bytes apart. */
struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	uint16_t d_reclen;
	uint8_t d_type;
	char d_name[];
};

/* mmap(2) */
#define PROT_NONE  0
#define PROT_READ  1
#define PROT_WRITE 2
#define PROT_EXEC  4
#define MAP_SHARED    0x01
#define MAP_PRIVATE   0x02
#define MAP_FIXED     0x10
#define MAP_ANONYMOUS 0x20
#define MAP_FAILED ((void *)-1)
#define MADV_NOHUGEPAGE 15    /* madvise(2): no transparent huge pages here */

/* Signals and rt_sigaction(2). Only SIG_DFL and SIG_IGN are used here: a real
 * handler would also need SA_RESTORER and rt_sigreturn. */
#define SIGHUP 1
#define SIGINT 2
#define SIGQUIT 3
#define SIGILL 4
#define SIGTRAP 5
#define SIGABRT 6
#define SIGBUS 7
#define SIGFPE 8
#define SIGKILL 9
#define SIGUSR1 10
#define SIGSEGV 11
#define SIGUSR2 12
#define SIGPIPE 13
#define SIGALRM 14
#define SIGTERM 15
#define SIGCHLD 17
#define SIGCONT 18
#define SIGSTOP 19
#define SIGTSTP 20
#define SIGTTIN 21
#define SIGTTOU 22
#define SIG_DFL ((void *)0)
#define SIG_IGN ((void *)1)
#define SIG_BLOCK 0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2
struct kernel_sigaction {
	void *handler;
	unsigned long flags;
	void *restorer;
	uint64_t mask;          /* one bit per signal: the kernel's sigset is 8 bytes */
};

/* wait4(2) and the status word it fills in */
#define WNOHANG 1
#define WIFEXITED(s)   (((s) & 0x7f) == 0)
#define WEXITSTATUS(s) (((s) >> 8) & 0xff)
#define WIFSIGNALED(s) (((s) & 0x7f) != 0 && ((s) & 0x7f) != 0x7f)
#define WTERMSIG(s)    ((s) & 0x7f)

/* ioctl(2) on a terminal */
#define TCGETS     0x5401
#define TIOCGPGRP  0x540F
#define TIOCSPGRP  0x5410
#define TIOCGWINSZ 0x5413
struct termios {              /* the kernel's layout, 36 bytes */
	uint32_t c_iflag, c_oflag, c_cflag, c_lflag;
	uint8_t c_line;
	uint8_t c_cc[19];
};
struct winsize {
	uint16_t ws_row, ws_col, ws_xpixel, ws_ypixel;
};

struct timespec {
	long tv_sec;
	long tv_nsec;
};
#define CLOCK_REALTIME  0
#define CLOCK_MONOTONIC 1

struct utsname {
	char sysname[65], nodename[65], release[65], version[65], machine[65], domainname[65];
};

struct sysinfo {
	long uptime;
	unsigned long loads[3];
	unsigned long totalram, freeram, sharedram, bufferram, totalswap, freeswap;
	unsigned short procs, pad;
	unsigned long totalhigh, freehigh;
	unsigned int mem_unit;
	char _f[4];
};

struct iovec {
	void *iov_base;
	size_t iov_len;
};

/* The auxiliary vector after envp: (type, value) pairs ending with AT_NULL. */
#define AT_NULL   0
#define AT_PHDR   3
#define AT_PHENT  4
#define AT_PHNUM  5
#define AT_PAGESZ 6
#define AT_ENTRY  9
#define AT_UID    11
#define AT_RANDOM 25
#define AT_EXECFN 31

/* clone(2): what the new task shares with its creator (see kernel/task.h) */
#define CLONE_VM             0x00000100
#define CLONE_FS             0x00000200
#define CLONE_FILES          0x00000400
#define CLONE_SIGHAND        0x00000800
#define CLONE_PIDFD          0x00001000
#define CLONE_VFORK          0x00004000
#define CLONE_THREAD         0x00010000
#define CLONE_NEWNS          0x00020000
#define CLONE_SYSVSEM        0x00040000
#define CLONE_SETTLS         0x00080000
#define CLONE_PARENT_SETTID  0x00100000
#define CLONE_CHILD_CLEARTID 0x00200000

/* futex(2) operations */
#define FUTEX_WAIT         0
#define FUTEX_WAKE         1
#define FUTEX_WAIT_BITSET  9
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_BITSET_ANY   0xffffffff

#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#define GRND_NONBLOCK 1

#endif
