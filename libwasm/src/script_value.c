/* script_value.c: the constants and result patterns of a .wast script:
 * numbers, v128 lanes, NaN patterns, references, (either ...). */
#include <stdlib.h>
#include <string.h>

#include "script_internal.h"
#include "wlab/module.h"

static const struct {
	const char *name;
	wlab_heaptype_t heap;
} heaps[] = {
#define WLAB_HEAPTYPE(code, cname, name, shorthand) {name, code},
#include "wlab/heaptypes.def"
#undef WLAB_HEAPTYPE
};

static bool heap_by_name(const struct wat *w, const struct wat_tok *t, wlab_heaptype_t *h)
{
	for (size_t i = 0; i < sizeof heaps / sizeof heaps[0]; i++)
		if (wat_tok_is(w, t, heaps[i].name)) {
			*h = heaps[i].heap;
			return true;
		}
	return false;
}

/* nan:canonical or nan:arithmetic at t (results only). */
static uint8_t nan_pattern(const struct wat *w, const struct wat_tok *t, bool result)
{
	if (!result)
		return WLAB_NAN_NONE;
	if (wat_tok_is(w, t, "nan:canonical"))
		return WLAB_NAN_CANONICAL;
	if (wat_tok_is(w, t, "nan:arithmetic"))
		return WLAB_NAN_ARITHMETIC;
	return WLAB_NAN_NONE;
}

/* One float (32 or 64 bits) or its NaN pattern; consumes the token. */
static bool float_value(struct wat *w, unsigned bits, bool result, uint64_t *v, uint8_t *nan)
{
	const struct wat_tok *t = wat_peek(w, 0);
	*nan = nan_pattern(w, t, result);
	*v = 0;
	if (*nan == WLAB_NAN_NONE) {
		uint32_t f;
		if (t->kind != WAT_ATOM)
			return wat_fail_tok(w, "a float");
		if (bits == 32 ? !wat_f32(w, t, &f) : !wat_f64(w, t, v))
			return false;
		if (bits == 32)
			*v = f;
	}
	w->pos++;
	return true;
}

static bool int_value(struct wat *w, unsigned bits, uint64_t *v)
{
	const struct wat_tok *t = wat_peek(w, 0);
	if (t->kind != WAT_ATOM)
		return wat_fail_tok(w, "an integer");
	if (!wat_int(w, t, bits, v))
		return false;
	w->pos++;
	return true;
}

static bool v128_value(struct wat *w, struct wlab_script_value *v, bool result)
{
	static const struct {
		const char *shape;
		uint8_t bits;
		bool flt;
	} shapes[] = {{"i8x16", 8, false}, {"i16x8", 16, false}, {"i32x4", 32, false},
		      {"i64x2", 64, false}, {"f32x4", 32, true}, {"f64x2", 64, true}};
	size_t k = 0;
	while (k < 6 && !wat_at_kw(w, shapes[k].shape))
		k++;
	if (k == 6)
		return wat_fail_tok(w, "a v128 shape");
	w->pos++;
	v->lane_bits = shapes[k].bits;
	v->lane_float = shapes[k].flt;
	uint8_t bytes[16];
	unsigned lanes = 128 / v->lane_bits, size = v->lane_bits / 8;
	for (unsigned i = 0; i < lanes; i++) {
		uint64_t x;
		uint8_t nan = 0;
		if (v->lane_float ? !float_value(w, v->lane_bits, result, &x, &nan)
				  : !int_value(w, v->lane_bits, &x))
			return false;
		if (v->lane_float)
			v->nan[i] = nan;
		for (unsigned b = 0; b < size; b++)
			bytes[i * size + b] = (uint8_t)(x >> (8 * b));
	}
	for (unsigned b = 0; b < 16; b++)
		v->bits[b / 8] |= (uint64_t)bytes[b] << (8 * (b % 8));
	return true;
}

/* (ref.null ht?), (ref.extern N?), (ref.host N), (ref.func) ... after the keyword. */
static bool ref_value(struct wat *w, const struct wat_tok *kw, struct wlab_script_value *v,
		      bool result)
{
	const char *s = w->text + kw->off + 4;  /* after "ref." */
	size_t n = kw->len - 4;
	const struct wat_tok *t = wat_peek(w, 0);
	if (n == 4 && !memcmp(s, "null", 4)) {
		v->kind = WLAB_VAL_REF_NULL;
		if (t->kind == WAT_RPAR && result)
			return true;
		if (t->kind == WAT_ID || wat_is_nat(w, t)) {
			/* a concrete heap type names a type of some module: any null */
			w->pos++;
			return true;
		}
		if (!heap_by_name(w, t, &v->heap))
			return wat_fail_tok(w, "a heap type");
		w->pos++;
		return true;
	}
	if ((n == 6 && !memcmp(s, "extern", 6)) || (n == 4 && !memcmp(s, "host", 4))) {
		v->kind = s[0] == 'e' ? WLAB_VAL_REF_EXTERN : WLAB_VAL_REF_HOST;
		if (t->kind == WAT_RPAR && result && v->kind == WLAB_VAL_REF_EXTERN)
			return true;
		if (!wat_nat(w, t, UINT32_MAX, &v->bits[0]))
			return false;
		v->has_payload = true;
		w->pos++;
		return true;
	}
	struct wat_tok name = *kw;
	name.off += 4, name.len -= 4;
	if (!result || !heap_by_name(w, &name, &v->heap))
		return wat_fail(w, kw->off, "unknown constant '%.*s'", (int)(kw->len < 40 ? kw->len : 40),
				w->text + kw->off);
	v->kind = WLAB_VAL_REF;
	return true;
}

bool script_value(struct wat *w, struct wlab_script_value *v, bool result)
{
	memset(v, 0, sizeof *v);
	if (wat_peek(w, 0)->kind != WAT_LPAR || wat_peek(w, 1)->kind != WAT_ATOM) {
		if (wat_peek(w, 0)->kind == WAT_LPAR)
			w->pos++;
		return wat_fail_tok(w, result ? "a result" : "a constant");
	}
	const struct wat_tok *kw = wat_peek(w, 1);
	const char *s = w->text + kw->off;
	w->pos += 2;
	bool ok;
	v->kind = WLAB_VAL_NUM;
	if (wat_tok_is(w, kw, "i32.const") || wat_tok_is(w, kw, "i64.const")) {
		v->type = s[1] == '3' ? WLAB_I32 : WLAB_I64;
		ok = int_value(w, s[1] == '3' ? 32 : 64, &v->bits[0]);
	} else if (wat_tok_is(w, kw, "f32.const") || wat_tok_is(w, kw, "f64.const")) {
		v->type = s[1] == '3' ? WLAB_F32 : WLAB_F64;
		ok = float_value(w, s[1] == '3' ? 32 : 64, result, &v->bits[0], &v->nan[0]);
	} else if (wat_tok_is(w, kw, "v128.const")) {
		v->type = WLAB_V128;
		ok = v128_value(w, v, result);
	} else if (kw->len > 4 && !memcmp(s, "ref.", 4)) {
		ok = ref_value(w, kw, v, result);
	} else {
		w->pos--;
		ok = wat_fail(w, kw->off, "unknown constant '%.*s'", (int)(kw->len < 40 ? kw->len : 40), s);
	}
	return ok && wat_expect_rpar(w);
}

bool script_result(struct wat *w, struct wlab_script_result *r)
{
	r->nalts = 0;
	r->alts = NULL;
	if (!wat_at_lpar_kw(w, "either")) {
		r->alts = calloc(1, sizeof *r->alts);
		if (!r->alts)
			return wat_oom(w);
		r->nalts = 1;
		return script_value(w, r->alts, true);
	}
	const struct wat_tok *lp = wat_peek(w, 0);
	size_t n = 0;
	for (size_t i = w->pos + 2; i < lp->match; i = w->toks[i].match + 1, n++)
		if (w->toks[i].kind != WAT_LPAR)
			break;
	w->pos += 2;
	r->alts = calloc(n ? n : 1, sizeof *r->alts);
	if (!r->alts)
		return wat_oom(w);
	while (wat_peek(w, 0)->kind != WAT_RPAR) {
		if (r->nalts == n)
			return wat_fail_tok(w, "a result");
		if (!script_value(w, &r->alts[r->nalts++], true))
			return false;
	}
	return wat_expect_rpar(w);
}
