/* validate_gc.c: the typing of the GC instructions (the 0xfb prefix and
 * ref.eq): structs, arrays, i31, casts and the extern/any conversions, after
 * the spec's rules, with the reference interpreter's wording where the
 * testsuite checks it ("immutable field", "immutable array", "array types do
 * not match", "array type is not numeric or vector"). */
#include "validate_internal.h"

/* A field's value type: packed i8 and i16 read and write as i32. */
static wlab_valtype_t unpacked(wlab_valtype_t t)
{
	return t == WLAB_PACKED_I8 || t == WLAB_PACKED_I16 ? WLAB_I32 : t;
}

static bool packed(wlab_valtype_t t)
{
	return t == WLAB_PACKED_I8 || t == WLAB_PACKED_I16;
}

/* Type index x of the form wanted (struct or array), or NULL with the
 * error recorded. */
static const struct wlab_functype *comp_of(struct val_func *vf, uint32_t x, uint8_t form)
{
	const struct wlab_module *m = vf->vm->m;
	if (x >= m->ntypes) {
		val_fail(vf->vm, vf->offset, "unknown type %u", x);
		return NULL;
	}
	if (m->types[x].form != form) {
		val_fail(vf->vm, vf->offset, "%s type %u",
			 form == WLAB_FORM_STRUCT ? "non-struct" : "non-array", x);
		return NULL;
	}
	return &m->types[x];
}

static wlab_valtype_t ref_to(bool nullable, uint32_t x)
{
	return wlab_ref_type(nullable, wlab_heap_concrete(x));
}

/* The top of a heap type's hierarchy: any for structs and arrays. */
static wlab_heaptype_t top_of(const struct val_module *vm, wlab_heaptype_t h)
{
	if (!wlab_heap_is_concrete(h))
		return wlab_heap_top(h);
	uint32_t i = wlab_heap_index(h);
	return i < vm->m->ntypes && vm->m->types[i].form == WLAB_FORM_FUNC ? WLAB_HT_FUNC
									   : WLAB_HT_ANY;
}

/* Pops n values of type t; in dead code stops once
 * the polymorphic stack is bare (array.new_fixed may count 2^32). */
static enum wlab_status pop_repeat(struct val_func *vf, wlab_valtype_t t, uint32_t n)
{
	const struct val_ctrl *top = &vf->ctrls[vf->nctrls - 1];
	for (uint32_t i = 0; i < n; i++) {
		if (top->unreachable && vf->nvals == top->height)
			return WLAB_OK;
		if (val_pop(vf, t, NULL))
			return WLAB_INVALID;
	}
	return WLAB_OK;
}

static enum wlab_status struct_instr(struct val_func *vf, const struct wlab_instr *in)
{
	const struct wlab_functype *st = comp_of(vf, in->index, WLAB_FORM_STRUCT);
	if (!st)
		return WLAB_INVALID;
	switch (in->op) {
	case WLAB_OP_STRUCT_NEW:
		for (uint32_t i = st->nfields; i-- > 0;)
			if (val_pop(vf, unpacked(st->fields[i].type), NULL))
				return WLAB_INVALID;
		return val_push(vf, ref_to(false, in->index));
	case WLAB_OP_STRUCT_NEW_DEFAULT:
		for (uint32_t i = 0; i < st->nfields; i++)
			if (!val_defaultable(st->fields[i].type))
				return val_fail(vf->vm, in->offset, "field type is not defaultable");
		return val_push(vf, ref_to(false, in->index));
	default:
		break;
	}
	if (in->index2 >= st->nfields)
		return val_fail(vf->vm, in->offset, "unknown field %u", in->index2);
	const struct wlab_fieldtype *f = &st->fields[in->index2];
	if (in->op == WLAB_OP_STRUCT_SET) {
		if (!f->mut)
			return val_fail(vf->vm, in->offset, "immutable field");
		if (val_pop(vf, unpacked(f->type), NULL))
			return WLAB_INVALID;
		return val_pop(vf, ref_to(true, in->index), NULL);
	}
	if (packed(f->type) != (in->op != WLAB_OP_STRUCT_GET))
		return val_fail(vf->vm, in->offset, "field is %s", packed(f->type) ? "packed"
											 : "unpacked");
	if (val_pop(vf, ref_to(true, in->index), NULL))
		return WLAB_INVALID;
	return val_push(vf, unpacked(f->type));
}

static bool is_numvec(wlab_valtype_t t)
{
	return wlab_type_is_num(unpacked(t)) || t == WLAB_V128;
}

/* array.new_data, array.init_data: a numeric or vector element, a data
 * segment that exists. */
static enum wlab_status data_ok(struct val_func *vf, const struct wlab_fieldtype *f, uint32_t d)
{
	if (!is_numvec(f->type))
		return val_fail(vf->vm, vf->offset, "array type is not numeric or vector");
	if (d >= vf->vm->m->ndatas)
		return val_fail(vf->vm, vf->offset, "unknown data segment %u", d);
	return WLAB_OK;
}

/* array.new_elem, array.init_elem: the segment's references fit the element. */
static enum wlab_status elem_ok(struct val_func *vf, const struct wlab_fieldtype *f, uint32_t e)
{
	const struct wlab_module *m = vf->vm->m;
	if (e >= m->nelems)
		return val_fail(vf->vm, vf->offset, "unknown elem segment %u", e);
	if (!val_subtype(vf->vm, val_elem_type(vf->vm, &m->elems[e]), f->type))
		return val_mismatch(vf);
	return WLAB_OK;
}

/* array.copy: the source's storage type matches the destination's. */
static enum wlab_status copy_ok(struct val_func *vf, const struct wlab_fieldtype *dst,
				uint32_t src_index)
{
	const struct wlab_functype *src = comp_of(vf, src_index, WLAB_FORM_ARRAY);
	if (!src)
		return WLAB_INVALID;
	wlab_valtype_t a = src->fields[0].type, b = dst->type;
	bool ok = packed(a) || packed(b) ? a == b : val_subtype(vf->vm, a, b);
	return ok ? WLAB_OK : val_fail(vf->vm, vf->offset, "array types do not match");
}

static enum wlab_status array_instr(struct val_func *vf, const struct wlab_instr *in)
{
	const struct wlab_functype *at = comp_of(vf, in->index, WLAB_FORM_ARRAY);
	if (!at)
		return WLAB_INVALID;
	const struct wlab_fieldtype *f = &at->fields[0];
	const wlab_valtype_t i32 = WLAB_I32, t = unpacked(f->type), r = ref_to(true, in->index);
	bool writes = in->op == WLAB_OP_ARRAY_SET || in->op == WLAB_OP_ARRAY_FILL ||
		      in->op == WLAB_OP_ARRAY_COPY || in->op == WLAB_OP_ARRAY_INIT_DATA ||
		      in->op == WLAB_OP_ARRAY_INIT_ELEM;
	if (writes && !f->mut)
		return val_fail(vf->vm, in->offset, "immutable array");
	switch (in->op) {
	case WLAB_OP_ARRAY_NEW: {
		const wlab_valtype_t ts[2] = {t, i32};
		return val_pop_n(vf, ts, 2) ? WLAB_INVALID : val_push(vf, ref_to(false, in->index));
	}
	case WLAB_OP_ARRAY_NEW_DEFAULT:
		if (!val_defaultable(f->type))
			return val_fail(vf->vm, in->offset, "array type is not defaultable");
		return val_pop(vf, i32, NULL) ? WLAB_INVALID
					       : val_push(vf, ref_to(false, in->index));
	case WLAB_OP_ARRAY_NEW_FIXED:
		return pop_repeat(vf, t, in->index2) ? WLAB_INVALID
						      : val_push(vf, ref_to(false, in->index));
	case WLAB_OP_ARRAY_NEW_DATA: case WLAB_OP_ARRAY_NEW_ELEM: {
		const wlab_valtype_t ts[2] = {i32, i32};
		if (in->op == WLAB_OP_ARRAY_NEW_DATA ? data_ok(vf, f, in->index2)
						     : elem_ok(vf, f, in->index2))
			return WLAB_INVALID;
		return val_pop_n(vf, ts, 2) ? WLAB_INVALID : val_push(vf, ref_to(false, in->index));
	}
	case WLAB_OP_ARRAY_GET: case WLAB_OP_ARRAY_GET_S: case WLAB_OP_ARRAY_GET_U: {
		const wlab_valtype_t ts[2] = {r, i32};
		if (packed(f->type) != (in->op != WLAB_OP_ARRAY_GET))
			return val_fail(vf->vm, in->offset, "array is %s",
					packed(f->type) ? "packed" : "unpacked");
		return val_pop_n(vf, ts, 2) ? WLAB_INVALID : val_push(vf, t);
	}
	case WLAB_OP_ARRAY_SET: {
		const wlab_valtype_t ts[3] = {r, i32, t};
		return val_pop_n(vf, ts, 3);
	}
	case WLAB_OP_ARRAY_FILL: {
		const wlab_valtype_t ts[4] = {r, i32, t, i32};
		return val_pop_n(vf, ts, 4);
	}
	case WLAB_OP_ARRAY_COPY: {
		const wlab_valtype_t ts[5] = {r, i32, ref_to(true, in->index2), i32, i32};
		return copy_ok(vf, f, in->index2) ? WLAB_INVALID : val_pop_n(vf, ts, 5);
	}
	default: {  /* array.init_data, array.init_elem */
		const wlab_valtype_t ts[4] = {r, i32, i32, i32};
		if (in->op == WLAB_OP_ARRAY_INIT_DATA ? data_ok(vf, f, in->index2)
						      : elem_ok(vf, f, in->index2))
			return WLAB_INVALID;
		return val_pop_n(vf, ts, 4);
	}
	}
}

/* rt1 \ rt2: what is left of rt1 when a cast to rt2 failed (nullable only
 * when rt1 is and rt2 is not). */
static wlab_valtype_t diff(wlab_valtype_t rt1, wlab_valtype_t rt2)
{
	return wlab_ref_type(wlab_ref_nullable(rt1) && !wlab_ref_nullable(rt2), wlab_ref_heap(rt1));
}

/* br_on_cast l rt1 rt2: [t* rt1] -> [t* (rt1 \ rt2)], to l with rt2;
 * br_on_cast_fail l rt1 rt2: [t* rt1] -> [t* rt2], to l with rt1 \ rt2. */
static enum wlab_status br_on_cast(struct val_func *vf, const struct wlab_instr *in)
{
	struct val_module *vm = vf->vm;
	wlab_valtype_t rt1 = in->reftype, rt2 = in->reftype2;
	if (val_check_type(vm, rt1, in->offset) || val_check_type(vm, rt2, in->offset))
		return WLAB_INVALID;
	if (!val_subtype(vm, rt2, rt1))
		return val_mismatch(vf);
	const struct val_ctrl *c = val_label(vf, in->index);
	if (!c)
		return WLAB_INVALID;
	uint32_t n = val_label_arity(c);
	const wlab_valtype_t *ts = val_label_types(c);
	bool fail_form = in->op == WLAB_OP_BR_ON_CAST_FAIL;
	wlab_valtype_t to_label = fail_form ? diff(rt1, rt2) : rt2;
	wlab_valtype_t stays = fail_form ? rt2 : diff(rt1, rt2);
	if (n == 0 || !val_subtype(vm, to_label, ts[n - 1]))
		return val_mismatch(vf);
	if (val_pop(vf, rt1, NULL) || val_pop_n(vf, ts, n - 1) || val_push_n(vf, ts, n - 1))
		return WLAB_INVALID;
	return val_push(vf, stays);
}

/* ref.test and ref.cast take any reference of rt's hierarchy. */
static enum wlab_status cast(struct val_func *vf, const struct wlab_instr *in)
{
	wlab_valtype_t rt = in->reftype;
	if (val_check_type(vf->vm, rt, in->offset))
		return WLAB_INVALID;
	if (val_pop(vf, wlab_ref_type(true, top_of(vf->vm, wlab_ref_heap(rt))), NULL))
		return WLAB_INVALID;
	bool test = in->op == WLAB_OP_REF_TEST || in->op == WLAB_OP_REF_TEST_NULL;
	return val_push(vf, test ? WLAB_I32 : rt);
}

/* any.convert_extern and extern.convert_any keep the nullability. */
static enum wlab_status convert(struct val_func *vf, wlab_heaptype_t from, wlab_heaptype_t to)
{
	wlab_valtype_t t;
	if (val_pop(vf, wlab_ref_type(true, from), &t))
		return WLAB_INVALID;
	return val_push(vf, t == VAL_UNKNOWN ? VAL_UNKNOWN : wlab_ref_type(wlab_ref_nullable(t), to));
}

static enum wlab_status pop_push(struct val_func *vf, wlab_valtype_t a, wlab_valtype_t b)
{
	return val_pop(vf, a, NULL) ? WLAB_INVALID : val_push(vf, b);
}

enum wlab_status val_gc(struct val_func *vf, const struct wlab_instr *in)
{
	const wlab_valtype_t eqref = WLAB_HT_EQ;
	switch (in->op) {
	case WLAB_OP_REF_EQ:
		if (val_pop(vf, eqref, NULL) || val_pop(vf, eqref, NULL))
			return WLAB_INVALID;
		return val_push(vf, WLAB_I32);
	case WLAB_OP_REF_I31:
		return pop_push(vf, WLAB_I32, wlab_ref_type(false, WLAB_HT_I31));
	case WLAB_OP_I31_GET_S: case WLAB_OP_I31_GET_U:
		return pop_push(vf, WLAB_HT_I31, WLAB_I32);
	case WLAB_OP_ARRAY_LEN:
		return pop_push(vf, WLAB_HT_ARRAY, WLAB_I32);
	case WLAB_OP_ANY_CONVERT_EXTERN:
		return convert(vf, WLAB_HT_EXTERN, WLAB_HT_ANY);
	case WLAB_OP_EXTERN_CONVERT_ANY:
		return convert(vf, WLAB_HT_ANY, WLAB_HT_EXTERN);
	case WLAB_OP_REF_TEST: case WLAB_OP_REF_TEST_NULL:
	case WLAB_OP_REF_CAST: case WLAB_OP_REF_CAST_NULL:
		return cast(vf, in);
	case WLAB_OP_BR_ON_CAST: case WLAB_OP_BR_ON_CAST_FAIL:
		return br_on_cast(vf, in);
	case WLAB_OP_STRUCT_NEW: case WLAB_OP_STRUCT_NEW_DEFAULT: case WLAB_OP_STRUCT_GET:
	case WLAB_OP_STRUCT_GET_S: case WLAB_OP_STRUCT_GET_U: case WLAB_OP_STRUCT_SET:
		return struct_instr(vf, in);
	default:
		return array_instr(vf, in);
	}
}
