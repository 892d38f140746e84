/* fuzz.h: what every libFuzzer target of tests/fuzz/ shares.
 *
 * Each fuzz_NAME.c defines LLVMFuzzerTestOneInput on the public libwasm API
 * and nothing else the engine needs: `make fuzz` links it with clang's
 * libFuzzer (-fsanitize=fuzzer,address,undefined), and replay.c gives it a
 * main() for gcc (the `fuzz` suite replays tests/fuzz/regressions/NAME/).
 * A target aborts (fuzz_fail) only when a property it checks is broken;
 * crashes, leaks and undefined behaviour are the sanitizers' to report.
 * docs/fuzzing.md says what each target covers. */
#ifndef WLAB_FUZZ_H
#define WLAB_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <wlab.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* Optional (weak): only targets that set up state define it. */
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

/* Ends the run with a message: a broken property is a finding. */
static inline void fuzz_fail(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz: %s: %s\n", what, detail ? detail : "");
	abort();
}

/* Every feature libwasm decodes and validates (GC included). */
static inline uint32_t fuzz_features_all(void)
{
	return wlab_features_all();
}

#endif
