/* json.c: --json, the field tree in schema wlab-explore/1 (docs/wlab-explore.md).
 * Written iteratively from the preorder array: brackets close as depth falls. */
#include <stdint.h>
#include <string.h>

#include "explore.h"

/* The length of the well-formed UTF-8 sequence at p (2 to 4), else 0. */
static int utf8_len(const unsigned char *p)
{
	int n = p[0] >= 0xf0 && p[0] <= 0xf4 ? 4 : p[0] >= 0xe0 ? 3 : p[0] >= 0xc2 ? 2 : 0;
	if (n == 0 || (n == 3 && p[0] > 0xef))
		return 0;
	for (int k = 1; k < n; k++)
		if ((p[k] & 0xc0) != 0x80)
			return 0;
	uint32_t c = n == 2 ? (p[0] & 0x1fu) << 6 | (p[1] & 0x3f)
		   : n == 3 ? (p[0] & 0x0fu) << 12 | (p[1] & 0x3fu) << 6 | (p[2] & 0x3f)
			    : (p[0] & 0x07u) << 18 | (p[1] & 0x3fu) << 12 | (p[2] & 0x3fu) << 6 |
				      (p[3] & 0x3f);
	if ((n == 3 && (c < 0x800 || (c >= 0xd800 && c <= 0xdfff))) ||
	    (n == 4 && (c < 0x10000 || c > 0x10ffff)))
		return 0;
	return n;
}

/* A buffered writer: the tree of a large module is hundreds of MB of JSON,
 * and stdio's per-call locking and format parsing would dominate. */
struct jbuf {
	char *buf;
	size_t cap, n;
	FILE *out;
};

static void jb_flush(struct jbuf *b)
{
	if (b->n)
		fwrite(b->buf, 1, b->n, b->out);
	b->n = 0;
}

static void jb_mem(struct jbuf *b, const char *p, size_t n)
{
	if (b->cap - b->n < n) {
		jb_flush(b);
		if (n > b->cap) {
			fwrite(p, 1, n, b->out);
			return;
		}
	}
	memcpy(b->buf + b->n, p, n);
	b->n += n;
}

static void jb_cstr(struct jbuf *b, const char *s)
{
	jb_mem(b, s, strlen(s));
}

static void jb_u64(struct jbuf *b, uint64_t v)
{
	char tmp[24];
	size_t k = sizeof tmp;
	do {
		tmp[--k] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	jb_mem(b, tmp + k, sizeof tmp - k);
}

static void jb_i64(struct jbuf *b, int64_t v)
{
	if (v < 0) {
		jb_mem(b, "-", 1);
		jb_u64(b, (uint64_t)0 - (uint64_t)v);
	} else {
		jb_u64(b, (uint64_t)v);
	}
}

/* Strings are UTF-8 as the module holds them; a byte that is not part of
 * well-formed UTF-8 (a custom section's name, say) is written as \u00XX, so
 * the output is always valid JSON. Runs of plain bytes are copied at once. */
static void jb_str(struct jbuf *b, const char *str)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)str, *run = p;
	jb_mem(b, "\"", 1);
	for (;; p++) {
		unsigned char c = *p;
		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
			continue;
		int n = c >= 0x80 ? utf8_len(p) : 0;
		if (n) {
			p += n - 1;
			continue;
		}
		jb_mem(b, (const char *)run, (size_t)(p - run));
		if (c == 0)
			break;
		if (c == '"' || c == '\\') {
			char esc[2] = {'\\', (char)c};
			jb_mem(b, esc, 2);
		} else {
			char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
			jb_mem(b, esc, 6);
		}
		run = p + 1;
	}
	jb_mem(b, "\"", 1);
}

void explore_json_str(FILE *out, const char *s)
{
	char buf[512];
	struct jbuf b = {.buf = buf, .cap = sizeof buf, .out = out};
	jb_str(&b, s);
	jb_flush(&b);
}

/* A function type as {"index":T,"params":[...],"results":[...]}, or null when T is out of range. */
void explore_json_functype(FILE *out, const struct wlab_module *m, uint32_t t)
{
	if (t >= m->ntypes) {
		fputs("null", out);
		return;
	}
	const struct wlab_functype *ft = &m->types[t];
	fprintf(out, "{\"index\":%u,\"params\":[", t);
	for (uint32_t k = 0; k < ft->nparams; k++) {
		const char *v = wlab_valtype_name(ft->params[k]);
		fprintf(out, "%s\"%s\"", k ? "," : "", v ? v : "?");
	}
	fputs("],\"results\":[", out);
	for (uint32_t k = 0; k < ft->nresults; k++) {
		const char *v = wlab_valtype_name(ft->results[k]);
		fprintf(out, "%s\"%s\"", k ? "," : "", v ? v : "?");
	}
	fputs("]}", out);
}

static void node_open(struct jbuf *b, const struct wlab_layout_node *n)
{
	jb_cstr(b, "{\"offset\":");
	jb_u64(b, n->offset);
	jb_cstr(b, ",\"length\":");
	jb_u64(b, n->length);
	jb_cstr(b, ",\"kind\":");
	jb_str(b, n->kind);
	jb_cstr(b, ",\"label\":");
	jb_str(b, n->label);
	switch (n->vkind) {
	case WLAB_LV_UINT: jb_cstr(b, ",\"value\":"); jb_u64(b, n->value.u); break;
	case WLAB_LV_SINT: jb_cstr(b, ",\"value\":"); jb_i64(b, n->value.s); break;
	case WLAB_LV_TEXT: jb_cstr(b, ",\"value\":"); jb_str(b, n->value.text); break;
	default: break;
	}
}

/* Writes nodes first..end-1 of the preorder array (one node's subtree, or
 * the whole tree); 1 when nested too deep. parent[d] is the open node at
 * depth d; a node that is not its parent's first child gets a comma. */
static int tree_json(struct jbuf *b, const struct explore_ctx *ctx, uint32_t first, uint32_t end)
{
	const struct wlab_layout *l = ctx->l;
	uint32_t parent[64];
	uint32_t depth = 0;
	int rc = 0;
	for (uint32_t i = first; i < end; i++) {
		while (depth && i >= l->nodes[parent[depth - 1]].end) {
			jb_cstr(b, "]}");
			depth--;
		}
		if (depth && i != parent[depth - 1] + 1)
			jb_cstr(b, ",\n");
		node_open(b, &l->nodes[i]);
		if (wlab_layout_is_leaf(l, i)) {
			jb_cstr(b, "}");
			continue;
		}
		if (ctx->opts->depth && l->nodes[i].depth >= ctx->opts->depth) {
			jb_cstr(b, "}");  /* --depth: the subtree prints as a leaf */
			i = l->nodes[i].end - 1;
			continue;
		}
		if (depth == 64) {
			rc = 1;
			break;
		}
		jb_cstr(b, ",\"children\":[\n");
		parent[depth++] = i;
	}
	while (depth--)
		jb_cstr(b, "]}");
	return rc;
}

int explore_json(const struct explore_ctx *ctx)
{
	const struct wlab_layout *l = ctx->l;
	static char buf[1 << 16];
	struct jbuf jb = {.buf = buf, .cap = sizeof buf, .out = ctx->out};
	struct jbuf *b = &jb;
	jb_cstr(b, "{\"schema\":\"wlab-explore/1\",\"file\":");
	jb_str(b, ctx->path);
	jb_cstr(b, ",\"size\":");
	jb_u64(b, ctx->m->size);
	jb_cstr(b, ",\"decoded\":");
	jb_u64(b, l->decoded_end);
	jb_cstr(b, ",\"error\":");
	if (l->error.status == WLAB_OK) {
		jb_cstr(b, "null");
	} else {
		jb_cstr(b, "{\"offset\":");
		jb_u64(b, l->error.offset);
		jb_cstr(b, ",\"message\":");
		jb_str(b, l->error.message);
		jb_cstr(b, "}");
	}
	jb_cstr(b, ",\"root\":\n");
	int rc = tree_json(b, ctx, 0, l->nnodes);
	jb_cstr(b, "}\n");
	jb_flush(b);
	return rc;
}

int explore_json_subtree(const struct explore_ctx *ctx, uint32_t top)
{
	char buf[4096];
	struct jbuf b = {.buf = buf, .cap = sizeof buf, .out = ctx->out};
	int rc = top < ctx->l->nnodes ? tree_json(&b, ctx, top, ctx->l->nodes[top].end) : 1;
	jb_cstr(&b, "\n");
	jb_flush(&b);
	return rc;
}
