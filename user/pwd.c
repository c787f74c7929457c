/* pwd: print the working directory (a program, so that it works in a
 * pipeline and with > too; it inherits the shell's directory). */
#include "ulib.h"

int main(void)
{
	char dir[1024];

	if (!getcwd(dir, sizeof dir)) {
		fprintf(stderr, "pwd: %s\n", strerror(errno));
		return 1;
	}
	printf("%s\n", dir);
	return 0;
}
