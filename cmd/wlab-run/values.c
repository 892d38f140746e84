/* values.c: values as text: TYPE:VALUE for results and traces, JSON for
 * JSON traces, and the parser of command-line arguments. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"
#include "wlab.h"

uint32_t value_words(wlab_valtype_t type)
{
	return type == WLAB_V128 ? 2 : 1;
}

uint32_t values_words(const wlab_valtype_t *types, uint32_t n)
{
	uint32_t w = 0;
	for (uint32_t i = 0; i < n; i++)
		w += value_words(types[i]);
	return w;
}

/* The store (and the instance whose type indices name GC types) that
 * references are printed from; set by values_gc. */
static const struct wlab_store *gc_store;
static const struct wlab_instance *gc_inst;

void values_gc(const struct wlab_store *s, const struct wlab_instance *inst)
{
	gc_store = s;
	gc_inst = inst;
}

/* A GC reference of the any hierarchy: i31:N (signed), (ref struct T),
 * (ref array T len N) with T the type index in gc_inst's module (or #ID, the
 * store's type id, when it has none), host:0xW for a host word let in by
 * any.convert_extern, else non-null. */
static void format_any(char *buf, size_t size, const char *t, uint64_t v)
{
	uint32_t id, len, k = 0, n = gc_inst ? wlab_instance_module(gc_inst)->ntypes : 0, x;
	bool is_array;
	if (gc_store && wlab_ref_test(gc_store, v, WLAB_HT_I31)) {
		snprintf(buf, size, "%s:i31:%" PRId32, t, (int32_t)((uint32_t)v << 1) >> 1);
		return;
	}
	if (!gc_store || !wlab_ref_object(gc_store, v, &id, &len, &is_array)) {
		snprintf(buf, size, gc_store ? "%s:host:0x%" PRIx64 : "%s:non-null", t, v);
		return;
	}
	while (k < n && !(wlab_instance_type_id(gc_inst, k, &x) && x == id))
		k++;
	char ty[16];
	snprintf(ty, sizeof ty, k < n ? "%" PRIu32 : "#%" PRIu32, k < n ? k : id);
	if (is_array)
		snprintf(buf, size, "%s:(ref array %s len %" PRIu32 ")", t, ty, len);
	else
		snprintf(buf, size, "%s:(ref struct %s)", t, ty);
}

/* A reference as text, never a host address: externref shows the host's
 * word (the embedder's own value), a funcref the function it names (func[N]
 * in its instance, or host), a reference of the any hierarchy its object
 * (format_any), any other non-null reference "non-null". */
/* The hierarchy of reference type (of gc_inst's module): WLAB_HT_FUNC,
 * _EXTERN, _EXN, _ANY, or 0 when unknown. */
static wlab_heaptype_t ref_top(wlab_valtype_t type)
{
	wlab_heaptype_t h = wlab_ref_heap(type), top = wlab_heap_is_concrete(h) ? 0 : wlab_heap_top(h);
	if (!top && gc_inst && wlab_heap_index(h) < wlab_instance_module(gc_inst)->ntypes)
		top = wlab_instance_module(gc_inst)->types[wlab_heap_index(h)].form == WLAB_FORM_FUNC
		      ? WLAB_HT_FUNC : WLAB_HT_ANY;
	return top;
}

static void format_ref(char *buf, size_t size, wlab_valtype_t type, uint64_t v)
{
	char t[64];
	wlab_type_str(type, t, sizeof t);
	wlab_heaptype_t top = ref_top(type);
	if (!v) {
		snprintf(buf, size, "%s:null", t);
	} else if (top == WLAB_HT_EXTERN) {
		snprintf(buf, size, "%s:0x%" PRIx64, t, v);
	} else if (top == WLAB_HT_FUNC) {
		uint32_t i = wlab_func_index((const struct rt_func *)(uintptr_t)v);
		if (i == UINT32_MAX)
			snprintf(buf, size, "%s:host", t);
		else
			snprintf(buf, size, "%s:func[%" PRIu32 "]", t, i);
	} else if (top == WLAB_HT_ANY) {
		format_any(buf, size, t, v);
	} else {
		snprintf(buf, size, "%s:non-null", t);
	}
}

void format_value(char *buf, size_t size, wlab_valtype_t type, const uint64_t *vp)
{
	float f;
	double d;
	uint64_t v = vp[0];
	uint32_t u = (uint32_t)v;
	switch (type) {
	case WLAB_V128: snprintf(buf, size, "v128:0x%016" PRIx64 "%016" PRIx64, vp[1], v); break;
	case WLAB_I32: snprintf(buf, size, "i32:%" PRIu32, u); break;
	case WLAB_I64: snprintf(buf, size, "i64:%" PRIu64, v); break;
	case WLAB_F32: memcpy(&f, &u, 4); snprintf(buf, size, "f32:%.9g", (double)f); break;
	case WLAB_F64: memcpy(&d, &v, 8); snprintf(buf, size, "f64:%.17g", d); break;
	default: format_ref(buf, size, type, v); break;
	}
}

void print_value(wlab_valtype_t type, const uint64_t *v)
{
	char buf[64], t[64];
	if (wlab_type_is_ref(type) && v[0] && gc_inst && ref_top(type) == WLAB_HT_ANY) {
		static char line[GC_LINE];
		wlab_type_str(type, t, sizeof t);
		if (format_gc_object(line, sizeof line, gc_store, gc_inst, t, v[0])) {
			puts(line);
			return;
		}
	}
	format_value(buf, sizeof buf, type, v);
	puts(buf);
}

void json_value(FILE *f, wlab_valtype_t type, const uint64_t *v)
{
	char buf[64];
	const char *name = wlab_valtype_name(type);
	format_value(buf, sizeof buf, type, v);
	const char *text = strchr(buf, ':') + 1;
	double d = 0;
	if (type == WLAB_F32) {
		float x;
		uint32_t u = (uint32_t)v[0];
		memcpy(&x, &u, 4);
		d = x;
	} else if (type == WLAB_F64) {
		memcpy(&d, v, 8);
	}
	bool number = type == WLAB_I32 || type == WLAB_I64 ||
		      ((type == WLAB_F32 || type == WLAB_F64) && isfinite(d));
	fprintf(f, "{\"type\":\"%s\",\"value\":%s%s%s}", name ? name : "?", number ? "" : "\"",
		text, number ? "" : "\"");
}

void put_values(FILE *f, const wlab_valtype_t *types, uint32_t n, const uint64_t *v)
{
	char buf[64];
	fputc('(', f);
	for (uint32_t i = 0; i < n; i++) {
		format_value(buf, sizeof buf, types[i], v);
		v += value_words(types[i]);
		fprintf(f, "%s%s", i ? ", " : "", buf);
	}
	fputc(')', f);
}

static int parse_int(const char *s, wlab_valtype_t type, uint64_t *out)
{
	char *end;
	errno = 0;
	if (!*s || *s == ' ')
		return -1;
	if (s[0] == '-') {
		long long v = strtoll(s, &end, 0);
		if (type == WLAB_I32 && v < INT32_MIN)
			return -1;
		*out = (uint64_t)v;
	} else {
		unsigned long long v = strtoull(s, &end, 0);
		if (type == WLAB_I32 && v > UINT32_MAX)
			return -1;
		*out = v;
	}
	if (type == WLAB_I32)
		*out = (uint32_t)*out;
	return *end || errno ? -1 : 0;
}

static int parse_float(const char *s, wlab_valtype_t type, uint64_t *out)
{
	char *end;
	errno = 0;
	if (!*s)
		return -1;
	if (type == WLAB_F32) {
		float f = strtof(s, &end);
		uint32_t u;
		memcpy(&u, &f, 4);
		*out = u;
	} else {
		double d = strtod(s, &end);
		memcpy(out, &d, 8);
	}
	return *end || (errno && errno != ERANGE) ? -1 : 0;
}

/* A v128: 0x and up to 32 hex digits (the 128-bit number), or a shape and
 * its lanes, lane 0 first: i32x4:1,2,3,4 (i8x16, i16x8, i32x4, i64x2,
 * f32x4, f64x2). */
static int parse_v128(const char *s, uint64_t *out)
{
	static const char *const shapes[] = {"i8x16:", "i16x8:", "i32x4:", "i64x2:", "f32x4:",
					     "f64x2:"};
	uint8_t bytes[16] = {0};
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		size_t n = strlen(s + 2);
		if (n == 0 || n > 32 || strspn(s + 2, "0123456789abcdefABCDEF") != n)
			return -1;
		for (size_t i = 0; i < n; i++) {
			char c = s[2 + n - 1 - i];
			unsigned d = c <= '9' ? (unsigned)(c - '0') : (unsigned)((c | 0x20) - 'a' + 10);
			bytes[i / 2] |= (uint8_t)(d << (i % 2 * 4));
		}
		memcpy(out, bytes, 16);
		return 0;
	}
	for (size_t k = 0; k < 6; k++) {
		size_t len = strlen(shapes[k]);
		if (strncmp(s, shapes[k], len))
			continue;
		unsigned w = k < 4 ? 1u << k : 4u << (k - 4), lanes = 16 / w;
		wlab_valtype_t type = k < 4 ? (w == 8 ? WLAB_I64 : WLAB_I32) : (w == 8 ? WLAB_F64 : WLAB_F32);
		const char *p = s + len;
		for (unsigned i = 0; i < lanes; i++) {
			char lane[64];
			size_t n = strcspn(p, ",");
			uint64_t x;
			if (n == 0 || n >= sizeof lane || (i + 1 < lanes) != (p[n] == ','))
				return -1;
			memcpy(lane, p, n);
			lane[n] = 0;
			if (type == WLAB_F32 || type == WLAB_F64 ? parse_float(lane, type, &x)
								 : parse_int(lane, type, &x))
				return -1;
			if (w < 4 && (int64_t)(int32_t)x < -(1 << (w * 8 - 1)))
				return -1;
			if (w < 4 && (uint32_t)x >= (1u << (w * 8)) && (int32_t)x >= 0)
				return -1;
			memcpy(bytes + i * w, &x, w);  /* little-endian host */
			p += n + (p[n] == ',');
		}
		memcpy(out, bytes, 16);
		return 0;
	}
	return -1;
}

static bool is_externref(wlab_valtype_t t)
{
	wlab_heaptype_t h = wlab_ref_heap(t);
	return wlab_type_is_ref(t) && !wlab_heap_is_concrete(h) && wlab_heap_top(h) == WLAB_HT_EXTERN;
}

int parse_value(const char *s, wlab_valtype_t type, uint64_t *out, char *why, size_t whysize)
{
	const char *colon = strchr(s, ':'), *want = wlab_valtype_name(type);
	if (colon && colon - s <= 9) {
		char name[10];
		memcpy(name, s, (size_t)(colon - s));
		name[colon - s] = 0;
		wlab_valtype_t given = wlab_valtype_by_name(name);
		if (given) {
			if (given != type) {
				snprintf(why, whysize, "'%s' is %s but the parameter is %s", s, name,
					 want ? want : "?");
				return -1;
			}
			s = colon + 1;
		}
	}
	int bad;
	if (type == WLAB_I32 || type == WLAB_I64)
		bad = parse_int(s, type, out);
	else if (type == WLAB_F32 || type == WLAB_F64)
		bad = parse_float(s, type, out);
	else if (type == WLAB_V128)
		bad = parse_v128(s, out);
	else if (!strcmp(s, "null"))
		bad = (*out = 0, 0);
	else if (is_externref(type))
		bad = parse_int(s, WLAB_I64, out) || !*out;
	else
		bad = 1;  /* a funcref (or exnref) word is the host's pointer: never from the user */
	if (bad && wlab_type_is_ref(type) && !is_externref(type))
		snprintf(why, whysize, "'%s': a %s argument can only be null", s, want ? want : "reference");
	else if (bad)
		snprintf(why, whysize, "'%s' is not a%s %s", s,
			 type == WLAB_I32 || type == WLAB_I64 ? "n" : "", want ? want : "value");
	return bad ? -1 : 0;
}
