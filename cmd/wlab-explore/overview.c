/* overview.c: the default output: the sections, then a size breakdown whose
 * rows add up to the file's size (each function body, data segment, import,
 * export and custom section its own row; headers and size fields too). */
#include <stdlib.h>
#include <string.h>

#include "explore.h"

struct row {
	char label[160];
	uint32_t offset, size;
};

struct rows {
	struct row *v;
	uint32_t n, cap;
};

static void row_add(struct rows *r, uint32_t offset, uint32_t size, const char *a, const char *b)
{
	if (size == 0)
		return;
	if (r->n == r->cap) {
		uint32_t cap = r->cap ? r->cap * 2 : 64;
		struct row *v = realloc(r->v, cap * sizeof *v);
		if (!v) {
			fputs("wlab-explore: out of memory\n", stderr);
			exit(1);
		}
		r->v = v;
		r->cap = cap;
	}
	struct row *w = &r->v[r->n++];
	snprintf(w->label, sizeof w->label, "%s%s", a, b);
	w->offset = offset;
	w->size = size;
}

/* The sections whose entries are rows of their own. */
static bool split_entries(uint8_t id)
{
	return id == WLAB_SEC_IMPORT || id == WLAB_SEC_EXPORT || id == WLAB_SEC_CODE ||
	       id == WLAB_SEC_DATA;
}

/* The section id and vector count from a section node's leaves. */
static void section_facts(const struct wlab_layout *l, uint32_t s, uint8_t *id, int64_t *count)
{
	*id = 0xff;
	*count = -1;
	for (uint32_t c = s + 1; c < l->nodes[s].end; c = l->nodes[c].end) {
		const struct wlab_layout_node *n = &l->nodes[c];
		if (strcmp(n->kind, "section-id") == 0)
			*id = (uint8_t)n->value.u;
		else if (strcmp(n->kind, "vec-count") == 0)
			*count = (int64_t)n->value.u;
	}
}

static void breakdown(const struct wlab_layout *l, struct rows *r)
{
	const struct wlab_layout_node *root = &l->nodes[0];
	for (uint32_t s = 1; s < root->end; s = l->nodes[s].end) {
		const struct wlab_layout_node *n = &l->nodes[s];
		uint8_t id;
		int64_t count;
		if (strcmp(n->kind, "section") != 0) {
			row_add(r, n->offset, n->length, n->label, "");
			continue;
		}
		section_facts(l, s, &id, &count);
		if (!split_entries(id)) {
			row_add(r, n->offset, n->length, n->label, id ? " section" : "");
			continue;
		}
		uint32_t fields = 0;
		for (uint32_t c = s + 1; c < n->end; c = l->nodes[c].end) {
			if (wlab_layout_is_leaf(l, c))
				fields += l->nodes[c].length;
			else
				row_add(r, l->nodes[c].offset, l->nodes[c].length, l->nodes[c].label, "");
		}
		row_add(r, n->offset, fields, n->label, " section header (id, size, count)");
	}
}

static int by_size(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	if (x->size != y->size)
		return x->size < y->size ? 1 : -1;
	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

static int by_offset(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

int explore_overview(const struct explore_ctx *ctx)
{
	const struct wlab_layout *l = ctx->l;
	FILE *out = ctx->out;
	double total = l->nodes[0].length ? (double)l->nodes[0].length : 1.0;
	fprintf(out, "%s: %u bytes\n\nSections:\n", ctx->path, l->nodes[0].length);
	fprintf(out, "  %-24s %10s %10s %7s %8s\n", "section", "offset", "size", "share", "count");
	for (uint32_t s = 1; s < l->nodes[0].end; s = l->nodes[s].end) {
		const struct wlab_layout_node *n = &l->nodes[s];
		uint8_t id;
		int64_t count;
		if (strcmp(n->kind, "section") != 0)
			continue;
		section_facts(l, s, &id, &count);
		fprintf(out, "  %-24.24s 0x%08x %10u %6.2f%%", n->label, n->offset, n->length,
			100.0 * n->length / total);
		if (count >= 0)
			fprintf(out, " %8lld", (long long)count);
		fputc('\n', out);
	}
	struct rows r = {0};
	breakdown(l, &r);
	uint64_t sum = 0;
	for (uint32_t i = 0; i < r.n; i++)
		sum += r.v[i].size;
	qsort(r.v, r.n, sizeof *r.v, ctx->opts->top ? by_size : by_offset);
	uint32_t shown = ctx->opts->top && ctx->opts->top < r.n ? ctx->opts->top : r.n;
	fprintf(out, "\nSize breakdown%s:\n", ctx->opts->top ? " (largest first)" : "");
	fprintf(out, "  %10s %10s %7s  %s\n", "offset", "size", "share", "item");
	for (uint32_t i = 0; i < shown; i++)
		fprintf(out, "  0x%08x %10u %6.2f%%  %s\n", r.v[i].offset, r.v[i].size,
			100.0 * r.v[i].size / total, r.v[i].label);
	if (shown < r.n)
		fprintf(out, "  ... %u more rows\n", r.n - shown);
	fprintf(out, "  %10s %10llu %6.2f%%  total of %u rows\n", "", (unsigned long long)sum,
		100.0 * (double)sum / total, r.n);
	free(r.v);
	return 0;
}
