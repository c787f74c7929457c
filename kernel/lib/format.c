/* printf-style formatting (vformat), shared by the kernel's printk and ulib's printf. */
#include "format.h"
#include <stdint.h>
#include <stdbool.h>

struct spec {
	bool left;        /* '-': pad on the right */
	bool zero;        /* '0': pad with zeros */
	int width;
	int precision;    /* -1: none */
	int length;       /* 0 int, 1 long, 2 long long, -1 short, -2 char */
};

struct sink {
	void (*out)(char, void *);
	void *arg;
	int n;
};

static void put(struct sink *s, char c)
{
	s->out(c, s->arg);
	s->n++;
}

static void pad(struct sink *s, char c, int n)
{
	while (n-- > 0)
		put(s, c);
}

/* Emit len digits (stored least significant first) after a prefix such as
 * "-" or "0x", padded to the width: spaces go before the prefix, zeros after. */
static void emit_number(struct sink *s, const struct spec *sp, const char *digits,
			int len, const char *prefix)
{
	int plen = 0, fill;

	while (prefix[plen])
		plen++;
	fill = sp->width > len + plen ? sp->width - len - plen : 0;
	if (!sp->left && !sp->zero)
		pad(s, ' ', fill);
	for (int i = 0; i < plen; i++)
		put(s, prefix[i]);
	if (!sp->left && sp->zero)
		pad(s, '0', fill);
	for (int i = len - 1; i >= 0; i--)
		put(s, digits[i]);
	if (sp->left)
		pad(s, ' ', fill);
}

static void format_unsigned(struct sink *s, const struct spec *sp, uint64_t v,
			    unsigned base, bool upper, const char *prefix)
{
	const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char digits[24];
	int len = 0;

	do {
		digits[len++] = set[v % base];
		v /= base;
	} while (v);
	emit_number(s, sp, digits, len, prefix);
}

static void format_string(struct sink *s, const struct spec *sp, const char *str)
{
	int len = 0;

	if (!str)
		str = "(null)";
	while (str[len] && (sp->precision < 0 || len < sp->precision))
		len++;
	if (!sp->left)
		pad(s, ' ', sp->width - len);
	for (int i = 0; i < len; i++)
		put(s, str[i]);
	if (sp->left)
		pad(s, ' ', sp->width - len);
}

static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
	*sp = (struct spec){ .precision = -1 };
	for (;; f++) {
		if (*f == '-')
			sp->left = true;
		else if (*f == '0')
			sp->zero = true;
		else
			break;
	}
	if (*f == '*') {
		sp->width = va_arg(*ap, int);
		f++;
	}
	while (*f >= '0' && *f <= '9')
		sp->width = sp->width * 10 + (*f++ - '0');
	if (*f == '.') {
		f++;
		sp->precision = 0;
		if (*f == '*') {
			sp->precision = va_arg(*ap, int);
			f++;
		}
		while (*f >= '0' && *f <= '9')
			sp->precision = sp->precision * 10 + (*f++ - '0');
	}
	for (;; f++) {
		if (*f == 'l')
			sp->length++;
		else if (*f == 'z')
			sp->length = 1;
		else if (*f == 'h')
			sp->length--;
		else
			break;
	}
	return f;
}

static int64_t signed_arg(const struct spec *sp, va_list *ap)
{
	if (sp->length >= 1)
		return va_arg(*ap, long);
	if (sp->length == -1)
		return (short)va_arg(*ap, int);
	if (sp->length <= -2)
		return (signed char)va_arg(*ap, int);
	return va_arg(*ap, int);
}

static uint64_t unsigned_arg(const struct spec *sp, va_list *ap)
{
	if (sp->length >= 1)
		return va_arg(*ap, unsigned long);
	if (sp->length == -1)
		return (unsigned short)va_arg(*ap, unsigned);
	if (sp->length <= -2)
		return (unsigned char)va_arg(*ap, unsigned);
	return va_arg(*ap, unsigned);
}

int vformat(void (*out)(char, void *), void *arg, const char *fmt, va_list ap_in)
{
	struct sink s = { out, arg, 0 };
	struct spec sp;
	va_list ap;

	va_copy(ap, ap_in);
	for (const char *f = fmt; *f; f++) {
		if (*f != '%') {
			put(&s, *f);
			continue;
		}
		f = parse_spec(f + 1, &sp, &ap);
		switch (*f) {
		case 'd':
		case 'i': {
			int64_t v = signed_arg(&sp, &ap);
			format_unsigned(&s, &sp, v < 0 ? -(uint64_t)v : (uint64_t)v, 10, false,
					v < 0 ? "-" : "");
			break;
		}
		case 'u':
			format_unsigned(&s, &sp, unsigned_arg(&sp, &ap), 10, false, "");
			break;
		case 'x':
		case 'X':
			format_unsigned(&s, &sp, unsigned_arg(&sp, &ap), 16, *f == 'X', "");
			break;
		case 'o':
			format_unsigned(&s, &sp, unsigned_arg(&sp, &ap), 8, false, "");
			break;
		case 'p':
			format_unsigned(&s, &sp, (uintptr_t)va_arg(ap, void *), 16, false, "0x");
			break;
		case 's':
			format_string(&s, &sp, va_arg(ap, const char *));
			break;
		case 'c': {
			char c[2] = { (char)va_arg(ap, int), 0 };
			sp.precision = 1;
			format_string(&s, &sp, c);
			break;
		}
		case '%':
			put(&s, '%');
			break;
		case '\0':
			f--;        /* a lone '%' at the end: stop at the NUL */
			break;
		default:        /* unknown conversion: show it as written */
			put(&s, '%');
			put(&s, *f);
		}
	}
	va_end(ap);
	return s.n;
}

struct bufsink {
	char *buf;
	size_t size, used;
};

static void buf_out(char c, void *arg)
{
	struct bufsink *b = arg;

	if (b->used + 1 < b->size)
		b->buf[b->used] = c;
	b->used++;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct bufsink b = { buf, size, 0 };
	int n = vformat(buf_out, &b, fmt, ap);

	if (size)
		buf[b.used < size ? b.used : size - 1] = '\0';
	return n;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
