/* fuzz_watprint.c: the text printer (wlab/watprint.h) on any module that
 * decodes with every feature (and declares at most 2^20 locals), with
 * three sets of options: none (wasm2wat's
 * text); folded, with generated names and imports and exports inlined; the
 * offsets, the custom sections and no names. A failure must come with a
 * message. When the module also validates, each text must read back: it
 * assembles (wlab/wat.h, every feature) to a module that decodes and
 * validates again. */
#include <stdlib.h>

#include "fuzz.h"

static const unsigned option_sets[] = {
	0,
	WLAB_WAT_FOLD | WLAB_WAT_GENERATE_NAMES | WLAB_WAT_INLINE_EXPORTS | WLAB_WAT_INLINE_IMPORTS,
	WLAB_WAT_OFFSETS | WLAB_WAT_CUSTOM | WLAB_WAT_NO_NAMES,
};

/* text (len bytes), printed from a valid module: assembled, decoded and
 * validated, each must succeed. */
static void read_back(const char *text, size_t len, unsigned flags)
{
	char why[WLAB_MESSAGE_MAX + 64];
	uint8_t *bin = NULL;
	size_t n = 0;
	struct wlab_error err = {0};
	uint32_t all = fuzz_features_all();
	if (wlab_wat_to_binary_features(text, len, all, &bin, &n, &err) != WLAB_OK) {
		snprintf(why, sizeof why, "options 0x%x: %s", flags, err.message);
		fuzz_fail("a valid module's text does not assemble", why);
	}
	struct wlab_decode_options o = {0, all, 64u << 20};
	struct wlab_module *m = NULL;
	if (wlab_module_decode(bin, n, &o, &m, &err) != WLAB_OK) {
		snprintf(why, sizeof why, "options 0x%x: 0x%zx: %s", flags, err.offset, err.message);
		fuzz_fail("a valid module's text assembles to a malformed one", why);
	}
	struct wlab_validate_options vo = {all, 64u << 20};
	struct wlab_validate_error verr = {0};
	if (wlab_module_validate(m, &vo, &verr) != WLAB_OK) {
		snprintf(why, sizeof why, "options 0x%x: 0x%zx: %s", flags, verr.error.offset,
			 verr.error.message);
		fuzz_fail("a valid module's text assembles to an invalid one", why);
	}
	wlab_module_free(m);
	free(bin);
}

/* Whether m's functions declare over 2^20 locals (a few bytes declare
 * 2^32 - 1): the text, 4 bytes a local at least, is then printed only by
 * the streaming call, not into a buffer under the fuzzer's memory limit. */
static int many_locals(const struct wlab_module *m)
{
	uint64_t n = 0;
	for (uint32_t i = 0; i < m->ncodes; i++)
		n += m->codes[i].nlocals;
	return n > (1u << 20);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wlab_decode_options o = {0, fuzz_features_all(), 64u << 20};
	struct wlab_module *m = NULL;
	struct wlab_error err = {0};
	if (wlab_module_decode(data, size, &o, &m, &err) != WLAB_OK || many_locals(m)) {
		wlab_module_free(m);
		return 0;
	}
	struct wlab_validate_options vo = {fuzz_features_all(), 64u << 20};
	struct wlab_validate_error verr = {0};
	int valid = wlab_module_validate(m, &vo, &verr) == WLAB_OK;
	for (size_t i = 0; i < sizeof option_sets / sizeof option_sets[0]; i++) {
		struct wlab_wat_print_options po = {option_sets[i]};
		char *text = NULL;
		size_t len = 0;
		enum wlab_status st = wlab_wat_print(m, &po, &text, &len, &err);
		if (st != WLAB_OK) {
			if (text || err.message[0] == '\0')
				fuzz_fail("a print failed without a message, or left text",
					  wlab_status_name(st));
			continue;
		}
		if (valid)
			read_back(text, len, option_sets[i]);
		free(text);
	}
	wlab_module_free(m);
	return 0;
}
