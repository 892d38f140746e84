/* bysource.c: --by-source, the bytes of the functions per source file.
 *
 * With DWARF (wlab/dwarf.h) a function's file is that of the outermost frame
 * at its first instructions (the subprogram, not what was inlined into it);
 * without DWARF, or for a function DWARF does not cover, its name's prefix
 * stands for the file: the namespaces of a demangled C++ or Rust name
 * (`std::__2`), else the first word of a C name with the underscores around
 * it (`wlab_`, `__wasi_`). The other items go in rows of their kind
 * ("(data segments)"...), section headers and the preamble in one, custom
 * sections in another, so the rows add up to the file's size. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "sizes.h"
#include "wlab/demangle.h"
#include "wlab/dwarf.h"
#include "wlab/instr.h"

struct src_row {
	char *name;
	uint64_t bytes, retained;
	uint32_t funcs;
};

struct src_rows {
	struct src_row *v;
	uint32_t n, cap;
};

static struct src_row *row_for(struct src_rows *r, const char *name)
{
	for (uint32_t k = 0; k < r->n; k++)  /* few rows: files, prefixes */
		if (strcmp(r->v[k].name, name) == 0)
			return &r->v[k];
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 64;
		r->v = realloc(r->v, r->cap * sizeof *r->v);
		if (!r->v) {
			fputs("wlab-explore: out of memory\n", stderr);
			exit(1);
		}
	}
	struct src_row *x = &r->v[r->n++];
	*x = (struct src_row){.name = strdup(name)};
	if (!x->name) {
		fputs("wlab-explore: out of memory\n", stderr);
		exit(1);
	}
	return x;
}

/* The outermost frame at one of the first 16 instructions of defined
 * function d that DWARF covers: its file and function (either may be NULL);
 * false when DWARF covers none of them. */
bool sz_dwarf_func(const struct wlab_module *m, struct wlab_dwarf *dw, uint32_t base, uint32_t d,
		   const char **file, const char **function)
{
	const struct wlab_code *c = &m->codes[d];
	struct wlab_instr_iter it;
	struct wlab_instr in;
	struct wlab_error err = {0};
	struct wlab_source_loc loc[32];
	bool found = false;
	wlab_instr_iter_init(&it, m->bytes, c->expr, m->features, &err);
	for (int k = 0; k < 16 && !found && !wlab_instr_iter_done(&it); k++) {
		if (wlab_instr_next(&it, &in) != WLAB_OK)
			break;
		uint32_t n = wlab_dwarf_lookup(dw, in.offset - base, loc, 32);
		if (n > 32)
			n = 32;
		if (n && (loc[n - 1].file || loc[0].file)) {
			*file = loc[n - 1].file ? loc[n - 1].file : loc[0].file;
			*function = loc[n - 1].function;
			found = true;
		}
	}
	wlab_instr_iter_fini(&it);
	return found;
}

static const char *dwarf_file(const struct sz_view *v, struct wlab_dwarf *dw, uint32_t base,
			      uint32_t d)
{
	const char *file = NULL, *function = NULL;
	return sz_dwarf_func(v->m, dw, base, d, &file, &function) ? file : NULL;
}

/* The name prefix standing for a function's file without DWARF. */
static void name_prefix(const char *name, char *out, size_t n)
{
	char dm[512];
	if (wlab_demangle(name, dm, sizeof dm) && strstr(dm, "::")) {
		/* the namespaces: up to the last "::" before any '(' or '<' */
		size_t stop = strcspn(dm, "(<"), last = 0;
		for (size_t k = 0; k + 1 < stop; k++)
			if (dm[k] == ':' && dm[k + 1] == ':')
				last = k;
		if (last) {
			snprintf(out, n, "%.*s::", (int)last, dm);
			return;
		}
	}
	size_t k = strspn(name, "_");
	k += strcspn(name + k, "_.$");
	if (name[k] == '_')
		k++;  /* "wlab_", "__wasi_": the word and its underscore */
	snprintf(out, n, "%.*s", (int)k, name);
}

static const char *const kind_rows[WLAB_ITEM_KIND_COUNT] = {
	[WLAB_ITEM_TABLE] = "(tables)", [WLAB_ITEM_MEMORY] = "(memories)",
	[WLAB_ITEM_GLOBAL] = "(globals)", [WLAB_ITEM_TAG] = "(tags)", [WLAB_ITEM_TYPE] = "(types)",
	[WLAB_ITEM_ELEM] = "(element segments)", [WLAB_ITEM_DATA] = "(data segments)",
	[WLAB_ITEM_EXPORT] = "(exports)", [WLAB_ITEM_START] = "(start)",
	[WLAB_ITEM_ROOT] = "(section headers and counts)",
	[WLAB_ITEM_META] = "(section headers and counts)",
};

/* Adds defined function item i (defined index d) to the row of its DWARF
 * compile unit, the one holding its first instruction, if any. */
static void add_unit(const struct sz_view *v, struct wlab_dwarf *dw, uint32_t base, uint32_t d,
		     uint32_t i, struct src_rows *units)
{
	uint32_t at = v->m->codes[d].expr.offset;
	const char *unit = at >= base ? wlab_dwarf_unit_at(dw, at - base) : NULL;
	if (!unit)
		return;
	struct src_row *r = row_for(units, unit);
	r->bytes += v->g->items[i].size;
	r->retained += v->mark[i] ? v->g->items[i].size : 0;
	r->funcs++;
}

static void collect(const struct sz_view *v, struct src_rows *rows, struct src_rows *units,
		    bool *dwarf_used, bool *dwarf_present)
{
	const struct wlab_refgraph *g = v->g;
	struct wlab_dwarf *dw = wlab_dwarf_new(v->m);
	uint32_t base = 0;
	bool dwarf = dw && wlab_dwarf_present(dw) && wlab_dwarf_code_base(v->m, &base);
	*dwarf_present = dw && wlab_dwarf_present(dw);
	char buf[600], pre[600];
	for (uint32_t i = 0; i < g->nitems; i++) {  /* the root: the preamble */
		const struct wlab_refitem *it = &g->items[i];
		const char *key = NULL;
		if (it->kind == WLAB_ITEM_FUNC) {
			uint32_t d = it->index - v->m->nimported_funcs;
			if (it->imported)
				key = "(imports)";
			else if (dwarf && d < v->m->ncodes)
				key = dwarf_file(v, dw, base, d);
			if (!it->imported && dwarf && d < v->m->ncodes)
				add_unit(v, dw, base, d, i, units);
			if (key && !it->imported)
				*dwarf_used = true;
			if (!key) {
				const struct wlab_str *nm = &g->names[i];
				snprintf(buf, sizeof buf, "%.*s", (int)nm->len, (const char *)nm->ptr);
				name_prefix(buf, pre, sizeof pre);
				key = nm->len ? pre : "(unnamed functions)";
			}
		} else if (it->kind == WLAB_ITEM_META && it->index < v->m->nsections &&
			   v->m->sections[it->index].id == WLAB_SEC_CUSTOM) {
			key = "(custom sections)";
		} else {
			key = kind_rows[it->kind];
		}
		if (!key || !it->size)
			continue;
		struct src_row *r = row_for(rows, key);
		r->bytes += it->size;
		r->retained += v->mark[i] ? it->size : 0;
		r->funcs += it->kind == WLAB_ITEM_FUNC;
	}
	wlab_dwarf_free(dw);
}

static int src_cmp(const void *x, const void *y)
{
	const struct src_row *a = x, *b = y;
	if (a->bytes != b->bytes)
		return a->bytes > b->bytes ? -1 : 1;
	return strcmp(a->name, b->name);
}

static void free_rows(struct src_rows *r)
{
	for (uint32_t k = 0; k < r->n; k++)
		free(r->v[k].name);
	free(r->v);
}

static void print_units(const struct sz_view *v, const struct src_rows *units)
{
	char pct[32];
	uint32_t shown = v->o->top && v->o->top < units->n ? v->o->top : units->n;
	if (v->o->json) {
		fputs(",\"units\":[", v->out);
		for (uint32_t k = 0; k < shown; k++) {
			fputs(k ? ",\n{\"unit\":" : "\n{\"unit\":", v->out);
			explore_json_str(v->out, units->v[k].name);
			fprintf(v->out, ",\"bytes\":%" PRIu64 ",\"reachable_bytes\":%" PRIu64
					",\"functions\":%" PRIu32 "}", units->v[k].bytes, units->v[k].retained,
				units->v[k].funcs);
		}
		fprintf(v->out, "\n],\"unit_count\":%" PRIu32, units->n);
		return;
	}
	if (!units->n)
		return;
	fputs("\n  Bytes │ Size % │ Reachable │ Functions │ Compile unit (DWARF)\n"
	      "────────┼────────┼───────────┼───────────┼───────\n", v->out);
	for (uint32_t k = 0; k < shown; k++) {
		sz_pct(pct, sizeof pct, units->v[k].bytes, v->m->size);
		fprintf(v->out, "%7" PRIu64 " ┊ %6s ┊ %9" PRIu64 " ┊ %9" PRIu32 " ┊ %s\n", units->v[k].bytes,
			pct, units->v[k].retained, units->v[k].funcs, units->v[k].name);
	}
	if (shown < units->n)
		fprintf(v->out, "(%" PRIu32 " more units not shown: --top)\n", units->n - shown);
}

int explore_by_source(const struct sz_view *v)
{
	struct src_rows rows = {0}, units = {0};
	bool dwarf = false, present = false;
	collect(v, &rows, &units, &dwarf, &present);
	qsort(rows.v, rows.n, sizeof *rows.v, src_cmp);
	if (units.n)
		qsort(units.v, units.n, sizeof *units.v, src_cmp);
	uint32_t shown = v->o->top && v->o->top < rows.n ? v->o->top : rows.n;
	char pct[32];
	if (v->o->json) {
		fputs("{\"schema\":\"wlab-explore-by-source/1\",\"file\":", v->out);
		explore_json_str(v->out, v->path);
		fprintf(v->out, ",\"size\":%zu,\"dwarf\":%s,\"items_bytes\":%" PRIu64 ",\"rows\":[",
			v->m->size, dwarf ? "true" : "false", v->g->total);
		for (uint32_t k = 0; k < shown; k++) {
			fputs(k ? ",\n{\"source\":" : "\n{\"source\":", v->out);
			explore_json_str(v->out, rows.v[k].name);
			fprintf(v->out, ",\"bytes\":%" PRIu64 ",\"reachable_bytes\":%" PRIu64
					",\"functions\":%" PRIu32 "}", rows.v[k].bytes, rows.v[k].retained,
				rows.v[k].funcs);
		}
		fprintf(v->out, "\n],\"row_count\":%" PRIu32, rows.n);
		print_units(v, &units);
		fputs("}\n", v->out);
	} else {
		fprintf(v->out, "  Bytes │ Size %% │ Reachable │ Functions │ Source (%s)\n"
				"────────┼────────┼───────────┼───────────┼───────\n",
			dwarf     ? "DWARF, else name prefixes"
			: present ? "name prefixes: the DWARF places no function (stale addresses?)"
				  : "name prefixes: no DWARF");
		for (uint32_t k = 0; k < shown; k++) {
			sz_pct(pct, sizeof pct, rows.v[k].bytes, v->m->size);
			fprintf(v->out, "%7" PRIu64 " ┊ %6s ┊ %9" PRIu64 " ┊ %9" PRIu32 " ┊ %s\n",
				rows.v[k].bytes, pct, rows.v[k].retained, rows.v[k].funcs, rows.v[k].name);
		}
		if (shown < rows.n)
			fprintf(v->out, "(%" PRIu32 " more rows not shown: --top)\n", rows.n - shown);
		print_units(v, &units);
	}
	free_rows(&rows);
	free_rows(&units);
	return 0;
}
