/* wlab-wast.c: reads .wast scripts with wlab_script_read and lists their
 * commands, writing each module the reader built.
 *
 *   wlab-wast [--features=SET|--enable-F|--disable-F]... [-d DIR] FILE.wast
 * Prints one line per command: INDEX LINE KIND FORM STATUS, where FORM is
 * text, binary, quote or - (no module) and STATUS is `ok` (the module's
 * bytes are in DIR/INDEX.wasm when -d is given), `error: MSG` (the module
 * did not parse) or `-`; a BAD command prints `bad: WHY`. Exit 0, 1 when
 * the script cannot be read, 2 on a usage error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wlab/features.h"
#include "wlab/module.h"
#include "wlab/script.h"

static const char *const forms[] = {"text", "binary", "quote"};

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

int main(int argc, char **argv)
{
	const char *dir = NULL, *file = NULL;
	uint32_t features = wlab_features_default();
	for (int i = 1; i < argc; i++) {
		if (wlab_feature_option(argv[i], &features))
			continue;
		if (!strcmp(argv[i], "-d") && i + 1 < argc)
			dir = argv[++i];
		else if (!file && argv[i][0] != '-')
			file = argv[i];
		else
			file = NULL, i = argc;
	}
	if (!file) {
		fprintf(stderr, "usage: wlab-wast [--features=SET|--enable-F|--disable-F]... "
			"[-d DIR] FILE.wast\n");
		return 2;
	}
	uint8_t *text;
	size_t len;
	struct wlab_error err = {0};
	struct wlab_script *s;
	if (wlab_read_file(file, &text, &len, &err) ||
	    wlab_script_read_features((const char *)text, len, features, &s, &err)) {
		fprintf(stderr, "%s:%s\n", file, err.message);
		return 1;
	}
	int rc = 0;
	for (size_t i = 0; i < s->ncmds; i++) {
		const struct wlab_script_cmd *c = &s->cmds[i];
		const struct wlab_script_module *m = c->module;
		printf("%zu %u %s %s ", i, c->line, wlab_cmd_name(c->kind), m ? forms[m->form] : "-");
		if (c->kind == WLAB_CMD_BAD) {
			printf("bad: %s\n", c->text);
		} else if (!m) {
			printf("-\n");
		} else if (!m->bytes) {
			printf("error: %s\n", m->error.message);
		} else {
			printf("ok\n");
			if (dir) {
				char path[4096];
				snprintf(path, sizeof path, "%s/%zu.wasm", dir, i);
				rc |= write_file(path, m->bytes, m->size);
			}
		}
	}
	wlab_script_free(s);
	free(text);
	return rc;
}
