/* empty.c: no work. Its time under an engine is that engine's fixed cost
 * (process start, loading, the measuring), which bench-interp.sh's net
 * figures take off the other programs' times. */
#include "bench.h"

BENCH_WORK
{
	return 0;
}

BENCH_MAIN
