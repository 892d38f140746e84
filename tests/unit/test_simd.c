/* test_simd.c: v128 values in the interpreter: two 64-bit slots on the
 * stack, in locals, params and results, through branches, calls (guest and
 * host), select, globals and memory; and the slot offsets the translator
 * gives (functions without v128 keep slot == height). The lane operations
 * themselves are checked by the spec testsuite's simd_*.wast scripts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "rt/rt_internal.h"
#include "util.h"
#include "wlab/instr.h"
#include "wlab/runtime.h"

#define I32 0x7f
#define I64 0x7e
#define F32 0x7d
#define V128 0x7b

/* SIMD instructions: 0xfd and the opcode as LEB128 (two bytes from 0x80) */
#define S1(op) 0xfd, (op)
#define S2(op) 0xfd, ((op) & 0x7f) | 0x80, (op) >> 7
#define LE32(x) (x) & 0xff, ((x) >> 8) & 0xff, ((x) >> 16) & 0xff, ((x) >> 24) & 0xff
#define I32X4(a, b, c, d) S1(0x0c), LE32(a), LE32(b), LE32(c), LE32(d)
#define W(lo32, hi32) ((uint64_t)(hi32) << 32 | (lo32))
#define LOCAL_GET(i) 0x20, (i)
#define LOCAL_SET(i) 0x21, (i)
#define LOCAL_TEE(i) 0x22, (i)
#define EXTRACT(l) S1(0x1b), (l)     /* i32x4.extract_lane */
#define REPLACE(l) S1(0x1c), (l)     /* i32x4.replace_lane */
#define SPLAT S1(0x11)               /* i32x4.splat */
#define ADD S2(0xae)                 /* i32x4.add */

/* Every module: func 0 imports env.h (v128) -> v128, func 1 is the case's
 * "f", func 2 is g (v128 v128) -> v128 = i32x4.add; type 2 is (v128) ->
 * (v128) for block types; one page of memory; global 0 a mutable v128
 * holding i32x4 1 2 3 4. */
struct scase {
	const char *name;
	uint8_t np;
	uint8_t params[4];
	uint8_t result;       /* 0: none */
	uint8_t body[160];
	size_t nbody;
	uint64_t args[6];     /* one word per slot: two for a v128, low half first */
	uint64_t want[2];
	enum wlab_trap trap;
};

#define BODY(...) .body = {__VA_ARGS__}, .nbody = TU_LEN(__VA_ARGS__)
#define A I32X4(1, 2, 3, 4)
#define B I32X4(10, 20, 30, 40)

static const struct scase cases[] = {
	{"v128 param to result", 1, {V128}, V128, BODY(0, LOCAL_GET(0), 0x0b),
	 {W(5, 6), W(7, 8)}, {W(5, 6), W(7, 8)}, 0},
	/* i32 at slot 0, v128 at 1-2, i32 at 3 */
	{"params around a v128", 3, {I32, V128, I32}, I32,
	 BODY(0, LOCAL_GET(1), EXTRACT(3), LOCAL_GET(0), 0x6a, LOCAL_GET(2), 0x6a, 0x0b),
	 {10, W(1, 2), W(3, 100), 5}, {115, 0}, 0},
	/* locals: i64 (1), v128 (2, slots 2-3), i32 (3, slot 4) */
	{"v128 local between others", 1, {I32}, V128,
	 BODY(3, 1, I64, 1, V128, 1, I32, LOCAL_GET(0), SPLAT, LOCAL_TEE(2), 0x1a, 0x41, 7,
	      LOCAL_SET(3), LOCAL_GET(2), LOCAL_GET(3), REPLACE(1), 0x0b),
	 {9}, {W(9, 7), W(9, 9)}, 0},
	{"a fresh v128 local is zero", 0, {0}, V128, BODY(1, 1, V128, LOCAL_GET(0), 0x0b),
	 {0}, {0, 0}, 0},
	{"call with v128 args and result", 0, {0}, V128, BODY(0, A, B, 0x10, 2, 0x0b),
	 {0}, {W(11, 22), W(33, 44)}, 0},
	{"call a host function with a v128", 0, {0}, V128, BODY(0, A, 0x10, 0, 0x0b),
	 {0}, {W(3, 4), W(1, 2)}, 0},
	/* i32.const 9; block (result v128) i32.const 5 A br 0 end; lane 0 + 9 */
	{"br keeps a v128 over an i32", 0, {0}, I32,
	 BODY(0, 0x41, 9, 0x02, V128, 0x41, 5, A, 0x0c, 0, 0x0b, EXTRACT(0), 0x6a, 0x0b),
	 {0}, {10, 0}, 0},
	/* local 0 = 3; zero; loop (type 2) splat(1) add; br_if while --local 0 */
	{"loop with a v128 param", 0, {0}, V128,
	 BODY(1, 1, I32, 0x41, 3, LOCAL_SET(0), I32X4(0, 0, 0, 0), 0x03, 2, 0x41, 1, SPLAT, ADD,
	      LOCAL_GET(0), 0x41, 1, 0x6b, LOCAL_TEE(0), 0x0d, 0, 0x0b, 0x0b),
	 {0}, {W(3, 3), W(3, 3)}, 0},
	{"select v128 true", 1, {I32}, V128, BODY(0, A, B, LOCAL_GET(0), 0x1b, 0x0b),
	 {1}, {W(1, 2), W(3, 4)}, 0},
	{"select v128 false", 1, {I32}, V128, BODY(0, A, B, LOCAL_GET(0), 0x1c, 1, V128, 0x0b),
	 {0}, {W(10, 20), W(30, 40)}, 0},
	{"drop a v128", 0, {0}, I32, BODY(0, 0x41, 42, A, 0x1a, 0x0b), {0}, {42, 0}, 0},
	{"v128 global get and set", 0, {0}, V128,
	 BODY(0, 0x23, 0, B, ADD, 0x24, 0, 0x23, 0, 0x0b), {0}, {W(11, 22), W(33, 44)}, 0},
	{"v128.store then load", 1, {I32}, V128,
	 BODY(0, LOCAL_GET(0), B, S1(0x0b), 4, 0, LOCAL_GET(0), S1(0x00), 4, 0, 0x0b),
	 {65520}, {W(10, 20), W(30, 40)}, 0},
	{"v128.load out of bounds", 1, {I32}, V128, BODY(0, LOCAL_GET(0), S1(0x00), 4, 0, 0x0b),
	 {65521}, {0, 0}, WLAB_TRAP_MEMORY_OOB},
	{"v128.store8_lane out of bounds", 1, {I32}, 0,
	 BODY(0, LOCAL_GET(0), A, S1(0x58), 0, 0, 0, 0x0b), {65536}, {0, 0}, WLAB_TRAP_MEMORY_OOB},
	/* shuffle: a0 b0 a1 b1 ... of the bytes */
	{"i8x16.shuffle", 0, {0}, V128,
	 BODY(0, A, B, S1(0x0d), 0, 16, 4, 20, 8, 24, 12, 28, 0, 0, 0, 0, 0, 0, 0, 0, 0x0b),
	 {0}, {0x28041e0314020a01ull, 0x0101010101010101ull}, 0},
	/* f32x4.min: NaN lanes give a NaN, -0 beats +0 */
	{"f32x4.min lanes", 2, {V128, V128}, V128, BODY(0, LOCAL_GET(0), LOCAL_GET(1), S2(0xe8), 0x0b),
	 {W(0x7fc00000, 0x00000000), W(0x3f800000, 0x40000000),
	  W(0x3f800000, 0x80000000), W(0x7fc00000, 0x3f800000)},
	 {W(0x7fc00000, 0x80000000), W(0x7fc00000, 0x3f800000)}, 0},
	{"v128.any_true", 1, {V128}, I32, BODY(0, LOCAL_GET(0), S1(0x53), 0x0b),
	 {0, 1ull << 63}, {1, 0}, 0},
};

static enum wlab_trap host_swap(void *ctx, const uint64_t *args, uint64_t *results)
{
	(void)ctx;
	results[0] = args[1];
	results[1] = args[0];
	return WLAB_TRAP_NONE;
}

static void build(struct tu_buf *b, const struct scase *c)
{
	static const uint8_t g_body[] = {0, LOCAL_GET(0), LOCAL_GET(1), ADD, 0x0b};
	struct tu_buf s = {0};
	tu_header(b);
	TU_PUT(&s, 3, 0x60, c->np);  /* types: f, g, (v128) -> (v128) */
	tu_bytes(&s, c->params, c->np);
	if (c->result)
		TU_PUT(&s, 1, c->result);
	else
		TU_PUT(&s, 0);
	TU_PUT(&s, 0x60, 2, V128, V128, 1, V128, 0x60, 1, V128, 1, V128);
	tu_section(b, 1, &s);
	tu_buf_reset(&s);
	TU_PUT(&s, 1);
	tu_name(&s, "env");
	tu_name(&s, "h");
	TU_PUT(&s, 0, 2);
	tu_section(b, 2, &s);
	tu_buf_reset(&s);
	TU_PUT(&s, 2, 0, 1);
	tu_section(b, 3, &s);
	tu_buf_reset(&s);
	TU_PUT(&s, 1, 0, 1);
	tu_section(b, 5, &s);
	tu_buf_reset(&s);
	TU_PUT(&s, 1, V128, 1, I32X4(1, 2, 3, 4), 0x0b);
	tu_section(b, 6, &s);
	tu_buf_reset(&s);
	TU_PUT(&s, 1);
	tu_name(&s, "f");
	TU_PUT(&s, 0, 1);
	tu_section(b, 7, &s);
	tu_buf_reset(&s);
	TU_PUT(&s, 2);
	tu_u32(&s, (uint32_t)c->nbody);
	tu_bytes(&s, c->body, c->nbody);
	tu_u32(&s, sizeof g_body);
	tu_bytes(&s, g_body, sizeof g_body);
	tu_section(b, 10, &s);
	tu_buf_free(&s);
}

/* A store with env.h defined, and the case's module instantiated in it; the
 * module's bytes are in *b (the module reads them until it is freed). */
static struct wlab_store *instantiate(const struct scase *c, struct tu_buf *b,
				      struct wlab_module **m, struct wlab_instance **inst)
{
	static const wlab_valtype_t v[] = {V128};
	struct wlab_error err = {0};
	struct wlab_extern h = {.kind = WLAB_EXTERN_FUNC};
	enum wlab_trap trap;
	build(b, c);
	if (tu_decode(b, NULL, m, &err))
		fail_msg("%s: decode: %s at 0x%zx", c->name, err.message, (size_t)err.offset);
	struct wlab_store *s = wlab_store_new(NULL);
	assert_non_null(s);
	h.u.func = wlab_host_func_new(s, v, 1, v, 1, host_swap, NULL);
	assert_non_null(h.u.func);
	assert_int_equal(wlab_store_define(s, "env", "h", h), WLAB_OK);
	if (wlab_instantiate(s, *m, inst, &err, &trap))
		fail_msg("%s: instantiate: %s at 0x%zx", c->name, err.message, (size_t)err.offset);
	return s;
}

static void test_case(void **state)
{
	const struct scase *c = *state;
	struct tu_buf b = {0};
	struct wlab_module *m = NULL;
	struct wlab_instance *inst;
	struct wlab_extern f;
	enum wlab_trap trap;
	uint64_t out[2] = {0xdead, 0xbeef};
	struct wlab_store *s = instantiate(c, &b, &m, &inst);
	assert_true(wlab_instance_export(inst, "f", 1, &f));
	enum wlab_status st = wlab_call(s, f.u.func, c->args, out, &trap);
	if (c->trap) {
		assert_int_equal(st, WLAB_TRAP);
		assert_int_equal(trap, c->trap);
	} else {
		assert_int_equal(st, WLAB_OK);
		if (c->result == V128) {
			assert_int_equal(out[0], c->want[0]);
			assert_int_equal(out[1], c->want[1]);
		} else if (c->result) {
			assert_int_equal(out[0], c->want[0]);
		}
	}
	wlab_store_free(s);
	wlab_module_free(m);
	tu_buf_free(&b);
}

/* The slots of the locals and the deepest operand stack: params i32 v128 i32
 * and locals v128, i64 take 1 + 2 + 1 + 2 + 1; the same function without
 * v128 keeps one slot a value. Each local is read into an i32 local (5). */
static void check_slots(const uint8_t *params, uint8_t local, uint32_t nlocals,
			uint32_t max_height)
{
	struct scase c = {"slots", 3, {params[0], params[1], params[2]}, 0,
			  BODY(2, 1, local, 1, I64, LOCAL_GET(0), 0x1a, LOCAL_GET(1), 0x1a,
			       LOCAL_GET(2), 0x1a, LOCAL_GET(3), 0x1a, LOCAL_GET(4), 0x1a, 0x0b),
			  {0}, {0}, 0};
	struct tu_buf b = {0};
	struct wlab_module *m = NULL;
	struct wlab_instance *inst;
	struct wlab_extern f;
	enum wlab_trap trap;
	uint64_t args[4] = {0};
	struct wlab_store *s = instantiate(&c, &b, &m, &inst);
	assert_true(wlab_instance_export(inst, "f", 1, &f));
	/* translated on its first call (lazy translation) */
	assert_null(f.u.func->code);
	assert_int_equal(wlab_call(s, f.u.func, args, NULL, &trap), WLAB_OK);
	assert_int_equal(f.u.func->nlocals, nlocals);
	assert_int_equal(f.u.func->max_height, max_height);
	wlab_store_free(s);
	wlab_module_free(m);
	tu_buf_free(&b);
}

static void test_local_slots(void **state)
{
	(void)state;
	static const uint8_t mixed[] = {I32, V128, I32}, plain[] = {I32, F32, I32};
	check_slots(mixed, V128, 7, 2);
	check_slots(plain, I32, 5, 1);
}

/* The public API: a v128 param or result is two words, low half first. */
static void test_func_slots(void **state)
{
	(void)state;
	struct scase c = {"api", 3, {I32, V128, I32}, V128, BODY(0, LOCAL_GET(1), 0x0b),
			  {0}, {0}, 0};
	struct tu_buf b = {0};
	struct wlab_module *m = NULL;
	struct wlab_instance *inst;
	struct wlab_extern f;
	const wlab_valtype_t *pt, *rt;
	uint32_t np, nr;
	struct wlab_store *s = instantiate(&c, &b, &m, &inst);
	assert_true(wlab_instance_export(inst, "f", 1, &f));
	wlab_func_type(f.u.func, &pt, &np, &rt, &nr);
	assert_int_equal(np, 3);
	assert_int_equal(nr, 1);
	assert_int_equal(f.u.func->param_slots, 4);
	assert_int_equal(f.u.func->result_slots, 2);
	wlab_store_free(s);
	wlab_module_free(m);
	tu_buf_free(&b);
}

int main(void)
{
	struct CMUnitTest tests[sizeof cases / sizeof cases[0] + 2];
	size_t n = 0;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		tests[n++] = (struct CMUnitTest){cases[i].name, test_case, NULL, NULL,
						 (void *)&cases[i]};
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_local_slots);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_func_slots);
	return _cmocka_run_group_tests("simd", tests, n, NULL, NULL);
}
