/*
 * The TLB with several CPUs. Each CPU's TLB caches translations of the
 * page table its CR3 holds; when an entry changes (munmap, mprotect, a COW
 * break), the CPU that changed it flushes its own copy with invlpg, but
 * every other CPU that may cache it must be told: an IPI it answers by
 * flushing, and the sender waits for every answer before it frees a frame
 * the old entry pointed to. That is the TLB shootdown, Linux's
 * flush_tlb_mm_range.
 *
 * mm->cpumask (Linux's mm_cpumask) says which CPUs to ask: those that have
 * loaded the mm's CR3 and not since loaded another (which flushes). A CPU
 * that runs a kernel-only task (the idle task) keeps the last mm loaded,
 * "lazily" (no CR3 load to switch to a task that never touches user
 * memory). Such a CPU is not asked: under sched_lock its bit is cleared
 * instead, and load_mm reloads CR3 if it comes back to the mm. So a
 * process with one thread never sends an IPI for a page it unmaps,
 * wherever it ran before. But a lazy CPU's CR3 still points to the page
 * table, and the CPU may walk it on its own (speculation, and on real
 * hardware setting accessed bits): when page tables are freed, or the mm
 * dies, every CPU whose CR3 holds the mm is asked, and a lazy one lets go
 * of it (it loads the kernel's table).
 */
#include "kernel.h"
#include "arch/x86/tlb.h"
#include "arch/x86/apic.h"
#include "arch/x86/cpu.h"
#include "arch/x86/pgtable.h"
#include "arch/x86/trap.h"
#include "arch/x86/x86.h"
#include "mm/mm.h"
#include "sched.h"
#include "task.h"

/* One shootdown at a time: the request, and the CPUs yet to answer it. */
static struct spinlock shootdown_lock = SPINLOCK_INIT("shootdown");
static struct {
	struct mm *mm;              /* NULL: kernel addresses, on every CPU */
	uintptr_t start, end;
	bool leave;                 /* the mm dies: every CPU lets go of it */
} request;
static unsigned long pending;   /* CPUs (bits by id) yet to answer; atomic */
static uint64_t nr_shootdowns;  /* since boot; atomic */

/* Beyond this many pages, one CR3 reload is cheaper than many invlpg. */
#define FLUSH_ALL_PAGES 32

static void flush_local(uintptr_t start, uintptr_t end, bool kernel)
{
	if (!kernel && (end - start) / PAGE_SIZE > FLUSH_ALL_PAGES) {
		write_cr3(read_cr3());
		return;
	}
	for (uintptr_t va = start; va < end; va += PAGE_SIZE)
		invlpg(va);
}

/* Switch this CPU to the kernel's page table: it no longer holds any mm. */
static void leave_mm(struct cpu *c)
{
	write_cr3(V2P(kernel_pgd()));
	__atomic_and_fetch(&c->active_mm->cpumask, ~(1UL << c->id), __ATOMIC_SEQ_CST);
	c->active_mm = NULL;
}

/* Load mm's page table on this CPU, unless it holds it already and no
 * shootdown has taken its bit away since. The bit is set before CR3 is
 * loaded: a shootdown that changes an entry after we read it sees it. */
void load_mm(struct mm *mm)
{
	struct cpu *c;

	irq_save();
	c = this_cpu();
	if (mm != c->active_mm || !(__atomic_load_n(&mm->cpumask, __ATOMIC_SEQ_CST) & (1UL << c->id))) {
		if (c->active_mm && c->active_mm != mm)
			__atomic_and_fetch(&c->active_mm->cpumask, ~(1UL << c->id), __ATOMIC_SEQ_CST);
		__atomic_or_fetch(&mm->cpumask, 1UL << c->id, __ATOMIC_SEQ_CST);
		write_cr3(V2P(mm->pgd));
		c->active_mm = mm;
	}
	irq_restore();
}

/* This CPU's part of the request, if it has one to answer. Interrupts off. */
void shootdown_poll(void)
{
	struct cpu *c = this_cpu();
	unsigned long bit = 1UL << c->id;

	if (!(__atomic_load_n(&pending, __ATOMIC_ACQUIRE) & bit))
		return;
	if (!request.mm)
		flush_local(request.start, request.end, true);
	else if (c->active_mm == request.mm && current->mm == request.mm && !request.leave)
		flush_local(request.start, request.end, false);
	else if (c->active_mm == request.mm)
		leave_mm(c);            /* lazy, or the mm dies */
	__atomic_and_fetch(&pending, ~bit, __ATOMIC_RELEASE);
}

static void shootdown_interrupt(struct trapframe *tf)
{
	shootdown_poll();
}

/*
 * The other CPUs that must flush mm, found under sched_lock, so that none
 * switches tasks meanwhile: those running it, and, when page tables go
 * (tables), those holding it lazily. Any other lazy one only loses its
 * bit. Without tables, only CPUs in the mask can hold translations.
 */
static unsigned long shootdown_targets(struct mm *mm, bool tables)
{
	unsigned long me = 1UL << this_cpu()->id, targets = 0;

	if (!tables && !(__atomic_load_n(&mm->cpumask, __ATOMIC_SEQ_CST) & ~me))
		return 0;
	spin_lock(&sched_lock);
	for (int i = 0; i < ncpus; i++) {
		struct cpu *c = &cpus[i];

		if ((1UL << i) == me || c->active_mm != mm)
			continue;
		if (tables || c->current_task->mm == mm)
			targets |= 1UL << i;
		else
			__atomic_and_fetch(&mm->cpumask, ~(1UL << i), __ATOMIC_SEQ_CST);
	}
	spin_unlock(&sched_lock);
	return targets;
}

/* Ask the CPUs in targets to carry out the request, and wait for all. */
static void shootdown(unsigned long targets, struct mm *mm, uintptr_t start, uintptr_t end,
		      bool leave)
{
	spin_lock(&shootdown_lock);
	request.mm = mm;
	request.start = start;
	request.end = end;
	request.leave = leave;
	__atomic_store_n(&pending, targets, __ATOMIC_RELEASE);
	for (int i = 0; i < ncpus; i++)
		if (targets & (1UL << i))
			lapic_ipi(cpus[i].apic_id, T_SHOOTDOWN);
	while (__atomic_load_n(&pending, __ATOMIC_ACQUIRE))
		pause();
	nr_shootdowns++;
	if (mm)
		mm->shootdowns++;
	spin_unlock(&shootdown_lock);
}

void flush_tlb_range(struct mm *mm, uintptr_t start, uintptr_t end, bool tables)
{
	unsigned long targets;

	irq_save();
	if (this_cpu()->active_mm == mm)
		flush_local(start, end, false);
	irq_restore();
	if ((targets = shootdown_targets(mm, tables)))
		shootdown(targets, mm, start, end, false);
}

void tlb_forget_mm(struct mm *mm)
{
	unsigned long targets;

	irq_save();
	if (this_cpu()->active_mm == mm)
		leave_mm(this_cpu());
	irq_restore();
	if ((targets = shootdown_targets(mm, true)))
		shootdown(targets, mm, 0, USER_TOP, true);
}

void flush_tlb_kernel_range(uintptr_t start, uintptr_t end)
{
	unsigned long others = ((1UL << ncpus) - 1) & ~(1UL << this_cpu()->id);

	flush_local(start, end, true);
	if (others)
		shootdown(others, NULL, start, end, false);
}

uint64_t tlb_shootdowns(void)
{
	return nr_shootdowns;
}

void tlb_init(void)
{
	irq_register(T_SHOOTDOWN, shootdown_interrupt);
}
