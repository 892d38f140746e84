/* wlab-decode.c: decodes each file strictly; prints FILE:0xOFF: error: MSG for failures. */
#include <stdio.h>
#include <stdlib.h>

#include "wlab/module.h"

static int decode_one(const char *path)
{
	struct wlab_error err = {0};
	struct wlab_module *m = NULL;
	uint8_t *bytes = NULL;
	size_t size = 0;
	int failed = 0;

	if (wlab_read_file(path, &bytes, &size, &err) != WLAB_OK) {
		fprintf(stderr, "%s: error: %s\n", path, err.message);
		return 1;
	}
	if (wlab_module_decode(bytes, size, NULL, &m, &err) != WLAB_OK) {
		fprintf(stderr, "%s:0x%zx: error: %s\n", path, err.offset, err.message);
		failed = 1;
	}
	wlab_module_free(m);
	free(bytes);
	return failed;
}

int main(int argc, char **argv)
{
	int failed = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: wlab-decode FILE...\n");
		return 2;
	}
	for (int i = 1; i < argc; i++)
		failed |= decode_one(argv[i]);
	return failed;
}
