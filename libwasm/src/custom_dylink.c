/* custom_dylink.c: "dylink.0" and the older "dylink" section
 * (tool-conventions DynamicLinking.md). */
#include "custom.h"

enum dylink_subsection_type {
	DYLINK_MEM_INFO = 1,
	DYLINK_NEEDED = 2,
	DYLINK_EXPORT_INFO = 3,
	DYLINK_IMPORT_INFO = 4,
	DYLINK_RUNTIME_PATH = 5,  /* kept as bytes: struct wlab_dylink has no field */
};

static enum wlab_status dylink_mem_info(struct wlab_dylink *d, struct wlab_reader *r)
{
	enum wlab_status st = wlab_read_u32(r, &d->mem_size);
	if (!st)
		st = wlab_read_u32(r, &d->mem_align);
	if (!st)
		st = wlab_read_u32(r, &d->table_size);
	if (!st)
		st = wlab_read_u32(r, &d->table_align);
	return st;
}

static enum wlab_status dylink_needed(struct wlab_module *m, struct wlab_reader *r)
{
	struct wlab_dylink *d = &m->dylink;
	uint32_t n;
	enum wlab_status st = wlab_read_count(r, 1, &n);
	if (st)
		return st;
	d->needed = wlab_arena_array(m->arena, n, sizeof *d->needed);
	if (!d->needed && n)
		return wlab_custom_nomem(r);
	for (uint32_t i = 0; i < n; i++) {
		st = wlab_custom_str(r, true, &d->needed[i]);
		if (st)
			return st;
		d->nneeded = i + 1;
	}
	return WLAB_OK;
}

static enum wlab_status dylink_exports(struct wlab_module *m, struct wlab_reader *r)
{
	struct wlab_dylink *d = &m->dylink;
	uint32_t n;
	enum wlab_status st = wlab_read_count(r, 2, &n);
	if (st)
		return st;
	d->exports = wlab_arena_array(m->arena, n, sizeof *d->exports);
	if (!d->exports && n)
		return wlab_custom_nomem(r);
	for (uint32_t i = 0; i < n; i++) {
		st = wlab_custom_str(r, true, &d->exports[i].name);
		if (st)
			return st;
		st = wlab_read_u32(r, &d->exports[i].flags);
		if (st)
			return st;
		d->nexports = i + 1;
	}
	return WLAB_OK;
}

static enum wlab_status dylink_imports(struct wlab_module *m, struct wlab_reader *r)
{
	struct wlab_dylink *d = &m->dylink;
	uint32_t n;
	enum wlab_status st = wlab_read_count(r, 3, &n);
	if (st)
		return st;
	d->imports = wlab_arena_array(m->arena, n, sizeof *d->imports);
	if (!d->imports && n)
		return wlab_custom_nomem(r);
	for (uint32_t i = 0; i < n; i++) {
		struct wlab_dylink_import *imp = &d->imports[i];
		st = wlab_custom_str(r, true, &imp->module);
		if (st)
			return st;
		st = wlab_custom_str(r, true, &imp->field);
		if (st)
			return st;
		st = wlab_read_u32(r, &imp->flags);
		if (st)
			return st;
		d->nimports = i + 1;
	}
	return WLAB_OK;
}

enum wlab_status wlab_custom_dylink0(struct wlab_module *m, uint32_t section_index,
				     struct wlab_reader *r)
{
	(void)section_index;
	if (m->has_dylink)
		return WLAB_OK;
	m->has_dylink = true;
	unsigned seen = 0;
	enum wlab_status st = WLAB_OK;
	while (wlab_reader_left(r) > 0) {
		uint8_t type;
		struct wlab_reader sub;
		struct wlab_span span;
		st = wlab_custom_subsection(r, &type, &sub, &span);
		if (st)
			goto fail;
		/* The first of each known type fills m->dylink; others are skipped. */
		if (type < DYLINK_MEM_INFO || type > DYLINK_IMPORT_INFO ||
		    (seen & 1u << type))
			continue;
		seen |= 1u << type;
		switch (type) {
		case DYLINK_MEM_INFO: st = dylink_mem_info(&m->dylink, &sub); break;
		case DYLINK_NEEDED: st = dylink_needed(m, &sub); break;
		case DYLINK_EXPORT_INFO: st = dylink_exports(m, &sub); break;
		default: st = dylink_imports(m, &sub); break;
		}
		if (!st)
			st = wlab_custom_finish(&sub);
		if (st)
			goto fail;
	}
fail:
	return st;
}

/* The older "dylink": memory info, then the needed libraries, no subsections. */
enum wlab_status wlab_custom_dylink_legacy(struct wlab_module *m, uint32_t section_index,
					   struct wlab_reader *r)
{
	(void)section_index;
	if (m->has_dylink)
		return WLAB_OK;
	m->has_dylink = true;
	m->dylink.legacy = true;
	enum wlab_status st = dylink_mem_info(&m->dylink, r);
	if (!st)
		st = dylink_needed(m, r);
	if (!st)
		st = wlab_custom_finish(r);
	return st;
}
