/* Which signal kills a program for each CPU exception, as on Linux. No
 * user program can test the SIGBUS ones under QEMU: TCG raises #GP where
 * hardware raises #SS, tasklab's GDT has no segment that is not present,
 * and alignment checking (CR0.AM) is off. */
#include "ktest.h"
#include "signal.h"
#include "arch/x86/trap.h"

KTEST(trap_fault_signal)
{
	EXPECT_EQ(fault_signal(T_DIVIDE), SIGFPE);
	EXPECT_EQ(fault_signal(T_FPERR), SIGFPE);
	EXPECT_EQ(fault_signal(T_SIMDERR), SIGFPE);
	EXPECT_EQ(fault_signal(T_ILLOP), SIGILL);
	EXPECT_EQ(fault_signal(T_SEGNP), SIGBUS);
	EXPECT_EQ(fault_signal(T_STACK), SIGBUS);
	EXPECT_EQ(fault_signal(T_ALIGN), SIGBUS);
	EXPECT_EQ(fault_signal(T_GPFLT), SIGSEGV);
	EXPECT_EQ(fault_signal(T_PGFLT), SIGSEGV);
	EXPECT_EQ(fault_signal(T_BRKPT), SIGTRAP);
	EXPECT_EQ(fault_signal(T_DEBUG), SIGTRAP);
}
