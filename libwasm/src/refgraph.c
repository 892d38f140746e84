/* refgraph.c: builds the reference graph of wlab/refgraph.h: one item per
 * entry of the module with its shallow size, then the edges from what each
 * entry names, found by walking bodies and constant expressions with the
 * shared instruction iterator. */
#include <stdlib.h>
#include <string.h>

#include "wlab/instr.h"
#include "wlab/refgraph.h"
#include "refgraph_internal.h"

bool rg_push(struct rg_build *b, uint32_t from, uint32_t to, uint8_t kind)
{
	if (from == UINT32_MAX || to == UINT32_MAX)
		return true;
	if (b->nedges == b->cap) {
		size_t cap = b->cap ? (size_t)b->cap * 2 : 256;
		if (cap > UINT32_MAX)
			return b->nomem = true, false;
		struct rg_edge *e = realloc(b->edges, cap * sizeof *e);
		if (!e)
			return b->nomem = true, false;
		b->edges = e;
		b->cap = (uint32_t)cap;
	}
	b->edges[b->nedges++] = (struct rg_edge){from, to, kind};
	return true;
}

void rg_edge(struct rg_build *b, uint32_t from, uint8_t kind, uint8_t to_kind, uint32_t idx)
{
	rg_push(b, from, wlab_refgraph_item(b->g, to_kind, idx), kind);
}

/* The type a value type names, when it is a reference to a concrete type. */
void rg_valtype(struct rg_build *b, uint32_t from, wlab_valtype_t t)
{
	if (!wlab_type_is_ref(t))
		return;
	wlab_heaptype_t h = wlab_ref_heap(t);
	if (wlab_heap_is_concrete(h))
		rg_edge(b, from, WLAB_EDGE_USE, WLAB_ITEM_TYPE, wlab_heap_index(h));
}

/* A call_indirect or call_ref of type t in item from: an edge to the
 * indirect-targets item of t's signature. */
static void indirect(struct rg_build *b, uint32_t from, uint32_t t)
{
	rg_edge(b, from, WLAB_EDGE_USE, WLAB_ITEM_TYPE, t);
	if (t < b->m->ntypes)
		rg_push(b, from, b->indirect_item[b->canon[t]], WLAB_EDGE_INDIRECT);
}

static void memarg(struct rg_build *b, uint32_t from, uint32_t mem)
{
	rg_edge(b, from, WLAB_EDGE_USE, WLAB_ITEM_MEMORY, mem);
}

static void blocktype(struct rg_build *b, uint32_t from, const struct wlab_instr *in)
{
	if (in->blocktype >= 0)
		rg_edge(b, from, WLAB_EDGE_USE, WLAB_ITEM_TYPE, (uint32_t)in->blocktype);
	else if (!wlab_blocktype_is_empty(in->blocktype))
		rg_valtype(b, from, in->bttype);
}

/* The edges of one instruction, by its immediate kind. */
static void instr_edges(struct rg_build *b, uint32_t from, const struct wlab_instr *in)
{
	const struct wlab_opinfo *info = wlab_opinfo(in->op);
	switch (info->imm) {
	case WLAB_IMM_FUNC:
		if (in->op == WLAB_OP_REF_FUNC) {
			rg_edge(b, from, WLAB_EDGE_REF, WLAB_ITEM_FUNC, in->index);
			if (b->taken && in->index < b->nfuncs)
				b->taken[in->index] = 1;
		} else {
			rg_edge(b, from, WLAB_EDGE_CALL, WLAB_ITEM_FUNC, in->index);
		}
		break;
	case WLAB_IMM_CALL_INDIRECT:
		indirect(b, from, in->index);
		rg_edge(b, from, WLAB_EDGE_USE, WLAB_ITEM_TABLE, in->index2);
		break;
	case WLAB_IMM_TYPE:
		if (in->op == WLAB_OP_CALL_REF || in->op == WLAB_OP_RETURN_CALL_REF)
			indirect(b, from, in->index);
		else
			rg_edge(b, from, WLAB_EDGE_USE, WLAB_ITEM_TYPE, in->index);
		break;
	case WLAB_IMM_GLOBAL:
		rg_edge(b, from, WLAB_EDGE_USE, WLAB_ITEM_GLOBAL, in->index);
		break;
	case WLAB_IMM_TABLE:
		rg_edge(b, from, WLAB_EDGE_USE, WLAB_ITEM_TABLE, in->index);
		break;
	case WLAB_IMM_TAG:
		rg_edge(b, from, WLAB_EDGE_USE, WLAB_ITEM_TAG, in->index);
		break;
	case WLAB_IMM_MEMARG:
	case WLAB_IMM_MEMARG_LANE:
		memarg(b, from, in->memarg.memidx);
		break;
	case WLAB_IMM_MEMIDX:
		memarg(b, from, in->index);
		break;
	case WLAB_IMM_DATA_MEM:
		rg_edge(b, from, WLAB_EDGE_USE, WLAB_ITEM_DATA, in->index);
		memarg(b, from, in->index2);
		break;
	case WLAB_IMM_DATA:
		rg_edge(b, from, WLAB_EDGE_USE, WLAB_ITEM_DATA, in->index);
		break;
	case WLAB_IMM_MEM_MEM:
		memarg(b, from, in->index);
		memarg(b, from, in->index2);
		break;
	case WLAB_IMM_ELEM_TABLE:
		rg_edge(b, from, WLAB_EDGE_USE, WLAB_ITEM_ELEM, in->index);
		rg_edge(b, from, WLAB_EDGE_USE, WLAB_ITEM_TABLE, in->index2);
		break;
	case WLAB_IMM_ELEM:
		rg_edge(b, from, WLAB_EDGE_USE, WLAB_ITEM_ELEM, in->index);
		break;
	case WLAB_IMM_TABLE_TABLE:
		rg_edge(b, from, WLAB_EDGE_USE, WLAB_ITEM_TABLE, in->index);
		rg_edge(b, from, WLAB_EDGE_USE, WLAB_ITEM_TABLE, in->index2);
		break;
	case WLAB_IMM_TRY_TABLE:
		for (uint32_t k = 0; k < in->ncatches; k++)
			if (in->catches[k].kind == WLAB_CATCH || in->catches[k].kind == WLAB_CATCH_REF)
				rg_edge(b, from, WLAB_EDGE_USE, WLAB_ITEM_TAG, in->catches[k].tag);
		blocktype(b, from, in);
		break;
	case WLAB_IMM_BLOCK:
		blocktype(b, from, in);
		break;
	case WLAB_IMM_SELECT_T:
		for (uint32_t k = 0; k < in->ntypes; k++)
			rg_valtype(b, from, in->types[k]);
		break;
	case WLAB_IMM_REFTYPE: case WLAB_IMM_CAST: case WLAB_IMM_CAST_NULL:
		rg_valtype(b, from, in->reftype);
		break;
	case WLAB_IMM_BR_ON_CAST:
		rg_valtype(b, from, in->reftype);
		rg_valtype(b, from, in->reftype2);
		break;
	case WLAB_IMM_TYPE_FIELD: case WLAB_IMM_TYPE_COUNT:
		rg_edge(b, from, WLAB_EDGE_USE, WLAB_ITEM_TYPE, in->index);
		break;
	case WLAB_IMM_TYPE_TYPE:
		rg_edge(b, from, WLAB_EDGE_USE, WLAB_ITEM_TYPE, in->index);
		rg_edge(b, from, WLAB_EDGE_USE, WLAB_ITEM_TYPE, in->index2);
		break;
	case WLAB_IMM_TYPE_DATA:
		rg_edge(b, from, WLAB_EDGE_USE, WLAB_ITEM_TYPE, in->index);
		rg_edge(b, from, WLAB_EDGE_USE, WLAB_ITEM_DATA, in->index2);
		break;
	case WLAB_IMM_TYPE_ELEM:
		rg_edge(b, from, WLAB_EDGE_USE, WLAB_ITEM_TYPE, in->index);
		rg_edge(b, from, WLAB_EDGE_USE, WLAB_ITEM_ELEM, in->index2);
		break;
	default:
		break;
	}
}

enum wlab_status rg_expr(struct rg_build *b, uint32_t from, struct wlab_span span)
{
	struct wlab_instr_iter it;
	struct wlab_instr in;
	wlab_instr_iter_init(&it, b->m->bytes, span, b->m->features, b->err);
	enum wlab_status st = WLAB_OK;
	while (!wlab_instr_iter_done(&it) && !b->nomem) {
		if ((st = wlab_instr_next(&it, &in)) != WLAB_OK)
			break;
		instr_edges(b, from, &in);
	}
	wlab_instr_iter_fini(&it);
	return b->nomem ? WLAB_NOMEM : st;
}

uint32_t rg_expr_func(struct rg_build *b, struct wlab_span span)
{
	struct wlab_instr_iter it;
	struct wlab_instr in;
	struct wlab_error err = {0};
	uint32_t f = UINT32_MAX;
	wlab_instr_iter_init(&it, b->m->bytes, span, b->m->features, &err);
	if (!wlab_instr_iter_done(&it) && wlab_instr_next(&it, &in) == WLAB_OK &&
	    in.op == WLAB_OP_REF_FUNC)
		f = in.index;
	wlab_instr_iter_fini(&it);
	return f;
}

static int edge_cmp(const void *x, const void *y)
{
	const struct rg_edge *a = x, *c = y;
	if (a->from != c->from)
		return a->from < c->from ? -1 : 1;
	if (a->to != c->to)
		return a->to < c->to ? -1 : 1;
	return (int)a->kind - (int)c->kind;
}

/* Sorts the edges into g's arrays: per item, by target, one edge per target
 * (the lowest kind: ROOT, CALL, REF, INDIRECT, USE). */
static enum wlab_status finish(struct rg_build *b)
{
	struct wlab_refgraph *g = b->g;
	if (b->nedges)
		qsort(b->edges, b->nedges, sizeof *b->edges, edge_cmp);
	g->first = calloc((size_t)g->nitems + 1, sizeof *g->first);
	g->to = malloc(((size_t)b->nedges + 1) * sizeof *g->to);
	g->ekind = malloc((size_t)b->nedges + 1);
	if (!g->first || !g->to || !g->ekind)
		return WLAB_NOMEM;
	uint32_t n = 0;
	for (uint32_t i = 0; i < b->nedges; i++) {
		const struct rg_edge *e = &b->edges[i];
		if (i && e->from == b->edges[i - 1].from && e->to == b->edges[i - 1].to)
			continue;
		g->to[n] = e->to;
		g->ekind[n++] = e->kind;
		g->first[e->from + 1]++;
	}
	for (uint32_t i = 0; i < g->nitems; i++)
		g->first[i + 1] += g->first[i];
	g->nedges = n;
	for (uint32_t i = 0; i < g->nitems; i++)
		g->total += g->items[i].size;
	return WLAB_OK;
}

void wlab_refgraph_free(struct wlab_refgraph *g)
{
	if (!g)
		return;
	free(g->items);
	free(g->first);
	free(g->to);
	free(g->ekind);
	free(g->names);
	free(g);
}

enum wlab_status wlab_refgraph_build(const struct wlab_module *m, struct wlab_refgraph **out,
				     struct wlab_error *err)
{
	*out = NULL;
	struct wlab_refgraph *g = calloc(1, sizeof *g);
	struct rg_build b = {.m = m, .g = g, .err = err};
	enum wlab_status st = g ? rg_items(&b) : WLAB_NOMEM;
	if (st == WLAB_OK)
		st = rg_edges(&b);
	if (st == WLAB_OK)
		st = finish(&b);
	free(b.edges);
	free(b.canon);
	free(b.indirect_item);
	free(b.taken);
	if (st != WLAB_OK) {
		if (st == WLAB_NOMEM)
			wlab_error_set(err, WLAB_NOMEM, 0, "out of memory");
		wlab_refgraph_free(g);
		return st;
	}
	*out = g;
	return WLAB_OK;
}
