/* fuzz_run.c: instantiate and run any module that validates, within fuel
 * and a host-memory cap: every import is given (functions return zeros,
 * or trap when a result cannot be zero; globals, memories, tables and tags
 * of the import's type), then every exported function is called with zero
 * arguments, each call with fresh fuel. Traps are the guest's business;
 * what must not happen is a crash, a sanitizer report or a hang. */
#include "fuzz.h"

#define FUEL 20000
#define MAX_MEMORY (16u << 20)

static enum wlab_trap zeros(void *ctx, const uint64_t *args, uint64_t *results)
{
	(void)args;
	size_t nwords = (size_t)(uintptr_t)ctx;
	if (nwords == SIZE_MAX)
		return WLAB_TRAP_HOST;
	for (size_t i = 0; i < nwords; i++)
		results[i] = 0;
	return WLAB_TRAP_NONE;
}

static struct rt_func *host_func(struct wlab_store *s, const struct wlab_functype *t)
{
	size_t nwords = 0;
	for (uint32_t i = 0; i < t->nresults; i++) {
		wlab_valtype_t r = t->results[i];
		nwords += r == WLAB_V128 ? 2 : 1;
		if (wlab_type_is_ref(r) && !wlab_ref_nullable(r))
			nwords = SIZE_MAX;       /* no zero of this type: trap */
		if (nwords == SIZE_MAX)
			break;
	}
	return wlab_host_func_new(s, t->params, t->nparams, t->results, t->nresults, zeros,
				  (void *)(uintptr_t)nwords);
}

static struct wlab_extern make_import(struct wlab_store *s, const struct wlab_module *m,
				      const struct wlab_import *imp)
{
	struct wlab_extern e = {.kind = imp->kind};
	switch (imp->kind) {
	case WLAB_EXTERN_FUNC:
		e.u.func = host_func(s, &m->types[imp->u.func_type]);
		break;
	case WLAB_EXTERN_TABLE:
		e.u.table = wlab_table_new_limits(s, imp->u.table.elemtype, &imp->u.table.limits);
		break;
	case WLAB_EXTERN_MEMORY:
		if (imp->u.memory.shared)
			e.u.memory = wlab_shared_memory_new(s, (uint32_t)imp->u.memory.min,
							    (uint32_t)imp->u.memory.max);
		else
			e.u.memory = wlab_memory_new_limits(s, &imp->u.memory);
		break;
	case WLAB_EXTERN_GLOBAL:
		e.u.global = wlab_global_new(s, imp->u.global.valtype, imp->u.global.mut, 0);
		break;
	case WLAB_EXTERN_TAG: {
		const struct wlab_functype *t = &m->types[imp->u.tag.type_index];
		e.u.tag = wlab_tag_new(s, t->params, t->nparams);
		break;
	}
	}
	return e;
}

/* Defines every import the store can make; false when one cannot be made
 * (a memory or table past the cap): the module is then not run. */
static bool define_imports(struct wlab_store *s, const struct wlab_module *m)
{
	char mod[256], field[256];
	for (uint32_t i = 0; i < m->nimports; i++) {
		const struct wlab_import *imp = &m->imports[i];
		struct wlab_extern e = make_import(s, m, imp);
		if (!e.u.func)
			return false;
		snprintf(mod, sizeof mod, "%.*s", (int)imp->module.len, imp->module.ptr);
		snprintf(field, sizeof field, "%.*s", (int)imp->field.len, imp->field.ptr);
		if (wlab_store_define(s, mod, field, e) != WLAB_OK)
			return false;
	}
	return true;
}

static void call_exports(struct wlab_store *s, const struct wlab_instance *inst,
			 const struct wlab_module *m)
{
	static uint64_t args[2048], results[2048];
	for (uint32_t i = 0; i < m->nexports; i++) {
		struct wlab_extern e;
		const struct wlab_export *ex = &m->exports[i];
		if (ex->kind != WLAB_EXTERN_FUNC ||
		    !wlab_instance_export(inst, (const char *)ex->name.ptr, ex->name.len, &e))
			continue;
		const wlab_valtype_t *p, *r;
		uint32_t np, nr;
		wlab_func_type(e.u.func, &p, &np, &r, &nr);
		if (np > 1000 || nr > 1000)
			continue;
		enum wlab_trap trap = WLAB_TRAP_NONE;
		wlab_store_set_fuel(s, FUEL);
		wlab_call(s, e.u.func, args, results, &trap);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t features = wlab_features_default();
	struct wlab_decode_options o = {0, features, 64u << 20};
	struct wlab_module *m = NULL;
	struct wlab_error err = {0};
	if (wlab_module_decode(data, size, &o, &m, &err) != WLAB_OK ||
	    wlab_module_validate(m, &(struct wlab_validate_options){features, 64u << 20}, NULL)) {
		wlab_module_free(m);
		return 0;
	}
	struct wlab_store_options so = {.max_memory = MAX_MEMORY, .max_table = 100000,
					.max_call_depth = 2000, .stack_slots = 1u << 16,
					.fuel = FUEL, .features = features};
	struct wlab_store *s = wlab_store_new(&so);
	struct wlab_instance *inst = NULL;
	enum wlab_trap trap = WLAB_TRAP_NONE;
	if (s && define_imports(s, m) && wlab_instantiate(s, m, &inst, &err, &trap) == WLAB_OK)
		call_exports(s, inst, m);
	wlab_store_free(s);
	wlab_module_free(m);
	return 0;
}
