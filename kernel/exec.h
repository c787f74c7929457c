#ifndef EXEC_H
#define EXEC_H

/* exec from inside the kernel (the first process): argv, envp are kernel
 * strings. 0, or -errno with the caller unchanged. */
long kernel_execve(const char *path, const char *const *argv, const char *const *envp);

#endif
