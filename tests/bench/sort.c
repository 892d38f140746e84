/* sort.c: quicksort through a comparison function pointer (call_indirect). */
#include "bench.h"

#define N 200000
static int data[N];
static volatile unsigned rounds = 1;

typedef int (*cmp_fn)(const int *, const int *);

static int cmp_asc(const int *x, const int *y) { return (*x > *y) - (*x < *y); }
static int cmp_desc(const int *x, const int *y) { return (*y > *x) - (*y < *x); }

/* Picked at run time so the calls stay indirect. */
static cmp_fn volatile comparators[2] = {cmp_asc, cmp_desc};

static void swap(int *x, int *y)
{
	int t = *x;
	*x = *y;
	*y = t;
}

static void quicksort(int *v, int lo, int hi, cmp_fn cmp)
{
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2, i = lo, j = hi;
		int pivot = v[mid];
		while (i <= j) {
			while (cmp(&v[i], &pivot) < 0)
				i++;
			while (cmp(&v[j], &pivot) > 0)
				j--;
			if (i <= j)
				swap(&v[i++], &v[j--]);
		}
		if (j - lo < hi - i) {
			quicksort(v, lo, j, cmp);
			lo = i;
		} else {
			quicksort(v, i, hi, cmp);
			hi = j;
		}
	}
}

BENCH_WORK
{
	unsigned seed = 7, check = 0;
	for (unsigned r = 0; r < rounds; r++) {
		for (int i = 0; i < N; i++)
			data[i] = (int)(lcg(&seed) % 1000000) - 500000;
		quicksort(data, 0, N - 1, comparators[r & 1]);
		for (int i = 0; i < N; i += 997)
			check = check * 31 + (unsigned)data[i];
	}
	return check;
}

BENCH_MAIN
