/* wat_names.c: identifiers per index space (a hash table), value types and
 * type uses with the implicit type definition rule. */
#include <stdlib.h>
#include <string.h>

#include "features_internal.h"
#include "wat_internal.h"

static const char *const space_names[] = {"type", "function", "table", "memory", "global",
					  "elem segment", "data segment", "tag", "local", "field"};

static const char *space_name(uint32_t space)
{
	return space_names[space < WAT_SP_LOCAL ? space : space < WAT_SP_FIELD ? WAT_SP_LOCAL
										 : WAT_SP_LOCAL + 1];
}

static uint32_t hash(const char *p, uint32_t len, uint32_t space)
{
	uint32_t h = 2166136261u ^ space;
	for (uint32_t i = 0; i < len; i++)
		h = (h ^ (uint8_t)p[i]) * 16777619u;
	return h;
}

static struct wat_name *slot(const struct wat *w, uint32_t space, const char *id, uint32_t len)
{
	if (!w->names_cap)
		return NULL;
	size_t mask = w->names_cap - 1;
	for (size_t i = hash(id, len, space) & mask;; i = (i + 1) & mask) {
		struct wat_name *n = &w->names[i];
		if (!n->space || (n->space == space + 1 && n->len == len && !memcmp(n->id, id, len)))
			return n;
	}
}

static struct wat_name *tok_slot(const struct wat *w, uint32_t space, const struct wat_tok *t)
{
	uint32_t len;
	const char *id = wat_id_bytes(w, t, &len);
	return slot(w, space, id, len);
}

static bool grow(struct wat *w)
{
	size_t ncap = w->names_cap ? w->names_cap * 2 : 64;
	struct wat_name *old = w->names, *nw = calloc(ncap, sizeof *nw);
	size_t ocap = w->names_cap;
	if (!nw)
		return wat_oom(w);
	w->names = nw;
	w->names_cap = ncap;
	for (size_t i = 0; i < ocap; i++)
		if (old[i].space)
			*slot(w, old[i].space - 1, old[i].id, old[i].len) = old[i];
	free(old);
	return true;
}

bool wat_bind(struct wat *w, uint32_t space, const struct wat_tok *id, uint32_t index)
{
	if (!id || id->kind != WAT_ID)
		return true;
	if ((w->nnames + 1) * 2 > w->names_cap && !grow(w))
		return false;
	struct wat_name *n = tok_slot(w, space, id);
	if (n->space)
		return wat_fail(w, id->off, "duplicate %s %.*s",
				space_name(space),
				(int)(id->len < 40 ? id->len : 40), w->text + id->off);
	uint32_t len;
	const char *bytes = wat_id_bytes(w, id, &len);
	*n = (struct wat_name){space + 1, bytes, len, index};
	w->nnames++;
	return true;
}

bool wat_index(struct wat *w, uint32_t space, uint32_t *index)
{
	const struct wat_tok *t = wat_peek(w, 0);
	const char *what = space_name(space);
	if (t->kind == WAT_ID) {
		struct wat_name *n = tok_slot(w, space, t);
		if (!n || !n->space)
			return wat_fail(w, t->off, "unknown %s %.*s", what,
					(int)(t->len < 40 ? t->len : 40), w->text + t->off);
		*index = n->index;
		w->pos++;
		return true;
	}
	uint64_t v;
	if (t->kind != WAT_ATOM || !wat_is_nat(w, t))
		return wat_fail_tok(w, what);
	if (!wat_nat(w, t, UINT32_MAX, &v))
		return false;
	*index = (uint32_t)v;
	w->pos++;
	return true;
}

static const struct {
	const char *name;
	uint8_t code;
} numtypes[] = {
	{"i32", 0x7f}, {"i64", 0x7e}, {"f32", 0x7d}, {"f64", 0x7c}, {"v128", 0x7b},
};

static const struct {
	const char *name, *shorthand;
	uint8_t code;
} heaptypes[] = {
#define WLAB_HEAPTYPE(code, cname, name, shorthand) {name, shorthand, code},
#include "wlab/heaptypes.def"
#undef WLAB_HEAPTYPE
};

/* Fails when the features lack what a type needs (need, from types.c's
 * rule, which the decoder's is): the text from token `from` to token `to`,
 * then what needs which feature. */
static bool type_off(struct wat *w, size_t from, size_t to, uint32_t need, const char *what)
{
	const char *f = wlab_feature_name(need & (~need + 1u));
	size_t off = w->toks[from].off, len = w->toks[to].off + w->toks[to].len - off;
	return wat_fail(w, off, "unexpected token %s%.*s%s: %s needs the %s feature (--enable-%s)",
			from == to ? "(" : "", (int)(len < 40 ? len : 40), w->text + off,
			from == to ? ")" : "", what, f, f);
}

bool wat_heaptype(struct wat *w, wlab_heaptype_t *h)
{
	const struct wat_tok *t = wat_peek(w, 0);
	uint32_t x;
	if (t->kind == WAT_ID || (t->kind == WAT_ATOM && wat_is_nat(w, t))) {
		if (!wat_index(w, WAT_SP_TYPE, &x))
			return false;
		*h = wlab_heap_concrete(x);
		return true;
	}
	const char *what;
	for (size_t i = 0; i < sizeof heaptypes / sizeof heaptypes[0]; i++)
		if (wat_tok_is(w, t, heaptypes[i].name)) {
			uint32_t need = wlab_heaptype_off(heaptypes[i].code, w->features, &what);
			if (need)
				return type_off(w, w->pos, w->pos, need, what);
			*h = heaptypes[i].code;
			w->pos++;
			return true;
		}
	return wat_fail(w, t->off, "unexpected token '%.*s', expected a heap type",
			(int)(t->len < 40 ? t->len : 40), w->text + t->off);
}

/* `(ref null? ht)` at the cursor, consumed. */
static bool ref_form(struct wat *w, wlab_valtype_t *vt)
{
	wlab_heaptype_t h;
	size_t start = w->pos;
	const char *what;
	w->pos += 2;
	bool null = wat_at_kw(w, "null");
	w->pos += null;
	if (!wat_heaptype(w, &h) || !wat_expect_rpar(w))
		return false;
	*vt = wlab_ref_type(null, h);
	uint32_t need = wlab_valtype_off(*vt, w->features, &what);
	return need ? type_off(w, start, w->pos - 1, need, what) : true;
}

bool wat_valtype(struct wat *w, wlab_valtype_t *vt)
{
	const struct wat_tok *t = wat_peek(w, 0);
	if (wat_at_lpar_kw(w, "ref"))
		return ref_form(w, vt);
	*vt = 0;
	for (size_t i = 0; i < sizeof numtypes / sizeof numtypes[0]; i++)
		if (wat_tok_is(w, t, numtypes[i].name))
			*vt = numtypes[i].code;
	for (size_t i = 0; i < sizeof heaptypes / sizeof heaptypes[0]; i++)
		if (wat_tok_is(w, t, heaptypes[i].shorthand))
			*vt = heaptypes[i].code;
	const char *what;
	uint32_t need = *vt ? wlab_valtype_off(*vt, w->features, &what) : 0;
	if (need)
		return type_off(w, w->pos, w->pos, need, what);
	if (*vt) {
		w->pos++;
		return true;
	}
	return wat_fail(w, t->off, "unexpected token '%.*s', expected a value type",
			(int)(t->len < 40 ? t->len : 40), w->text + t->off);
}

bool wat_reftype(struct wat *w, wlab_valtype_t *rt)
{
	const struct wat_tok *t = wat_peek(w, 0);
	if (!wat_valtype(w, rt))
		return false;
	return wlab_type_is_ref(*rt) ? true : wat_fail(w, t->off, "expected a reference type");
}

bool wat_at_reftype(const struct wat *w)
{
	if (wat_at_lpar_kw(w, "ref"))
		return true;
	for (size_t i = 0; i < sizeof heaptypes / sizeof heaptypes[0]; i++)
		if (wat_at_kw(w, heaptypes[i].shorthand))
			return true;
	return false;
}

void wat_put_type(struct wlab_buf *b, wlab_valtype_t t)
{
	wlab_buf_bytes(b, &t, sizeof t);
}

wlab_valtype_t wat_type_at(const struct wlab_buf *b, size_t i)
{
	wlab_valtype_t t;
	memcpy(&t, b->data + i * sizeof t, sizeof t);
	return t;
}

void wat_sig_free(struct wat_sig *s)
{
	wlab_buf_free(&s->p);
	wlab_buf_free(&s->r);
}

bool wat_sig_parse(struct wat *w, struct wat_sig *s, int ids)
{
	bool local_names = ids == 1;
	wlab_valtype_t vt;
	s->has_type = s->inl = false;
	if (wat_at_lpar_kw(w, "type")) {
		w->pos += 2;
		if (!wat_index(w, WAT_SP_TYPE, &s->x) || !wat_expect_rpar(w))
			return false;
		s->has_type = true;
	}
	while (wat_at_lpar_kw(w, "param")) {
		s->inl = true;
		w->pos += 2;
		if (wat_peek(w, 0)->kind == WAT_ID) {
			if (ids == 2)
				return wat_fail(w, wat_peek(w, 0)->off, "unexpected token: an identifier here");
			if (local_names && !wat_bind(w, w->local_space, wat_peek(w, 0), w->nlocals))
				return false;
			w->pos++;
			if (!wat_valtype(w, &vt))
				return false;
			wat_put_type(&s->p, vt);
			w->nlocals += local_names;
		} else {
			while (wat_peek(w, 0)->kind != WAT_RPAR) {
				if (!wat_valtype(w, &vt))
					return false;
				wat_put_type(&s->p, vt);
				w->nlocals += local_names;
			}
		}
		if (!wat_expect_rpar(w))
			return false;
	}
	while (wat_at_lpar_kw(w, "result")) {
		s->inl = true;
		w->pos += 2;
		while (wat_peek(w, 0)->kind != WAT_RPAR) {
			if (!wat_valtype(w, &vt))
				return false;
			wat_put_type(&s->r, vt);
		}
		if (!wat_expect_rpar(w))
			return false;
	}
	return wlab_buf_ok(&s->p) && wlab_buf_ok(&s->r) ? true : wat_oom(w);
}

const struct wat_type *wat_type_get(const struct wat *w, uint32_t x)
{
	return x < w->ntypes ? &w->types[x] : NULL;
}

/* An implicit type use equals a function type alone in its group, final
 * and without supertype, of the same params and results. */
/* Whether s's params and results are those of function type t (any type:
 * `(type x) (param ...)` checks only these, whatever x's supertypes). */
static bool sig_matches(const struct wat *w, const struct wat_type *t, const struct wat_sig *s)
{
	const uint8_t *pool = w->typepool.data;
	size_t np = (size_t)t->np * sizeof(wlab_valtype_t), nr = (size_t)t->nr * sizeof(wlab_valtype_t);
	return t->form == WLAB_FORM_FUNC && np == s->p.size && nr == s->r.size &&
	       (!np || !memcmp(pool + t->at, s->p.data, np)) &&
	       (!nr || !memcmp(pool + t->at + np, s->r.data, nr));
}

/* Whether t is the type an inline type use without (type x) stands for:
 * a final function type with no supertypes, alone in its rec group. */
static bool type_equal(const struct wat *w, const struct wat_type *t, const struct wat_sig *s)
{
	return t->final && !t->nsupers && t->rec_size <= 1 && sig_matches(w, t, s);
}

bool wat_type_push(struct wat *w, struct wat_type *t, uint32_t *x)
{
	if (w->ntypes == w->types_cap) {
		uint32_t ncap = w->types_cap ? w->types_cap * 2 : 16;
		struct wat_type *nt = realloc(w->types, ncap * sizeof *nt);
		if (!nt)
			return wat_oom(w);
		w->types = nt;
		w->types_cap = ncap;
	}
	if (!wlab_buf_ok(&w->typepool))
		return wat_oom(w);
	w->types[w->ntypes] = *t;
	*x = w->ntypes++;
	return true;
}

/* Appends a function type (explicit or implicit); returns its index via *x. */
static bool type_add(struct wat *w, const struct wat_sig *s, uint32_t *x)
{
	struct wat_type t = {.form = WLAB_FORM_FUNC, .final = true};
	t.np = (uint32_t)(s->p.size / sizeof(wlab_valtype_t));
	t.nr = (uint32_t)(s->r.size / sizeof(wlab_valtype_t));
	t.at = t.super_at = (uint32_t)w->typepool.size;
	wlab_buf_bytes(&w->typepool, s->p.data, s->p.size);
	wlab_buf_bytes(&w->typepool, s->r.data, s->r.size);
	return wat_type_push(w, &t, x);
}

bool wat_type_define(struct wat *w, const struct wat_sig *s)
{
	uint32_t x;
	return type_add(w, s, &x);
}

bool wat_sig_resolve(struct wat *w, struct wat_sig *s, size_t off, uint32_t *typeidx, uint32_t *np)
{
	if (s->has_type) {
		const struct wat_type *t = wat_type_get(w, s->x);
		if (!t && s->inl)
			return wat_fail(w, off, "unknown type %u", s->x);
		if (t && s->inl && !sig_matches(w, t, s))
			return wat_fail(w, off, "inline function type does not match the type use");
		*typeidx = s->x;
		*np = t ? t->np : (uint32_t)(s->p.size / sizeof(wlab_valtype_t));
		return true;
	}
	*np = (uint32_t)(s->p.size / sizeof(wlab_valtype_t));
	for (uint32_t i = 0; i < w->ntypes; i++)
		if (type_equal(w, &w->types[i], s)) {
			*typeidx = i;
			return true;
		}
	return type_add(w, s, typeidx);
}
