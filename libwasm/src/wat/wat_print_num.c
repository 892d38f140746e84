/* wat_print_num.c: numbers as wasm2wat writes them: decimal integers, and
 * floats in hex ("0x1.8p+1", "nan:0x200000", "-inf") with their %g value
 * in a comment. */
#include <stdio.h>

#include "wat_print_internal.h"

void wp_u64(struct wp *p, uint64_t v)
{
	char buf[24];
	int n = 24;
	do {
		buf[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	wp_write(p, buf + n, (size_t)(24 - n));
}

void wp_s64(struct wp *p, int64_t v)
{
	if (v < 0) {
		wp_putc(p, '-');
		wp_u64(p, 0 - (uint64_t)v);
	} else {
		wp_u64(p, (uint64_t)v);
	}
}

static void hex_digits(struct wp *p, uint64_t v, int ndigits, bool strip)
{
	static const char hex[] = "0123456789abcdef";
	char buf[16];
	int n = 0;
	for (int i = ndigits - 1; i >= 0; i--)
		buf[n++] = hex[(v >> (4 * i)) & 15];
	if (strip)
		while (n > 0 && buf[n - 1] == '0')
			n--;
	wlab_buf_bytes(p->out, buf, (size_t)n);
}

/* One float format: mbits of significand, ebits of exponent. */
struct ffmt {
	int mbits, bias;
	uint64_t emax, quiet;  /* all-ones exponent; the canonical NaN's payload */
};

static void hex_float(struct wp *p, const struct ffmt *f, bool neg, uint64_t e, uint64_t mant)
{
	int ndig = (f->mbits + 3) / 4, pad = ndig * 4 - f->mbits;
	if (neg)
		wp_putc(p, '-');
	if (e == f->emax) {
		if (!mant) {
			wp_puts(p, "inf");
		} else if (mant == f->quiet) {
			wp_puts(p, "nan");
		} else {
			wp_puts(p, "nan:0x");
			int n = 1;
			while (n < 16 && mant >> (4 * n))
				n++;
			hex_digits(p, mant, n, false);
		}
		return;
	}
	if (!e && !mant) {
		wp_puts(p, "0x0p+0");
		return;
	}
	int64_t exp;
	bool sub = e == 0;
	if (sub) {
		int k = f->mbits - 1;
		while (!(mant >> k & 1))
			k--;
		exp = (int64_t)k - f->mbits + 1 - f->bias;
		mant = (mant << (f->mbits - k)) & (((uint64_t)1 << f->mbits) - 1);
	} else {
		exp = (int64_t)e - f->bias;
	}
	wp_puts(p, "0x1");
	if (mant || sub)
		wp_putc(p, '.');
	if (mant)
		hex_digits(p, mant << pad, ndig, true);
	wp_putc(p, 'p');
	if (exp >= 0)
		wp_putc(p, '+');
	wp_s64(p, exp);
}

static void value_comment(struct wp *p, double v)
{
	char buf[48];
	int n = snprintf(buf, sizeof buf, " (;=%g;)", v);
	wlab_buf_bytes(p->out, buf, (size_t)n);
}

void wp_f32(struct wp *p, uint32_t bits)
{
	static const struct ffmt f = {23, 127, 0xff, 0x400000};
	float v;
	memcpy(&v, &bits, sizeof v);
	hex_float(p, &f, bits >> 31, bits >> 23 & 0xff, bits & 0x7fffff);
	value_comment(p, (double)v);
}

void wp_f64(struct wp *p, uint64_t bits)
{
	static const struct ffmt f = {52, 1023, 0x7ff, (uint64_t)1 << 51};
	double v;
	memcpy(&v, &bits, sizeof v);
	hex_float(p, &f, bits >> 63, bits >> 52 & 0x7ff, bits & (((uint64_t)1 << 52) - 1));
	value_comment(p, v);
}
