/* decode_segments.c: element and data segments in all their encodings. */
#include "decode_internal.h"

static enum wlab_status read_elem_items(struct decoder *d, struct wlab_reader *r,
					struct wlab_elem *e)
{
	if (wlab_read_count(r, 1, &e->count))
		return WLAB_MALFORMED;
	if (e->uses_exprs) {
		e->exprs = dec_array(d, e->count, sizeof *e->exprs, r);
		if (!e->exprs)
			return WLAB_NOMEM;
		for (uint32_t i = 0; i < e->count; i++)
			if (dec_expr(d, r, &e->exprs[i]))
				return WLAB_MALFORMED;
		return WLAB_OK;
	}
	e->funcs = dec_array(d, e->count, sizeof *e->funcs, r);
	if (!e->funcs)
		return WLAB_NOMEM;
	for (uint32_t i = 0; i < e->count; i++)
		if (wlab_read_u32(r, &e->funcs[i]))
			return WLAB_MALFORMED;
	return WLAB_OK;
}

/* flags bit 0: passive or declarative; bit 1: explicit table index (active)
 * or declarative; bit 2: items are expressions with an explicit reftype. */
static enum wlab_status read_elem(struct decoder *d, struct wlab_reader *r, struct wlab_elem *e)
{
	e->span.offset = (uint32_t)wlab_reader_offset(r);
	if (wlab_read_u32(r, &e->flags))
		return WLAB_MALFORMED;
	if (e->flags > 7)
		return dec_fail(d, r, e->span.offset, "malformed elements segment kind");
	e->uses_exprs = e->flags & 4;
	e->elemtype = WLAB_FUNCREF;
	if (!(e->flags & 1)) {
		e->mode = WLAB_SEGMENT_ACTIVE;
		if ((e->flags & 2) && wlab_read_u32(r, &e->table))
			return WLAB_MALFORMED;
		if (dec_expr(d, r, &e->offset))
			return WLAB_MALFORMED;
	} else {
		e->mode = (e->flags & 2) ? WLAB_SEGMENT_DECLARATIVE : WLAB_SEGMENT_PASSIVE;
	}
	if (e->flags & 3) {
		if (e->uses_exprs) {
			if (dec_reftype(d, r, &e->elemtype))
				return WLAB_MALFORMED;
		} else {
			uint8_t kind;
			if (wlab_read_u8(r, &kind))
				return WLAB_MALFORMED;
			if (kind != 0)
				return dec_fail(d, r, wlab_reader_offset(r) - 1,
						"malformed element kind");
		}
	}
	if (read_elem_items(d, r, e))
		return WLAB_MALFORMED;
	e->span.size = (uint32_t)wlab_reader_offset(r) - e->span.offset;
	return WLAB_OK;
}

enum wlab_status dec_elem_section(struct decoder *d, struct wlab_reader *r)
{
	struct wlab_module *m = d->m;
	uint32_t n;
	if (wlab_read_count(r, 1, &n))
		return WLAB_MALFORMED;
	d->section_count = n;
	m->elems = dec_array(d, n, sizeof *m->elems, r);
	if (!m->elems)
		return WLAB_NOMEM;
	for (uint32_t i = 0; i < n; i++) {
		m->nelems = i + 1;
		if (read_elem(d, r, &m->elems[i]))
			return WLAB_MALFORMED;
	}
	return WLAB_OK;
}

static enum wlab_status read_data(struct decoder *d, struct wlab_reader *r, struct wlab_data *s)
{
	s->span.offset = (uint32_t)wlab_reader_offset(r);
	if (wlab_read_u32(r, &s->flags))
		return WLAB_MALFORMED;
	if (s->flags > 2)
		return dec_fail(d, r, s->span.offset, "malformed data segment kind");
	s->mode = s->flags == 1 ? WLAB_SEGMENT_PASSIVE : WLAB_SEGMENT_ACTIVE;
	if (s->flags == 2 && wlab_read_u32(r, &s->memory))
		return WLAB_MALFORMED;
	if (s->flags != 1 && dec_expr(d, r, &s->offset))
		return WLAB_MALFORMED;
	uint32_t len;
	const uint8_t *p;
	if (wlab_read_u32(r, &len) || wlab_read_bytes(r, len, &p))
		return WLAB_MALFORMED;
	s->bytes.offset = (uint32_t)(p - r->base);
	s->bytes.size = len;
	s->span.size = (uint32_t)wlab_reader_offset(r) - s->span.offset;
	return WLAB_OK;
}

enum wlab_status dec_data_section(struct decoder *d, struct wlab_reader *r)
{
	struct wlab_module *m = d->m;
	uint32_t n;
	if (wlab_read_count(r, 1, &n))
		return WLAB_MALFORMED;
	d->section_count = n;
	m->datas = dec_array(d, n, sizeof *m->datas, r);
	if (!m->datas)
		return WLAB_NOMEM;
	for (uint32_t i = 0; i < n; i++) {
		m->ndatas = i + 1;
		if (read_data(d, r, &m->datas[i]))
			return WLAB_MALFORMED;
	}
	return WLAB_OK;
}
