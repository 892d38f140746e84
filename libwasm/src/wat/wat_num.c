/* wat_num.c: integer and float literals of the text format (underscores,
 * hex, hex floats, inf, nan:0x...), range-checked. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "wat_internal.h"

static int digit(char c, int base)
{
	int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
		: c >= 'A' && c <= 'F' ? c - 'A' + 10 : 99;
	return d < base ? d : -1;
}

/* Digits (with single underscores between digits) of base in s[0..n);
 * false when malformed. *v saturates: *overflow says it did. */
static bool digits(const char *s, size_t n, int base, uint64_t *v, bool *overflow)
{
	*v = 0;
	*overflow = false;
	if (!n)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '_') {
			if (!i || i + 1 == n || digit(s[i + 1], base) < 0)
				return false;
			continue;
		}
		int d = digit(s[i], base);
		if (d < 0)
			return false;
		if (*v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
			*overflow = true;
		*v = *v * (uint64_t)base + (uint64_t)d;
	}
	return true;
}

/* An unsigned integer literal without sign: its magnitude. */
static bool magnitude(const char *s, size_t n, uint64_t *v, bool *overflow)
{
	if (n > 2 && s[0] == '0' && s[1] == 'x')
		return digits(s + 2, n - 2, 16, v, overflow);
	return digits(s, n, 10, v, overflow);
}

bool wat_is_nat(const struct wat *w, const struct wat_tok *t)
{
	uint64_t v;
	bool of;
	return t->kind == WAT_ATOM && magnitude(w->text + t->off, t->len, &v, &of);
}

bool wat_nat(struct wat *w, const struct wat_tok *t, uint64_t max, uint64_t *v)
{
	bool of;
	if (t->kind != WAT_ATOM || !magnitude(w->text + t->off, t->len, v, &of))
		return wat_fail(w, t->off, "expected a number, got '%.*s'", (int)(t->len < 40 ? t->len : 40),
				w->text + t->off);
	if (of || *v > max)
		return wat_fail(w, t->off, "constant out of range");
	return true;
}

bool wat_int(struct wat *w, const struct wat_tok *t, unsigned bits, uint64_t *v)
{
	const char *s = w->text + t->off;
	size_t n = t->len;
	bool neg = false, of;
	uint64_t m, lim = bits == 64 ? UINT64_MAX : ((uint64_t)1 << bits) - 1;
	if (t->kind != WAT_ATOM)
		return wat_fail(w, t->off, "expected an integer");
	if (n && (s[0] == '+' || s[0] == '-')) {
		neg = s[0] == '-';
		s++, n--;
	}
	if (!magnitude(s, n, &m, &of))
		return wat_fail(w, t->off, "unknown operator: malformed integer '%.*s'",
				(int)(t->len < 40 ? t->len : 40), w->text + t->off);
	if (of || (neg ? m > ((uint64_t)1 << (bits - 1)) : m > lim))
		return wat_fail(w, t->off, "constant out of range");
	*v = (neg ? 0 - m : m) & lim;
	return true;
}

/* Checks a float literal's syntax (after the sign) and writes it without
 * underscores to out (n + 1 bytes). */
static bool float_syntax(const char *s, size_t n, char *out)
{
	bool hex = n > 2 && s[0] == '0' && s[1] == 'x';
	int base = hex ? 16 : 10;
	size_t i = hex ? 2 : 0, o = 0;
	if (hex) {
		out[o++] = '0';
		out[o++] = 'x';
	}
	/* mantissa digits, optional '.', optional fraction digits */
	int part = 0;  /* 0 integer part, 1 fraction, 2 exponent */
	bool need_digit = true, prev_digit = false;
	for (; i < n; i++) {
		char c = s[i];
		if (c == '_') {
			if (!prev_digit || i + 1 >= n || digit(s[i + 1], part == 2 ? 10 : base) < 0)
				return false;
			prev_digit = false;
			continue;
		}
		if (part < 2 && digit(c, base) >= 0) {
			need_digit = false;
			prev_digit = true;
		} else if (part == 2 && digit(c, 10) >= 0) {
			need_digit = false;
			prev_digit = true;
		} else if (c == '.' && part == 0 && !need_digit) {
			part = 1;
			prev_digit = false;
		} else if (part < 2 && !(part == 0 && need_digit) &&
			   ((!hex && (c == 'e' || c == 'E')) || (hex && (c == 'p' || c == 'P')))) {
			part = 2;
			need_digit = true;
			prev_digit = false;
			out[o++] = c;
			if (i + 1 < n && (s[i + 1] == '+' || s[i + 1] == '-'))
				out[o++] = s[++i];
			continue;
		} else {
			return false;
		}
		out[o++] = c;
	}
	out[o] = 0;
	return !need_digit;
}

static bool float_lit(struct wat *w, const struct wat_tok *t, bool is64, uint64_t *bits)
{
	const char *s = w->text + t->off;
	size_t n = t->len;
	bool neg = false;
	unsigned mant = is64 ? 52 : 23;
	uint64_t sign, expmask;
	if (t->kind != WAT_ATOM)
		return wat_fail(w, t->off, "expected a float");
	if (n && (s[0] == '+' || s[0] == '-')) {
		neg = s[0] == '-';
		s++, n--;
	}
	sign = neg ? (uint64_t)1 << (is64 ? 63 : 31) : 0;
	expmask = is64 ? 0x7ff0000000000000ull : 0x7f800000ull;
	if (n == 3 && !memcmp(s, "inf", 3)) {
		*bits = sign | expmask;
		return true;
	}
	if (n == 3 && !memcmp(s, "nan", 3)) {
		*bits = sign | expmask | (uint64_t)1 << (mant - 1);
		return true;
	}
	if (n > 6 && !memcmp(s, "nan:0x", 6)) {
		uint64_t p;
		bool of;
		if (!digits(s + 6, n - 6, 16, &p, &of))
			return wat_fail(w, t->off, "unknown operator: malformed nan");
		if (of || p == 0 || p >> mant)
			return wat_fail(w, t->off, "constant out of range");
		*bits = sign | expmask | p;
		return true;
	}
	char *buf = malloc(n + 1);
	if (!buf)
		return wat_oom(w);
	if (!float_syntax(s, n, buf)) {
		free(buf);
		return wat_fail(w, t->off, "unknown operator: malformed float '%.*s'",
				(int)(t->len < 40 ? t->len : 40), w->text + t->off);
	}
	bool inf;
	if (is64) {
		double d = strtod(buf, NULL);
		inf = isinf(d);
		memcpy(bits, &d, 8);
	} else {
		float f = strtof(buf, NULL);
		uint32_t b32;
		inf = isinf(f);
		memcpy(&b32, &f, 4);
		*bits = b32;
	}
	free(buf);
	if (inf)
		return wat_fail(w, t->off, "constant out of range");
	*bits |= sign;
	return true;
}

bool wat_f32(struct wat *w, const struct wat_tok *t, uint32_t *bits)
{
	uint64_t b;
	if (!float_lit(w, t, false, &b))
		return false;
	*bits = (uint32_t)b;
	return true;
}

bool wat_f64(struct wat *w, const struct wat_tok *t, uint64_t *bits)
{
	return float_lit(w, t, true, bits);
}
