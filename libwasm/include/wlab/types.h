/* wlab/types.h: value, reference and heap types of WebAssembly 3.0, one 32-bit word each.
 *
 * A wlab_valtype_t is:
 *   - a number or vector type: its binary code (0x7f i32, 0x7e i64, 0x7d f32,
 *     0x7c f64, 0x7b v128); packed storage types of GC fields likewise
 *     (0x78 i8, 0x77 i16);
 *   - a nullable reference to an abstract heap type: its one-byte shorthand,
 *     which is the heap type's own code (0x70 funcref = (ref null func),
 *     0x6f externref, 0x69 exnref, 0x6e anyref ...);
 *   - any other reference: 0x64 (ref ht) or 0x63 (ref null ht) in bits 0-7 and
 *     the heap type in bits 8-31 (0x63 only with a concrete heap type).
 * So every type has exactly one word (types compare equal with ==, within one
 * module), the 2.0 types keep their codes, and a type fits a uint8_t only when
 * it is a 2.0 type. A wlab_heaptype_t is an abstract heap type's code, or
 * WLAB_HT_CONCRETE | type index (indices below 2^23; the spec caps them at 10^6).
 *
 * Type indices in a concrete heap type are the module's own; comparing types of
 * two modules (imports) goes through their rec groups (see wlab_functype). */
#ifndef WLAB_TYPES_H
#define WLAB_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "wlab/api.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef uint32_t wlab_valtype_t;
typedef uint32_t wlab_heaptype_t;

/* Abstract heap types, by their binary code (wlab/heaptypes.def). */
enum wlab_heap {
#define WLAB_HEAPTYPE(code, cname, name, shorthand) WLAB_HT_##cname = code,
#include "wlab/heaptypes.def"
#undef WLAB_HEAPTYPE
};

#define WLAB_HT_CONCRETE 0x800000u  /* bit 23: a type index */
#define WLAB_REF_CODE 0x64u         /* (ref ht) */
#define WLAB_REF_NULL_CODE 0x63u    /* (ref null ht) */
#define WLAB_PACKED_I8 0x78u
#define WLAB_PACKED_I16 0x77u
/* The type section's bytes of GC: composite type forms, sub, rec. */
#define WLAB_FORM_FUNC 0x60u
#define WLAB_FORM_STRUCT 0x5fu
#define WLAB_FORM_ARRAY 0x5eu
#define WLAB_SUB 0x50u
#define WLAB_SUB_FINAL 0x4fu
#define WLAB_REC 0x4eu

static inline bool wlab_heap_is_abstract_code(uint32_t b)
{
	return b >= WLAB_HT_EXN && b <= WLAB_HT_NOEXN;
}
static inline bool wlab_heap_is_concrete(wlab_heaptype_t h)
{
	return (h & WLAB_HT_CONCRETE) != 0;
}
static inline uint32_t wlab_heap_index(wlab_heaptype_t h)
{
	return h & (WLAB_HT_CONCRETE - 1);
}
static inline wlab_heaptype_t wlab_heap_concrete(uint32_t typeidx)
{
	return WLAB_HT_CONCRETE | typeidx;
}

static inline bool wlab_type_is_ref(wlab_valtype_t t)
{
	if (t < 0x100)
		return wlab_heap_is_abstract_code(t);
	return (t & 0xff) == WLAB_REF_CODE || (t & 0xff) == WLAB_REF_NULL_CODE;
}
static inline bool wlab_type_is_num(wlab_valtype_t t)
{
	return t >= 0x7c && t <= 0x7f;
}
static inline bool wlab_ref_nullable(wlab_valtype_t t)
{
	return t < 0x100 || (t & 0xff) == WLAB_REF_NULL_CODE;
}
static inline wlab_heaptype_t wlab_ref_heap(wlab_valtype_t t)
{
	return t < 0x100 ? t : t >> 8;
}
/* The one word for (ref null? h): the shorthand when there is one. */
static inline wlab_valtype_t wlab_ref_type(bool nullable, wlab_heaptype_t h)
{
	if (nullable && !wlab_heap_is_concrete(h))
		return h;
	return (nullable ? WLAB_REF_NULL_CODE : WLAB_REF_CODE) | (h << 8);
}

/* Writes a type as the text format spells it ("i32", "funcref",
 * "(ref null 3)", "(ref func)") into buf (NUL-terminated, truncated to size);
 * returns buf. Concrete heap types print as their index. */
WLAB_API char *wlab_type_str(wlab_valtype_t t, char *buf, size_t size);
/* Writes a function type's params and results as "(i32, i64) -> (f32)"
 * (each as wlab_type_str spells it; results NULL and nr 0 for a tag's
 * "(i32)" alone) into buf, NUL-terminated, truncated to size; returns buf. */
WLAB_API char *wlab_functype_str(const wlab_valtype_t *params, uint32_t np,
				 const wlab_valtype_t *results, uint32_t nr, char *buf,
				 size_t size);
/* The top of an abstract heap type's hierarchy (func, extern, exn or any);
 * a concrete type's top depends on its definition (func for function types). */
WLAB_API wlab_heaptype_t wlab_heap_top(wlab_heaptype_t h);
/* "func", "extern", ... for an abstract heap type; NULL for others. */
WLAB_API const char *wlab_heap_name(wlab_heaptype_t h);

/* WebAssembly 3.0 subtyping (the spec's "Matching" of value and heap types),
 * the one copy of its rules: nullability, the abstract hierarchies func,
 * extern, exn and any (GC's eq above i31, struct and array), their bottoms.
 * What a concrete type index means is the caller's, so that one set of rules
 * serves the validator (indices of one module: canonical types and declared
 * supertypes), the linker (indices of two modules: compared by structure)
 * and the runtime (store type ids). The left type a of a <: b is on side 0,
 * b on side 1. */
struct wlab_subtyping {
	/* Concrete type a (side 0) <: concrete type b (side 1). Equal indices
	 * are no shortcut here: the two sides may be different modules. */
	bool (*concrete_sub)(const struct wlab_subtyping *s, uint32_t a, uint32_t b);
	/* The abstract heap type that concrete type i of a side is a subtype
	 * of by its form: WLAB_HT_FUNC, WLAB_HT_STRUCT or WLAB_HT_ARRAY (or
	 * WLAB_HT_ANY for another form). NULL: every concrete type is a function
	 * type. */
	wlab_heaptype_t (*concrete_kind)(const struct wlab_subtyping *s, int side, uint32_t i);
	const void *left, *right;  /* the caller's (modules, a validator context...) */
};
/* Heap type a <: heap type b. */
WLAB_API bool wlab_heap_subtype(const struct wlab_subtyping *s, wlab_heaptype_t a,
				 wlab_heaptype_t b);
/* Value type a <: value type b: a number or vector type only of itself. */
WLAB_API bool wlab_val_subtype(const struct wlab_subtyping *s, wlab_valtype_t a,
				wlab_valtype_t b);

#ifdef __cplusplus
}
#endif

#endif
