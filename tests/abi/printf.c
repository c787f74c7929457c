/* printf's conversions and malloc/realloc/free, through musl. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
	printf("== abi-printf ==\n");
	printf("int %d, negative %d, unsigned %u, hex %x, padded [%5d] [%-5d] [%05d]\n",
	       42, -7, 3000000000u, 0xbeef, 12, 12, 12);
	printf("long %ld, string [%s] [%.3s], char %c, percent %%\n",
	       -1234567890123L, "hello", "abcdef", 'z');
	printf("double %.2f\n", 3.14159);

	size_t total = 0;
	char *blocks[100];
	for (int i = 0; i < 100; i++) {
		blocks[i] = malloc(i * 100 + 1);
		memset(blocks[i], 'a' + i % 26, i * 100);
		blocks[i][i * 100] = '\0';
		total += strlen(blocks[i]);
	}
	blocks[50] = realloc(blocks[50], 1 << 20);
	printf("malloc wrote %zu bytes, block 50 starts with %.4s\n", total, blocks[50]);
	for (int i = 0; i < 100; i++)
		free(blocks[i]);
	char *big = calloc(1 << 20, 1);
	printf("calloc gave %s memory\n", big && big[12345] == 0 ? "zeroed" : "not zeroed");
	free(big);
	return 0;
}
