/* sieve.c: integer loops over memory (sieve of Eratosthenes, repeated). */
#include "bench.h"

#define N 1000000
static unsigned char composite[N];
static volatile unsigned rounds = 4;

BENCH_WORK
{
	unsigned total = 0;
	for (unsigned r = 0; r < rounds; r++) {
		for (unsigned i = 0; i < N; i++)
			composite[i] = 0;
		unsigned count = 0;
		for (unsigned i = 2; i < N; i++) {
			if (composite[i])
				continue;
			count++;
			for (unsigned j = i + i; j < N; j += i)
				composite[j] = 1;
		}
		total += count + r;
	}
	return total;
}

BENCH_MAIN
