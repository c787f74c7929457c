/*
 * linuxinit: the /init that tools/bench and tools/linux-record give Debian's
 * Linux kernel (tools/linux.sh), so that the benchmarks and the programs
 * whose output the tests compare with Linux's run there exactly as built
 * for tasklab. Linux passes the words after "--" on its command line to
 * init as arguments; here they are commands separated by ";" words. Run
 * each in turn, then power the machine off: on Linux, init must never exit
 * (the kernel would panic).
 *
 * Usage (on the kernel command line): -- /bin/spawnbench --quick ; /bin/forkscale
 */
#include "ulib.h"

#define LINUX_REBOOT_MAGIC1       0xfee1dead
#define LINUX_REBOOT_MAGIC2       672274793
#define LINUX_REBOOT_CMD_POWER_OFF 0x4321fedc

/* /dev is a devtmpfs, as on a running system (and as tasklab's /dev, which
 * the ABI tests compare it with). Linux opens /dev/console for init when
 * the initramfs has it (its own built-in one does); if not, find the
 * console there. */
static void open_console(void)
{
	raw_syscall(SYS_mkdir, "/dev", 0755);
	raw_syscall(SYS_mount, "devtmpfs", "/dev", "devtmpfs", 0, NULL);
	if (raw_syscall(SYS_fcntl, 1, F_GETFD) >= 0)
		return;
	int fd = open("/dev/console", O_RDWR);
	for (int i = 0; i < 3 && fd >= 0; i++)
		dup2(fd, i);
}

/* Run argv[0] with its arguments between two lines that frame its output
 * (tools/linux-record cuts the console there). */
static void run(char **argv)
{
	int status = 0;
	pid_t pid;

	printf("linuxinit: run");
	for (char **arg = argv; *arg; arg++)
		printf(" %s", *arg);
	printf("\n");
	pid = fork();

	if (pid == 0) {
		execv(argv[0], argv);
		perror(argv[0]);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		perror("linuxinit");
	printf("linuxinit: %s exited with status %d\n", argv[0],
	       WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status));
}

int main(int argc, char **argv)
{
	open_console();
	raw_syscall(SYS_mkdir, "/proc", 0555);
	if (raw_syscall(SYS_mount, "proc", "/proc", "proc", 0, NULL) < 0)
		printf("linuxinit: cannot mount /proc\n");
	/* Cut argv into commands at each ";", in place. */
	for (int i = 1, start = 1; i <= argc; i++) {
		if (i < argc && strcmp(argv[i], ";") != 0)
			continue;
		argv[i] = NULL;
		if (i > start)
			run(argv + start);
		start = i + 1;
	}
	printf("linuxinit: done, powering off\n");
	fflush(stdout);
	for (;;)
		raw_syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
			    LINUX_REBOOT_CMD_POWER_OFF, NULL);
}
