/* dwarf_lookup.c: what a source query needs beyond the parse: the map from
 * code addresses to compile units, and function names found through
 * DW_AT_abstract_origin and DW_AT_specification. */
#include "dwarf_internal.h"

#include <stdlib.h>

struct edge {
	uint64_t at;
	uint32_t cu;
	bool start;
};

static int edge_cmp(const void *a, const void *b)
{
	const struct edge *x = a, *y = b;
	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	if (x->start != y->start)
		return x->start ? 1 : -1;  /* ends before starts */
	return x->cu < y->cu ? -1 : x->cu > y->cu;
}

/* Disjoint spans, each owned by the first unit (in section order) whose
 * ranges hold it, as LLVM's DWARFDebugAranges builds them. */
void dw_build_spans(struct wlab_dwarf *d)
{
	uint32_t nedges = 0, cap = 0;
	for (uint32_t i = 0; i < d->ncus; i++)
		nedges += 2 * d->cus[i].nranges;
	struct edge *e = malloc((nedges ? nedges : 1) * sizeof *e);
	uint32_t *active = calloc(d->ncus ? d->ncus : 1, sizeof *active);
	if (!e || !active) {
		d->nomem = true;
		goto done;
	}
	nedges = 0;
	for (uint32_t i = 0; i < d->ncus; i++)
		for (uint32_t k = 0; k < d->cus[i].nranges; k++) {
			const struct dw_range *r = &d->ranges[d->cus[i].first_range + k];
			if (r->low >= r->high)
				continue;
			e[nedges++] = (struct edge){r->low, i, true};
			e[nedges++] = (struct edge){r->high, i, false};
		}
	qsort(e, nedges, sizeof *e, edge_cmp);
	uint32_t owner = UINT32_MAX;  /* the lowest active unit */
	for (uint32_t i = 0; i < nedges; i++) {
		if (e[i].start) {
			active[e[i].cu]++;
			if (e[i].cu < owner)
				owner = e[i].cu;
		} else if (--active[e[i].cu] == 0 && e[i].cu == owner) {
			while (owner < d->ncus && !active[owner])
				owner++;
			if (owner == d->ncus)
				owner = UINT32_MAX;
		}
		uint64_t next = i + 1 < nedges ? e[i + 1].at : e[i].at;
		if (owner == UINT32_MAX || next == e[i].at)
			continue;
		if (d->nspans && d->spans[d->nspans - 1].cu == owner &&
		    d->spans[d->nspans - 1].high == e[i].at) {
			d->spans[d->nspans - 1].high = next;
			continue;
		}
		if (!dw_grow(d, (void **)&d->spans, &cap, d->nspans, sizeof *d->spans))
			goto done;
		d->spans[d->nspans++] = (struct dw_cu_span){e[i].at, next, owner};
	}
done:
	free(e);
	free(active);
}

#define MAX_ORIGINS 16

/* The DIE at .debug_info offset off (in whichever unit holds it). */
static bool die_at(struct wlab_dwarf *d, uint64_t off, struct dw_die *die,
		   const struct dw_cu **cu)
{
	struct wlab_error err = {0};
	struct wlab_reader r;
	*cu = dw_cu_at(d, off);
	if (!*cu || off < (*cu)->die_offset)
		return false;
	dw_reader(d, DW_SEC_INFO, &r, &err);
	r.pos = r.base + off;
	r.end = r.base + (*cu)->end;
	return dw_read_die(d, *cu, &r, die) == WLAB_OK && !die->null;
}

/* The DIE a reference value points to, as a .debug_info offset. */
static bool ref_target(const struct dw_cu *cu, const struct dw_value *v, uint64_t *off)
{
	if (v->cls == DWC_REF) {
		*off = cu->offset + v->u;
		return true;
	}
	if (v->cls == DWC_REF_ADDR) {
		*off = v->u;
		return true;
	}
	return false;
}

/* LLVM's findRecursively: the first DIE, visiting a DIE's specification
 * before its abstract origin, that has one of the attributes of slot. */
static const char *find_name(struct wlab_dwarf *d, uint64_t start, int slot)
{
	uint64_t stack[MAX_ORIGINS], seen[MAX_ORIGINS];
	uint32_t nstack = 0, nseen = 0;
	stack[nstack++] = start;
	while (nstack) {
		uint64_t off = stack[--nstack];
		bool again = false;
		for (uint32_t i = 0; i < nseen; i++)
			again |= seen[i] == off;
		if (again || nseen == MAX_ORIGINS)
			continue;
		seen[nseen++] = off;
		struct dw_die die;
		const struct dw_cu *cu;
		if (!die_at(d, off, &die, &cu))
			continue;
		if (die.has[slot])
			return dw_string(d, cu, &die.v[slot]);
		uint64_t t;
		if (die.has[DWA_ORIGIN] && ref_target(cu, &die.v[DWA_ORIGIN], &t) &&
		    nstack < MAX_ORIGINS)
			stack[nstack++] = t;
		if (die.has[DWA_SPEC] && ref_target(cu, &die.v[DWA_SPEC], &t) &&
		    nstack < MAX_ORIGINS)
			stack[nstack++] = t;
	}
	return NULL;
}

const char *dw_scope_function(struct wlab_dwarf *d, struct dw_scope *s)
{
	if (!s->named) {
		s->named = true;
		s->function = find_name(d, s->die, DWA_LINKAGE);
		if (!s->function)
			s->function = find_name(d, s->die, DWA_NAME);
	}
	return s->function;
}
