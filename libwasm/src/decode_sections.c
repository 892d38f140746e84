/* decode_sections.c: import, function, table, memory, global, export, start,
 * data count and tag sections. */
#include "decode_internal.h"

static uint8_t max_extern_kind(const struct decoder *d)
{
	return (d->features & WLAB_FEATURE_EXCEPTIONS) ? WLAB_EXTERN_TAG : WLAB_EXTERN_GLOBAL;
}

static enum wlab_status read_import_desc(struct decoder *d, struct wlab_reader *r,
					 struct wlab_import *im)
{
	struct wlab_module *m = d->m;
	switch (im->kind) {
	case WLAB_EXTERN_FUNC:
		im->kind_index = m->nimported_funcs++;
		return wlab_read_u32(r, &im->u.func_type);
	case WLAB_EXTERN_TABLE:
		im->kind_index = m->nimported_tables++;
		return dec_tabletype(d, r, &im->u.table);
	case WLAB_EXTERN_MEMORY:
		im->kind_index = m->nimported_memories++;
		return dec_limits(d, r, true, &im->u.memory);
	case WLAB_EXTERN_GLOBAL:
		im->kind_index = m->nimported_globals++;
		return dec_globaltype(d, r, &im->u.global);
	default:
		im->kind_index = m->nimported_tags++;
		if (wlab_read_u8(r, &im->u.tag.attribute))
			return WLAB_MALFORMED;
		return wlab_read_u32(r, &im->u.tag.type_index);
	}
}

enum wlab_status dec_import_section(struct decoder *d, struct wlab_reader *r)
{
	struct wlab_module *m = d->m;
	uint32_t n;
	if (wlab_read_count(r, 1, &n))
		return WLAB_MALFORMED;
	d->section_count = n;
	m->imports = dec_array(d, n, sizeof *m->imports, r);
	if (!m->imports)
		return WLAB_NOMEM;
	for (uint32_t i = 0; i < n; i++) {
		struct wlab_import *im = &m->imports[i];
		im->span.offset = (uint32_t)wlab_reader_offset(r);
		if (wlab_read_name(r, true, &im->module.ptr, &im->module.len) ||
		    wlab_read_name(r, true, &im->field.ptr, &im->field.len) ||
		    wlab_read_u8(r, &im->kind))
			return WLAB_MALFORMED;
		if (im->kind > max_extern_kind(d))
			return dec_fail(d, r, wlab_reader_offset(r) - 1, "malformed import kind");
		if (read_import_desc(d, r, im))
			return WLAB_MALFORMED;
		im->span.size = (uint32_t)wlab_reader_offset(r) - im->span.offset;
		m->nimports = i + 1;
	}
	return WLAB_OK;
}

enum wlab_status dec_function_section(struct decoder *d, struct wlab_reader *r)
{
	struct wlab_module *m = d->m;
	uint32_t n;
	if (wlab_read_count(r, 1, &n))
		return WLAB_MALFORMED;
	d->section_count = n;
	m->func_types = dec_array(d, n, sizeof *m->func_types, r);
	m->func_decl_offsets = dec_array(d, n, sizeof *m->func_decl_offsets, r);
	if (!m->func_types || !m->func_decl_offsets)
		return WLAB_NOMEM;
	for (uint32_t i = 0; i < n; i++) {
		m->func_decl_offsets[i] = (uint32_t)wlab_reader_offset(r);
		if (wlab_read_u32(r, &m->func_types[i]))
			return WLAB_MALFORMED;
		m->nfuncs = m->nfunc_decl_offsets = i + 1;
	}
	return WLAB_OK;
}

enum wlab_status dec_table_section(struct decoder *d, struct wlab_reader *r)
{
	struct wlab_module *m = d->m;
	uint32_t n;
	if (wlab_read_count(r, 1, &n))
		return WLAB_MALFORMED;
	d->section_count = n;
	m->tables = dec_array(d, n, sizeof *m->tables, r);
	if (!m->tables)
		return WLAB_NOMEM;
	for (uint32_t i = 0; i < n; i++) {
		struct wlab_table *t = &m->tables[i];
		t->span.offset = (uint32_t)wlab_reader_offset(r);
		/* 0x40 0x00 tabletype expr: a table with an initialiser */
		t->has_init = (d->features & WLAB_FEATURE_FUNCTION_REFERENCES) &&
			      r->end - r->pos >= 1 && r->pos[0] == 0x40;
		if (t->has_init) {
			const uint8_t *at = r->pos;
			r->pos++;
			uint8_t zero;
			if (wlab_read_u8(r, &zero))
				return WLAB_MALFORMED;
			if (zero != 0) {
				r->pos = at + 1;
				return wlab_error_set(r->err, WLAB_MALFORMED, wlab_reader_offset(r),
						      "malformed table");
			}
		}
		if (dec_tabletype(d, r, &t->type))
			return WLAB_MALFORMED;
		if (t->has_init && dec_expr(d, r, &t->init))
			return WLAB_MALFORMED;
		t->span.size = (uint32_t)wlab_reader_offset(r) - t->span.offset;
		m->ntables = i + 1;
	}
	return WLAB_OK;
}

enum wlab_status dec_memory_section(struct decoder *d, struct wlab_reader *r)
{
	struct wlab_module *m = d->m;
	uint32_t n;
	if (wlab_read_count(r, 1, &n))
		return WLAB_MALFORMED;
	d->section_count = n;
	m->memories = dec_array(d, n, sizeof *m->memories, r);
	if (!m->memories)
		return WLAB_NOMEM;
	for (uint32_t i = 0; i < n; i++) {
		struct wlab_memory *mem = &m->memories[i];
		mem->span.offset = (uint32_t)wlab_reader_offset(r);
		if (dec_limits(d, r, true, &mem->limits))
			return WLAB_MALFORMED;
		mem->span.size = (uint32_t)wlab_reader_offset(r) - mem->span.offset;
		m->nmemories = i + 1;
	}
	return WLAB_OK;
}

enum wlab_status dec_global_section(struct decoder *d, struct wlab_reader *r)
{
	struct wlab_module *m = d->m;
	uint32_t n;
	if (wlab_read_count(r, 1, &n))
		return WLAB_MALFORMED;
	d->section_count = n;
	m->globals = dec_array(d, n, sizeof *m->globals, r);
	if (!m->globals)
		return WLAB_NOMEM;
	for (uint32_t i = 0; i < n; i++) {
		struct wlab_global *g = &m->globals[i];
		g->span.offset = (uint32_t)wlab_reader_offset(r);
		if (dec_globaltype(d, r, &g->type) || dec_expr(d, r, &g->init))
			return WLAB_MALFORMED;
		g->span.size = (uint32_t)wlab_reader_offset(r) - g->span.offset;
		m->nglobals = i + 1;
	}
	return WLAB_OK;
}

enum wlab_status dec_export_section(struct decoder *d, struct wlab_reader *r)
{
	struct wlab_module *m = d->m;
	uint32_t n;
	if (wlab_read_count(r, 1, &n))
		return WLAB_MALFORMED;
	d->section_count = n;
	m->exports = dec_array(d, n, sizeof *m->exports, r);
	if (!m->exports)
		return WLAB_NOMEM;
	for (uint32_t i = 0; i < n; i++) {
		struct wlab_export *ex = &m->exports[i];
		ex->span.offset = (uint32_t)wlab_reader_offset(r);
		if (wlab_read_name(r, true, &ex->name.ptr, &ex->name.len) ||
		    wlab_read_u8(r, &ex->kind))
			return WLAB_MALFORMED;
		if (ex->kind > max_extern_kind(d))
			return dec_fail(d, r, wlab_reader_offset(r) - 1, "malformed export kind");
		if (wlab_read_u32(r, &ex->index))
			return WLAB_MALFORMED;
		ex->span.size = (uint32_t)wlab_reader_offset(r) - ex->span.offset;
		m->nexports = i + 1;
	}
	return WLAB_OK;
}

enum wlab_status dec_start_section(struct decoder *d, struct wlab_reader *r)
{
	if (wlab_read_u32(r, &d->m->start))
		return WLAB_MALFORMED;
	d->m->has_start = true;
	return WLAB_OK;
}

enum wlab_status dec_datacount_section(struct decoder *d, struct wlab_reader *r)
{
	if (wlab_read_u32(r, &d->m->data_count))
		return WLAB_MALFORMED;
	d->m->has_data_count = true;
	return WLAB_OK;
}

enum wlab_status dec_tag_section(struct decoder *d, struct wlab_reader *r)
{
	struct wlab_module *m = d->m;
	uint32_t n;
	if (wlab_read_count(r, 1, &n))
		return WLAB_MALFORMED;
	d->section_count = n;
	m->tags = dec_array(d, n, sizeof *m->tags, r);
	if (!m->tags)
		return WLAB_NOMEM;
	for (uint32_t i = 0; i < n; i++) {
		struct wlab_tag *t = &m->tags[i];
		t->span.offset = (uint32_t)wlab_reader_offset(r);
		if (wlab_read_u8(r, &t->type.attribute) ||
		    wlab_read_u32(r, &t->type.type_index))
			return WLAB_MALFORMED;
		t->span.size = (uint32_t)wlab_reader_offset(r) - t->span.offset;
		m->ntags = i + 1;
	}
	return WLAB_OK;
}
