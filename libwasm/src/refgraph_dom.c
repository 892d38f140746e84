/* refgraph_dom.c: reachability and the dominator tree of the reference
 * graph (Cooper, Harvey and Kennedy's iterative algorithm over a reverse
 * postorder), and the retained sizes it gives. */
#include <stdlib.h>
#include <string.h>

#include "wlab/refgraph.h"

uint32_t wlab_refgraph_reach(const struct wlab_refgraph *g, uint32_t skip, uint8_t *mark)
{
	memset(mark, 0, g->nitems);
	if (!g->nitems || skip == 0)
		return 0;
	uint32_t *stack = malloc((size_t)g->nitems * sizeof *stack);
	if (!stack)
		return 0;
	uint32_t sp = 0, n = 1;
	stack[sp++] = 0;
	mark[0] = 1;
	while (sp) {
		uint32_t i = stack[--sp];
		for (uint32_t e = g->first[i]; e < g->first[i + 1]; e++) {
			uint32_t t = g->to[e];
			if (!mark[t] && t != skip) {
				mark[t] = 1;
				n++;
				stack[sp++] = t;
			}
		}
	}
	free(stack);
	return n;
}

/* Postorder of the items reachable from the root, by an iterative depth-first
 * walk: order[k] is the k-th item finished, po[i] its number (UINT32_MAX
 * when unreachable). Returns how many. */
static uint32_t postorder(const struct wlab_refgraph *g, uint32_t *order, uint32_t *po,
			  uint32_t *stack, uint32_t *next)
{
	for (uint32_t i = 0; i < g->nitems; i++) {
		po[i] = UINT32_MAX;
		next[i] = g->first[i];
	}
	uint32_t sp = 0, n = 0;
	stack[sp++] = 0;
	po[0] = UINT32_MAX - 1;  /* on the stack */
	while (sp) {
		uint32_t i = stack[sp - 1];
		if (next[i] < g->first[i + 1]) {
			uint32_t t = g->to[next[i]++];
			if (po[t] == UINT32_MAX) {
				po[t] = UINT32_MAX - 1;
				stack[sp++] = t;
			}
			continue;
		}
		sp--;
		po[i] = n;
		order[n++] = i;
	}
	return n;
}

static uint32_t intersect(const uint32_t *idom, const uint32_t *po, uint32_t a, uint32_t b)
{
	while (a != b) {
		while (po[a] < po[b])
			a = idom[a];
		while (po[b] < po[a])
			b = idom[b];
	}
	return a;
}

/* Predecessor lists (reverse edges), CSR form. */
static bool preds(const struct wlab_refgraph *g, uint32_t **pfirst, uint32_t **pfrom)
{
	uint32_t *first = calloc((size_t)g->nitems + 1, sizeof *first);
	uint32_t *from = malloc(((size_t)g->nedges + 1) * sizeof *from);
	uint32_t *fill = malloc(((size_t)g->nitems + 1) * sizeof *fill);
	if (!first || !from || !fill) {
		free(first);
		free(from);
		free(fill);
		return false;
	}
	for (uint32_t e = 0; e < g->nedges; e++)
		first[g->to[e] + 1]++;
	for (uint32_t i = 0; i < g->nitems; i++)
		first[i + 1] += first[i];
	memcpy(fill, first, (size_t)g->nitems * sizeof *fill);
	for (uint32_t i = 0; i < g->nitems; i++)
		for (uint32_t e = g->first[i]; e < g->first[i + 1]; e++)
			from[fill[g->to[e]]++] = i;
	free(fill);
	*pfirst = first;
	*pfrom = from;
	return true;
}

static void solve(const struct wlab_refgraph *g, const uint32_t *order, uint32_t n,
		  const uint32_t *po, const uint32_t *pfirst, const uint32_t *pfrom, uint32_t *idom)
{
	for (uint32_t i = 0; i < g->nitems; i++)
		idom[i] = UINT32_MAX;
	idom[0] = 0;
	for (bool changed = true; changed;) {
		changed = false;
		for (uint32_t k = n - 1; k-- > 0;) {  /* reverse postorder, the root (last) skipped */
			uint32_t b = order[k], nd = UINT32_MAX;
			for (uint32_t e = pfirst[b]; e < pfirst[b + 1]; e++) {
				uint32_t p = pfrom[e];
				if (idom[p] == UINT32_MAX)
					continue;
				nd = nd == UINT32_MAX ? p : intersect(idom, po, p, nd);
			}
			if (nd != idom[b]) {
				idom[b] = nd;
				changed = true;
			}
		}
	}
}

enum wlab_status wlab_refgraph_dominators(const struct wlab_refgraph *g, uint32_t *idom_out,
					  uint64_t *retained)
{
	size_t n = (size_t)g->nitems + 1;
	uint32_t *order = malloc(n * sizeof *order), *po = malloc(n * sizeof *po);
	uint32_t *stack = malloc(n * sizeof *stack), *next = malloc(n * sizeof *next);
	uint32_t *idom = idom_out ? idom_out : malloc(n * sizeof *idom);
	uint32_t *pfirst = NULL, *pfrom = NULL;
	enum wlab_status st = WLAB_NOMEM;
	if (!g->nitems) {
		st = WLAB_OK;
		goto out;
	}
	if (!order || !po || !stack || !next || !idom || !preds(g, &pfirst, &pfrom))
		goto out;
	uint32_t reached = postorder(g, order, po, stack, next);
	solve(g, order, reached, po, pfirst, pfrom, idom);
	if (retained) {
		for (uint32_t i = 0; i < g->nitems; i++)
			retained[i] = idom[i] == UINT32_MAX ? 0 : g->items[i].size;
		/* an item's dominator finishes after it: add each up when done */
		for (uint32_t k = 0; k + 1 < reached; k++)
			retained[idom[order[k]]] += retained[order[k]];
	}
	st = WLAB_OK;
out:
	free(order);
	free(po);
	free(stack);
	free(next);
	free(pfirst);
	free(pfrom);
	if (idom != idom_out)
		free(idom);
	return st;
}
