/* rt_gcapi.c: structs and arrays made, read and written by the host
 * (wlab/runtime.h, docs/libwasm.md "GC objects from the host"). Every
 * argument is checked before anything is written; values stored in a new
 * object are pinned (s->gc.pin) while the allocation may collect. */
#include <inttypes.h>
#include <string.h>

#include "rt_internal.h"

static inline struct rt_gcobj *obj(uint64_t w)
{
	return (struct rt_gcobj *)(uintptr_t)w;
}

const struct wlab_functype *wlab_store_type(const struct wlab_store *s, uint32_t type_id)
{
	return type_id < s->ntypes ? &s->types[type_id] : NULL;
}

/* The type of type_id when it has form; else err set. */
static const struct wlab_functype *type_of(const struct wlab_store *s, uint32_t id, uint8_t form,
					   struct wlab_error *err)
{
	if (id >= s->ntypes) {
		wlab_error_set(err, WLAB_INVALID, 0, "type id %" PRIu32 " out of range (%" PRIu32
			       " types in the store)", id, s->ntypes);
		return NULL;
	}
	if (s->types[id].form != form) {
		wlab_error_set(err, WLAB_INVALID, 0, "type id %" PRIu32 " is not a%s type", id,
			       form == WLAB_FORM_STRUCT ? " struct" : "n array");
		return NULL;
	}
	return &s->types[id];
}

/* The object ref when it is a struct (array: is_array); else err set. */
static struct rt_gcobj *object_of(const struct wlab_store *s, uint64_t ref, bool is_array,
				  struct wlab_error *err)
{
	const char *what = is_array ? "array" : "struct";
	if (!ref) {
		wlab_error_set(err, WLAB_INVALID, 0, "null %s reference", what);
		return NULL;
	}
	if (rt_is_i31(ref) || !rt_gc_is_obj(s, ref) ||
	    (s->types[obj(ref)->type].form == WLAB_FORM_ARRAY) != is_array) {
		wlab_error_set(err, WLAB_INVALID, 0, "reference 0x%" PRIx64 " is not a%s", ref,
			       is_array ? "n array" : " struct");
		return NULL;
	}
	return obj(ref);
}

static bool is_func(const struct wlab_store *s, uint64_t w)
{
	for (const struct rt_object *o = s->objects; o; o = o->next)
		if (o->kind == WLAB_EXTERN_FUNC && (uintptr_t)o->ptr == w)
			return true;
	return false;
}

static bool is_exn(const struct wlab_store *s, uint64_t w)
{
	for (const struct rt_exn *e = s->exns; e; e = e->next)
		if ((uintptr_t)e == w)
			return true;
	return false;
}

/* Whether the value at v fits storage type t (what names it in a message). */
static bool value_fits(const struct wlab_store *s, wlab_valtype_t t, const uint64_t *v,
		       const char *what, uint32_t index, struct wlab_error *err)
{
	char ts[64];
	if (!wlab_type_is_ref(t)) {
		bool narrow = t == WLAB_I32 || t == WLAB_F32 || t == WLAB_PACKED_I8 ||
			      t == WLAB_PACKED_I16;
		if (!narrow || v[0] <= UINT32_MAX)
			return true;
		wlab_error_set(err, WLAB_INVALID, 0, "%s %" PRIu32 ": 0x%" PRIx64
			       " is not a 32-bit word", what, index, v[0]);
		return false;
	}
	wlab_type_str(t, ts, sizeof ts);
	if (!v[0]) {
		if (wlab_ref_nullable(t))
			return true;
		wlab_error_set(err, WLAB_INVALID, 0, "%s %" PRIu32 ": null for %s", what, index, ts);
		return false;
	}
	wlab_heaptype_t h = wlab_ref_heap(t);
	uint32_t heap = h, top;
	if (wlab_heap_is_concrete(h)) {
		uint32_t id = wlab_heap_index(h);
		top = s->types[id].form == WLAB_FORM_FUNC ? WLAB_HT_FUNC : WLAB_HT_ANY;
		heap = RT_GC_CONCRETE | id;
	} else {
		top = wlab_heap_top(h);
	}
	bool ok = top == WLAB_HT_EXTERN ? rt_ref_test(s, v[0], heap, false)
		  : top == WLAB_HT_FUNC ? is_func(s, v[0]) && rt_ref_test(s, v[0], heap, false)
		  : top == WLAB_HT_EXN ? is_exn(s, v[0]) && rt_ref_test(s, v[0], heap, false)
				       : rt_ref_test(s, v[0], heap, false);
	if (!ok)
		wlab_error_set(err, WLAB_INVALID, 0, "%s %" PRIu32 ": 0x%" PRIx64 " is not a %s",
			       what, index, v[0], ts);
	return ok;
}

static void get(const uint8_t *p, wlab_valtype_t t, bool sign, uint64_t *out)
{
	switch (rt_gc_size(t)) {
	case 1: out[0] = sign ? (uint32_t)(int32_t)(int8_t)*p : *p; break;
	case 2: {
		uint16_t x;
		memcpy(&x, p, 2);
		out[0] = sign ? (uint32_t)(int32_t)(int16_t)x : x;
		break;
	}
	case 4: { uint32_t x; memcpy(&x, p, 4); out[0] = x; break; }
	case 8: memcpy(out, p, 8); break;
	default: memcpy(out, p, 16); break;
	}
}

/* An object of type id, len, payload bytes, with words pinned. */
static struct rt_gcobj *alloc(struct wlab_store *s, uint32_t id, uint32_t len, uint64_t payload,
			      const uint64_t *words, uint64_t nwords, struct wlab_error *err)
{
	s->gc.pin = words;
	s->gc.npin = words ? nwords : 0;
	struct rt_gcobj *o = rt_gc_alloc(s, id, len, payload);
	s->gc.pin = NULL;
	s->gc.npin = 0;
	if (!o)
		wlab_error_set(err, WLAB_NOMEM, 0, "%s", wlab_trap_message(WLAB_TRAP_NOMEM));
	return o;
}

enum wlab_status wlab_struct_new(struct wlab_store *s, uint32_t type_id, const uint64_t *fields,
				 uint64_t *out, struct wlab_error *err)
{
	struct wlab_error local = {0};
	err = err ? err : &local;
	const struct wlab_functype *t = type_of(s, type_id, WLAB_FORM_STRUCT, err);
	if (!t)
		return err->status;
	uint64_t words = 0, zero[2] = {0, 0};
	for (uint32_t i = 0; i < t->nfields; i++) {
		if (!value_fits(s, t->fields[i].type, fields ? fields + words : zero, "field", i, err))
			return err->status;
		words += rt_value_slots(t->fields[i].type);
	}
	struct rt_gcobj *o = alloc(s, type_id, t->nfields, rt_gc_field_offset(t, t->nfields),
				   fields, words, err);
	if (!o)
		return err->status;
	t = &s->types[type_id];
	for (uint32_t i = 0, off = 0; fields && i < t->nfields; i++) {
		rt_gc_put(o->data + off, t->fields[i].type, fields);
		fields += rt_value_slots(t->fields[i].type);
		off += rt_gc_field_bytes(t->fields[i].type);
	}
	*out = (uintptr_t)o;
	return WLAB_OK;
}

/* An array of n elements of type_id: from elems (each: step words on) or
 * the default. */
static enum wlab_status array_new(struct wlab_store *s, uint32_t type_id, uint32_t n,
				  const uint64_t *elems, bool fixed, uint64_t *out,
				  struct wlab_error *err)
{
	struct wlab_error local = {0};
	err = err ? err : &local;
	const struct wlab_functype *t = type_of(s, type_id, WLAB_FORM_ARRAY, err);
	if (!t)
		return err->status;
	wlab_valtype_t et = t->fields[0].type;
	uint32_t w = rt_value_slots(et), es = rt_gc_size(et);
	uint64_t zero[2] = {0, 0};
	for (uint32_t i = 0; i < (fixed ? n : 1); i++)
		if (!value_fits(s, et, elems ? elems + (uint64_t)i * w : zero, "element", i, err))
			return err->status;
	struct rt_gcobj *o = alloc(s, type_id, n, (uint64_t)n * es, elems,
				   fixed ? (uint64_t)n * w : w, err);
	if (!o)
		return err->status;
	for (uint64_t i = 0; elems && i < n; i++)
		rt_gc_put(o->data + i * es, et, fixed ? elems + i * w : elems);
	*out = (uintptr_t)o;
	return WLAB_OK;
}

enum wlab_status wlab_array_new(struct wlab_store *s, uint32_t type_id, uint32_t len,
				const uint64_t *init, uint64_t *out, struct wlab_error *err)
{
	return array_new(s, type_id, len, init, false, out, err);
}

enum wlab_status wlab_array_new_fixed(struct wlab_store *s, uint32_t type_id,
				      const uint64_t *elems, uint32_t n, uint64_t *out,
				      struct wlab_error *err)
{
	if (n && !elems)
		return wlab_error_set(err ? err : &(struct wlab_error){0}, WLAB_INVALID, 0,
				      "%" PRIu32 " elements but no values", n);
	return array_new(s, type_id, n, elems, true, out, err);
}

/* The field (element) index of ref for get or set: its address and
 * storage type, or NULL with err set. */
static uint8_t *slot(const struct wlab_store *s, uint64_t ref, bool is_array, uint32_t index,
		     bool set, wlab_valtype_t *type, struct wlab_error *err)
{
	struct rt_gcobj *o = object_of(s, ref, is_array, err);
	if (!o)
		return NULL;
	const struct wlab_functype *t = &s->types[o->type];
	if (index >= o->len) {
		wlab_error_set(err, WLAB_INVALID, 0, "%s %" PRIu32 " out of range (%s of %" PRIu32 ")",
			       is_array ? "element" : "field", index,
			       is_array ? "an array" : "a struct", o->len);
		return NULL;
	}
	const struct wlab_fieldtype *f = &t->fields[is_array ? 0 : index];
	if (set && !f->mut) {
		wlab_error_set(err, WLAB_INVALID, 0, "%s %" PRIu32 " is immutable",
			       is_array ? "element" : "field", index);
		return NULL;
	}
	*type = f->type;
	return o->data + (is_array ? (uint64_t)index * rt_gc_size(f->type)
			  : rt_gc_field_offset(t, index));
}

static enum wlab_status obj_read(const struct wlab_store *s, uint64_t ref, bool is_array,
			     uint32_t index, bool sign, uint64_t *out, struct wlab_error *err)
{
	struct wlab_error local = {0};
	err = err ? err : &local;
	wlab_valtype_t t;
	const uint8_t *p = slot(s, ref, is_array, index, false, &t, err);
	if (!p)
		return err->status;
	get(p, t, sign, out);
	return WLAB_OK;
}

static enum wlab_status obj_write(struct wlab_store *s, uint64_t ref, bool is_array, uint32_t index,
			      const uint64_t *val, struct wlab_error *err)
{
	struct wlab_error local = {0};
	err = err ? err : &local;
	wlab_valtype_t t;
	uint8_t *p = slot(s, ref, is_array, index, true, &t, err);
	if (!p || !value_fits(s, t, val, is_array ? "element" : "field", index, err))
		return err->status;
	rt_gc_put(p, t, val);
	return WLAB_OK;
}

enum wlab_status wlab_struct_get(const struct wlab_store *s, uint64_t ref, uint32_t index,
				 bool sign, uint64_t *out, struct wlab_error *err)
{
	return obj_read(s, ref, false, index, sign, out, err);
}

enum wlab_status wlab_struct_set(struct wlab_store *s, uint64_t ref, uint32_t index,
				 const uint64_t *val, struct wlab_error *err)
{
	return obj_write(s, ref, false, index, val, err);
}

enum wlab_status wlab_array_get(const struct wlab_store *s, uint64_t ref, uint32_t index,
				bool sign, uint64_t *out, struct wlab_error *err)
{
	return obj_read(s, ref, true, index, sign, out, err);
}

enum wlab_status wlab_array_set(struct wlab_store *s, uint64_t ref, uint32_t index,
				const uint64_t *val, struct wlab_error *err)
{
	return obj_write(s, ref, true, index, val, err);
}

enum wlab_status wlab_array_len(const struct wlab_store *s, uint64_t ref, uint32_t *len,
				struct wlab_error *err)
{
	struct wlab_error local = {0};
	err = err ? err : &local;
	const struct rt_gcobj *o = object_of(s, ref, true, err);
	if (!o)
		return err->status;
	*len = o->len;
	return WLAB_OK;
}
