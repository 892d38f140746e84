/* refgraph_internal.h: the builder shared by refgraph*.c. */
#ifndef WLAB_REFGRAPH_INTERNAL_H
#define WLAB_REFGRAPH_INTERNAL_H

#include "wlab/refgraph.h"

struct rg_edge {
	uint32_t from, to;
	uint8_t kind;
};

struct rg_build {
	const struct wlab_module *m;
	struct wlab_refgraph *g;
	struct wlab_error *err;
	struct rg_edge *edges;
	uint32_t nedges, cap;
	bool nomem;
	uint32_t nfuncs;          /* the function space, imports included */
	uint8_t *taken;           /* per function: its reference is taken */
	uint32_t *canon;          /* per type: the lowest index of its signature */
	uint32_t *indirect_item;  /* per type: its signature's indirect item */
};

/* refgraph_items.c: the items and their sizes; the edges. */
enum wlab_status rg_items(struct rg_build *b);
enum wlab_status rg_edges(struct rg_build *b);
/* refgraph_meta.c: the meta items (after the indirect ones) and their
 * sizes; the edges that keep them. */
void rg_meta_items(struct rg_build *b);
enum wlab_status rg_meta_edges(struct rg_build *b);
/* refgraph_object.c: a relocatable object's symbols as roots, its
 * relocations as edges. */
void rg_object(struct rg_build *b);
/* refgraph.c: adds an edge (none when an end is UINT32_MAX); false when
 * out of memory. */
bool rg_push(struct rg_build *b, uint32_t from, uint32_t to, uint8_t kind);
void rg_edge(struct rg_build *b, uint32_t from, uint8_t kind, uint8_t to_kind, uint32_t idx);
void rg_valtype(struct rg_build *b, uint32_t from, wlab_valtype_t t);
/* The edges of every instruction in span (a body or a constant expression). */
enum wlab_status rg_expr(struct rg_build *b, uint32_t from, struct wlab_span span);

/* The function of a (ref.func f) expression; UINT32_MAX for another. */
uint32_t rg_expr_func(struct rg_build *b, struct wlab_span span);

#endif
