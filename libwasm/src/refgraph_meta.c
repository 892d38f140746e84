/* refgraph_meta.c: the bytes no entry owns: one "meta" item per section
 * (its id, size, vector count; a custom section whole) and the preamble as
 * the root's own size, so that the items' shallow sizes add up to the file;
 * and the edges that keep a section's header while one of its entries is. */
#include <stdlib.h>

#include "refgraph_internal.h"

/* The section holding file offset off: its position in m->sections, or
 * UINT32_MAX. */
static uint32_t section_at(const struct wlab_module *m, uint32_t off)
{
	uint32_t lo = 0, hi = m->nsections;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		const struct wlab_span *s = &m->sections[mid].span;
		if (off < s->offset)
			hi = mid;
		else if (off - s->offset >= s->size)
			lo = mid + 1;
		else
			return mid;
	}
	return UINT32_MAX;
}

static uint32_t function_section(const struct wlab_module *m)
{
	for (uint32_t s = 0; s < m->nsections; s++)
		if (m->sections[s].id == WLAB_SEC_FUNCTION)
			return s;
	return UINT32_MAX;
}

/* For each item but the root and the meta items, calls f with the sections
 * its bytes are in: its main span's, and a defined function's Function
 * section for its function-section entry (its size beyond the span). */
static void each_part(struct rg_build *b, void (*f)(struct rg_build *, uint32_t item, uint32_t sec,
						   uint32_t bytes))
{
	const struct wlab_refgraph *g = b->g;
	uint32_t fsec = function_section(b->m);
	for (uint32_t i = 1; i < g->base[WLAB_ITEM_META]; i++) {
		const struct wlab_refitem *it = &g->items[i];
		if (!it->size)
			continue;
		uint32_t main = it->span.size < it->size ? it->span.size : it->size;
		if (main)
			f(b, i, section_at(b->m, it->span.offset), main);
		if (it->size > main)
			f(b, i, fsec, it->size - main);
	}
}

static void own(struct rg_build *b, uint32_t item, uint32_t sec, uint32_t bytes)
{
	(void)item;
	if (sec == UINT32_MAX)
		return;
	struct wlab_refitem *meta = &b->g->items[b->g->base[WLAB_ITEM_META] + sec];
	meta->size = meta->size > bytes ? meta->size - bytes : 0;
}

void rg_meta_items(struct rg_build *b)
{
	const struct wlab_module *m = b->m;
	struct wlab_refgraph *g = b->g;
	g->items[0].size = m->size < 8 ? (uint32_t)m->size : 8;
	g->base[WLAB_ITEM_META] = g->nitems;
	for (uint32_t s = 0; s < m->nsections; s++) {
		uint32_t i = g->nitems++;
		g->items[i] = (struct wlab_refitem){.kind = WLAB_ITEM_META, .index = s,
						    .span = m->sections[s].span,
						    .size = m->sections[s].span.size};
		g->count[WLAB_ITEM_META]++;
	}
	each_part(b, own);
}

static void keep(struct rg_build *b, uint32_t item, uint32_t sec, uint32_t bytes)
{
	(void)bytes;
	if (sec != UINT32_MAX)
		rg_push(b, item, b->g->base[WLAB_ITEM_META] + sec, WLAB_EDGE_USE);
}

enum wlab_status rg_meta_edges(struct rg_build *b)
{
	const struct wlab_module *m = b->m;
	uint32_t base = b->g->base[WLAB_ITEM_META], first = b->nedges;
	uint8_t *kept = calloc((size_t)m->nsections + 1, 1);
	if (!kept)
		return WLAB_NOMEM;
	each_part(b, keep);
	for (uint32_t e = first; e < b->nedges; e++)
		kept[b->edges[e].to - base] = 1;
	for (uint32_t s = 0; s < m->nsections; s++)
		if (m->sections[s].id == WLAB_SEC_CUSTOM || !kept[s])
			rg_push(b, 0, base + s, WLAB_EDGE_ROOT);
	free(kept);
	return b->nomem ? WLAB_NOMEM : WLAB_OK;
}
