/* json.c: --json, the field tree in schema wlab-explore/1 (docs/wlab-explore.md).
 * Written iteratively from the preorder array: brackets close as depth falls. */
#include <inttypes.h>
#include <string.h>

#include "explore.h"

static void json_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(out, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(out, "\\u%04x", *p);
		else
			fputc(*p, out);
	}
	fputc('"', out);
}

static void node_open(FILE *out, const struct wlab_layout_node *n)
{
	fprintf(out, "{\"offset\":%u,\"length\":%u,\"kind\":", n->offset, n->length);
	json_str(out, n->kind);
	fputs(",\"label\":", out);
	json_str(out, n->label);
	switch (n->vkind) {
	case WLAB_LV_UINT: fprintf(out, ",\"value\":%" PRIu64, n->value.u); break;
	case WLAB_LV_SINT: fprintf(out, ",\"value\":%" PRId64, n->value.s); break;
	case WLAB_LV_TEXT: fputs(",\"value\":", out); json_str(out, n->value.text); break;
	default: break;
	}
}

int explore_json(const struct explore_ctx *ctx)
{
	const struct wlab_layout *l = ctx->l;
	FILE *out = ctx->out;
	fputs("{\"schema\":\"wlab-explore/1\",\"file\":", out);
	json_str(out, ctx->path);
	fprintf(out, ",\"size\":%zu,\"decoded\":%u,\"error\":", ctx->m->size, l->decoded_end);
	if (l->error.status == WLAB_OK) {
		fputs("null", out);
	} else {
		fprintf(out, "{\"offset\":%zu,\"message\":", l->error.offset);
		json_str(out, l->error.message);
		fputc('}', out);
	}
	fputs(",\"root\":\n", out);
	/* parent[d] is the open node at depth d; a node that is not its
	 * parent's first child gets a comma before it. */
	uint32_t parent[64];
	uint32_t depth = 0;
	for (uint32_t i = 0; i < l->nnodes; i++) {
		while (depth && i >= l->nodes[parent[depth - 1]].end) {
			fputs("]}", out);
			depth--;
		}
		if (depth && i != parent[depth - 1] + 1)
			fputs(",\n", out);
		node_open(out, &l->nodes[i]);
		if (wlab_layout_is_leaf(l, i)) {
			fputc('}', out);
			continue;
		}
		if (depth == 64)
			return 1;
		fputs(",\"children\":[\n", out);
		parent[depth++] = i;
	}
	while (depth--)
		fputs("]}", out);
	fputs("}\n", out);
	return 0;
}
