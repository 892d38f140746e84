/* util_inst.c: one module instance built from text (util_inst.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "util_inst.h"
#include "wlab/features.h"
#include "wlab/wat.h"

void tu_inst_open(struct tu_inst *x, const char *wat, const struct wlab_store_options *o)
{
	struct wlab_error err = {0};
	size_t size = 0;
	memset(x, 0, sizeof *x);
	if (wlab_wat_to_binary(wat, strlen(wat), &x->bin, &size, &err) != WLAB_OK)
		fail_msg("text: %s", err.message);
	struct wlab_decode_options d = {.features = wlab_features_default()};
	if (wlab_module_decode(x->bin, size, &d, &x->m, &err) != WLAB_OK)
		fail_msg("decode: %s", err.message);
	x->s = wlab_store_new(o);
	if (!x->s)
		fail_msg("wlab_store_new failed");
}

void tu_inst_start(struct tu_inst *x)
{
	struct wlab_error err = {0};
	enum wlab_trap trap = WLAB_TRAP_NONE;
	if (wlab_instantiate(x->s, x->m, &x->i, &err, &trap) != WLAB_OK)
		fail_msg("instantiate: %s", err.message);
}

void tu_inst_load(struct tu_inst *x, const char *wat)
{
	tu_inst_open(x, wat, NULL);
	tu_inst_start(x);
}

void tu_inst_close(struct tu_inst *x)
{
	wlab_store_free(x->s);
	wlab_module_free(x->m);
	free(x->bin);
	memset(x, 0, sizeof *x);
}

enum wlab_trap tu_inst_call(struct tu_inst *x, const char *name, const uint64_t *args,
			    uint64_t *res)
{
	struct wlab_extern f;
	enum wlab_trap trap = WLAB_TRAP_NONE;
	uint64_t none[1] = {0}, sink[16];
	if (!wlab_instance_export(x->i, name, strlen(name), &f) || f.kind != WLAB_EXTERN_FUNC)
		fail_msg("no exported function %s", name);
	wlab_call(x->s, f.u.func, args ? args : none, res ? res : sink, &trap);
	return trap;
}

enum wlab_trap tu_inst_call1(struct tu_inst *x, const char *name, uint64_t arg, uint64_t *out)
{
	uint64_t res[16] = {0};
	enum wlab_trap t = tu_inst_call(x, name, &arg, res);
	if (out)
		*out = res[0];
	return t;
}
