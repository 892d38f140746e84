/* dwarf.c: the DWARF reader's object: finding the sections, warnings,
 * parsing on the first query, and the source lookup. */
#include "dwarf_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const dw_section_names[DW_SEC_COUNT] = {
#define WLAB_DW_SECTION(cname, name) name,
#include "dwarf_sections.def"
#undef WLAB_DW_SECTION
};

struct wlab_dwarf *wlab_dwarf_new(const struct wlab_module *m)
{
	struct wlab_dwarf *d = calloc(1, sizeof *d);
	if (!d)
		return NULL;
	d->m = m;
	for (uint32_t i = 0; i < m->nsections; i++) {
		const struct wlab_section *s = &m->sections[i];
		if (s->id != WLAB_SEC_CUSTOM)
			continue;
		for (int k = 0; k < DW_SEC_COUNT; k++) {
			size_t n = strlen(dw_section_names[k]);
			/* The first section of a name wins, as in LLVM's reader. */
			if (s->name.len != n || memcmp(s->name.ptr, dw_section_names[k], n) ||
			    d->sec[k].present)
				continue;
			d->sec[k].present = true;
			d->sec[k].bytes = m->bytes + s->content.offset;
			d->sec[k].size = s->content.size;
			d->sec[k].file_offset = s->content.offset;
		}
	}
	return d;
}

void wlab_dwarf_free(struct wlab_dwarf *d)
{
	if (!d)
		return;
	for (uint32_t i = 0; i < d->nabbrevs; i++) {
		for (uint32_t k = 0; k < d->abbrevs[i].n; k++)
			free(d->abbrevs[i].v[k].attrs);
		free(d->abbrevs[i].v);
	}
	for (uint32_t i = 0; i < d->ntables; i++) {
		free(d->tables[i].rows);
		for (uint32_t k = 0; k < d->tables[i].pub.nfiles; k++)
			free(d->tables[i].files[k]);
		free(d->tables[i].files);
		free(d->tables[i].seqs);
	}
	free(d->abbrevs);
	free(d->cus);
	free(d->scopes);
	free(d->ranges);
	free(d->tables);
	free(d->spans);
	free(d);
}

void wlab_dwarf_set_warn(struct wlab_dwarf *d, wlab_dwarf_warn_fn fn, void *ctx)
{
	d->warn = fn;
	d->warn_ctx = ctx;
}

bool wlab_dwarf_present(const struct wlab_dwarf *d)
{
	return d->sec[DW_SEC_LINE].present || d->sec[DW_SEC_INFO].present;
}

bool wlab_dwarf_code_base(const struct wlab_module *m, uint32_t *base)
{
	for (uint32_t i = 0; i < m->nsections; i++)
		if (m->sections[i].id == WLAB_SEC_CODE) {
			*base = m->sections[i].payload.offset;
			return true;
		}
	return false;
}

void dw_warn(struct wlab_dwarf *d, enum dw_sec sec, uint64_t offset, const char *fmt, ...)
{
	char msg[WLAB_MESSAGE_MAX];
	va_list ap;
	if (!d->warn)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	d->warn(d->warn_ctx, dw_section_names[sec], offset, d->sec[sec].file_offset + offset,
		msg);
}

bool dw_grow(struct wlab_dwarf *d, void **v, uint32_t *cap, uint32_t n, size_t elem)
{
	if (n < *cap)
		return true;
	uint32_t ncap = *cap ? *cap * 2 : 16;
	if (ncap <= n || (size_t)ncap > SIZE_MAX / elem) {
		d->nomem = true;
		return false;
	}
	void *p = realloc(*v, (size_t)ncap * elem);
	if (!p) {
		d->nomem = true;
		return false;
	}
	*v = p;
	*cap = ncap;
	return true;
}

void dw_reader(const struct wlab_dwarf *d, enum dw_sec sec, struct wlab_reader *r,
	       struct wlab_error *err)
{
	wlab_reader_init(r, d->sec[sec].bytes, (size_t)d->sec[sec].size, err);
}

static void parse(struct wlab_dwarf *d)
{
	if (d->parsed)
		return;
	d->parsed = true;
	dw_parse_info(d);
	dw_parse_lines(d);
	dw_build_spans(d);
	if (d->nomem)
		dw_warn(d, DW_SEC_INFO, 0, "out of memory: source information is incomplete");
}

uint32_t wlab_dwarf_line_table_count(struct wlab_dwarf *d)
{
	parse(d);
	return d->ntables;
}

bool wlab_dwarf_line_table(struct wlab_dwarf *d, uint32_t i, struct wlab_line_table *out)
{
	parse(d);
	if (i >= d->ntables)
		return false;
	*out = d->tables[i].pub;
	return true;
}

/* The compile unit whose ranges hold addr, or -1. */
static int64_t find_cu(const struct wlab_dwarf *d, uint64_t addr)
{
	uint32_t lo = 0, hi = d->nspans;
	while (lo < hi) {  /* the first span with high > addr */
		uint32_t mid = lo + (hi - lo) / 2;
		if (d->spans[mid].high <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < d->nspans && d->spans[lo].low <= addr)
		return d->spans[lo].cu;
	return -1;
}

const char *wlab_dwarf_unit_at(struct wlab_dwarf *d, uint64_t addr)
{
	if (!d)
		return NULL;
	parse(d);
	int64_t cu = find_cu(d, addr);
	return cu < 0 ? NULL : d->cus[cu].name;
}

/* The row of table t for addr (LLVM's lookupAddress): the first sequence,
 * by end address, ending after addr, if it starts at or before addr; in it
 * the last row at or before addr. */
static const struct wlab_line_row *find_row(const struct dw_table *t, uint64_t addr)
{
	uint32_t lo = 0, hi = t->nseqs;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (t->seqs[mid].high <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == t->nseqs)
		return NULL;
	const struct dw_seq *s = &t->seqs[lo];
	if (addr < s->low)
		return NULL;
	/* upper_bound over rows (first, last - 1), minus one */
	uint32_t a = s->first + 1, b = s->last - 1;
	while (a < b) {
		uint32_t mid = a + (b - a) / 2;
		if (t->rows[mid].address <= addr)
			a = mid + 1;
		else
			b = mid;
	}
	return &t->rows[a - 1];
}

static bool scope_holds(const struct wlab_dwarf *d, const struct dw_scope *s, uint64_t addr)
{
	for (uint32_t k = 0; k < s->nranges; k++) {
		const struct dw_range *r = &d->ranges[s->first_range + k];
		if (r->low <= addr && addr < r->high)
			return true;
	}
	return false;
}

static const char *table_file(const struct wlab_dwarf *d, const struct dw_cu *cu,
			      uint32_t file)
{
	if (cu->table < 0)
		return NULL;
	const struct dw_table *t = &d->tables[cu->table];
	return file < t->pub.nfiles ? t->files[file] : NULL;
}

uint32_t wlab_dwarf_lookup(struct wlab_dwarf *d, uint64_t addr,
			   struct wlab_source_loc *out, uint32_t max)
{
	parse(d);
	int64_t ci = find_cu(d, addr);
	if (ci < 0)
		return 0;
	const struct dw_cu *cu = &d->cus[ci];
	struct wlab_source_loc first = {0};
	if (cu->table >= 0) {
		const struct dw_table *t = &d->tables[cu->table];
		const struct wlab_line_row *row = find_row(t, addr);
		if (row) {
			first.file = row->file < t->pub.nfiles ? t->files[row->file] : NULL;
			first.line = row->line;
			first.column = row->column;
		}
	}
	/* The innermost scope: the last one, in DIE order, that holds addr
	 * (children follow their parents). */
	int64_t inner = -1;
	for (uint32_t k = cu->nscopes; k-- > 0;)
		if (scope_holds(d, &d->scopes[cu->first_scope + k], addr)) {
			inner = cu->first_scope + k;
			break;
		}
	uint32_t n = 0;
	struct wlab_source_loc cur = first;
	for (int64_t s = inner; s >= 0; s = d->scopes[s].parent) {
		struct dw_scope *sc = &d->scopes[s];
		cur.function = dw_scope_function(d, sc);
		cur.inlined = sc->inlined;
		if (n < max)
			out[n] = cur;
		n++;
		if (!sc->inlined)
			break;
		cur.file = table_file(d, cu, sc->call_file);
		cur.line = sc->call_line;
		cur.column = sc->call_column;
	}
	if (n == 0) {
		if (max)
			out[0] = first;
		n = 1;
	}
	return n;
}
