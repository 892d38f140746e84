/* link_custom.c: custom sections of the output. The name section is
 * remapped, producers and target_features are merged, other sections are
 * kept per input, and those that describe code offsets (DWARF, source maps)
 * are dropped with a warning. Relocatable inputs were refused up front. */
#include <stdlib.h>
#include <string.h>

#include "link_internal.h"

/* One naming on its way into the output, sorted by index then rank. */
struct pending_name {
	uint32_t index, rank, seq;
	struct wlab_str name;
	const struct wlab_name_map *map;  /* indirect kinds */
};

struct name_list {
	struct pending_name *v;
	uint32_t n, cap;
};

static bool push(struct name_list *l, uint32_t index, uint32_t rank, struct wlab_str name,
		 const struct wlab_name_map *map)
{
	if (index == LINK_NONE)
		return true;
	if (l->n == l->cap) {
		uint32_t cap = l->cap ? l->cap * 2 : 64;
		struct pending_name *v = realloc(l->v, cap * sizeof *v);
		if (!v)
			return false;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n].index = index;
	l->v[l->n].rank = rank;
	l->v[l->n].seq = l->n;
	l->v[l->n].name = name;
	l->v[l->n].map = map;
	l->n++;
	return true;
}

static int cmp_pending(const void *a, const void *b)
{
	const struct pending_name *x = a, *y = b;
	if (x->index != y->index)
		return x->index < y->index ? -1 : 1;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The output index for entry idx of name kind k of input i, and its rank:
 * 0 for a definition or kept import, 1 for an import that got fused. */
static uint32_t name_target(const struct link_ctx *c, uint8_t k, uint32_t i, uint32_t idx,
			    uint32_t *rank)
{
	const struct wlab_module *m = c->in[i].module;
	uint8_t kind;
	*rank = 0;
	switch (k) {
	case WLAB_NAMES_FUNCTION:
	case WLAB_NAMES_LOCAL:
	case WLAB_NAMES_LABEL: kind = WLAB_EXTERN_FUNC; break;
	case WLAB_NAMES_TABLE: kind = WLAB_EXTERN_TABLE; break;
	case WLAB_NAMES_MEMORY: kind = WLAB_EXTERN_MEMORY; break;
	case WLAB_NAMES_GLOBAL: kind = WLAB_EXTERN_GLOBAL; break;
	case WLAB_NAMES_TAG: kind = WLAB_EXTERN_TAG; break;
	case WLAB_NAMES_TYPE:
		return idx < m->ntypes ? c->type_map[c->type_base[i] + idx] : LINK_NONE;
	case WLAB_NAMES_ELEM:
		return idx < m->nelems ? c->elem_base[i] + idx : LINK_NONE;
	case WLAB_NAMES_DATA:
		return idx < m->ndatas ? c->data_base[i] + idx : LINK_NONE;
	default:
		return LINK_NONE;
	}
	if (idx >= link_kind_count(m, kind))
		return LINK_NONE;
	if (idx < link_kind_imported(m, kind)) {
		/* local and label names of an import mean nothing */
		if (k == WLAB_NAMES_LOCAL || k == WLAB_NAMES_LABEL)
			return LINK_NONE;
		const struct wlab_import *imp = wlab_module_import_of(m, kind, idx);
		uint32_t r = imp ? c->row_base[i] + (uint32_t)(imp - m->imports) : 0;
		if (imp && c->res->plan[r].how != WLAB_LINK_KEPT)
			*rank = 1;
	}
	return c->map[kind][c->space_base[kind][i] + idx];
}

static enum wlab_status nomem(struct link_ctx *c)
{
	return link_fail(c, WLAB_NOMEM, LINK_NONE, 0, "out of memory", "out of memory");
}

/* Copies a name map (indirect kinds' inner maps keep their indices). */
static bool copy_map(struct link_ctx *c, const struct wlab_name_map *s, struct wlab_name_map *d)
{
	d->count = s->count;
	d->names = wlab_arena_array(c->arena, s->count ? s->count : 1, sizeof *d->names);
	if (!d->names)
		return false;
	for (uint32_t k = 0; k < s->count; k++) {
		d->names[k].index = s->names[k].index;
		d->names[k].name = link_str_copy(c, s->names[k].name);
		d->names[k].offset = 0;
	}
	return true;
}

static enum wlab_status build_kind(struct link_ctx *c, uint8_t k, bool indirect,
				   struct wlab_names *out)
{
	struct name_list l = {0};
	bool ok = true;
	for (uint32_t i = 0; i < c->n && ok; i++) {
		const struct wlab_module *m = c->in[i].module;
		if (!m->has_names)
			continue;
		for (uint32_t s = 0; s < m->names.nsubsections && ok; s++) {
			const struct wlab_name_subsection *sub = &m->names.subsections[s];
			if (sub->id != k)
				continue;
			uint32_t rank;
			if (indirect)
				for (uint32_t e = 0; e < sub->imap.count && ok; e++)
					ok = push(&l, name_target(c, k, i, sub->imap.entries[e].index, &rank),
						  rank, (struct wlab_str){0}, &sub->imap.entries[e].map);
			else
				for (uint32_t e = 0; e < sub->map.count && ok; e++)
					ok = push(&l, name_target(c, k, i, sub->map.names[e].index, &rank),
						  rank, sub->map.names[e].name, NULL);
		}
	}
	if (k == WLAB_NAMES_FUNCTION && ok) {
		/* the linker's own functions */
		uint32_t f0 = c->def_base[0] + c->ndef[0];
		for (uint32_t s = 0; s < c->nstub_funcs && ok; s++) {
			const struct wlab_link_plan_entry *e = &c->res->plan[c->stub_funcs[s].row];
			ok = push(&l, f0 + s, 2, c->in[e->input].module->imports[e->import].field, NULL);
		}
		if (c->has_start_wrapper && ok) {
			static const char wrapper[] = "__wlab_link_start";
			ok = push(&l, c->start_wrapper, 2,
				  (struct wlab_str){(const uint8_t *)wrapper, sizeof wrapper - 1}, NULL);
		}
	}
	if (!ok) {
		free(l.v);
		return nomem(c);
	}
	if (l.n == 0) {
		free(l.v);
		return WLAB_OK;
	}
	qsort(l.v, l.n, sizeof *l.v, cmp_pending);
	struct wlab_name_subsection *d = &out->subsections[out->nsubsections++];
	memset(d, 0, sizeof *d);
	d->id = k;
	d->indirect = indirect;
	struct wlab_naming *names = indirect ? NULL : wlab_arena_array(c->arena, l.n, sizeof *names);
	struct wlab_indirect_naming *ents =
		indirect ? wlab_arena_array(c->arena, l.n, sizeof *ents) : NULL;
	if (indirect ? !ents : !names) {
		free(l.v);
		return nomem(c);
	}
	uint32_t n = 0;
	for (uint32_t e = 0; e < l.n; e++) {
		if (e > 0 && l.v[e].index == l.v[e - 1].index)
			continue;  /* the first (best ranked) name wins */
		if (indirect) {
			ents[n].index = l.v[e].index;
			if (!copy_map(c, l.v[e].map, &ents[n].map)) {
				free(l.v);
				return nomem(c);
			}
		} else {
			names[n].index = l.v[e].index;
			names[n].name = link_str_copy(c, l.v[e].name);
		}
		n++;
	}
	if (indirect) {
		d->imap.count = n;
		d->imap.entries = ents;
	} else {
		d->map.count = n;
		d->map.names = names;
	}
	free(l.v);
	return WLAB_OK;
}

static enum wlab_status build_names(struct link_ctx *c, struct wlab_module *o)
{
	bool any = c->nstub_funcs || c->has_start_wrapper;
	for (uint32_t i = 0; i < c->n; i++)
		any |= c->in[i].module->has_names;
	if (!any)
		return WLAB_OK;
	o->names.subsections = wlab_arena_array(c->arena, WLAB_NAMES_KIND_COUNT,
						sizeof *o->names.subsections);
	if (!o->names.subsections)
		return nomem(c);
	/* the module name subsection is dropped: the output is a new module */
	static const uint8_t kinds[] = {WLAB_NAMES_FUNCTION, WLAB_NAMES_LOCAL, WLAB_NAMES_LABEL,
					WLAB_NAMES_TYPE, WLAB_NAMES_TABLE, WLAB_NAMES_MEMORY,
					WLAB_NAMES_GLOBAL, WLAB_NAMES_ELEM, WLAB_NAMES_DATA,
					WLAB_NAMES_TAG};
	for (size_t k = 0; k < sizeof kinds; k++) {
		bool indirect = kinds[k] == WLAB_NAMES_LOCAL || kinds[k] == WLAB_NAMES_LABEL;
		enum wlab_status st = build_kind(c, kinds[k], indirect, &o->names);
		if (st)
			return st;
	}
	o->has_names = o->names.nsubsections > 0;
	return WLAB_OK;
}

static enum wlab_status merge_producers(struct link_ctx *c, struct wlab_module *o)
{
	uint32_t nfields = 0, nvalues = 0;
	for (uint32_t i = 0; i < c->n; i++) {
		const struct wlab_producers *p = &c->in[i].module->producers;
		if (!c->in[i].module->has_producers)
			continue;
		nfields += p->count;
		for (uint32_t f = 0; f < p->count; f++)
			nvalues += p->fields[f].count;
	}
	if (!nfields)
		return WLAB_OK;
	struct wlab_producers *d = &o->producers;
	d->fields = wlab_arena_array(c->arena, nfields, sizeof *d->fields);
	if (!d->fields)
		return nomem(c);
	for (uint32_t i = 0; i < c->n; i++) {
		const struct wlab_producers *p = &c->in[i].module->producers;
		if (!c->in[i].module->has_producers)
			continue;
		for (uint32_t f = 0; f < p->count; f++) {
			const struct wlab_producer_field *sf = &p->fields[f];
			struct wlab_producer_field *df = NULL;
			for (uint32_t k = 0; k < d->count && !df; k++)
				if (link_strs_eq(d->fields[k].name, sf->name))
					df = &d->fields[k];
			if (!df) {
				df = &d->fields[d->count++];
				df->name = link_str_copy(c, sf->name);
				df->values = wlab_arena_array(c->arena, nvalues ? nvalues : 1,
							      sizeof *df->values);
				if (!df->values)
					return nomem(c);
			}
			for (uint32_t v = 0; v < sf->count; v++) {
				bool seen = false;
				for (uint32_t k = 0; k < df->count && !seen; k++)
					seen = link_strs_eq(df->values[k].name, sf->values[v].name) &&
					       link_strs_eq(df->values[k].version, sf->values[v].version);
				if (seen)
					continue;
				df->values[df->count].name = link_str_copy(c, sf->values[v].name);
				df->values[df->count].version = link_str_copy(c, sf->values[v].version);
				df->count++;
			}
		}
	}
	o->has_producers = true;
	return WLAB_OK;
}

static enum wlab_status merge_target_features(struct link_ctx *c, struct wlab_module *o)
{
	uint32_t total = 0;
	for (uint32_t i = 0; i < c->n; i++)
		if (c->in[i].module->has_target_features)
			total += c->in[i].module->target_features.count;
	if (!total)
		return WLAB_OK;
	struct wlab_target_features *d = &o->target_features;
	d->features = wlab_arena_array(c->arena, total, sizeof *d->features);
	if (!d->features)
		return nomem(c);
	for (uint32_t i = 0; i < c->n; i++) {
		const struct wlab_module *m = c->in[i].module;
		if (!m->has_target_features)
			continue;
		for (uint32_t f = 0; f < m->target_features.count; f++) {
			const struct wlab_feature *s = &m->target_features.features[f];
			struct wlab_feature *have = NULL;
			for (uint32_t k = 0; k < d->count && !have; k++)
				if (link_strs_eq(d->features[k].name, s->name))
					have = &d->features[k];
			if (!have) {
				d->features[d->count].prefix = s->prefix;
				d->features[d->count++].name = link_str_copy(c, s->name);
			} else if (have->prefix != s->prefix) {
				link_warn(c, "target feature \"%.*s\": %s says '%c', an earlier input '%c'; keeping '%c'",
					  (int)s->name.len, (const char *)s->name.ptr, c->in[i].name,
					  s->prefix, have->prefix, have->prefix);
			}
		}
	}
	o->has_target_features = true;
	return WLAB_OK;
}

static bool name_starts(struct wlab_str s, const char *prefix)
{
	size_t n = strlen(prefix);
	return s.len >= n && memcmp(s.ptr, prefix, n) == 0;
}

static void add_custom(struct link_ctx *c, struct wlab_module *o, struct wlab_str name,
		       uint32_t offset, uint32_t size)
{
	struct wlab_section *s = &o->sections[o->nsections++];
	memset(s, 0, sizeof *s);
	s->id = WLAB_SEC_CUSTOM;
	s->name = link_str_copy(c, name);
	s->content.offset = offset;
	s->content.size = size;
}

enum wlab_status link_customs(struct link_ctx *c)
{
	struct wlab_module *o = c->out;
	enum wlab_status st;
	for (uint32_t i = 0; i < c->n; i++) {
		const struct wlab_module *m = c->in[i].module;
		for (uint32_t k = 0; k < m->nsections; k++) {
			const struct wlab_section *s = &m->sections[k];
			if (s->id != WLAB_SEC_CUSTOM)
				continue;
			if ((link_str_eq(s->name, "name") && m->has_names) ||
			    (link_str_eq(s->name, "producers") && m->has_producers) ||
			    (link_str_eq(s->name, "target_features") && m->has_target_features))
				continue;
			if (link_str_eq(s->name, "name") || link_str_eq(s->name, "producers") ||
			    link_str_eq(s->name, "target_features") || name_starts(s->name, ".debug") ||
			    link_str_eq(s->name, "sourceMappingURL") ||
			    link_str_eq(s->name, "external_debug_info")) {
				link_warn(c, "%s: dropped custom section \"%.*s\"%s", c->in[i].name,
					  (int)s->name.len, (const char *)s->name.ptr,
					  link_str_eq(s->name, "name") || link_str_eq(s->name, "producers") ||
							  link_str_eq(s->name, "target_features")
						  ? " (it does not decode)"
						  : " (it refers to code offsets that linking changes)");
				continue;
			}
			uint32_t at = (uint32_t)c->buf.len;
			link_buf_bytes(&c->buf, m->bytes + s->content.offset, s->content.size);
			add_custom(c, o, s->name, at, s->content.size);
		}
	}
	if ((st = build_names(c, o)) || (st = merge_producers(c, o)) ||
	    (st = merge_target_features(c, o)))
		return st;
	static const char *const known[] = {"name", "producers", "target_features"};
	bool has[3] = {o->has_names, o->has_producers, o->has_target_features};
	for (int k = 0; k < 3; k++)
		if (has[k])
			add_custom(c, o, (struct wlab_str){(const uint8_t *)known[k],
							   (uint32_t)strlen(known[k])},
				   0, 0);
	return c->buf.failed ? nomem(c) : WLAB_OK;
}
