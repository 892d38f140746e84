/* test_wat_roundtrip.c: text parsed, printed by wlab_wat_print (flat and
 * folded) and parsed again gives the same bytes: the cases the 3.0 round
 * trip (tests/wat/roundtrip3.py) found, each failing before its fix,
 * custom sections and branch hints printed with WLAB_WAT_CUSTOM, and folding rules of
 * wasm2wat's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "wlab/features.h"
#include "wlab/module.h"
#include "wlab/validate.h"
#include "wlab/wat.h"
#include "wlab/watprint.h"

static uint32_t features(void)
{
	return wlab_features_default() | WLAB_FEATURE_GC;
}

/* text -> bytes -> (validate) -> text in both modes -> the same bytes; the
 * printed text must contain want when want is not NULL. */
static void roundtrip_flags(const char *text, const char *want, unsigned extra)
{
	uint8_t *bin = NULL;
	size_t n = 0;
	struct wlab_error err = {0};
	if (wlab_wat_to_binary_features(text, strlen(text), features(), &bin, &n, &err))
		fail_msg("%s: %s", text, err.message);
	struct wlab_decode_options dopts = {0};
	dopts.features = features();
	struct wlab_module *m = NULL;
	if (wlab_module_decode(bin, n, &dopts, &m, &err))
		fail_msg("%s: decode: %s", text, err.message);
	struct wlab_validate_options vopts = {0};
	vopts.features = features();
	if (wlab_module_validate(m, &vopts, NULL))
		fail_msg("%s: not valid", text);
	for (unsigned flags = 0; flags <= WLAB_WAT_FOLD; flags += WLAB_WAT_FOLD) {
		struct wlab_wat_print_options popts = {flags | extra};
		char *out = NULL;
		size_t len = 0;
		uint8_t *again = NULL;
		size_t n2 = 0;
		if (wlab_wat_print(m, &popts, &out, &len, &err))
			fail_msg("%s: print: %s", text, err.message);
		if (want && !strstr(out, want))
			fail_msg("printed:\n%s\nlacks %s", out, want);
		if (wlab_wat_to_binary_features(out, len, features(), &again, &n2, &err))
			fail_msg("printed (flags %u):\n%s\ndoes not parse: %s", flags, out, err.message);
		if (n2 != n || memcmp(again, bin, n))
			fail_msg("printed (flags %u):\n%s\nparses to other bytes", flags, out);
		free(again);
		free(out);
	}
	wlab_module_free(m);
	free(bin);
}

static void roundtrip(const char *text, const char *want)
{
	roundtrip_flags(text, want, 0);
}

/* br_table's label list ended only at a parenthesis: flat text, where an
 * instruction follows the labels, did not parse ("expected a number"). */
static void test_br_table_flat(void **state)
{
	(void)state;
	roundtrip("(func (param i32) (block (block (br_table 0 1 (local.get 0)))) (nop))",
		  "br_table 0 (;@2;) 1 (;@1;)\n");
	roundtrip("(func (param i32) (result i32) (block (br_table 0 0 (local.get 0)))"
		  " (i32.ctz (local.get 0)))", NULL);
}

/* (type x) with inline params and results was checked as if it stood
 * alone: a type with supertypes, or not final, or in a rec group of
 * several, never matched ("inline function type does not match"). */
static void test_type_use_of_subtype(void **state)
{
	(void)state;
	roundtrip("(rec (type $a (sub (func (result (ref func)))))"
		  "     (type $b (sub $a (func (result (ref $a))))))"
		  "(func (type $b) (result (ref $a)) unreachable)", "(func (;0;) (type 1) (result (ref 0))");
	roundtrip("(type $t (sub (func (param i32))))"
		  "(func (type $t) (param i32))", "(type 0) (param i32)");
}

/* Extended constant offsets were printed as several folded instructions,
 * which the parser reads as one offset and then items or a string. */
static void test_extended_const_offsets(void **state)
{
	(void)state;
	roundtrip("(memory 1) (data (offset i32.const 1 i32.const 2 i32.add) \"x\")",
		  "(offset i32.const 1 i32.const 2 i32.add)");
	roundtrip("(table 4 funcref) (func)"
		  "(elem (offset i32.const 1 i32.const 2 i32.add) func 0)",
		  "(offset i32.const 1 i32.const 2 i32.add)");
	roundtrip("(table 4 i31ref) (elem (table 0) (i32.const 0) i31ref"
		  " (item i32.const 1 i32.const 2 i32.add ref.i31) (item i32.const 3 ref.i31))",
		  "(item i32.const 1 i32.const 2 i32.add ref.i31)");
	/* one instruction stays folded, as wasm2wat prints it */
	roundtrip("(memory 1) (data (i32.const 1) \"x\")", "(data (;0;) (i32.const 1) \"x\")");
}

/* WLAB_WAT_CUSTOM: custom sections printed as (@custom ...) come back in
 * their places (before first; after a section; after an empty section,
 * which the text does not have, as after the section before it). */
static void test_custom_sections(void **state)
{
	(void)state;
	roundtrip_flags("(@custom \"a\" (before first) \"x\") (type (func)) (func)"
			"(@custom \"b\" (after func) \"y\") (@custom \"c\" \"z\")",
			"(@custom \"b\" (after func) \"y\")", WLAB_WAT_CUSTOM);
	roundtrip_flags("(@custom \"a\" (after type) \"\") (memory 1)",
			"(@custom \"a\" (before first) \"\")", WLAB_WAT_CUSTOM);
}

/* The text printed with flags, of the module text assembles to. */
static char *printed(const char *text, unsigned flags)
{
	uint8_t *bin = NULL;
	size_t n = 0, len = 0;
	struct wlab_error err = {0};
	struct wlab_module *m = NULL;
	char *out = NULL;
	struct wlab_wat_print_options popts = {flags};
	if (wlab_wat_to_binary_features(text, strlen(text), features(), &bin, &n, &err) ||
	    wlab_module_decode(bin, n, NULL, &m, &err) || wlab_wat_print(m, &popts, &out, &len, &err))
		fail_msg("%s: %s", text, err.message);
	wlab_module_free(m);
	free(bin);
	return out;
}

/* WLAB_WAT_CUSTOM: a branch hint section prints as annotations right
 * before each if and br_if (flat: on the instruction's line; folded: on a
 * line of its own before its `(`), which the parser reads back into the
 * same bytes (it was printed as an (@custom ...) of its bytes); one the
 * parser would not write the same (a hint on another instruction or inside
 * one, for a function without a body, a section not right before the code
 * section, a longer LEB128) stays an (@custom ...). */
static void test_branch_hints(void **state)
{
	(void)state;
#define H0 "(@metadata.code.branch_hint \"\\00\")"
#define H1 "(@metadata.code.branch_hint \"\\01\")"
	const char *text =
		"(func (param i32) (result i32) " H1 " (if (result i32) (block (result i32) " H0
		" (br_if 0 (i32.const 1) (local.get 0))) (then (local.get 0)) (else local.get 0"
		" local.get 0 " H0 " br_if 0 drop i32.const 7)))"
		"(func (param i32) (block (loop " H1 " (br_if 1 (i32.eqz (local.get 0)))"
		" local.get 0 " H0 " if end (br 0))))";
	roundtrip_flags(text, H1, WLAB_WAT_CUSTOM);
	roundtrip_flags(text, H0, WLAB_WAT_CUSTOM);
	char *flat = printed(text, WLAB_WAT_CUSTOM);
	char *fold = printed(text, WLAB_WAT_CUSTOM | WLAB_WAT_FOLD);
	if (!strstr(flat, "\n    " H1 " if (result i32)  ;; label = @1\n") ||
	    !strstr(flat, "\n      " H0 " br_if 0 (;@1;)\n") || strstr(flat, "@custom"))
		fail_msg("printed:\n%s", flat);
	if (!strstr(fold, "\n    " H1 "\n    (if (result i32)  ;; label = @1\n") ||
	    !strstr(fold, "\n        " H0 "\n        (br_if 0 (;@2;)\n") || strstr(fold, "@custom"))
		fail_msg("printed:\n%s", fold);
	free(flat);
	free(fold);
	/* without WLAB_WAT_CUSTOM, none (wasm2wat 1.0.32 prints none) */
	flat = printed(text, 0);
	if (strstr(flat, "@metadata"))
		fail_msg("printed:\n%s", flat);
	free(flat);
	static const char *const kept[] = {
		/* on a nop, inside the if, for an unknown function */
		"\\01\\00\\01\\01\\01\\01\") (func (param i32) nop local.get 0 if end)",
		"\\01\\00\\01\\05\\01\\01\") (func (param i32) nop local.get 0 if end)",
		"\\01\\03\\01\\04\\01\\01\") (func (param i32) nop local.get 0 if end)",
		/* a function without hints; the offset in two bytes */
		"\\02\\00\\00\\01\\01\\04\\01\\01\") (func (param i32) nop local.get 0 if end)"
		" (func (param i32) nop local.get 0 if end)",
		"\\01\\00\\01\\84\\00\\01\\01\") (func (param i32) nop local.get 0 if end)",
		/* another custom section between it and the code section */
		"\\01\\00\\01\\03\\01\\01\") (@custom \"x\" (before code) \"\")"
		" (func (param i32) local.get 0 if end)",
	};
	for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++) {
		char buf[512];
		snprintf(buf, sizeof buf, "(@custom \"metadata.code.branch_hint\" (before code) \"%s",
			 kept[i]);
		roundtrip_flags(buf, "(@custom \"metadata.code.branch_hint\" (after func) \"",
				WLAB_WAT_CUSTOM);
	}
#undef H0
#undef H1
}

/* An instruction with fewer open trees than it has operands takes none and
 * stays open beside them, so a later one can take both, as wasm2wat
 * 1.0.32 --fold-exprs prints it (it closed them: 18 modules of the corpus
 * printed otherwise, 5 of them only for this). */
static void test_fold_too_few(void **state)
{
	(void)state;
	const char *text = "(func $v) (func (param i32 i32) (result i32)"
			   " local.get 0 local.get 0 call $v local.get 1 i32.add i32.sub)";
	roundtrip(text, NULL);
	uint8_t *bin = NULL;
	size_t n = 0;
	struct wlab_error err = {0};
	assert_int_equal(wlab_wat_to_binary_features(text, strlen(text), features(), &bin, &n, &err), WLAB_OK);
	struct wlab_module *m = NULL;
	assert_int_equal(wlab_module_decode(bin, n, NULL, &m, &err), WLAB_OK);
	struct wlab_wat_print_options popts = {WLAB_WAT_FOLD};
	char *out = NULL;
	size_t len = 0;
	assert_int_equal(wlab_wat_print(m, &popts, &out, &len, &err), WLAB_OK);
	if (!strstr(out, "    (call 0)\n    (i32.sub\n      (local.get 1)\n      (i32.add))))\n"))
		fail_msg("printed:\n%s", out);
	free(out);
	wlab_module_free(m);
	free(bin);
}

/* Folded, text is printed as want (a fragment of it). */
static void fold_prints(const char *text, const char *want)
{
	uint8_t *bin = NULL;
	size_t n = 0;
	struct wlab_error err = {0};
	assert_int_equal(wlab_wat_to_binary_features(text, strlen(text), features(), &bin, &n, &err), WLAB_OK);
	struct wlab_module *m = NULL;
	assert_int_equal(wlab_module_decode(bin, n, NULL, &m, &err), WLAB_OK);
	struct wlab_wat_print_options popts = {WLAB_WAT_FOLD};
	char *out = NULL;
	size_t len = 0;
	assert_int_equal(wlab_wat_print(m, &popts, &out, &len, &err), WLAB_OK);
	if (!strstr(out, want))
		fail_msg("printed:\n%s\nlacks\n%s", out, want);
	free(out);
	wlab_module_free(m);
	free(bin);
}

/* A block in an if's condition is folded as wasm2wat 1.0.32 --fold-exprs
 * folds it: with the if's label open, so its br_if 1 names the if (@2, no
 * values) and takes only its condition, though it branches to the outer
 * block (one value). wlab-wat took both values: 13 corpus modules printed
 * otherwise. The text still reads back into the same code. */
static void test_fold_if_condition_labels(void **state)
{
	(void)state;
	const char *text = "(func (param i32) (result i32)"
			   " (block (result i32)"
			   "  (if (block (result i32) (local.get 0) (local.get 0) (br_if 1)) (then))"
			   "  (i32.const 0)))";
	roundtrip(text, NULL);
	fold_prints(text, "        (block (result i32)  ;; label = @3\n"
			  "          (local.get 0)\n"
			  "          (br_if 1 (;@2;)\n"
			  "            (local.get 0)))\n"
			  "        (then))\n");
	/* a branch that is itself the condition takes its operands by the true
	 * label (@1, one value), but is written with the if's label open: @2 */
	fold_prints("(func (param i32) (result i32) (block (result i32)"
		    " (local.get 0) (local.get 0) (br_if 0) (if (then)) (i32.const 0)))",
		    "      (if  ;; label = @2\n"
		    "        (br_if 0 (;@2;)\n"
		    "          (local.get 0)\n"
		    "          (local.get 0))\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_br_table_flat),
		cmocka_unit_test(test_type_use_of_subtype),
		cmocka_unit_test(test_extended_const_offsets),
		cmocka_unit_test(test_custom_sections),
		cmocka_unit_test(test_branch_hints),
		cmocka_unit_test(test_fold_too_few),
		cmocka_unit_test(test_fold_if_condition_labels),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
