/* What signal.c, jobctl.c and arch/x86/signal.c share, and nobody else
 * needs (signal.h is what the rest of the kernel calls). */
#ifndef SIGNAL_INTERNAL_H
#define SIGNAL_INTERNAL_H
#include <stdint.h>
#include <stdbool.h>
#include "signal.h"

#define UNBLOCKABLE (sigmask(SIGKILL) | sigmask(SIGSTOP))
/* The signals whose default action stops the process (job control). */
#define STOP_SIGNALS (sigmask(SIGSTOP) | sigmask(SIGTSTP) | sigmask(SIGTTIN) | sigmask(SIGTTOU))

static inline bool stop_signal(int sig)
{
	return STOP_SIGNALS & sigmask(sig);
}

/* signal.c */
/* Take the signals of mask off every pending set of t's process, entries
 * and all. Under tasklist_lock. */
void discard_group_signals(struct task *t, uint64_t mask);
/* rt_sigreturn: no interrupted system call is left to resume. */
void forget_interrupted_syscall(struct task *t, struct trapframe *tf);
/* The alternate signal stack: SS_DISABLE, SS_ONSTACK or 0 seen from sp;
 * set it (0 or -errno); what sigaltstack reports of it and a frame saves. */
int sas_ss_flags(struct task *t, uintptr_t sp);
int set_altstack(struct task *t, const struct sigstack *ss, uintptr_t sp);
struct sigstack altstack_of(struct task *t, uintptr_t sp);

/* jobctl.c */
/* As a signal is sent: a stop signal and SIGCONT cancel each other;
 * SIGCONT continues a stopped process. Under tasklist_lock. */
void prepare_signal(struct task *t, int sig);
/* Thread t took stop signal sig with its default action: stop the process. */
void group_stop(struct task *t, int sig);
/* On the way back to user mode: sleep while t's process is stopped. */
void stop_while_stopped(struct task *t);

/* arch/x86/signal.c */
/* Push a frame for handler ka onto the user stack and point tf at the
 * handler. 0, or -EFAULT if the frame cannot be written. */
int setup_signal_frame(struct trapframe *tf, const struct kernel_siginfo *info,
		       const struct kernel_sigaction *ka);

#endif
