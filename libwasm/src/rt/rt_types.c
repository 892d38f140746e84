/* rt_types.c: defined types across modules, as the spec's iso-recursive
 * equivalence asks. The store keeps one copy of every rec group it has
 * seen, canonical: a module's group that is structurally equal to one in
 * the store (references inside the group compared by their position in it,
 * references outside by the store id of the type they name) takes that
 * group's ids, so two modules that define the same group share its types,
 * and two that differ only in grouping, finality or declared supertypes do
 * not. Store types hold their references as store ids (s->types[i], with
 * rec_start/rec_size the group's ids and super the supertype's id).
 *
 * Subtyping of store types follows the declared supertypes: a <: b when b
 * is an ancestor of a. Each type keeps its depth and a jump pointer
 * (skew-binary ancestors), so the ancestor at a given depth is found in
 * O(log depth) steps whatever the chain's length: call_indirect's slow path
 * and import matching stay cheap for any module the validator accepts. */
#include <stdlib.h>
#include <string.h>

#include "rt_internal.h"

#define NONE UINT32_MAX

/* A rec group to place in the store: n types at group[0..n); a concrete
 * index idx in them names group[idx - lo] when lo <= idx < lo + n, else the
 * type whose store id is ext[idx] (ext NULL: idx is a store id). */
struct gview {
	const struct wlab_functype *group;
	uint32_t n, lo;
	const uint32_t *ext;
};

/* The reference's meaning: inside the group (*k set) or a store id. */
static bool inside(const struct gview *v, uint32_t idx, uint32_t *out)
{
	if (idx >= v->lo && idx - v->lo < v->n) {
		*out = idx - v->lo;
		return true;
	}
	*out = v->ext ? v->ext[idx] : idx;
	return false;
}

static uint64_t mix(uint64_t h, uint64_t x)
{
	h ^= x + 0x9e3779b97f4a7c15u + (h << 6) + (h >> 2);
	return h * 0xff51afd7ed558ccdu;
}

static uint64_t hash_val(const struct gview *v, uint64_t h, wlab_valtype_t t)
{
	if (!wlab_type_is_ref(t) || !wlab_heap_is_concrete(wlab_ref_heap(t)))
		return mix(h, t);
	uint32_t x;
	bool in = inside(v, wlab_heap_index(wlab_ref_heap(t)), &x);
	return mix(mix(h, (uint64_t)in << 33 | (uint64_t)wlab_ref_nullable(t) << 32 | x), 7);
}

static uint64_t hash_group(const struct gview *v)
{
	uint64_t h = mix(0, v->n);
	for (uint32_t k = 0; k < v->n; k++) {
		const struct wlab_functype *t = &v->group[k];
		h = mix(h, (uint64_t)t->form << 40 | (uint64_t)t->final << 32 | t->has_super);
		if (t->has_super)
			h = hash_val(v, h, wlab_ref_type(false, wlab_heap_concrete(t->super)));
		h = mix(h, (uint64_t)t->nparams << 32 | t->nresults);
		for (uint32_t i = 0; i < t->nparams; i++)
			h = hash_val(v, h, t->params[i]);
		for (uint32_t i = 0; i < t->nresults; i++)
			h = hash_val(v, h, t->results[i]);
		h = mix(h, t->nfields);
		for (uint32_t i = 0; i < t->nfields; i++)
			h = mix(hash_val(v, h, t->fields[i].type), t->fields[i].mut);
	}
	return h;
}

static bool same_val(const struct gview *a, wlab_valtype_t x, const struct gview *b,
		     wlab_valtype_t y)
{
	bool cx = wlab_type_is_ref(x) && wlab_heap_is_concrete(wlab_ref_heap(x));
	bool cy = wlab_type_is_ref(y) && wlab_heap_is_concrete(wlab_ref_heap(y));
	if (!cx || !cy)
		return x == y;
	if (wlab_ref_nullable(x) != wlab_ref_nullable(y))
		return false;
	uint32_t i, j;
	bool ix = inside(a, wlab_heap_index(wlab_ref_heap(x)), &i);
	bool iy = inside(b, wlab_heap_index(wlab_ref_heap(y)), &j);
	return ix == iy && i == j;
}

static bool same_vals(const struct gview *a, const wlab_valtype_t *x, const struct gview *b,
		      const wlab_valtype_t *y, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (!same_val(a, x[i], b, y[i]))
			return false;
	return true;
}

static bool same_group(const struct gview *a, const struct gview *b)
{
	if (a->n != b->n)
		return false;
	for (uint32_t k = 0; k < a->n; k++) {
		const struct wlab_functype *x = &a->group[k], *y = &b->group[k];
		if (x->form != y->form || x->final != y->final || x->has_super != y->has_super ||
		    x->nparams != y->nparams || x->nresults != y->nresults ||
		    x->nfields != y->nfields)
			return false;
		if (x->has_super && !same_val(a, wlab_ref_type(false, wlab_heap_concrete(x->super)),
					      b, wlab_ref_type(false, wlab_heap_concrete(y->super))))
			return false;
		if (!same_vals(a, x->params, b, y->params, x->nparams) ||
		    !same_vals(a, x->results, b, y->results, x->nresults))
			return false;
		for (uint32_t i = 0; i < x->nfields; i++)
			if (x->fields[i].mut != y->fields[i].mut ||
			    !same_val(a, x->fields[i].type, b, y->fields[i].type))
				return false;
	}
	return true;
}

static struct gview store_group(const struct wlab_store *s, uint32_t g)
{
	return (struct gview){&s->types[g], s->types[g].rec_size, g, NULL};
}

/* v's reference t as a store value type, the group placed at g. */
static wlab_valtype_t resolve(const struct gview *v, uint32_t g, wlab_valtype_t t)
{
	if (!wlab_type_is_ref(t) || !wlab_heap_is_concrete(wlab_ref_heap(t)))
		return t;
	uint32_t x;
	if (inside(v, wlab_heap_index(wlab_ref_heap(t)), &x))
		x += g;
	return wlab_ref_type(wlab_ref_nullable(t), wlab_heap_concrete(x));
}

static bool grow_types(struct wlab_store *s, uint32_t n)
{
	if (n > WLAB_HT_CONCRETE - 1 - s->ntypes)
		return false;  /* store ids must fit a concrete heap type */
	if (s->ntypes + n <= s->types_cap)
		return true;
	uint32_t cap = s->types_cap ? s->types_cap : 16;
	while (cap < s->ntypes + n)
		cap = cap > UINT32_MAX / 2 ? UINT32_MAX : cap * 2;
	struct wlab_functype *t = realloc(s->types, (size_t)cap * sizeof *t);
	if (!t)
		return false;
	s->types = t;
	uint32_t *info = realloc(s->type_info, (size_t)cap * 2 * sizeof *info);
	if (!info)
		return false;
	s->type_info = info;
	s->types_cap = cap;
	return true;
}

/* The hash table of groups (their first ids), open addressing. */
static bool ghash_put(struct wlab_store *s, uint64_t h, uint32_t g)
{
	if ((uint64_t)(s->ngroups + 1) * 2 > s->ghash_cap) {
		uint32_t cap = s->ghash_cap ? s->ghash_cap * 2 : 64;
		uint32_t *tab = malloc((size_t)cap * sizeof *tab);
		if (!tab)
			return false;
		memset(tab, 0xff, (size_t)cap * sizeof *tab);
		for (uint32_t i = 0; i < s->ghash_cap; i++) {
			uint32_t e = s->ghash[i];
			if (e == NONE)
				continue;
			struct gview v = store_group(s, e);
			uint32_t j = (uint32_t)hash_group(&v) & (cap - 1);
			while (tab[j] != NONE)
				j = (j + 1) & (cap - 1);
			tab[j] = e;
		}
		free(s->ghash);
		s->ghash = tab;
		s->ghash_cap = cap;
	}
	uint32_t j = (uint32_t)h & (s->ghash_cap - 1);
	while (s->ghash[j] != NONE)
		j = (j + 1) & (s->ghash_cap - 1);
	s->ghash[j] = g;
	s->ngroups++;
	return true;
}

#define DEPTH(s, i) ((s)->type_info[2 * (size_t)(i)])
#define JUMP(s, i) ((s)->type_info[2 * (size_t)(i) + 1])

/* The store id of v's first type: found, or v added. NONE: out of memory
 * (or of store ids). */
static uint32_t place_group(struct wlab_store *s, const struct gview *v)
{
	uint64_t h = hash_group(v);
	if (s->ghash_cap)
		for (uint32_t j = (uint32_t)h & (s->ghash_cap - 1); s->ghash[j] != NONE;
		     j = (j + 1) & (s->ghash_cap - 1)) {
			struct gview w = store_group(s, s->ghash[j]);
			if (same_group(v, &w))
				return s->ghash[j];
		}
	if (!grow_types(s, v->n))
		return NONE;
	uint32_t g = s->ntypes;
	for (uint32_t k = 0; k < v->n; k++) {
		const struct wlab_functype *t = &v->group[k];
		size_t nv = (size_t)t->nparams + t->nresults;
		wlab_valtype_t *buf = malloc((nv + 1) * sizeof *buf);
		struct wlab_fieldtype *fields =
			t->nfields ? malloc((size_t)t->nfields * sizeof *fields) : NULL;
		if (!buf || (t->nfields && !fields)) {
			free(buf);
			free(fields);
			return NONE;  /* the types placed so far stay, unreachable, freed with s */
		}
		for (uint32_t i = 0; i < t->nparams; i++)
			buf[i] = resolve(v, g, t->params[i]);
		for (uint32_t i = 0; i < t->nresults; i++)
			buf[t->nparams + i] = resolve(v, g, t->results[i]);
		for (uint32_t i = 0; i < t->nfields; i++)
			fields[i] = (struct wlab_fieldtype){resolve(v, g, t->fields[i].type),
							    t->fields[i].mut};
		uint32_t id = g + k, super = NONE;
		if (t->has_super)
			super = wlab_heap_index(wlab_ref_heap(
				resolve(v, g, wlab_ref_type(false, wlab_heap_concrete(t->super)))));
		s->types[id] = (struct wlab_functype){
			.nparams = t->nparams, .nresults = t->nresults, .params = buf,
			.results = buf + t->nparams, .nfields = t->nfields, .fields = fields,
			.form = t->form, .sub = t->sub, .final = t->final,
			.has_super = super != NONE, .super = super == NONE ? 0 : super,
			.nsupers = super != NONE, .rec_start = g, .rec_size = v->n, .rec = v->n > 1};
		s->ntypes++;
		/* The validator placed every supertype before its subtype. */
		if (super == NONE || super >= id) {
			DEPTH(s, id) = 0;
			JUMP(s, id) = id;
			s->types[id].has_super = false;
		} else {
			uint32_t p = super, jp = JUMP(s, p);
			DEPTH(s, id) = DEPTH(s, p) + 1;
			JUMP(s, id) = DEPTH(s, p) - DEPTH(s, jp) == DEPTH(s, jp) - DEPTH(s, JUMP(s, jp))
					      ? JUMP(s, jp)
					      : p;
		}
	}
	return ghash_put(s, h, g) ? g : NONE;
}

bool rt_type_sub(const struct wlab_store *s, uint32_t a, uint32_t b)
{
	if (a == b)
		return true;
	if (a >= s->ntypes || b >= s->ntypes || DEPTH(s, a) <= DEPTH(s, b))
		return false;
	uint32_t d = DEPTH(s, b);
	while (DEPTH(s, a) > d)
		a = DEPTH(s, JUMP(s, a)) >= d ? JUMP(s, a) : s->types[a].super;
	return a == b;
}

uint32_t rt_type_id(struct wlab_store *s, const wlab_valtype_t *params, uint32_t np,
		    const wlab_valtype_t *results, uint32_t nr)
{
	struct wlab_functype t = {.nparams = np, .nresults = nr, .params = (wlab_valtype_t *)params,
				  .results = (wlab_valtype_t *)results, .form = 0x60,
				  .final = true, .rec_size = 1};
	struct gview v = {&t, 1, UINT32_MAX, NULL};  /* lo past any id: every reference is a store id */
	return place_group(s, &v);
}

wlab_valtype_t rt_store_type(const struct wlab_instance *inst, wlab_valtype_t t)
{
	return wlab_store_valtype(inst->type_ids, t);
}

enum wlab_status wlab_store_module_type_ids(struct wlab_store *s, const struct wlab_module *m,
					    uint32_t *ids)
{
	for (uint32_t i = 0; i < m->ntypes;) {
		uint32_t n = m->types[i].rec_size ? m->types[i].rec_size : 1;
		if (m->types[i].rec_start != i || n > m->ntypes - i)
			n = 1;  /* not a group's first type: a module that skipped validation */
		struct gview v = {&m->types[i], n, i, ids};
		uint32_t g = place_group(s, &v);
		if (g == NONE)
			return WLAB_NOMEM;
		for (uint32_t k = 0; k < n; k++)
			ids[i + k] = g + k;
		i += n;
	}
	return WLAB_OK;
}

enum wlab_status rt_types_init(struct wlab_instance *inst)
{
	const struct wlab_module *m = inst->m;
	inst->type_ids = calloc(m->ntypes + 1, sizeof *inst->type_ids);
	if (!inst->type_ids)
		return WLAB_NOMEM;
	return wlab_store_module_type_ids(inst->store, m, inst->type_ids);
}

void rt_types_free(struct wlab_store *s)
{
	for (uint32_t i = 0; i < s->ntypes; i++) {
		free(s->types[i].params);
		free(s->types[i].fields);
	}
	free(s->types);
	free(s->type_info);
	free(s->ghash);
}

static bool store_concrete_sub(const struct wlab_subtyping *st, uint32_t a, uint32_t b)
{
	return rt_type_sub(st->left, a, b);
}

static wlab_heaptype_t store_concrete_kind(const struct wlab_subtyping *st, int side, uint32_t i)
{
	(void)side;
	const struct wlab_store *s = st->left;
	uint8_t form = i < s->ntypes ? s->types[i].form : 0x60;
	return form == 0x60 ? WLAB_HT_FUNC
	       : form == 0x5f ? WLAB_HT_STRUCT
	       : form == 0x5e ? WLAB_HT_ARRAY
			      : WLAB_HT_ANY;
}

bool rt_val_sub(const struct wlab_store *s, wlab_valtype_t a, wlab_valtype_t b)
{
	struct wlab_subtyping st = {store_concrete_sub, store_concrete_kind, s, s};
	return wlab_val_subtype(&st, a, b);
}
