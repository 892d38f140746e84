/* rt_compile.c: translates validated bodies into the internal form (an
 * array of struct rt_cell), driven by the validator's per-instruction hook. */
#include <stdlib.h>
#include <string.h>

#include "rt_internal.h"
#include "validate_internal.h"

#define NO_CELL UINT32_MAX

/* What the translator keeps per open control frame, indexed like vf->ctrls. */
struct tr_block {
	uint32_t start;    /* loop: its first cell */
	uint32_t patch;    /* forward branches to the end: a list linked through .a */
	uint32_t if_cell;  /* if: the RT_OP_BR_UNLESS to point at else or end */
};

struct tr {
	struct wlab_instance *inst;
	struct rt_cell *code;
	uint32_t n, cap;
	struct tr_block *blocks;
	uint32_t nblocks;
	uint32_t max_height;
	bool nomem;
};

static uint32_t emit(struct tr *t, uint16_t op, uint32_t a, uint64_t b)
{
	if (t->n == t->cap) {
		uint32_t cap = t->cap ? t->cap * 2 : 64;
		struct rt_cell *c = realloc(t->code, (size_t)cap * sizeof *c);
		if (!c) {
			t->nomem = true;
			return NO_CELL;
		}
		t->code = c;
		t->cap = cap;
	}
	t->code[t->n] = (struct rt_cell){op, a, b};
	return t->n++;
}

static enum wlab_status open_block(struct tr *t, struct val_func *vf, uint32_t if_cell)
{
	uint32_t i = vf->nctrls - 1;
	if (i >= t->nblocks) {
		uint32_t n = t->nblocks ? t->nblocks * 2 : 16;
		while (n <= i)
			n *= 2;
		struct tr_block *b = realloc(t->blocks, n * sizeof *b);
		if (!b)
			return WLAB_NOMEM;
		t->blocks = b;
		t->nblocks = n;
	}
	t->blocks[i] = (struct tr_block){t->n, NO_CELL, if_cell};
	return WLAB_OK;
}

static void patch_list(struct tr *t, uint32_t head, uint32_t to)
{
	while (head != NO_CELL) {
		uint32_t next = t->code[head].a;
		t->code[head].a = to;
		head = next;
	}
}

/* A branch from operand height h (values on top included) to frame c. */
static void branch(struct tr *t, struct val_func *vf, uint16_t op, uint32_t depth, uint32_t h)
{
	struct val_ctrl *c = val_label(vf, depth);
	uint32_t idx = (uint32_t)(c - vf->ctrls);
	struct tr_block *b = &t->blocks[idx];
	uint32_t keep = val_label_arity(c);
	if (op == RT_OP_BR && h - keep == c->height)
		op = RT_OP_JUMP;
	uint64_t imm = (uint64_t)keep << 32 | c->height;
	if (c->op == WLAB_OP_LOOP) {
		emit(t, op, b->start, imm);
		return;
	}
	uint32_t cell = emit(t, op, b->patch, imm);
	if (cell != NO_CELL)
		b->patch = cell;
}

static enum wlab_status control(struct tr *t, struct val_func *vf, const struct wlab_instr *in)
{
	uint32_t h = vf->last.height;
	switch (in->op) {
	case WLAB_OP_BLOCK: case WLAB_OP_LOOP:
		return open_block(t, vf, NO_CELL);
	case WLAB_OP_IF:
		return open_block(t, vf, vf->last.dead ? NO_CELL :
				  emit(t, RT_OP_BR_UNLESS, NO_CELL, 0));
	case WLAB_OP_ELSE: {
		struct tr_block *b = &t->blocks[vf->nctrls - 1];
		if (!vf->last.dead) {
			uint32_t cell = emit(t, RT_OP_JUMP, b->patch, 0);
			if (cell != NO_CELL)
				b->patch = cell;
		}
		if (b->if_cell != NO_CELL)
			t->code[b->if_cell].a = t->n;
		b->if_cell = NO_CELL;
		return WLAB_OK;
	}
	case WLAB_OP_END: {
		struct tr_block *b = &t->blocks[vf->nctrls];
		if (vf->nctrls == 0)
			emit(t, WLAB_OP_RETURN, 0, 0);
		uint32_t to = vf->nctrls == 0 ? t->n - 1 : t->n;
		patch_list(t, b->patch, to);
		if (b->if_cell != NO_CELL)
			t->code[b->if_cell].a = to;
		return WLAB_OK;
	}
	case WLAB_OP_BR:
		branch(t, vf, RT_OP_BR, in->index, h);
		return WLAB_OK;
	case WLAB_OP_BR_IF:
		branch(t, vf, RT_OP_BR_IF, in->index, h - 1);
		return WLAB_OK;
	case WLAB_OP_BR_TABLE:
		emit(t, WLAB_OP_BR_TABLE, in->ntargets, 0);
		for (uint32_t i = 0; i < in->ntargets; i++)
			branch(t, vf, RT_OP_TARGET, in->targets[i], h - 1);
		branch(t, vf, RT_OP_TARGET, in->index, h - 1);
		return WLAB_OK;
	default:
		return WLAB_OK;
	}
}

static uint64_t call_indirect_imm(struct tr *t, const struct wlab_instr *in)
{
	const struct wlab_functype *ft = &t->inst->m->types[in->index];
	uint32_t id = rt_type_id(t->inst->store, ft->params, ft->nparams, ft->results,
				 ft->nresults);
	if (id == UINT32_MAX)
		t->nomem = true;
	return (uint64_t)id << 32 | in->index2;
}

static enum wlab_status after(void *ctx, struct val_func *vf, const struct wlab_instr *in)
{
	struct tr *t = ctx;
	if (vf->last.height > t->max_height)
		t->max_height = vf->last.height;
	if (vf->nvals > t->max_height)
		t->max_height = vf->nvals;
	switch (in->op) {
	case WLAB_OP_BLOCK: case WLAB_OP_LOOP: case WLAB_OP_IF: case WLAB_OP_ELSE:
	case WLAB_OP_END:
		return control(t, vf, in);
	default:
		break;
	}
	if (vf->last.dead)
		return WLAB_OK;
	switch (in->op) {
	case WLAB_OP_NOP:
		return WLAB_OK;
	case WLAB_OP_BR: case WLAB_OP_BR_IF: case WLAB_OP_BR_TABLE:
		return control(t, vf, in);
	case WLAB_OP_SELECT: case WLAB_OP_SELECT_T:
		emit(t, RT_OP_SELECT, 0, 0);
		break;
	case WLAB_OP_I32_CONST:
		emit(t, in->op, 0, (uint32_t)in->i32);
		break;
	case WLAB_OP_I64_CONST:
		emit(t, in->op, 0, (uint64_t)in->i64);
		break;
	case WLAB_OP_F32_CONST:
		emit(t, in->op, 0, in->f32);
		break;
	case WLAB_OP_F64_CONST:
		emit(t, in->op, 0, in->f64);
		break;
	case WLAB_OP_CALL_INDIRECT:
		emit(t, in->op, in->index, call_indirect_imm(t, in));
		break;
	default: {
		const struct wlab_opinfo *oi = wlab_opinfo(in->op);
		if (oi->imm == WLAB_IMM_MEMARG)
			emit(t, in->op, in->memarg.memidx, in->memarg.offset);
		else
			emit(t, in->op, in->index, in->index2);
		break;
	}
	}
	return t->nomem ? WLAB_NOMEM : WLAB_OK;
}

/* Translates one body with the walk vf (set up for inst's module). */
static enum wlab_status compile_one(struct val_func *vf, struct wlab_instance *inst,
				    struct rt_func *f, uint32_t idx)
{
	const struct wlab_module *m = inst->m;
	const struct wlab_code *code = &m->codes[idx - m->nimported_funcs];
	struct tr t = {.inst = inst};
	struct val_hook hook = {after, &t};
	enum wlab_status st = val_func_begin(vf, idx);
	if (!st)
		st = open_block(&t, vf, NO_CELL);
	if (!st)
		st = val_func_walk(vf, code->expr, &hook);
	if (!st && t.nomem)
		st = WLAB_NOMEM;
	free(t.blocks);
	if (st) {
		free(t.code);
		return st;
	}
	uint64_t nlocals = f->nparams + code->nlocals;
	f->nlocals = nlocals > UINT32_MAX ? UINT32_MAX : (uint32_t)nlocals;
	f->code = t.code;
	f->ncode = t.n;
	f->max_height = t.max_height;
	return WLAB_OK;
}

enum wlab_status rt_compile(struct wlab_instance *inst, struct wlab_error *err)
{
	const struct wlab_module *m = inst->m;
	struct wlab_validate_error verr;
	struct val_module *vm = malloc(sizeof *vm);
	struct val_func vf;
	enum wlab_status st;
	if (!vm)
		return wlab_error_set(err, WLAB_NOMEM, 0, "out of memory");
	st = val_module_init(vm, m, NULL, &verr);
	val_func_init(&vf, vm);
	for (uint32_t i = 0; !st && i < m->nfuncs; i++) {
		uint32_t idx = m->nimported_funcs + i;
		st = compile_one(&vf, inst, inst->funcs[idx], idx);
	}
	val_func_fini(&vf);
	val_module_fini(vm);
	free(vm);
	if (st)
		return wlab_error_set(err, st, verr.error.offset, "%s",
				      verr.error.status ? verr.error.message : "out of memory");
	return WLAB_OK;
}
