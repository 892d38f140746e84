/* types.c: names of value, reference and heap types, and 3.0 subtyping
 * (wlab/types.h). */
#include <stdio.h>

#include "wlab/module.h"
#include "wlab/instr.h"
#include "wlab/types.h"
#include "features_internal.h"

const char *wlab_heap_name(wlab_heaptype_t h)
{
	switch (h) {
#define WLAB_HEAPTYPE(code, cname, name, shorthand) case code: return name;
#include "wlab/heaptypes.def"
#undef WLAB_HEAPTYPE
	default:
		return NULL;
	}
}

wlab_heaptype_t wlab_heap_top(wlab_heaptype_t h)
{
	switch (h) {
	case WLAB_HT_FUNC: case WLAB_HT_NOFUNC:
		return WLAB_HT_FUNC;
	case WLAB_HT_EXTERN: case WLAB_HT_NOEXTERN:
		return WLAB_HT_EXTERN;
	case WLAB_HT_EXN: case WLAB_HT_NOEXN:
		return WLAB_HT_EXN;
	default:
		return WLAB_HT_ANY;
	}
}

static bool is_bottom(wlab_heaptype_t h)
{
	return h == WLAB_HT_NOFUNC || h == WLAB_HT_NOEXTERN || h == WLAB_HT_NOEXN ||
	       h == WLAB_HT_NONE;
}

/* The abstract heap type a concrete one falls under (its own code if abstract). */
static wlab_heaptype_t kind_of(const struct wlab_subtyping *s, int side, wlab_heaptype_t h)
{
	if (!wlab_heap_is_concrete(h))
		return h;
	return s->concrete_kind ? s->concrete_kind(s, side, wlab_heap_index(h)) : WLAB_HT_FUNC;
}

bool wlab_heap_subtype(const struct wlab_subtyping *s, wlab_heaptype_t a, wlab_heaptype_t b)
{
	bool ca = wlab_heap_is_concrete(a), cb = wlab_heap_is_concrete(b);
	if (a == b && !ca)
		return true;
	wlab_heaptype_t ka = kind_of(s, 0, a), kb = kind_of(s, 1, b);
	if (wlab_heap_top(ka) != wlab_heap_top(kb))
		return false;
	if (is_bottom(a))
		return true;  /* nofunc, noextern, noexn, none: below their whole hierarchy */
	if (ca && cb)
		return s->concrete_sub(s, wlab_heap_index(a), wlab_heap_index(b));
	if (cb || is_bottom(b))
		return false;
	if (b == wlab_heap_top(b))
		return true;  /* func, extern, exn, any: the top of a's hierarchy */
	/* GC's middle of the any hierarchy: a struct or array type under struct
	 * or array, and eq above i31, struct and array. */
	if (ka == b)
		return true;
	return b == WLAB_HT_EQ && (ka == WLAB_HT_I31 || ka == WLAB_HT_STRUCT || ka == WLAB_HT_ARRAY);
}

bool wlab_val_subtype(const struct wlab_subtyping *s, wlab_valtype_t a, wlab_valtype_t b)
{
	if (!wlab_type_is_ref(a) || !wlab_type_is_ref(b))
		return a == b;
	if (wlab_ref_nullable(a) && !wlab_ref_nullable(b))
		return false;
	return wlab_heap_subtype(s, wlab_ref_heap(a), wlab_ref_heap(b));
}

static const char *shorthand(wlab_heaptype_t h)
{
	switch (h) {
#define WLAB_HEAPTYPE(code, cname, name, sh) case code: return sh;
#include "wlab/heaptypes.def"
#undef WLAB_HEAPTYPE
	default:
		return NULL;
	}
}

char *wlab_type_str(wlab_valtype_t t, char *buf, size_t size)
{
	if (!size)
		return buf;
	if (!wlab_type_is_ref(t)) {
		const char *n = t < 0x100 ? wlab_valtype_name((uint8_t)t) : NULL;
		if (!n)
			n = t == WLAB_PACKED_I8 ? "i8" : t == WLAB_PACKED_I16 ? "i16" : NULL;
		if (n)
			snprintf(buf, size, "%s", n);
		else
			snprintf(buf, size, "<type 0x%x>", (unsigned)t);
		return buf;
	}
	wlab_heaptype_t h = wlab_ref_heap(t);
	bool null = wlab_ref_nullable(t);
	if (null && !wlab_heap_is_concrete(h)) {
		snprintf(buf, size, "%s", shorthand(h));
	} else if (wlab_heap_is_concrete(h)) {
		snprintf(buf, size, "(ref %s%u)", null ? "null " : "", (unsigned)wlab_heap_index(h));
	} else {
		const char *n = wlab_heap_name(h);
		snprintf(buf, size, "(ref %s%s)", null ? "null " : "", n ? n : "?");
	}
	return buf;
}

char *wlab_functype_str(const wlab_valtype_t *params, uint32_t np,
			const wlab_valtype_t *results, uint32_t nr, char *buf, size_t size)
{
	char t[48];
	size_t at = 0;
	if (size)
		buf[0] = 0;
	for (int side = 0; side < 2 && (side == 0 || results); side++) {
		const wlab_valtype_t *v = side ? results : params;
		uint32_t n = side ? nr : np;
		at += (size_t)snprintf(buf + at, at < size ? size - at : 0, "%s(",
				       side ? " -> " : "");
		for (uint32_t i = 0; i < n; i++)
			at += (size_t)snprintf(buf + at, at < size ? size - at : 0, "%s%s",
					       i ? ", " : "", wlab_type_str(v[i], t, sizeof t));
		at += (size_t)snprintf(buf + at, at < size ? size - at : 0, ")");
	}
	return buf;
}

/* The features that allow an abstract heap type, any one of them (the
 * lowest is the one an error names); 0 for no heap type. func and extern
 * need none beyond the MVP. */
static uint32_t heap_features(uint32_t code)
{
	switch (code) {
	case WLAB_HT_FUNC: case WLAB_HT_EXTERN:
		return WLAB_FEATURE_MVP;
	case WLAB_HT_EXN: case WLAB_HT_NOEXN:
		return WLAB_FEATURE_EXCEPTIONS;
	case WLAB_HT_NOFUNC: case WLAB_HT_NOEXTERN:
		return WLAB_FEATURE_FUNCTION_REFERENCES | WLAB_FEATURE_GC;
	case WLAB_HT_NONE:  /* the bottom of any's hierarchy, GC's */
	case WLAB_HT_ANY: case WLAB_HT_EQ: case WLAB_HT_I31: case WLAB_HT_STRUCT:
	case WLAB_HT_ARRAY:
		return WLAB_FEATURE_GC;
	default:
		return 0;
	}
}

/* The features that allow a value type's first byte (heap_features' rule). */
static uint32_t valtype_features(uint8_t b, bool ref_only)
{
	if (b >= 0x7c && b <= 0x7f)
		return ref_only ? 0 : WLAB_FEATURE_MVP;
	if (b == 0x7b)
		return ref_only ? 0 : WLAB_FEATURE_SIMD;
	if (b == WLAB_REF_CODE || b == WLAB_REF_NULL_CODE)
		return WLAB_FEATURE_FUNCTION_REFERENCES | WLAB_FEATURE_GC;
	return wlab_heap_is_abstract_code(b) ? heap_features(b) : 0;
}

/* The first thing in t that features lack, as the decoder meets it: the
 * type's first byte (v128, a shorthand, a (ref ...) form), then an abstract
 * heap type. Its features, and its name in *what; 0 when none. */
uint32_t wlab_valtype_off(wlab_valtype_t t, uint32_t features, const char **what)
{
	uint8_t b = (uint8_t)(t & 0xff);
	uint32_t need = t < 0x100 ? valtype_features(b, false)
		      : WLAB_FEATURE_FUNCTION_REFERENCES | WLAB_FEATURE_GC;
	if (need && need != WLAB_FEATURE_MVP && !(need & features)) {
		*what = b == WLAB_REF_CODE ? "(ref ht)" : b == WLAB_REF_NULL_CODE ? "(ref null ht)"
		      : b == 0x7b ? "v128" : shorthand(b);
		return need;
	}
	return t < 0x100 ? 0 : wlab_heaptype_off(wlab_ref_heap(t), features, what);
}

uint32_t wlab_heaptype_off(wlab_heaptype_t h, uint32_t features, const char **what)
{
	uint32_t need = wlab_heap_is_concrete(h) ? 0 : heap_features(h);
	if (!need || need == WLAB_FEATURE_MVP || (need & features))
		return 0;
	*what = wlab_heap_name(h);
	return need;
}

uint32_t wlab_limits_flag_off(uint8_t bit, bool memory, uint32_t features, const char **what)
{
	bool shared = bit == WLAB_LIMITS_SHARED;
	uint32_t need = shared ? WLAB_FEATURE_THREADS : WLAB_FEATURE_MEMORY64;
	*what = shared ? "shared memory" : memory ? "i64 memory" : "i64 table";
	return need & features ? 0 : need;
}

static enum wlab_status type_fail(struct wlab_reader *r, const uint8_t *at, const char *msg)
{
	r->pos = at;
	return wlab_error_set(r->err, WLAB_MALFORMED, wlab_reader_offset(r), "%s", msg);
}

/* A known type that features lack: the spec's wording, then the feature. */
static enum wlab_status type_off(struct wlab_reader *r, const uint8_t *at, const char *msg,
				 const char *what, uint32_t bits)
{
	r->pos = at;
	return wlab_feature_off(r->err, wlab_reader_offset(r), msg, what, bits);
}

enum wlab_status wlab_read_heaptype(struct wlab_reader *r, uint32_t features,
				    wlab_heaptype_t *out)
{
	const uint8_t *at = r->pos;
	int64_t v;
	if (wlab_read_s33(r, &v))
		return WLAB_MALFORMED;
	if (v >= 0) {
		if (v >= (int64_t)WLAB_HT_CONCRETE)
			return type_fail(r, at, "integer too large");
		*out = wlab_heap_concrete((uint32_t)v);
		return WLAB_OK;
	}
	uint32_t code = (uint32_t)(v + 0x80);
	uint32_t need = v < -64 ? 0 : heap_features(code);
	if (!need)
		return type_fail(r, at, "malformed reference type");
	if (need != WLAB_FEATURE_MVP && !(need & features))
		return type_off(r, at, "malformed reference type", wlab_heap_name(code), need);
	*out = code;
	return WLAB_OK;
}

enum wlab_status wlab_read_valtype(struct wlab_reader *r, uint32_t features, bool ref_only,
				   wlab_valtype_t *out)
{
	const uint8_t *at = r->pos;
	const char *what = ref_only ? "malformed reference type" : "malformed value type";
	uint8_t b;
	if (wlab_read_u8(r, &b))
		return WLAB_MALFORMED;
	uint32_t need = valtype_features(b, ref_only);
	if (!need)
		return type_fail(r, at, what);
	if (need != WLAB_FEATURE_MVP && !(need & features)) {
		const char *name = b == WLAB_REF_CODE ? "(ref ht)"
				 : b == WLAB_REF_NULL_CODE ? "(ref null ht)"
				 : b == 0x7b ? "v128" : shorthand(b);
		return type_off(r, at, what, name ? name : "this type", need);
	}
	if (b == WLAB_REF_CODE || b == WLAB_REF_NULL_CODE) {
		wlab_heaptype_t h;
		if (wlab_read_heaptype(r, features, &h)) {
			r->pos = at;
			return WLAB_MALFORMED;
		}
		*out = wlab_ref_type(b == WLAB_REF_NULL_CODE, h);
		return WLAB_OK;
	}
	*out = b;
	return WLAB_OK;
}
