/* bench.h: shared by the benchmark programs. Each program defines its work
 * as `BENCH_WORK { ... }`, a function that returns a checksum every engine
 * must agree on, and ends with BENCH_MAIN. Together they make `unsigned
 * run(void)`: the work BENCH_REPEAT times (bench-interp.sh's REPEAT, default
 * once), whose checksum is the sum of the rounds'. Built freestanding for
 * wasm32 (no libc) and natively with native_main.c. */
#ifndef BENCH_H
#define BENCH_H

#if defined(__wasm__)
#define BENCH_EXPORT __attribute__((export_name("run")))
#else
#define BENCH_EXPORT
#endif

#ifndef BENCH_REPEAT
#define BENCH_REPEAT 1
#endif
/* Once, the work is run() itself (the modules of earlier measurements);
 * more rounds call it through a volatile pointer, so that no compiler can
 * fold one round into the next. */
#if BENCH_REPEAT > 1
#define BENCH_WORK static unsigned bench_work(void)
#define BENCH_MAIN                                                     \
	static unsigned (*volatile bench_round)(void) = bench_work;    \
	BENCH_EXPORT unsigned run(void)                                \
	{                                                              \
		unsigned sum = 0;                                      \
		for (int i = 0; i < BENCH_REPEAT; i++)                 \
			sum += bench_round();                          \
		return sum;                                            \
	}
#else
#define BENCH_WORK BENCH_EXPORT unsigned run(void)
#define BENCH_MAIN
#endif

/* A small linear congruential generator: the same numbers everywhere. */
static inline unsigned lcg(unsigned *state)
{
	*state = *state * 1664525u + 1013904223u;
	return *state >> 8;
}

#endif
