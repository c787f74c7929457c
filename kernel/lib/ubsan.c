/*
 * The undefined-behaviour sanitizer's runtime, in the UBSAN=1 build only.
 * gcc's -fsanitize=undefined adds a check before each operation that could
 * be undefined (a signed add, a shift, an array index, a pointer
 * dereference...) and calls one of the __ubsan_handle_* functions below
 * when the check fails. Each gets a description of the place; undefined
 * behaviour in the kernel is a kernel bug, so we name the kind and the
 * place in one line and panic, as for any other bug.
 *
 * The structures are the ones gcc (and clang) pass; only the source
 * location, always first, and a few fields are read here. This file is
 * built without the sanitizer (Makefile), so a report cannot recurse.
 */
#include "kernel.h"

struct source_location {
	const char *file;
	uint32_t line;
	uint32_t column;
};

/* Data with just the location first: what every report needs. */
struct location_data {
	struct source_location loc;
};

struct type_mismatch_data {
	struct source_location loc;
	const void *type;
	uint8_t log_alignment;          /* the alignment the type needs, as a power of 2 */
	uint8_t type_check_kind;
};

static void __attribute__((noreturn)) report(const struct source_location *loc, const char *kind)
{
	panic("UBSAN: %s at %s:%u:%u", kind, loc->file, loc->line, loc->column);
}

/* The entry points; gcc declares them itself, we declare them for -Wmissing-prototypes. */
#define UBSAN_HANDLER(name, ...) \
	void __ubsan_handle_##name(__VA_ARGS__); \
	void __ubsan_handle_##name(__VA_ARGS__)

UBSAN_HANDLER(add_overflow, struct location_data *d, void *lhs, void *rhs)
{
	report(&d->loc, "signed integer overflow in +");
}

UBSAN_HANDLER(sub_overflow, struct location_data *d, void *lhs, void *rhs)
{
	report(&d->loc, "signed integer overflow in -");
}

UBSAN_HANDLER(mul_overflow, struct location_data *d, void *lhs, void *rhs)
{
	report(&d->loc, "signed integer overflow in *");
}

UBSAN_HANDLER(negate_overflow, struct location_data *d, void *old)
{
	report(&d->loc, "signed integer overflow in unary -");
}

/* Integer operands small enough come by value in the pointer. */
UBSAN_HANDLER(divrem_overflow, struct location_data *d, void *lhs, void *rhs)
{
	report(&d->loc, rhs ? "division overflow (INT_MIN / -1)" : "division by zero");
}

UBSAN_HANDLER(shift_out_of_bounds, struct location_data *d, void *lhs, void *rhs)
{
	report(&d->loc, "shift out of bounds");
}

UBSAN_HANDLER(out_of_bounds, struct location_data *d, void *index)
{
	report(&d->loc, "array index out of bounds");
}

UBSAN_HANDLER(type_mismatch_v1, struct type_mismatch_data *d, void *ptr)
{
	uintptr_t align = (uintptr_t)1 << d->log_alignment;

	if (!ptr)
		report(&d->loc, "null pointer dereference");
	if ((uintptr_t)ptr & (align - 1))
		report(&d->loc, "misaligned pointer");
	report(&d->loc, "access past the end of an object");
}

UBSAN_HANDLER(pointer_overflow, struct location_data *d, void *base, void *result)
{
	report(&d->loc, "pointer arithmetic overflow");
}

UBSAN_HANDLER(load_invalid_value, struct location_data *d, void *value)
{
	report(&d->loc, "load of an invalid bool or enum value");
}

UBSAN_HANDLER(builtin_unreachable, struct location_data *d)
{
	report(&d->loc, "__builtin_unreachable() reached");
}

UBSAN_HANDLER(vla_bound_not_positive, struct location_data *d, void *bound)
{
	report(&d->loc, "variable-length array of size <= 0");
}

UBSAN_HANDLER(nonnull_arg, struct location_data *d)
{
	report(&d->loc, "NULL passed as an argument declared nonnull");
}

/* Here the place of the return comes second; the data holds the attribute's. */
UBSAN_HANDLER(nonnull_return_v1, struct location_data *d, struct source_location *loc)
{
	report(loc, "NULL returned from a function declared returns_nonnull");
}

UBSAN_HANDLER(invalid_builtin, struct location_data *d)
{
	report(&d->loc, "__builtin_clz/ctz of zero");
}
