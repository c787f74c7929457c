/* Issue 11: the system calls a static glibc program (and busybox) makes at
 * start-up, with good and bad arguments: set_robust_list and the
 * robust-futex cleanup at exit, prctl's thread name, and the resource
 * limits (getrlimit, setrlimit, prlimit64). "[11]" is the issue. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include "abicase.h"

#define FUTEX_WAIT 0            /* <linux/futex.h>, which musl-gcc lacks */
#define FUTEX_WAITERS    0x80000000u
#define FUTEX_OWNER_DIED 0x40000000u
#define PR_SET_NAME 15
#define PR_GET_NAME 16

struct robust_list { struct robust_list *next; };
struct robust_list_head {
	struct robust_list list;
	long futex_offset;
	struct robust_list *list_op_pending;
};

/* A robust "mutex" as glibc lays it out: the list link, then the word. */
struct robust_lock {
	struct robust_list link;
	uint32_t word;
};

static void *bad = (void *)16;  /* an address nothing is mapped at */

static void robust_list_args(void)
{
	static struct robust_list_head head = { { &head.list }, 0, NULL };
	struct robust_list_head *got = NULL;
	size_t len = 0;

	say("set_robust_list(head, 24) %s", result(syscall(SYS_set_robust_list, &head, 24)));
	say("set_robust_list(head, 23) %s", result(syscall(SYS_set_robust_list, &head, 23)));
	say("set_robust_list(bad address, 24) %s", result(syscall(SYS_set_robust_list, bad, 24)));
	syscall(SYS_set_robust_list, &head, 24);
	say("get_robust_list(0) %s, len %zu, our head: %s",
	    result(syscall(SYS_get_robust_list, 0, &got, &len)), len, got == &head ? "yes" : "no");
	say("get_robust_list(our pid) %s", result(syscall(SYS_get_robust_list, getpid(), &got, &len)));
	say("get_robust_list(no such pid) %s", result(syscall(SYS_get_robust_list, 99999, &got, &len)));
	say("get_robust_list(0, bad head pointer) %s",
	    result(syscall(SYS_get_robust_list, 0, bad, &len)));
	say("get_robust_list(0, bad len pointer) %s",
	    result(syscall(SYS_get_robust_list, 0, &got, bad)));
}

/* Shared between the owner, a waiter and the parent. */
struct robust_shared {
	struct robust_list_head head;
	struct robust_lock locks[3];
	int owner;
};

/* The owner takes locks 0 and 1 (1 with a waiter queued), is in the middle
 * of taking lock 2 (list_op_pending), registers them all, and dies. */
static void owner_dies(struct robust_shared *s, int go)
{
	char c;

	s->owner = gettid();
	s->head.list.next = &s->locks[0].link;
	s->locks[0].link.next = &s->locks[1].link;
	s->locks[1].link.next = &s->head.list;
	s->head.futex_offset = offsetof(struct robust_lock, word) - offsetof(struct robust_lock, link);
	s->head.list_op_pending = &s->locks[2].link;
	s->locks[0].word = s->owner;
	s->locks[1].word = s->owner | FUTEX_WAITERS;
	s->locks[2].word = s->owner;
	syscall(SYS_set_robust_list, &s->head, sizeof(s->head));
	read(go, &c, 1);
	_exit(0);
}

static const char *word_words(uint32_t w, int owner)
{
	static char buf[80];

	snprintf(buf, sizeof(buf), "owner %s, OWNER_DIED %s, WAITERS %s",
		 (int)(w & 0x3fffffff) == owner ? "kept" : w & 0x3fffffff ? "other" : "none",
		 w & FUTEX_OWNER_DIED ? "set" : "clear", w & FUTEX_WAITERS ? "set" : "clear");
	return buf;
}

/* A thread's death releases its robust futexes: each word it owns gets
 * FUTEX_OWNER_DIED, and a waiter on one is woken. */
static void robust_cleanup(void)
{
	struct robust_shared *s = mmap(NULL, sizeof(*s), PROT_READ | PROT_WRITE,
				       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int go[2], st;
	pid_t owner, waiter;

	pipe(go);
	fflush(stdout);
	if ((owner = fork()) == 0)
		owner_dies(s, go[0]);
	while (!s->owner)
		sleep_ms(10);
	if ((waiter = fork()) == 0) {
		long r = syscall(SYS_futex, &s->locks[1].word, FUTEX_WAIT,
				 s->owner | FUTEX_WAITERS, NULL, NULL, 0);
		/* 0: woken; EAGAIN: the owner was already gone */
		_exit(r == 0 || errno == EAGAIN ? 0 : 1);
	}
	sleep_ms(200);          /* the waiter sleeps in FUTEX_WAIT */
	write(go[1], "x", 1);
	waitpid(owner, &st, 0);
	waitpid(waiter, &st, 0);
	say("the waiter on the held lock %s", status_words(st));
	for (int i = 0; i < 3; i++)
		say("lock %d (%s): %s", i, i == 2 ? "pending" : "held",
		    word_words(s->locks[i].word, s->owner));
}

static void prctl_name(void)
{
	char name[32] = "";
	int fd;
	ssize_t n;

	say("PR_SET_NAME \"startup-name-too-long\" %s",
	    result(syscall(SYS_prctl, PR_SET_NAME, "startup-name-too-long", 0, 0, 0)));
	say("PR_GET_NAME %s: \"%s\"", result(syscall(SYS_prctl, PR_GET_NAME, name, 0, 0, 0)), name);
	fd = open("/proc/self/comm", O_RDONLY);
	n = read(fd, name, sizeof(name) - 1);
	name[n > 0 ? n : 0] = '\0';
	close(fd);
	say("/proc/self/comm: \"%.*s\"", (int)strcspn(name, "\n"), name);
	say("PR_SET_NAME bad address %s", result(syscall(SYS_prctl, PR_SET_NAME, bad, 0, 0, 0)));
	say("PR_GET_NAME bad address %s", result(syscall(SYS_prctl, PR_GET_NAME, bad, 0, 0, 0)));
	say("prctl option 9999 %s", result(syscall(SYS_prctl, 9999, 0, 0, 0, 0)));
}

static const char *lim(rlim_t v)
{
	static char buf[2][32];
	static int i;

	i ^= 1;
	if (v == RLIM_INFINITY)
		return "unlimited";
	snprintf(buf[i], sizeof(buf[i]), "%llu", (unsigned long long)v);
	return buf[i];
}

static void rlimit_values(void)
{
	static const struct { int r; const char *name; } shown[] = {
		{ RLIMIT_STACK, "STACK" }, { RLIMIT_NOFILE, "NOFILE" }, { RLIMIT_CORE, "CORE" },
		{ RLIMIT_AS, "AS" }, { RLIMIT_CPU, "CPU" }, { RLIMIT_NICE, "NICE" },
	};
	struct rlimit rl;

	for (size_t i = 0; i < sizeof(shown) / sizeof(shown[0]); i++) {
		long r = syscall(SYS_getrlimit, shown[i].r, &rl);
		say("getrlimit(%s) %s: %s / %s", shown[i].name, result(r), lim(rl.rlim_cur),
		    lim(rl.rlim_max));
	}
}

static void rlimit_errors(void)
{
	struct rlimit rl = { 100, 50 }, old;

	say("getrlimit(16) %s", result(syscall(SYS_getrlimit, 16, &old)));
	say("getrlimit(NOFILE, bad address) %s", result(syscall(SYS_getrlimit, RLIMIT_NOFILE, bad)));
	say("setrlimit(NOFILE, soft > hard) %s", result(syscall(SYS_setrlimit, RLIMIT_NOFILE, &rl)));
	say("setrlimit(NOFILE, NULL) %s", result(syscall(SYS_setrlimit, RLIMIT_NOFILE, NULL)));
	say("setrlimit(NOFILE, bad address) %s", result(syscall(SYS_setrlimit, RLIMIT_NOFILE, bad)));
	rl = (struct rlimit){ 64, 1 << 21 };
	say("setrlimit(NOFILE, hard 2^21, past fs.nr_open) %s",
	    result(syscall(SYS_setrlimit, RLIMIT_NOFILE, &rl)));
	rl = (struct rlimit){ 64, 8192 };
	say("setrlimit(NOFILE, 64 / 8192: the hard limit rises) %s",
	    result(syscall(SYS_setrlimit, RLIMIT_NOFILE, &rl)));
	say("prlimit64(no such pid) %s", result(syscall(SYS_prlimit64, 99999, RLIMIT_NOFILE, NULL, &old)));
	say("prlimit64(0, 16) %s", result(syscall(SYS_prlimit64, 0, 16, NULL, &old)));
	say("prlimit64(0, NOFILE, bad new) %s", result(syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, bad, NULL)));
	rl = (struct rlimit){ 32, 8192 };
	say("prlimit64(0, NOFILE, 32 / 8192, bad old) %s",
	    result(syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, &rl, bad)));
	syscall(SYS_getrlimit, RLIMIT_NOFILE, &old);
	say("... and the new limit was set all the same: %s / %s", lim(old.rlim_cur), lim(old.rlim_max));
}

/* RLIMIT_NOFILE is the bound of every new fd. */
static void nofile_enforced(void)
{
	struct rlimit rl = { 10, 10 };
	int fd, last = -1;

	syscall(SYS_setrlimit, RLIMIT_NOFILE, &rl);
	while ((fd = dup(0)) >= 0)
		last = fd;
	say("dup until it fails: last fd %d, then %s", last, err_name(errno));
	say("dup2(0, 10) %s", result(dup2(0, 10)));
	say("dup2(0, 9) %s", result(dup2(0, 9)));
	say("fcntl(0, F_DUPFD, 10) %s", result(fcntl(0, F_DUPFD, 10)));
	say("open %s", result(open("/", O_RDONLY)));
	close(5);
	say("after close(5), open %s", result(open("/", O_RDONLY)));
}

/* prlimit64 on another process, which sees its new limit. */
static void prlimit_other(void)
{
	struct rlimit rl = { 77, 88 }, old;
	int go[2];
	pid_t child;
	char c;

	pipe(go);
	fflush(stdout);
	if ((child = fork()) == 0) {
		read(go[0], &c, 1);
		syscall(SYS_getrlimit, RLIMIT_NOFILE, &old);
		say("the child's NOFILE: %s / %s", lim(old.rlim_cur), lim(old.rlim_max));
		_exit(0);
	}
	say("prlimit64(child, NOFILE, 77 / 88) %s",
	    result(syscall(SYS_prlimit64, child, RLIMIT_NOFILE, &rl, &old)));
	write(go[1], "x", 1);
	waitpid(child, NULL, 0);
}

static int recurse(int kb)
{
	volatile char page[1024];

	page[0] = (char)kb;
	return kb > 0 ? recurse(kb - 1) + page[0] : 0;
}

/* The stack of an exec'd program grows as far as RLIMIT_STACK said. */
static void stack_run(rlim_t limit, int kb)
{
	struct rlimit rl = { limit, RLIM_INFINITY };
	char arg[16];
	pid_t child;
	int st;

	snprintf(arg, sizeof(arg), "%d", kb);
	fflush(stdout);
	if ((child = fork()) == 0) {
		syscall(SYS_setrlimit, RLIMIT_STACK, &rl);
		execl(self_path, self_path, "recurse", arg, (char *)NULL);
		_exit(99);
	}
	waitpid(child, &st, 0);
	say("RLIMIT_STACK %s KiB, %d KiB deep: %s", lim(limit >> 10), kb, status_words(st));
}

static void stack_limit(void)
{
	stack_run(256 << 10, 1024);
	stack_run(32 << 20, 16 << 10);
}

int main(int argc, char **argv)
{
	self_path = argv[0];
	if (argc == 3 && strcmp(argv[1], "recurse") == 0)
		return recurse(atoi(argv[2])) & 0;
	printf("== abi-startup ==\n");
	run_case("[11] robust list arguments", robust_list_args, 5);
	run_case("[11] an owner dies with robust locks", robust_cleanup, 5);
	run_case("[11] prctl thread name", prctl_name, 5);
	run_case("[11] init's limits", rlimit_values, 5);
	run_case("[11] limit errors", rlimit_errors, 5);
	run_case("[11] RLIMIT_NOFILE 10", nofile_enforced, 5);
	run_case("[11] prlimit64 on a child", prlimit_other, 5);
	run_case("[11] RLIMIT_STACK at exec", stack_limit, 20);
	return 0;
}
