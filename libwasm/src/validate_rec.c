/* validate_rec.c: the type section's rules: iso-recursive equivalence of
 * rec groups (vm->canon: each type's first equal type) and the checks of
 * every type definition (indices, supertypes, subtype matching).
 *
 * Two rec groups are equal when they have the same size and their types
 * are equal pairwise, where a reference into its own group compares by
 * position in the group and a reference to an earlier group by that type's
 * canonical index. Groups are compared in order, so the canonical indices
 * of earlier groups are known; hashing their shapes keeps it near linear. */
#include <stdlib.h>

#include "validate_internal.h"

/* A concrete heap type of a type in the group [g, g + size): its position
 * in the group (tagged), an earlier group's canonical index, or itself
 * (out of range: the module is invalid, check_types says so). */
#define IN_GROUP 0x80000000u
static uint32_t rel_index(const struct val_module *vm, uint32_t j, uint32_t g, uint32_t size)
{
	if (j >= g && j - g < size)
		return IN_GROUP | (j - g);
	return j < g ? vm->canon[j] : j;
}

static bool same_valtype(const struct val_module *vm, wlab_valtype_t a, uint32_t ga,
			 wlab_valtype_t b, uint32_t gb, uint32_t size)
{
	if (!wlab_type_is_ref(a) || !wlab_type_is_ref(b) || a < 0x100 || b < 0x100)
		return a == b;
	if (wlab_ref_nullable(a) != wlab_ref_nullable(b))
		return false;
	wlab_heaptype_t ha = wlab_ref_heap(a), hb = wlab_ref_heap(b);
	if (!wlab_heap_is_concrete(ha) || !wlab_heap_is_concrete(hb))
		return ha == hb;
	uint32_t ia = wlab_heap_index(ha), ib = wlab_heap_index(hb);
	if (ia >= ga + size || ib >= gb + size)
		return false;  /* a forward reference: invalid, equal to nothing */
	return rel_index(vm, ia, ga, size) == rel_index(vm, ib, gb, size);
}

static bool same_list(const struct val_module *vm, const wlab_valtype_t *a, uint32_t ga,
		      const wlab_valtype_t *b, uint32_t gb, uint32_t size, uint32_t n)
{
	for (uint32_t k = 0; k < n; k++)
		if (!same_valtype(vm, a[k], ga, b[k], gb, size))
			return false;
	return true;
}

static bool same_type(const struct val_module *vm, uint32_t x, uint32_t y)
{
	const struct wlab_functype *a = &vm->m->types[x], *b = &vm->m->types[y];
	uint32_t ga = a->rec_start, gb = b->rec_start, size = a->rec_size;
	if (a->form != b->form || a->nparams != b->nparams || a->nresults != b->nresults ||
	    a->nfields != b->nfields || a->final != b->final || a->nsupers != b->nsupers ||
	    a->rec_size != b->rec_size)
		return false;
	if (a->has_super) {
		if (a->super >= ga + size || b->super >= gb + size ||
		    rel_index(vm, a->super, ga, size) != rel_index(vm, b->super, gb, size))
			return false;
	}
	for (uint32_t k = 0; k < a->nfields; k++)
		if (a->fields[k].mut != b->fields[k].mut ||
		    !same_valtype(vm, a->fields[k].type, ga, b->fields[k].type, gb, size))
			return false;
	return same_list(vm, a->params, ga, b->params, gb, size, a->nparams) &&
	       same_list(vm, a->results, ga, b->results, gb, size, a->nresults);
}

static uint32_t mix(uint32_t h, uint32_t v)
{
	return (h ^ v) * 16777619u;
}

static uint32_t mix_valtype(const struct val_module *vm, uint32_t h, wlab_valtype_t t,
			    uint32_t g, uint32_t size)
{
	h = mix(h, t & 0xff);
	if (t >= 0x100 && wlab_type_is_ref(t) && wlab_heap_is_concrete(wlab_ref_heap(t)))
		h = mix(h, rel_index(vm, wlab_heap_index(wlab_ref_heap(t)), g, size));
	else
		h = mix(h, t >> 8);
	return h;
}

/* The hash of the group [g, g + size): equal groups hash alike. */
static uint32_t group_hash(const struct val_module *vm, uint32_t g, uint32_t size)
{
	uint32_t h = mix(2166136261u, size);
	for (uint32_t i = g; i < g + size; i++) {
		const struct wlab_functype *t = &vm->m->types[i];
		h = mix(mix(mix(h, t->form), t->final), t->nsupers);
		h = mix(mix(mix(h, t->nparams), t->nresults), t->nfields);
		if (t->has_super)
			h = mix(h, rel_index(vm, t->super, g, size));
		for (uint32_t k = 0; k < t->nparams; k++)
			h = mix_valtype(vm, h, t->params[k], g, size);
		for (uint32_t k = 0; k < t->nresults; k++)
			h = mix_valtype(vm, h, t->results[k], g, size);
		for (uint32_t k = 0; k < t->nfields; k++)
			h = mix_valtype(vm, mix(h, t->fields[k].mut), t->fields[k].type, g, size);
	}
	return h;
}

static bool same_group(const struct val_module *vm, uint32_t ga, uint32_t gb)
{
	uint32_t size = vm->m->types[ga].rec_size;
	if (vm->m->types[gb].rec_size != size)
		return false;
	for (uint32_t k = 0; k < size; k++)
		if (!same_type(vm, ga + k, gb + k))
			return false;
	return true;
}

/* The declared supertype of i when it is one that can count: declared
 * before i (a forward one makes the module invalid; check_super says so). */
static bool has_parent(const struct wlab_module *m, uint32_t i)
{
	return m->types[i].has_super && m->types[i].super < i;
}

/* depth[i]: how many supertypes are above i; jump[i]: an ancestor chosen
 * so that walking up to any depth takes O(log depth) steps (the jump
 * pointers of Myers' skew-binary lists): a chain of n subtypes would
 * otherwise cost n steps per subtype query, n^2 for a module of them. */
static enum wlab_status chains(struct val_module *vm)
{
	const struct wlab_module *m = vm->m;
	uint32_t n = m->ntypes;
	vm->depth = malloc((n ? n : 1) * sizeof *vm->depth);
	vm->jump = malloc((n ? n : 1) * sizeof *vm->jump);
	if (!vm->depth || !vm->jump)
		return wlab_error_set(&vm->err->error, WLAB_NOMEM, 0, "out of memory");
	for (uint32_t i = 0; i < n; i++) {
		if (!has_parent(m, i)) {
			vm->depth[i] = 0;
			vm->jump[i] = i;
			continue;
		}
		uint32_t p = m->types[i].super, j = vm->jump[p];
		vm->depth[i] = vm->depth[p] + 1;
		vm->jump[i] = vm->depth[p] - vm->depth[j] == vm->depth[j] - vm->depth[vm->jump[j]]
				      ? vm->jump[j] : p;
	}
	return WLAB_OK;
}

uint32_t val_ancestor(const struct val_module *vm, uint32_t a, uint32_t d)
{
	while (vm->depth[a] > d)
		a = vm->depth[vm->jump[a]] >= d ? vm->jump[a] : vm->m->types[a].super;
	return a;
}

enum wlab_status val_types_canon(struct val_module *vm)
{
	const struct wlab_module *m = vm->m;
	uint32_t n = m->ntypes;
	vm->canon = malloc((n ? n : 1) * sizeof *vm->canon);
	uint32_t nb = 1;
	while (nb < 2 * n)
		nb <<= 1;
	uint32_t *bucket = malloc(nb * sizeof *bucket);  /* group start + 1, 0 = empty */
	uint32_t *chain = malloc((n ? n : 1) * sizeof *chain);  /* by group start */
	if (!vm->canon || !bucket || !chain) {
		free(bucket);
		free(chain);
		return wlab_error_set(&vm->err->error, WLAB_NOMEM, 0, "out of memory");
	}
	for (uint32_t i = 0; i < nb; i++)
		bucket[i] = 0;
	for (uint32_t i = 0; i < n; i++)
		vm->canon[i] = i;
	for (uint32_t g = 0; g < n;) {
		uint32_t size = m->types[g].rec_size;
		if (!size || m->types[g].rec_start != g || size > n - g)
			size = 1;  /* a structure built by hand without groups */
		uint32_t slot = group_hash(vm, g, size) & (nb - 1);
		for (uint32_t j = bucket[slot]; j; j = chain[j - 1])
			if (same_group(vm, j - 1, g)) {
				for (uint32_t k = 0; k < size; k++)
					vm->canon[g + k] = vm->canon[j - 1 + k];
				break;
			}
		chain[g] = bucket[slot];
		bucket[slot] = g + 1;
		g += size;
	}
	free(bucket);
	free(chain);
	return chains(vm);
}

/* Storage type a field of a subtype, matched against its supertype's:
 * mutable fields are invariant, immutable ones covariant. */
static bool field_sub(const struct val_module *vm, const struct wlab_fieldtype *a,
		      const struct wlab_fieldtype *b)
{
	if (a->mut != b->mut || !val_subtype(vm, a->type, b->type))
		return false;
	return !a->mut || val_subtype(vm, b->type, a->type);
}

/* The composite type of a matches that of its supertype b. */
static bool comp_sub(const struct val_module *vm, const struct wlab_functype *a,
		     const struct wlab_functype *b)
{
	if (a->form != b->form)
		return false;
	if (a->form == WLAB_FORM_FUNC) {
		if (a->nparams != b->nparams || a->nresults != b->nresults)
			return false;
		for (uint32_t k = 0; k < a->nparams; k++)
			if (!val_subtype(vm, b->params[k], a->params[k]))
				return false;
		for (uint32_t k = 0; k < a->nresults; k++)
			if (!val_subtype(vm, a->results[k], b->results[k]))
				return false;
		return true;
	}
	if (a->nfields < b->nfields || (a->form == WLAB_FORM_ARRAY && a->nfields != b->nfields))
		return false;
	for (uint32_t k = 0; k < b->nfields; k++)
		if (!field_sub(vm, &a->fields[k], &b->fields[k]))
			return false;
	return true;
}

/* A value type of type i: a concrete type must be of an earlier group or
 * of i's own. */
static enum wlab_status check_ref(struct val_module *vm, wlab_valtype_t v, uint32_t bound,
				  size_t at)
{
	if (val_check_type(vm, v, at))
		return WLAB_INVALID;
	if (wlab_type_is_ref(v) && wlab_heap_is_concrete(wlab_ref_heap(v)) &&
	    wlab_heap_index(wlab_ref_heap(v)) >= bound)
		return val_fail(vm, at, "unknown type %u", wlab_heap_index(wlab_ref_heap(v)));
	return WLAB_OK;
}

static enum wlab_status check_super(struct val_module *vm, uint32_t i)
{
	const struct wlab_functype *t = &vm->m->types[i];
	size_t at = t->span.offset;
	if (t->nsupers > 1)
		return val_fail(vm, at, "multiple supertypes");
	if (!t->has_super)
		return WLAB_OK;
	if (t->super >= vm->m->ntypes)
		return val_fail(vm, at, "unknown type %u", t->super);
	if (t->super >= i)
		return val_fail(vm, at, "forward use of type %u in sub type definition", t->super);
	const struct wlab_functype *s = &vm->m->types[t->super];
	if (s->final)
		return val_fail(vm, at, "sub type %u has final super type %u", i, t->super);
	if (!comp_sub(vm, t, s))
		return val_fail(vm, at, "sub type %u does not match super type %u", i, t->super);
	return WLAB_OK;
}

enum wlab_status val_check_types(struct val_module *vm)
{
	const struct wlab_module *m = vm->m;
	for (uint32_t i = 0; i < m->ntypes; i++) {
		const struct wlab_functype *t = &m->types[i];
		size_t at = t->span.offset;
		if (t->nresults > 1 && !(vm->features & WLAB_FEATURE_MULTI_VALUE))
			return val_fail(vm, at, "invalid result arity");
		/* a type names the types of earlier rec groups and its own */
		uint32_t bound = t->rec_size ? t->rec_start + t->rec_size : i + 1;
		for (uint32_t k = 0; k < t->nparams; k++)
			if (check_ref(vm, t->params[k], bound, at))
				return WLAB_INVALID;
		for (uint32_t k = 0; k < t->nresults; k++)
			if (check_ref(vm, t->results[k], bound, at))
				return WLAB_INVALID;
		for (uint32_t k = 0; k < t->nfields; k++)
			if (check_ref(vm, t->fields[k].type, bound, at))
				return WLAB_INVALID;
		if (check_super(vm, i))
			return WLAB_INVALID;
	}
	return WLAB_OK;
}
