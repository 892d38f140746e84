/* mix.c: a small program for the wasm corpus: switch tables, function pointers, floats, globals, data. */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const char *const names[] = {"zero", "one", "two", "three", "four", "five", "six"};
static int counter;
static double table[64];

static int op_add(int a, int b) { return a + b; }
static int op_sub(int a, int b) { return a - b; }
static int op_mul(int a, int b) { return a * b; }
static int (*const ops[])(int, int) = {op_add, op_sub, op_mul};

static const char *classify(unsigned v)
{
	switch (v) {  /* dense cases become a br_table */
	case 0: return "none";
	case 1: return "single";
	case 2: return "pair";
	case 3: return "triple";
	case 4: return "quad";
	case 5: return "quint";
	case 6: return "sext";
	default: return "many";
	}
}

static int sum(int n, ...)
{
	va_list ap;
	int s = 0;
	va_start(ap, n);
	for (int i = 0; i < n; i++)
		s += va_arg(ap, int);
	va_end(ap);
	return s;
}

static uint64_t mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return x;
}

static float dot(const float *a, const float *b, int n)
{
	float s = 0;
	for (int i = 0; i < n; i++)
		s += a[i] * b[i];
	return s;
}

int main(int argc, char **argv)
{
	float a[16], b[16];
	char buf[32];

	for (int i = 0; i < 64; i++)
		table[i] = sin(i * 0.1) + (double)mix64((uint64_t)i) / 1e19;
	for (int i = 0; i < 16; i++) {
		a[i] = (float)i * 0.5f;
		b[i] = (float)(16 - i);
	}
	memset(buf, 0, sizeof buf);
	memcpy(buf, names[argc % 7], strlen(names[argc % 7]));
	counter += ops[argc % 3](argc, 7);
	printf("%s %s %d %d %.3f %lld %d\n", buf, classify((unsigned)argc), counter,
	       sum(4, 1, 2, 3, argc), dot(a, b, 16), (long long)(table[argc & 63] * 1000),
	       (int)truncf(a[3] * 2.5f));
	return argv[0] == NULL;
}
