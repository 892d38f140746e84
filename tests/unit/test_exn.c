/* test_exn.c: exception handling: the decoder (try_table's catch clauses,
 * "malformed catch clause"), the validator's rules (non-empty tag result
 * type, unknown tag, catch clause label types, rethrow labels, delegate
 * and catch placement), and the interpreter: throws caught across frames,
 * every catch clause, legacy catch/delegate/rethrow, payloads with v128,
 * an exception through a host function, throw_ref of null, and the cap on
 * live exceptions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "util.h"
#include "util_inst.h"
#include "wlab/features.h"
#include "wlab/instr.h"
#include "wlab/runtime.h"
#include "wlab/validate.h"
#include "wlab/wat.h"

/* Compiles text; decodes and validates it: the status, the message in msg. */
static enum wlab_status check(const char *text, char *msg, size_t cap)
{
	struct wlab_error err = {0};
	struct wlab_validate_error verr;
	uint8_t *bin = NULL;
	size_t size = 0;
	struct wlab_module *m = NULL;
	enum wlab_status st = wlab_wat_to_binary(text, strlen(text), &bin, &size, &err);
	if (!st)
		st = wlab_module_decode(bin, size, NULL, &m, &err);
	if (!st) {
		st = wlab_module_validate(m, NULL, &verr);
		err = verr.error;
	}
	snprintf(msg, cap, "%s", st ? err.message : "");
	wlab_module_free(m);
	free(bin);
	return st;
}

static void expect_invalid(const char *text, const char *msg)
{
	char got[256];
	assert_int_equal(check(text, got, sizeof got), WLAB_INVALID);
	if (!strstr(got, msg))
		fail_msg("expected '%s', got '%s'", msg, got);
}

static void test_exn_validate(void **state)
{
	(void)state;
	char msg[256];
	assert_int_equal(check("(module (tag $e (param i32)) (func (result i32)"
			       " (block $l (result i32) (try_table (catch $e $l)"
			       " (throw $e (i32.const 1))) (i32.const 0))))", msg, sizeof msg), WLAB_OK);
	expect_invalid("(module (type (func (result i32))) (tag (type 0)))",
		       "non-empty tag result type");
	expect_invalid("(module (type (func (result i32))) (import \"m\" \"t\" (tag (type 0))))",
		       "non-empty tag result type");
	expect_invalid("(module (func (throw 0)))", "unknown tag");
	/* catch $e to a label of the wrong arity or type */
	expect_invalid("(module (tag $e (param i32)) (func (block $l"
		       " (try_table (catch $e $l)))))",
		       "type mismatch in catch, expected [] but got [i32]");
	expect_invalid("(module (tag $e (param i64)) (func (block $l (result i32)"
		       " (try_table (catch $e $l)) (unreachable))))",
		       "type mismatch in catch, expected [i32] but got [i64]");
	/* catch_ref needs an exnref in the label; catch_all_ref only that */
	expect_invalid("(module (tag $e) (func (block $l (result i32)"
		       " (try_table (catch_ref $e $l)) (unreachable))))",
		       "type mismatch in catch, expected [i32] but got [(ref exn)]");
	assert_int_equal(check("(module (func (block $l (result exnref)"
			       " (try_table (catch_all_ref $l)) (unreachable)) (drop)))",
			       msg, sizeof msg), WLAB_OK);
	expect_invalid("(module (func (try_table (catch_all 1))))", "unknown label");
	/* rethrow names a catch block, not a try or block */
	expect_invalid("(module (func (block (rethrow 0))))", "invalid rethrow label");
	assert_int_equal(check("(module (func (try (do) (catch_all (rethrow 0)))))",
			       msg, sizeof msg), WLAB_OK);
	expect_invalid("(module (func (throw_ref (ref.null extern))))",
		       "type mismatch in throw_ref, expected [exnref] but got [externref]");
}

/* try_table with a catch kind byte of 4. */
static void test_exn_decode(void **state)
{
	(void)state;
	struct tu_buf b = {0}, p = {0};
	struct wlab_module *m = NULL;
	struct wlab_error err = {0};
	tu_header(&b);
	TU_PUT(&p, 0x01, 0x60, 0x00, 0x00);
	tu_section(&b, 1, &p);
	tu_buf_reset(&p);
	TU_PUT(&p, 0x01, 0x00);
	tu_section(&b, 3, &p);
	tu_buf_reset(&p);
	/* body: try_table (empty) 1 clause: kind 4, label 0; end end */
	TU_PUT(&p, 0x01, 0x08, 0x00, 0x1f, 0x40, 0x01, 0x04, 0x00, 0x0b, 0x0b);
	size_t code = tu_section(&b, 10, &p);
	assert_int_equal(tu_decode(&b, NULL, &m, &err), WLAB_MALFORMED);
	tu_expect_error("kind 4", &err, WLAB_MALFORMED, code + 6, "malformed catch clause");
	wlab_module_free(m);
	/* the iterator reads the clauses back */
	b.p[code + 6] = 0x02;
	assert_int_equal(tu_decode(&b, NULL, &m, &err), WLAB_OK);
	struct wlab_instr_iter it;
	struct wlab_instr in;
	wlab_instr_iter_init(&it, b.p, m->codes[0].expr, 0, &err);
	assert_int_equal(wlab_instr_next(&it, &in), WLAB_OK);
	assert_int_equal(in.op, WLAB_OP_TRY_TABLE);
	assert_int_equal(in.ncatches, 1);
	assert_int_equal(in.catches[0].kind, WLAB_CATCH_ALL);
	assert_int_equal(in.catches[0].label, 0);
	wlab_instr_iter_fini(&it);
	wlab_module_free(m);
	tu_buf_free(&b);
	tu_buf_free(&p);
}

static const char mod[] =
	"(module\n"
	"  (import \"env\" \"host\" (func $host (param i32) (result i32)))\n"
	"  (tag $e (export \"e\") (param i32))\n"
	"  (tag $v (param v128 i64))\n"
	"  (func $thrower (param i32) (throw $e (local.get 0)))\n"
	"  (func (export \"catch\") (param i32) (result i32)\n"
	"    (block $l (result i32)\n"
	"      (try_table (catch $e $l) (call $thrower (local.get 0)))\n"
	"      (i32.const -1)))\n"
	"  (func (export \"catch_ref\") (param i32) (result i32)\n"
	"    (block $l (result i32 exnref)\n"
	"      (try_table (catch_ref $e $l) (call $thrower (local.get 0)))\n"
	"      (return (i32.const -1)))\n"
	"    (drop))\n"
	"  (func (export \"rethrow_ref\") (param i32) (result i32)\n"
	"    (block $outer (result i32)\n"
	"      (try_table (catch $e $outer)\n"
	"        (block $l (result exnref)\n"
	"          (try_table (catch_all_ref $l) (call $thrower (local.get 0)))\n"
	"          (return (i32.const -1)))\n"
	"        (throw_ref))\n"
	"      (i32.const -2)))\n"
	"  (func (export \"null_ref\") (param i32) (result i32)\n"
	"    (throw_ref (ref.null exn)))\n"
	"  (func (export \"legacy\") (param i32) (result i32)\n"
	"    (try (result i32)\n"
	"      (do (try (result i32) (do (call $thrower (local.get 0)) (i32.const 0))\n"
	"          (catch $e (rethrow 0))))\n"
	"      (catch $e (i32.add (i32.const 100)))))\n"
	"  (func (export \"delegate\") (param i32) (result i32)\n"
	"    (try (result i32)\n"
	"      (do (block (try (do (call $thrower (local.get 0))) (delegate 1)))\n"
	"          (i32.const 0))\n"
	"      (catch_all (i32.const 7))))\n"
	"  (func (export \"v128\") (param i32) (result i32) (local i64)\n"
	"    (block $l (result v128 i64)\n"
	"      (try_table (catch $v $l)\n"
	"        (throw $v (v128.const i32x4 1 2 3 4) (i64.extend_i32_u (local.get 0))))\n"
	"      (unreachable))\n"
	"    (local.set 1) (i32x4.extract_lane 3) (i32.wrap_i64 (local.get 1)) (i32.add))\n"
	"  (func (export \"via_host\") (param i32) (result i32)\n"
	"    (block $l (result i32)\n"
	"      (try_table (result i32) (catch $e $l) (call $host (local.get 0)))))\n"
	"  (func (export \"throw_out\") (param i32) (result i32)\n"
	"    (call $thrower (local.get 0)) (i32.const 0))\n"
	"  (func (export \"many\") (param i32) (result i32)\n"
	"    (loop $again\n"
	"      (block $l (result i32 exnref)\n"
	"        (try_table (catch_ref $e $l) (throw $e (local.get 0))) (unreachable))\n"
	"      (drop) (drop)\n"
	"      (br_if $again (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))\n"
	"    (i32.const 1))\n"
	")\n";

static struct tu_inst *cur;

/* env.host(x): calls the instance's throw_out(x), passes on what it ends with. */
static enum wlab_trap host(void *ctx, const uint64_t *args, uint64_t *results)
{
	(void)ctx;
	struct wlab_extern f;
	enum wlab_trap trap = WLAB_TRAP_NONE;
	assert_true(wlab_instance_export(cur->i, "throw_out", 9, &f));
	wlab_call(cur->s, f.u.func, args, results, &trap);
	return trap;
}

static void load(struct tu_inst *t)
{
	static const wlab_valtype_t i32 = WLAB_I32;
	tu_inst_open(t, mod, NULL);
	struct wlab_extern h = {.kind = WLAB_EXTERN_FUNC};
	h.u.func = wlab_host_func_new(t->s, &i32, 1, &i32, 1, host, NULL);
	assert_int_equal(wlab_store_define(t->s, "env", "host", h), WLAB_OK);
	tu_inst_start(t);
	cur = t;
}

static void test_exn_run(void **state)
{
	(void)state;
	struct tu_inst t = {0};
	uint64_t out = 0;
	load(&t);
	assert_int_equal(tu_inst_call1(&t, "catch", 5, &out), WLAB_TRAP_NONE);
	assert_int_equal(out, 5);
	assert_int_equal(tu_inst_call1(&t, "catch_ref", 6, &out), WLAB_TRAP_NONE);
	assert_int_equal(out, 6);
	assert_int_equal(tu_inst_call1(&t, "rethrow_ref", 7, &out), WLAB_TRAP_NONE);
	assert_int_equal(out, 7);
	assert_int_equal(tu_inst_call1(&t, "null_ref", 0, &out), WLAB_TRAP_NULL_EXN);
	assert_int_equal(tu_inst_call1(&t, "legacy", 8, &out), WLAB_TRAP_NONE);
	assert_int_equal(out, 108);
	assert_int_equal(tu_inst_call1(&t, "delegate", 1, &out), WLAB_TRAP_NONE);
	assert_int_equal(out, 7);
	assert_int_equal(tu_inst_call1(&t, "v128", 30, &out), WLAB_TRAP_NONE);
	assert_int_equal(out, 34);
	/* an exception leaves a call: its tag and payload stay readable */
	assert_int_equal(tu_inst_call1(&t, "throw_out", 9, &out), WLAB_TRAP_EXCEPTION);
	const struct rt_tag *tag;
	const wlab_valtype_t *types;
	const uint64_t *vals;
	uint32_t n, idx = 99;
	assert_true(wlab_store_exception(t.s, &tag, &types, &n, &vals));
	assert_int_equal(n, 1);
	assert_int_equal(types[0], WLAB_I32);
	assert_int_equal(vals[0], 9);
	assert_true(wlab_instance_tag_index(t.i, tag, &idx));
	assert_int_equal(idx, 0);
	/* through a host function that passes it on */
	assert_int_equal(tu_inst_call1(&t, "via_host", 11, &out), WLAB_TRAP_NONE);
	assert_int_equal(out, 11);
	assert_int_equal(tu_inst_call1(&t, "catch", 1, &out), WLAB_TRAP_NONE);
	assert_false(wlab_store_exception(t.s, &tag, &types, &n, &vals));
	wlab_store_free(t.s);
	wlab_module_free(t.m);
	free(t.bin);
}

/* Exceptions live as long as the store, a million at most. */
static void test_exn_cap(void **state)
{
	(void)state;
	struct tu_inst t = {0};
	uint64_t out = 0;
	load(&t);
	assert_int_equal(tu_inst_call1(&t, "many", 999000, &out), WLAB_TRAP_NONE);
	assert_int_equal(out, 1);
	assert_int_equal(tu_inst_call1(&t, "many", 2000, &out), WLAB_TRAP_EXN_LIMIT);
	wlab_store_free(t.s);
	wlab_module_free(t.m);
	free(t.bin);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exn_validate),
		cmocka_unit_test(test_exn_decode),
		cmocka_unit_test(test_exn_run),
		cmocka_unit_test(test_exn_cap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
