/* encode.c: wlab_module_encode: the header and every known section from the structure. */
#include <stdlib.h>
#include <string.h>

#include "encode_internal.h"

enum wlab_status enc_invalid(struct encoder *e, size_t offset, const char *msg)
{
	return wlab_error_set(e->err, WLAB_INVALID, offset, "%s", msg);
}

enum wlab_status enc_check_span(struct encoder *e, struct wlab_span span, const char *what)
{
	const struct wlab_module *m = e->m;
	if ((uint64_t)span.offset + span.size > m->size || (span.size && !m->bytes))
		return wlab_error_set(e->err, WLAB_INVALID, span.offset,
				      "%s out of range (0x%x+%u, module has %zu bytes)", what,
				      (unsigned)span.offset, (unsigned)span.size, m->size);
	return WLAB_OK;
}

enum wlab_status enc_span(struct encoder *e, struct wlab_buf *b, struct wlab_span span,
			  const char *what)
{
	if (enc_check_span(e, span, what))
		return WLAB_INVALID;
	if (span.size)
		wlab_buf_bytes(b, e->m->bytes + span.offset, span.size);
	return WLAB_OK;
}

enum wlab_status enc_str(struct encoder *e, struct wlab_buf *b, struct wlab_str s,
			 const char *what)
{
	if (s.len && !s.ptr)
		return wlab_error_set(e->err, WLAB_INVALID, 0, "%s: NULL name of %u bytes",
				      what, (unsigned)s.len);
	wlab_buf_str(b, s);
	return WLAB_OK;
}

/* A count without its array (a structure built by hand) is an error, not a crash. */
static enum wlab_status need_array(struct encoder *e, uint32_t n, const void *p, const char *what)
{
	if (n && !p)
		return wlab_error_set(e->err, WLAB_INVALID, 0, "%u %s without their array",
				      (unsigned)n, what);
	return WLAB_OK;
}

/* Limits from has_max/shared/is64; the flags byte keeps its other bits.
 * In 3.0 limits are u64 LEB128s whatever the address type (the decoder
 * reads them so; the validator bounds them), so they are written as such:
 * a value below 2^32 has the same bytes as a u32 LEB128. */
static enum wlab_status enc_limits(struct encoder *e, struct wlab_buf *b,
				   const struct wlab_limits *l, size_t at)
{
	(void)e, (void)at;
	uint8_t known = WLAB_LIMITS_MAX | WLAB_LIMITS_SHARED | WLAB_LIMITS_I64;
	uint8_t flags = (uint8_t)((l->flags & ~known) | (l->has_max ? WLAB_LIMITS_MAX : 0) |
				  (l->shared ? WLAB_LIMITS_SHARED : 0) |
				  (l->is64 ? WLAB_LIMITS_I64 : 0));
	wlab_buf_u8(b, flags);
	wlab_buf_u64(b, l->min);
	if (l->has_max)
		wlab_buf_u64(b, l->max);
	return WLAB_OK;
}

static enum wlab_status enc_tabletype(struct encoder *e, struct wlab_buf *b,
				      const struct wlab_tabletype *t, size_t at)
{
	wlab_buf_valtype(b, t->elemtype);
	return enc_limits(e, b, &t->limits, at);
}

static void enc_globaltype(struct wlab_buf *b, const struct wlab_globaltype *g)
{
	wlab_buf_valtype(b, g->valtype);
	wlab_buf_u8(b, g->mut ? 1 : 0);
}

static enum wlab_status enc_valtypes(struct encoder *e, struct wlab_buf *b, uint32_t n,
				     const wlab_valtype_t *v, size_t at)
{
	if (n && !v)
		return enc_invalid(e, at, "function type without its value types");
	wlab_buf_u32(b, n);
	for (uint32_t i = 0; i < n; i++)
		wlab_buf_valtype(b, v[i]);
	return WLAB_OK;
}

static enum wlab_status enc_subtype(struct encoder *e, struct wlab_buf *b,
				    const struct wlab_functype *t)
{
	/* sub and sub final as written; a type built by hand (sub 0) that is
	 * not final or has a supertype needs the prefix too */
	uint8_t sub = t->sub;
	if (!sub && (!t->final || t->has_super))
		sub = t->final ? WLAB_SUB_FINAL : WLAB_SUB;
	if (sub) {
		wlab_buf_u8(b, t->final ? WLAB_SUB_FINAL : WLAB_SUB);
		wlab_buf_u32(b, t->has_super ? 1 : 0);
		if (t->has_super)
			wlab_buf_u32(b, t->super);
	}
	uint8_t form = t->form ? t->form : WLAB_FORM_FUNC;
	wlab_buf_u8(b, form);
	if (form == WLAB_FORM_FUNC)
		return enc_valtypes(e, b, t->nparams, t->params, t->span.offset) ||
		       enc_valtypes(e, b, t->nresults, t->results, t->span.offset)
			? WLAB_INVALID : WLAB_OK;
	if ((form != WLAB_FORM_STRUCT && form != WLAB_FORM_ARRAY) ||
	    (form == WLAB_FORM_ARRAY && t->nfields != 1) || (t->nfields && !t->fields))
		return enc_invalid(e, t->span.offset, "malformed definition type");
	if (form == WLAB_FORM_STRUCT)
		wlab_buf_u32(b, t->nfields);
	for (uint32_t k = 0; k < t->nfields; k++) {
		wlab_buf_valtype(b, t->fields[k].type);
		wlab_buf_u8(b, t->fields[k].mut ? 1 : 0);
	}
	return WLAB_OK;
}

/* A type's group: [rec_start, rec_start + rec_size), or itself alone when
 * the fields do not make a group that holds it (a structure built by hand). */
static uint32_t group_end(const struct wlab_module *m, uint32_t i)
{
	const struct wlab_functype *t = &m->types[i];
	if (t->rec_start != i || t->rec_size < 1 || t->rec_size > m->ntypes - i)
		return i + 1;
	return i + t->rec_size;
}

/* The rec groups (an empty one written in the text or binary is dropped:
 * it declares nothing); a group of one written as rec stays one. */
static enum wlab_status sec_type(struct encoder *e, struct wlab_buf *b)
{
	const struct wlab_module *m = e->m;
	if (need_array(e, m->ntypes, m->types, "types"))
		return WLAB_INVALID;
	uint32_t ngroups = 0;
	for (uint32_t i = 0; i < m->ntypes; i = group_end(m, i))
		ngroups++;
	wlab_buf_u32(b, ngroups);
	for (uint32_t i = 0, end; i < m->ntypes; i = end) {
		end = group_end(m, i);
		if (end - i > 1 || m->types[i].rec) {
			wlab_buf_u8(b, WLAB_REC);
			wlab_buf_u32(b, end - i);
		}
		for (uint32_t k = i; k < end; k++)
			if (enc_subtype(e, b, &m->types[k]))
				return WLAB_INVALID;
	}
	return WLAB_OK;
}

static enum wlab_status sec_import(struct encoder *e, struct wlab_buf *b)
{
	const struct wlab_module *m = e->m;
	if (need_array(e, m->nimports, m->imports, "imports"))
		return WLAB_INVALID;
	wlab_buf_u32(b, m->nimports);
	for (uint32_t i = 0; i < m->nimports; i++) {
		const struct wlab_import *im = &m->imports[i];
		if (enc_str(e, b, im->module, "import module") ||
		    enc_str(e, b, im->field, "import field"))
			return WLAB_INVALID;
		wlab_buf_u8(b, im->kind);
		switch (im->kind) {
		case WLAB_EXTERN_FUNC:
			wlab_buf_u32(b, im->u.func_type);
			break;
		case WLAB_EXTERN_TABLE:
			if (enc_tabletype(e, b, &im->u.table, im->span.offset))
				return WLAB_INVALID;
			break;
		case WLAB_EXTERN_MEMORY:
			if (enc_limits(e, b, &im->u.memory, im->span.offset))
				return WLAB_INVALID;
			break;
		case WLAB_EXTERN_GLOBAL:
			enc_globaltype(b, &im->u.global);
			break;
		case WLAB_EXTERN_TAG:
			wlab_buf_u8(b, im->u.tag.attribute);
			wlab_buf_u32(b, im->u.tag.type_index);
			break;
		default:
			return enc_invalid(e, im->span.offset, "unknown import kind");
		}
	}
	return WLAB_OK;
}

static enum wlab_status sec_function(struct encoder *e, struct wlab_buf *b)
{
	const struct wlab_module *m = e->m;
	if (need_array(e, m->nfuncs, m->func_types, "functions"))
		return WLAB_INVALID;
	wlab_buf_u32(b, m->nfuncs);
	for (uint32_t i = 0; i < m->nfuncs; i++)
		wlab_buf_u32(b, m->func_types[i]);
	return WLAB_OK;
}

static enum wlab_status sec_table(struct encoder *e, struct wlab_buf *b)
{
	const struct wlab_module *m = e->m;
	if (need_array(e, m->ntables, m->tables, "tables"))
		return WLAB_INVALID;
	wlab_buf_u32(b, m->ntables);
	for (uint32_t i = 0; i < m->ntables; i++) {
		const struct wlab_table *t = &m->tables[i];
		if (t->has_init) {
			wlab_buf_u8(b, 0x40);
			wlab_buf_u8(b, 0x00);
		}
		if (enc_tabletype(e, b, &t->type, t->span.offset))
			return WLAB_INVALID;
		if (t->has_init && enc_span(e, b, t->init.span, "table initializer"))
			return WLAB_INVALID;
	}
	return WLAB_OK;
}

static enum wlab_status sec_memory(struct encoder *e, struct wlab_buf *b)
{
	const struct wlab_module *m = e->m;
	if (need_array(e, m->nmemories, m->memories, "memories"))
		return WLAB_INVALID;
	wlab_buf_u32(b, m->nmemories);
	for (uint32_t i = 0; i < m->nmemories; i++)
		if (enc_limits(e, b, &m->memories[i].limits, m->memories[i].span.offset))
			return WLAB_INVALID;
	return WLAB_OK;
}

static enum wlab_status sec_global(struct encoder *e, struct wlab_buf *b)
{
	const struct wlab_module *m = e->m;
	if (need_array(e, m->nglobals, m->globals, "globals"))
		return WLAB_INVALID;
	wlab_buf_u32(b, m->nglobals);
	for (uint32_t i = 0; i < m->nglobals; i++) {
		enc_globaltype(b, &m->globals[i].type);
		if (enc_span(e, b, m->globals[i].init.span, "global initializer"))
			return WLAB_INVALID;
	}
	return WLAB_OK;
}

static enum wlab_status sec_export(struct encoder *e, struct wlab_buf *b)
{
	const struct wlab_module *m = e->m;
	if (need_array(e, m->nexports, m->exports, "exports"))
		return WLAB_INVALID;
	wlab_buf_u32(b, m->nexports);
	for (uint32_t i = 0; i < m->nexports; i++) {
		const struct wlab_export *ex = &m->exports[i];
		if (enc_str(e, b, ex->name, "export name"))
			return WLAB_INVALID;
		if (ex->kind > WLAB_EXTERN_TAG)
			return enc_invalid(e, ex->span.offset, "unknown export kind");
		wlab_buf_u8(b, ex->kind);
		wlab_buf_u32(b, ex->index);
	}
	return WLAB_OK;
}

static enum wlab_status sec_start(struct encoder *e, struct wlab_buf *b)
{
	wlab_buf_u32(b, e->m->start);
	return WLAB_OK;
}

static enum wlab_status sec_datacount(struct encoder *e, struct wlab_buf *b)
{
	wlab_buf_u32(b, e->m->data_count);
	return WLAB_OK;
}

/* flags bit 0: passive or declarative; bit 1: table index (active) or
 * declarative; bit 2: expressions with a reftype. The fields must agree. */
static enum wlab_status enc_elem(struct encoder *e, struct wlab_buf *b, const struct wlab_elem *s)
{
	uint32_t f = s->flags;
	uint8_t mode = !(f & 1) ? WLAB_SEGMENT_ACTIVE
		: (f & 2) ? WLAB_SEGMENT_DECLARATIVE : WLAB_SEGMENT_PASSIVE;
	if (f > 7 || mode != s->mode || s->uses_exprs != ((f & 4) != 0))
		return enc_invalid(e, s->span.offset, "element segment flags disagree with its fields");
	if ((f == 0 || f == 4) && s->table != 0)
		return enc_invalid(e, s->span.offset, "element segment flags 0/4 need table 0");
	/* Only flags 5..7 write the reftype; the others imply funcref. */
	if (!((f & 3) && (f & 4)) && s->elemtype != WLAB_FUNCREF)
		return enc_invalid(e, s->span.offset, "element segment flags imply funcref");
	wlab_buf_u32(b, f);
	if (mode == WLAB_SEGMENT_ACTIVE) {
		if (f & 2)
			wlab_buf_u32(b, s->table);
		if (enc_span(e, b, s->offset.span, "element segment offset"))
			return WLAB_INVALID;
	}
	if ((f & 3) && (f & 4))
		wlab_buf_valtype(b, s->elemtype);
	else if (f & 3)
		wlab_buf_u8(b, 0x00);
	if (s->count && !(s->uses_exprs ? (void *)s->exprs : (void *)s->funcs))
		return enc_invalid(e, s->span.offset, "element segment without its items");
	wlab_buf_u32(b, s->count);
	for (uint32_t i = 0; i < s->count; i++) {
		if (!s->uses_exprs)
			wlab_buf_u32(b, s->funcs[i]);
		else if (enc_span(e, b, s->exprs[i].span, "element item"))
			return WLAB_INVALID;
	}
	return WLAB_OK;
}

static enum wlab_status sec_elem(struct encoder *e, struct wlab_buf *b)
{
	const struct wlab_module *m = e->m;
	if (need_array(e, m->nelems, m->elems, "element segments"))
		return WLAB_INVALID;
	wlab_buf_u32(b, m->nelems);
	for (uint32_t i = 0; i < m->nelems; i++)
		if (enc_elem(e, b, &m->elems[i]))
			return WLAB_INVALID;
	return WLAB_OK;
}

static enum wlab_status sec_code(struct encoder *e, struct wlab_buf *b)
{
	const struct wlab_module *m = e->m;
	if (need_array(e, m->ncodes, m->codes, "function bodies"))
		return WLAB_INVALID;
	struct wlab_buf body = {0};
	enum wlab_status st = WLAB_OK;
	wlab_buf_u32(b, m->ncodes);
	for (uint32_t i = 0; i < m->ncodes && !st; i++) {
		const struct wlab_code *c = &m->codes[i];
		wlab_buf_reset(&body);
		if (c->nlocal_decls && !c->local_decls) {
			st = enc_invalid(e, c->span.offset, "function body without its locals");
			break;
		}
		wlab_buf_u32(&body, c->nlocal_decls);
		for (uint32_t j = 0; j < c->nlocal_decls; j++) {
			wlab_buf_u32(&body, c->local_decls[j].count);
			wlab_buf_valtype(&body, c->local_decls[j].type);
		}
		st = enc_span(e, &body, c->expr, "function body");
		wlab_buf_sized(b, &body);
	}
	wlab_buf_free(&body);
	return st;
}

static enum wlab_status sec_data(struct encoder *e, struct wlab_buf *b)
{
	const struct wlab_module *m = e->m;
	if (need_array(e, m->ndatas, m->datas, "data segments"))
		return WLAB_INVALID;
	wlab_buf_u32(b, m->ndatas);
	for (uint32_t i = 0; i < m->ndatas; i++) {
		const struct wlab_data *s = &m->datas[i];
		uint8_t mode = s->flags == 1 ? WLAB_SEGMENT_PASSIVE : WLAB_SEGMENT_ACTIVE;
		if (s->flags > 2 || mode != s->mode || (s->flags == 0 && s->memory != 0))
			return enc_invalid(e, s->span.offset,
					   "data segment flags disagree with its fields");
		wlab_buf_u32(b, s->flags);
		if (s->flags == 2)
			wlab_buf_u32(b, s->memory);
		if (s->flags != 1 && enc_span(e, b, s->offset.span, "data segment offset"))
			return WLAB_INVALID;
		wlab_buf_u32(b, s->bytes.size);
		if (enc_span(e, b, s->bytes, "data segment bytes"))
			return WLAB_INVALID;
	}
	return WLAB_OK;
}

static enum wlab_status sec_tag(struct encoder *e, struct wlab_buf *b)
{
	const struct wlab_module *m = e->m;
	if (need_array(e, m->ntags, m->tags, "tags"))
		return WLAB_INVALID;
	wlab_buf_u32(b, m->ntags);
	for (uint32_t i = 0; i < m->ntags; i++) {
		wlab_buf_u8(b, m->tags[i].type.attribute);
		wlab_buf_u32(b, m->tags[i].type.type_index);
	}
	return WLAB_OK;
}

static enum wlab_status sec_custom(struct encoder *e, uint32_t index, struct wlab_buf *b)
{
	const struct wlab_section *s = &e->m->sections[index];
	bool done = false;
	if (enc_str(e, b, s->name, "custom section name"))
		return WLAB_INVALID;
	enum wlab_status st = enc_custom_content(e, index, b, &done);
	if (st || done)
		return st;
	return enc_span(e, b, s->content, "custom section content");
}

typedef enum wlab_status (*section_writer)(struct encoder *, struct wlab_buf *);

static section_writer writer_of(uint8_t id)
{
	switch (id) {
	case WLAB_SEC_TYPE: return sec_type;
	case WLAB_SEC_IMPORT: return sec_import;
	case WLAB_SEC_FUNCTION: return sec_function;
	case WLAB_SEC_TABLE: return sec_table;
	case WLAB_SEC_MEMORY: return sec_memory;
	case WLAB_SEC_GLOBAL: return sec_global;
	case WLAB_SEC_EXPORT: return sec_export;
	case WLAB_SEC_START: return sec_start;
	case WLAB_SEC_ELEM: return sec_elem;
	case WLAB_SEC_DATACOUNT: return sec_datacount;
	case WLAB_SEC_CODE: return sec_code;
	case WLAB_SEC_DATA: return sec_data;
	case WLAB_SEC_TAG: return sec_tag;
	default: return NULL;
	}
}

enum wlab_status wlab_module_encode(const struct wlab_module *m, uint8_t **out,
				    size_t *size, struct wlab_error *err)
{
	static const uint8_t magic[4] = {0x00, 0x61, 0x73, 0x6d};
	struct wlab_error local_err;
	if (!err)
		err = &local_err;
	memset(err, 0, sizeof *err);
	*out = NULL;
	*size = 0;
	struct encoder e = {.m = m, .err = err};
	if (need_array(&e, m->nsections, m->sections, "sections"))
		return WLAB_INVALID;
	struct wlab_buf b = {0}, payload = {0};
	enum wlab_status st = WLAB_OK;
	wlab_buf_bytes(&b, magic, 4);
	wlab_buf_u32le(&b, m->version ? m->version : 1);
	for (uint32_t i = 0; i < m->nsections && !st; i++) {
		const struct wlab_section *s = &m->sections[i];
		wlab_buf_reset(&payload);
		if (s->id == WLAB_SEC_CUSTOM) {
			st = sec_custom(&e, i, &payload);
		} else {
			section_writer w = writer_of(s->id);
			st = w ? w(&e, &payload)
			       : wlab_error_set(err, WLAB_INVALID, s->span.offset,
						"unknown section id %u", s->id);
		}
		if (!st && payload.size > UINT32_MAX)
			st = wlab_error_set(err, WLAB_INVALID, s->span.offset,
					    "section too large (%zu bytes)", payload.size);
		wlab_buf_u8(&b, s->id);
		wlab_buf_sized(&b, &payload);
		if (!st && !wlab_buf_ok(&b))
			st = wlab_error_set(err, WLAB_NOMEM, s->span.offset, "out of memory");
	}
	wlab_buf_free(&payload);
	if (!st && !wlab_buf_ok(&b))
		st = wlab_error_set(err, WLAB_NOMEM, 0, "out of memory");
	if (st) {
		wlab_buf_free(&b);
		return st;
	}
	*out = wlab_buf_take(&b, size);
	return WLAB_OK;
}
