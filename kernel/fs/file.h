/*
 * Open files and file-descriptor tables. A struct file is an open file:
 * its operations, flags and offset. An fd table maps small numbers to
 * files; fork copies the table (both then point at the same files, as in
 * Unix), CLONE_FILES shares the table itself.
 */
#ifndef FILE_H
#define FILE_H
#include <stdint.h>
#include <stddef.h>
#include "spinlock.h"
#include "refcount.h"
#include "uapi/uapi.h"

#define MAX_FDS   128               /* per table: Linux's RLIMIT_NOFILE is 1024 */
#define PATH_MAX  4096

struct file;
struct poll_table;

/* What a kind of file can do. Buffers are user addresses; a missing
 * operation means the call fails (EINVAL, ESPIPE, ENOTDIR...). */
struct file_ops {
	long (*read)(struct file *f, char *ubuf, size_t n);
	long (*write)(struct file *f, const char *ubuf, size_t n);
	long (*getdents)(struct file *f, char *ubuf, size_t n);
	long (*ioctl)(struct file *f, unsigned long cmd, unsigned long arg);
	void (*stat)(struct file *f, struct stat *st);
	bool seekable;
	void (*release)(struct file *f);    /* the last reference is gone */
	/* poll, select: POLL* bits of what it is ready for (see fs/poll.h);
	 * none: always ready to read and write, as Linux's regular files */
	unsigned (*poll)(struct file *f, struct poll_table *pt);
	/* directories: their own absolute path, for openat(dirfd, ...) */
	int (*dir_path)(struct file *f, char *buf, size_t size);
	/* other files: what /proc/PID/fd/N links to (a path, "pipe:[ino]") */
	int (*name)(struct file *f, char *buf, size_t size);
};

struct file {
	const struct file_ops *ops;
	refcount_t refcount;        /* fd slots (in any table) using it */
	int flags;                  /* O_ACCMODE | O_NONBLOCK | O_APPEND */
	int64_t pos;                /* under lock */
	struct spinlock lock;
	void *private;              /* the inode, the pipe, ... */
};

/*
 * A process's fd table. Its slots start in fd_array, and move to an array
 * of MAX_FDS when an fd of NR_OPEN_DEFAULT or more is first needed (Linux's
 * expand_files): most processes never open 64 files, and a table that fits
 * fd_array keeps the struct in kmalloc's 1024-byte class, where fork finds
 * room beside other objects, rather than a page of its own each fork.
 */
#define NR_OPEN_DEFAULT 64

struct files_struct {
	refcount_t refcount;        /* tasks sharing the table */
	struct spinlock lock;
	struct file **fd;           /* fd_array, or MAX_FDS slots once grown */
	int max_fds;                /* slots in fd; it only grows */
	int fd_end;                 /* every open fd is below it (it never shrinks):
				       what fork, exit and exec look through */
	uint64_t cloexec[MAX_FDS / 64];
	struct file *fd_array[NR_OPEN_DEFAULT];
};

/* The working directory (Linux's fs_struct): shared under CLONE_FS. */
struct fs_struct {
	refcount_t refcount;        /* tasks sharing it */
	struct spinlock lock;
	char cwd[256];              /* absolute, normalised */
	uint32_t umask;             /* permissions a new file does not get */
};

struct file *file_alloc(const struct file_ops *ops, int flags, void *private);
void file_get(struct file *f);
void file_put(struct file *f);

struct files_struct *files_alloc(void);
struct files_struct *files_dup(struct files_struct *old);      /* NULL: ENOMEM */
void files_put(struct files_struct *fs);
void files_close_on_exec(struct files_struct *fs);
/* f gets the lowest free fd in current's table (Linux: get_unused_fd_flags,
 * then fd_install): the fd, or -EMFILE. */
int fd_alloc(struct file *f, int cloexec);
void fd_install_in(struct files_struct *fs, int fd, struct file *f);    /* the first process */
/* The file behind fd, with a reference the caller must put; NULL: EBADF. */
struct file *fget(int fd);
struct file *fget_from(struct files_struct *fs, int fd);        /* ... in table fs */

struct fs_struct *fs_alloc(const char *cwd);
struct fs_struct *fs_dup(struct fs_struct *old);
void fs_put(struct fs_struct *fs);

/* Add path's components to the absolute path in out, handling "." and "..".
 * flags: LOOKUP_DIRS, as in a walk of the tree: a symbolic link before a
 * '/' is followed, and each name followed by '/' must be an existing
 * directory (-ENOENT, -ENOTDIR); LOOKUP_FOLLOW follows a link in the last
 * name too. 0: names only. */
#define LOOKUP_DIRS   1
#define LOOKUP_FOLLOW 2
#define LOOKUP_NAME   4     /* a call on the name itself (mkdir...): "name/" may be new */
int path_append(char *out, size_t size, const char *path, int flags);
bool is_proc(const char *path);        /* a path of /proc? */
uint32_t current_umask(void);
/* What path names (absolute, normalised; its last name taken as it is):
 * /proc's or the root file system's. */
int vfs_stat(const char *path, struct stat *st);
int vfs_fstat(int fd, struct stat *st);     /* what fd's file is: 0 or -EBADF */
/* The target of the symbolic link at path (no NUL): its length, or -errno
 * (-EINVAL: not a link). */
int vfs_readlink(const char *path, char *buf, size_t size);
/* May root, tasklab's only user, execute (or search) what has this mode?
 * As Linux: a directory always, a file only if someone may execute it. */
static inline bool may_exec(uint32_t mode)
{
	return (mode & S_IFMT) == S_IFDIR || (mode & 0111);
}
/* getdents64: write one record at ubuf + *used if it fits (false if not,
 * or with *err = -EFAULT). */
bool dirent_put(char *ubuf, size_t n, size_t *used, const char *name, uint64_t ino,
		uint32_t mode, int64_t next_pos, int *err);

/* Absolute, normalised form of path (relative to current's cwd) in out. */
int path_resolve(const char *path, char *out, size_t size);
/* Copy a path in from user space and resolve it: 0 or -errno. */
int user_path(const char *upath, char *out, size_t size);
/* The same for the *at() calls: a relative path starts at directory dirfd
 * (or the working directory for AT_FDCWD). */
int at_path(int dirfd, const char *upath, char *out, size_t size);
/* ... without following a link in the last name, unless flags say LOOKUP_FOLLOW. */
int at_path_flags(int dirfd, const char *upath, char *out, size_t size, int flags);

#endif
