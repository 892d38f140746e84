/* names.c: the names wlab-objdump shows in <angle brackets>, derived the way
 * wasm-objdump does it: walking the sections in file order, an import names
 * its function, table, global or tag "module.field", an export names its function
 * or global, the linking symbol table names functions, globals and tables,
 * segment info names data segments, and the name section names everything.
 * A later source overwrites an earlier one and an empty name clears it.
 * Names print as C strings, up to a NUL byte, the way wasm-objdump does. */
#include <stdlib.h>
#include <string.h>

#include "objdump.h"

/* Whether idx is too far past a table of n names to grow it (far_set). */
static bool too_far(uint32_t n, uint32_t idx)
{
	return idx >= n && idx - n > 65536;
}

/* Grows a name table so that idx fits: names may be given to indices past
 * the module's count (an export of a missing function still names it). */
static bool grow(char ***tab, uint32_t *n, uint32_t idx)
{
	if (idx < *n)
		return true;
	if (too_far(*n, idx))
		return false;
	char **t = realloc(*tab, sizeof(char *) * ((size_t)idx + 1));
	if (!t)
		return false;
	memset(t + *n, 0, sizeof(char *) * ((size_t)idx + 1 - *n));
	*tab = t;
	*n = idx + 1;
	return true;
}

/* Sets slot idx of a name table to a copy of a (or of "a.b" when b). */
static void set_name(char ***tabp, uint32_t *np, uint32_t idx, struct wlab_str a,
		     const struct wlab_str *b)
{
	if (!grow(tabp, np, idx))
		return;
	char **tab = *tabp;
	if (a.len == 0 && !b) {  /* an empty name clears the entry */
		free(tab[idx]);
		tab[idx] = NULL;
		return;
	}
	size_t len = (size_t)a.len + (b ? (size_t)b->len + 1 : 0);
	char *p = malloc(len + 1);
	if (!p)
		return;
	memcpy(p, a.ptr, a.len);
	if (b) {
		p[a.len] = '.';
		memcpy(p + a.len + 1, b->ptr, b->len);
	}
	p[len] = '\0';
	free(tab[idx]);
	tab[idx] = p;
}

static char **new_table(uint32_t n)
{
	return n ? calloc(n, sizeof(char *)) : NULL;
}

static void apply_imports(struct objdump_ctx *ctx)
{
	const struct wlab_module *m = ctx->m;
	for (uint32_t i = 0; i < m->nimports; i++) {
		const struct wlab_import *im = &m->imports[i];
		switch (im->kind) {
		case WLAB_EXTERN_FUNC:
			set_name(&ctx->func_names, &ctx->nfunc_names, im->kind_index,
				 im->module, &im->field);
			break;
		case WLAB_EXTERN_GLOBAL:
			set_name(&ctx->global_names, &ctx->nglobal_names, im->kind_index,
				 im->module, &im->field);
			break;
		case WLAB_EXTERN_TABLE:
			set_name(&ctx->table_names, &ctx->ntable_names, im->kind_index,
				 im->module, &im->field);
			break;
		case WLAB_EXTERN_TAG:
			set_name(&ctx->tag_names, &ctx->ntag_names, im->kind_index,
				 im->module, &im->field);
			break;
		default:
			break;
		}
	}
}

/* The slot of (kind, idx) in the far names' hash table: its entry, or the
 * empty slot where it goes. */
static struct objdump_far_name *far_slot(const struct objdump_ctx *ctx, uint8_t kind,
					 uint32_t idx)
{
	uint32_t mask = ctx->far_cap - 1, h = (idx * 2654435761u) ^ kind;
	for (;; h++) {
		struct objdump_far_name *f = &ctx->far_names[h & mask];
		if (!f->used || (f->kind == kind && f->idx == idx))
			return f;
	}
}

/* Doubles the far names' table (kept at most half full). */
static bool far_grow(struct objdump_ctx *ctx)
{
	struct objdump_ctx old = *ctx;
	uint32_t cap = ctx->far_cap ? ctx->far_cap * 2 : 16;
	if (cap > UINT32_MAX / 4)
		return false;
	ctx->far_names = calloc(cap, sizeof *ctx->far_names);
	if (!ctx->far_names) {
		ctx->far_names = old.far_names;
		return false;
	}
	ctx->far_cap = cap;
	for (uint32_t i = 0; i < old.far_cap; i++)
		if (old.far_names[i].used)
			*far_slot(ctx, old.far_names[i].kind, old.far_names[i].idx) = old.far_names[i];
	free(old.far_names);
	return true;
}

/* An export's name for an index too far past its table (too_far), as
 * wasm-objdump keeps any index's name: the last one set wins, an empty
 * one clears it. Only exports name such indices (libwasm checks the rest).
 * A hash table, so that a module of many such exports costs linear time. */
static void far_set(struct objdump_ctx *ctx, uint8_t kind, uint32_t idx, struct wlab_str name)
{
	if (ctx->nfar_names >= ctx->far_cap / 2 && !far_grow(ctx))
		return;
	struct objdump_far_name *f = far_slot(ctx, kind, idx);
	if (!f->used) {
		*f = (struct objdump_far_name){true, kind, idx, NULL};
		ctx->nfar_names++;
	}
	char *p = name.len ? malloc((size_t)name.len + 1) : NULL;
	if (p) {
		memcpy(p, name.ptr, name.len);
		p[name.len] = '\0';
	}
	free(f->name);
	f->name = p;
}

static const char *far_lookup(const struct objdump_ctx *ctx, uint8_t kind, uint32_t idx)
{
	return ctx->far_cap ? far_slot(ctx, kind, idx)->name : NULL;
}

static void apply_exports(struct objdump_ctx *ctx)
{
	const struct wlab_module *m = ctx->m;
	for (uint32_t i = 0; i < m->nexports; i++) {
		const struct wlab_export *e = &m->exports[i];
		if (e->kind == WLAB_EXTERN_FUNC && too_far(ctx->nfunc_names, e->index))
			far_set(ctx, WLAB_EXTERN_FUNC, e->index, e->name);
		else if (e->kind == WLAB_EXTERN_FUNC)
			set_name(&ctx->func_names, &ctx->nfunc_names, e->index, e->name, NULL);
		else if (e->kind == WLAB_EXTERN_GLOBAL && too_far(ctx->nglobal_names, e->index))
			far_set(ctx, WLAB_EXTERN_GLOBAL, e->index, e->name);
		else if (e->kind == WLAB_EXTERN_GLOBAL)
			set_name(&ctx->global_names, &ctx->nglobal_names, e->index, e->name, NULL);
	}
}

static void apply_linking(struct objdump_ctx *ctx)
{
	const struct wlab_linking *l = &ctx->m->linking;
	for (uint32_t i = 0; i < l->nsymbols; i++) {
		const struct wlab_symbol *s = &l->symbols[i];
		if (!s->has_name || s->name.len == 0)
			continue;
		if (s->kind == WLAB_SYMTAB_FUNCTION)
			set_name(&ctx->func_names, &ctx->nfunc_names, s->index, s->name, NULL);
		else if (s->kind == WLAB_SYMTAB_GLOBAL)
			set_name(&ctx->global_names, &ctx->nglobal_names, s->index, s->name, NULL);
		else if (s->kind == WLAB_SYMTAB_TABLE)
			set_name(&ctx->table_names, &ctx->ntable_names, s->index, s->name, NULL);
		else if (s->kind == WLAB_SYMTAB_EVENT)
			set_name(&ctx->tag_names, &ctx->ntag_names, s->index, s->name, NULL);
	}
	for (uint32_t i = 0; i < l->nsegments; i++)
		set_name(&ctx->data_names, &ctx->ndata_names, i, l->segments[i].name, NULL);
}

static void apply_name_map(char ***tabp, uint32_t *np, const struct wlab_name_map *map)
{
	for (uint32_t i = 0; i < map->count; i++)
		set_name(tabp, np, map->names[i].index, map->names[i].name, NULL);
}

/* wasm-objdump 1.0.32 reads name subsection 10 as tag names, a plain name
 * map, where the extended-name-section proposal (wlab/names.def) puts field
 * names; it skips subsection 11. This walks subsection 10 wabt's way. In a
 * module beyond 2.0 (compared with 1.0.39, which skips subsection 10 as
 * field names and reads tag names from subsection 11) it walks nothing. */
bool objdump_tag_names_begin(const struct objdump_ctx *ctx,
			     const struct wlab_name_subsection *sub,
			     struct objdump_tag_names *it)
{
	uint8_t id;
	uint32_t size;
	wlab_reader_init(&it->r, ctx->m->bytes, ctx->m->size, &it->err);
	it->err.status = WLAB_OK;
	it->left = 0;
	if (sub->id != WLAB_NAMES_FIELD || sub->span.offset >= ctx->m->size ||
	    objdump_v139(ctx))
		return false;
	it->r.pos = ctx->m->bytes + sub->span.offset;
	it->r.end = it->r.pos + sub->span.size;
	return wlab_read_u8(&it->r, &id) == WLAB_OK && wlab_read_u32(&it->r, &size) == WLAB_OK &&
	       wlab_read_u32(&it->r, &it->left) == WLAB_OK;
}

bool objdump_tag_names_next(struct objdump_tag_names *it, uint32_t *idx, struct wlab_str *name)
{
	if (it->left == 0)
		return false;
	it->left--;
	return wlab_read_u32(&it->r, idx) == WLAB_OK &&
	       wlab_read_name(&it->r, false, &name->ptr, &name->len) == WLAB_OK;
}

/* wasm-objdump's warning where it stops reading the name section. */
static void warn_past(const struct objdump_ctx *ctx, const char *what, uint32_t offset,
		      uint32_t idx, uint32_t nfuncs)
{
	fflush(stdout);
	fprintf(stderr,
		"%s:0x%x: warning: %s for function %u, past the module's %u function%s (in "
		"custom section \"name\"; its later names are not used)\n",
		ctx->filename, offset, what, idx, nfuncs, nfuncs == 1 ? "" : "s");
}

static void apply_names(struct objdump_ctx *ctx)
{
	const struct wlab_names *ns = &ctx->m->names;
	uint32_t nfuncs = wlab_module_func_count(ctx->m);
	for (uint32_t i = 0; i < ns->nsubsections; i++) {
		const struct wlab_name_subsection *sub = &ns->subsections[i];
		switch (sub->id) {
		case WLAB_NAMES_FUNCTION:
			/* wasm-objdump stops reading the section at a function
			 * index past the functions. */
			for (uint32_t j = 0; j < sub->map.count; j++) {
				if (sub->map.names[j].index >= nfuncs) {
					warn_past(ctx, "a name", sub->map.names[j].offset,
						  sub->map.names[j].index, nfuncs);
					return;
				}
				set_name(&ctx->func_names, &ctx->nfunc_names,
					 sub->map.names[j].index, sub->map.names[j].name, NULL);
			}
			break;
		case WLAB_NAMES_LOCAL:
			for (uint32_t j = 0; j < sub->imap.count; j++)
				if (sub->imap.entries[j].index >= nfuncs) {
					warn_past(ctx, "local names", sub->imap.entries[j].offset,
						  sub->imap.entries[j].index, nfuncs);
					return;
				}
			break;
		case WLAB_NAMES_GLOBAL:
			apply_name_map(&ctx->global_names, &ctx->nglobal_names, &sub->map);
			break;
		case WLAB_NAMES_TABLE:
			apply_name_map(&ctx->table_names, &ctx->ntable_names, &sub->map);
			break;
		case WLAB_NAMES_MEMORY:
			apply_name_map(&ctx->memory_names, &ctx->nmemory_names, &sub->map);
			break;
		case WLAB_NAMES_FIELD: {
			struct objdump_tag_names it;
			uint32_t idx;
			struct wlab_str name;
			if (objdump_tag_names_begin(ctx, sub, &it))
				while (objdump_tag_names_next(&it, &idx, &name))
					set_name(&ctx->tag_names, &ctx->ntag_names, idx, name, NULL);
			break;
		}
		case WLAB_NAMES_TAG:  /* 1.0.39's tag names; 1.0.32 skips them */
			if (objdump_v139(ctx))
				apply_name_map(&ctx->tag_names, &ctx->ntag_names, &sub->map);
			break;
		case WLAB_NAMES_TYPE:
			apply_name_map(&ctx->type_names, &ctx->ntype_names, &sub->map);
			break;
		case WLAB_NAMES_ELEM:
			apply_name_map(&ctx->elem_names, &ctx->nelem_names, &sub->map);
			break;
		case WLAB_NAMES_DATA:
			apply_name_map(&ctx->data_names, &ctx->ndata_names, &sub->map);
			break;
		default:
			break;
		}
	}
}

static bool str_is(struct wlab_str s, const char *lit)
{
	size_t n = strlen(lit);
	return s.len == n && memcmp(s.ptr, lit, n) == 0;
}

void objdump_names_build(struct objdump_ctx *ctx)
{
	const struct wlab_module *m = ctx->m;
	ctx->nfunc_names = wlab_module_func_count(m);
	ctx->nglobal_names = wlab_module_global_count(m);
	ctx->ntable_names = wlab_module_table_count(m);
	ctx->nmemory_names = wlab_module_memory_count(m);
	ctx->ntag_names = m->nimported_tags + m->ntags;
	ctx->ntype_names = m->ntypes;
	ctx->nelem_names = m->nelems;
	ctx->ndata_names = m->ndatas;
	ctx->func_names = new_table(ctx->nfunc_names);
	ctx->global_names = new_table(ctx->nglobal_names);
	ctx->table_names = new_table(ctx->ntable_names);
	ctx->memory_names = new_table(ctx->nmemory_names);
	ctx->tag_names = new_table(ctx->ntag_names);
	ctx->type_names = new_table(ctx->ntype_names);
	ctx->elem_names = new_table(ctx->nelem_names);
	ctx->data_names = new_table(ctx->ndata_names);

	bool seen_names = false, seen_linking = false;
	for (uint32_t i = 0; i < m->nsections; i++) {
		const struct wlab_section *s = &m->sections[i];
		if (s->id == WLAB_SEC_IMPORT) {
			apply_imports(ctx);
		} else if (s->id == WLAB_SEC_EXPORT) {
			apply_exports(ctx);
		} else if (s->id == WLAB_SEC_CUSTOM) {
			if (str_is(s->name, "name") && m->has_names && !seen_names) {
				seen_names = true;
				apply_names(ctx);
			} else if (str_is(s->name, "linking") && m->has_linking && !seen_linking) {
				seen_linking = true;
				apply_linking(ctx);
			}
		}
	}
}

static void free_table(char **tab, uint32_t n)
{
	if (!tab)
		return;
	for (uint32_t i = 0; i < n; i++)
		free(tab[i]);
	free(tab);
}

void objdump_names_free(struct objdump_ctx *ctx)
{
	free_table(ctx->func_names, ctx->nfunc_names);
	free_table(ctx->global_names, ctx->nglobal_names);
	free_table(ctx->table_names, ctx->ntable_names);
	free_table(ctx->memory_names, ctx->nmemory_names);
	free_table(ctx->tag_names, ctx->ntag_names);
	free_table(ctx->type_names, ctx->ntype_names);
	free_table(ctx->elem_names, ctx->nelem_names);
	free_table(ctx->data_names, ctx->ndata_names);
	ctx->func_names = ctx->global_names = ctx->table_names = NULL;
	ctx->memory_names = ctx->tag_names = ctx->type_names = NULL;
	ctx->elem_names = ctx->data_names = NULL;
	for (uint32_t i = 0; i < ctx->far_cap; i++)
		free(ctx->far_names[i].name);
	free(ctx->far_names);
	ctx->far_names = NULL;
	ctx->nfar_names = ctx->far_cap = 0;
}

static const char *lookup(char **tab, uint32_t n, uint32_t idx)
{
	if (!tab || idx >= n || !tab[idx])
		return NULL;
	return tab[idx];
}

const char *objdump_func_name(const struct objdump_ctx *ctx, uint32_t idx)
{
	if (idx >= ctx->nfunc_names)
		return far_lookup(ctx, WLAB_EXTERN_FUNC, idx);
	return lookup(ctx->func_names, ctx->nfunc_names, idx);
}

const char *objdump_global_name(const struct objdump_ctx *ctx, uint32_t idx)
{
	if (idx >= ctx->nglobal_names)
		return far_lookup(ctx, WLAB_EXTERN_GLOBAL, idx);
	return lookup(ctx->global_names, ctx->nglobal_names, idx);
}

const char *objdump_table_name(const struct objdump_ctx *ctx, uint32_t idx)
{
	return lookup(ctx->table_names, ctx->ntable_names, idx);
}

const char *objdump_memory_name(const struct objdump_ctx *ctx, uint32_t idx)
{
	return lookup(ctx->memory_names, ctx->nmemory_names, idx);
}

const char *objdump_tag_name(const struct objdump_ctx *ctx, uint32_t idx)
{
	return lookup(ctx->tag_names, ctx->ntag_names, idx);
}

const char *objdump_type_name(const struct objdump_ctx *ctx, uint32_t idx)
{
	return lookup(ctx->type_names, ctx->ntype_names, idx);
}

const char *objdump_elem_name(const struct objdump_ctx *ctx, uint32_t idx)
{
	return lookup(ctx->elem_names, ctx->nelem_names, idx);
}

const char *objdump_data_name(const struct objdump_ctx *ctx, uint32_t idx)
{
	return lookup(ctx->data_names, ctx->ndata_names, idx);
}

/* Name `inner` of entry `outer` of the indirect name maps of subsection
 * `id` (locals by function, fields by type), copied to a static buffer, or
 * NULL. first: the first match wins (fields); else the last one does, as
 * wasm-objdump reads local names. */
static const char *indirect_name(const struct objdump_ctx *ctx, uint8_t id, uint32_t outer,
				 uint32_t inner, bool first)
{
	static char buf[256];
	const struct wlab_names *ns = &ctx->m->names;
	const struct wlab_str *found = NULL;
	for (uint32_t i = 0; i < ns->nsubsections && !(first && found); i++) {
		const struct wlab_name_subsection *sub = &ns->subsections[i];
		if (sub->id != id || !sub->indirect)
			continue;
		for (uint32_t j = 0; j < sub->imap.count && !(first && found); j++) {
			const struct wlab_indirect_naming *in = &sub->imap.entries[j];
			if (in->index != outer)
				continue;
			for (uint32_t k = 0; k < in->map.count && !(first && found); k++)
				if (in->map.names[k].index == inner)
					found = &in->map.names[k].name;
		}
	}
	if (!found || found->len == 0)
		return NULL;
	size_t n = found->len < sizeof buf - 1 ? found->len : sizeof buf - 1;
	memcpy(buf, found->ptr, n);
	buf[n] = '\0';
	return buf;
}

const char *objdump_field_name(const struct objdump_ctx *ctx, uint32_t type, uint32_t field)
{
	if (!ctx->m->has_names || type >= ctx->m->ntypes ||
	    ctx->m->types[type].form != WLAB_FORM_STRUCT)
		return NULL;
	return indirect_name(ctx, WLAB_NAMES_FIELD, type, field, true);
}

const char *objdump_local_name(const struct objdump_ctx *ctx, uint32_t func, uint32_t local)
{
	if (!ctx->m->has_names)
		return NULL;
	return indirect_name(ctx, WLAB_NAMES_LOCAL, func, local, false);
}
