/* Kernel objects up to a page (KMALLOC_MAX bytes). */
#ifndef KMALLOC_H
#define KMALLOC_H
#include <stddef.h>
#include <stdint.h>

#define KMALLOC_MAX 4096

void *kmalloc(size_t size);     /* NULL when out of memory or too big */
void *kzalloc(size_t size);
void kfree(void *p);
/* Objects handed out and not freed (whole-page ones too), and the pages
 * the size classes hold: a leak shows in the first. */
void kmalloc_usage(uint64_t *nobjects, uint64_t *npages);

#endif
