/* clone's flag rules (check_clone_flags), against Linux's in kernel/fork.c. */
#include "kernel.h"
#include "ktest.h"
#include "uapi/errno.h"
#include "task.h"

/* What the C libraries pass. */
#define FORK_FLAGS    SIGCHLD
#define VFORK_FLAGS   (CLONE_VM | CLONE_VFORK | SIGCHLD)
#define GLIBC_THREAD  (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | \
		       CLONE_SYSVSEM | CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID)
#define MUSL_THREAD   (GLIBC_THREAD | CLONE_DETACHED)

/* Linux's values for flags tasklab refuses. */
#define CLONE_NEWCGROUP 0x02000000
#define CLONE_NEWUTS    0x04000000
#define CLONE_NEWIPC    0x08000000
#define CLONE_NEWUSER   0x10000000
#define CLONE_NEWPID    0x20000000
#define CLONE_NEWNET    0x40000000
#define CLONE_IO        0x80000000ULL

KTEST(clone_flags_accepted)
{
	EXPECT_EQ(check_clone_flags(FORK_FLAGS), 0);
	EXPECT_EQ(check_clone_flags(VFORK_FLAGS), 0);
	EXPECT_EQ(check_clone_flags(GLIBC_THREAD), 0);
	EXPECT_EQ(check_clone_flags(MUSL_THREAD), 0);
	EXPECT_EQ(check_clone_flags(0), 0);                     /* no exit signal */
	EXPECT_EQ(check_clone_flags(CLONE_VM | SIGCHLD), 0);   /* a process sharing memory */
	EXPECT_EQ(check_clone_flags(CLONE_VM | CLONE_SIGHAND | SIGCHLD), 0);
	EXPECT_EQ(check_clone_flags(CLONE_FILES | CLONE_FS | SIGCHLD), 0);
	EXPECT_EQ(check_clone_flags(CLONE_PARENT | SIGCHLD), 0);   /* not from init */
	EXPECT_EQ(check_clone_flags(CLONE_VM | CLONE_SIGHAND | CLONE_THREAD), 0);
	EXPECT_EQ(check_clone_flags(CLONE_VM | CLONE_SIGHAND | CLONE_THREAD | CLONE_VFORK), 0);
	EXPECT_EQ(check_clone_flags(CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | SIGCHLD), 0);
	EXPECT_EQ(check_clone_flags(CLONE_UNTRACED | SIGCHLD), 0);  /* Linux ignores it */
	EXPECT_EQ(check_clone_flags(CSIGNAL), 0);               /* any exit signal number */
	/* Linux's clone ignores an exit signal given with CLONE_THREAD. */
	EXPECT_EQ(check_clone_flags(GLIBC_THREAD | SIGCHLD), 0);
}

/* Each rule broken alone, in an otherwise good flag set. */
KTEST(clone_flags_rejected)
{
	/* A thread shares its handlers; handlers are addresses in one mm. */
	EXPECT_EQ(check_clone_flags(GLIBC_THREAD & ~CLONE_SIGHAND), -EINVAL);
	EXPECT_EQ(check_clone_flags(CLONE_THREAD | CLONE_VM), -EINVAL);
	EXPECT_EQ(check_clone_flags(CLONE_THREAD), -EINVAL);
	EXPECT_EQ(check_clone_flags(CLONE_SIGHAND | SIGCHLD), -EINVAL);
	EXPECT_EQ(check_clone_flags(CLONE_SIGHAND | CLONE_FS | CLONE_FILES), -EINVAL);
	EXPECT_EQ(check_clone_flags(GLIBC_THREAD & ~CLONE_VM), -EINVAL);
	/* Flags tasklab does not implement are refused, never half-honoured. */
	EXPECT_EQ(check_clone_flags(CLONE_NEWNS | SIGCHLD), -EINVAL);
	EXPECT_EQ(check_clone_flags(CLONE_PIDFD | SIGCHLD), -EINVAL);
	EXPECT_EQ(check_clone_flags(CLONE_PTRACE | SIGCHLD), -EINVAL);
	EXPECT_EQ(check_clone_flags(CLONE_PTRACE | GLIBC_THREAD), -EINVAL);
	EXPECT_EQ(check_clone_flags(CLONE_NEWUSER | SIGCHLD), -EINVAL);
	EXPECT_EQ(check_clone_flags(CLONE_NEWPID | SIGCHLD), -EINVAL);
	EXPECT_EQ(check_clone_flags(CLONE_NEWNET | SIGCHLD), -EINVAL);
	EXPECT_EQ(check_clone_flags(CLONE_NEWIPC | SIGCHLD), -EINVAL);
	EXPECT_EQ(check_clone_flags(CLONE_NEWUTS | SIGCHLD), -EINVAL);
	EXPECT_EQ(check_clone_flags(CLONE_NEWCGROUP | SIGCHLD), -EINVAL);
	EXPECT_EQ(check_clone_flags(CLONE_IO | SIGCHLD), -EINVAL);
	EXPECT_EQ(check_clone_flags(CLONE_NEWUSER | GLIBC_THREAD), -EINVAL);
	/* clone3's flags above bit 31 (CLONE_CLEAR_SIGHAND, CLONE_INTO_CGROUP). */
	EXPECT_EQ(check_clone_flags((1ULL << 32) | SIGCHLD), -EINVAL);
	EXPECT_EQ(check_clone_flags((1ULL << 33) | GLIBC_THREAD), -EINVAL);
	EXPECT_EQ(check_clone_flags(1ULL << 63), -EINVAL);
}
