/* annotate.c: --annotate (every byte with what it encodes) and --explain
 * (the path from the root to the field holding one byte). */
#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "explore.h"

#define BYTES_PER_LINE 8

void explore_print_value(FILE *out, const struct wlab_layout_node *n)
{
	switch (n->vkind) {
	case WLAB_LV_UINT: fprintf(out, "%" PRIu64, n->value.u); break;
	case WLAB_LV_SINT: fprintf(out, "%" PRId64, n->value.s); break;
	case WLAB_LV_TEXT: fputs(n->value.text, out); break;
	default: break;
	}
}

/* Writes offset and up to BYTES_PER_LINE bytes, padded to one column. */
static void hex_line(FILE *out, const uint8_t *bytes, uint32_t at, uint32_t n)
{
	fprintf(out, "%08x:", at);
	for (uint32_t k = 0; k < BYTES_PER_LINE; k++) {
		if (k < n)
			fprintf(out, " %02x", bytes[at + k]);
		else
			fputs("   ", out);
	}
	fputs("  ", out);
}

static void indent(FILE *out, unsigned depth)
{
	for (unsigned k = 1; k < depth; k++)
		fputs("  ", out);
}

static void describe(FILE *out, const struct wlab_layout_node *n, bool quote)
{
	fputs(n->label, out);
	if (n->vkind == WLAB_LV_NONE)
		return;
	fputs(n->vkind == WLAB_LV_TEXT && quote ? " = \"" : " = ", out);
	explore_print_value(out, n);
	if (n->vkind == WLAB_LV_TEXT && quote)
		fputc('"', out);
}

static bool is_name(const struct wlab_layout_node *n)
{
	return strcmp(n->kind, "name-bytes") == 0 || strcmp(n->kind, "name") == 0;
}

/* A leaf or a whole instruction: the first line described, then the rest of
 * its bytes BYTES_PER_LINE at a time. */
static void print_bytes(const struct explore_ctx *ctx, uint32_t i)
{
	const struct wlab_layout *l = ctx->l;
	const struct wlab_layout_node *n = &l->nodes[i];
	FILE *out = ctx->out;
	uint32_t first = n->length < BYTES_PER_LINE ? n->length : BYTES_PER_LINE;
	hex_line(out, ctx->m->bytes, n->offset, first);
	indent(out, n->depth);
	if (strcmp(n->kind, "instr") == 0) {
		fputs(n->label, out);  /* "i32.load align=2 offset=8" */
		for (uint32_t c = i + 2; c < n->end; c++) {
			const struct wlab_layout_node *k = &l->nodes[c];
			if (strcmp(k->label, "immediate") == 0)
				fputc(' ', out);
			else
				fprintf(out, " %s=", k->label);
			explore_print_value(out, k);
		}
	} else {
		describe(out, n, is_name(n));
		fprintf(out, "  (%s", n->kind);
		if (n->length > 1)
			fprintf(out, ", %u bytes", n->length);
		fputc(')', out);
	}
	fputc('\n', out);
	for (uint32_t at = first; at < n->length; at += BYTES_PER_LINE) {
		uint32_t k = n->length - at < BYTES_PER_LINE ? n->length - at : BYTES_PER_LINE;
		hex_line(out, ctx->m->bytes, n->offset + at, k);
		fputc('\n', out);
	}
}

/* Prints the subtree of node `top` in preorder: interior nodes as headings. */
static void print_subtree(const struct explore_ctx *ctx, uint32_t top)
{
	const struct wlab_layout *l = ctx->l;
	uint32_t i = top;
	while (i < l->nodes[top].end) {
		const struct wlab_layout_node *n = &l->nodes[i];
		if (wlab_layout_is_leaf(l, i) || strcmp(n->kind, "instr") == 0) {
			print_bytes(ctx, i);
			i = n->end;
			continue;
		}
		if (n->depth > 0) {
			fprintf(ctx->out, "%08x:%*s  ", n->offset, 3 * BYTES_PER_LINE, "");
			indent(ctx->out, n->depth);
			fprintf(ctx->out, "%s", n->label);
			if (n->vkind == WLAB_LV_NONE || strcmp(n->kind, "name") != 0)
				fprintf(ctx->out, "  (%s, %u byte%s)\n", n->kind, n->length,
					n->length == 1 ? "" : "s");
			else
				fprintf(ctx->out, " = \"%s\"  (%u bytes)\n", n->value.text, n->length);
		}
		i++;
	}
}

static bool same_ci(const char *a, const char *b, size_t n)
{
	for (size_t k = 0; k < n; k++)
		if (tolower((unsigned char)a[k]) != tolower((unsigned char)b[k]))
			return false;
	return true;
}

/* A section node by --section NAME: "Code", or a custom section's name. */
static bool section_matches(const struct wlab_layout_node *n, const char *want)
{
	size_t w = strlen(want);
	if (strlen(n->label) == w && same_ci(n->label, want, w))
		return true;
	return strncmp(n->label, "Custom \"", 8) == 0 && strlen(n->label) == w + 9 &&
	       same_ci(n->label + 8, want, w);
}

/* A func node by --func IDX|NAME: its label is func[IDX] or func[IDX] "NAME". */
static bool func_matches(const struct wlab_layout_node *n, const char *want)
{
	char idx[32];
	snprintf(idx, sizeof idx, "func[%s]", want);
	size_t k = strlen(idx);
	if (strncmp(n->label, idx, k) == 0 && (n->label[k] == 0 || n->label[k] == ' '))
		return true;
	const char *q = strchr(n->label, '"');
	size_t w = strlen(want);
	return q && strncmp(q + 1, want, w) == 0 && q[1 + w] == '"' && q[2 + w] == 0;
}

int explore_annotate(const struct explore_ctx *ctx)
{
	const struct wlab_layout *l = ctx->l;
	const struct explore_opts *o = ctx->opts;
	if (!o->section && !o->func) {
		print_subtree(ctx, 0);
		return 0;
	}
	uint32_t found = 0;
	for (uint32_t s = 1; s < l->nodes[0].end; s = l->nodes[s].end) {
		const struct wlab_layout_node *n = &l->nodes[s];
		if (o->section && !section_matches(n, o->section))
			continue;
		if (!o->func) {
			print_subtree(ctx, s);
			found++;
			continue;
		}
		for (uint32_t c = s + 1; c < n->end; c = l->nodes[c].end) {
			if (strcmp(l->nodes[c].kind, "func") == 0 && func_matches(&l->nodes[c], o->func)) {
				print_subtree(ctx, c);
				found++;
			}
		}
	}
	if (!found) {
		fprintf(stderr, "wlab-explore: %s: no %s \"%s\"\n", ctx->path,
			o->func ? "function" : "section", o->func ? o->func : o->section);
		return 1;
	}
	return 0;
}

int explore_explain(const struct explore_ctx *ctx)
{
	const struct wlab_layout *l = ctx->l;
	uint32_t path[64];
	uint32_t n = wlab_layout_path(l, ctx->opts->explain_at, path, 64);
	if (n == 0) {
		fprintf(stderr, "wlab-explore: %s: offset 0x%x is past the end (%u bytes)\n",
			ctx->path, ctx->opts->explain_at, l->nodes[0].length);
		return 1;
	}
	FILE *out = ctx->out;
	for (uint32_t k = 1; k < n; k++) {
		const struct wlab_layout_node *nd = &l->nodes[path[k]];
		bool merge = k + 1 < n && strcmp(nd->kind, "instr") == 0;
		fputs(nd->label, out);
		if (merge) {
			fputc(' ', out);
			continue;
		}
		if (k + 1 < n)
			fputs(" > ", out);
	}
	const struct wlab_layout_node *leaf = &l->nodes[path[n - 1]];
	fprintf(out, "\n  byte 0x%x is byte %u of %u of this %s at 0x%x", ctx->opts->explain_at,
		ctx->opts->explain_at - leaf->offset + 1, leaf->length, leaf->kind, leaf->offset);
	if (leaf->vkind != WLAB_LV_NONE) {
		fputs(", value ", out);
		explore_print_value(out, leaf);
	}
	fputc('\n', out);
	explore_explain_source(ctx, ctx->opts->explain_at);
	return 0;
}
