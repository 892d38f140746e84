/* fuzz_link.c: the static linker on two modules. The input is
 * [size of A, 2 bytes little-endian] A B; each must decode and validate
 * (the linker's precondition). Each is named after the module the other
 * imports from first ("a" and "b" otherwise), so the imports of real
 * pairs resolve. When wlab_link() succeeds, its output module must
 * validate with the same features, encode (wlab_module_encode, as
 * wlab-link writes it; result->bytes holds only the spans the module points
 * into) and decode again. */
#include <string.h>

#include "fuzz.h"

static struct wlab_module *load(const uint8_t *data, size_t size, uint32_t features)
{
	struct wlab_decode_options o = {0, features, 64u << 20};
	struct wlab_validate_options vo = {features, 64u << 20};
	struct wlab_module *m = NULL;
	struct wlab_error err = {0};
	if (wlab_module_decode(data, size, &o, &m, &err) != WLAB_OK ||
	    wlab_module_validate(m, &vo, NULL) != WLAB_OK) {
		wlab_module_free(m);
		return NULL;
	}
	return m;
}

/* The module name of m's first import, or dflt. */
static void name_from(const struct wlab_module *m, char *out, size_t size, const char *dflt)
{
	if (m->nimports == 0 || m->imports[0].module.len == 0) {
		snprintf(out, size, "%s", dflt);
		return;
	}
	snprintf(out, size, "%.*s", (int)m->imports[0].module.len,
		 (const char *)m->imports[0].module.ptr);
}

static void check_output(const struct wlab_link_result *r, uint32_t features)
{
	struct wlab_validate_options vo = {features, 64u << 20};
	struct wlab_validate_error verr = {0};
	if (wlab_module_validate(r->module, &vo, &verr) != WLAB_OK)
		fuzz_fail("the linked module does not validate", verr.error.message);
	struct wlab_decode_options o = {0, features, 64u << 20};
	struct wlab_module *again = NULL;
	struct wlab_error err = {0};
	uint8_t *bin = NULL;
	size_t n = 0;
	if (wlab_module_encode(r->module, &bin, &n, &err) != WLAB_OK)
		fuzz_fail("the linked module does not encode", err.message);
	if (wlab_module_decode(bin, n, &o, &again, &err) != WLAB_OK)
		fuzz_fail("the linked module does not decode once encoded", err.message);
	wlab_module_free(again);
	free(bin);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	size_t na = (size_t)data[0] | (size_t)data[1] << 8;
	if (na > size - 2)
		na = size - 2;
	uint32_t features = wlab_features_default();  /* WebAssembly 3.0: GC types link too */
	struct wlab_module *a = load(data + 2, na, features);
	struct wlab_module *b = a ? load(data + 2 + na, size - 2 - na, features) : NULL;
	if (a && b) {
		char an[64], bn[64];
		name_from(b, an, sizeof an, "a");
		name_from(a, bn, sizeof bn, "b");
		if (!strcmp(an, bn))
			snprintf(bn, sizeof bn, "%s", strcmp(an, "b") ? "b" : "c");
		struct wlab_link_input in[2] = {{an, "a.wasm", a}, {bn, "b.wasm", b}};
		struct wlab_link_options o = {.flags = WLAB_LINK_RENAME_CONFLICTS, .features = features};
		struct wlab_link_result r;
		struct wlab_link_error err;
		memset(&r, 0, sizeof r);
		memset(&err, 0, sizeof err);
		if (wlab_link(in, 2, &o, &r, &err) == WLAB_OK)
			check_output(&r, features);
		wlab_link_result_free(&r);
	}
	wlab_module_free(a);
	wlab_module_free(b);
	return 0;
}
