/* check_elf (kernel/fs/exec.c) on any bytes, the whole file as its head. What
 * it accepts, load_image trusts: the program headers and each PT_LOAD
 * segment's bytes in the file must then lie inside the input, and are all read here. */
#include "fuzz.h"
#include "fs/elf.h"
#include "fs/exec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const Elf64_Ehdr *eh = (const void *)data;
	const Elf64_Phdr *ph;

	if (check_elf(data, size, size))
		return 0;
	ph = (const void *)(data + eh->e_phoff);
	touch(ph, eh->e_phnum * sizeof(*ph));
	for (int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD)
			touch(data + ph[i].p_offset, ph[i].p_filesz);
	return 0;
}
