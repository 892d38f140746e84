/* test_wat_lex.c: the text format's 3.0 syntax in the lexer and at module
 * level: (@...) annotations skipped (nested, strings, comments), their
 * errors, (@custom ...) sections and their placement, (@name ...) and
 * branch hint placement,
 * quoted identifiers $"..." equal to plain ones, comments ended by CR. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util.h"
#include "wlab/module.h"
#include "wlab/wat.h"

static void compile(const char *text, uint8_t **out, size_t *size)
{
	struct wlab_error err = {0};
	if (wlab_wat_to_binary(text, strlen(text), out, size, &err))
		fail_msg("%s: %s", text, err.message);
}

/* Both texts give the same module. */
static void same(const char *a, const char *b)
{
	uint8_t *x, *y;
	size_t nx, ny;
	compile(a, &x, &nx);
	compile(b, &y, &ny);
	if (nx != ny || memcmp(x, y, nx))
		fail_msg("'%s' and '%s' differ", a, b);
	free(x);
	free(y);
}

static void malformed(const char *text, const char *what)
{
	struct wlab_error err = {0};
	uint8_t *out;
	size_t size;
	if (wlab_wat_to_binary(text, strlen(text), &out, &size, &err) != WLAB_MALFORMED)
		fail_msg("%s: accepted", text);
	if (!strstr(err.message, what))
		fail_msg("%s: message '%s' lacks '%s'", text, err.message, what);
}

static void test_annotations_skipped(void **state)
{
	(void)state;
	same("(module (@a) (func (@b x \"y)\" (z (; ) ;) ;; )\n)) nop))", "(module (func nop))");
	same("((@a) module (@a) $m (@a) (func (@a) $f (@a)))", "(module (func))");
	same("(@\"a b\") (func)", "(func)");
	same("(func (@x (@y (@z))) (@a , ; ] [ }} }x{ ({) ,{{};}] ;))", "(func)");
	malformed("(@)", "1:1: empty annotation id");
	malformed("(@ x)", "empty annotation id");
	malformed("(@\"\")", "empty annotation id");
	malformed("(@\"\\ef\")", "malformed UTF-8");
	malformed("(func) (@x (y (z))", "1:8: unclosed annotation");
	malformed("(@x \")", "unclosed string");
	malformed("(@a \x01)", "illegal character");
	malformed("(@a Stra\xc3\x9f" "e)", "illegal character");
	malformed("( @a)", "unexpected token");
}

static void test_custom_sections(void **state)
{
	(void)state;
	uint8_t *out;
	size_t size;
	compile("(module (type (func)) (@custom \"b\" (after type) \"x\" \"y\") (@custom \"a\" \"z\")"
		" (@custom \"f\" (before first)) (func))", &out, &size);
	static const uint8_t want[] = {
		0, 'a', 's', 'm', 1, 0, 0, 0,
		0, 2, 1, 'f',                      /* before first */
		1, 4, 1, 0x60, 0, 0,               /* type */
		0, 4, 1, 'b', 'x', 'y',            /* after type */
		3, 2, 1, 0,                        /* func */
		10, 4, 1, 2, 0, 0x0b,              /* code */
		0, 3, 1, 'a', 'z',                 /* after last */
	};
	assert_int_equal(size, sizeof want);
	assert_memory_equal(out, want, sizeof want);
	free(out);
	malformed("(@custom)", "@custom annotation: missing section name");
	malformed("(@custom bla)", "@custom annotation: missing section name");
	malformed("(@custom \"\\df\")", "malformed UTF-8");
	malformed("(@custom \"bla\" here)", "@custom annotation: unexpected token");
	malformed("(@custom \"bla\" (after))", "@custom annotation: malformed section kind");
	malformed("(@custom \"bla\" (aft type))", "@custom annotation: malformed placement");
	malformed("(@custom \"bla\" (before types))", "@custom annotation: malformed section kind");
	malformed("(func (@custom \"bla\"))", "");
	malformed("(func (nop (@custom \"bla\")))", "");
	malformed("(type (@custom \"bla\") $t (func))", "");
}

static void test_name_annotations(void **state)
{
	(void)state;
	same("(module $m (@name \"Mod\xc3\xbcl\") (func $f (@name \"\xce\xbb\") (param (@name \"p\") i32)))",
	     "(module (func (param i32)))");
	malformed("(module (@name \"M1\") (@name \"M2\"))", "@name annotation: multiple names");
	malformed("(module (func) (@name \"M\"))", "misplaced @name annotation");
	malformed("(module (start $f (@name \"M\")) (func $f))", "misplaced @name annotation");
}

static void test_branch_hints(void **state)
{
	(void)state;
	/* written as the section (before the code section) that @custom gives:
	 * funcs, then per func its index, hints: (offset in the body, 1, value) */
#define HINT "(@metadata.code.branch_hint \"\\01\")"
#define HINT0 "(@metadata.code.branch_hint \"\\00\")"
#define SECTION(bytes) "(@custom \"metadata.code.branch_hint\" (before code) \"" bytes "\")"
	same("(func (param i32) " HINT " (if (local.get 0) (then)))",
	     SECTION("\\01\\00\\01\\03\\01\\01") "(func (param i32) (if (local.get 0) (then)))");
	same("(func (param i32) local.get 0 " HINT0 " if end)",
	     SECTION("\\01\\00\\01\\03\\01\\00") "(func (param i32) local.get 0 if end)");
	same("(func (param i32) (block " HINT " (br_if 0 (local.get 0))))",
	     SECTION("\\01\\00\\01\\05\\01\\01") "(func (param i32) (block (br_if 0 (local.get 0))))");
	/* the second function, past its locals */
	same("(func) (func (local i32 i64) " HINT " (br_if 0 (i32.const 1)))",
	     SECTION("\\01\\01\\01\\07\\01\\01") "(func) (func (local i32 i64) (br_if 0 (i32.const 1)))");
	/* a folded if is hinted after its condition: the hints sorted by offset */
	same("(func (param i32) " HINT " (if (block (result i32) " HINT0
	     " (br_if 0 (i32.const 1) (local.get 0))) (then)))",
	     SECTION("\\01\\00\\02\\07\\01\\00\\0a\\01\\01")
	     "(func (param i32) (if (block (result i32) (br_if 0 (i32.const 1) (local.get 0))) (then)))");
	/* flat br_if in a flat if's body; a folded if and br_if in a folded
	 * if's arms; a labelled folded if with a result */
	same("(func (param i32) local.get 0 " HINT0 " if local.get 0 " HINT " br_if 0 end)",
	     SECTION("\\01\\00\\02\\03\\01\\00\\07\\01\\01")
	     "(func (param i32) local.get 0 if local.get 0 br_if 0 end)");
	same("(func (param i32) (if (local.get 0) (then " HINT " (if (local.get 0) (then)))"
	     " (else " HINT0 " (br_if 0 (local.get 0)))))",
	     SECTION("\\01\\00\\02\\07\\01\\01\\0d\\01\\00")
	     "(func (param i32) (if (local.get 0) (then (if (local.get 0) (then)))"
	     " (else (br_if 0 (local.get 0)))))");
	same("(func (param i32) (result i32) " HINT " (if $l (result i32) (local.get 0) (then"
	     " (i32.const 1)) (else (i32.const 0))))",
	     SECTION("\\01\\00\\01\\03\\01\\01")
	     "(func (param i32) (result i32) (if (result i32) (local.get 0) (then (i32.const 1))"
	     " (else (i32.const 0))))");
	/* a hint on another instruction is refused, at the annotation (a
	 * script's module writes it: the 3.0 testsuite's assert_invalid_custom) */
	malformed("(func " HINT " nop)",
		  "1:7: @metadata.code.branch_hint annotation: invalid target (nop: only if and br_if");
	malformed("(func " HINT " block end)", "annotation: invalid target (block:");
	malformed("(func (param i32) " HINT0 " (i32.eqz (local.get 0)) drop)",
		  "annotation: invalid target (i32.eqz:");
	/* inside a folded if, before its condition, hints the condition */
	malformed("(func (param i32) (if " HINT " (local.get 0) (then)))",
		  "1:23: @metadata.code.branch_hint annotation: invalid target (local.get:");
	/* a hint before what starts no instruction: between a folded if's
	 * condition and (then (it went to the first instruction of the then),
	 * after a folded br_if's operand, before a block's type, before end or
	 * else, at a body's end */
	malformed("(func (param i32)\n  (if (local.get 0)\n    " HINT "\n    (then nop)))",
		  "3:5: @metadata.code.branch_hint annotation: invalid placement");
	malformed("(func (param i32) (if (local.get 0) " HINT " (then (br_if 0 (i32.const 1)))))",
		  "1:37: @metadata.code.branch_hint annotation: invalid placement");
	malformed("(func (param i32) (if (local.get 0) " HINT " (then)))",
		  "1:37: @metadata.code.branch_hint annotation: invalid placement");
	malformed("(func (param i32) (block (br_if 0 (local.get 0) " HINT ")) nop)",
		  "1:49: @metadata.code.branch_hint annotation: invalid placement");
	malformed("(func (block " HINT " (result i32) (i32.const 0)) drop)",
		  "1:14: @metadata.code.branch_hint annotation: invalid placement");
	malformed("(func (param i32) local.get 0 if " HINT " else end)",
		  "annotation: invalid placement");
	malformed("(func (param i32) local.get 0 if else " HINT " end)",
		  "annotation: invalid placement");
	malformed("(func " HINT " (param i32) local.get 0 if end)", "annotation: invalid placement");
	malformed("(func (param i32) (block (br_if 0 (local.get 0))) " HINT ") (func nop)",
		  "1:51: @metadata.code.branch_hint annotation: invalid placement");
	malformed("(func " HINT ")", "@metadata.code.branch_hint annotation: invalid placement");
	malformed("(type (func " HINT ")) (func nop)",
		  "@metadata.code.branch_hint annotation: invalid placement");
	malformed("(func (@metadata.code.branch_hint \"\\02\") nop)",
		  "@metadata.code.branch_hint annotation: invalid hint value");
	malformed("(func (@metadata.code.branch_hint \"\\00\" \"\\01\") nop)",
		  "@metadata.code.branch_hint annotation: invalid hint value");
	malformed("(func (@metadata.code.branch_hint \"\") nop)",
		  "@metadata.code.branch_hint annotation: invalid hint value");
	malformed("(func (@metadata.code.branch_hint 1) nop)",
		  "@metadata.code.branch_hint annotation: unexpected token");
	malformed("(func (param i32) local.get 0 (@metadata.code.branch_hint \"\\01\")"
		  " (@metadata.code.branch_hint \"\\01\") if end)",
		  "@metadata.code.branch_hint annotation: duplicate annotation");
	malformed("(module (@metadata.code.branch_hint \"\\01\") (func))",
		  "@metadata.code.branch_hint annotation: not in a function");
#undef HINT
#undef HINT0
#undef SECTION
}

static void test_quoted_ids(void **state)
{
	(void)state;
	same("(func $\"fh\") (func (call $fh))", "(func) (func (call 0))");
	same("(func $\"\\41B\") (func (call $AB) (call $\"\\u{41}\\u{42}\"))", "(func) (func (call 0) (call 0))");
	same("(func $\" \") (func (call $\" \"))", "(func) (func (call 0))");
	same("(func block $l1 (br $\"l1\") end $\"l1\")", "(func block br 0 end)");
	malformed("(func $\"\")", "empty identifier");
	malformed("(func $\"\\ef\")", "malformed UTF-8");
	malformed("(func $\"a\" (call $a) (call $\"b\"))", "unknown function");
	malformed("(func $\"a\") (func $a)", "duplicate function");
	malformed("(func $\"a\"b)", "reserved token");
}

static void test_comment_ends(void **state)
{
	(void)state;
	same("(func (result i32) (i32.const 1) ;; c\r (return (i32.const 2)))",
	     "(func (result i32) (i32.const 1) (return (i32.const 2)))");
	same("(func ;; c\r\n)", "(func)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_annotations_skipped),
		cmocka_unit_test(test_custom_sections),
		cmocka_unit_test(test_name_annotations),
		cmocka_unit_test(test_branch_hints),
		cmocka_unit_test(test_quoted_ids),
		cmocka_unit_test(test_comment_ends),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
