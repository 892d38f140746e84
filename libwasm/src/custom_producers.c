/* custom_producers.c: the "producers" and "target_features" sections
 * (tool-conventions ProducersSection.md, Linking.md). */
#include "custom.h"

#include <string.h>

/* The field names the convention defines; a bit each, to catch repeats
 * in one pass. Other names are kept without a check. */
static unsigned producers_field_bit(struct wlab_str name)
{
	static const char *const known[] = {"language", "processed-by", "sdk"};
	for (unsigned i = 0; i < 3; i++) {
		size_t len = strlen(known[i]);
		if (name.len == len && memcmp(name.ptr, known[i], len) == 0)
			return 1u << i;
	}
	return 0;
}

/* One field: its name, then (name, version) pairs. */
static enum wlab_status producers_field(struct wlab_module *m, struct wlab_reader *r,
					struct wlab_producer_field *f)
{
	uint32_t n;
	enum wlab_status st = wlab_custom_str(r, true, &f->name);
	if (st)
		goto fail;
	st = wlab_read_count(r, 2, &n);
	if (st)
		goto fail;
	f->values = wlab_arena_array(m->arena, n, sizeof *f->values);
	if (!f->values && n) {
		st = wlab_custom_nomem(r);
		goto fail;
	}
	for (uint32_t i = 0; i < n; i++) {
		struct wlab_producer_value *v = &f->values[i];
		st = wlab_custom_str(r, true, &v->name);
		if (st)
			goto fail;
		st = wlab_custom_str(r, true, &v->version);
		if (st)
			goto fail;
		f->count = i + 1;
	}
	return WLAB_OK;
fail:
	return st;
}

enum wlab_status wlab_custom_producers(struct wlab_module *m, uint32_t section_index,
				       struct wlab_reader *r)
{
	(void)section_index;
	if (m->has_producers)
		return WLAB_OK;
	m->has_producers = true;
	struct wlab_producers *p = &m->producers;
	unsigned seen = 0;
	uint32_t n;
	enum wlab_status st = wlab_read_count(r, 2, &n);
	if (st)
		goto fail;
	p->fields = wlab_arena_array(m->arena, n, sizeof *p->fields);
	if (!p->fields && n) {
		st = wlab_custom_nomem(r);
		goto fail;
	}
	for (uint32_t i = 0; i < n; i++) {
		size_t at = wlab_reader_offset(r);
		st = producers_field(m, r, &p->fields[i]);
		p->count = i + 1;  /* a field is kept with the values read so far */
		if (st)
			goto fail;
		unsigned bit = producers_field_bit(p->fields[i].name);
		if (seen & bit) {
			st = wlab_custom_fail(r, at, "duplicate producers field");
			goto fail;
		}
		seen |= bit;
	}
	return wlab_custom_finish(r);
fail:
	return st;
}

enum wlab_status wlab_custom_target_features(struct wlab_module *m,
					     uint32_t section_index,
					     struct wlab_reader *r)
{
	(void)section_index;
	if (m->has_target_features)
		return WLAB_OK;
	m->has_target_features = true;
	struct wlab_target_features *tf = &m->target_features;
	uint32_t n;
	enum wlab_status st = wlab_read_count(r, 2, &n);
	if (st)
		goto fail;
	tf->features = wlab_arena_array(m->arena, n, sizeof *tf->features);
	if (!tf->features && n) {
		st = wlab_custom_nomem(r);
		goto fail;
	}
	for (uint32_t i = 0; i < n; i++) {
		struct wlab_feature *f = &tf->features[i];
		size_t at = wlab_reader_offset(r);
		st = wlab_read_u8(r, &f->prefix);
		if (st)
			goto fail;
		if (f->prefix != '+' && f->prefix != '-' && f->prefix != '=') {
			st = wlab_custom_fail(r, at, "unknown feature policy prefix");
			goto fail;
		}
		st = wlab_custom_str(r, true, &f->name);
		if (st)
			goto fail;
		tf->count = i + 1;
	}
	return wlab_custom_finish(r);
fail:
	return st;
}
