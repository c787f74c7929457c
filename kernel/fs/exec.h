/* execve: loading a static ELF64 program into a fresh address space. */
#ifndef EXEC_H
#define EXEC_H
#include <stddef.h>
#include <stdint.h>

/* exec from inside the kernel (the first process): argv, envp are kernel
 * strings. 0, or -errno with the caller unchanged. */
long kernel_execve(const char *path, const char *const *argv, const char *const *envp);

/* An mm's program path (mm->exe): a reference more, or one less (the last
 * frees it). NULL is no path. */
void exe_path_get(const char *path);
void exe_path_put(const char *path);

/* Is a file of size bytes, whose first headlen bytes are at head, a static
 * x86-64 ELF executable we can run? Its ELF and program headers must lie in
 * those first bytes. 0 or -ENOEXEC. Reads only head. */
int check_elf(const uint8_t *head, size_t headlen, size_t size);

#endif
