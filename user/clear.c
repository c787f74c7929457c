/* clear: clear the terminal with the ANSI (VT100) sequences for "cursor
 * home" and "erase the whole screen", which xterm, tmux and QEMU's
 * terminals all understand. */
#include "ulib.h"

int main(void)
{
	printf("\033[H\033[2J");
	return 0;
}
