/* madvise(MADV_DONTNEED), which musl's malloc uses on freed memory: private
 * pages read back as zeros afterwards, shared ones keep their data; other
 * advice is accepted and changes nothing. */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

int main(void)
{
	size_t len = 4 * 4096;
	char *priv = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *shared = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	printf("== abi-madvise ==\n");
	memset(priv, 'p', len);
	memset(shared, 's', len);
	int r = madvise(priv, len, MADV_WILLNEED);
	printf("WILLNEED: %d, private still '%c'\n", r, priv[0]);
	r = madvise(priv + 4096, 2 * 4096, MADV_DONTNEED);
	printf("DONTNEED private: %d, then %d %d, the rest kept: %d\n", r, priv[4096],
	       priv[3 * 4096 - 1], priv[0] == 'p' && priv[3 * 4096] == 'p');
	r = madvise(shared, len, MADV_DONTNEED);
	printf("DONTNEED shared: %d, then '%c'\n", r, shared[0]);
	printf("unaligned: %d\n", madvise(priv + 1, 4096, MADV_DONTNEED));
	return 0;
}
