/* kmain: boot.S calls it in 64-bit mode, on the boot stack, interrupts off. */
#include "kernel.h"
#include "arch/x86/apic.h"
#include "arch/x86/bootinfo.h"
#include "arch/x86/cpu.h"
#include "arch/x86/smp.h"
#include "arch/x86/tlb.h"
#include "fs/initramfs.h"
#include "fs/ramfs.h"
#include "drivers/mem.h"
#include "ktest.h"
#include "arch/x86/memlayout.h"
#include "param.h"
#include "mm/page_alloc.h"
#include "sched.h"
#include "sys.h"
#include "drivers/rtc.h"
#include "task.h"
#include "arch/x86/timer.h"
#include "arch/x86/trap.h"
#include "arch/x86/vdso.h"
#include "drivers/tty.h"
#include "arch/x86/pgtable.h"
#include "arch/x86/x86.h"

extern char boot_stack[];              /* boot.S: the boot (now idle) stack */

/* QEMU's isa-debug-exit device: writing v here ends QEMU with status 2v+1. */
#define DEBUG_EXIT_PORT 0xf4

static const char *ktest_request;       /* NULL: not asked for */

static void ktest_param(const char *value)
{
	ktest_request = value;
}
KERNEL_PARAM("ktest", ktest_param);

void poweroff(int status)
{
	cli();
	/* tools/run reads the status from this line: QEMU's own exit code can
	 * carry only 7 bits of it. */
	printk("tasklab: poweroff status=%d\n", status);
	outb(DEBUG_EXIT_PORT, status & 0x7f);
	outw(0x604, 0x2000);            /* QEMU's ACPI power-off, without the device */
	for (;;)
		hlt();
}

static void print_memory(void)
{
	uint64_t kernel_kib = ((uint64_t)__kernel_phys_end - (uint64_t)__kernel_phys_start) >> 10;
	uint64_t ram = 0;

	for (int i = 0; i < bootinfo.nram; i++) {
		uint64_t size = bootinfo.ram[i].end - bootinfo.ram[i].start;
		printk("mem: RAM 0x%09lx-0x%09lx (%lu KiB)\n", bootinfo.ram[i].start,
		       bootinfo.ram[i].end - 1, size >> 10);
		ram += size;
	}
	printk("mem: %lu MiB of RAM, %lu pages free, kernel image %lu KiB, %d module(s)\n",
	       ram >> 20, pages_free(), kernel_kib, bootinfo.nmodules);
}

/* Wait for a few timer interrupts, to show (and check) that time moves. */
static void show_ticks(void)
{
	uint64_t t0 = clock_ns();
	uint64_t start = timer_ticks();

	while (timer_ticks() < start + 5)
		hlt();
	printk("timer: 5 ticks in %lu us by the TSC (expect %d)\n",
	       (clock_ns() - t0) / 1000, 5 * 1000000 / HZ);
}

/* The boot code becomes the idle task once the first process exists. */
static struct task idle_task = { .comm = "idle" };

static void load_initrd(void)
{
	int n;

	if (bootinfo.nmodules == 0) {
		printk("initrd: none loaded: there are no programs to run\n");
		return;
	}
	n = initrd_parse(P2V(bootinfo.modules[0].start), P2V(bootinfo.modules[0].end));
	printk("initrd: %d files and directories, %lu KiB\n", n,
	       (bootinfo.modules[0].end - bootinfo.modules[0].start) >> 10);
}

void kmain(uint32_t magic, uint64_t info)
{
	cpu_init(&cpus[0]);     /* first: spinlocks (and so printk) need %gs */
	console_init();
	trap_init();
	printk("\ntasklab: a teaching kernel for x86-64 (processes and threads, the Linux way)\n");
	bootinfo_parse(magic, info);
	printk("boot: loader '%s', command line '%s'\n", bootinfo.loader, bootinfo.cmdline);
	pmm_init();
	vm_init();
	print_memory();
	pic_disable();
	lapic_init();
	fpu_init();
	syscall_init();
	idle_task.kstack = boot_stack;
	sched_init(&idle_task);
	timer_init();
	tlb_init();
	smp_boot();             /* after the timer: it times the start-up */
	random_init();
	rtc_init();
	vdso_init();            /* the time base: after the TSC and the RTC */
	sti();
	show_ticks();
	params_parse(bootinfo.cmdline);
	ramfs_init();
	if (ktest_request)
		poweroff(ktest_run(ktest_request) ? 1 : 0);
	load_initrd();
	dev_init();
	tty_init();
	start_init();
	sched_run_idle();
}
