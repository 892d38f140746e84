/* test_wat_options.c: the printer's options wasm2wat has, one case a row:
 * WLAB_WAT_INLINE_EXPORTS, WLAB_WAT_INLINE_IMPORTS and
 * WLAB_WAT_GENERATE_NAMES (flat and with WLAB_WAT_FOLD). Each expected
 * text is wasm2wat 1.0.32's for the module (run with the same options when
 * the case was written) but where a comment says otherwise; every text
 * must also assemble again, and but for inlined exports (which come in the
 * text's order) into the module's own bytes. tests/wat/print_compat.py
 * checks the same options on the corpus. */
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

enum {
	EXP = WLAB_WAT_INLINE_EXPORTS,
	IMP = WLAB_WAT_INLINE_IMPORTS,
	GEN = WLAB_WAT_GENERATE_NAMES,
	FOLD = WLAB_WAT_FOLD,
};

struct option_case {
	const char *name;
	const char *text;  /* assembled with its ids as names (--debug-names) */
	unsigned flags;
	const char *want;
};

static const struct option_case cases[] = {
	{"inline exports: in export order; an import's stays a field",
	 "(module (import \"env\" \"f\" (func (param i32))) (memory 1)"
	 " (func (param i32)) (export \"b\" (func 1)) (export \"imp\" (func 0))"
	 " (export \"m\" (memory 0)) (export \"a\" (func 1)))",
	 EXP,
	 "(module\n"
	 "  (type (;0;) (func (param i32)))\n"
	 "  (import \"env\" \"f\" (func (;0;) (type 0)))\n"
	 "  (func (;1;) (export \"b\") (export \"a\") (type 0) (param i32))\n"
	 "  (memory (;0;) (export \"m\") 1)\n"
	 "  (export \"imp\" (func 0)))\n"},
	{"inline imports and exports: the exports before the import",
	 "(module (import \"env\" \"f\" (func (param i32) (result i64)))"
	 " (import \"env\" \"g\" (global (mut i32))) (import \"env\" \"t\" (table 1 funcref))"
	 " (export \"imp\" (func 0)))",
	 EXP | IMP,
	 "(module\n"
	 "  (type (;0;) (func (param i32) (result i64)))\n"
	 "  (func (;0;) (export \"imp\") (import \"env\" \"f\") (type 0) (param i32) (result i64))\n"
	 "  (global (;0;) (import \"env\" \"g\") (mut i32))\n"
	 "  (table (;0;) (import \"env\" \"t\") 1 funcref))\n"},
	{"generated names: name section first, then imports, exports, indices; _N",
	 "(module (import \"x\" \"y\" (func)) (import \"x\" \"z\" (func)) (func $f1) (func $x.z)"
	 " (func) (func) (func) (func) (export \"x.y\" (func 4)) (export \"aa\" (func 1))"
	 " (export \"f1\" (func 5)) (export \"x.y_1\" (func 6)))",
	 GEN,
	 "(module\n"
	 "  (type $t0 (func))\n"
	 "  (import \"x\" \"y\" (func $x.y (type $t0)))\n"
	 "  (import \"x\" \"z\" (func $x.z_1 (type $t0)))\n"
	 "  (func $f1 (type $t0))\n"
	 "  (func $x.z (type $t0))\n"
	 "  (func $x.y_1 (type $t0))\n"
	 "  (func $f1_1 (type $t0))\n"
	 "  (func $x.y_1_1 (type $t0))\n"
	 "  (func $f7 (type $t0))\n"
	 "  (export \"x.y\" (func $x.y_1))\n"
	 "  (export \"aa\" (func $x.z_1))\n"
	 "  (export \"f1\" (func $f1_1))\n"
	 "  (export \"x.y_1\" (func $x.y_1_1)))\n"},
	{"generated names of every kind; tags share elems' $e; locals $p and $l",
	 "(module (type $t1 (func)) (type (func (param i32 i32)))"
	 " (tag (param i32)) (tag $e0) (global $g1 i32 (i32.const 0)) (global i32 (i32.const 0))"
	 " (memory 1) (table 1 funcref) (elem $e1 func) (elem func) (data $d1 \"\") (data \"\")"
	 " (func (type 1) (param $p1 i32) (param i32) (local $l3 i32) (local i32 i32)))",
	 GEN,
	 "(module\n"
	 "  (type $t1 (func))\n"
	 "  (type $t1_1 (func (param i32 i32)))\n"
	 "  (type $t2 (func (param i32)))\n"
	 "  (func $f0 (type $t1_1) (param $p1 i32) (param $p1_1 i32)\n"
	 "    (local $l3 i32) (local $l3_1 i32) (local $l4 i32))\n"
	 "  (table $T0 1 funcref)\n"
	 "  (memory $M0 1)\n"
	 "  (tag $e0_1 (type $t2) (param i32))\n"
	 "  (tag $e0 (type $t1))\n"
	 "  (global $g1 i32 (i32.const 0))\n"
	 "  (global $g1_1 i32 (i32.const 0))\n"
	 "  (elem $e1 func)\n"
	 "  (elem $e1_1 func)\n"
	 "  (data $d1 \"\")\n"
	 "  (data $d1_1 \"\"))\n"},
	{"labels: numbered in code order per function, no label comments",
	 "(module (func (param i32) (result i32)"
	 " block (result i32) i32.const 9 i32.const 1 br_if 1 drop"
	 " i32.const 5 i32.const 1 br_if 0 end if end i32.const 1 br 0)"
	 " (func block loop br 1 end end))",
	 GEN,
	 "(module\n"
	 "  (type $t0 (func (param i32) (result i32)))\n"
	 "  (type $t1 (func))\n"
	 "  (func $f0 (type $t0) (param $p0 i32) (result i32)\n"
	 "    block $B0 (result i32)\n"
	 "      i32.const 9\n"
	 "      i32.const 1\n"
	 "      br_if 1 (;@0;)\n"
	 "      drop\n"
	 "      i32.const 5\n"
	 "      i32.const 1\n"
	 "      br_if $B0\n"
	 "    end\n"
	 "    if $I1\n"
	 "    end\n"
	 "    i32.const 1\n"
	 "    br 0 (;@0;))\n"
	 "  (func $f1 (type $t1)\n"
	 "    block $B0\n"
	 "      loop $L1\n"
	 "        br $B0\n"
	 "      end\n"
	 "    end))\n"},
	{"folded: a named branch in an if's condition takes its own label's operands",
	 "(module (func (param i32) (result i32) block (result i32)"
	 " block (result i32) i32.const 9 i32.const 1 br_if 1 drop i32.const 5 i32.const 1 br_if 0"
	 " end if end i32.const 1 end))",
	 GEN | FOLD,
	 "(module\n"
	 "  (type $t0 (func (param i32) (result i32)))\n"
	 "  (func $f0 (type $t0) (param $p0 i32) (result i32)\n"
	 "    (block $B0 (result i32)\n"
	 "      (if $I2\n"
	 "        (block $B1 (result i32)\n"
	 "          (drop\n"
	 "            (br_if $B0\n"
	 "              (i32.const 9)\n"
	 "              (i32.const 1)))\n"
	 "          (br_if $B1\n"
	 "            (i32.const 5)\n"
	 "            (i32.const 1)))\n"
	 "        (then))\n"
	 "      (i32.const 1))))\n"},
	{"legacy try: catch's tag, rethrow and delegate by name",
	 "(module (tag (param i32)) (func block try nop catch 0 drop try rethrow 1"
	 " delegate 1 end try nop delegate 0 end))",
	 GEN,
	 "(module\n"
	 "  (type $t0 (func (param i32)))\n"
	 "  (type $t1 (func))\n"
	 "  (func $f0 (type $t1)\n"
	 "    block $B0\n"
	 "      try $T1\n"
	 "        nop\n"
	 "      catch $e0\n"
	 "        drop\n"
	 "        try $T2\n"
	 "          rethrow $T1\n"
	 "        delegate $B0\n"
	 "      end\n"
	 "      try $T3\n"
	 "        nop\n"
	 "      delegate $B0\n"
	 "    end)\n"
	 "  (tag $e0 (type $t0) (param i32)))\n"},
	/* wasm2wat takes an import's or export's name up to a NUL byte and
	   writes an empty one as $, which does not read back: here the first
	   empty name is left unused ($f0) and a later one is $_1, as there */
	{"generated names: a name ends at NUL; an empty one",
	 "(module (func) (func) (func) (export \"\" (func 0)) (export \"\\00x\" (func 1))"
	 " (export \"a\\00b\" (func 2)))",
	 GEN,
	 "(module\n"
	 "  (type $t0 (func))\n"
	 "  (func $f0 (type $t0))\n"
	 "  (func $_1 (type $t0))\n"
	 "  (func $a (type $t0))\n"
	 "  (export \"\" (func $f0))\n"
	 "  (export \"\\00x\" (func $_1))\n"
	 "  (export \"a\\00b\" (func $a)))\n"},
	/* without a table wasm2wat names no segment item (nor with names from
	   the name section); with one it does */
	{"segment items without a table: indices",
	 "(module (func $x) (elem func $x) (elem funcref (ref.func $x)))",
	 GEN,
	 "(module\n"
	 "  (type $t0 (func))\n"
	 "  (func $x (type $t0))\n"
	 "  (elem $e0 func 0)\n"
	 "  (elem $e1 func 0))\n"},
	{"segment items without a table, name section names only",
	 "(module (func $x) (elem func $x))",
	 0,
	 "(module\n"
	 "  (type (;0;) (func))\n"
	 "  (func $x (type 0))\n"
	 "  (elem (;0;) func 0))\n"},
	{"segment items with a table, and call_indirect's table now named",
	 "(module (table 1 funcref) (func i32.const 0 call_indirect (type 0)) (elem func 0))",
	 GEN,
	 "(module\n"
	 "  (type $t0 (func))\n"
	 "  (func $f0 (type $t0)\n"
	 "    i32.const 0\n"
	 "    call_indirect $T0 (type $t0))\n"
	 "  (table $T0 1 funcref)\n"
	 "  (elem $e0 func $f0))\n"},
};

static uint32_t features(void)
{
	return wlab_features_default() | WLAB_FEATURE_EXCEPTIONS;
}

static uint8_t *assemble(const char *text, size_t len, unsigned flags, size_t *n)
{
	return tu_wat_assemble(text, len, features(), flags, n);
}

static char *print(const uint8_t *bin, size_t n, unsigned flags)
{
	return tu_wat_print(bin, n, features(), flags);
}

static void test_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct option_case *c = &cases[i];
		size_t n, n2, n3;
		uint8_t *bin = assemble(c->text, strlen(c->text), WLAB_WAT_DEBUG_NAMES, &n);
		char *out = print(bin, n, c->flags);
		if (strcmp(out, c->want))
			fail_msg("%s: printed\n%s\nwant\n%s", c->name, out, c->want);
		/* the text reads back into the module the text without
		   generated names and folding gives (inlined exports put the
		   exports in the text's order) */
		char *ref_text = print(bin, n, c->flags & (EXP | IMP));
		uint8_t *ref = assemble(ref_text, strlen(ref_text), 0, &n2);
		uint8_t *again = assemble(out, strlen(out), 0, &n3);
		if (n2 != n3 || memcmp(ref, again, n2))
			fail_msg("%s: reads back into other bytes", c->name);
		free(ref_text);
		free(ref);
		free(again);
		free(out);
		free(bin);
	}
}

/* Each option on a module of every kind of field: the text assembles, and
 * printed again with the same flags it is the same text. */
static void test_read_back(void **state)
{
	(void)state;
	static const char text[] =
		"(module (type (func (param i32) (result i32)))"
		" (import \"m\" \"f\" (func (type 0))) (import \"m\" \"t\" (table 1 funcref))"
		" (import \"m\" \"mem\" (memory 1)) (import \"m\" \"g\" (global i32))"
		" (import \"m\" \"e\" (tag (param i32)))"
		" (func (type 0) local.get 0 if (result i32) i32.const 1 else"
		" block (result i32) local.get 0 br_if 0 call 0 end end)"
		" (table 2 funcref) (global (mut i32) (i32.const 0)) (tag)"
		" (export \"f\" (func 1)) (export \"t\" (table 1)) (export \"mem\" (memory 0))"
		" (export \"g\" (global 1)) (export \"e\" (tag 1)) (export \"imp\" (func 0))"
		" (elem (table 1) (i32.const 0) func 1) (data (i32.const 0) \"x\"))";
	size_t n, n2;
	uint8_t *bin = assemble(text, strlen(text), 0, &n);
	for (unsigned flags = 0; flags <= (EXP | IMP | GEN | FOLD); flags++) {
		if (flags & ~(unsigned)(EXP | IMP | GEN | FOLD))
			continue;
		char *out = print(bin, n, flags);
		uint8_t *again = assemble(out, strlen(out), 0, &n2);
		char *out2 = print(again, n2, flags);
		if (strcmp(out, out2))
			fail_msg("flags %#x: printed\n%s\nread back and printed\n%s", flags, out, out2);
		if (!(flags & EXP) && (n != n2 || memcmp(bin, again, n)))
			fail_msg("flags %#x: read back into other bytes", flags);
		free(out2);
		free(again);
		free(out);
	}
	free(bin);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_read_back),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
