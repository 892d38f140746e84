/* validate_types.c: 3.0 subtyping and type equivalence within a module:
 * the rules are libwasm's one copy (wlab_val_subtype, types.c); the module's
 * part is comparing concrete types, by canonical index and declared
 * supertypes. */
#include <stdlib.h>

#include "validate_internal.h"

static uint32_t canon_of(const struct val_module *vm, uint32_t i)
{
	return vm->canon && i < vm->m->ntypes ? vm->canon[i] : i;
}

/* Concrete a <: concrete b within the module: the same type (canonically),
 * or b a declared supertype of a. */
static bool concrete_sub(const struct wlab_subtyping *s, uint32_t a, uint32_t b)
{
	const struct val_module *vm = s->left;
	const struct wlab_module *m = vm->m;
	if (a == b)
		return true;
	b = canon_of(vm, b);
	for (uint32_t steps = 0; a < m->ntypes && steps <= m->ntypes; steps++) {
		if (canon_of(vm, a) == b)
			return true;
		if (!m->types[a].has_super)
			return false;
		a = m->types[a].super;
	}
	return false;
}

/* A concrete type's abstract kind by its form (an index out of range: func). */
static wlab_heaptype_t concrete_kind(const struct wlab_subtyping *s, int side, uint32_t i)
{
	const struct val_module *vm = s->left;
	(void)side;  /* both sides are the module's */
	uint8_t form = i < vm->m->ntypes ? vm->m->types[i].form : 0x60;
	return form == 0x60 ? WLAB_HT_FUNC : form == 0x5f ? WLAB_HT_STRUCT
	     : form == 0x5e ? WLAB_HT_ARRAY : WLAB_HT_ANY;
}

bool val_subtype(const struct val_module *vm, wlab_valtype_t a, wlab_valtype_t b)
{
	/* one module: equal words are equal types */
	if (a == b || a == VAL_UNKNOWN || b == VAL_UNKNOWN)
		return true;
	if (!wlab_type_is_ref(a) || !wlab_type_is_ref(b))
		return false;
	const struct wlab_subtyping s = {concrete_sub, concrete_kind, vm, vm};
	return wlab_val_subtype(&s, a, b);
}

wlab_valtype_t val_elem_type(const struct val_module *vm, const struct wlab_elem *e)
{
	if (!e->uses_exprs && e->elemtype == WLAB_FUNCREF &&
	    (vm->features & WLAB_FEATURE_FUNCTION_REFERENCES))
		return wlab_ref_type(false, WLAB_HT_FUNC);
	return e->elemtype;
}

enum wlab_status val_check_type(struct val_module *vm, wlab_valtype_t t, size_t offset)
{
	if (!wlab_type_is_ref(t) || !wlab_heap_is_concrete(wlab_ref_heap(t)))
		return WLAB_OK;
	uint32_t i = wlab_heap_index(wlab_ref_heap(t));
	if (i >= vm->m->ntypes)
		return val_fail(vm, offset, "unknown type %u", i);
	return WLAB_OK;
}

/* Two value types of types x and y (of singleton rec groups) are equal:
 * the same word, or references to equal types (a reference to the type
 * itself only matches one to the other type itself). */
static bool same_valtype(const struct val_module *vm, wlab_valtype_t a, uint32_t x,
			 wlab_valtype_t b, uint32_t y)
{
	if (!wlab_type_is_ref(a) || !wlab_type_is_ref(b) || a < 0x100 || b < 0x100)
		return a == b;
	if (wlab_ref_nullable(a) != wlab_ref_nullable(b))
		return false;
	wlab_heaptype_t ha = wlab_ref_heap(a), hb = wlab_ref_heap(b);
	if (!wlab_heap_is_concrete(ha) || !wlab_heap_is_concrete(hb))
		return ha == hb;
	uint32_t ia = wlab_heap_index(ha), ib = wlab_heap_index(hb);
	if (ia == x || ib == y)
		return ia == x && ib == y;
	return ia < x && ib < y && vm->canon[ia] == vm->canon[ib];
}

static bool same_list(const struct val_module *vm, const wlab_valtype_t *a, uint32_t x,
		      const wlab_valtype_t *b, uint32_t y, uint32_t n)
{
	for (uint32_t k = 0; k < n; k++)
		if (!same_valtype(vm, a[k], x, b[k], y))
			return false;
	return true;
}

static bool same_type(const struct val_module *vm, uint32_t x, uint32_t y)
{
	const struct wlab_functype *a = &vm->m->types[x], *b = &vm->m->types[y];
	if (a->form != b->form || a->nparams != b->nparams || a->nresults != b->nresults ||
	    a->final != b->final || a->has_super != b->has_super || a->rec_size != 1 ||
	    b->rec_size != 1)
		return false;
	if (a->has_super && (a->super >= x || b->super >= y ||
			     vm->canon[a->super] != vm->canon[b->super]))
		return false;
	return same_list(vm, a->params, x, b->params, y, a->nparams) &&
	       same_list(vm, a->results, x, b->results, y, a->nresults);
}

/* canon[i]: the first type equal to type i (iso-recursive equivalence for
 * singleton rec groups; a larger group's types stay their own). Hashing
 * keeps it near linear: equal types share a hash of their shape. */
enum wlab_status val_types_canon(struct val_module *vm)
{
	const struct wlab_module *m = vm->m;
	uint32_t n = m->ntypes;
	vm->canon = malloc((n ? n : 1) * sizeof *vm->canon);
	uint32_t nb = 1;
	while (nb < 2 * n)
		nb <<= 1;
	uint32_t *bucket = malloc(nb * sizeof *bucket);  /* type index + 1, 0 = empty */
	uint32_t *chain = malloc((n ? n : 1) * sizeof *chain);
	if (!vm->canon || !bucket || !chain) {
		free(bucket);
		free(chain);
		return wlab_error_set(&vm->err->error, WLAB_NOMEM, 0, "out of memory");
	}
	for (uint32_t i = 0; i < nb; i++)
		bucket[i] = 0;
	for (uint32_t i = 0; i < n; i++) {
		const struct wlab_functype *t = &m->types[i];
		uint32_t h = 2166136261u ^ t->form;
		h = (h ^ t->nparams) * 16777619u;
		h = (h ^ t->nresults) * 16777619u;
		for (uint32_t k = 0; k < t->nparams; k++)
			h = (h ^ (t->params[k] & 0xff)) * 16777619u;
		for (uint32_t k = 0; k < t->nresults; k++)
			h = (h ^ (t->results[k] & 0xff)) * 16777619u;
		uint32_t slot = h & (nb - 1);
		vm->canon[i] = i;
		for (uint32_t j = bucket[slot]; j; j = chain[j - 1])
			if (same_type(vm, i, j - 1)) {
				vm->canon[i] = vm->canon[j - 1];
				break;
			}
		chain[i] = bucket[slot];
		bucket[slot] = i + 1;
	}
	free(bucket);
	free(chain);
	return WLAB_OK;
}
