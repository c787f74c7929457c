/* == abi-creds == : who a process is. Everyone is root on tasklab, as the
 * init of a Linux initramfs is: uids and gids 0, and no supplementary
 * groups until setgroups sets some. getgroups and setgroups follow
 * Linux's rules (man 2 getgroups): a size of 0 asks only for the count, a
 * smaller one than the count is EINVAL; the list comes back sorted; fork
 * and exec keep it. */
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* getgroups' answer, and the ids when it gives some. */
static void show_groups(const char *who)
{
	gid_t list[40];
	int n = getgroups(40, list);

	printf("%s: getgroups %d:", who, n);
	if (n < 0)
		printf(" %s", strerror(errno));
	for (int i = 0; i < n; i++)
		printf(" %u", (unsigned)list[i]);
	printf("\n");
}

static void result(const char *what, long r)
{
	printf("%s: %ld%s%s\n", what, r, r < 0 ? " " : "", r < 0 ? strerror(errno) : "");
}

int main(int argc, char **argv)
{
	gid_t set[] = { 100, 7, 50, 7 }, few[2];
	pid_t pid;

	if (argc > 1) {                 /* run again by exec */
		show_groups("after exec");
		return 0;
	}
	printf("== abi-creds ==\n");
	printf("uid %d euid %d gid %d egid %d\n", (int)getuid(), (int)geteuid(), (int)getgid(),
	       (int)getegid());
	show_groups("at start");
	result("getgroups(0, NULL)", getgroups(0, NULL));
	result("setgroups 100 7 50 7", setgroups(4, set));
	show_groups("after setgroups");
	result("getgroups(0, NULL)", getgroups(0, NULL));
	result("getgroups(2, list)", getgroups(2, few));
	result("getgroups(-1, list)", getgroups(-1, few));
	result("setgroups(-1, list)", setgroups((size_t)-1, set));
	result("setgroups(1, bad pointer)", setgroups(1, (gid_t *)8));
	show_groups("after the refused calls");
	fflush(stdout);
	if ((pid = fork()) == 0) {
		show_groups("child");
		fflush(stdout);
		execl(argv[0], argv[0], "again", (char *)NULL);
		_exit(127);
	}
	waitpid(pid, NULL, 0);
	result("setgroups(0, NULL)", setgroups(0, NULL));
	show_groups("after setgroups(0)");
	return 0;
}
