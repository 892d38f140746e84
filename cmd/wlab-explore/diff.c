/* diff.c: --diff OLD NEW, where two builds of a module differ in size: per
 * section (matched by id, custom sections by name) and per function
 * (matched by name when the name is unique in both files, else by index,
 * and the output says which), sorted by size change, largest first, with
 * totals. --fail-above BYTES|PERCENT makes the exit status 1 when the file
 * grew by more than that. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "sizes.h"
#include "wlab/dwarf.h"

struct side {
	const char *path;
	const struct wlab_module *m;
	struct wlab_refgraph *g;
	uint32_t nfuncs;
	uint32_t *match;  /* per function: the other side's index, UINT32_MAX: none */
	uint32_t by_name, by_index;  /* matches (old side) */
	struct wlab_dwarf *dw;  /* names of functions without one, when it has DWARF */
	uint32_t code_base;
};

struct row {
	char name[256];
	uint32_t oi, ni;   /* indices, UINT32_MAX when absent */
	const char *how;   /* "name", "index", NULL */
	int64_t oldsz, newsz;  /* -1: absent */
	bool differ;       /* same size, other bytes */
	uint32_t ooff, noff, ocount, ncount;  /* sections: offset and occurrences */
};

/* The display name of function f, "" when it has none. */
static const char *fname(const struct side *s, uint32_t f, char *buf, size_t n)
{
	uint32_t i = s->g->base[WLAB_ITEM_FUNC] + f;
	wlab_refgraph_label(s->m, s->g, i, buf, n);
	char *q = strchr(buf, '"');
	const char *file = NULL, *function = NULL;
	uint32_t d = f - s->m->nimported_funcs;
	if (!q && s->dw && f >= s->m->nimported_funcs && d < s->m->ncodes &&
	    sz_dwarf_func(s->m, s->dw, s->code_base, d, &file, &function) && function) {
		snprintf(buf, n, "%s", function);
		return buf;
	}
	if (!q)
		return "";
	size_t k = strlen(q + 1);
	memmove(buf, q + 1, k + 1);
	if (k && buf[k - 1] == '"')
		buf[k - 1] = 0;
	return buf;
}

struct named {
	const char *name;
	uint32_t f;
};

static const struct side *name_side;
static int named_cmp(const void *x, const void *y)
{
	const struct named *a = x, *b = y;
	int c = strcmp(a->name, b->name);
	return c ? c : (a->f < b->f ? -1 : a->f > b->f);
}

/* The functions of s with their names, sorted; each name a copy. */
static struct named *names_of(const struct side *s)
{
	struct named *v = sz_alloc(s->nfuncs + 1, sizeof *v);
	char buf[600];
	for (uint32_t f = 0; f < s->nfuncs; f++) {
		const char *n = fname(s, f, buf, sizeof buf);
		v[f].name = strdup(n);
		v[f].f = f;
		if (!v[f].name) {
			fputs("wlab-explore: out of memory\n", stderr);
			exit(1);
		}
	}
	name_side = s;
	qsort(v, s->nfuncs, sizeof *v, named_cmp);
	return v;
}

static bool unique(const struct named *v, uint32_t n, uint32_t k)
{
	return v[k].name[0] && (k == 0 || strcmp(v[k - 1].name, v[k].name) != 0) &&
	       (k + 1 == n || strcmp(v[k + 1].name, v[k].name) != 0);
}

/* Matches by unique name (a merge of the two sorted lists), then by index. */
static void match(struct side *a, struct side *b, uint8_t *by_name)
{
	struct named *va = names_of(a), *vb = names_of(b);
	for (uint32_t i = 0, j = 0; i < a->nfuncs && j < b->nfuncs;) {
		int c = strcmp(va[i].name, vb[j].name);
		if (c < 0) {
			i++;
		} else if (c > 0) {
			j++;
		} else {
			if (unique(va, a->nfuncs, i) && unique(vb, b->nfuncs, j)) {
				a->match[va[i].f] = vb[j].f;
				b->match[vb[j].f] = va[i].f;
				by_name[va[i].f] = 1;
				a->by_name++;
			}
			i++;
			j++;
		}
	}
	for (uint32_t f = 0; f < a->nfuncs && f < b->nfuncs; f++)
		if (a->match[f] == UINT32_MAX && b->match[f] == UINT32_MAX) {
			a->match[f] = f;
			b->match[f] = f;
			a->by_index++;
		}
	for (uint32_t k = 0; k < a->nfuncs; k++)
		free((void *)va[k].name);
	for (uint32_t k = 0; k < b->nfuncs; k++)
		free((void *)vb[k].name);
	free(va);
	free(vb);
}

static bool same_bytes(const struct side *a, uint32_t fa, const struct side *b, uint32_t fb)
{
	const struct wlab_refitem *x = &a->g->items[a->g->base[WLAB_ITEM_FUNC] + fa];
	const struct wlab_refitem *y = &b->g->items[b->g->base[WLAB_ITEM_FUNC] + fb];
	return x->span.size == y->span.size &&
	       memcmp(a->m->bytes + x->span.offset, b->m->bytes + y->span.offset, x->span.size) == 0;
}

static int64_t delta(const struct row *r)
{
	return (r->newsz < 0 ? 0 : r->newsz) - (r->oldsz < 0 ? 0 : r->oldsz);
}

static int row_cmp(const void *x, const void *y)
{
	const struct row *a = x, *b = y;
	int64_t da = delta(a), db = delta(b);
	uint64_t ua = da < 0 ? (uint64_t)-da : (uint64_t)da, ub = db < 0 ? (uint64_t)-db : (uint64_t)db;
	if (ua != ub)
		return ua > ub ? -1 : 1;
	if (da != db)
		return da > db ? -1 : 1;
	return strcmp(a->name, b->name);
}

/* The function rows: every matched pair whose size or bytes differ, every
 * function only one side has. */
static struct row *func_rows(struct side *a, struct side *b, uint32_t *nrows)
{
	uint8_t *by_name = sz_alloc(a->nfuncs + 1, 1);
	match(a, b, by_name);
	struct row *rows = sz_alloc((size_t)a->nfuncs + b->nfuncs + 1, sizeof *rows);
	uint32_t n = 0;
	for (uint32_t f = 0; f < a->nfuncs; f++) {
		uint32_t g = a->match[f];
		struct row *r = &rows[n];
		*r = (struct row){.oi = f, .ni = g, .how = g == UINT32_MAX ? NULL : by_name[f] ? "name" : "index",
				  .oldsz = a->g->items[a->g->base[WLAB_ITEM_FUNC] + f].size, .newsz = -1};
		if (g != UINT32_MAX)
			r->newsz = b->g->items[b->g->base[WLAB_ITEM_FUNC] + g].size;
		r->differ = g != UINT32_MAX && r->oldsz == r->newsz && !same_bytes(a, f, b, g);
		fname(a, f, r->name, sizeof r->name);
		if (!r->name[0])
			snprintf(r->name, sizeof r->name, "func[%" PRIu32 "]", f);
		if (g == UINT32_MAX || r->oldsz != r->newsz || r->differ)
			n++;
	}
	for (uint32_t g = 0; g < b->nfuncs; g++) {
		if (b->match[g] != UINT32_MAX)
			continue;
		struct row *r = &rows[n++];
		*r = (struct row){.oi = UINT32_MAX, .ni = g, .oldsz = -1,
				  .newsz = b->g->items[b->g->base[WLAB_ITEM_FUNC] + g].size};
		fname(b, g, r->name, sizeof r->name);
		if (!r->name[0])
			snprintf(r->name, sizeof r->name, "func[%" PRIu32 "]", g);
	}
	qsort(rows, n, sizeof *rows, row_cmp);
	free(by_name);
	*nrows = n;
	return rows;
}

/* A section's key: its name, or "custom:NAME". */
static void sec_key(const struct wlab_section *s, char *buf, size_t n)
{
	const char *nm = wlab_section_name(s->id);
	if (s->id == 0)
		snprintf(buf, n, "custom:%.*s", (int)s->name.len, (const char *)s->name.ptr);
	else
		snprintf(buf, n, "%s", nm ? nm : "unknown");
}

static uint32_t add_sections(struct row *rows, uint32_t n, const struct wlab_module *m, bool is_new)
{
	for (uint32_t i = 0; i < m->nsections; i++) {
		char key[256];
		sec_key(&m->sections[i], key, sizeof key);
		uint32_t k = 0;
		while (k < n && strcmp(rows[k].name, key) != 0)
			k++;
		if (k == n) {
			rows[n++] = (struct row){.oldsz = -1, .newsz = -1};
			snprintf(rows[k].name, sizeof rows[k].name, "%s", key);
		}
		int64_t *sz = is_new ? &rows[k].newsz : &rows[k].oldsz;
		*sz = (*sz < 0 ? 0 : *sz) + m->sections[i].span.size;
		*(is_new ? &rows[k].noff : &rows[k].ooff) = m->sections[i].span.offset;
		(*(is_new ? &rows[k].ncount : &rows[k].ocount))++;
	}
	return n;
}

/* A section of the same size in each, once in each, with other bytes. */
static void sections_differ(struct row *rows, uint32_t n, const struct wlab_module *a,
			    const struct wlab_module *b)
{
	for (uint32_t k = 0; k < n; k++) {
		struct row *r = &rows[k];
		r->differ = r->ocount == 1 && r->ncount == 1 && r->oldsz == r->newsz &&
			    memcmp(a->bytes + r->ooff, b->bytes + r->noff, (size_t)r->oldsz) != 0;
	}
}

static void text_row(FILE *out, const struct row *r, bool funcs)
{
	char o[24] = "-", n[24] = "-";
	if (r->oldsz >= 0)
		snprintf(o, sizeof o, "%" PRId64, r->oldsz);
	if (r->newsz >= 0)
		snprintf(n, sizeof n, "%" PRId64, r->newsz);
	fprintf(out, "%10s %10s %+10" PRId64 "  %s", o, n, delta(r), r->name);
	if (r->oldsz < 0)
		fputs(" (added)", out);
	else if (r->newsz < 0)
		fputs(" (removed)", out);
	else if (funcs && strcmp(r->how, "index") == 0)
		fprintf(out, " (matched by index %" PRIu32 ")", r->oi);
	if (r->differ)
		fputs(" (same size, bytes differ)", out);
	fputc('\n', out);
}

static void json_rows(FILE *out, const struct row *r, uint32_t n, bool funcs)
{
	for (uint32_t k = 0; k < n; k++) {
		fputs(k ? ",\n{\"name\":" : "\n{\"name\":", out);
		explore_json_str(out, r[k].name);
		if (funcs) {
			fputs(",\"old_index\":", out);
			r[k].oi == UINT32_MAX ? fputs("null", out) : fprintf(out, "%" PRIu32, r[k].oi);
			fputs(",\"new_index\":", out);
			r[k].ni == UINT32_MAX ? fputs("null", out) : fprintf(out, "%" PRIu32, r[k].ni);
			fprintf(out, ",\"matched\":%s%s%s,\"bytes_differ\":%s", r[k].how ? "\"" : "",
				r[k].how ? r[k].how : "null", r[k].how ? "\"" : "",
				r[k].differ ? "true" : "false");
		} else {
			fprintf(out, ",\"bytes_differ\":%s", r[k].differ ? "true" : "false");
		}
		fputs(",\"old\":", out);
		r[k].oldsz < 0 ? fputs("null", out) : fprintf(out, "%" PRId64, r[k].oldsz);
		fputs(",\"new\":", out);
		r[k].newsz < 0 ? fputs("null", out) : fprintf(out, "%" PRId64, r[k].newsz);
		fprintf(out, ",\"delta\":%" PRId64 "}", delta(&r[k]));
	}
}

static bool load_side(struct side *s)
{
	struct wlab_error err = {0};
	if (wlab_refgraph_build(s->m, &s->g, &err) != WLAB_OK) {
		fprintf(stderr, "%s:0x%zx: error: %s\n", s->path, err.offset, err.message);
		return false;
	}
	s->nfuncs = s->g->count[WLAB_ITEM_FUNC];
	s->dw = wlab_dwarf_new(s->m);
	if (s->dw && (!wlab_dwarf_present(s->dw) || !wlab_dwarf_code_base(s->m, &s->code_base))) {
		wlab_dwarf_free(s->dw);
		s->dw = NULL;
	}
	s->match = sz_alloc(s->nfuncs + 1, sizeof *s->match);
	for (uint32_t f = 0; f < s->nfuncs; f++)
		s->match[f] = UINT32_MAX;
	return true;
}

/* Whether growing from old_size by d bytes passes --fail-above. */
static bool over_limit(const struct explore_opts *o, size_t old_size, int64_t d)
{
	if (!o->fail_above || d <= 0)
		return false;
	if (o->fail_pct)
		return (uint64_t)d * 10000 > o->fail_limit * (uint64_t)old_size;
	return (uint64_t)d > o->fail_limit;
}

static void print_text(const struct side *a, const struct side *b, const struct row *secs,
		       uint32_t nsecs, const struct row *funcs, uint32_t nfuncs,
		       const struct explore_opts *o, FILE *out)
{
	fprintf(out, "%10s %10s %10s  %s\n", "Old", "New", "Delta", "Section");
	for (uint32_t k = 0; k < nsecs; k++)
		text_row(out, &secs[k], false);
	fprintf(out, "\n%10s %10s %10s  Function (%" PRIu32 " old, %" PRIu32 " new; %" PRIu32
		     " changed, added or removed)\n", "Old", "New", "Delta", a->nfuncs, b->nfuncs, nfuncs);
	uint32_t shown = o->top && o->top < nfuncs ? o->top : nfuncs;
	for (uint32_t k = 0; k < shown; k++)
		text_row(out, &funcs[k], true);
	if (shown < nfuncs)
		fprintf(out, "(%" PRIu32 " more not shown: --top)\n", nfuncs - shown);
	int64_t d = (int64_t)b->m->size - (int64_t)a->m->size;
	char pct[32];
	uint64_t ad = d < 0 ? (uint64_t)-d : (uint64_t)d;
	sz_pct(pct, sizeof pct, ad, a->m->size);
	fprintf(out, "\nTotal: %zu -> %zu bytes (%+" PRId64 ", %s%s)\n", a->m->size, b->m->size, d,
		d < 0 ? "-" : "+", pct);
	fprintf(out, "Functions matched: %" PRIu32 " by name, %" PRIu32 " by index\n", a->by_name,
		a->by_index);
}

static void print_json(const struct side *a, const struct side *b, const struct row *secs,
		       uint32_t nsecs, const struct row *funcs, uint32_t nfuncs, bool over,
		       const struct explore_opts *o, FILE *out)
{
	int64_t d = (int64_t)b->m->size - (int64_t)a->m->size;
	fputs("{\"schema\":\"wlab-explore-diff/1\",\"old\":{\"file\":", out);
	explore_json_str(out, a->path);
	fprintf(out, ",\"size\":%zu,\"functions\":%" PRIu32 "},\"new\":{\"file\":", a->m->size, a->nfuncs);
	explore_json_str(out, b->path);
	fprintf(out, ",\"size\":%zu,\"functions\":%" PRIu32 "},\"delta\":%" PRId64, b->m->size,
		b->nfuncs, d);
	fputs(",\"sections\":[", out);
	json_rows(out, secs, nsecs, false);
	fputs("\n],\"functions\":[", out);
	json_rows(out, funcs, o->top && o->top < nfuncs ? o->top : nfuncs, true);
	fprintf(out, "\n],\"function_rows\":%" PRIu32 ",\"matched_by_name\":%" PRIu32
		     ",\"matched_by_index\":%" PRIu32 ",\"fail_above\":", nfuncs, a->by_name, a->by_index);
	if (o->fail_above)
		fprintf(out, "{\"limit\":%" PRIu64 ",\"percent\":%s,\"exceeded\":%s}", o->fail_limit,
			o->fail_pct ? "true" : "false", over ? "true" : "false");
	else
		fputs("null", out);
	fputs("}\n", out);
}

int explore_diff(const char *old_path, const struct wlab_module *old_m, const char *new_path,
		 const struct wlab_module *new_m, const struct explore_opts *o, FILE *out)
{
	struct side a = {.path = old_path, .m = old_m}, b = {.path = new_path, .m = new_m};
	int rc = 1;
	if (!load_side(&a) || !load_side(&b))
		goto out;
	uint32_t nfuncs, nsecs;
	struct row *funcs = func_rows(&a, &b, &nfuncs);
	struct row *secs = sz_alloc((size_t)old_m->nsections + new_m->nsections + 1, sizeof *secs);
	nsecs = add_sections(secs, 0, old_m, false);
	nsecs = add_sections(secs, nsecs, new_m, true);
	sections_differ(secs, nsecs, old_m, new_m);
	qsort(secs, nsecs, sizeof *secs, row_cmp);
	bool over = over_limit(o, old_m->size, (int64_t)new_m->size - (int64_t)old_m->size);
	if (o->json)
		print_json(&a, &b, secs, nsecs, funcs, nfuncs, over, o, out);
	else
		print_text(&a, &b, secs, nsecs, funcs, nfuncs, o, out);
	if (over)
		fprintf(stderr, "wlab-explore: %s grew by %" PRId64 " bytes, above --fail-above\n",
			new_path, (int64_t)new_m->size - (int64_t)old_m->size);
	rc = over;
	free(funcs);
	free(secs);
out:
	free(a.match);
	free(b.match);
	wlab_refgraph_free(a.g);
	wlab_refgraph_free(b.g);
	wlab_dwarf_free(a.dw);
	wlab_dwarf_free(b.dw);
	return rc;
}
