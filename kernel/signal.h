/* Signals: Linux's numbers and the state tasks keep about them. */
#ifndef SIGNAL_H
#define SIGNAL_H
#include <stdint.h>
#include <stdbool.h>
#include "spinlock.h"

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
#define NSIG      64

#define SIG_DFL   0
#define SIG_IGN   1

#define SIG_BLOCK   0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2

#define SA_SIGINFO   0x00000004
#define SA_RESTORER  0x04000000
#define SA_ONSTACK   0x08000000
#define SA_RESTART   0x10000000
#define SA_NODEFER   0x40000000
#define SA_RESETHAND 0x80000000

#define sigmask(sig) (1ULL << ((sig) - 1))

/* The layout rt_sigaction(2) passes (Linux's struct kernel_sigaction). */
struct k_sigaction {
	uintptr_t handler;
	uint64_t flags;
	uintptr_t restorer;
	uint64_t mask;
};

/* Signal handlers: shared by threads (CLONE_SIGHAND), copied by fork. */
struct sighand_struct {
	int refcount;                       /* atomic */
	struct spinlock lock;
	struct k_sigaction action[NSIG];
};

struct task;
struct trapframe;

struct sighand_struct *sighand_alloc(void);
struct sighand_struct *sighand_dup(struct sighand_struct *old);
void sighand_put(struct sighand_struct *sh);
void sighand_reset_for_exec(struct sighand_struct *sh);

/* Send sig to one task, or to a thread group. 0 or -errno. */
int send_signal_to_task(struct task *t, int sig);
int send_signal_to_group(struct task *t, int sig);
int send_signal_to_pgrp(int pgid, int sig);
/* The kernel ends thread t (exit_group, execve): SIGKILL, whoever t is. */
void kill_thread(struct task *t);
/* A fault: the signal the CPU's exception maps to. Blocking or ignoring
 * it cannot stop it (the program could not go on anyway). addr is the
 * faulting address for the handler's siginfo. */
void force_signal(int sig, uintptr_t addr);
bool signal_pending(struct task *t);
/* On the way back to user mode: act on pending signals. */
void do_signals(struct trapframe *tf);

#endif
