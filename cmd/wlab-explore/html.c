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

#define MAP_MAX (1u << 20)  /* bytes in the hex map; a larger file's map stops there */

static const char style[] =
	"body{font:14px monospace;margin:1em}details{margin-left:1.2em}"
	"summary{cursor:pointer}.leaf{margin-left:2.4em;white-space:pre}"
	".off{color:#888}.hex{color:#06c}.kind{color:#888}.err{color:#c00}"
	"#main{display:flex;gap:1em;align-items:flex-start}"
	"#tree{flex:1;min-width:0;overflow:auto;max-height:90vh}"
	"#map{overflow:auto;max-height:90vh;white-space:pre;line-height:1.35}"
	"#map span[data-off]{padding:0 1px}.ad{color:#888}"
	/* one colour per section id, so neighbouring sections differ */
	".sh{background:#ddd}.su{background:#f99}.s0{background:#e8d8f0}.s1{background:#ffe0b0}"
	".s2{background:#c8f0c8}.s3{background:#b8e0ff}.s4{background:#f0c8c8}.s5{background:#d0f0f0}"
	".s6{background:#f0f0b0}.s7{background:#d8d0ff}.s8{background:#ffd0e8}.s9{background:#c8e8d0}"
	".s10{background:#cfe0f8}.s11{background:#f8e0c8}.s12{background:#e0f0c0}.s13{background:#e0e0f0}"
	".hl{outline:2px solid #c00;background:#ff6 !important}"
	".sel{outline:2px solid #06c}";

/* Hover a byte of the map: its field lights in the tree; hover a field (or a
 * node's summary): its bytes light in the map; click a summary: its bytes
 * stay selected. Leaves and map cells are in file order, so lookups are
 * binary searches and index arithmetic. */
static const char script[] =
	"(function(){"
	"var cells=document.querySelectorAll('#map [data-off]'),leaves=document.querySelectorAll('#tree .leaf');"
	"var lit=[],sel=[],litLeaf=null;"
	"function range(el){return [+el.dataset.off,+el.dataset.len];}"
	"function mark(list,r,cls){for(var i=r[0];i<r[0]+r[1]&&i<cells.length;i++){cells[i].classList.add(cls);list.push(cells[i]);}}"
	"function clear(list,cls){list.forEach(function(c){c.classList.remove(cls);});list.length=0;}"
	"function node(t){var x=t.closest&&t.closest('.leaf,summary');if(!x||!x.closest('#tree'))return null;"
	"return x.tagName==='SUMMARY'?x.parentElement:x;}"
	"function leafAt(o){var a=0,b=leaves.length-1;while(a<=b){var m=(a+b)>>1,r=range(leaves[m]);"
	"if(o<r[0])b=m-1;else if(o>=r[0]+r[1])a=m+1;else return leaves[m];}return null;}"
	"document.addEventListener('mouseover',function(e){clear(lit,'hl');"
	"if(litLeaf){litLeaf.classList.remove('hl');litLeaf=null;}"
	"var t=e.target;if(t.closest&&t.closest('#map')&&t.dataset&&t.dataset.off!==undefined){"
	"litLeaf=leafAt(+t.dataset.off);if(litLeaf)litLeaf.classList.add('hl');return;}"
	"var n=node(t);if(n)mark(lit,range(n),'hl');});"
	"document.addEventListener('click',function(e){var s=e.target.closest&&e.target.closest('summary');"
	"if(!s||!s.closest('#tree'))return;clear(sel,'sel');mark(sel,range(s.parentElement),'sel');});"
	"})();";

/* The hex map: 16 bytes a row, each byte a cell with data-off, coloured by
 * the top-level node (header, section by id, undecoded) that holds it. */
static void hex_map(const struct explore_ctx *ctx)
{
	const struct wlab_layout *l = ctx->l;
	FILE *out = ctx->out;
	uint32_t size = l->nnodes ? l->nodes[0].length : 0;
	uint32_t shown = size < MAP_MAX ? size : MAP_MAX;
	fputs("<div id=\"map\">", out);
	uint32_t top = 1, top_end = 0;
	char cls[8] = "sh";
	for (uint32_t at = 0; at < shown; at++) {
		while (at >= top_end && top < l->nnodes) {  /* the next top-level node */
			const struct wlab_layout_node *n = &l->nodes[top];
			top_end = n->offset + n->length;
			if (strcmp(n->kind, "section") == 0 && top + 1 < n->end)
				snprintf(cls, sizeof cls, "s%u", (unsigned)(l->nodes[top + 1].value.u % 14));
			else
				snprintf(cls, sizeof cls, "%s", strcmp(n->kind, "undecoded") == 0 ? "su" : "sh");
			top = n->end;
		}
		if (at % 16 == 0)
			fprintf(out, "%s<span class=\"ad\">%08x</span> ", at ? "\n" : "", at);
		fprintf(out, "<span class=\"%s\" data-off=\"%u\">%02x</span>%s", cls, at,
			ctx->m->bytes[at], at % 16 == 15 ? "" : " ");
	}
	if (shown < size)
		fprintf(out, "\n(the map stops at %u bytes; the tree covers all %u)", shown, size);
	fputs("</div>\n", out);
}

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
	fputs("</p>\n<div id=\"main\"><div id=\"tree\">\n", out);
	uint32_t parent[64];
	uint32_t depth = 0;
	for (uint32_t i = 0; i < l->nnodes; i++) {
		while (depth && i >= l->nodes[parent[depth - 1]].end) {
			fputs("</details>\n", out);
			depth--;
		}
		const struct wlab_layout_node *n = &l->nodes[i];
		bool cut = ctx->opts->depth && n->depth >= ctx->opts->depth;  /* --depth */
		if (wlab_layout_is_leaf(l, i) || cut) {
			if (cut)
				i = n->end - 1;
			fprintf(out, "<div class=\"leaf\" data-off=\"%u\" data-len=\"%u\" data-kind=\"%s\">"
				"<span class=\"off\">%08x</span> <span class=\"hex\">",
				n->offset, n->length, n->kind, n->offset);
			uint32_t k = n->length < HEX_MAX ? n->length : HEX_MAX;
			for (uint32_t j = 0; j < k; j++)
				fprintf(out, "<span class=\"b\" data-off=\"%u\">%02x</span> ",
					n->offset + j, ctx->m->bytes[n->offset + j]);
			fprintf(out, "%s</span> ", n->length > HEX_MAX ? "... " : "");
			html_str(out, n->label);
			value(out, n);
			fprintf(out, " <span class=\"kind\">%s, %u</span></div>\n", n->kind, n->length);
			continue;
		}
		if (depth == 64)
			return 1;
		fprintf(out, "<details data-off=\"%u\" data-len=\"%u\" data-kind=\"%s\"%s>"
			"<summary><span class=\"off\">%08x</span> ",
			n->offset, n->length, n->kind, depth < 1 ? " open" : "", n->offset);
		html_str(out, n->label);
		value(out, n);
		fprintf(out, " <span class=\"kind\">(%s, %u bytes)</span></summary>\n", n->kind,
			n->length);
		parent[depth++] = i;
	}
	while (depth--)
		fputs("</details>\n", out);
	fputs("</div>\n", out);
	hex_map(ctx);
	fprintf(out, "</div>\n<script>%s</script>\n</body></html>\n", script);
	return 0;
}
