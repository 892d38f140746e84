/* wat_custom.c: `(@custom "name" place? "data"*)` annotations among the
 * module fields: custom sections put before or after a section (place:
 * (before first), (before SEC), (after SEC), (after last), the default). */
#include <stdlib.h>
#include <string.h>

#include "wat_internal.h"
#include "wlab/module.h"

enum { ANCHOR_FIRST = 0, ANCHOR_LAST = 0xff };

/* The section keywords of a placement, by section id. */
static const struct {
	const char *name;
	uint8_t id;
} places[] = {
	{"type", WLAB_SEC_TYPE}, {"import", WLAB_SEC_IMPORT}, {"func", WLAB_SEC_FUNCTION},
	{"table", WLAB_SEC_TABLE}, {"memory", WLAB_SEC_MEMORY}, {"global", WLAB_SEC_GLOBAL},
	{"export", WLAB_SEC_EXPORT}, {"start", WLAB_SEC_START}, {"elem", WLAB_SEC_ELEM},
	{"code", WLAB_SEC_CODE}, {"data", WLAB_SEC_DATA}, {"datacount", WLAB_SEC_DATACOUNT},
	{"tag", WLAB_SEC_TAG},
};

/* (before ...) or (after ...) at the cursor. */
static bool place(struct wat *w, struct wat_custom *c)
{
	const struct wat_tok *t = wat_peek(w, 1);
	c->after = wat_tok_is(w, t, "after");
	if (!c->after && !wat_tok_is(w, t, "before"))
		return wat_fail(w, t->off, "@custom annotation: malformed placement");
	w->pos += 2;
	t = wat_peek(w, 0);
	if (wat_tok_is(w, t, c->after ? "last" : "first")) {
		c->anchor = c->after ? ANCHOR_LAST : ANCHOR_FIRST;
	} else {
		size_t k = 0;
		while (k < sizeof places / sizeof places[0] && !wat_tok_is(w, t, places[k].name))
			k++;
		if (k == sizeof places / sizeof places[0])
			return wat_fail(w, t->off, "@custom annotation: malformed section kind");
		c->anchor = places[k].id;
	}
	w->pos++;
	return wat_expect_rpar(w);
}

bool wat_custom_field(struct wat *w, bool emit)
{
	size_t end = w->toks[w->pos].match;
	if (!emit) {
		w->pos = end + 1;
		return true;
	}
	if (w->ncustoms == w->customs_cap) {
		uint32_t ncap = w->customs_cap ? w->customs_cap * 2 : 4;
		struct wat_custom *c = realloc(w->customs, ncap * sizeof *c);
		if (!c)
			return wat_oom(w);
		w->customs = c;
		w->customs_cap = ncap;
	}
	struct wat_custom *c = &w->customs[w->ncustoms++];
	*c = (struct wat_custom){.after = true, .anchor = ANCHOR_LAST};
	w->pos += 2;
	if (wat_peek(w, 0)->kind != WAT_STRING)
		return wat_fail(w, wat_peek(w, 0)->off, "@custom annotation: missing section name");
	if (!wat_name(w, &c->body))
		return false;
	if (wat_peek(w, 0)->kind == WAT_LPAR && !place(w, c))
		return false;
	while (wat_peek(w, 0)->kind == WAT_STRING) {
		if (!wat_string(w, wat_peek(w, 0), &c->body))
			return false;
		w->pos++;
	}
	if (wat_peek(w, 0)->kind != WAT_RPAR)
		return wat_fail(w, wat_peek(w, 0)->off, "@custom annotation: unexpected token");
	w->pos++;
	return true;
}

void wat_custom_put(struct wat *w, struct wlab_buf *m, uint8_t sec, bool after, bool rest)
{
	for (uint32_t i = 0; i < w->ncustoms; i++) {
		struct wat_custom *c = &w->customs[i];
		if (c->done || (!rest && (c->anchor != sec || c->after != after)))
			continue;
		c->done = true;
		/* the name section made from the ids replaces one given as bytes,
		 * as wat2wasm 1.0.39 --debug-names does: one name section */
		if (w->debug_names && c->body.size >= 5 && c->body.data[0] == 4 &&
		    !memcmp(c->body.data + 1, "name", 4))
			continue;
		wlab_buf_u8(m, 0);
		wlab_buf_sized(m, &c->body);
	}
}

void wat_custom_free(struct wat *w)
{
	for (uint32_t i = 0; i < w->ncustoms; i++)
		wlab_buf_free(&w->customs[i].body);
	free(w->customs);
}
