/* matmul.c: matrix multiply of doubles (loads, stores, f64 arithmetic). */
#include "bench.h"

#define N 120
static double a[N][N], b[N][N], c[N][N];
static volatile unsigned rounds = 4;

BENCH_WORK
{
	unsigned seed = 1;
	for (int i = 0; i < N; i++)
		for (int j = 0; j < N; j++) {
			a[i][j] = (double)(lcg(&seed) % 1000) / 100.0;
			b[i][j] = (double)(lcg(&seed) % 1000) / 100.0;
		}
	double sum = 0;
	for (unsigned r = 0; r < rounds; r++) {
		for (int i = 0; i < N; i++)
			for (int j = 0; j < N; j++) {
				double s = 0;
				for (int k = 0; k < N; k++)
					s += a[i][k] * b[k][j];
				c[i][j] = s;
			}
		sum += c[r % N][(r * 7) % N];
		a[r % N][r % N] += 1.0;
	}
	return (unsigned)(long long)(sum * 100.0);
}

BENCH_MAIN
