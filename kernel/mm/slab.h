/* Kernel objects up to a page (KMALLOC_MAX bytes). */
#ifndef KMALLOC_H
#define KMALLOC_H
#include <stddef.h>

#define KMALLOC_MAX 4096

void *kmalloc(size_t size);     /* NULL when out of memory or too big */
void *kzalloc(size_t size);
void kfree(void *p);

#endif
