/* srctrap.c: wlab-run's source backtraces (tests/run/cli.sh builds it at -O2 -g):
 * ratio is inlined into scale, which traps dividing by zero without arguments. */
#include <stdlib.h>

static inline int ratio(int a, int b)
{
	return a / b;
}

__attribute__((noinline)) int scale(int x, int d)
{
	return ratio(x * 3, d) + 1;
}

int main(int argc, char **argv)
{
	return scale(argc, argc > 1 ? atoi(argv[1]) : 0);
}
