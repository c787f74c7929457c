/* Signals: Linux's numbers and the state tasks keep about them. */
#ifndef SIGNAL_H
#define SIGNAL_H
#include <stdint.h>
#include <stdbool.h>
#include "spinlock.h"
#include "refcount.h"
#include "uapi/uapi.h"
#include "lib/list.h"

#define sigmask(sig) (1ULL << ((sig) - 1))

/*
 * What a system call a signal interrupted returns (Linux's numbers). No
 * program ever sees one: on the way back to user mode, do_signals makes
 * it -EINTR if a handler runs, and otherwise runs the call again.
 */
#define ERESTARTSYS           512   /* again after a handler too, with SA_RESTART */
#define ERESTARTNOINTR        513   /* again, handler or not */
#define ERESTARTNOHAND        514   /* again only if no handler runs */
#define ERESTART_RESTARTBLOCK 516   /* as NOHAND, but through restart_syscall */

/* What the handler's siginfo_t says: the start of Linux's x86-64 layout. */
struct kernel_siginfo {
	int32_t signo, errno_, code, pad;
	union {
		struct { int32_t pid; uint32_t uid; } kill;     /* SI_USER, SI_TKILL */
		struct { int32_t pid; uint32_t uid; int32_t status; } chld;     /* SIGCHLD */
		uint64_t addr;                  /* the faulting address or instruction */
	};
};

/* Real-time signals queue, one entry per signal sent; a process may have
 * this many entries queued (Linux's RLIMIT_SIGPENDING): one more fails
 * with -EAGAIN, or loses its siginfo if kill sent it (as on Linux). */
#define SIGQUEUE_MAX 128

/* Signals sent and not yet delivered: the set, and the siginfo of each
 * (for a standard signal, at most one: they do not queue). A signal in the
 * set with no entry lost its siginfo (no memory, or over the limit). */
struct sigpending {
	uint64_t signal;                    /* read without the lock; atomic */
	struct list_head list;              /* struct sigqueue, oldest first; under sighand->lock */
};

/* Signal handlers: shared by threads (CLONE_SIGHAND), copied by fork. */
struct sighand_struct {
	refcount_t refcount;                /* tasks sharing the handlers */
	struct spinlock lock;
	struct kernel_sigaction action[NSIG];
};

struct task;
struct trapframe;
struct signal_struct;

struct sighand_struct *sighand_alloc(void);
struct sighand_struct *sighand_dup(struct sighand_struct *old);
void sighand_put(struct sighand_struct *sh);
void sighand_reset_for_exec(struct sighand_struct *sh);

void sigpending_init(struct sigpending *p);
/* Free the entries of a pending set nobody can send to any more. */
void sigpending_flush(struct sigpending *p, struct signal_struct *sig);

/* The kernel sends sig (si_code SI_KERNEL) to one task. 0 or -errno. */
int send_signal_to_task(struct task *t, int sig);
/* The kernel sends the signal info says to t's thread group. Under
 * tasklist_lock. 0 or -errno. */
int send_signal_to_group_info(struct task *t, const struct kernel_siginfo *info);
/* To process group pgid; pgid -1: every process but init and the caller. */
int send_signal_to_pgrp(int pgid, int sig);
/* The kernel ends thread t (exit_group, execve): SIGKILL, whoever t is. */
void kill_thread(struct task *t);
/* SIGKILL every thread of t's process but t. Under tasklist_lock. */
void zap_other_threads(struct task *t);
/* A fault: the signal the CPU's exception maps to. Blocking or ignoring
 * it cannot stop it (the program could not go on anyway). code and addr
 * are the si_code and si_addr of the handler's siginfo. */
void force_signal(int sig, int code, uintptr_t addr);
bool signal_pending(struct task *t);
/* Would a signal pending for t end a sleep of kind flags (wait_sleep's)? */
bool sleep_interrupted(struct task *t, int flags);
/* Did the system call tf returns from end with an -ERESTART* code? */
bool syscall_interrupted(const struct trapframe *tf);
/* On the way back to user mode: act on pending signals, and settle the
 * fate of an interrupted system call (EINTR, or run it again). */
void do_signals(struct trapframe *tf);
/* rt_sigsuspend, ppoll, pselect6: run under mask until the call returns,
 * or (interrupted) until a handler has run: its frame saves the old one. */
void set_temporary_sigmask(uint64_t mask);
void restore_sigmask_unless(bool interrupted);
/* Thread t exits: a stop of its process no longer waits for it. Under
 * tasklist_lock, before its nr_threads is counted down. */
void jobctl_exit(struct task *t);
/* No alternate signal stack (a new thread of the same mm; exec). */
void reset_altstack(struct task *t);

#endif
