/* wlab-watrt.c: print then parse every module of .wast scripts (a test tool
 * for tests/wat/roundtrip3.py).
 *
 *   wlab-watrt [--features=SET|--enable-F|--disable-F]... [-d DIR] FILE.wast...
 * For each module of each script that the script reader built (text, binary
 * and quote forms) and that decodes and validates with the features: prints
 * it with wlab_wat_print, flat and folded (custom sections as (@custom ...):
 * WLAB_WAT_CUSTOM), parses each text back with
 * wlab_wat_to_binary_features and compares the bytes. One line per module
 * and mode:
 *   FILE:LINE<TAB>MODE<TAB>VERDICT<TAB>DETAIL
 * VERDICT: identical (the bytes are the original's), reencoded (the original
 * is not in shortest form: normalizing it changes it, and the two normalized
 * modules are equal; normalize: wlab_module_encode, instructions re-encoded
 * one by one with wlab_buf_instr), differ (anything else: DETAIL says `same
 * text` when the output printed again gives the same text, the difference
 * being one the text does not show, else `other text`, then the first
 * differing offset of the shortest-form bytes), print (the printer
 * failed), parse (the printed text does not parse: DETAIL is the parser's
 * message). Modules left out print one line with MODE `-` and VERDICT
 * skip-decode, skip-invalid or skip-text (not built by the script reader);
 * DETAIL: the command (module, assert_invalid...), `: ` and why. With -d DIR, the text of each failing module and mode is
 * written to DIR/<script base>-<line>-<mode>.wat (and the original to .wasm).
 * Exit 0 (every line written), 1 when a script cannot be read, 2 usage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wlab/encode.h"
#include "wlab/features.h"
#include "wlab/instr.h"
#include "wlab/module.h"
#include "wlab/script.h"
#include "wlab/validate.h"
#include "wlab/wat.h"
#include "wlab/watprint.h"

struct ctx {
	uint32_t features;
	const char *dir;
	const char *file;
	uint32_t line;
	const char *cmd;  /* the command's name: module, assert_invalid... */
};

static void save(const struct ctx *c, const char *mode, const char *ext, const void *p, size_t n)
{
	if (!c->dir)
		return;
	const char *base = strrchr(c->file, '/');
	base = base ? base + 1 : c->file;
	char path[4096];
	snprintf(path, sizeof path, "%s/%s-%u-%s.%s", c->dir, base, c->line, mode, ext);
	FILE *f = fopen(path, "wb");
	if (f) {
		fwrite(p, 1, n, f);
		fclose(f);
	}
}

/* Re-encodes the instructions of span into b (shortest LEB128s) and points
 * span at them; false when an instruction does not decode or encode. */
static bool norm_expr(const struct wlab_module *m, uint32_t features, struct wlab_span *span,
		      struct wlab_buf *b)
{
	struct wlab_instr_iter it;
	struct wlab_error err = {0};
	struct wlab_instr in;
	size_t at = b->size;
	bool ok = true;
	wlab_instr_iter_init(&it, m->bytes, *span, features, &err);
	while (ok && !wlab_instr_iter_done(&it))
		ok = wlab_instr_next(&it, &in) == WLAB_OK && wlab_buf_instr(b, &in) == WLAB_OK;
	wlab_instr_iter_fini(&it);
	span->offset = (uint32_t)at;
	span->size = (uint32_t)(b->size - at);
	return ok && wlab_buf_ok(b);
}

/* Decodes bytes and encodes them again with every LEB128 in shortest form:
 * wlab_module_encode's sections and vectors, and the instructions of
 * bodies and constant expressions (which it copies) re-encoded one by one
 * with wlab_buf_instr into a buffer after the module's bytes, that the
 * spans are pointed at. NULL when it does not decode or encode. */
static uint8_t *normalize(const struct ctx *c, const uint8_t *p, size_t n, size_t *size)
{
	struct wlab_decode_options dopts = {0};
	dopts.features = c->features;
	struct wlab_module *m = NULL;
	struct wlab_error err = {0};
	uint8_t *out = NULL;
	*size = 0;
	if (wlab_module_decode(p, n, &dopts, &m, &err) != WLAB_OK) {
		wlab_module_free(m);
		return NULL;
	}
	struct wlab_buf b = {0};
	wlab_buf_bytes(&b, m->bytes, m->size);
	bool ok = true;
	const uint8_t *orig = m->bytes;
	size_t orig_size = m->size;
	uint32_t f = m->features;
	for (uint32_t i = 0; i < m->nglobals; i++)
		ok &= norm_expr(m, f, &m->globals[i].init.span, &b);
	for (uint32_t i = 0; i < m->ntables; i++)
		if (m->tables[i].has_init)
			ok &= norm_expr(m, f, &m->tables[i].init.span, &b);
	for (uint32_t i = 0; i < m->nelems; i++) {
		struct wlab_elem *e = &m->elems[i];
		if (e->mode == WLAB_SEGMENT_ACTIVE)
			ok &= norm_expr(m, f, &e->offset.span, &b);
		for (uint32_t j = 0; e->uses_exprs && j < e->count; j++)
			ok &= norm_expr(m, f, &e->exprs[j].span, &b);
	}
	for (uint32_t i = 0; i < m->ndatas; i++)
		if (m->datas[i].mode == WLAB_SEGMENT_ACTIVE)
			ok &= norm_expr(m, f, &m->datas[i].offset.span, &b);
	for (uint32_t i = 0; i < m->ncodes; i++)
		ok &= norm_expr(m, f, &m->codes[i].expr, &b);
	if (ok && wlab_buf_ok(&b)) {
		m->bytes = b.data;
		m->size = b.size;
		if (wlab_module_encode(m, &out, size, &err))
			out = NULL;
		m->bytes = orig;
		m->size = orig_size;
	}
	wlab_buf_free(&b);
	wlab_module_free(m);
	return out;
}

static size_t first_diff(const uint8_t *a, size_t na, const uint8_t *b, size_t nb)
{
	size_t i = 0;
	while (i < na && i < nb && a[i] == b[i])
		i++;
	return i;
}

/* Whether bin, decoded and printed with flags, gives text again (the
 * difference is one the text does not show: an encoding choice). */
static bool same_text(const struct ctx *c, const uint8_t *bin, size_t n, unsigned flags,
		      const char *text, size_t len)
{
	struct wlab_decode_options dopts = {0};
	dopts.features = c->features;
	struct wlab_wat_print_options popts = {flags};
	struct wlab_module *m = NULL;
	struct wlab_error err = {0};
	char *again = NULL;
	size_t alen = 0;
	bool same = wlab_module_decode(bin, n, &dopts, &m, &err) == WLAB_OK &&
		    wlab_wat_print(m, &popts, &again, &alen, &err) == WLAB_OK && alen == len &&
		    !memcmp(again, text, len);
	free(again);
	wlab_module_free(m);
	return same;
}

static void one_mode(const struct ctx *c, const struct wlab_module *m, const uint8_t *bytes,
		     size_t size, const char *mode, unsigned flags)
{
	struct wlab_wat_print_options popts = {flags};
	struct wlab_error err = {0};
	char *text = NULL;
	size_t len = 0;
	printf("%s:%u\t%s\t", c->file, c->line, mode);
	if (wlab_wat_print(m, &popts, &text, &len, &err)) {
		printf("print\t%s\n", err.message);
		save(c, mode, "wasm", bytes, size);
		return;
	}
	uint8_t *bin = NULL;
	size_t n = 0;
	if (wlab_wat_to_binary_features(text, len, c->features, &bin, &n, &err)) {
		printf("parse\t%s\n", err.message);
		save(c, mode, "wat", text, len);
		save(c, mode, "wasm", bytes, size);
		free(text);
		return;
	}
	if (n == size && !memcmp(bin, bytes, n)) {
		printf("identical\t-\n");
	} else {
		size_t na = 0, nb = 0;
		uint8_t *a = normalize(c, bytes, size, &na), *b = normalize(c, bin, n, &nb);
		bool minimal = a && na == size && !memcmp(a, bytes, size);
		if (!minimal && a && b && na == nb && !memcmp(a, b, na)) {
			printf("reencoded\t-\n");
		} else {
			if (!b)
				printf("differ\toutput does not decode (%zu bytes, original %zu)\n", n,
				       size);
			else
				printf("differ\t%s text; at %zu of %zu (original %zu)%s\n",
				       same_text(c, bin, n, flags, text, len) ? "same" : "other",
				       first_diff(a ? a : bytes, a ? na : size, b, nb), nb, size,
				       minimal ? "" : ", original not shortest");
			save(c, mode, "wat", text, len);
			save(c, mode, "wasm", bytes, size);
			char out[16];
			snprintf(out, sizeof out, "%s.out", mode);
			save(c, out, "wasm", bin, n);
		}
		free(a);
		free(b);
	}
	free(bin);
	free(text);
}

static void one_module(const struct ctx *c, const uint8_t *bytes, size_t size)
{
	struct wlab_decode_options dopts = {0};
	dopts.features = c->features;
	struct wlab_module *m = NULL;
	struct wlab_error err = {0};
	if (wlab_module_decode(bytes, size, &dopts, &m, &err)) {
		printf("%s:%u\t-\tskip-decode\t%s: %s\n", c->file, c->line, c->cmd, err.message);
		wlab_module_free(m);
		return;
	}
	struct wlab_validate_options vopts = {0};
	vopts.features = c->features;
	struct wlab_validate_error verr;
	memset(&verr, 0, sizeof verr);
	if (wlab_module_validate(m, &vopts, &verr)) {
		printf("%s:%u\t-\tskip-invalid\t%s: %s\n", c->file, c->line, c->cmd,
		       verr.error.message);
		wlab_module_free(m);
		return;
	}
	one_mode(c, m, bytes, size, "flat", WLAB_WAT_CUSTOM);
	one_mode(c, m, bytes, size, "fold", WLAB_WAT_FOLD | WLAB_WAT_CUSTOM);
	wlab_module_free(m);
}

int main(int argc, char **argv)
{
	struct ctx c = {wlab_features_default(), NULL, NULL, 0, NULL};
	int first = 0, rc = 0;
	for (int i = 1; i < argc; i++) {
		if (wlab_feature_option(argv[i], &c.features))
			continue;
		if (!strcmp(argv[i], "-d") && i + 1 < argc) {
			c.dir = argv[++i];
		} else if (argv[i][0] != '-') {
			first = i;
			break;
		} else {
			first = 0;
			break;
		}
	}
	if (!first) {
		fprintf(stderr, "usage: wlab-watrt [--features=SET|--enable-F|--disable-F]... "
			"[-d DIR] FILE.wast...\n");
		return 2;
	}
	for (int i = first; i < argc; i++) {
		uint8_t *text;
		size_t len;
		struct wlab_error err = {0};
		struct wlab_script *s;
		c.file = argv[i];
		if (wlab_read_file(c.file, &text, &len, &err) ||
		    wlab_script_read_features((const char *)text, len, c.features, &s, &err)) {
			fprintf(stderr, "%s:%s\n", c.file, err.message);
			rc = 1;
			continue;
		}
		for (size_t k = 0; k < s->ncmds; k++) {
			const struct wlab_script_module *sm = s->cmds[k].module;
			if (!sm)
				continue;
			c.line = s->cmds[k].line;
			c.cmd = wlab_cmd_name(s->cmds[k].kind);
			if (!sm->bytes)
				printf("%s:%u\t-\tskip-text\t%s: %s\n", c.file, c.line, c.cmd, sm->error.message);
			else
				one_module(&c, sm->bytes, sm->size);
		}
		wlab_script_free(s);
		free(text);
	}
	fflush(stdout);
	return rc;
}
