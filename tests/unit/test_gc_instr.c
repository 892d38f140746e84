/* test_gc_instr.c: the GC instructions (the 0xfb prefix and ref.eq) from
 * hand-written bodies: decoded (malformed immediates at their offset),
 * validated by the spec's typing rules with the testsuite's wording,
 * refused without the GC feature, allowed in constant expressions where
 * the spec allows them, and encoded back byte for byte; in the text format,
 * parsed (field ids, ref.test/ref.cast forms by nullability), printed flat
 * and folded, and parsed again to the same bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "util.h"
#include "wlab/encode.h"
#include "wlab/features.h"
#include "wlab/instr.h"
#include "wlab/runtime.h"
#include "wlab/validate.h"
#include "wlab/wat.h"
#include "wlab/watprint.h"

/* The types every row's module defines:
 *   0 (struct (field i32) (field (mut i64)) (field (mut i8)))
 *   1 (array (mut i32))    2 (array i8)    3 (array (mut i8))
 *   4 (func)               5 (array (mut funcref))
 *   6 (struct (field (ref 0)))  (not defaultable) */
static const uint8_t types[] = {
	0x07,
	0x5f, 0x03, 0x7f, 0x00, 0x7e, 0x01, 0x78, 0x01,
	0x5e, 0x7f, 0x01,
	0x5e, 0x78, 0x00,
	0x5e, 0x78, 0x01,
	0x60, 0x00, 0x00,
	0x5e, 0x70, 0x01,
	0x5f, 0x01, 0x64, 0x00, 0x00,
};

struct row {
	const char *what;
	const uint8_t *body;  /* the instructions of a [] -> [] function, without its end */
	size_t n;
	enum wlab_status st;  /* WLAB_OK, WLAB_MALFORMED (decode), WLAB_INVALID (validate) */
	size_t at;            /* the error's offset in body */
	const char *msg;
};

#define B(...) TU_ARR(__VA_ARGS__), TU_LEN(__VA_ARGS__)
#define OK WLAB_OK, 0, NULL
#define INV(at, msg) WLAB_INVALID, at, msg
#define BAD(at, msg) WLAB_MALFORMED, at, msg

/* Byte names: ref.null of a heap type, constants, drop. */
#define NULLOF(h) 0xd0, h
#define I32C(v) 0x41, v
#define I64C(v) 0x42, v
#define DROP 0x1a
#define GC 0xfb
#define ANY 0x6e
#define EQ 0x6d
#define EXTERN 0x6f
#define ARRAYH 0x6a
#define FUNCH 0x70

static const struct row rows[] = {
	/* struct.new, struct.new_default */
	{"struct.new", B(I32C(1), I64C(2), I32C(3), GC, 0x00, 0x00, DROP), OK},
	{"struct.new with an i32 for an i64", B(I32C(1), I32C(2), I32C(3), GC, 0x00, 0x00),
	 INV(6, "type mismatch in struct.new, expected [i64] but got [i32]")},
	{"struct.new of an array type", B(GC, 0x00, 0x01), INV(0, "non-struct type 1")},
	{"struct.new of an unknown type", B(GC, 0x00, 0x09), INV(0, "unknown type 9")},
	{"struct.new_default", B(GC, 0x01, 0x00, DROP), OK},
	{"struct.new_default of a non-null field", B(GC, 0x01, 0x06),
	 INV(0, "field type is not defaultable")},
	{"struct.new 6 of a (ref 0)", B(GC, 0x01, 0x00, GC, 0x00, 0x06, DROP), OK},
	/* struct.get/_s/_u, struct.set */
	{"struct.get", B(NULLOF(0x00), GC, 0x02, 0x00, 0x00, DROP), OK},
	{"struct.get of a packed field", B(NULLOF(0x00), GC, 0x02, 0x00, 0x02),
	 INV(2, "field is packed")},
	{"struct.get_s of a packed field", B(NULLOF(0x00), GC, 0x03, 0x00, 0x02, DROP), OK},
	{"struct.get_u of an i32 field", B(NULLOF(0x00), GC, 0x04, 0x00, 0x00),
	 INV(2, "field is unpacked")},
	{"struct.get of field 3 of 3", B(NULLOF(0x00), GC, 0x02, 0x00, 0x03),
	 INV(2, "unknown field 3")},
	{"struct.get of an anyref", B(NULLOF(ANY), GC, 0x02, 0x00, 0x00),
	 INV(2, "type mismatch in struct.get, expected [(ref null 0)] but got [anyref]")},
	{"struct.get result is i32", B(NULLOF(0x00), GC, 0x02, 0x00, 0x00, 0x50),
	 INV(6, "type mismatch in i64.eqz, expected [i64] but got [i32]")},
	{"struct.set of an immutable field", B(NULLOF(0x00), I32C(1), GC, 0x05, 0x00, 0x00),
	 INV(4, "immutable field")},
	{"struct.set", B(NULLOF(0x00), I64C(5), GC, 0x05, 0x00, 0x01), OK},
	{"struct.set of a packed field takes i32", B(NULLOF(0x00), I32C(5), GC, 0x05, 0x00, 0x02),
	 OK},
	/* array.new* */
	{"array.new", B(I32C(7), I32C(3), GC, 0x06, 0x01, DROP), OK},
	{"array.new of a struct type", B(I32C(7), I32C(3), GC, 0x06, 0x00),
	 INV(4, "non-array type 0")},
	{"array.new_default", B(I32C(3), GC, 0x07, 0x01, DROP), OK},
	{"array.new_fixed 2", B(I32C(1), I32C(2), GC, 0x08, 0x01, 0x02, DROP), OK},
	{"array.new_fixed 3 of 2 values", B(I32C(1), I32C(2), GC, 0x08, 0x01, 0x03),
	 INV(4, "type mismatch in array.new_fixed, expected [i32] but got []")},
	{"array.new_fixed 2^32-1 in dead code",
	 B(0x00, GC, 0x08, 0x01, 0xff, 0xff, 0xff, 0xff, 0x0f, DROP), OK},
	{"array.new_data", B(I32C(0), I32C(1), GC, 0x09, 0x03, 0x00, DROP), OK},
	{"array.new_data of funcref", B(I32C(0), I32C(1), GC, 0x09, 0x05, 0x00),
	 INV(4, "array type is not numeric or vector")},
	{"array.new_data of data 1", B(I32C(0), I32C(1), GC, 0x09, 0x03, 0x01),
	 INV(4, "unknown data segment 1")},
	{"array.new_elem", B(I32C(0), I32C(1), GC, 0x0a, 0x05, 0x00, DROP), OK},
	{"array.new_elem of i32", B(I32C(0), I32C(1), GC, 0x0a, 0x01, 0x00),
	 INV(4, "type mismatch in array.new_elem")},
	{"array.new_elem of elem 1", B(I32C(0), I32C(1), GC, 0x0a, 0x05, 0x01),
	 INV(4, "unknown elem segment 1")},
	/* array.get/_s/_u, set, len, fill, copy, init_* */
	{"array.get", B(NULLOF(0x01), I32C(0), GC, 0x0b, 0x01, DROP), OK},
	{"array.get of a packed array", B(NULLOF(0x03), I32C(0), GC, 0x0b, 0x03),
	 INV(4, "array is packed")},
	{"array.get_u of a packed array", B(NULLOF(0x03), I32C(0), GC, 0x0d, 0x03, DROP), OK},
	{"array.get_s of an i32 array", B(NULLOF(0x01), I32C(0), GC, 0x0c, 0x01),
	 INV(4, "array is unpacked")},
	{"array.set of an immutable array", B(NULLOF(0x02), I32C(0), I32C(0), GC, 0x0e, 0x02),
	 INV(6, "immutable array")},
	{"array.set", B(NULLOF(0x03), I32C(0), I32C(0), GC, 0x0e, 0x03), OK},
	{"array.len", B(NULLOF(ARRAYH), GC, 0x0f, DROP), OK},
	{"array.len of a typed array", B(NULLOF(0x01), GC, 0x0f, DROP), OK},
	{"array.len of an i32", B(I32C(0), GC, 0x0f),
	 INV(2, "type mismatch in array.len, expected [arrayref] but got [i32]")},
	{"array.fill", B(NULLOF(0x01), I32C(0), I32C(5), I32C(2), GC, 0x10, 0x01), OK},
	{"array.fill with an i64", B(NULLOF(0x01), I32C(0), I64C(5), I32C(2), GC, 0x10, 0x01),
	 INV(8, "type mismatch in array.fill, expected [i32] but got [i64]")},
	{"array.copy i8 to mut i8",
	 B(NULLOF(0x03), I32C(0), NULLOF(0x02), I32C(0), I32C(0), GC, 0x11, 0x03, 0x02), OK},
	{"array.copy i8 to i32",
	 B(NULLOF(0x01), I32C(0), NULLOF(0x03), I32C(0), I32C(0), GC, 0x11, 0x01, 0x03),
	 INV(10, "array types do not match")},
	{"array.copy to an immutable array",
	 B(NULLOF(0x02), I32C(0), NULLOF(0x03), I32C(0), I32C(0), GC, 0x11, 0x02, 0x03),
	 INV(10, "immutable array")},
	{"array.init_data",
	 B(NULLOF(0x03), I32C(0), I32C(0), I32C(0), GC, 0x12, 0x03, 0x00), OK},
	{"array.init_data of an immutable array",
	 B(NULLOF(0x02), I32C(0), I32C(0), I32C(0), GC, 0x12, 0x02, 0x00),
	 INV(8, "immutable array")},
	{"array.init_elem",
	 B(NULLOF(0x05), I32C(0), I32C(0), I32C(0), GC, 0x13, 0x05, 0x00), OK},
	{"array.init_elem of elem 3",
	 B(NULLOF(0x05), I32C(0), I32C(0), I32C(0), GC, 0x13, 0x05, 0x03),
	 INV(8, "unknown elem segment 3")},
	/* i31 */
	{"ref.i31, i31.get_s", B(I32C(5), GC, 0x1c, GC, 0x1d, DROP), OK},
	{"i31.get_u of a nullable i31ref", B(NULLOF(0x6c), GC, 0x1e, DROP), OK},
	{"i31.get_u of an anyref", B(NULLOF(ANY), GC, 0x1e),
	 INV(2, "type mismatch in i31.get_u, expected [i31ref] but got [anyref]")},
	{"ref.i31 of an i64", B(I64C(5), GC, 0x1c),
	 INV(2, "type mismatch in ref.i31, expected [i32] but got [i64]")},
	/* ref.test, ref.cast */
	{"ref.test (ref 0) of anyref", B(NULLOF(ANY), GC, 0x14, 0x00, DROP), OK},
	{"ref.test (ref null func) of funcref", B(NULLOF(FUNCH), GC, 0x15, FUNCH, DROP), OK},
	{"ref.test func of anyref", B(NULLOF(ANY), GC, 0x14, FUNCH),
	 INV(2, "type mismatch in ref.test, expected [funcref] but got [anyref]")},
	{"ref.test (ref 4) of funcref", B(NULLOF(FUNCH), GC, 0x14, 0x04, DROP), OK},
	{"ref.cast (ref null 0) of anyref", B(NULLOF(ANY), GC, 0x17, 0x00, DROP), OK},
	{"ref.cast (ref 9)", B(NULLOF(ANY), GC, 0x16, 0x09), INV(2, "unknown type 9")},
	{"ref.cast (ref 0) gives a non-null (ref 0)",
	 B(NULLOF(ANY), GC, 0x16, 0x00, 0xd4, DROP), OK},
	{"ref.cast bad heap type", B(NULLOF(ANY), GC, 0x16, 0x40),
	 BAD(4, "malformed reference type")},
	/* br_on_cast, br_on_cast_fail */
	{"br_on_cast anyref to (ref 0)",
	 B(0x02, ANY, NULLOF(ANY), GC, 0x18, 0x01, 0x00, ANY, 0x00, 0x0b, DROP), OK},
	{"br_on_cast func to (ref 0)",
	 B(0x02, ANY, NULLOF(FUNCH), GC, 0x18, 0x01, 0x00, FUNCH, 0x00, 0x0b, DROP),
	 INV(4, "type mismatch in br_on_cast")},
	{"br_on_cast to a label of i32",
	 B(0x02, 0x7f, NULLOF(ANY), GC, 0x18, 0x01, 0x00, ANY, 0x00, 0x0b, DROP),
	 INV(4, "type mismatch in br_on_cast")},
	{"br_on_cast_fail anyref to (ref 0)",
	 B(0x02, ANY, NULLOF(ANY), GC, 0x19, 0x01, 0x00, ANY, 0x00, 0x0b, DROP), OK},
	{"br_on_cast_fail leaves (ref 0)",
	 B(0x02, ANY, NULLOF(ANY), GC, 0x19, 0x01, 0x00, ANY, 0x00, GC, 0x02, 0x00, 0x00, DROP,
	   0xd0, ANY, 0x0b, DROP), OK},
	{"br_on_cast leaves anyref, not (ref 0)",
	 B(0x02, ANY, NULLOF(ANY), GC, 0x18, 0x01, 0x00, ANY, 0x00, GC, 0x02, 0x00, 0x00,
	   0x0b, DROP),
	 INV(10, "type mismatch in struct.get, expected [(ref null 0)] but got [anyref]")},
	{"br_on_cast to label 1", B(NULLOF(ANY), GC, 0x18, 0x01, 0x01, ANY, 0x00),
	 INV(2, "unknown label")},
	{"br_on_cast flags 4", B(NULLOF(ANY), GC, 0x18, 0x04, 0x00, ANY, 0x00),
	 BAD(4, "malformed br_on_cast flags")},
	/* ref.eq, conversions */
	{"ref.eq", B(NULLOF(EQ), NULLOF(0x6c), 0xd3, DROP), OK},
	{"ref.eq of anyref", B(NULLOF(ANY), NULLOF(EQ), 0xd3),
	 INV(4, "type mismatch in ref.eq, expected [eqref] but got [anyref]")},
	{"any.convert_extern", B(NULLOF(EXTERN), GC, 0x1a, DROP), OK},
	{"any.convert_extern of anyref", B(NULLOF(ANY), GC, 0x1a),
	 INV(2, "type mismatch in any.convert_extern, expected [externref] but got [anyref]")},
	{"extern.convert_any", B(NULLOF(ANY), GC, 0x1b, DROP), OK},
	{"extern.convert_any keeps non-null",
	 B(I32C(1), GC, 0x1c, GC, 0x1b, 0xd4, DROP), OK},
	/* decoding */
	{"0xfb 0x1f", B(GC, 0x1f), BAD(0, "illegal opcode")},
	{"0xfb 0x20", B(GC, 0x20), BAD(0, "illegal opcode")},
};

static uint32_t gc_features(void)
{
	return wlab_features_default() | wlab_feature_by_name("gc");
}

/* A module of the types above, one [] -> [] function of body, a passive
 * elem segment of one function, a passive data segment of 2 bytes, and
 * optionally a global whose init is ginit. *body_at gets the body's offset. */
static struct tu_buf module_of(const uint8_t *body, size_t n, const uint8_t *ginit,
			       size_t ng, size_t *body_at)
{
	struct tu_buf b = {0}, p = {0};
	tu_header(&b);
	tu_section_raw(&b, 1, types, sizeof types);
	tu_section_raw(&b, 3, TU_ARR(0x01, 0x04), 2);
	if (ginit) {  /* (global (ref null 0) init) */
		TU_PUT(&p, 0x01, 0x63, 0x00, 0x00);
		tu_bytes(&p, ginit, ng);
		tu_byte(&p, 0x0b);
		tu_section(&b, 6, &p);
		tu_buf_reset(&p);
	}
	tu_section_raw(&b, 9, TU_ARR(0x01, 0x01, 0x00, 0x01, 0x00), 5);
	tu_section_raw(&b, 12, TU_ARR(0x01), 1);
	TU_PUT(&p, 0x01);
	tu_u32(&p, (uint32_t)n + 2);
	tu_byte(&p, 0x00);
	size_t in_payload = p.n;
	tu_bytes(&p, body, n);
	tu_byte(&p, 0x0b);
	size_t at = tu_section(&b, 10, &p);
	*body_at = at + in_payload;
	tu_section_raw(&b, 11, TU_ARR(0x01, 0x01, 0x02, 'h', 'i'), 5);
	tu_buf_free(&p);
	return b;
}

/* Decodes and validates bytes with features; a valid module must encode
 * to its own bytes. */
static bool check_module(const char *what, const struct tu_buf *b, uint32_t features,
			 enum wlab_status st, size_t offset, const char *msg)
{
	struct wlab_decode_options o = {.features = features};
	struct wlab_validate_options vo = {.features = features};
	struct wlab_module *m = NULL;
	struct wlab_error err = {0};
	struct wlab_validate_error verr;
	bool ok = true;
	if (tu_decode(b, &o, &m, &err) != WLAB_OK) {
		ok = tu_check_error(what, &err, st, offset, msg);
		goto done;
	}
	wlab_module_validate(m, &vo, &verr);
	if (st != WLAB_OK) {
		ok = tu_check_error(what, verr.error.status ? &verr.error : &err, st, offset, msg);
		goto done;
	}
	if (!tu_check_ok(what, &verr.error)) {
		ok = false;
		goto done;
	}
	uint8_t *out = NULL;
	size_t size = 0;
	if (wlab_module_encode(m, &out, &size, &err) != WLAB_OK)
		ok = tu_row_failed(what, "encode: %s", err.message);
	else if (size != b->n || memcmp(out, b->p, size) != 0)
		ok = tu_row_failed(what, "encoded %zu bytes differ from the %zu read", size, b->n);
	free(out);
done:
	wlab_module_free(m);
	return ok;
}

static void test_rows(void **state)
{
	(void)state;
	size_t failed = 0, n = sizeof rows / sizeof rows[0];
	for (size_t i = 0; i < n; i++) {
		const struct row *r = &rows[i];
		size_t at;
		struct tu_buf b = module_of(r->body, r->n, NULL, 0, &at);
		failed += !check_module(r->what, &b, gc_features(), r->st, at + r->at, r->msg);
		tu_buf_free(&b);
	}
	tu_table_done("gc instruction rows", failed, n);
}

/* Every instruction's bytes re-encode from the decoded instruction: the
 * iterator and the encoder agree on each immediate kind of the GC rows. */
static void test_reencode(void **state)
{
	(void)state;
	const struct {
		const char *what;
		const uint8_t *bytes;
		size_t n;
	} cases[] = {
		{"struct.get_s", B(GC, 0x03, 0x81, 0x01, 0x02)},
		{"array.new_fixed", B(GC, 0x08, 0x01, 0xff, 0xff, 0x03)},
		{"array.copy", B(GC, 0x11, 0x03, 0x02)},
		{"array.init_elem", B(GC, 0x13, 0x05, 0x07)},
		{"ref.test null", B(GC, 0x15, 0x6e)},
		{"ref.cast 300", B(GC, 0x16, 0xac, 0x02)},
		{"br_on_cast 3", B(GC, 0x18, 0x03, 0x02, 0x6e, 0x00)},
		{"br_on_cast_fail 2", B(GC, 0x19, 0x02, 0x00, 0x6d, 0x6c)},
		{"ref.eq", B(0xd3)},
		{"i31.get_u", B(GC, 0x1e)},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct wlab_error err = {0};
		struct wlab_instr_iter it;
		struct wlab_instr in;
		struct wlab_span span = {0, (uint32_t)cases[i].n};
		wlab_instr_iter_init(&it, cases[i].bytes, span, gc_features(), &err);
		if (wlab_instr_next(&it, &in) != WLAB_OK)
			fail_msg("%s: %s", cases[i].what, err.message);
		assert_int_equal(in.size, cases[i].n);
		struct wlab_buf buf = {0};
		assert_int_equal(wlab_buf_instr(&buf, &in), WLAB_OK);
		if (buf.size != cases[i].n || memcmp(buf.data, cases[i].bytes, buf.size) != 0)
			fail_msg("%s: re-encoded to %zu different bytes", cases[i].what, buf.size);
		wlab_buf_free(&buf);
		wlab_instr_iter_fini(&it);
	}
}

/* Without GC, 0xfb and ref.eq are illegal opcodes. */
static void test_gc_off(void **state)
{
	(void)state;
	size_t at;
	struct tu_buf b = module_of(B(GC, 0x01, 0x00, DROP), NULL, 0, &at);
	uint32_t f = gc_features() & ~wlab_feature_by_name("gc");
	struct wlab_decode_options o = {.features = f};
	struct wlab_module *m = NULL;
	struct wlab_error err = {0};
	tu_decode(&b, &o, &m, &err);
	/* the GC types themselves are refused first: a struct without GC */
	assert_int_equal(err.status, WLAB_MALFORMED);
	wlab_module_free(m);
	tu_buf_free(&b);
	struct wlab_instr_iter it;
	struct wlab_instr in;
	static const uint8_t eq[] = {0xd3};
	err = (struct wlab_error){0};
	wlab_instr_iter_init(&it, eq, (struct wlab_span){0, 1}, f, &err);
	assert_int_equal(wlab_instr_next(&it, &in), WLAB_MALFORMED);
	assert_string_equal(err.message, "illegal opcode: ref.eq needs the gc feature (--enable-gc)");
	wlab_instr_iter_fini(&it);
}

/* The constant forms: struct.new, struct.new_default, array.new,
 * array.new_default, array.new_fixed, ref.i31, any.convert_extern and
 * extern.convert_any; the others are "constant expression required". */
static void test_const(void **state)
{
	(void)state;
	const struct row consts[] = {
		{"struct.new_default", B(GC, 0x01, 0x00), OK},
		{"struct.new", B(I32C(1), I64C(2), I32C(3), GC, 0x00, 0x00), OK},
		{"array.new_fixed, drop", B(GC, 0x08, 0x01, 0x00, DROP),
		 INV(4, "constant expression required")},
		{"array.new_default is no struct 0", B(I32C(1), GC, 0x07, 0x01),
		 INV(5, "type mismatch in initializer expression, expected [(ref null 0)] but got [(ref 1)]")},
		{"ref.i31", B(I32C(1), GC, 0x1c),
		 INV(4, "type mismatch in initializer expression, expected [(ref null 0)] but got [(ref i31)]")},
		{"extern.convert_any of struct.new_default",
		 B(GC, 0x01, 0x00, GC, 0x1b),
		 INV(5, "type mismatch in initializer expression, expected [(ref null 0)] but got [(ref extern)]")},
		{"any.convert_extern", B(NULLOF(EXTERN), GC, 0x1a),
		 INV(4, "type mismatch in initializer expression, expected [(ref null 0)] but got [anyref]")},
		{"struct.get", B(GC, 0x01, 0x00, GC, 0x02, 0x00, 0x00),
		 INV(3, "constant expression required")},
		{"array.len", B(NULLOF(ARRAYH), GC, 0x0f), INV(2, "constant expression required")},
	};
	size_t failed = 0, n = sizeof consts / sizeof consts[0];
	for (size_t i = 0; i < n; i++) {
		const struct row *r = &consts[i];
		size_t at;
		struct tu_buf b = module_of(B(0x01), r->body, r->n, &at);
		/* the global's init starts 4 bytes into its section's payload */
		size_t g = 8 + 29 + 2 + 4 + 2 + 4;
		failed += !check_module(r->what, &b, gc_features(), r->st, g + r->at, r->msg);
		tu_buf_free(&b);
	}
	tu_table_done("gc constant rows", failed, n);
}

/* Text rows: assembled, validated, printed flat and folded (holding the
 * printed part when given), and each print assembles to the same bytes. */
struct trow {
	const char *text;
	const char *error;   /* NULL: valid; else a part of the text or validation error */
	const char *printed; /* a part of the flat print */
	const uint8_t *code; /* bytes the binary holds, or NULL */
	size_t ncode;
};

#define TS "(type $s (struct (field $a i32) (field $b (mut i64)) (field i8 i16)" \
	   " (field $c (mut (ref null $s)))))"
#define TA "(type $a (array (mut i8)))"

static const struct trow trows[] = {
	{"(module " TS " (func (param $x (ref null $s)) (result i64)"
	 " (struct.get $s $b (local.get $x))))", NULL, "struct.get 0 1", B(GC, 0x02, 0x00, 0x01)},
	{"(module " TS " (func (param $x (ref null $s)) (result i32)"
	 " (struct.get_u $s 3 (local.get $x))))", NULL, "struct.get_u 0 3", B(GC, 0x04, 0x00, 0x03)},
	{"(module " TS " (func (param $x (ref null $s))"
	 " (struct.set $s $c (local.get $x) (local.get $x))))", NULL, "struct.set 0 4", NULL, 0},
	{"(module " TS " (func (param $x (ref null $s)) (result i32)"
	 " (struct.get $s $z (local.get $x))))", "unknown field $z", NULL, NULL, 0},
	{"(module " TS " (type $t (struct (field $z i32))) (func (param $x (ref null $s)) (result i32)"
	 " (struct.get $s $z (local.get $x))))", "unknown field $z", NULL, NULL, 0},
	{"(module " TS " (global (ref $s) (struct.new $s (i32.const 1) (i64.const 2) (i32.const 3)"
	 " (i32.const 4) (ref.null $s))))", NULL, "(ref.null 0) (struct.new 0)", NULL, 0},
	{"(module " TA " (data $d \"ab\") (func (result (ref $a))"
	 " (array.new_data $a $d (i32.const 0) (i32.const 2))))", NULL, "array.new_data 0 0",
	 B(GC, 0x09, 0x00, 0x00)},
	{"(module " TA " (func (result (ref $a)) (array.new_fixed $a 3 (i32.const 0) (i32.const 1)"
	 " (i32.const 2))))", NULL, "array.new_fixed 0 3", B(GC, 0x08, 0x00, 0x03)},
	{"(module " TA " (func (param (ref $a) (ref $a)) (array.copy $a $a (local.get 0)"
	 " (i32.const 0) (local.get 1) (i32.const 0) (i32.const 1))))", NULL, "array.copy 0 0", NULL, 0},
	{"(module " TA " (elem $e funcref) (func (param (ref $a)) (array.init_elem $a $e (local.get 0)"
	 " (i32.const 0) (i32.const 0) (i32.const 0))))", "type mismatch", NULL, NULL, 0},
	{"(module (func (param anyref) (result i32) (ref.test (ref null i31) (local.get 0))))", NULL,
	 "ref.test i31ref", B(GC, 0x15, 0x6c)},
	{"(module (func (param anyref) (result i32) (ref.test (ref i31) (local.get 0))))", NULL,
	 "ref.test (ref i31)", B(GC, 0x14, 0x6c)},
	{"(module " TS " (func (param anyref) (result (ref null $s)) (ref.cast (ref null $s)"
	 " (local.get 0))))", NULL, "ref.cast (ref null 0)", B(GC, 0x17, 0x00)},
	{"(module (func (param anyref) (result anyref) (ref.cast i32 (local.get 0))))",
	 "expected a reference type", NULL, NULL, 0},
	{"(module " TS " (func (param anyref) (result anyref) (block $l (result anyref)"
	 " (br_on_cast $l anyref (ref $s) (local.get 0)))))", NULL,
	 "br_on_cast 0 (;@1;) anyref (ref 0)", B(GC, 0x18, 0x01, 0x00, 0x6e, 0x00)},
	{"(module " TS " (func (param anyref) (result anyref) (block $l (result anyref)"
	 " (br_on_cast_fail $l anyref nullref (local.get 0)))))", NULL,
	 "br_on_cast_fail 0 (;@1;) anyref nullref", B(GC, 0x19, 0x03, 0x00, 0x6e, 0x71)},
	{"(module (func (result i32) (i31.get_s (ref.i31 (i32.const -1)))))", NULL,
	 "ref.i31\n    i31.get_s", B(GC, 0x1c, GC, 0x1d)},
	{"(module (func (param eqref eqref) (result i32) (ref.eq (local.get 0) (local.get 1))))",
	 NULL, "ref.eq", B(0xd3)},
	{"(module (func (param externref) (result externref)"
	 " (extern.convert_any (any.convert_extern (local.get 0)))))", NULL,
	 "any.convert_extern\n    extern.convert_any", B(GC, 0x1a, GC, 0x1b)},
	{"(module (func (param anyref) (result i32) (array.len (local.get 0))))", "type mismatch",
	 NULL, NULL, 0},
};

static bool has_bytes(const uint8_t *p, size_t n, const uint8_t *q, size_t nq)
{
	for (size_t i = 0; i + nq <= n; i++)
		if (!memcmp(p + i, q, nq))
			return true;
	return false;
}

static bool reassembles(const struct trow *r, const struct wlab_module *m, unsigned flags,
			const uint8_t *bin, size_t size)
{
	struct wlab_wat_print_options po = {.flags = flags};
	struct wlab_error err = {0};
	char *text = NULL;
	uint8_t *bin2 = NULL;
	size_t len = 0, size2 = 0;
	bool ok = true;
	if (wlab_wat_print(m, &po, &text, &len, &err))
		ok = tu_row_failed(r->text, "print: %s", err.message);
	else if (!flags && r->printed && !strstr(text, r->printed))
		ok = tu_row_failed(r->text, "printed\n%s\nwithout\n%s", text, r->printed);
	else if (wlab_wat_to_binary_features(text, len, gc_features(), &bin2, &size2, &err))
		ok = tu_row_failed(r->text, "printed text: %s\n%s", err.message, text);
	else if (size2 != size || memcmp(bin, bin2, size))
		ok = tu_row_failed(r->text, "printed text assembles to other bytes:\n%s", text);
	free(text);
	free(bin2);
	return ok;
}

static bool check_trow(const struct trow *r)
{
	uint32_t f = gc_features();
	struct wlab_decode_options o = {.features = f};
	struct wlab_validate_options vo = {.features = f};
	struct wlab_validate_error verr;
	struct wlab_error err = {0};
	struct wlab_module *m = NULL;
	uint8_t *bin = NULL;
	size_t size = 0;
	bool ok = true;
	if (wlab_wat_to_binary_features(r->text, strlen(r->text), f, &bin, &size, &err)) {
		if (!r->error || !strstr(err.message, r->error))
			ok = tu_row_failed(r->text, "text error \"%s\", expected %s", err.message,
					   r->error ? r->error : "none");
		goto done;
	}
	if (r->code && !has_bytes(bin, size, r->code, r->ncode)) {
		ok = tu_row_failed(r->text, "the binary lacks the instruction's bytes");
		goto done;
	}
	if (wlab_module_decode(bin, size, &o, &m, &err)) {
		ok = tu_row_failed(r->text, "decode: %s", err.message);
		goto done;
	}
	wlab_module_validate(m, &vo, &verr);
	if (r->error) {
		if (!verr.error.status || !strstr(verr.error.message, r->error))
			ok = tu_row_failed(r->text, "validation \"%s\", expected \"%s\"",
					   verr.error.message, r->error);
		goto done;
	}
	ok = tu_check_ok(r->text, &verr.error) && reassembles(r, m, 0, bin, size) &&
	     reassembles(r, m, WLAB_WAT_FOLD, bin, size);
done:
	free(bin);
	wlab_module_free(m);
	return ok;
}

static void test_text(void **state)
{
	(void)state;
	size_t failed = 0, n = sizeof trows / sizeof trows[0];
	for (size_t i = 0; i < n; i++)
		failed += !check_trow(&trows[i]);
	tu_table_done("gc text rows", failed, n);
}

/* Without GC the instructions are no operators of the text format. */
static void test_text_gc_off(void **state)
{
	(void)state;
	static const char text[] = "(module (func (result i32) (i31.get_s (ref.i31 (i32.const 1)))))";
	struct wlab_error err = {0};
	uint8_t *bin = NULL;
	size_t size = 0;
	uint32_t f = gc_features() & ~wlab_feature_by_name("gc");
	assert_int_equal(wlab_wat_to_binary_features(text, strlen(text), f, &bin, &size, &err),
			 WLAB_MALFORMED);
	assert_non_null(strstr(err.message, "unknown operator i31.get_s: i31.get_s needs the gc "
					    "feature (--enable-gc)"));
	free(bin);
}

/* Instantiates text with GC on and the heap cap max_heap (0: default). */
static struct wlab_instance *gc_inst(const char *text, uint64_t max_heap, struct wlab_store **sp,
				     struct wlab_module **mp, uint8_t **binp)
{
	struct wlab_error err = {0};
	size_t size = 0;
	assert_int_equal(wlab_wat_to_binary_features(text, strlen(text), gc_features(), binp,
						     &size, &err), WLAB_OK);
	struct wlab_decode_options d = {.features = gc_features()};
	assert_int_equal(wlab_module_decode(*binp, size, &d, mp, &err), WLAB_OK);
	struct wlab_store_options o = {.features = gc_features(), .max_heap = max_heap};
	*sp = wlab_store_new(&o);
	assert_non_null(*sp);
	struct wlab_instance *inst = NULL;
	enum wlab_trap trap = WLAB_TRAP_NONE;
	assert_int_equal(wlab_instantiate(*sp, *mp, &inst, &err, &trap), WLAB_OK);
	return inst;
}

static enum wlab_trap gc_call(struct wlab_instance *inst, struct wlab_store *s, const char *name,
			      const uint64_t *args, uint64_t *results)
{
	struct wlab_extern x;
	enum wlab_trap trap = WLAB_TRAP_NONE;
	assert_true(wlab_instance_export(inst, name, strlen(name), &x));
	wlab_call(s, x.u.func, args, results, &trap);
	return trap;
}

/* A module with GC instructions runs: a struct made, read, written; an
 * i31 unboxed; the API tells objects and i31 values apart. */
static void test_run(void **state)
{
	(void)state;
	static const char text[] = "(module (type $p (struct (field (mut i32)) (field i8)))\n"
				   "  (type $a (array (mut i16)))\n"
				   "  (global $g (ref $p) (struct.new $p (i32.const 5) (i32.const 200)))\n"
				   "  (func (export \"f\") (result i32)\n"
				   "    (struct.set $p 0 (global.get $g) (i32.const 7))\n"
				   "    (i32.add (struct.get $p 0 (global.get $g))\n"
				   "             (struct.get_s $p 1 (global.get $g))))\n"
				   "  (func (export \"a\") (param i32) (result arrayref)\n"
				   "    (array.new $a (i32.const -1) (local.get 0)))\n"
				   "  (func (export \"i\") (param i32) (result i31ref)\n"
				   "    (ref.i31 (local.get 0))))";
	struct wlab_store *s;
	struct wlab_module *m;
	uint8_t *bin = NULL;
	struct wlab_instance *inst = gc_inst(text, 0, &s, &m, &bin);
	uint64_t r[1] = {0}, arg[1] = {3};
	assert_int_equal(gc_call(inst, s, "f", NULL, r), WLAB_TRAP_NONE);
	assert_int_equal((uint32_t)r[0], (uint32_t)(7 - 56));
	assert_int_equal(gc_call(inst, s, "a", arg, r), WLAB_TRAP_NONE);
	uint32_t id, len, want;
	bool is_array = false;
	assert_true(wlab_ref_object(s, r[0], &id, &len, &is_array));
	assert_true(is_array);
	assert_int_equal(len, 3);
	assert_true(wlab_instance_type_id(inst, 1, &want));
	assert_int_equal(id, want);
	assert_true(wlab_ref_test(s, r[0], WLAB_HT_ARRAY));
	assert_false(wlab_ref_test(s, r[0], WLAB_HT_STRUCT));
	assert_false(wlab_ref_test(s, r[0], WLAB_HT_I31));
	assert_int_equal(gc_call(inst, s, "i", arg, r), WLAB_TRAP_NONE);
	assert_true(wlab_ref_test(s, r[0], WLAB_HT_I31));
	assert_true(wlab_ref_test(s, r[0], WLAB_HT_EQ));
	assert_false(wlab_ref_object(s, r[0], &id, &len, &is_array));
	wlab_store_free(s);
	wlab_module_free(m);
	free(bin);
}

/* Garbage past the heap cap is collected; an array length past the cap
 * traps "out of memory" (no host allocation tried), and the store stays
 * usable. */
static void test_heap_cap(void **state)
{
	(void)state;
	static const char text[] = "(module (type $a (array i64))\n"
				   "  (func (export \"n\") (param i32) (result i32)\n"
				   "    (loop $l (drop (array.new_default $a (i32.const 100)))\n"
				   "      (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))\n"
				   "    (i32.const 1))\n"
				   "  (func (export \"big\") (result i32)\n"
				   "    (array.len (array.new_default $a (i32.const -1)))))";
	struct wlab_store *s;
	struct wlab_module *m;
	uint8_t *bin = NULL;
	struct wlab_instance *inst = gc_inst(text, 100000, &s, &m, &bin);
	uint64_t r[1] = {0}, arg[1] = {100};
	assert_int_equal(gc_call(inst, s, "n", arg, r), WLAB_TRAP_NONE);  /* 81 KB */
	assert_int_equal(gc_call(inst, s, "n", arg, r), WLAB_TRAP_NONE);  /* collected */
	assert_int_equal(gc_call(inst, s, "big", NULL, r), WLAB_TRAP_NOMEM);
	assert_int_equal(gc_call(inst, s, "n", arg, r), WLAB_TRAP_NONE);
	uint64_t n, objects, heap;
	wlab_store_gc_stats(s, &n, &objects, &heap);
	assert_true(n > 0);
	assert_true(heap <= 100000);
	wlab_store_free(s);
	wlab_module_free(m);
	free(bin);
}

/* The host's references: a result held with wlab_ref_hold outlives a
 * collection, one not held does not (the word is no object any more), a
 * released one neither; a global's object (a root) stays. */
static void test_hold(void **state)
{
	(void)state;
	static const char text[] = "(module (type $a (array (mut i8))) (type $p (struct (field i32)))\n"
				   "  (global $g (ref $p) (struct.new $p (i32.const 42)))\n"
				   "  (func (export \"a\") (param i32) (result arrayref)\n"
				   "    (array.new_default $a (local.get 0)))\n"
				   "  (func (export \"g\") (result i32) (struct.get $p 0 (global.get $g))))";
	struct wlab_store *s;
	struct wlab_module *m;
	uint8_t *bin = NULL;
	struct wlab_instance *inst = gc_inst(text, 0, &s, &m, &bin);
	uint64_t kept[1] = {0}, lost[1] = {0}, arg[1] = {3}, r[1];
	uint32_t id, len;
	bool is_array;
	assert_int_equal(gc_call(inst, s, "a", arg, kept), WLAB_TRAP_NONE);
	assert_true(wlab_ref_hold(s, kept[0]));
	arg[0] = 5;
	assert_int_equal(gc_call(inst, s, "a", arg, lost), WLAB_TRAP_NONE);
	assert_true(wlab_ref_object(s, lost[0], &id, &len, &is_array));
	wlab_store_gc(s);
	assert_true(wlab_ref_object(s, kept[0], &id, &len, &is_array));
	assert_int_equal(len, 3);
	assert_false(wlab_ref_object(s, lost[0], &id, &len, &is_array));
	wlab_ref_release(s, kept[0]);
	wlab_store_gc(s);
	assert_false(wlab_ref_object(s, kept[0], &id, &len, &is_array));
	assert_int_equal(gc_call(inst, s, "g", NULL, r), WLAB_TRAP_NONE);
	assert_int_equal((uint32_t)r[0], 42);
	wlab_store_free(s);
	wlab_module_free(m);
	free(bin);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_reencode),
		cmocka_unit_test(test_gc_off),
		cmocka_unit_test(test_const),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_text_gc_off),
		cmocka_unit_test(test_run),
		cmocka_unit_test(test_heap_cap),
		cmocka_unit_test(test_hold),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
