/*
 * The IDT, and trap(): where every interrupt and exception arrives with the
 * registers saved in a trapframe. A fault in the kernel is a kernel bug and
 * panics; a fault in user mode is the program's and (once there are user
 * programs) kills it with a signal.
 */
#include "kernel.h"
#include "trap.h"
#include "cpu.h"
#include "apic.h"
#include "x86.h"

struct gate {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;      /* P, DPL, type (0xe = 64-bit interrupt gate) */
	uint16_t offset_mid;
	uint32_t offset_hi;
	uint32_t reserved;
} __attribute__((packed));

static struct gate idt[256];
static irq_handler_t irq_handlers[256];
extern char trap_vectors[];     /* trapasm.S: 256 stubs, 16 bytes apart */

static const char *const exception_names[32] = {
	"divide error", "debug", "NMI", "breakpoint", "overflow",
	"bound range exceeded", "invalid opcode", "device not available",
	"double fault", "coprocessor segment overrun", "invalid TSS",
	"segment not present", "stack-segment fault", "general protection fault",
	"page fault", "reserved (15)", "x87 floating-point error", "alignment check",
	"machine check", "SIMD floating-point error", "virtualization exception",
	"control protection exception", "reserved (22)", "reserved (23)",
	"reserved (24)", "reserved (25)", "reserved (26)", "reserved (27)",
	"hypervisor injection", "VMM communication", "security exception",
	"reserved (31)",
};

const char *trap_name(uint64_t vector)
{
	if (vector < 32)
		return exception_names[vector];
	return vector == T_SPURIOUS ? "spurious interrupt" : "interrupt";
}

static void set_gate(int n, uintptr_t handler, int dpl)
{
	idt[n] = (struct gate){
		.offset_lo = handler & 0xffff,
		.selector = KERNEL_CS,
		.type_attr = 0x80 | (dpl << 5) | 0xe,
		.offset_mid = (handler >> 16) & 0xffff,
		.offset_hi = handler >> 32,
	};
}

void trap_init(void)
{
	struct { uint16_t limit; uint64_t base; } __attribute__((packed)) ptr = {
		sizeof(idt) - 1, (uint64_t)idt
	};

	for (int n = 0; n < 256; n++)
		set_gate(n, (uintptr_t)trap_vectors + 16 * n, 0);
	/* int3 may be used from user mode (debuggers, breakpoints in tests). */
	set_gate(T_BRKPT, (uintptr_t)trap_vectors + 16 * T_BRKPT, 3);
	asm volatile("lidt %0" : : "m"(ptr));
}

void irq_register(int vector, irq_handler_t fn)
{
	irq_handlers[vector] = fn;
}

/* Exceptions the kernel causes are bugs: say everything we know, then stop. */
static void kernel_fault(struct trapframe *tf)
{
	if (tf->vector == T_PGFLT)
		panic_tf(tf, "%s at 0x%lx (%s, %s) in kernel mode", trap_name(tf->vector),
			 read_cr2(), tf->error & PF_PRESENT ? "protection" : "not present",
			 tf->error & PF_WRITE ? "write" : tf->error & PF_FETCH ? "fetch" : "read");
	panic_tf(tf, "%s (vector %lu, error 0x%lx) in kernel mode",
		 trap_name(tf->vector), tf->vector, tf->error);
}

void trap(struct trapframe *tf)
{
	if (tf->vector >= T_IRQ0) {
		if (irq_handlers[tf->vector])
			irq_handlers[tf->vector](tf);
		if (tf->vector != T_SPURIOUS)
			lapic_eoi();
		return;
	}
	if (irq_handlers[tf->vector]) {     /* an exception someone handles */
		irq_handlers[tf->vector](tf);
		return;
	}
	kernel_fault(tf);
}
