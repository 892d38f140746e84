/* test_lazy.c: lazy translation. A function is translated on its first
 * call (direct, indirect, tail, through wlab_call), never before, and
 * functions never called stay untranslated; the whole module is still
 * validated at instantiation; translation costs no fuel; a trap's backtrace
 * names functions translated on the way; wlab_instantiate_validated skips
 * only the second validation, and validates a module whose record does not
 * match the store's features. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "rt/rt_internal.h"
#include "util.h"
#include "wlab/features.h"
#include "wlab/runtime.h"
#include "wlab/validate.h"
#include "wlab/wat.h"

static const char text[] =
	"(module\n"
	"  (type $t (func (param i32) (result i32)))\n"
	"  (table funcref (elem $ind))\n"
	"  (func $main (export \"main\") (param i32) (result i32)\n"
	"    (i32.add (call $direct (local.get 0))\n"
	"             (call_indirect (type $t) (local.get 0) (i32.const 0))))\n"
	"  (func $direct (param i32) (result i32) (return_call $tail (local.get 0)))\n"
	"  (func $tail (param i32) (result i32) (i32.mul (local.get 0) (i32.const 3)))\n"
	"  (func $ind (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))\n"
	"  (func $never (export \"never\") (param i32) (result i32) (local.get 0))\n"
	"  (func $boom (export \"boom\") (param i32) (result i32)\n"
	"    (i32.div_u (i32.const 1) (call $zero (local.get 0))))\n"
	"  (func $zero (param i32) (result i32) (i32.sub (local.get 0) (local.get 0)))\n"
	")\n";

struct inst {
	uint8_t *bin;
	struct wlab_module *m;
	struct wlab_store *s;
	struct wlab_instance *i;
};

static enum wlab_status load(struct inst *t, const char *src, uint64_t fuel)
{
	struct wlab_error err = {0};
	size_t size = 0;
	enum wlab_trap trap;
	if (wlab_wat_to_binary(src, strlen(src), &t->bin, &size, &err) != WLAB_OK)
		fail_msg("wat: %s", err.message);
	struct wlab_decode_options d = {.features = wlab_features_default()};
	assert_int_equal(wlab_module_decode(t->bin, size, &d, &t->m, &err), WLAB_OK);
	t->s = wlab_store_new(&(struct wlab_store_options){.fuel = fuel});
	assert_non_null(t->s);
	return wlab_instantiate(t->s, t->m, &t->i, &err, &trap);
}

static void unload(struct inst *t)
{
	wlab_store_free(t->s);
	wlab_module_free(t->m);
	free(t->bin);
}

static enum wlab_trap call1(struct inst *t, const char *name, uint64_t arg, uint64_t *out)
{
	struct wlab_extern f;
	enum wlab_trap trap = WLAB_TRAP_NONE;
	assert_true(wlab_instance_export(t->i, name, strlen(name), &f));
	wlab_call(t->s, f.u.func, &arg, out, &trap);
	return trap;
}

/* Functions in text order: main direct tail ind never boom zero. */
static bool translated(const struct inst *t, uint32_t idx)
{
	return t->i->funcs[idx]->code != NULL;
}

static void test_first_call(void **state)
{
	(void)state;
	struct inst t = {0};
	uint64_t out = 0;
	assert_int_equal(load(&t, text, 0), WLAB_OK);
	for (uint32_t i = 0; i < 7; i++)
		assert_false(translated(&t, i));
	assert_int_equal(call1(&t, "main", 5, &out), WLAB_TRAP_NONE);
	assert_int_equal(out, 5 * 3 + 6);
	for (uint32_t i = 0; i < 4; i++)
		assert_true(translated(&t, i));
	assert_false(translated(&t, 4));  /* never called */
	assert_false(translated(&t, 5));
	/* a second call runs the same cells */
	const struct rt_cell *code = t.i->funcs[0]->code;
	assert_int_equal(call1(&t, "main", 7, &out), WLAB_TRAP_NONE);
	assert_int_equal(out, 7 * 3 + 8);
	assert_ptr_equal(t.i->funcs[0]->code, code);
	unload(&t);
}

/* An invalid body is refused at instantiation, though nothing calls it. */
static void test_validated_whole(void **state)
{
	(void)state;
	struct inst t = {0};
	static const char bad[] =
		"(module (func (export \"f\") (result i32) (i32.const 1))\n"
		"  (func $never (result i32) (i64.const 1)))\n";
	struct wlab_error err = {0};
	size_t size = 0;
	assert_int_equal(wlab_wat_to_binary(bad, strlen(bad), &t.bin, &size, &err), WLAB_OK);
	struct wlab_decode_options d = {.features = wlab_features_default()};
	assert_int_equal(wlab_module_decode(t.bin, size, &d, &t.m, &err), WLAB_OK);
	t.s = wlab_store_new(NULL);
	enum wlab_trap trap;
	assert_int_equal(wlab_instantiate(t.s, t.m, &t.i, &err, &trap), WLAB_INVALID);
	assert_string_equal(err.message,
			    "type mismatch in implicit return, expected [i32] but got [i64]");
	unload(&t);
}

/* wlab_instantiate_validated after wlab_module_validate: the same instance,
 * nothing translated before the first call. */
static void test_instantiate_validated(void **state)
{
	(void)state;
	struct inst t = {0};
	struct wlab_error err = {0};
	struct wlab_validate_error verr;
	size_t size = 0;
	enum wlab_trap trap;
	uint64_t out = 0;
	assert_int_equal(wlab_wat_to_binary(text, strlen(text), &t.bin, &size, &err), WLAB_OK);
	struct wlab_decode_options d = {.features = wlab_features_default()};
	assert_int_equal(wlab_module_decode(t.bin, size, &d, &t.m, &err), WLAB_OK);
	assert_int_equal(wlab_module_validate(t.m, NULL, &verr), WLAB_OK);
	t.s = wlab_store_new(NULL);
	assert_int_equal(wlab_instantiate_validated(t.s, t.m, &t.i, &err, &trap), WLAB_OK);
	for (uint32_t i = 0; i < 7; i++)
		assert_false(translated(&t, i));
	assert_int_equal(call1(&t, "main", 5, &out), WLAB_TRAP_NONE);
	assert_int_equal(out, 5 * 3 + 6);
	assert_false(translated(&t, 4));
	unload(&t);
}

/* Translation costs no fuel: a first call and a second use the same. */
static void test_fuel(void **state)
{
	(void)state;
	struct inst t = {0};
	uint64_t out = 0, fuel = 1000000;
	assert_int_equal(load(&t, text, fuel), WLAB_OK);
	assert_int_equal(call1(&t, "main", 5, &out), WLAB_TRAP_NONE);
	uint64_t first = fuel - wlab_store_fuel(t.s);
	wlab_store_set_fuel(t.s, fuel);
	assert_int_equal(call1(&t, "main", 5, &out), WLAB_TRAP_NONE);
	assert_int_equal(fuel - wlab_store_fuel(t.s), first);
	assert_true(first > 5);
	unload(&t);
	/* fuel that runs out in main leaves the callees untranslated */
	assert_int_equal(load(&t, text, 1), WLAB_OK);
	assert_int_equal(call1(&t, "main", 5, &out), WLAB_TRAP_FUEL);
	assert_true(translated(&t, 0));
	assert_false(translated(&t, 1));
	unload(&t);
}

/* A trap in a function translated on the way: the backtrace has both. */
static void test_backtrace(void **state)
{
	(void)state;
	struct inst t = {0};
	uint64_t out = 0;
	struct wlab_frame_info fr[4];
	assert_int_equal(load(&t, text, 0), WLAB_OK);
	assert_int_equal(call1(&t, "boom", 5, &out), WLAB_TRAP_DIV_ZERO);
	assert_int_equal(wlab_store_backtrace(t.s, fr, 4), 1);
	assert_int_equal(fr[0].func, 5);
	assert_true(translated(&t, 6));
	unload(&t);
}

/* wlab_instantiate_validated on a module not validated with the store's
 * features validates it: an invalid one (an export of function 7 of none)
 * is a clean error, not an instance reading past its functions; one
 * validated with other features (multi-memory) is checked with the
 * store's; a failed validation clears the record. */
static void test_instantiate_unvalidated(void **state)
{
	(void)state;
	static const uint8_t bad[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
				      0x07, 0x05, 0x01, 0x01, 'f', 0x00, 0x07};
	struct wlab_error err = {0};
	struct wlab_validate_error verr;
	struct wlab_instance *inst = (struct wlab_instance *)1;
	enum wlab_trap trap;
	struct wlab_module *m = NULL;
	struct wlab_decode_options d = {.features = wlab_features_default()};
	assert_int_equal(wlab_module_decode(bad, sizeof bad, &d, &m, &err), WLAB_OK);
	assert_int_equal(m->validated, 0);
	struct wlab_store *s = wlab_store_new(NULL);
	assert_int_equal(wlab_instantiate_validated(s, m, &inst, &err, &trap), WLAB_INVALID);
	assert_string_equal(err.message, "unknown function 7");
	assert_null(inst);
	assert_int_equal(m->validated, 0);
	wlab_store_free(s);
	wlab_module_free(m);

	static const char two[] = "(module (memory 1) (memory 1))";
	uint8_t *bin = NULL;
	size_t size = 0;
	assert_int_equal(wlab_wat_to_binary(two, strlen(two), &bin, &size, &err), WLAB_OK);
	assert_int_equal(wlab_module_decode(bin, size, &d, &m, &err), WLAB_OK);
	assert_int_equal(wlab_module_validate(m, NULL, &verr), WLAB_OK);
	assert_int_equal(m->validated, wlab_features_default());
	uint32_t one = wlab_features_default() & ~wlab_feature_by_name("multi-memory");
	s = wlab_store_new(&(struct wlab_store_options){.features = one});
	assert_int_equal(wlab_instantiate_validated(s, m, &inst, &err, &trap), WLAB_INVALID);
	assert_string_equal(err.message, "multiple memories");
	assert_int_equal(wlab_module_validate(m, &(struct wlab_validate_options){.features = one},
					      &verr), WLAB_INVALID);
	assert_int_equal(m->validated, 0);
	wlab_store_free(s);
	wlab_module_free(m);
	free(bin);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_call),
		cmocka_unit_test(test_validated_whole),
		cmocka_unit_test(test_instantiate_validated),
		cmocka_unit_test(test_instantiate_unvalidated),
		cmocka_unit_test(test_fuel),
		cmocka_unit_test(test_backtrace),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
