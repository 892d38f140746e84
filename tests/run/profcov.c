/* profcov.c: a program with known executed lines for --profile and
 * --coverage (tests/run/profile.py, coverage.py): main calls square in a
 * loop; never_called never runs; the else branch is never taken with the
 * argument the tests give (3). Built with clang -g -O0. */
#include <stdio.h>
#include <stdlib.h>

static int square(int x)
{
	return x * x;
}

int never_called(int x)
{
	int y = x + 1;
	return y * 2;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 0;
	int sum = 0;
	for (int i = 0; i < n; i++)
		sum += square(i);
	if (n > 0) {
		printf("sum %d\n", sum);
	} else {
		printf("nothing\n");
		sum = never_called(n);
	}
	return sum == 5 ? 0 : 1;
}
