/* rt_types.c: function types across modules. Each module type gets a
 * store-level type id (rt_type_id), computed from its params and results
 * in store form: a concrete heap type names the store id of the type it
 * refers to, so equal structures in different modules get equal ids (for
 * the singleton rec groups of typed function references; a type that
 * refers to itself uses RT_HT_SELF). Import matching compares store forms
 * with the subtyping of 3.0 (wlab_val_subtype; declared GC supertypes are
 * not followed). */
#include <stdlib.h>

#include "rt_internal.h"

#define RT_HT_SELF (WLAB_HT_CONCRETE - 1)
#define RT_HT_LATER (WLAB_HT_CONCRETE - 2)

/* t in store form, while the ids of types 0..self-1 are known. */
static wlab_valtype_t store_form(const struct wlab_instance *inst, wlab_valtype_t t,
				 uint32_t self)
{
	if (!wlab_type_is_ref(t) || !wlab_heap_is_concrete(wlab_ref_heap(t)))
		return t;
	uint32_t j = wlab_heap_index(wlab_ref_heap(t));
	uint32_t id = j < self ? inst->type_ids[j] : j == self ? RT_HT_SELF : RT_HT_LATER;
	return wlab_ref_type(wlab_ref_nullable(t), wlab_heap_concrete(id));
}

wlab_valtype_t rt_store_type(const struct wlab_instance *inst, wlab_valtype_t t)
{
	return store_form(inst, t, inst->m->ntypes);
}

enum wlab_status rt_types_init(struct wlab_instance *inst)
{
	const struct wlab_module *m = inst->m;
	inst->type_ids = calloc(m->ntypes + 1, sizeof *inst->type_ids);
	if (!inst->type_ids)
		return WLAB_NOMEM;
	for (uint32_t i = 0; i < m->ntypes; i++) {
		const struct wlab_functype *t = &m->types[i];
		uint32_t n = t->nparams + t->nresults;
		wlab_valtype_t *buf = malloc(((size_t)n + 1) * sizeof *buf);
		if (!buf)
			return WLAB_NOMEM;
		for (uint32_t k = 0; k < t->nparams; k++)
			buf[k] = store_form(inst, t->params[k], i);
		for (uint32_t k = 0; k < t->nresults; k++)
			buf[t->nparams + k] = store_form(inst, t->results[k], i);
		inst->type_ids[i] = rt_type_id(inst->store, buf, t->nparams, buf + t->nparams,
					       t->nresults);
		free(buf);
		if (inst->type_ids[i] == UINT32_MAX)
			return WLAB_NOMEM;
	}
	return WLAB_OK;
}

/* Store types: one id per structure, so equal ids are the same type (and
 * declared GC supertypes are not followed). */
static bool store_concrete_sub(const struct wlab_subtyping *s, uint32_t a, uint32_t b)
{
	(void)s;
	return a == b;
}

bool rt_val_sub(wlab_valtype_t a, wlab_valtype_t b)
{
	static const struct wlab_subtyping store = {store_concrete_sub, NULL, NULL, NULL};
	return wlab_val_subtype(&store, a, b);
}
