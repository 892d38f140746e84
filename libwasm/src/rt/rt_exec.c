/* rt_exec.c: the interpreter loop over the internal form of rt_compile.c.
 *
 * Registers: ip (the cell being run), pc (the next), sp (the first free
 * value slot), fp (local 0 of the running function). A call pushes a
 * struct rt_frame; guest calls never recurse on the host stack. A tail call
 * (return_call*) pushes none: the callee takes the caller's frame and slots
 * (tail_enter), so tail recursion runs in constant stack. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "rt_dispatch.h"
#include "rt_exec_ops.h"
#include "rt_internal.h"

/* The ops the loop runs, for the table of labels (computed goto) or of
 * handlers (musttail) (the compiler checks it against the cases: a case
 * left out is an unused label or function, an op without a case an
 * undefined one). */
#define RT_EXEC_WASM_OPS(X) \
	X(UNREACHABLE) X(NOP) X(BR_TABLE) X(RETURN) X(CALL) X(CALL_INDIRECT) X(RETURN_CALL) \
	X(RETURN_CALL_INDIRECT) X(DROP) \
	X(LOCAL_GET) X(LOCAL_SET) X(LOCAL_TEE) X(GLOBAL_GET) X(GLOBAL_SET) X(I32_LOAD) \
	X(I64_LOAD) X(F32_LOAD) X(F64_LOAD) X(I32_LOAD8_S) X(I32_LOAD8_U) X(I32_LOAD16_S) \
	X(I32_LOAD16_U) X(I64_LOAD8_S) X(I64_LOAD8_U) X(I64_LOAD16_S) X(I64_LOAD16_U) \
	X(I64_LOAD32_S) X(I64_LOAD32_U) X(I32_STORE) X(F32_STORE) X(I64_STORE32) X(I64_STORE) \
	X(F64_STORE) X(I32_STORE8) X(I64_STORE8) X(I32_STORE16) X(I64_STORE16) X(MEMORY_SIZE) \
	X(MEMORY_GROW) X(I32_CONST) X(I64_CONST) X(F32_CONST) X(F64_CONST) X(I32_EQZ) \
	X(I32_EQ) X(I32_NE) X(I32_LT_S) X(I32_LT_U) X(I32_GT_S) X(I32_GT_U) X(I32_LE_S) \
	X(I32_LE_U) X(I32_GE_S) X(I32_GE_U) X(I64_EQZ) X(I64_EQ) X(I64_NE) X(I64_LT_S) \
	X(I64_LT_U) X(I64_GT_S) X(I64_GT_U) X(I64_LE_S) X(I64_LE_U) X(I64_GE_S) X(I64_GE_U) \
	X(F32_EQ) X(F32_NE) X(F32_LT) X(F32_GT) X(F32_LE) X(F32_GE) X(F64_EQ) X(F64_NE) \
	X(F64_LT) X(F64_GT) X(F64_LE) X(F64_GE) X(I32_CLZ) X(I32_CTZ) X(I32_POPCNT) X(I32_ADD) \
	X(I32_SUB) X(I32_MUL) X(I32_DIV_S) X(I32_DIV_U) X(I32_REM_S) X(I32_REM_U) X(I32_AND) \
	X(I32_OR) X(I32_XOR) X(I32_SHL) X(I32_SHR_S) X(I32_SHR_U) X(I32_ROTL) X(I32_ROTR) \
	X(I64_CLZ) X(I64_CTZ) X(I64_POPCNT) X(I64_ADD) X(I64_SUB) X(I64_MUL) X(I64_DIV_S) \
	X(I64_DIV_U) X(I64_REM_S) X(I64_REM_U) X(I64_AND) X(I64_OR) X(I64_XOR) X(I64_SHL) \
	X(I64_SHR_S) X(I64_SHR_U) X(I64_ROTL) X(I64_ROTR) X(F32_ABS) X(F32_NEG) X(F32_CEIL) \
	X(F32_FLOOR) X(F32_TRUNC) X(F32_NEAREST) X(F32_SQRT) X(F32_ADD) X(F32_SUB) X(F32_MUL) \
	X(F32_DIV) X(F32_MIN) X(F32_MAX) X(F32_COPYSIGN) X(F64_ABS) X(F64_NEG) X(F64_CEIL) \
	X(F64_FLOOR) X(F64_TRUNC) X(F64_NEAREST) X(F64_SQRT) X(F64_ADD) X(F64_SUB) X(F64_MUL) \
	X(F64_DIV) X(F64_MIN) X(F64_MAX) X(F64_COPYSIGN) X(I32_WRAP_I64) X(I32_TRUNC_F32_S) \
	X(I32_TRUNC_F32_U) X(I32_TRUNC_F64_S) X(I32_TRUNC_F64_U) X(I64_EXTEND_I32_S) \
	X(I64_EXTEND_I32_U) X(I64_TRUNC_F32_S) X(I64_TRUNC_F32_U) X(I64_TRUNC_F64_S) \
	X(I64_TRUNC_F64_U) X(F32_CONVERT_I32_S) X(F32_CONVERT_I32_U) X(F32_CONVERT_I64_S) \
	X(F32_CONVERT_I64_U) X(F32_DEMOTE_F64) X(F64_CONVERT_I32_S) X(F64_CONVERT_I32_U) \
	X(F64_CONVERT_I64_S) X(F64_CONVERT_I64_U) X(F64_PROMOTE_F32) X(I32_REINTERPRET_F32) \
	X(F32_REINTERPRET_I32) X(I64_REINTERPRET_F64) X(F64_REINTERPRET_I64) X(I32_EXTEND8_S) \
	X(I32_EXTEND16_S) X(I64_EXTEND8_S) X(I64_EXTEND16_S) X(I64_EXTEND32_S) \
	X(I32_TRUNC_SAT_F32_S) X(I32_TRUNC_SAT_F32_U) X(I32_TRUNC_SAT_F64_S) \
	X(I32_TRUNC_SAT_F64_U) X(I64_TRUNC_SAT_F32_S) X(I64_TRUNC_SAT_F32_U) \
	X(I64_TRUNC_SAT_F64_S) X(I64_TRUNC_SAT_F64_U) X(REF_NULL) X(REF_IS_NULL) X(REF_FUNC) \
	X(REF_AS_NON_NULL) X(CALL_REF) X(RETURN_CALL_REF) \
	X(TABLE_GET) X(TABLE_SET) X(TABLE_SIZE) X(TABLE_GROW) X(TABLE_FILL) X(TABLE_COPY) \
	X(TABLE_INIT) X(ELEM_DROP) X(MEMORY_INIT) X(DATA_DROP) X(MEMORY_COPY) X(MEMORY_FILL) \
	X(THROW) X(THROW_REF) X(RETHROW)
/* (RT_EXEC_RT_OPS expands the X defined where it is used.) */
#define RT_EXEC_RT_OPS \
	X(JUMP) X(BR) X(BR_IF) X(BR_UNLESS) X(SELECT) X(JUMP_IF) X(LOCAL_GET2) X(SET_GET) X(MEMX) \
	X(BR_ON_NULL) X(BR_ON_NON_NULL) \
	X(I32_EQZ_JUMP_IF) \
	X(COPY) X(COPY_GET) X(CONST_SET) X(CONST_SET_GET) X(TEE_JUMP_IF) X(COPY_TEE) \
	X(TEE_I32_LOAD) X(I32_BITS) X(F64_MUL_LLL) X(TEE_BR_UNLESS) X(COPY_JUMP_IF) X(BR_TABLE_L) \
	X(GET_TEE_LOAD) X(SELECT_T) X(TEE_BITS) X(I32_MUL_ADD_L) \
	X(F64_LOAD_GL) X(I32_LOAD_GL) X(I32_MUL_ADD_K) X(I32_SHL_ADD_K) \
	X(I32_LOAD_SA) X(I32_LOAD_LSKA) X(BR_TABLE_LSKA) X(I32_SHL_ADD_LK) \
	X(SET_I32_STORE_LL) X(I32_LOAD_LTJ) X(I32_ADD_LKS2) X(I32_BITS_T) X(I32_LOAD8_U_LTU) \
	X(CALL_INDIRECT_L) X(I32_EQZ_BR_UNLESS) X(RETURN0) X(RETURN1) X(CALL_IN) \
	X(I32_LOAD_ADD_STORE) X(SET_JUMP) X(JUMP_BACK) X(F64_ADD2) X(I32_XEQ_LMJ) X(I32_MUL_ADD_LS) \
	X(GET_TEE_LOAD_S) X(I32_SHL_LK_ADD_L) X(I32_ADD_LK_SHL_ADD_LK) X(I32_ADD_LKS2_JUMP) \
	X(I32_ADD_LKS_BR_TABLE_LSKA) X(I32_BITS_L) X(I32_LOAD_POP) \
	X(I32_LOAD_LSKA_SA) X(LOCAL_GET_F64) X(LOCAL_GET2_F64) \
	RT_FUSED_OPS
/* The fused families' forms (rt_internal.h): each an X of its name. */
#define RT_FORM(n, f) X(n##f)

#if defined(RT_COMPUTED_GOTO) && !defined(RT_MUSTTAIL) && !defined(RT_DIRECT)
/* The store's fuel or profile dispatch table, every entry to; NULL when
 * out of memory (the computed-goto build with -DWLAB_NO_DIRECT). */
static const void *const *alt_table(struct wlab_store *s, const void *to)
{
	if (!s->alt_disp && !(s->alt_disp = malloc(RT_OP_COUNT * sizeof *s->alt_disp)))
		return NULL;
	if (s->alt_to != to) {
		for (uint32_t i = 0; i < RT_OP_COUNT; i++)
			s->alt_disp[i] = to;
		s->alt_to = to;
	}
	return s->alt_disp;
}
#endif

#ifdef RT_DIRECT
/* The cells' h for the store's run: every op's handler (labels[op]), or
 * when the store counts fuel or profiles, the label every op goes to first
 * (to), as an offset from s->h_base, which is the lowest label that leaves
 * indirect within reach; a label out of reach of h's 16 bits is reached
 * through indirect, which goes on to the store's check or through the
 * table (rt_dispatch.h, INDIRECT_CASE). (GCC 12's rt_run is
 * about 53 KiB at -O2, clang 14's handlers 52 KiB: every one is in reach
 * there; sanitizer builds take the indirect way for many.) In the
 * tail-called build the labels are the handler functions. Every function
 * the store translated has its cells rewritten when that changes. false
 * when out of memory. */
#ifdef RT_MUSTTAIL
typedef rt_op_fn *const *rt_table;  /* rt_handlers */
#else
typedef const void *const *rt_table;  /* rt_run's labels */
#endif
static bool set_handlers(struct wlab_store *s, rt_table labels, const void *to,
			 const void *indirect)
{
	uintptr_t in = (uintptr_t)indirect, lo = in;
	if (!s->cell_h && !(s->cell_h = malloc(RT_OP_COUNT * sizeof *s->cell_h)))
		return false;
	for (uint32_t i = 0; i <= RT_OP_COUNT; i++) {
		uintptr_t l = i < RT_OP_COUNT ? (uintptr_t)labels[i] : (uintptr_t)to;
		if (l && l < lo && in - l <= UINT16_MAX)
			lo = l;
	}
	s->h_base = lo;
	for (uint32_t i = 0; i < RT_OP_COUNT; i++) {
		uintptr_t l = to ? (uintptr_t)to : (uintptr_t)labels[i];
		s->cell_h[i] = (uint16_t)(l >= lo && l - lo <= UINT16_MAX ? l - lo : in - lo);
	}
	s->h_to = to;
	for (struct wlab_instance *inst = s->instances; inst; inst = inst->next)
		for (uint32_t i = 0; inst->funcs && i < inst->nfuncs; i++)
			if (inst->funcs[i] && inst->funcs[i]->inst == inst)
				rt_cells_fill(inst->funcs[i]);
	return true;
}
#endif

void rt_cells_fill(struct rt_func *f)
{
#ifdef RT_DIRECT
	const uint16_t *h = f->inst->store->cell_h;
	for (uint32_t i = 0; h && f->code && i < f->ncode; i++)
		f->code[i].h = h[f->code[i].op];
	/* A br_table entry, never run, holds its target's h: the table's
	 * jump loads it beside the target (TAKE_TABLE_BRANCH). */
	for (uint32_t i = 0; h && f->code && i < f->ncode; i++)
		if (f->code[i].op == RT_OP_TARGET)
			f->code[i].h = CELL_TARGET(&f->code[i])->h;
#else
	(void)f;
#endif
}

/* Whether wlab_store_interrupt() asked the guest to stop: one relaxed
 * load, made only where a branch that can go back is taken or a call made,
 * so every loop sees it once per round and code that runs forward needs
 * none. */
static inline bool interrupted(struct wlab_store *s)
{
	return __builtin_expect(atomic_load_explicit(&s->attn, memory_order_relaxed) &
				RT_ATTN_INTERRUPT, 0);
}

/* Clears the request a branch or call found. Out of line: in line, GCC
 * computed &s->attn for it beside every interrupt check. */
static __attribute__((noinline)) void clear_interrupt(struct wlab_store *s)
{
	atomic_fetch_and_explicit(&s->attn, ~RT_ATTN_INTERRUPT, memory_order_relaxed);
}

/* A taken branch's way on: the interrupt check (it may be a loop's back
 * edge; its trap is at the branch, ip), then pc to branch cell c's target.
 * Checked before pc moves, so that ip (pc - 1 in the computed-goto build,
 * an argument in the tail-called one) is not kept beside the new pc: a
 * register, which in the tail-called build a handler had to save. */
#define JUMP_TO(c)                           \
	do {                                 \
		if (interrupted(s))          \
			GOTO(interrupt);     \
		pc = CELL_TARGET(c);         \
	} while (0)

/* A taken branch of cell ip (br, br_if, br_table and their fused forms):
 * the values it keeps move down to its label's height, then pc to the
 * label. One test of b's high half sends a branch that keeps values, or
 * a backward one (RT_BRANCH_BACK), out of line to branch_slow, which also
 * checks for an interrupt: a forward branch needs no check, since every
 * loop has a backward branch. A macro, so every handler keeps its own
 * code and its own dispatch jump. */
#define TAKE_BRANCH()                                         \
	do {                                                  \
		if (__builtin_expect(ip->b >> 32 != 0, 0))    \
			GOTO(branch_slow);                    \
		sp = fp + (uint32_t)ip->b;                    \
		pc = CELL_TARGET(ip);                         \
	} while (0)

/* TAKE_BRANCH for a br_table's entry ip: in the direct-threaded builds
 * also on to its target, through the entry's copy of the target's h
 * (rt_cells_fill()), so that the jump does not wait for the target's
 * address to load its h; the NEXT after it is then never reached (in the
 * switch build NEXT is a continue, which no do-while here may swallow). */
#ifdef RT_DIRECT
#define TAKE_TABLE_BRANCH()    \
	do {                   \
		TAKE_BRANCH(); \
		NEXT_VIA(ip);  \
	} while (0)
#else
#define TAKE_TABLE_BRANCH() TAKE_BRANCH()
#endif

/* The f64 accumulator (rt_internal.h, RT_FACC): FOUT(v) is a producer's
 * f64 result v (a slot's bits), which it also leaves in facc; ACC(slot) is
 * the top an _ACC form reads, slot on the stack, which holds the same bits
 * (checked in -DWLAB_CHECK_FACC builds: the sanitizer builds); ACCB the
 * same as a slot's bits. FRES is FOUT for an f64 operator of a family of
 * several types, and the value as it is for the others (the loads' families
 * have LOAD_V_F64_LOAD). */
#ifdef RT_FACC
#define FOUT(v) bits_f64(facc = f64_of(v))
#ifdef WLAB_CHECK_FACC
#define ACC(slot) (bits_f64(facc) == (slot) ? facc : (abort(), facc))
#else
#define ACC(slot) facc
#endif
#else
#define FOUT(v) (v)
#define ACC(slot) f64_of(slot)
#endif
#define ACCB(slot) bits_f64(ACC(slot))
#define TOPM(slot) (slot)
#define FRES_f32(v) (v)
#define FRES_f64(v) FOUT(v)
#define FRES3(t, v) FRES_##t(v)
#define FRES2(t, v) FRES3(t, v)
#define FRES(x, v) FRES2(FLOAT_TYPE_##x, v)

#define BINOP_I32(sp, op) ((sp)[-2] = (uint32_t)((uint32_t)(sp)[-2] op (uint32_t)(sp)[-1]), (sp)--)
#define BINOP_I64(sp, op) ((sp)[-2] = (uint64_t)((sp)[-2] op (sp)[-1]), (sp)--)
#define CMP_S32(sp, op) ((sp)[-2] = (int32_t)(sp)[-2] op (int32_t)(sp)[-1], (sp)--)
#define CMP_S64(sp, op) ((sp)[-2] = (int64_t)(sp)[-2] op (int64_t)(sp)[-1], (sp)--)
#define BINFN_I32(sp, fn) ((sp)[-2] = fn((uint32_t)(sp)[-2], (uint32_t)(sp)[-1]), (sp)--)
#define BINFN_I64(sp, fn) ((sp)[-2] = fn((sp)[-2], (sp)[-1]), (sp)--)
#define BINOP_F32(sp, op) ((sp)[-2] = bits_f32(f32_of((sp)[-2]) op f32_of((sp)[-1])), (sp)--)
#define BINOP_F64(sp, op) ((sp)[-2] = FOUT(bits_f64(f64_of((sp)[-2]) op f64_of((sp)[-1]))), (sp)--)
#define CMP_F32(sp, op) ((sp)[-2] = f32_of((sp)[-2]) op f32_of((sp)[-1]), (sp)--)
#define CMP_F64(sp, op) ((sp)[-2] = f64_of((sp)[-2]) op f64_of((sp)[-1]), (sp)--)
#define BINFN_F32(sp, fn) ((sp)[-2] = bits_f32(fn(f32_of((sp)[-2]), f32_of((sp)[-1]))), (sp)--)
#define UNFN_F32(sp, fn) ((sp)[-1] = bits_f32(fn(f32_of((sp)[-1]))))

/* The operators with fused forms (rt_fuse.c), on uint32_t or uint64_t. */
#define F_I32_ADD(a, b) ((uint32_t)((a) + (b)))
#define F_I32_SUB(a, b) ((uint32_t)((a) - (b)))
#define F_I32_MUL(a, b) ((uint32_t)((a) * (b)))
#define F_I32_AND(a, b) ((a) & (b))
#define F_I32_OR(a, b) ((a) | (b))
#define F_I32_XOR(a, b) ((a) ^ (b))
#define F_I32_SHL(a, b) ((uint32_t)((a) << ((b) & 31)))
#define F_I32_SHR_S(a, b) i32_shr_s(a, b)
#define F_I32_SHR_U(a, b) ((a) >> ((b) & 31))
#define F_I32_EQ(a, b) ((a) == (b))
#define F_I32_NE(a, b) ((a) != (b))
#define F_I32_LT_S(a, b) ((int32_t)(a) < (int32_t)(b))
#define F_I32_LT_U(a, b) ((a) < (b))
#define F_I32_GT_S(a, b) ((int32_t)(a) > (int32_t)(b))
#define F_I32_GT_U(a, b) ((a) > (b))
#define F_I32_LE_S(a, b) ((int32_t)(a) <= (int32_t)(b))
#define F_I32_LE_U(a, b) ((a) <= (b))
#define F_I32_GE_S(a, b) ((int32_t)(a) >= (int32_t)(b))
#define F_I32_GE_U(a, b) ((a) >= (b))
#define F_I64_ADD(a, b) ((a) + (b))
#define F_I64_SUB(a, b) ((a) - (b))
#define F_I64_MUL(a, b) ((a) * (b))
#define F_I64_AND(a, b) ((a) & (b))
#define F_I64_OR(a, b) ((a) | (b))
#define F_I64_XOR(a, b) ((a) ^ (b))
#define F_I64_SHL(a, b) ((a) << ((b) & 63))
#define F_I64_SHR_S(a, b) i64_shr_s(a, b)
#define F_I64_SHR_U(a, b) ((a) >> ((b) & 63))

/* The cases of the fused ops: ip's own immediates, then ip[1]'s. */
#define I32_FUSED_CASES(x)                                                                 \
	RCASE(I32_##x##_K) sp[-1] = F_I32_##x((uint32_t)sp[-1], (uint32_t)ip->b); pc++; NEXT; \
	RCASE(I32_##x##_L)                                                                 \
		sp[-1] = F_I32_##x((uint32_t)sp[-1], (uint32_t)fp[ip->a]); pc++; NEXT;     \
	RCASE(I32_##x##_LK)                                                                \
		*sp++ = F_I32_##x((uint32_t)fp[ip->a], (uint32_t)ip->b); pc += 2; NEXT;    \
	RCASE(I32_##x##_LL)                                                                \
		*sp++ = F_I32_##x((uint32_t)fp[ip->a], (uint32_t)fp[(uint32_t)ip->b]);     \
		pc += 2;                                                                   \
		NEXT;
#define I64_FUSED_CASES(x) \
	RCASE(I64_##x##_K) sp[-1] = F_I64_##x(sp[-1], ip->b); pc++; NEXT;
/* A fused form that ends in a br_if (RT_OP_JUMP_IF) at cell ip + n: its
 * branch when cond holds, else the cell after it. */
#define BR_IF_AT(cond, n)                  \
	do {                               \
		if (cond) {                \
			JUMP_TO(ip + (n)); \
		} else {                   \
			pc += (n);         \
		}                          \
	} while (0)
#define CMP_FUSED_CASES(x)                                                                 \
	RCASE(I32_##x##_J)                                                                 \
		sp -= 2;                                                                   \
		BR_IF_AT(F_I32_##x((uint32_t)sp[0], (uint32_t)sp[1]), 1);                  \
		NEXT;                                                                      \
	RCASE(I32_##x##_KJ)                                                                \
		sp--;                                                                      \
		BR_IF_AT(F_I32_##x((uint32_t)*sp, (uint32_t)ip->b), 2);                    \
		NEXT;                                                                      \
	RCASE(I32_##x##_KU) /* i32.const k; op; RT_OP_BR_UNLESS (if): forward */          \
		pc = F_I32_##x((uint32_t)*--sp, (uint32_t)ip->b) ? pc + 2 : CELL_TARGET(ip + 2); \
		NEXT;                                                                      \
	RCASE(I32_##x##_LJ)                                                                \
		sp--;                                                                      \
		BR_IF_AT(F_I32_##x((uint32_t)*sp, (uint32_t)fp[ip->a]), 2);                \
		NEXT;                                                                      \
	RCASE(I32_##x##_LKJ)                                                               \
		BR_IF_AT(F_I32_##x((uint32_t)fp[ip->a], (uint32_t)ip->b), 3);              \
		NEXT;                                                                      \
	RCASE(I32_##x##_LLJ)                                                               \
		BR_IF_AT(F_I32_##x((uint32_t)fp[ip->a], (uint32_t)fp[(uint32_t)ip->b]), 3); \
		NEXT;                                                                      \
	RCASE(I32_##x##_LU) /* local.get a; op; RT_OP_BR_UNLESS (if) */                   \
		pc = F_I32_##x((uint32_t)*--sp, (uint32_t)fp[ip->a]) ? pc + 2 : CELL_TARGET(ip + 2); \
		NEXT;                                                                      \
	RCASE(I32_##x##_LKU)                                                               \
		pc = F_I32_##x((uint32_t)fp[ip->a], (uint32_t)ip->b) ? pc + 3 : CELL_TARGET(ip + 3); \
		NEXT;                                                                      \
	RCASE(I32_##x##_LLU)                                                               \
		pc = F_I32_##x((uint32_t)fp[ip->a], (uint32_t)fp[(uint32_t)ip->b]) ? pc + 3 :    \
										  CELL_TARGET(ip + 3); \
		NEXT;

/* A loop's step and test: x, the popped i32 or local a, plus the addend
 * (rt_fuse() wrote it to the i32.add or i32.sub cell's b) or local b, to
 * local c; the branch (the last cell) taken when x op m. Then the
 * masked tests, _MKJ and _LMJ. */
#define STEP_CASES(x)                                                                     \
	RCASE(I32_##x##_XKJ) {                                                            \
		uint32_t v = (uint32_t)*--sp + (uint32_t)ip[1].b;                         \
		fp[ip[2].a] = v;                                                          \
		BR_IF_AT(F_I32_##x(v, (uint32_t)ip[3].b), 5);                             \
		NEXT;                                                                     \
	}                                                                                 \
	RCASE(I32_##x##_XLKJ) {                                                           \
		uint32_t v = (uint32_t)fp[ip->a] + (uint32_t)ip[2].b;                     \
		fp[ip[3].a] = v;                                                          \
		BR_IF_AT(F_I32_##x(v, (uint32_t)ip[4].b), 6);                             \
		NEXT;                                                                     \
	}                                                                                 \
	RCASE(I32_##x##_XLLJ) {                                                           \
		uint32_t v = (uint32_t)fp[ip->a] + (uint32_t)fp[ip[1].a];                 \
		fp[ip[3].a] = v;                                                          \
		BR_IF_AT(F_I32_##x(v, (uint32_t)ip[4].b), 6);                             \
		NEXT;                                                                     \
	}                                                                                 \
	RCASE(I32_##x##_MKJ) /* i32.const m; i32.and; i32.const k; op; br_if */           \
		BR_IF_AT(F_I32_##x((uint32_t)*--sp & (uint32_t)ip->b,                     \
				   (uint32_t)ip[2].b), 4);                                \
		NEXT;                                                                     \
	RCASE(I32_##x##_LMJ) /* local.get a; i32.const m; i32.and; op; br_if */           \
		BR_IF_AT(F_I32_##x((uint32_t)*--sp,                                       \
				   (uint32_t)fp[ip->a] & (uint32_t)ip[1].b), 4);          \
		NEXT;

/* i32 arithmetic absorbing a local.set or local.tee: c is b's high half. */
#define I32_SET_CASES(x)                                                                  \
	RCASE(I32_##x##_LKS)                                                              \
		fp[ip->b >> 32] = F_I32_##x((uint32_t)fp[ip->a], (uint32_t)ip->b);        \
		pc += 3;                                                                  \
		NEXT;                                                                     \
	RCASE(I32_##x##_LLS)                                                              \
		fp[ip->b >> 32] = F_I32_##x((uint32_t)fp[ip->a], (uint32_t)fp[(uint32_t)ip->b]); \
		pc += 3;                                                                  \
		NEXT;                                                                     \
	RCASE(I32_##x##_LKT)                                                              \
		*sp++ = fp[ip->b >> 32] = F_I32_##x((uint32_t)fp[ip->a], (uint32_t)ip->b); \
		pc += 3;                                                                  \
		NEXT;                                                                     \
	RCASE(I32_##x##_LLT)                                                              \
		*sp++ = fp[ip->b >> 32] =                                                 \
			F_I32_##x((uint32_t)fp[ip->a], (uint32_t)fp[(uint32_t)ip->b]);    \
		pc += 3;                                                                  \
		NEXT;                                                                     \
	RCASE(I32_##x##_LKTJ) /* _LKT; br_if (ip[4]) of the result */                     \
		BR_IF_AT((uint32_t)(fp[ip->b >> 32] =                                     \
			F_I32_##x((uint32_t)fp[ip->a], (uint32_t)ip->b)), 4);             \
		NEXT;

/* i32 arithmetic absorbing a local.set c and a local.get d: c and d from
 * the cells of the set and the get (the result is written before d is read). */
#define I32_SG_CASES(x)                                                                   \
	RCASE(I32_##x##_KSG)                                                              \
		fp[ip[2].a] = F_I32_##x((uint32_t)sp[-1], (uint32_t)ip->b);               \
		sp[-1] = fp[ip[3].a];                                                     \
		pc += 3;                                                                  \
		NEXT;                                                                     \
	RCASE(I32_##x##_LSG)                                                              \
		fp[ip[2].a] = F_I32_##x((uint32_t)sp[-1], (uint32_t)fp[ip->a]);           \
		sp[-1] = fp[ip[3].a];                                                     \
		pc += 3;                                                                  \
		NEXT;                                                                     \
	RCASE(I32_##x##_KT)                                                               \
		sp[-1] = fp[ip[2].a] = F_I32_##x((uint32_t)sp[-1], (uint32_t)ip->b);      \
		pc += 2;                                                                  \
		NEXT;                                                                     \
	RCASE(I32_##x##_KTJ) /* the same; br_if (ip[3]) of the result */                  \
		BR_IF_AT((uint32_t)(fp[ip[2].a] =                                         \
			F_I32_##x((uint32_t)*--sp, (uint32_t)ip->b)), 3);                 \
		NEXT;                                                                     \
	RCASE(I32_##x##_KTS) /* the same as _KT; local.set ip[3].a, the result popped */  \
		fp[ip[3].a] = fp[ip[2].a] = F_I32_##x((uint32_t)*--sp, (uint32_t)ip->b);  \
		pc += 3;                                                                  \
		NEXT;                                                                     \
	RCASE(I32_##x##_T) /* op; local.tee ip[1].a */                                    \
		sp--;                                                                     \
		sp[-1] = fp[ip[1].a] = F_I32_##x((uint32_t)sp[-1], (uint32_t)sp[0]);      \
		pc++;                                                                     \
		NEXT;                                                                     \
	RCASE(I32_##x##_LT) /* local.get a; op; local.tee ip[2].a */                      \
		sp[-1] = fp[ip[2].a] = F_I32_##x((uint32_t)sp[-1], (uint32_t)fp[ip->a]);  \
		pc += 2;                                                                  \
		NEXT;

/* Stores with an _LL form: bytes. local.get a; local.get v; store (ip[2]):
 * a trap names the store's cell. */
#define STORE_N_I32_STORE 4
#define STORE_N_I64_STORE 8
#define STORE_N_F32_STORE 4
#define STORE_N_F64_STORE 8
#define STORE_N_I32_STORE8 1
#define STORE_N_I32_STORE16 2
#define STORE_LL_CASES(x)                                                             \
	RCASE(x##_LL)                                                                 \
		if (!(p = MEM_AT((uint32_t)fp[ip->a], ip[2].b, STORE_N_##x))) {       \
			ip += 2;                                                      \
			GOTO(oob_ll);                                                 \
		}                                                                     \
		st(p, fp[(uint32_t)ip->b], STORE_N_##x);                              \
		pc += 2;                                                              \
		NEXT;

/* Loads with an _L form: bytes, and the value loaded from p. */
#define LOAD_N_I32_LOAD 4
#define LOAD_N_I64_LOAD 8
#define LOAD_N_F32_LOAD 4
#define LOAD_N_F64_LOAD 8
#define LOAD_N_I32_LOAD8_S 1
#define LOAD_N_I32_LOAD8_U 1
#define LOAD_N_I32_LOAD16_S 2
#define LOAD_N_I32_LOAD16_U 2
#define LOAD_V_I32_LOAD(p) ld(p, 4)
#define LOAD_V_I64_LOAD(p) ld(p, 8)
#define LOAD_V_F32_LOAD(p) ld(p, 4)
#define LOAD_V_F64_LOAD(p) FOUT(ld(p, 8))  /* (into the f64 accumulator too) */
#define LOAD_V_I32_LOAD8_S(p) (uint32_t)(int8_t)*(p)
#define LOAD_V_I32_LOAD8_U(p) *(p)
#define LOAD_V_I32_LOAD16_S(p) (uint32_t)(int16_t)ld(p, 2)
#define LOAD_V_I32_LOAD16_U(p) ld(p, 2)
/* local.get a; load (ip[1]): a trap names the load's cell. */
#define LOAD_L_CASES(x)                                                            \
	RCASE(x##_L)                                                               \
		if (!(p = MEM_AT((uint32_t)fp[ip->a], ip[1].b, LOAD_N_##x))) { \
			ip++;                                                      \
			GOTO(oob_l);                                               \
		}                                                                  \
		*sp++ = LOAD_V_##x(p);                                             \
		pc++;                                                              \
		NEXT;
/* local.get a; load (ip[1]); local.tee ip[2].a */
#define LOAD_LT_CASES(x)                                                           \
	RCASE(x##_LT)                                                              \
		if (!(p = MEM_AT((uint32_t)fp[ip->a], ip[1].b, LOAD_N_##x))) { \
			ip++;                                                      \
			GOTO(oob_l);                                               \
		}                                                                  \
		*sp++ = fp[ip[2].a] = LOAD_V_##x(p);                               \
		pc += 2;                                                           \
		NEXT;
/* i32.const k (ip->b); i32.add; load (ip[2]): the address is the popped
 * i32 plus k, which a trap finds where the load's cell would have it */
#define LOAD_KA_CASES(x)                                                           \
	RCASE(x##_KA) {                                                            \
		uint32_t addr = (uint32_t)(sp[-1] + ip->b);                        \
		if (!(p = MEM_AT(addr, ip[2].b, LOAD_N_##x))) {                    \
			sp[-1] = addr;                                             \
			ip += 2;                                                   \
			GOTO(oob);                                                 \
		}                                                                  \
		sp[-1] = LOAD_V_##x(p);                                            \
		pc += 2;                                                           \
		NEXT;                                                              \
	}                                                                          \
	RCASE(x##_C) /* i32.const k; load (ip[1]) */                               \
		if (!(p = MEM_AT((uint32_t)ip->b, ip[1].b, LOAD_N_##x))) {         \
			*sp++ = (uint32_t)ip->b;                                   \
			ip++;                                                      \
			GOTO(oob);                                                 \
		}                                                                  \
		*sp++ = LOAD_V_##x(p);                                             \
		pc++;                                                              \
		NEXT;                                                              \
	RCASE(x##_CT) /* the same; local.tee ip[2].a */                            \
		if (!(p = MEM_AT((uint32_t)ip->b, ip[1].b, LOAD_N_##x))) {         \
			*sp++ = (uint32_t)ip->b;                                   \
			ip++;                                                      \
			GOTO(oob);                                                 \
		}                                                                  \
		*sp++ = fp[ip[2].a] = LOAD_V_##x(p);                               \
		pc += 2;                                                           \
		NEXT;                                                              \
	RCASE(x##_LKA) { /* local.get a; i32.add; i32.const k; i32.add; load */    \
		uint32_t addr = (uint32_t)(sp[-1] + fp[ip->a] + ip[2].b);          \
		if (!(p = MEM_AT(addr, ip[4].b, LOAD_N_##x))) {                    \
			sp[-1] = addr;                                             \
			ip += 4;                                                   \
			GOTO(oob);                                                 \
		}                                                                  \
		sp[-1] = LOAD_V_##x(p);                                            \
		pc += 4;                                                           \
		NEXT;                                                              \
	}                                                                          \
	RCASE(x##_LP) { /* local.get a; i32.load (ip[1]); load (ip[2]) */          \
		uint32_t addr;                                                     \
		if (!(p = MEM_AT((uint32_t)fp[ip->a], ip[1].b, 4))) {              \
			ip++;                                                      \
			GOTO(oob_l);                                               \
		}                                                                  \
		addr = (uint32_t)ld(p, 4);                                         \
		if (!(p = MEM_AT(addr, ip[2].b, LOAD_N_##x))) {                    \
			*sp++ = addr;                                              \
			ip += 2;                                                   \
			GOTO(oob);                                                 \
		}                                                                  \
		*sp++ = LOAD_V_##x(p);                                             \
		pc += 2;                                                           \
		NEXT;                                                              \
	}                                                                          \
	/* local.get a; i32.const k (or local.get b); i32.add; load (ip[3]) */     \
	LOAD_SUM_CASE(x, _LK, fp[ip->a] + ip[1].b)                                 \
	LOAD_SUM_CASE(x, _LLA, fp[ip->a] + fp[ip[1].a])
/* A load at sum, an i32 sum (the i32 add at ip[2], the load at ip[3]): a
 * trap pushes the sum and is the load's. */
#define LOAD_SUM_CASE(x, form, sum)                                                \
	RCASE(x##form) {                                                           \
		uint32_t addr = (uint32_t)(sum);                                   \
		if (!(p = MEM_AT(addr, ip[3].b, LOAD_N_##x))) {                    \
			*sp++ = addr;                                              \
			ip += 3;                                                   \
			GOTO(oob);                                                 \
		}                                                                  \
		*sp++ = LOAD_V_##x(p);                                             \
		pc += 3;                                                           \
		NEXT;                                                              \
	}
/* local.get a; a float operator */
#define FLOAT_OP_F32_ADD +
#define FLOAT_OP_F32_SUB -
#define FLOAT_OP_F32_MUL *
#define FLOAT_OP_F32_DIV /
#define FLOAT_OP_F64_ADD +
#define FLOAT_OP_F64_SUB -
#define FLOAT_OP_F64_MUL *
#define FLOAT_OP_F64_DIV /
#define FLOAT_TYPE_F32_ADD f32
#define FLOAT_TYPE_F32_SUB f32
#define FLOAT_TYPE_F32_MUL f32
#define FLOAT_TYPE_F32_DIV f32
#define FLOAT_TYPE_F64_ADD f64
#define FLOAT_TYPE_F64_SUB f64
#define FLOAT_TYPE_F64_MUL f64
#define FLOAT_TYPE_F64_DIV f64
/* (the float comparisons, RT_FLOAT_CMPS) */
#define FLOAT_OP_F32_EQ ==
#define FLOAT_OP_F32_NE !=
#define FLOAT_OP_F32_LT <
#define FLOAT_OP_F32_GT >
#define FLOAT_OP_F32_LE <=
#define FLOAT_OP_F32_GE >=
#define FLOAT_OP_F64_EQ ==
#define FLOAT_OP_F64_NE !=
#define FLOAT_OP_F64_LT <
#define FLOAT_OP_F64_GT >
#define FLOAT_OP_F64_LE <=
#define FLOAT_OP_F64_GE >=
#define FLOAT_TYPE_F32_EQ f32
#define FLOAT_TYPE_F32_NE f32
#define FLOAT_TYPE_F32_LT f32
#define FLOAT_TYPE_F32_GT f32
#define FLOAT_TYPE_F32_LE f32
#define FLOAT_TYPE_F32_GE f32
#define FLOAT_TYPE_F64_EQ f64
#define FLOAT_TYPE_F64_NE f64
#define FLOAT_TYPE_F64_LT f64
#define FLOAT_TYPE_F64_GT f64
#define FLOAT_TYPE_F64_LE f64
#define FLOAT_TYPE_F64_GE f64
/* a op b on two slots as floats of type t: the comparison (FLOAT_C), or the
 * operator's result as a slot's bits (FLOAT_L) */
#define FLOAT_C(t, a, op, b) (t##_of(a) op t##_of(b))
#define FLOAT_L(t, a, op, b) bits_##t(FLOAT_C(t, a, op, b))
#define FLOAT_L2(t, a, op, b) FLOAT_L(t, a, op, b)
#define FLOAT_L_CASES(x) FLOAT_L_G(x, , TOPM)
/* (the top read through TOP: TOPM, or ACCB for an _ACC form, suffix S) */
#define FLOAT_L_G(x, S, TOP)                                                          \
	RCASE(x##_L##S)                                                               \
		sp[-1] = FRES(x, FLOAT_L2(FLOAT_TYPE_##x, TOP(sp[-1]), FLOAT_OP_##x,  \
					  fp[ip->a]));                                \
		pc++;                                                                 \
		NEXT;

/* Calls a helper that pops and pushes at *sp with a copy of sp, so that sp's
 * address is never taken and the compiler can keep it in a register. */
#define VIA_COPY(call)             \
	do {                       \
		uint64_t *sp_ = sp; \
		trap = call;       \
		sp = sp_;          \
		LOAD_MEM();        \
	} while (0)
/* f's instance, when it is another, and its memory 0 into the loop's
 * locals, with memory 0's base and size. Most calls and returns stay in one
 * instance, whose memory 0 is the one held, and whose base and size the
 * locals follow as they are: every path that can grow memory 0 reloads
 * them (memory.grow, the helpers and host calls through VIA_COPY), and a
 * path into another instance reloads them on the way back. */
#define SWITCH_INST_AND(f, also)                                  \
	do {                                                              \
		if ((f)->inst != inst) {                                  \
			also;                                             \
			inst = (f)->inst, mem = mem0(inst), RT_SYNC_INST; \
			LOAD_MEM();                                       \
		}                                                         \
	} while (0)
#define SWITCH_INST(f) SWITCH_INST_AND(f, (void)0)
/* SWITCH_INST on a call's or tail call's way into f, whose caller's frame
 * is the top's: marked RT_FRAME_CHECK when the instance changes, so that
 * the return switches back. */
#define CALL_SWITCH_INST(f)                                                     \
	SWITCH_INST_AND(f, s->top[-1].pc = (const struct rt_cell *)(             \
				   (uintptr_t)s->top[-1].pc | RT_FRAME_CHECK))
/* call_indirect's (ip's) callee, element i of its table, checked against
 * its type, then to label then (call or tail). */
#define CALL_INDIRECT_THEN(i, then)                                                      \
	do {                                                                             \
		tab = (struct rt_table *)(uintptr_t)ip->b;                               \
		if ((i) >= tab->size) {                                                  \
			trap = WLAB_TRAP_UNDEFINED_ELEMENT;                              \
			GOTO(fail);                                                      \
		}                                                                        \
		callee = (struct rt_func *)(uintptr_t)tab->elems[(i)];                   \
		if (!callee) {                                                           \
			trap = WLAB_TRAP_UNINITIALIZED_ELEMENT;                          \
			GOTO(fail);                                                      \
		}                                                                        \
		if (callee->type_id != ip->a)                                            \
			GOTO(call_sub);                                                  \
		GOTO(then);                                                              \
	} while (0)
/* A call's start (LABEL(call), RCASE(CALL_IN)): one load for both an
 * interrupt and fuel to charge; the caller's frame goes into the slot above
 * the top before anything is checked (s->frames has one slot more than
 * max_call_depth): the guest path pushes it by counting it, the host path
 * hands it to call_host. A host function has no code (it is never
 * translated), so the guest path tests only code. */
#define CALL_BEGIN                                                        \
	do {                                                              \
		attn = atomic_load_explicit(&s->attn, memory_order_relaxed); \
		*s->top = (struct rt_frame){fn, pc, fp};                  \
		if (__builtin_expect(attn || !callee->code, 0))           \
			GOTO(call_slow);                                  \
	} while (0)
/* callee, translated and paid for, its frame written above the top of
 * s->frames, enters: its locals follow its args (which the top of the stack
 * holds) and are zeroed; the instance is switched by switch_inst. */
#define ENTER_CALLEE(switch_inst)                                      \
	{                                                              \
		if (!enter(s, callee, sp)) {                           \
			trap = WLAB_TRAP_EXHAUSTED;                    \
			GOTO(fail);                                    \
		}                                                      \
		s->top++; /* the frame written before */               \
		fp = sp - callee->param_slots, sp += callee->new_slots; \
		fn = callee;                                           \
		pc = fn->code;                                         \
		switch_inst;                                           \
	}                                                              \
	NEXT_ENTERED;
/* fn returns, its n result slots moved down to fp already: the caller's
 * frame back, or out of rt_run when it is the run's sentinel. (Not a
 * do-while: NEXT is the switch build's continue, which would leave the
 * do-while and fall through into the next case, not go on to the next
 * cell.) */
#define RETURN_TO_CALLER(n)                                            \
	{                                                              \
		struct rt_frame *fr = --s->top;                        \
		sp = fp + (n);                                         \
		pc = fr->pc;                                           \
		if (__builtin_expect((uintptr_t)pc & RT_FRAME_CHECK, 0)) \
			GOTO(return_slow);                             \
		fn = fr->fn, fp = fr->fp;                              \
		RT_SYNC_FN;                                            \
	}                                                              \
	NEXT
/* i32 arithmetic whose result a function of one result slot returns:
 * written to the frame's first slot, where RT_OP_RETURN1 puts it */
#define I32_RET_CASES(x)                                                                  \
	RCASE(I32_##x##_R) /* op; RT_OP_RETURN1 */                                        \
		*fp = F_I32_##x((uint32_t)sp[-2], (uint32_t)sp[-1]);                      \
		RETURN_TO_CALLER(1);                                                      \
	RCASE(I32_##x##_LKR) /* local.get a; i32.const k; op; RT_OP_RETURN1 */            \
		*fp = F_I32_##x((uint32_t)fp[ip->a], (uint32_t)ip->b);                    \
		RETURN_TO_CALLER(1);                                                      \
	RCASE(I32_##x##_LLR) /* local.get a; local.get b; op; RT_OP_RETURN1 */            \
		*fp = F_I32_##x((uint32_t)fp[ip->a], (uint32_t)fp[(uint32_t)ip->b]);      \
		RETURN_TO_CALLER(1);
/* Memory 0's base and size into the loop's locals. */
#ifdef RT_MUSTTAIL
#define LOAD_MEM() (mbase = mem ? mem->data : NULL, r->msize = msize = mem ? mem->size : 0)
#else
#define LOAD_MEM() (mbase = mem ? mem->data : NULL, msize = mem ? mem->size : 0)
#endif
/* At an access past memory 0's size as this run loaded it (the oob
 * labels): where another thread has grown the memory (shared) since, the
 * cell at ip runs again with the new size; else on to the trap. The hot
 * paths keep the size they loaded; only a failed check looks again. */
#define RETRY_IF_GROWN()                                      \
	do {                                                  \
		if (mem->shared && mem->size != msize) {      \
			LOAD_MEM();                           \
			pc = ip;                              \
			NEXT;                                 \
		}                                             \
	} while (0)
/* mem_at (rt_exec_ops.h) on memory 0 through the cached base and size. */
#define MEM_AT(base, off, n) mem_at(mbase, msize, (uint64_t)(base) + (off), (n))

/* The float comparisons' forms (RT_FLOAT_CMPS): each reads its constant
 * from the constant's cell, ip or ip[1]. */
#define FLOAT_C2(t, a, op, b) FLOAT_C(t, a, op, b)
#define FLOAT_CMP(x, a, b) FLOAT_C2(FLOAT_TYPE_##x, a, FLOAT_OP_##x, b)
#define FLOAT_CMP_CASES(x)                                                            \
	RCASE(x##_K) sp[-1] = FLOAT_CMP(x, sp[-1], ip->b); pc++; NEXT;                \
	RCASE(x##_LK) *sp++ = FLOAT_CMP(x, fp[ip->a], ip[1].b); pc += 2; NEXT;        \
	RCASE(x##_J)                                                                  \
		sp -= 2;                                                              \
		BR_IF_AT(FLOAT_CMP(x, sp[0], sp[1]), 1);                              \
		NEXT;                                                                 \
	RCASE(x##_KJ)                                                                 \
		sp--;                                                                 \
		BR_IF_AT(FLOAT_CMP(x, *sp, ip->b), 2);                                \
		NEXT;                                                                 \
	RCASE(x##_LKJ) BR_IF_AT(FLOAT_CMP(x, fp[ip->a], ip[1].b), 3); NEXT;           \
	RCASE(x##_U) /* op; RT_OP_BR_UNLESS (if): forward */                          \
		sp -= 2;                                                              \
		pc = FLOAT_CMP(x, sp[0], sp[1]) ? pc + 1 : CELL_TARGET(ip + 1);       \
		NEXT;                                                                 \
	RCASE(x##_KU)                                                                 \
		sp--;                                                                 \
		pc = FLOAT_CMP(x, *sp, ip->b) ? pc + 2 : CELL_TARGET(ip + 2);         \
		NEXT;                                                                 \
	RCASE(x##_LKU)                                                                \
		pc = FLOAT_CMP(x, fp[ip->a], ip[1].b) ? pc + 3 : CELL_TARGET(ip + 3); \
		NEXT;

/* local.get a; local.get b; a float operator */
#define FLOAT_LL_CASES(x)                                                             \
	RCASE(x##_LL)                                                                 \
		*sp++ = FRES(x, FLOAT_L2(FLOAT_TYPE_##x, fp[ip->a], FLOAT_OP_##x,      \
					 fp[(uint32_t)ip->b]));                       \
		pc += 2;                                                              \
		NEXT;

/* A float operator's further forms (rt_internal.h); the bytes of its type. */
#define FLOAT_N_F32 4
#define FLOAT_N_F64 8
#define FLOAT_N2(t) FLOAT_N_##t
#define FLOAT_N(t) FLOAT_N2(t)
#define FLOAT_TY_f32 F32
#define FLOAT_TY_f64 F64
#define FLOAT_BYTES(x) FLOAT_N(FLOAT_TY2(FLOAT_TYPE_##x))
#define FLOAT_TY2(t) FLOAT_TY3(t)
#define FLOAT_TY3(t) FLOAT_TY_##t
#define FLOAT_V(x, a, b) FLOAT_L2(FLOAT_TYPE_##x, a, FLOAT_OP_##x, b)
#define FLOAT_FORM_CASES(x)                                                           \
	FLOAT_TOP_CASES(x, , TOPM)                                                    \
	RCASE(x##_M) /* load (ip: a trap names it); op */                             \
		if (!(p = MEM_AT((uint32_t)sp[-1], ip->b, FLOAT_BYTES(x))))           \
			GOTO(oob);                                                    \
		sp--;                                                                 \
		sp[-1] = FRES(x, FLOAT_V(x, sp[-1], ld(p, FLOAT_BYTES(x))));          \
		pc++;                                                                 \
		NEXT;                                                                 \
	RCASE(x##_LLT) /* local.get a; local.get b; op; local.tee ip[3].a */          \
		*sp++ = fp[ip[3].a] = FRES(x, FLOAT_V(x, fp[ip->a], fp[(uint32_t)ip->b])); \
		pc += 3;                                                              \
		NEXT;
/* The forms that read the top as their first operand (TOP, suffix S, as
 * FLOAT_L_G) */
#define FLOAT_TOP_CASES(x, S, TOP)                                                    \
	RCASE(x##_T##S) /* op; local.tee ip[1].a */                                   \
		sp--;                                                                 \
		sp[-1] = fp[ip[1].a] = FRES(x, FLOAT_V(x, sp[-1], TOP(sp[0])));       \
		pc++;                                                                 \
		NEXT;                                                                 \
	RCASE(x##_LT##S) /* local.get a; op; local.tee ip[2].a */                     \
		sp[-1] = fp[ip[2].a] = FRES(x, FLOAT_V(x, TOP(sp[-1]), fp[ip->a]));   \
		pc += 2;                                                              \
		NEXT;                                                                 \
	RCASE(x##_LM##S) /* local.get a; load ip[1]; op */                            \
		if (!(p = MEM_AT((uint32_t)fp[ip->a], ip[1].b, FLOAT_BYTES(x)))) {   \
			ip++;                                                         \
			GOTO(oob_l);                                                  \
		}                                                                     \
		sp[-1] = FRES(x, FLOAT_V(x, TOP(sp[-1]), ld(p, FLOAT_BYTES(x))));     \
		pc += 2;                                                              \
		NEXT;                                                                 \
	RCASE(x##_ST##S) /* op; store ip[1] (a trap names it, the value pushed) */    \
		sp--;                                                                 \
		sp[-1] = FLOAT_V(x, sp[-1], TOP(sp[0]));                              \
		if (!(p = MEM_AT((uint32_t)sp[-2], ip[1].b, FLOAT_BYTES(x)))) {       \
			ip++;                                                         \
			GOTO(oob);                                                    \
		}                                                                     \
		st(p, sp[-1], FLOAT_BYTES(x));                                        \
		sp -= 2;                                                              \
		pc++;                                                                 \
		NEXT;                                                                 \
	RCASE(x##_LKM##S) { /* local.get a; i32.const k; i32.add; load ip[3]; op */  \
		uint32_t addr = (uint32_t)(fp[ip->a] + ip[1].b);                      \
		if (!(p = MEM_AT(addr, ip[3].b, FLOAT_BYTES(x)))) {                   \
			*sp++ = addr;                                                 \
			ip += 3;                                                      \
			GOTO(oob);                                                    \
		}                                                                     \
		sp[-1] = FRES(x, FLOAT_V(x, TOP(sp[-1]), ld(p, FLOAT_BYTES(x))));     \
		pc += 4;                                                              \
		NEXT;                                                                 \
	}
/* local.get a; local.get b; a load of n bytes (ip[2]) at local b: local a
 * pushed, then what the load reads; a trap is the load's. */
#define LOAD_GL_CASE(name, n, RES)                                                    \
	RCASE(name)                                                                   \
		if (!(p = MEM_AT((uint32_t)fp[ip[1].a], ip[2].b, (n)))) {             \
			*sp++ = fp[ip->a];                                            \
			ip += 2;                                                      \
			GOTO(oob_l);                                                  \
		}                                                                     \
		sp[0] = fp[ip->a];                                                    \
		sp[1] = RES(ld(p, (n)));                                              \
		sp += 2;                                                              \
		pc += 2;                                                              \
		NEXT;
/* local.get a; local.get b; f64.mul; local.get c; f64.mul (F64_MUL_LLL at c) */
#define MUL_LLL(c) bits_f64(f64_of(fp[(c)->a]) * f64_of(fp[(c)[1].a]) * f64_of(fp[(c)[3].a]))
/* The f64 operators' forms of RT_F64_OPS (rt_internal.h). */
#define F64_FORM_CASES(x)                                                             \
	F64_TOP_CASES(x, , TOPM)                                                      \
	RCASE(x##_SKMT) /* i32.const k; i32.sub; f64.load ip[2]; op; local.tee ip[4].a */ \
		if (!(p = MEM_AT((uint32_t)(sp[-1] - ip->b), ip[2].b, 8))) {          \
			sp[-1] = (uint32_t)(sp[-1] - ip->b);                          \
			ip += 2;                                                      \
			GOTO(oob);                                                    \
		}                                                                     \
		sp--;                                                                 \
		sp[-1] = fp[ip[4].a] = FOUT(FLOAT_V(x, sp[-1], ld(p, 8)));            \
		pc += 4;                                                              \
		NEXT;                                                                 \
	RCASE(x##_LLLMS) { /* F64_MUL_LLL's five cells; F64_LMS's four */            \
		uint64_t mv = MUL_LLL(ip);                                            \
		if (!(p = MEM_AT((uint32_t)fp[ip[5].a], ip[6].b, 8))) {               \
			*sp++ = mv;                                                   \
			ip += 6;                                                      \
			GOTO(oob_l);                                                  \
		}                                                                     \
		mv = FLOAT_V(x, mv, ld(p, 8));                                        \
		if (!(p = MEM_AT((uint32_t)sp[-1], ip[8].b, 8))) {                    \
			*sp++ = mv;                                                   \
			ip += 8;                                                      \
			GOTO(oob);                                                    \
		}                                                                     \
		st(p, mv, 8);                                                         \
		sp--;                                                                 \
		pc += 8;                                                              \
		NEXT;                                                                 \
	}
/* The forms that read the top as their first operand (TOP, suffix S, as
 * FLOAT_L_G) */
#define F64_TOP_CASES(x, S, TOP)                                                      \
	RCASE(x##_K##S) /* f64.const k; op */                                         \
		sp[-1] = FOUT(FLOAT_V(x, TOP(sp[-1]), ip->b));                        \
		pc++;                                                                 \
		NEXT;                                                                 \
	RCASE(x##_KT##S) /* f64.const k; op; local.tee ip[2].a */                     \
		sp[-1] = fp[ip[2].a] = FOUT(FLOAT_V(x, TOP(sp[-1]), ip->b));          \
		pc += 2;                                                              \
		NEXT;                                                                 \
	RCASE(x##_LMS##S) /* local.get a; f64.load ip[1]; op; f64.store ip[3] */      \
		if (!(p = MEM_AT((uint32_t)fp[ip->a], ip[1].b, 8))) {                 \
			ip++;                                                         \
			GOTO(oob_l);                                                  \
		}                                                                     \
		sp[-1] = FLOAT_V(x, TOP(sp[-1]), ld(p, 8));                           \
		if (!(p = MEM_AT((uint32_t)sp[-2], ip[3].b, 8))) {                    \
			ip += 3;                                                      \
			GOTO(oob);                                                    \
		}                                                                     \
		st(p, sp[-1], 8);                                                     \
		sp -= 2;                                                              \
		pc += 3;                                                              \
		NEXT;                                                                 \
	RCASE(x##_LLLS##S) /* F64_MUL_LLL's five cells; op; f64.store ip[6] */       \
		sp[-1] = FLOAT_V(x, TOP(sp[-1]), MUL_LLL(ip));                        \
		if (!(p = MEM_AT((uint32_t)sp[-2], ip[6].b, 8))) {                    \
			ip += 6;                                                      \
			GOTO(oob);                                                    \
		}                                                                     \
		st(p, sp[-1], 8);                                                     \
		sp -= 2;                                                              \
		pc += 6;                                                              \
		NEXT;
/* The _ACC forms of RT_F64_OPS (rt_internal.h): the top read from facc */
#define F64_ACC_CASES(x)                                                              \
	RCASE(x##_ACC) /* the op */                                                   \
		sp--;                                                                 \
		sp[-1] = FOUT(FLOAT_V(x, sp[-1], ACCB(sp[0])));                       \
		NEXT;                                                                 \
	FLOAT_L_G(x, _ACC, ACCB)                                                      \
	FLOAT_TOP_CASES(x, _ACC, ACCB)                                                \
	F64_TOP_CASES(x, _ACC, ACCB)
/* local.get v; a store (ip[1]) of local v at the popped address */
#define STORE_L_CASES(x)                                                              \
	RCASE(x##_L)                                                                  \
		if (!(p = MEM_AT((uint32_t)sp[-1], ip[1].b, STORE_N_##x))) {          \
			*sp++ = fp[ip->a];                                            \
			ip++;                                                         \
			GOTO(oob);                                                    \
		}                                                                     \
		st(p, fp[ip->a], STORE_N_##x);                                        \
		sp--;                                                                 \
		pc++;                                                                 \
		NEXT;

/* a constant; a store (ip[1]) of it at the popped address */
#define STORE_K_CASES(x)                                                              \
	RCASE(x##_K)                                                                  \
		if (!(p = MEM_AT((uint32_t)sp[-1], ip[1].b, STORE_N_##x))) {          \
			*sp++ = ip->b;                                                \
			ip++;                                                         \
			GOTO(oob);                                                    \
		}                                                                     \
		st(p, ip->b, STORE_N_##x);                                            \
		sp--;                                                                 \
		pc++;                                                                 \
		NEXT;

/* local.get a; i32.const k (ip->b); i32.add; a constant (ip[3]); a store
 * (ip[4]) of it at the i32 sum */
#define STORE_AK_CASES(x)                                                             \
	RCASE(x##_AK)                                                                 \
		if (!(p = MEM_AT((uint32_t)(fp[ip->a] + ip->b), ip[4].b, STORE_N_##x))) { \
			*sp++ = (uint32_t)(fp[ip->a] + ip->b);                        \
			*sp++ = ip[3].b;                                              \
			ip += 4;                                                      \
			GOTO(oob);                                                    \
		}                                                                     \
		st(p, ip[3].b, STORE_N_##x);                                          \
		pc += 4;                                                              \
		NEXT;

/* n slots from src down to dst (dst <= src; they may overlap). The
 * tail-called build copies in line, one slot at a time: a handler that
 * called memmove, or any function, would save registers on its every run.
 * The empty asm keeps clang from making the loop a call of memmove. */
#ifdef RT_MUSTTAIL
static inline void move_slots(uint64_t *dst, const uint64_t *src, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		dst[i] = src[i];
		__asm__("" : "+r"(i));
	}
}
#else
#define move_slots(dst, src, n) memmove(dst, src, (n) * sizeof *(src))
#endif

/* Cuts the operand stack to height (from fp: rt_fuse() added the locals)
 * and keeps the top keep values. */
static inline uint64_t *branch_to(const struct rt_cell *c, uint64_t *sp, uint64_t *base)
{
	uint32_t keep = (uint32_t)(c->b >> 32) & ~RT_BRANCH_BACK;
	uint64_t *dst = base + (uint32_t)c->b;
	if (keep == 0)
		return dst;
	if (keep == 1) {
		*dst = sp[-1];
		return dst + 1;
	}
	move_slots(dst, sp - keep, keep);
	return dst + keep;
}

static inline struct rt_memory *mem0(const struct wlab_instance *inst)
{
	return inst && inst->nmems ? inst->mems[0] : NULL;
}

/* A host function may call back into the store: its calls start above the
 * slots that will hold its results. */
/* The plain stores (their address is below the value). */
static bool is_store(uint16_t op)
{
	return op >= WLAB_OP_I32_STORE && op <= WLAB_OP_I64_STORE32;
}

/* The bytes a plain load or store moves. */
static uint32_t access_bytes(uint16_t op)
{
	switch (op) {
	case WLAB_OP_I64_LOAD: case WLAB_OP_F64_LOAD: case WLAB_OP_I64_STORE: case WLAB_OP_F64_STORE:
		return 8;
	case WLAB_OP_I32_LOAD8_S: case WLAB_OP_I32_LOAD8_U: case WLAB_OP_I64_LOAD8_S:
	case WLAB_OP_I64_LOAD8_U: case WLAB_OP_I32_STORE8: case WLAB_OP_I64_STORE8:
		return 1;
	case WLAB_OP_I32_LOAD16_S: case WLAB_OP_I32_LOAD16_U: case WLAB_OP_I64_LOAD16_S:
	case WLAB_OP_I64_LOAD16_U: case WLAB_OP_I32_STORE16: case WLAB_OP_I64_STORE16:
		return 2;
	default:
		return 4;
	}
}

/* The load or store a trap out of bounds at cell ip names: its op, or the
 * access a fused cell whose first cell is that access stands for (the
 * float operators' _M forms: their type's load, whose offset is in b). */
#define FLOAT_LOAD_f32 WLAB_OP_F32_LOAD
#define FLOAT_LOAD_f64 WLAB_OP_F64_LOAD
#define FLOAT_LOAD2(t) FLOAT_LOAD_##t
#define FLOAT_LOAD(t) FLOAT_LOAD2(t)
static uint16_t access_op(uint16_t op)
{
	switch (op) {
#define X(x) case RT_OP_##x##_M: return FLOAT_LOAD(FLOAT_TYPE_##x);
	RT_FLOATS_L(X)
#undef X
	default:
		return op;
	}
}

/* A load or store of memory 0 out of bounds, for wlab_store_trap_detail. */
static void note_oob(struct wlab_store *s, const struct rt_cell *ip, uint64_t addr,
		     const struct rt_memory *mem)
{
	uint16_t op = access_op(ip->op);
	rt_trap_access(s, op, addr, ip->b, access_bytes(op), mem->size, 0);
}

/* Calls host function f from the guest activation *caller (its fn NULL:
 * from wlab_call), copied into the activation the collector scans while f
 * runs (s->gc.acts): caller may be *s->top, which f may reuse. */
static enum wlab_trap call_host(struct wlab_store *s, struct rt_func *f, uint64_t **sp,
				const struct rt_frame *caller)
{
	uint64_t *args = *sp - f->param_slots, *saved = s->sp_base;
	if (*sp + f->result_slots > s->stack + s->opts.stack_slots)
		return WLAB_TRAP_EXHAUSTED;
	s->sp_base = *sp + f->result_slots;
	struct rt_gc_act act = {*caller, f, args, s->gc.acts};
	s->gc.acts = &act;
	enum wlab_trap t = f->host(f->host_ctx, args, *sp);
	s->gc.acts = act.prev;
	s->sp_base = saved;
	if (t) {
		rt_bt_push(s, f, NULL);
		return t;
	}
	memmove(args, *sp, f->result_slots * sizeof **sp);
	*sp = args + f->result_slots;
	return WLAB_TRAP_NONE;
}

/* Zeroes n slots from z, two at a time (inline: most functions have few
 * locals, and a call of memset costs more than the stores). The first two
 * are written whatever n is and the loop may zero the slot after the n:
 * enter's room check always leaves two slots free above f's locals. Most
 * calls zero no more than two (fib's, one) and run no loop. In the
 * tail-called build the empty asm keeps clang from making the loop a call
 * of memset, which would cost every call handler a frame of saved
 * registers. */
static inline void zero_slots(uint64_t *z, uint32_t n)
{
	z[0] = 0;
	z[1] = 0;
	if (__builtin_expect(n <= 2, 1))
		return;
	for (uint64_t *e = z + n, *w = z + 2; w < e; w += 2) {
		w[0] = 0;
		w[1] = 0;
#ifdef RT_MUSTTAIL
		__asm__("" : "+r"(w));
#endif
	}
}

/* Moves a function's n results from src down to dst (dst <= src). */
static inline void move_results(uint64_t *dst, const uint64_t *src, uint32_t n)
{
	if (n == 1)
		*dst = *src;
	else if (n)
		move_slots(dst, src, n);
}

/* Enters f, whose args are the top of the stack at sp: its other locals
 * zeroed above them (its frame starts at sp - f->param_slots, its operand
 * stack at sp + f->new_slots); false when out of room (the call depth at
 * its limit, or fewer free bytes than f->enter_room). In line: it is on
 * every call's path. */
static inline __attribute__((always_inline)) bool enter(struct wlab_store *s, struct rt_func *f, uint64_t *sp)
{
	if (s->top >= s->frames_end ||
	    (uintptr_t)s->stack_end - (uintptr_t)sp < f->enter_room)
		return false;
	zero_slots(sp, f->new_slots);
	return true;
}

/* A tail call of f from the function whose locals start at fp: f's args,
 * the top of the stack at sp, move down to fp and f's locals follow; the
 * caller's frame is f's from now on. NULL when out of room. */
static uint64_t *tail_enter(struct wlab_store *s, struct rt_func *f, uint64_t *fp,
			    uint64_t *sp)
{
	uint64_t room = (uint64_t)(s->stack + s->opts.stack_slots - fp);
	if ((uint64_t)f->nlocals + f->max_height + 1 > room)
		return NULL;
	memmove(fp, sp - f->param_slots, f->param_slots * sizeof *sp);
	memset(fp + f->param_slots, 0, (size_t)f->new_slots * sizeof *sp);
	return fp + f->nlocals;
}

/* rt_run's start: a host f is called; a guest f translated, charged,
 * entered with its frame (a sentinel) pushed. Its locals' fp in *fpp, or a
 * trap (*fpp NULL: the host call's result). */
static inline __attribute__((always_inline)) enum wlab_trap
run_enter(struct wlab_store *s, struct rt_func *f, uint64_t *sp, uint64_t **fpp)
{
	*fpp = NULL;
	s->exn = NULL;
	if (f->host) {
		uint64_t *hsp = sp;  /* sp's own address is never taken (see VIA_COPY) */
		return call_host(s, f, &hsp, &(struct rt_frame){NULL, NULL, NULL});
	}
	if (!f->code && rt_translate(f))
		return WLAB_TRAP_NOMEM;
	uint32_t at = rt_depth(s);  /* f's depth when profiled: the locals' fuel is f's */
	if (s->prof && at < s->opts.max_call_depth)
		rt_prof_enter(s, ++at, f);
	if (!rt_fuel_take_at(s, at, RT_FUEL_WORDS(f->new_slots)))
		return WLAB_TRAP_FUEL;
	if (!enter(s, f, sp))
		return WLAB_TRAP_EXHAUSTED;
	*fpp = sp - f->param_slots;
	*s->top++ = (struct rt_frame){NULL, (const struct rt_cell *)RT_FRAME_CHECK, NULL};
	return WLAB_TRAP_NONE;
}

#ifdef RT_MUSTTAIL
#define X(x) static rt_op_fn h_rt_op_##x;
#define RT_DECL(x) static rt_op_fn h_op_##x;
RT_EXEC_WASM_OPS(RT_DECL) RT_EXEC_RT_OPS
static rt_op_fn h_op_default, h_lbl_branch_slow, h_lbl_return_slow, h_lbl_call_sub, h_lbl_call,
	h_lbl_call_enter, h_lbl_call_slow, h_lbl_tail, h_lbl_throw, h_lbl_nofuel, h_lbl_interrupt,
	h_lbl_oob_ll, h_lbl_oob_l, h_lbl_oob, h_lbl_fail, h_lbl_fuel, h_lbl_prof, h_lbl_sample;
#ifdef RT_DIRECT
static rt_op_fn h_lbl_indirect;
#endif
#undef RT_DECL
#undef X
#define RT_LABEL(x) [WLAB_OP_##x] = h_op_##x,
#define X(x) [RT_OP_##x] = h_rt_op_##x,
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winitializer-overrides"
static rt_op_fn *const rt_handlers[RT_OP_COUNT] = {
	[0 ... RT_OP_COUNT - 1] = h_op_default,
	RT_EXEC_WASM_OPS(RT_LABEL) RT_EXEC_RT_OPS
};
#pragma GCC diagnostic pop
#undef RT_LABEL
#undef X

/* The store's registers, its cells' h (or its table) set for the run's
 * mode: plain, or every cell to the fuel or profile check; NULL when out of
 * memory. */
static struct rt_regs *mt_regs(struct wlab_store *s)
{
	struct rt_regs *r = s->mt_regs;
	const void *to = RT_MODE_CHECK(s, h_lbl_fuel, h_lbl_prof, h_lbl_sample);
	if (!r && !(r = s->mt_regs = calloc(1, sizeof *r)))
		return NULL;
#ifdef RT_DIRECT
	if ((!s->cell_h || s->h_to != to) &&
	    !set_handlers(s, rt_handlers, to, (const void *)h_lbl_indirect))
		return NULL;
	r->hbase = s->h_base;
#else
	const void *table = to ? to : (const void *)rt_handlers;
	if (r->to != table) {
		for (uint32_t i = 0; i < RT_OP_COUNT; i++)
			r->h[i] = to ? (rt_op_fn *)to : rt_handlers[i];
		r->to = table;
	}
#endif
	return r;
}

enum wlab_trap rt_run(struct wlab_store *s, struct rt_func *f, uint64_t *sp)
{
	uint64_t *fp;
	uint32_t base_depth = rt_depth(s);
	struct rt_regs *r = mt_regs(s);
	if (!r)
		return WLAB_TRAP_NOMEM;
	enum wlab_trap trap = run_enter(s, f, sp, &fp);
	if (!fp)
		return trap;
	/* a host function's call back into the store nests a run: the run it
	 * interrupted gets its registers back */
	struct rt_regs outer;
	memcpy(&outer, r, offsetof(struct rt_regs, hbase));
	struct rt_memory *mem = mem0(f->inst);
	uint8_t *mbase;
	uint64_t msize;
	LOAD_MEM();  /* (and r->msize) */
	r->s = s, r->fn = f, r->inst = f->inst, r->mem = mem;
	r->callee = NULL, r->exn = NULL, r->trap = WLAB_TRAP_NONE, r->base_depth = base_depth;
	trap = RT_HANDLER_OF(f->code)(f->code, fp + f->nlocals, fp, mbase, r, 0.0);
	memcpy(r, &outer, offsetof(struct rt_regs, hbase));
	return trap;
}

/* (never called: the handlers' text starts with a case) */
__attribute__((unused)) static enum wlab_trap h_lbl_begin(RT_PARAMS)
{
	RT_PROLOGUE
#else
enum wlab_trap rt_run(struct wlab_store *s, struct rt_func *f, uint64_t *sp)
{
	uint64_t *fp;
	uint32_t base_depth = rt_depth(s);
	enum wlab_trap trap = run_enter(s, f, sp, &fp);
	if (!fp)
		return trap;
	struct rt_func *fn = f;
	struct wlab_instance *inst = fn->inst;
	struct rt_memory *mem = mem0(inst);
	uint8_t *mbase;   /* memory 0's data and size, reloaded after anything */
	uint64_t msize;   /* that may grow it: calls, returns, helpers, memory.grow */
	LOAD_MEM();
	const struct rt_cell *pc = fn->code, *ip;
	struct rt_func *callee;
	struct rt_exn *exn;
	struct rt_table *tab;
	unsigned attn;
	uint8_t *p;
#ifdef RT_FACC
#if defined(RT_COMPUTED_GOTO) && defined(__x86_64__) && !defined(__clang__) && \
	!defined(__SANITIZE_ADDRESS__)
	/* GCC keeps a plain local of a function this big in memory, where
	 * a value would wait for its store again: the register is asked for.
	 * A call clobbers it (FACC_KEEP around the profile checks' calls);
	 * AddressSanitizer checks each access of a function this big with a
	 * call, so its builds keep the plain local. */
	register double facc __asm__("xmm15") = 0;
#else
	double facc = 0;
#endif
#endif
	sp = fp + fn->nlocals;
#ifdef RT_COMPUTED_GOTO
#define RT_LABEL(x) [WLAB_OP_##x] = &&op_##x,
#define X(x) [RT_OP_##x] = &&rt_op_##x,
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"
	static const void *const labels[RT_OP_COUNT] = {
		[0 ... RT_OP_COUNT - 1] = &&op_default,
		RT_EXEC_WASM_OPS(RT_LABEL) RT_EXEC_RT_OPS
	};
#pragma GCC diagnostic pop
#undef RT_LABEL
#undef X
	const void *to = RT_MODE_CHECK(s, &&fuel, &&prof, &&sample);
#ifdef RT_DIRECT
	if ((!s->cell_h || s->h_to != to) && !set_handlers(s, labels, to, &&indirect)) {
		s->top--;
		return WLAB_TRAP_NOMEM;
	}
	const uintptr_t hbase = s->h_base;
#else
	const void *const *disp = labels;
	if (to && !(disp = alt_table(s, to))) {
		s->top--;
		return WLAB_TRAP_NOMEM;
	}
#endif
#else
	const bool fuel_on = s->fuel_on;
#endif

	/* The dispatch loop: a caught throw (LOOP_END) comes back round to it. */
	for (;;) {
	DISPATCH {
#endif
	FUEL_CASE
	INDIRECT_CASE
	CASE(UNREACHABLE) trap = WLAB_TRAP_UNREACHABLE; GOTO(fail);
	CASE(NOP) NEXT;
	/* Branches that may go back (to a loop) check for an interrupt when
	 * taken (TAKE_BRANCH: those that go back or keep values); JUMP,
	 * BR_UNLESS and TEE_BR_UNLESS (if) only go forward. */
	RCASE(JUMP)  /* forward: every loop has a backward branch that checks */
		pc = CELL_TARGET(ip);
		NEXT;
	RCASE(JUMP_BACK)
		JUMP_TO(ip);
		NEXT;
	RCASE(BR)
		TAKE_BRANCH();
		NEXT;
	RCASE(BR_IF)
		if ((uint32_t)*--sp) {
			TAKE_BRANCH();
		}
		NEXT;
	RCASE(BR_ON_NULL)
		if (!sp[-1]) {
			sp = branch_to(ip, sp - 1, fp);
			JUMP_TO(ip);
		}
		NEXT;
	RCASE(BR_ON_NON_NULL)
		if (sp[-1]) {
			TAKE_BRANCH();
		} else {
			sp--;
		}
		NEXT;
	RCASE(BR_UNLESS) if (!(uint32_t)*--sp) pc = CELL_TARGET(ip); NEXT;
	RCASE(JUMP_IF)
		if ((uint32_t)*--sp) {
			JUMP_TO(ip);
		}
		NEXT;
	RCASE(I32_EQZ_JUMP_IF)
		BR_IF_AT(!(uint32_t)*--sp, 1);
		NEXT;
	RT_I32_BINOPS(I32_FUSED_CASES)
	RT_I64_BINOPS(I64_FUSED_CASES)
	RT_I32_CMPS(CMP_FUSED_CASES)
	RT_I32_TESTS(CMP_FUSED_CASES)
	RT_I32_CMPS(STEP_CASES)
	RT_LOADS_L(LOAD_L_CASES)
	RT_FLOATS_L(FLOAT_L_CASES)
	RT_I32_ARITH(I32_SET_CASES)
	RT_STORES_LL(STORE_LL_CASES)
	RT_FLOATS_L(FLOAT_LL_CASES)
	RT_FLOATS_L(FLOAT_FORM_CASES)
	RT_F64_OPS(F64_FORM_CASES)
	RT_STORES_LL(STORE_L_CASES)
	RT_I32_ARITH(I32_SG_CASES)
	RT_LOADS_LT(LOAD_LT_CASES)
	RT_STORES_LL(STORE_K_CASES)
	RT_STORES_LL(STORE_AK_CASES)
	RT_LOADS_L(LOAD_KA_CASES)
	RT_FLOAT_CMPS(FLOAT_CMP_CASES)
	RCASE(TEE_BR_UNLESS)
		fp[ip->a] = sp[-1];
		pc = (uint32_t)*--sp ? pc + 1 : CELL_TARGET(ip + 1);
		NEXT;
	RCASE(I32_EQZ_BR_UNLESS) pc = (uint32_t)*--sp ? CELL_TARGET(ip + 1) : pc + 1; NEXT;
	RCASE(COPY_JUMP_IF)
		fp[ip[1].a] = fp[ip->a];
		BR_IF_AT((uint32_t)fp[ip[2].a], 3);
		NEXT;
	RCASE(GET_TEE_LOAD) {
		uint64_t v = fp[ip[1].a] = fp[ip->a];
		if (!(p = MEM_AT((uint32_t)v, ip[2].b, 4))) {
			ip += 2;
			GOTO(oob_l);
		}
		*sp++ = ld(p, 4);
		pc += 2;
		NEXT;
	}
	RCASE(GET_TEE_LOAD_S) {  /* the same; local.set ip[3].a of the i32 loaded */
		uint64_t v = fp[ip[1].a] = fp[ip->a];
		if (!(p = MEM_AT((uint32_t)v, ip[2].b, 4))) {
			ip += 2;
			GOTO(oob_l);
		}
		fp[ip[3].a] = ld(p, 4);
		pc += 3;
		NEXT;
	}
	RCASE(SELECT_T)
		sp -= 2;
		sp[-1] = fp[ip[1].a] = (uint32_t)sp[1] ? sp[-1] : sp[0];
		pc++;
		NEXT;
	RCASE(TEE_BITS)
		fp[ip->a] = sp[-1];
		sp[-1] = ((uint32_t)sp[-1] >> (ip[1].b & 31)) & (uint32_t)ip[3].b;
		pc += 4;
		NEXT;
	RCASE(I32_MUL_ADD_L)
		sp--;
		sp[-1] = (uint32_t)((uint32_t)sp[-1] * (uint32_t)sp[0] + (uint32_t)fp[ip[1].a]);
		pc += 2;
		NEXT;
	RCASE(I32_MUL_ADD_LS)
		sp -= 2;
		fp[ip[3].a] = (uint32_t)((uint32_t)sp[0] * (uint32_t)sp[1] + (uint32_t)fp[ip[1].a]);
		pc += 3;
		NEXT;
	RCASE(I32_MUL_ADD_K)
		sp--;
		sp[-1] = (uint32_t)((uint32_t)sp[-1] + (uint32_t)sp[0] * (uint32_t)ip->b);
		pc += 2;
		NEXT;
	RCASE(I32_SHL_ADD_K)
		sp--;
		sp[-1] = (uint32_t)((uint32_t)sp[-1] + ((uint32_t)sp[0] << (ip->b & 31)));
		pc += 2;
		NEXT;
	RCASE(I32_LOAD_SA) {  /* at x + (y << k), an i32 sum, then the load's offset */
		uint32_t addr = (uint32_t)((uint32_t)sp[-2] + ((uint32_t)sp[-1] << (ip->b & 31)));
		sp--;
		if (!(p = MEM_AT(addr, ip[3].b, 4))) {
			sp[-1] = addr;
			ip += 3;
			GOTO(oob);
		}
		sp[-1] = ld(p, 4);
		pc += 3;
		NEXT;
	}
	RCASE(I32_LOAD_LSKA) {  /* at (local a << s) + k, an i32 sum, then the offset */
		uint32_t addr = (uint32_t)(((uint32_t)fp[ip->a] << (ip[1].b & 31)) + ip[3].b);
		if (!(p = MEM_AT(addr, ip[5].b, 4))) {
			*sp++ = addr;
			ip += 5;
			GOTO(oob);
		}
		*sp++ = ld(p, 4);
		pc += 5;
		NEXT;
	}
	RCASE(I32_LOAD_LSKA_SA) {  /* I32_LOAD_LSKA; the i32 at x + (it << s) (ip[9]) */
		uint32_t addr = (uint32_t)(((uint32_t)fp[ip->a] << (ip[1].b & 31)) + ip[3].b);
		if (!(p = MEM_AT(addr, ip[5].b, 4))) {
			*sp++ = addr;
			ip += 5;
			GOTO(oob);
		}
		addr = (uint32_t)((uint32_t)sp[-1] + ((uint32_t)ld(p, 4) << (ip[6].b & 31)));
		if (!(p = MEM_AT(addr, ip[9].b, 4))) {
			sp[-1] = addr;
			ip += 9;
			GOTO(oob);
		}
		sp[-1] = ld(p, 4);
		pc += 9;
		NEXT;
	}
	RCASE(BR_TABLE_LSKA) {  /* br_table of the i32 at (local a << s) + k */
		uint32_t i, addr = (uint32_t)(((uint32_t)fp[ip->a] << (ip[1].b & 31)) + ip[3].b);
		if (!(p = MEM_AT(addr, ip[5].b, 4))) {
			*sp++ = addr;
			ip += 5;
			GOTO(oob);
		}
		i = (uint32_t)ld(p, 4);
		ip += 6;
		ip += 1 + (i < ip->a ? i : ip->a);
		TAKE_TABLE_BRANCH();
		NEXT;
	}
	RCASE(I32_ADD_LKS_BR_TABLE_LSKA) {  /* local c = local a + k; BR_TABLE_LSKA (ip[4]) */
		uint32_t i, sum = (uint32_t)(fp[ip->a] + ip[1].b), x = (uint32_t)fp[ip[4].a], addr;
		fp[ip[3].a] = sum;  /* (x read first, so that the two loads need not wait) */
		if (ip[4].a == ip[3].a)
			x = sum;
		addr = (uint32_t)((x << (ip[5].b & 31)) + ip[7].b);
		if (!(p = MEM_AT(addr, ip[9].b, 4))) {
			*sp++ = addr;
			ip += 9;
			GOTO(oob);
		}
		i = (uint32_t)ld(p, 4);
		ip += 10;
		ip += 1 + (i < ip->a ? i : ip->a);
		TAKE_TABLE_BRANCH();
		NEXT;
	}
	RCASE(I32_LOAD_POP) {  /* at (local a + k) + ((local c = local b - j) << s) */
		uint32_t x = (uint32_t)(fp[ip->a] + ip[1].b), y = (uint32_t)(fp[ip[3].a] - ip[4].b);
		uint32_t addr = (uint32_t)(x + (y << (ip[7].b & 31)));
		fp[ip[6].a] = y;
		if (!(p = MEM_AT(addr, ip[10].b, 4))) {
			*sp++ = addr;
			ip += 10;
			GOTO(oob);
		}
		*sp++ = ld(p, 4);
		pc += 10;
		NEXT;
	}
	RCASE(I32_SHL_ADD_LK)
		sp[-1] = (uint32_t)((uint32_t)sp[-1] + ((uint32_t)fp[ip->a] << (ip[1].b & 31)));
		pc += 3;
		NEXT;
	RCASE(I32_SHL_LK_ADD_L)  /* (local a << s) + local ip[3].a */
		*sp++ = (uint32_t)(((uint32_t)fp[ip->a] << (ip[1].b & 31)) + (uint32_t)fp[ip[3].a]);
		pc += 4;
		NEXT;
	RCASE(I32_ADD_LK_SHL_ADD_LK)  /* (local a + k) + (local ip[3].a << s) */
		*sp++ = (uint32_t)((uint32_t)fp[ip->a] + (uint32_t)ip[1].b +
				   ((uint32_t)fp[ip[3].a] << (ip[4].b & 31)));
		pc += 6;
		NEXT;
	RCASE(SET_I32_STORE_LL)  /* local.set a; i32.store (ip[3]) of local v at local b */
		fp[ip->a] = *--sp;
		if (!(p = MEM_AT((uint32_t)fp[ip[1].a], ip[3].b, 4))) {
			sp[0] = fp[ip[1].a];
			sp[1] = fp[ip[2].a];
			sp += 2;
			ip += 3;
			GOTO(oob);
		}
		st(p, fp[ip[2].a], 4);
		pc += 3;
		NEXT;
	RCASE(I32_LOAD_LTJ)  /* local.get a; i32.load (ip[1]); local.tee c; br_if */
		if (!(p = MEM_AT((uint32_t)fp[ip->a], ip[1].b, 4))) {
			ip++;
			GOTO(oob_l);
		}
		BR_IF_AT((uint32_t)(fp[ip[2].a] = ld(p, 4)), 3);
		NEXT;
	RCASE(I32_LOAD_ADD_STORE) {  /* p->x += k: local.get a; local.get b; i32.load (ip[2]);
					i32.const k (ip[3]); i32.add; i32.store (ip[5]) */
		uint32_t v;
		if (!(p = MEM_AT((uint32_t)fp[ip[1].a], ip[2].b, 4))) {
			*sp++ = fp[ip->a];
			ip += 2;
			GOTO(oob_l);
		}
		v = (uint32_t)(ld(p, 4) + ip[3].b);
		if (!(p = MEM_AT((uint32_t)fp[ip->a], ip[5].b, 4))) {
			sp[0] = fp[ip->a];
			sp[1] = v;
			sp += 2;
			ip += 5;
			GOTO(oob);
		}
		st(p, v, 4);
		pc += 5;
		NEXT;
	}
	RCASE(I32_ADD_LKS2)
		fp[ip[3].a] = (uint32_t)(fp[ip->a] + ip[1].b);
		fp[ip[7].a] = (uint32_t)(fp[ip[4].a] + ip[5].b);
		pc += 7;
		NEXT;
	RCASE(I32_ADD_LKS2_JUMP)  /* I32_ADD_LKS2; the jump (ip[8]) */
		fp[ip[3].a] = (uint32_t)(fp[ip->a] + ip[1].b);
		fp[ip[7].a] = (uint32_t)(fp[ip[4].a] + ip[5].b);
		JUMP_TO(ip + 8);
		NEXT;
	RCASE(I32_BITS_T)
		fp[ip[4].a] = sp[-1] = ((uint32_t)sp[-1] >> (ip->b & 31)) & (uint32_t)ip[2].b;
		pc += 4;
		NEXT;
	RCASE(I32_LOAD8_U_LTU) {  /* local.get a; i32.load8_u (ip[1]); local.tee c; if */
		uint32_t v;
		if (!(p = MEM_AT((uint32_t)fp[ip->a], ip[1].b, 1))) {
			ip++;
			GOTO(oob_l);
		}
		fp[ip[2].a] = v = *p;
		pc = v ? pc + 3 : CELL_TARGET(ip + 3);
		NEXT;
	}
	RCASE(BR_TABLE_L) {
		uint32_t i = (uint32_t)fp[ip->a];
		ip++;
		ip += 1 + (i < ip->a ? i : ip->a);
		TAKE_TABLE_BRANCH();
		NEXT;
	}
	RCASE(COPY) fp[ip[1].a] = fp[ip->a]; pc++; NEXT;
	RCASE(COPY_GET) fp[ip[1].a] = fp[ip->a]; *sp++ = fp[ip[2].a]; pc += 2; NEXT;
	RCASE(CONST_SET) fp[ip[1].a] = ip->b; pc++; NEXT;
	RCASE(CONST_SET_GET) fp[ip[1].a] = ip->b; *sp++ = fp[ip[2].a]; pc += 2; NEXT;
	RCASE(TEE_JUMP_IF)
		fp[ip->a] = sp[-1];
		BR_IF_AT((uint32_t)*--sp, 1);
		NEXT;
	RCASE(COPY_TEE) *sp++ = fp[ip[1].a] = fp[ip->a]; pc++; NEXT;
	RCASE(TEE_I32_LOAD)
		fp[ip->a] = sp[-1];
		if (!(p = MEM_AT((uint32_t)sp[-1], ip[1].b, 4))) {
			ip++;
			GOTO(oob);
		}
		sp[-1] = ld(p, 4);
		pc++;
		NEXT;
	RCASE(I32_BITS)
		sp[-1] = ((uint32_t)sp[-1] >> (ip->b & 31)) & (uint32_t)ip[2].b;
		pc += 3;
		NEXT;
	RCASE(I32_BITS_L)  /* (local a >> k) & m: k in ip[1], m in ip[3] */
		*sp++ = ((uint32_t)fp[ip->a] >> (ip[1].b & 31)) & (uint32_t)ip[3].b;
		pc += 4;
		NEXT;
	LOAD_GL_CASE(F64_LOAD_GL, 8, FOUT)
	LOAD_GL_CASE(I32_LOAD_GL, 4, TOPM)
	RCASE(F64_MUL_LLL)
		*sp++ = FOUT(MUL_LLL(ip));
		pc += 4;
		NEXT;
	CASE(BR_TABLE) {
		uint32_t i = (uint32_t)*--sp;
		ip += 1 + (i < ip->a ? i : ip->a);
		TAKE_TABLE_BRANCH();
		NEXT;
	}
	CASE(RETURN)  /* of more than one slot: rt_fuse() makes the others RETURN0, RETURN1 */
		move_results(fp, sp - fn->result_slots, fn->result_slots);
		RETURN_TO_CALLER(fn->result_slots);
	RCASE(RETURN0) RETURN_TO_CALLER(0);
	RCASE(RETURN1) *fp = sp[-1]; RETURN_TO_CALLER(1);
	RT_I32_ARITH(I32_RET_CASES)
	CASE(CALL) callee = (struct rt_func *)(uintptr_t)ip->b; GOTO(call);
	RCASE(CALL_IN)  /* LABEL(call) and LABEL(call_enter) without the instance switch */
		callee = (struct rt_func *)(uintptr_t)ip->b;
		CALL_BEGIN;
		ENTER_CALLEE((void)0);
	CASE(RETURN_CALL) callee = (struct rt_func *)(uintptr_t)ip->b; GOTO(tail);
	CASE(CALL_INDIRECT) {
		uint64_t i = *--sp;  /* an i32 slot is zero-extended; table64: an i64 */
		CALL_INDIRECT_THEN(i, call);
	}
	RCASE(CALL_INDIRECT_L) {
		uint64_t i = fp[ip->a];
		ip++;  /* the call_indirect: a trap's cell; the call returns after it */
		pc++;
		CALL_INDIRECT_THEN(i, call);
	}
	CASE(RETURN_CALL_INDIRECT) {
		uint64_t i = *--sp;
		CALL_INDIRECT_THEN(i, tail);
	}
	CASE(CALL_REF) CASE(RETURN_CALL_REF)
		callee = (struct rt_func *)(uintptr_t)*--sp;
		if (!callee) {
			trap = WLAB_TRAP_NULL_FUNC;
			GOTO(fail);
		}
		if (ip->op == WLAB_OP_RETURN_CALL_REF)
			GOTO(tail);
		GOTO(call);
	CASE(REF_AS_NON_NULL)
		if (!sp[-1]) {
			trap = WLAB_TRAP_NULL_REF;
			GOTO(fail);
		}
		NEXT;
	CASE(DROP) sp--; NEXT;
	RCASE(SELECT) sp -= 2; if (!(uint32_t)sp[1]) sp[-1] = sp[0]; NEXT;
	CASE(LOCAL_GET) *sp++ = fp[ip->a]; NEXT;
	CASE(LOCAL_SET) fp[ip->a] = *--sp; NEXT;
	CASE(LOCAL_TEE) fp[ip->a] = sp[-1]; NEXT;
	RCASE(LOCAL_GET2) sp[0] = fp[ip->a]; sp[1] = fp[(uint32_t)ip->b]; sp += 2; pc++; NEXT;
	RCASE(SET_GET) fp[ip->a] = sp[-1]; sp[-1] = fp[(uint32_t)ip->b]; pc++; NEXT;
	RCASE(SET_JUMP)
		fp[ip->a] = *--sp;
		JUMP_TO(ip + 1);
		NEXT;
	RCASE(I32_XEQ_LMJ)  /* x == (local a & m): i32.xor; i32.eqz; br_if (ip[5]) */
		BR_IF_AT((uint32_t)*--sp == ((uint32_t)fp[ip->a] & (uint32_t)ip[1].b), 5);
		NEXT;
	CASE(GLOBAL_GET) *sp++ = inst->globals[ip->a]->value; NEXT;
	CASE(GLOBAL_SET) inst->globals[ip->a]->value = *--sp; NEXT;

	CASE(I32_LOAD)
		if (!(p = MEM_AT((uint32_t)sp[-1], ip->b, 4)))
			GOTO(oob);
		sp[-1] = ld(p, 4);
		NEXT;
	CASE(I64_LOAD)
		if (!(p = MEM_AT((uint32_t)sp[-1], ip->b, 8)))
			GOTO(oob);
		sp[-1] = ld(p, 8);
		NEXT;
	CASE(F32_LOAD)
		if (!(p = MEM_AT((uint32_t)sp[-1], ip->b, 4)))
			GOTO(oob);
		sp[-1] = ld(p, 4);
		NEXT;
	CASE(F64_LOAD)
		if (!(p = MEM_AT((uint32_t)sp[-1], ip->b, 8)))
			GOTO(oob);
		sp[-1] = FOUT(ld(p, 8));
		NEXT;
	CASE(I32_LOAD8_S)
		if (!(p = MEM_AT((uint32_t)sp[-1], ip->b, 1)))
			GOTO(oob);
		sp[-1] = (uint32_t)(int8_t)*p;
		NEXT;
	CASE(I32_LOAD8_U)
		if (!(p = MEM_AT((uint32_t)sp[-1], ip->b, 1)))
			GOTO(oob);
		sp[-1] = *p;
		NEXT;
	CASE(I32_LOAD16_S)
		if (!(p = MEM_AT((uint32_t)sp[-1], ip->b, 2)))
			GOTO(oob);
		sp[-1] = (uint32_t)(int16_t)ld(p, 2);
		NEXT;
	CASE(I32_LOAD16_U)
		if (!(p = MEM_AT((uint32_t)sp[-1], ip->b, 2)))
			GOTO(oob);
		sp[-1] = ld(p, 2);
		NEXT;
	CASE(I64_LOAD8_S)
		if (!(p = MEM_AT((uint32_t)sp[-1], ip->b, 1)))
			GOTO(oob);
		sp[-1] = (uint64_t)(int8_t)*p;
		NEXT;
	CASE(I64_LOAD8_U)
		if (!(p = MEM_AT((uint32_t)sp[-1], ip->b, 1)))
			GOTO(oob);
		sp[-1] = *p;
		NEXT;
	CASE(I64_LOAD16_S)
		if (!(p = MEM_AT((uint32_t)sp[-1], ip->b, 2)))
			GOTO(oob);
		sp[-1] = (uint64_t)(int16_t)ld(p, 2);
		NEXT;
	CASE(I64_LOAD16_U)
		if (!(p = MEM_AT((uint32_t)sp[-1], ip->b, 2)))
			GOTO(oob);
		sp[-1] = ld(p, 2);
		NEXT;
	CASE(I64_LOAD32_S)
		if (!(p = MEM_AT((uint32_t)sp[-1], ip->b, 4)))
			GOTO(oob);
		sp[-1] = (uint64_t)(int32_t)ld(p, 4);
		NEXT;
	CASE(I64_LOAD32_U)
		if (!(p = MEM_AT((uint32_t)sp[-1], ip->b, 4)))
			GOTO(oob);
		sp[-1] = ld(p, 4);
		NEXT;
	CASE(I32_STORE) CASE(F32_STORE) CASE(I64_STORE32)
		if (!(p = MEM_AT((uint32_t)sp[-2], ip->b, 4)))
			GOTO(oob);
		st(p, sp[-1], 4); sp -= 2; NEXT;
	CASE(I64_STORE) CASE(F64_STORE)
		if (!(p = MEM_AT((uint32_t)sp[-2], ip->b, 8)))
			GOTO(oob);
		st(p, sp[-1], 8); sp -= 2; NEXT;
	CASE(I32_STORE8) CASE(I64_STORE8)
		if (!(p = MEM_AT((uint32_t)sp[-2], ip->b, 1)))
			GOTO(oob);
		st(p, sp[-1], 1); sp -= 2; NEXT;
	CASE(I32_STORE16) CASE(I64_STORE16)
		if (!(p = MEM_AT((uint32_t)sp[-2], ip->b, 2)))
			GOTO(oob);
		st(p, sp[-1], 2); sp -= 2; NEXT;
	CASE(MEMORY_SIZE)
		if (mem->shared)  /* another thread may have grown it */
			LOAD_MEM();
		*sp++ = msize / RT_PAGE;
		NEXT;
	CASE(MEMORY_GROW) {
		uint64_t old;
		if (!rt_memory_grow_paid(s, mem, (uint32_t)sp[-1]))
			GOTO(nofuel);
		sp[-1] = rt_memory_grow(mem, (uint32_t)sp[-1], &old) ? UINT32_MAX : (uint32_t)old;
		LOAD_MEM();
		NEXT;
	}

	CASE(I32_CONST) CASE(I64_CONST) CASE(F32_CONST)
		*sp++ = ip->b; NEXT;
	CASE(F64_CONST) *sp++ = FOUT(ip->b); NEXT;

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
	CASE(I32_DIV_S) if ((trap = i32_div(&sp[-2], (uint32_t)sp[-1], 0))) GOTO(fail); sp--; NEXT;
	CASE(I32_DIV_U) if ((trap = i32_div(&sp[-2], (uint32_t)sp[-1], 1))) GOTO(fail); sp--; NEXT;
	CASE(I32_REM_S) if ((trap = i32_div(&sp[-2], (uint32_t)sp[-1], 2))) GOTO(fail); sp--; NEXT;
	CASE(I32_REM_U) if ((trap = i32_div(&sp[-2], (uint32_t)sp[-1], 3))) GOTO(fail); sp--; NEXT;
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
	CASE(I64_DIV_S) if ((trap = i64_div(&sp[-2], sp[-1], 0))) GOTO(fail); sp--; NEXT;
	CASE(I64_DIV_U) if ((trap = i64_div(&sp[-2], sp[-1], 1))) GOTO(fail); sp--; NEXT;
	CASE(I64_REM_S) if ((trap = i64_div(&sp[-2], sp[-1], 2))) GOTO(fail); sp--; NEXT;
	CASE(I64_REM_U) if ((trap = i64_div(&sp[-2], sp[-1], 3))) GOTO(fail); sp--; NEXT;
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
	CASE(F64_ABS) sp[-1] = FOUT(sp[-1] & ~F64_SIGN); NEXT;
	CASE(F64_NEG) sp[-1] = FOUT(sp[-1] ^ F64_SIGN); NEXT;
	CASE(F64_CEIL) sp[-1] = FOUT(bits_f64(f64_ceil(f64_of(sp[-1])))); NEXT;
	CASE(F64_FLOOR) sp[-1] = FOUT(bits_f64(f64_floor(f64_of(sp[-1])))); NEXT;
	CASE(F64_TRUNC) sp[-1] = FOUT(bits_f64(f64_trunc(f64_of(sp[-1])))); NEXT;
	CASE(F64_NEAREST) sp[-1] = FOUT(bits_f64(f64_nearest(f64_of(sp[-1])))); NEXT;
	CASE(F64_SQRT) sp[-1] = FOUT(bits_f64(sqrt(f64_of(sp[-1])))); NEXT;
	CASE(F64_ADD) BINOP_F64(sp, +); NEXT;
	RCASE(F64_ADD2)  /* f64.add; f64.add: the third from the top plus the sum of the two above */
		sp -= 2;
		sp[-1] = FOUT(bits_f64(f64_of(sp[-1]) + (f64_of(sp[0]) + f64_of(sp[1]))));
		pc++;
		NEXT;
	CASE(F64_SUB) BINOP_F64(sp, -); NEXT;
	CASE(F64_MUL) BINOP_F64(sp, *); NEXT;
	CASE(F64_DIV) BINOP_F64(sp, /); NEXT;
	CASE(F64_MIN) sp--; sp[-1] = FOUT(bits_f64(f64_min(f64_of(sp[-1]), f64_of(sp[0])))); NEXT;
	CASE(F64_MAX) sp--; sp[-1] = FOUT(bits_f64(f64_max(f64_of(sp[-1]), f64_of(sp[0])))); NEXT;
	CASE(F64_COPYSIGN) BINFN_I64(sp, f64_copysign); NEXT;

	CASE(I32_WRAP_I64) sp[-1] = (uint32_t)sp[-1]; NEXT;
	CASE(I32_TRUNC_F32_S)
		if ((trap = trunc_trap(&sp[-1], f32_of(sp[-1]), TRUNC_I32_S)))
			GOTO(fail);
		NEXT;
	CASE(I32_TRUNC_F32_U)
		if ((trap = trunc_trap(&sp[-1], f32_of(sp[-1]), TRUNC_I32_U)))
			GOTO(fail);
		NEXT;
	CASE(I32_TRUNC_F64_S)
		if ((trap = trunc_trap(&sp[-1], f64_of(sp[-1]), TRUNC_I32_S)))
			GOTO(fail);
		NEXT;
	CASE(I32_TRUNC_F64_U)
		if ((trap = trunc_trap(&sp[-1], f64_of(sp[-1]), TRUNC_I32_U)))
			GOTO(fail);
		NEXT;
	CASE(I64_EXTEND_I32_S) sp[-1] = (uint64_t)(int32_t)sp[-1]; NEXT;
	CASE(I64_EXTEND_I32_U) sp[-1] = (uint32_t)sp[-1]; NEXT;
	CASE(I64_TRUNC_F32_S)
		if ((trap = trunc_trap(&sp[-1], f32_of(sp[-1]), TRUNC_I64_S)))
			GOTO(fail);
		NEXT;
	CASE(I64_TRUNC_F32_U)
		if ((trap = trunc_trap(&sp[-1], f32_of(sp[-1]), TRUNC_I64_U)))
			GOTO(fail);
		NEXT;
	CASE(I64_TRUNC_F64_S)
		if ((trap = trunc_trap(&sp[-1], f64_of(sp[-1]), TRUNC_I64_S)))
			GOTO(fail);
		NEXT;
	CASE(I64_TRUNC_F64_U)
		if ((trap = trunc_trap(&sp[-1], f64_of(sp[-1]), TRUNC_I64_U)))
			GOTO(fail);
		NEXT;
	CASE(F32_CONVERT_I32_S) sp[-1] = bits_f32((float)(int32_t)sp[-1]); NEXT;
	CASE(F32_CONVERT_I32_U) sp[-1] = bits_f32((float)(uint32_t)sp[-1]); NEXT;
	CASE(F32_CONVERT_I64_S) sp[-1] = bits_f32((float)(int64_t)sp[-1]); NEXT;
	CASE(F32_CONVERT_I64_U) sp[-1] = bits_f32((float)sp[-1]); NEXT;
	CASE(F32_DEMOTE_F64) sp[-1] = bits_f32((float)f64_of(sp[-1])); NEXT;
	CASE(F64_CONVERT_I32_S) sp[-1] = FOUT(bits_f64((double)(int32_t)sp[-1])); NEXT;
	CASE(F64_CONVERT_I32_U) sp[-1] = FOUT(bits_f64((double)(uint32_t)sp[-1])); NEXT;
	CASE(F64_CONVERT_I64_S) sp[-1] = FOUT(bits_f64((double)(int64_t)sp[-1])); NEXT;
	CASE(F64_CONVERT_I64_U) sp[-1] = FOUT(bits_f64((double)sp[-1])); NEXT;
	CASE(F64_PROMOTE_F32) sp[-1] = FOUT(bits_f64((double)f32_of(sp[-1]))); NEXT;
	CASE(I32_REINTERPRET_F32) CASE(F32_REINTERPRET_I32)
	CASE(I64_REINTERPRET_F64) CASE(F64_REINTERPRET_I64) NEXT;
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
	CASE(TABLE_GET) CASE(TABLE_SET) CASE(TABLE_SIZE)
	CASE(TABLE_GROW) CASE(TABLE_FILL) CASE(TABLE_COPY)
	CASE(TABLE_INIT) CASE(ELEM_DROP) CASE(MEMORY_INIT)
	CASE(DATA_DROP) CASE(MEMORY_COPY) CASE(MEMORY_FILL)
		VIA_COPY(rt_bulk(inst, ip, &sp_));
		if (trap)
			GOTO(fail);
		NEXT;
	RCASE(MEMX)  /* and its RT_OP_MEMX_ARG */
		VIA_COPY(rt_memx(inst, ip, &sp_));
		if (trap)
			GOTO(fail);
		pc++;
		NEXT;
	CASE(THROW)
		if (!rt_fuel_take(s, RT_FUEL_WORDS(inst->tags[ip->a]->param_slots)))
			GOTO(nofuel);  /* the payload it copies */
		sp -= inst->tags[ip->a]->param_slots;
		if (!(exn = rt_exn_new(s, inst->tags[ip->a], sp))) {
			trap = WLAB_TRAP_EXN_LIMIT;
			GOTO(fail);
		}
		GOTO(throw);
	CASE(THROW_REF)
		if (!(exn = (struct rt_exn *)(uintptr_t)*--sp)) {
			trap = WLAB_TRAP_NULL_EXN;
			GOTO(fail);
		}
		GOTO(throw);
	CASE(RETHROW) exn = (struct rt_exn *)(uintptr_t)fp[ip->a]; GOTO(throw);
	/* the f64 accumulator's _ACC forms (rt_internal.h, RT_FACC), here at
	 * the end, where they move no other case */
	RT_F64_OPS(F64_ACC_CASES)
	RCASE(F64_SQRT_ACC) sp[-1] = FOUT(bits_f64(sqrt(ACC(sp[-1])))); NEXT;
	RCASE(F64_ADD2_ACC)
		sp -= 2;
		sp[-1] = FOUT(bits_f64(f64_of(sp[-1]) + (f64_of(sp[0]) + ACC(sp[1]))));
		pc++;
		NEXT;
	RCASE(LOCAL_SET_ACC) fp[ip->a] = ACCB(sp[-1]); sp--; NEXT;
	RCASE(LOCAL_TEE_ACC) fp[ip->a] = ACCB(sp[-1]); NEXT;
	RCASE(SET_GET_ACC) fp[ip->a] = ACCB(sp[-1]); sp[-1] = fp[(uint32_t)ip->b]; pc++; NEXT;
	RCASE(F64_NEG_ACC) sp[-1] = FOUT(ACCB(sp[-1]) ^ F64_SIGN); NEXT;
	RCASE(F64_ABS_ACC) sp[-1] = FOUT(ACCB(sp[-1]) & ~F64_SIGN); NEXT;
	RCASE(LOCAL_GET_F64) *sp++ = FOUT(fp[ip->a]); NEXT;
	RCASE(LOCAL_GET2_F64) sp[0] = fp[ip->a]; sp[1] = FOUT(fp[(uint32_t)ip->b]); sp += 2; pc++; NEXT;
	DEFAULT  /* GC (rt_gc.c), atomics (rt_atomic.c), v128 instructions and ops (rt_simd.c) */
		VIA_COPY(rt_is_gc(ip->op) ? rt_gc(fn, ip, fp, &sp_) : rt_is_atomic(ip->op) ?
			 rt_atomic(inst, ip, &sp_) : rt_simd(inst, ip, &sp_));
		if (trap)
			GOTO(fail);
		NEXT;
	DISPATCH_END
LABEL(return_slow)  /* RETURN_TO_CALLER to a frame marked RT_FRAME_CHECK (s->top's) */
	{
		struct rt_frame *fr = s->top;
		if (!fr->fn)  /* the run's sentinel */
			return WLAB_TRAP_NONE;
		fn = fr->fn, pc = rt_frame_pc(fr), fp = fr->fp;
		SWITCH_INST(fn);
		RT_SYNC_FN;
	}
	NEXT;
LABEL(branch_slow)  /* a taken branch that keeps values or goes back (TAKE_BRANCH) */
	sp = branch_to(ip, sp, fp);
	JUMP_TO(ip);
	NEXT;
LABEL(call_sub)
	/* call_indirect's (ip's) callee is of another type than the one named:
	 * a subtype of it is called (out of line: a call of rt_type_sub would
	 * cost the tail-called build's call handlers a frame of saved registers) */
	if (!rt_type_sub(s, callee->type_id, ip->a)) {
		trap = WLAB_TRAP_INDIRECT_MISMATCH;
		GOTO(fail);
	}
	if (ip->op == WLAB_OP_RETURN_CALL_INDIRECT)
		GOTO(tail);
	GOTO(call);
LABEL(call)
	CALL_BEGIN;
	GOTO(call_enter);
LABEL(call_slow)  /* an interrupt, a host function, a first call, or fuel to charge */
	attn = atomic_load_explicit(&s->attn, memory_order_relaxed);  /* (not kept by GOTO) */
	if (attn & RT_ATTN_INTERRUPT)
		GOTO(interrupt);
	if (__builtin_expect(!callee->code, 0)) {
		if (callee->host) {
			VIA_COPY(call_host(s, callee, &sp_, s->top));
			if (trap) {
				if (trap != WLAB_TRAP_EXCEPTION || !s->exn)
					GOTO(fail);
				exn = s->exn;  /* a guest exception that passed through the host */
				GOTO(throw);
			}
			NEXT_SYNC;
		}
		if (rt_translate(callee)) {
			trap = WLAB_TRAP_NOMEM;
			GOTO(fail);
		}
	}
	if (attn & RT_ATTN_FUEL) {
		if (!rt_fuel_take(s, RT_FUEL_WORDS(callee->new_slots)))
			GOTO(nofuel);  /* the locals enter zeroes */
		if (s->prof && s->top < s->frames_end)
			rt_prof_enter(s, rt_depth(s) + 1, callee);  /* its node, should enter succeed */
	}
	GOTO(call_enter);
LABEL(call_enter)  /* callee, translated and paid for, enters */
	ENTER_CALLEE(CALL_SWITCH_INST(fn));
LABEL(tail)
	/* return_call*: callee (any function of the caller's result types)
	 * replaces the running function (return_call_ref comes here too) */
	attn = atomic_load_explicit(&s->attn, memory_order_relaxed);
	if (__builtin_expect(attn & RT_ATTN_INTERRUPT, 0))
		GOTO(interrupt);
	if (callee->host) {
		/* its results end on the stack's top, where return takes them */
		VIA_COPY(call_host(s, callee, &sp_, &(struct rt_frame){fn, pc, fp}));
		if (trap) {
			if (trap != WLAB_TRAP_EXCEPTION || !s->exn)
				GOTO(fail);
			/* thrown out of the tail callee: the caller's frame is gone */
			exn = s->exn;
			struct rt_frame *xf = --s->top;
			if (!xf->fn)
				return WLAB_TRAP_EXCEPTION;
			fn = xf->fn, ip = rt_frame_pc(xf) - 1, fp = xf->fp;
			inst = fn->inst, mem = mem0(inst), LOAD_MEM();
			RT_SYNC;
			GOTO(throw);
		}
		move_results(fp, sp - fn->result_slots, fn->result_slots);
		RETURN_TO_CALLER(fn->result_slots);
	}
	if (!callee->code && rt_translate(callee)) {
		trap = WLAB_TRAP_NOMEM;
		GOTO(fail);
	}
	if (attn & RT_ATTN_FUEL) {
		if (!rt_fuel_take(s, RT_FUEL_WORDS(callee->nlocals)))
			GOTO(nofuel);  /* the args tail_enter moves and the locals it zeroes */
		if (s->prof)  /* callee replaces fn in the stack */
			rt_prof_enter(s, rt_depth(s), callee);
	}
	if (!(sp = tail_enter(s, callee, fp, sp))) {
		trap = WLAB_TRAP_EXHAUSTED;
		GOTO(fail);
	}
	fn = callee;
	pc = fn->code;
	CALL_SWITCH_INST(fn);
	NEXT_SYNC;
LABEL(throw)
	/* unwind to the innermost handler: this frame at ip, then the callers
	 * at their calls; out of the frames this run entered, the exception
	 * leaves as WLAB_TRAP_EXCEPTION with s->exn */
	for (;;) {
		/* each frame's handlers searched, the payload a catch copies; the
		 * frames left were paid for by their calls */
		if (!rt_fuel_take(s, RT_FUEL_WORDS(fn->nhandlers + exn->nslots)))
			GOTO(nofuel);
		const struct rt_handler *h = rt_exn_find(fn, (uint32_t)(ip - fn->code), exn);
		if (h) {
			sp = rt_exn_catch(h, exn, fp, fp + fn->nlocals);
			pc = fn->code + h->target;
			break;
		}
		struct rt_frame *fr = --s->top;
		if (!fr->fn) {
			s->exn = exn;
			return WLAB_TRAP_EXCEPTION;
		}
		fn = fr->fn, ip = rt_frame_pc(fr) - 1, fp = fr->fp;
		inst = fn->inst, mem = mem0(inst), LOAD_MEM();
		RT_SYNC;  /* (nofuel's backtrace starts at this frame) */
	}
	LOOP_END
LABEL(nofuel)
	trap = WLAB_TRAP_FUEL;
	GOTO(fail);
LABEL(interrupt)  /* ip: the branch or call that found the request, which it clears */
	clear_interrupt(s);
	trap = WLAB_TRAP_INTERRUPTED;
	GOTO(fail);
LABEL(oob_ll)  /* a fused local.get, local.get and store: the address is the first local's */
	RETRY_IF_GROWN();
	note_oob(s, ip, (uint32_t)fp[ip[-2].a], mem);
	trap = WLAB_TRAP_MEMORY_OOB;
	GOTO(fail);
LABEL(oob_l)  /* a fused local.get and load: the address is the local's */
	RETRY_IF_GROWN();
	note_oob(s, ip, (uint32_t)fp[ip[-1].a], mem);
	trap = WLAB_TRAP_MEMORY_OOB;
	GOTO(fail);
LABEL(oob)
	RETRY_IF_GROWN();
	note_oob(s, ip, (uint32_t)sp[is_store(access_op(ip->op)) ? -2 : -1], mem);
	trap = WLAB_TRAP_MEMORY_OOB;
LABEL(fail)
	if (!s->detail.op && ip && ip->op < WLAB_OP_COUNT)
		s->detail.op = ip->op;
	/* the backtrace: this frame at ip, then the callers at their calls */
	rt_bt_push(s, fn, ip);
	for (struct rt_frame *fr = s->top; fr-- > s->frames + base_depth + 1;)
		rt_bt_push(s, fr->fn, rt_frame_pc(fr) - 1);
	s->top = s->frames + base_depth;
	return trap;
}
