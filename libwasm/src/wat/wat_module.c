/* wat_module.c: module fields: a first pass gives out indices and binds
 * ids, a second writes each field into its section; then the sections are
 * put together in binary order. */
#include <stdlib.h>
#include <string.h>

#include "features_internal.h"
#include "wat_internal.h"
#include "wlab/features.h"

/* S_MODULE: not a section; a place (wat_pos.sec) already in the module's offsets */
enum { S_MODULE = 0, S_TYPE = 1, S_IMPORT, S_FUNC, S_TABLE, S_MEM, S_GLOBAL, S_EXPORT, S_START, S_ELEM,
       S_CODE, S_DATA, S_DATACOUNT, S_TAG };

static const char *const fields[] = {"type", "import", "func", "table", "memory", "global",
				     "export", "start", "elem", "data", "tag", "rec", NULL};
enum { F_TAG = 10, F_REC = 11 };

/* Is field kind i one an import can hold (func, table, memory, global, tag)? */
static bool importable(int i)
{
	return (i >= 2 && i <= 5) || i == F_TAG;
}

static int field_kind(const struct wat *w)
{
	if (wat_peek(w, 0)->kind != WAT_LPAR)
		return -1;
	for (int i = 0; fields[i]; i++)
		if (wat_tok_is(w, wat_peek(w, 1), fields[i]))
			return i;
	return -1;
}

static const struct wat_tok *opt_id(struct wat *w)
{
	const struct wat_tok *t = wat_peek(w, 0);
	if (t->kind != WAT_ID)
		return NULL;
	w->pos++;
	return t;
}

static void skip_exports(struct wat *w)
{
	while (wat_at_lpar_kw(w, "export"))
		w->pos = w->toks[w->pos].match + 1;
}

/* ---- pass 1: indices and ids ---- */

/* 1 when an address type (`i64`, `i32`: memory64, table64) is next, else 0:
 * the tokens to look past for a memory's (data ...) or a table's (elem ...). */
static size_t addr_kw(const struct wat *w)
{
	return (w->features & WLAB_FEATURE_MEMORY64) && (wat_at_kw(w, "i64") || wat_at_kw(w, "i32"));
}

/* `(table addrtype? reftype (elem ...))`, with the reftype a keyword
 * (funcref) or a `(ref null? ht)` form, from k tokens past the cursor. */
static bool table_has_inline_elem(const struct wat *w, size_t k)
{
	const struct wat_tok *t = wat_peek(w, k);
	if (t->kind == WAT_LPAR && wat_tok_is(w, wat_peek(w, k + 1), "ref"))
		k = t->match - w->pos;  /* the reftype's `)` */
	else if (t->kind != WAT_ATOM)
		return false;
	return wat_peek(w, k + 1)->kind == WAT_LPAR && wat_tok_is(w, wat_peek(w, k + 2), "elem");
}

/* Is a table type `(ref func)` (non-null) among the tokens of the field
 * that starts at token start? See elem_write. */
static bool has_ref_func(const struct wat *w, size_t start)
{
	size_t end = w->toks[start].match;
	for (size_t i = start; i + 3 <= end; i++)
		if (w->toks[i].kind == WAT_LPAR && wat_tok_is(w, &w->toks[i + 1], "ref") &&
		    wat_tok_is(w, &w->toks[i + 2], "func") && w->toks[i + 3].kind == WAT_RPAR)
			return true;
	return false;
}

static bool scan_field(struct wat *w, int kind)
{
	static const uint32_t spaces[] = {0, 0, WAT_SP_FUNC, WAT_SP_TABLE, WAT_SP_MEM, WAT_SP_GLOBAL,
					  0, 0, 0, 0, WAT_SP_TAG};
	size_t start = w->pos;
	w->pos += 2;
	if (kind == 0)
		return wat_typedef(w);
	if (kind == F_REC)
		return (w->features & WLAB_FEATURE_GC) ? wat_rec(w)
		       : wat_fail(w, w->toks[start].off, "unexpected token (rec): rec group needs the gc "
					 "feature (--enable-gc)");
	if (kind == 1) {  /* import "m" "n" (kind id? ...) */
		w->pos += 2;
		int k = -1;
		for (int i = 2; i <= F_TAG; i++)
			if (importable(i) && wat_at_lpar_kw(w, fields[i]))
				k = i;
		if (k < 0)
			return wat_fail_tok(w, "an import kind");
		if (k == 3 && has_ref_func(w, start))
			w->ref_func_table = true;
		if (w->ndefs)
			return wat_fail(w, w->toks[start].off, "import after definition");
		w->pos += 2;
		return wat_bind(w, spaces[k], opt_id(w), w->count[spaces[k]]++);
	}
	if (kind == 3 && has_ref_func(w, start))
		w->ref_func_table = true;
	if (importable(kind)) {
		const struct wat_tok *id = opt_id(w);
		skip_exports(w);
		if (wat_at_lpar_kw(w, "import")) {
			if (w->ndefs)
				return wat_fail(w, w->toks[start].off, "import after definition");
		} else {
			w->ndefs++;
			size_t k = addr_kw(w);
			if (kind == 3 && table_has_inline_elem(w, k))
				w->count[WAT_SP_ELEM]++;
			if (kind == 4 && wat_peek(w, k)->kind == WAT_LPAR &&
			    wat_tok_is(w, wat_peek(w, k + 1), "data"))
				w->count[WAT_SP_DATA]++;
		}
		return wat_bind(w, spaces[kind], id, w->count[spaces[kind]]++);
	}
	if (kind == 8)
		return wat_bind(w, WAT_SP_ELEM, opt_id(w), w->count[WAT_SP_ELEM]++);
	if (kind == 9)
		return wat_bind(w, WAT_SP_DATA, opt_id(w), w->count[WAT_SP_DATA]++);
	return true;
}

/* ---- pass 2: sections ---- */

/* An address type before limits or a table's element type (memory64,
 * table64): `i64` is true, `i32` or none false. */
static bool addr_type(struct wat *w)
{
	if (!(w->features & WLAB_FEATURE_MEMORY64) || !(wat_at_kw(w, "i64") || wat_at_kw(w, "i32")))
		return false;
	bool is64 = wat_at_kw(w, "i64");
	w->pos++;
	return is64;
}

/* Whether keyword kw (of limits flag bit) is next while the feature the
 * flag needs is off: then the error names the feature, by the decoder's
 * rule (wlab_limits_flag_off). */
static bool kw_off(struct wat *w, const char *kw, uint8_t flag, bool memory)
{
	const char *what;
	uint32_t bit = wlab_limits_flag_off(flag, memory, w->features, &what);
	if (!bit || !wat_at_kw(w, kw))
		return false;
	const char *f = wlab_feature_name(bit);
	wat_fail(w, wat_peek(w, 0)->off, "unexpected token (%s): %s needs the %s feature (--enable-%s)",
		 kw, what, f, f);
	return true;
}

/* `addrtype? min max?`, and for a memory `shared` (threads), as the limits
 * flags byte (enum wlab_limits_flag) and the bounds. */
static bool limits(struct wat *w, struct wlab_buf *b, bool memory)
{
	if (kw_off(w, "i64", WLAB_LIMITS_I64, memory))
		return false;
	bool is64 = addr_type(w);
	uint64_t min, max = 0;
	uint64_t top = (w->features & WLAB_FEATURE_MEMORY64) ? UINT64_MAX : UINT32_MAX;
	uint8_t flags = is64 ? WLAB_LIMITS_I64 : 0;
	if (!wat_nat(w, wat_peek(w, 0), top, &min))
		return false;
	w->pos++;
	if (wat_peek(w, 0)->kind == WAT_ATOM && wat_is_nat(w, wat_peek(w, 0))) {
		if (!wat_nat(w, wat_peek(w, 0), top, &max))
			return false;
		w->pos++;
		flags |= WLAB_LIMITS_MAX;
	}
	if (memory && kw_off(w, "shared", WLAB_LIMITS_SHARED, true))
		return false;
	if (memory && wat_at_kw(w, "shared")) {
		w->pos++;
		flags |= WLAB_LIMITS_SHARED;
	}
	wlab_buf_u8(b, flags);
	wlab_buf_u64(b, min);
	if (flags & WLAB_LIMITS_MAX)
		wlab_buf_u64(b, max);
	return true;
}

/* The offset expression of an inline segment: (i32.const 0), or
 * (i64.const 0) for a 64-bit memory or table. */
static void zero_offset(struct wlab_buf *off, bool is64)
{
	wlab_buf_u8(off, is64 ? 0x42 : 0x41);
	wlab_buf_u8(off, 0);
	wlab_buf_u8(off, 0x0b);
}

static bool globaltype(struct wat *w, struct wlab_buf *b)
{
	wlab_valtype_t vt;
	bool mut = wat_at_lpar_kw(w, "mut");
	if (mut)
		w->pos += 2;
	if (!wat_valtype(w, &vt))
		return false;
	wlab_buf_valtype(b, vt);
	wlab_buf_u8(b, mut);
	return !mut || wat_expect_rpar(w);
}

static bool tabletype(struct wat *w, struct wlab_buf *b)
{
	struct wlab_buf lim = {0};
	wlab_valtype_t rt;
	bool ok = limits(w, &lim, false) && wat_reftype(w, &rt);
	if (ok) {
		wlab_buf_valtype(b, rt);
		wlab_buf_bytes(b, lim.data, lim.size);
	}
	wlab_buf_free(&lim);
	return ok;
}

/* A tag's type: attribute 0 and a type use (after the kind byte `kind`
 * when it is not 0, for an import). */
static bool tagtype(struct wat *w, struct wlab_buf *b, uint8_t kind)
{
	struct wat_sig s = {0};
	uint32_t x = 0, np;
	size_t off = wat_peek(w, 0)->off;
	bool ok = wat_sig_parse(w, &s, 0) && wat_sig_resolve(w, &s, off, &x, &np);
	wat_sig_free(&s);
	if (kind)
		wlab_buf_u8(b, kind);
	wlab_buf_u8(b, 0);
	wlab_buf_u32(b, x);
	return ok;
}

/* The description after an import's names: `(func id? typeuse)`...; a
 * function's param ids are bound as its locals' (wat2wasm names them). */
static bool import_desc(struct wat *w, int kind, uint32_t index)
{
	struct wlab_buf *b = &w->sec[S_IMPORT];
	w->nsec[S_IMPORT]++;
	if (kind == 2) {
		struct wat_sig s = {0};
		uint32_t x = 0, np;
		size_t off = wat_peek(w, 0)->off;
		w->local_space = WAT_SP_LOCAL + index;
		w->nlocals = 0;
		bool ok = wat_sig_parse(w, &s, 1) && wat_sig_resolve(w, &s, off, &x, &np);
		wat_sig_free(&s);
		wlab_buf_u8(b, 0);
		wlab_buf_u32(b, x);
		return ok;
	}
	if (kind == F_TAG)
		return tagtype(w, b, 4);
	wlab_buf_u8(b, (uint8_t)(kind - 2));
	if (kind == 3)
		return tabletype(w, b);
	if (kind == 4)
		return limits(w, b, true);
	return globaltype(w, b);
}

static bool import_field(struct wat *w, const uint32_t *next)
{
	if (!wat_name(w, &w->sec[S_IMPORT]) || !wat_name(w, &w->sec[S_IMPORT]))
		return false;
	int k = -1;
	for (int i = 2; i <= F_TAG; i++)
		if (importable(i) && wat_at_lpar_kw(w, fields[i]))
			k = i;
	w->pos += 2;
	opt_id(w);
	return import_desc(w, k, k >= 0 ? next[k] - 1 : 0) && wat_expect_rpar(w) &&
	       wat_expect_rpar(w);
}

static bool inline_exports(struct wat *w, uint8_t kind, uint32_t index)
{
	while (wat_at_lpar_kw(w, "export")) {
		w->pos += 2;
		if (!wat_name(w, &w->sec[S_EXPORT]) || !wat_expect_rpar(w))
			return false;
		wlab_buf_u8(&w->sec[S_EXPORT], kind);
		wlab_buf_u32(&w->sec[S_EXPORT], index);
		w->nsec[S_EXPORT]++;
	}
	return true;
}

/* An inline `(import "m" "n")`: the names; true with *is when present. */
static bool inline_import(struct wat *w, bool *is)
{
	*is = wat_at_lpar_kw(w, "import");
	if (!*is)
		return true;
	w->pos += 2;
	return wat_name(w, &w->sec[S_IMPORT]) && wat_name(w, &w->sec[S_IMPORT]) && wat_expect_rpar(w);
}

static bool func_body(struct wat *w, uint32_t index)
{
	struct wat_sig s = {0};
	struct wlab_buf locals = {0}, body = {0}, *code = &w->sec[S_CODE];
	uint32_t x = 0, np = 0;
	size_t off = wat_peek(w, 0)->off;
	wlab_valtype_t vt = 0;
	w->local_space = WAT_SP_LOCAL + index;
	w->nlocals = 0;
	w->nlabels = 0;
	bool ok = wat_sig_parse(w, &s, 1) && wat_sig_resolve(w, &s, off, &x, &np);
	if (!ok)
		goto done;
	if (!s.inl)
		w->nlocals = np;
	wlab_buf_u32(&w->sec[S_FUNC], x);
	w->nsec[S_FUNC]++;
	while (ok && wat_at_lpar_kw(w, "local")) {
		w->pos += 2;
		if (wat_peek(w, 0)->kind == WAT_ID) {
			ok = wat_bind(w, w->local_space, wat_peek(w, 0), w->nlocals);
			w->pos++;
			ok = ok && wat_valtype(w, &vt);
			wat_put_type(&locals, vt);
			w->nlocals++;
		} else {
			while (ok && wat_peek(w, 0)->kind != WAT_RPAR) {
				ok = wat_valtype(w, &vt);
				wat_put_type(&locals, vt);
				w->nlocals++;
			}
		}
		ok = ok && wat_expect_rpar(w);
	}
	size_t first = w->nplaces;  /* the body's places */
	w->body_depth = w->depth;
	w->top_text = SIZE_MAX;
	ok = ok && wat_instrs(w, &body) && wat_expect_rpar(w);
	if (!ok)
		goto done;
	/* the body's end: its last instruction at the top (wat2wasm's place of
	 * an implicit return's mismatch), else its ) */
	wat_place_instr(w, body.size,
			w->top_text != SIZE_MAX ? w->top_text : w->toks[w->pos - 1].off);
	wlab_buf_u8(&body, 0x0b);
	/* the body: local runs, instructions */
	struct wlab_buf entry = {0};
	uint32_t runs = 0;
	size_t nl = locals.size / sizeof vt;
	for (size_t i = 0; i < nl; i++)
		runs += !i || wat_type_at(&locals, i) != wat_type_at(&locals, i - 1);
	wlab_buf_u32(&entry, runs);
	for (size_t i = 0; i < nl;) {
		size_t j = i;
		while (j < nl && wat_type_at(&locals, j) == wat_type_at(&locals, i))
			j++;
		wlab_buf_u32(&entry, (uint32_t)(j - i));
		wlab_buf_valtype(&entry, wat_type_at(&locals, i));
		i = j;
	}
	wat_hints_shift(w, (uint32_t)entry.size);
	wlab_buf_bytes(&entry, body.data, body.size);
	wlab_buf_sized(code, &entry);
	/* the body's places: its instructions are the code section's last bytes */
	for (size_t i = first; i < w->nplaces; i++)
		if (w->places[i].sec == WAT_POS_BODY)
			w->places[i].sec = S_CODE, w->places[i].at += (uint32_t)(code->size - body.size);
	w->nsec[S_CODE]++;
	wlab_buf_free(&entry);
done:
	wat_sig_free(&s);
	wlab_buf_free(&locals);
	wlab_buf_free(&body);
	return ok;
}

/* Elem segment items: the exprs, and their function indices while every
 * item is a lone ref.func. */
struct elem_items {
	struct wlab_buf exprs, funcs;
	uint32_t n;
	bool all_func;
	bool ref_func;  /* given as `func x*` (or indices alone): type (ref func) */
};

static bool is_ref_func(const struct wlab_buf *e, uint32_t *idx)
{
	if (e->size < 3 || e->data[0] != 0xd2 || e->data[e->size - 1] != 0x0b)
		return false;
	uint32_t v = 0;
	size_t i = 1;
	for (unsigned sh = 0; i < e->size - 1; i++, sh += 7) {
		v |= (uint32_t)(e->data[i] & 0x7f) << (sh < 32 ? sh : 0);
		if (!(e->data[i] & 0x80))
			break;
	}
	*idx = v;
	return i == e->size - 2;
}

static void item_add(struct elem_items *it, const struct wlab_buf *e)
{
	uint32_t f;
	if (it->all_func && is_ref_func(e, &f))
		wlab_buf_u32(&it->funcs, f);
	else
		it->all_func = false;
	wlab_buf_bytes(&it->exprs, e->data, e->size);
	it->n++;
}

/* Function indices up to `)`, as items. */
static bool func_items(struct wat *w, struct elem_items *it)
{
	struct wlab_buf e = {0};
	bool ok = true;
	it->ref_func = true;
	while (ok && wat_peek(w, 0)->kind != WAT_RPAR) {
		uint32_t f;
		ok = wat_index(w, WAT_SP_FUNC, &f);
		wlab_buf_reset(&e);
		wlab_buf_u8(&e, 0xd2);
		wlab_buf_u32(&e, f);
		wlab_buf_u8(&e, 0x0b);
		item_add(it, &e);
	}
	wlab_buf_free(&e);
	return ok;
}

/* Expression items `(item expr)` or `(instr)` up to `)`. */
static bool expr_items(struct wat *w, struct elem_items *it)
{
	struct wlab_buf e = {0};
	bool ok = true;
	while (ok && wat_peek(w, 0)->kind != WAT_RPAR) {
		wlab_buf_reset(&e);
		if (wat_at_lpar_kw(w, "item")) {
			w->pos += 2;
			ok = wat_expr(w, &e) && wat_expect_rpar(w);
		} else if (wat_peek(w, 0)->kind == WAT_LPAR) {
			ok = wat_folded(w, &e);
			wlab_buf_u8(&e, 0x0b);
		} else {
			ok = wat_fail_tok(w, "an element expression");
		}
		item_add(it, &e);
	}
	wlab_buf_free(&e);
	return ok;
}

/* The places of a scratch buffer's expression (the last places recorded)
 * once it is copied to section sec at base. */
static void scratch_places(struct wat *w, unsigned sec, size_t base)
{
	for (size_t i = w->nplaces; i-- > 0 && w->places[i].sec == WAT_POS_SCRATCH;)
		w->places[i].sec = (uint8_t)sec, w->places[i].at += (uint32_t)base;
}

/* mode 0 active, 1 passive, 2 declarative */
static void elem_write(struct wat *w, int mode, uint32_t table, const struct wlab_buf *offset,
		       wlab_valtype_t rt, const struct elem_items *it)
{
	struct wlab_buf *b = &w->sec[S_ELEM];
	/* Function indices (flags 0-3) give a segment of type (ref func) in
	 * 3.0, expressions (flags 4-7) keep funcref. Like wast2json, funcref
	 * items that are all ref.func are written as indices, unless a table
	 * of type (ref func) is in the module: only there can the two types
	 * give another verdict (elem.wast: a funcref segment into it is
	 * invalid). */
	bool funcs = it->all_func && rt == 0x70 && (it->ref_func || !w->ref_func_table);
	/* an active segment names its table unless it is table 0 with funcref */
	uint32_t flags = mode == 1 ? 1 : mode == 2 ? 3 : table || rt != 0x70 ? 2 : 0;
	if (!funcs)
		flags |= 4;
	wlab_buf_u32(b, flags);
	if (mode == 0 && (flags & 2))
		wlab_buf_u32(b, table);
	if (mode == 0) {
		scratch_places(w, S_ELEM, b->size);
		wlab_buf_bytes(b, offset->data, offset->size);
	}
	if ((flags & 3) && funcs)
		wlab_buf_u8(b, 0x00);
	else if (flags & 3)
		wlab_buf_valtype(b, rt);
	wlab_buf_u32(b, it->n);
	if (funcs)
		wlab_buf_bytes(b, it->funcs.data, it->funcs.size);
	else
		wlab_buf_bytes(b, it->exprs.data, it->exprs.size);
	w->nsec[S_ELEM]++;
}

static void items_free(struct elem_items *it)
{
	wlab_buf_free(&it->exprs);
	wlab_buf_free(&it->funcs);
}

/* An offset: `(offset expr)` or one folded instruction, built in b, a
 * scratch buffer (its places WAT_POS_SCRATCH until scratch_places). */
static bool offset_expr(struct wat *w, struct wlab_buf *b)
{
	bool ok;
	w->expr_sec = WAT_POS_SCRATCH;
	if (wat_at_lpar_kw(w, "offset")) {
		w->pos += 2;
		ok = wat_expr(w, b) && wat_expect_rpar(w);
	} else {
		ok = wat_folded(w, b);
		wlab_buf_u8(b, 0x0b);
	}
	w->expr_sec = 0;
	return ok;
}


static bool elem_field(struct wat *w)
{
	struct elem_items it = {.all_func = true};
	struct wlab_buf off = {0};
	uint32_t table = 0;
	int mode = 1;
	wlab_valtype_t rt = 0x70;
	bool ok = true;
	opt_id(w);
	if (wat_at_kw(w, "declare")) {
		mode = 2;
		w->pos++;
	} else if (wat_at_lpar_kw(w, "table")) {
		w->pos += 2;
		ok = wat_index(w, WAT_SP_TABLE, &table) && wat_expect_rpar(w);
		mode = 0;
	} else if ((wat_peek(w, 0)->kind == WAT_ID || wat_is_nat(w, wat_peek(w, 0))) &&
		   wat_peek(w, 1)->kind == WAT_LPAR) {
		ok = wat_index(w, WAT_SP_TABLE, &table);  /* a bare table index (legacy) */
		mode = 0;
	}
	if (ok && (mode == 0 || (mode == 1 && wat_peek(w, 0)->kind == WAT_LPAR &&
				 !wat_at_lpar_kw(w, "ref")))) {
		mode = 0;
		ok = offset_expr(w, &off);
	}
	if (!ok)
		goto done;
	if (wat_at_kw(w, "func")) {
		w->pos++;
		ok = func_items(w, &it);
	} else if (wat_at_reftype(w)) {
		ok = wat_reftype(w, &rt) && expr_items(w, &it);
	} else if (mode == 0) {
		ok = func_items(w, &it);
	} else {
		ok = wat_fail_tok(w, "an element list");
	}
	ok = ok && wat_expect_rpar(w);
	if (ok)
		elem_write(w, mode, table, &off, rt, &it);
done:
	items_free(&it);
	wlab_buf_free(&off);
	return ok;
}

static bool data_strings(struct wat *w, struct wlab_buf *b)
{
	while (wat_peek(w, 0)->kind == WAT_STRING) {
		if (!wat_string(w, wat_peek(w, 0), b))
			return false;
		w->pos++;
	}
	return true;
}

static void data_write(struct wat *w, bool active, uint32_t mem, const struct wlab_buf *off,
		       const struct wlab_buf *bytes)
{
	struct wlab_buf *b = &w->sec[S_DATA];
	wlab_buf_u32(b, !active ? 1 : mem ? 2 : 0);
	if (active && mem)
		wlab_buf_u32(b, mem);
	if (active) {
		scratch_places(w, S_DATA, b->size);
		wlab_buf_bytes(b, off->data, off->size);
	}
	wlab_buf_u32(b, (uint32_t)bytes->size);
	wlab_buf_bytes(b, bytes->data, bytes->size);
	w->nsec[S_DATA]++;
}

static bool data_field(struct wat *w)
{
	struct wlab_buf off = {0}, bytes = {0};
	uint32_t mem = 0;
	bool ok = true, active = false;
	opt_id(w);
	if (wat_at_lpar_kw(w, "memory")) {
		w->pos += 2;
		ok = wat_index(w, WAT_SP_MEM, &mem) && wat_expect_rpar(w);
		active = true;
	} else if ((wat_peek(w, 0)->kind == WAT_ID || wat_is_nat(w, wat_peek(w, 0))) &&
		   wat_peek(w, 1)->kind == WAT_LPAR) {
		ok = wat_index(w, WAT_SP_MEM, &mem);
		active = true;
	}
	if (ok && (active || wat_peek(w, 0)->kind == WAT_LPAR)) {
		active = true;
		ok = offset_expr(w, &off);
	}
	ok = ok && data_strings(w, &bytes) && wat_expect_rpar(w);
	if (ok && bytes.size > UINT32_MAX)
		ok = wat_fail(w, wat_peek(w, 0)->off, "data segment too large");
	if (ok)
		data_write(w, active, mem, &off, &bytes);
	wlab_buf_free(&off);
	wlab_buf_free(&bytes);
	return ok;
}

/* `(table id? reftype (elem ...))`: limits from the item count and an
 * active segment at offset 0. */
static bool table_inline_elem(struct wat *w, uint32_t index, struct wlab_buf *b)
{
	struct elem_items it = {.all_func = true};
	struct wlab_buf off = {0};
	wlab_valtype_t rt = 0x70;
	bool is64 = addr_type(w);
	bool ok = wat_reftype(w, &rt);
	w->pos += 2;
	if (ok && wat_peek(w, 0)->kind == WAT_LPAR)
		ok = expr_items(w, &it);
	else if (ok)
		ok = func_items(w, &it);
	ok = ok && wat_expect_rpar(w) && wat_expect_rpar(w);
	wlab_buf_valtype(b, rt);
	wlab_buf_u8(b, is64 ? 5 : 1);
	wlab_buf_u32(b, it.n);
	wlab_buf_u32(b, it.n);
	zero_offset(&off, is64);
	if (ok)
		elem_write(w, 0, index, &off, rt, &it);
	items_free(&it);
	wlab_buf_free(&off);
	return ok;
}

static bool table_field(struct wat *w, uint32_t index)
{
	bool imp;
	opt_id(w);
	if (!inline_exports(w, 1, index) || !inline_import(w, &imp))
		return false;
	if (imp)
		return import_desc(w, 3, 0) && wat_expect_rpar(w);
	if (kw_off(w, "i64", WLAB_LIMITS_I64, false))
		return false;
	struct wlab_buf *b = &w->sec[S_TABLE];
	w->nsec[S_TABLE]++;
	size_t k = addr_kw(w);
	if (!wat_is_nat(w, wat_peek(w, k)))
		return table_inline_elem(w, index, b);
	/* a table with an initialiser: 0x40 0x00 tabletype expr */
	size_t at = b->size;
	if (!tabletype(w, b))
		return false;
	if (wat_peek(w, 0)->kind == WAT_RPAR)
		return wat_expect_rpar(w);
	struct wlab_buf tt = {0};
	wlab_buf_bytes(&tt, b->data + at, b->size - at);
	b->size = at;
	wlab_buf_u8(b, 0x40);
	wlab_buf_u8(b, 0x00);
	wlab_buf_bytes(b, tt.data, tt.size);
	wlab_buf_free(&tt);
	w->expr_sec = S_TABLE;
	bool ok = wat_expr(w, b);
	w->expr_sec = 0;
	return ok && wat_expect_rpar(w);
}

static bool memory_field(struct wat *w, uint32_t index)
{
	bool imp;
	opt_id(w);
	if (!inline_exports(w, 2, index) || !inline_import(w, &imp))
		return false;
	if (imp)
		return import_desc(w, 4, 0) && wat_expect_rpar(w);
	if (kw_off(w, "i64", WLAB_LIMITS_I64, true))
		return false;
	struct wlab_buf *b = &w->sec[S_MEM];
	w->nsec[S_MEM]++;
	size_t k = addr_kw(w);
	if (wat_peek(w, k)->kind == WAT_LPAR && wat_tok_is(w, wat_peek(w, k + 1), "data")) {
		struct wlab_buf off = {0}, bytes = {0};
		bool is64 = addr_type(w);
		w->pos += 2;
		bool ok = data_strings(w, &bytes) && wat_expect_rpar(w) && wat_expect_rpar(w);
		uint64_t pages = ((uint64_t)bytes.size + 65535) / 65536;
		wlab_buf_u8(b, is64 ? 5 : 1);
		wlab_buf_u64(b, pages);
		wlab_buf_u64(b, pages);
		zero_offset(&off, is64);
		if (ok)
			data_write(w, true, index, &off, &bytes);
		wlab_buf_free(&off);
		wlab_buf_free(&bytes);
		return ok;
	}
	return limits(w, b, true) && wat_expect_rpar(w);
}

static bool global_field(struct wat *w, uint32_t index)
{
	bool imp;
	opt_id(w);
	if (!inline_exports(w, 3, index) || !inline_import(w, &imp))
		return false;
	if (imp)
		return import_desc(w, 5, 0) && wat_expect_rpar(w);
	w->nsec[S_GLOBAL]++;
	if (!globaltype(w, &w->sec[S_GLOBAL]))
		return false;
	w->expr_sec = S_GLOBAL;
	bool ok = wat_expr(w, &w->sec[S_GLOBAL]);
	w->expr_sec = 0;
	return ok && wat_expect_rpar(w);
}

static bool func_field(struct wat *w, uint32_t index)
{
	bool imp;
	opt_id(w);
	if (!inline_exports(w, 0, index) || !inline_import(w, &imp))
		return false;
	if (imp)
		return import_desc(w, 2, index) && wat_expect_rpar(w);
	/* a hint before here is in no body: left for wat_hints_put to report */
	while (w->next_hint < w->nhints && w->hints[w->next_hint].tok < w->pos)
		w->next_hint++;
	w->func = index;
	w->in_body = true;
	bool ok = func_body(w, index);
	w->in_body = false;
	return ok;
}

static bool tag_field(struct wat *w, uint32_t index)
{
	bool imp;
	opt_id(w);
	if (!inline_exports(w, 4, index) || !inline_import(w, &imp))
		return false;
	if (imp)
		return import_desc(w, F_TAG, 0) && wat_expect_rpar(w);
	w->nsec[S_TAG]++;
	return tagtype(w, &w->sec[S_TAG], 0) && wat_expect_rpar(w);
}

static bool export_field(struct wat *w)
{
	static const uint32_t spaces[] = {WAT_SP_FUNC, WAT_SP_TABLE, WAT_SP_MEM, WAT_SP_GLOBAL,
					  WAT_SP_TAG};
	static const char *const kinds[] = {"func", "table", "memory", "global", "tag"};
	uint32_t x;
	if (!wat_name(w, &w->sec[S_EXPORT]))
		return false;
	for (int k = 0; k < 5; k++)
		if (wat_at_lpar_kw(w, kinds[k])) {
			w->pos += 2;
			if (!wat_index(w, spaces[k], &x) || !wat_expect_rpar(w))
				return false;
			wlab_buf_u8(&w->sec[S_EXPORT], (uint8_t)k);
			wlab_buf_u32(&w->sec[S_EXPORT], x);
			w->nsec[S_EXPORT]++;
			return wat_expect_rpar(w);
		}
	return wat_fail_tok(w, "an export kind");
}

static bool start_field(struct wat *w, size_t off)
{
	uint32_t x;
	if (w->has_start)
		return wat_fail(w, off, "multiple start sections");
	w->has_start = true;
	if (!wat_index(w, WAT_SP_FUNC, &x))
		return false;
	wlab_buf_u32(&w->sec[S_START], x);
	return wat_expect_rpar(w);
}

/* A field of the second pass (off: its text), written to the sections. */
static bool emit_field_bytes(struct wat *w, int kind, uint32_t *next, size_t off)
{
	w->pos += 2;
	if (kind == 1) {
		/* an import takes the next index of its space */
		size_t save = w->pos;
		w->pos += 2;
		for (int i = 2; i <= F_TAG; i++)
			if (importable(i) && wat_at_lpar_kw(w, fields[i]))
				next[i]++;
		w->pos = save;
	}
	switch (kind) {
	case 0:
	case F_REC:
		w->pos = w->toks[w->pos - 2].match + 1;
		return true;
	case 1: return import_field(w, next);
	case 2: return func_field(w, next[2]++);
	case 3: return table_field(w, next[3]++);
	case 4: return memory_field(w, next[4]++);
	case 5: return global_field(w, next[5]++);
	case 6: return export_field(w);
	case 7: return start_field(w, off);
	case 8: return elem_field(w);
	case F_TAG: return tag_field(w, next[F_TAG]++);
	default: return data_field(w);
	}
}

/* The same, with a place in each section the field wrote to when places
 * are recorded: the field's text. */
static bool emit_field(struct wat *w, int kind, uint32_t *next)
{
	size_t off = wat_peek(w, 0)->off, before[WAT_NSEC];
	if (!w->want_places)
		return emit_field_bytes(w, kind, next, off);
	for (int s = S_TYPE; s < WAT_NSEC; s++)
		before[s] = w->sec[s].size;
	bool ok = emit_field_bytes(w, kind, next, off);
	for (int s = S_TYPE; ok && s < WAT_NSEC; s++)
		if (w->sec[s].size > before[s])
			wat_place(w, (unsigned)s, before[s], off);
	return ok;
}

/* Binds every type id first: a type may name a later one ((ref $t)), which
 * validation then rejects as "unknown type", as the spec does. */
static bool bind_types(struct wat *w)
{
	size_t start = w->pos;
	uint32_t n = 0;
	bool ok = true;
	while (ok && wat_peek(w, 0)->kind == WAT_LPAR) {
		size_t end = w->toks[w->pos].match;
		if (wat_at_lpar_kw(w, "type") || wat_at_lpar_kw(w, "rec"))
			ok = wat_bind_typedef(w, &n);
		w->pos = end + 1;
	}
	w->pos = start;
	return ok;
}

static bool fields_loop(struct wat *w, bool emit)
{
	uint32_t next[F_TAG + 1] = {0};
	size_t start = w->pos;
	while (wat_peek(w, 0)->kind == WAT_LPAR) {
		if (wat_at_lpar_kw(w, "@custom")) {
			if (!wat_custom_field(w, emit))
				return false;
			continue;
		}
		int kind = field_kind(w);
		size_t end = w->toks[w->pos].match;
		if (kind < 0) {
			w->pos++;
			return wat_fail_tok(w, "a module field");
		}
		if (!(emit ? emit_field(w, kind, next) : scan_field(w, kind)))
			return false;
		if (!emit)
			w->pos = end + 1;
		else if (w->pos != end + 1)
			return wat_fail(w, wat_peek(w, 0)->off, "unexpected token");
	}
	if (!emit)
		w->pos = start;
	return true;
}

/* By offset; at one offset, a section's bounds before the places in it. */
static int place_cmp(const void *a, const void *b)
{
	const struct wat_pos *x = a, *y = b;
	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	bool nx = x->text == WAT_POS_NONE, ny = y->text == WAT_POS_NONE;
	if (nx != ny)
		return nx ? -1 : 1;
	return x->text < y->text ? -1 : x->text > y->text;
}

/* The places once the module is written: a section's from where its
 * buffer's bytes went (data[s]; SIZE_MAX: not written, its places say
 * nothing), the section's bounds (S_MODULE) as they are; sorted. */
static void places_finish(struct wat *w, const size_t *data)
{
	for (size_t i = 0; i < w->nplaces; i++) {
		struct wat_pos *p = &w->places[i];
		if (p->sec == S_MODULE)
			continue;
		if (p->sec >= WAT_NSEC || data[p->sec] == SIZE_MAX)
			p->text = WAT_POS_NONE;
		else
			p->at += (uint32_t)data[p->sec];
	}
	if (w->nplaces)  /* (qsort's array may not be NULL) */
		qsort(w->places, w->nplaces, sizeof *w->places, place_cmp);
}

bool wat_module(struct wat *w, uint8_t **out, size_t *size)
{
	static const uint8_t order[] = {S_TYPE, S_IMPORT, S_FUNC, S_TABLE, S_MEM, S_TAG, S_GLOBAL, S_EXPORT,
					S_START, S_ELEM, S_DATACOUNT, S_CODE, S_DATA};
	struct wlab_buf m = {0};
	size_t data[WAT_NSEC];  /* where each section buffer's bytes went (places) */
	for (int s = 0; s < WAT_NSEC; s++)
		data[s] = SIZE_MAX;
	if (!wat_ops_init(w) || !bind_types(w) || !fields_loop(w, false) || !fields_loop(w, true))
		return false;
	w->nsec[S_TYPE] = wat_types_put(w, &w->sec[S_TYPE]);
	/* as wabt: a data count section when an instruction needs it and there is data */
	w->need_datacount = w->need_datacount && w->count[WAT_SP_DATA];
	w->nsec[S_DATACOUNT] = w->count[WAT_SP_DATA];
	wlab_buf_bytes(&m, "\0asm\1\0\0\0", 8);
	wat_custom_put(w, &m, 0, false, false);
	for (size_t i = 0; i < sizeof order; i++) {
		int s = order[i];
		struct wlab_buf body = {0};
		if (i)
			wat_custom_put(w, &m, order[i - 1], true, false);
		wat_custom_put(w, &m, (uint8_t)s, false, false);
		if (s == S_CODE && !wat_hints_put(w, &m)) {
			wlab_buf_free(&m);
			return false;
		}
		if (s == S_START) {
			if (!w->has_start)
				continue;
			wlab_buf_bytes(&body, w->sec[s].data, w->sec[s].size);
		} else if (s == S_DATACOUNT) {
			if (!w->need_datacount)
				continue;
			wlab_buf_u32(&body, w->nsec[s]);
		} else {
			if (!w->nsec[s])
				continue;
			wlab_buf_u32(&body, w->nsec[s]);
			wlab_buf_bytes(&body, w->sec[s].data, w->sec[s].size);
		}
		wat_place(w, S_MODULE, m.size, WAT_POS_NONE);  /* the section's id... */
		wlab_buf_u8(&m, (uint8_t)s);
		wlab_buf_sized(&m, &body);
		data[s] = m.size - w->sec[s].size;  /* (its buffer's bytes end it) */
		wat_place(w, S_MODULE, m.size, WAT_POS_NONE);  /* ...to its end */
		wlab_buf_free(&body);
	}
	wat_custom_put(w, &m, order[sizeof order - 1], true, false);
	wat_custom_put(w, &m, 0, true, true);  /* after last, and any anchor not above */
	if (w->debug_names && !wat_names_put(w, &m)) {
		wlab_buf_free(&m);
		return false;
	}
	if (!wlab_buf_ok(&m)) {
		wlab_buf_free(&m);
		return wat_oom(w);
	}
	if (w->want_places)
		places_finish(w, data);
	*out = wlab_buf_take(&m, size);
	return true;
}
