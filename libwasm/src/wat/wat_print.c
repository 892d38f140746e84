/* wat_print.c: the text printer's entry point and the module's fields in
 * section order, as wasm2wat prints them. */
#include <stdlib.h>

#include "wat_print_internal.h"

void wp_newline(struct wp *p)
{
	static const char spaces[] = "\n                                                                ";
	uint32_t n = p->indent;
	if (n <= 64) {
		wp_write(p, spaces, n + 1);
		return;
	}
	wp_write(p, spaces, 1);
	while (n > 64) {
		wp_write(p, spaces + 1, 64);
		n -= 64;
	}
	wp_write(p, spaces + 1, n);
}

void wp_iter(struct wp *p, struct wlab_span span, struct wlab_error *err)
{
	struct wlab_instr_iter keep = p->it;
	wlab_instr_iter_init(&p->it, p->m->bytes, span, p->m->features, err);
	p->it.targets = keep.targets;
	p->it.targets_cap = keep.targets_cap;
	p->it.types = keep.types;
	p->it.types_cap = keep.types_cap;
	p->it.catches = keep.catches;
	p->it.catches_cap = keep.catches_cap;
}

void wp_string(struct wp *p, const uint8_t *s, uint32_t len)
{
	static const char hex[] = "0123456789abcdef";
	wp_putc(p, '"');
	for (uint32_t i = 0; i < len; i++) {
		uint8_t c = s[i];
		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
			wlab_buf_u8(p->out, c);
		} else {
			char e[3] = {'\\', hex[c >> 4], hex[c & 15]};
			wlab_buf_bytes(p->out, e, 3);
		}
	}
	wp_putc(p, '"');
}

void wp_heaptype(struct wp *p, wlab_heaptype_t h)
{
	if (wlab_heap_is_concrete(h)) {
		wp_ref(p, WP_TYPE, wlab_heap_index(h));
		return;
	}
	const char *n = wlab_heap_name(h);
	wp_puts(p, n ? n : "?");
}

void wp_valtype(struct wp *p, wlab_valtype_t t)
{
	char buf[64];
	if (wlab_type_is_ref(t) && (!wlab_ref_nullable(t) || wlab_heap_is_concrete(wlab_ref_heap(t)))) {
		wp_puts(p, wlab_ref_nullable(t) ? "(ref null " : "(ref ");
		wp_heaptype(p, wlab_ref_heap(t));
		wp_putc(p, ')');
		return;
	}
	wp_puts(p, wlab_type_str(t, buf, sizeof buf));
}

void wp_types(struct wp *p, const char *kw, uint32_t n, const wlab_valtype_t *t)
{
	if (!n)
		return;
	wp_puts(p, " (");
	wp_puts(p, kw);
	for (uint32_t i = 0; i < n; i++) {
		wp_putc(p, ' ');
		wp_valtype(p, t[i]);
	}
	wp_putc(p, ')');
}

void wp_sig(struct wp *p, uint32_t typeidx)
{
	if (typeidx >= p->m->ntypes)
		return;
	const struct wlab_functype *ft = &p->m->types[typeidx];
	wp_types(p, "param", ft->nparams, ft->params);
	wp_types(p, "result", ft->nresults, ft->results);
}

/* "  (" at the module's indentation. */
static void field(struct wp *p, const char *kw)
{
	p->indent = 2;
	wp_newline(p);
	wp_putc(p, '(');
	wp_puts(p, kw);
}

/* A struct field's or array element's type: (mut t) or t. */
static void fieldtype(struct wp *p, const struct wlab_fieldtype *f)
{
	wp_puts(p, f->mut ? "(mut " : "");
	wp_valtype(p, f->type);
	wp_puts(p, f->mut ? ")" : "");
}

static void comptype(struct wp *p, uint32_t i)
{
	const struct wlab_functype *ft = &p->m->types[i];
	if (ft->form == WLAB_FORM_STRUCT) {
		wp_puts(p, " (struct");
		for (uint32_t k = 0; k < ft->nfields; k++) {
			wp_puts(p, " (field");
			wp_field_def(p, i, k);
			wp_putc(p, ' ');
			fieldtype(p, &ft->fields[k]);
			wp_putc(p, ')');
		}
	} else if (ft->form == WLAB_FORM_ARRAY && ft->nfields == 1) {
		wp_puts(p, " (array ");
		fieldtype(p, &ft->fields[0]);
	} else {
		wp_puts(p, " (func");
		wp_sig(p, i);
	}
	wp_putc(p, ')');
}

/* Each type, and a rec group's in (rec ...) one level deeper. */
static void types(struct wp *p)
{
	const struct wlab_module *m = p->m;
	for (uint32_t i = 0; i < m->ntypes; i++) {
		const struct wlab_functype *ft = &m->types[i];
		bool group = ft->rec_start <= i && ft->rec_size <= m->ntypes - ft->rec_start &&
			     (ft->rec_size > 1 || ft->rec);
		if (group && ft->rec_start == i)
			field(p, "rec");
		if (group) {
			p->indent = 4;
			wp_newline(p);
			wp_puts(p, "(type");
		} else {
			field(p, "type");
		}
		wp_def(p, WP_TYPE, i);
		bool sub = ft->has_super || !ft->final || ft->sub;
		if (sub) {
			wp_puts(p, ft->final ? " (sub final" : " (sub");
			if (ft->has_super) {
				wp_putc(p, ' ');
				wp_ref(p, WP_TYPE, ft->super);
			}
		}
		comptype(p, i);
		wp_puts(p, sub ? ")" : "");
		wp_putc(p, ')');
		if (group && i + 1 == ft->rec_start + ft->rec_size)
			wp_putc(p, ')');
	}
}

static void limits(struct wp *p, const struct wlab_limits *l)
{
	if (l->is64)
		wp_puts(p, " i64");
	wp_putc(p, ' ');
	wp_u64(p, l->min);
	if (l->has_max) {
		wp_putc(p, ' ');
		wp_u64(p, l->max);
	}
	if (l->shared)
		wp_puts(p, " shared");
}

static void tabletype(struct wp *p, const struct wlab_tabletype *t)
{
	limits(p, &t->limits);
	wp_putc(p, ' ');
	wp_valtype(p, t->elemtype);
}

static void globaltype(struct wp *p, const struct wlab_globaltype *g)
{
	wp_putc(p, ' ');
	if (g->mut)
		wp_puts(p, "(mut ");
	wp_valtype(p, g->valtype);
	if (g->mut)
		wp_putc(p, ')');
}

static void tagtype(struct wp *p, const struct wlab_tagtype *t)
{
	wp_puts(p, " (type ");
	wp_ref(p, WP_TYPE, t->type_index);
	wp_putc(p, ')');
	wp_sig(p, t->type_index);
}

static const enum wp_space kind_space[] = {WP_FUNC, WP_TABLE, WP_MEMORY, WP_GLOBAL, WP_TAG};

static uint32_t imported_count(const struct wlab_module *m, uint8_t kind)
{
	switch (kind) {
	case WLAB_EXTERN_FUNC: return m->nimported_funcs;
	case WLAB_EXTERN_TABLE: return m->nimported_tables;
	case WLAB_EXTERN_MEMORY: return m->nimported_memories;
	case WLAB_EXTERN_GLOBAL: return m->nimported_globals;
	default: return m->nimported_tags;
	}
}

/* Is export ex written inside its field? */
static bool export_inlined(const struct wp *p, const struct wlab_export *ex)
{
	if (!(p->flags & WLAB_WAT_INLINE_EXPORTS) || ex->kind > WLAB_EXTERN_TAG ||
	    ex->index >= p->names[kind_space[ex->kind]].count)
		return false;
	return ex->index >= imported_count(p->m, ex->kind) ||
	       (p->flags & WLAB_WAT_INLINE_IMPORTS);
}

/* WLAB_WAT_INLINE_EXPORTS: each entry's exports, in export order. */
static enum wlab_status exports_index(struct wp *p)
{
	const struct wlab_module *m = p->m;
	if (!(p->flags & WLAB_WAT_INLINE_EXPORTS) || !m->nexports)
		return WLAB_OK;
	if (!(p->export_next = malloc((size_t)m->nexports * sizeof *p->export_next)))
		return WLAB_NOMEM;
	for (uint8_t k = 0; k <= WLAB_EXTERN_TAG; k++) {
		uint32_t n = p->names[kind_space[k]].count;
		if (!(p->export_first[k] = malloc(((size_t)n + 1) * sizeof(uint32_t))))
			return WLAB_NOMEM;
		memset(p->export_first[k], 0xff, ((size_t)n + 1) * sizeof(uint32_t));
	}
	for (uint32_t i = m->nexports; i-- > 0;) {
		const struct wlab_export *ex = &m->exports[i];
		if (!export_inlined(p, ex))
			continue;
		p->export_next[i] = p->export_first[ex->kind][ex->index];
		p->export_first[ex->kind][ex->index] = i;
	}
	return WLAB_OK;
}

void wp_inline_exports(struct wp *p, uint8_t kind, uint32_t idx)
{
	if (kind > WLAB_EXTERN_TAG || !p->export_first[kind] ||
	    idx >= p->names[kind_space[kind]].count)
		return;
	for (uint32_t e = p->export_first[kind][idx]; e != UINT32_MAX; e = p->export_next[e]) {
		wp_puts(p, " (export ");
		wp_string(p, p->m->exports[e].name.ptr, p->m->exports[e].name.len);
		wp_putc(p, ')');
	}
}

/* Each import as (import "m" "f" (func ...)), or with
 * WLAB_WAT_INLINE_IMPORTS as its field: (func (;0;) (import "m" "f") ...),
 * which also shows a function's params and results. */
static void imports(struct wp *p)
{
	const struct wlab_module *m = p->m;
	static const char *const kw[] = {"func", "table", "memory", "global", "tag"};
	bool inl = p->flags & WLAB_WAT_INLINE_IMPORTS;
	for (uint32_t i = 0; i < m->nimports; i++) {
		const struct wlab_import *im = &m->imports[i];
		if (im->kind > WLAB_EXTERN_TAG)
			continue;
		if (inl) {
			field(p, kw[im->kind]);
			wp_def(p, kind_space[im->kind], im->kind_index);
			wp_inline_exports(p, im->kind, im->kind_index);
			wp_puts(p, " (import ");
		} else {
			field(p, "import ");
		}
		wp_string(p, im->module.ptr, im->module.len);
		wp_putc(p, ' ');
		wp_string(p, im->field.ptr, im->field.len);
		if (inl) {
			wp_putc(p, ')');
		} else {
			wp_puts(p, " (");
			wp_puts(p, kw[im->kind]);
			wp_def(p, kind_space[im->kind], im->kind_index);
		}
		switch (im->kind) {
		case WLAB_EXTERN_FUNC:
			wp_puts(p, " (type ");
			wp_ref(p, WP_TYPE, im->u.func_type);
			wp_putc(p, ')');
			if (inl)
				wp_sig(p, im->u.func_type);
			break;
		case WLAB_EXTERN_TABLE: tabletype(p, &im->u.table); break;
		case WLAB_EXTERN_MEMORY: limits(p, &im->u.memory); break;
		case WLAB_EXTERN_GLOBAL: globaltype(p, &im->u.global); break;
		case WLAB_EXTERN_TAG: tagtype(p, &im->u.tag); break;
		}
		wp_puts(p, inl ? ")" : "))");
	}
}

/* Each instruction of a constant expression but its final end, between
 * before and after; *n (if not NULL) counts them, printing nothing. */
static enum wlab_status const_instrs(struct wp *p, struct wlab_expr e, const char *before,
				     const char *after, uint32_t *n)
{
	struct wlab_instr in;
	wp_iter(p, e.span, p->err);
	while (!wlab_instr_iter_done(&p->it)) {
		if (wlab_instr_next(&p->it, &in))
			return WLAB_MALFORMED;
		if (in.op == WLAB_OP_END && wlab_instr_iter_done(&p->it))
			break;
		if (n) {
			++*n;
			continue;
		}
		wp_puts(p, before);
		wp_instr(p, &in);
		wp_puts(p, after);
	}
	return WLAB_OK;
}

enum wlab_status wp_const_expr(struct wp *p, struct wlab_expr e)
{
	return const_instrs(p, e, " (", ")", NULL);
}

/* An offset or element item: one instruction folded, as wasm2wat prints it
 * (none, in an invalid module, prints nothing, as there); several (extended
 * constant expressions) inside (KEYWORD ...), where the folded abbreviation
 * would read as several items or offsets. */
static enum wlab_status const_expr_as(struct wp *p, struct wlab_expr e, const char *keyword)
{
	uint32_t n = 0;
	enum wlab_status st = const_instrs(p, e, NULL, NULL, &n);
	if (st || n <= 1)
		return st ? st : wp_const_expr(p, e);
	wp_puts(p, " (");
	wp_puts(p, keyword);
	st = const_instrs(p, e, " ", "", NULL);
	wp_putc(p, ')');
	return st;
}

static enum wlab_status tables(struct wp *p)
{
	const struct wlab_module *m = p->m;
	for (uint32_t i = 0; i < m->ntables; i++) {
		field(p, "table");
		wp_def(p, WP_TABLE, m->nimported_tables + i);
		wp_inline_exports(p, WLAB_EXTERN_TABLE, m->nimported_tables + i);
		tabletype(p, &m->tables[i].type);
		if (m->tables[i].has_init && wp_const_expr(p, m->tables[i].init))
			return WLAB_MALFORMED;
		wp_putc(p, ')');
	}
	return WLAB_OK;
}

static enum wlab_status globals(struct wp *p)
{
	const struct wlab_module *m = p->m;
	for (uint32_t i = 0; i < m->nglobals; i++) {
		field(p, "global");
		wp_def(p, WP_GLOBAL, m->nimported_globals + i);
		wp_inline_exports(p, WLAB_EXTERN_GLOBAL, m->nimported_globals + i);
		globaltype(p, &m->globals[i].type);
		if (wp_const_expr(p, m->globals[i].init))
			return WLAB_MALFORMED;
		wp_putc(p, ')');
	}
	return WLAB_OK;
}

static void exports(struct wp *p)
{
	const struct wlab_module *m = p->m;
	static const char *const kw[] = {" (func ", " (table ", " (memory ", " (global ", " (tag "};
	for (uint32_t i = 0; i < m->nexports; i++) {
		const struct wlab_export *ex = &m->exports[i];
		if (ex->kind > WLAB_EXTERN_TAG || export_inlined(p, ex))
			continue;
		field(p, "export ");
		wp_string(p, ex->name.ptr, ex->name.len);
		wp_puts(p, kw[ex->kind]);
		wp_ref(p, kind_space[ex->kind], ex->index);
		wp_puts(p, "))");
	}
}

/* The function of an item `ref.func F end`, or UINT32_MAX for another item. */
static uint32_t ref_func_of(struct wp *p, struct wlab_expr e)
{
	struct wlab_instr in, end;
	wp_iter(p, e.span, NULL);
	if (wlab_instr_next(&p->it, &in) || in.op != WLAB_OP_REF_FUNC ||
	    wlab_instr_next(&p->it, &end) || end.op != WLAB_OP_END || !wlab_instr_iter_done(&p->it))
		return UINT32_MAX;
	return in.index;
}

/* wasm2wat writes a funcref segment of ref.func items as function indices. */
static bool all_ref_func(struct wp *p, const struct wlab_elem *el)
{
	if (el->elemtype != WLAB_HT_FUNC)
		return false;
	for (uint32_t j = 0; j < el->count; j++)
		if (ref_func_of(p, el->exprs[j]) == UINT32_MAX)
			return false;
	return true;
}

/* The segments. In a module without tables an item is written with
 * indices, names or not, as wasm2wat 1.0.32 writes it (it finds names for
 * a segment's items after its table, and gives up where there is none). */
static enum wlab_status elems(struct wp *p)
{
	const struct wlab_module *m = p->m;
	bool indices = wlab_module_table_count(m) == 0;
	for (uint32_t i = 0; i < m->nelems; i++) {
		const struct wlab_elem *el = &m->elems[i];
		bool funcs = !el->uses_exprs || all_ref_func(p, el);
		field(p, "elem");
		wp_def(p, WP_ELEM, i);
		if (el->mode == WLAB_SEGMENT_ACTIVE) {
			/* flags 0 and 4 imply table 0 and funcref: else the table is said */
			if (el->table || (!funcs && el->elemtype != WLAB_HT_FUNC)) {
				wp_puts(p, " (table ");
				wp_ref(p, WP_TABLE, el->table);
				wp_putc(p, ')');
			}
			if (const_expr_as(p, el->offset, "offset"))
				return WLAB_MALFORMED;
		} else if (el->mode == WLAB_SEGMENT_DECLARATIVE) {
			wp_puts(p, " declare");
		}
		p->indices = indices;
		if (funcs) {
			wp_puts(p, " func");
			for (uint32_t j = 0; j < el->count; j++) {
				wp_putc(p, ' ');
				wp_ref(p, WP_FUNC, el->uses_exprs ? ref_func_of(p, el->exprs[j]) : el->funcs[j]);
			}
		} else {
			wp_putc(p, ' ');
			wp_valtype(p, el->elemtype);
			for (uint32_t j = 0; j < el->count; j++)
				if (const_expr_as(p, el->exprs[j], "item")) {
					p->indices = false;
					return WLAB_MALFORMED;
				}
		}
		p->indices = false;
		wp_putc(p, ')');
	}
	return WLAB_OK;
}

static enum wlab_status datas(struct wp *p)
{
	const struct wlab_module *m = p->m;
	for (uint32_t i = 0; i < m->ndatas; i++) {
		const struct wlab_data *d = &m->datas[i];
		field(p, "data");
		wp_def(p, WP_DATA, i);
		if (d->mode == WLAB_SEGMENT_ACTIVE) {
			if (d->memory) {
				wp_puts(p, " (memory ");
				wp_ref(p, WP_MEMORY, d->memory);
				wp_putc(p, ')');
			}
			if (const_expr_as(p, d->offset, "offset"))
				return WLAB_MALFORMED;
		}
		wp_putc(p, ' ');
		wp_string(p, m->bytes + d->bytes.offset, d->bytes.size);
		wp_putc(p, ')');
	}
	return WLAB_OK;
}

/* The section keyword of a placement (wat_custom.c reads them back). */
static const char *section_keyword(uint8_t id)
{
	static const char *const names[] = {
		[WLAB_SEC_TYPE] = "type", [WLAB_SEC_IMPORT] = "import",
		[WLAB_SEC_FUNCTION] = "func", [WLAB_SEC_TABLE] = "table",
		[WLAB_SEC_MEMORY] = "memory", [WLAB_SEC_GLOBAL] = "global",
		[WLAB_SEC_EXPORT] = "export", [WLAB_SEC_START] = "start",
		[WLAB_SEC_ELEM] = "elem", [WLAB_SEC_CODE] = "code", [WLAB_SEC_DATA] = "data",
		[WLAB_SEC_DATACOUNT] = "datacount", [WLAB_SEC_TAG] = "tag",
	};
	return id < sizeof names / sizeof names[0] ? names[id] : NULL;
}

/* WLAB_WAT_CUSTOM: each custom section as (@custom "name" (after SEC)
 * "bytes"), placed after the non-empty known section it follows in the
 * file, or (before first); the name section too (its names are also the
 * $ids); the branch hint section too, unless it is printed as annotations
 * (wat_print_hints.c). */
static void customs(struct wp *p)
{
	const struct wlab_module *m = p->m;
	const char *after = NULL;
	for (uint32_t i = 0; i < m->nsections; i++) {
		const struct wlab_section *s = &m->sections[i];
		if (s->id != 0) {
			/* an empty section has no text: the parser writes none */
			if (s->count || s->id == WLAB_SEC_START || s->id == WLAB_SEC_DATACOUNT)
				after = section_keyword(s->id);
			continue;
		}
		if (p->hints && p->hints->section_index == i)
			continue;  /* printed as annotations in the code */
		field(p, "@custom ");
		wp_string(p, s->name.ptr, s->name.len);
		wp_puts(p, after ? " (after " : " (before first");
		if (after)
			wp_puts(p, after);
		wp_puts(p, ") ");
		wp_string(p, m->bytes + s->content.offset, s->content.size);
		wp_putc(p, ')');
	}
}

static enum wlab_status module(struct wp *p)
{
	const struct wlab_module *m = p->m;
	wp_puts(p, "(module");
	if (p->module_name) {
		wp_putc(p, ' ');
		wp_puts(p, p->module_name);
	}
	types(p);
	imports(p);
	for (uint32_t i = 0; i < m->nfuncs; i++)
		if (wp_func(p, i))
			return p->err->status;
	if (tables(p))
		return p->err->status;
	for (uint32_t i = 0; i < m->nmemories; i++) {
		field(p, "memory");
		wp_def(p, WP_MEMORY, m->nimported_memories + i);
		wp_inline_exports(p, WLAB_EXTERN_MEMORY, m->nimported_memories + i);
		limits(p, &m->memories[i].limits);
		wp_putc(p, ')');
	}
	for (uint32_t i = 0; i < m->ntags; i++) {
		field(p, "tag");
		wp_def(p, WP_TAG, m->nimported_tags + i);
		wp_inline_exports(p, WLAB_EXTERN_TAG, m->nimported_tags + i);
		tagtype(p, &m->tags[i].type);
		wp_putc(p, ')');
	}
	if (globals(p))
		return p->err->status;
	exports(p);
	if (m->has_start) {
		field(p, "start ");
		wp_ref(p, WP_FUNC, m->start);
		wp_putc(p, ')');
	}
	if (elems(p) || datas(p))
		return p->err->status;
	if (p->flags & WLAB_WAT_CUSTOM)
		customs(p);
	wp_puts(p, ")\n");
	return WLAB_OK;
}

void wp_spill(struct wp *p, const void *s, size_t n)
{
	struct wlab_buf *b = p->out;
	if (p->sink && b->size) {
		if (!p->sink_failed && !p->sink(p->sink_ctx, (const char *)b->data, b->size))
			p->sink_failed = true;
		b->size = 0;
	}
	if (b->cap - b->size >= n) {
		memcpy(b->data + b->size, s, n);
		b->size += n;
	} else {
		wlab_buf_bytes(b, s, n);
	}
}

/* Prints m into buf, through sink when it is not NULL. */
static enum wlab_status print(const struct wlab_module *m, const struct wlab_wat_print_options *opts,
			      struct wlab_buf *buf, wlab_wat_write_fn sink, void *ctx,
			      struct wlab_error *err)
{
	struct wp p;
	enum wlab_status st;
	memset(&p, 0, sizeof p);
	p.m = m;
	p.flags = opts ? opts->flags : 0;
	p.out = buf;
	p.err = err;
	p.sink = sink;
	p.sink_ctx = ctx;
	for (uint16_t op = 0; op < WLAB_OP_COUNT; op++)
		p.natural[op] = (uint8_t)wlab_op_natural_align(op);
	for (uint16_t op = 0; op < WLAB_OP_COUNT; op++)
		p.namelen[op] = (uint8_t)strlen(wlab_opinfo(op)->name);
	wp_hints_init(&p);
	st = wp_names_init(&p);
	if (!st)
		st = exports_index(&p);
	if (st)
		wlab_error_set(err, st, 0, "out of memory");
	else
		st = module(&p);
	wlab_instr_iter_fini(&p.it);
	wp_fold_free(&p);
	wp_names_free(&p);
	free(p.labels);
	for (int k = 0; k <= WLAB_EXTERN_TAG; k++)
		free(p.export_first[k]);
	free(p.export_next);
	if (!st && !wlab_buf_ok(buf))
		st = wlab_error_set(err, WLAB_NOMEM, 0, "out of memory");
	if (!st && sink && buf->size && !p.sink_failed &&
	    !sink(ctx, (const char *)buf->data, buf->size))
		p.sink_failed = true;
	if (!st && p.sink_failed)
		st = wlab_error_set(err, WLAB_IO, 0, "write error");
	return st;
}

enum wlab_status wlab_wat_print(const struct wlab_module *m,
				const struct wlab_wat_print_options *opts,
				char **out, size_t *len, struct wlab_error *err)
{
	struct wlab_buf buf = {0};
	*out = NULL;
	*len = 0;
	enum wlab_status st = print(m, opts, &buf, NULL, NULL, err);
	wlab_buf_u8(&buf, 0);
	if (!st && !wlab_buf_ok(&buf))
		st = wlab_error_set(err, WLAB_NOMEM, 0, "out of memory");
	if (st) {
		wlab_buf_free(&buf);
		return st;
	}
	size_t size;
	*out = (char *)wlab_buf_take(&buf, &size);
	*len = size - 1;
	return WLAB_OK;
}

enum wlab_status wlab_wat_print_to(const struct wlab_module *m,
				   const struct wlab_wat_print_options *opts,
				   wlab_wat_write_fn write, void *ctx, struct wlab_error *err)
{
	enum { CHUNK = 1 << 20 };
	struct wlab_buf buf = {malloc(CHUNK), 0, CHUNK, false};
	if (!buf.data)
		return wlab_error_set(err, WLAB_NOMEM, 0, "out of memory");
	enum wlab_status st = print(m, opts, &buf, write, ctx, err);
	wlab_buf_free(&buf);
	return st;
}
