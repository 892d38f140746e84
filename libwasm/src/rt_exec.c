/* rt_exec.c: the interpreter loop over the internal form of rt_compile.c.
 *
 * Registers: ip (the cell being run), pc (the next), sp (the first free
 * value slot), fp (local 0 of the running function). A call pushes a
 * struct rt_frame; guest calls never recurse on the host stack. */
#include <string.h>

#include "rt_exec_ops.h"
#include "rt_internal.h"

/* The dispatch: one switch; swap these three for computed goto. */
#define DISPATCH for (;;) switch ((ip = pc++)->op)
#define CASE(x) case WLAB_OP_##x:
#define NEXT continue

#define BINOP_I32(sp, op) ((sp)[-2] = (uint32_t)((uint32_t)(sp)[-2] op (uint32_t)(sp)[-1]), (sp)--)
#define BINOP_I64(sp, op) ((sp)[-2] = (uint64_t)((sp)[-2] op (sp)[-1]), (sp)--)
#define CMP_S32(sp, op) ((sp)[-2] = (int32_t)(sp)[-2] op (int32_t)(sp)[-1], (sp)--)
#define CMP_S64(sp, op) ((sp)[-2] = (int64_t)(sp)[-2] op (int64_t)(sp)[-1], (sp)--)
#define BINFN_I32(sp, fn) ((sp)[-2] = fn((uint32_t)(sp)[-2], (uint32_t)(sp)[-1]), (sp)--)
#define BINFN_I64(sp, fn) ((sp)[-2] = fn((sp)[-2], (sp)[-1]), (sp)--)
#define BINOP_F32(sp, op) ((sp)[-2] = bits_f32(f32_of((sp)[-2]) op f32_of((sp)[-1])), (sp)--)
#define BINOP_F64(sp, op) ((sp)[-2] = bits_f64(f64_of((sp)[-2]) op f64_of((sp)[-1])), (sp)--)
#define CMP_F32(sp, op) ((sp)[-2] = f32_of((sp)[-2]) op f32_of((sp)[-1]), (sp)--)
#define CMP_F64(sp, op) ((sp)[-2] = f64_of((sp)[-2]) op f64_of((sp)[-1]), (sp)--)
#define BINFN_F32(sp, fn) ((sp)[-2] = bits_f32(fn(f32_of((sp)[-2]), f32_of((sp)[-1]))), (sp)--)
#define BINFN_F64(sp, fn) ((sp)[-2] = bits_f64(fn(f64_of((sp)[-2]), f64_of((sp)[-1]))), (sp)--)
#define UNFN_F32(sp, fn) ((sp)[-1] = bits_f32(fn(f32_of((sp)[-1]))))
#define UNFN_F64(sp, fn) ((sp)[-1] = bits_f64(fn(f64_of((sp)[-1]))))

/* Cuts the operand stack to height and keeps the top keep values. */
static inline uint64_t *branch_to(const struct rt_cell *c, uint64_t *sp, uint64_t *base)
{
	uint32_t keep = (uint32_t)(c->b >> 32);
	uint64_t *dst = base + (uint32_t)c->b;
	memmove(dst, sp - keep, keep * sizeof *sp);
	return dst + keep;
}

static inline struct rt_memory *mem0(const struct wlab_instance *inst)
{
	return inst && inst->nmems ? inst->mems[0] : NULL;
}

/* A host function may call back into the store: its calls start above the
 * slots that will hold its results. */
static enum wlab_trap call_host(struct wlab_store *s, struct rt_func *f, uint64_t **sp)
{
	uint64_t *args = *sp - f->nparams, *saved = s->sp_base;
	if (*sp + f->nresults > s->stack + s->opts.stack_slots)
		return WLAB_TRAP_EXHAUSTED;
	s->sp_base = *sp + f->nresults;
	enum wlab_trap t = f->host(f->host_ctx, args, *sp);
	s->sp_base = saved;
	if (t)
		return t;
	memmove(args, *sp, f->nresults * sizeof **sp);
	*sp = args + f->nresults;
	return WLAB_TRAP_NONE;
}

/* Enters f, whose args are the top of the stack; NULL when out of room. */
static uint64_t *enter(struct wlab_store *s, struct rt_func *f, uint64_t *sp)
{
	uint64_t *fp = sp - f->nparams;
	uint64_t room = (uint64_t)(s->stack + s->opts.stack_slots - fp);
	if (s->depth >= s->opts.max_call_depth ||
	    (uint64_t)f->nlocals + f->max_height + 1 > room)
		return NULL;
	memset(sp, 0, (size_t)(f->nlocals - f->nparams) * sizeof *sp);
	return fp;
}

enum wlab_trap rt_run(struct wlab_store *s, struct rt_func *f, uint64_t *sp)
{
	uint32_t base_depth = s->depth;
	enum wlab_trap trap = WLAB_TRAP_NONE;
	if (f->host) {
		trap = call_host(s, f, &sp);
		return trap;
	}
	uint64_t *fp = enter(s, f, sp);
	if (!fp)
		return WLAB_TRAP_EXHAUSTED;
	s->frames[s->depth++] = (struct rt_frame){NULL, NULL, NULL};
	struct rt_func *fn = f;
	struct wlab_instance *inst = fn->inst;
	struct rt_memory *mem = mem0(inst);
	const struct rt_cell *code = fn->code, *pc = code, *ip;
	struct rt_func *callee;
	struct rt_table *tab;
	uint8_t *p;
	sp = fp + fn->nlocals;

	/* The dispatch loop only leaves to make a call, which then comes back here. */
	for (;;) {
	DISPATCH {
	CASE(UNREACHABLE) trap = WLAB_TRAP_UNREACHABLE; goto fail;
	CASE(NOP) NEXT;
	case RT_OP_JUMP: pc = code + ip->a; NEXT;
	case RT_OP_BR: sp = branch_to(ip, sp, fp + fn->nlocals); pc = code + ip->a; NEXT;
	case RT_OP_BR_IF:
		if ((uint32_t)*--sp) {
			sp = branch_to(ip, sp, fp + fn->nlocals);
			pc = code + ip->a;
		}
		NEXT;
	case RT_OP_BR_UNLESS: if (!(uint32_t)*--sp) pc = code + ip->a; NEXT;
	CASE(BR_TABLE) {
		uint32_t i = (uint32_t)*--sp;
		ip += 1 + (i < ip->a ? i : ip->a);
		sp = branch_to(ip, sp, fp + fn->nlocals);
		pc = code + ip->a;
		NEXT;
	}
	CASE(RETURN) {
		struct rt_frame *fr;
		memmove(fp, sp - fn->nresults, fn->nresults * sizeof *sp);
		sp = fp + fn->nresults;
		fr = &s->frames[--s->depth];
		if (!fr->fn)
			return WLAB_TRAP_NONE;
		fn = fr->fn, pc = fr->pc, fp = fr->fp;
		code = fn->code, inst = fn->inst, mem = mem0(inst);
		NEXT;
	}
	CASE(CALL) callee = inst->funcs[ip->a]; goto call;
	CASE(CALL_INDIRECT) {
		uint32_t i = (uint32_t)*--sp;
		tab = inst->tables[(uint32_t)ip->b];
		if (i >= tab->size) {
			trap = WLAB_TRAP_UNDEFINED_ELEMENT;
			goto fail;
		}
		callee = (struct rt_func *)(uintptr_t)tab->elems[i];
		if (!callee) {
			trap = WLAB_TRAP_UNINITIALIZED_ELEMENT;
			goto fail;
		}
		if (callee->type_id != (uint32_t)(ip->b >> 32)) {
			trap = WLAB_TRAP_INDIRECT_MISMATCH;
			goto fail;
		}
		goto call;
	}
	CASE(DROP) sp--; NEXT;
	case RT_OP_SELECT: sp -= 2; if (!(uint32_t)sp[1]) sp[-1] = sp[0]; NEXT;
	CASE(LOCAL_GET) *sp++ = fp[ip->a]; NEXT;
	CASE(LOCAL_SET) fp[ip->a] = *--sp; NEXT;
	CASE(LOCAL_TEE) fp[ip->a] = sp[-1]; NEXT;
	CASE(GLOBAL_GET) *sp++ = inst->globals[ip->a]->value; NEXT;
	CASE(GLOBAL_SET) inst->globals[ip->a]->value = *--sp; NEXT;

	CASE(I32_LOAD)
		if (!(p = mem_at(mem, (uint32_t)sp[-1], ip->b, 4)))
			goto oob;
		sp[-1] = ld(p, 4);
		NEXT;
	CASE(I64_LOAD)
		if (!(p = mem_at(mem, (uint32_t)sp[-1], ip->b, 8)))
			goto oob;
		sp[-1] = ld(p, 8);
		NEXT;
	CASE(F32_LOAD)
		if (!(p = mem_at(mem, (uint32_t)sp[-1], ip->b, 4)))
			goto oob;
		sp[-1] = ld(p, 4);
		NEXT;
	CASE(F64_LOAD)
		if (!(p = mem_at(mem, (uint32_t)sp[-1], ip->b, 8)))
			goto oob;
		sp[-1] = ld(p, 8);
		NEXT;
	CASE(I32_LOAD8_S)
		if (!(p = mem_at(mem, (uint32_t)sp[-1], ip->b, 1)))
			goto oob;
		sp[-1] = (uint32_t)(int8_t)*p;
		NEXT;
	CASE(I32_LOAD8_U)
		if (!(p = mem_at(mem, (uint32_t)sp[-1], ip->b, 1)))
			goto oob;
		sp[-1] = *p;
		NEXT;
	CASE(I32_LOAD16_S)
		if (!(p = mem_at(mem, (uint32_t)sp[-1], ip->b, 2)))
			goto oob;
		sp[-1] = (uint32_t)(int16_t)ld(p, 2);
		NEXT;
	CASE(I32_LOAD16_U)
		if (!(p = mem_at(mem, (uint32_t)sp[-1], ip->b, 2)))
			goto oob;
		sp[-1] = ld(p, 2);
		NEXT;
	CASE(I64_LOAD8_S)
		if (!(p = mem_at(mem, (uint32_t)sp[-1], ip->b, 1)))
			goto oob;
		sp[-1] = (uint64_t)(int8_t)*p;
		NEXT;
	CASE(I64_LOAD8_U)
		if (!(p = mem_at(mem, (uint32_t)sp[-1], ip->b, 1)))
			goto oob;
		sp[-1] = *p;
		NEXT;
	CASE(I64_LOAD16_S)
		if (!(p = mem_at(mem, (uint32_t)sp[-1], ip->b, 2)))
			goto oob;
		sp[-1] = (uint64_t)(int16_t)ld(p, 2);
		NEXT;
	CASE(I64_LOAD16_U)
		if (!(p = mem_at(mem, (uint32_t)sp[-1], ip->b, 2)))
			goto oob;
		sp[-1] = ld(p, 2);
		NEXT;
	CASE(I64_LOAD32_S)
		if (!(p = mem_at(mem, (uint32_t)sp[-1], ip->b, 4)))
			goto oob;
		sp[-1] = (uint64_t)(int32_t)ld(p, 4);
		NEXT;
	CASE(I64_LOAD32_U)
		if (!(p = mem_at(mem, (uint32_t)sp[-1], ip->b, 4)))
			goto oob;
		sp[-1] = ld(p, 4);
		NEXT;
	CASE(I32_STORE) case WLAB_OP_F32_STORE: case WLAB_OP_I64_STORE32:
		if (!(p = mem_at(mem, (uint32_t)sp[-2], ip->b, 4)))
			goto oob;
		st(p, sp[-1], 4); sp -= 2; NEXT;
	CASE(I64_STORE) case WLAB_OP_F64_STORE:
		if (!(p = mem_at(mem, (uint32_t)sp[-2], ip->b, 8)))
			goto oob;
		st(p, sp[-1], 8); sp -= 2; NEXT;
	CASE(I32_STORE8) case WLAB_OP_I64_STORE8:
		if (!(p = mem_at(mem, (uint32_t)sp[-2], ip->b, 1)))
			goto oob;
		st(p, sp[-1], 1); sp -= 2; NEXT;
	CASE(I32_STORE16) case WLAB_OP_I64_STORE16:
		if (!(p = mem_at(mem, (uint32_t)sp[-2], ip->b, 2)))
			goto oob;
		st(p, sp[-1], 2); sp -= 2; NEXT;
	CASE(MEMORY_SIZE) *sp++ = mem->size / RT_PAGE; NEXT;
	CASE(MEMORY_GROW) {
		uint64_t old;
		sp[-1] = rt_memory_grow(mem, (uint32_t)sp[-1], &old) ? UINT32_MAX : (uint32_t)old;
		NEXT;
	}

	CASE(I32_CONST) case WLAB_OP_I64_CONST: case WLAB_OP_F32_CONST: case WLAB_OP_F64_CONST:
		*sp++ = ip->b; NEXT;

	CASE(I32_EQZ) sp[-1] = (uint32_t)sp[-1] == 0; NEXT;
	CASE(I32_EQ) BINOP_I32(sp, ==); NEXT;
	CASE(I32_NE) BINOP_I32(sp, !=); NEXT;
	CASE(I32_LT_S) CMP_S32(sp, <); NEXT;
	CASE(I32_LT_U) BINOP_I32(sp, <); NEXT;
	CASE(I32_GT_S) CMP_S32(sp, >); NEXT;
	CASE(I32_GT_U) BINOP_I32(sp, >); NEXT;
	CASE(I32_LE_S) CMP_S32(sp, <=); NEXT;
	CASE(I32_LE_U) BINOP_I32(sp, <=); NEXT;
	CASE(I32_GE_S) CMP_S32(sp, >=); NEXT;
	CASE(I32_GE_U) BINOP_I32(sp, >=); NEXT;
	CASE(I64_EQZ) sp[-1] = sp[-1] == 0; NEXT;
	CASE(I64_EQ) BINOP_I64(sp, ==); NEXT;
	CASE(I64_NE) BINOP_I64(sp, !=); NEXT;
	CASE(I64_LT_S) CMP_S64(sp, <); NEXT;
	CASE(I64_LT_U) BINOP_I64(sp, <); NEXT;
	CASE(I64_GT_S) CMP_S64(sp, >); NEXT;
	CASE(I64_GT_U) BINOP_I64(sp, >); NEXT;
	CASE(I64_LE_S) CMP_S64(sp, <=); NEXT;
	CASE(I64_LE_U) BINOP_I64(sp, <=); NEXT;
	CASE(I64_GE_S) CMP_S64(sp, >=); NEXT;
	CASE(I64_GE_U) BINOP_I64(sp, >=); NEXT;
	CASE(F32_EQ) CMP_F32(sp, ==); NEXT;
	CASE(F32_NE) CMP_F32(sp, !=); NEXT;
	CASE(F32_LT) CMP_F32(sp, <); NEXT;
	CASE(F32_GT) CMP_F32(sp, >); NEXT;
	CASE(F32_LE) CMP_F32(sp, <=); NEXT;
	CASE(F32_GE) CMP_F32(sp, >=); NEXT;
	CASE(F64_EQ) CMP_F64(sp, ==); NEXT;
	CASE(F64_NE) CMP_F64(sp, !=); NEXT;
	CASE(F64_LT) CMP_F64(sp, <); NEXT;
	CASE(F64_GT) CMP_F64(sp, >); NEXT;
	CASE(F64_LE) CMP_F64(sp, <=); NEXT;
	CASE(F64_GE) CMP_F64(sp, >=); NEXT;

	CASE(I32_CLZ) sp[-1] = i32_clz((uint32_t)sp[-1]); NEXT;
	CASE(I32_CTZ) sp[-1] = i32_ctz((uint32_t)sp[-1]); NEXT;
	CASE(I32_POPCNT) sp[-1] = i32_popcnt((uint32_t)sp[-1]); NEXT;
	CASE(I32_ADD) BINOP_I32(sp, +); NEXT;
	CASE(I32_SUB) BINOP_I32(sp, -); NEXT;
	CASE(I32_MUL) BINOP_I32(sp, *); NEXT;
	CASE(I32_DIV_S) if ((trap = i32_div(&sp[-2], (uint32_t)sp[-1], 0))) goto fail; sp--; NEXT;
	CASE(I32_DIV_U) if ((trap = i32_div(&sp[-2], (uint32_t)sp[-1], 1))) goto fail; sp--; NEXT;
	CASE(I32_REM_S) if ((trap = i32_div(&sp[-2], (uint32_t)sp[-1], 2))) goto fail; sp--; NEXT;
	CASE(I32_REM_U) if ((trap = i32_div(&sp[-2], (uint32_t)sp[-1], 3))) goto fail; sp--; NEXT;
	CASE(I32_AND) BINOP_I32(sp, &); NEXT;
	CASE(I32_OR) BINOP_I32(sp, |); NEXT;
	CASE(I32_XOR) BINOP_I32(sp, ^); NEXT;
	CASE(I32_SHL) sp[-2] = (uint32_t)((uint32_t)sp[-2] << (sp[-1] & 31)); sp--; NEXT;
	CASE(I32_SHR_S) BINFN_I32(sp, i32_shr_s); NEXT;
	CASE(I32_SHR_U) sp[-2] = (uint32_t)sp[-2] >> (sp[-1] & 31); sp--; NEXT;
	CASE(I32_ROTL) BINFN_I32(sp, i32_rotl); NEXT;
	CASE(I32_ROTR) BINFN_I32(sp, i32_rotr); NEXT;
	CASE(I64_CLZ) sp[-1] = i64_clz(sp[-1]); NEXT;
	CASE(I64_CTZ) sp[-1] = i64_ctz(sp[-1]); NEXT;
	CASE(I64_POPCNT) sp[-1] = i64_popcnt(sp[-1]); NEXT;
	CASE(I64_ADD) BINOP_I64(sp, +); NEXT;
	CASE(I64_SUB) BINOP_I64(sp, -); NEXT;
	CASE(I64_MUL) BINOP_I64(sp, *); NEXT;
	CASE(I64_DIV_S) if ((trap = i64_div(&sp[-2], sp[-1], 0))) goto fail; sp--; NEXT;
	CASE(I64_DIV_U) if ((trap = i64_div(&sp[-2], sp[-1], 1))) goto fail; sp--; NEXT;
	CASE(I64_REM_S) if ((trap = i64_div(&sp[-2], sp[-1], 2))) goto fail; sp--; NEXT;
	CASE(I64_REM_U) if ((trap = i64_div(&sp[-2], sp[-1], 3))) goto fail; sp--; NEXT;
	CASE(I64_AND) BINOP_I64(sp, &); NEXT;
	CASE(I64_OR) BINOP_I64(sp, |); NEXT;
	CASE(I64_XOR) BINOP_I64(sp, ^); NEXT;
	CASE(I64_SHL) sp[-2] <<= sp[-1] & 63; sp--; NEXT;
	CASE(I64_SHR_S) BINFN_I64(sp, i64_shr_s); NEXT;
	CASE(I64_SHR_U) sp[-2] >>= sp[-1] & 63; sp--; NEXT;
	CASE(I64_ROTL) BINFN_I64(sp, i64_rotl); NEXT;
	CASE(I64_ROTR) BINFN_I64(sp, i64_rotr); NEXT;

	CASE(F32_ABS) sp[-1] = (uint32_t)sp[-1] & ~F32_SIGN; NEXT;
	CASE(F32_NEG) sp[-1] = (uint32_t)sp[-1] ^ F32_SIGN; NEXT;
	CASE(F32_CEIL) UNFN_F32(sp, f32_ceil); NEXT;
	CASE(F32_FLOOR) UNFN_F32(sp, f32_floor); NEXT;
	CASE(F32_TRUNC) UNFN_F32(sp, f32_trunc); NEXT;
	CASE(F32_NEAREST) UNFN_F32(sp, f32_nearest); NEXT;
	CASE(F32_SQRT) UNFN_F32(sp, sqrtf); NEXT;
	CASE(F32_ADD) BINOP_F32(sp, +); NEXT;
	CASE(F32_SUB) BINOP_F32(sp, -); NEXT;
	CASE(F32_MUL) BINOP_F32(sp, *); NEXT;
	CASE(F32_DIV) BINOP_F32(sp, /); NEXT;
	CASE(F32_MIN) BINFN_F32(sp, f32_min); NEXT;
	CASE(F32_MAX) BINFN_F32(sp, f32_max); NEXT;
	CASE(F32_COPYSIGN) BINFN_I32(sp, f32_copysign); NEXT;
	CASE(F64_ABS) sp[-1] &= ~F64_SIGN; NEXT;
	CASE(F64_NEG) sp[-1] ^= F64_SIGN; NEXT;
	CASE(F64_CEIL) UNFN_F64(sp, f64_ceil); NEXT;
	CASE(F64_FLOOR) UNFN_F64(sp, f64_floor); NEXT;
	CASE(F64_TRUNC) UNFN_F64(sp, f64_trunc); NEXT;
	CASE(F64_NEAREST) UNFN_F64(sp, f64_nearest); NEXT;
	CASE(F64_SQRT) UNFN_F64(sp, sqrt); NEXT;
	CASE(F64_ADD) BINOP_F64(sp, +); NEXT;
	CASE(F64_SUB) BINOP_F64(sp, -); NEXT;
	CASE(F64_MUL) BINOP_F64(sp, *); NEXT;
	CASE(F64_DIV) BINOP_F64(sp, /); NEXT;
	CASE(F64_MIN) BINFN_F64(sp, f64_min); NEXT;
	CASE(F64_MAX) BINFN_F64(sp, f64_max); NEXT;
	CASE(F64_COPYSIGN) BINFN_I64(sp, f64_copysign); NEXT;

	CASE(I32_WRAP_I64) sp[-1] = (uint32_t)sp[-1]; NEXT;
	CASE(I32_TRUNC_F32_S)
		if ((trap = trunc_trap(&sp[-1], f32_of(sp[-1]), TRUNC_I32_S)))
			goto fail;
		NEXT;
	CASE(I32_TRUNC_F32_U)
		if ((trap = trunc_trap(&sp[-1], f32_of(sp[-1]), TRUNC_I32_U)))
			goto fail;
		NEXT;
	CASE(I32_TRUNC_F64_S)
		if ((trap = trunc_trap(&sp[-1], f64_of(sp[-1]), TRUNC_I32_S)))
			goto fail;
		NEXT;
	CASE(I32_TRUNC_F64_U)
		if ((trap = trunc_trap(&sp[-1], f64_of(sp[-1]), TRUNC_I32_U)))
			goto fail;
		NEXT;
	CASE(I64_EXTEND_I32_S) sp[-1] = (uint64_t)(int32_t)sp[-1]; NEXT;
	CASE(I64_EXTEND_I32_U) sp[-1] = (uint32_t)sp[-1]; NEXT;
	CASE(I64_TRUNC_F32_S)
		if ((trap = trunc_trap(&sp[-1], f32_of(sp[-1]), TRUNC_I64_S)))
			goto fail;
		NEXT;
	CASE(I64_TRUNC_F32_U)
		if ((trap = trunc_trap(&sp[-1], f32_of(sp[-1]), TRUNC_I64_U)))
			goto fail;
		NEXT;
	CASE(I64_TRUNC_F64_S)
		if ((trap = trunc_trap(&sp[-1], f64_of(sp[-1]), TRUNC_I64_S)))
			goto fail;
		NEXT;
	CASE(I64_TRUNC_F64_U)
		if ((trap = trunc_trap(&sp[-1], f64_of(sp[-1]), TRUNC_I64_U)))
			goto fail;
		NEXT;
	CASE(F32_CONVERT_I32_S) sp[-1] = bits_f32((float)(int32_t)sp[-1]); NEXT;
	CASE(F32_CONVERT_I32_U) sp[-1] = bits_f32((float)(uint32_t)sp[-1]); NEXT;
	CASE(F32_CONVERT_I64_S) sp[-1] = bits_f32((float)(int64_t)sp[-1]); NEXT;
	CASE(F32_CONVERT_I64_U) sp[-1] = bits_f32((float)sp[-1]); NEXT;
	CASE(F32_DEMOTE_F64) sp[-1] = bits_f32((float)f64_of(sp[-1])); NEXT;
	CASE(F64_CONVERT_I32_S) sp[-1] = bits_f64((double)(int32_t)sp[-1]); NEXT;
	CASE(F64_CONVERT_I32_U) sp[-1] = bits_f64((double)(uint32_t)sp[-1]); NEXT;
	CASE(F64_CONVERT_I64_S) sp[-1] = bits_f64((double)(int64_t)sp[-1]); NEXT;
	CASE(F64_CONVERT_I64_U) sp[-1] = bits_f64((double)sp[-1]); NEXT;
	CASE(F64_PROMOTE_F32) sp[-1] = bits_f64((double)f32_of(sp[-1])); NEXT;
	CASE(I32_REINTERPRET_F32) case WLAB_OP_F32_REINTERPRET_I32:
	case WLAB_OP_I64_REINTERPRET_F64: case WLAB_OP_F64_REINTERPRET_I64: NEXT;
	CASE(I32_EXTEND8_S) sp[-1] = (uint32_t)(int8_t)sp[-1]; NEXT;
	CASE(I32_EXTEND16_S) sp[-1] = (uint32_t)(int16_t)sp[-1]; NEXT;
	CASE(I64_EXTEND8_S) sp[-1] = (uint64_t)(int8_t)sp[-1]; NEXT;
	CASE(I64_EXTEND16_S) sp[-1] = (uint64_t)(int16_t)sp[-1]; NEXT;
	CASE(I64_EXTEND32_S) sp[-1] = (uint64_t)(int32_t)sp[-1]; NEXT;
	CASE(I32_TRUNC_SAT_F32_S) sp[-1] = trunc_sat(f32_of(sp[-1]), TRUNC_I32_S); NEXT;
	CASE(I32_TRUNC_SAT_F32_U) sp[-1] = trunc_sat(f32_of(sp[-1]), TRUNC_I32_U); NEXT;
	CASE(I32_TRUNC_SAT_F64_S) sp[-1] = trunc_sat(f64_of(sp[-1]), TRUNC_I32_S); NEXT;
	CASE(I32_TRUNC_SAT_F64_U) sp[-1] = trunc_sat(f64_of(sp[-1]), TRUNC_I32_U); NEXT;
	CASE(I64_TRUNC_SAT_F32_S) sp[-1] = trunc_sat(f32_of(sp[-1]), TRUNC_I64_S); NEXT;
	CASE(I64_TRUNC_SAT_F32_U) sp[-1] = trunc_sat(f32_of(sp[-1]), TRUNC_I64_U); NEXT;
	CASE(I64_TRUNC_SAT_F64_S) sp[-1] = trunc_sat(f64_of(sp[-1]), TRUNC_I64_S); NEXT;
	CASE(I64_TRUNC_SAT_F64_U) sp[-1] = trunc_sat(f64_of(sp[-1]), TRUNC_I64_U); NEXT;

	CASE(REF_NULL) *sp++ = 0; NEXT;
	CASE(REF_IS_NULL) sp[-1] = sp[-1] == 0; NEXT;
	CASE(REF_FUNC) *sp++ = (uintptr_t)inst->funcs[ip->a]; NEXT;
	CASE(TABLE_GET) case WLAB_OP_TABLE_SET: case WLAB_OP_TABLE_SIZE:
	case WLAB_OP_TABLE_GROW: case WLAB_OP_TABLE_FILL: case WLAB_OP_TABLE_COPY:
	case WLAB_OP_TABLE_INIT: case WLAB_OP_ELEM_DROP: case WLAB_OP_MEMORY_INIT:
	case WLAB_OP_DATA_DROP: case WLAB_OP_MEMORY_COPY: case WLAB_OP_MEMORY_FILL:
		if ((trap = rt_bulk(inst, ip, &sp))) goto fail;
		NEXT;
	default:
		trap = WLAB_TRAP_UNREACHABLE;  /* SIMD and other ops not run yet */
		goto fail;
	}
call:
	if (callee->host) {
		if ((trap = call_host(s, callee, &sp)))
			goto fail;
		continue;
	}
	uint64_t *nfp = enter(s, callee, sp);
	if (!nfp) {
		trap = WLAB_TRAP_EXHAUSTED;
		goto fail;
	}
	s->frames[s->depth++] = (struct rt_frame){fn, pc, fp};
	fn = callee, fp = nfp, sp = fp + fn->nlocals;
	code = pc = fn->code, inst = fn->inst, mem = mem0(inst);
	}
oob:
	trap = WLAB_TRAP_MEMORY_OOB;
fail:
	s->depth = base_depth;
	return trap;
}
