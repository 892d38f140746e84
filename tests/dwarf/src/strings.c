/* strings.c: a DWARF test program: string handling over several functions,
 * recursion and function pointers. */
#include <stdio.h>
#include <string.h>

struct word {
	const char *text;
	size_t len;
};

static int by_len(const void *a, const void *b)
{
	const struct word *x = a, *y = b;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return strcmp(x->text, y->text);
}

static size_t split(char *s, struct word *out, size_t max)
{
	size_t n = 0;
	for (char *t = strtok(s, " "); t && n < max; t = strtok(NULL, " "))
		out[n++] = (struct word){t, strlen(t)};
	return n;
}

static unsigned long fib(unsigned n)
{
	return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

int main(void)
{
	char text[] = "the quick brown fox jumps over the lazy dog";
	struct word w[16];
	size_t n = split(text, w, 16);
	qsort(w, n, sizeof w[0], by_len);
	for (size_t i = 0; i < n; i++)
		printf("%zu %s\n", w[i].len, w[i].text);
	printf("%lu\n", fib(20));
	return 0;
}
