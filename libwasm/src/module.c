/* module.c: freeing, reading files, index-space lookups and table names. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "wlab/module.h"

void wlab_module_free(struct wlab_module *m)
{
	if (!m)
		return;
	wlab_arena_free(m->arena);
	free(m);
}

enum wlab_status wlab_read_file(const char *path, uint8_t **bytes, size_t *size,
				struct wlab_error *err)
{
	*bytes = NULL;
	*size = 0;
	FILE *f = fopen(path, "rb");
	if (!f)
		return wlab_error_set(err, WLAB_IO, 0, "cannot open: %s", strerror(errno));
	size_t cap = 1 << 16, n = 0;
	uint8_t *buf = malloc(cap);
	while (buf) {
		n += fread(buf + n, 1, cap - n, f);
		if (n < cap)
			break;
		uint8_t *nb = cap <= SIZE_MAX / 2 ? realloc(buf, cap * 2) : NULL;
		if (!nb) {
			free(buf);
			buf = NULL;
			break;
		}
		buf = nb;
		cap *= 2;
	}
	int failed = ferror(f);
	fclose(f);
	if (!buf)
		return wlab_error_set(err, WLAB_NOMEM, 0, "out of memory reading file");
	if (failed) {
		free(buf);
		return wlab_error_set(err, WLAB_IO, 0, "read error");
	}
	*bytes = buf;
	*size = n;
	return WLAB_OK;
}

uint32_t wlab_module_func_count(const struct wlab_module *m)
{
	return m->nimported_funcs + m->nfuncs;
}

uint32_t wlab_module_table_count(const struct wlab_module *m)
{
	return m->nimported_tables + m->ntables;
}

uint32_t wlab_module_memory_count(const struct wlab_module *m)
{
	return m->nimported_memories + m->nmemories;
}

uint32_t wlab_module_global_count(const struct wlab_module *m)
{
	return m->nimported_globals + m->nglobals;
}

const struct wlab_import *wlab_module_import_of(const struct wlab_module *m,
						uint8_t kind, uint32_t idx)
{
	for (uint32_t i = 0; i < m->nimports; i++)
		if (m->imports[i].kind == kind && m->imports[i].kind_index == idx)
			return &m->imports[i];
	return NULL;
}

const struct wlab_export *wlab_module_export_named(const struct wlab_module *m,
						   const char *name, size_t len)
{
	for (uint32_t i = 0; i < m->nexports; i++)
		if (m->exports[i].name.len == len && !memcmp(m->exports[i].name.ptr, name, len))
			return &m->exports[i];
	return NULL;
}

uint32_t wlab_module_func_type(const struct wlab_module *m, uint32_t funcidx)
{
	if (funcidx < m->nimported_funcs) {
		const struct wlab_import *im = wlab_module_import_of(m, WLAB_EXTERN_FUNC, funcidx);
		return im ? im->u.func_type : UINT32_MAX;
	}
	funcidx -= m->nimported_funcs;
	return funcidx < m->nfuncs ? m->func_types[funcidx] : UINT32_MAX;
}

const struct wlab_str *wlab_module_name_of(const struct wlab_module *m,
					   uint8_t name_kind, uint32_t idx)
{
	if (!m->has_names)
		return NULL;
	for (uint32_t s = 0; s < m->names.nsubsections; s++) {
		const struct wlab_name_subsection *sub = &m->names.subsections[s];
		if (sub->id != name_kind || sub->indirect)
			continue;
		for (uint32_t i = 0; i < sub->map.count; i++)
			if (sub->map.names[i].index == idx)
				return &sub->map.names[i].name;
	}
	return NULL;
}

const struct wlab_section *wlab_module_section_at(const struct wlab_module *m, size_t offset)
{
	for (uint32_t i = 0; i < m->nsections; i++) {
		const struct wlab_section *sec = &m->sections[i];
		if (offset >= sec->span.offset && offset - sec->span.offset <= sec->span.size)
			return sec;
	}
	return NULL;
}

const char *wlab_module_custom_error_text(const struct wlab_module *m, char *buf, size_t size)
{
	const struct wlab_error *e = &m->custom_error;
	if (!size)
		return buf;
	buf[0] = 0;
	if (e->status == WLAB_OK)
		return buf;
	const struct wlab_section *sec = wlab_module_section_at(m, e->offset);
	if (sec && sec->id == 0)
		snprintf(buf, size, "%s (in custom section \"%.*s\")", e->message, (int)sec->name.len,
			 (const char *)sec->name.ptr);
	else
		snprintf(buf, size, "%s", e->message);
	return buf;
}

const char *wlab_section_name(uint8_t id)
{
	switch (id) {
#define WLAB_SECTION(sid, cname, name) case sid: return name;
#include "wlab/sections.def"
#undef WLAB_SECTION
	default:
		return NULL;
	}
}

const char *wlab_valtype_name(wlab_valtype_t code)
{
	switch (code) {
#define WLAB_VALTYPE(vcode, cname, name) case vcode: return name;
#include "wlab/valtypes.def"
#undef WLAB_VALTYPE
	default:
		return NULL;
	}
}

uint8_t wlab_valtype_by_name(const char *name)
{
#define WLAB_VALTYPE(vcode, cname, vname) \
	if (strcmp(name, vname) == 0) \
		return vcode;
#include "wlab/valtypes.def"
#undef WLAB_VALTYPE
	return 0;
}

const char *wlab_extern_kind_name(uint8_t kind)
{
	static const char *const names[] = {"func", "table", "memory", "global", "tag"};
	return kind < sizeof names / sizeof names[0] ? names[kind] : NULL;
}
