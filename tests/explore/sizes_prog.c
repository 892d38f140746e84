/* sizes_prog.c: one small program built twice by tests/explore/sizes.py
 * (-DVARIANT=0 and -DVARIANT=1) for wlab-explore --diff. VARIANT 1 changes
 * exactly two functions: cube grows, greeting_len keeps its size with
 * another constant; and one string of the data. Nothing else may differ. */
#include <stdio.h>
#include <string.h>

__attribute__((noinline)) int cube(int x)
{
#if VARIANT
	return x * x * x + 3 * x * x + 7;
#else
	return x * x * x;
#endif
}

__attribute__((noinline)) int greeting_len(const char *s)
{
#if VARIANT
	return (int)strlen(s) + 5;
#else
	return (int)strlen(s) + 4;
#endif
}

__attribute__((noinline)) int unchanged(int a, int b)
{
	return a > b ? a - b : b - a;
}

int main(int argc, char **argv)
{
#if VARIANT
	const char *g = "hello, sizes v2";
#else
	const char *g = "hello, sizes v1";
#endif
	printf("%s %d %d %d\n", g, cube(argc), greeting_len(argv[0]), unchanged(argc, 3));
	return 0;
}
