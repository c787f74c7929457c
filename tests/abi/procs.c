/* Issue 15, items 1, 6 and 14-22: processes, exec and wait. Each case
 * runs in a process of its own (abicase.h). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include "abicase.h"

static char stack[64 * 1024] __attribute__((aligned(16)));

static int exec_exit0(void *arg)
{
	execl(self_path, self_path, "exit0", (char *)NULL);
	_exit(99);
}

static int exit0(void *arg)
{
	_exit(0);
}

static int exec_exit7(void *arg)
{
	execl(self_path, self_path, "exit7", (char *)NULL);
	_exit(99);
}

/* [1] A CLONE_THREAD|CLONE_VFORK child that execs: exec must end the
 * other thread (the one waiting in vfork), and the case's process goes on
 * as the new program, which exits 7. tasklab: exec waits for that thread,
 * which waits for exec: both stuck, uninterruptibly. */
static void vfork_thread_exec(void)
{
	clone(exec_exit7, stack + sizeof(stack),
	      CLONE_VM | CLONE_SIGHAND | CLONE_THREAD | CLONE_VFORK, NULL);
	_exit(98);      /* the clone failed, or we came back from vfork */
}

static volatile sig_atomic_t handled;

static void count(int sig) { handled++; }

/* [6] A CLONE_SIGHAND child (not a thread) that execs gets a handler
 * table of its own; ours keeps our handler. tasklab resets the shared
 * table, so raise(SIGUSR1) kills us. */
static void exec_keeps_sharers_handlers(void)
{
	struct sigaction sa = { .sa_handler = count };
	pid_t pid;
	int st;

	sigaction(SIGUSR1, &sa, NULL);
	pid = clone(exec_exit0, stack + sizeof(stack), CLONE_VM | CLONE_SIGHAND | SIGCHLD, NULL);
	waitpid(pid, &st, 0);
	raise(SIGUSR1);
	say("the child %s; our SIGUSR1 handler runs %d time(s)", status_words(st),
	    (int)handled);
}

/* [14] A CLONE_VM|CLONE_FILES child (not a thread) that execs gets an
 * fd table of its own before closing its O_CLOEXEC fds; ours stay open.
 * tasklab closes them in the shared table. */
static void exec_keeps_sharers_fds(void)
{
	int fds[2], st;
	pid_t pid;

	pipe2(fds, O_CLOEXEC);
	pid = clone(exec_exit0, stack + sizeof(stack), CLONE_VM | CLONE_FILES | SIGCHLD, NULL);
	waitpid(pid, &st, 0);
	say("the child %s; our write to the O_CLOEXEC pipe %s", status_words(st),
	    result(write(fds[1], "x", 1)));
}

static volatile int tid_word = 12345;

static int set_tid_and_exec(void *arg)
{
	syscall(SYS_set_tid_address, &tid_word);
	return exec_exit0(arg);
}

/* [15] exec drops the clear_child_tid address that set_tid_address set:
 * as it lets go of the old memory (shared here with us, its vfork
 * parent), it clears the word there and forgets the address, so the new
 * image never writes it. tasklab keeps the address across exec: our word
 * stays as it was, and the new image's word at that address is cleared
 * when it exits. */
static void exec_drops_clear_child_tid(void)
{
	pid_t pid;
	int st;

	pid = clone(set_tid_and_exec, stack + sizeof(stack), CLONE_VM | CLONE_VFORK | SIGCHLD, NULL);
	waitpid(pid, &st, 0);
	say("the child %s; the word in the parent is now %d", status_words(st), tid_word);
}

/* [16] With SIGCHLD set to SIG_IGN, children are reaped as they exit:
 * waitpid waits for them and then fails with ECHILD. tasklab keeps the
 * zombie, and waitpid reaps it. */
static void sigchld_ignored_reaps(void)
{
	pid_t pid, r;

	signal(SIGCHLD, SIG_IGN);
	pid = fork();
	if (pid == 0)
		_exit(0);
	r = waitpid(-1, NULL, 0);
	say("waitpid(-1) %s", r == pid ? "reaps the child" : result(r));
}

/* [17] fork at the limit on processes fails with EAGAIN. On Linux the
 * limit is RLIMIT_NPROC (set low here, for a user that is not root);
 * tasklab has neither call (ENOSYS, ignored) and a limit of its own,
 * MAX_TASKS. tasklab runs out of kernel stacks first: ENOMEM. */
static void fork_at_limit(void)
{
	struct rlimit lim = { 64, 64 };
	int fds[2], i, err = 0;
	char c;

	setrlimit(RLIMIT_NPROC, &lim);
	setuid(65534);          /* root would not be held to RLIMIT_NPROC */
	pipe(fds);
	fflush(stdout);
	for (i = 0; i < 1000 && !err; i++) {
		pid_t pid = fork();

		if (pid == 0) { /* wait until the pipe closes */
			close(fds[1]);
			read(fds[0], &c, 1);
			_exit(0);
		}
		if (pid < 0)
			err = errno;
	}
	close(fds[1]);
	while (wait(NULL) > 0)
		;
	if (err)
		say("the first fork that fails fails with %s", err_name(err));
	else
		say("%d forks all succeeded", i);
}

/* [18] wait4 without __WCLONE/__WALL ignores a child whose exit signal
 * is not SIGCHLD (here 0); with __WCLONE it waits for such children only.
 * tasklab ignores both flags. */
static void wait_wclone(void)
{
	pid_t pid, r;

	pid = clone(exit0, stack + sizeof(stack), 0, NULL);
	r = waitpid(-1, NULL, 0);
	say("waitpid(-1, 0) with only a clone child %s", r == pid ? "reaps it" : result(r));
	waitpid(pid, NULL, __WALL);

	pid = clone(exit0, stack + sizeof(stack), 0, NULL);
	r = waitpid(pid, NULL, __WCLONE);
	say("waitpid(clone child, __WCLONE) %s", r == pid ? "reaps it" : result(r));
	waitpid(pid, NULL, __WALL);

	pid = fork();
	if (pid == 0)
		_exit(0);
	r = waitpid(pid, NULL, __WCLONE);
	say("waitpid(forked child, __WCLONE) %s", r == pid ? "reaps it" : result(r));
	waitpid(pid, NULL, 0);
}

/* [19] wait4 writes *status only when it reaps a child; with no
 * children it fails with ECHILD before looking at the pointer. tasklab
 * writes 0 there in both cases (and so EFAULT for a bad pointer). */
static void wait_status_untouched(void)
{
	int fds[2], st = 12345;
	pid_t pid;
	char c;
	long r;

	pipe(fds);
	pid = fork();
	if (pid == 0) {
		read(fds[0], &c, 1);
		_exit(0);
	}
	r = waitpid(-1, &st, WNOHANG);
	say("WNOHANG with a running child %s; status word %s", result(r),
	    st == 12345 ? "untouched" : "written");
	write(fds[1], "x", 1);
	waitpid(pid, NULL, 0);
	st = 12345;
	r = waitpid(-1, &st, WNOHANG);
	say("WNOHANG with no children %s; status word %s", result(r),
	    st == 12345 ? "untouched" : "written");
	say("no children, status pointer 1: waitpid %s", result(waitpid(-1, (int *)1, 0)));
}

/* A child that waits in pause; with fn, it runs fn first. */
static pid_t paused_child(void (*fn)(void))
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		if (fn)
			fn();
		pause();
		_exit(0);
	}
	return pid;
}

static pid_t target;

/* A second thread forks a child and moves it to a group of its own. */
static void *fork_and_setpgid(void *arg)
{
	target = paused_child(NULL);
	return (void *)(long)(setpgid(target, target) < 0 ? errno : 0);
}

/* [20] A child forked by a thread that is not the leader is the
 * process's child, which any of its threads may move. tasklab makes the
 * thread, not the process, its parent, and then finds no child: ESRCH. */
static void setpgid_by_thread(void)
{
	pthread_t t;
	void *err;

	pthread_create(&t, NULL, fork_and_setpgid, NULL);
	pthread_join(t, &err);
	say("a second thread forks a child and moves it to a group of its own: %s",
	    err_name((int)(long)err));
	kill(target, SIGKILL);
}

/* [20] Moving a child to a process group that does not exist: EPERM. */
static void setpgid_no_such_group(void)
{
	pid_t gone = paused_child(NULL), pid;

	kill(gone, SIGKILL);
	waitpid(gone, NULL, 0);
	pid = paused_child(NULL);
	say("moving a child to the group of a reaped child %s",
	    result(setpgid(pid, gone)));
	kill(pid, SIGKILL);
}

static int ready[2];

/* Tell the parent this child is ready: exec'd, or a session leader. */
static void say_ready(void)
{
	write(ready[1], "r", 1);
}

static void exec_and_say_ready(void)
{
	char fd[16];

	snprintf(fd, sizeof(fd), "%d", ready[1]);
	execl(self_path, self_path, "ready", fd, (char *)NULL);
}

static void setsid_and_say_ready(void)
{
	setsid();
	say_ready();
}

/* Whether setpgid may move a child that has done what fn does. */
static void setpgid_after(const char *what, void (*fn)(void))
{
	pid_t pid;
	char c;

	pipe(ready);
	pid = paused_child(fn);
	read(ready[0], &c, 1);
	say("moving a child that %s %s", what, result(setpgid(pid, pid)));
	kill(pid, SIGKILL);
}

/* [20] A child that has exec'd cannot be moved (EACCES), nor one that
 * leads a session (EPERM). tasklab moves both. */
static void setpgid_exec_setsid(void)
{
	setpgid_after("has exec'd", exec_and_say_ready);
	setpgid_after("leads a session", setsid_and_say_ready);
}

/* Make pid the next one handed out, where the kernel lets us (Linux, as
 * root: /proc/sys/kernel/ns_last_pid), to save wrapping the pids around. */
static bool set_next_pid(pid_t pid)
{
	int fd = open("/proc/sys/kernel/ns_last_pid", O_WRONLY);
	char num[16];
	bool ok;

	if (fd < 0)
		return false;
	snprintf(num, sizeof(num), "%d", pid - 1);
	ok = write(fd, num, strlen(num)) > 0;
	close(fd);
	return ok;
}

/* The next pid handed out. */
static pid_t next_pid(void)
{
	pid_t pid = vfork();

	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
	return pid;
}

/* [21] A pid that is still a live process group's id is not handed out
 * again when pids wrap around. Group g's leader exits, a member stays;
 * then we make children until the pids have wrapped and passed g, or (on
 * Linux, as root) one child after setting the next pid to g. That needs
 * pid_max to be about 32768 (tasklab's) where we cannot set the next pid;
 * with a bigger one we give up after 70000 children and say so. */
static void pid_of_live_group(void)
{
	pid_t g, pid, prev = 0;
	bool wrapped = false, reused = false;
	int n;

	fflush(stdout);
	g = fork();
	if (g == 0) {
		setpgid(0, 0);
		if (paused_child(NULL) > 0)
			_exit(0);
	}
	waitpid(g, NULL, 0);
	if (set_next_pid(g)) {
		wrapped = true;
		reused = next_pid() == g;
	}
	for (n = 0; n < 70000 && !reused && !(wrapped && prev > g); n++) {
		pid = next_pid();
		reused = pid == g;
		wrapped |= pid < prev;
		prev = pid;
	}
	kill(-g, SIGKILL);
	if (!wrapped)
		say("the pids did not wrap around in %d forks", n);
	else
		say("after wrapping around, the group's id is %s", reused ? "reused" : "skipped");
}

/* [22] clone(2) ignores the upper 32 bits of its flags (clone3 is the
 * strict one): this is a fork. tasklab: EINVAL. */
static void clone_high_flags(void)
{
	long pid;
	int st;

	fflush(stdout);
	pid = syscall(SYS_clone, SIGCHLD | (1UL << 32), 0, 0, 0, 0);
	if (pid == 0)
		_exit(0);
	if (pid < 0) {
		say("clone %s", result(pid));
		return;
	}
	waitpid(pid, &st, 0);
	say("clone makes a child, which %s", status_words(st));
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "exit0") == 0)
		return 0;
	if (argc > 1 && strcmp(argv[1], "exit7") == 0)
		return 7;
	if (argc > 2 && strcmp(argv[1], "ready") == 0) {
		write(atoi(argv[2]), "r", 1);
		pause();
	}
	self_path = argv[0];
	printf("== abi-procs ==\n");
	run_case("[1] vfork+CLONE_THREAD child execs a program that exits 7",
		 vfork_thread_exec, 3);
	run_case("[6] CLONE_VM|CLONE_SIGHAND child execs, then we raise SIGUSR1",
		 exec_keeps_sharers_handlers, 5);
	run_case("[14] CLONE_VM|CLONE_FILES child execs", exec_keeps_sharers_fds, 5);
	run_case("[15] CLONE_VFORK child sets clear_child_tid to our word (12345), execs",
		 exec_drops_clear_child_tid, 5);
	run_case("[16] SIGCHLD ignored, a child exits", sigchld_ignored_reaps, 5);
	run_case("[17] fork until the limit on processes", fork_at_limit, 30);
	run_case("[18] exit signal 0", wait_wclone, 5);
	run_case("[19] wait4's status", wait_status_untouched, 5);
	run_case("[20] setpgid", setpgid_by_thread, 5);
	run_case("[20] setpgid", setpgid_no_such_group, 5);
	run_case("[20] setpgid", setpgid_exec_setsid, 5);
	run_case("[21] pid of a live process group", pid_of_live_group, 40);
	run_case("[22] clone with flags bit 32 set", clone_high_flags, 5);
	return 0;
}
