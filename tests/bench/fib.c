/* fib.c: recursive calls (call overhead, small frames). */
#include "bench.h"

static unsigned fib(unsigned n)
{
	return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

/* volatile keeps the compiler from folding the calls away. */
static volatile unsigned arg = 32;

BENCH_WORK
{
	return fib(arg);
}

BENCH_MAIN
