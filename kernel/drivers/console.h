/* The serial console (16550 UART, plus VGA text): printk's output, the tty's input. */
#ifndef CONSOLE_H
#define CONSOLE_H
#include <stdbool.h>

extern bool console_panicking;
int uart_getc(void);            /* a received byte, or -1 */
void uart_enable_rx_irq(void);

#endif
