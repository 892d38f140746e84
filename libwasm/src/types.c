/* types.c: names of value, reference and heap types (wlab/types.h). */
#include <stdio.h>

#include "wlab/module.h"
#include "wlab/instr.h"
#include "wlab/types.h"

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

/* Whether features allow an abstract heap type. */
static bool heap_allowed(uint32_t code, uint32_t features)
{
	switch (code) {
	case WLAB_HT_FUNC: case WLAB_HT_EXTERN:
		return true;
	case WLAB_HT_EXN: case WLAB_HT_NOEXN:
		return features & WLAB_FEATURE_EXCEPTIONS;
	case WLAB_HT_NOFUNC: case WLAB_HT_NOEXTERN: case WLAB_HT_NONE:
		return features & (WLAB_FEATURE_FUNCTION_REFERENCES | WLAB_FEATURE_GC);
	case WLAB_HT_ANY: case WLAB_HT_EQ: case WLAB_HT_I31: case WLAB_HT_STRUCT:
	case WLAB_HT_ARRAY:
		return features & WLAB_FEATURE_GC;
	default:
		return false;
	}
}

static enum wlab_status type_fail(struct wlab_reader *r, const uint8_t *at, const char *msg)
{
	r->pos = at;
	return wlab_error_set(r->err, WLAB_MALFORMED, wlab_reader_offset(r), "%s", msg);
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
	if (v < -64 || !heap_allowed(code, features))
		return type_fail(r, at, "malformed reference type");
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
	if (b >= 0x7c && b <= 0x7f && !ref_only) {
		*out = b;
		return WLAB_OK;
	}
	if (b == 0x7b && !ref_only && (features & WLAB_FEATURE_SIMD)) {
		*out = b;
		return WLAB_OK;
	}
	if (wlab_heap_is_abstract_code(b) && heap_allowed(b, features)) {
		*out = b;
		return WLAB_OK;
	}
	if ((b == WLAB_REF_CODE || b == WLAB_REF_NULL_CODE) &&
	    (features & (WLAB_FEATURE_FUNCTION_REFERENCES | WLAB_FEATURE_GC))) {
		wlab_heaptype_t h;
		if (wlab_read_heaptype(r, features, &h)) {
			r->pos = at;
			return WLAB_MALFORMED;
		}
		*out = wlab_ref_type(b == WLAB_REF_NULL_CODE, h);
		return WLAB_OK;
	}
	return type_fail(r, at, what);
}
