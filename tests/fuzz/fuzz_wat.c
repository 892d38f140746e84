/* fuzz_wat.c: the text-format parser (wlab/wat.h) on any text, with every
 * feature's text forms and with WebAssembly 2.0's; a binary it writes is
 * decoded and, when it decodes, validated. */
#include "fuzz.h"

static void parse(const uint8_t *data, size_t size, uint32_t features)
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
	if (wlab_module_decode(bin, n, &o, &m, &err) == WLAB_OK) {
		struct wlab_validate_options vo = {features, 64u << 20};
		wlab_module_validate(m, &vo, NULL);
	}
	wlab_module_free(m);
	free(bin);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	parse(data, size, fuzz_features_all());
	parse(data, size, WLAB_FEATURES_2_0);
	return 0;
}
