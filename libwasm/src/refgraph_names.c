/* refgraph_names.c: finding the reference graph's items by kind and index
 * or by the names users give them, and their labels. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wlab/refgraph.h"

static const char *const kind_names[WLAB_ITEM_KIND_COUNT] = {
	[WLAB_ITEM_ROOT] = "root",     [WLAB_ITEM_FUNC] = "func",     [WLAB_ITEM_TABLE] = "table",
	[WLAB_ITEM_MEMORY] = "memory", [WLAB_ITEM_GLOBAL] = "global", [WLAB_ITEM_TAG] = "tag",
	[WLAB_ITEM_TYPE] = "type",     [WLAB_ITEM_ELEM] = "elem",     [WLAB_ITEM_DATA] = "data",
	[WLAB_ITEM_EXPORT] = "export", [WLAB_ITEM_START] = "start",
	[WLAB_ITEM_INDIRECT] = "indirect", [WLAB_ITEM_META] = "meta",
};

const char *wlab_item_kind_name(uint8_t kind)
{
	return kind < WLAB_ITEM_KIND_COUNT ? kind_names[kind] : "?";
}

uint32_t wlab_refgraph_item(const struct wlab_refgraph *g, uint8_t kind, uint32_t index)
{
	if (kind >= WLAB_ITEM_KIND_COUNT)
		return UINT32_MAX;
	if (kind == WLAB_ITEM_INDIRECT) {
		for (uint32_t k = 0; k < g->count[kind]; k++)
			if (g->items[g->base[kind] + k].index == index)
				return g->base[kind] + k;
		return UINT32_MAX;
	}
	return index < g->count[kind] ? g->base[kind] + index : UINT32_MAX;
}

/* "(i32, i64) -> (f32)" */
static size_t sig_text(const struct wlab_module *m, uint32_t t, char *buf, size_t n)
{
	if (t >= m->ntypes)
		return (size_t)snprintf(buf, n, "?");
	const struct wlab_functype *ft = &m->types[t];
	size_t k = 0;
	char tb[64];
	for (int side = 0; side < 2; side++) {
		uint32_t cnt = side ? ft->nresults : ft->nparams;
		const wlab_valtype_t *v = side ? ft->results : ft->params;
		k += (size_t)snprintf(buf + (k < n ? k : n), k < n ? n - k : 0, "%s(", side ? " -> " : "");
		for (uint32_t i = 0; i < cnt; i++)
			k += (size_t)snprintf(buf + (k < n ? k : n), k < n ? n - k : 0, "%s%s",
					      i ? ", " : "", wlab_type_str(v[i], tb, sizeof tb));
		k += (size_t)snprintf(buf + (k < n ? k : n), k < n ? n - k : 0, ")");
	}
	return k;
}

char *wlab_refgraph_label(const struct wlab_module *m, const struct wlab_refgraph *g, uint32_t i,
			  char *buf, size_t n)
{
	if (!n)
		return buf;
	if (i >= g->nitems) {
		snprintf(buf, n, "?");
		return buf;
	}
	const struct wlab_refitem *it = &g->items[i];
	const struct wlab_str *nm = &g->names[i];
	int k;
	switch (it->kind) {
	case WLAB_ITEM_ROOT:
		snprintf(buf, n, "module");
		return buf;
	case WLAB_ITEM_START:
		snprintf(buf, n, "start");
		return buf;
	case WLAB_ITEM_EXPORT:
		snprintf(buf, n, "export \"%.*s\"", (int)nm->len, (const char *)nm->ptr);
		return buf;
	case WLAB_ITEM_META:
		if (it->index < m->nsections && m->sections[it->index].id == WLAB_SEC_CUSTOM)
			snprintf(buf, n, "custom section \"%.*s\"", (int)m->sections[it->index].name.len,
				 (const char *)m->sections[it->index].name.ptr);
		else if (it->index < m->nsections)
			snprintf(buf, n, "section %s (header)",
				 wlab_section_name(m->sections[it->index].id)
					 ? wlab_section_name(m->sections[it->index].id) : "?");
		return buf;
	case WLAB_ITEM_INDIRECT:
		k = snprintf(buf, n, "indirect targets ");
		if (k > 0 && (size_t)k < n)
			sig_text(m, it->index, buf + k, n - (size_t)k);
		return buf;
	default:
		break;
	}
	k = snprintf(buf, n, "%s[%u]", kind_names[it->kind], it->index);
	if (k < 0 || (size_t)k >= n)
		return buf;
	const struct wlab_import *im = NULL;
	static const uint8_t ext[WLAB_ITEM_KIND_COUNT] = {
		[WLAB_ITEM_FUNC] = WLAB_EXTERN_FUNC,     [WLAB_ITEM_TABLE] = WLAB_EXTERN_TABLE,
		[WLAB_ITEM_MEMORY] = WLAB_EXTERN_MEMORY, [WLAB_ITEM_GLOBAL] = WLAB_EXTERN_GLOBAL,
		[WLAB_ITEM_TAG] = WLAB_EXTERN_TAG,
	};
	if (it->imported)
		im = wlab_module_import_of(m, ext[it->kind], it->index);
	if (nm->len)
		snprintf(buf + k, n - (size_t)k, " \"%.*s\"", (int)nm->len, (const char *)nm->ptr);
	else if (im)
		snprintf(buf + k, n - (size_t)k, " \"%.*s.%.*s\"", (int)im->module.len,
			 (const char *)im->module.ptr, (int)im->field.len, (const char *)im->field.ptr);
	return buf;
}

static bool str_is(const struct wlab_str *s, const char *want, size_t w)
{
	return s->len == w && memcmp(s->ptr, want, w) == 0;
}

uint32_t wlab_refgraph_find(const struct wlab_module *m, const struct wlab_refgraph *g,
			    const char *name)
{
	size_t w = strlen(name);
	char *end;
	if (name[0] >= '0' && name[0] <= '9') {
		unsigned long v = strtoul(name, &end, 10);
		if (!*end)
			return v <= UINT32_MAX ? wlab_refgraph_item(g, WLAB_ITEM_FUNC, (uint32_t)v)
					       : UINT32_MAX;
	}
	const char *br = strchr(name, '[');
	if (br && br[1] >= '0' && br[1] <= '9') {
		unsigned long v = strtoul(br + 1, &end, 10);
		for (uint8_t k = 1; *end == ']' && !end[1] && k < WLAB_ITEM_KIND_COUNT; k++)
			if (strlen(kind_names[k]) == (size_t)(br - name) &&
			    memcmp(kind_names[k], name, (size_t)(br - name)) == 0 && v <= UINT32_MAX)
				return wlab_refgraph_item(g, k, (uint32_t)v);
	}
	if (strcmp(name, "start") == 0 && g->count[WLAB_ITEM_START])
		return g->base[WLAB_ITEM_START];
	/* a function's display name, then any item's name, then an export's */
	char buf[512];
	for (uint32_t f = 0; f < g->count[WLAB_ITEM_FUNC]; f++) {
		uint32_t i = g->base[WLAB_ITEM_FUNC] + f;
		if (str_is(&g->names[i], name, w))
			return i;
		if (!g->names[i].len && g->items[i].imported) {
			wlab_refgraph_label(m, g, i, buf, sizeof buf);
			const char *q = strchr(buf, '"');
			if (q && strlen(q + 1) == w + 1 && memcmp(q + 1, name, w) == 0)
				return i;
		}
	}
	for (uint32_t i = 1; i < g->base[WLAB_ITEM_EXPORT]; i++)
		if (str_is(&g->names[i], name, w))
			return i;
	for (uint32_t k = 0; k < m->nexports; k++)
		if (str_is(&m->exports[k].name, name, w))
			return g->base[WLAB_ITEM_EXPORT] + k;
	return UINT32_MAX;
}
