/* wlab-decode.c: decodes each file strictly; prints FILE:0xOFF: error: MSG for failures.
 * Feature options (--enable-F, --disable-F, --features=SET) come first. */
#include <stdio.h>
#include <stdlib.h>

#include "wlab/features.h"
#include "wlab/module.h"

static int decode_one(const char *path, uint32_t features)
{
	struct wlab_decode_options opts = {.features = features};
	struct wlab_error err = {0};
	struct wlab_module *m = NULL;
	uint8_t *bytes = NULL;
	size_t size = 0;
	int failed = 0;

	if (wlab_read_file(path, &bytes, &size, &err) != WLAB_OK) {
		fprintf(stderr, "%s: error: %s\n", path, err.message);
		return 1;
	}
	if (wlab_module_decode(bytes, size, &opts, &m, &err) != WLAB_OK) {
		fprintf(stderr, "%s:0x%zx: error: %s\n", path, err.offset, err.message);
		failed = 1;
	}
	wlab_module_free(m);
	free(bytes);
	return failed;
}

int main(int argc, char **argv)
{
	int failed = 0, i = 1;
	uint32_t features = wlab_features_default();

	while (i < argc && wlab_feature_option(argv[i], &features))
		i++;
	if (i >= argc) {
		fprintf(stderr, "usage: wlab-decode [--enable-F|--disable-F|--features=SET]... FILE...\n");
		return 2;
	}
	for (; i < argc; i++)
		failed |= decode_one(argv[i], features);
	return failed;
}
