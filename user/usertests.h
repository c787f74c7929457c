/*
 * usertests' shared parts: the helpers every test file uses, and the tests
 * the runner in usertests.c knows. The tests are grouped by subsystem:
 * usertests.c (processes, exec, pipes, fds, bad pointers), usertests_mem.c
 * (memory, faults, time), usertests_threads.c (threads and futexes),
 * usertests_fs.c (the root file system's frames).
 */
#ifndef USERTESTS_H
#define USERTESTS_H
#include "ulib.h"

#define PAGE 4096

extern const char *test_name;      /* the test this process runs */
extern const char *self;           /* our own path, to exec ourselves */
extern char root[256];             /* where the file system's / is: "" on tasklab */
extern bool on_linux;

/* Print FAIL for the running test and end its process. */
__attribute__((noreturn, format(printf, 1, 2))) void fail(const char *fmt, ...);
#define check(cond, ...) do { if (!(cond)) fail(__VA_ARGS__); } while (0)

void expect_err(long r, int err, const char *what);    /* raw result must be -err */
char *path_in_root(const char *path);
int run_child(void (*fn)(void));                         /* fn in a child: its status */
void expect_signal(int status, int sig, const char *what);
void expect_exit(int status, int code, const char *what);
void read_exactly(int fd, void *buf, size_t n, const char *what);
void *map_pages(int pages, int prot, int flags);
__attribute__((noreturn)) void pause_forever(void);
void write_null(void);                                   /* dies of SIGSEGV */
/* Writing (or reading) at p must kill a child with SIGSEGV. */
void expect_segv(void *p, void (*how)(void), const char *what);
extern volatile unsigned char *touch_addr;
void touch_write(void);                                 /* *touch_addr = 1 */
void touch_read(void);

/* usertests_mem.c */
void t_brk(void);
void t_mmap(void);
void t_mmap_fixed(void);
void t_mmap_protnone(void);
void t_mprotect(void);
void t_mmap_shared(void);
void t_malloc(void);
void t_faults(void);
void t_clock(void);
void t_nanosleep(void);
void t_uname(void);
void t_getrandom(void);

/* usertests_fs.c */
void t_fs_storm(void);
void t_fs_full(void);

/* usertests_threads.c */
void t_thread_memory(void);
void t_thread_files(void);
void t_thread_ids(void);
void t_thread_join(void);
void t_thread_exec(void);
void t_proc_huge(void);
void t_proc_stat(void);
void t_proc_meminfo(void);
void t_printf_threads(void);
void t_thread_exit(void);
void t_thread_faults(void);
void t_clone_flags(void);
void t_clone_tids(void);
void t_arch_prctl(void);
void t_tgkill(void);
void t_futex(void);
void t_priority(void);
void t_mutex(void);
void t_futex_shared(void);
void t_threadbomb(void);

#endif
