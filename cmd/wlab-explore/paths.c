/* paths.c: --paths ITEM, the chains of references from the roots that keep
 * an item: a depth-first walk backwards over the edges from the item to the
 * root, nearest predecessors first (by their distance from the root), so the
 * first chain is a shortest one. At most --top chains (10 by default) of at
 * most --depth items (64 by default); the walk stops after a million steps. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "sizes.h"

struct pwalk {
	const struct sz_view *v;
	uint32_t *pfirst, *pfrom;  /* predecessors */
	uint32_t *dist;            /* from the root, UINT32_MAX: unreachable */
	uint32_t *chain, len;      /* the current chain, item first */
	uint8_t *on;               /* on the current chain */
	uint32_t found, limit, maxlen;
	uint64_t steps;
	bool truncated;
};

static void distances(const struct wlab_refgraph *g, uint32_t *dist)
{
	uint32_t *queue = sz_alloc(g->nitems, sizeof *queue), head = 0, tail = 0;
	for (uint32_t i = 0; i < g->nitems; i++)
		dist[i] = UINT32_MAX;
	dist[0] = 0;
	queue[tail++] = 0;
	while (head < tail) {
		uint32_t i = queue[head++];
		for (uint32_t e = g->first[i]; e < g->first[i + 1]; e++)
			if (dist[g->to[e]] == UINT32_MAX) {
				dist[g->to[e]] = dist[i] + 1;
				queue[tail++] = g->to[e];
			}
	}
	free(queue);
}

static void predecessors(struct pwalk *w)
{
	const struct wlab_refgraph *g = w->v->g;
	w->pfirst = sz_alloc(g->nitems + 1, sizeof *w->pfirst);
	w->pfrom = sz_alloc(g->nedges + 1, sizeof *w->pfrom);
	for (uint32_t e = 0; e < g->nedges; e++)
		w->pfirst[g->to[e] + 1]++;
	for (uint32_t i = 0; i < g->nitems; i++)
		w->pfirst[i + 1] += w->pfirst[i];
	uint32_t *fill = sz_alloc(g->nitems + 1, sizeof *fill);
	memcpy(fill, w->pfirst, g->nitems * sizeof *fill);
	for (uint32_t i = 0; i < g->nitems; i++)
		for (uint32_t e = g->first[i]; e < g->first[i + 1]; e++)
			w->pfrom[fill[g->to[e]]++] = i;
	free(fill);
	/* nearest first: sort each list by distance (insertion sort: lists are short) */
	for (uint32_t i = 0; i < g->nitems; i++)
		for (uint32_t a = w->pfirst[i] + 1; a < w->pfirst[i + 1]; a++)
			for (uint32_t b = a; b > w->pfirst[i] && w->dist[w->pfrom[b]] < w->dist[w->pfrom[b - 1]];
			     b--) {
				uint32_t t = w->pfrom[b];
				w->pfrom[b] = w->pfrom[b - 1];
				w->pfrom[b - 1] = t;
			}
}

static void print_chain(struct pwalk *w)
{
	const struct sz_view *v = w->v;
	char buf[600];
	if (v->o->json) {
		fputs(w->found ? ",\n[" : "\n[", v->out);
		for (uint32_t k = w->len - 1; k-- > 0;) {  /* the root (last) left out */
			if (k != w->len - 2)
				fputc(',', v->out);
			sz_json_item(v, w->chain[k]);
			fputc('}', v->out);
		}
		fputc(']', v->out);
	} else {
		fputs("  ", v->out);
		for (uint32_t k = w->len - 1; k-- > 0;)
			fprintf(v->out, "%s%s", wlab_refgraph_label(v->m, v->g, w->chain[k], buf, sizeof buf),
				k ? " -> " : "\n");
	}
	w->found++;
}

static void walk(struct pwalk *w)
{
	/* iterative: pos[k] is the next predecessor to try at chain[k] */
	uint32_t *pos = sz_alloc(w->maxlen + 1, sizeof *pos);
	pos[0] = w->pfirst[w->chain[0]];
	w->on[w->chain[0]] = 1;
	w->len = 1;
	while (w->len && w->found < w->limit) {
		uint32_t top = w->chain[w->len - 1];
		if (top == 0) {
			print_chain(w);
		} else if (w->len < w->maxlen && pos[w->len - 1] < w->pfirst[top + 1]) {
			if (++w->steps > 1000000) {
				w->truncated = true;
				break;
			}
			uint32_t p = w->pfrom[pos[w->len - 1]++];
			if (w->on[p] || w->dist[p] == UINT32_MAX || w->dist[p] + w->len > w->maxlen)
				continue;
			w->on[p] = 1;
			pos[w->len] = w->pfirst[p];
			w->chain[w->len++] = p;
			continue;
		}
		w->on[top] = 0;
		w->len--;
	}
	if (w->found == w->limit)
		w->truncated = true;
	free(pos);
}

int explore_paths(const struct sz_view *v)
{
	const struct wlab_refgraph *g = v->g;
	uint32_t item = wlab_refgraph_find(v->m, g, v->o->paths);
	if (item == UINT32_MAX) {
		fprintf(stderr, "%s: error: no item named %s\n", v->path, v->o->paths);
		return 1;
	}
	struct pwalk w = {.v = v, .limit = v->o->top ? v->o->top : 10,
			  .maxlen = v->o->depth ? v->o->depth + 1 : 65};
	w.dist = sz_alloc(g->nitems, sizeof *w.dist);
	w.chain = sz_alloc(w.maxlen + 1, sizeof *w.chain);
	w.on = sz_alloc(g->nitems, 1);
	distances(g, w.dist);
	predecessors(&w);
	w.chain[0] = item;
	char buf[600];
	wlab_refgraph_label(v->m, g, item, buf, sizeof buf);
	if (v->o->json) {
		fputs("{\"schema\":\"wlab-explore-paths/1\",\"file\":", v->out);
		explore_json_str(v->out, v->path);
		fputs(",\"item\":", v->out);
		sz_json_item(v, item);
		fprintf(v->out, ",\"retained\":%" PRIu64 "},\"reachable\":%s,\"paths\":[", v->retained[item],
			v->mark[item] ? "true" : "false");
	} else {
		fprintf(v->out, "%s: %" PRIu32 " bytes, retains %" PRIu64 "\n", buf, g->items[item].size,
			v->retained[item]);
	}
	if (item == 0 || v->mark[item])
		walk(&w);
	if (v->o->json)
		fprintf(v->out, "\n],\"truncated\":%s}\n", w.truncated ? "true" : "false");
	else if (item && !v->mark[item])
		fputs("  garbage: no root reaches it\n", v->out);
	else if (w.truncated)
		fprintf(v->out, "  (more chains not shown: --top, --depth)\n");
	free(w.dist);
	free(w.chain);
	free(w.on);
	free(w.pfirst);
	free(w.pfrom);
	return 0;
}
