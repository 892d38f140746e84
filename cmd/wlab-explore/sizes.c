/* sizes.c: the views of the reference graph (wlab/refgraph.h): --dominators
 * (the dominator tree with shallow and retained sizes, as twiggy prints it),
 * --garbage (what nothing reaches) and --paths ITEM (the chains from the
 * roots that keep an item). --callgraph is in callgraph.c. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "sizes.h"

void *sz_alloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);
	if (!p) {
		fputs("wlab-explore: out of memory\n", stderr);
		exit(1);
	}
	return p;
}

/* "12.34%" of part in whole */
void sz_pct(char *buf, size_t n, uint64_t part, uint64_t whole)
{
	uint64_t c = whole ? (part * 10000 + whole / 2) / whole : 0;
	snprintf(buf, n, "%" PRIu64 ".%02" PRIu64 "%%", c / 100, c % 100);
}

/* One item as the JSON views write it: id, kind, index, label, name. */
void sz_json_item(const struct sz_view *v, uint32_t i)
{
	char buf[600];
	const struct wlab_refitem *it = &v->g->items[i];
	fprintf(v->out, "{\"id\":%" PRIu32 ",\"kind\":\"%s\",\"index\":%" PRIu32 ",\"label\":", i,
		wlab_item_kind_name(it->kind), it->index);
	explore_json_str(v->out, wlab_refgraph_label(v->m, v->g, i, buf, sizeof buf));
	fputs(",\"name\":", v->out);
	const struct wlab_str *nm = &v->g->names[i];
	if (nm->len) {
		snprintf(buf, sizeof buf, "%.*s", (int)nm->len, (const char *)nm->ptr);
		explore_json_str(v->out, buf);
	} else {
		fputs("null", v->out);
	}
	fprintf(v->out, ",\"offset\":%" PRIu32 ",\"shallow\":%" PRIu32, it->span.offset, it->size);
}

/* ---- --dominators ---- */

static const struct sz_view *sort_view;  /* qsort has no context argument */

static int child_cmp(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
	const struct sz_view *v = sort_view;
	int c = 0;
	if (v->o->sort == SORT_SHALLOW) {
		uint32_t sa = v->g->items[a].size, sb = v->g->items[b].size;
		c = sa > sb ? -1 : sa < sb;
	} else if (v->o->sort == SORT_NAME) {
		char ba[600], bb[600];
		c = strcmp(wlab_refgraph_label(v->m, v->g, a, ba, sizeof ba),
			   wlab_refgraph_label(v->m, v->g, b, bb, sizeof bb));
	} else {
		c = v->retained[a] > v->retained[b] ? -1 : v->retained[a] < v->retained[b];
	}
	return c ? c : (a < b ? -1 : a > b);
}

/* The dominator tree's children lists, each sorted by --sort. */
static void dom_children(const struct sz_view *v, uint32_t *first, uint32_t *kids)
{
	const struct wlab_refgraph *g = v->g;
	for (uint32_t i = 1; i < g->nitems; i++)
		if (v->idom[i] != UINT32_MAX)
			first[v->idom[i] + 1]++;
	for (uint32_t i = 0; i < g->nitems; i++)
		first[i + 1] += first[i];
	uint32_t *fill = sz_alloc(g->nitems + 1, sizeof *fill);
	memcpy(fill, first, g->nitems * sizeof *fill);
	for (uint32_t i = 1; i < g->nitems; i++)
		if (v->idom[i] != UINT32_MAX)
			kids[fill[v->idom[i]]++] = i;
	free(fill);
	sort_view = v;
	for (uint32_t i = 0; i < g->nitems; i++)
		if (first[i + 1] - first[i] > 1)
			qsort(kids + first[i], first[i + 1] - first[i], sizeof *kids, child_cmp);
}

static void dom_row(const struct sz_view *v, uint32_t i, uint32_t depth, bool *comma)
{
	char buf[600], rp[32], sp[32];
	if (v->o->json) {
		fputs(*comma ? ",\n" : "\n", v->out);
		*comma = true;
		sz_json_item(v, i);
		fprintf(v->out, ",\"retained\":%" PRIu64 ",\"depth\":%" PRIu32 ",\"idom\":", v->retained[i],
			depth);
		if (i)
			fprintf(v->out, "%" PRIu32 "}", v->idom[i]);
		else
			fputs("null}", v->out);
		return;
	}
	sz_pct(rp, sizeof rp, v->retained[i], v->m->size);
	sz_pct(sp, sizeof sp, v->g->items[i].size, v->m->size);
	fprintf(v->out, "%15" PRIu64 " ┊ %10s ┊ %13" PRIu32 " ┊ %9s ┊ %*s%s%s\n", v->retained[i], rp,
		v->g->items[i].size, sp, (int)(depth ? 2 * depth - 2 : 0), "", depth ? "⤷ " : "",
		wlab_refgraph_label(v->m, v->g, i, buf, sizeof buf));
}

int explore_dominators(const struct sz_view *v)
{
	const struct wlab_refgraph *g = v->g;
	uint32_t *first = sz_alloc(g->nitems + 1, sizeof *first);
	uint32_t *kids = sz_alloc(g->nitems, sizeof *kids);
	uint32_t *stack = sz_alloc(g->nitems, sizeof *stack), *dep = sz_alloc(g->nitems, sizeof *dep);
	dom_children(v, first, kids);
	uint32_t rows = 0, limit = v->o->top ? v->o->top : UINT32_MAX, maxdepth = v->o->depth;
	bool comma = false;
	if (v->o->json)
		fprintf(v->out, "{\"schema\":\"wlab-explore-dominators/1\",\"file\":");
	if (v->o->json) {
		explore_json_str(v->out, v->path);
		fprintf(v->out, ",\"size\":%zu,\"items_bytes\":%" PRIu64 ",\"reachable_bytes\":%" PRIu64
				",\"items\":[", v->m->size, g->total, v->retained[0]);
	} else {
		fputs(" Retained Bytes │ Retained % │ Shallow Bytes │ Shallow % │ Dominator Tree\n"
		      "────────────────┼────────────┼───────────────┼───────────┼───────────────\n",
		      v->out);
	}
	uint32_t sp = 0;
	stack[sp++] = 0;
	dep[0] = 0;
	uint32_t cut = 0;
	while (sp) {
		uint32_t i = stack[--sp], d = dep[i];
		if (rows == limit) {
			cut++;
			continue;
		}
		dom_row(v, i, d, &comma);
		rows++;
		if (maxdepth && d >= maxdepth) {
			cut += first[i + 1] - first[i];
			continue;
		}
		for (uint32_t k = first[i + 1]; k-- > first[i];) {
			stack[sp++] = kids[k];
			dep[kids[k]] = d + 1;
		}
	}
	if (v->o->json)
		fprintf(v->out, "\n],\"rows\":%" PRIu32 ",\"cut\":%" PRIu32 "}\n", rows, cut);
	else if (cut)
		fprintf(v->out, "(%" PRIu32 " more subtrees not shown: --top, --depth)\n", cut);
	if (!v->o->json)
		fprintf(v->out, "\n%" PRIu64 " of %zu bytes are in items: %" PRIu64
				" reachable, %" PRIu64 " garbage (--garbage)\n",
			g->total, v->m->size, v->retained[0], g->total - v->retained[0]);
	free(first);
	free(kids);
	free(stack);
	free(dep);
	return 0;
}

/* ---- --garbage ---- */

static int garbage_cmp(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
	uint32_t sa = sort_view->g->items[a].size, sb = sort_view->g->items[b].size;
	if (sa != sb)
		return sa > sb ? -1 : 1;
	return a < b ? -1 : a > b;
}

int explore_garbage(const struct sz_view *v)
{
	const struct wlab_refgraph *g = v->g;
	uint32_t *list = sz_alloc(g->nitems, sizeof *list), n = 0;
	uint64_t total = 0, kbytes[WLAB_ITEM_KIND_COUNT] = {0};
	uint32_t kcount[WLAB_ITEM_KIND_COUNT] = {0};
	for (uint32_t i = 1; i < g->nitems; i++) {
		const struct wlab_refitem *it = &g->items[i];
		if (v->mark[i] || it->kind == WLAB_ITEM_INDIRECT)
			continue;
		list[n++] = i;
		total += it->size;
		kbytes[it->kind] += it->size;
		kcount[it->kind]++;
	}
	sort_view = v;
	qsort(list, n, sizeof *list, garbage_cmp);
	uint32_t shown = v->o->top && v->o->top < n ? v->o->top : n;
	char buf[600], pct[32];
	if (v->o->json) {
		fputs("{\"schema\":\"wlab-explore-garbage/1\",\"file\":", v->out);
		explore_json_str(v->out, v->path);
		fprintf(v->out, ",\"size\":%zu,\"items\":[", v->m->size);
		for (uint32_t k = 0; k < shown; k++) {
			fputs(k ? ",\n" : "\n", v->out);
			sz_json_item(v, list[k]);
			fputc('}', v->out);
		}
		fprintf(v->out, "\n],\"count\":%" PRIu32 ",\"bytes\":%" PRIu64 ",\"by_kind\":{", n, total);
		bool comma = false;
		for (uint8_t k = 1; k < WLAB_ITEM_KIND_COUNT; k++) {
			if (!kcount[k])
				continue;
			fprintf(v->out, "%s\"%s\":{\"count\":%" PRIu32 ",\"bytes\":%" PRIu64 "}",
				comma ? "," : "", wlab_item_kind_name(k), kcount[k], kbytes[k]);
			comma = true;
		}
		fputs("}}\n", v->out);
		free(list);
		return 0;
	}
	fputs(" Bytes │ Size % │ Garbage Item\n"
	      "───────┼────────┼─────────────\n", v->out);
	for (uint32_t k = 0; k < shown; k++) {
		sz_pct(pct, sizeof pct, g->items[list[k]].size, v->m->size);
		fprintf(v->out, "%6" PRIu32 " ┊ %6s ┊ %s\n", g->items[list[k]].size, pct,
			wlab_refgraph_label(v->m, v->g, list[k], buf, sizeof buf));
	}
	if (shown < n)
		fprintf(v->out, "(%" PRIu32 " more not shown: --top)\n", n - shown);
	sz_pct(pct, sizeof pct, total, v->m->size);
	fprintf(v->out, "%6" PRIu64 " ┊ %6s ┊ Σ [%" PRIu32 " Total Rows]\n", total, pct, n);
	for (uint8_t k = 1; k < WLAB_ITEM_KIND_COUNT; k++)
		if (kcount[k])
			fprintf(v->out, "  %s: %" PRIu32 " items, %" PRIu64 " bytes\n",
				wlab_item_kind_name(k), kcount[k], kbytes[k]);
	free(list);
	return 0;
}

/* Builds m's reference graph and its dominator tree, then prints the view
 * the options chose. */
int explore_sizes(const char *path, const struct wlab_module *m, const struct explore_opts *o,
		  FILE *out)
{
	struct wlab_refgraph *g = NULL;
	struct wlab_error err = {0};
	if (wlab_refgraph_build(m, &g, &err) != WLAB_OK) {
		fprintf(stderr, "%s:0x%zx: error: %s\n", path, err.offset, err.message);
		return 1;
	}
	uint32_t *idom = sz_alloc(g->nitems, sizeof *idom);
	uint64_t *retained = sz_alloc(g->nitems, sizeof *retained);
	uint8_t *mark = sz_alloc(g->nitems, 1);
	if (wlab_refgraph_dominators(g, idom, retained) != WLAB_OK) {
		fputs("wlab-explore: out of memory\n", stderr);
		exit(1);
	}
	for (uint32_t i = 0; i < g->nitems; i++)
		mark[i] = idom[i] != UINT32_MAX;
	struct sz_view v = {.path = path, .o = o, .m = m, .g = g, .idom = idom,
			    .retained = retained, .mark = mark, .out = out};
	int rc;
	if (o->garbage)
		rc = explore_garbage(&v);
	else if (o->paths)
		rc = explore_paths(&v);
	else if (o->callgraph)
		rc = explore_callgraph(&v);
	else if (o->by_source)
		rc = explore_by_source(&v);
	else
		rc = explore_dominators(&v);
	free(idom);
	free(retained);
	free(mark);
	wlab_refgraph_free(g);
	return rc;
}
