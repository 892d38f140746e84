/* refgraph_object.c: what the reference graph adds for a relocatable object
 * (a module with a "linking" section, tool-conventions/Linking.md). Such a
 * module exports nothing: the linker sees its symbols. So its defined
 * symbols that are not local are roots (and its init functions), and its
 * relocations are references: a code or data relocation names a function,
 * global, tag, table or data segment through a symbol, from the function
 * body or data segment that holds it. A table-index relocation takes the
 * function's address, as an element segment would. */
#include <stdlib.h>

#include "refgraph_internal.h"

enum reloc_target { RT_NONE, RT_FUNC, RT_DATA, RT_TYPE, RT_GLOBAL, RT_SECTION, RT_TAG, RT_TABLE };

static const uint8_t reloc_target[] = {
#define WLAB_RELOC(code, cname, target, addend, size) [code] = RT_##target,
#include "custom_relocs.def"
#undef WLAB_RELOC
};

enum {
	SYM_BINDING_LOCAL = 0x02,
	SYM_UNDEFINED = 0x10,
};

/* The item a symbol stands for, or UINT32_MAX. */
static uint32_t symbol_item(struct rg_build *b, uint32_t sym)
{
	const struct wlab_linking *lk = &b->m->linking;
	if (sym >= lk->nsymbols)
		return UINT32_MAX;
	const struct wlab_symbol *s = &lk->symbols[sym];
	switch (s->kind) {
	case WLAB_SYMTAB_FUNCTION: return wlab_refgraph_item(b->g, WLAB_ITEM_FUNC, s->index);
	case WLAB_SYMTAB_GLOBAL: return wlab_refgraph_item(b->g, WLAB_ITEM_GLOBAL, s->index);
	case WLAB_SYMTAB_EVENT: return wlab_refgraph_item(b->g, WLAB_ITEM_TAG, s->index);
	case WLAB_SYMTAB_TABLE: return wlab_refgraph_item(b->g, WLAB_ITEM_TABLE, s->index);
	case WLAB_SYMTAB_DATA:
		return s->defined ? wlab_refgraph_item(b->g, WLAB_ITEM_DATA, s->segment) : UINT32_MAX;
	default: return UINT32_MAX;
	}
}

/* The function body or data segment holding file offset off (entries are
 * in file order: a binary search), or UINT32_MAX. */
static uint32_t holder(struct rg_build *b, uint8_t sec, uint32_t off)
{
	const struct wlab_module *m = b->m;
	uint32_t lo = 0, hi = sec == WLAB_SEC_CODE ? m->ncodes : m->ndatas;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		struct wlab_span s = sec == WLAB_SEC_CODE ? m->codes[mid].span : m->datas[mid].span;
		if (off < s.offset)
			hi = mid;
		else if (off - s.offset >= s.size)
			lo = mid + 1;
		else
			return sec == WLAB_SEC_CODE
				? wlab_refgraph_item(b->g, WLAB_ITEM_FUNC, m->nimported_funcs + mid)
				: wlab_refgraph_item(b->g, WLAB_ITEM_DATA, mid);
	}
	return UINT32_MAX;
}

static void reloc_edges(struct rg_build *b, const struct wlab_reloc_section *rs)
{
	const struct wlab_module *m = b->m;
	if (rs->section_index >= m->nsections)
		return;
	const struct wlab_section *sec = &m->sections[rs->section_index];
	if (sec->id != WLAB_SEC_CODE && sec->id != WLAB_SEC_DATA)
		return;
	for (uint32_t k = 0; k < rs->count; k++) {
		const struct wlab_reloc *r = &rs->relocs[k];
		uint8_t t = r->type < sizeof reloc_target ? reloc_target[r->type] : RT_NONE;
		if (t == RT_NONE || t == RT_SECTION || t == RT_TYPE ||
		    r->offset >= sec->payload.size)
			continue;
		uint32_t from = holder(b, sec->id, sec->payload.offset + r->offset);
		uint32_t to = symbol_item(b, r->index);
		bool table_index = t == RT_FUNC && r->type != 0 && r->type != 8 && r->type != 22 &&
				   r->type != 26;  /* not a call's index nor an offset */
		if (from == UINT32_MAX || to == UINT32_MAX)
			continue;
		uint32_t fb = b->g->base[WLAB_ITEM_FUNC];
		if (table_index && to - fb < b->nfuncs)
			b->taken[to - fb] = 1;
		rg_push(b, from, to, table_index ? WLAB_EDGE_REF : WLAB_EDGE_USE);
	}
}

void rg_object(struct rg_build *b)
{
	const struct wlab_module *m = b->m;
	if (!m->has_linking)
		return;
	const struct wlab_linking *lk = &m->linking;
	for (uint32_t i = 0; i < lk->nsymbols; i++) {
		const struct wlab_symbol *s = &lk->symbols[i];
		if (!(s->flags & (SYM_BINDING_LOCAL | SYM_UNDEFINED)) && s->kind != WLAB_SYMTAB_SECTION)
			rg_push(b, 0, symbol_item(b, i), WLAB_EDGE_ROOT);
	}
	for (uint32_t i = 0; i < lk->ninit_funcs; i++)
		rg_push(b, 0, symbol_item(b, lk->init_funcs[i].symbol), WLAB_EDGE_ROOT);
	for (uint32_t i = 0; i < m->nreloc_sections; i++)
		reloc_edges(b, &m->reloc_sections[i]);
}
