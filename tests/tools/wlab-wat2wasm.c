/* wlab-wat2wasm.c: converts text modules to binary with wlab_wat_to_binary.
 *
 *   wlab-wat2wasm FILE.wat [-o OUT.wasm]   one file (OUT defaults to FILE with .wasm)
 *   wlab-wat2wasm -d DIR FILE.wat...       each FILE to DIR/BASENAME.wasm
 *   wlab-wat2wasm -c FILE.wat...           parse only (check)
 * Feature options (--enable-F, --disable-F, --features=SET) may come first.
 * Errors print as FILE:LINE:COL: error: MSG (offset 0xN). Exit 0 when every
 * file converted, 1 when some failed, 2 on a usage error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wlab/features.h"
#include "wlab/module.h"
#include "wlab/wat.h"

static uint32_t features;  /* 0: the default set */

static void usage(FILE *f)
{
	fprintf(f, "usage: wlab-wat2wasm FILE.wat [-o OUT.wasm]\n"
		   "       wlab-wat2wasm -d DIR FILE.wat...\n"
		   "       wlab-wat2wasm -c FILE.wat...\n"
		   "Converts WebAssembly text modules to binary. Exit: 0 ok, 1 a file failed, 2 usage.\n");
}

static int write_file(const char *path, const uint8_t *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(p, 1, n, f) != n) {
		fprintf(stderr, "%s: error: cannot write\n", path);
		if (f)
			fclose(f);
		return 1;
	}
	return fclose(f) ? 1 : 0;
}

static int convert(const char *in, const char *out)
{
	struct wlab_error err = {0};
	uint8_t *text = NULL, *bin = NULL;
	size_t len = 0, size = 0;
	int failed = 1;
	if (wlab_read_file(in, &text, &len, &err) != WLAB_OK) {
		fprintf(stderr, "%s: error: %s\n", in, err.message);
		return 1;
	}
	if (wlab_wat_to_binary_features((const char *)text, len, features, &bin, &size, &err) !=
	    WLAB_OK)
		fprintf(stderr, "%s:%s (offset 0x%zx)\n", in, err.message, err.offset);
	else
		failed = out ? write_file(out, bin, size) : 0;
	free(bin);
	free(text);
	return failed;
}

static char *out_name(const char *dir, const char *in)
{
	const char *base = strrchr(in, '/') ? strrchr(in, '/') + 1 : in;
	size_t n = strlen(base);
	if (n > 4 && !strcmp(base + n - 4, ".wat"))
		n -= 4;
	size_t size = (dir ? strlen(dir) + 1 : (size_t)(base - in)) + n + 6;
	char *p = malloc(size);
	if (p && dir)
		snprintf(p, size, "%s/%.*s.wasm", dir, (int)n, base);
	else if (p)
		snprintf(p, size, "%.*s%.*s.wasm", (int)(base - in), in, (int)n, base);
	return p;
}

int main(int argc, char **argv)
{
	const char *dir = NULL, *out = NULL;
	int check = 0, first = 1, failed = 0;
	features = wlab_features_default();
	while (argc > 1 && wlab_feature_option(argv[1], &features)) {
		argv++;
		argc--;
	}
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "-c")) {
		check = 1;
		first = 2;
	} else if (!strcmp(argv[1], "-d")) {
		if (argc < 4) {
			usage(stderr);
			return 2;
		}
		dir = argv[2];
		first = 3;
	} else if (argc == 4 && !strcmp(argv[2], "-o")) {
		out = argv[3];
		argc = 2;
	} else if (argc != 2) {
		usage(stderr);
		return 2;
	}
	for (int i = first; i < argc; i++) {
		char *name = check ? NULL : out ? strdup(out) : out_name(dir, argv[i]);
		if (!check && !name) {
			fprintf(stderr, "wlab-wat2wasm: out of memory\n");
			return 1;
		}
		failed |= convert(argv[i], name);
		free(name);
	}
	return failed;
}
