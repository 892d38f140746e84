/* layout_custom.c: custom sections: the name, then the content; the "name"
 * section down to its subsections and entries (the tool conventions' sections
 * are in layout_custom_tc.c). A custom section that does
 * not parse keeps what parsed and shows the rest as one content leaf, since
 * the spec leaves custom contents unchecked. */
#include <string.h>

#include "layout_internal.h"

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

static const char *names_kind(uint8_t id)
{
	switch (id) {
#define WLAB_NAME_KIND(id, cname, name, indirect) \
	case id: return name;
#include "wlab/names.def"
#undef WLAB_NAME_KIND
	default: return NULL;
	}
}

static enum wlab_status name_map(struct lb *b, const char *what)
{
	uint32_t n, index, len;
	const uint8_t *p;
	if (lb_u32(b, "vec-count", "count", &n))
		return WLAB_MALFORMED;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t node = lb_open(b, "naming", NULL);
		if (lb_u32(b, "index", "index", &index) || lb_name(b, "name", &p, &len))
			return WLAB_MALFORMED;
		if (node != UINT32_MAX)
			b->L->nodes[node].label = lb_fmt(b, "%s[%u] \"%.*s\"", what, index,
							 (int)len, (const char *)p);
		lb_close(b);
	}
	return WLAB_OK;
}

static enum wlab_status subsection(struct lb *b)
{
	uint8_t id;
	uint32_t size, n, index;
	uint32_t node = lb_open(b, "subsection", NULL);
	if (lb_byte(b, "subsection-id", "subsection id", &id))
		return WLAB_MALFORMED;
	const char *kind = names_kind(id);
	if (node != UINT32_MAX)
		b->L->nodes[node].label = kind ? lb_fmt(b, "%s names", kind)
					       : lb_fmt(b, "subsection %u", id);
	if (lb_u32(b, NULL, "subsection size", &size))
		return WLAB_MALFORMED;
	if (size > wlab_reader_left(b->r))
		return WLAB_MALFORMED;
	struct wlab_reader *outer = b->r;
	struct wlab_reader sub = wlab_reader_sub(outer, size);
	b->r = &sub;
	enum wlab_status st = WLAB_OK;
	if (id == WLAB_NAMES_MODULE) {
		const uint8_t *p;
		st = lb_name(b, "module name", &p, &n);
	} else if (!kind) {
		st = WLAB_OK;
	} else if (!names_indirect(id)) {
		st = name_map(b, kind);
	} else if (!(st = lb_u32(b, "vec-count", "count", &n))) {
		for (uint32_t i = 0; !st && i < n; i++) {
			uint32_t at = lb_open(b, "name-map", NULL);
			st = lb_u32(b, "index", "index", &index);
			if (!st && at != UINT32_MAX)
				b->L->nodes[at].label = lb_fmt(b, "%s[%u]", id == WLAB_NAMES_FIELD
							       ? "type" : "func", index);
			if (!st)
				st = name_map(b, kind);
			if (!st)
				lb_close(b);
		}
	}
	if (!st)
		st = lb_rest(b, "custom-content", "subsection content");
	outer->pos = sub.pos;
	b->r = outer;
	if (st)
		return st;
	lb_close(b);
	return WLAB_OK;
}

enum wlab_status lb_custom_section(struct lb *b)
{
	const uint8_t *p;
	uint32_t len;
	if (lb_name(b, "section name", &p, &len))
		return WLAB_MALFORMED;
	uint32_t sec = b->stack[b->depth - 1];
	b->L->nodes[sec].label = lb_fmt(b, "Custom \"%.*s\"", (int)len, (const char *)p);
	bool is_names = len == 4 && memcmp(p, "name", 4) == 0;
	/* Parse errors inside stay here: a scratch error, and the nodes opened
	 * so far are closed where the parse stopped. */
	struct wlab_error scratch = {0};
	struct wlab_error *saved = b->r->err;
	uint32_t depth = b->depth;
	b->r->err = &scratch;
	enum wlab_status st = WLAB_OK;
	if (is_names) {
		while (!st && wlab_reader_left(b->r))
			st = subsection(b);
	} else {
		bool known;
		st = lb_custom_tool(b, p, len, &known);
	}
	b->r->err = saved;
	if (st == WLAB_NOMEM || b->nomem)
		return WLAB_NOMEM;
	while (b->depth > depth)
		lb_close(b);
	return lb_rest(b, "custom-content", "content");
}
