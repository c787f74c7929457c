/* echo: print the arguments, separated by spaces, and a newline. */
#include "ulib.h"

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		printf(i > 1 ? " %s" : "%s", argv[i]);
	printf("\n");
	return 0;
}
