/* rt_profile.c: the store's profile (rt_profile.h): a call tree counted in
 * fuel units or in samples of a clock, and the cells each function ran
 * (coverage). */
#include <stdlib.h>
#include <string.h>

#include "rt_internal.h"

static uint32_t hash_of(uint32_t parent, const struct rt_func *f)
{
	uint64_t h = ((uint64_t)(uintptr_t)f >> 4) * 0x9e3779b97f4a7c15u ^ parent * 0xff51afd7u;
	return (uint32_t)(h ^ h >> 29);
}

/* Doubles the hash (and rehashes every node); false when out of memory. */
static bool grow_hash(struct rt_prof *p)
{
	uint32_t size = (p->hmask + 1) * 2;
	uint32_t *h = calloc(size, sizeof *h);
	if (!h)
		return false;
	for (uint32_t i = 1; i < p->nnodes; i++) {
		uint32_t k = hash_of(p->nodes[i].parent, p->fns[i]) & (size - 1);
		while (h[k])
			k = (k + 1) & (size - 1);
		h[k] = i + 1;
	}
	free(p->hash);
	p->hash = h, p->hmask = size - 1;
	return true;
}

static bool grow_nodes(struct rt_prof *p)
{
	uint32_t cap = p->cap * 2;
	struct wlab_profile_node *n = realloc(p->nodes, (size_t)cap * sizeof *n);
	if (!n)
		return false;
	p->nodes = n;
	struct rt_func **f = realloc(p->fns, (size_t)cap * sizeof *f);
	if (!f)
		return false;
	p->fns = f, p->cap = cap;
	return true;
}

/* The child of parent for f, made when new; parent when out of memory. */
static uint32_t child(struct rt_prof *p, uint32_t parent, struct rt_func *f)
{
	uint32_t k = hash_of(parent, f) & p->hmask;
	for (; p->hash[k]; k = (k + 1) & p->hmask) {
		uint32_t i = p->hash[k] - 1;
		if (p->nodes[i].parent == parent && p->fns[i] == f)
			return i;
	}
	if (p->nnodes >= p->hmask || (p->nnodes == p->cap && !grow_nodes(p))) {
		p->lost = true;
		return parent;
	}
	uint32_t i = p->nnodes++;
	p->nodes[i] = (struct wlab_profile_node){parent, f->inst, f->index, 0};
	p->fns[i] = f;
	p->hash[k] = i + 1;
	if (p->nnodes * 2 > p->hmask + 1 && !grow_hash(p))
		p->lost = true;  /* still correct, only slower to search */
	return i;
}

void rt_prof_enter(struct wlab_store *s, uint32_t depth, struct rt_func *f)
{
	struct rt_prof *p = s->prof;
	p->at[depth] = child(p, p->at[depth - 1], f);
}

void rt_prof_sample(struct rt_prof *p, uint32_t depth)
{
	p->nodes[p->at[depth]].self += atomic_exchange_explicit(&p->pending, 0, memory_order_relaxed);
}

void rt_prof_cover(struct rt_func *f, uint32_t cell)
{
	if (!f->hits && !(f->hits = calloc(f->ncode, sizeof *f->hits)))
		return;
	f->hits[cell]++;
}

void rt_prof_free(struct rt_prof *p)
{
	if (!p)
		return;
	free(p->nodes);
	free(p->fns);
	free(p->hash);
	free(p->at);
	free(p);
}

enum wlab_status wlab_store_profile(struct wlab_store *s)
{
	if (s->prof)
		return WLAB_OK;
	struct rt_prof *p = calloc(1, sizeof *p);
	if (!p)
		return WLAB_NOMEM;
	p->cap = 64, p->hmask = 127;
	p->nodes = malloc(p->cap * sizeof *p->nodes);
	p->fns = malloc(p->cap * sizeof *p->fns);
	p->hash = calloc(p->hmask + 1, sizeof *p->hash);
	p->at = calloc((size_t)s->opts.max_call_depth + 1, sizeof *p->at);
	if (!p->nodes || !p->fns || !p->hash || !p->at) {
		rt_prof_free(p);
		return WLAB_NOMEM;
	}
	p->nodes[0] = (struct wlab_profile_node){0, NULL, 0, 0};
	p->fns[0] = NULL;
	p->nnodes = 1;
	if (!s->fuel_on)
		wlab_store_set_fuel(s, UINT64_MAX);
	s->prof = p;
	return WLAB_OK;
}

const struct wlab_profile_node *wlab_store_profile_nodes(const struct wlab_store *s, uint32_t *n,
							 bool *lost)
{
	*n = s->prof ? s->prof->nnodes : 0;
	if (lost)
		*lost = s->prof && s->prof->lost;
	return s->prof ? s->prof->nodes : NULL;
}

enum wlab_status wlab_store_profile_sampled(struct wlab_store *s)
{
	enum wlab_status st = wlab_store_profile(s);
	if (!st)
		s->prof->sampled = true;
	return st;
}

void wlab_store_profile_tick(struct wlab_store *s, unsigned n)
{
	struct rt_prof *p = s->prof;
	if (p && p->sampled)
		atomic_fetch_add_explicit(&p->pending, n, memory_order_relaxed);
}

void wlab_store_profile_flush(struct wlab_store *s)
{
	if (s->prof && s->prof->sampled)
		s->prof->nodes[0].self +=
			atomic_exchange_explicit(&s->prof->pending, 0, memory_order_relaxed);
}

enum wlab_status wlab_store_coverage(struct wlab_store *s)
{
	enum wlab_status st = wlab_store_profile(s);
	if (!st)
		s->prof->cover = true;
	return st;
}

enum wlab_status wlab_func_coverage(struct wlab_instance *inst, uint32_t func,
				    wlab_coverage_fn visit, void *ctx)
{
	if (func >= inst->nfuncs || inst->funcs[func]->host || inst->funcs[func]->inst != inst)
		return WLAB_OK;  /* none, or imported: the defining instance's */
	struct rt_func *f = inst->funcs[func];
	if (!f->code) {
		enum wlab_status st = rt_translate(f);
		if (st)
			return st;
	}
	uint64_t *run = calloc(f->ncode ? f->ncode : 1, sizeof *run);
	if (!run)
		return WLAB_NOMEM;
	for (uint32_t i = 0; f->hits && i < f->ncode; i++) {
		uint32_t n = f->span && f->span[i] ? f->span[i] : 1;
		for (uint32_t j = i; j < i + n && j < f->ncode; j++)
			run[j] += f->hits[i];
	}
	const uint32_t *off = rt_offsets(f);
	for (uint32_t i = 0; off && i < f->ncode; i++)
		visit(ctx, off[i], run[i]);
	free(run);
	return off ? WLAB_OK : WLAB_NOMEM;
}
