/* bench.h: shared by the benchmark programs. Each program defines
 * `unsigned run(void)`, which does the work and returns a checksum that
 * every engine must agree on. Built freestanding for wasm32 (no libc) and
 * natively with native_main.c. */
#ifndef BENCH_H
#define BENCH_H

#if defined(__wasm__)
#define BENCH_EXPORT __attribute__((export_name("run")))
#else
#define BENCH_EXPORT
#endif

/* A small linear congruential generator: the same numbers everywhere. */
static inline unsigned lcg(unsigned *state)
{
	*state = *state * 1664525u + 1013904223u;
	return *state >> 8;
}

#endif
