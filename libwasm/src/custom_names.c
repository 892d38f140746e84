/* custom_names.c: the "name" section (spec appendix, extended with wabt's
 * subsections 3-11 listed in wlab/names.def). */
#include "custom.h"

/* Which subsection ids map an index to a name map, from wlab/names.def. */
static bool names_indirect(uint8_t id)
{
	switch (id) {
#define WLAB_NAME_KIND(id, cname, name, indirect) \
	case id: return indirect;
#include "wlab/names.def"
#undef WLAB_NAME_KIND
	default: return false;
	}
}

/* A name map: count, then (index, name) pairs. The spec wants increasing
 * indices; ordered holds only function names and local maps to it, as wabt's
 * reader (and so wasm-objdump) does: the other direct maps (types, tables,
 * memories, globals, segments, tags) are read whatever their order, so a
 * producer's reverse-ordered data segment names (binaryen's
 * test/lit/binary/data-names.test.wasm) are all kept. Lookups scan maps. */
static enum wlab_status names_map(struct wlab_module *m, struct wlab_reader *r,
				  struct wlab_name_map *map, bool ordered)
{
	uint32_t n;
	enum wlab_status st = wlab_read_count(r, 2, &n);
	if (st)
		goto fail;
	map->names = wlab_arena_array(m->arena, n, sizeof *map->names);
	if (!map->names && n) {
		st = wlab_custom_nomem(r);
		goto fail;
	}
	for (uint32_t i = 0; i < n; i++) {
		struct wlab_naming *e = &map->names[i];
		e->offset = (uint32_t)wlab_reader_offset(r);
		st = wlab_read_u32(r, &e->index);
		if (st)
			goto fail;
		if (ordered && i > 0 && e->index <= map->names[i - 1].index) {
			st = wlab_custom_fail(r, e->offset, "name map index out of order");
			goto fail;
		}
		st = wlab_custom_str(r, true, &e->name);
		if (st)
			goto fail;
		map->count = i + 1;
	}
	return WLAB_OK;
fail:
	return st;
}

/* An indirect map: count, then (index, name map) pairs (locals, labels, fields). */
static enum wlab_status names_indirect_map(struct wlab_module *m, struct wlab_reader *r,
					   struct wlab_indirect_map *imap)
{
	uint32_t n;
	enum wlab_status st = wlab_read_count(r, 2, &n);
	if (st)
		goto fail;
	imap->entries = wlab_arena_array(m->arena, n, sizeof *imap->entries);
	if (!imap->entries && n) {
		st = wlab_custom_nomem(r);
		goto fail;
	}
	for (uint32_t i = 0; i < n; i++) {
		struct wlab_indirect_naming *e = &imap->entries[i];
		e->offset = (uint32_t)wlab_reader_offset(r);
		st = wlab_read_u32(r, &e->index);
		if (st)
			goto fail;
		if (i > 0 && e->index <= imap->entries[i - 1].index) {
			st = wlab_custom_fail(r, e->offset, "name map index out of order");
			goto fail;
		}
		imap->count = i + 1;
		st = names_map(m, r, &e->map, true);
		if (st)
			goto fail;
	}
	return WLAB_OK;
fail:
	return st;
}

/* One subsection's payload; unknown ids stay as their span. */
static enum wlab_status names_subsection(struct wlab_module *m, struct wlab_reader *sub,
					 struct wlab_name_subsection *s)
{
	enum wlab_status st;
	if (s->id >= WLAB_NAMES_KIND_COUNT)
		return WLAB_OK;
	if (s->id == WLAB_NAMES_MODULE)
		st = wlab_custom_str(sub, true, &s->module_name);
	else if (s->indirect)
		st = names_indirect_map(m, sub, &s->imap);
	else
		st = names_map(m, sub, &s->map, s->id == WLAB_NAMES_FUNCTION);
	if (st)
		return st;
	return wlab_custom_finish(sub);
}

enum wlab_status wlab_custom_names(struct wlab_module *m, uint32_t section_index,
				   struct wlab_reader *r)
{
	(void)section_index;
	if (m->has_names)
		return WLAB_OK;
	m->has_names = true;
	struct wlab_names *names = &m->names;
	enum wlab_status st = WLAB_OK;
	uint32_t n = wlab_custom_count_subsections(r);
	names->subsections = wlab_arena_array(m->arena, n, sizeof *names->subsections);
	if (!names->subsections && n) {
		st = wlab_custom_nomem(r);
		goto fail;
	}
	int last_id = -1;
	for (uint32_t i = 0; wlab_reader_left(r) > 0; i++) {
		struct wlab_name_subsection s = {0};
		struct wlab_reader sub;
		st = wlab_custom_subsection(r, &s.id, &sub, &s.span);
		if (st)
			goto fail;
		if ((int)s.id <= last_id) {
			st = wlab_custom_fail(r, s.span.offset, s.id == last_id
					      ? "duplicate name subsection"
					      : "out-of-order name subsection");
			goto fail;
		}
		last_id = s.id;
		s.indirect = names_indirect(s.id);
		if (i >= n) {  /* the pre-scan counted every header; never taken */
			st = wlab_custom_fail(r, s.span.offset, "section size mismatch");
			goto fail;
		}
		names->subsections[i] = s;
		names->nsubsections = i + 1;
		st = names_subsection(m, &sub, &names->subsections[i]);
		if (st)
			goto fail;
	}
	return WLAB_OK;
fail:
	return st;
}
