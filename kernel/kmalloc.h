/* Small kernel objects (up to KMALLOC_MAX bytes); bigger ones take pages. */
#ifndef KMALLOC_H
#define KMALLOC_H
#include <stddef.h>

#define KMALLOC_MAX 2048

void *kmalloc(size_t size);     /* NULL when out of memory or too big */
void *kzalloc(size_t size);
void kfree(void *p);

#endif
