/*
 * The parts of Linux's x86-64 user-space ABI that both sides need: the
 * flags and structures system calls take or fill in. The kernel includes
 * this file, and so does user/include/abi.h, so the two can never
 * disagree. The values are Linux's (linux/include/uapi, man 2 NAME), which
 * is why the same binary runs on tasklab and on Linux. Only constants and
 * structures here: no code.
 */
#ifndef UAPI_H
#define UAPI_H
#include <stdint.h>
#include <stddef.h>

/* open(2), fcntl(2), the *at() calls, lseek(2), access(2) */
#define O_ACCMODE   0003
#define O_RDONLY    00
#define O_WRONLY    01
#define O_RDWR      02
#define O_CREAT     0100
#define O_EXCL      0200
#define O_NOCTTY    0400
#define O_TRUNC     01000
#define O_APPEND    02000
#define O_NONBLOCK  04000
#define O_DIRECTORY 0200000
#define O_NOFOLLOW  0400000
#define O_CLOEXEC   02000000
#define AT_FDCWD            (-100)
#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_REMOVEDIR        0x200
#define AT_SYMLINK_FOLLOW   0x400
#define AT_EMPTY_PATH       0x1000
#define F_DUPFD         0
#define F_GETFD         1
#define F_SETFD         2
#define F_GETFL         3
#define F_SETFL         4
#define F_DUPFD_CLOEXEC 1030
#define FD_CLOEXEC      1
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
#define F_OK 0
#define X_OK 1
#define W_OK 2

/* stat(2): the x86-64 layout */
struct stat {
	uint64_t st_dev, st_ino, st_nlink;
	uint32_t st_mode, st_uid, st_gid, __pad0;
	uint64_t st_rdev;
	int64_t st_size, st_blksize, st_blocks;
	int64_t st_atime, st_atime_nsec, st_mtime, st_mtime_nsec, st_ctime, st_ctime_nsec;
	int64_t __unused[3];
};
#define S_IFMT   0170000
#define S_IFLNK  0120000
#define S_IFDIR  0040000
#define S_IFCHR  0020000
#define S_IFREG  0100000
#define S_IFIFO  0010000
#define S_IFBLK  0060000
#define S_IFSOCK 0140000

/* statfs(2), fstatfs(2): the x86-64 layout, and the f_type and f_flags
 * values tasklab's file systems give */
struct statfs {
	int64_t f_type, f_bsize;
	uint64_t f_blocks, f_bfree, f_bavail, f_files, f_ffree;
	int32_t f_fsid[2];
	int64_t f_namelen, f_frsize, f_flags, f_spare[4];
};
#define TMPFS_MAGIC      0x01021994
#define PROC_SUPER_MAGIC 0x9fa0
#define PIPEFS_MAGIC     0x50495045
#define ST_VALID    0x0020
#define ST_RELATIME 0x1000

/* getdents64(2): records of d_reclen bytes, each name NUL-terminated */
struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;              /* where the next record starts */
	uint16_t d_reclen;
	uint8_t d_type;
	char d_name[];
};
#define DT_CHR 2
#define DT_DIR 4
#define DT_REG 8
#define DT_LNK 10

/* readv(2), writev(2) */
struct iovec {
	void *iov_base;
	size_t iov_len;
};

/* mmap(2), mprotect(2), madvise(2) */
#define PROT_NONE     0x0
#define PROT_READ     0x1
#define PROT_WRITE    0x2
#define PROT_EXEC     0x4
#define MAP_SHARED    0x01
#define MAP_PRIVATE   0x02
#define MAP_FIXED     0x10
#define MAP_ANONYMOUS 0x20
#define MAP_FIXED_NOREPLACE 0x100000
#define MADV_DONTNEED 4
#define MADV_FREE     8
#define MADV_NOHUGEPAGE 15

/* Signals */
#define SIGHUP     1
#define SIGINT     2
#define SIGQUIT    3
#define SIGILL     4
#define SIGTRAP    5
#define SIGABRT    6
#define SIGBUS     7
#define SIGFPE     8
#define SIGKILL    9
#define SIGUSR1   10
#define SIGSEGV   11
#define SIGUSR2   12
#define SIGPIPE   13
#define SIGALRM   14
#define SIGTERM   15
#define SIGSTKFLT 16
#define SIGCHLD   17
#define SIGCONT   18
#define SIGSTOP   19
#define SIGTSTP   20
#define SIGTTIN   21
#define SIGTTOU   22
#define SIGURG    23
#define SIGWINCH  28
#define SIGRTMIN  32                /* the kernel's; C libraries keep 32-34 */
#define NSIG      64

/* si_code: who sent it (<= 0: a program; SI_KERNEL: the kernel), or for a
 * fault, what went wrong (numbered per signal). */
#define SI_USER      0
#define SI_KERNEL    0x80
#define SI_TKILL     (-6)
#define ILL_ILLOPN   2              /* SIGILL: illegal operand */
#define FPE_INTDIV   1              /* SIGFPE: integer divide by zero */
#define FPE_FLTDIV   3              /* floating-point divide by zero */
#define FPE_FLTOVF   4              /* ... overflow */
#define FPE_FLTUND   5              /* ... underflow */
#define FPE_FLTRES   6              /* ... inexact result */
#define FPE_FLTINV   7              /* ... invalid operation */
#define SEGV_MAPERR  1              /* SIGSEGV: nothing mapped there */
#define SEGV_ACCERR  2              /* mapped, but not for this access */
#define BUS_ADRALN   1              /* SIGBUS: misaligned (alignment check) */
#define TRAP_BRKPT   1              /* SIGTRAP: a breakpoint */
#define TRAP_TRACE   2              /* a single step */
#define CLD_EXITED   1              /* SIGCHLD: a child exited (si_status: its code) */
#define CLD_KILLED   2              /* ... a signal killed it (si_status: the signal) */
#define CLD_STOPPED  5              /* ... a signal stopped it (si_status: the signal) */
#define CLD_CONTINUED 6             /* ... SIGCONT continued it (si_status: SIGCONT) */

#define SIG_DFL   ((void *)0)
#define SIG_IGN   ((void *)1)
#define SIG_BLOCK   0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2

#define SA_NOCLDSTOP 0x00000001
#define SA_NOCLDWAIT 0x00000002
#define SA_SIGINFO   0x00000004
#define SA_RESTORER  0x04000000
#define SA_ONSTACK   0x08000000
#define SA_RESTART   0x10000000
#define SA_NODEFER   0x40000000
#define SA_RESETHAND 0x80000000

/* sigaltstack(2): Linux's stack_t */
struct sigstack {
	uint64_t sp;
	int32_t flags, pad;
	uint64_t size;
};
#define SS_ONSTACK    1             /* (returned) running on it now */
#define SS_DISABLE    2             /* there is none */
#define SS_AUTODISARM (1U << 31)    /* a handler on it forgets it until its rt_sigreturn */
#define MINSIGSTKSZ   2048

/* What rt_sigaction(2) takes: the kernel's layout, an 8-byte signal set. */
struct kernel_sigaction {
	void *handler;
	uint64_t flags;
	void *restorer;             /* x86-64: the handler returns here (rt_sigreturn) */
	uint64_t mask;              /* one bit per signal, signal n at bit n-1 */
};

/* wait4(2) */
#define WNOHANG     1
#define WUNTRACED   2
#define WCONTINUED  8
#define __WNOTHREAD 0x20000000
#define __WALL      0x40000000
#define __WCLONE    0x80000000

/* ioctl(2) on a terminal */
#define TCGETS     0x5401
#define TCSETS     0x5402
#define TCSETSW    0x5403
#define TCSETSF    0x5404
#define TIOCGPGRP  0x540f
#define TIOCSPGRP  0x5410
#define TIOCGWINSZ 0x5413

struct termios {                /* 36 bytes */
	uint32_t c_iflag, c_oflag, c_cflag, c_lflag;
	uint8_t c_line;
	uint8_t c_cc[19];
};

struct winsize {
	uint16_t ws_row, ws_col, ws_xpixel, ws_ypixel;
};

/* Time */
struct timespec {
	int64_t tv_sec;
	int64_t tv_nsec;
};
/* utimensat: a tv_nsec that means "the time now" or "leave it as it is". */
#define UTIME_NOW               ((1L << 30) - 1)
#define UTIME_OMIT              ((1L << 30) - 2)
#define CLOCK_REALTIME          0
#define CLOCK_MONOTONIC         1
#define CLOCK_MONOTONIC_RAW     4
#define CLOCK_REALTIME_COARSE   5
#define CLOCK_MONOTONIC_COARSE  6
#define CLOCK_BOOTTIME          7
#define TIMER_ABSTIME           1

/* poll(2), select(2) */
struct pollfd {
	int32_t fd;
	int16_t events, revents;
};
#define POLLIN     0x001
#define POLLPRI    0x002
#define POLLOUT    0x004
#define POLLERR    0x008
#define POLLHUP    0x010
#define POLLNVAL   0x020
#define POLLRDNORM 0x040
#define POLLRDBAND 0x080
#define POLLWRNORM 0x100
#define POLLWRBAND 0x200

/* getitimer(2), setitimer(2); getrusage(2), wait4(2)'s rusage, times(2) */
struct timeval {
	int64_t tv_sec;
	int64_t tv_usec;
};

struct rusage {                 /* 144 bytes */
	struct timeval ru_utime, ru_stime;
	int64_t ru_maxrss;          /* kB */
	int64_t ru_ixrss, ru_idrss, ru_isrss;
	int64_t ru_minflt, ru_majflt, ru_nswap, ru_inblock, ru_oublock;
	int64_t ru_msgsnd, ru_msgrcv, ru_nsignals, ru_nvcsw, ru_nivcsw;
};
#define RUSAGE_SELF      0
#define RUSAGE_CHILDREN  (-1)
#define RUSAGE_THREAD    1

struct tms {                    /* in clock ticks, 1/USER_HZ s */
	int64_t tms_utime, tms_stime, tms_cutime, tms_cstime;
};
#define USER_HZ 100             /* sysconf(_SC_CLK_TCK): the unit of times and /proc */

struct itimerval {
	struct timeval it_interval;         /* the period after the first expiry, or 0 */
	struct timeval it_value;            /* time to the next expiry, or 0: disarmed */
};
#define ITIMER_REAL 0

/* getrlimit(2), setrlimit(2), prlimit64(2) */
#define RLIMIT_CPU        0
#define RLIMIT_FSIZE      1
#define RLIMIT_DATA       2
#define RLIMIT_STACK      3
#define RLIMIT_CORE       4
#define RLIMIT_RSS        5
#define RLIMIT_NPROC      6
#define RLIMIT_NOFILE     7
#define RLIMIT_MEMLOCK    8
#define RLIMIT_AS         9
#define RLIMIT_LOCKS      10
#define RLIMIT_SIGPENDING 11
#define RLIMIT_MSGQUEUE   12
#define RLIMIT_NICE       13
#define RLIMIT_RTPRIO     14
#define RLIMIT_RTTIME     15
#define RLIM_NLIMITS      16
#define RLIM_INFINITY     (~0ULL)

struct rlimit {
	uint64_t rlim_cur, rlim_max;        /* soft limit, hard limit (its ceiling) */
};

/* prctl(2) */
#define PR_SET_NAME 15
#define PR_GET_NAME 16

/* set_robust_list(2): the list of futexes a thread holds, in user memory */
struct robust_list_head {
	uint64_t next;              /* first entry (a struct robust_list *), or the head */
	int64_t futex_offset;       /* from an entry to its futex word */
	uint64_t list_op_pending;   /* an entry being added or removed, or 0 */
};
#define FUTEX_WAITERS    0x80000000
#define FUTEX_OWNER_DIED 0x40000000
#define FUTEX_TID_MASK   0x3fffffff

/* uname(2), sysinfo(2), getrandom(2) */
struct utsname {
	char sysname[65], nodename[65], release[65], version[65], machine[65], domainname[65];
};

struct sysinfo {
	int64_t uptime;
	uint64_t loads[3];
	uint64_t totalram, freeram, sharedram, bufferram, totalswap, freeswap;
	uint16_t procs, pad;
	uint64_t totalhigh, freehigh;
	uint32_t mem_unit;          /* the unit of the *ram and *swap fields, in bytes */
	char _f[4];
};

#define GRND_NONBLOCK 1
#define GRND_RANDOM   2
#define GRND_INSECURE 4

/* The auxiliary vector after envp: (type, value) pairs ending with AT_NULL. */
#define AT_NULL   0
#define AT_PHDR   3
#define AT_PHENT  4
#define AT_PHNUM  5
#define AT_PAGESZ 6
#define AT_BASE   7
#define AT_FLAGS  8
#define AT_ENTRY  9
#define AT_UID    11
#define AT_EUID   12
#define AT_GID    13
#define AT_EGID   14
#define AT_HWCAP  16
#define AT_CLKTCK 17
#define AT_SECURE 23
#define AT_RANDOM 25
#define AT_EXECFN 31
#define AT_SYSINFO_EHDR 33     /* the vDSO's ELF header */

/* clone(2): what the new task shares with its creator (see kernel/fork.c) */
#define CSIGNAL              0x000000ff     /* the exit signal, in the low byte */
#define CLONE_VM             0x00000100
#define CLONE_FS             0x00000200
#define CLONE_FILES          0x00000400
#define CLONE_SIGHAND        0x00000800
#define CLONE_PIDFD          0x00001000
#define CLONE_PTRACE         0x00002000
#define CLONE_VFORK          0x00004000
#define CLONE_PARENT         0x00008000
#define CLONE_THREAD         0x00010000
#define CLONE_NEWNS          0x00020000
#define CLONE_SYSVSEM        0x00040000
#define CLONE_SETTLS         0x00080000
#define CLONE_PARENT_SETTID  0x00100000
#define CLONE_CHILD_CLEARTID 0x00200000
#define CLONE_DETACHED       0x00400000
#define CLONE_UNTRACED       0x00800000
#define CLONE_CHILD_SETTID   0x01000000

/* futex(2) */
#define FUTEX_WAIT           0
#define FUTEX_WAKE           1
#define FUTEX_REQUEUE        3
#define FUTEX_CMP_REQUEUE    4
#define FUTEX_WAIT_BITSET    9
#define FUTEX_WAKE_BITSET    10
#define FUTEX_PRIVATE_FLAG   128
#define FUTEX_CLOCK_REALTIME 256
#define FUTEX_BITSET_ANY     0xffffffff

/* arch_prctl(2) */
#define ARCH_SET_GS 0x1001
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#define ARCH_GET_GS 0x1004

#endif
