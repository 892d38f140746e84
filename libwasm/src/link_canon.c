/* link_canon.c: the inputs' types as one type list, so that the validator's
 * iso-recursive equivalence and subtyping (validate_rec.c,
 * validate_types.c) answer questions across modules.
 *
 * The list holds every input's types in input order, each input's moved by
 * type_base[i]: a reference inside a rec group stays inside it, and one to
 * an earlier group points at that group's copy, so the list is a valid type
 * section whenever the inputs are. val_types_canon then gives every type the
 * first type equal to it (two inputs that define the same rec group share
 * its first copy), and val_subtype compares value types of two inputs,
 * declared supertypes included. An index beyond its input's types (an
 * invalid input) becomes one beyond the whole list: equal to nothing. */
#include <stdlib.h>
#include <string.h>

#include "link_internal.h"
#include "validate_internal.h"

struct link_canon {
	struct wlab_module all;   /* only types and ntypes are set */
	wlab_valtype_t *vals;     /* params, results of every copy */
	struct wlab_fieldtype *fields;
	struct val_module vm;
	struct wlab_validate_error verr;
};

static enum wlab_status nomem(struct link_ctx *c)
{
	return link_fail(c, WLAB_NOMEM, LINK_NONE, 0, "out of memory", "out of memory");
}

uint32_t link_canon_index(const struct link_ctx *c, uint32_t i, uint32_t t)
{
	if (t >= c->in[i].module->ntypes)
		return c->canon->all.ntypes;  /* out of range: equal to nothing */
	return c->type_base[i] + t;
}

wlab_valtype_t link_canon_vt(const struct link_ctx *c, uint32_t i, wlab_valtype_t v)
{
	if (!wlab_type_is_ref(v) || !wlab_heap_is_concrete(wlab_ref_heap(v)))
		return v;
	uint32_t j = link_canon_index(c, i, wlab_heap_index(wlab_ref_heap(v)));
	return wlab_ref_type(wlab_ref_nullable(v), wlab_heap_concrete(j));
}

uint32_t link_canon_of(const struct link_ctx *c, uint32_t x)
{
	return x < c->canon->all.ntypes ? c->canon->vm.canon[x] : x;
}

const struct wlab_functype *link_canon_type(const struct link_ctx *c, uint32_t x)
{
	return x < c->canon->all.ntypes ? &c->canon->all.types[x] : NULL;
}

bool link_canon_sub(const struct link_ctx *c, uint32_t ia, wlab_valtype_t a, uint32_t ib,
		    wlab_valtype_t b)
{
	wlab_valtype_t ca = link_canon_vt(c, ia, a), cb = link_canon_vt(c, ib, b);
	if (ca == VAL_UNKNOWN || cb == VAL_UNKNOWN)  /* 0 is no value type */
		return false;
	return val_subtype(&c->canon->vm, ca, cb);
}

bool link_canon_typeidx_sub(const struct link_ctx *c, uint32_t ia, uint32_t a, uint32_t ib,
			    uint32_t b)
{
	wlab_valtype_t ra = wlab_ref_type(false, wlab_heap_concrete(link_canon_index(c, ia, a)));
	wlab_valtype_t rb = wlab_ref_type(false, wlab_heap_concrete(link_canon_index(c, ib, b)));
	if (link_canon_index(c, ia, a) >= c->canon->all.ntypes ||
	    link_canon_index(c, ib, b) >= c->canon->all.ntypes)
		return false;
	return val_subtype(&c->canon->vm, ra, rb);
}

enum wlab_status link_canon_init(struct link_ctx *c)
{
	uint64_t total = 0, nvals = 0, nfields = 0;
	c->type_base = malloc((c->n + 1) * sizeof *c->type_base);
	c->canon = calloc(1, sizeof *c->canon);
	if (!c->type_base || !c->canon)
		return nomem(c);
	for (uint32_t i = 0; i < c->n; i++) {
		const struct wlab_module *m = c->in[i].module;
		c->type_base[i] = (uint32_t)total;
		total += m->ntypes;
		for (uint32_t t = 0; t < m->ntypes; t++) {
			nvals += (uint64_t)m->types[t].nparams + m->types[t].nresults;
			nfields += m->types[t].nfields;
		}
	}
	/* every index and the one beyond must fit a concrete heap type */
	if (total >= WLAB_HT_CONCRETE - 1)
		return link_fail(c, WLAB_UNLINKABLE, LINK_NONE, 0, "too many types",
				 "too many types: the inputs define %llu types together; wlab-link handles fewer than %u",
				 (unsigned long long)total, WLAB_HT_CONCRETE - 1);
	c->type_base[c->n] = (uint32_t)total;
	struct link_canon *k = c->canon;
	k->all.ntypes = (uint32_t)total;
	k->all.types = calloc(total ? total : 1, sizeof *k->all.types);
	k->vals = malloc((nvals ? nvals : 1) * sizeof *k->vals);
	k->fields = malloc((nfields ? nfields : 1) * sizeof *k->fields);
	if (!k->all.types || !k->vals || !k->fields)
		return nomem(c);
	wlab_valtype_t *v = k->vals;
	struct wlab_fieldtype *f = k->fields;
	for (uint32_t i = 0; i < c->n; i++) {
		const struct wlab_module *m = c->in[i].module;
		for (uint32_t t = 0; t < m->ntypes; t++) {
			const struct wlab_functype *s = &m->types[t];
			struct wlab_functype *d = &k->all.types[c->type_base[i] + t];
			*d = *s;
			d->params = v;
			for (uint32_t q = 0; q < s->nparams; q++)
				*v++ = link_canon_vt(c, i, s->params[q]);
			d->results = v;
			for (uint32_t q = 0; q < s->nresults; q++)
				*v++ = link_canon_vt(c, i, s->results[q]);
			d->fields = f;
			for (uint32_t q = 0; q < s->nfields; q++, f++) {
				*f = s->fields[q];
				f->type = link_canon_vt(c, i, s->fields[q].type);
			}
			if (s->has_super)
				d->super = link_canon_index(c, i, s->super);
			/* a group that does not hold the type (built by hand): alone */
			if (s->rec_size < 1 || s->rec_start > t || s->rec_size > m->ntypes - s->rec_start ||
			    t - s->rec_start >= s->rec_size) {
				d->rec_start = c->type_base[i] + t;
				d->rec_size = 1;
			} else {
				d->rec_start = c->type_base[i] + s->rec_start;
			}
		}
	}
	k->vm.m = &k->all;
	k->vm.err = &k->verr;
	k->vm.func = UINT32_MAX;
	if (val_types_canon(&k->vm) != WLAB_OK)
		return nomem(c);
	return WLAB_OK;
}

void link_canon_fini(struct link_ctx *c)
{
	if (!c->canon)
		return;
	val_module_fini(&c->canon->vm);
	free(c->canon->all.types);
	free(c->canon->vals);
	free(c->canon->fields);
	free(c->canon);
	c->canon = NULL;
}
