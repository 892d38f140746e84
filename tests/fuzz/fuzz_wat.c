/* fuzz_wat.c: the text-format parser (wlab/wat.h) on any text, with every
 * feature's text forms and with WebAssembly 2.0's; a binary it writes is
 * decoded and, when it decodes, validated. With every feature, the parser's
 * own validation (WLAB_WAT_VALIDATE) must agree with that, and the
 * LINE:COLUMN an invalid module's message starts with must be in the text. */
#include <string.h>

#include "fuzz.h"

/* Whether msg's leading "LINE:COLUMN: ", when it has one, is a place in
 * text[0..size): a line the text has, a column at most one past its end. */
static int place_in_text(const char *msg, const uint8_t *text, size_t size)
{
	unsigned long line, col;
	int n = 0;
	if (sscanf(msg, "%lu:%lu: %n", &line, &col, &n) != 2 || !n)
		return 1;
	if (!line || !col)
		return 0;
	size_t at = 0;
	for (unsigned long l = 1; l < line; at++) {
		if (at >= size)
			return 0;
		l += text[at] == '\n';
	}
	size_t end = at;
	while (end < size && text[end] != '\n')
		end++;
	return col - 1 <= end - at;
}

static void parse(const uint8_t *data, size_t size, uint32_t features, int check)
{
	uint8_t *bin = NULL;
	size_t n = 0;
	struct wlab_error err = {0};
	enum wlab_status st = wlab_wat_to_binary_features((const char *)data, size, features, &bin,
							  &n, &err);
	if (st != WLAB_OK) {
		if (bin || err.message[0] == '\0')
			fuzz_fail("text refused without a message, or with output", err.message);
		return;
	}
	struct wlab_decode_options o = {0, features, 64u << 20};
	struct wlab_module *m = NULL;
	int valid = 0;
	if (wlab_module_decode(bin, n, &o, &m, &err) == WLAB_OK) {
		struct wlab_validate_options vo = {features, 64u << 20};
		valid = wlab_module_validate(m, &vo, NULL) == WLAB_OK;
	}
	wlab_module_free(m);
	free(bin);
	if (!check)
		return;
	struct wlab_error verr = {0};
	st = wlab_wat_to_binary_flags((const char *)data, size, features, WLAB_WAT_VALIDATE, &bin,
				      &n, &verr);
	free(bin);
	if (st == WLAB_NOMEM)
		return;
	if (valid != (st == WLAB_OK))
		fuzz_fail("WLAB_WAT_VALIDATE disagrees with decoding and validating", verr.message);
	if (st == WLAB_INVALID && !place_in_text(verr.message, data, size))
		fuzz_fail("an invalid module's line:column is not in the text", verr.message);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	parse(data, size, fuzz_features_all(), 1);
	parse(data, size, WLAB_FEATURES_2_0, 0);
	return 0;
}
