/* test_wat_names.c: names both ways. The printer makes name-section names
 * identifiers as wasm2wat does (each byte that is not an idchar becomes
 * '_', after the names were made unique), and where wasm2wat's text would
 * not read back (two names the same after that; a param or local defined
 * with its bytes as given) prints names that do; WLAB_WAT_DEBUG_NAMES
 * writes the name section wat2wasm --debug-names writes. The expected
 * texts and bytes are wabt's (1.0.32 and 1.0.39 agree) where a comment
 * does not say otherwise; tests/wat/print_compat.py checks the same against
 * the oracles on the corpus (feat/names_idchars.wat). Each case failed
 * before the change that made it pass. */
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
#include "wlab/wat.h"
#include "wlab/watprint.h"

#include "util.h"

static uint32_t features(void)
{
	return wlab_features_default() | WLAB_FEATURE_EXCEPTIONS | WLAB_FEATURE_GC;
}

static uint8_t *assemble(const char *text, size_t len, unsigned flags, size_t *n)
{
	return tu_wat_assemble(text, len, features(), flags, n);
}

static char *print(const uint8_t *bin, size_t n, unsigned flags)
{
	return tu_wat_print(bin, n, features(), flags);
}

/* text assembled with its ids as names prints as want (flat); that text,
 * assembled with names again, prints the same, flat and folded. */
static void names_print(const char *text, const char *want)
{
	size_t n, n2;
	uint8_t *bin = assemble(text, strlen(text), WLAB_WAT_DEBUG_NAMES, &n);
	for (unsigned flags = 0; flags <= WLAB_WAT_FOLD; flags += WLAB_WAT_FOLD) {
		char *out = print(bin, n, flags);
		if (!flags && strcmp(out, want))
			fail_msg("printed:\n%s\nwant:\n%s", out, want);
		uint8_t *again = assemble(out, strlen(out), WLAB_WAT_DEBUG_NAMES, &n2);
		char *out2 = print(again, n2, flags);
		if (strcmp(out, out2))
			fail_msg("printed:\n%s\nread back and printed:\n%s", out, out2);
		free(out2);
		free(again);
		free(out);
	}
	free(bin);
}

/* Bytes that are not idchars, in every index space wasm2wat 1.0.32 names
 * in a 2.0 module: wasm2wat's text, byte for byte. A label's name is not
 * printed; a quote (') is an idchar. */
static void test_print_idchars(void **state)
{
	(void)state;
	names_print("(module $\"m;od\"\n"
		    "  (type $\"t 0\" (func))\n"
		    "  (import \"m\" \"f\" (func $\"imp (f)\" (type $\"t 0\")))\n"
		    "  (table $\"tab,le\" 1 funcref)\n"
		    "  (memory $\"me[m]\" 1)\n"
		    "  (global $\"g{0}\" (mut i32) (i32.const 0))\n"
		    "  (func $\"q\\\"uo'te\" (type $\"t 0\") (local $\"ok.1\" i32)\n"
		    "    block $\"l b\"\n"
		    "      call $\"imp (f)\"\n"
		    "      global.get $\"g{0}\"\n"
		    "      global.set $\"g{0}\"\n"
		    "      local.get $\"ok.1\"\n"
		    "      br_if $\"l b\"\n"
		    "    end)\n"
		    "  (func $\"ctl\\01\\7f\\t\\n \\u{e9}\" (type $\"t 0\"))\n"
		    "  (elem $\"e 0\" (i32.const 0) func $\"q\\\"uo'te\")\n"
		    "  (data $\"d 0\" (i32.const 0) \"x\"))",
		    "(module $m_od\n"
		    "  (type $t_0 (func))\n"
		    "  (import \"m\" \"f\" (func $imp__f_ (type $t_0)))\n"
		    "  (func $q_uo'te (type $t_0)\n"
		    "    (local $ok.1 i32)\n"
		    "    block  ;; label = @1\n"
		    "      call $imp__f_\n"
		    "      global.get $g_0_\n"
		    "      global.set $g_0_\n"
		    "      local.get $ok.1\n"
		    "      br_if 0 (;@1;)\n"
		    "    end)\n"
		    "  (func $ctl_______ (type $t_0))\n"
		    "  (table $tab_le 1 funcref)\n"
		    "  (memory $me_m_ 1)\n"
		    "  (global $g_0_ (mut i32) (i32.const 0))\n"
		    "  (elem $e_0 (i32.const 0) func $q_uo'te)\n"
		    "  (data $d_0 (i32.const 0) \"x\"))\n");
}

/* Uniqueness is decided on the names as given ("a b" and "a_b" differ),
 * then the bytes are replaced: wasm2wat prints $a_b twice there, and a
 * param or local's definition with its bytes as given ((param $x y i32)
 * beside local.get $x_y), text that does not read back. Here (not
 * wasm2wat's text) the later of two equal names takes the first free
 * ".N", and definitions are written as uses are. */
static void test_print_collisions(void **state)
{
	(void)state;
	names_print("(module\n"
		    "  (func $\"a b\")\n"
		    "  (func $a_b)\n"
		    "  (func $\"a_b.1\" (param $\"x y\" i32) (param i64) (local $x_y i32)"
		    " (local $\"x;y\" f32)\n"
		    "    local.get $\"x y\"\n"
		    "    local.set $x_y)\n"
		    "  (global $\"g(0)\" i32 (i32.const 0))\n"
		    "  (global $\"g[0]\" i32 (i32.const 1)))",
		    "(module\n"
		    "  (type (;0;) (func))\n"
		    "  (type (;1;) (func (param i32 i64)))\n"
		    "  (func $a_b (type 0))\n"
		    "  (func $a_b.2 (type 0))\n"
		    "  (func $a_b.1 (type 1) (param $x_y i32) (param i64)\n"
		    "    (local $x_y.1 i32) (local $x_y.2 f32)\n"
		    "    local.get $x_y\n"
		    "    local.set $x_y.1)\n"
		    "  (global $g_0_ i32 (i32.const 0))\n"
		    "  (global $g_0_.1 i32 (i32.const 1)))\n");
}

/* Beyond 2.0: tag names (subsection 11, which wasm2wat 1.0.39 reads) and
 * struct field names (10; no wabt prints them), unique per type; a UTF-8
 * character is a '_' per byte. */
static void test_print_tags_fields(void **state)
{
	(void)state;
	names_print("(module (type $\"s t\" (struct (field $\"f 1\" i32) (field $f_1 i64)"
		    " (field $\"f\\u{e9}\" f32)))"
		    " (tag $\"e x\" (param i32)) (tag $\"e_x\"))",
		    "(module\n"
		    "  (type $s_t (struct (field $f_1 i32) (field $f_1.1 i64) (field $f__ f32)))\n"
		    "  (type (;1;) (func (param i32)))\n"
		    "  (type (;2;) (func))\n"
		    "  (tag $e_x (type 1) (param i32))\n"
		    "  (tag $e_x.1 (type 2)))\n");
}

/* From a name section written by hand: an empty name names nothing, NUL
 * is a byte like another (unique on "n\0"), and a name that is not UTF-8
 * ends its map (wasm2wat refuses the module: "invalid utf-8 encoding"). */
static void test_print_raw_bytes(void **state)
{
	(void)state;
	const char *text = "(module (func) (func) (func) (func)"
			   " (@custom \"name\" \"\\01\\10\\04\\00\\00\\01\\02n\\00\\02\\04n\\00.1"
			   "\\03\\01\\ff\"))";
	size_t n;
	uint8_t *bin = assemble(text, strlen(text), 0, &n);
	char *out = print(bin, n, 0);
	assert_string_equal(out, "(module\n"
			    "  (type (;0;) (func))\n"
			    "  (func (;0;) (type 0))\n"
			    "  (func $n_ (type 0))\n"
			    "  (func $n_.1 (type 0))\n"
			    "  (func (;3;) (type 0)))\n");
	free(out);
	free(bin);
}

/* Folded text and --offsets use the same names. */
static void test_fold_offsets_names(void **state)
{
	(void)state;
	const char *text = "(func $\"f (x)\" (param $\"a b\" i32) (result i32)"
			   " local.get $\"a b\" call $\"f (x)\")";
	size_t n;
	uint8_t *bin = assemble(text, strlen(text), WLAB_WAT_DEBUG_NAMES, &n);
	char *fold = print(bin, n, WLAB_WAT_FOLD), *offs = print(bin, n, WLAB_WAT_OFFSETS);
	assert_non_null(strstr(fold, "(func $f__x_ (type 0) (param $a_b i32) (result i32)\n"
				     "    (call $f__x_\n      (local.get $a_b)))"));
	assert_non_null(strstr(offs, "    local.get $a_b (;@"));
	assert_non_null(strstr(offs, "    call $f__x_ (;@"));
	free(offs);
	free(fold);
	free(bin);
}

/* text assembled with and without WLAB_WAT_DEBUG_NAMES: the same bytes, and
 * then the name section want (id, size and contents), last. */
static void expect_names(const char *text, const char *want, size_t want_len)
{
	size_t n, with;
	uint8_t *bin = assemble(text, strlen(text), 0, &n);
	uint8_t *named = assemble(text, strlen(text), WLAB_WAT_DEBUG_NAMES, &with);
	if (with != n + want_len || memcmp(bin, named, n) || memcmp(named + n, want, want_len)) {
		for (size_t i = n; i < with; i++)
			fprintf(stderr, "\\x%02x", named[i]);
		fprintf(stderr, "\n");
		fail_msg("%s: the name section differs (%zu bytes, want %zu)", text, with - n, want_len);
	}
	free(named);
	free(bin);
}
#define EXPECT_NAMES(text, want) expect_names((text), (want), sizeof (want) - 1)

/* wat2wasm --debug-names' bytes (1.0.32 and 1.0.39 alike): the module's
 * id, then every index space that names something in subsection order,
 * imports included, unnamed entries left out; the locals of every
 * function, with none or not (imports' params too, not a type's); no
 * labels. A module with nothing named still has the locals' subsection. */
static void test_debug_names_bytes(void **state)
{
	(void)state;
	EXPECT_NAMES("(module)", "\x00\x08\x04name\x02\x01\x00");
	EXPECT_NAMES("(module $mod\n"
		     "  (type $t0 (func (param i32)))\n"
		     "  (type (func))\n"
		     "  (type $t2 (func (param i32 i32) (result i32)))\n"
		     "  (import \"m\" \"f\" (func $imp (type $t0)))\n"
		     "  (import \"m\" \"f2\" (func (type 1)))\n"
		     "  (import \"m\" \"t\" (table $itab 1 funcref))\n"
		     "  (import \"m\" \"mem\" (memory $imem 1))\n"
		     "  (import \"m\" \"g\" (global $ig (mut i32)))\n"
		     "  (func $f (type $t2) (param $a i32) (param i32) (result i32)"
		     " (local $x i32) (local i64) (local $z f32)\n"
		     "    block $B loop $L local.get $a br_if $B end end\n"
		     "    block end\n"
		     "    local.get $x)\n"
		     "  (func)\n"
		     "  (func $g (local $only i32))\n"
		     "  (table $tab 2 funcref)\n"
		     "  (table 2 funcref)\n"
		     "  (global $gg (mut i32) (i32.const 0))\n"
		     "  (global i32 (i32.const 1))\n"
		     "  (elem $e0 (i32.const 0) func $f $g)\n"
		     "  (elem func 3)\n"
		     "  (elem $e2 declare func 3)\n"
		     "  (data $d0 (i32.const 0) \"ab\")\n"
		     "  (data \"cd\")\n"
		     "  (data $d2 \"ef\"))",
		     "\x00x\x04name\x00\x04\x03mod\x01\x0c\x03\x00\x03imp\x02\x01" "f\x04\x01g"
		     "\x02\x1a\x05\x00\x00\x01\x00\x02\x03\x00\x01" "a\x02\x01x\x04\x01z\x03\x00"
		     "\x04\x01\x00\x04only\x04\x09\x02\x00\x02t0\x02\x02t2\x05\x0c\x02\x00\x04itab"
		     "\x01\x03tab\x06\x07\x01\x00\x04imem\x07\x09\x02\x00\x02ig\x01\x02gg\x08\x09"
		     "\x02\x00\x02" "e0\x02\x02" "e2\x09\x09\x02\x00\x02" "d0\x02\x02" "d2");
	EXPECT_NAMES("(module $mod\n"
		     "  (type $t (func (param $tp i32)))\n"
		     "  (import \"a\" \"b\" (func $i (param $ip i32) (param f32) (param $iq i64)))\n"
		     "  (func $f (import \"a\" \"c\") (param $z i32))\n"
		     "  (func $d (type $t))\n"
		     "  (func $e (param $q i32) (local $r i32) (local i64) (local $s f32)))",
		     "\x00\x3f\x04name\x00\x04\x03mod\x01\x0d\x04\x00\x01i\x01\x01" "f\x02\x01"
		     "d\x03\x01" "e\x02\x1d\x04\x00\x02\x00\x02ip\x02\x02iq\x01\x01\x00\x01z\x02\x00"
		     "\x03\x03\x00\x01q\x01\x01r\x03\x01s\x04\x04\x01\x00\x01t");
	/* a quoted id's name is its string's bytes */
	EXPECT_NAMES("(module $\"m od\" (func $\"a\\00b\"))",
		     "\x00\x19\x04name\x00\x05\x04m od\x01\x06\x01\x00\x03" "a\x00" "b"
		     "\x02\x03\x01\x00\x00");
}

/* Beyond 2.0: tags as subsection 11, as wat2wasm 1.0.39 writes them (1.0.32
 * wrote 10, which the extended name section gives to fields); struct field
 * names as subsection 10 per type (no wabt writes them; binaryen's wasm-as
 * -g writes the same layout). */
static void test_debug_names_tags_fields(void **state)
{
	(void)state;
	EXPECT_NAMES("(module (import \"a\" \"b\" (tag $ie)) (tag $e (param i32)) (tag) (func $f))",
		     "\x00\x1a\x04name\x01\x04\x01\x00\x01" "f\x02\x03\x01\x00\x00\x0b\x08\x02\x00"
		     "\x02ie\x01\x01" "e");
	EXPECT_NAMES("(module (type $s (struct (field $x i32) (field i64) (field $z f32)))"
		     " (type (struct (field $q i32))) (type $a (array i8)))",
		     "\x00\x21\x04name\x02\x01\x00\x04\x07\x02\x00\x01s\x02\x01" "a"
		     "\x0a\x0e\x02\x00\x02\x00\x01x\x02\x01z\x01\x01\x00\x01q");
}

/* An (@custom "name" ...) annotation and --debug-names: the section made
 * from the ids replaces the one given as bytes, as wat2wasm 1.0.39 writes
 * it (there were two name sections); without the flag the bytes given stay. */
static void test_debug_names_replace_custom(void **state)
{
	(void)state;
	static const char with_custom[] =
		"(module $m (func $f) (@custom \"name\" (after code) \"\\00\\02\\01z\"))";
	static const char plain[] = "(module $m (func $f))";
	size_t n1, n2, n3;
	uint8_t *given = assemble(with_custom, strlen(with_custom), 0, &n1);
	uint8_t *named = assemble(with_custom, strlen(with_custom), WLAB_WAT_DEBUG_NAMES, &n2);
	uint8_t *want = assemble(plain, strlen(plain), WLAB_WAT_DEBUG_NAMES, &n3);
	assert_non_null(memchr(given, 'z', n1));  /* the module name given as bytes */
	assert_int_equal(n2, n3);
	assert_memory_equal(named, want, n3);
	free(given);
	free(named);
	free(want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_print_idchars),
		cmocka_unit_test(test_print_collisions),
		cmocka_unit_test(test_print_tags_fields),
		cmocka_unit_test(test_print_raw_bytes),
		cmocka_unit_test(test_fold_offsets_names),
		cmocka_unit_test(test_debug_names_bytes),
		cmocka_unit_test(test_debug_names_tags_fields),
		cmocka_unit_test(test_debug_names_replace_custom),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
