/* test_wat.c: the text format parser (wlab/wat.h): golden modules byte for
 * byte, literals, abbreviations and implicit types, malformed text with its
 * offset and line:column, a limits flag of a feature turned off named by
 * the parser and the decoder alike, and a mutation loop that must never crash. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util.h"
#include "wlab/features.h"
#include "wlab/module.h"
#include "wlab/wat.h"

#define LEN(a) (sizeof (a) / sizeof (a)[0])
#define HDR 0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00

/* Parses text; asserts success and the exact bytes. */
static void expect_bytes(const char *text, const uint8_t *want, size_t n)
{
	struct wlab_error err = {0};
	uint8_t *out = NULL;
	size_t size = 0;
	enum wlab_status st = wlab_wat_to_binary(text, strlen(text), &out, &size, &err);
	if (st != WLAB_OK)
		fail_msg("%s: %s", text, err.message);
	if (size != n || memcmp(out, want, n)) {
		for (size_t i = 0; i < size; i++)
			fprintf(stderr, "%02x ", out[i]);
		fprintf(stderr, "\n");
		fail_msg("%s: %zu bytes, want %zu", text, size, n);
	}
	free(out);
}
#define EXPECT(text, ...) expect_bytes((text), TU_ARR(HDR, __VA_ARGS__), TU_LEN(HDR, __VA_ARGS__))

/* Parses text; asserts it is malformed, with the error at offset and the
 * message containing what. */
static void expect_malformed(const char *text, size_t offset, const char *what)
{
	struct wlab_error err = {0};
	uint8_t *out = (uint8_t *)1;
	size_t size = 7;
	enum wlab_status st = wlab_wat_to_binary(text, strlen(text), &out, &size, &err);
	if (st != WLAB_MALFORMED)
		fail_msg("%s: accepted (status %d)", text, (int)st);
	assert_null(out);
	assert_int_equal(size, 0);
	if (offset != (size_t)-1 && err.offset != offset)
		fail_msg("%s: offset %zu, want %zu (%s)", text, err.offset, offset, err.message);
	if (!strstr(err.message, what))
		fail_msg("%s: message '%s' lacks '%s'", text, err.message, what);
}

static void test_empty_and_forms(void **state)
{
	(void)state;
	expect_bytes("(module)", TU_ARR(HDR), 8);
	expect_bytes("", TU_ARR(HDR), 8);
	expect_bytes(";; nothing\n(; a (; nested ;) comment ;)", TU_ARR(HDR), 8);
	expect_bytes("(module $m binary \"\\00asm\" \"\\01\\00\\00\\00\")", TU_ARR(HDR), 8);
	expect_bytes("(module binary \"\\00asm\\01\\00\\00\\00\")", TU_ARR(HDR), 8);
	EXPECT("(module quote \"(func)\")", 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00,
	       0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b);
	/* bare fields are a module */
	EXPECT("(func)", 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x0a, 0x04, 0x01,
	       0x02, 0x00, 0x0b);
}

static void test_function_body(void **state)
{
	(void)state;
	/* params named, a local, folded and plain forms, labels */
	EXPECT("(module (func $f (param $a i32) (result i32) (local $x i64)\n"
	       "  (block $b (result i32) (br $b (local.get $a)))\n"
	       "  local.get 0 i32.add))",
	       0x01, 0x06, 0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f,  /* type */
	       0x03, 0x02, 0x01, 0x00,                          /* func */
	       0x0a, 0x10, 0x01, 0x0e, 0x01, 0x01, 0x7e,        /* code, 1 local i64 */
	       0x02, 0x7f, 0x20, 0x00, 0x0c, 0x00, 0x0b,        /* block */
	       0x20, 0x00, 0x6a, 0x0b);
	/* if with then/else, memarg defaults and explicit alignment */
	EXPECT("(memory 1) (func (if (i32.const 1) (then (drop (i32.load offset=8 align=1 (i32.const 0)))) (else nop)))",
	       0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x05, 0x03, 0x01, 0x00, 0x01,
	       0x0a, 0x11, 0x01, 0x0f, 0x00, 0x41, 0x01, 0x04, 0x40, 0x41, 0x00, 0x28, 0x00, 0x08, 0x1a,
	       0x05, 0x01, 0x0b, 0x0b);
}

static void test_literals(void **state)
{
	(void)state;
	/* i32 range ends, underscores, hex */
	EXPECT("(func i32.const 0xffff_ffff i32.const -0x8000_0000 i64.const 1_000 drop drop drop)",
	       0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x0a, 0x12, 0x01, 0x10, 0x00,
	       0x41, 0x7f, 0x41, 0x80, 0x80, 0x80, 0x80, 0x78, 0x42, 0xe8, 0x07, 0x1a, 0x1a, 0x1a, 0x0b);
	/* floats: hex float, nan payload, -inf, decimal */
	EXPECT("(func f32.const 0x1.8p1 f32.const -nan:0x1 f64.const -inf f32.const 1e-1 drop drop drop drop)",
	       0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x0a, 0x20, 0x01, 0x1e, 0x00,
	       0x43, 0x00, 0x00, 0x40, 0x40,  /* 3.0 */
	       0x43, 0x01, 0x00, 0x80, 0xff,  /* -nan:0x1 */
	       0x44, 0, 0, 0, 0, 0, 0, 0xf0, 0xff,
	       0x43, 0xcd, 0xcc, 0xcc, 0x3d,  /* 0.1f */
	       0x1a, 0x1a, 0x1a, 0x1a, 0x0b);
	/* strings: escapes and \u{} in data */
	EXPECT("(memory 1) (data (i32.const 0) \"a\\t\\\"\\u{e9}\\ff\")", 0x05, 0x03, 0x01, 0x00, 0x01,
	       0x0b, 0x0c, 0x01, 0x00, 0x41, 0x00, 0x0b, 0x06, 'a', 0x09, '"', 0xc3, 0xa9, 0xff);
}

static void test_abbreviations(void **state)
{
	(void)state;
	/* inline import and export; the implicit type comes after the explicit ones */
	EXPECT("(func $i (import \"m\" \"f\") (param i32)) (type (func))\n"
	       "(func (export \"e\") (type 1) (param i32))",
	       0x01, 0x08, 0x02, 0x60, 0x00, 0x00, 0x60, 0x01, 0x7f, 0x00,
	       0x02, 0x07, 0x01, 0x01, 'm', 0x01, 'f', 0x00, 0x01,
	       0x03, 0x02, 0x01, 0x01,
	       0x07, 0x05, 0x01, 0x01, 'e', 0x00, 0x01,
	       0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b);
	/* inline table elem and memory data */
	EXPECT("(table funcref (elem $f)) (memory (data \"hi\")) (func $f)",
	       0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00,
	       0x04, 0x05, 0x01, 0x70, 0x01, 0x01, 0x01,
	       0x05, 0x04, 0x01, 0x01, 0x01, 0x01,
	       0x09, 0x07, 0x01, 0x00, 0x41, 0x00, 0x0b, 0x01, 0x00,
	       0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b,
	       0x0b, 0x08, 0x01, 0x00, 0x41, 0x00, 0x0b, 0x02, 'h', 'i');
}

static void test_malformed(void **state)
{
	(void)state;
	expect_malformed("(func (i32.const 0x))", 17, "malformed integer");
	expect_malformed("(func (i32.const 4294967296))", 17, "out of range");
	expect_malformed("(func (f32.const 1e39))", 17, "out of range");
	expect_malformed("(func (f32.const nan:0x0))", 17, "out of range");
	expect_malformed("(memory 1) (func (drop (i32.load align=3 (i32.const 0))))", 39, "power of two");
	expect_malformed("(func (i32.add_x))", 7, "unknown operator");
	expect_malformed("(func (br_table 0$l))", 16, "expected a number");
	expect_malformed("(func (br_table $l\"x\"))", 16, "reserved");
	expect_malformed("(func $f) (import \"m\" \"n\" (func))", 10, "import after");
	expect_malformed("(func $f) (func $f)", 16, "duplicate function");
	expect_malformed("(func (local.get $x))", 17, "unknown local");
	expect_malformed("(func block $a end $b)", 19, "mismatching label");
	expect_malformed("(type (func (param i32))) (func (type 0) (param i64))", (size_t)-1, "inline function type");
	expect_malformed("(func (export \"\\ff\"))", 14, "UTF-8");
	expect_malformed("(func", 0, "unclosed");
	expect_malformed("(func))", 6, "unexpected ')'");
	expect_malformed("(; open", 0, "unterminated block comment");
	expect_malformed("(data \"\\q\")", 7, "unknown escape");
	expect_malformed("(start 0) (start 0)", 10, "multiple start");
	/* line and column in the message */
	expect_malformed("(module\n  (func (nop)\n    (i32.const x)))", 37, "3:16:");
	/* a quoted module's error */
	expect_malformed("(module quote \"(func (bad))\")", 14, "in quoted module");
}

/* A limits flag whose feature is off: the parser refuses the keyword and
 * the decoder the flag of the same module (assembled with the feature on),
 * each naming the feature. */
static void test_limits_features_off(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		uint32_t off;
		const char *wat_msg, *bin_msg;
	} rows[] = {
		{"(memory 1 2 shared)", WLAB_FEATURE_THREADS,
		 "unexpected token (shared): shared memory needs the threads feature (--enable-threads)",
		 "malformed limits flags: shared memory needs the threads feature (--enable-threads)"},
		{"(import \"m\" \"m\" (memory 1 2 shared))", WLAB_FEATURE_THREADS,
		 "unexpected token (shared): shared memory needs the threads feature (--enable-threads)",
		 "malformed limits flags: shared memory needs the threads feature (--enable-threads)"},
		{"(memory i64 1)", WLAB_FEATURE_MEMORY64,
		 "unexpected token (i64): i64 memory needs the memory64 feature (--enable-memory64)",
		 "integer too large: i64 memory needs the memory64 feature (--enable-memory64)"},
		{"(memory i64 (data \"x\"))", WLAB_FEATURE_MEMORY64,
		 "unexpected token (i64): i64 memory needs the memory64 feature (--enable-memory64)",
		 "integer too large: i64 memory needs the memory64 feature (--enable-memory64)"},
		{"(table i64 1 funcref)", WLAB_FEATURE_MEMORY64,
		 "unexpected token (i64): i64 table needs the memory64 feature (--enable-memory64)",
		 "integer too large: i64 table needs the memory64 feature (--enable-memory64)"},
		{"(table i64 funcref (elem))", WLAB_FEATURE_MEMORY64,
		 "unexpected token (i64): i64 table needs the memory64 feature (--enable-memory64)",
		 "integer too large: i64 table needs the memory64 feature (--enable-memory64)"},
		{"(import \"m\" \"t\" (table i64 1 funcref))", WLAB_FEATURE_MEMORY64,
		 "unexpected token (i64): i64 table needs the memory64 feature (--enable-memory64)",
		 "integer too large: i64 table needs the memory64 feature (--enable-memory64)"},
	};
	for (size_t i = 0; i < LEN(rows); i++) {
		uint32_t on = wlab_features_default(), off = on & ~rows[i].off;
		struct wlab_error err = {0};
		uint8_t *bin = NULL;
		size_t size = 0;
		const char *t = rows[i].text;
		if (wlab_wat_to_binary_features(t, strlen(t), on, &bin, &size, &err))
			fail_msg("%s: %s", t, err.message);
		uint8_t *none = NULL;
		size_t n = 0;
		struct wlab_error werr = {0};
		if (wlab_wat_to_binary_features(t, strlen(t), off, &none, &n, &werr) != WLAB_MALFORMED ||
		    !strstr(werr.message, rows[i].wat_msg))
			fail_msg("%s: text gave '%s', want '%s'", t, werr.message, rows[i].wat_msg);
		struct wlab_decode_options o = {.features = off};
		struct wlab_module *m = NULL;
		if (wlab_module_decode(bin, size, &o, &m, &err) != WLAB_MALFORMED ||
		    strcmp(err.message, rows[i].bin_msg))
			fail_msg("%s: binary gave '%s', want '%s'", t, err.message, rows[i].bin_msg);
		wlab_module_free(m);
		free(bin);
	}
}

/* Valid modules to mutate: every kind of field and instruction form. */
static const char *const seeds[] = {
	"(module (type $t (func (param i32) (result i32)))\n"
	" (import \"spectest\" \"print\" (func $p (param i32)))\n"
	" (memory (export \"m\") 1 2) (global $g (mut i32) (i32.const 42))\n"
	" (table 2 funcref) (elem (i32.const 0) $f $p) (elem declare func $f)\n"
	" (data (i32.const 8) \"hi\\00\\u{263a}\") (data $d \"x\")\n"
	" (func $f (export \"f\") (type $t) (local $x i64)\n"
	"  (block $b (result i32) (br_if $b (i32.const 1) (local.get 0)) drop (local.get 0))\n"
	"  (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 1)) (else (i32.const 2)))\n"
	"  drop loop $l br $l end (i32.load offset=4 align=2 (i32.const 0))\n"
	"  (call_indirect (type $t) (i32.const 0)) (br_table 0 0 (i32.const 0))\n"
	"  (memory.init $d (i32.const 0) (i32.const 0) (i32.const 0)) data.drop $d\n"
	"  (select (result i32) (i32.const 1) (i32.const 2) (i32.const 3)))\n"
	" (start $p2) (func $p2))",
	"(func (result v128) (v128.const f32x4 1.5 -0x1p-3 inf nan:0x200000)\n"
	" (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 (v128.const i64x2 -1 0x7fff_ffff_ffff_ffff))\n"
	" i8x16.extract_lane_s 3 drop)",
	"(module binary \"\\00asm\\01\\00\\00\\00\")",
	"(module quote \"(func (result f64) (f64.const -0x1.fffffffffffffp+1023))\")",
};

static uint32_t rng_state = 12345;
static uint32_t rnd(void)
{
	rng_state = rng_state * 1103515245u + 12345u;
	return rng_state >> 8;
}

static void test_mutations(void **state)
{
	(void)state;
	static const char alphabet[] = "()\"$;\\ \n0x1.p_-+=abcdefijlmnotuvyz";
	size_t ok = 0, bad = 0;
	for (size_t s = 0; s < LEN(seeds); s++) {
		size_t n = strlen(seeds[s]);
		char *buf = malloc(n + 16);
		assert_non_null(buf);
		/* the seed itself parses and decodes */
		for (int iter = 0; iter < 4000; iter++) {
			size_t len = n;
			memcpy(buf, seeds[s], n);
			int edits = iter ? 1 + (int)(rnd() % 4) : 0;
			for (int e = 0; e < edits; e++) {
				size_t at = len ? rnd() % len : 0;
				switch (rnd() % 4) {
				case 0: buf[at] = alphabet[rnd() % (sizeof alphabet - 1)]; break;
				case 1: buf[at] = (char)(rnd() & 0xff); break;
				case 2: if (len) { memmove(buf + at, buf + at + 1, len - at - 1); len--; } break;
				default: len = at; break;
				}
			}
			struct wlab_error err = {0};
			uint8_t *out = NULL;
			size_t size = 0;
			enum wlab_status st = wlab_wat_to_binary(buf, len, &out, &size, &err);
			assert_true(st == WLAB_OK || st == WLAB_MALFORMED);
			if (st == WLAB_MALFORMED) {
				assert_null(out);
				assert_true(err.offset <= len);
				bad++;
				continue;
			}
			assert_non_null(out);
			ok++;
			/* what the parser writes (not a binary module copied through) decodes */
			if (s != 2) {
				struct wlab_module *m = NULL;
				struct wlab_error derr = {0};
				enum wlab_status ds = wlab_module_decode(out, size, NULL, &m, &derr);
				if (ds != WLAB_OK)
					fail_msg("seed %zu iter %d: our output does not decode: %s", s, iter, derr.message);
				wlab_module_free(m);
			}
			free(out);
			assert_true(iter || st == WLAB_OK);
		}
		free(buf);
	}
	/* both outcomes happened: the loop tested something */
	assert_true(ok > 10);
	assert_true(bad > 1000);
}

/* Random sequences of tokens inside a function and a module: deeper paths
 * than byte mutations reach; the parser must answer OK or MALFORMED. */
static void test_token_soup(void **state)
{
	(void)state;
	static const char *const vocab[] = {
		"(", ")", "(", ")", "i32", "i64", "f32", "v128", "funcref", "result", "param", "local",
		"type", "$x", "$y", "0", "1", "-1", "0x", "1.5", "nan:0x1", "inf", "func", "block", "end",
		"else", "then", "if", "loop", "br", "br_table", "offset=4", "align=2", "align=3",
		"i32.const", "f64.const", "v128.const", "i32x4", "i8x16.shuffle", "nop", "drop", "local.get",
		"call", "call_indirect", "select", "\"s\"", "\"\\u{41}\"", "export", "import", "memory",
		"table", "elem", "data", "global", "mut", "item", "declare", "offset", "start",
		"i32.load", "memory.init", "table.init", "table.copy", "ref.null", "ref.func", "extern",
		"module", "binary", "quote", ";;c\n", "(;c;)",
	};
	char text[2048];
	size_t ok = 0, bad = 0;
	for (int iter = 0; iter < 6000; iter++) {
		size_t n = (size_t)snprintf(text, sizeof text, "%s", iter & 1 ? "(module (func " : "(func ");
		int count = 1 + (int)(rnd() % (iter % 3 ? 6 : 40));
		for (int k = 0; k < count; k++)
			n += (size_t)snprintf(text + n, sizeof text - n, "%s ", vocab[rnd() % LEN(vocab)]);
		n += (size_t)snprintf(text + n, sizeof text - n, "%s", iter & 1 ? "))" : ")");
		struct wlab_error err = {0};
		uint8_t *out = NULL;
		size_t size = 0;
		enum wlab_status st = wlab_wat_to_binary(text, n, &out, &size, &err);
		assert_true(st == WLAB_OK || st == WLAB_MALFORMED);
		assert_true(st != WLAB_OK || out != NULL);
		assert_true(st == WLAB_OK || err.offset <= n);
		ok += st == WLAB_OK;
		bad += st != WLAB_OK;
		free(out);
	}
	print_message("token soup: %zu parsed, %zu malformed\n", ok, bad);
	assert_true(ok > 20);
	assert_true(bad > 1000);
}

/* Nesting past the limit is an error, never a stack overflow. */
static void test_deep_nesting(void **state)
{
	(void)state;
	size_t depth = 100000, n = 0;
	char *text = malloc(depth * 8 + 16);
	assert_non_null(text);
	n += (size_t)sprintf(text, "(func ");
	for (size_t i = 0; i < depth; i++)
		n += (size_t)sprintf(text + n, "(block ");
	for (size_t i = 0; i < depth; i++)
		text[n++] = ')';
	text[n++] = ')';
	text[n] = 0;
	expect_malformed(text, (size_t)-1, "nesting too deep");
	/* 1,000 levels are fine */
	n = (size_t)sprintf(text, "(func ");
	for (size_t i = 0; i < 1000; i++)
		n += (size_t)sprintf(text + n, "(block ");
	for (size_t i = 0; i < 1001; i++)
		text[n++] = ')';
	struct wlab_error err = {0};
	uint8_t *out = NULL;
	size_t size = 0;
	assert_int_equal(wlab_wat_to_binary(text, n, &out, &size, &err), WLAB_OK);
	free(out);
	free(text);
}

/* Inline type uses take the first equal type, else a new one after all the
 * explicit ones (in text order). */
static void test_implicit_types(void **state)
{
	(void)state;
	EXPECT("(func (param i64)) (type (func (param i32))) (func (param i32)) (func (param i64))",
	       0x01, 0x09, 0x02, 0x60, 0x01, 0x7f, 0x00, 0x60, 0x01, 0x7e, 0x00,
	       0x03, 0x04, 0x03, 0x01, 0x00, 0x01,
	       0x0a, 0x0a, 0x03, 0x02, 0x00, 0x0b, 0x02, 0x00, 0x0b, 0x02, 0x00, 0x0b);
}

/* Parses and decodes text (asserting both succeed); the caller frees. */
static struct wlab_module *parse_decode(const char *text, uint8_t **bytes)
{
	struct wlab_error err = {0};
	struct wlab_module *m = NULL;
	size_t size = 0;
	if (wlab_wat_to_binary(text, strlen(text), bytes, &size, &err))
		fail_msg("%s: %s", text, err.message);
	if (wlab_module_decode(*bytes, size, NULL, &m, &err))
		fail_msg("%s: decode: %s", text, err.message);
	return m;
}

/* Regression (elem.wast:516): a funcref segment of ref.func items was
 * written as function indices, which 3.0 decodes as type (ref func), so
 * it fitted a (ref func) table it must not fit. With such a table in the
 * module, the items stay expressions; without one, indices as wast2json
 * writes them; `func x*` is (ref func) and stays indices. */
static void test_elem_funcref_items(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		uint32_t flags[2];
	} cases[] = {
		{"(func) (table 1 (ref func) (ref.func 0)) (elem (i32.const 0) funcref (ref.func 0))"
		 " (elem (i32.const 0) func 0)", {4, 0}},
		{"(func) (table 1 funcref) (elem (i32.const 0) funcref (ref.func 0))"
		 " (elem funcref (ref.func 0))", {0, 1}},
		{"(import \"m\" \"t\" (table 1 (ref func))) (func) (elem funcref (ref.func 0))"
		 " (elem declare funcref (ref.func 0))", {5, 7}},
		{"(func) (table $t 1 (ref null func)) (elem funcref (ref.func 0)) (elem func 0)", {1, 1}},
	};
	for (size_t i = 0; i < LEN(cases); i++) {
		uint8_t *bytes = NULL;
		struct wlab_module *m = parse_decode(cases[i].text, &bytes);
		assert_int_equal(m->nelems, 2);
		for (uint32_t k = 0; k < 2; k++)
			if (m->elems[k].flags != cases[i].flags[k])
				fail_msg("%s: segment %u has flags %u, want %u", cases[i].text, k,
					 m->elems[k].flags, cases[i].flags[k]);
		wlab_module_free(m);
		free(bytes);
	}
}

/* Regression: `(table (ref $t) (elem ...))` was not counted as an element
 * segment in the first pass, so the next segment's id named the inline one
 * (elem.drop $e dropped segment 0) and the count was one short. */
static void test_inline_elem_typed_table(void **state)
{
	(void)state;
	uint8_t *bytes = NULL;
	struct wlab_module *m = parse_decode(
		"(type $ft (func)) (func $f) (table (ref $ft) (elem $f))"
		" (elem $e func $f) (func elem.drop $e)", &bytes);
	assert_int_equal(m->nelems, 2);
	assert_int_equal(m->ncodes, 2);
	/* the second body: 0 locals, elem.drop (0xfc 13) 1, end */
	const struct wlab_code *c = &m->codes[1];
	const uint8_t want[] = {0x00, 0xfc, 0x0d, 0x01, 0x0b};
	assert_int_equal(c->body.size, sizeof want);
	assert_memory_equal(bytes + c->body.offset, want, sizeof want);
	wlab_module_free(m);
	free(bytes);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_and_forms),
		cmocka_unit_test(test_function_body),
		cmocka_unit_test(test_literals),
		cmocka_unit_test(test_abbreviations),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_limits_features_off),
		cmocka_unit_test(test_mutations),
		cmocka_unit_test(test_token_soup),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_implicit_types),
		cmocka_unit_test(test_elem_funcref_items),
		cmocka_unit_test(test_inline_elem_typed_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
