/* test_typedrefs.c: typed function references: the validation rules
 * (non-defaultable locals and their initialisation per block, ref.func's
 * exact type, br_on_null/br_on_non_null typing, tables of non-nullable
 * references, 3.0 subtyping in calls and segments, select) and their
 * execution (call_ref, the null traps, the br_on_* branches, table
 * initialisers), each from text through the decoder, validator and store;
 * and the subtyping rules themselves (wlab_val_subtype). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "util.h"
#include "wlab/encode.h"
#include "wlab/features.h"
#include "wlab/link.h"
#include "wlab/runtime.h"
#include "wlab/validate.h"
#include "wlab/wat.h"

struct vrow {
	const char *text;
	const char *error;  /* NULL: valid */
};

#define TY "(type $ii (func (param i32) (result i32))) "
#define INC "(func $inc (type $ii) (local.get 0)) (elem declare func $inc) "

static const struct vrow vrows[] = {
	/* 3.0 initialisation: a non-null local is unset until set */
	{"(module " TY " (func (local $f (ref $ii)) (drop (local.get $f))))", "uninitialized local"},
	{"(module " TY INC " (func (local $f (ref $ii)) (local.set $f (ref.func $inc))"
	 " (drop (local.get $f))))", NULL},
	{"(module " TY INC " (func (local $f (ref $ii)) (drop (local.tee $f (ref.func $inc)))"
	 " (drop (local.get $f))))", NULL},
	/* ... and a set inside a block is forgotten at its end */
	{"(module " TY INC " (func (local $f (ref $ii)) (block (local.set $f (ref.func $inc)))"
	 " (drop (local.get $f))))", "uninitialized local"},
	{"(module " TY INC " (func (param i32) (local $f (ref $ii)) (if (local.get 0)"
	 " (then (local.set $f (ref.func $inc))) (else (drop (local.get $f))))))",
	 "uninitialized local"},
	/* params and nullable locals are always set */
	{"(module " TY " (func (param $p (ref $ii)) (local $q (ref null $ii))"
	 " (drop (local.get $p)) (drop (local.get $q))))", NULL},
	/* ref.func has the function's exact, non-null type */
	{"(module " TY INC " (func (result (ref $ii)) (ref.func $inc)))", NULL},
	{"(module (type $v (func)) " TY INC " (func (result (ref $v)) (ref.func $inc)))",
	 "type mismatch"},
	{"(module " TY INC " (func (result funcref) (ref.func $inc)))", NULL},
	/* ref.null of a concrete type is nullable: no (ref $t) */
	{"(module " TY " (func (result (ref $ii)) (ref.null $ii)))", "type mismatch"},
	{"(module " TY " (func (result (ref $ii)) (ref.as_non_null (ref.null $ii))))", NULL},
	/* call_ref takes a (ref null $t) of its own type */
	{"(module " TY " (func (param funcref) (result i32) (call_ref $ii (i32.const 1)"
	 " (local.get 0))))", "type mismatch"},
	{"(module " TY " (func (param (ref null $ii)) (result i32) (call_ref $ii (i32.const 1)"
	 " (local.get 0))))", NULL},
	{"(module " TY " (func (result i32) (call_ref 7 (i32.const 1) (ref.null func))))",
	 "unknown type"},
	/* br_on_null leaves the non-null reference; br_on_non_null sends it */
	{"(module " TY " (func (param (ref null $ii)) (result (ref $ii))"
	 " (block (return (br_on_null 0 (local.get 0)))) (unreachable)))", NULL},
	{"(module " TY " (func (param (ref null $ii)) (result (ref $ii))"
	 " (block (result (ref $ii)) (br_on_non_null 0 (local.get 0)) (unreachable))))", NULL},
	{"(module " TY " (func (param (ref null $ii))"
	 " (block (br_on_non_null 0 (local.get 0)))))", "type mismatch"},
	{"(module " TY " (func (param i32) (drop (br_on_null 0 (local.get 0)))))",
	 "type mismatch"},
	/* a table of non-null references needs an initialiser of its type */
	{"(module " TY " (table 1 (ref $ii)))", "type mismatch"},
	{"(module " TY INC " (table 1 (ref $ii) (ref.func $inc)))", NULL},
	{"(module " TY " (table 1 (ref $ii) (ref.null $ii)))", "type mismatch"},
	{"(module " TY " (table 1 (ref null $ii)))", NULL},
	/* a table's initialiser reads imported globals only */
	{"(module (global $g funcref (ref.null func)) (table 1 funcref (global.get $g)))",
	 "unknown global"},
	/* segments: function indices are (ref func), which fits a (ref func) table */
	{"(module (func $f) (table 1 (ref func) (ref.func $f)) (elem (i32.const 0) func $f))", NULL},
	{"(module (table 1 (ref func) (ref.null nofunc)))", "type mismatch"},
	/* call_indirect through a table of a subtype of funcref */
	{"(module " TY INC " (table 1 (ref null $ii)) (func (result i32)"
	 " (call_indirect (type $ii) (i32.const 0) (i32.const 0))))", NULL},
	/* select: refs need the typed form */
	{"(module " TY " (func (param (ref null $ii) (ref null $ii) i32) (result (ref null $ii))"
	 " (select (result (ref null $ii)) (local.get 0) (local.get 1) (local.get 2))))", NULL},
	{"(module " TY " (func (param (ref null $ii) (ref null $ii) i32) (result (ref null $ii))"
	 " (select (local.get 0) (local.get 1) (local.get 2))))", "type mismatch"},
	/* a concrete heap type must name a type */
	{"(module (func (param (ref 9))))", "unknown type"},
	{"(module (global (ref null 4) (ref.null func)))", "unknown type"},
	/* a type names earlier types and itself, not later ones */
	{"(module (type $a (func (param (ref $b)))) (type $b (func)))", "unknown type"},
	{"(module (type $a (func (param (ref null $a)))))", NULL},
};

/* The binaries of the loaded modules, which borrow them; freed by unload. */
static uint8_t *bins[4];
static unsigned nbins;

static void unload(struct wlab_module *m)
{
	wlab_module_free(m);
	while (nbins)
		free(bins[--nbins]);
}

/* Text to a decoded module with the default (3.0) features. */
static struct wlab_module *load(const char *text)
{
	struct wlab_error err = {0};
	uint8_t *bin = NULL;
	size_t size = 0;
	struct wlab_module *m = NULL;
	if (wlab_wat_to_binary(text, strlen(text), &bin, &size, &err))
		fail_msg("%s: %s", text, err.message);
	struct wlab_decode_options o = {.features = wlab_features_default()};
	enum wlab_status st = wlab_module_decode(bin, size, &o, &m, &err);
	assert_true(nbins < 4);
	bins[nbins++] = bin;
	if (st) {
		wlab_module_free(m);
		fail_msg("%s: decode: %s", text, err.message);
	}
	return m;
}

static void test_validation_rules(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof vrows / sizeof vrows[0]; i++) {
		const struct vrow *r = &vrows[i];
		struct wlab_module *m = load(r->text);
		struct wlab_validate_error err;
		struct wlab_validate_options o = {.features = wlab_features_default()};
		enum wlab_status st = wlab_module_validate(m, &o, &err);
		if (!r->error && st)
			fail_msg("%s: %s", r->text, err.error.message);
		if (r->error && st != WLAB_INVALID)
			fail_msg("%s: valid, want '%s'", r->text, r->error);
		if (r->error && !strstr(err.error.message, r->error))
			fail_msg("%s: '%s', want '%s'", r->text, err.error.message, r->error);
		unload(m);
	}
}

static const char run_text[] =
	"(module " TY
	" (func $inc (type $ii) (i32.add (local.get 0) (i32.const 1)))"
	" (elem declare func $inc)"
	" (table $t 2 (ref $ii) (ref.func $inc))"
	" (func (export \"call\") (param i32) (result i32)"
	"   (call_ref $ii (local.get 0) (ref.func $inc)))"
	" (func (export \"null\") (param i32) (result i32)"
	"   (call_ref $ii (local.get 0) (ref.null $ii)))"
	" (func (export \"as\") (param i32) (result i32)"
	"   (drop (ref.as_non_null (ref.null func))) (local.get 0))"
	" (func (export \"on_null\") (param i32) (result i32) (local $r (ref null $ii))"
	"   (if (local.get 0) (then (local.set $r (ref.func $inc))))"
	"   (block $l (return (call_ref $ii (i32.const 10) (br_on_null $l (local.get $r)))))"
	"   (i32.const -1))"
	" (func (export \"on_non_null\") (param i32) (result i32) (local $r (ref null $ii))"
	"   (if (local.get 0) (then (local.set $r (ref.func $inc))))"
	"   (call_ref $ii (i32.const 20)"
	"     (block $l (result (ref $ii)) (br_on_non_null $l (local.get $r)) (return (i32.const -2)))))"
	" (func (export \"table\") (param i32) (result i32)"
	"   (call_indirect $t (type $ii) (local.get 0) (i32.const 1))))";

static uint64_t run(struct wlab_store *s, struct wlab_instance *inst, const char *name,
		    uint64_t arg, enum wlab_trap *trap)
{
	struct wlab_extern x;
	uint64_t res = 0;
	assert_true(wlab_instance_export(inst, name, strlen(name), &x));
	*trap = WLAB_TRAP_NONE;
	wlab_call(s, x.u.func, &arg, &res, trap);
	return (uint32_t)res;
}

static void test_execution(void **state)
{
	(void)state;
	struct wlab_module *m = load(run_text);
	struct wlab_error err = {0};
	struct wlab_instance *inst = NULL;
	enum wlab_trap trap;
	struct wlab_store *s = wlab_store_new(NULL);
	assert_int_equal(wlab_instantiate(s, m, &inst, &err, &trap), WLAB_OK);
	assert_int_equal(run(s, inst, "call", 41, &trap), 42);
	assert_int_equal(trap, WLAB_TRAP_NONE);
	run(s, inst, "null", 1, &trap);
	assert_int_equal(trap, WLAB_TRAP_NULL_FUNC);
	assert_string_equal(wlab_trap_message(trap), "null function reference");
	run(s, inst, "as", 1, &trap);
	assert_int_equal(trap, WLAB_TRAP_NULL_REF);
	assert_string_equal(wlab_trap_message(trap), "null reference");
	assert_int_equal(run(s, inst, "on_null", 1, &trap), 11);
	assert_int_equal(run(s, inst, "on_null", 0, &trap), (uint32_t)-1);
	assert_int_equal(run(s, inst, "on_non_null", 1, &trap), 21);
	assert_int_equal(run(s, inst, "on_non_null", 0, &trap), (uint32_t)-2);
	assert_int_equal(trap, WLAB_TRAP_NONE);
	/* the table's initialiser filled every element */
	assert_int_equal(run(s, inst, "table", 5, &trap), 6);
	assert_int_equal(trap, WLAB_TRAP_NONE);
	wlab_store_free(s);
	unload(m);
}

/* A function import matches a function of an equal type of another
 * module, compared by structure (a reference to a type of its own). */
static void test_import_by_structure(void **state)
{
	(void)state;
	struct wlab_module *a = load(
		"(module (type $x (func)) (type $t (func (param (ref $x)) (result i32)))"
		" (func (export \"f\") (type $t) (i32.const 7)))");
	struct wlab_module *b = load(
		"(module (type $y (func (param i32))) (type $z (func))"
		" (type $u (func (param (ref $z)) (result i32)))"
		" (import \"a\" \"f\" (func (type $u))))");
	struct wlab_module *c = load(
		"(module (type $y (func (param i32)))"
		" (type $u (func (param (ref $y)) (result i32)))"
		" (import \"a\" \"f\" (func (type $u))))");
	struct wlab_error err = {0};
	struct wlab_instance *ia = NULL, *ib = NULL, *ic = NULL;
	enum wlab_trap trap;
	struct wlab_store *s = wlab_store_new(NULL);
	assert_int_equal(wlab_instantiate(s, a, &ia, &err, &trap), WLAB_OK);
	assert_int_equal(wlab_store_register(s, "a", ia), WLAB_OK);
	if (wlab_instantiate(s, b, &ib, &err, &trap))
		fail_msg("%s", err.message);
	assert_int_equal(wlab_instantiate(s, c, &ic, &err, &trap), WLAB_UNLINKABLE);
	if (!strstr(err.message, "incompatible import type"))
		fail_msg("%s", err.message);
	wlab_store_free(s);
	wlab_module_free(a);
	wlab_module_free(b);
	unload(c);
}

static enum wlab_trap host_seven(void *ctx, const uint64_t *args, uint64_t *results)
{
	(void)ctx, (void)args;
	results[0] = 7;
	return WLAB_TRAP_NONE;
}

/* A host makes what a module imports of its own types: a function and a tag
 * whose types sit in a rec group match only when made of the group's store
 * ids (wlab_store_module_type_ids, wlab_host_func_new_id, wlab_tag_new_id);
 * the same params and results as a type of its own do not (iso-recursive),
 * and the message says both types. */
static void test_host_of_module_types(void **state)
{
	(void)state;
	struct wlab_module *m = load(
		"(module (rec (type $f (func (param (ref null $s)) (result i32)))"
		" (type $s (struct (field i32))) (type $e (func (param i32))))"
		" (import \"h\" \"f\" (func $f (type $f)))"
		" (import \"h\" \"e\" (tag $e (type $e)))"
		" (func (export \"go\") (result i32)"
		"  (block $h (result i32) (try_table (catch $e $h)"
		"   (throw $e (call $f (ref.null $s)))) (i32.const -1))))");
	struct wlab_error err = {0};
	struct wlab_instance *inst = NULL;
	enum wlab_trap trap;
	uint32_t ids[4];  /* the group's three, and go's type */
	struct wlab_store *s = wlab_store_new(NULL);
	assert_int_equal(m->ntypes, 4);
	assert_int_equal(wlab_store_module_type_ids(s, m, ids), WLAB_OK);
	assert_int_equal(ids[1], ids[0] + 1);  /* one group */
	assert_null(wlab_host_func_new_id(s, ids[1], host_seven, NULL));  /* a struct */
	assert_null(wlab_tag_new_id(s, ids[0]));  /* results: no tag type */
	/* of equal structure, but a type of its own: refused, both types said */
	wlab_valtype_t p = wlab_store_valtype(ids, wlab_ref_type(true, wlab_heap_concrete(1)));
	wlab_valtype_t r = WLAB_I32;
	struct rt_func *alone = wlab_host_func_new(s, &p, 1, &r, 1, host_seven, NULL);
	assert_non_null(alone);
	assert_int_equal(wlab_store_define(s, "h", "f", (struct wlab_extern){.kind = WLAB_EXTERN_FUNC,
					   .u.func = alone}), WLAB_OK);
	assert_int_equal(wlab_store_define(s, "h", "e", (struct wlab_extern){.kind = WLAB_EXTERN_TAG,
					   .u.tag = wlab_tag_new_id(s, ids[2])}), WLAB_OK);
	assert_int_equal(wlab_instantiate(s, m, &inst, &err, &trap), WLAB_UNLINKABLE);
	if (!strstr(err.message, "incompatible import type \"h\" \"f\": imported as func "
				 "((ref null 1)) -> (i32), defined as func ("))
		fail_msg("%s", err.message);
	/* of the group's id: links, runs, and the tag made of it is caught */
	struct rt_func *f = wlab_host_func_new_id(s, ids[0], host_seven, NULL);
	assert_non_null(f);
	assert_int_equal(wlab_store_define(s, "h", "f", (struct wlab_extern){.kind = WLAB_EXTERN_FUNC,
					   .u.func = f}), WLAB_OK);
	if (wlab_instantiate(s, m, &inst, &err, &trap))
		fail_msg("%s", err.message);
	assert_int_equal(run(s, inst, "go", 0, &trap), 7);
	assert_int_equal(trap, WLAB_TRAP_NONE);
	wlab_store_free(s);
	unload(m);
}

/* wlab-link: b's typed import of a's export is fused, concrete heap types
 * everywhere (types, a global, a table with an initialiser, locals, block
 * and select types, ref.null, call_ref) renumbered into the output's
 * types, which then validates and runs. */
static void test_link(void **state)
{
	(void)state;
	struct wlab_module *a = load(
		"(module (type $v (func)) (type $ii (func (param i32) (result i32)))"
		" (func $inc (export \"inc\") (type $ii) (i32.add (local.get 0) (i32.const 1)))"
		" (elem declare func $inc)"
		" (global (export \"g\") (ref $ii) (ref.func $inc)))");
	struct wlab_module *b = load(
		"(module (type $ii (func (param i32) (result i32)))"
		" (type $k (func (param (ref null $ii)) (result i32)))"
		" (import \"a\" \"inc\" (func $inc (type $ii)))"
		" (import \"a\" \"g\" (global $g (ref func)))"
		" (table $t 1 (ref null $ii) (ref.null $ii))"
		" (func $use (type $k) (local $l (ref null $ii))"
		"   (local.set $l (select (result (ref null $ii)) (local.get 0) (ref.null $ii) (i32.const 1)))"
		"   (call_ref $ii (i32.const 41) (block (result (ref $ii)) (ref.as_non_null (local.get $l)))))"
		" (elem declare func $inc)"
		" (func (export \"run\") (result i32) (call $use (ref.func $inc))))");
	struct wlab_link_input in[2] = {{"a", NULL, a}, {"b", NULL, b}};
	struct wlab_link_options o = {.features = wlab_features_default()};
	struct wlab_link_result res = {0};
	struct wlab_link_error lerr;
	if (wlab_link(in, 2, &o, &res, &lerr))
		fail_msg("link: %s", lerr.error.message);
	struct wlab_decode_options d = {.features = wlab_features_default()};
	struct wlab_module *m = NULL;
	struct wlab_error err = {0};
	uint8_t *bin = NULL;
	size_t size = 0;
	if (wlab_module_encode(res.module, &bin, &size, &err))
		fail_msg("encode: %s", err.message);
	if (wlab_module_decode(bin, size, &d, &m, &err))
		fail_msg("decode: %s", err.message);
	struct wlab_validate_options vo = {.features = wlab_features_default()};
	struct wlab_validate_error verr;
	if (wlab_module_validate(m, &vo, &verr))
		fail_msg("validate: %s", verr.error.message);
	assert_int_equal(m->nimports, 0);
	/* (func), $ii (one for both inputs), $k, run's implicit (func (result i32)) */
	assert_int_equal(m->ntypes, 4);
	struct wlab_store *s = wlab_store_new(NULL);
	struct wlab_instance *inst = NULL;
	enum wlab_trap trap;
	if (wlab_instantiate(s, m, &inst, &err, &trap))
		fail_msg("instantiate: %s", err.message);
	assert_int_equal(run(s, inst, "run", 0, &trap), 42);
	assert_int_equal(trap, WLAB_TRAP_NONE);
	wlab_store_free(s);
	wlab_module_free(m);
	free(bin);
	wlab_link_result_free(&res);
	wlab_module_free(a);
	unload(b);
}

/* wlab_val_subtype, libwasm's one copy of 3.0 subtyping, with a toy meaning
 * of concrete types: 0 and 1 function types (1 declares 0 its supertype), 2
 * a struct type, 3 an array type. */
static bool toy_sub(const struct wlab_subtyping *s, uint32_t a, uint32_t b)
{
	(void)s;
	return a == b || (a == 1 && b == 0);
}

static wlab_heaptype_t toy_kind(const struct wlab_subtyping *s, int side, uint32_t i)
{
	(void)s;
	(void)side;
	return i == 2 ? WLAB_HT_STRUCT : i == 3 ? WLAB_HT_ARRAY : WLAB_HT_FUNC;
}

static bool never_sub(const struct wlab_subtyping *s, uint32_t a, uint32_t b)
{
	(void)s;
	(void)a;
	(void)b;
	return false;
}

#define REF(h) wlab_ref_type(false, (h))
#define REFN(h) wlab_ref_type(true, (h))
#define C(i) wlab_heap_concrete(i)

static void test_subtype_rules(void **state)
{
	(void)state;
	const struct {
		wlab_valtype_t a, b;
		bool sub;
	} rows[] = {
		{WLAB_I32, WLAB_I32, true}, {WLAB_I32, WLAB_I64, false}, {WLAB_I32, WLAB_FUNCREF, false},
		{WLAB_V128, WLAB_V128, true}, {WLAB_FUNCREF, WLAB_I32, false},
		/* nullability */
		{REF(WLAB_HT_FUNC), WLAB_FUNCREF, true}, {WLAB_FUNCREF, REF(WLAB_HT_FUNC), false},
		/* bottoms: below every type of their hierarchy, null only into nullable */
		{REF(WLAB_HT_NOFUNC), REF(C(0)), true}, {REFN(WLAB_HT_NOFUNC), REF(C(0)), false},
		{REFN(WLAB_HT_NOFUNC), REFN(C(0)), true}, {REFN(WLAB_HT_NOFUNC), WLAB_EXTERNREF, false},
		{REFN(WLAB_HT_NOEXTERN), WLAB_EXTERNREF, true}, {REFN(WLAB_HT_NOEXN), REFN(WLAB_HT_EXN), true},
		{REF(WLAB_HT_NONE), REF(C(2)), true}, {REF(C(0)), REF(WLAB_HT_NOFUNC), false},
		/* tops */
		{REF(C(0)), WLAB_FUNCREF, true}, {WLAB_FUNCREF, REFN(C(0)), false},
		{REF(C(0)), WLAB_EXTERNREF, false}, {REFN(WLAB_HT_EXN), WLAB_FUNCREF, false},
		{WLAB_EXTERNREF, REFN(WLAB_HT_ANY), false}, {REF(WLAB_HT_EQ), REFN(WLAB_HT_ANY), true},
		/* concrete types: the caller's comparison */
		{REF(C(1)), REF(C(0)), true}, {REF(C(0)), REF(C(1)), false}, {REF(C(1)), REFN(C(0)), true},
		{REFN(C(1)), REF(C(0)), false},
		/* GC's middle: struct and array types, eq above i31, struct, array */
		{REF(C(2)), REF(WLAB_HT_STRUCT), true}, {REF(C(2)), REFN(WLAB_HT_EQ), true},
		{REF(C(2)), REF(WLAB_HT_ARRAY), false}, {REF(C(3)), REFN(WLAB_HT_ARRAY), true},
		{REF(C(2)), WLAB_FUNCREF, false}, {REF(C(2)), REF(C(0)), false},
		{REF(WLAB_HT_I31), REF(WLAB_HT_EQ), true}, {REFN(WLAB_HT_ANY), REFN(WLAB_HT_EQ), false},
		{REF(WLAB_HT_EQ), REF(WLAB_HT_I31), false}, {REF(WLAB_HT_STRUCT), REF(C(2)), false},
	};
	const struct wlab_subtyping toy = {toy_sub, toy_kind, NULL, NULL};
	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
		char a[48], b[48];
		if (wlab_val_subtype(&toy, rows[i].a, rows[i].b) != rows[i].sub)
			fail_msg("row %zu: %s <: %s should be %s", i, wlab_type_str(rows[i].a, a, sizeof a),
				 wlab_type_str(rows[i].b, b, sizeof b), rows[i].sub ? "true" : "false");
	}
	/* equal indices are no shortcut: the sides may be two modules */
	const struct wlab_subtyping two = {never_sub, NULL, NULL, NULL};
	assert_false(wlab_val_subtype(&two, REF(C(0)), REF(C(0))));
	assert_false(wlab_heap_subtype(&two, C(5), C(5)));
	assert_true(wlab_val_subtype(&two, WLAB_FUNCREF, WLAB_FUNCREF));
	assert_true(wlab_val_subtype(&two, REF(C(0)), WLAB_FUNCREF));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_validation_rules),
		cmocka_unit_test(test_execution),
		cmocka_unit_test(test_import_by_structure),
		cmocka_unit_test(test_host_of_module_types),
		cmocka_unit_test(test_link),
		cmocka_unit_test(test_subtype_rules),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
