/* layout.c: the field tree's builder primitives, the top-level walk, the cut
 * at the first error and the path lookup. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout_internal.h"

/* ---- the string pool: chunks that never move ---- */

#define POOL_CHUNK 65536

struct pool_chunk {
	struct pool_chunk *next;
	size_t size, used;
	char data[];
};

struct wlab_layout_pool {
	struct pool_chunk *head;
};

static char *pool_alloc(struct lb *b, size_t n)
{
	struct wlab_layout_pool *p = b->L->pool;
	struct pool_chunk *c = p->head;
	if (!c || c->size - c->used < n) {
		size_t size = n > POOL_CHUNK ? n : POOL_CHUNK;
		c = malloc(sizeof *c + size);
		if (!c) {
			b->nomem = true;
			return NULL;
		}
		c->size = size;
		c->used = 0;
		c->next = p->head;
		p->head = c;
	}
	char *s = c->data + c->used;
	c->used += n;
	return s;
}

const char *lb_fmt(struct lb *b, const char *fmt, ...)
{
	char tmp[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0)
		return "";
	size_t len = (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1;
	char *s = pool_alloc(b, len + 1);
	if (!s)
		return "";
	memcpy(s, tmp, len);
	s[len] = 0;
	return s;
}

const char *lb_str(struct lb *b, const uint8_t *p, uint32_t len)
{
	char *s = pool_alloc(b, (size_t)len + 1);
	if (!s)
		return "";
	if (len)
		memcpy(s, p, len);
	s[len] = 0;
	return s;
}

/* ---- nodes ---- */

static uint32_t node_new(struct lb *b, uint32_t at, const char *kind, const char *label)
{
	struct wlab_layout *L = b->L;
	if (b->nomem)
		return UINT32_MAX;
	if (L->nnodes == b->cap) {
		uint32_t cap = b->cap ? b->cap * 2 : 256;
		struct wlab_layout_node *v = realloc(L->nodes, cap * sizeof *v);
		if (!v) {
			b->nomem = true;
			return UINT32_MAX;
		}
		L->nodes = v;
		b->cap = cap;
	}
	uint32_t i = L->nnodes++;
	struct wlab_layout_node *n = &L->nodes[i];
	memset(n, 0, sizeof *n);
	n->offset = at;
	n->end = i + 1;
	n->depth = (uint16_t)b->depth;
	n->kind = kind;
	n->label = label ? label : "";
	return i;
}

uint32_t lb_open(struct lb *b, const char *kind, const char *label)
{
	if (b->depth == LB_MAX_DEPTH) {  /* the grammar never nests this deep */
		b->nomem = true;
		return UINT32_MAX;
	}
	if (b->depth > b->max_depth) {  /* below the stored depth: a marker */
		b->stack[b->depth++] = UINT32_MAX;
		return UINT32_MAX;
	}
	uint32_t i = node_new(b, lb_pos(b), kind, label);
	if (i != UINT32_MAX)
		b->stack[b->depth++] = i;
	return i;
}

void lb_close(struct lb *b)
{
	if (b->depth == 0)
		return;
	uint32_t i = b->stack[--b->depth];
	if (i == UINT32_MAX)
		return;
	struct wlab_layout_node *n = &b->L->nodes[i];
	n->length = lb_pos(b) - n->offset;
	n->end = b->L->nnodes;
	if (n->length == 0 && n->end == i + 1 && i > 0)
		b->L->nnodes--;  /* opened, then nothing read: no empty leaves */
}

uint32_t lb_leaf(struct lb *b, uint32_t at, const char *kind, const char *label)
{
	uint32_t end = lb_pos(b);
	if (end == at || b->depth > b->max_depth)  /* leaves are never empty */
		return UINT32_MAX;
	uint32_t i = node_new(b, at, kind, label);
	if (i != UINT32_MAX)
		b->L->nodes[i].length = end - at;
	return i;
}

void lb_set_uint(struct lb *b, uint32_t node, uint64_t v)
{
	if (node == UINT32_MAX)
		return;
	b->L->nodes[node].vkind = WLAB_LV_UINT;
	b->L->nodes[node].value.u = v;
}

void lb_set_sint(struct lb *b, uint32_t node, int64_t v)
{
	if (node == UINT32_MAX)
		return;
	b->L->nodes[node].vkind = WLAB_LV_SINT;
	b->L->nodes[node].value.s = v;
}

void lb_set_text(struct lb *b, uint32_t node, const char *text)
{
	if (node == UINT32_MAX)
		return;
	/* Every view prints text as a C string: a name table's NULL for an
	 * unknown code (export kind 0x80 crashed --json) becomes "?". */
	b->L->nodes[node].vkind = WLAB_LV_TEXT;
	b->L->nodes[node].value.text = text ? text : "?";
}

enum wlab_status lb_fail(struct lb *b, uint32_t at, const char *msg)
{
	return wlab_error_set(&b->err, WLAB_MALFORMED, at, "%s", msg);
}

/* ---- the walk ---- */

static enum wlab_status walk_header(struct lb *b)
{
	const uint8_t *p;
	uint32_t v;
	lb_open(b, "header", "header");
	uint32_t at = lb_pos(b);
	if (wlab_read_bytes(b->r, 4, &p))
		return WLAB_MALFORMED;
	lb_set_text(b, lb_leaf(b, at, "magic", "magic"), "\\0asm");
	at = lb_pos(b);
	if (wlab_read_u32le(b->r, &v))
		return WLAB_MALFORMED;
	lb_set_uint(b, lb_leaf(b, at, "u32-le", "version"), v);
	lb_close(b);
	return WLAB_OK;
}

static const char *section_label(struct lb *b, uint8_t id)
{
	const char *name = wlab_section_name(id);
	return name ? name : lb_fmt(b, "section %u", id);
}

static enum wlab_status walk_section(struct lb *b)
{
	uint32_t at = lb_pos(b);
	uint8_t id;
	uint32_t size;
	uint32_t sec = lb_open(b, "section", NULL);
	if (lb_byte(b, "section-id", "section id", &id))
		return WLAB_MALFORMED;
	if (sec != UINT32_MAX)
		b->L->nodes[sec].label = section_label(b, id);
	if (id > WLAB_SEC_TAG)
		return lb_fail(b, at, "malformed section id");
	if (lb_u32(b, "leb-u32", "section size", &size))
		return WLAB_MALFORMED;
	if (size > wlab_reader_left(b->r))
		return lb_fail(b, lb_pos(b) - 1, "length out of bounds");
	struct wlab_reader *outer = b->r;
	struct wlab_reader sub = wlab_reader_sub(outer, size);
	b->r = &sub;
	enum wlab_status st = lb_section_payload(b, id);
	if (!st)
		st = lb_rest(b, "unknown", "bytes past the section's entries");
	outer->pos = sub.pos;
	b->r = outer;
	if (st)
		return st;
	lb_close(b);
	return WLAB_OK;
}

/* The leaf holding offset, found by descending from the root. */
static uint32_t leaf_at(const struct wlab_layout *L, uint32_t offset)
{
	uint32_t path[LB_MAX_DEPTH + 2];
	uint32_t n = wlab_layout_path(L, offset, path, LB_MAX_DEPTH + 2);
	return n ? path[n - 1] : UINT32_MAX;
}

/* Keeps the nodes that start before cut, shortened to end there. */
static void cut_at(struct wlab_layout *L, uint32_t cut)
{
	uint32_t n = 0;
	while (n < L->nnodes && (n == 0 || L->nodes[n].offset < cut))
		n++;
	L->nnodes = n;
	for (uint32_t i = 0; i < n; i++) {
		struct wlab_layout_node *nd = &L->nodes[i];
		if (nd->end > n)
			nd->end = n;
		if (nd->offset + nd->length > cut)
			nd->length = cut - nd->offset;
	}
}

static void finish(struct lb *b, const struct wlab_error *decode_err)
{
	struct wlab_layout *L = b->L;
	uint32_t size = (uint32_t)b->m->size;
	while (b->depth > 1)
		lb_close(b);
	uint32_t cut = lb_pos(b);
	L->nodes[0].length = cut;
	L->nodes[0].end = L->nnodes;
	if (decode_err && decode_err->status != WLAB_OK) {
		L->error = *decode_err;
		uint32_t leaf = leaf_at(L, (uint32_t)decode_err->offset);
		if (leaf != UINT32_MAX && L->nodes[leaf].offset < cut)
			cut = L->nodes[leaf].offset;
	} else {
		if (b->err.status == WLAB_OK && cut < size)
			lb_fail(b, cut, "unexpected end");
		L->error = b->err;
	}
	cut_at(L, cut);
	b->depth = 1;
	b->r->pos = b->r->base + size;
	lb_leaf(b, cut, "undecoded", "undecoded");
	L->decoded_end = cut;
	lb_close(b);
}

enum wlab_status wlab_layout_build(const struct wlab_module *m,
				   const struct wlab_error *decode_err,
				   struct wlab_layout **out)
{
	return wlab_layout_build_flags(m, decode_err, 0, out);
}

static enum wlab_status build(const struct wlab_module *m, const struct wlab_error *decode_err,
			      unsigned flags, uint32_t focus_lo, uint32_t focus_hi,
			      struct wlab_layout **out)
{
	*out = NULL;
	struct wlab_layout *L = calloc(1, sizeof *L);
	if (!L)
		return WLAB_NOMEM;
	L->pool = calloc(1, sizeof *L->pool);
	if (!L->pool) {
		free(L);
		return WLAB_NOMEM;
	}
	struct wlab_reader r;
	struct lb b = {.L = L, .m = m, .r = &r, .features = m->features ? m->features : wlab_features_default(),
		       .flags = flags, .max_depth = flags & WLAB_LAYOUT_ENTRIES ? 2 : LB_MAX_DEPTH,
		       .focus_lo = focus_lo, .focus_hi = focus_hi,
		       .focus_err = decode_err && decode_err->status != WLAB_OK ?
					    (uint32_t)decode_err->offset : UINT32_MAX};
	wlab_reader_init(&r, m->bytes, m->size, &b.err);
	lb_open(&b, "file", "file");
	enum wlab_status st = lb_func_names(&b);
	if (!st)
		st = walk_header(&b);
	while (!st && r.pos < r.end)
		st = walk_section(&b);
	finish(&b, decode_err);
	free(b.fnames);
	if (b.nomem) {
		wlab_layout_free(L);
		return WLAB_NOMEM;
	}
	*out = L;
	return WLAB_OK;
}

enum wlab_status wlab_layout_build_flags(const struct wlab_module *m,
					 const struct wlab_error *decode_err,
					 unsigned flags, struct wlab_layout **out)
{
	return build(m, decode_err, flags, 0, 0, out);
}

enum wlab_status wlab_layout_build_focus(const struct wlab_module *m,
					 const struct wlab_error *decode_err,
					 uint32_t from, uint32_t to, struct wlab_layout **out)
{
	return build(m, decode_err, WLAB_LAYOUT_NO_INSTRS, from, to, out);
}

void wlab_layout_free(struct wlab_layout *l)
{
	if (!l)
		return;
	struct pool_chunk *c = l->pool ? l->pool->head : NULL;
	while (c) {
		struct pool_chunk *next = c->next;
		free(c);
		c = next;
	}
	free(l->pool);
	free(l->nodes);
	free(l);
}

uint32_t wlab_layout_path(const struct wlab_layout *l, uint32_t offset,
			  uint32_t *path, uint32_t max)
{
	if (l->nnodes == 0 || offset >= l->nodes[0].length || max == 0)
		return 0;
	uint32_t n = 0, i = 0;
	path[n++] = 0;
	while (!wlab_layout_is_leaf(l, i) && n < max) {
		uint32_t c = i + 1, found = UINT32_MAX;
		while (c < l->nodes[i].end) {
			const struct wlab_layout_node *nd = &l->nodes[c];
			if (offset >= nd->offset && offset - nd->offset < nd->length) {
				found = c;
				break;
			}
			c = nd->end;
		}
		if (found == UINT32_MAX)
			break;
		path[n++] = i = found;
	}
	return n;
}
