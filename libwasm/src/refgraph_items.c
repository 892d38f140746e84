/* refgraph_items.c: the items of the reference graph with their shallow
 * sizes and names, the signatures that call_indirect matches, and the edges
 * of every entry. */
#include <stdlib.h>
#include <string.h>

#include "wlab/instr.h"
#include "refgraph_internal.h"

static uint32_t span_size(struct wlab_span s)
{
	return s.size;
}

static const struct wlab_section *section_of(const struct wlab_module *m, uint8_t id)
{
	for (uint32_t i = 0; i < m->nsections; i++)
		if (m->sections[i].id == id)
			return &m->sections[i];
	return NULL;
}

/* The bytes of defined function i's function-section entry. */
static uint32_t decl_size(const struct wlab_module *m, uint32_t i)
{
	if (i >= m->nfunc_decl_offsets)
		return 0;
	uint32_t at = m->func_decl_offsets[i], end;
	if (i + 1 < m->nfunc_decl_offsets) {
		end = m->func_decl_offsets[i + 1];
	} else {
		const struct wlab_section *s = section_of(m, WLAB_SEC_FUNCTION);
		end = s ? s->payload.offset + s->payload.size : at;
	}
	return end > at ? end - at : 0;
}

static uint32_t add_item(struct wlab_refgraph *g, uint8_t kind, uint32_t index, struct wlab_span span,
			 uint32_t size, bool imported)
{
	uint32_t i = g->nitems++;
	g->items[i] = (struct wlab_refitem){.kind = kind, .index = index, .span = span,
					    .size = size, .imported = imported};
	g->count[kind]++;
	return i;
}

/* Entries of an index space: imports first (their import entries), then
 * the definitions' spans. */
static void add_space(struct rg_build *b, uint8_t kind, uint8_t ext, uint32_t nimported,
		      uint32_t ndefined, const struct wlab_span *(*def)(const struct wlab_module *, uint32_t))
{
	const struct wlab_module *m = b->m;
	b->g->base[kind] = b->g->nitems;
	for (uint32_t i = 0; i < nimported + ndefined; i++) {
		const struct wlab_import *im = i < nimported ? wlab_module_import_of(m, ext, i) : NULL;
		struct wlab_span s = im ? im->span : i >= nimported ? *def(m, i - nimported)
								    : (struct wlab_span){0, 0};
		add_item(b->g, kind, i, s, span_size(s), i < nimported);
	}
}

static const struct wlab_span *table_span(const struct wlab_module *m, uint32_t i)
{
	return &m->tables[i].span;
}
static const struct wlab_span *memory_span(const struct wlab_module *m, uint32_t i)
{
	return &m->memories[i].span;
}
static const struct wlab_span *global_span(const struct wlab_module *m, uint32_t i)
{
	return &m->globals[i].span;
}
static const struct wlab_span *tag_span(const struct wlab_module *m, uint32_t i)
{
	return &m->tags[i].span;
}

/* An empty list's pointer may be NULL, which memcmp must not be given even
 * for 0 bytes (UBSan: a typed-references ttf module's () -> () types). */
static bool same_sig(const struct wlab_functype *x, const struct wlab_functype *y)
{
	return x->nparams == y->nparams && x->nresults == y->nresults &&
	       (!x->nparams || memcmp(x->params, y->params, x->nparams * sizeof *x->params) == 0) &&
	       (!x->nresults || memcmp(x->results, y->results, x->nresults * sizeof *x->results) == 0);
}

struct hashed {
	uint64_t h;
	uint32_t t;
};

static int hashed_cmp(const void *x, const void *y)
{
	const struct hashed *a = x, *c = y;
	if (a->h != c->h)
		return a->h < c->h ? -1 : 1;
	return a->t < c->t ? -1 : a->t > c->t;
}

static uint64_t sig_hash(const struct wlab_functype *t)
{
	uint64_t h = 1469598103934665603ull;
	h = (h ^ t->nparams) * 1099511628211ull;
	for (uint32_t k = 0; k < t->nparams; k++)
		h = (h ^ t->params[k]) * 1099511628211ull;
	h = (h ^ (0x10000u + t->nresults)) * 1099511628211ull;
	for (uint32_t k = 0; k < t->nresults; k++)
		h = (h ^ t->results[k]) * 1099511628211ull;
	return h;
}

/* canon[t]: the lowest type index with t's parameters and results (rec
 * groups and supertypes not compared: more matches, never fewer). */
static enum wlab_status canon_types(struct rg_build *b)
{
	const struct wlab_module *m = b->m;
	uint32_t n = m->ntypes;
	struct hashed *v = malloc(((size_t)n + 1) * sizeof *v);
	b->canon = malloc(((size_t)n + 1) * sizeof *b->canon);
	b->indirect_item = malloc(((size_t)n + 1) * sizeof *b->indirect_item);
	if (!v || !b->canon || !b->indirect_item) {
		free(v);
		return WLAB_NOMEM;
	}
	for (uint32_t t = 0; t < n; t++)
		v[t] = (struct hashed){sig_hash(&m->types[t]), t};
	if (n)
		qsort(v, n, sizeof *v, hashed_cmp);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t t = v[i].t, c = t;
		/* the run of equal hashes before i, in increasing index order */
		for (uint32_t j = i; j-- > 0 && v[j].h == v[i].h;)
			if (b->canon[v[j].t] == v[j].t && same_sig(&m->types[v[j].t], &m->types[t]))
				c = v[j].t;
		b->canon[t] = c;
	}
	free(v);
	return WLAB_OK;
}

static void name_items(struct rg_build *b)
{
	const struct wlab_module *m = b->m;
	struct wlab_refgraph *g = b->g;
	static const struct {
		uint8_t names, kind;
	} map[] = {
		{WLAB_NAMES_FUNCTION, WLAB_ITEM_FUNC}, {WLAB_NAMES_TABLE, WLAB_ITEM_TABLE},
		{WLAB_NAMES_MEMORY, WLAB_ITEM_MEMORY}, {WLAB_NAMES_GLOBAL, WLAB_ITEM_GLOBAL},
		{WLAB_NAMES_TAG, WLAB_ITEM_TAG},       {WLAB_NAMES_TYPE, WLAB_ITEM_TYPE},
		{WLAB_NAMES_ELEM, WLAB_ITEM_ELEM},     {WLAB_NAMES_DATA, WLAB_ITEM_DATA},
	};
	for (uint32_t s = 0; m->has_names && s < m->names.nsubsections; s++) {
		const struct wlab_name_subsection *sub = &m->names.subsections[s];
		for (size_t k = 0; k < sizeof map / sizeof map[0]; k++) {
			if (sub->indirect || sub->id != map[k].names)
				continue;
			for (uint32_t i = 0; i < sub->map.count; i++) {
				uint32_t it = wlab_refgraph_item(g, map[k].kind, sub->map.names[i].index);
				if (it != UINT32_MAX && !g->names[it].len)
					g->names[it] = sub->map.names[i].name;
			}
		}
	}
	/* a relocatable object's defined symbols name its functions, globals... */
	for (uint32_t i = 0; m->has_linking && i < m->linking.nsymbols; i++) {
		const struct wlab_symbol *sy = &m->linking.symbols[i];
		static const uint8_t kinds[] = {[WLAB_SYMTAB_FUNCTION] = WLAB_ITEM_FUNC,
						[WLAB_SYMTAB_DATA] = WLAB_ITEM_DATA,
						[WLAB_SYMTAB_GLOBAL] = WLAB_ITEM_GLOBAL,
						[WLAB_SYMTAB_SECTION] = WLAB_ITEM_ROOT,
						[WLAB_SYMTAB_EVENT] = WLAB_ITEM_TAG,
						[WLAB_SYMTAB_TABLE] = WLAB_ITEM_TABLE};
		if (!sy->has_name || !sy->name.len || (sy->flags & 0x10) || sy->kind >= sizeof kinds ||
		    kinds[sy->kind] == WLAB_ITEM_ROOT || (sy->kind == WLAB_SYMTAB_DATA && !sy->defined))
			continue;
		uint32_t it = wlab_refgraph_item(g, kinds[sy->kind],
						 sy->kind == WLAB_SYMTAB_DATA ? sy->segment : sy->index);
		if (it != UINT32_MAX && !g->names[it].len)
			g->names[it] = sy->name;
	}
	for (uint32_t i = 0; i < m->nexports; i++) {
		const struct wlab_export *e = &m->exports[i];
		uint32_t it = e->kind == WLAB_EXTERN_FUNC ? wlab_refgraph_item(g, WLAB_ITEM_FUNC, e->index)
							  : UINT32_MAX;
		if (it != UINT32_MAX && !g->names[it].len)
			g->names[it] = e->name;
		g->names[g->base[WLAB_ITEM_EXPORT] + i] = e->name;
	}
}

enum wlab_status rg_items(struct rg_build *b)
{
	const struct wlab_module *m = b->m;
	struct wlab_refgraph *g = b->g;
	b->nfuncs = m->nimported_funcs + m->nfuncs;
	uint64_t n = 2 + (uint64_t)b->nfuncs + m->nimported_tables + m->ntables +
		     m->nimported_memories + m->nmemories + m->nimported_globals + m->nglobals +
		     m->nimported_tags + m->ntags + 2ull * m->ntypes + m->nelems + m->ndatas +
		     m->nexports + m->nsections;
	if (n >= UINT32_MAX || canon_types(b) != WLAB_OK)
		return WLAB_NOMEM;
	g->items = calloc(n, sizeof *g->items);
	g->names = calloc(n, sizeof *g->names);
	b->taken = calloc((size_t)b->nfuncs + 1, 1);
	if (!g->items || !g->names || !b->taken)
		return WLAB_NOMEM;
	add_item(g, WLAB_ITEM_ROOT, 0, (struct wlab_span){0, (uint32_t)m->size}, 0, false);
	g->base[WLAB_ITEM_FUNC] = g->nitems;
	for (uint32_t f = 0; f < b->nfuncs; f++) {
		const struct wlab_import *im =
			f < m->nimported_funcs ? wlab_module_import_of(m, WLAB_EXTERN_FUNC, f) : NULL;
		uint32_t d = f - m->nimported_funcs;
		struct wlab_span s = im ? im->span : f >= m->nimported_funcs && d < m->ncodes
				     ? m->codes[d].span : (struct wlab_span){0, 0};
		uint32_t size = s.size + (f >= m->nimported_funcs ? decl_size(m, d) : 0);
		add_item(g, WLAB_ITEM_FUNC, f, s, size, f < m->nimported_funcs);
	}
	add_space(b, WLAB_ITEM_TABLE, WLAB_EXTERN_TABLE, m->nimported_tables, m->ntables, table_span);
	add_space(b, WLAB_ITEM_MEMORY, WLAB_EXTERN_MEMORY, m->nimported_memories, m->nmemories,
		  memory_span);
	add_space(b, WLAB_ITEM_GLOBAL, WLAB_EXTERN_GLOBAL, m->nimported_globals, m->nglobals,
		  global_span);
	add_space(b, WLAB_ITEM_TAG, WLAB_EXTERN_TAG, m->nimported_tags, m->ntags, tag_span);
	g->base[WLAB_ITEM_TYPE] = g->nitems;
	for (uint32_t t = 0; t < m->ntypes; t++)
		add_item(g, WLAB_ITEM_TYPE, t, m->types[t].span, m->types[t].span.size, false);
	g->base[WLAB_ITEM_ELEM] = g->nitems;
	for (uint32_t i = 0; i < m->nelems; i++)
		add_item(g, WLAB_ITEM_ELEM, i, m->elems[i].span, m->elems[i].span.size, false);
	g->base[WLAB_ITEM_DATA] = g->nitems;
	for (uint32_t i = 0; i < m->ndatas; i++)
		add_item(g, WLAB_ITEM_DATA, i, m->datas[i].span, m->datas[i].span.size, false);
	g->base[WLAB_ITEM_EXPORT] = g->nitems;
	for (uint32_t i = 0; i < m->nexports; i++)
		add_item(g, WLAB_ITEM_EXPORT, i, m->exports[i].span, m->exports[i].span.size, false);
	g->base[WLAB_ITEM_START] = g->nitems;
	const struct wlab_section *st = section_of(m, WLAB_SEC_START);
	if (m->has_start && st)
		add_item(g, WLAB_ITEM_START, 0, st->payload, st->payload.size, false);
	g->base[WLAB_ITEM_INDIRECT] = g->nitems;
	for (uint32_t t = 0; t < m->ntypes; t++)
		b->indirect_item[t] = b->canon[t] == t
			? add_item(g, WLAB_ITEM_INDIRECT, t, (struct wlab_span){0, 0}, 0, false)
			: b->indirect_item[b->canon[t]];
	rg_meta_items(b);
	name_items(b);
	return WLAB_OK;
}

static void type_edges(struct rg_build *b)
{
	const struct wlab_module *m = b->m;
	for (uint32_t t = 0; t < m->ntypes; t++) {
		const struct wlab_functype *ft = &m->types[t];
		uint32_t from = wlab_refgraph_item(b->g, WLAB_ITEM_TYPE, t);
		for (uint32_t k = 0; k < ft->nparams; k++)
			rg_valtype(b, from, ft->params[k]);
		for (uint32_t k = 0; k < ft->nresults; k++)
			rg_valtype(b, from, ft->results[k]);
		for (uint32_t k = 0; k < ft->nfields; k++)
			rg_valtype(b, from, ft->fields[k].type);
		if (ft->has_super)
			rg_edge(b, from, WLAB_EDGE_USE, WLAB_ITEM_TYPE, ft->super);
		/* a rec group stays whole: a ring of edges through its members */
		if (ft->rec_size > 1) {
			uint32_t next = t + 1 < ft->rec_start + ft->rec_size ? t + 1 : ft->rec_start;
			rg_edge(b, from, WLAB_EDGE_USE, WLAB_ITEM_TYPE, next);
		}
	}
}

static enum wlab_status func_edges(struct rg_build *b)
{
	const struct wlab_module *m = b->m;
	for (uint32_t f = 0; f < b->nfuncs; f++) {
		uint32_t from = wlab_refgraph_item(b->g, WLAB_ITEM_FUNC, f);
		rg_edge(b, from, WLAB_EDGE_USE, WLAB_ITEM_TYPE, wlab_module_func_type(m, f));
		uint32_t d = f - m->nimported_funcs;
		if (f < m->nimported_funcs || d >= m->ncodes)
			continue;
		const struct wlab_code *c = &m->codes[d];
		for (uint32_t k = 0; k < c->nlocal_decls; k++)
			rg_valtype(b, from, c->local_decls[k].type);
		enum wlab_status st = rg_expr(b, from, c->expr);
		if (st != WLAB_OK)
			return st;
	}
	return WLAB_OK;
}

/* The constant of an offset expression that is one i32.const or i64.const
 * (unsigned), in *k; false for any other expression. */
static bool const_offset(struct rg_build *b, struct wlab_span span, uint64_t *k)
{
	struct wlab_instr_iter it;
	struct wlab_instr in;
	struct wlab_error err = {0};
	bool ok = false;
	wlab_instr_iter_init(&it, b->m->bytes, span, b->m->features, &err);
	if (!wlab_instr_iter_done(&it) && wlab_instr_next(&it, &in) == WLAB_OK &&
	    (in.op == WLAB_OP_I32_CONST || in.op == WLAB_OP_I64_CONST)) {
		*k = in.op == WLAB_OP_I32_CONST ? (uint64_t)(uint32_t)in.i32 : (uint64_t)in.i64;
		ok = !wlab_instr_iter_done(&it) && wlab_instr_next(&it, &in) == WLAB_OK &&
		     in.op == WLAB_OP_END && wlab_instr_iter_done(&it);
	}
	wlab_instr_iter_fini(&it);
	return ok;
}

/* The limits of memory or table idx (ext: WLAB_EXTERN_MEMORY or _TABLE). */
static const struct wlab_limits *limits_of(const struct wlab_module *m, uint8_t ext, uint32_t idx)
{
	const struct wlab_import *im = wlab_module_import_of(m, ext, idx);
	bool mem = ext == WLAB_EXTERN_MEMORY;
	uint32_t nimp = mem ? m->nimported_memories : m->nimported_tables;
	if (im)
		return mem ? &im->u.memory : &im->u.table.limits;
	if (idx < nimp || idx - nimp >= (mem ? m->nmemories : m->ntables))
		return NULL;
	return mem ? &m->memories[idx - nimp].limits : &m->tables[idx - nimp].type.limits;
}

/* What keeps an active segment of len entries or bytes written to memory
 * or table idx at instantiation (ext: WLAB_EXTERN_MEMORY or _TABLE; unit:
 * bytes per page, 1 for a table): the root when it may trap there (an offset
 * that is not a constant, or past the minimum size) or writes to an
 * imported memory or table, which the host sees; else its memory or table,
 * whose contents it only is (binaryen's --remove-unused-module-elements
 * removes both when nothing else keeps them); nothing (UINT32_MAX) when it
 * writes nothing and cannot trap. from: the segment's item. */
static void active_segment(struct rg_build *b, uint32_t from, struct wlab_span offset, uint64_t len,
			   uint8_t ext, uint32_t idx, uint64_t unit)
{
	const struct wlab_limits *lim = limits_of(b->m, ext, idx);
	uint64_t k;
	bool mem = ext == WLAB_EXTERN_MEMORY;
	uint8_t kind = mem ? WLAB_ITEM_MEMORY : WLAB_ITEM_TABLE;
	bool safe = lim && const_offset(b, offset, &k) && lim->min <= UINT64_MAX / unit &&
		    k <= lim->min * unit && len <= lim->min * unit - k;
	if (!safe || wlab_module_import_of(b->m, ext, idx))
		rg_push(b, 0, from, WLAB_EDGE_ROOT);
	else if (len)
		rg_push(b, wlab_refgraph_item(b->g, kind, idx), from, WLAB_EDGE_USE);
}

static enum wlab_status entry_edges(struct rg_build *b)
{
	const struct wlab_module *m = b->m;
	struct wlab_refgraph *g = b->g;
	enum wlab_status st = WLAB_OK;
	for (uint32_t i = 0; i < m->nimports; i++) {
		const struct wlab_import *im = &m->imports[i];
		if (im->kind == WLAB_EXTERN_TABLE)
			rg_valtype(b, wlab_refgraph_item(g, WLAB_ITEM_TABLE, im->kind_index),
				   im->u.table.elemtype);
		else if (im->kind == WLAB_EXTERN_GLOBAL)
			rg_valtype(b, wlab_refgraph_item(g, WLAB_ITEM_GLOBAL, im->kind_index),
				   im->u.global.valtype);
		else if (im->kind == WLAB_EXTERN_TAG)
			rg_edge(b, wlab_refgraph_item(g, WLAB_ITEM_TAG, im->kind_index), WLAB_EDGE_USE,
				WLAB_ITEM_TYPE, im->u.tag.type_index);
	}
	for (uint32_t i = 0; i < m->ntables && st == WLAB_OK; i++) {
		uint32_t from = wlab_refgraph_item(g, WLAB_ITEM_TABLE, m->nimported_tables + i);
		rg_valtype(b, from, m->tables[i].type.elemtype);
		if (m->tables[i].has_init)
			st = rg_expr(b, from, m->tables[i].init.span);
	}
	for (uint32_t i = 0; i < m->nglobals && st == WLAB_OK; i++) {
		uint32_t from = wlab_refgraph_item(g, WLAB_ITEM_GLOBAL, m->nimported_globals + i);
		rg_valtype(b, from, m->globals[i].type.valtype);
		st = rg_expr(b, from, m->globals[i].init.span);
	}
	for (uint32_t i = 0; i < m->ntags; i++)
		rg_edge(b, wlab_refgraph_item(g, WLAB_ITEM_TAG, m->nimported_tags + i), WLAB_EDGE_USE,
			WLAB_ITEM_TYPE, m->tags[i].type.type_index);
	for (uint32_t i = 0; i < m->nelems && st == WLAB_OK; i++) {
		const struct wlab_elem *e = &m->elems[i];
		uint32_t from = wlab_refgraph_item(g, WLAB_ITEM_ELEM, i);
		rg_valtype(b, from, e->elemtype);
		if (e->mode == WLAB_SEGMENT_ACTIVE) {
			active_segment(b, from, e->offset.span, e->count, WLAB_EXTERN_TABLE, e->table, 1);
			rg_edge(b, from, WLAB_EDGE_USE, WLAB_ITEM_TABLE, e->table);
			st = rg_expr(b, from, e->offset.span);
		}
		for (uint32_t k = 0; k < e->count && st == WLAB_OK; k++) {
			if (e->uses_exprs) {
				st = rg_expr(b, from, e->exprs[k].span);
			} else {
				rg_edge(b, from, WLAB_EDGE_REF, WLAB_ITEM_FUNC, e->funcs[k]);
				if (e->funcs[k] < b->nfuncs)
					b->taken[e->funcs[k]] = 1;
			}
		}
	}
	for (uint32_t i = 0; i < m->ndatas && st == WLAB_OK; i++) {
		const struct wlab_data *d = &m->datas[i];
		if (d->mode != WLAB_SEGMENT_ACTIVE)
			continue;
		uint32_t from = wlab_refgraph_item(g, WLAB_ITEM_DATA, i);
		active_segment(b, from, d->offset.span, d->bytes.size, WLAB_EXTERN_MEMORY, d->memory,
			       65536);
		rg_edge(b, from, WLAB_EDGE_USE, WLAB_ITEM_MEMORY, d->memory);
		st = rg_expr(b, from, d->offset.span);
	}
	return st;
}

/* A ref.func in a body is valid only for a function that the module
 * declares outside bodies: a body's ref.func of a function that only
 * declarative segments declare keeps the first of them. */
static enum wlab_status declarations(struct rg_build *b)
{
	const struct wlab_module *m = b->m;
	struct wlab_refgraph *g = b->g;
	uint32_t *decl = malloc(((size_t)b->nfuncs + 1) * sizeof *decl);
	if (!decl)
		return WLAB_NOMEM;
	for (uint32_t f = 0; f < b->nfuncs; f++)
		decl[f] = UINT32_MAX;
	bool any = false;
	for (uint32_t i = m->nelems; i-- > 0;) {
		const struct wlab_elem *e = &m->elems[i];
		for (uint32_t k = 0; e->mode == WLAB_SEGMENT_DECLARATIVE && k < e->count; k++) {
			uint32_t f = e->funcs ? e->funcs[k] : UINT32_MAX;
			if (e->uses_exprs)  /* (ref.func f) */
				f = rg_expr_func(b, e->exprs[k].span);
			if (f < b->nfuncs) {
				decl[f] = i;
				any = true;
			}
		}
	}
	uint32_t fb = g->base[WLAB_ITEM_FUNC], fe = fb + g->count[WLAB_ITEM_FUNC];
	/* a function that an export, a global or table initialiser or an
	 * active or passive segment names is declared already */
	for (uint32_t k = 0; any && k < b->nedges; k++) {
		const struct rg_edge e = b->edges[k];
		const struct wlab_refitem *from = &g->items[e.from];
		if (e.to >= fb && e.to < fe && from->kind != WLAB_ITEM_FUNC &&
		    from->kind != WLAB_ITEM_INDIRECT && from->kind != WLAB_ITEM_START &&
		    !(from->kind == WLAB_ITEM_ELEM &&
		      m->elems[from->index].mode == WLAB_SEGMENT_DECLARATIVE))
			decl[e.to - fb] = UINT32_MAX;
	}
	for (uint32_t k = 0, n = b->nedges; any && k < n; k++) {
		const struct rg_edge e = b->edges[k];
		if (e.kind == WLAB_EDGE_REF && e.from >= fb && e.from < fe && e.to >= fb && e.to < fe &&
		    decl[e.to - fb] != UINT32_MAX)
			rg_edge(b, e.from, WLAB_EDGE_USE, WLAB_ITEM_ELEM, decl[e.to - fb]);
	}
	free(decl);
	return b->nomem ? WLAB_NOMEM : WLAB_OK;
}

static const uint8_t export_kind[] = {
	[WLAB_EXTERN_FUNC] = WLAB_ITEM_FUNC,     [WLAB_EXTERN_TABLE] = WLAB_ITEM_TABLE,
	[WLAB_EXTERN_MEMORY] = WLAB_ITEM_MEMORY, [WLAB_EXTERN_GLOBAL] = WLAB_ITEM_GLOBAL,
	[WLAB_EXTERN_TAG] = WLAB_ITEM_TAG,
};

enum wlab_status rg_edges(struct rg_build *b)
{
	const struct wlab_module *m = b->m;
	struct wlab_refgraph *g = b->g;
	for (uint32_t i = 0; i < m->nexports; i++) {
		const struct wlab_export *e = &m->exports[i];
		rg_edge(b, 0, WLAB_EDGE_ROOT, WLAB_ITEM_EXPORT, i);
		if (e->kind < sizeof export_kind)
			rg_edge(b, g->base[WLAB_ITEM_EXPORT] + i, WLAB_EDGE_USE, export_kind[e->kind],
				e->index);
	}
	if (g->count[WLAB_ITEM_START]) {
		rg_edge(b, 0, WLAB_EDGE_ROOT, WLAB_ITEM_START, 0);
		rg_edge(b, g->base[WLAB_ITEM_START], WLAB_EDGE_CALL, WLAB_ITEM_FUNC, m->start);
	}
	type_edges(b);
	enum wlab_status st = entry_edges(b);
	if (st == WLAB_OK)
		st = func_edges(b);
	if (st == WLAB_OK)
		st = declarations(b);
	rg_object(b);
	if (st == WLAB_OK)
		st = rg_meta_edges(b);
	if (st != WLAB_OK)
		return st;
	for (uint32_t f = 0; f < b->nfuncs; f++) {
		uint32_t t = wlab_module_func_type(m, f);
		if (b->taken[f] && t < m->ntypes)
			rg_edge(b, b->indirect_item[t], WLAB_EDGE_INDIRECT, WLAB_ITEM_FUNC, f);
	}
	return b->nomem ? WLAB_NOMEM : WLAB_OK;
}
