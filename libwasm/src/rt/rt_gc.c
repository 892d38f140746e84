/* rt_gc.c: the GC proposal's objects and instructions, out of the hot loop
 * (docs/interpreter.md, "GC objects").
 *
 * A struct or array is a struct rt_gcobj: its store type id, its length
 * (arrays), then its payload, 8-aligned. An anyref, eqref... is the
 * object's address; an i31ref is unboxed, a tagged word (RT_I31_TAG, the
 * value in the low 31 bits), so ref.i31 allocates nothing. Objects live in
 * the collected heap of rt_gcheap.c, which also tells an object from a host
 * word that any.convert_extern let into the any hierarchy (its object-start
 * bitmaps), never reading the word. */
#include <stdlib.h>
#include <string.h>

#include "rt_internal.h"

/* Bytes a value of storage type t takes in an object. */
uint32_t rt_gc_size(wlab_valtype_t t)
{
	switch (t) {
	case WLAB_PACKED_I8: return 1;
	case WLAB_PACKED_I16: return 2;
	case WLAB_I32: case WLAB_F32: return 4;
	case WLAB_V128: return 16;
	default: return 8;
	}
}

/* The byte offset of field i of a struct type's payload: 8 bytes a field,
 * 16 a v128, whatever the storage type (packed ones included). */
uint32_t rt_gc_field_offset(const struct wlab_functype *t, uint32_t i)
{
	uint32_t off = 0;
	for (uint32_t k = 0; k < i; k++)
		off += rt_gc_field_bytes(t->fields[k].type);
	return off;
}

/* ---- values in objects ---- */

void rt_gc_put(uint8_t *p, wlab_valtype_t t, const uint64_t *v)
{
	switch (rt_gc_size(t)) {
	case 1: *p = (uint8_t)v[0]; break;
	case 2: { uint16_t x = (uint16_t)v[0]; memcpy(p, &x, 2); break; }
	case 4: { uint32_t x = (uint32_t)v[0]; memcpy(p, &x, 4); break; }
	case 8: memcpy(p, v, 8); break;
	default: memcpy(p, v, 16); break;
	}
}

/* Pushes the value at p (sign-extending packed ones when sx). */
static uint64_t *get(const uint8_t *p, wlab_valtype_t t, bool sx, uint64_t *sp)
{
	switch (rt_gc_size(t)) {
	case 1: *sp++ = sx ? (uint32_t)(int32_t)(int8_t)*p : *p; break;
	case 2: {
		uint16_t x;
		memcpy(&x, p, 2);
		*sp++ = sx ? (uint32_t)(int32_t)(int16_t)x : x;
		break;
	}
	case 4: { uint32_t x; memcpy(&x, p, 4); *sp++ = x; break; }
	case 8: memcpy(sp, p, 8); sp++; break;
	default: memcpy(sp, p, 16); sp += 2; break;
	}
	return sp;
}

static inline struct rt_gcobj *obj(uint64_t w)
{
	return (struct rt_gcobj *)(uintptr_t)w;
}

/* Whether [i, i + n) fits in size. */
static bool fits(uint64_t i, uint64_t n, uint64_t size)
{
	return i <= size && n <= size - i;
}

/* A new struct of store type id from the values at vals (NULL: defaults). */
struct rt_gcobj *rt_gc_struct_new(struct wlab_store *s, uint32_t id, const uint64_t *vals)
{
	const struct wlab_functype *t = &s->types[id];
	uint32_t size = rt_gc_field_offset(t, t->nfields);
	struct rt_gcobj *o = rt_gc_alloc(s, id, t->nfields, size);
	if (!o || !vals)
		return o;
	for (uint32_t i = 0, off = 0; i < t->nfields; i++) {
		rt_gc_put(o->data + off, t->fields[i].type, vals);
		vals += rt_value_slots(t->fields[i].type);
		off += rt_gc_field_bytes(t->fields[i].type);
	}
	return o;
}

/* A new array of store type id and n elements, each the value at val
 * (NULL: the default). */
struct rt_gcobj *rt_gc_array_new(struct wlab_store *s, uint32_t id, uint64_t n,
				 const uint64_t *val)
{
	wlab_valtype_t et = s->types[id].fields[0].type;
	uint32_t es = rt_gc_size(et);
	if (n > UINT32_MAX || n * es > s->gc.max)
		return NULL;
	if (!rt_fuel_take(s, RT_FUEL_BYTES(n * es)))
		return NULL;
	struct rt_gcobj *o = rt_gc_alloc(s, id, (uint32_t)n, n * es);
	if (o && val && (val[0] || (et == WLAB_V128 && val[1])))
		for (uint64_t i = 0; i < n; i++)
			rt_gc_put(o->data + i * es, et, val);
	return o;
}

/* ---- casts ---- */

/* Whether non-null w (of the hierarchy of heap) is of heap type heap: an
 * abstract code, or RT_GC_CONCRETE | a store type id. */
static bool ref_is(const struct wlab_store *s, uint64_t w, uint32_t heap)
{
	if (heap & RT_GC_CONCRETE) {
		uint32_t id = heap & ~RT_GC_CONCRETE;
		if (s->types[id].form == WLAB_FORM_FUNC) {
			uint32_t f = ((const struct rt_func *)(uintptr_t)w)->type_id;
			return f == id || rt_type_sub(s, f, id);
		}
		if (rt_is_i31(w) || !rt_gc_is_obj(s, w))
			return false;
		return obj(w)->type == id || rt_type_sub(s, obj(w)->type, id);
	}
	switch (heap) {
	case WLAB_HT_NONE: case WLAB_HT_NOFUNC: case WLAB_HT_NOEXTERN: case WLAB_HT_NOEXN:
		return false;
	case WLAB_HT_I31:
		return rt_is_i31(w);
	case WLAB_HT_EQ:
		return rt_is_i31(w) || rt_gc_is_obj(s, w);
	case WLAB_HT_STRUCT: case WLAB_HT_ARRAY:
		return !rt_is_i31(w) && rt_gc_is_obj(s, w) &&
		       s->types[obj(w)->type].form ==
		       (heap == WLAB_HT_STRUCT ? WLAB_FORM_STRUCT : WLAB_FORM_ARRAY);
	default:  /* any, func, extern, exn: every non-null value of the hierarchy */
		return true;
	}
}

bool rt_ref_test(const struct wlab_store *s, uint64_t w, uint32_t heap, bool nullable)
{
	return w ? ref_is(s, w, heap) : nullable;
}

bool wlab_ref_test(const struct wlab_store *s, uint64_t ref, wlab_heaptype_t heap)
{
	return ref && !wlab_heap_is_concrete(heap) && ref_is(s, ref, heap);
}

bool wlab_ref_object(const struct wlab_store *s, uint64_t ref, uint32_t *type_id, uint32_t *len,
		     bool *is_array)
{
	if (!ref || rt_is_i31(ref) || !rt_gc_is_obj(s, ref))
		return false;
	*type_id = obj(ref)->type;
	*len = obj(ref)->len;
	*is_array = s->types[obj(ref)->type].form == WLAB_FORM_ARRAY;
	return true;
}

/* ---- the instructions ---- */

/* array.new_data: n elements of type et from data segment seg at byte s. */
static enum wlab_trap from_data(struct wlab_instance *inst, uint32_t seg, uint64_t s, uint64_t n,
				uint8_t *dst, wlab_valtype_t et)
{
	uint64_t es = rt_gc_size(et);
	if (n > UINT32_MAX || !fits(s, n * es, inst->data_len[seg]))
		return WLAB_TRAP_MEMORY_OOB;
	if (!rt_fuel_take(inst->store, RT_FUEL_BYTES(n * es)))
		return WLAB_TRAP_FUEL;
	memcpy(dst, inst->m->bytes + inst->m->datas[seg].bytes.offset + s, (size_t)(n * es));
	return WLAB_TRAP_NONE;
}

static enum wlab_trap array_new(struct wlab_instance *inst, const struct rt_cell *ip,
				uint64_t **spp)
{
	struct wlab_store *s = inst->store;
	uint64_t *sp = *spp;
	uint32_t id = ip->a;
	wlab_valtype_t et = s->types[id].fields[0].type;
	struct rt_gcobj *o;
	enum wlab_trap trap = WLAB_TRAP_NONE;
	switch (ip->op) {
	case WLAB_OP_ARRAY_NEW: {
		uint64_t n = (uint32_t)*--sp;
		sp -= rt_value_slots(et);
		o = rt_gc_array_new(s, id, n, sp);
		break;
	}
	case WLAB_OP_ARRAY_NEW_DEFAULT:
		o = rt_gc_array_new(s, id, (uint32_t)*--sp, NULL);
		break;
	case WLAB_OP_ARRAY_NEW_FIXED: {
		uint32_t n = (uint32_t)ip->b, w = rt_value_slots(et);
		sp -= (uint64_t)n * w;
		if ((o = rt_gc_array_new(s, id, n, NULL)))
			for (uint32_t i = 0; i < n; i++)
				rt_gc_put(o->data + (uint64_t)i * rt_gc_size(et), et, sp + (uint64_t)i * w);
		break;
	}
	case WLAB_OP_ARRAY_NEW_DATA: {
		uint64_t n = (uint32_t)sp[-1], at = (uint32_t)sp[-2];
		sp -= 2;
		if (n > UINT32_MAX || !fits(at, n * rt_gc_size(et), inst->data_len[ip->b])) {
			*spp = sp;
			return WLAB_TRAP_MEMORY_OOB;
		}
		if ((o = rt_gc_array_new(s, id, n, NULL)))
			trap = from_data(inst, (uint32_t)ip->b, at, n, o->data, et);
		break;
	}
	default: {  /* array.new_elem */
		uint64_t n = (uint32_t)sp[-1], at = (uint32_t)sp[-2];
		sp -= 2;
		if (!fits(at, n, inst->elem_len[ip->b])) {
			*spp = sp;
			return WLAB_TRAP_TABLE_OOB;
		}
		if ((o = rt_gc_array_new(s, id, n, NULL)))
			memcpy(o->data, inst->elems[ip->b] + at, (size_t)n * 8);
		break;
	}
	}
	if (!o)
		return *spp = sp, s->fuel_on && !s->fuel ? WLAB_TRAP_FUEL : WLAB_TRAP_NOMEM;
	*sp++ = (uintptr_t)o;
	*spp = sp;
	return trap;
}

/* array.fill, array.copy, array.init_data, array.init_elem */
static enum wlab_trap array_bulk(struct wlab_instance *inst, const struct rt_cell *ip,
				 uint64_t **spp)
{
	struct wlab_store *s = inst->store;
	uint64_t *sp = *spp;
	wlab_valtype_t et = ip->a;
	uint64_t es = rt_gc_size(et);
	switch (ip->op) {
	case WLAB_OP_ARRAY_FILL: {
		uint32_t w = rt_value_slots(et);
		uint64_t n = (uint32_t)sp[-1], *val = sp - 1 - w, d = (uint32_t)val[-1];
		struct rt_gcobj *o = obj(val[-2]);
		*spp = val - 2;
		if (!o)
			return WLAB_TRAP_NULL_ARRAY;
		if (!fits(d, n, o->len))
			return WLAB_TRAP_ARRAY_OOB;
		if (!rt_fuel_take(s, RT_FUEL_BYTES(n * es)))
			return WLAB_TRAP_FUEL;
		for (uint64_t i = 0; i < n; i++)
			rt_gc_put(o->data + (d + i) * es, et, val);
		return WLAB_TRAP_NONE;
	}
	case WLAB_OP_ARRAY_COPY: {
		struct rt_gcobj *dst = obj(sp[-5]), *src = obj(sp[-3]);
		uint64_t d = (uint32_t)sp[-4], at = (uint32_t)sp[-2], n = (uint32_t)sp[-1];
		*spp = sp - 5;
		if (!dst || !src)
			return WLAB_TRAP_NULL_ARRAY;
		if (!fits(d, n, dst->len) || !fits(at, n, src->len))
			return WLAB_TRAP_ARRAY_OOB;
		if (!rt_fuel_take(s, RT_FUEL_BYTES(n * es)))
			return WLAB_TRAP_FUEL;
		memmove(dst->data + d * es, src->data + at * es, (size_t)(n * es));
		return WLAB_TRAP_NONE;
	}
	default: {
		struct rt_gcobj *o = obj(sp[-4]);
		uint64_t d = (uint32_t)sp[-3], at = (uint32_t)sp[-2], n = (uint32_t)sp[-1];
		uint32_t seg = (uint32_t)ip->b;
		*spp = sp - 4;
		if (!o)
			return WLAB_TRAP_NULL_ARRAY;
		if (!fits(d, n, o->len))
			return WLAB_TRAP_ARRAY_OOB;
		if (ip->op == WLAB_OP_ARRAY_INIT_DATA)
			return from_data(inst, seg, at, n, o->data + d * es, et);
		if (!fits(at, n, inst->elem_len[seg]))
			return WLAB_TRAP_TABLE_OOB;
		if (!rt_fuel_take(s, RT_FUEL_WORDS(n * 8)))
			return WLAB_TRAP_FUEL;
		memcpy(o->data + d * 8, inst->elems[seg] + at, (size_t)n * 8);
		return WLAB_TRAP_NONE;
	}
	}
}

/* An allocation may collect: fn's frame (at fp) is the innermost
 * activation then, linked into s->gc.acts while it allocates and scanned
 * with the map of the cell after ip (its operands, popped, stay roots). */
enum wlab_trap rt_gc(struct rt_func *fn, const struct rt_cell *ip, uint64_t *fp, uint64_t **spp)
{
	struct wlab_instance *inst = fn->inst;
	struct wlab_store *s = inst->store;
	uint64_t *sp = *spp;
	struct rt_gcobj *o;
	struct rt_gc_act act;
	enum wlab_trap trap;
	switch (ip->op) {
	case WLAB_OP_REF_EQ:
		sp--;
		sp[-1] = sp[-1] == sp[0];
		break;
	case WLAB_OP_REF_I31:
		sp[-1] = RT_I31_TAG | (sp[-1] & 0x7fffffffu);
		break;
	case WLAB_OP_I31_GET_S: case WLAB_OP_I31_GET_U:
		if (!sp[-1])
			return WLAB_TRAP_NULL_I31;
		sp[-1] = ip->op == WLAB_OP_I31_GET_U ? (uint32_t)sp[-1] & 0x7fffffffu
			 : (uint32_t)((int32_t)((uint32_t)sp[-1] << 1) >> 1);
		break;
	case WLAB_OP_STRUCT_NEW: case WLAB_OP_STRUCT_NEW_DEFAULT: {
		const struct wlab_functype *t = &s->types[ip->a];
		bool dflt = ip->op == WLAB_OP_STRUCT_NEW_DEFAULT;
		if (!dflt)
			for (uint32_t i = 0; i < t->nfields; i++)
				sp -= rt_value_slots(t->fields[i].type);
		act = (struct rt_gc_act){{fn, ip + 1, fp}, NULL, NULL, s->gc.acts};
		s->gc.acts = &act;
		o = rt_gc_struct_new(s, ip->a, dflt ? NULL : sp);
		s->gc.acts = act.prev;
		if (!o)
			return *spp = sp, WLAB_TRAP_NOMEM;
		*sp++ = (uintptr_t)o;
		break;
	}
	case WLAB_OP_STRUCT_GET: case WLAB_OP_STRUCT_GET_S: case WLAB_OP_STRUCT_GET_U:
		if (!(o = obj(*--sp)))
			return *spp = sp, WLAB_TRAP_NULL_STRUCT;
		sp = get(o->data + ip->a, (wlab_valtype_t)ip->b, ip->op == WLAB_OP_STRUCT_GET_S, sp);
		break;
	case WLAB_OP_STRUCT_SET: {
		uint32_t w = rt_value_slots((wlab_valtype_t)ip->b);
		sp -= w + 1;
		if (!(o = obj(sp[0])))
			return *spp = sp, WLAB_TRAP_NULL_STRUCT;
		rt_gc_put(o->data + ip->a, (wlab_valtype_t)ip->b, sp + 1);
		break;
	}
	case WLAB_OP_ARRAY_NEW: case WLAB_OP_ARRAY_NEW_DEFAULT: case WLAB_OP_ARRAY_NEW_FIXED:
	case WLAB_OP_ARRAY_NEW_DATA: case WLAB_OP_ARRAY_NEW_ELEM:
		act = (struct rt_gc_act){{fn, ip + 1, fp}, NULL, NULL, s->gc.acts};
		s->gc.acts = &act;
		trap = array_new(inst, ip, spp);
		s->gc.acts = act.prev;
		return trap;
	case WLAB_OP_ARRAY_GET: case WLAB_OP_ARRAY_GET_S: case WLAB_OP_ARRAY_GET_U: {
		uint64_t i = (uint32_t)*--sp;
		if (!(o = obj(*--sp)))
			return *spp = sp, WLAB_TRAP_NULL_ARRAY;
		if (i >= o->len)
			return *spp = sp, WLAB_TRAP_ARRAY_OOB;
		sp = get(o->data + i * rt_gc_size(ip->a), ip->a, ip->op == WLAB_OP_ARRAY_GET_S, sp);
		break;
	}
	case WLAB_OP_ARRAY_SET: {
		uint32_t w = rt_value_slots(ip->a);
		sp -= w + 2;
		uint64_t i = (uint32_t)sp[1];
		if (!(o = obj(sp[0])))
			return *spp = sp, WLAB_TRAP_NULL_ARRAY;
		if (i >= o->len)
			return *spp = sp, WLAB_TRAP_ARRAY_OOB;
		rt_gc_put(o->data + i * rt_gc_size(ip->a), ip->a, sp + 2);
		break;
	}
	case WLAB_OP_ARRAY_LEN:
		if (!(o = obj(sp[-1])))
			return WLAB_TRAP_NULL_ARRAY;
		sp[-1] = o->len;
		break;
	case WLAB_OP_ARRAY_FILL: case WLAB_OP_ARRAY_COPY: case WLAB_OP_ARRAY_INIT_DATA:
	case WLAB_OP_ARRAY_INIT_ELEM:
		return array_bulk(inst, ip, spp);
	case WLAB_OP_REF_TEST: case WLAB_OP_REF_TEST_NULL:
		sp[-1] = rt_ref_test(s, sp[-1], ip->a, ip->b & 1);
		break;
	case WLAB_OP_REF_CAST: case WLAB_OP_REF_CAST_NULL:
		if (!rt_ref_test(s, sp[-1], ip->a, ip->b & 1))
			return WLAB_TRAP_CAST;
		break;
	default:  /* RT_OP_CAST_TEST: br_on_cast (b & 2: br_on_cast_fail) */
		*sp = rt_ref_test(s, sp[-1], ip->a, ip->b & 1) ^ (ip->b >> 1 & 1);
		sp++;
		break;
	}
	*spp = sp;
	return WLAB_TRAP_NONE;
}

/* ---- constant expressions ---- */

uint32_t rt_gc_heap_imm(const struct wlab_instance *inst, wlab_valtype_t t)
{
	wlab_heaptype_t h = wlab_ref_heap(t);
	if (wlab_heap_is_concrete(h))
		return RT_GC_CONCRETE | inst->type_ids[wlab_heap_index(h)];
	return h;
}

enum wlab_status rt_gc_const(const struct wlab_instance *inst, const struct wlab_instr *in,
			     uint64_t *stack, uint32_t *n)
{
	struct wlab_store *s = inst->store;
	struct rt_gcobj *o = NULL;
	uint32_t id = in->op == WLAB_OP_REF_I31 ? 0 : inst->type_ids[in->index];
	switch (in->op) {
	case WLAB_OP_REF_I31:
		stack[*n - 1] = RT_I31_TAG | (stack[*n - 1] & 0x7fffffffu);
		return WLAB_OK;
	case WLAB_OP_STRUCT_NEW: {
		const struct wlab_functype *t = &s->types[id];
		for (uint32_t i = 0; i < t->nfields; i++)
			*n -= rt_value_slots(t->fields[i].type);
		o = rt_gc_struct_new(s, id, NULL);
		for (uint32_t i = 0, k = *n; o && i < t->nfields; k += rt_value_slots(t->fields[i++].type))
			rt_gc_put(o->data + rt_gc_field_offset(t, i), t->fields[i].type, &stack[k]);
		break;
	}
	case WLAB_OP_STRUCT_NEW_DEFAULT:
		o = rt_gc_struct_new(s, id, NULL);
		break;
	case WLAB_OP_ARRAY_NEW: {
		uint32_t w = rt_value_slots(s->types[id].fields[0].type);
		*n -= w + 1;
		o = rt_gc_array_new(s, id, (uint32_t)stack[*n + w], &stack[*n]);
		break;
	}
	case WLAB_OP_ARRAY_NEW_DEFAULT:
		*n -= 1;
		o = rt_gc_array_new(s, id, (uint32_t)stack[*n], NULL);
		break;
	case WLAB_OP_ARRAY_NEW_FIXED: {
		wlab_valtype_t et = s->types[id].fields[0].type;
		uint32_t w = rt_value_slots(et);
		*n -= in->index2 * w;
		if ((o = rt_gc_array_new(s, id, in->index2, NULL)))
			for (uint32_t i = 0; i < in->index2; i++)
				rt_gc_put(o->data + (uint64_t)i * rt_gc_size(et), et,
				    &stack[*n + (uint64_t)i * w]);
		break;
	}
	default:  /* any.convert_extern, extern.convert_any: the same word */
		return WLAB_OK;
	}
	if (!o)
		return WLAB_NOMEM;
	stack[(*n)++] = (uintptr_t)o;
	return WLAB_OK;
}
