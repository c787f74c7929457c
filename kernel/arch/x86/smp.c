/*
 * Starting the other CPUs (the "application processors"; the firmware
 * starts only the boot CPU) and the interrupts CPUs send one another.
 *
 * Each AP is woken by the boot CPU with the sequence the Intel manuals
 * give: an INIT IPI (reset), then twice a STARTUP IPI whose vector names
 * the page where it begins, in 16-bit real mode: trampoline.S, copied to
 * TRAMP_PHYS. From there it climbs to long mode and ap_main, which gives it
 * what the boot CPU set up for itself in kmain: descriptor tables, %gs,
 * the kernel's page table, its local APIC and timer, and an idle task.
 * The boot CPU starts them one at a time and waits for each.
 */
#include "kernel.h"
#include "arch/x86/smp.h"
#include "arch/x86/acpi.h"
#include "arch/x86/apic.h"
#include "arch/x86/cpu.h"
#include "arch/x86/memlayout.h"
#include "arch/x86/pgtable.h"
#include "arch/x86/timer.h"
#include "arch/x86/trap.h"
#include "arch/x86/x86.h"
#include "sched.h"
#include "task.h"

extern char tramp_start[], tramp_end[], tramp_cr3[], tramp_efer[], tramp_stack[];
extern char tramp_cpu[], tramp_kcr3[];
extern char boot_pml4[];

/* Each AP's idle task, and its stack: like the boot CPU's (boot.S), not
 * one of the tasks' stacks, of which there are as many as tasks allowed. */
static struct task ap_idle[MAX_CPUS];
static char ap_stack[MAX_CPUS][KSTACK_SIZE] __attribute__((aligned(PAGE_SIZE)));

/* The trampoline's parameter `sym`, in the copy at TRAMP_PHYS. */
#define TRAMP_PARAM(type, sym) (*(type *)P2V(TRAMP_PHYS + ((sym) - tramp_start)))

static void delay_us(uint64_t us)
{
	uint64_t end = clock_ns() + us * 1000;

	while (clock_ns() < end)
		pause();
}

/* An AP's first C code (from trampoline.S), on its idle stack, interrupts off. */
void ap_main(struct cpu *c)
{
	cpu_init(c);            /* first: spinlocks need %gs */
	vm_init_cpu();
	idt_load();
	lapic_init();
	fpu_cpu_init();
	syscall_init();
	sched_init(&ap_idle[c->id]);
	timer_start();
	__atomic_store_n(&ncpus, c->id + 1, __ATOMIC_RELEASE);     /* the boot CPU goes on */
	sti();
	sched_run_idle();
}

/* Start the AP whose local APIC is apic_id as cpus[id]: true once it runs. */
static bool start_ap(int id, uint32_t apic_id)
{
	struct cpu *c = &cpus[id];
	struct task *idle = &ap_idle[id];
	uint64_t deadline;

	idle->kstack = ap_stack[id];
	set_comm(idle, "idle");
	c->id = id;
	c->apic_id = apic_id;
	TRAMP_PARAM(uint64_t, tramp_stack) = (uint64_t)idle->kstack + KSTACK_SIZE;
	TRAMP_PARAM(uint64_t, tramp_cpu) = (uint64_t)c;
	lapic_ipi(apic_id, ICR_INIT);
	delay_us(10000);
	for (int i = 0; i < 2 && ncpus == id; i++) {
		lapic_ipi(apic_id, ICR_STARTUP | (TRAMP_PHYS >> PAGE_SHIFT));
		delay_us(200);
	}
	deadline = clock_ns() + 1000000000;
	while (__atomic_load_n(&ncpus, __ATOMIC_ACQUIRE) == id && clock_ns() < deadline)
		pause();
	return ncpus > id;
}

/* The sender set need_resched, or queued a signal for the task running
 * here (kick_task); arriving is all this interrupt has to do (hlt returns,
 * and the way back to user mode looks at the flag and the signals). */
static void resched_interrupt(struct trapframe *tf)
{
}

void smp_boot(void)
{
	uint32_t apic_ids[MAX_CPUS], me = lapic_id();
	int found = acpi_cpus(apic_ids, MAX_CPUS);

	cpus[0].apic_id = me;
	irq_register(T_RESCHED, resched_interrupt);
	memcpy(P2V(TRAMP_PHYS), tramp_start, tramp_end - tramp_start);
	TRAMP_PARAM(uint32_t, tramp_cr3) = KIMG2P(boot_pml4);
	TRAMP_PARAM(uint32_t, tramp_efer) = rdmsr(MSR_EFER) & (EFER_LME | EFER_NXE);
	TRAMP_PARAM(uint64_t, tramp_kcr3) = V2P(kernel_pgd());
	for (int i = 0; i < MIN(found, MAX_CPUS); i++)
		if (apic_ids[i] != me && !start_ap(ncpus, apic_ids[i]))
			printk("cpu: the CPU with APIC ID %u did not start\n", apic_ids[i]);
	printk("cpu: %d CPU%s found, %d running\n", MAX(found, 1), found > 1 ? "s" : "", ncpus);
	if (found > MAX_CPUS)
		printk("cpu: tasklab runs at most %d\n", MAX_CPUS);
}

/* Send the reschedule IPIs this CPU was asked for (in mask) while it held
 * spinlocks: spin_unlock calls this once it holds none (sched.c's
 * resched_cpu says why they wait). */
void smp_resched_mask(unsigned long mask)
{
	for (int i = 0; mask; i++, mask >>= 1)
		if (mask & 1)
			smp_resched(&cpus[i]);
}

uint64_t smp_resched_ipis;

void smp_resched(struct cpu *c)
{
	__atomic_add_fetch(&smp_resched_ipis, 1, __ATOMIC_RELAXED);
	lapic_ipi(c->apic_id, T_RESCHED);
}

/*
 * A panic stops the other CPUs with an NMI, which interrupts even a CPU
 * spinning with interrupts off (on a lock the panicking CPU holds, say).
 * Each leaves where it was in c->stopped and halts for good; the panicking
 * CPU then prints their backtraces, one CPU after the other.
 */
void smp_stop_others(void)
{
	for (int i = 0; i < ncpus; i++)
		if (&cpus[i] != this_cpu())
			lapic_ipi(cpus[i].apic_id, ICR_NMI);
}

/* The NMI, on any CPU: %gs may still hold the user's base (an NMI in the
 * instructions around swapgs), so find this CPU by its APIC ID. */
void smp_stopped(struct trapframe *tf)
{
	uint32_t id = lapic_id();

	for (int i = 0; i < ncpus; i++)
		if (cpus[i].apic_id == id) {
			wrmsr(MSR_GS_BASE, (uint64_t)&cpus[i]);
			__atomic_store_n(&cpus[i].stopped, tf, __ATOMIC_RELEASE);
		}
	for (;;)
		hlt();                  /* NMIs stay blocked: no iretq */
}

void smp_show_stopped(void)
{
	for (int i = 0; i < ncpus; i++) {
		struct cpu *c = &cpus[i];
		struct trapframe *tf;
		uint64_t deadline = clock_ns() + 100000000;

		if (c == this_cpu())
			continue;
		while (!(tf = __atomic_load_n(&c->stopped, __ATOMIC_ACQUIRE)) && clock_ns() < deadline)
			pause();
		if (!tf) {
			printk("CPU %d: did not stop\n", i);
			continue;
		}
		printk("CPU %d: stopped running %s[%d] in %s mode\n", i, c->current_task->comm,
		       c->current_task->tid, tf->cs & 3 ? "user" : "kernel");
		if (!(tf->cs & 3))
			backtrace_tf(tf);
	}
}
