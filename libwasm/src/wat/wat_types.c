/* wat_types.c: type definitions in the text format: (type (func ...)) and,
 * with GC, (struct (field ...)*), (array ...), (sub final? x* ...) and
 * (rec (type ...)*); and the type section they make (rec groups).
 *
 * A type's words go to the type pool: its supertypes, then a function
 * type's params and results, or a struct's fields (an array's element) as
 * (type, mut) pairs, so an implicit type use compares params and results
 * as before. Field ids are accepted and not kept. */
#include <stdlib.h>
#include <string.h>

#include "wat_internal.h"
#include "wlab/features.h"

static bool gc(const struct wat *w)
{
	return w->features & WLAB_FEATURE_GC;
}

/* i8, i16 or a value type. */
static bool storagetype(struct wat *w, wlab_valtype_t *t)
{
	if (wat_at_kw(w, "i8") || wat_at_kw(w, "i16")) {
		*t = wat_at_kw(w, "i8") ? WLAB_PACKED_I8 : WLAB_PACKED_I16;
		w->pos++;
		return true;
	}
	return wat_valtype(w, t);
}

/* storagetype | (mut storagetype), appended as a (type, mut) pair. */
static bool fieldtype(struct wat *w, struct wlab_buf *pool)
{
	bool mut = wat_at_lpar_kw(w, "mut");
	wlab_valtype_t t;
	w->pos += mut ? 2 : 0;
	if (!storagetype(w, &t) || (mut && !wat_expect_rpar(w)))
		return false;
	wat_put_type(pool, t);
	wat_put_type(pool, mut);
	return true;
}

/* A field id of a struct, for the duplicate check. */
struct field_id {
	const char *p;
	uint32_t len, off;
};

static int field_id_cmp(const void *x, const void *y)
{
	const struct field_id *a = x, *b = y;
	uint32_t n = a->len < b->len ? a->len : b->len;
	int c = n ? memcmp(a->p, b->p, n) : 0;
	if (c || a->len != b->len)
		return c ? c : a->len < b->len ? -1 : 1;
	return a->off < b->off ? -1 : a->off > b->off;
}

/* "duplicate field" for an id two fields of one struct share: the ids
 * sorted, equal neighbours (n log n, for structs of many fields). */
static bool unique_fields(struct wat *w, struct field_id *ids, size_t n)
{
	if (n > 1)
		qsort(ids, n, sizeof *ids, field_id_cmp);
	for (size_t i = 1; i < n; i++)
		if (ids[i].len == ids[i - 1].len && !memcmp(ids[i].p, ids[i - 1].p, ids[i].len))
			return wat_fail(w, ids[i].off, "duplicate field $%.*s",
					(int)(ids[i].len < 40 ? ids[i].len : 40), ids[i].p);
	return true;
}

/* After `(struct`: (field id? fieldtype) | (field fieldtype*), each. */
static bool struct_fields(struct wat *w, struct wlab_buf *pool, uint32_t *n)
{
	struct wlab_buf ids = {0};
	bool ok = true;
	while (ok && wat_at_lpar_kw(w, "field")) {
		w->pos += 2;
		if (wat_peek(w, 0)->kind == WAT_ID) {
			struct field_id f;
			f.p = wat_id_bytes(w, wat_peek(w, 0), &f.len);
			f.off = wat_peek(w, 0)->off;
			wlab_buf_bytes(&ids, &f, sizeof f);
			w->pos++;
			ok = fieldtype(w, pool);
			(*n)++;
		} else {
			while (ok && wat_peek(w, 0)->kind != WAT_RPAR && wat_peek(w, 0)->kind != WAT_EOF) {
				ok = fieldtype(w, pool);
				(*n)++;
			}
		}
		ok = ok && wat_expect_rpar(w);
	}
	if (ok && !wlab_buf_ok(&ids))
		ok = wat_oom(w);
	if (ok)
		ok = unique_fields(w, (struct field_id *)ids.data, ids.size / sizeof(struct field_id));
	wlab_buf_free(&ids);
	return ok;
}

/* (func sig) | (struct field*) | (array fieldtype), into t and pool. */
static bool comptype(struct wat *w, struct wat_type *t, struct wlab_buf *pool)
{
	if (gc(w) && wat_at_lpar_kw(w, "struct")) {
		w->pos += 2;
		t->form = WLAB_FORM_STRUCT;
		return struct_fields(w, pool, &t->nr) && wat_expect_rpar(w);
	}
	if (gc(w) && wat_at_lpar_kw(w, "array")) {
		w->pos += 2;
		t->form = WLAB_FORM_ARRAY;
		t->nr = 1;
		return fieldtype(w, pool) && wat_expect_rpar(w);
	}
	static const char *const gc_forms[] = {"struct", "array", "sub"};
	for (size_t i = 0; !gc(w) && i < sizeof gc_forms / sizeof gc_forms[0]; i++)
		if (wat_at_lpar_kw(w, gc_forms[i]))
			return wat_fail(w, wat_peek(w, 1)->off, "unexpected token (%s): %s type needs "
					"the gc feature (--enable-gc)", gc_forms[i], gc_forms[i]);
	struct wat_sig s = {0};
	bool ok = wat_expect_lpar_kw(w, "func") && wat_sig_parse(w, &s, 0);
	if (ok && s.has_type)
		ok = wat_fail(w, wat_peek(w, 0)->off, "unexpected (type) in a type definition");
	if (ok) {
		t->form = WLAB_FORM_FUNC;
		t->np = (uint32_t)(s.p.size / sizeof(wlab_valtype_t));
		t->nr = (uint32_t)(s.r.size / sizeof(wlab_valtype_t));
		wlab_buf_bytes(pool, s.p.data, s.p.size);
		wlab_buf_bytes(pool, s.r.data, s.r.size);
		ok = wat_expect_rpar(w);
	}
	wat_sig_free(&s);
	return ok;
}

/* (sub final? x* comptype) | comptype. */
static bool subtype(struct wat *w, struct wat_type *t, struct wlab_buf *supers,
		    struct wlab_buf *comp)
{
	t->final = true;
	if (!gc(w) || !wat_at_lpar_kw(w, "sub"))
		return comptype(w, t, comp);
	w->pos += 2;
	t->sub = true;
	t->final = wat_at_kw(w, "final");
	w->pos += t->final;
	while (wat_peek(w, 0)->kind == WAT_ID ||
	       (wat_peek(w, 0)->kind == WAT_ATOM && wat_is_nat(w, wat_peek(w, 0)))) {
		uint32_t x;
		if (!wat_index(w, WAT_SP_TYPE, &x))
			return false;
		wat_put_type(supers, x);
		t->nsupers++;
	}
	return comptype(w, t, comp) && wat_expect_rpar(w);
}

bool wat_typedef(struct wat *w)
{
	struct wat_type t = {0};
	struct wlab_buf supers = {0}, comp = {0};
	uint32_t x;
	if (wat_peek(w, 0)->kind == WAT_ID)
		w->pos++;  /* bound by wat_bind_typedef */
	w->count[WAT_SP_TYPE]++;
	bool ok = subtype(w, &t, &supers, &comp) && wat_expect_rpar(w);
	if (ok) {
		t.super_at = (uint32_t)w->typepool.size;
		wlab_buf_bytes(&w->typepool, supers.data, supers.size);
		t.at = (uint32_t)w->typepool.size;
		wlab_buf_bytes(&w->typepool, comp.data, comp.size);
		ok = wat_type_push(w, &t, &x);
	}
	wlab_buf_free(&supers);
	wlab_buf_free(&comp);
	return ok;
}

bool wat_rec(struct wat *w)
{
	uint32_t start = w->ntypes;
	while (wat_at_lpar_kw(w, "type")) {
		w->pos += 2;
		if (!wat_typedef(w))
			return false;
	}
	if (!wat_expect_rpar(w))
		return false;
	for (uint32_t i = start; i < w->ntypes; i++) {
		w->types[i].rec_start = start;
		w->types[i].rec_size = w->ntypes - start;
	}
	return true;
}

/* The field ids of a struct type x: in each (field ...) of the (struct ...)
 * at or inside the cursor's form (up to token end), an id names the one
 * field its form declares; a form without one declares a field per type. */
static bool bind_fields(struct wat *w, size_t end, uint32_t x)
{
	size_t i = w->pos;
	while (i < end && !(w->toks[i].kind == WAT_LPAR && wat_tok_is(w, &w->toks[i + 1], "struct")))
		i++;
	if (i >= end || x >= WAT_SP_FIELD)
		return true;
	uint32_t k = 0;
	size_t close_struct = w->toks[i].match;
	for (i += 2; i < close_struct; i = w->toks[i].match + 1) {
		if (w->toks[i].kind != WAT_LPAR || !wat_tok_is(w, &w->toks[i + 1], "field"))
			return true;  /* the pass that parses the type reports it */
		size_t j = i + 2, close = w->toks[i].match;
		if (w->toks[j].kind == WAT_ID) {
			if (!wat_bind(w, WAT_SP_FIELD + x, &w->toks[j], k++))
				return false;
			continue;
		}
		for (; j < close; j = w->toks[j].kind == WAT_LPAR ? w->toks[j].match + 1 : j + 1)
			k++;
	}
	return true;
}

bool wat_bind_typedef(struct wat *w, uint32_t *n)
{
	size_t end = w->toks[w->pos].match;
	bool ok = true;
	if (wat_at_lpar_kw(w, "type")) {
		w->pos += 2;
		const struct wat_tok *id = wat_peek(w, 0)->kind == WAT_ID ? wat_peek(w, 0) : NULL;
		ok = wat_bind(w, WAT_SP_TYPE, id, *n) && bind_fields(w, end, *n);
		(*n)++;
	} else if (wat_at_lpar_kw(w, "rec")) {
		w->pos += 2;
		while (ok && wat_at_lpar_kw(w, "type"))
			ok = wat_bind_typedef(w, n);
	}
	w->pos = end + 1;
	return ok;
}

static void put_type(struct wat *w, struct wlab_buf *b, const struct wat_type *t)
{
	const struct wlab_buf *pool = &w->typepool;
	size_t base = t->at / sizeof(wlab_valtype_t);
	if (t->sub) {
		wlab_buf_u8(b, t->final ? WLAB_SUB_FINAL : WLAB_SUB);
		wlab_buf_u32(b, t->nsupers);
		for (uint32_t k = 0; k < t->nsupers; k++)
			wlab_buf_u32(b, wat_type_at(pool, t->super_at / sizeof(wlab_valtype_t) + k));
	}
	wlab_buf_u8(b, t->form);
	if (t->form == WLAB_FORM_FUNC) {
		wlab_buf_u32(b, t->np);
		for (uint32_t k = 0; k < t->np; k++)
			wlab_buf_valtype(b, wat_type_at(pool, base + k));
		wlab_buf_u32(b, t->nr);
		for (uint32_t k = 0; k < t->nr; k++)
			wlab_buf_valtype(b, wat_type_at(pool, base + t->np + k));
		return;
	}
	if (t->form == WLAB_FORM_STRUCT)
		wlab_buf_u32(b, t->nr);
	for (uint32_t k = 0; k < t->nr; k++) {
		wlab_buf_valtype(b, wat_type_at(pool, base + 2 * k));
		wlab_buf_u8(b, (uint8_t)wat_type_at(pool, base + 2 * k + 1));
	}
}

uint32_t wat_types_put(struct wat *w, struct wlab_buf *b)
{
	uint32_t ngroups = 0;
	for (uint32_t i = 0; i < w->ntypes;) {
		const struct wat_type *t = &w->types[i];
		uint32_t size = t->rec_size ? t->rec_size : 1;
		if (t->rec_size) {
			wlab_buf_u8(b, WLAB_REC);
			wlab_buf_u32(b, t->rec_size);
		}
		for (uint32_t k = 0; k < size; k++)
			put_type(w, b, &w->types[i + k]);
		ngroups++;
		i += size;
	}
	return ngroups;
}
