/* overview.c: the default output: the sections, then a size breakdown whose
 * rows add up to the file's size (each function body, data segment, import,
 * export and custom section its own row; headers and size fields too). */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "explore.h"

struct row {
	const char *label, *suffix;  /* the node's label (lives with the layout) */
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
	w->label = a;
	w->suffix = b;
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
		else if (*count < 0 && (strcmp(n->kind, "vec-count") == 0 ||
					strcmp(n->label, "data count") == 0))
			*count = (int64_t)n->value.u;  /* the first: a reloc section's entries */
	}
}

static bool header_field(const struct wlab_layout_node *k)
{
	return strcmp(k->kind, "section-id") == 0 || strcmp(k->kind, "vec-count") == 0 ||
	       strcmp(k->label, "section size") == 0;
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
		/* The id, size and count fields make the header row, first; entries
		 * (leaves when the tree stops at depth 2) rows of their own, so the
		 * rows come in file order. */
		uint32_t fields = 0;
		for (uint32_t c = s + 1; c < n->end; c = l->nodes[c].end)
			if (header_field(&l->nodes[c]))
				fields += l->nodes[c].length;
		row_add(r, n->offset, fields, n->label, " section header (id, size, count)");
		for (uint32_t c = s + 1; c < n->end; c = l->nodes[c].end) {
			const struct wlab_layout_node *k = &l->nodes[c];
			if (!header_field(k))
				row_add(r, k->offset, k->length, k->label, "");
		}
	}
}

static int by_size(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	if (x->size != y->size)
		return x->size < y->size ? 1 : -1;
	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

/* Writes "%6.2f" of v (0 <= v <= 100) and a NUL to out, as printf would: the exact
 * binary value rounded half to even. With a 64-bit long double mantissa,
 * v * 100 is exact (53 + 7 bits), so its fraction can be compared with 1/2
 * exactly; elsewhere snprintf does it. A breakdown has one row per function,
 * and printf's float path was the overview's largest cost. */
static void share_text(char out[7], double v)
{
#if LDBL_MANT_DIG >= 64
	long double x = (long double)v * 100.0L;
	long double q = floorl(x), f = x - q;
	unsigned long h = (unsigned long)q;
	if (f > 0.5L || (f == 0.5L && (h & 1)))
		h++;
	char tmp[7];
	int k = 6;
	tmp[k--] = 0;
	tmp[k--] = (char)('0' + h % 10);
	tmp[k--] = (char)('0' + h / 10 % 10);
	tmp[k--] = '.';
	h /= 100;
	do {
		tmp[k--] = (char)('0' + h % 10);
		h /= 10;
	} while (h && k >= 0);
	while (k >= 0)
		tmp[k--] = ' ';
	memcpy(out, tmp, 7);
#else
	snprintf(out, 7, "%6.2f", v);
#endif
}

/* "  0x%08x %10u " */
static void row_prefix(char *line, uint32_t offset, uint32_t size)
{
	static const char hex[] = "0123456789abcdef";
	memcpy(line, "  0x", 4);
	for (int k = 0; k < 8; k++)
		line[4 + k] = hex[offset >> (28 - 4 * k) & 15];
	line[12] = ' ';
	char *p = line + 23;
	*p-- = ' ';
	do {
		*p-- = (char)('0' + size % 10);
		size /= 10;
	} while (size);
	while (p > line + 12)
		*p-- = ' ';
}

/* "uses: memory64, tail-call, threads": the features beyond the MVP, by
 * the names of the --enable-FEATURE options; none for a malformed file. */
static void print_uses(const struct explore_ctx *ctx)
{
	uint32_t uses = 0;
	struct wlab_error err = {0};
	char list[512];
	if (ctx->l->error.status != WLAB_OK)
		return;
	bool big = wlab_module_code_size(ctx->m) > WLAB_USES_CODE_LIMIT;
	enum wlab_status st = big ? wlab_module_uses_entries(ctx->m, &uses, &err)
				  : wlab_module_uses(ctx->m, &uses, &err);
	int n = wlab_features_list(uses, ", ", list, sizeof list);
	fprintf(ctx->out, "uses: %s", n ? list : "nothing beyond WebAssembly 1.0");
	if (big)
		fprintf(ctx->out, " (from the entries: over 1 MiB of code, whose instructions the overview does not read)");
	else if (st != WLAB_OK)
		fprintf(ctx->out, " (and more? code unread after 0x%zx: %s)", err.offset, err.message);
	fputc('\n', ctx->out);
}

int explore_overview(const struct explore_ctx *ctx)
{
	const struct wlab_layout *l = ctx->l;
	FILE *out = ctx->out;
	double total = l->nodes[0].length ? (double)l->nodes[0].length : 1.0;
	fprintf(out, "%s: %u bytes\n", ctx->path, l->nodes[0].length);
	print_uses(ctx);
	fprintf(out, "\nSections:\n");
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
	if (ctx->opts->top)  /* else the rows are in file order already */
		qsort(r.v, r.n, sizeof *r.v, by_size);
	uint32_t shown = ctx->opts->top && ctx->opts->top < r.n ? ctx->opts->top : r.n;
	fprintf(out, "\nSize breakdown%s:\n", ctx->opts->top ? " (largest first)" : "");
	fprintf(out, "  %10s %10s %7s  %s\n", "offset", "size", "share", "item");
	for (uint32_t i = 0; i < shown; i++) {
		char line[40];  /* "  0x%08x %10u %6.2f%%  " */
		row_prefix(line, r.v[i].offset, r.v[i].size);
		share_text(line + 24, 100.0 * r.v[i].size / total);
		memcpy(line + 30, "%  ", 4);
		fputs(line, out);
		fputs(r.v[i].label, out);
		fputs(r.v[i].suffix, out);
		fputc('\n', out);
	}
	if (shown < r.n)
		fprintf(out, "  ... %u more rows\n", r.n - shown);
	fprintf(out, "  %10s %10llu %6.2f%%  total of %u rows\n", "", (unsigned long long)sum,
		100.0 * (double)sum / total, r.n);
	free(r.v);
	return 0;
}
