/* rm: remove each file named; with -d, empty directories too. A file's
 * frames go back to the kernel once its last name is gone and no one has
 * it open. */
#include "ulib.h"

int main(int argc, char **argv)
{
	bool dirs = argc > 1 && strcmp(argv[1], "-d") == 0;
	int status = 0;

	if (argc < 2 + dirs) {
		fprintf(stderr, "usage: rm [-d] FILE...\n");
		return 2;
	}
	for (int i = 1 + dirs; i < argc; i++) {
		struct stat st;
		bool is_dir = dirs && stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode);
		if ((is_dir ? rmdir(argv[i]) : unlink(argv[i])) < 0) {
			fprintf(stderr, "rm: %s: %s\n", argv[i], strerror(errno));
			status = 1;
		}
	}
	return status;
}
