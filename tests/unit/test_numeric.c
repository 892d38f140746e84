/* test_numeric.c: numeric semantics of the interpreter, through the public
 * API: each row is one operator on given operands, run in every shape the
 * translator treats differently (operands from locals or a constant, fused
 * or plain, a comparison as a value or as the condition of a br_if), all of
 * which must give the row's result or trap. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "util.h"
#include "wlab/runtime.h"

#define I32 0x7f
#define I64 0x7e
#define F32 0x7d
#define F64 0x7c

#define NAN_ANY 1  /* flags: the result is any NaN */
#define IS_CMP 2   /* an i32 comparison: also run as a br_if condition */

struct ncase {
	const char *name;
	uint8_t op[2];      /* the opcode; op[0] 0xfc: a prefixed one */
	uint8_t in, out;    /* operand and result types */
	uint8_t arity;      /* 1 or 2 */
	uint64_t a, b;      /* operands (raw bits) */
	uint64_t want;
	enum wlab_trap trap;
	int flags;
};

#define UN(name, op, in, out, a, want) {name, {op}, in, out, 1, a, 0, want, 0, 0}
#define BIN(name, op, t, a, b, want) {name, {op}, t, t, 2, a, b, want, 0, 0}
#define CMP(name, op, a, b, want) {name, {op}, I32, I32, 2, a, b, want, 0, IS_CMP}
#define TRAP1(name, op, in, out, a, trap) {name, {op}, in, out, 1, a, 0, 0, trap, 0}
#define TRAP2(name, op, t, a, b, trap) {name, {op}, t, t, 2, a, b, 0, trap, 0}
#define SAT(name, code, in, out, a, want) {name, {0xfc, code}, in, out, 1, a, 0, want, 0, 0}
#define FNAN(name, op, t, a, b) {name, {op}, t, t, 2, a, b, 0, 0, NAN_ANY}

#define F32_NAN 0x7fc00000u
#define F32_INF 0x7f800000u
#define F32_NEG_INF 0xff800000u
#define F32_NEG_ZERO 0x80000000u
#define F64_NAN 0x7ff8000000000000ull
#define F64_INF 0x7ff0000000000000ull
#define F64_NEG_INF 0xfff0000000000000ull
#define F64_NEG_ZERO 0x8000000000000000ull
#define I32_MIN 0x80000000u
#define I64_MIN 0x8000000000000000ull

static const struct ncase cases[] = {
	/* min and max: NaN from either side, -0 below +0 */
	FNAN("f32.min NaN left", 0x96, F32, F32_NAN, 0x3f800000u),
	FNAN("f32.min NaN right", 0x96, F32, 0x3f800000u, F32_NAN),
	FNAN("f32.max NaN right", 0x97, F32, F32_NEG_INF, F32_NAN),
	FNAN("f64.min NaN left", 0xa4, F64, F64_NAN, F64_INF),
	FNAN("f64.max NaN right", 0xa5, F64, F64_INF, F64_NAN),
	BIN("f32.min -0 +0", 0x96, F32, F32_NEG_ZERO, 0, F32_NEG_ZERO),
	BIN("f32.min +0 -0", 0x96, F32, 0, F32_NEG_ZERO, F32_NEG_ZERO),
	BIN("f32.max -0 +0", 0x97, F32, F32_NEG_ZERO, 0, 0),
	BIN("f32.max +0 -0", 0x97, F32, 0, F32_NEG_ZERO, 0),
	BIN("f64.min +0 -0", 0xa4, F64, 0, F64_NEG_ZERO, F64_NEG_ZERO),
	BIN("f64.max -0 +0", 0xa5, F64, F64_NEG_ZERO, 0, 0),
	BIN("f64.min -inf 1", 0xa4, F64, F64_NEG_INF, 0x3ff0000000000000ull, F64_NEG_INF),
	/* nearest: ties to even, the sign of zero kept */
	UN("f32.nearest 2.5", 0x90, F32, F32, 0x40200000u, 0x40000000u),
	UN("f32.nearest 3.5", 0x90, F32, F32, 0x40600000u, 0x40800000u),
	UN("f32.nearest -0.5", 0x90, F32, F32, 0xbf000000u, F32_NEG_ZERO),
	UN("f32.nearest 0.5", 0x90, F32, F32, 0x3f000000u, 0),
	UN("f64.nearest -2.5", 0x9e, F64, F64, 0xc004000000000000ull, 0xc000000000000000ull),
	UN("f64.nearest -0.5", 0x9e, F64, F64, 0xbfe0000000000000ull, F64_NEG_ZERO),
	UN("f64.nearest 4503599627370497", 0x9e, F64, F64, 0x4330000000000001ull,
	   0x4330000000000001ull),
	/* ceil, floor, trunc: signed zeros */
	UN("f32.ceil -0.5", 0x8d, F32, F32, 0xbf000000u, F32_NEG_ZERO),
	UN("f32.floor -0", 0x8e, F32, F32, F32_NEG_ZERO, F32_NEG_ZERO),
	UN("f32.floor 0.5", 0x8e, F32, F32, 0x3f000000u, 0),
	UN("f32.trunc -0.7", 0x8f, F32, F32, 0xbf333333u, F32_NEG_ZERO),
	UN("f64.ceil -0.5", 0x9b, F64, F64, 0xbfe0000000000000ull, F64_NEG_ZERO),
	UN("f64.floor -0.5", 0x9c, F64, F64, 0xbfe0000000000000ull, 0xbff0000000000000ull),
	UN("f64.trunc -0.7", 0x9d, F64, F64, 0xbfe6666666666666ull, F64_NEG_ZERO),
	UN("f64.ceil -0", 0x9b, F64, F64, F64_NEG_ZERO, F64_NEG_ZERO),
	/* trapping truncations at the edges of their ranges */
	UN("i32.trunc_f32_s largest", 0xa8, F32, I32, 0x4effffffu, 2147483520u),
	TRAP1("i32.trunc_f32_s 2^31", 0xa8, F32, I32, 0x4f000000u, WLAB_TRAP_INT_OVERFLOW),
	UN("i32.trunc_f32_s -2^31", 0xa8, F32, I32, 0xcf000000u, I32_MIN),
	TRAP1("i32.trunc_f32_s NaN", 0xa8, F32, I32, F32_NAN, WLAB_TRAP_BAD_CONVERSION),
	TRAP1("i32.trunc_f32_s -inf", 0xa8, F32, I32, F32_NEG_INF, WLAB_TRAP_INT_OVERFLOW),
	UN("i32.trunc_f64_s -2147483648.9", 0xaa, F64, I32, 0xc1e00000001ccccdull, I32_MIN),
	TRAP1("i32.trunc_f64_s -2147483649", 0xaa, F64, I32, 0xc1e0000000200000ull,
	      WLAB_TRAP_INT_OVERFLOW),
	UN("i32.trunc_f64_s 2147483647.9", 0xaa, F64, I32, 0x41dffffffff9999aull, 0x7fffffffu),
	TRAP1("i32.trunc_f64_s 2147483648", 0xaa, F64, I32, 0x41e0000000000000ull,
	      WLAB_TRAP_INT_OVERFLOW),
	TRAP1("i32.trunc_f64_s NaN", 0xaa, F64, I32, F64_NAN, WLAB_TRAP_BAD_CONVERSION),
	UN("i32.trunc_f64_u 4294967295.9", 0xab, F64, I32, 0x41effffffffccccdull, 0xffffffffu),
	TRAP1("i32.trunc_f64_u 4294967296", 0xab, F64, I32, 0x41f0000000000000ull,
	      WLAB_TRAP_INT_OVERFLOW),
	UN("i32.trunc_f64_u -0.9", 0xab, F64, I32, 0xbfeccccccccccccdull, 0),
	TRAP1("i32.trunc_f64_u -1", 0xab, F64, I32, 0xbff0000000000000ull,
	      WLAB_TRAP_INT_OVERFLOW),
	TRAP1("i32.trunc_f32_u 2^32", 0xa9, F32, I32, 0x4f800000u, WLAB_TRAP_INT_OVERFLOW),
	UN("i64.trunc_f64_s -2^63", 0xb0, F64, I64, 0xc3e0000000000000ull, I64_MIN),
	TRAP1("i64.trunc_f64_s 2^63", 0xb0, F64, I64, 0x43e0000000000000ull,
	      WLAB_TRAP_INT_OVERFLOW),
	UN("i64.trunc_f32_s -2^63", 0xae, F32, I64, 0xdf000000u, I64_MIN),
	TRAP1("i64.trunc_f32_s 2^63", 0xae, F32, I64, 0x5f000000u, WLAB_TRAP_INT_OVERFLOW),
	UN("i64.trunc_f64_u largest", 0xb1, F64, I64, 0x43efffffffffffffull,
	   0xfffffffffffff800ull),
	TRAP1("i64.trunc_f64_u 2^64", 0xb1, F64, I64, 0x43f0000000000000ull,
	      WLAB_TRAP_INT_OVERFLOW),
	TRAP1("i64.trunc_f64_u NaN", 0xb1, F64, I64, F64_NAN, WLAB_TRAP_BAD_CONVERSION),
	/* saturating truncations */
	SAT("i32.trunc_sat_f32_s NaN", 0, F32, I32, F32_NAN, 0),
	SAT("i32.trunc_sat_f32_s inf", 0, F32, I32, F32_INF, 0x7fffffffu),
	SAT("i32.trunc_sat_f32_s -inf", 0, F32, I32, F32_NEG_INF, I32_MIN),
	SAT("i32.trunc_sat_f32_s 2^31", 0, F32, I32, 0x4f000000u, 0x7fffffffu),
	SAT("i32.trunc_sat_f32_u -1", 1, F32, I32, 0xbf800000u, 0),
	SAT("i32.trunc_sat_f64_s -2147483648.9", 2, F64, I32, 0xc1e00000001ccccdull, I32_MIN),
	SAT("i32.trunc_sat_f64_u 2^32", 3, F64, I32, 0x41f0000000000000ull, 0xffffffffu),
	SAT("i64.trunc_sat_f32_u inf", 5, F32, I64, F32_INF, UINT64_MAX),
	SAT("i64.trunc_sat_f64_s 1e30", 6, F64, I64, 0x46293e5939a08ceaull, 0x7fffffffffffffffull),
	SAT("i64.trunc_sat_f64_s -1e30", 6, F64, I64, 0xc6293e5939a08ceaull, I64_MIN),
	SAT("i64.trunc_sat_f64_u NaN", 7, F64, I64, F64_NAN, 0),
	SAT("i64.trunc_sat_f64_u -0.9", 7, F64, I64, 0xbfeccccccccccccdull, 0),
	/* shifts and rotations take the count modulo the width */
	BIN("i32.shl 33", 0x74, I32, 1, 33, 2),
	BIN("i32.shl 32", 0x74, I32, 5, 32, 5),
	BIN("i32.shr_u 32", 0x76, I32, I32_MIN, 32, I32_MIN),
	BIN("i32.shr_u 35", 0x76, I32, I32_MIN, 35, 0x10000000u),
	BIN("i32.shr_s 63", 0x75, I32, I32_MIN, 63, 0xffffffffu),
	BIN("i32.shr_s -1", 0x75, I32, 0x40000000u, 0xffffffffu, 0),
	BIN("i32.rotl 33", 0x77, I32, 0x80000001u, 33, 3),
	BIN("i32.rotr 32", 0x78, I32, 1, 32, 1),
	BIN("i32.rotr 33", 0x78, I32, 1, 33, I32_MIN),
	BIN("i64.shl 65", 0x86, I64, 1, 65, 2),
	BIN("i64.shr_s 127", 0x87, I64, I64_MIN, 127, UINT64_MAX),
	BIN("i64.shr_u 64", 0x88, I64, I64_MIN, 64, I64_MIN),
	BIN("i64.rotl 65", 0x89, I64, 0x8000000000000001ull, 65, 3),
	BIN("i64.rotr 64", 0x8a, I64, 7, 64, 7),
	/* sign extension */
	UN("i32.extend8_s 0x80", 0xc0, I32, I32, 0x80, 0xffffff80u),
	UN("i32.extend8_s 0x17f", 0xc0, I32, I32, 0x17f, 0x7f),
	UN("i32.extend16_s 0x8000", 0xc1, I32, I32, 0x8000, 0xffff8000u),
	UN("i64.extend8_s 0x80", 0xc2, I64, I64, 0x80, 0xffffffffffffff80ull),
	UN("i64.extend16_s 0x7fff", 0xc3, I64, I64, 0xffff7fffull, 0x7fff),
	UN("i64.extend32_s 0x80000000", 0xc4, I64, I64, 0x80000000u, 0xffffffff80000000ull),
	UN("i64.extend_i32_s", 0xac, I32, I64, I32_MIN, 0xffffffff80000000ull),
	UN("i64.extend_i32_u", 0xad, I32, I64, I32_MIN, I32_MIN),
	UN("i32.wrap_i64", 0xa7, I64, I32, 0x123456789ull, 0x23456789u),
	/* division */
	TRAP2("i32.div_s INT_MIN -1", 0x6d, I32, I32_MIN, 0xffffffffu, WLAB_TRAP_INT_OVERFLOW),
	BIN("i32.rem_s INT_MIN -1", 0x6f, I32, I32_MIN, 0xffffffffu, 0),
	TRAP2("i32.div_u by 0", 0x6e, I32, 1, 0, WLAB_TRAP_DIV_ZERO),
	TRAP2("i32.rem_s by 0", 0x6f, I32, 1, 0, WLAB_TRAP_DIV_ZERO),
	BIN("i32.div_s -7 2", 0x6d, I32, 0xfffffff9u, 2, 0xfffffffdu),
	BIN("i32.rem_s -7 2", 0x6f, I32, 0xfffffff9u, 2, 0xffffffffu),
	BIN("i32.div_u -7 2", 0x6e, I32, 0xfffffff9u, 2, 0x7ffffffcu),
	TRAP2("i64.div_s INT_MIN -1", 0x7f, I64, I64_MIN, UINT64_MAX, WLAB_TRAP_INT_OVERFLOW),
	BIN("i64.rem_s INT_MIN -1", 0x81, I64, I64_MIN, UINT64_MAX, 0),
	TRAP2("i64.rem_u by 0", 0x82, I64, 1, 0, WLAB_TRAP_DIV_ZERO),
	BIN("i64.rem_s -7 2", 0x81, I64, (uint64_t)-7, 2, UINT64_MAX),
	/* wrapping arithmetic, and comparisons signed and unsigned */
	BIN("i32.add wraps", 0x6a, I32, 0xffffffffu, 2, 1),
	BIN("i32.sub wraps", 0x6b, I32, 0, 1, 0xffffffffu),
	BIN("i32.mul wraps", 0x6c, I32, 0x10000u, 0x10000u, 0),
	BIN("i64.mul wraps", 0x7e, I64, 0x100000000ull, 0x100000000ull, 0),
	BIN("i64.sub wraps", 0x7d, I64, 0, 1, UINT64_MAX),
	CMP("i32.lt_s -1 0", 0x48, 0xffffffffu, 0, 1),
	CMP("i32.lt_u -1 0", 0x49, 0xffffffffu, 0, 0),
	CMP("i32.gt_s INT_MIN 1", 0x4a, I32_MIN, 1, 0),
	CMP("i32.gt_u INT_MIN 1", 0x4b, I32_MIN, 1, 1),
	CMP("i32.le_s equal", 0x4c, 5, 5, 1),
	CMP("i32.le_u -1 1", 0x4d, 0xffffffffu, 1, 0),
	CMP("i32.ge_s -1 1", 0x4e, 0xffffffffu, 1, 0),
	CMP("i32.ge_u -1 1", 0x4f, 0xffffffffu, 1, 1),
	CMP("i32.eq", 0x46, 7, 7, 1),
	CMP("i32.ne", 0x47, 7, 7, 0),
};

/* A constant instruction for value v of type t. */
static void put_const(struct tu_buf *b, uint8_t t, uint64_t v)
{
	switch (t) {
	case I32: tu_byte(b, 0x41); tu_s32(b, (int32_t)(uint32_t)v); break;
	case I64: tu_byte(b, 0x42); tu_s64(b, (int64_t)v); break;
	case F32: tu_byte(b, 0x43); tu_bytes(b, &(uint32_t){(uint32_t)v}, 4); break;
	default: tu_byte(b, 0x44); tu_bytes(b, &v, 8); break;
	}
}

/* How the operands reach the operator: see the comments of each. */
enum shape {
	LL,  /* local.get 0 local.get 1 op: fused */
	LK,  /* local.get 0 const op: fused */
	P,   /* local.get 0 local.get 1 local.tee 1 op: the plain op */
	K,   /* local.get 0 local.tee 0 const op */
	L,   /* local.get 0 local.tee 0 local.get 1 op */
	NSHAPES
};

/* The instructions that leave the row's result on the stack. */
static void put_value(struct tu_buf *b, const struct ncase *c, enum shape sh)
{
	static const uint8_t pre[NSHAPES][6] = {
		[LL] = {0x20, 0, 0x20, 1}, [LK] = {0x20, 0},
		[P] = {0x20, 0, 0x20, 1, 0x22, 1}, [K] = {0x20, 0, 0x22, 0},
		[L] = {0x20, 0, 0x22, 0, 0x20, 1},
	};
	static const uint8_t npre[NSHAPES] = {4, 2, 6, 4, 6};
	if (c->arity == 1) {
		TU_PUT(b, 0x20, 0);
	} else {
		tu_bytes(b, pre[sh], npre[sh]);
		if (sh == LK || sh == K)
			put_const(b, c->in, c->b);
	}
	tu_bytes(b, c->op, c->op[0] == 0xfc ? 2 : 1);
}

/* Runs the row in shape sh, as a value or (branch) as a br_if condition
 * (the function returns 1 when the branch is taken). */
static void run_case(const struct ncase *c, enum shape sh, bool branch)
{
	struct tu_buf b = {0}, s = {0}, body = {0};
	struct wlab_module *m = NULL;
	struct wlab_error err = {0};
	struct wlab_instance *inst;
	struct wlab_extern f;
	enum wlab_trap trap;
	uint64_t args[2] = {c->a, c->b}, out = 0;
	tu_header(&b);
	TU_PUT(&s, 1, 0x60, c->arity, c->in, c->in, 1, c->out);
	if (c->arity == 1) {
		tu_buf_reset(&s);
		TU_PUT(&s, 1, 0x60, 1, c->in, 1, c->out);
	}
	tu_section(&b, 1, &s);
	tu_buf_reset(&s);
	TU_PUT(&s, 1, 0);
	tu_section(&b, 3, &s);
	tu_buf_reset(&s);
	TU_PUT(&s, 1);
	tu_name(&s, "f");
	TU_PUT(&s, 0, 0);
	tu_section(&b, 7, &s);
	TU_PUT(&body, 0);  /* no locals */
	if (branch)
		TU_PUT(&body, 0x02, 0x40);
	put_value(&body, c, sh);
	if (branch)
		TU_PUT(&body, 0x0d, 0, 0x41, 0, 0x0f, 0x0b, 0x41, 1);
	TU_PUT(&body, 0x0b);
	tu_buf_reset(&s);
	TU_PUT(&s, 1);
	tu_u32(&s, (uint32_t)body.n);
	tu_bytes(&s, body.p, body.n);
	tu_section(&b, 10, &s);
	assert_int_equal(tu_decode(&b, NULL, &m, &err), WLAB_OK);
	struct wlab_store *st = wlab_store_new(NULL);
	assert_int_equal(wlab_instantiate(st, m, &inst, &err, &trap), WLAB_OK);
	assert_true(wlab_instance_export(inst, "f", 1, &f));
	wlab_call(st, f.u.func, args, &out, &trap);
	if (trap != c->trap || (!c->trap && !(c->flags & NAN_ANY) && out != c->want))
		fail_msg("%s (shape %d%s): trap %d, result 0x%llx; want trap %d, 0x%llx",
			 c->name, (int)sh, branch ? ", br_if" : "", (int)trap,
			 (unsigned long long)out, (int)c->trap, (unsigned long long)c->want);
	if (c->flags & NAN_ANY) {
		bool nan = c->out == F32 ? isnan(((union { uint32_t u; float f; }){(uint32_t)out}).f)
					 : isnan(((union { uint64_t u; double d; }){out}).d);
		if (!nan)
			fail_msg("%s: 0x%llx is not a NaN", c->name, (unsigned long long)out);
	}
	wlab_store_free(st);
	wlab_module_free(m);
	tu_buf_free(&body);
	tu_buf_free(&s);
	tu_buf_free(&b);
}

static void test_case(void **state)
{
	const struct ncase *c = *state;
	for (int sh = 0; sh < (c->arity == 1 ? 1 : NSHAPES); sh++) {
		run_case(c, (enum shape)sh, false);
		if (c->flags & IS_CMP)
			run_case(c, (enum shape)sh, true);
	}
}

#define NCASES (sizeof cases / sizeof cases[0])

int main(void)
{
	static struct CMUnitTest tests[NCASES];
	for (size_t i = 0; i < NCASES; i++)
		tests[i] = (struct CMUnitTest){cases[i].name, test_case, NULL, NULL,
					       (void *)&cases[i]};
	return _cmocka_run_group_tests("numeric", tests, NCASES, NULL, NULL);
}
