/* wat_name_section.c: the "name" custom section written from the text's
 * identifiers (wlab-wat --debug-names), byte for byte as wabt's wat2wasm
 * --debug-names writes it (1.0.39; 1.0.32 the same but for tags). */
#include <stdlib.h>
#include <string.h>

#include "wat_internal.h"

/* One bound identifier: its subsection, the function (locals) or type
 * (fields) it belongs to, its index there, its name. */
struct named {
	uint32_t sub, outer, index;
	const char *id;
	uint32_t len;
};

/* The subsection of an index space (WLAB_NAMES_* numbers). */
static uint32_t subsection(uint32_t space, uint32_t *outer)
{
	static const uint8_t ids[] = {
		[WAT_SP_TYPE] = WLAB_NAMES_TYPE, [WAT_SP_FUNC] = WLAB_NAMES_FUNCTION,
		[WAT_SP_TABLE] = WLAB_NAMES_TABLE, [WAT_SP_MEM] = WLAB_NAMES_MEMORY,
		[WAT_SP_GLOBAL] = WLAB_NAMES_GLOBAL, [WAT_SP_ELEM] = WLAB_NAMES_ELEM,
		[WAT_SP_DATA] = WLAB_NAMES_DATA, [WAT_SP_TAG] = WLAB_NAMES_TAG,
	};
	*outer = 0;
	if (space >= WAT_SP_FIELD) {
		*outer = space - WAT_SP_FIELD;
		return WLAB_NAMES_FIELD;
	}
	if (space >= WAT_SP_LOCAL) {
		*outer = space - WAT_SP_LOCAL;
		return WLAB_NAMES_LOCAL;
	}
	return ids[space];
}

static int by_place(const void *a, const void *b)
{
	const struct named *x = a, *y = b;
	if (x->sub != y->sub)
		return x->sub < y->sub ? -1 : 1;
	if (x->outer != y->outer)
		return x->outer < y->outer ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* Names e[*i...] of subsection sub and owner outer, as a name map. */
static void name_map(struct wlab_buf *b, const struct named *e, size_t n, size_t *i,
		     uint32_t sub, uint32_t outer)
{
	size_t end = *i;
	while (end < n && e[end].sub == sub && e[end].outer == outer)
		end++;
	wlab_buf_u32(b, (uint32_t)(end - *i));
	for (; *i < end; ++*i) {
		wlab_buf_u32(b, e[*i].index);
		wlab_buf_name(b, e[*i].id, e[*i].len);
	}
}

/* Subsection sub from the sorted entries at e[*i...]. wat2wasm writes the
 * local names of every function, imports and functions without named
 * locals included (count 0), even in a module with no function; any other
 * subsection only when it names something. Field names (10, GC), which
 * wat2wasm does not write, are per type as the extended name section has
 * them. */
static void subsection_put(struct wat *w, struct wlab_buf *m, const struct named *e, size_t n,
			   size_t *i, uint32_t sub)
{
	struct wlab_buf b = {0};
	if (sub == WLAB_NAMES_LOCAL) {
		wlab_buf_u32(&b, w->count[WAT_SP_FUNC]);
		for (uint32_t f = 0; f < w->count[WAT_SP_FUNC]; f++) {
			wlab_buf_u32(&b, f);
			name_map(&b, e, n, i, WLAB_NAMES_LOCAL, f);
		}
	} else if (sub == WLAB_NAMES_FIELD) {
		uint32_t ntypes = 0;
		for (size_t k = *i; k < n && e[k].sub == WLAB_NAMES_FIELD; k++)
			ntypes += k == *i || e[k].outer != e[k - 1].outer;
		if (!ntypes)
			return;
		wlab_buf_u32(&b, ntypes);
		while (*i < n && e[*i].sub == WLAB_NAMES_FIELD) {
			wlab_buf_u32(&b, e[*i].outer);
			name_map(&b, e, n, i, WLAB_NAMES_FIELD, e[*i].outer);
		}
	} else {
		if (*i >= n || e[*i].sub != sub)
			return;
		name_map(&b, e, n, i, sub, 0);
	}
	wlab_buf_u8(m, (uint8_t)sub);
	wlab_buf_sized(m, &b);
	wlab_buf_free(&b);
}

bool wat_names_put(struct wat *w, struct wlab_buf *m)
{
	static const uint8_t order[] = {WLAB_NAMES_FUNCTION, WLAB_NAMES_LOCAL, WLAB_NAMES_TYPE,
					WLAB_NAMES_TABLE, WLAB_NAMES_MEMORY, WLAB_NAMES_GLOBAL,
					WLAB_NAMES_ELEM, WLAB_NAMES_DATA, WLAB_NAMES_FIELD,
					WLAB_NAMES_TAG};
	struct named *e = malloc((w->nnames ? w->nnames : 1) * sizeof *e);
	struct wlab_buf body = {0};
	size_t n = 0, i = 0;
	if (!e)
		return wat_oom(w);
	for (size_t k = 0; k < w->names_cap; k++) {
		const struct wat_name *nm = &w->names[k];
		if (!nm->space)
			continue;
		e[n] = (struct named){0, 0, nm->index, nm->id, nm->len};
		e[n].sub = subsection(nm->space - 1, &e[n].outer);
		n++;
	}
	qsort(e, n, sizeof *e, by_place);
	wlab_buf_name(&body, "name", 4);
	if (w->module_id) {
		uint32_t len;
		const char *id = wat_id_bytes(w, w->module_id, &len);
		struct wlab_buf sub = {0};
		wlab_buf_name(&sub, id, len);
		wlab_buf_u8(&body, 0);
		wlab_buf_sized(&body, &sub);
		wlab_buf_free(&sub);
	}
	for (size_t k = 0; k < sizeof order; k++)
		subsection_put(w, &body, e, n, &i, order[k]);
	free(e);
	wlab_buf_u8(m, 0);
	wlab_buf_sized(m, &body);
	bool ok = wlab_buf_ok(&body);
	wlab_buf_free(&body);
	return ok ? true : wat_oom(w);
}
