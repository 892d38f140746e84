/* layout_names.c: display names for functions: the name section's, else an
 * export's, else an import's "module.field". */
#include <stdio.h>

#include "wlab/layout.h"

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
