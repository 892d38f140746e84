/* rt_profile.h: the store's profile (rt_profile.c): every unit of fuel
 * charged is counted to the call stack it was charged in, or, sampled,
 * every sample a clock took (pending) to the stack running at the next
 * instruction (rt_prof_sample). A call tree of
 * nodes, (caller's node, function) -> counter, found by hash on calls
 * only; at[d] is the node of the function running at call depth d (set by
 * rt_run and calls, so returns, throws and traps restore it by depth
 * alone). Only a store with fuel on reaches these: a plain run pays
 * nothing. */
#ifndef RT_PROFILE_H
#define RT_PROFILE_H

#include <stdatomic.h>
#include <stdint.h>

#include "wlab/runtime.h"

struct rt_func;

struct rt_prof {
	struct wlab_profile_node *nodes;  /* [0] is the root */
	struct rt_func **fns;             /* per node: its function */
	uint32_t nnodes, cap;
	uint32_t *hash;     /* node index + 1, or 0; hmask + 1 entries */
	uint32_t hmask;
	uint32_t *at;       /* per call depth: the node running there */
	bool lost;          /* out of memory: some calls counted to their callers */
	bool cover;         /* also mark each cell run (wlab_store_coverage) */
	bool sampled;       /* count samples, not fuel (wlab_store_profile_sampled) */
	atomic_uint pending;  /* samples taken (wlab_store_profile_tick), not yet charged */
};

/* The node of f called from at[depth - 1], now at[depth]. */
void rt_prof_enter(struct wlab_store *s, uint32_t depth, struct rt_func *f);
/* Marks cell of f as run (coverage). */
void rt_prof_cover(struct rt_func *f, uint32_t cell);
/* Charges the pending samples to the function running at depth. */
void rt_prof_sample(struct rt_prof *p, uint32_t depth);
void rt_prof_free(struct rt_prof *p);

#endif
