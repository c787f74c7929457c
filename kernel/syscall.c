/*
 * The system-call table and dispatcher. syscall_entry (entry.S) saves
 * the user's registers in a trapframe and calls syscall_dispatch: rax
 * holds the number, rdi rsi rdx r10 r8 r9 the arguments, and the result
 * (or -errno) goes back in rax.
 */
#include "kernel.h"
#include "syscall.h"
#include "arch/x86/cpu.h"
#include "uapi/errno.h"
#include "arch/x86/memlayout.h"
#include "mm/mm.h"
#include "sched.h"
#include "signal.h"
#include "task.h"
#include "arch/x86/trap.h"
#include "arch/x86/x86.h"

/*
 * Each sys_* function declares its own argument types; the table calls
 * them all with six longs. The x86-64 calling convention makes that safe:
 * arguments travel in registers, a callee ignores the ones it does not
 * take and reads an int from the low half of its register. (The cast
 * through void (*)(void) tells gcc we mean it.)
 */
typedef long (*syscall_fn)(long, long, long, long, long, long);

#define SYSCALL(nr, fn) [nr] = (syscall_fn)(void (*)(void))(fn)

static const syscall_fn syscall_table[] = {
	SYSCALL(0, sys_read),
	SYSCALL(1, sys_write),
	SYSCALL(2, sys_open),
	SYSCALL(3, sys_close),
	SYSCALL(4, sys_stat),
	SYSCALL(5, sys_fstat),
	SYSCALL(6, sys_lstat),
	SYSCALL(7, sys_poll),
	SYSCALL(8, sys_lseek),
	SYSCALL(9, sys_mmap),
	SYSCALL(10, sys_mprotect),
	SYSCALL(11, sys_munmap),
	SYSCALL(12, sys_brk),
	SYSCALL(13, sys_rt_sigaction),
	SYSCALL(14, sys_rt_sigprocmask),
	SYSCALL(15, sys_rt_sigreturn),
	SYSCALL(16, sys_ioctl),
	SYSCALL(19, sys_readv),
	SYSCALL(20, sys_writev),
	SYSCALL(21, sys_access),
	SYSCALL(22, sys_pipe),
	SYSCALL(23, sys_select),
	SYSCALL(24, sys_sched_yield),
	SYSCALL(28, sys_madvise),
	SYSCALL(32, sys_dup),
	SYSCALL(33, sys_dup2),
	SYSCALL(34, sys_pause),
	SYSCALL(35, sys_nanosleep),
	SYSCALL(36, sys_getitimer),
	SYSCALL(37, sys_alarm),
	SYSCALL(38, sys_setitimer),
	SYSCALL(39, sys_getpid),
	SYSCALL(56, sys_clone),
	SYSCALL(57, sys_fork),
	SYSCALL(58, sys_vfork),
	SYSCALL(59, sys_execve),
	SYSCALL(60, sys_exit),
	SYSCALL(61, sys_wait4),
	SYSCALL(62, sys_kill),
	SYSCALL(63, sys_uname),
	SYSCALL(72, sys_fcntl),
	SYSCALL(74, sys_fsync),
	SYSCALL(75, sys_fsync),         /* fdatasync: the same here */
	SYSCALL(76, sys_truncate),
	SYSCALL(77, sys_ftruncate),
	SYSCALL(79, sys_getcwd),
	SYSCALL(80, sys_chdir),
	SYSCALL(82, sys_rename),
	SYSCALL(83, sys_mkdir),
	SYSCALL(84, sys_rmdir),
	SYSCALL(85, sys_creat),
	SYSCALL(86, sys_link),
	SYSCALL(87, sys_unlink),
	SYSCALL(88, sys_symlink),
	SYSCALL(89, sys_readlink),
	SYSCALL(90, sys_chmod),
	SYSCALL(91, sys_fchmod),
	SYSCALL(95, sys_umask),
	SYSCALL(97, sys_getrlimit),
	SYSCALL(98, sys_getrusage),
	SYSCALL(99, sys_sysinfo),
	SYSCALL(100, sys_times),
	SYSCALL(102, sys_getuid),
	SYSCALL(104, sys_getuid),       /* getgid */
	SYSCALL(107, sys_getuid),       /* geteuid */
	SYSCALL(108, sys_getuid),       /* getegid: everyone is root */
	SYSCALL(109, sys_setpgid),
	SYSCALL(110, sys_getppid),
	SYSCALL(111, sys_getpgrp),
	SYSCALL(112, sys_setsid),
	SYSCALL(115, sys_getgroups),
	SYSCALL(116, sys_setgroups),
	SYSCALL(121, sys_getpgid),
	SYSCALL(124, sys_getsid),
	SYSCALL(130, sys_rt_sigsuspend),
	SYSCALL(131, sys_sigaltstack),
	SYSCALL(133, sys_mknod),
	SYSCALL(137, sys_statfs),
	SYSCALL(138, sys_fstatfs),
	SYSCALL(140, sys_getpriority),
	SYSCALL(141, sys_setpriority),
	SYSCALL(157, sys_prctl),
	SYSCALL(158, sys_arch_prctl),
	SYSCALL(160, sys_setrlimit),
	SYSCALL(186, sys_gettid),
	SYSCALL(200, sys_tkill),
	SYSCALL(202, sys_futex),
	SYSCALL(203, sys_sched_setaffinity),
	SYSCALL(204, sys_sched_getaffinity),
	SYSCALL(217, sys_getdents64),
	SYSCALL(218, sys_set_tid_address),
	SYSCALL(NR_restart_syscall, sys_restart_syscall),
	SYSCALL(228, sys_clock_gettime),
	SYSCALL(229, sys_clock_getres),
	SYSCALL(230, sys_clock_nanosleep),
	SYSCALL(231, sys_exit_group),
	SYSCALL(234, sys_tgkill),
	SYSCALL(257, sys_openat),
	SYSCALL(258, sys_mkdirat),
	SYSCALL(259, sys_mknodat),
	SYSCALL(262, sys_newfstatat),
	SYSCALL(263, sys_unlinkat),
	SYSCALL(264, sys_renameat),
	SYSCALL(265, sys_linkat),
	SYSCALL(266, sys_symlinkat),
	SYSCALL(267, sys_readlinkat),
	SYSCALL(268, sys_fchmodat),
	SYSCALL(270, sys_pselect6),
	SYSCALL(271, sys_ppoll),
	SYSCALL(273, sys_set_robust_list),
	SYSCALL(274, sys_get_robust_list),
	SYSCALL(280, sys_utimensat),
	SYSCALL(292, sys_dup3),
	SYSCALL(293, sys_pipe2),
	SYSCALL(302, sys_prlimit64),
	SYSCALL(309, sys_getcpu),
	SYSCALL(316, sys_renameat2),
	SYSCALL(318, sys_getrandom),
};

#define NR_SYSCALLS 512

/* Say once per number that a program asked for something we lack. */
static void unknown_syscall(uint64_t nr)
{
	static uint8_t reported[NR_SYSCALLS / 8];

	if (nr >= NR_SYSCALLS) {
		printk("syscall: %s[%d] called %lu: not a system call\n", current->comm,
		       current->tid, nr);
		return;
	}
	if (__atomic_fetch_or(&reported[nr / 8], 1 << (nr % 8), __ATOMIC_RELAXED) & (1 << (nr % 8)))
		return;
	printk("syscall: %s[%d] called %lu, which tasklab does not implement: -ENOSYS\n",
	       current->comm, current->tid, nr);
}

void syscall_dispatch(struct trapframe *tf)
{
	uint64_t nr = tf->rax;
	long ret;

	sti();          /* system calls run with interrupts on */
	tf->error = nr;         /* Linux's orig_ax: what a restart runs again */
	if (nr < ARRAY_SIZE(syscall_table) && syscall_table[nr]) {
		ret = syscall_table[nr](tf->rdi, tf->rsi, tf->rdx, tf->r10, tf->r8, tf->r9);
	} else {
		unknown_syscall(nr);
		ret = -ENOSYS;
	}
	tf->rax = ret;
	return_to_user(tf);
}

/* iretq and sysret fault in the kernel on a non-canonical rip or rsp, and
 * a program can ask for one (a clone stack, a signal frame it wrote). */
static bool frame_is_sane(const struct trapframe *tf)
{
	return tf->rip < USER_TOP && tf->rsp < USER_TOP;
}

void return_to_user(struct trapframe *tf)
{
	for (;;) {
		cli();
		if (this_cpu()->need_resched) {
			sti();
			schedule();
		} else if (signal_pending(current) || syscall_interrupted(tf)) {
			sti();
			do_signals(tf);
		} else if (!frame_is_sane(tf)) {
			sti();
			force_signal(SIGSEGV, SI_KERNEL, tf->rip);
		} else {
			return;
		}
	}
}
