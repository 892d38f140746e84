/* encode_custom.c: the "name", "producers" and "target_features" custom
 * sections written from their decoded structures. */
#include <string.h>

#include "decode.h"
#include "encode_internal.h"

static bool str_is(struct wlab_str s, const char *text)
{
	size_t len = strlen(text);
	return s.len == len && s.ptr && memcmp(s.ptr, text, len) == 0;
}

/* Is section index the first custom section named text? */
static bool first_named(const struct wlab_module *m, uint32_t index, const char *text)
{
	if (!str_is(m->sections[index].name, text))
		return false;
	for (uint32_t i = 0; i < index; i++)
		if (m->sections[i].id == WLAB_SEC_CUSTOM && str_is(m->sections[i].name, text))
			return false;
	return true;
}

/* Did this section fail to decode? m->custom_error keeps only the first
 * error of all custom sections, so when there is one the section is decoded
 * again on a scratch module to know. */
static enum wlab_status decode_failed(struct encoder *e, uint32_t index, bool *failed)
{
	const struct wlab_module *m = e->m;
	*failed = false;
	if (m->custom_error.status == WLAB_OK)
		return WLAB_OK;
	struct wlab_module tmp = {
		.bytes = m->bytes,
		.size = m->size,
		.version = m->version,
		.nsections = m->nsections,
		.sections = m->sections,
	};
	tmp.arena = wlab_arena_new(0);
	if (!tmp.arena)
		return wlab_error_set(e->err, WLAB_NOMEM, m->sections[index].span.offset,
				      "out of memory");
	struct wlab_error cerr = {0};
	enum wlab_status st = wlab_decode_custom(&tmp, index, &cerr);
	wlab_arena_free(tmp.arena);
	if (st == WLAB_NOMEM)
		return wlab_error_set(e->err, WLAB_NOMEM, cerr.offset, "out of memory");
	*failed = st != WLAB_OK;
	return WLAB_OK;
}

static enum wlab_status enc_name_map(struct encoder *e, struct wlab_buf *b,
				     const struct wlab_name_map *map)
{
	if (map->count && !map->names)
		return enc_invalid(e, 0, "name map without its names");
	wlab_buf_u32(b, map->count);
	for (uint32_t i = 0; i < map->count; i++) {
		wlab_buf_u32(b, map->names[i].index);
		if (enc_str(e, b, map->names[i].name, "name"))
			return WLAB_INVALID;
	}
	return WLAB_OK;
}

static enum wlab_status enc_indirect_map(struct encoder *e, struct wlab_buf *b,
					 const struct wlab_indirect_map *imap)
{
	if (imap->count && !imap->entries)
		return enc_invalid(e, 0, "indirect name map without its entries");
	wlab_buf_u32(b, imap->count);
	for (uint32_t i = 0; i < imap->count; i++) {
		wlab_buf_u32(b, imap->entries[i].index);
		if (enc_name_map(e, b, &imap->entries[i].map))
			return WLAB_INVALID;
	}
	return WLAB_OK;
}

/* A subsection libwasm does not know: its payload copied from its span
 * (id byte, size LEB128, payload), the size rewritten in the shortest form. */
static enum wlab_status enc_unknown_subsection(struct encoder *e, struct wlab_buf *b,
					       const struct wlab_name_subsection *s)
{
	if (enc_check_span(e, s->span, "name subsection"))
		return WLAB_INVALID;
	struct wlab_error rerr = {0};
	struct wlab_reader r;
	wlab_reader_init(&r, e->m->bytes, s->span.offset + (size_t)s->span.size, &rerr);
	r.pos = r.base + s->span.offset;
	uint8_t id;
	uint32_t size;
	if (wlab_read_u8(&r, &id) || wlab_read_u32(&r, &size) || size != wlab_reader_left(&r))
		return enc_invalid(e, s->span.offset, "name subsection span is not a subsection");
	wlab_buf_bytes(b, r.pos, size);
	return WLAB_OK;
}

static enum wlab_status enc_names(struct encoder *e, struct wlab_buf *b)
{
	const struct wlab_names *names = &e->m->names;
	struct wlab_buf sub = {0};
	enum wlab_status st = WLAB_OK;
	if (names->nsubsections && !names->subsections)
		return enc_invalid(e, 0, "name section without its subsections");
	for (uint32_t i = 0; i < names->nsubsections && !st; i++) {
		const struct wlab_name_subsection *s = &names->subsections[i];
		wlab_buf_reset(&sub);
		if (s->id >= WLAB_NAMES_KIND_COUNT)
			st = enc_unknown_subsection(e, &sub, s);
		else if (s->id == WLAB_NAMES_MODULE)
			st = enc_str(e, &sub, s->module_name, "module name");
		else if (s->indirect)
			st = enc_indirect_map(e, &sub, &s->imap);
		else
			st = enc_name_map(e, &sub, &s->map);
		wlab_buf_u8(b, s->id);
		wlab_buf_sized(b, &sub);
	}
	wlab_buf_free(&sub);
	return st;
}

static enum wlab_status enc_producers(struct encoder *e, struct wlab_buf *b)
{
	const struct wlab_producers *p = &e->m->producers;
	if (p->count && !p->fields)
		return enc_invalid(e, 0, "producers section without its fields");
	wlab_buf_u32(b, p->count);
	for (uint32_t i = 0; i < p->count; i++) {
		const struct wlab_producer_field *f = &p->fields[i];
		if (enc_str(e, b, f->name, "producers field"))
			return WLAB_INVALID;
		if (f->count && !f->values)
			return enc_invalid(e, 0, "producers field without its values");
		wlab_buf_u32(b, f->count);
		for (uint32_t j = 0; j < f->count; j++)
			if (enc_str(e, b, f->values[j].name, "producer name") ||
			    enc_str(e, b, f->values[j].version, "producer version"))
				return WLAB_INVALID;
	}
	return WLAB_OK;
}

static enum wlab_status enc_target_features(struct encoder *e, struct wlab_buf *b)
{
	const struct wlab_target_features *tf = &e->m->target_features;
	if (tf->count && !tf->features)
		return enc_invalid(e, 0, "target_features section without its features");
	wlab_buf_u32(b, tf->count);
	for (uint32_t i = 0; i < tf->count; i++) {
		wlab_buf_u8(b, tf->features[i].prefix);
		if (enc_str(e, b, tf->features[i].name, "feature name"))
			return WLAB_INVALID;
	}
	return WLAB_OK;
}

enum wlab_status enc_custom_content(struct encoder *e, uint32_t index, struct wlab_buf *b,
				    bool *done)
{
	const struct wlab_module *m = e->m;
	enum wlab_status (*writer)(struct encoder *, struct wlab_buf *) = NULL;
	*done = false;
	if (m->has_names && first_named(m, index, "name"))
		writer = enc_names;
	else if (m->has_producers && first_named(m, index, "producers"))
		writer = enc_producers;
	else if (m->has_target_features && first_named(m, index, "target_features"))
		writer = enc_target_features;
	if (!writer)
		return WLAB_OK;
	bool failed;
	if (decode_failed(e, index, &failed))
		return WLAB_NOMEM;
	if (failed)
		return WLAB_OK;
	*done = true;
	return writer(e, b);
}
