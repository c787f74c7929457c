/*
 * Host-side fuzzing (make fuzz-host): each tests/fuzz/NAME.c feeds
 * libFuzzer's inputs to one kernel parser, built for the host together
 * with the kernel file that holds it, under AddressSanitizer and UBSAN, so
 * a read past the input, a write past a buffer or undefined behaviour
 * stops the run with the input that caused it. Only kernel headers are
 * included: their string functions resolve to the host's C library.
 */
#ifndef FUZZ_H
#define FUZZ_H
#include "kernel.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
void *malloc(size_t n);         /* the host's */
void free(void *p);

/* The input as a C string, in a heap block of its own (free it). */
static inline char *input_string(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* Read every byte of [p, p + n), for AddressSanitizer to check. */
static inline void touch(const void *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		(void)((const volatile uint8_t *)p)[i];
}

#endif
