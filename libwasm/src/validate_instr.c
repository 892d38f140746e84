/* validate_instr.c: the instructions whose typing depends on their
 * immediates: parametric, variable, table, memory, reference and call. */
#include <stdio.h>

#include "opcodes_internal.h"
#include "validate_internal.h"

/* The type of local idx: params, then the runs of the local declarations. */
static bool local_type(const struct val_func *vf, uint32_t idx, wlab_valtype_t *out)
{
	if (idx < vf->nflat) {
		*out = vf->flat[idx];
		return true;
	}
	if (vf->type && idx < vf->type->nparams) {
		*out = vf->type->params[idx];
		return true;
	}
	if (idx >= vf->nlocals)
		return false;
	uint64_t i = idx - (vf->type ? vf->type->nparams : 0);
	uint32_t lo = 0, hi = vf->ndecls;  /* the first run that ends past i */
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (vf->local_ends[mid] > i)
			hi = mid;
		else
			lo = mid + 1;
	}
	*out = vf->decls[lo].type;
	return true;
}

static bool init_bit(const struct val_func *vf, uint64_t i)
{
	return vf->init_bits[i / 8] & (1u << (i % 8));
}

bool val_local_ready(const struct val_func *vf, uint32_t idx)
{
	uint32_t np = vf->type ? vf->type->nparams : 0;
	return !vf->track_inits || idx < np || init_bit(vf, idx - np);
}

enum wlab_status val_local_mark(struct val_func *vf, uint32_t idx)
{
	uint32_t np = vf->type ? vf->type->nparams : 0;
	if (!vf->track_inits || idx < np || init_bit(vf, idx - np))
		return WLAB_OK;
	if (vf->ninits == vf->inits_cap &&
	    val_grow(vf->vm, (void **)&vf->inits, &vf->inits_cap, sizeof *vf->inits,
		     (uint64_t)vf->ninits + 1, vf->offset))
		return vf->vm->err->error.status;
	vf->inits[vf->ninits++] = idx - np;
	vf->init_bits[(idx - np) / 8] |= (uint8_t)(1u << ((idx - np) % 8));
	return WLAB_OK;
}

void val_locals_reset(struct val_func *vf, uint32_t h)
{
	while (vf->ninits > h) {
		uint32_t i = vf->inits[--vf->ninits];
		vf->init_bits[i / 8] &= (uint8_t)~(1u << (i % 8));
	}
}

static enum wlab_status variable(struct val_func *vf, const struct wlab_instr *in)
{
	struct val_module *vm = vf->vm;
	wlab_valtype_t t;
	if (in->op == WLAB_OP_LOCAL_GET || in->op == WLAB_OP_LOCAL_SET ||
	    in->op == WLAB_OP_LOCAL_TEE) {
		if (!local_type(vf, in->index, &t))
			return val_fail(vm, in->offset, "unknown local %u", in->index);
		vf->last.type = t;
		if (in->op == WLAB_OP_LOCAL_GET) {
			if (!val_defaultable(t) && !val_local_ready(vf, in->index))
				return val_fail(vm, in->offset, "uninitialized local");
			return val_push(vf, t);
		}
		if (val_pop(vf, t, NULL))
			return WLAB_INVALID;
		if (!val_defaultable(t) && val_local_mark(vf, in->index))
			return vm->err->error.status;
		return in->op == WLAB_OP_LOCAL_TEE ? val_push(vf, t) : WLAB_OK;
	}
	uint32_t visible = vf->const_expr ? vm->nconst_globals : vm->nglobals;
	const struct wlab_globaltype *g = in->index < visible ? val_global(vm, in->index) : NULL;
	if (!g)
		return val_fail(vm, in->offset, "unknown global %u", in->index);
	if (in->op == WLAB_OP_GLOBAL_GET) {
		if (vf->const_expr && g->mut)
			return val_fail(vm, in->offset, "constant expression required");
		return val_push(vf, g->valtype);
	}
	if (!g->mut)
		return val_fail(vm, in->offset, "global is immutable");
	return val_pop(vf, g->valtype, NULL);
}

static enum wlab_status parametric(struct val_func *vf, const struct wlab_instr *in)
{
	wlab_valtype_t t1, t2;
	if (in->op == WLAB_OP_DROP)
		return val_pop(vf, VAL_UNKNOWN, &vf->last.type);
	if (in->op == WLAB_OP_SELECT_T) {
		if (in->ntypes != 1)
			return val_fail(vf->vm, in->offset, "invalid result arity");
		t1 = in->types[0];
		if (val_check_type(vf->vm, t1, in->offset))
			return WLAB_INVALID;
		vf->last.type = t1;
		if (val_pop(vf, WLAB_I32, NULL) || val_pop(vf, t1, NULL) ||
		    val_pop(vf, t1, NULL))
			return WLAB_INVALID;
		return val_push(vf, t1);
	}
	if (val_pop(vf, WLAB_I32, NULL) || val_pop(vf, VAL_UNKNOWN, &t1) ||
	    val_pop(vf, VAL_UNKNOWN, &t2))
		return WLAB_INVALID;
	if (!((val_is_num(t1) && val_is_num(t2)) || (val_is_vec(t1) && val_is_vec(t2))))
		return val_mismatch(vf);
	if (t1 != t2 && t1 != VAL_UNKNOWN && t2 != VAL_UNKNOWN)
		return val_mismatch(vf);
	vf->last.type = t1 == VAL_UNKNOWN ? t2 : t1;
	return val_push(vf, vf->last.type);
}

/* Table idx's element type and address type. */
static enum wlab_status table_of(struct val_func *vf, uint32_t idx, wlab_valtype_t *elemtype,
				 wlab_valtype_t *at)
{
	const struct wlab_tabletype *tt = val_table(vf->vm, idx);
	if (!tt)
		return val_fail(vf->vm, vf->offset, "unknown table %u", idx);
	*elemtype = tt->elemtype;
	*at = val_addr_type(&tt->limits);
	return WLAB_OK;
}

static enum wlab_status elem_of(struct val_func *vf, uint32_t idx, wlab_valtype_t *elemtype)
{
	const struct wlab_module *m = vf->vm->m;
	if (idx >= m->nelems)
		return val_fail(vf->vm, vf->offset, "unknown elem segment %u", idx);
	*elemtype = val_elem_type(vf->vm, &m->elems[idx]);
	return WLAB_OK;
}

/* Pops the operands of a copy: [dst src n], n of the smaller address type
 * (i32 unless both are i64). */
static enum wlab_status pop_copy(struct val_func *vf, wlab_valtype_t dst, wlab_valtype_t src)
{
	wlab_valtype_t n = dst == WLAB_I64 && src == WLAB_I64 ? WLAB_I64 : WLAB_I32;
	const wlab_valtype_t ts[3] = {dst, src, n};
	return val_pop_n(vf, ts, 3);
}

/* Pops [at i32 i32]: a table.init or memory.init. */
static enum wlab_status pop_init(struct val_func *vf, wlab_valtype_t at)
{
	const wlab_valtype_t ts[3] = {at, WLAB_I32, WLAB_I32};
	return val_pop_n(vf, ts, 3);
}

static enum wlab_status table_instr(struct val_func *vf, const struct wlab_instr *in)
{
	wlab_valtype_t t = 0, t2 = 0, at = WLAB_I32, at2 = WLAB_I32;
	if (in->op == WLAB_OP_ELEM_DROP)
		return elem_of(vf, in->index, &t);
	if (in->op == WLAB_OP_TABLE_INIT) {
		if (table_of(vf, in->index2, &t, &at) || elem_of(vf, in->index, &t2))
			return WLAB_INVALID;
		return val_subtype(vf->vm, t2, t) ? pop_init(vf, at)
		       : val_mismatch_types(vf, "table.init elements", &t, 1, &t2, 1);
	}
	if (table_of(vf, in->index, &t, &at))
		return WLAB_INVALID;
	switch (in->op) {
	case WLAB_OP_TABLE_GET:
		return val_pop(vf, at, NULL) ? WLAB_INVALID : val_push(vf, t);
	case WLAB_OP_TABLE_SET:
		return val_pop(vf, t, NULL) || val_pop(vf, at, NULL) ? WLAB_INVALID : WLAB_OK;
	case WLAB_OP_TABLE_SIZE:
		return val_push(vf, at);
	case WLAB_OP_TABLE_GROW:
		if (val_pop(vf, at, NULL) || val_pop(vf, t, NULL))
			return WLAB_INVALID;
		return val_push(vf, at);
	case WLAB_OP_TABLE_FILL:
		if (val_pop(vf, at, NULL) || val_pop(vf, t, NULL))
			return WLAB_INVALID;
		return val_pop(vf, at, NULL);
	default:  /* table.copy: index is the destination, index2 the source */
		if (table_of(vf, in->index2, &t2, &at2))
			return WLAB_INVALID;
		return val_subtype(vf->vm, t2, t) ? pop_copy(vf, at, at2)
		       : val_mismatch_types(vf, "table.copy elements", &t, 1, &t2, 1);
	}
}

/* Memory idx's address type. */
static enum wlab_status memory_of(struct val_func *vf, uint32_t idx, wlab_valtype_t *at)
{
	const struct wlab_limits *l = val_memory(vf->vm, idx);
	if (!l)
		return val_fail(vf->vm, vf->offset, "unknown memory %u", idx);
	*at = val_addr_type(l);
	return WLAB_OK;
}

static enum wlab_status data_of(struct val_func *vf, uint32_t idx)
{
	if (idx >= vf->vm->m->ndatas)
		return val_fail(vf->vm, vf->offset, "unknown data segment %u", idx);
	return WLAB_OK;
}

static enum wlab_status memory_instr(struct val_func *vf, const struct wlab_instr *in)
{
	wlab_valtype_t at = WLAB_I32, at2 = WLAB_I32;
	switch (in->op) {
	case WLAB_OP_DATA_DROP:
		return data_of(vf, in->index);
	case WLAB_OP_MEMORY_INIT:
		if (memory_of(vf, in->index2, &at) || data_of(vf, in->index))
			return WLAB_INVALID;
		return pop_init(vf, at);
	case WLAB_OP_MEMORY_COPY:
		if (memory_of(vf, in->index, &at) || memory_of(vf, in->index2, &at2))
			return WLAB_INVALID;
		return pop_copy(vf, at, at2);
	default:
		break;
	}
	if (memory_of(vf, in->index, &at))
		return WLAB_INVALID;
	switch (in->op) {
	case WLAB_OP_MEMORY_SIZE:
		return val_push(vf, at);
	case WLAB_OP_MEMORY_GROW:
		return val_pop(vf, at, NULL) ? WLAB_INVALID : val_push(vf, at);
	default: {  /* memory.fill: [at i32 at] */
		const wlab_valtype_t ts[3] = {at, WLAB_I32, at};
		return val_pop_n(vf, ts, 3);
	}
	}
}

static enum wlab_status reference(struct val_func *vf, const struct wlab_instr *in)
{
	struct val_module *vm = vf->vm;
	wlab_valtype_t t;
	switch (in->op) {
	case WLAB_OP_REF_NULL:
		if (val_check_type(vm, in->reftype, in->offset))
			return WLAB_INVALID;
		return val_push(vf, in->reftype);
	case WLAB_OP_REF_IS_NULL: case WLAB_OP_REF_AS_NON_NULL:
		if (val_pop(vf, VAL_UNKNOWN, &t))
			return WLAB_INVALID;
		if (!val_is_ref(t))
			return val_mismatch(vf);
		if (in->op == WLAB_OP_REF_IS_NULL)
			return val_push(vf, WLAB_I32);
		return val_push(vf, t == VAL_UNKNOWN ? t : wlab_ref_type(false, wlab_ref_heap(t)));
	default:  /* ref.func: (ref $t) of the function's type with typed references */
		if (in->index >= vm->nfuncs)
			return val_fail(vm, in->offset, "unknown function %u", in->index);
		if (!vf->const_expr && !val_declared(vm, in->index))
			return val_fail(vm, in->offset, "undeclared function reference");
		if (!(vm->features & WLAB_FEATURE_FUNCTION_REFERENCES))
			return val_push(vf, WLAB_FUNCREF);
		return val_push(vf, wlab_ref_type(false, wlab_heap_concrete(val_func_typeidx(vm, in->index))));
	}
}

/* A call's operands and results; a tail call's results must be ours. */
static enum wlab_status call_with(struct val_func *vf, const struct wlab_functype *ft,
				  bool tail)
{
	if (val_pop_n(vf, ft->params, ft->nparams))
		return WLAB_INVALID;
	if (!tail)
		return val_push_n(vf, ft->results, ft->nresults);
	const struct val_ctrl *body = &vf->ctrls[0];
	bool ok = ft->nresults == body->nresults;
	/* a tail call returns the callee's results as the caller's own */
	for (uint32_t i = 0; ok && i < ft->nresults; i++)
		ok = val_subtype(vf->vm, ft->results[i], body->results[i]);
	if (!ok)
		return val_mismatch_types(vf, NULL, body->results, body->nresults, ft->results,
					  ft->nresults);
	val_unreachable(vf);
	return WLAB_OK;
}

static enum wlab_status call(struct val_func *vf, const struct wlab_instr *in)
{
	struct val_module *vm = vf->vm;
	bool tail = in->op == WLAB_OP_RETURN_CALL || in->op == WLAB_OP_RETURN_CALL_INDIRECT ||
		    in->op == WLAB_OP_RETURN_CALL_REF;
	if (in->op == WLAB_OP_CALL_REF || in->op == WLAB_OP_RETURN_CALL_REF) {
		if (val_need_functype(vm, in->index, in->offset))
			return WLAB_INVALID;
		if (val_pop(vf, wlab_ref_type(true, wlab_heap_concrete(in->index)), NULL))
			return WLAB_INVALID;
		return call_with(vf, &vm->m->types[in->index], tail);
	}
	if (in->op == WLAB_OP_CALL || in->op == WLAB_OP_RETURN_CALL) {
		const struct wlab_functype *ft = val_func_type(vm, in->index);
		if (!ft)
			return val_fail(vm, in->offset, "unknown function %u", in->index);
		return call_with(vf, ft, tail);
	}
	wlab_valtype_t t = 0, at = WLAB_I32;
	if (table_of(vf, in->index2, &t, &at))
		return WLAB_INVALID;
	if (!val_subtype(vm, t, WLAB_FUNCREF)) {
		char what[48];  /* "call_indirect's table", "return_call_indirect's table" */
		snprintf(what, sizeof what, "%s's table", wlab_opinfo(in->op)->name);
		return val_mismatch_types(vf, what, val_one_type(WLAB_FUNCREF), 1, &t, 1);
	}
	if (val_need_functype(vm, in->index, in->offset))
		return WLAB_INVALID;
	if (val_pop(vf, at, NULL))
		return WLAB_INVALID;
	return call_with(vf, &vm->m->types[in->index], tail);
}

enum wlab_status val_special(struct val_func *vf, const struct wlab_instr *in)
{
	const struct wlab_opinfo *info = &wlab_op_table_[in->op];  /* an iterator's op */
	if (info->feature == WLAB_FEATURE_GC)
		return val_gc(vf, in);
	switch (info->imm) {
	case WLAB_IMM_LOCAL: case WLAB_IMM_GLOBAL:
		return variable(vf, in);
	case WLAB_IMM_TABLE: case WLAB_IMM_TABLE_TABLE: case WLAB_IMM_ELEM_TABLE:
	case WLAB_IMM_ELEM:
		return table_instr(vf, in);
	case WLAB_IMM_MEMIDX: case WLAB_IMM_MEM_MEM: case WLAB_IMM_DATA_MEM:
	case WLAB_IMM_DATA:
		return memory_instr(vf, in);
	case WLAB_IMM_REFTYPE:
		return reference(vf, in);
	case WLAB_IMM_FUNC:
		return in->op == WLAB_OP_REF_FUNC ? reference(vf, in) : call(vf, in);
	case WLAB_IMM_CALL_INDIRECT: case WLAB_IMM_TYPE:
		return call(vf, in);
	case WLAB_IMM_SELECT_T:
		return parametric(vf, in);
	default:
		break;
	}
	switch (in->op) {
	case WLAB_OP_DROP: case WLAB_OP_SELECT:
		return parametric(vf, in);
	case WLAB_OP_REF_IS_NULL: case WLAB_OP_REF_AS_NON_NULL:
		return reference(vf, in);
	default:
		return val_fail(vf->vm, in->offset, "%s: not supported by the validator",
				wlab_opinfo(in->op)->name);
	}
}
