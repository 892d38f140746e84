/* wlab-validate.c: decodes (strictly) and validates each file; prints
 * FILE:0xOFF: error: MSG [(in func[N])] for failures and exits 1 if any failed.
 * Options: --enable-FEATURE / --disable-FEATURE (names of wlab/features.def),
 * --features=2.0|default|all. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wlab/features.h"
#include "wlab/module.h"
#include "wlab/validate.h"

static int validate_one(const char *path, uint32_t features)
{
	struct wlab_decode_options dopts = {.features = features};
	struct wlab_validate_options vopts = {.features = features};
	struct wlab_validate_error verr;
	struct wlab_error err = {0};
	struct wlab_module *m = NULL;
	uint8_t *bytes = NULL;
	size_t size = 0;
	int failed = 1;

	if (wlab_read_file(path, &bytes, &size, &err) != WLAB_OK) {
		fprintf(stderr, "%s: error: %s\n", path, err.message);
		return 1;
	}
	if (wlab_module_decode(bytes, size, &dopts, &m, &err) != WLAB_OK) {
		fprintf(stderr, "%s:0x%zx: error: %s\n", path, err.offset, err.message);
	} else if (wlab_module_validate(m, &vopts, &verr) != WLAB_OK) {
		fprintf(stderr, "%s:0x%zx: error: %s", path, verr.error.offset,
			verr.error.message);
		if (verr.func != UINT32_MAX)
			fprintf(stderr, " (in func[%u])", verr.func);
		fputc('\n', stderr);
	} else {
		failed = 0;
	}
	wlab_module_free(m);
	free(bytes);
	return failed;
}

int main(int argc, char **argv)
{
	uint32_t features = wlab_features_default();
	int failed = 0, nfiles = 0;

	for (int i = 1; i < argc; i++) {
		if (argv[i][0] == '-' && argv[i][1] == '-') {
			if (!wlab_feature_option(argv[i], &features)) {
				fprintf(stderr, "wlab-validate: unknown option %s\n", argv[i]);
				return 2;
			}
			continue;
		}
		nfiles++;
	}
	if (nfiles == 0) {
		fprintf(stderr, "usage: wlab-validate [--enable-F|--disable-F|--features=SET]... FILE...\n");
		return 2;
	}
	for (int i = 1; i < argc; i++)
		if (!(argv[i][0] == '-' && argv[i][1] == '-'))
			failed |= validate_one(argv[i], features);
	return failed;
}
