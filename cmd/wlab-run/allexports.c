/* allexports.c: wlab-run --run-all-exports: every function import becomes a
 * host function that prints its call and returns zeros; every exported
 * function without params is called; output follows wasm-interp's
 * --run-all-exports --dummy-import-func, for differential testing. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"
#include "wlab.h"
#include "wlab/runtime.h"

struct dummy {
	const struct wlab_import *im;
	const struct wlab_functype *type;
};

/* TYPE:VALUE in wasm-interp's spelling. */
static void put_value(wlab_valtype_t type, uint64_t v)
{
	float f;
	double d;
	uint32_t u = (uint32_t)v;
	switch (type) {
	case WLAB_I32: printf("i32:%" PRIu32, u); break;
	case WLAB_I64: printf("i64:%" PRIu64, v); break;
	case WLAB_F32: memcpy(&f, &u, 4); printf("f32:%f", (double)f); break;
	case WLAB_F64: memcpy(&d, &v, 8); printf("f64:%f", d); break;
	default: printf("%s:%s", wlab_valtype_name(type), v ? "ref" : "null"); break;
	}
}

static enum wlab_trap dummy_call(void *ctx, const uint64_t *args, uint64_t *results)
{
	const struct dummy *d = ctx;
	printf("called host %.*s.%.*s(", (int)d->im->module.len, (const char *)d->im->module.ptr,
	       (int)d->im->field.len, (const char *)d->im->field.ptr);
	for (uint32_t i = 0; i < d->type->nparams; i++) {
		if (i)
			printf(", ");
		put_value(d->type->params[i], args[i]);
	}
	printf(") =>");
	for (uint32_t i = 0; i < d->type->nresults; i++) {
		results[i] = 0;
		printf(i ? ", " : " ");
		put_value(d->type->results[i], 0);
	}
	printf("\n");
	return WLAB_TRAP_NONE;
}

static int define_dummies(struct wlab_store *s, const struct wlab_module *m,
			  struct dummy *dummies)
{
	for (uint32_t i = 0; i < m->nimports; i++) {
		const struct wlab_import *im = &m->imports[i];
		if (im->kind != WLAB_EXTERN_FUNC || im->u.func_type >= m->ntypes)
			continue;
		const struct wlab_functype *t = &m->types[im->u.func_type];
		char mod[256], field[256];
		snprintf(mod, sizeof mod, "%.*s", (int)im->module.len,
			 (const char *)im->module.ptr);
		snprintf(field, sizeof field, "%.*s", (int)im->field.len,
			 (const char *)im->field.ptr);
		dummies[i] = (struct dummy){im, t};
		struct wlab_extern x = {.kind = WLAB_EXTERN_FUNC};
		x.u.func = wlab_host_func_new(s, t->params, t->nparams, t->results, t->nresults,
					      dummy_call, &dummies[i]);
		if (!x.u.func || wlab_store_define(s, mod, field, x))
			return -1;
	}
	return 0;
}

int run_all_exports(const struct wlab_module *m, struct wlab_store *s)
{
	struct wlab_error err = {0};
	struct wlab_instance *inst;
	enum wlab_trap trap;
	struct dummy *dummies = calloc(m->nimports + 1, sizeof *dummies);
	int rc = 1;
	if (!dummies || define_dummies(s, m, dummies))
		goto done;
	if (wlab_instantiate(s, m, &inst, &err, &trap)) {
		fprintf(stderr, "0x%zx: error: %s\n", err.offset, err.message);
		goto done;
	}
	for (uint32_t i = 0; i < m->nexports; i++) {
		const struct wlab_export *e = &m->exports[i];
		struct wlab_extern x;
		const wlab_valtype_t *pt, *rt;
		uint32_t np, nr;
		uint64_t results[256];
		if (e->kind != WLAB_EXTERN_FUNC ||
		    !wlab_instance_export(inst, (const char *)e->name.ptr, e->name.len, &x))
			continue;
		wlab_func_type(x.u.func, &pt, &np, &rt, &nr);
		if (np || nr > 256)
			continue;
		enum wlab_status st = wlab_call(s, x.u.func, NULL, results, &trap);
		printf("%.*s() =>", (int)e->name.len, (const char *)e->name.ptr);
		if (st) {
			printf(" error: %s\n", wlab_trap_message(trap));
			continue;
		}
		for (uint32_t k = 0; k < nr; k++) {
			printf(k ? ", " : " ");
			put_value(rt[k], results[k]);
		}
		printf("\n");
	}
	rc = 0;
done:
	free(dummies);
	return rc;
}
