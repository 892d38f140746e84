/* wlab-watprint.c: wlab-wat's printing and assembling over many modules in
 * one process (a test tool for tests/wat/print_compat.py, which would
 * otherwise start wlab-wat three times per module).
 *
 *   wlab-watprint [--assemble] FILE.wasm... [--options FILE.wasm...]
 * For each FILE, in order: its text as `wlab-wat FILE` prints it (part
 * `flat`), as `wlab-wat --fold FILE` prints it (`fold`), and with
 * --assemble, the flat text assembled again as `wlab-wat TEXT -o OUT`
 * writes it (`asm`; only when the flat text was printed) and as
 * `wlab-wat --debug-names TEXT -o OUT` writes it (`names`). Each FILE after
 * --options also gets the printing options' parts: `inline`
 * (--inline-exports --inline-imports), `gen` (--generate-names) and
 * `genfold` (all three and --fold), and with --assemble each of these
 * texts assembled (`inline-asm`, `gen-asm`, `genfold-asm`). The same library
 * calls with the same options (default features; decode skipping bodies,
 * which the printer walks) as cmd/wlab-wat/main.c. Each part is one record
 * on stdout:
 *   FILE<TAB>PART<TAB>STATUS<TAB>LENGTH<LF>BYTES<LF>
 * STATUS 0: BYTES are the text or binary; else wlab-wat's exit status (1
 * the input is not a module, 3 out of memory or unreadable) and BYTES the
 * message (`0xOFFSET: MESSAGE`).
 * A file that cannot be read gives one record, part `read`.
 * Exit 0 (every record written), 2 usage, 3 stdout failed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wlab.h"
#include "wlab/wat.h"
#include "wlab/watprint.h"

static void record(const char *file, const char *part, int status, const void *p, size_t n)
{
	printf("%s\t%s\t%d\t%zu\n", file, part, status, n);
	fwrite(p, 1, n, stdout);
	putchar('\n');
}

static void error_record(const char *file, const char *part, const struct wlab_error *err)
{
	char msg[600];
	int n = snprintf(msg, sizeof msg, "0x%zx: %s", err->offset, err->message);
	record(file, part, err->status == WLAB_NOMEM ? 3 : 1, msg,
	       n < 0 ? 0 : (size_t)n < sizeof msg ? (size_t)n : sizeof msg - 1);
}

static bool append(void *ctx, const char *data, size_t len)
{
	wlab_buf_bytes(ctx, data, len);
	return wlab_buf_ok(ctx);
}

/* The module's text with flags, as wlab-wat prints it (bodies decoded
 * first, the text handed out in pieces); true when printed (*text then
 * owned by the caller). */
static bool print(const char *file, const char *part, const uint8_t *bytes, size_t size,
		  unsigned flags, char **text, size_t *len)
{
	struct wlab_decode_options dopts = {0};
	struct wlab_wat_print_options popts = {flags};
	struct wlab_module *m = NULL;
	struct wlab_error err = {0};
	struct wlab_buf out = {0};
	dopts.features = wlab_features_default();
	*text = NULL;
	if (wlab_module_decode(bytes, size, &dopts, &m, &err) ||
	    wlab_wat_print_to(m, &popts, append, &out, &err)) {
		error_record(file, part, &err);
		wlab_buf_free(&out);
		wlab_module_free(m);
		return false;
	}
	wlab_buf_u8(&out, 0);
	if (!wlab_buf_ok(&out)) {
		err = (struct wlab_error){WLAB_NOMEM, 0, "out of memory"};
		error_record(file, part, &err);
		wlab_buf_free(&out);
		wlab_module_free(m);
		return false;
	}
	*text = (char *)wlab_buf_take(&out, len);
	(*len)--;
	record(file, part, 0, *text, *len);
	wlab_module_free(m);
	return true;
}

/* The options' parts (see the top). */
static const struct {
	const char *part, *asm_part;
	unsigned flags;
} option_parts[] = {
	{"inline", "inline-asm", WLAB_WAT_INLINE_EXPORTS | WLAB_WAT_INLINE_IMPORTS},
	{"gen", "gen-asm", WLAB_WAT_GENERATE_NAMES},
	{"genfold", "genfold-asm", WLAB_WAT_GENERATE_NAMES | WLAB_WAT_FOLD |
				   WLAB_WAT_INLINE_EXPORTS | WLAB_WAT_INLINE_IMPORTS},
};

/* Text assembled as wlab-wat TEXT -o OUT writes it (validated), as part. */
static void assemble_record(const char *file, const char *part, const char *text, size_t len,
			    unsigned flags)
{
	struct wlab_error err = {0};
	uint8_t *bin = NULL;
	size_t n = 0;
	if (wlab_wat_to_binary_flags(text, len, wlab_features_default(), flags | WLAB_WAT_VALIDATE,
				     &bin, &n, &err))
		error_record(file, part, &err);
	else
		record(file, part, 0, bin, n);
	free(bin);
}

static void one(const char *file, bool assemble, bool options)
{
	struct wlab_error err = {0};
	uint8_t *bytes = NULL;
	size_t size = 0, len = 0, n = 0;
	char *flat, *fold;
	if (wlab_read_file(file, &bytes, &size, &err)) {
		record(file, "read", 3, err.message, strlen(err.message));
		return;
	}
	bool printed = print(file, "flat", bytes, size, 0, &flat, &len);
	if (print(file, "fold", bytes, size, WLAB_WAT_FOLD, &fold, &n))
		free(fold);
	if (printed && assemble) {
		assemble_record(file, "asm", flat, len, 0);
		assemble_record(file, "names", flat, len, WLAB_WAT_DEBUG_NAMES);
	}
	for (size_t k = 0; printed && options && k < sizeof option_parts / sizeof option_parts[0];
	     k++) {
		char *text;
		if (!print(file, option_parts[k].part, bytes, size, option_parts[k].flags, &text, &n))
			continue;
		if (assemble)
			assemble_record(file, option_parts[k].asm_part, text, n, 0);
		free(text);
	}
	free(flat);
	free(bytes);
}

int main(int argc, char **argv)
{
	bool assemble = false, options = false;
	int i = 1;
	if (i < argc && strcmp(argv[i], "--assemble") == 0) {
		assemble = true;
		i++;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: wlab-watprint [--assemble] FILE.wasm... "
				"[--options FILE.wasm...]\n");
		return 2;
	}
	for (; i < argc; i++) {
		if (strcmp(argv[i], "--options") == 0)
			options = true;
		else
			one(argv[i], assemble, options);
	}
	return fflush(stdout) == 0 && !ferror(stdout) ? 0 : 3;
}
