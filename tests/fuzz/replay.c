/* replay.c: a main() for one fuzz target, so gcc (and gcc's sanitizers)
 * can run the inputs libFuzzer found without libFuzzer: each argument is
 * a file given whole to LLVMFuzzerTestOneInput. Prints one line per file;
 * exits 0 when every file ran (a finding aborts the process). */
#include "fuzz.h"

int main(int argc, char **argv)
{
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	for (int i = 1; i < argc; i++) {
		uint8_t *bytes = NULL;
		size_t size = 0;
		struct wlab_error err = {0};
		if (wlab_read_file(argv[i], &bytes, &size, &err) != WLAB_OK) {
			fprintf(stderr, "%s: error: %s\n", argv[i], err.message);
			return 2;
		}
		LLVMFuzzerTestOneInput(bytes, size);
		free(bytes);
		printf("%s: ok\n", argv[i]);
	}
	return 0;
}
