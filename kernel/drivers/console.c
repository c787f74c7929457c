/*
 * The console: the first serial port (COM1, a 16550 UART), mirrored to the
 * VGA text screen. Serial is what `make qemu` and tools/run show; VGA is
 * there for a QEMU window.
 */
#include "kernel.h"
#include "drivers/console.h"
#include "lib/format.h"
#include "arch/x86/memlayout.h"
#include "spinlock.h"
#include "arch/x86/x86.h"

#define COM1        0x3f8
#define UART_DATA   0       /* read: received byte; write: byte to send */
#define UART_IER    1       /* interrupt enable */
#define UART_FCR    2       /* FIFO control */
#define UART_LCR    3       /* line control: 8N1, and DLAB to set the speed */
#define UART_MCR    4       /* modem control: OUT2 gates the IRQ line */
#define UART_LSR    5       /* line status */
#define LSR_RX_READY  0x01
#define LSR_TX_EMPTY  0x20

#define VGA_COLS    80
#define VGA_ROWS    25
#define VGA_ATTR    0x0700  /* light grey on black */

static struct spinlock console_lock = SPINLOCK_INIT("console");
static uint16_t *const vga = P2V(0xb8000);
static int vga_pos;
bool console_panicking;     /* set by panic(): print without taking the lock */

static void uart_init(void)
{
	outb(COM1 + UART_IER, 0);
	outb(COM1 + UART_LCR, 0x80);        /* DLAB on: next two bytes set the divisor */
	outb(COM1 + UART_DATA, 1);          /* 115200 baud = 115200 / 1 */
	outb(COM1 + UART_IER, 0);
	outb(COM1 + UART_LCR, 0x03);        /* 8 data bits, no parity, 1 stop bit */
	outb(COM1 + UART_FCR, 0x07);        /* FIFOs on and cleared */
	outb(COM1 + UART_MCR, 0x0b);        /* DTR, RTS, OUT2 */
}

static void uart_putc(char c)
{
	for (int i = 0; i < 100000 && !(inb(COM1 + UART_LSR) & LSR_TX_EMPTY); i++)
		pause();
	outb(COM1 + UART_DATA, c);
}

int uart_getc(void)
{
	if (!(inb(COM1 + UART_LSR) & LSR_RX_READY))
		return -1;
	return inb(COM1 + UART_DATA);
}

void uart_enable_rx_irq(void)
{
	outb(COM1 + UART_IER, 0x01);
}

static void vga_putc(char c)
{
	if (c == '\n') {
		vga_pos += VGA_COLS - vga_pos % VGA_COLS;
	} else if (c == '\b') {
		if (vga_pos > 0)
			vga[--vga_pos] = VGA_ATTR | ' ';
	} else if (c != '\r') {
		vga[vga_pos++] = VGA_ATTR | (uint8_t)c;
	}
	if (vga_pos >= VGA_COLS * VGA_ROWS) {
		memmove(vga, vga + VGA_COLS, (VGA_ROWS - 1) * VGA_COLS * 2);
		for (int i = 0; i < VGA_COLS; i++)
			vga[(VGA_ROWS - 1) * VGA_COLS + i] = VGA_ATTR | ' ';
		vga_pos -= VGA_COLS;
	}
}

static void console_putc(char c)
{
	if (c == '\n')
		uart_putc('\r');
	uart_putc(c);
	vga_putc(c);
}

void console_init(void)
{
	uart_init();
	for (int i = 0; i < VGA_COLS * VGA_ROWS; i++)
		vga[i] = VGA_ATTR | ' ';
}

void console_write(const char *s, size_t n)
{
	bool locked = !console_panicking;

	if (locked)
		spin_lock(&console_lock);
	while (n--)
		console_putc(*s++);
	if (locked)
		spin_unlock(&console_lock);
}

/* printk formats into a line buffer first so one call is one write. */
int vprintk(const char *fmt, va_list ap)
{
	char buf[256];
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);

	console_write(buf, MIN((size_t)n, sizeof(buf) - 1));
	return n;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}
