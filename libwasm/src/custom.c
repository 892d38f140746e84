/* custom.c: dispatches the custom sections libwasm knows to their decoders. */
#include "custom.h"

#include <string.h>

typedef enum wlab_status custom_decoder(struct wlab_module *m, uint32_t section_index,
					struct wlab_reader *r);

/* The custom sections libwasm decodes; a prefix row matches any name that
 * starts with its text ("reloc.CODE", "reloc.DATA", "reloc..debug_info"). */
static const struct custom_kind {
	const char *name;
	bool prefix;
	custom_decoder *decode;
} custom_kinds[] = {
	{"name", false, wlab_custom_names},
	{"producers", false, wlab_custom_producers},
	{"target_features", false, wlab_custom_target_features},
	{"linking", false, wlab_custom_linking},
	{"reloc.", true, wlab_custom_reloc},
	{"dylink.0", false, wlab_custom_dylink0},
	{"dylink", false, wlab_custom_dylink_legacy},
	{"metadata.code.", true, wlab_custom_code_meta},
};

static const struct custom_kind *custom_find(struct wlab_str name)
{
	for (size_t i = 0; i < sizeof custom_kinds / sizeof custom_kinds[0]; i++) {
		const struct custom_kind *k = &custom_kinds[i];
		size_t len = strlen(k->name);
		if (name.len < len || (!k->prefix && name.len != len))
			continue;
		if (memcmp(name.ptr, k->name, len) == 0)
			return k;
	}
	return NULL;
}

enum wlab_status wlab_decode_custom(struct wlab_module *m, uint32_t section_index,
				    struct wlab_error *err)
{
	if (section_index >= m->nsections)
		return WLAB_OK;
	const struct wlab_section *s = &m->sections[section_index];
	const struct custom_kind *k = custom_find(s->name);
	if (!k)
		return WLAB_OK;
	if ((size_t)s->content.offset + s->content.size > m->size)
		return wlab_error_set(err, WLAB_MALFORMED, s->content.offset,
				      "length out of bounds");
	struct wlab_reader r = {
		.base = m->bytes,
		.pos = m->bytes + s->content.offset,
		.end = m->bytes + s->content.offset + s->content.size,
		.err = err,
	};
	return k->decode(m, section_index, &r);
}

enum wlab_status wlab_custom_subsection(struct wlab_reader *r, uint8_t *id,
					struct wlab_reader *sub, struct wlab_span *span)
{
	struct wlab_reader t = *r;
	uint32_t size;
	enum wlab_status st = wlab_read_u8(&t, id);
	if (st)
		goto fail;
	size_t size_at = wlab_reader_offset(&t);
	st = wlab_read_u32(&t, &size);
	if (st)
		goto fail;
	if (size > wlab_reader_left(&t)) {
		st = wlab_custom_fail(r, size_at, "length out of bounds");
		goto fail;
	}
	*sub = t;
	sub->end = t.pos + size;
	span->offset = (uint32_t)wlab_reader_offset(r);
	span->size = (uint32_t)(sub->end - r->pos);
	r->pos = sub->end;
	return WLAB_OK;
fail:
	return st;
}

uint32_t wlab_custom_count_subsections(const struct wlab_reader *r)
{
	struct wlab_error scratch = {0};
	struct wlab_reader t = *r, sub;
	struct wlab_span span;
	uint8_t id;
	uint32_t n = 0;
	t.err = &scratch;
	while (wlab_reader_left(&t) > 0 && !wlab_custom_subsection(&t, &id, &sub, &span))
		n++;
	return n;
}

enum wlab_status wlab_custom_finish(struct wlab_reader *r)
{
	if (wlab_reader_left(r) != 0)
		return wlab_custom_fail(r, wlab_reader_offset(r), "section size mismatch");
	return WLAB_OK;
}

enum wlab_status wlab_custom_str(struct wlab_reader *r, bool check_utf8,
				 struct wlab_str *out)
{
	const uint8_t *ptr;
	uint32_t len;
	enum wlab_status st = wlab_read_name(r, check_utf8, &ptr, &len);
	if (st)
		return st;
	out->ptr = ptr;
	out->len = len;
	return WLAB_OK;
}

enum wlab_status wlab_custom_nomem(struct wlab_reader *r)
{
	wlab_error_set(r->err, WLAB_NOMEM, wlab_reader_offset(r), "out of memory");
	return WLAB_NOMEM;
}

enum wlab_status wlab_custom_fail(struct wlab_reader *r, size_t offset, const char *msg)
{
	wlab_error_set(r->err, WLAB_MALFORMED, offset, "%s", msg);
	return WLAB_MALFORMED;
}
