/* rt_internal.h: the interpreter's objects (functions, tables, memories,
 * globals, instances, the store) and its internal code form (struct rt_cell). */
#ifndef WLAB_RT_INTERNAL_H
#define WLAB_RT_INTERNAL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wlab/instr.h"
#include "wlab/module.h"
#include "wlab/runtime.h"
#include "rt_profile.h"

#define RT_PAGE 65536u
#define RT_BUDGET_SLACK (16u << 20)  /* the default budget beyond 4 GiB and the stacks (rt_store.c) */

/* Operators with fused forms (rt_fuse.c): for each i32 one, _K (i32.const k;
 * op), _L (local.get a; op), _LK (local.get a; i32.const k; op) and _LL
 * (local.get a; local.get b; op); for each i32 comparison also _J (op; a
 * br_if that moves no values), _KJ, _LJ, _LKJ and _LLJ (the same followed by
 * that br_if), _KU (i32.const k; op; an if's RT_OP_BR_UNLESS) and _LU, _LKU
 * and _LLU (the same after local.get a, local.get a; i32.const k and
 * local.get a; local.get b, like _LJ, _LKJ and _LLJ); for each
 * i64 one, _K. A fused cell takes its immediates from
 * the cells it stands for, which stay in place (a branch may still land on
 * them) and are skipped. */
#define RT_I32_BINOPS(X) RT_I32_CMPS(X) RT_I32_ARITH(X)
#define RT_I32_ARITH(X) X(ADD) X(SUB) X(MUL) X(AND) X(OR) X(XOR) X(SHL) X(SHR_S) X(SHR_U)
#define RT_I32_CMPS(X) \
	X(EQ) X(NE) X(LT_S) X(LT_U) X(GT_S) X(GT_U) X(LE_S) X(LE_U) X(GE_S) X(GE_U)
/* i32 arithmetic that also has the comparisons' branch forms (_J to _LLU:
 * the branch taken, or the if's then run, when the result is not zero):
 * a bit test, if (x & m). */
#define RT_I32_TESTS(X) X(AND)
/* Each i32 comparison also closes a loop: _XKJ (i32.const k; i32.add or
 * i32.sub; local.tee c; i32.const m; op; RT_OP_JUMP_IF: x = the popped i32
 * plus or minus k to local c, the branch taken when x op m), _XLKJ (the
 * same from local.get a; i32.const k) and _XLLJ (local.get a; local.get b;
 * i32.add; then the same): for (...; i += k) ... while (i < m). rt_fuse()
 * writes the addend, k or -k, to the b of the i32.add or i32.sub cell.
 * And _MKJ (i32.const m; i32.and; i32.const k; op; RT_OP_JUMP_IF: the branch
 * taken when (x & m) op k, x popped): (unsigned char)(c - '0') > 9; _LMJ
 * (local.get a; i32.const m; i32.and; op; RT_OP_JUMP_IF: taken when
 * x op (local a & m), x popped): p->key == (k & 0xffff). */
/* i32 arithmetic also has forms that return the result from a function of
 * one result slot: _R (op; RT_OP_RETURN1: the two operands popped), _LKR
 * (local.get a; i32.const k; op; RT_OP_RETURN1) and _LLR (local.get a;
 * local.get b; op; RT_OP_RETURN1): return a + b. */
#define RT_I64_BINOPS(X) \
	X(ADD) X(SUB) X(MUL) X(AND) X(OR) X(XOR) X(SHL) X(SHR_S) X(SHR_U)
/* Loads and float operators with an _L form (local.get a; op): the load's
 * address, the operator's second operand is local a. */
#define RT_LOADS_L(X) X(I32_LOAD) X(I64_LOAD) X(F32_LOAD) X(F64_LOAD) \
	X(I32_LOAD8_S) X(I32_LOAD8_U) X(I32_LOAD16_S) X(I32_LOAD16_U)
/* The integer ones and f64.load also have _LT (local.get a; load; local.tee c). */
#define RT_LOADS_LT(X) X(I32_LOAD) X(I64_LOAD) X(I32_LOAD8_S) X(I32_LOAD8_U) \
	X(I32_LOAD16_S) X(I32_LOAD16_U) X(F64_LOAD)
#define RT_FLOATS_L(X) X(F32_ADD) X(F32_SUB) X(F32_MUL) X(F32_DIV) \
	X(F64_ADD) X(F64_SUB) X(F64_MUL) X(F64_DIV)
/* Float comparisons, with _K (a constant k of their type; op: k the second
 * operand), _LK (local.get a; the constant; op), _J, _KJ and _LKJ (the same
 * followed by a br_if that moves no values, RT_OP_JUMP_IF, or, for _J,
 * op; that br_if) and _U, _KU and _LKU (the same followed by an if's
 * RT_OP_BR_UNLESS): while (x > 0.5), if (d < eps). The constant is read
 * from its own cell's b; a NaN compares as wasm says (only ne holds). */
#define RT_FLOAT_CMPS(X) X(F32_EQ) X(F32_NE) X(F32_LT) X(F32_GT) X(F32_LE) X(F32_GE) \
	X(F64_EQ) X(F64_NE) X(F64_LT) X(F64_GT) X(F64_LE) X(F64_GE)
/* The f64 ones also have _K (f64.const k; op: k the second operand), _KT
 * (the same; local.tee c), _SKMT (i32.const k; i32.sub; f64.load; op;
 * local.tee c: the second operand loaded from the popped address minus k,
 * an i32 difference) and _LMS (local.get a; f64.load; op; f64.store: the
 * second operand loaded from local a, the result stored at the address
 * below the first operand); _LLLS (RT_OP_F64_MUL_LLL's five cells; op;
 * f64.store: a * b * c the second operand, the result stored at the
 * address below the first) and _LLLMS (RT_OP_F64_MUL_LLL's five cells;
 * local.get d; f64.load; op; f64.store: a * b * c op the f64 at local d,
 * stored at the popped address). */
#define RT_F64_OPS(X) X(F64_ADD) X(F64_SUB) X(F64_MUL) X(F64_DIV)
/* i32 arithmetic with forms that also absorb a following local.set or
 * local.tee c: _LKS (local.get a; i32.const k; op; local.set c), _LLS
 * (local.get a; local.get b; op; local.set c), _LKT and _LLT (the same with
 * local.tee) and _LKTJ (_LKT; RT_OP_JUMP_IF: taken when the result is not
 * zero, while (--n)); k or b in the low half of the first cell's b, c in
 * the high.
 * Stores with an _LL form (local.get a; local.get v; store): the address is
 * local a, the value local v (the first cell's b), the offset the store's. */
#define RT_STORES_LL(X) X(I32_STORE) X(I64_STORE) X(F32_STORE) X(F64_STORE) \
	X(I32_STORE8) X(I32_STORE16)
/* i32 arithmetic also has _KSG (i32.const k; op; local.set c; local.get d)
 * and _LSG (local.get a; op; local.set c; local.get d): the first operand
 * popped, the result to local c, local d pushed; _KT (i32.const k; op;
 * local.tee c), _KTJ (the same; RT_OP_JUMP_IF: the result to local c,
 * the branch taken when it is not zero), _KTS (the same as _KT; local.set
 * d: the result to locals c and d, popped), _T (op; local.tee c) and _LT
 * (local.get a; op; local.tee c: the first operand popped).
 * Float operators (RT_FLOATS_L) also have _T (op; local.tee c), _LT
 * (local.get a; op; local.tee c), _M (a load of their type; op: the second
 * operand loaded from the popped address), _LM (local.get a; load; op: the
 * load's address is local a) and _ST (op; a store of their type: the result
 * stored at the address below the operands) and _LLT (local.get a;
 * local.get b; op; local.tee c); each reads c and offsets from the cells
 * it stands for. The RT_STORES_LL stores have an _L form too
 * (local.get v; store: the value is local v, the address popped) and a _K
 * form (a constant; store: the constant's bits stored at the popped address)
 * and an _AK form (local.get a; i32.const k; i32.add; a constant; store: the
 * constant's bits stored at local a + k, an i32 sum, k in the first cell's b).
 * The RT_LOADS_L loads also have a _KA form (i32.const k; i32.add; load: the
 * address is the popped i32 plus k, an i32 sum), _C (i32.const k; load: the
 * address is k), _CT (the same; local.tee c) and _LKA (local.get a; i32.add;
 * i32.const k; i32.add; load: the address is the popped i32 plus local a
 * plus k, an i32 sum), _LP (local.get a; i32.load; load: the address is
 * the i32 loaded from local a, a pointer's field) and _LK (local.get a;
 * i32.const k; i32.add; load: the address is local a plus k, an i32 sum,
 * which clang writes for a[i + k] rather than an offset that may not wrap)
 * and _LLA (local.get a; local.get b; i32.add; load: the address is local a
 * plus local b, an i32 sum: p[i]). */

/* The fused forms of each family, one list each, in the order rt_fuse.c
 * counts from the family's first form: RT_FORM(operator, suffix) for each,
 * which enum rt_op makes RT_OP_operator_suffix, rt_exec.c a case of the
 * loop and rt_fuse.c the offset suffix from the first. RT_FUSED_OPS says
 * which operators have which families (the lists above). */
#define RT_FORMS_I32(x) RT_FORM(I32_##x, _K) RT_FORM(I32_##x, _L) RT_FORM(I32_##x, _LK) \
	RT_FORM(I32_##x, _LL)
#define RT_FORMS_BRANCH(x) RT_FORM(I32_##x, _J) RT_FORM(I32_##x, _KJ) RT_FORM(I32_##x, _LJ) \
	RT_FORM(I32_##x, _LKJ) RT_FORM(I32_##x, _LLJ) RT_FORM(I32_##x, _KU) RT_FORM(I32_##x, _LU) \
	RT_FORM(I32_##x, _LKU) RT_FORM(I32_##x, _LLU)
#define RT_FORMS_CMP(x) RT_FORMS_I32(x) RT_FORMS_BRANCH(x)
#define RT_FORMS_STEP(x) RT_FORM(I32_##x, _XKJ) RT_FORM(I32_##x, _XLKJ) RT_FORM(I32_##x, _XLLJ) \
	RT_FORM(I32_##x, _MKJ) RT_FORM(I32_##x, _LMJ)
#define RT_FORMS_RET(x) RT_FORM(I32_##x, _R) RT_FORM(I32_##x, _LKR) RT_FORM(I32_##x, _LLR)
#define RT_FORMS_I64(x) RT_FORM(I64_##x, _K)
#define RT_FORMS_L(x) RT_FORM(x, _L)
#define RT_FORMS_SET(x) RT_FORM(I32_##x, _LKS) RT_FORM(I32_##x, _LLS) RT_FORM(I32_##x, _LKT) \
	RT_FORM(I32_##x, _LLT) RT_FORM(I32_##x, _LKTJ)
#define RT_FORMS_LL(x) RT_FORM(x, _LL)
#define RT_FORMS_SG(x) RT_FORM(I32_##x, _KSG) RT_FORM(I32_##x, _LSG) RT_FORM(I32_##x, _KT) \
	RT_FORM(I32_##x, _KTJ) RT_FORM(I32_##x, _KTS) RT_FORM(I32_##x, _T) RT_FORM(I32_##x, _LT)
#define RT_FORMS_LT(x) RT_FORM(x, _LT)
#define RT_FORMS_K(x) RT_FORM(x, _K)
#define RT_FORMS_AK(x) RT_FORM(x, _AK)
#define RT_FORMS_KA(x) RT_FORM(x, _KA) RT_FORM(x, _C) RT_FORM(x, _CT) RT_FORM(x, _LKA) \
	RT_FORM(x, _LP) RT_FORM(x, _LK) RT_FORM(x, _LLA)
#define RT_FORMS_F64(x) RT_FORM(x, _K) RT_FORM(x, _KT) RT_FORM(x, _SKMT) RT_FORM(x, _LMS) \
	RT_FORM(x, _LLLS) RT_FORM(x, _LLLMS)
#define RT_FORMS_FLOAT(x) RT_FORM(x, _T) RT_FORM(x, _LT) RT_FORM(x, _M) RT_FORM(x, _LM) \
	RT_FORM(x, _ST) RT_FORM(x, _LKM) RT_FORM(x, _LLT)
#define RT_FORMS_FCMP(x) RT_FORM(x, _K) RT_FORM(x, _LK) RT_FORM(x, _J) RT_FORM(x, _KJ) \
	RT_FORM(x, _LKJ) RT_FORM(x, _U) RT_FORM(x, _KU) RT_FORM(x, _LKU)
#define RT_FUSED_OPS \
	RT_I32_CMPS(RT_FORMS_CMP) RT_I32_ARITH(RT_FORMS_I32) RT_I64_BINOPS(RT_FORMS_I64) \
	RT_LOADS_L(RT_FORMS_L) RT_FLOATS_L(RT_FORMS_L) RT_I32_ARITH(RT_FORMS_SET) \
	RT_STORES_LL(RT_FORMS_LL) RT_FLOATS_L(RT_FORMS_LL) \
	RT_FLOATS_L(RT_FORMS_FLOAT) RT_STORES_LL(RT_FORMS_L) \
	RT_I32_ARITH(RT_FORMS_SG) RT_LOADS_LT(RT_FORMS_LT) RT_STORES_LL(RT_FORMS_K) \
	RT_STORES_LL(RT_FORMS_AK) RT_F64_OPS(RT_FORMS_F64) RT_LOADS_L(RT_FORMS_KA) \
	RT_I32_TESTS(RT_FORMS_BRANCH) RT_I32_ARITH(RT_FORMS_RET) RT_I32_CMPS(RT_FORMS_STEP) \
	RT_FLOAT_CMPS(RT_FORMS_FCMP) RT_ACC_FORMS(RT_FORMS_ACC)

/* The f64 accumulator (rt_exec.c, facc; docs/interpreter.md): a cell of an
 * op of RT_ACC_PRODUCERS that goes on to the next cell leaves the f64 it
 * puts on the top in a register as well; the _ACC form of an op reads
 * that top from the register instead of the stack, where the top is still
 * written: a value that goes from one cell to the next through memory
 * waits for the store to reach the load, which for a float is most of an
 * op's time. rt_fuse() gives a cell its _ACC form where every cell that
 * can run just before it is of a producer. The _ACC forms are
 * RT_ACC_FORMS'. Off with -DWLAB_NO_FACC, and where a double may not keep
 * a slot's bits (x87). */
#if !defined(WLAB_NO_FACC) && (defined(__x86_64__) || defined(__aarch64__) || defined(__wasm__))
#define RT_FACC 1
#endif
/* The _ACC forms, a row each: X(the op it is the form of, its name, 1 when
 * it leaves its f64 result in the register too (FOUT), 1 when it reads the
 * top as an f64: local.set, local.tee and SET_GET take any type). */
#define RT_ACC_FORMS_OF(X, x)                                                            \
	X(WLAB_OP_##x, x##_ACC, 1, 1) X(RT_OP_##x##_L, x##_L_ACC, 1, 1)                  \
	X(RT_OP_##x##_T, x##_T_ACC, 1, 1) X(RT_OP_##x##_LT, x##_LT_ACC, 1, 1)            \
	X(RT_OP_##x##_LM, x##_LM_ACC, 1, 1) X(RT_OP_##x##_ST, x##_ST_ACC, 0, 1)          \
	X(RT_OP_##x##_LKM, x##_LKM_ACC, 1, 1) X(RT_OP_##x##_K, x##_K_ACC, 1, 1)          \
	X(RT_OP_##x##_KT, x##_KT_ACC, 1, 1) X(RT_OP_##x##_LMS, x##_LMS_ACC, 0, 1)        \
	X(RT_OP_##x##_LLLS, x##_LLLS_ACC, 0, 1)
#define RT_ACC_FORMS(X)                                                                  \
	RT_ACC_FORMS_OF(X, F64_ADD) RT_ACC_FORMS_OF(X, F64_SUB) RT_ACC_FORMS_OF(X, F64_MUL) \
	RT_ACC_FORMS_OF(X, F64_DIV) X(RT_OP_F64_ADD2, F64_ADD2_ACC, 1, 1)                  \
	X(WLAB_OP_F64_SQRT, F64_SQRT_ACC, 1, 1) X(WLAB_OP_F64_NEG, F64_NEG_ACC, 1, 1)      \
	X(WLAB_OP_F64_ABS, F64_ABS_ACC, 1, 1) X(RT_OP_SET_GET, SET_GET_ACC, 0, 0)          \
	X(WLAB_OP_LOCAL_SET, LOCAL_SET_ACC, 0, 0) X(WLAB_OP_LOCAL_TEE, LOCAL_TEE_ACC, 1, 0)
#define RT_FORMS_ACC(of, name, produces, reads_f64) RT_FORM(name, )
/* The other ops that leave their f64 result in the register too, each as
 * X(its enum constant), the X defined where it is used; each handler
 * writes it with FOUT (rt_exec.c). */
#define RT_ACC_PRODUCERS \
	X(WLAB_OP_F64_ADD) X(WLAB_OP_F64_SUB) X(WLAB_OP_F64_MUL) X(WLAB_OP_F64_DIV) \
	X(WLAB_OP_F64_SQRT) X(WLAB_OP_F64_LOAD) RT_F64_OPS(RT_ACC_PRODUCERS_OP) \
	X(WLAB_OP_F64_CONST) X(WLAB_OP_F64_NEG) X(WLAB_OP_F64_ABS) X(WLAB_OP_F64_CEIL) \
	X(WLAB_OP_F64_FLOOR) X(WLAB_OP_F64_TRUNC) X(WLAB_OP_F64_NEAREST) X(WLAB_OP_F64_MIN) \
	X(WLAB_OP_F64_MAX) X(WLAB_OP_F64_CONVERT_I32_S) X(WLAB_OP_F64_CONVERT_I32_U) \
	X(WLAB_OP_F64_CONVERT_I64_S) X(WLAB_OP_F64_CONVERT_I64_U) X(WLAB_OP_F64_PROMOTE_F32) \
	X(RT_OP_LOCAL_GET_F64) X(RT_OP_LOCAL_GET2_F64) \
	X(RT_OP_F64_ADD2) X(RT_OP_F64_MUL_LLL) X(RT_OP_F64_LOAD_GL) \
	X(RT_OP_F64_LOAD_L) X(RT_OP_F64_LOAD_LT) \
	X(RT_OP_F64_LOAD_KA) X(RT_OP_F64_LOAD_C) X(RT_OP_F64_LOAD_CT) X(RT_OP_F64_LOAD_LKA) \
	X(RT_OP_F64_LOAD_LP) X(RT_OP_F64_LOAD_LK) X(RT_OP_F64_LOAD_LLA)
#define RT_ACC_PRODUCERS_OP(x) \
	X(RT_OP_##x##_L) X(RT_OP_##x##_LL) X(RT_OP_##x##_T) X(RT_OP_##x##_LT) X(RT_OP_##x##_M) \
	X(RT_OP_##x##_LM) X(RT_OP_##x##_LKM) X(RT_OP_##x##_LLT) X(RT_OP_##x##_K) \
	X(RT_OP_##x##_KT) X(RT_OP_##x##_SKMT)

/* Ops of the internal form that are not wasm instructions. The branches
 * among them (rt_fuse.c, is_branch()) name their target cell in a: the
 * translator writes its index, and rt_fuse() then the distance in bytes
 * from the branch's own cell to it, an int32_t, which CELL_TARGET adds to
 * the cell (a taken branch need not load the function's first cell).
 * Those that move values hold in b the values they keep (high half) and
 * the operand stack height to cut back to (low half), which rt_fuse()
 * counts from the first local rather than from above the locals. */
enum rt_op {
	RT_OP_JUMP = WLAB_OP_COUNT, /* pc = a, forward (no interrupt check) */
	RT_OP_BR,        /* keep b>>32 values, cut to height (uint32_t)b, pc = a */
	RT_OP_BR_IF,     /* the same when the popped i32 is not zero */
	RT_OP_BR_UNLESS, /* pc = a when the popped i32 is zero (if) */
	RT_OP_TARGET,    /* a br_table entry: like RT_OP_BR */
	RT_OP_SELECT,    /* any select */
	RT_OP_V128_GLOBAL_GET,  /* v128 global a (rt_simd.c) */
	RT_OP_V128_GLOBAL_SET,
	RT_OP_V128_SELECT,      /* select of two v128 (two slots each) */
	RT_OP_JUMP_IF,   /* pc = a when the popped i32 is not zero (br_if moving no values) */
	RT_OP_MEMX,      /* a memory instruction on memory a other than a 32-bit
			    memory 0, offset b; the next cell, RT_OP_MEMX_ARG, holds
			    the instruction's op in a, its lane in b (rt_bulk.c) */
	RT_OP_MEMX_ARG,  /* never run: skipped by RT_OP_MEMX */
	RT_OP_LOCAL_GET2,  /* local.get a; local.get b */
	RT_OP_SET_GET,     /* local.set a; local.get b */
	RT_OP_I32_EQZ_JUMP_IF,
	RT_OP_BR_ON_NULL,      /* when the top is null: drop it, then like RT_OP_BR */
	RT_OP_BR_ON_NON_NULL,  /* when the top is not null: like RT_OP_BR, else drop it */
	RT_OP_COPY,        /* local.get a; local.set c */
	RT_OP_COPY_GET,    /* local.get a; local.set c; local.get d */
	RT_OP_CONST_SET,   /* a constant (i32, i64, f32, f64); local.set c */
	RT_OP_CONST_SET_GET,  /* the same; local.get d */
	RT_OP_TEE_JUMP_IF, /* local.tee a; RT_OP_JUMP_IF */
	RT_OP_COPY_TEE,    /* local.get a; local.tee c */
	RT_OP_TEE_I32_LOAD,  /* local.tee a; i32.load */
	RT_OP_I32_BITS,    /* i32.const k; i32.shr_u; i32.const m; i32.and */
	RT_OP_F64_MUL_LLL, /* local.get a; local.get b; f64.mul; local.get c; f64.mul */
	RT_OP_TEE_BR_UNLESS,  /* local.tee a; RT_OP_BR_UNLESS */
	RT_OP_COPY_JUMP_IF,   /* local.get a; local.set c; local.get d; RT_OP_JUMP_IF */
	RT_OP_BR_TABLE_L,     /* local.get a; br_table */
	RT_OP_GET_TEE_LOAD,   /* local.get a; local.tee c; i32.load */
	RT_OP_SELECT_T,       /* RT_OP_SELECT; local.tee c */
	RT_OP_TEE_BITS,       /* local.tee a; RT_OP_I32_BITS's four cells */
	RT_OP_I32_MUL_ADD_L,  /* i32.mul; local.get a; i32.add */
	RT_OP_I32_MUL_ADD_LS, /* the same; local.set c: c = x * y + a, acc += x * y */
	RT_OP_I32_MUL_ADD_K,  /* i32.const k; i32.mul; i32.add: x + y * k */
	RT_OP_I32_SHL_ADD_K,  /* i32.const k; i32.shl; i32.add: x + (y << k) */
	RT_OP_I32_LOAD_SA,    /* i32.const k; i32.shl; i32.add; i32.load: at x + (y << k) */
	RT_OP_I32_LOAD_LSKA,  /* local.get a; i32.const s; i32.shl; i32.const k; i32.add;
				 i32.load: at (local a << s) + k */
	RT_OP_BR_TABLE_LSKA,  /* RT_OP_I32_LOAD_LSKA's six cells; br_table */
	RT_OP_I32_SHL_ADD_LK, /* local.get a; i32.const k; i32.shl; i32.add: x + (local a << k) */
	RT_OP_SET_I32_STORE_LL, /* local.set a; local.get b; local.get v; i32.store */
	RT_OP_I32_LOAD_LTJ,   /* local.get a; i32.load; local.tee c; RT_OP_JUMP_IF */
	RT_OP_I32_ADD_LKS2,   /* two I32_ADD_LKS: local.get a; i32.const k; i32.add; local.set c,
				 twice */
	RT_OP_I32_BITS_T,     /* RT_OP_I32_BITS's four cells; local.tee c */
	RT_OP_I32_LOAD8_U_LTU, /* local.get a; i32.load8_u; local.tee c; RT_OP_BR_UNLESS */
	RT_OP_F64_LOAD_GL,    /* local.get a; local.get b; f64.load (from local b) */
	RT_OP_I32_LOAD_GL,    /* local.get a; local.get b; i32.load (from local b) */
	RT_OP_CAST_TEST,      /* br_on_cast*: pushes whether the top is of heap a
				 (rt_gc.c), b & 1 nullable, b & 2 negated; an
				 RT_OP_BR_IF follows */
	RT_OP_CALL_INDIRECT_L, /* local.get a; call_indirect: the index is local a */
	RT_OP_I32_EQZ_BR_UNLESS, /* i32.eqz; RT_OP_BR_UNLESS: pc = a when the popped i32 is not zero */
	RT_OP_RETURN0,         /* return from a function of no result slots */
	RT_OP_RETURN1,         /* return from a function of one result slot */
	RT_OP_CALL_IN,         /* call of a function of the caller's own instance (b: it),
				  which need not switch instances on the way in */
	RT_OP_I32_LOAD_ADD_STORE, /* local.get a; local.get b; i32.load; i32.const k; i32.add;
				     i32.store: the i32 at local b plus k, stored at local a */
	RT_OP_SET_JUMP,        /* local.set a; RT_OP_JUMP or RT_OP_JUMP_BACK */
	RT_OP_JUMP_BACK,       /* pc = a, a loop's start: RT_OP_JUMP with the interrupt
				  check every loop needs (rt_fuse() makes it) */
	RT_OP_F64_ADD2,        /* f64.add; f64.add: x + (y + z) of the top three */
	RT_OP_I32_XEQ_LMJ,     /* local.get a; i32.const m; i32.and; i32.xor; i32.eqz;
				  RT_OP_JUMP_IF: taken when x == (local a & m), x popped */
	RT_OP_GET_TEE_LOAD_S,  /* RT_OP_GET_TEE_LOAD; local.set d: the i32 loaded goes
				  to local d, not through the operand stack */
	RT_OP_I32_SHL_LK_ADD_L, /* local.get a; i32.const s; i32.shl; local.get b; i32.add:
				   (local a << s) + local b pushed */
	RT_OP_I32_ADD_LK_SHL_ADD_LK, /* local.get a; i32.const k; i32.add; local.get b;
					i32.const s; i32.shl; i32.add: (local a + k) +
					(local b << s) pushed */
	RT_OP_I32_ADD_LKS2_JUMP, /* RT_OP_I32_ADD_LKS2's eight cells; RT_OP_JUMP or
				    RT_OP_JUMP_BACK: pc += 2; sp += 1; continue */
	RT_OP_I32_ADD_LKS_BR_TABLE_LSKA, /* local.get a; i32.const k; i32.add; local.set c
					    (I32_ADD_LKS); RT_OP_BR_TABLE_LSKA's seven
					    cells: switch (code[pc++]) */
	RT_OP_I32_BITS_L,      /* local.get a; RT_OP_I32_BITS's four cells: (local a >> k) & m
				  pushed */
	RT_OP_I32_LOAD_POP,    /* local.get a; i32.const k; i32.add; local.get b; i32.const j;
				  i32.sub; local.tee c; i32.const s; i32.shl; i32.add;
				  i32.load: the i32 at (local a + k) + ((local c = local b
				  - j) << s), *--sp of a C stack array */
	RT_OP_I32_LOAD_LSKA_SA, /* RT_OP_I32_LOAD_LSKA's six cells; i32.const s; i32.shl;
				   i32.add; i32.load: the i32 at x + (that i32 << s), x
				   popped: regs[code[pc]] */
	RT_OP_LOCAL_GET_F64,    /* local.get a of an f64, into the f64 accumulator too
				   (RT_FACC): rt_fuse() knows the type from the _ACC form
				   it gives the cell after */
	RT_OP_LOCAL_GET2_F64,   /* RT_OP_LOCAL_GET2, the second (the top) an f64, the same */
	/* the fused families (RT_FUSED_OPS, above the enum) */
#define RT_FORM(n, f) RT_OP_##n##f,
	RT_FUSED_OPS
#undef RT_FORM
	RT_OP_COUNT
};

/* One instruction of the internal form. a and b hold decoded immediates:
 * local index, function index, memarg offset, a constant, a branch target
 * (a = where, b = values kept << 32 | stack height to cut back to: see
 * enum rt_op). */
struct rt_cell {
	uint16_t op;      /* enum wlab_op or enum rt_op */
	uint16_t h;       /* where op's handler is, for the store's run (the
			     direct-threaded builds: rt_exec.c, set_handlers()) */
	uint32_t a;
	uint64_t b;
};
/* In the high half of the b of a branch that moves values (the values it
 * keeps): set by rt_fuse() when the branch goes back (a loop's start), for
 * the interrupt check that forward branches skip (rt_exec.c, TAKE_BRANCH). */
#define RT_BRANCH_BACK ((uint32_t)1 << 31)
/* The target of branch cell c, once rt_fuse() has made its a relative. */
#define CELL_TARGET(c) ((const struct rt_cell *)((const char *)(c) + (int32_t)(c)->a))
/* The most cells a function translates to: their distances fit an int32_t. */
#define RT_MAX_CELLS ((uint32_t)(INT32_MAX / sizeof(struct rt_cell)))

_Static_assert(sizeof(struct rt_cell) == 16, "a cell is 16 bytes");

/* A function's stack map (rt_compile.c; docs/interpreter.md, "The
 * collector"): which slots of its frame hold references at each safepoint
 * (a call, or an allocating GC instruction), for the collector's walk of
 * the value stack. Bits in pool: the locals' (params included, from fp)
 * at 0, then per site its operands' (from fp + nlocals, one per slot). */
struct rt_smap_site {
	uint32_t cell;    /* the cell after the safepoint's: the resume cell */
	uint32_t height;  /* operand slots live there: before it pops */
	uint32_t bit;     /* the operands' first bit in pool; UINT32_MAX: none is a reference */
};
struct rt_smap {
	uint32_t nsites, nlocal_slots;  /* the locals' bits: nlocal_slots */
	struct rt_smap_site *sites;     /* sorted by cell */
	uint64_t *pool;
};

struct rt_func {
	uint32_t nparams, nresults;
	wlab_valtype_t *params, *results;
	uint32_t param_slots, result_slots;  /* 64-bit stack slots: a v128 takes two */
	struct wlab_instance *inst;  /* NULL for host functions */
	/* defined functions */
	struct rt_cell *code;  /* NULL until the first call translates it */
	uint32_t ncode;
	uint32_t nlocals;     /* slots of the locals, params included */
	uint32_t new_slots;   /* nlocals - param_slots: the locals a call zeroes */
	uint32_t max_height;  /* deepest operand stack above the locals, in slots */
	uint64_t enter_room;  /* the free bytes a call needs above f's args: for
				 its other locals, max_height and two slots more
				 (zero_slots() writes two; a v128 result's second) */
	uint32_t *offsets;    /* per cell: the file offset of its instruction;
				 NULL until rt_offsets() is asked */
	uint64_t *hits;       /* per cell: times run, when the store covers (rt_profile.c) */
	uint8_t *span;        /* per cell, when the store covers: the cells a fused
				 op stands for (rt_fuse.c), else 0 */
	struct rt_handler *handlers;  /* exception handlers, innermost first */
	uint32_t nhandlers;
	uint32_t index;       /* in inst's function space */
	struct rt_smap *smap; /* NULL: no reference slot at any safepoint (or none) */
	/* host functions */
	wlab_host_fn host;
	void *host_ctx;
	uint32_t type_id;     /* equal for equal function types in the store */
};

/* A tag: exceptions carry one (exception handling). */
struct rt_tag {
	wlab_valtype_t *params;
	uint32_t nparams, param_slots;
	uint32_t type_id;     /* equal for equal function types in the store */
};

/* An exception: its tag and payload. An exnref is its address. Store
 * lifetime, capped (see docs/interpreter.md). */
struct rt_exn {
	struct rt_exn *next;
	struct rt_tag *tag;
	uint32_t nslots;
	uint64_t vals[];
};

/* A try_table clause or legacy catch/delegate of a function: active while
 * a cell in [start, end) runs (or calls out). Sorted innermost first. */
enum rt_handler_kind {
	RT_H_CATCH = WLAB_CATCH, RT_H_CATCH_REF = WLAB_CATCH_REF, RT_H_CATCH_ALL = WLAB_CATCH_ALL,
	RT_H_CATCH_ALL_REF = WLAB_CATCH_ALL_REF,
	RT_H_LEGACY_CATCH, RT_H_LEGACY_CATCH_ALL, RT_H_DELEGATE
};
struct rt_handler {
	uint32_t start, end;
	uint8_t kind;         /* enum rt_handler_kind */
	uint32_t tag;         /* the instance's tag index (catch kinds with a tag) */
	uint32_t target;      /* the cell to go on at */
	uint32_t height;      /* operand slots below the values pushed */
	uint32_t exn_slot;    /* legacy catch: the hidden local that keeps the exception */
	uint32_t depth;       /* the try's control depth in the function */
	uint32_t delegate;    /* delegate: the control depth of its label */
	uint32_t order;       /* creation order, for a stable sort */
};

struct rt_table {
	wlab_valtype_t elemtype;
	bool is64;            /* table64: i64 indices */
	uint32_t size, max;   /* max: the limit growth obeys, capped by the store */
	bool has_max;
	uint64_t decl_max;    /* the declared maximum (when has_max), for import matching */
	uint64_t *elems;
	struct wlab_store *store;  /* whose budget growth takes from */
};

struct rt_memory {
	uint8_t *data;
	uint64_t size;        /* bytes */
	uint64_t reserved;    /* bytes of address space reserved at data (rt_vmem.c); 0: malloc'd */
	uint64_t max_pages;   /* the limit growth obeys, capped by the store */
	bool has_max;
	bool is64;            /* memory64: i64 addresses */
	uint64_t decl_max;    /* the declared maximum in pages (when has_max) */
	bool shared;          /* threads: imports match only memories alike */
	struct wlab_store *store;  /* whose budget growth takes from */
	struct rt_waitq *waitq;    /* shared: its waiters (rt_wait.c); NULL without threads */
};

struct rt_global {
	wlab_valtype_t type;
	bool mut;
	uint64_t value;
	uint64_t hi;          /* v128: the high 64 bits (value holds the low) */
};

struct wlab_instance {
	const struct wlab_module *m;
	struct wlab_store *store;
	struct rt_func **funcs;
	struct rt_table **tables;
	struct rt_memory **mems;
	struct rt_global **globals;
	struct rt_tag **tags;
	uint32_t nfuncs, ntables, nmems, nglobals, ntags;
	uint64_t **elems;     /* element segments' references */
	uint32_t *elem_len;   /* 0 once dropped */
	uint32_t *data_len;   /* bytes; 0 once dropped */
	uint32_t *type_ids;   /* per module type: its store type id (rt_types.c) */
	struct rt_lazy *lazy; /* for translating functions on first call (rt_compile.c) */
	struct wlab_instance *next;  /* the store's list */
};

struct rt_object {
	struct rt_object *next;
	uint8_t kind;    /* enum wlab_extern_kind */
	void *ptr;
};

/* A GC object (rt_gc.c): a struct (len: its fields) or an array (len:
 * its elements), of store type id type; the payload 8-aligned. */
struct rt_gcobj {
	uint32_t type;
	uint32_t len;
	uint8_t data[];
};
/* A chunk of the GC heap (rt_gcheap.c): starts and marks have a bit per
 * 8 bytes of it (an object starts there; reached by this collection). */
struct rt_gc_chunk {
	uint8_t *base;
	uint64_t size;
	uint64_t *starts, *marks;  /* one allocation, starts first */
};
struct rt_gc_run {
	uint8_t *p;
	uint64_t n;
};
struct rt_frame {
	struct rt_func *fn;
	const struct rt_cell *pc;  /* where to resume in the caller; RT_FRAME_CHECK
				      set: see below (read it with rt_frame_pc()) */
	uint64_t *fp;
};
/* Set in a frame's pc (cells are 16-byte aligned) when a return to it must
 * do more than restore it (rt_exec.c, return_slow): a run's sentinel (fn
 * NULL), and a caller in another instance than its callee's (or its tail
 * callee's), whose instance and memory the return loads. A return to a
 * caller of its own instance, most of them, tests this bit only. */
#define RT_FRAME_CHECK ((uintptr_t)1)
static inline const struct rt_cell *rt_frame_pc(const struct rt_frame *fr)
{
	return (const struct rt_cell *)((uintptr_t)fr->pc & ~RT_FRAME_CHECK);
}

/* A guest activation a collection may run under that s->frames does not
 * hold: the function running an allocating GC instruction, or one calling
 * a host function (fr.fn NULL: a host function wlab_call called directly);
 * fr.pc is the cell after the instruction's, as in struct rt_frame. host,
 * args: the host function called and its arguments. Linked on the C
 * stack, innermost first (s->gc.acts). */
struct rt_gc_act {
	struct rt_frame fr;
	const struct rt_func *host;
	const uint64_t *args;
	const struct rt_gc_act *prev;
};
/* The GC heap: chunks, [lo, hi) spanning them; free runs carved from the
 * cursor run on. bytes: of objects (live at the last collection and
 * allocated since); chunk_bytes (bitmaps included) at most max
 * (opts.max_heap). acts: the activations s->frames does not hold (the
 * roots on the value stack are theirs and the frames'); nogc: collections
 * held off (constant expressions); held: references the host holds
 * (wlab_ref_hold); pin: npin words the host API is storing into a new
 * object (rt_gcapi.c). */
struct rt_gc {
	struct rt_gc_chunk *chunks;
	uint32_t n, cap;
	uintptr_t lo, hi;
	uint64_t bytes, max, chunk_bytes, trigger;
	struct rt_gc_run *runs;
	uint32_t nruns, runs_cap, run;
	const struct rt_gc_act *acts;
	uint64_t *mstack;
	uint32_t msp, mcap;
	bool overflow, stress;
	uint32_t nogc;
	uint64_t *held;
	uint32_t nheld, held_cap;
	const uint64_t *pin;
	uint64_t npin;
	uint64_t collections;
};
/* An i31ref: the tag in the high 16 bits (a non-canonical address on
 * 64-bit hosts, above every address on 32-bit ones), the value below. */
#define RT_I31_TAG ((uint64_t)0xfffe << 48)
static inline bool rt_is_i31(uint64_t w)
{
	return (w >> 48) == 0xfffe;
}
/* A cast's heap type in a cell: an abstract heap code, or this bit and a
 * store type id. */
#define RT_GC_CONCRETE 0x80000000u

struct rt_name {
	char *module, *field;
	struct wlab_extern ext;
};

struct wlab_store {
	struct wlab_store_options opts;
	struct rt_object *objects;
	struct wlab_instance *instances;
	struct rt_name *names;
	uint32_t nnames, names_cap;
	/* defined types, canonical rec groups (rt_types.c): references as
	   store ids; type_info: depth and jump pointer of each */
	struct wlab_functype *types;
	uint32_t ntypes, types_cap;
	uint32_t *type_info;
	uint32_t *ghash;       /* first ids of the groups, by structure */
	uint32_t ghash_cap, ngroups;
	uint64_t *stack;       /* opts.stack_slots values */
	uint64_t *stack_end;   /* stack + opts.stack_slots */
	struct rt_frame *frames;  /* opts.max_call_depth + 1 */
	size_t stack_mapped, frames_mapped;  /* rt_vmem_array_new's; 0: malloc'd */
	struct rt_frame *top;  /* frames + the frames in use by calls in progress (their
				  count: rt_depth(); a pointer, so that a call or return
				  does no index arithmetic) */
	struct rt_frame *frames_end;  /* frames + opts.max_call_depth: a call's limit */
	uint64_t *sp_base;     /* first free slot for a nested wlab_call */
	uint64_t fuel;         /* left, when fuel_on */
	bool fuel_on;
	struct rt_prof *prof;  /* the profile, when on (implies fuel_on; rt_profile.h) */
	const void **alt_disp; /* rt_exec.c's fuel or profile dispatch table (built with
				  -DWLAB_NO_DIRECT): made on first use */
	const void *alt_to;    /* the label every entry of alt_disp holds */
	uint16_t *cell_h;      /* rt_exec.c's direct-threaded builds: each op's cells' h */
	uintptr_t h_base;      /* what h is an offset from */
	const void *h_to;      /* the label every op goes to first (fuel...), or NULL */
	void *mt_regs;         /* rt_exec.c's tail-called build: its registers, its table */
	struct rt_exn *exns;   /* every exception made, newest first */
	uint64_t nexns;
	struct rt_exn *exn;    /* the exception a call ended with (WLAB_TRAP_EXCEPTION) */
	struct wlab_frame_info *bt;  /* the last trap's frames, innermost first */
	uint32_t nbt, bt_cap;
	struct wlab_trap_detail detail;  /* the last trap's operands (cold paths only) */
	uint64_t budget;       /* bytes the host may allocate for the guest: opts.max_memory,
				  or 4 GiB, the stacks and RT_BUDGET_SLACK (rt_store.c) */
	_Atomic uint64_t guest_bytes;  /* taken from the budget so far (rt_budget_take):
				  stacks, memories, tables, exceptions (rt_budget_take) */
	uint64_t table_elems;  /* elements of all its tables: at most opts.max_table */
	struct rt_gc gc;       /* GC objects (rt_gc.c) */
	atomic_uint attn;      /* RT_ATTN_* bits: what a call or a taken branch must
				  look at (one load; rt_exec.c) */
};

/* Fuel for host work beyond one cell (docs/interpreter.md, "Fuel"): one
 * unit per 64 bytes the host writes, copies or scans for the guest (a table
 * element, a stack slot or a handler counts 8 bytes), so that N units of
 * fuel pay for O(N) host work whatever the operands. */
#define RT_FUEL_BYTES(n) ((uint64_t)(n) >> 6)
#define RT_FUEL_WORDS(n) ((uint64_t)(n) >> 3)
/* n pages a memory.grow adds: 64 KiB each, charged as the bytes the portable
 * path zeroes (1,024 units a page), whichever path commits them. */
#define RT_FUEL_PAGES(n) ((uint64_t)(n) * (RT_PAGE >> 6))

/* The frames in use by calls in progress. */
static inline uint32_t rt_depth(const struct wlab_store *s)
{
	return (uint32_t)(s->top - s->frames);
}

/* Takes units more fuel when the store counts it; false, leaving none,
 * when fewer are left (the caller traps with WLAB_TRAP_FUEL before doing
 * the work). */
static inline bool rt_fuel_take_at(struct wlab_store *s, uint32_t depth, uint64_t units)
{
	if (!s->fuel_on || units == 0)
		return true;
	if (units > s->fuel) {
		s->fuel = 0;
		return false;
	}
	s->fuel -= units;
	if (s->prof && !s->prof->sampled)  /* counted to the function running at depth */
		s->prof->nodes[s->prof->at[depth]].self += units;
	return true;
}

static inline bool rt_fuel_take(struct wlab_store *s, uint64_t units)
{
	return rt_fuel_take_at(s, rt_depth(s), units);
}

#define RT_ATTN_INTERRUPT 1u  /* wlab_store_interrupt() asked the guest to stop */
#define RT_ATTN_FUEL 2u       /* fuel_on: calls charge for the locals they zero */

/* Records a trapping access of n bytes at addr + off in memory memidx (of
 * the running instance), of bound bytes (rt_store.c); trap paths only. */
void rt_trap_access(struct wlab_store *s, uint16_t op, uint64_t addr, uint64_t off,
		    uint32_t n, uint64_t bound, uint32_t memidx);

/* rt_vmem.c: a memory's bytes: size bytes of zeros in a reservation for
 * max (when the platform has one), a grow to size bytes (new ones zero),
 * and freeing. rt_vmem_no_reserve makes new memories take the calloc and
 * realloc path (tests). */
enum wlab_status rt_vmem_init(struct rt_memory *m, uint64_t size, uint64_t max);
enum wlab_status rt_vmem_grow(struct rt_memory *m, uint64_t size);
void rt_vmem_free(struct rt_memory *m);
extern bool rt_vmem_no_reserve;
/* An array of n bytes, not zeroed (the store's value stack and frames):
 * where memories are reserved, reserved the same way and committed between
 * two uncommitted guard regions, its end against the second, so that an
 * access past either end faults instead of reaching a neighbour, and a
 * sanitizer build does not poison the shadow of tens of megabytes per
 * store as it does for malloc; else malloc. *mapped (0: malloc'd) is for
 * rt_vmem_array_free, with the same n. */
void *rt_vmem_array_new(size_t n, size_t *mapped);
void rt_vmem_array_free(void *a, size_t n, size_t mapped);

/* rt_store.c */
void *rt_alloc(struct wlab_store *s, uint8_t kind, size_t size);
/* One budget, opts.max_memory, for every byte the host allocates for the
 * guest: the stacks, every memory and table (a table element is 8 bytes;
 * the elements of all tables also against opts.max_table) and every
 * exception with its payload (docs/interpreter.md). Takes bytes; false,
 * taking nothing, when they do not fit. */
bool rt_budget_take(struct wlab_store *s, uint64_t bytes);
/* Gives back bytes taken; the bytes the budget has left. */
void rt_budget_give(struct wlab_store *s, uint64_t bytes);
uint64_t rt_budget_left(const struct wlab_store *s);
/* The pages one memory may reach under s's budget (65,536 at most for a
 * 32-bit memory). */
uint64_t rt_memory_cap(const struct wlab_store *s, bool is64);
/* Store-level types (rt_types.c): the ids of inst's module types (rec
 * groups canonical across modules); a value type with its concrete heap
 * type as a store id; subtyping of two such value types and of two store
 * ids (declared supertypes followed); the id of a function type with no
 * group (host functions, tags); freeing them with the store. */
enum wlab_status rt_types_init(struct wlab_instance *inst);
wlab_valtype_t rt_store_type(const struct wlab_instance *inst, wlab_valtype_t t);
bool rt_val_sub(const struct wlab_store *s, wlab_valtype_t a, wlab_valtype_t b);
bool rt_type_sub(const struct wlab_store *s, uint32_t a, uint32_t b);
uint32_t rt_type_id(struct wlab_store *s, const wlab_valtype_t *params, uint32_t np,
		    const wlab_valtype_t *results, uint32_t nr);
void rt_types_free(struct wlab_store *s);
enum wlab_status rt_memory_grow(struct rt_memory *mem, uint64_t delta, uint64_t *old);
/* Whether rt_memory_grow and rt_table_grow would grow by delta (within the
 * limits and the budget): the guest pays fuel for a grow only then. */
bool rt_memory_grow_fits(const struct rt_memory *mem, uint64_t delta);
bool rt_table_grow_fits(const struct rt_table *t, uint64_t delta);
enum wlab_status rt_table_grow(struct rt_table *t, uint64_t delta, uint64_t init,
			       uint32_t *old);
/* A guest's memory.grow and table.grow pay before the work: by the pages
 * (RT_FUEL_PAGES) or elements (RT_FUEL_WORDS) a grow that will happen adds; a
 * refused one costs nothing more. False when the fuel is short (the caller
 * traps with WLAB_TRAP_FUEL, nothing grown). */
static inline bool rt_memory_grow_paid(struct wlab_store *s, const struct rt_memory *mem,
				       uint64_t delta)
{
	return !s->fuel_on || !rt_memory_grow_fits(mem, delta) || rt_fuel_take(s, RT_FUEL_PAGES(delta));
}

static inline bool rt_table_grow_paid(struct wlab_store *s, const struct rt_table *t,
				      uint64_t delta)
{
	return !s->fuel_on || !rt_table_grow_fits(t, delta) || rt_fuel_take(s, RT_FUEL_WORDS(delta));
}

/* rt_gc.c: GC objects and instructions (docs/interpreter.md). rt_gc runs
 * the GC instructions, ref.eq and RT_OP_CAST_TEST of fn (its frame at fp);
 * pops and pushes at *sp. */
static inline bool rt_is_gc(uint16_t op)
{
	return (op >= WLAB_OP_STRUCT_NEW && op <= WLAB_OP_I31_GET_U) || op == WLAB_OP_REF_EQ ||
	       op == RT_OP_CAST_TEST;
}
/* The GC instructions that allocate (and so may collect): safepoints. */
static inline bool rt_gc_allocates(uint16_t op)
{
	return op == WLAB_OP_STRUCT_NEW || op == WLAB_OP_STRUCT_NEW_DEFAULT ||
	       (op >= WLAB_OP_ARRAY_NEW && op <= WLAB_OP_ARRAY_NEW_ELEM);
}
enum wlab_trap rt_gc(struct rt_func *fn, const struct rt_cell *ip, uint64_t *fp, uint64_t **sp);
uint32_t rt_gc_size(wlab_valtype_t storage);
/* Bytes a struct field of storage type t occupies in its object: 8, 16 for
 * a v128, whatever the storage type (packed ones included). */
static inline uint32_t rt_gc_field_bytes(wlab_valtype_t t)
{
	return t == WLAB_V128 ? 16 : 8;
}
uint32_t rt_gc_field_offset(const struct wlab_functype *t, uint32_t i);
/* Stores the value at v (one word, two for a v128) as storage type t at p
 * (packed types truncated). */
void rt_gc_put(uint8_t *p, wlab_valtype_t t, const uint64_t *v);
struct rt_gcobj *rt_gc_struct_new(struct wlab_store *s, uint32_t id, const uint64_t *vals);
/* rt_gcheap.c: a zeroed object of payload bytes (NULL past the cap or the
 * budget, after a collection); a collection (the value stack's roots: the
 * frames of s->frames and s->gc.acts, by their stack maps). */
struct rt_gcobj *rt_gc_alloc(struct wlab_store *s, uint32_t type, uint32_t len, uint64_t payload);
void rt_gc_collect(struct wlab_store *s);
struct rt_gcobj *rt_gc_array_new(struct wlab_store *s, uint32_t id, uint64_t n,
				 const uint64_t *val);
bool rt_gc_is_obj(const struct wlab_store *s, uint64_t w);
bool rt_ref_test(const struct wlab_store *s, uint64_t w, uint32_t heap, bool nullable);
/* A cast's target of reference type t of inst's module, as a cell's a. */
uint32_t rt_gc_heap_imm(const struct wlab_instance *inst, wlab_valtype_t t);
/* A GC instruction of a constant expression on stack (n values). */
enum wlab_status rt_gc_const(const struct wlab_instance *inst, const struct wlab_instr *in,
			     uint64_t *stack, uint32_t *n);
void rt_gc_free(struct wlab_store *s);

/* rt_compile.c: translates defined function f (of a validated module) into
 * the internal form and fuses it (rt_fuse); rt_run calls it on f's first
 * call. rt_lazy_free drops what translation keeps (the instance's
 * validator state). */
enum wlab_status rt_translate(struct rt_func *f);
/* f's cells' file offsets (f->ncode of them), found on the first asking by
 * translating f again (a trap's backtrace, a profile: no run keeps them);
 * NULL when out of memory or f is not translated. */
const uint32_t *rt_offsets(struct rt_func *f);
void rt_lazy_free(struct wlab_instance *inst);

/* rt_fuse.c: rewrites common sequences of f's cells into fused ops, after
 * the translated form's last changes (relative branch targets...). */
void rt_fuse(struct rt_func *f);
/* rt_exec.c: each of f's cells told where its handler is, for the store's
 * run (the direct-threaded builds, computed goto and tail calls; nothing in
 * the switch build). */
void rt_cells_fill(struct rt_func *f);

/* rt_bulk.c: table instructions and bulk memory; pops and pushes at *sp. */
enum wlab_trap rt_bulk(struct wlab_instance *inst, const struct rt_cell *ip, uint64_t **sp);
/* rt_bulk.c: RT_OP_MEMX at ip (the caller skips ip[1], its RT_OP_MEMX_ARG). */
enum wlab_trap rt_memx(struct wlab_instance *inst, const struct rt_cell *ip, uint64_t **sp);

/* The 64-bit slots a value of type t takes: a v128 two, the others one. */
static inline uint32_t rt_value_slots(wlab_valtype_t t)
{
	return t == WLAB_V128 ? 2 : 1;
}
/* The slots n values of types take. */
static inline uint32_t rt_slots(const wlab_valtype_t *types, uint32_t n)
{
	uint32_t k = 0;
	for (uint32_t i = 0; i < n; i++)
		k += rt_value_slots(types[i]);
	return k;
}

/* rt_atomic.c: the 0xfe instructions (ops MEMORY_ATOMIC_NOTIFY to
 * I64_ATOMIC_RMW32_CMPXCHG_U, a memory index, b the offset); pops and
 * pushes at *sp. */
static inline bool rt_is_atomic(uint16_t op)
{
	return op >= WLAB_OP_MEMORY_ATOMIC_NOTIFY && op <= WLAB_OP_I64_ATOMIC_RMW32_CMPXCHG_U;
}
enum wlab_trap rt_atomic(struct wlab_instance *inst, const struct rt_cell *ip, uint64_t **sp);

/* rt_wait.c: the waiters of a shared memory, for stores of
 * wlab_store_options.threads. RT_THREADS when C11 threads exist (not on
 * wasm32-wasi): without, rt_waitq_new gives NULL. */
#if !defined(__STDC_NO_THREADS__) && !defined(__wasi__)
#define RT_THREADS 1
#endif
struct rt_waitq;
struct rt_waitq *rt_waitq_new(void);
void rt_waitq_free(struct rt_waitq *q);
/* The queue's lock, which memory.grow of its memory holds too (rt_store.c),
 * so that grows from two threads do not interleave. */
void rt_waitq_lock(struct rt_waitq *q);
void rt_waitq_unlock(struct rt_waitq *q);
/* memory.atomic.wait on the n bytes at p (in q's memory, checked): *result
 * 0 (woken by a notify), 1 (the value is not expected) or 2 (timeout ns
 * passed; < 0: never); WLAB_TRAP_INTERRUPTED when s was interrupted. */
enum wlab_trap rt_wait(struct wlab_store *s, struct rt_waitq *q, const uint8_t *p, uint32_t n,
		       uint64_t expected, int64_t timeout, uint64_t *result);
/* Wakes at most count waiters on p, oldest first; how many it woke. */
uint32_t rt_notify(struct rt_waitq *q, const uint8_t *p, uint32_t count);

/* rt_simd.c: v128 instructions and the v128 internal ops; pops and pushes
 * at *sp (a v128 is two slots, low half first). */
enum wlab_trap rt_simd(struct wlab_instance *inst, const struct rt_cell *ip, uint64_t **sp);
/* rt_simd.c: the v128 memory instruction op (lane: its lane immediate) at
 * offset on mem, any memory (memidx, for a trap's detail). */
enum wlab_trap rt_simd_mem(struct wlab_store *s, const struct rt_memory *mem, uint32_t memidx,
			   uint16_t op, uint32_t lane, uint64_t offset, uint64_t **sp);

/* Appends a frame to the store's backtrace (dropped when out of memory). */
void rt_bt_push(struct wlab_store *s, struct rt_func *f, const struct rt_cell *ip);

/* rt_exn.c: exceptions. A new exception of tag with the payload at vals;
 * NULL when the store's cap is reached. */
struct rt_exn *rt_exn_new(struct wlab_store *s, struct rt_tag *tag, const uint64_t *vals);
/* The first handler of f that catches exn thrown at
 * cell at, or NULL; delegates are followed within f. */
const struct rt_handler *rt_exn_find(const struct rt_func *f, uint32_t at,
				     const struct rt_exn *exn);
/* Catches exn with h in the frame at fp (operands from base): pushes what
 * h's clause takes; returns the new stack top. */
uint64_t *rt_exn_catch(const struct rt_handler *h, struct rt_exn *exn, uint64_t *fp,
		       uint64_t *base);
/* Frees the store's exceptions. */
void rt_exn_free_all(struct wlab_store *s);

/* rt_exec.c */
enum wlab_trap rt_run(struct wlab_store *s, struct rt_func *f, uint64_t *sp);
/* Evaluates a constant expression of inst's module: its value's slots
 * into out (1, or 2 for a v128: low, high). */
enum wlab_status rt_const_expr(const struct wlab_instance *inst, const struct wlab_expr *e,
			       uint64_t *out, uint32_t slots);

#endif
