/* validate_func.c: the per-function walk: one step per instruction, simple
 * instructions typed from their derived signatures, control ones here. */
#include <stdlib.h>
#include <string.h>

#include "validate_internal.h"

void val_func_init(struct val_func *vf, struct val_module *vm)
{
	memset(vf, 0, sizeof *vf);
	vf->vm = vm;
	vf->funcidx = UINT32_MAX;
}

struct val_chunk {
	struct val_chunk *next;
	uint32_t used;
	wlab_valtype_t t[64];
};

static void free_chunks(struct val_func *vf)
{
	while (vf->chunks) {
		struct val_chunk *c = vf->chunks;
		vf->chunks = c->next;
		val_release(vf->vm, c, 1, sizeof *c);
	}
}

const wlab_valtype_t *val_func_one_type(struct val_func *vf, wlab_valtype_t t)
{
	const wlab_valtype_t *one = val_one_type(t);
	if (one)
		return one;
	if (!vf->chunks || vf->chunks->used == 64) {
		struct val_chunk *c = NULL;
		uint32_t cap = 0;
		if (val_grow(vf->vm, (void **)&c, &cap, sizeof *c, 1, vf->offset))
			return NULL;
		c->next = vf->chunks;
		c->used = 0;
		vf->chunks = c;
	}
	wlab_valtype_t *p = &vf->chunks->t[vf->chunks->used++];
	*p = t;
	return p;
}

void val_func_fini(struct val_func *vf)
{
	free_chunks(vf);
	val_release(vf->vm, vf->vals, vf->vals_cap, sizeof *vf->vals);
	val_release(vf->vm, vf->ctrls, vf->ctrls_cap, sizeof *vf->ctrls);
	val_release(vf->vm, vf->local_ends, vf->ends_cap, sizeof *vf->local_ends);
	val_release(vf->vm, vf->flat, vf->flat_cap, sizeof *vf->flat);
	val_release(vf->vm, vf->init_bits, vf->init_cap, 1);
	val_release(vf->vm, vf->inits, vf->inits_cap, sizeof *vf->inits);
	val_func_init(vf, vf->vm);
}

static void reset(struct val_func *vf, uint32_t funcidx)
{
	free_chunks(vf);
	vf->funcidx = funcidx;
	vf->nvals = vf->nctrls = 0;
	vf->ndecls = 0;
	vf->nflat = 0;
	vf->decls = NULL;
	vf->type = NULL;
	vf->const_expr = false;
	vf->track_inits = false;
	vf->ninits = 0;
	memset(&vf->last, 0, sizeof vf->last);
}

enum wlab_status val_func_begin(struct val_func *vf, uint32_t funcidx)
{
	struct val_module *vm = vf->vm;
	const struct wlab_code *code = &vm->m->codes[funcidx - vm->m->nimported_funcs];
	reset(vf, funcidx);
	vf->offset = code->expr.offset;
	vf->type = val_func_type(vm, funcidx);
	if (!vf->type)
		return val_fail(vm, code->span.offset, "unknown type");
	if (code->nlocal_decls > vf->ends_cap &&
	    val_grow(vm, (void **)&vf->local_ends, &vf->ends_cap, sizeof *vf->local_ends,
		     code->nlocal_decls, code->span.offset))
		return vm->err->error.status;
	uint64_t n = 0;
	for (uint32_t i = 0; i < code->nlocal_decls; i++) {
		vf->local_ends[i] = n += code->local_decls[i].count;
		if (val_check_type(vm, code->local_decls[i].type, code->local_decls[i].offset))
			return WLAB_INVALID;
		vf->track_inits |= code->local_decls[i].count &&
				   !val_defaultable(code->local_decls[i].type);
	}
	if (vf->track_inits) {
		if (val_grow(vm, (void **)&vf->init_bits, &vf->init_cap, 1, (n + 7) / 8,
			     code->span.offset))
			return vm->err->error.status;
		memset(vf->init_bits, 0, (size_t)((n + 7) / 8));
	}
	vf->decls = code->local_decls;
	vf->ndecls = code->nlocal_decls;
	vf->nlocals = vf->type->nparams + n;
	if (vf->nlocals <= VAL_FLAT_LOCALS) {
		if (vf->nlocals > vf->flat_cap &&
		    val_grow(vm, (void **)&vf->flat, &vf->flat_cap, sizeof *vf->flat,
			     (uint32_t)vf->nlocals, code->span.offset))
			return vm->err->error.status;
		wlab_valtype_t *t = vf->flat;
		for (uint32_t i = 0; i < vf->type->nparams; i++)
			*t++ = vf->type->params[i];
		for (uint32_t i = 0; i < code->nlocal_decls; i++)
			for (uint32_t k = 0; k < code->local_decls[i].count; k++)
				*t++ = code->local_decls[i].type;
		vf->nflat = (uint32_t)vf->nlocals;
	}
	return val_push_ctrl(vf, WLAB_OP_BLOCK, code->expr.offset, NULL, 0,
			     vf->type->results, vf->type->nresults);
}

enum wlab_status val_func_begin_const(struct val_func *vf, wlab_valtype_t t, uint32_t offset)
{
	reset(vf, UINT32_MAX);
	vf->const_expr = true;
	vf->offset = offset;
	vf->nlocals = 0;
	const wlab_valtype_t *one = val_func_one_type(vf, t);
	if (!one)
		return vf->vm->err->error.status;
	return val_push_ctrl(vf, WLAB_OP_BLOCK, offset, NULL, 0, one, 1);
}

struct blocktype {
	const wlab_valtype_t *params, *results;
	uint32_t nparams, nresults;
};

/* The params and results of a block type. */
static enum wlab_status block_type(struct val_func *vf, const struct wlab_instr *in,
				   struct blocktype *bt)
{
	const struct wlab_module *m = vf->vm->m;
	int64_t code = in->blocktype;
	if (wlab_blocktype_is_empty(code))
		return WLAB_OK;
	if (wlab_blocktype_is_valtype(code)) {
		wlab_valtype_t t = in->bttype ? in->bttype : (wlab_valtype_t)(code & 0x7f);
		if (val_check_type(vf->vm, t, in->offset))
			return WLAB_INVALID;
		bt->results = val_func_one_type(vf, t);
		bt->nresults = 1;
		return bt->results ? WLAB_OK : vf->vm->err->error.status;
	}
	/* 1.0's block types are [] or one value type; a type index, even of
	 * [] -> [t], is multi-value's encoding */
	if (!(vf->vm->features & WLAB_FEATURE_MULTI_VALUE))
		return val_fail(vf->vm, in->offset, "block type index without multi-value");
	if ((uint64_t)code >= m->ntypes)
		return val_fail(vf->vm, in->offset, "unknown type %lld", (long long)code);
	if (val_need_functype(vf->vm, (uint32_t)code, in->offset))
		return WLAB_INVALID;
	const struct wlab_functype *ft = &m->types[code];
	*bt = (struct blocktype){ft->params, ft->results, ft->nparams, ft->nresults};
	return WLAB_OK;
}

static enum wlab_status open_block(struct val_func *vf, const struct wlab_instr *in)
{
	struct blocktype bt = {0};
	if (block_type(vf, in, &bt))
		return WLAB_INVALID;
	if (in->op == WLAB_OP_IF && val_pop(vf, WLAB_I32, NULL))
		return WLAB_INVALID;
	if (val_pop_n(vf, bt.params, bt.nparams))
		return WLAB_INVALID;
	return val_push_ctrl(vf, in->op, in->offset, bt.params, bt.nparams, bt.results,
			     bt.nresults);
}

static enum wlab_status close_block(struct val_func *vf, const struct wlab_instr *in)
{
	struct val_ctrl *c = &vf->last.closed;
	if (val_pop_ctrl(vf, c))
		return WLAB_INVALID;
	if (in->op == WLAB_OP_ELSE) {
		if (c->op != WLAB_OP_IF)
			return val_fail(vf->vm, in->offset, "else without if");
		if (val_push_ctrl(vf, WLAB_OP_ELSE, c->offset, c->params, c->nparams,
				  c->results, c->nresults))
			return vf->vm->err->error.status;
		vf->ctrls[vf->nctrls - 1].aux = c->aux;  /* the if's, for a consumer */
		return WLAB_OK;
	}
	/* An if without else has an empty else that must turn params into results. */
	if (c->op == WLAB_OP_IF &&
	    (c->nparams != c->nresults ||
	     (c->nparams &&
	      memcmp(c->params, c->results, c->nparams * sizeof *c->params) != 0)))
		return val_mismatch_types(vf, "`if false` branch", c->results, c->nresults,
					  c->params, c->nparams);
	if (vf->nctrls == 0)
		return WLAB_OK;
	return val_push_n(vf, c->results, c->nresults);
}

static enum wlab_status branch_table(struct val_func *vf, const struct wlab_instr *in)
{
	if (val_pop(vf, WLAB_I32, NULL))
		return WLAB_INVALID;
	const struct val_ctrl *dflt = val_label(vf, in->index);
	if (!dflt)
		return WLAB_INVALID;
	uint32_t arity = val_label_arity(dflt);
	for (uint32_t i = 0; i < in->ntargets; i++) {
		const struct val_ctrl *c = val_label(vf, in->targets[i]);
		if (!c)
			return WLAB_INVALID;
		if (val_label_arity(c) != arity)
			return val_mismatch_types(vf, "br_table labels", val_label_types(c),
						  val_label_arity(c), val_label_types(dflt), arity);
		if (val_peek_n(vf, val_label_types(c), arity))
			return WLAB_INVALID;
	}
	if (val_pop_n(vf, val_label_types(dflt), arity))
		return WLAB_INVALID;
	val_unreachable(vf);
	return WLAB_OK;
}

static enum wlab_status branch(struct val_func *vf, const struct wlab_instr *in)
{
	if (in->op == WLAB_OP_BR_IF && val_pop(vf, WLAB_I32, NULL))
		return WLAB_INVALID;
	const struct val_ctrl *c = val_label(vf, in->index);
	if (!c)
		return WLAB_INVALID;
	uint32_t n = val_label_arity(c);
	const wlab_valtype_t *ts = val_label_types(c);
	if (val_pop_n(vf, ts, n))
		return WLAB_INVALID;
	if (in->op == WLAB_OP_BR_IF)
		return val_push_n(vf, ts, n);
	val_unreachable(vf);
	return WLAB_OK;
}

/* br_on_null l: [t* (ref null ht)] -> [t* (ref ht)], to l with t*;
 * br_on_non_null l: [t* (ref null ht)] -> [t*], to l with t* (ref ht). */
static enum wlab_status branch_on_null(struct val_func *vf, const struct wlab_instr *in)
{
	wlab_valtype_t r;
	if (val_pop(vf, VAL_UNKNOWN, &r))
		return WLAB_INVALID;
	if (!val_is_ref(r))
		return val_mismatch(vf);
	wlab_valtype_t nn = r == VAL_UNKNOWN ? VAL_UNKNOWN : wlab_ref_type(false, wlab_ref_heap(r));
	const struct val_ctrl *c = val_label(vf, in->index);
	if (!c)
		return WLAB_INVALID;
	uint32_t n = val_label_arity(c);
	const wlab_valtype_t *ts = val_label_types(c);
	if (in->op == WLAB_OP_BR_ON_NULL) {
		if (val_pop_n(vf, ts, n) || val_push_n(vf, ts, n))
			return WLAB_INVALID;
		return val_push(vf, nn);
	}
	if (n == 0 || !val_is_ref(ts[n - 1]) ||
	    (nn != VAL_UNKNOWN && !val_subtype(vf->vm, nn, ts[n - 1])))
		return val_mismatch(vf);
	if (val_pop_n(vf, ts, n - 1))
		return WLAB_INVALID;
	return val_push_n(vf, ts, n - 1);
}

static enum wlab_status control(struct val_func *vf, const struct wlab_instr *in)
{
	switch (in->op) {
	case WLAB_OP_UNREACHABLE:
		val_unreachable(vf);
		return WLAB_OK;
	case WLAB_OP_NOP:
		return WLAB_OK;
	case WLAB_OP_BLOCK: case WLAB_OP_LOOP: case WLAB_OP_IF:
		return open_block(vf, in);
	case WLAB_OP_ELSE: case WLAB_OP_END:
		return close_block(vf, in);
	case WLAB_OP_BR: case WLAB_OP_BR_IF:
		return branch(vf, in);
	case WLAB_OP_BR_TABLE:
		return branch_table(vf, in);
	case WLAB_OP_BR_ON_NULL: case WLAB_OP_BR_ON_NON_NULL:
		return branch_on_null(vf, in);
	case WLAB_OP_THROW: case WLAB_OP_THROW_REF: case WLAB_OP_TRY_TABLE: case WLAB_OP_TRY:
	case WLAB_OP_CATCH: case WLAB_OP_CATCH_ALL: case WLAB_OP_DELEGATE: case WLAB_OP_RETHROW:
		return val_exn(vf, in, open_block);
	case WLAB_OP_RETURN:
		if (val_pop_n(vf, vf->ctrls[0].results, vf->ctrls[0].nresults))
			return WLAB_INVALID;
		val_unreachable(vf);
		return WLAB_OK;
	default:
		return val_special(vf, in);
	}
}

/* The instructions of a constant expression (extended-const adds arithmetic,
 * GC its allocations and conversions). */
static bool is_constant(const struct val_module *vm, uint16_t op)
{
	switch (op) {
	case WLAB_OP_I32_CONST: case WLAB_OP_I64_CONST: case WLAB_OP_F32_CONST:
	case WLAB_OP_F64_CONST: case WLAB_OP_V128_CONST: case WLAB_OP_REF_NULL:
	case WLAB_OP_REF_FUNC: case WLAB_OP_GLOBAL_GET: case WLAB_OP_END:
		return true;
	case WLAB_OP_I32_ADD: case WLAB_OP_I32_SUB: case WLAB_OP_I32_MUL:
	case WLAB_OP_I64_ADD: case WLAB_OP_I64_SUB: case WLAB_OP_I64_MUL:
		return vm->features & WLAB_FEATURE_EXTENDED_CONST;
	case WLAB_OP_STRUCT_NEW: case WLAB_OP_STRUCT_NEW_DEFAULT: case WLAB_OP_ARRAY_NEW:
	case WLAB_OP_ARRAY_NEW_DEFAULT: case WLAB_OP_ARRAY_NEW_FIXED: case WLAB_OP_REF_I31:
	case WLAB_OP_ANY_CONVERT_EXTERN: case WLAB_OP_EXTERN_CONVERT_ANY:
		return vm->features & WLAB_FEATURE_GC;
	default:
		return false;
	}
}

static enum wlab_status check_lanes(struct val_func *vf, const struct wlab_instr *in,
				    const struct val_sig *s)
{
	if (in->op == WLAB_OP_I8X16_SHUFFLE) {
		for (int i = 0; i < 16; i++)
			if (in->v128[i] >= s->lanes)
				return val_fail(vf->vm, in->offset, "invalid lane index");
		return WLAB_OK;
	}
	if (in->lane >= s->lanes)
		return val_fail(vf->vm, in->offset, "invalid lane index");
	return WLAB_OK;
}

/* The memarg's memory, alignment, offset (below 2^32 on a 32-bit memory)
 * and lanes; *at gets the memory's address type. */
static enum wlab_status check_memarg(struct val_func *vf, const struct wlab_instr *in,
				     const struct val_sig *s, wlab_valtype_t *at)
{
	struct val_module *vm = vf->vm;
	const struct wlab_limits *mem = val_memory(vm, in->memarg.memidx);
	if (!mem)
		return val_fail(vm, in->offset, "unknown memory %u", in->memarg.memidx);
	uint32_t align = wlab_memarg_align(&in->memarg, vm->features);
	if (s->atomic && align != s->align)
		return val_fail(vm, in->offset, "atomic alignment must be natural");
	if (align > s->align)
		return val_fail(vm, in->offset, "alignment must not be larger than natural");
	if (!mem->is64 && in->memarg.offset > UINT32_MAX)
		return val_fail(vm, in->offset, "offset out of range");
	*at = val_addr_type(mem);
	return s->lanes ? check_lanes(vf, in, s) : WLAB_OK;
}

enum wlab_status val_func_step(struct val_func *vf, const struct wlab_instr *in)
{
	struct val_module *vm = vf->vm;
	const struct val_ctrl *top = &vf->ctrls[vf->nctrls - 1];
	vf->offset = in->offset;
	vf->last.height = vf->nvals;
	vf->last.dead = top->unreachable;
	vf->last.type = VAL_UNKNOWN;
	if (vf->const_expr && !is_constant(vm, in->op))
		return val_fail(vm, in->offset, "constant expression required");
	const struct val_sig *s = val_sig(vm, in->op);
	wlab_valtype_t at = WLAB_I32;  /* a memory instruction's address: its first operand */
	switch (s->kind) {
	case VAL_SIG_MEMORY:
		if (check_memarg(vf, in, s, &at))
			return WLAB_INVALID;
		break;
	case VAL_SIG_LANE:
		if (check_lanes(vf, in, s))
			return WLAB_INVALID;
		break;
	case VAL_SIG_PLAIN:
		break;
	default:
		return control(vf, in);
	}
	for (uint32_t i = s->npop; i-- > 0;)
		if (val_pop(vf, i == 0 && s->kind == VAL_SIG_MEMORY ? at : s->pop[i], NULL))
			return WLAB_INVALID;
	return s->npush ? val_push(vf, s->push) : WLAB_OK;
}

enum wlab_status val_func_walk(struct val_func *vf, struct wlab_span span,
			       const struct val_hook *hook)
{
	struct val_module *vm = vf->vm;
	struct wlab_instr_iter it;
	struct wlab_instr in;
	enum wlab_status st = WLAB_OK;
	wlab_instr_iter_init(&it, vm->m->bytes, span, vm->features, &vm->err->error);
	while (vf->nctrls > 0) {
		if (wlab_instr_iter_done(&it)) {
			st = wlab_error_set(&vm->err->error, WLAB_MALFORMED,
					    span.offset + span.size, "unexpected end");
			break;
		}
		st = wlab_instr_next(&it, &in);
		if (st)
			break;
		st = val_func_step(vf, &in);
		if (!st && hook && hook->after)
			st = hook->after(hook->ctx, vf, &in);
		if (st)
			break;
	}
	if (!st && !wlab_instr_iter_done(&it))
		st = wlab_error_set(&vm->err->error, WLAB_MALFORMED,
				    wlab_reader_offset(&it.r), "section size mismatch");
	wlab_instr_iter_fini(&it);
	return st;
}

enum wlab_status val_const_expr(struct val_func *vf, const struct wlab_expr *expr, wlab_valtype_t t)
{
	if (val_func_begin_const(vf, t, expr->span.offset))
		return vf->vm->err->error.status;
	return val_func_walk(vf, expr->span, NULL);
}
