/* memops.c: memcpy/memset-heavy loops (memory.copy and memory.fill with
 * -mbulk-memory), blocks of many sizes. */
#include "bench.h"

#define SIZE (1 << 20)
static unsigned char src[SIZE], dst[SIZE];
static volatile unsigned rounds = 30000;

BENCH_WORK
{
	unsigned seed = 11, check = 0;
	for (unsigned i = 0; i < SIZE; i++)
		src[i] = (unsigned char)lcg(&seed);
	for (unsigned r = 0; r < rounds; r++) {
		unsigned len = 64 + lcg(&seed) % 4096;
		unsigned from = lcg(&seed) % (SIZE - len), to = lcg(&seed) % (SIZE - len);
		__builtin_memcpy(dst + to, src + from, len);
		__builtin_memset(src + (lcg(&seed) % (SIZE - len)), (int)(r & 0xff), len / 2);
		for (unsigned i = 0; i < len; i += 16)
			check = check * 33 + dst[to + i];
	}
	return check;
}

BENCH_MAIN
