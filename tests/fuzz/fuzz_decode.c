/* fuzz_decode.c: the decoder on any bytes, strict and with bodies skipped,
 * with WebAssembly 2.0's features and with all of them; a module that
 * decodes has its bodies walked again by the instruction iterator. */
#include "fuzz.h"

static void walk(const struct wlab_module *m, uint32_t features)
{
	for (uint32_t i = 0; i < m->ncodes; i++) {
		struct wlab_instr_iter it;
		struct wlab_instr in;
		struct wlab_error err = {0};
		wlab_instr_iter_init(&it, m->bytes, m->codes[i].expr, features, &err);
		while (!wlab_instr_iter_done(&it) && wlab_instr_next(&it, &in) == WLAB_OK)
			(void)wlab_opinfo(in.op)->name;
		wlab_instr_iter_fini(&it);
	}
}

static void decode(const uint8_t *data, size_t size, unsigned flags, uint32_t features)
{
	struct wlab_decode_options o = {flags, features, 64u << 20};
	struct wlab_module *m = NULL;
	struct wlab_error err = {0};
	enum wlab_status st = wlab_module_decode(data, size, &o, &m, &err);
	if (st != WLAB_OK && err.message[0] == '\0')
		fuzz_fail("decode failed without a message", wlab_status_name(st));
	if (st == WLAB_OK && flags == 0)
		walk(m, features);
	wlab_module_free(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	decode(data, size, 0, WLAB_FEATURES_2_0);
	decode(data, size, 0, fuzz_features_all());
	decode(data, size, WLAB_DECODE_SKIP_BODIES | WLAB_DECODE_SKIP_CUSTOM, fuzz_features_all());
	return 0;
}
