/* layout_names.c: display names for functions: the name section's, else an
 * export's, else an import's "module.field". */
#include <stdio.h>
#include <stdlib.h>

#include "layout_internal.h"

const char *wlab_layout_func_name(const struct wlab_module *m, uint32_t funcidx,
				  char *buf, size_t n)
{
	const struct wlab_str *s = wlab_module_name_of(m, WLAB_NAMES_FUNCTION, funcidx);
	if (s) {
		snprintf(buf, n, "%.*s", (int)s->len, (const char *)s->ptr);
		return buf;
	}
	for (uint32_t i = 0; i < m->nexports; i++) {
		const struct wlab_export *e = &m->exports[i];
		if (e->kind == WLAB_EXTERN_FUNC && e->index == funcidx) {
			snprintf(buf, n, "%.*s", (int)e->name.len, (const char *)e->name.ptr);
			return buf;
		}
	}
	const struct wlab_import *im = wlab_module_import_of(m, WLAB_EXTERN_FUNC, funcidx);
	if (im) {
		snprintf(buf, n, "%.*s.%.*s", (int)im->module.len, (const char *)im->module.ptr,
			 (int)im->field.len, (const char *)im->field.ptr);
		return buf;
	}
	return NULL;
}

/* The same choice as wlab_layout_func_name(), for every function at once:
 * the first name-section entry, else the first export, else the import. */
enum wlab_status lb_func_names(struct lb *b)
{
	const struct wlab_module *m = b->m;
	uint32_t n = wlab_module_func_count(m);
	b->nfnames = 0;
	if (n == 0)
		return WLAB_OK;
	b->fnames = calloc(n, sizeof *b->fnames);
	if (!b->fnames) {
		b->nomem = true;
		return WLAB_NOMEM;
	}
	b->nfnames = n;
	for (uint32_t s = 0; m->has_names && s < m->names.nsubsections; s++) {
		const struct wlab_name_subsection *sub = &m->names.subsections[s];
		if (sub->id != WLAB_NAMES_FUNCTION || sub->indirect)
			continue;
		for (uint32_t i = 0; i < sub->map.count; i++) {
			const struct wlab_naming *nm = &sub->map.names[i];
			if (nm->index < n && !b->fnames[nm->index])
				b->fnames[nm->index] = lb_str(b, nm->name.ptr, nm->name.len);
		}
	}
	for (uint32_t i = 0; i < m->nexports; i++) {
		const struct wlab_export *e = &m->exports[i];
		if (e->kind == WLAB_EXTERN_FUNC && e->index < n && !b->fnames[e->index])
			b->fnames[e->index] = lb_str(b, e->name.ptr, e->name.len);
	}
	for (uint32_t i = 0; i < m->nimports; i++) {
		const struct wlab_import *im = &m->imports[i];
		if (im->kind == WLAB_EXTERN_FUNC && im->kind_index < n && !b->fnames[im->kind_index])
			b->fnames[im->kind_index] = lb_fmt(b, "%.*s.%.*s", (int)im->module.len,
							   (const char *)im->module.ptr,
							   (int)im->field.len, (const char *)im->field.ptr);
	}
	return b->nomem ? WLAB_NOMEM : WLAB_OK;
}
