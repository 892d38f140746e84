/* link_layout.c: the output's index spaces. Kept imports come first (merged
 * when two inputs import the same thing with the same type), then each
 * input's definitions in input order, then stubs, then the start wrapper.
 * Fills the maps from every input index to its output index. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "link_internal.h"
#include "wlab/features.h"

static uint32_t *alloc_u32(size_t n)
{
	uint32_t *p = malloc((n ? n : 1) * sizeof *p);
	if (p)
		memset(p, 0xff, (n ? n : 1) * sizeof *p);  /* LINK_NONE */
	return p;
}

static enum wlab_status nomem(struct link_ctx *c)
{
	return link_fail(c, WLAB_NOMEM, LINK_NONE, 0, "out of memory", "out of memory");
}

/* Value type v of the canonical list in output indices. */
static wlab_valtype_t out_vt(const struct link_ctx *c, wlab_valtype_t v)
{
	if (!wlab_type_is_ref(v) || !wlab_heap_is_concrete(wlab_ref_heap(v)))
		return v;
	uint32_t x = wlab_heap_index(wlab_ref_heap(v));
	if (x >= c->type_base[c->n])
		return v;  /* an invalid input's index: left as it was */
	return wlab_ref_type(wlab_ref_nullable(v), wlab_heap_concrete(c->type_map[x]));
}

/* A copy of canonical type x (in the arena) in output indices. */
static struct wlab_functype *out_copy(struct link_ctx *c, uint32_t x)
{
	const struct wlab_functype *s = link_canon_type(c, x);
	struct wlab_functype *d = wlab_arena_alloc(c->arena, sizeof *d);
	wlab_valtype_t *v = wlab_arena_array(c->arena, s->nparams + s->nresults + 1, sizeof *v);
	struct wlab_fieldtype *f = wlab_arena_array(c->arena, s->nfields + 1, sizeof *f);
	if (!d || !v || !f)
		return NULL;
	*d = *s;
	d->span.offset = d->span.size = 0;
	for (uint32_t k = 0; k < s->nparams; k++)
		v[k] = out_vt(c, s->params[k]);
	for (uint32_t k = 0; k < s->nresults; k++)
		v[s->nparams + k] = out_vt(c, s->results[k]);
	for (uint32_t k = 0; k < s->nfields; k++) {
		f[k] = s->fields[k];
		f[k].type = out_vt(c, s->fields[k].type);
	}
	d->params = v;
	d->results = v + s->nparams;
	d->fields = f;
	if (s->has_super && s->super < c->type_base[c->n])
		d->super = c->type_map[s->super];
	d->rec_start = c->type_map[s->rec_start];
	return d;
}

/* The output's types: every rec group of the canonical list that is the
 * first of its kind, in input order, whole; type_map sends every input
 * type to its group's first copy. Then the start wrapper's (func): the
 * first plain one, or a new one after the others. */
static enum wlab_status layout_types(struct link_ctx *c, bool start_wrapper)
{
	uint32_t total = c->type_base[c->n];
	c->type_map = alloc_u32(total);
	c->types = malloc((total + 1) * sizeof *c->types);
	if (!c->arena)
		c->arena = wlab_arena_new(0);
	if (!c->type_map || !c->types || !c->arena)
		return nomem(c);
	for (uint32_t x = 0; x < total; x++) {
		uint32_t y = link_canon_of(c, x);
		c->type_map[x] = y == x ? c->ntypes++ : c->type_map[y];
	}
	uint32_t o = 0;
	for (uint32_t x = 0; x < total; x++) {
		if (link_canon_of(c, x) != x)
			continue;
		if (!(c->types[o++] = out_copy(c, x)))
			return nomem(c);
	}
	c->start_type = LINK_NONE;
	if (!start_wrapper)
		return WLAB_OK;
	for (uint32_t t = 0; t < c->ntypes && c->start_type == LINK_NONE; t++) {
		const struct wlab_functype *ft = c->types[t];
		if (ft->form == WLAB_FORM_FUNC && !ft->nparams && !ft->nresults && ft->final &&
		    !ft->has_super && ft->rec_size == 1)
			c->start_type = t;
	}
	if (c->start_type == LINK_NONE) {
		struct wlab_functype *d = wlab_arena_alloc(c->arena, sizeof *d);
		if (!d)
			return nomem(c);
		memset(d, 0, sizeof *d);
		d->form = WLAB_FORM_FUNC;
		d->final = true;
		d->rec_start = c->ntypes;
		d->rec_size = 1;
		c->start_type = c->ntypes;
		c->types[c->ntypes++] = d;
	}
	return WLAB_OK;
}

static bool same_import(const struct link_ctx *c, const struct wlab_import *a, uint32_t ai,
			const struct wlab_import *b, uint32_t bi)
{
	if (a->kind != b->kind || !link_strs_eq(a->module, b->module) ||
	    !link_strs_eq(a->field, b->field))
		return false;
	switch (a->kind) {
	case WLAB_EXTERN_FUNC:
		return c->type_map[c->type_base[ai] + a->u.func_type] ==
		       c->type_map[c->type_base[bi] + b->u.func_type];
	case WLAB_EXTERN_TABLE:
		return link_map_vt(c, ai, a->u.table.elemtype) ==
		       link_map_vt(c, bi, b->u.table.elemtype) &&
		       a->u.table.limits.min == b->u.table.limits.min &&
		       a->u.table.limits.has_max == b->u.table.limits.has_max &&
		       a->u.table.limits.max == b->u.table.limits.max;
	case WLAB_EXTERN_MEMORY:
		return a->u.memory.min == b->u.memory.min && a->u.memory.has_max == b->u.memory.has_max &&
		       a->u.memory.max == b->u.memory.max && a->u.memory.shared == b->u.memory.shared &&
		       a->u.memory.is64 == b->u.memory.is64;
	case WLAB_EXTERN_GLOBAL:
		return link_map_vt(c, ai, a->u.global.valtype) ==
		       link_map_vt(c, bi, b->u.global.valtype) &&
		       a->u.global.mut == b->u.global.mut;
	case WLAB_EXTERN_TAG:
		return a->u.tag.attribute == b->u.tag.attribute &&
		       c->type_map[c->type_base[ai] + a->u.tag.type_index] ==
		       c->type_map[c->type_base[bi] + b->u.tag.type_index];
	}
	return false;
}

static const struct wlab_import *row_import(const struct link_ctx *c, uint32_t r, uint32_t *input)
{
	const struct wlab_link_plan_entry *e = &c->res->plan[r];
	*input = e->input;
	return &c->in[e->input].module->imports[e->import];
}

static uint32_t import_hash(const struct wlab_import *imp)
{
	uint32_t h = link_hash_bytes(2166136261u, &imp->kind, 1);
	h = link_hash_bytes(h, imp->module.ptr, imp->module.len);
	h = link_hash_bytes(h, (const uint8_t *)"", 1);
	return link_hash_bytes(h, imp->field.ptr, imp->field.len);
}

/* Kept imports, merged when identical: a hash set of output imports keyed
 * by kind, module and field (entries of other types just probe on). */
static enum wlab_status layout_imports(struct link_ctx *c)
{
	struct wlab_link_result *res = c->res;
	uint64_t cap = 16;
	while (cap < 2 * (uint64_t)res->nplan + 16)
		cap *= 2;
	uint32_t mask = (uint32_t)(cap - 1);
	uint32_t *slots = cap <= UINT32_MAX ? calloc((size_t)cap, sizeof *slots) : NULL;
	c->out_imports = calloc(res->nplan ? res->nplan : 1, sizeof *c->out_imports);
	if (!c->out_imports || !slots) {
		free(slots);
		return nomem(c);
	}
	for (uint32_t r = 0; r < res->nplan; r++) {
		struct wlab_link_plan_entry *e = &res->plan[r];
		if (e->how != WLAB_LINK_KEPT || c->term[r] != r)
			continue;
		uint32_t ai;
		const struct wlab_import *a = row_import(c, r, &ai);
		uint32_t at = import_hash(a) & mask;
		for (; slots[at]; at = (at + 1) & mask) {
			const struct link_out_import *oi = &c->out_imports[slots[at] - 1];
			const struct wlab_import *b = &c->in[oi->input].module->imports[oi->import];
			if (same_import(c, a, ai, b, oi->input)) {
				e->out_index = res->plan[c->row_base[oi->input] + oi->import].out_index;
				break;
			}
		}
		if (e->out_index != LINK_NONE)
			continue;
		c->out_imports[c->nout_imports].input = e->input;
		c->out_imports[c->nout_imports].import = e->import;
		slots[at] = ++c->nout_imports;
		e->out_index = c->nimp[a->kind]++;
	}
	free(slots);
	return WLAB_OK;
}

static enum wlab_status layout_defs(struct link_ctx *c)
{
	for (int k = 0; k < LINK_NKINDS; k++) {
		uint32_t total = 0;
		c->space_base[k] = alloc_u32(c->n + 1);
		if (!c->space_base[k])
			return nomem(c);
		for (uint32_t i = 0; i < c->n; i++) {
			c->space_base[k][i] = total;
			total += link_kind_count(c->in[i].module, (uint8_t)k);
		}
		c->map[k] = alloc_u32(total);
		if (!c->map[k])
			return nomem(c);
		c->def_base[k] = c->nimp[k];
		for (uint32_t i = 0; i < c->n; i++) {
			const struct wlab_module *m = c->in[i].module;
			uint32_t nimp = link_kind_imported(m, (uint8_t)k), cnt = link_kind_count(m, (uint8_t)k);
			for (uint32_t d = nimp; d < cnt; d++)
				c->map[k][c->space_base[k][i] + d] = c->def_base[k] + c->ndef[k]++;
		}
	}
	return WLAB_OK;
}

static enum wlab_status layout_stubs(struct link_ctx *c)
{
	struct wlab_link_result *res = c->res;
	c->stub_funcs = calloc(res->nplan + 1, sizeof *c->stub_funcs);
	c->stub_globals = calloc(res->nplan + 1, sizeof *c->stub_globals);
	if (!c->stub_funcs || !c->stub_globals)
		return nomem(c);
	for (uint32_t r = 0; r < res->nplan; r++) {
		struct wlab_link_plan_entry *e = &res->plan[r];
		if (e->how != WLAB_LINK_STUBBED || c->term[r] != r)
			continue;
		uint32_t in;
		const struct wlab_import *imp = row_import(c, r, &in);
		if (imp->kind == WLAB_EXTERN_FUNC) {
			uint32_t t = c->type_map[c->type_base[in] + imp->u.func_type];
			for (uint32_t s = 0; s < c->nstub_funcs && e->out_index == LINK_NONE; s++)
				if (res->plan[c->stub_funcs[s].row].stub == e->stub && c->stub_funcs[s].type == t)
					e->out_index = c->def_base[0] + c->ndef[0] + s;
			if (e->out_index == LINK_NONE) {
				c->stub_funcs[c->nstub_funcs].row = r;
				c->stub_funcs[c->nstub_funcs].type = t;
				e->out_index = c->def_base[0] + c->ndef[0] + c->nstub_funcs++;
			}
		} else {
			c->stub_globals[c->nstub_globals].row = r;
			e->out_index = c->def_base[WLAB_EXTERN_GLOBAL] + c->ndef[WLAB_EXTERN_GLOBAL] +
				       c->nstub_globals++;
		}
	}
	return WLAB_OK;
}

enum wlab_status link_layout(struct link_ctx *c)
{
	struct wlab_link_result *res = c->res;
	uint32_t nstarts = 0;
	for (uint32_t i = 0; i < c->n; i++)
		nstarts += c->in[i].module->has_start;
	enum wlab_status st = layout_types(c, nstarts > 1);
	if (!st)
		st = layout_imports(c);
	if (!st)
		st = layout_defs(c);
	if (!st)
		st = layout_stubs(c);
	if (st)
		return st;
	if (nstarts > 1) {
		c->has_start_wrapper = true;
		c->start_wrapper = c->def_base[0] + c->ndef[0] + c->nstub_funcs;
	}
	/* every import of every input: where it lands */
	for (uint32_t r = 0; r < res->nplan; r++) {
		struct wlab_link_plan_entry *e = &res->plan[r];
		const struct wlab_import *imp = &c->in[e->input].module->imports[e->import];
		if (e->how == WLAB_LINK_FUSED)
			e->out_index = c->map[imp->kind][c->space_base[imp->kind][e->def_input] + e->def_index];
		else if (e->how != WLAB_LINK_ERROR)
			e->out_index = res->plan[c->term[r]].out_index;
		if (imp->kind < LINK_NKINDS)
			c->map[imp->kind][c->space_base[imp->kind][e->input] + imp->kind_index] = e->out_index;
	}
	c->elem_base = alloc_u32(c->n + 1);
	c->data_base = alloc_u32(c->n + 1);
	if (!c->elem_base || !c->data_base)
		return nomem(c);
	uint32_t ne = 0, nd = 0;
	for (uint32_t i = 0; i < c->n; i++) {
		c->elem_base[i] = ne;
		c->data_base[i] = nd;
		ne += c->in[i].module->nelems;
		nd += c->in[i].module->ndatas;
	}
	c->elem_base[c->n] = ne;
	c->data_base[c->n] = nd;
	uint32_t nmem = c->nimp[WLAB_EXTERN_MEMORY] + c->ndef[WLAB_EXTERN_MEMORY];
	if (nmem > 1 && !(c->opts.flags & WLAB_LINK_MULTI_MEMORY) &&
	    !(c->features & WLAB_FEATURE_MULTI_MEMORY)) {
		char who[256] = "";
		for (uint32_t i = 0; i < c->n; i++) {
			const struct wlab_module *m = c->in[i].module;
			size_t len = strlen(who);
			if (m->nmemories && len + 64 < sizeof who)
				snprintf(who + len, sizeof who - len, "%s%s defines %u", len ? ", " : "",
					 c->in[i].name, m->nmemories);
		}
		for (uint32_t o = 0; o < c->nout_imports; o++) {
			const struct link_out_import *oi = &c->out_imports[o];
			const struct wlab_import *imp = &c->in[oi->input].module->imports[oi->import];
			size_t len = strlen(who);
			if (imp->kind == WLAB_EXTERN_MEMORY && len + 96 < sizeof who)
				snprintf(who + len, sizeof who - len, "%s%s keeps the import \"%.*s\".\"%.*s\"",
					 len ? ", " : "", c->in[oi->input].name, (int)imp->module.len,
					 (const char *)imp->module.ptr, (int)imp->field.len,
					 (const char *)imp->field.ptr);
		}
		return link_fail(c, WLAB_UNLINKABLE, LINK_NONE, 0, "multiple memories",
				 "multiple memories: the output would have %u memories (%s); multi-memory is off: pass --multi-memory (or --enable-multi-memory) to allow it",
				 nmem, who);
	}
	return WLAB_OK;
}
