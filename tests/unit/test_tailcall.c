/* test_tailcall.c: tail calls (return_call, return_call_indirect): results
 * matched by 3.0 subtyping in validation; in the interpreter, unbounded tail
 * recursion in constant guest stack (limits that a plain call exhausts),
 * tail calls of host functions, v128 params and locals, fuel, and the
 * backtrace of a trap after tail calls. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "util.h"
#include "util_inst.h"
#include "wlab/features.h"
#include "wlab/runtime.h"
#include "wlab/validate.h"
#include "wlab/wat.h"

/* Small limits: a plain call recursion of depth 100 passes neither. */
#define DEPTH 16
#define SLOTS 4096

static const char even_odd[] =
	"(module\n"
	"  (type $t (func (param i64) (result i32)))\n"
	"  (table funcref (elem $even_i $odd_i))\n"
	"  (func $even (export \"even\") (param i64) (result i32)\n"
	"    (if (result i32) (i64.eqz (local.get 0)) (then (i32.const 1))\n"
	"      (else (return_call $odd (i64.sub (local.get 0) (i64.const 1))))))\n"
	"  (func $odd (param i64) (result i32)\n"
	"    (if (result i32) (i64.eqz (local.get 0)) (then (i32.const 0))\n"
	"      (else (return_call $even (i64.sub (local.get 0) (i64.const 1))))))\n"
	"  (func $even_i (export \"even_i\") (param i64) (result i32)\n"
	"    (if (result i32) (i64.eqz (local.get 0)) (then (i32.const 1))\n"
	"      (else (return_call_indirect (type $t) (i64.sub (local.get 0) (i64.const 1))\n"
	"        (i32.const 1)))))\n"
	"  (func $odd_i (param i64) (result i32)\n"
	"    (if (result i32) (i64.eqz (local.get 0)) (then (i32.const 0))\n"
	"      (else (return_call_indirect (type $t) (i64.sub (local.get 0) (i64.const 1))\n"
	"        (i32.const 0)))))\n"
	"  (func $even_c (export \"even_c\") (param i64) (result i32)\n"
	"    (if (result i32) (i64.eqz (local.get 0)) (then (i32.const 1))\n"
	"      (else (call $odd_c (i64.sub (local.get 0) (i64.const 1))))))\n"
	"  (func $odd_c (param i64) (result i32)\n"
	"    (if (result i32) (i64.eqz (local.get 0)) (then (i32.const 0))\n"
	"      (else (call $even_c (i64.sub (local.get 0) (i64.const 1))))))\n"
	/* v128: a v128 param and local carried through 100,000 tail calls */
	"  (func $vcount (export \"vcount\") (param i32) (result i32)\n"
	"    (local v128)\n"
	"    (local.set 1 (v128.const i32x4 5 6 7 8))\n"
	"    (return_call $vloop (local.get 1) (local.get 0) (v128.const i32x4 1 1 1 1)))\n"
	"  (func $vloop (param v128 i32 v128) (result i32) (local v128 i64)\n"
	"    (local.set 3 (i32x4.add (local.get 0) (local.get 2)))\n"
	"    (if (result i32) (i32.eqz (local.get 1))\n"
	"      (then (i32.add (i32x4.extract_lane 0 (local.get 0))\n"
	"                     (i32x4.extract_lane 3 (local.get 3))))\n"
	"      (else (return_call $vloop (local.get 3) (i32.sub (local.get 1) (i32.const 1))\n"
	"                                (local.get 2)))))\n"
	/* a calls b; b tail-calls c; c traps */
	"  (func $a (export \"a\") (result i32) (call $b) (i32.const 1) (i32.add))\n"
	"  (func $b (result i32) (nop) (return_call $c (i32.const 0)))\n"
	"  (func $c (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0)))\n"
	")\n";

/* Loads text with store options o; when host_name is set, env.host_name is
 * the host function make_host makes. */
static void load(struct tu_inst *t, const char *text, const struct wlab_store_options *o,
		 const char *host_name, struct rt_func *(*make_host)(struct wlab_store *))
{
	tu_inst_open(t, text, o);
	if (host_name) {
		struct wlab_extern h = {.kind = WLAB_EXTERN_FUNC};
		h.u.func = make_host(t->s);
		assert_int_equal(wlab_store_define(t->s, "env", host_name, h), WLAB_OK);
	}
	tu_inst_start(t);
}

static void test_tail_recursion_constant_stack(void **state)
{
	(void)state;
	struct tu_inst t = {0};
	uint64_t out = 7;
	load(&t, even_odd, &(struct wlab_store_options){.max_call_depth = DEPTH,
							.stack_slots = SLOTS}, NULL, NULL);
	/* the plain calls exhaust these limits at depth 100 */
	assert_int_equal(tu_inst_call1(&t, "even_c", 100, &out), WLAB_TRAP_EXHAUSTED);
	assert_int_equal(tu_inst_call1(&t, "even_c", 8, &out), WLAB_TRAP_NONE);
	assert_int_equal(out, 1);
	/* tail calls: ten million, direct and indirect */
	assert_int_equal(tu_inst_call1(&t, "even", 10000000, &out), WLAB_TRAP_NONE);
	assert_int_equal(out, 1);
	assert_int_equal(tu_inst_call1(&t, "even", 10000001, &out), WLAB_TRAP_NONE);
	assert_int_equal(out, 0);
	assert_int_equal(tu_inst_call1(&t, "even_i", 10000000, &out), WLAB_TRAP_NONE);
	assert_int_equal(out, 1);
	assert_int_equal(tu_inst_call1(&t, "even_i", 9999999, &out), WLAB_TRAP_NONE);
	assert_int_equal(out, 0);
	tu_inst_close(&t);
}

static void test_tail_v128(void **state)
{
	(void)state;
	struct tu_inst t = {0};
	uint64_t out = 0;
	load(&t, even_odd, &(struct wlab_store_options){.max_call_depth = DEPTH,
							.stack_slots = SLOTS}, NULL, NULL);
	/* lane 0 of the count: 5 + n; lane 3 of the last sum: 8 + n + 1 */
	assert_int_equal(tu_inst_call1(&t, "vcount", 100000, &out), WLAB_TRAP_NONE);
	assert_int_equal(out, 5 + 100000 + 8 + 100001);
	assert_int_equal(tu_inst_call1(&t, "vcount", 0, &out), WLAB_TRAP_NONE);
	assert_int_equal(out, 5 + 9);
	tu_inst_close(&t);
}

static void test_tail_fuel(void **state)
{
	(void)state;
	struct tu_inst t = {0};
	uint64_t out = 0;
	load(&t, even_odd, &(struct wlab_store_options){.fuel = 100000}, NULL, NULL);
	assert_int_equal(tu_inst_call1(&t, "even", 1000, &out), WLAB_TRAP_NONE);
	assert_int_equal(out, 1);
	/* every tail call and instruction spends fuel: 100,000 rounds cannot */
	assert_int_equal(tu_inst_call1(&t, "even_i", 100000, &out), WLAB_TRAP_FUEL);
	tu_inst_close(&t);
}

/* The backtrace: c at its trap, then a at its call of b; b, whose frame c
 * took over, is not shown. */
static void test_tail_backtrace(void **state)
{
	(void)state;
	struct tu_inst t = {0};
	struct wlab_frame_info fr[4];
	uint64_t out = 0;
	load(&t, even_odd, NULL, NULL, NULL);
	assert_int_equal(tu_inst_call1(&t, "a", 0, &out), WLAB_TRAP_DIV_ZERO);
	assert_int_equal(wlab_store_backtrace(t.s, fr, 4), 2);
	assert_int_equal(fr[0].func, 10);  /* $c */
	assert_int_equal(fr[1].func, 8);   /* $a */
	/* c's frame at its i32.div_u, a's at its call (0x10) */
	assert_int_equal(t.bin[fr[0].offset], 0x6e);
	assert_int_equal(t.bin[fr[1].offset], 0x10);
	tu_inst_close(&t);
}

static int host_calls;

static enum wlab_trap host_triple(void *ctx, const uint64_t *args, uint64_t *results)
{
	(void)ctx;
	host_calls++;
	results[0] = (uint32_t)(args[0] * 3);
	return WLAB_TRAP_NONE;
}

static struct rt_func *make_triple(struct wlab_store *s)
{
	static const wlab_valtype_t i32[] = {WLAB_I32};
	return wlab_host_func_new(s, i32, 1, i32, 1, host_triple, NULL);
}

static const char host_mod[] =
	"(module\n"
	"  (type $t (func (param i32) (result i32)))\n"
	"  (import \"env\" \"triple\" (func $triple (type $t)))\n"
	"  (table funcref (elem $triple))\n"
	"  (func (export \"f\") (param i32) (result i32)\n"
	"    (return_call $triple (i32.add (local.get 0) (i32.const 1))))\n"
	"  (func (export \"g\") (param i32) (result i32)\n"
	"    (return_call_indirect (type $t) (local.get 0) (i32.const 0)))\n"
	/* h: a call of f whose result is used after the tail call returned */
	"  (func (export \"h\") (param i32) (result i32)\n"
	"    (i32.sub (call 1 (local.get 0)) (i32.const 1)))\n"
	")\n";

static void test_tail_host(void **state)
{
	(void)state;
	struct tu_inst t = {0};
	uint64_t out = 0;
	host_calls = 0;
	load(&t, host_mod, NULL, "triple", make_triple);
	assert_int_equal(tu_inst_call1(&t, "f", 4, &out), WLAB_TRAP_NONE);
	assert_int_equal(out, 15);
	assert_int_equal(tu_inst_call1(&t, "g", 7, &out), WLAB_TRAP_NONE);
	assert_int_equal(out, 21);
	assert_int_equal(tu_inst_call1(&t, "h", 1, &out), WLAB_TRAP_NONE);
	assert_int_equal(out, 5);
	assert_int_equal(host_calls, 3);
	tu_inst_close(&t);
}

/* Types: 0 () -> (ref func), 1 () -> funcref; func 0 of type 0, func 1 of
 * type from, whose body is return_call 0 (func 1 has type 1 or 0). */
static enum wlab_status validate_tail(uint8_t caller_type, uint32_t features,
				      struct wlab_validate_error *verr)
{
	const uint8_t bytes[] = {
		0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
		0x01, 0x0a, 0x02, 0x60, 0x00, 0x01, 0x64, 0x70, 0x60, 0x00, 0x01, 0x70,
		0x03, 0x03, 0x02, 0x00, caller_type,
		0x0a, 0x0a, 0x02, 0x03, 0x00, 0x00, 0x0b, 0x04, 0x00, 0x12, 0x00, 0x0b,
	};
	struct wlab_decode_options d = {.features = features};
	struct wlab_validate_options v = {.features = features};
	struct wlab_module *m = NULL;
	struct wlab_error err = {0};
	assert_int_equal(wlab_module_decode(bytes, sizeof bytes, &d, &m, &err), WLAB_OK);
	enum wlab_status st = wlab_module_validate(m, &v, verr);
	wlab_module_free(m);
	return st;
}

static void test_tail_validate_subtyping(void **state)
{
	(void)state;
	struct wlab_validate_error verr;
	uint32_t f = wlab_features_default() | WLAB_FEATURE_FUNCTION_REFERENCES;
	/* (ref func) returned as funcref: a subtype, valid */
	assert_int_equal(validate_tail(1, f, &verr), WLAB_OK);
	assert_int_equal(validate_tail(0, f, &verr), WLAB_OK);
	/* funcref returned as (ref func): invalid */
	const uint8_t swapped[] = {
		0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
		0x01, 0x0a, 0x02, 0x60, 0x00, 0x01, 0x70, 0x60, 0x00, 0x01, 0x64, 0x70,
		0x03, 0x03, 0x02, 0x00, 0x01,
		0x0a, 0x0a, 0x02, 0x03, 0x00, 0x00, 0x0b, 0x04, 0x00, 0x12, 0x00, 0x0b,
	};
	struct wlab_decode_options d = {.features = f};
	struct wlab_validate_options v = {.features = f};
	struct wlab_module *m = NULL;
	struct wlab_error err = {0};
	assert_int_equal(wlab_module_decode(swapped, sizeof swapped, &d, &m, &err), WLAB_OK);
	assert_int_equal(wlab_module_validate(m, &v, &verr), WLAB_INVALID);
	assert_string_equal(verr.error.message,
			    "type mismatch in return_call, expected [(ref func)] but got [funcref]");
	assert_int_equal(verr.error.offset, 34);  /* the return_call */
	assert_int_equal(verr.func, 1);
	wlab_module_free(m);
	/* without tail-call the opcode is illegal */
	d.features = v.features = f & ~(uint32_t)WLAB_FEATURE_TAIL_CALL;
	m = NULL;
	assert_int_not_equal(wlab_module_decode(swapped, sizeof swapped, &d, &m, &err), WLAB_OK);
	wlab_module_free(m);
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tail_recursion_constant_stack),
		cmocka_unit_test(test_tail_v128),
		cmocka_unit_test(test_tail_fuel),
		cmocka_unit_test(test_tail_backtrace),
		cmocka_unit_test(test_tail_host),
		cmocka_unit_test(test_tail_validate_subtyping),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
