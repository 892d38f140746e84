/* link_build.c: fills the output module from the layout: types, imports,
 * definitions, exports, start, segments and code, every index remapped. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "link_internal.h"

static enum wlab_status nomem(struct link_ctx *c)
{
	return link_fail(c, WLAB_NOMEM, LINK_NONE, 0, "out of memory", "out of memory");
}

#define ARRAY(c, n, type) ((type *)wlab_arena_array((c)->arena, (n) ? (n) : 1, sizeof(type)))

static uint32_t out_type(const struct link_ctx *c, uint32_t i, uint32_t t)
{
	return c->type_map[c->type_base[i] + t];
}

static uint32_t out_index(const struct link_ctx *c, uint8_t kind, uint32_t i, uint32_t idx)
{
	if (idx >= link_kind_count(c->in[i].module, kind))
		return LINK_NONE;
	return c->map[kind][c->space_base[kind][i] + idx];
}

static enum wlab_status build_types(struct link_ctx *c, struct wlab_module *o)
{
	o->ntypes = c->ntypes;
	o->types = ARRAY(c, c->ntypes, struct wlab_functype);
	if (!o->types)
		return nomem(c);
	for (uint32_t t = 0; t < c->ntypes; t++) {
		const struct wlab_functype *s = c->types[t];
		struct wlab_functype *d = &o->types[t];
		d->nparams = s->nparams;
		d->nresults = s->nresults;
		*d = *s;
		d->params = ARRAY(c, s->nparams, wlab_valtype_t);
		d->results = ARRAY(c, s->nresults, wlab_valtype_t);
		if (!d->params || !d->results)
			return nomem(c);
		if (s->nparams)
			memcpy(d->params, s->params, s->nparams * sizeof *d->params);
		if (s->nresults)
			memcpy(d->results, s->results, s->nresults * sizeof *d->results);
	}
	return WLAB_OK;
}

static enum wlab_status build_imports(struct link_ctx *c, struct wlab_module *o)
{
	o->nimports = c->nout_imports;
	o->imports = ARRAY(c, c->nout_imports, struct wlab_import);
	if (!o->imports)
		return nomem(c);
	for (uint32_t k = 0; k < c->nout_imports; k++) {
		const struct link_out_import *oi = &c->out_imports[k];
		const struct wlab_import *s = &c->in[oi->input].module->imports[oi->import];
		struct wlab_import *d = &o->imports[k];
		*d = *s;
		d->module = link_str_copy(c, s->module);
		d->field = link_str_copy(c, s->field);
		if (s->kind == WLAB_EXTERN_FUNC)
			d->u.func_type = out_type(c, oi->input, s->u.func_type);
		if (s->kind == WLAB_EXTERN_TABLE)
			d->u.table.elemtype = link_map_vt(c, oi->input, s->u.table.elemtype);
		if (s->kind == WLAB_EXTERN_GLOBAL)
			d->u.global.valtype = link_map_vt(c, oi->input, s->u.global.valtype);
		if (s->kind == WLAB_EXTERN_TAG)
			d->u.tag.type_index = out_type(c, oi->input, s->u.tag.type_index);
		d->kind_index = c->res->plan[c->row_base[oi->input] + oi->import].out_index;
		d->span.offset = d->span.size = 0;
	}
	o->nimported_funcs = c->nimp[WLAB_EXTERN_FUNC];
	o->nimported_tables = c->nimp[WLAB_EXTERN_TABLE];
	o->nimported_memories = c->nimp[WLAB_EXTERN_MEMORY];
	o->nimported_globals = c->nimp[WLAB_EXTERN_GLOBAL];
	o->nimported_tags = c->nimp[WLAB_EXTERN_TAG];
	return WLAB_OK;
}

/* Bodies of the functions the linker makes: stubs and the start wrapper. */
static void stub_body(struct link_ctx *c, const struct wlab_link_stub *s,
		      const struct wlab_functype *t)
{
	struct link_buf *b = &c->buf;
	if (s->kind == WLAB_LINK_STUB_TRAP) {
		link_buf_u8(b, 0x00);  /* unreachable */
	} else {
		for (uint32_t r = 0; r < t->nresults; r++) {
			uint64_t bits = s->kind == WLAB_LINK_STUB_CONST ? s->bits : 0;
			switch (t->results[r]) {
			case WLAB_I32:
				link_buf_u8(b, 0x41);
				link_buf_sleb(b, (int32_t)(uint32_t)bits);
				break;
			case WLAB_I64:
				link_buf_u8(b, 0x42);
				link_buf_sleb(b, (int64_t)bits);
				break;
			case WLAB_F32:
				link_buf_u8(b, 0x43);
				for (int k = 0; k < 4; k++)
					link_buf_u8(b, (uint8_t)(bits >> (8 * k)));
				break;
			case WLAB_F64:
				link_buf_u8(b, 0x44);
				for (int k = 0; k < 8; k++)
					link_buf_u8(b, (uint8_t)(bits >> (8 * k)));
				break;
			case WLAB_V128: {
				static const uint8_t zero[16];
				link_buf_u8(b, 0xfd);
				link_buf_uleb(b, 12);
				link_buf_bytes(b, zero, 16);
				break;
			}
			default:
				link_buf_u8(b, 0xd0);
				link_buf_u8(b, t->results[r]);
			}
		}
	}
	link_buf_u8(b, 0x0b);
}

static enum wlab_status build_funcs(struct link_ctx *c, struct wlab_module *o)
{
	uint32_t n = c->ndef[WLAB_EXTERN_FUNC] + c->nstub_funcs + c->has_start_wrapper;
	o->nfuncs = o->ncodes = n;
	o->func_types = ARRAY(c, n, uint32_t);
	o->codes = ARRAY(c, n, struct wlab_code);
	if (!o->func_types || !o->codes)
		return nomem(c);
	uint32_t f = 0;
	for (uint32_t i = 0; i < c->n; i++) {
		const struct wlab_module *m = c->in[i].module;
		if (m->ncodes != m->nfuncs)
			return link_fail(c, WLAB_INVALID, i, 0, "function and code section inconsistent",
					 "%s: function and code section have inconsistent lengths",
					 c->in[i].name);
		for (uint32_t k = 0; k < m->nfuncs; k++, f++) {
			const struct wlab_code *s = &m->codes[k];
			struct wlab_code *d = &o->codes[f];
			if (m->func_types[k] >= m->ntypes)
				return link_fail(c, WLAB_INVALID, i, 0, "unknown type",
						 "%s: function %u has unknown type %u", c->in[i].name,
						 m->nimported_funcs + k, m->func_types[k]);
			o->func_types[f] = out_type(c, i, m->func_types[k]);
			d->nlocal_decls = s->nlocal_decls;
			d->nlocals = s->nlocals;
			d->local_decls = ARRAY(c, s->nlocal_decls, struct wlab_local_decl);
			if (!d->local_decls)
				return nomem(c);
			for (uint32_t l = 0; l < s->nlocal_decls; l++) {
				d->local_decls[l] = s->local_decls[l];
				d->local_decls[l].type = link_map_vt(c, i, s->local_decls[l].type);
				d->local_decls[l].offset = 0;
			}
			uint32_t start = (uint32_t)c->buf.len;
			enum wlab_status st = link_rewrite_expr(c, i, s->expr, false);
			if (st)
				return st;
			d->expr.offset = start;
			d->expr.size = (uint32_t)(c->buf.len - start);
			d->body = d->span = d->expr;
		}
	}
	for (uint32_t s = 0; s < c->nstub_funcs; s++, f++) {
		const struct wlab_link_plan_entry *e = &c->res->plan[c->stub_funcs[s].row];
		o->func_types[f] = c->stub_funcs[s].type;
		uint32_t start = (uint32_t)c->buf.len;
		stub_body(c, &c->opts.stubs[e->stub], c->types[c->stub_funcs[s].type]);
		o->codes[f].expr.offset = start;
		o->codes[f].expr.size = (uint32_t)(c->buf.len - start);
		o->codes[f].body = o->codes[f].span = o->codes[f].expr;
	}
	if (c->has_start_wrapper) {
		o->func_types[f] = c->start_type;
		uint32_t start = (uint32_t)c->buf.len;
		for (uint32_t i = 0; i < c->n; i++) {
			if (!c->in[i].module->has_start)
				continue;
			link_buf_u8(&c->buf, 0x10);  /* call */
			link_buf_uleb(&c->buf, out_index(c, WLAB_EXTERN_FUNC, i, c->in[i].module->start));
		}
		link_buf_u8(&c->buf, 0x0b);
		o->codes[f].expr.offset = start;
		o->codes[f].expr.size = (uint32_t)(c->buf.len - start);
		o->codes[f].body = o->codes[f].span = o->codes[f].expr;
		o->has_start = true;
		o->start = c->start_wrapper;
	} else {
		for (uint32_t i = 0; i < c->n; i++)
			if (c->in[i].module->has_start) {
				o->has_start = true;
				o->start = out_index(c, WLAB_EXTERN_FUNC, i, c->in[i].module->start);
			}
	}
	return c->buf.failed ? nomem(c) : WLAB_OK;
}

static enum wlab_status build_tables_memories(struct link_ctx *c, struct wlab_module *o)
{
	o->ntables = c->ndef[WLAB_EXTERN_TABLE];
	o->nmemories = c->ndef[WLAB_EXTERN_MEMORY];
	o->tables = ARRAY(c, o->ntables, struct wlab_table);
	o->memories = ARRAY(c, o->nmemories, struct wlab_memory);
	if (!o->tables || !o->memories)
		return nomem(c);
	uint32_t t = 0, mm = 0;
	for (uint32_t i = 0; i < c->n; i++) {
		const struct wlab_module *m = c->in[i].module;
		for (uint32_t k = 0; k < m->ntables; k++, t++) {
			o->tables[t] = m->tables[k];
			o->tables[t].type.elemtype = link_map_vt(c, i, m->tables[k].type.elemtype);
			o->tables[t].span.offset = o->tables[t].span.size = 0;
			if (m->tables[k].has_init) {
				uint32_t start = (uint32_t)c->buf.len;
				enum wlab_status st = link_rewrite_expr(c, i, m->tables[k].init.span, true);
				if (st)
					return st;
				o->tables[t].init.span.offset = start;
				o->tables[t].init.span.size = (uint32_t)(c->buf.len - start);
			}
		}
		for (uint32_t k = 0; k < m->nmemories; k++, mm++) {
			o->memories[mm] = m->memories[k];
			o->memories[mm].span.offset = o->memories[mm].span.size = 0;
		}
	}
	return WLAB_OK;
}

static enum wlab_status build_tags(struct link_ctx *c, struct wlab_module *o)
{
	o->ntags = c->ndef[WLAB_EXTERN_TAG];
	o->tags = ARRAY(c, o->ntags, struct wlab_tag);
	if (!o->tags)
		return nomem(c);
	uint32_t t = 0;
	for (uint32_t i = 0; i < c->n; i++) {
		const struct wlab_module *m = c->in[i].module;
		for (uint32_t k = 0; k < m->ntags; k++, t++) {
			if (m->tags[k].type.type_index >= m->ntypes)
				return link_fail(c, WLAB_INVALID, i, m->tags[k].span.offset, "unknown type",
						 "%s: tag %u has unknown type %u", c->in[i].name,
						 m->nimported_tags + k, m->tags[k].type.type_index);
			o->tags[t].type = m->tags[k].type;
			o->tags[t].type.type_index = out_type(c, i, m->tags[k].type.type_index);
			o->tags[t].span.offset = o->tags[t].span.size = 0;
		}
	}
	return WLAB_OK;
}

static enum wlab_status build_globals(struct link_ctx *c, struct wlab_module *o)
{
	o->nglobals = c->ndef[WLAB_EXTERN_GLOBAL] + c->nstub_globals;
	o->globals = ARRAY(c, o->nglobals, struct wlab_global);
	c->global_init = calloc(o->nglobals + 1, sizeof *c->global_init);
	if (!o->globals || !c->global_init)
		return nomem(c);
	uint32_t g = 0;
	for (uint32_t i = 0; i < c->n; i++)
		for (uint32_t k = 0; k < c->in[i].module->nglobals; k++) {
			o->globals[g].type = c->in[i].module->globals[k].type;
			o->globals[g].type.valtype = link_map_vt(c, i, o->globals[g].type.valtype);
			g++;
		}
	for (uint32_t s = 0; s < c->nstub_globals; s++) {
		const struct wlab_link_plan_entry *e = &c->res->plan[c->stub_globals[s].row];
		o->globals[g].type = c->in[e->input].module->imports[e->import].u.global;
		o->globals[g].type.valtype = link_map_vt(c, e->input, o->globals[g].type.valtype);
		g++;
	}
	for (g = 0; g < o->nglobals; g++) {
		enum wlab_status st = link_global_init(c, o->nimported_globals + g);
		if (st)
			return st;
	}
	return WLAB_OK;
}

/* The output's export names, a hash set of indices + 1 into o->exports. */
struct export_set {
	uint32_t *slots, mask;
};

static uint32_t *export_slot(const struct wlab_module *o, const struct export_set *set,
			     struct wlab_str name)
{
	uint32_t at = link_hash_bytes(2166136261u, name.ptr, name.len) & set->mask;
	while (set->slots[at] && !link_strs_eq(o->exports[set->slots[at] - 1].name, name))
		at = (at + 1) & set->mask;
	return &set->slots[at];
}

static bool export_taken(const struct wlab_module *o, const struct export_set *set,
			 struct wlab_str name, uint32_t *at)
{
	uint32_t *slot = export_slot(o, set, name);
	*at = *slot ? *slot - 1 : 0;
	return *slot != 0;
}

static enum wlab_status build_exports(struct link_ctx *c, struct wlab_module *o)
{
	uint32_t total = 0;
	for (uint32_t i = 0; i < c->n; i++)
		total += c->in[i].module->nexports;
	o->exports = ARRAY(c, total, struct wlab_export);
	uint32_t *from = calloc(total + 1, sizeof *from);
	struct export_set set = {0};
	uint64_t cap = 16;
	while (cap < 2 * (uint64_t)total + 16)
		cap *= 2;
	set.mask = (uint32_t)(cap - 1);
	set.slots = cap <= UINT32_MAX ? calloc((size_t)cap, sizeof *set.slots) : NULL;
	if (!o->exports || !from || !set.slots) {
		free(from);
		free(set.slots);
		return nomem(c);
	}
	enum wlab_status st = WLAB_OK;
	for (uint32_t i = 0; i < c->n && !st; i++) {
		const struct wlab_module *m = c->in[i].module;
		for (uint32_t k = 0; k < m->nexports && !st; k++) {
			const struct wlab_export *s = &m->exports[k];
			struct wlab_export d = *s;
			uint32_t at;
			d.span.offset = d.span.size = 0;
			d.index = out_index(c, s->kind, i, s->index);
			if (s->kind >= LINK_NKINDS || d.index == LINK_NONE) {
				st = link_fail(c, WLAB_INVALID, i, s->span.offset, "unknown export",
					       "%s exports \"%.*s\", an unknown %s %u", c->in[i].name,
					       (int)s->name.len, (const char *)s->name.ptr,
					       wlab_extern_kind_name(s->kind), s->index);
				break;
			}
			if (export_taken(o, &set, s->name, &at)) {
				const struct wlab_export *prev = &o->exports[at];
				if (prev->kind == d.kind && prev->index == d.index)
					continue;  /* the same thing, re-exported */
				if (!(c->opts.flags & WLAB_LINK_RENAME_CONFLICTS)) {
					st = link_fail(c, WLAB_UNLINKABLE, i, s->span.offset,
						       "duplicate export name",
						       "duplicate export name \"%.*s\": exported by %s (%s %u) and by %s (%s %u); pass --rename-conflicts to rename the later ones to NAME.field",
						       (int)s->name.len, (const char *)s->name.ptr,
						       c->in[from[at]].name, wlab_extern_kind_name(prev->kind),
						       prev->index, c->in[i].name,
						       wlab_extern_kind_name(d.kind), d.index);
					break;
				}
				char name[512];
				size_t base = (size_t)snprintf(name, sizeof name, "%s.%.*s", c->in[i].name,
							       (int)s->name.len, (const char *)s->name.ptr);
				struct wlab_str ns = {(const uint8_t *)name, (uint32_t)strlen(name)};
				for (uint32_t n = 2; export_taken(o, &set, ns, &at); n++) {
					snprintf(name + base, sizeof name - base, ".%u", n);
					ns.len = (uint32_t)strlen(name);
				}
				link_warn(c, "export \"%.*s\" of %s renamed to \"%s\" (the name is taken)",
					  (int)s->name.len, (const char *)s->name.ptr, c->in[i].name, name);
				d.name = link_str_copy(c, ns);
			} else {
				d.name = link_str_copy(c, s->name);
			}
			if (!d.name.ptr) {
				st = nomem(c);
				break;
			}
			from[o->nexports] = i;
			o->exports[o->nexports++] = d;
			*export_slot(o, &set, d.name) = o->nexports;
		}
	}
	free(from);
	free(set.slots);
	return st;
}

static enum wlab_status build_elems(struct link_ctx *c, struct wlab_module *o)
{
	o->nelems = c->elem_base[c->n];
	o->elems = ARRAY(c, o->nelems, struct wlab_elem);
	if (!o->elems)
		return nomem(c);
	uint32_t n = 0;
	for (uint32_t i = 0; i < c->n; i++) {
		const struct wlab_module *m = c->in[i].module;
		for (uint32_t k = 0; k < m->nelems; k++, n++) {
			const struct wlab_elem *s = &m->elems[k];
			struct wlab_elem *d = &o->elems[n];
			enum wlab_status st;
			*d = *s;
			d->elemtype = link_map_vt(c, i, s->elemtype);
			d->span.offset = d->span.size = 0;
			if (s->mode == WLAB_SEGMENT_ACTIVE) {
				d->table = out_index(c, WLAB_EXTERN_TABLE, i, s->table);
				if (d->table == LINK_NONE)
					return link_fail(c, WLAB_INVALID, i, s->span.offset, "unknown table",
							 "%s: elem segment %u uses unknown table %u",
							 c->in[i].name, k, s->table);
				if (d->table != 0 && !(d->flags & 2))
					d->flags |= 2;  /* 0 -> 2, 4 -> 6: explicit table */
				uint32_t start = (uint32_t)c->buf.len;
				if ((st = link_rewrite_expr(c, i, s->offset.span, true)))
					return st;
				d->offset.span.offset = start;
				d->offset.span.size = (uint32_t)(c->buf.len - start);
			}
			if (!s->uses_exprs) {
				d->funcs = ARRAY(c, s->count, uint32_t);
				if (!d->funcs)
					return nomem(c);
				for (uint32_t e = 0; e < s->count; e++) {
					d->funcs[e] = out_index(c, WLAB_EXTERN_FUNC, i, s->funcs[e]);
					if (d->funcs[e] == LINK_NONE)
						return link_fail(c, WLAB_INVALID, i, s->span.offset,
								 "unknown function",
								 "%s: elem segment %u uses unknown function %u",
								 c->in[i].name, k, s->funcs[e]);
				}
				continue;
			}
			d->exprs = ARRAY(c, s->count, struct wlab_expr);
			if (!d->exprs)
				return nomem(c);
			for (uint32_t e = 0; e < s->count; e++) {
				uint32_t start = (uint32_t)c->buf.len;
				if ((st = link_rewrite_expr(c, i, s->exprs[e].span, true)))
					return st;
				d->exprs[e].span.offset = start;
				d->exprs[e].span.size = (uint32_t)(c->buf.len - start);
			}
		}
	}
	return WLAB_OK;
}

static enum wlab_status build_datas(struct link_ctx *c, struct wlab_module *o)
{
	o->ndatas = c->data_base[c->n];
	o->datas = ARRAY(c, o->ndatas, struct wlab_data);
	if (!o->datas)
		return nomem(c);
	uint32_t n = 0;
	for (uint32_t i = 0; i < c->n; i++) {
		const struct wlab_module *m = c->in[i].module;
		o->has_data_count |= m->has_data_count;
		for (uint32_t k = 0; k < m->ndatas; k++, n++) {
			const struct wlab_data *s = &m->datas[k];
			struct wlab_data *d = &o->datas[n];
			*d = *s;
			d->span.offset = d->span.size = 0;
			if (s->mode == WLAB_SEGMENT_ACTIVE) {
				d->memory = out_index(c, WLAB_EXTERN_MEMORY, i, s->memory);
				if (d->memory == LINK_NONE)
					return link_fail(c, WLAB_INVALID, i, s->span.offset, "unknown memory",
							 "%s: data segment %u uses unknown memory %u",
							 c->in[i].name, k, s->memory);
				if (d->memory != 0)
					d->flags = 2;
				uint32_t start = (uint32_t)c->buf.len;
				enum wlab_status st = link_rewrite_expr(c, i, s->offset.span, true);
				if (st)
					return st;
				d->offset.span.offset = start;
				d->offset.span.size = (uint32_t)(c->buf.len - start);
			}
			d->bytes.offset = (uint32_t)c->buf.len;
			link_buf_bytes(&c->buf, m->bytes + s->bytes.offset, s->bytes.size);
		}
	}
	o->data_count = o->ndatas;
	return c->buf.failed ? nomem(c) : WLAB_OK;
}

static void add_section(struct wlab_module *o, uint8_t id, bool present)
{
	if (!present)
		return;
	struct wlab_section *s = &o->sections[o->nsections++];
	memset(s, 0, sizeof *s);
	s->id = id;
}

enum wlab_status link_build(struct link_ctx *c)
{
	if (!c->arena)  /* layout may have made it for remapped types */
		c->arena = wlab_arena_new(0);
	c->out = calloc(1, sizeof *c->out);
	if (!c->arena || !c->out)
		return nomem(c);
	struct wlab_module *o = c->out;
	o->version = 1;
	link_buf_u8(&c->buf, 0);  /* offset 0 stays unused: no span starts there */
	enum wlab_status st = build_types(c, o);
	if (!st)
		st = build_imports(c, o);
	if (!st)  /* first: other constant expressions may inline global inits */
		st = build_globals(c, o);
	if (!st)
		st = build_tables_memories(c, o);
	if (!st)
		st = build_tags(c, o);
	if (!st)
		st = build_exports(c, o);
	if (!st)
		st = build_elems(c, o);
	if (!st)
		st = build_funcs(c, o);
	if (!st)
		st = build_datas(c, o);
	if (st)
		return st;
	uint32_t ncustom = 0;
	for (uint32_t i = 0; i < c->n; i++)
		for (uint32_t k = 0; k < c->in[i].module->nsections; k++)
			ncustom += c->in[i].module->sections[k].id == WLAB_SEC_CUSTOM;
	o->sections = ARRAY(c, 16 + 3 + (size_t)ncustom, struct wlab_section);
	if (!o->sections)
		return nomem(c);
	add_section(o, WLAB_SEC_TYPE, o->ntypes);
	add_section(o, WLAB_SEC_IMPORT, o->nimports);
	add_section(o, WLAB_SEC_FUNCTION, o->nfuncs);
	add_section(o, WLAB_SEC_TABLE, o->ntables);
	add_section(o, WLAB_SEC_MEMORY, o->nmemories);
	add_section(o, WLAB_SEC_TAG, o->ntags);  /* 3.0: between memory and global */
	add_section(o, WLAB_SEC_GLOBAL, o->nglobals);
	add_section(o, WLAB_SEC_EXPORT, o->nexports);
	add_section(o, WLAB_SEC_START, o->has_start);
	add_section(o, WLAB_SEC_ELEM, o->nelems);
	add_section(o, WLAB_SEC_DATACOUNT, o->has_data_count);
	add_section(o, WLAB_SEC_CODE, o->ncodes);
	add_section(o, WLAB_SEC_DATA, o->ndatas);
	st = link_customs(c);
	if (!st && c->buf.failed)
		st = nomem(c);
	return st;
}
