/* Issue 15, items 23-25: futex corner cases, mprotect over a hole, and
 * paths and permissions; and two items of issue 13's section 5 (their
 * lines say "[issue 13]"): futex keys that honour FUTEX_PRIVATE_FLAG, and
 * /proc offsets that stay put while processes come and go. Each case runs
 * in a process of its own (abicase.h). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <setjmp.h>
#include <sys/stat.h>
#include <dirent.h>
#include <sys/syscall.h>
#include "abicase.h"

/* From Linux's uapi linux/futex.h, which musl does not ship. */
#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_CMP_REQUEUE 4
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_WAIT_PRIVATE 128
#define FUTEX_WAKE_PRIVATE 129
#define FUTEX_CMP_REQUEUE_PRIVATE 132

static long futex(volatile int *word, int op, int val, long val2, volatile int *word2, int val3)
{
	return syscall(SYS_futex, word, op, val, val2, word2, val3);
}

static volatile int word;

static void *waiter(void *arg)
{
	futex(&word, FUTEX_WAIT_PRIVATE, 0, 0, NULL, 0);
	return NULL;
}

/* Wait until a task waits on *w with a key of this kind (private or not):
 * a requeue of no more than one waiter onto the same word counts it
 * without waking it. */
static void wait_until_queued(volatile int *w, int private)
{
	while (futex(w, FUTEX_CMP_REQUEUE | private, 0, 1, w, *w) < 1)
		sleep_ms(1);
}

/* [23] FUTEX_WAKE with nr 0 wakes one waiter, as nr 1 does. tasklab
 * woke none. */
static void futex_wake_zero(void)
{
	pthread_t t;
	long woken;

	pthread_create(&t, NULL, waiter, NULL);
	wait_until_queued(&word, FUTEX_PRIVATE_FLAG);
	woken = futex(&word, FUTEX_WAKE_PRIVATE, 0, 0, NULL, 0);
	if (woken == 0)
		futex(&word, FUTEX_WAKE_PRIVATE, 1, 0, NULL, 0);
	pthread_join(t, NULL);
	say("FUTEX_WAKE with nr 0 %s", result(woken));
}

static volatile int *shared_word;
static int wait_kind;          /* FUTEX_PRIVATE_FLAG or 0 */

static void *kind_waiter(void *arg)
{
	futex(shared_word, FUTEX_WAIT | wait_kind, 0, 0, NULL, 0);
	return NULL;
}

/* [issue 13] A word in MAP_SHARED memory, waited on with a key of one
 * kind (private: keyed by mm and address; shared: by the page): a wake
 * of the other kind finds nobody, one of the same kind wakes the waiter.
 * tasklab keyed a private wait on shared memory by the page. */
static void futex_key_kinds(int kind)
{
	int other = kind ^ FUTEX_PRIVATE_FLAG;
	long by_other, by_same;
	pthread_t t;

	shared_word = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	wait_kind = kind;
	pthread_create(&t, NULL, kind_waiter, NULL);
	wait_until_queued(shared_word, kind);
	by_other = futex(shared_word, FUTEX_WAKE | other, 1, 0, NULL, 0);
	by_same = futex(shared_word, FUTEX_WAKE | kind, 1, 0, NULL, 0);
	pthread_join(t, NULL);
	say("%s wait: a %s wake wakes %ld, a %s wake %ld", kind ? "private" : "shared",
	    other ? "private" : "shared", by_other, kind ? "private" : "shared", by_same);
}

static void private_wait_on_shared_memory(void)
{
	futex_key_kinds(FUTEX_PRIVATE_FLAG);
}

static void shared_wait_on_shared_memory(void)
{
	futex_key_kinds(0);
}

/* [23] FUTEX_CMP_REQUEUE rejects a negative count: EINVAL. tasklab
 * accepted it. And FUTEX_WAKE_PRIVATE never reads the word, so an
 * unmapped one is no error: 0 woken (tasklab: EFAULT); a shared
 * FUTEX_WAKE must find the page, and fails. */
static void futex_bad_args(void)
{
	static volatile int other;
	void *gone = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	munmap(gone, 4096);
	say("FUTEX_CMP_REQUEUE with nr_requeue -1 %s",
	    result(futex(&word, FUTEX_CMP_REQUEUE_PRIVATE, 1, -1, &other, word)));
	say("FUTEX_CMP_REQUEUE with nr_wake -1 %s",
	    result(futex(&word, FUTEX_CMP_REQUEUE_PRIVATE, -1, 1, &other, word)));
	say("FUTEX_WAKE_PRIVATE on an unmapped word %s",
	    result(futex(gone, FUTEX_WAKE_PRIVATE, 1, 0, NULL, 0)));
	say("FUTEX_WAKE on an unmapped word %s", result(futex(gone, FUTEX_WAKE, 1, 0, NULL, 0)));
}

static sigjmp_buf recover;

static void on_segv(int sig)
{
	siglongjmp(recover, 1);
}

/* Whether a write to p succeeds (rather than raising SIGSEGV). */
static bool writable(volatile char *p)
{
	signal(SIGSEGV, on_segv);
	if (sigsetjmp(recover, 1))
		return false;
	*p = 1;
	return true;
}

/* [24] mprotect over three pages whose middle one is unmapped: ENOMEM,
 * but the first page, before the hole, is changed all the same; the
 * third is not reached. tasklab changes nothing. */
static void mprotect_over_hole(void)
{
	char *p = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long r;

	munmap(p + 4096, 4096);
	r = mprotect(p, 3 * 4096, PROT_READ);
	say("mprotect(PROT_READ) %s; first page %s, third page %s", result(r),
	    writable(p) ? "writable" : "read-only",
	    writable(p + 2 * 4096) ? "writable" : "read-only");
}

static const char *open_result(const char *path, int flags)
{
	int fd = open(path, flags, 0644);

	if (fd >= 0)
		close(fd);
	return result(fd >= 0 ? 0 : -1);
}

static const char *stat_result(const char *path)
{
	struct stat st;

	return result(stat(path, &st));
}

/* [25] /proc's pid parser takes neither an overflowing number nor
 * leading zeros, stat follows ".." only through directories that exist
 * and a trailing "/" only to a directory, and O_EXCL means exclusive.
 * tasklab opens or finds all of them (4294967297 wraps to 1: init). */
static void path_rules(void)
{
	say("open /proc/4294967297/stat %s", open_result("/proc/4294967297/stat", O_RDONLY));
	say("open /proc/00001/stat %s", open_result("/proc/00001/stat", O_RDONLY));
	say("stat /bin/sh/ %s", stat_result("/bin/sh/"));
	say("stat /nonexistent/../bin/sh %s", stat_result("/nonexistent/../bin/sh"));
	say("open /bin/sh O_CREAT|O_EXCL %s", open_result("/bin/sh", O_RDONLY | O_CREAT | O_EXCL));
}

#define CHILDREN 5

/* Read one /proc entry (the buffer holds no two); its pid, or 0 for
 * another name; -1 at the end, or on an error. */
static int next_proc_entry(int fd)
{
	char buf[40];
	struct dirent *d = (struct dirent *)buf;

	if (syscall(SYS_getdents64, fd, buf, sizeof(buf)) <= 0)
		return -1;
	return atoi(d->d_name);
}

/* [issue 13] /proc read one entry a call, each of our children killed
 * and reaped once it is listed: every child is listed, once. tasklab
 * counted places in a list, so each child that went shifted the next
 * one onto a place already read. */
static void proc_listing(void)
{
	pid_t kids[CHILDREN];
	int listed[CHILDREN] = { 0 }, once = 0, pid, fd;

	for (int i = 0; i < CHILDREN; i++)
		if ((kids[i] = fork()) == 0) {
			pause();
			_exit(0);
		}
	fd = open("/proc", O_RDONLY | O_DIRECTORY);
	while ((pid = next_proc_entry(fd)) >= 0)
		for (int i = 0; i < CHILDREN; i++)
			if (kids[i] == pid && listed[i]++ == 0) {
				kill(pid, SIGKILL);
				waitpid(pid, NULL, 0);
			}
	for (int i = 0; i < CHILDREN; i++) {
		once += listed[i] == 1;
		if (!listed[i]) {
			kill(kids[i], SIGKILL);
			waitpid(kids[i], NULL, 0);
		}
	}
	say("%d of our %d children listed once each", once, CHILDREN);
}

/* A copy of /bin/true with mode 0644, which user/user.mk puts in the
 * initramfs; on Linux we find it in the build tree (tests/40-abi.sh runs
 * us from the top of it). */
static const char *noexec_file(void)
{
	static const char *const places[] = { "/tests/noexec", "build/rootfs/tests/noexec" };

	for (int i = 0; i < 2; i++)
		if (access(places[i], F_OK) == 0)
			return places[i];
	return NULL;
}

#define EXEC_FAILED 100     /* the child's status when it has said why */

/* [25] A file without execute permission fails access(X_OK) and execve
 * with EACCES (even for root). tasklab checks no permission bits. */
static void noexec_rules(void)
{
	const char *path = noexec_file();
	pid_t pid;
	int st;

	if (!path) {
		say("no copy of /bin/true with mode 0644: run make first");
		return;
	}
	say("access(X_OK) on a 0644 program %s", result(access(path, X_OK)));
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		execl(path, path, (char *)NULL);
		say("execve of a 0644 program %s", result(-1));
		_exit(EXEC_FAILED);
	}
	waitpid(pid, &st, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != EXEC_FAILED)
		say("execve of a 0644 program runs it: it %s", status_words(st));
}

int main(int argc, char **argv)
{
	self_path = argv[0];
	printf("== abi-futexmem ==\n");
	run_case("[23] futex wake", futex_wake_zero, 5);
	run_case("[23] futex arguments", futex_bad_args, 5);
	run_case("[issue 13] futex keys", private_wait_on_shared_memory, 5);
	run_case("[issue 13] futex keys", shared_wait_on_shared_memory, 5);
	run_case("[24] three pages, the middle one unmapped", mprotect_over_hole, 5);
	run_case("[25] paths", path_rules, 5);
	run_case("[25] permissions", noexec_rules, 5);
	run_case("[issue 13] /proc read while processes end", proc_listing, 5);
	return 0;
}
