/* inline.c: a DWARF test program: static inline helpers that -O2 inlines
 * (inlined frames, call sites), loops, a switch, and a trap (divide by zero
 * when run with no arguments). */
#include <stdio.h>
#include <stdlib.h>

#include "inline_util.h"

static inline int square(int x)
{
	return x * x;
}

static inline int sum_squares(const int *v, int n)
{
	int s = 0;
	for (int i = 0; i < n; i++)
		s += square(v[i]);
	return s;
}

static int classify(int x)
{
	switch (x % 4) {
	case 0: return clamp(x, 0, 10);
	case 1: return x * 3;
	case 2: return -x;
	default: return x / 2;
	}
}

__attribute__((noinline)) int divide(int a, int b)
{
	return a / b;
}

int main(int argc, char **argv)
{
	int v[8];
	for (int i = 0; i < 8; i++)
		v[i] = classify(i + argc);
	int s = sum_squares(v, 8);
	printf("%d\n", s);
	int d = argc > 1 ? atoi(argv[1]) : 0;
	printf("%d\n", divide(s, d));
	return 0;
}
