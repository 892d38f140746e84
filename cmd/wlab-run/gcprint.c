/* gcprint.c: a GC object as one line of text, fields and elements
 * included, for the results of --invoke (docs/wlab-run.md, "GC results"):
 *   (struct 0 (i32 7) (f64 2.5) null (struct 1 (i8 3)))
 *   (array 1 len 3 (i32 1 2 3))    (array 2 len 5 (i8 "hello"))
 * Bounded: objects nested deeper than GC_DEPTH print as (struct T ...),
 * an array shows its first GC_ELEMS elements, a struct its first GC_FIELDS
 * fields, and the whole line stops at its buffer's size with "...", so a
 * cycle or a huge array neither hangs nor floods. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "run.h"
#include "wlab.h"

#define GC_DEPTH 3
#define GC_ELEMS 16
#define GC_FIELDS 32
#define GC_STRING 64

struct out {
	char *buf;
	size_t size, at;  /* at < size; room for " ..." kept */
	bool full;
	const struct wlab_store *s;
	const struct wlab_instance *inst;
};

static void put(struct out *o, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

static void put(struct out *o, const char *fmt, ...)
{
	if (o->full)
		return;
	size_t room = o->size - o->at - 5;  /* " ..." and the NUL */
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(o->buf + o->at, room, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= room) {
		o->buf[o->at] = 0;
		o->full = true;
		return;
	}
	o->at += (size_t)n;
}

/* The type index of store type id in inst's module, or #id. */
static void type_name(const struct out *o, uint32_t id, char *buf, size_t size)
{
	uint32_t n = o->inst ? wlab_instance_module(o->inst)->ntypes : 0, x;
	for (uint32_t k = 0; k < n; k++)
		if (wlab_instance_type_id(o->inst, k, &x) && x == id) {
			snprintf(buf, size, "%" PRIu32, k);
			return;
		}
	snprintf(buf, size, "#%" PRIu32, id);
}

static void object(struct out *o, uint64_t v, unsigned depth);

/* The hierarchy of reference type t (store form): WLAB_HT_FUNC, _EXTERN,
 * _EXN or _ANY. */
static wlab_heaptype_t top_of(const struct out *o, wlab_valtype_t t)
{
	wlab_heaptype_t h = wlab_ref_heap(t);
	if (!wlab_heap_is_concrete(h))
		return wlab_heap_top(h);
	const struct wlab_functype *ft = wlab_store_type(o->s, wlab_heap_index(h));
	return ft && ft->form == WLAB_FORM_FUNC ? WLAB_HT_FUNC : WLAB_HT_ANY;
}

/* A reference inside an object: null, i31:N, an object, host:0xW, 0xW (an
 * externref), func[N] (host), non-null. */
static void ref(struct out *o, wlab_valtype_t t, uint64_t v, unsigned depth)
{
	wlab_heaptype_t top = top_of(o, t);
	if (!v)
		put(o, "null");
	else if (top == WLAB_HT_EXTERN)
		put(o, "0x%" PRIx64, v);
	else if (top == WLAB_HT_FUNC && wlab_func_index((const struct rt_func *)(uintptr_t)v) != UINT32_MAX)
		put(o, "func[%" PRIu32 "]", wlab_func_index((const struct rt_func *)(uintptr_t)v));
	else if (top == WLAB_HT_FUNC)
		put(o, "host");
	else if (top != WLAB_HT_ANY)
		put(o, "non-null");
	else if (wlab_ref_test(o->s, v, WLAB_HT_I31))
		put(o, "i31:%" PRId32, (int32_t)((uint32_t)v << 1) >> 1);
	else
		object(o, v, depth);
}

/* A number of storage type t (packed ones unsigned), bare. */
static void number(struct out *o, wlab_valtype_t t, const uint64_t *v)
{
	float f;
	double d;
	uint32_t u = (uint32_t)v[0];
	switch (t) {
	case WLAB_F32: memcpy(&f, &u, 4); put(o, "%.9g", (double)f); break;
	case WLAB_F64: memcpy(&d, v, 8); put(o, "%.17g", d); break;
	case WLAB_V128: put(o, "0x%016" PRIx64 "%016" PRIx64, v[1], v[0]); break;
	case WLAB_I64: put(o, "%" PRIu64, v[0]); break;
	default: put(o, "%" PRIu32, u); break;
	}
}

static const char *storage_name(wlab_valtype_t t)
{
	return t == WLAB_PACKED_I8 ? "i8" : t == WLAB_PACKED_I16 ? "i16" : wlab_valtype_name(t);
}

/* Whether the first n bytes of i8 array v are printable ASCII (and no
 * quote or backslash), for the string form. */
static bool printable(const struct out *o, uint64_t v, uint32_t n)
{
	uint64_t b;
	for (uint32_t i = 0; i < n; i++)
		if (wlab_array_get(o->s, v, i, false, &b, NULL) || b < 0x20 || b > 0x7e || b == '"' ||
		    b == '\\')
			return false;
	return n > 0;
}

static void array(struct out *o, uint64_t v, const struct wlab_functype *t, uint32_t len,
		  unsigned depth)
{
	wlab_valtype_t et = t->fields[0].type;
	uint64_t w[2];
	if (et == WLAB_PACKED_I8 && printable(o, v, len < GC_STRING ? len : GC_STRING)) {
		put(o, " (i8 \"");
		for (uint32_t i = 0; i < len && i < GC_STRING; i++)
			if (!wlab_array_get(o->s, v, i, false, w, NULL))
				put(o, "%c", (char)w[0]);
		put(o, len > GC_STRING ? "\"...)" : "\")");
		return;
	}
	bool num = !wlab_type_is_ref(et);
	if (num && len)
		put(o, " (%s", storage_name(et));
	for (uint32_t i = 0; i < len && i < GC_ELEMS && !o->full; i++) {
		if (wlab_array_get(o->s, v, i, false, w, NULL))
			return;
		put(o, " ");
		if (num)
			number(o, et, w);
		else
			ref(o, et, w[0], depth + 1);
	}
	if (len > GC_ELEMS)
		put(o, " ...");
	if (num && len)
		put(o, ")");
}

static void fields(struct out *o, uint64_t v, const struct wlab_functype *t, unsigned depth)
{
	uint64_t w[2];
	for (uint32_t i = 0; i < t->nfields && i < GC_FIELDS && !o->full; i++) {
		wlab_valtype_t ft = t->fields[i].type;
		if (wlab_struct_get(o->s, v, i, false, w, NULL))
			return;
		put(o, " ");
		if (wlab_type_is_ref(ft)) {
			ref(o, ft, w[0], depth + 1);
			continue;
		}
		put(o, "(%s ", storage_name(ft));
		number(o, ft, w);
		put(o, ")");
	}
	if (t->nfields > GC_FIELDS)
		put(o, " ...");
}

/* A struct or array (or a host word let into the any hierarchy). */
static void object(struct out *o, uint64_t v, unsigned depth)
{
	uint32_t id, len;
	bool is_array;
	char ty[16];
	if (!wlab_ref_object(o->s, v, &id, &len, &is_array)) {
		put(o, "host:0x%" PRIx64, v);
		return;
	}
	const struct wlab_functype *t = wlab_store_type(o->s, id);
	type_name(o, id, ty, sizeof ty);
	if (is_array)
		put(o, "(array %s len %" PRIu32, ty, len);
	else
		put(o, "(struct %s", ty);
	if (depth >= GC_DEPTH)
		put(o, " ...");
	else if (is_array)
		array(o, v, t, len, depth);
	else
		fields(o, v, t, depth);
	put(o, ")");
}

bool format_gc_object(char *buf, size_t size, const struct wlab_store *s,
		      const struct wlab_instance *inst, const char *type, uint64_t v)
{
	uint32_t id, len;
	bool is_array;
	if (size < 64 || !s || !wlab_ref_object(s, v, &id, &len, &is_array))
		return false;
	struct out o = {buf, size, 0, false, s, inst};
	put(&o, "%s:", type);
	object(&o, v, 0);
	if (o.full)
		memcpy(buf + o.at, " ...", 5);
	return true;
}
