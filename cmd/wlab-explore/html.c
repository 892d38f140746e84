/* html.c: --html, the field tree as one self-contained page: interior nodes
 * are <details> that fold, leaves show offset, hex and what they encode.
 * Written iteratively from the preorder array, as json.c does. */
#include <inttypes.h>
#include <string.h>

#include "explore.h"

#define HEX_MAX 16  /* bytes shown per leaf; longer leaves end with "..." */

static void html_str(FILE *out, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '&': fputs("&amp;", out); break;
		case '"': fputs("&quot;", out); break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				fprintf(out, "&#x%x;", *p == 0x7f ? 0x2421 : 0x2400 + *p);  /* control pictures */
			else
				fputc(*p, out);
		}
	}
}

static void value(FILE *out, const struct wlab_layout_node *n)
{
	switch (n->vkind) {
	case WLAB_LV_UINT: fprintf(out, " = %" PRIu64, n->value.u); break;
	case WLAB_LV_SINT: fprintf(out, " = %" PRId64, n->value.s); break;
	case WLAB_LV_TEXT: fputs(" = ", out); html_str(out, n->value.text); break;
	default: break;
	}
}

static const char style[] =
	"body{font:14px monospace;margin:1em}details{margin-left:1.2em}"
	"summary{cursor:pointer}.leaf{margin-left:2.4em;white-space:pre}"
	".off{color:#888}.hex{color:#06c}.kind{color:#888}.err{color:#c00}";

int explore_html(const struct explore_ctx *ctx)
{
	const struct wlab_layout *l = ctx->l;
	FILE *out = ctx->out;
	fputs("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>", out);
	html_str(out, ctx->path);
	fprintf(out, "</title><style>%s</style></head><body>\n<h1>", style);
	html_str(out, ctx->path);
	fprintf(out, "</h1>\n<p>%zu bytes", ctx->m->size);
	if (l->error.status != WLAB_OK) {
		fprintf(out, "; <span class=\"err\">error at 0x%zx: ", l->error.offset);
		html_str(out, l->error.message);
		fputs("</span>", out);
	}
	fputs("</p>\n", out);
	uint32_t parent[64];
	uint32_t depth = 0;
	for (uint32_t i = 0; i < l->nnodes; i++) {
		while (depth && i >= l->nodes[parent[depth - 1]].end) {
			fputs("</details>\n", out);
			depth--;
		}
		const struct wlab_layout_node *n = &l->nodes[i];
		if (wlab_layout_is_leaf(l, i)) {
			fprintf(out, "<div class=\"leaf\"><span class=\"off\">%08x</span> <span class=\"hex\">",
				n->offset);
			uint32_t k = n->length < HEX_MAX ? n->length : HEX_MAX;
			for (uint32_t j = 0; j < k; j++)
				fprintf(out, "%02x ", ctx->m->bytes[n->offset + j]);
			fprintf(out, "%s</span> ", n->length > HEX_MAX ? "... " : "");
			html_str(out, n->label);
			value(out, n);
			fprintf(out, " <span class=\"kind\">%s, %u</span></div>\n", n->kind, n->length);
			continue;
		}
		if (depth == 64)
			return 1;
		fprintf(out, "<details%s><summary><span class=\"off\">%08x</span> ",
			depth < 1 ? " open" : "", n->offset);
		html_str(out, n->label);
		value(out, n);
		fprintf(out, " <span class=\"kind\">(%s, %u bytes)</span></summary>\n", n->kind,
			n->length);
		parent[depth++] = i;
	}
	while (depth--)
		fputs("</details>\n", out);
	fputs("</body></html>\n", out);
	return 0;
}
