/* validate_types.c: 3.0 subtyping within a module: the rules are
 * libwasm's one copy (wlab_val_subtype, types.c); the module's part is
 * comparing concrete types, by canonical index (validate_rec.c) and
 * declared supertypes. */

#include "validate_internal.h"

static uint32_t canon_of(const struct val_module *vm, uint32_t i)
{
	return vm->canon && i < vm->m->ntypes ? vm->canon[i] : i;
}

/* Concrete a <: concrete b within the module: the same type (canonically),
 * or b a declared supertype of a: the ancestor of a at b's depth is b. */
static bool concrete_sub(const struct wlab_subtyping *s, uint32_t a, uint32_t b)
{
	const struct val_module *vm = s->left;
	if (a == b)
		return true;
	if (a >= vm->m->ntypes || b >= vm->m->ntypes)
		return false;
	if (!vm->depth)  /* no chains: equal types only */
		return canon_of(vm, a) == canon_of(vm, b);
	if (vm->depth[a] < vm->depth[b])
		return false;
	return canon_of(vm, val_ancestor(vm, a, vm->depth[b])) == canon_of(vm, b);
}

/* A concrete type's abstract kind by its form (an index out of range: func). */
static wlab_heaptype_t concrete_kind(const struct wlab_subtyping *s, int side, uint32_t i)
{
	const struct val_module *vm = s->left;
	(void)side;  /* both sides are the module's */
	uint8_t form = i < vm->m->ntypes ? vm->m->types[i].form : WLAB_FORM_FUNC;
	return form == WLAB_FORM_FUNC ? WLAB_HT_FUNC : form == WLAB_FORM_STRUCT ? WLAB_HT_STRUCT
	     : form == WLAB_FORM_ARRAY ? WLAB_HT_ARRAY : WLAB_HT_ANY;
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
	/* the decoder lets funcref and externref through (a table's funcref is
	 * 1.0's); as a value type, or an externref table, they are 2.0's */
	if (wlab_type_is_ref(t) && !(vm->features & WLAB_FEATURE_REFERENCE_TYPES))
		return val_fail(vm, offset, "reference type without reference-types");
	if (!wlab_type_is_ref(t) || !wlab_heap_is_concrete(wlab_ref_heap(t)))
		return WLAB_OK;
	uint32_t i = wlab_heap_index(wlab_ref_heap(t));
	if (i >= vm->m->ntypes)
		return val_fail(vm, offset, "unknown type %u", i);
	return WLAB_OK;
}

const struct wlab_functype *val_functype_at(const struct val_module *vm, uint32_t typeidx)
{
	if (typeidx >= vm->m->ntypes || vm->m->types[typeidx].form != WLAB_FORM_FUNC)
		return NULL;
	return &vm->m->types[typeidx];
}

enum wlab_status val_need_functype(struct val_module *vm, uint32_t typeidx, size_t offset)
{
	if (typeidx >= vm->m->ntypes)
		return val_fail(vm, offset, "unknown type %u", typeidx);
	if (vm->m->types[typeidx].form != WLAB_FORM_FUNC)
		return val_fail(vm, offset, "non-function type %u", typeidx);
	return WLAB_OK;
}
