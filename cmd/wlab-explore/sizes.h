/* sizes.h: the views of the reference graph (sizes.c, paths.c, callgraph.c)
 * and --diff (diff.c). */
#ifndef SIZES_H
#define SIZES_H

#include "explore.h"
#include "wlab/refgraph.h"

struct sz_view {
	const char *path;
	const struct explore_opts *o;
	const struct wlab_module *m;
	const struct wlab_refgraph *g;
	const uint32_t *idom;      /* the dominator tree (wlab_refgraph_dominators) */
	const uint64_t *retained;
	const uint8_t *mark;       /* reachable from the root */
	FILE *out;
};

int explore_dominators(const struct sz_view *v);
int explore_garbage(const struct sz_view *v);
int explore_paths(const struct sz_view *v);
int explore_callgraph(const struct sz_view *v);
int explore_by_source(const struct sz_view *v);

struct wlab_dwarf;
/* The outermost DWARF frame at the first instructions of defined function
 * d (bysource.c): its file and function name; false when there is none. */
bool sz_dwarf_func(const struct wlab_module *m, struct wlab_dwarf *dw, uint32_t base, uint32_t d,
		   const char **file, const char **function);

/* calloc that exits on failure */
void *sz_alloc(size_t n, size_t size);
void sz_pct(char *buf, size_t n, uint64_t part, uint64_t whole);
/* Writes `{"id":..,"kind":..,"index":..,"label":..,"name":..,"offset":..,"shallow":..`
 * (no closing brace). */
void sz_json_item(const struct sz_view *v, uint32_t i);

#endif
