/* callgraph.c: --callgraph, the reference graph as Graphviz dot or JSON.
 * By default the functions, the roots that lead to them (exports, the start
 * section, element segments) and the indirect-target items, with the call,
 * ref, indirect and root edges between them; with --all-items every item
 * and every edge. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "sizes.h"

static const char *const edge_names[] = {"root", "call", "ref", "indirect", "use"};

static bool shown_item(const struct sz_view *v, uint32_t i)
{
	if (v->o->all_items)
		return true;
	uint8_t k = v->g->items[i].kind;
	if (k == WLAB_ITEM_INDIRECT)
		return v->mark[i] || v->g->first[i + 1] > v->g->first[i];
	if (k == WLAB_ITEM_EXPORT)
		return v->g->first[i + 1] > v->g->first[i] &&
		       v->g->items[v->g->to[v->g->first[i]]].kind == WLAB_ITEM_FUNC;
	return k == WLAB_ITEM_ROOT || k == WLAB_ITEM_FUNC || k == WLAB_ITEM_START ||
	       k == WLAB_ITEM_ELEM;
}

static bool shown_edge(const struct sz_view *v, uint32_t from, uint32_t e)
{
	uint32_t to = v->g->to[e];
	if (v->o->all_items)
		return true;
	if (!shown_item(v, from) || !shown_item(v, to))
		return false;
	return v->g->ekind[e] != WLAB_EDGE_USE || v->g->items[from].kind == WLAB_ITEM_EXPORT;
}

static void dot_str(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', out);
		if ((unsigned char)*s >= 0x20)
			fputc(*s, out);
	}
}

static void dot(const struct sz_view *v)
{
	const struct wlab_refgraph *g = v->g;
	char buf[600];
	fputs("digraph \"", v->out);
	dot_str(v->out, v->path);
	fputs("\" {\n  rankdir=LR;\n  node [shape=box, fontname=\"monospace\"];\n", v->out);
	for (uint32_t i = 0; i < g->nitems; i++) {
		if (!shown_item(v, i))
			continue;
		fprintf(v->out, "  n%" PRIu32 " [label=\"", i);
		dot_str(v->out, wlab_refgraph_label(v->m, g, i, buf, sizeof buf));
		fprintf(v->out, "\\n%" PRIu32 " B, retains %" PRIu64 " B\"%s];\n", g->items[i].size,
			v->retained[i], v->mark[i] ? "" : ", style=dashed, color=gray");
	}
	static const char *const style[] = {"color=gray", "", "style=dashed", "style=dotted",
					    "color=gray, style=dashed"};
	for (uint32_t i = 0; i < g->nitems; i++)
		for (uint32_t e = g->first[i]; e < g->first[i + 1]; e++)
			if (shown_edge(v, i, e))
				fprintf(v->out, "  n%" PRIu32 " -> n%" PRIu32 " [%s%slabel=\"%s\"];\n", i,
					g->to[e], style[g->ekind[e]], *style[g->ekind[e]] ? ", " : "",
					edge_names[g->ekind[e]]);
	fputs("}\n", v->out);
}

static void json(const struct sz_view *v)
{
	const struct wlab_refgraph *g = v->g;
	fputs("{\"schema\":\"wlab-explore-graph/1\",\"file\":", v->out);
	explore_json_str(v->out, v->path);
	fprintf(v->out, ",\"size\":%zu,\"all_items\":%s,\"items\":[", v->m->size,
		v->o->all_items ? "true" : "false");
	bool comma = false;
	for (uint32_t i = 0; i < g->nitems; i++) {
		if (!shown_item(v, i))
			continue;
		fputs(comma ? ",\n" : "\n", v->out);
		comma = true;
		sz_json_item(v, i);
		fprintf(v->out, ",\"retained\":%" PRIu64 ",\"imported\":%s,\"reachable\":%s}",
			v->retained[i], g->items[i].imported ? "true" : "false",
			v->mark[i] ? "true" : "false");
	}
	fputs("\n],\"edges\":[", v->out);
	comma = false;
	for (uint32_t i = 0; i < g->nitems; i++)
		for (uint32_t e = g->first[i]; e < g->first[i + 1]; e++) {
			if (!shown_edge(v, i, e))
				continue;
			fprintf(v->out, "%s[%" PRIu32 ",%" PRIu32 ",\"%s\"]", comma ? "," : "", i, g->to[e],
				edge_names[g->ekind[e]]);
			comma = true;
		}
	fputs("]}\n", v->out);
}

int explore_callgraph(const struct sz_view *v)
{
	if (v->o->json)
		json(v);
	else
		dot(v);
	return 0;
}
