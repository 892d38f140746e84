/* test_gc_stackmap.c: the collector scans the value stack precisely, by
 * the translator's stack maps (docs/interpreter.md, "The collector"). A
 * struct whose only trace is its address bits in an i64 (a param, a local,
 * an operand below a call, a frame below a nested wlab_call) is freed by a
 * wlab_store_gc() run from a host function; the same struct in an anyref
 * param, local or operand is kept. A conservative scan keeps it in every
 * case, so the freed cases fail with one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "util_inst.h"
#include "wlab/runtime.h"

static const char text[] =
	"(module\n"
	"  (import \"host\" \"gc\" (func $gc))\n"
	"  (import \"host\" \"reenter\" (func $reenter))\n"
	"  (import \"host\" \"gcarg\" (func $gcarg (param anyref i64)))\n"
	"  (export \"gcarg\" (func $gcarg))\n"
	"  (type $s (struct (field i32)))\n"
	"  (func (export \"mk\") (result (ref $s)) (struct.new $s (i32.const 42)))\n"
	"  (func (export \"gcnow\") (call $gc))\n"
	/* the bits in an i64 param */
	"  (func (export \"int_param\") (param i64) (result i64)\n"
	"    (call $gc) (local.get 0))\n"
	/* in an i64 local, the param cleared */
	"  (func (export \"int_local\") (param i64) (result i64) (local $l i64)\n"
	"    (local.set $l (local.get 0)) (local.set 0 (i64.const 0))\n"
	"    (call $gc) (local.get $l))\n"
	/* in an i64 operand below the call, the param cleared */
	"  (func (export \"int_operand\") (param i64) (result i64)\n"
	"    (local.get 0) (local.set 0 (i64.const 0)) (call $gc))\n"
	/* in an i64 param of a frame below a nested wlab_call */
	"  (func (export \"int_nested\") (param i64) (result i64)\n"
	"    (call $reenter) (local.get 0))\n"
	"  (func (export \"ref_param\") (param anyref) (result i32)\n"
	"    (call $gc) (ref.is_null (local.get 0)))\n"
	"  (func (export \"ref_local\") (param anyref) (result i32) (local $l anyref)\n"
	"    (local.set $l (local.get 0)) (local.set 0 (ref.null any))\n"
	"    (call $gc) (ref.is_null (local.get $l)))\n"
	"  (func (export \"ref_operand\") (param anyref) (result anyref)\n"
	"    (local.get 0) (local.set 0 (ref.null any)) (call $gc))\n"
	"  (func (export \"ref_nested\") (param anyref) (result i32)\n"
	"    (call $reenter) (ref.is_null (local.get 0)))\n"
	/* a host function's args: the anyref one a root, the i64 one not */
	"  (func (export \"host_args\") (param anyref i64)\n"
	"    (call $gcarg (local.get 0) (local.get 1)))\n"
	/* n calls deep, then the host's collection from the innermost frame */
	"  (func $deep (export \"deep\") (param anyref i32) (result i32)\n"
	"    (if (result i32) (local.get 1)\n"
	"      (then (call $deep (local.get 0) (i32.sub (local.get 1) (i32.const 1))))\n"
	"      (else (call $gc) (ref.is_null (local.get 0)))))\n"
	")\n";

static enum wlab_trap host_gc(void *ctx, const uint64_t *args, uint64_t *results)
{
	struct tu_inst *t = ctx;
	(void)args;
	(void)results;
	wlab_store_gc(t->s);
	return WLAB_TRAP_NONE;
}

/* host.reenter: calls the guest's gcnow (a nested run: the frames below
 * its sentinel are roots too). */
static enum wlab_trap host_reenter(void *ctx, const uint64_t *args, uint64_t *results)
{
	struct tu_inst *t = ctx;
	struct wlab_extern x;
	enum wlab_trap trap = WLAB_TRAP_NONE;
	(void)args;
	(void)results;
	if (!wlab_instance_export(t->i, "gcnow", 5, &x) ||
	    wlab_call(t->s, x.u.func, NULL, NULL, &trap) != WLAB_OK)
		return trap ? trap : WLAB_TRAP_UNREACHABLE;
	return WLAB_TRAP_NONE;
}

static void define(struct tu_inst *t, const char *name, const wlab_valtype_t *params, uint32_t np,
		   wlab_host_fn fn)
{
	struct wlab_extern x = {.kind = WLAB_EXTERN_FUNC};
	x.u.func = wlab_host_func_new(t->s, params, np, NULL, 0, fn, t);
	assert_non_null(x.u.func);
	assert_int_equal(wlab_store_define(t->s, "host", name, x), WLAB_OK);
}

/* max_call_depth: the store's, 0 for the default. */
static void sm_open_depth(struct tu_inst *t, uint32_t max_call_depth)
{
	struct wlab_store_options o = {.max_call_depth = max_call_depth};
	tu_inst_open(t, text, &o);
	const wlab_valtype_t args[] = {wlab_ref_type(true, WLAB_HT_ANY), WLAB_I64};
	define(t, "gc", NULL, 0, host_gc);
	define(t, "reenter", NULL, 0, host_reenter);
	define(t, "gcarg", args, 2, host_gc);
	tu_inst_start(t);
}

static void sm_open(struct tu_inst *t)
{
	sm_open_depth(t, 0);
}

/* Calls export name with up to two args; its result (0 when none). */
static uint64_t call(struct tu_inst *t, const char *name, uint64_t a0, uint64_t a1)
{
	uint64_t args[2] = {a0, a1}, r[16] = {0};
	assert_int_equal(tu_inst_call(t, name, args, r), WLAB_TRAP_NONE);
	return r[0];
}

static uint64_t fresh(struct tu_inst *t)
{
	uint64_t p = call(t, "mk", 0, 0), n, objects, heap;
	assert_true(p != 0);
	wlab_store_gc_stats(t->s, &n, &objects, &heap);
	assert_true(objects > 0);
	return p;
}

static bool alive(struct tu_inst *t, uint64_t p)
{
	uint64_t n, objects, heap;
	uint32_t id, len;
	bool is_array;
	wlab_store_gc_stats(t->s, &n, &objects, &heap);
	bool is = wlab_ref_object(t->s, p, &id, &len, &is_array);
	assert_int_equal(is, objects > 0);  /* the only object there is */
	return is;
}

/* Address bits in an i64 slot are no root: the struct is freed. */
static void test_int_slots_free(void **state)
{
	(void)state;
	static const char *const names[] = {"int_param", "int_local", "int_operand", "int_nested"};
	for (size_t k = 0; k < sizeof names / sizeof *names; k++) {
		struct tu_inst t;
		sm_open(&t);
		uint64_t p = fresh(&t);
		assert_int_equal(call(&t, names[k], p, 0), p);  /* the bits went through */
		if (alive(&t, p))
			fail_msg("%s: the struct survived (the i64 slot was taken as a root)", names[k]);
		tu_inst_close(&t);
	}
}

/* A reference slot is a root: the struct is kept, and reads right. */
static void test_ref_slots_keep(void **state)
{
	(void)state;
	static const char *const names[] = {"ref_param", "ref_local", "ref_nested"};
	for (size_t k = 0; k < sizeof names / sizeof *names; k++) {
		struct tu_inst t;
		sm_open(&t);
		uint64_t p = fresh(&t);
		assert_int_equal(call(&t, names[k], p, 0), 0);  /* not null */
		if (!alive(&t, p))
			fail_msg("%s: the struct was freed under a reference slot", names[k]);
		tu_inst_close(&t);
	}
	struct tu_inst t;
	sm_open(&t);
	uint64_t p = fresh(&t);
	assert_int_equal(call(&t, "ref_operand", p, 0), p);
	assert_true(alive(&t, p));
	tu_inst_close(&t);
}

/* A host function's args while it runs: by its param types. */
static void test_host_args(void **state)
{
	(void)state;
	struct tu_inst t;
	sm_open(&t);
	uint64_t p = fresh(&t);
	call(&t, "host_args", p, 0);
	assert_true(alive(&t, p));
	wlab_store_gc(t.s);  /* no call in progress: nothing on the stack is a root */
	assert_false(alive(&t, p));
	p = fresh(&t);
	call(&t, "host_args", 0, p);
	assert_false(alive(&t, p));
	p = fresh(&t);  /* the host function called by wlab_call itself */
	call(&t, "gcarg", p, 0);
	assert_true(alive(&t, p));
	call(&t, "gcarg", 0, p);
	assert_false(alive(&t, p));
	tu_inst_close(&t);
}

/* A host call from the deepest frame the store allows: a call writes its
 * caller's frame into s->frames's spare slot above the top, and call_host
 * copies it for the walk there. The struct in the innermost frame's anyref
 * param is kept; one call deeper is out of frames. */
static void test_host_call_deepest(void **state)
{
	(void)state;
	struct tu_inst t;
	sm_open_depth(&t, 256);
	uint64_t p = fresh(&t);
	struct wlab_extern x;
	enum wlab_trap trap = WLAB_TRAP_NONE;
	assert_true(wlab_instance_export(t.i, "deep", 4, &x));
	/* wlab_call's sentinel is frame 0, deep(n) runs at depth n + 1 */
	uint64_t args[2] = {p, 255}, r[1] = {1};
	assert_int_equal(wlab_call(t.s, x.u.func, args, r, &trap), WLAB_OK);
	assert_int_equal(trap, WLAB_TRAP_NONE);
	assert_int_equal(r[0], 0);
	if (!alive(&t, p))
		fail_msg("the struct in the deepest frame was freed under its anyref param");
	args[1] = 256;
	assert_int_not_equal(wlab_call(t.s, x.u.func, args, r, &trap), WLAB_OK);
	assert_int_equal(trap, WLAB_TRAP_EXHAUSTED);
	tu_inst_close(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_int_slots_free),
		cmocka_unit_test(test_ref_slots_keep),
		cmocka_unit_test(test_host_args),
		cmocka_unit_test(test_host_call_deepest),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
