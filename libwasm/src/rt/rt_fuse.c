/* rt_fuse.c: superinstructions: rewrites common sequences of cells (a
 * constant or a local and an i32 operator, a comparison and a br_if...) into
 * one fused op, in place. The cells a fused op stands for stay where they
 * were: a branch may land on them, and the fused op reads their immediates;
 * the fused op skips them. First it makes the last changes to the
 * translated form that the loop relies on: branch targets relative to
 * their cells, heights from the first local, returns of no or one slot. */
#include <stdlib.h>

#include "rt_internal.h"

static const uint16_t i32_k[] = {
#define X(x) [WLAB_OP_I32_##x] = RT_OP_I32_##x##_K,
	RT_I32_BINOPS(X)
#undef X
};
static const uint16_t i64_k[] = {
#define X(x) [WLAB_OP_I64_##x] = RT_OP_I64_##x##_K,
	RT_I64_BINOPS(X)
#undef X
};

static const uint16_t load_l[] = {
#define X(x) [WLAB_OP_##x] = RT_OP_##x##_L,
	RT_LOADS_L(X) RT_FLOATS_L(X)
#undef X
};

static const uint16_t i32_lks[] = {
#define X(x) [WLAB_OP_I32_##x] = RT_OP_I32_##x##_LKS,
	RT_I32_ARITH(X)
#undef X
};
static const uint16_t ll_form[] = {
#define X(x) [WLAB_OP_##x] = RT_OP_##x##_LL,
	RT_STORES_LL(X) RT_FLOATS_L(X)
#undef X
};

/* Float operators: the first of their five further forms (rt_internal.h). */
static const uint16_t float_t[] = {
#define X(x) [WLAB_OP_##x] = RT_OP_##x##_T,
	RT_FLOATS_L(X)
#undef X
};
static const uint16_t store_l[] = {
#define X(x) [WLAB_OP_##x] = RT_OP_##x##_L,
	RT_STORES_LL(X)
#undef X
};
/* Each family's offsets from its first form (FLOAT_T, FLOAT_LT, ...): its
 * RT_FORMS_* list in rt_internal.h, expanded here for the suffixes alone,
 * so that the order is written once. */
#define RT_FORM(n, f) FLOAT##f,
enum { RT_FORMS_FLOAT(_) };
#undef RT_FORM
/* f64 operators: the first of their four forms (rt_internal.h). */
static const uint16_t f64_k[] = {
#define X(x) [WLAB_OP_##x] = RT_OP_##x##_K,
	RT_F64_OPS(X)
#undef X
};
#define RT_FORM(n, f) F64##f,
enum { RT_FORMS_F64(_) };
#undef RT_FORM
static const uint16_t i32_ksg[] = {
#define X(x) [WLAB_OP_I32_##x] = RT_OP_I32_##x##_KSG,
	RT_I32_ARITH(X)
#undef X
};
#define RT_FORM(n, f) FORM##f,
enum { RT_FORMS_SG(_) };
#undef RT_FORM
static const uint16_t store_k[] = {
#define X(x) [WLAB_OP_##x] = RT_OP_##x##_K,
	RT_STORES_LL(X)
#undef X
};
static const uint16_t store_ak[] = {
#define X(x) [WLAB_OP_##x] = RT_OP_##x##_AK,
	RT_STORES_LL(X)
#undef X
};
/* Loads: the first of their four forms at an i32 sum or a constant (rt_internal.h). */
static const uint16_t load_ka[] = {
#define X(x) [WLAB_OP_##x] = RT_OP_##x##_KA,
	RT_LOADS_L(X)
#undef X
};
#define RT_FORM(n, f) LOAD##f,
enum { RT_FORMS_KA(_) };
#undef RT_FORM
static const uint16_t load_lt[] = {
#define X(x) [WLAB_OP_##x] = RT_OP_##x##_LT,
	RT_LOADS_LT(X)
#undef X
};

/* i32 arithmetic returned: the first of its three forms (rt_internal.h). */
static const uint16_t i32_r[] = {
#define X(x) [WLAB_OP_I32_##x] = RT_OP_I32_##x##_R,
	RT_I32_ARITH(X)
#undef X
};
#define RT_FORM(n, f) RET##f,
enum { RT_FORMS_RET(_) };
#undef RT_FORM

/* A loop's step and test, and the masked tests: the first of a
 * comparison's five forms (rt_internal.h, RT_FORMS_STEP). */
static const uint16_t i32_step[] = {
#define X(x) [WLAB_OP_I32_##x] = RT_OP_I32_##x##_XKJ,
	RT_I32_CMPS(X)
#undef X
};
#define RT_FORM(n, f) STEP##f,
enum { RT_FORMS_STEP(_) };
#undef RT_FORM

/* Float comparisons: the first of their forms (rt_internal.h, RT_FORMS_FCMP). */
static const uint16_t fcmp_k[] = {
#define X(x) [WLAB_OP_##x] = RT_OP_##x##_K,
	RT_FLOAT_CMPS(X)
#undef X
};
#define RT_FORM(n, f) FCMP##f,
enum { RT_FORMS_FCMP(_) };
#undef RT_FORM

/* The fused op for op from table t (of n entries), or 0. */
static uint16_t pick(const uint16_t *t, size_t n, uint16_t op)
{
	return op < n ? t[op] : 0;
}
#define PICK(t, op) pick(t, sizeof t / sizeof t[0], op)

/* The offsets from a comparison's _K form (FORM_K to FORM_LLU; i32
 * arithmetic has the first four) and from an operator's _LKS form. */
#define RT_FORM(n, f) FORM##f,
enum { RT_FORMS_CMP(_) };
enum { RT_FORMS_SET(_) };
#undef RT_FORM


static bool is_cmp(uint16_t op)
{
	switch (op) {
#define X(x) case WLAB_OP_I32_##x:
	RT_I32_CMPS(X)
#undef X
		return true;
	default:
		return false;
	}
}

static bool is_const(uint16_t op)
{
	return op == WLAB_OP_I32_CONST || op == WLAB_OP_I64_CONST || op == WLAB_OP_F32_CONST ||
	       op == WLAB_OP_F64_CONST;
}

/* The branch form of i32 operator op (a comparison or an RT_I32_TESTS op)
 * at offset form of the enum of forms (FORM_J to FORM_LLU), or 0. */
static const uint16_t i32_test_j[] = {
#define X(x) [WLAB_OP_I32_##x] = RT_OP_I32_##x##_J,
	RT_I32_TESTS(X)
#undef X
};
static uint16_t branch_form(uint16_t op, int form)
{
	uint16_t j;
	if (is_cmp(op))
		return (uint16_t)(PICK(i32_k, op) + form);
	return (j = PICK(i32_test_j, op)) ? (uint16_t)(j + form - FORM_J) : 0;
}

/* The load and store of a float operator's type. */
static bool is_f64(uint16_t op)
{
	return op >= WLAB_OP_F64_ADD && op <= WLAB_OP_F64_DIV;
}

/* A float operator's forms that absorb a local.tee, a load or a store, at
 * c (op[] its first four ops): the fused op and its length, or 0. */
static uint16_t fuse_float(const uint16_t *op, uint32_t *len)
{
	uint16_t k;
	uint16_t load = 0, store = 0;
	bool get = op[0] == WLAB_OP_LOCAL_GET;
	if (op[0] == WLAB_OP_F64_ADD && op[1] == WLAB_OP_F64_ADD) {
		*len = 2;
		return RT_OP_F64_ADD2;
	}
	if (get && op[1] == WLAB_OP_LOCAL_GET && op[2] == WLAB_OP_F64_LOAD) {
		*len = 3;
		return RT_OP_F64_LOAD_GL;
	}
	if (get && op[1] == WLAB_OP_F64_LOAD && (k = PICK(f64_k, op[2])) &&
	    op[3] == WLAB_OP_F64_STORE) {
		*len = 4;
		return (uint16_t)(k + F64_LMS);
	}
	if (op[0] == WLAB_OP_F64_CONST && (k = PICK(f64_k, op[1]))) {
		bool tee = op[2] == WLAB_OP_LOCAL_TEE;
		*len = tee ? 3 : 2;
		return (uint16_t)(k + (tee ? F64_KT : F64_K));
	}
	if (get && (k = PICK(float_t, op[1])) && op[2] == WLAB_OP_LOCAL_TEE) {
		*len = 3;
		return (uint16_t)(k + FLOAT_LT);
	}
	if (get && (op[1] == WLAB_OP_F64_LOAD || op[1] == WLAB_OP_F32_LOAD) &&
	    (k = PICK(float_t, op[2])) &&
	    (is_f64(op[2]) ? WLAB_OP_F64_LOAD : WLAB_OP_F32_LOAD) == op[1]) {
		*len = 3;
		return (uint16_t)(k + FLOAT_LM);
	}
	if ((op[0] == WLAB_OP_F64_LOAD || op[0] == WLAB_OP_F32_LOAD) &&
	    (k = PICK(float_t, op[1]))) {
		load = is_f64(op[1]) ? WLAB_OP_F64_LOAD : WLAB_OP_F32_LOAD;
		*len = 2;
		return load == op[0] ? (uint16_t)(k + FLOAT_M) : 0;
	}
	if ((k = PICK(float_t, op[0]))) {
		store = is_f64(op[0]) ? WLAB_OP_F64_STORE : WLAB_OP_F32_STORE;
		*len = 2;
		if (op[1] == WLAB_OP_LOCAL_TEE)
			return (uint16_t)(k + FLOAT_T);
		if (op[1] == store)
			return (uint16_t)(k + FLOAT_ST);
	}
	return 0;
}

/* A float comparison at c (op[] its first four ops) with a constant second
 * operand, or followed by a br_if or an if, or both: the fused op and its
 * length, or 0. Validation made the constant the comparison's type. */
static uint16_t fuse_float_cmp(const uint16_t *op, uint32_t *len)
{
	static const int8_t forms[3][3] = {  /* [operands][then]: plain, br_if, if */
		{-1, FCMP_J, FCMP_U}, {FCMP_K, FCMP_KJ, FCMP_KU}, {FCMP_LK, FCMP_LKJ, FCMP_LKU},
	};
	bool k0 = op[0] == WLAB_OP_F32_CONST || op[0] == WLAB_OP_F64_CONST;
	bool k1 = op[1] == WLAB_OP_F32_CONST || op[1] == WLAB_OP_F64_CONST;
	uint32_t at = op[0] == WLAB_OP_LOCAL_GET && k1 ? 2 : k0 ? 1 : 0;  /* the comparison */
	uint16_t k = PICK(fcmp_k, op[at]);
	uint32_t then = op[at + 1] == RT_OP_JUMP_IF ? 1 : op[at + 1] == RT_OP_BR_UNLESS ? 2 : 0;
	if (!k || forms[at][then] < 0)
		return 0;
	*len = at + 1 + (then != 0);
	return (uint16_t)(k + forms[at][then]);
}

/* Moves between locals and constants: a local.get or a constant, a
 * local.set, and maybe a local.get; a local.tee and a br_if. */
static uint16_t fuse_move(const uint16_t *op, uint32_t *len)
{
	bool get = op[0] == WLAB_OP_LOCAL_GET;
	if (get && op[1] == WLAB_OP_LOCAL_SET && op[2] == WLAB_OP_LOCAL_GET &&
	    op[3] == RT_OP_JUMP_IF) {
		*len = 4;
		return RT_OP_COPY_JUMP_IF;
	}
	if ((get || is_const(op[0])) && op[1] == WLAB_OP_LOCAL_SET) {
		bool then_get = op[2] == WLAB_OP_LOCAL_GET;
		*len = then_get ? 3 : 2;
		return get ? (then_get ? RT_OP_COPY_GET : RT_OP_COPY)
			   : (then_get ? RT_OP_CONST_SET_GET : RT_OP_CONST_SET);
	}
	if (get && op[1] == WLAB_OP_LOCAL_TEE && op[2] == WLAB_OP_I32_LOAD) {
		bool set = op[3] == WLAB_OP_LOCAL_SET;
		*len = set ? 4 : 3;
		return set ? RT_OP_GET_TEE_LOAD_S : RT_OP_GET_TEE_LOAD;
	}
	*len = 2;
	if (op[0] == WLAB_OP_LOCAL_TEE && op[1] == RT_OP_JUMP_IF)
		return RT_OP_TEE_JUMP_IF;
	if (op[0] == WLAB_OP_LOCAL_TEE && op[1] == RT_OP_BR_UNLESS)
		return RT_OP_TEE_BR_UNLESS;
	if (get && op[1] == WLAB_OP_BR_TABLE)
		return RT_OP_BR_TABLE_L;
	if (op[0] == RT_OP_SELECT && op[1] == WLAB_OP_LOCAL_TEE)
		return RT_OP_SELECT_T;
	if (op[0] == WLAB_OP_LOCAL_TEE && op[1] == WLAB_OP_I32_LOAD)
		return RT_OP_TEE_I32_LOAD;
	if (get && op[1] == WLAB_OP_LOCAL_TEE)
		return RT_OP_COPY_TEE;
	return 0;
}

/* A loop's step and test at c (n cells; op[] the first four ops), or a
 * masked test: the fused op and its length, or 0; a step's addend written
 * to its cell. */
static uint16_t fuse_step(struct rt_cell *c, uint32_t n, const uint16_t *op, uint32_t *len)
{
	uint32_t at;  /* the i32.add or i32.sub cell */
	int form;
	uint16_t k;
	if (op[0] == WLAB_OP_I32_CONST && op[1] == WLAB_OP_I32_AND && op[2] == WLAB_OP_I32_CONST &&
	    n >= 5 && (k = PICK(i32_step, op[3])) && c[4].op == RT_OP_JUMP_IF) {
		*len = 5;
		return (uint16_t)(k + STEP_MKJ);
	}
	if (op[0] == WLAB_OP_LOCAL_GET && op[1] == WLAB_OP_I32_CONST && op[2] == WLAB_OP_I32_AND &&
	    n >= 5 && (k = PICK(i32_step, op[3])) && c[4].op == RT_OP_JUMP_IF) {
		*len = 5;
		return (uint16_t)(k + STEP_LMJ);
	}
	if (op[0] == WLAB_OP_LOCAL_GET && op[1] == WLAB_OP_I32_CONST && op[2] == WLAB_OP_I32_AND &&
	    op[3] == WLAB_OP_I32_XOR && n >= 6 && c[4].op == WLAB_OP_I32_EQZ &&
	    c[5].op == RT_OP_JUMP_IF) {
		*len = 6;
		return RT_OP_I32_XEQ_LMJ;
	}
	if (op[0] == WLAB_OP_I32_CONST)
		at = 1, form = STEP_XKJ;
	else if (op[0] == WLAB_OP_LOCAL_GET && op[1] == WLAB_OP_I32_CONST)
		at = 2, form = STEP_XLKJ;
	else if (op[0] == WLAB_OP_LOCAL_GET && op[1] == WLAB_OP_LOCAL_GET && op[2] == WLAB_OP_I32_ADD)
		at = 2, form = STEP_XLLJ;
	else
		return 0;
	if (n < at + 5 || (c[at].op != WLAB_OP_I32_ADD && c[at].op != WLAB_OP_I32_SUB) ||
	    c[at + 1].op != WLAB_OP_LOCAL_TEE || c[at + 2].op != WLAB_OP_I32_CONST ||
	    !(k = PICK(i32_step, c[at + 3].op)) || c[at + 4].op != RT_OP_JUMP_IF)
		return 0;
	if (form != STEP_XLLJ) {
		uint32_t addend = (uint32_t)c[at - 1].b;
		c[at].b = c[at].op == WLAB_OP_I32_ADD ? addend : 0u - addend;
	}
	*len = at + 5;
	return (uint16_t)(k + form);
}

/* The fused form of the cells at c (n of them) and how many it stands
 * for, or 0. */
static uint16_t fuse_at(struct rt_cell *c, uint32_t n, uint32_t *len)
{
	uint16_t op[4] = {0, 0, 0, 0}, k, j;
	for (uint32_t i = 0; i < 4 && i < n; i++)
		op[i] = c[i].op;
	bool get = op[0] == WLAB_OP_LOCAL_GET;
	if ((k = fuse_step(c, n, op, len)))
		return k;
	if (op[0] == WLAB_OP_I32_CONST && op[1] == WLAB_OP_I32_SUB && op[2] == WLAB_OP_F64_LOAD &&
	    (k = PICK(f64_k, op[3])) && n >= 5 && c[4].op == WLAB_OP_LOCAL_TEE) {
		*len = 5;
		return (uint16_t)(k + F64_SKMT);
	}
	if (op[0] == WLAB_OP_I32_CONST && op[1] == WLAB_OP_I32_SHR_U &&
	    op[2] == WLAB_OP_I32_CONST && op[3] == WLAB_OP_I32_AND) {
		bool tee = n >= 5 && c[4].op == WLAB_OP_LOCAL_TEE;
		*len = tee ? 5 : 4;
		return tee ? RT_OP_I32_BITS_T : RT_OP_I32_BITS;
	}
	if (get && op[1] == WLAB_OP_I32_CONST && op[2] == WLAB_OP_I32_SHR_U &&
	    op[3] == WLAB_OP_I32_CONST && n >= 5 && c[4].op == WLAB_OP_I32_AND) {
		*len = 5;
		return RT_OP_I32_BITS_L;
	}
	if (get && op[1] == WLAB_OP_I32_LOAD8_U && op[2] == WLAB_OP_LOCAL_TEE &&
	    op[3] == RT_OP_BR_UNLESS) {
		*len = 4;
		return RT_OP_I32_LOAD8_U_LTU;
	}
	if (op[0] == WLAB_OP_LOCAL_TEE && op[1] == WLAB_OP_I32_CONST && op[2] == WLAB_OP_I32_SHR_U &&
	    op[3] == WLAB_OP_I32_CONST && n >= 5 && c[4].op == WLAB_OP_I32_AND) {
		*len = 5;
		return RT_OP_TEE_BITS;
	}
	if (op[0] == WLAB_OP_I32_CONST && op[1] == WLAB_OP_I32_ADD && (k = PICK(load_ka, op[2]))) {
		*len = 3;
		return (uint16_t)(k + LOAD_KA);
	}
	if (op[0] == WLAB_OP_I32_CONST && (k = PICK(load_ka, op[1]))) {
		bool tee = op[2] == WLAB_OP_LOCAL_TEE;
		*len = tee ? 3 : 2;
		return (uint16_t)(k + (tee ? LOAD_CT : LOAD_C));
	}
	if (get && op[1] == WLAB_OP_I32_ADD && op[2] == WLAB_OP_I32_CONST &&
	    op[3] == WLAB_OP_I32_ADD && n >= 5 && (k = PICK(load_ka, c[4].op))) {
		*len = 5;
		return (uint16_t)(k + LOAD_LKA);
	}
	if (get && op[1] == WLAB_OP_LOCAL_GET && op[2] == WLAB_OP_I32_LOAD &&
	    op[3] == WLAB_OP_I32_CONST && n >= 6 && c[4].op == WLAB_OP_I32_ADD &&
	    c[5].op == WLAB_OP_I32_STORE) {
		*len = 6;
		return RT_OP_I32_LOAD_ADD_STORE;
	}
	if (op[0] == WLAB_OP_LOCAL_SET && op[1] == WLAB_OP_LOCAL_GET && op[2] == WLAB_OP_LOCAL_GET &&
	    op[3] == WLAB_OP_I32_STORE) {
		*len = 4;
		return RT_OP_SET_I32_STORE_LL;
	}
	if (get && op[1] == WLAB_OP_I32_LOAD && op[2] == WLAB_OP_LOCAL_TEE && op[3] == RT_OP_JUMP_IF) {
		*len = 4;
		return RT_OP_I32_LOAD_LTJ;
	}
	if (get && op[1] == WLAB_OP_I32_CONST && op[2] == WLAB_OP_I32_ADD &&
	    op[3] == WLAB_OP_LOCAL_SET && n >= 8 && c[4].op == WLAB_OP_LOCAL_GET &&
	    c[5].op == WLAB_OP_I32_CONST && c[6].op == WLAB_OP_I32_ADD &&
	    c[7].op == WLAB_OP_LOCAL_SET) {
		bool jump = n >= 9 && (c[8].op == RT_OP_JUMP || c[8].op == RT_OP_JUMP_BACK);
		*len = jump ? 9 : 8;
		return jump ? RT_OP_I32_ADD_LKS2_JUMP : RT_OP_I32_ADD_LKS2;
	}
	if (op[0] == WLAB_OP_I32_CONST && op[1] == WLAB_OP_I32_SHL && op[2] == WLAB_OP_I32_ADD) {
		*len = op[3] == WLAB_OP_I32_LOAD ? 4 : 3;
		return *len == 4 ? RT_OP_I32_LOAD_SA : RT_OP_I32_SHL_ADD_K;
	}
	if (get && op[1] == WLAB_OP_I32_CONST && op[2] == WLAB_OP_I32_SHL &&
	    op[3] == WLAB_OP_I32_CONST && n >= 6 && c[4].op == WLAB_OP_I32_ADD &&
	    c[5].op == WLAB_OP_I32_LOAD) {
		if (n >= 10 && c[6].op == WLAB_OP_I32_CONST && c[7].op == WLAB_OP_I32_SHL &&
		    c[8].op == WLAB_OP_I32_ADD && c[9].op == WLAB_OP_I32_LOAD) {
			*len = 10;
			return RT_OP_I32_LOAD_LSKA_SA;
		}
		bool brt = n >= 7 && c[6].op == WLAB_OP_BR_TABLE;
		*len = brt ? 7 : 6;
		return brt ? RT_OP_BR_TABLE_LSKA : RT_OP_I32_LOAD_LSKA;
	}
	if (get && op[1] == WLAB_OP_I32_CONST && op[2] == WLAB_OP_I32_SHL &&
	    op[3] == WLAB_OP_I32_ADD) {
		*len = 4;
		return RT_OP_I32_SHL_ADD_LK;
	}
	if (get && op[1] == WLAB_OP_I32_CONST && op[2] == WLAB_OP_I32_ADD &&
	    op[3] == WLAB_OP_LOCAL_GET && n >= 11 && c[4].op == WLAB_OP_I32_CONST &&
	    c[5].op == WLAB_OP_I32_SUB && c[6].op == WLAB_OP_LOCAL_TEE &&
	    c[7].op == WLAB_OP_I32_CONST && c[8].op == WLAB_OP_I32_SHL &&
	    c[9].op == WLAB_OP_I32_ADD && c[10].op == WLAB_OP_I32_LOAD) {
		*len = 11;
		return RT_OP_I32_LOAD_POP;
	}
	if (get && op[1] == WLAB_OP_I32_CONST && op[2] == WLAB_OP_I32_ADD &&
	    op[3] == WLAB_OP_LOCAL_SET && n >= 11 && c[4].op == WLAB_OP_LOCAL_GET &&
	    c[5].op == WLAB_OP_I32_CONST && c[6].op == WLAB_OP_I32_SHL &&
	    c[7].op == WLAB_OP_I32_CONST && c[8].op == WLAB_OP_I32_ADD &&
	    c[9].op == WLAB_OP_I32_LOAD && c[10].op == WLAB_OP_BR_TABLE) {
		*len = 11;
		return RT_OP_I32_ADD_LKS_BR_TABLE_LSKA;
	}
	if (get && op[1] == WLAB_OP_I32_CONST && op[2] == WLAB_OP_I32_SHL &&
	    op[3] == WLAB_OP_LOCAL_GET && n >= 5 && c[4].op == WLAB_OP_I32_ADD) {
		*len = 5;
		return RT_OP_I32_SHL_LK_ADD_L;
	}
	if (get && op[1] == WLAB_OP_I32_CONST && op[2] == WLAB_OP_I32_ADD &&
	    op[3] == WLAB_OP_LOCAL_GET && n >= 7 && c[4].op == WLAB_OP_I32_CONST &&
	    c[5].op == WLAB_OP_I32_SHL && c[6].op == WLAB_OP_I32_ADD) {
		*len = 7;
		return RT_OP_I32_ADD_LK_SHL_ADD_LK;
	}
	if (op[0] == WLAB_OP_I32_CONST && op[1] == WLAB_OP_I32_MUL && op[2] == WLAB_OP_I32_ADD) {
		*len = 3;
		return RT_OP_I32_MUL_ADD_K;
	}
	if (op[0] == WLAB_OP_I32_MUL && op[1] == WLAB_OP_LOCAL_GET && op[2] == WLAB_OP_I32_ADD) {
		bool set = op[3] == WLAB_OP_LOCAL_SET;
		*len = set ? 4 : 3;
		return set ? RT_OP_I32_MUL_ADD_LS : RT_OP_I32_MUL_ADD_L;
	}
	if (get && op[1] == WLAB_OP_LOCAL_GET && op[2] == WLAB_OP_F64_MUL && n >= 5 &&
	    op[3] == WLAB_OP_LOCAL_GET && c[4].op == WLAB_OP_F64_MUL) {
		if (n >= 7 && (k = PICK(f64_k, c[5].op)) && c[6].op == WLAB_OP_F64_STORE) {
			*len = 7;
			return (uint16_t)(k + F64_LLLS);
		}
		if (n >= 9 && c[5].op == WLAB_OP_LOCAL_GET && c[6].op == WLAB_OP_F64_LOAD &&
		    (k = PICK(f64_k, c[7].op)) && c[8].op == WLAB_OP_F64_STORE) {
			*len = 9;
			return (uint16_t)(k + F64_LLLMS);
		}
		*len = 5;
		return RT_OP_F64_MUL_LLL;
	}
	if (get && op[1] == WLAB_OP_I32_CONST && op[2] == WLAB_OP_I32_ADD &&
	    (k = PICK(load_ka, op[3]))) {
		uint16_t f = n >= 5 ? PICK(float_t, c[4].op) : 0;
		if (f && (is_f64(c[4].op) ? WLAB_OP_F64_LOAD : WLAB_OP_F32_LOAD) == op[3]) {
			*len = 5;
			return (uint16_t)(f + FLOAT_LKM);
		}
		*len = 4;
		return (uint16_t)(k + LOAD_LK);
	}
	if (get && op[1] == WLAB_OP_I32_CONST && op[2] == WLAB_OP_I32_ADD && is_const(op[3]) &&
	    n >= 5 && (k = PICK(store_ak, c[4].op))) {
		c->b = (uint32_t)c[1].b;  /* a store of a constant at local + k */
		*len = 5;
		return k;
	}
	if (get && op[1] == WLAB_OP_LOCAL_GET && op[2] == WLAB_OP_I32_ADD &&
	    (k = PICK(load_ka, op[3]))) {
		*len = 4;
		return (uint16_t)(k + LOAD_LLA);
	}
	if (get && (op[1] == WLAB_OP_I32_CONST || op[1] == WLAB_OP_LOCAL_GET) &&
	    (k = PICK(i32_k, op[2]))) {
		bool lk = op[1] == WLAB_OP_I32_CONST;
		uint16_t ks = PICK(i32_lks, op[2]);
		c->b = lk ? (uint32_t)c[1].b : c[1].a;
		*len = 3;
		if (ks && (op[3] == WLAB_OP_LOCAL_SET || op[3] == WLAB_OP_LOCAL_TEE)) {
			bool tee = op[3] == WLAB_OP_LOCAL_TEE;
			c->b |= (uint64_t)c[3].a << 32;
			if (tee && lk && n >= 5 && c[4].op == RT_OP_JUMP_IF) {
				*len = 5;
				return (uint16_t)(ks + FORM_LKTJ);
			}
			*len = 4;
			return (uint16_t)(ks + (lk ? (tee ? FORM_LKT : FORM_LKS) :
						     (tee ? FORM_LLT : FORM_LLS)));
		}
		if (op[3] == RT_OP_RETURN1 && (j = PICK(i32_r, op[2]))) {
			*len = 4;
			return (uint16_t)(j + (lk ? RET_LKR : RET_LLR));
		}
		if (op[3] == RT_OP_JUMP_IF && (j = branch_form(op[2], lk ? FORM_LKJ : FORM_LLJ))) {
			*len = 4;
			return j;
		}
		if (op[3] == RT_OP_BR_UNLESS && (j = branch_form(op[2], lk ? FORM_LKU : FORM_LLU))) {
			*len = 4;
			return j;
		}
		return (uint16_t)(k + (lk ? FORM_LK : FORM_LL));
	}
	if ((get || op[0] == WLAB_OP_I32_CONST) && (k = PICK(i32_k, op[1]))) {
		*len = 2;
		if (op[2] == RT_OP_JUMP_IF && (j = branch_form(op[1], get ? FORM_LJ : FORM_KJ))) {
			*len = 3;
			return j;
		}
		if (op[2] == RT_OP_BR_UNLESS && (j = branch_form(op[1], get ? FORM_LU : FORM_KU))) {
			*len = 3;
			return j;
		}
		uint16_t sg = PICK(i32_ksg, op[1]);
		if (sg && op[2] == WLAB_OP_LOCAL_TEE) {
			if (get) {
				*len = 3;
				return (uint16_t)(sg + FORM_LT);
			}
			bool then_j = op[3] == RT_OP_JUMP_IF, then_set = op[3] == WLAB_OP_LOCAL_SET;
			*len = then_j || then_set ? 4 : 3;
			return (uint16_t)(sg + (then_j ? FORM_KTJ : then_set ? FORM_KTS : FORM_KT));
		}
		if (sg && op[2] == WLAB_OP_LOCAL_SET && op[3] == WLAB_OP_LOCAL_GET) {
			*len = 4;
			return (uint16_t)(sg + (get ? FORM_LSG : FORM_KSG));
		}
		return (uint16_t)(k + (get ? FORM_L : FORM_K));
	}
	if (get && op[1] == WLAB_OP_LOCAL_GET && (k = PICK(ll_form, op[2]))) {
		c->b = c[1].a;
		if ((j = PICK(float_t, op[2])) && op[3] == WLAB_OP_LOCAL_TEE) {
			*len = 4;
			return (uint16_t)(j + FLOAT_LLT);
		}
		*len = 3;
		return k;
	}
	if ((k = fuse_float_cmp(op, len)) || (k = fuse_float(op, len)) ||
	    (k = fuse_move(op, len)))
		return k;
	if (get && op[1] == WLAB_OP_I32_LOAD && (k = PICK(load_ka, op[2]))) {
		*len = 3;
		return (uint16_t)(k + LOAD_LP);
	}
	if (get && (k = PICK(load_lt, op[1])) && op[2] == WLAB_OP_LOCAL_TEE) {
		*len = 3;
		return k;
	}
	*len = 2;
	if (get && (k = PICK(load_l, op[1])))
		return k;
	if (get && (k = PICK(store_l, op[1])))
		return k;
	if (get && op[1] == WLAB_OP_CALL_INDIRECT)
		return RT_OP_CALL_INDIRECT_L;
	if (is_const(op[0]) && (k = PICK(store_k, op[1])))
		return k;
	if (op[0] == WLAB_OP_I64_CONST && (k = PICK(i64_k, op[1])))
		return k;
	if (op[1] == RT_OP_JUMP_IF && (k = branch_form(op[0], FORM_J)))
		return k;
	if (op[1] == RT_OP_RETURN1 && (k = PICK(i32_r, op[0])))
		return (uint16_t)(k + RET_R);
	if (op[0] == WLAB_OP_LOCAL_SET && (op[1] == RT_OP_JUMP || op[1] == RT_OP_JUMP_BACK))
		return RT_OP_SET_JUMP;
	if (op[0] == WLAB_OP_I32_EQZ && op[1] == RT_OP_JUMP_IF)
		return RT_OP_I32_EQZ_JUMP_IF;
	if (op[0] == WLAB_OP_I32_EQZ && op[1] == RT_OP_BR_UNLESS)
		return RT_OP_I32_EQZ_BR_UNLESS;
	if ((k = PICK(i32_ksg, op[0])) && op[1] == WLAB_OP_LOCAL_TEE)
		return (uint16_t)(k + FORM_T);
	if (get && op[1] == WLAB_OP_LOCAL_GET && op[2] == WLAB_OP_I32_LOAD) {
		*len = 3;
		return RT_OP_I32_LOAD_GL;
	}
	if (get && op[1] == WLAB_OP_LOCAL_GET) {
		c->b = c[1].a;
		return RT_OP_LOCAL_GET2;
	}
	if (op[0] == WLAB_OP_LOCAL_SET && op[1] == WLAB_OP_LOCAL_GET) {
		c->b = c[1].a;
		return RT_OP_SET_GET;
	}
	return 0;
}

/* The ops whose a is a branch target (before fusion). */
static bool is_branch(uint16_t op)
{
	return op == RT_OP_JUMP || op == RT_OP_JUMP_BACK || op == RT_OP_BR || op == RT_OP_BR_IF ||
	       op == RT_OP_BR_UNLESS || op == RT_OP_TARGET || op == RT_OP_JUMP_IF ||
	       op == RT_OP_BR_ON_NULL || op == RT_OP_BR_ON_NON_NULL;
}

/* The branches whose b holds the values they keep and the height they cut
 * to (the others' values already sit at their label's height). */
static bool moves_values(uint16_t op)
{
	return op == RT_OP_BR || op == RT_OP_BR_IF || op == RT_OP_TARGET ||
	       op == RT_OP_BR_ON_NULL || op == RT_OP_BR_ON_NON_NULL;
}

/* A load or store: a fused op that traps on it reads its op. */
static bool is_access(uint16_t op)
{
	return op >= WLAB_OP_I32_LOAD && op <= WLAB_OP_I64_STORE32;
}

/* Where fusion goes on after a fused op at i standing for len cells: i + len,
 * or the first branch target among the cells it stands for, so that a
 * branch landing there (a loop's head after the loop's entry code) runs
 * fused code too. The fused op at i reads the immediates of those cells,
 * which fusing again at the target leaves alone (fusion rewrites only the
 * b of a local.get or local.set that starts a form, whose a is all other
 * forms read, and the b of a step's i32.add or i32.sub, which no form and
 * no handler of those ops reads), and keeps their ops but a load's or
 * store's, which a trap there reads: fusion never starts again at those. */
static uint32_t fuse_next(const struct rt_func *f, const uint8_t *target, uint32_t i,
			  uint32_t len)
{
	if (target)
		for (uint32_t j = i + 1; j < i + len; j++)
			if (target[j] && !is_access(f->code[j].op))
				return j;
	return i + len;
}

#ifdef RT_FACC
/* From rt_internal.h's RT_ACC_FORMS: the _ACC form of each op that has
 * one; whether that form reads an f64 (by the op it is the form of); the
 * ops that leave their f64 result in the accumulator (the forms', and
 * RT_ACC_PRODUCERS). */
#define ACC_FORM(of, name, produces, reads_f64) [of] = RT_OP_##name,
#define ACC_READS_F64(of, name, produces, reads_f64) [of] = reads_f64,
#define ACC_PRODUCES(of, name, produces, reads_f64) [RT_OP_##name] = produces,
#define X(op) [op] = 1,
static const uint16_t acc_form[RT_OP_COUNT] = {RT_ACC_FORMS(ACC_FORM)};
static const uint8_t acc_reads_f64[RT_OP_COUNT] = {RT_ACC_FORMS(ACC_READS_F64)};
static const uint8_t acc_producer[RT_OP_COUNT] = {RT_ACC_PRODUCERS RT_ACC_FORMS(ACC_PRODUCES)};
#undef X
#undef ACC_FORM
#undef ACC_READS_F64
#undef ACC_PRODUCES

/* What can run just before cell k (acc_forms) */
enum {
	ACC_AFTER_HEAD = 1,      /* a head (a cell fusion reached) that goes on to k */
	ACC_AFTER_OTHER = 2,     /* one that leaves no f64 in facc */
	ACC_AFTER_UNFUSED = 4,   /* a cell no head stands for, run as it is */
	ACC_AFTER_MORE = 8,      /* more than one head */
};

/* Gives each cell its op's _ACC form where every cell that can run just
 * before it leaves its f64 result in the accumulator: heads (the cells the
 * fusion loop reached, len[i] the cells head i stands for, 0 for the
 * others) whose next cell it is, each of a producer, and no other way in:
 * not a branch target, an exception handler's, or the cell after one that
 * runs unfused (one a branch lands on or a head goes on to, which its
 * fusion did not reach, and those after it). Where the one head before a
 * cell that reads an f64 is a local.get (or LOCAL_GET2), that local is an
 * f64, and the head becomes a producer (RT_OP_LOCAL_GET_F64). Each cell's
 * ways in are known before it is reached: they come from cells before it
 * (by[k]: the last head that goes on to cell k, plus one). */
static void acc_forms(struct rt_func *f, const uint8_t *target, const uint16_t *len)
{
	uint8_t *in = calloc(f->ncode + 1, 1);
	uint32_t *by = calloc(f->ncode + 1, sizeof *by);
	for (uint32_t k = 0; in && by && k < f->ncode; k++) {
		struct rt_cell *c = &f->code[k];
		if (len[k]) {
			uint16_t acc = target[k] ? 0 : acc_form[c->op];
			struct rt_cell *h = by[k] ? &f->code[by[k] - 1] : NULL;
			if (acc && in[k] == ACC_AFTER_HEAD) {
				c->op = acc;
			} else if (acc && in[k] == (ACC_AFTER_HEAD | ACC_AFTER_OTHER) &&
				   acc_reads_f64[c->op] &&
				   (h->op == WLAB_OP_LOCAL_GET || h->op == RT_OP_LOCAL_GET2)) {
				h->op = h->op == WLAB_OP_LOCAL_GET ? RT_OP_LOCAL_GET_F64
								   : RT_OP_LOCAL_GET2_F64;
				c->op = acc;
			}
			uint32_t e = k + len[k] > f->ncode ? f->ncode : k + len[k];
			in[e] |= ACC_AFTER_HEAD | (acc_producer[c->op] ? 0 : ACC_AFTER_OTHER) |
				 (in[e] & ACC_AFTER_HEAD ? ACC_AFTER_MORE : 0);
			by[e] = k + 1;
		} else if (target[k] || (in[k] & (ACC_AFTER_HEAD | ACC_AFTER_UNFUSED))) {
			in[k + 1] |= ACC_AFTER_UNFUSED;
		}
	}
	free(in);
	free(by);
}
#endif

void rt_fuse(struct rt_func *f)
{
	uint8_t *target = calloc(f->ncode, 1);  /* NULL: fusion as if no cell were one */
	for (uint32_t i = 0; target && i < f->ncode; i++)
		if (is_branch(f->code[i].op) && f->code[i].a < f->ncode)
			target[f->code[i].a] = 1;
	/* Every branch's target from here on is relative to its cell, in bytes
	 * (CELL_TARGET; fusion reads no target; ncode <= RT_MAX_CELLS), and
	 * the height a branch that moves values cuts to is counted from the
	 * first local (a height past UINT32_MAX would wrap, but such a
	 * function needs a stack of more than the UINT32_MAX slots a store
	 * can have, and never enters). A branch that goes back (its target
	 * not after it: a loop's start) has the interrupt check every loop
	 * needs: a JUMP becomes JUMP_BACK, one that moves values is marked
	 * RT_BRANCH_BACK. */
	for (uint32_t i = 0; i < f->ncode; i++) {
		struct rt_cell *c = &f->code[i];
		bool back = c->a <= i;  /* (for a branch) */
		if (c->op == RT_OP_JUMP && back)
			c->op = RT_OP_JUMP_BACK;
		if (moves_values(c->op))
			c->b = (c->b >> 32 << 32) | (uint32_t)((uint32_t)c->b + f->nlocals) |
			       (back ? (uint64_t)RT_BRANCH_BACK << 32 : 0);
		if (is_branch(c->op))
			c->a = (uint32_t)(((int64_t)c->a - i) * (int64_t)sizeof *f->code);
		if (c->op == WLAB_OP_RETURN && f->result_slots <= 1)
			c->op = f->result_slots ? RT_OP_RETURN1 : RT_OP_RETURN0;
	}
	struct rt_prof *prof = f->inst->store->prof;
	if (prof && prof->cover && !f->span)  /* NULL: coverage marks fused ops' first cells */
		f->span = calloc(f->ncode, 1);
#ifdef RT_FACC
	/* the heads' lengths, for acc_forms; NULL: no _ACC forms */
	uint16_t *heads = target ? calloc(f->ncode, sizeof *heads) : NULL;
#endif
	for (uint32_t i = 0; i < f->ncode;) {
		uint32_t len = 1;
		uint16_t op = i + 1 < f->ncode ? fuse_at(f->code + i, f->ncode - i, &len) : 0;
		if (op) {
			f->code[i].op = op;
			if (f->span)
				f->span[i] = (uint8_t)len;
		} else {
			len = 1;  /* (fuse_at may have set it) */
		}
#ifdef RT_FACC
		if (heads)
			heads[i] = (uint16_t)len;
#endif
		i = fuse_next(f, target, i, len);
	}
#ifdef RT_FACC
	if (heads) {
		/* exception handlers' cells are ways in too (not to fusion,
		 * which their cells, run unfused, need not know) */
		for (uint32_t h = 0; h < f->nhandlers; h++)
			if (f->handlers[h].target < f->ncode)
				target[f->handlers[h].target] = 1;
		acc_forms(f, target, heads);
	}
	free(heads);
#endif
	free(target);
}
