/* fuzz_validate.c: decode with every feature, then validate what decodes
 * with every feature and with the default set; an invalid verdict must come
 * with a message. */
#include "fuzz.h"

static void validate(const struct wlab_module *m, uint32_t features)
{
	struct wlab_validate_options o = {features, 64u << 20};
	struct wlab_validate_error err = {0};
	enum wlab_status st = wlab_module_validate(m, &o, &err);
	if (st != WLAB_OK && err.error.message[0] == '\0')
		fuzz_fail("invalid without a message", wlab_status_name(st));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wlab_decode_options o = {0, fuzz_features_all(), 64u << 20};
	struct wlab_module *m = NULL;
	struct wlab_error err = {0};
	if (wlab_module_decode(data, size, &o, &m, &err) == WLAB_OK) {
		validate(m, fuzz_features_all());
		validate(m, wlab_features_default());
	}
	wlab_module_free(m);
	return 0;
}
