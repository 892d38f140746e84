/* fuzz_wast.c: the .wast script reader (wlab/script.h) on any text; every
 * module a script holds is decoded too. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wlab_script *s = NULL;
	struct wlab_error err = {0};
	enum wlab_status st = wlab_script_read_features((const char *)data, size,
							fuzz_features_all(), &s, &err);
	if (st != WLAB_OK) {
		if (err.message[0] == '\0')
			fuzz_fail("script refused without a message", wlab_status_name(st));
		wlab_script_free(s);
		return 0;
	}
	for (size_t i = 0; i < s->ncmds; i++) {
		const struct wlab_script_cmd *c = &s->cmds[i];
		(void)wlab_cmd_name((enum wlab_cmd_kind)c->kind);
		if (!c->module || !c->module->bytes)
			continue;
		struct wlab_decode_options o = {0, fuzz_features_all(), 64u << 20};
		struct wlab_module *m = NULL;
		wlab_module_decode(c->module->bytes, c->module->size, &o, &m, &err);
		wlab_module_free(m);
	}
	wlab_script_free(s);
	return 0;
}
