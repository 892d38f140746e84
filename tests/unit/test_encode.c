/* test_encode.c: the byte buffer, the LEB128 and instruction writers, and
 * wlab_module_encode on hand-built modules of every section kind. */
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
#include "wlab/reader.h"

#define LEN(a) (sizeof (a) / sizeof (a)[0])

/* ---- LEB128 ---- */

/* The shortest unsigned length: one byte per started group of 7 bits. */
static size_t ulen(uint64_t v)
{
	size_t n = 1;
	while (v >>= 7)
		n++;
	return n;
}

/* The shortest signed length: the fewest 7k bits that hold v in two's complement. */
static size_t slen(int64_t v)
{
	for (size_t n = 1; n < 10; n++) {
		int64_t lo = -((int64_t)1 << (7 * n - 1)), hi = ((int64_t)1 << (7 * n - 1)) - 1;
		if (v >= lo && v <= hi)
			return n;
	}
	return 10;
}

static void test_leb_unsigned(void **state)
{
	(void)state;
	size_t failed = 0, n = 0;
	for (unsigned k = 0; k <= 64; k++) {  /* 2^k - 1, 2^k and 2^k + 1 */
		uint64_t base = k == 64 ? 0 : (uint64_t)1 << k;
		uint64_t vals[3] = {base - 1, base, base + 1};
		for (int j = 0; j < 3; j++, n++) {
			uint64_t v = vals[j];
			struct wlab_buf b = {0};
			struct wlab_error err = {0};
			wlab_buf_u64(&b, v);
			struct wlab_reader r;
			wlab_reader_init(&r, b.data, b.size, &err);
			uint64_t got = 0;
			char what[64];
			snprintf(what, sizeof what, "u64 %llu", (unsigned long long)v);
			if (!wlab_buf_ok(&b) || b.size != ulen(v) || wlab_leb_u64_size(v) != b.size)
				failed += !tu_row_failed(what, "length %zu, want %zu", b.size, ulen(v));
			else if (wlab_read_u64(&r, &got) || got != v || wlab_reader_left(&r))
				failed += !tu_row_failed(what, "read back %llu", (unsigned long long)got);
			if (v <= UINT32_MAX) {
				struct wlab_buf b32 = {0};
				wlab_buf_u32(&b32, (uint32_t)v);
				if (b32.size != b.size || memcmp(b32.data, b.data, b.size) != 0)
					failed += !tu_row_failed(what, "u32 writer differs");
				wlab_buf_free(&b32);
			}
			wlab_buf_free(&b);
		}
	}
	tu_table_done("unsigned LEB128", failed, n);
}

static void test_leb_signed(void **state)
{
	(void)state;
	size_t failed = 0, n = 0;
	for (unsigned k = 0; k < 64; k++) {  /* around +-2^k */
		int64_t p = k == 63 ? INT64_MAX : (int64_t)((uint64_t)1 << k);
		int64_t vals[6] = {p - 1, p, k == 63 ? p : p + 1, -p, -p - 1 + (k == 63), -p + 1};
		for (int j = 0; j < 6; j++, n++) {
			int64_t v = vals[j];
			struct wlab_buf b = {0};
			struct wlab_error err = {0};
			wlab_buf_s64(&b, v);
			struct wlab_reader r;
			wlab_reader_init(&r, b.data, b.size, &err);
			int64_t got = 0;
			char what[64];
			snprintf(what, sizeof what, "s64 %lld", (long long)v);
			if (b.size != slen(v) || wlab_leb_s64_size(v) != b.size)
				failed += !tu_row_failed(what, "length %zu, want %zu", b.size, slen(v));
			else if (wlab_read_s64(&r, &got) || got != v || wlab_reader_left(&r))
				failed += !tu_row_failed(what, "read back %lld", (long long)got);
			if (v >= INT32_MIN && v <= INT32_MAX) {
				struct wlab_buf b32 = {0};
				struct wlab_reader r32;
				int32_t got32 = 0;
				wlab_buf_s32(&b32, (int32_t)v);
				wlab_reader_init(&r32, b32.data, b32.size, &err);
				if (b32.size != b.size || wlab_read_s32(&r32, &got32) || got32 != v)
					failed += !tu_row_failed(what, "s32 writer differs");
				wlab_buf_free(&b32);
			}
			wlab_buf_free(&b);
		}
	}
	/* INT64_MIN and a few exact encodings. */
	static const struct {
		int64_t v;
		uint8_t bytes[10];
		size_t n;
	} exact[] = {
		{0, {0x00}, 1}, {-1, {0x7f}, 1}, {63, {0x3f}, 1}, {64, {0xc0, 0x00}, 2},
		{-64, {0x40}, 1}, {-65, {0xbf, 0x7f}, 2}, {-128, {0x80, 0x7f}, 2},
		{INT32_MIN, {0x80, 0x80, 0x80, 0x80, 0x78}, 5},
		{INT64_MIN, {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f}, 10},
	};
	for (size_t i = 0; i < LEN(exact); i++, n++) {
		uint8_t out[10];
		size_t len = wlab_leb_s64(out, exact[i].v);
		char what[64];
		snprintf(what, sizeof what, "exact s64 %lld", (long long)exact[i].v);
		if (len != exact[i].n || memcmp(out, exact[i].bytes, len) != 0)
			failed += !tu_row_failed(what, "wrong bytes (%zu long)", len);
	}
	uint8_t out[10];
	n++;
	if (wlab_leb_u64(out, UINT64_MAX) != 10 || out[9] != 0x01)
		failed += !tu_row_failed("u64 max", "wrong bytes");
	tu_table_done("signed LEB128", failed, n);
}

static void test_buf_basics(void **state)
{
	(void)state;
	struct wlab_buf b, inner = {0};
	wlab_buf_init(&b);
	size_t size = 99;
	assert_null(wlab_buf_take(&b, &size));
	assert_int_equal(size, 0);
	for (int i = 0; i < 300; i++)
		wlab_buf_u8(&inner, (uint8_t)i);
	wlab_buf_name(&b, "ab", 2);
	wlab_buf_sized(&b, &inner);
	wlab_buf_u32le(&b, 0x01020304);
	wlab_buf_u64le(&b, 0x0102030405060708u);
	assert_true(wlab_buf_ok(&b));
	assert_int_equal(b.size, 3 + 2 + 300 + 4 + 8);
	assert_memory_equal(b.data, TU_ARR(0x02, 'a', 'b', 0xac, 0x02, 0x00, 0x01), 7);
	assert_memory_equal(b.data + 305, TU_ARR(4, 3, 2, 1, 8, 7, 6, 5, 4, 3, 2, 1), 12);
	inner.failed = true;  /* a failed inner buffer fails the outer one */
	wlab_buf_sized(&b, &inner);
	assert_false(wlab_buf_ok(&b));
	size_t before = b.size;
	wlab_buf_u8(&b, 1);
	assert_int_equal(b.size, before);
	assert_null(wlab_buf_take(&b, &size));
	assert_int_equal(size, 0);
	assert_null(b.data);
	wlab_buf_op(&b, WLAB_OP_COUNT);
	assert_false(wlab_buf_ok(&b));
	wlab_buf_free(&b);
	wlab_buf_free(&inner);
}

/* ---- module round trips ---- */

static uint32_t all_features(void)
{
	return 0
#define WLAB_FEATURE(bit, cname, name, dflt) | (1u << (bit))
#include "wlab/features.def"
#undef WLAB_FEATURE
		;
}

/* Decodes mod, encodes it and expects the same bytes back (want == NULL)
 * or want; the output must decode with no custom-section error change. */
static void roundtrip(const char *what, const struct tu_buf *mod, const struct tu_buf *want)
{
	struct wlab_decode_options o = {.features = all_features()};
	struct wlab_module *m = NULL, *m2 = NULL;
	struct wlab_error err = {0};
	uint8_t *out = NULL;
	size_t size = 0;
	if (tu_decode(mod, &o, &m, &err) != WLAB_OK)
		fail_msg("%s: decode: 0x%zx %s", what, err.offset, err.message);
	if (wlab_module_encode(m, &out, &size, &err) != WLAB_OK)
		fail_msg("%s: encode: 0x%zx %s", what, err.offset, err.message);
	const struct tu_buf *w = want ? want : mod;
	if (size != w->n || memcmp(out, w->p, size) != 0) {
		size_t at = 0;
		while (at < size && at < w->n && out[at] == w->p[at])
			at++;
		fail_msg("%s: encoded %zu bytes, want %zu; first difference at 0x%zx", what, size,
			 w->n, at);
	}
	if (wlab_module_decode(out, size, &o, &m2, &err) != WLAB_OK)
		fail_msg("%s: re-decode: 0x%zx %s", what, err.offset, err.message);
	assert_int_equal(m2->nsections, m->nsections);
	assert_int_equal(m2->custom_error.status, m->custom_error.status);
	wlab_module_free(m2);
	wlab_module_free(m);
	free(out);
}

static void test_types_imports_functions(void **state)
{
	(void)state;
	struct tu_buf mod = {0}, p = {0};
	tu_header(&mod);
	TU_PUT(&p, 0x03, 0x60, 0x00, 0x00, 0x60, 0x02, 0x7f, 0x7e, 0x01, 0x7d,
	       0x60, 0x03, 0x7b, 0x70, 0x6f, 0x02, 0x7c, 0x7f);
	tu_section(&mod, WLAB_SEC_TYPE, &p);
	tu_buf_reset(&p);
	tu_u32(&p, 7);
	tu_name(&p, "env"); tu_name(&p, "f"); TU_PUT(&p, 0x00, 0x01);
	tu_name(&p, "env"); tu_name(&p, "t"); TU_PUT(&p, 0x01, 0x70, 0x01, 0x01, 0x80, 0x01);
	tu_name(&p, "env"); tu_name(&p, "m"); TU_PUT(&p, 0x02, 0x00, 0x02);
	tu_name(&p, "env"); tu_name(&p, "s"); TU_PUT(&p, 0x02, 0x03, 0x01, 0x02);  /* shared */
	tu_name(&p, "env"); tu_name(&p, "m64");
	TU_PUT(&p, 0x02, 0x05, 0x80, 0x80, 0x80, 0x80, 0x20, 0x80, 0x80, 0x80, 0x80, 0x40);
	tu_name(&p, "env"); tu_name(&p, "g"); TU_PUT(&p, 0x03, 0x7f, 0x01);
	tu_name(&p, "env"); tu_name(&p, "tag"); TU_PUT(&p, 0x04, 0x00, 0x00);
	tu_section(&mod, WLAB_SEC_IMPORT, &p);
	tu_section_raw(&mod, WLAB_SEC_FUNCTION, TU_ARR(0x02, 0x00, 0x01), 3);
	tu_section_raw(&mod, WLAB_SEC_TAG, TU_ARR(0x01, 0x00, 0x01), 3);
	tu_buf_reset(&p);
	/* two bodies: no locals; locals 2*i32 1*f64, then code */
	TU_PUT(&p, 0x02, 0x02, 0x00, 0x0b,
	       0x0a, 0x02, 0x02, 0x7f, 0x01, 0x7c, 0x20, 0x00, 0x20, 0x01, 0x0b);
	tu_section(&mod, WLAB_SEC_CODE, &p);
	roundtrip("types, imports, functions, tags, code", &mod, NULL);
	tu_buf_free(&p);
	tu_buf_free(&mod);
}

static void test_tables_memories_globals_exports(void **state)
{
	(void)state;
	struct tu_buf mod = {0}, p = {0};
	tu_header(&mod);
	tu_section_raw(&mod, WLAB_SEC_TYPE, TU_ARR(0x01, 0x60, 0x00, 0x00), 4);
	tu_section_raw(&mod, WLAB_SEC_FUNCTION, TU_ARR(0x01, 0x00), 2);
	tu_section_raw(&mod, WLAB_SEC_TABLE,
		       TU_ARR(0x02, 0x70, 0x00, 0x0a, 0x6f, 0x01, 0x00, 0xff, 0xff, 0x03), 10);
	tu_section_raw(&mod, WLAB_SEC_MEMORY, TU_ARR(0x02, 0x01, 0x01, 0x80, 0x02, 0x00, 0x00), 7);
	TU_PUT(&p, 0x02, 0x7f, 0x00, 0x41, 0x7f, 0x0b, 0x7e, 0x01, 0x42, 0x80, 0x01, 0x0b);
	tu_section(&mod, WLAB_SEC_GLOBAL, &p);
	tu_buf_reset(&p);
	tu_u32(&p, 3);
	tu_name(&p, "run"); TU_PUT(&p, 0x00, 0x00);
	tu_name(&p, ""); TU_PUT(&p, 0x02, 0x01);
	tu_name(&p, "\xc3\xa9t\xc3\xa9"); TU_PUT(&p, 0x03, 0x01);
	tu_section(&mod, WLAB_SEC_EXPORT, &p);
	tu_section_raw(&mod, WLAB_SEC_START, TU_ARR(0x00), 1);
	tu_section_raw(&mod, WLAB_SEC_CODE, TU_ARR(0x01, 0x02, 0x00, 0x0b), 4);
	roundtrip("tables, memories, globals, exports, start", &mod, NULL);
	tu_buf_free(&p);
	tu_buf_free(&mod);
}

static void test_segments(void **state)
{
	(void)state;
	struct tu_buf mod = {0}, p = {0};
	tu_header(&mod);
	tu_section_raw(&mod, WLAB_SEC_TYPE, TU_ARR(0x01, 0x60, 0x00, 0x00), 4);
	tu_section_raw(&mod, WLAB_SEC_FUNCTION, TU_ARR(0x01, 0x00), 2);
	tu_section_raw(&mod, WLAB_SEC_TABLE, TU_ARR(0x02, 0x70, 0x00, 0x01, 0x70, 0x00, 0x01), 7);
	tu_section_raw(&mod, WLAB_SEC_MEMORY, TU_ARR(0x01, 0x00, 0x01), 3);
	TU_PUT(&p, 0x08,
	       0x00, 0x41, 0x00, 0x0b, 0x01, 0x00,                    /* 0: active, funcs */
	       0x01, 0x00, 0x01, 0x00,                                /* 1: passive, elemkind */
	       0x02, 0x01, 0x41, 0x00, 0x0b, 0x00, 0x01, 0x00,        /* 2: table 1 */
	       0x03, 0x00, 0x02, 0x00, 0x00,                          /* 3: declarative */
	       0x04, 0x41, 0x00, 0x0b, 0x02, 0xd2, 0x00, 0x0b, 0xd0, 0x70, 0x0b,  /* 4 */
	       0x05, 0x6f, 0x01, 0xd0, 0x6f, 0x0b,                    /* 5: passive exprs */
	       0x06, 0x01, 0x41, 0x00, 0x0b, 0x70, 0x01, 0xd2, 0x00, 0x0b,  /* 6 */
	       0x07, 0x70, 0x00);                                     /* 7: declarative */
	tu_section(&mod, WLAB_SEC_ELEM, &p);
	tu_section_raw(&mod, WLAB_SEC_DATACOUNT, TU_ARR(0x03), 1);
	tu_section_raw(&mod, WLAB_SEC_CODE, TU_ARR(0x01, 0x02, 0x00, 0x0b), 4);
	tu_buf_reset(&p);
	TU_PUT(&p, 0x03, 0x00, 0x41, 0x08, 0x0b, 0x02, 'h', 'i',
	       0x01, 0x03, 'a', 'b', 'c',
	       0x02, 0x00, 0x41, 0x00, 0x0b, 0x00);
	tu_section(&mod, WLAB_SEC_DATA, &p);
	roundtrip("element flags 0..7, data count, data flags 0..2", &mod, NULL);
	tu_buf_free(&p);
	tu_buf_free(&mod);
}

static void test_custom_sections(void **state)
{
	(void)state;
	struct tu_buf mod = {0}, p = {0}, s = {0};
	tu_header(&mod);
	tu_section_raw(&mod, WLAB_SEC_TYPE, TU_ARR(0x01, 0x60, 0x00, 0x00), 4);
	tu_name(&p, "before");
	TU_PUT(&p, 1, 2, 3);
	tu_section(&mod, WLAB_SEC_CUSTOM, &p);
	tu_section_raw(&mod, WLAB_SEC_FUNCTION, TU_ARR(0x01, 0x00), 2);
	tu_section_raw(&mod, WLAB_SEC_CODE, TU_ARR(0x01, 0x02, 0x00, 0x0b), 4);
	/* name: module, function, local (indirect), label, field, an unknown id */
	tu_buf_reset(&p);
	tu_name(&p, "name");
	tu_name(&s, "mod");
	tu_section(&p, 0, &s);
	tu_buf_reset(&s);
	tu_u32(&s, 1); tu_u32(&s, 0); tu_name(&s, "f");
	tu_section(&p, 1, &s);
	tu_buf_reset(&s);
	tu_u32(&s, 1); tu_u32(&s, 0); tu_u32(&s, 2);
	tu_u32(&s, 0); tu_name(&s, "a"); tu_u32(&s, 3); tu_name(&s, "b");
	tu_section(&p, 2, &s);
	tu_buf_reset(&s);
	tu_u32(&s, 0);
	tu_section(&p, 3, &s);
	tu_buf_reset(&s);
	tu_u32(&s, 1); tu_u32(&s, 0); tu_name(&s, "g");
	tu_section(&p, 7, &s);
	tu_buf_reset(&s);
	tu_u32(&s, 1); tu_u32(&s, 2); tu_u32(&s, 1); tu_u32(&s, 5); tu_name(&s, "fld");
	tu_section(&p, 10, &s);
	tu_buf_reset(&s);
	TU_PUT(&s, 0xde, 0xad);
	tu_section(&p, 42, &s);
	tu_section(&mod, WLAB_SEC_CUSTOM, &p);
	/* producers and target_features */
	tu_buf_reset(&p);
	tu_name(&p, "producers");
	tu_u32(&p, 2);
	tu_name(&p, "language"); tu_u32(&p, 1); tu_name(&p, "C11"); tu_name(&p, "");
	tu_name(&p, "processed-by"); tu_u32(&p, 2); tu_name(&p, "clang"); tu_name(&p, "14");
	tu_name(&p, "wlab"); tu_name(&p, "0.1");
	tu_section(&mod, WLAB_SEC_CUSTOM, &p);
	tu_buf_reset(&p);
	tu_name(&p, "target_features");
	tu_u32(&p, 2); tu_byte(&p, '+'); tu_name(&p, "simd128"); tu_byte(&p, '-'); tu_name(&p, "atomics");
	tu_section(&mod, WLAB_SEC_CUSTOM, &p);
	/* a second name section is not decoded: copied as it stands */
	tu_buf_reset(&p);
	tu_name(&p, "name");
	TU_PUT(&p, 0x01, 0x80, 0x80, 0x00, 0x00);
	tu_section(&mod, WLAB_SEC_CUSTOM, &p);
	roundtrip("custom sections", &mod, NULL);
	tu_buf_free(&s);
	tu_buf_free(&p);
	tu_buf_free(&mod);
}

/* A name section that fails to decode is copied as its bytes (the decoded
 * structure is partial), even after an earlier custom section failed. */
static void test_custom_failed(void **state)
{
	(void)state;
	struct tu_buf mod = {0}, p = {0};
	tu_header(&mod);
	tu_name(&p, "producers");
	TU_PUT(&p, 0x05);  /* count 5, then nothing */
	tu_section(&mod, WLAB_SEC_CUSTOM, &p);
	tu_buf_reset(&p);
	tu_name(&p, "name");
	/* function names out of order: 1 then 0; padded sizes stay as they are */
	TU_PUT(&p, 0x01, 0x87, 0x80, 0x00, 0x02, 0x01, 0x01, 'a', 0x00, 0x01, 'b');
	tu_section(&mod, WLAB_SEC_CUSTOM, &p);
	roundtrip("failed custom sections", &mod, NULL);
	tu_buf_free(&p);
	tu_buf_free(&mod);
}

/* Overlong LEB128s everywhere the encoder writes one: the output is the
 * same module in the shortest form. */
static void test_canonicalises(void **state)
{
	(void)state;
	struct tu_buf mod = {0}, want = {0}, p = {0}, q = {0};
	tu_header(&mod);
	tu_header(&want);
	/* type section: size 5 padded, count padded */
	TU_PUT(&mod, 0x01, 0x85, 0x80, 0x80, 0x80, 0x00, 0x81, 0x00, 0x60, 0x00, 0x00);
	tu_section_raw(&want, WLAB_SEC_TYPE, TU_ARR(0x01, 0x60, 0x00, 0x00), 4);
	tu_u32_padded(&p, 1, 5); tu_u32_padded(&p, 0, 3);
	tu_section(&mod, WLAB_SEC_FUNCTION, &p);
	tu_section_raw(&want, WLAB_SEC_FUNCTION, TU_ARR(0x01, 0x00), 2);
	tu_buf_reset(&p);
	tu_u32(&p, 1); tu_name(&p, "f"); tu_byte(&p, 0); tu_u32_padded(&p, 0, 5);
	tu_section(&mod, WLAB_SEC_EXPORT, &p);
	tu_buf_reset(&q);
	tu_u32(&q, 1); tu_name(&q, "f"); tu_byte(&q, 0); tu_u32(&q, 0);
	tu_section(&want, WLAB_SEC_EXPORT, &q);
	/* a body whose size and local count are padded; the code inside is kept */
	tu_buf_reset(&p);
	TU_PUT(&p, 0x01, 0x8a, 0x80, 0x80, 0x80, 0x00, 0x81, 0x00, 0x82, 0x00, 0x7f,
	       0x41, 0x80, 0x00, 0x1a, 0x0b);
	tu_section(&mod, WLAB_SEC_CODE, &p);
	tu_buf_reset(&q);
	TU_PUT(&q, 0x01, 0x08, 0x01, 0x02, 0x7f, 0x41, 0x80, 0x00, 0x1a, 0x0b);
	tu_section(&want, WLAB_SEC_CODE, &q);
	roundtrip("overlong LEB128s", &mod, &want);
	tu_buf_free(&q);
	tu_buf_free(&p);
	tu_buf_free(&want);
	tu_buf_free(&mod);
}

/* The 0x40 0x00 table form, which the decoder does not read, written from
 * a structure built by hand. */
static void test_table_init_form(void **state)
{
	(void)state;
	static const uint8_t bytes[] = {0xd2, 0x00, 0x0b};
	struct wlab_section sec = {.id = WLAB_SEC_TABLE};
	struct wlab_table t = {
		.type = {.elemtype = WLAB_FUNCREF, .limits = {.has_max = true, .min = 1, .max = 2}},
		.has_init = true, .init = {{0, 3}},
	};
	struct wlab_module m = {.bytes = bytes, .size = sizeof bytes, .nsections = 1,
				.sections = &sec, .ntables = 1, .tables = &t};
	struct wlab_error err = {0};
	uint8_t *out = NULL;
	size_t size = 0;
	assert_int_equal(wlab_module_encode(&m, &out, &size, &err), WLAB_OK);
	static const uint8_t want[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
				       0x04, 0x0a, 0x01, 0x40, 0x00, 0x70, 0x01, 0x01, 0x02,
				       0xd2, 0x00, 0x0b};
	assert_int_equal(size, sizeof want);
	assert_memory_equal(out, want, sizeof want);
	free(out);
}

/* ---- errors ---- */

static struct wlab_module *decode_small(struct tu_buf *mod)
{
	tu_header(mod);
	tu_section_raw(mod, WLAB_SEC_TYPE, TU_ARR(0x01, 0x60, 0x00, 0x00), 4);
	tu_section_raw(mod, WLAB_SEC_FUNCTION, TU_ARR(0x01, 0x00), 2);
	tu_section_raw(mod, WLAB_SEC_TABLE, TU_ARR(0x01, 0x70, 0x00, 0x01), 4);
	tu_section_raw(mod, WLAB_SEC_MEMORY, TU_ARR(0x01, 0x00, 0x01), 3);
	tu_section_raw(mod, WLAB_SEC_ELEM, TU_ARR(0x01, 0x00, 0x41, 0x00, 0x0b, 0x01, 0x00), 7);
	tu_section_raw(mod, WLAB_SEC_CODE, TU_ARR(0x01, 0x02, 0x00, 0x0b), 4);
	tu_section_raw(mod, WLAB_SEC_DATA, TU_ARR(0x01, 0x00, 0x41, 0x00, 0x0b, 0x01, 'x'), 7);
	struct wlab_module *m = NULL;
	struct wlab_error err = {0};
	if (tu_decode(mod, NULL, &m, &err) != WLAB_OK)
		fail_msg("decode: %s", err.message);
	return m;
}

static void expect_invalid(const char *what, const struct wlab_module *m, const char *msg_part)
{
	struct wlab_error err = {0};
	uint8_t *out = (uint8_t *)&err;  /* must come back NULL */
	size_t size = 7;
	enum wlab_status st = wlab_module_encode(m, &out, &size, &err);
	if (st != WLAB_INVALID || err.status != WLAB_INVALID || !strstr(err.message, msg_part))
		fail_msg("%s: got %d \"%s\", want invalid \"...%s...\"", what, st, err.message,
			 msg_part);
	assert_null(out);
	assert_int_equal(size, 0);
}

static void test_bad_spans(void **state)
{
	(void)state;
	struct tu_buf mod = {0};
	struct wlab_module *m = decode_small(&mod);
	struct wlab_span saved = m->codes[0].expr;
	m->codes[0].expr.offset = (uint32_t)mod.n;
	m->codes[0].expr.size = 1;
	expect_invalid("body past the end", m, "function body out of range");
	m->codes[0].expr.offset = UINT32_MAX;
	m->codes[0].expr.size = UINT32_MAX;  /* offset + size overflows 32 bits */
	expect_invalid("body wrapping around", m, "out of range");
	m->codes[0].expr = saved;
	saved = m->datas[0].bytes;
	m->datas[0].bytes.size = 1000;
	expect_invalid("data bytes", m, "data segment bytes out of range");
	m->datas[0].bytes = saved;
	saved = m->elems[0].offset.span;
	m->elems[0].offset.span.offset = (uint32_t)mod.n + 5;
	expect_invalid("element offset", m, "element segment offset out of range");
	m->elems[0].offset.span = saved;
	m->elems[0].flags = 1;  /* passive flags on an active segment */
	expect_invalid("element flags", m, "element segment flags disagree");
	m->elems[0].flags = 0;
	m->datas[0].flags = 1;
	expect_invalid("data flags", m, "data segment flags disagree");
	m->datas[0].flags = 0;
	/* 3.0: a 32-bit memory's limits are u64 LEB128s too; 2^33 is written
	 * whole (the validator, not the encoder, refuses it). */
	m->memories[0].limits.min = (uint64_t)1 << 33;
	{
		uint8_t *out = NULL;
		size_t size = 0;
		struct wlab_error err = {0};
		struct wlab_module *back = NULL;
		assert_int_equal(wlab_module_encode(m, &out, &size, &err), WLAB_OK);
		assert_int_equal(wlab_module_decode(out, size, NULL, &back, &err), WLAB_OK);
		assert_int_equal(back->memories[0].limits.min, (uint64_t)1 << 33);
		assert_false(back->memories[0].limits.is64);
		wlab_module_free(back);
		free(out);
	}
	m->memories[0].limits.min = 1;
	m->sections[1].id = 99;
	expect_invalid("section id", m, "unknown section id");
	m->sections[1].id = WLAB_SEC_FUNCTION;
	/* and it still encodes once everything is put back */
	uint8_t *out = NULL;
	size_t size = 0;
	struct wlab_error err = {0};
	assert_int_equal(wlab_module_encode(m, &out, &size, &err), WLAB_OK);
	assert_int_equal(size, mod.n);
	assert_memory_equal(out, mod.p, size);
	free(out);
	wlab_module_free(m);
	tu_buf_free(&mod);
}

static void test_bad_custom_span(void **state)
{
	(void)state;
	struct tu_buf mod = {0}, p = {0};
	tu_header(&mod);
	tu_name(&p, "x");
	TU_PUT(&p, 1, 2);
	tu_section(&mod, WLAB_SEC_CUSTOM, &p);
	struct wlab_module *m = NULL;
	struct wlab_error err = {0};
	assert_int_equal(tu_decode(&mod, NULL, &m, &err), WLAB_OK);
	m->sections[0].content.size = 100;
	expect_invalid("custom content", m, "custom section content out of range");
	m->sections[0].content.size = 2;
	m->sections[0].name.ptr = NULL;
	expect_invalid("NULL name", m, "NULL name");
	wlab_module_free(m);
	tu_buf_free(&p);
	tu_buf_free(&mod);
}

/* Counts without arrays in a structure built by hand: errors, not crashes. */
static void test_missing_arrays(void **state)
{
	(void)state;
	struct wlab_section secs[2] = {{.id = WLAB_SEC_TYPE}, {.id = WLAB_SEC_CODE}};
	struct wlab_module m = {.nsections = 2, .sections = secs, .ntypes = 1};
	expect_invalid("types", &m, "1 types without their array");
	struct wlab_functype t = {.nparams = 2};
	m.types = &t;
	expect_invalid("params", &m, "function type without its value types");
	t.nparams = 0;
	m.ncodes = 3;
	expect_invalid("codes", &m, "3 function bodies without their array");
	m.sections = NULL;
	expect_invalid("sections", &m, "2 sections without their array");
}

/* ---- instructions ---- */

/* Every instruction of a body written back with wlab_buf_instr gives the
 * same bytes (they are in the shortest form). */
static void test_instr_writer(void **state)
{
	(void)state;
	static const uint8_t body[] = {
		0x02, 0x40, 0x03, 0x7f, 0x41, 0x7f, 0x0c, 0x01, 0x0b, 0x0b,  /* block, loop, br */
		0x02, 0x00, 0x0b,                            /* block with a type index */
		0x0e, 0x02, 0x00, 0x01, 0x00,                /* br_table */
		0x10, 0x85, 0x01,                            /* call 133 */
		0x11, 0x01, 0x00,                            /* call_indirect */
		0x41, 0x80, 0x7f, 0x42, 0xff, 0xff, 0xff, 0xff, 0x0f,  /* i32/i64.const */
		0x43, 0x00, 0x00, 0x80, 0x3f, 0x44, 1, 2, 3, 4, 5, 6, 7, 8,
		0x28, 0x02, 0x80, 0x08,                      /* i32.load align 2 offset 1024 */
		0x3f, 0x00, 0x40, 0x00,                      /* memory.size, memory.grow */
		0x1c, 0x01, 0x7f,                            /* select (result i32) */
		0xd0, 0x6f, 0xd2, 0x03,                      /* ref.null extern, ref.func 3 */
		0x20, 0x02, 0x21, 0x03, 0x23, 0x00, 0x25, 0x01,
		0xfc, 0x08, 0x02, 0x00, 0xfc, 0x09, 0x02,    /* memory.init, data.drop */
		0xfc, 0x0a, 0x00, 0x00, 0xfc, 0x0e, 0x01, 0x02, 0xfc, 0x0c, 0x03, 0x01,
		0xfd, 0x0c, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
		0xfd, 0x0d, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 31,
		0xfd, 0x54, 0x00, 0x10, 0x07,                /* v128.load8_lane */
		0xfd, 0x15, 0x03,                            /* i8x16.extract_lane_s */
		0xfd, 0x80, 0x01,                            /* a two-byte SIMD code */
		0x0b,
	};
	struct wlab_error err = {0};
	struct wlab_instr_iter it;
	struct wlab_instr in;
	struct wlab_buf b = {0};
	wlab_instr_iter_init(&it, body, (struct wlab_span){0, sizeof body}, 0, &err);
	size_t n = 0;
	while (!wlab_instr_iter_done(&it)) {
		if (wlab_instr_next(&it, &in) != WLAB_OK)
			fail_msg("iterator: 0x%zx %s", err.offset, err.message);
		assert_int_equal(wlab_buf_instr(&b, &in), WLAB_OK);
		if (b.size != in.offset + in.size ||
		    memcmp(b.data + in.offset, body + in.offset, in.size) != 0)
			fail_msg("instruction %zu (%s) at 0x%x written differently", n,
				 wlab_opinfo(in.op)->name, in.offset);
		n++;
	}
	wlab_instr_iter_fini(&it);
	assert_int_equal(b.size, sizeof body);
	/* a changed index is written in its new shortest form */
	struct wlab_instr call = {.op = WLAB_OP_CALL, .index = 300};
	wlab_buf_reset(&b);
	assert_int_equal(wlab_buf_instr(&b, &call), WLAB_OK);
	assert_int_equal(b.size, 3);
	assert_memory_equal(b.data, TU_ARR(0x10, 0xac, 0x02), 3);
	/* a memarg with a memory index sets bit 6 of the alignment */
	struct wlab_instr load = {.op = WLAB_OP_I32_LOAD, .memarg = {.align = 2, .memidx = 1, .offset = 8}};
	wlab_buf_reset(&b);
	assert_int_equal(wlab_buf_instr(&b, &load), WLAB_OK);
	assert_int_equal(b.size, 4);
	assert_memory_equal(b.data, TU_ARR(0x28, 0x42, 0x01, 0x08), 4);
	struct wlab_instr bad = {.op = WLAB_OP_COUNT};
	assert_int_equal(wlab_buf_instr(&b, &bad), WLAB_INVALID);
	wlab_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_leb_unsigned),
		cmocka_unit_test(test_leb_signed),
		cmocka_unit_test(test_buf_basics),
		cmocka_unit_test(test_types_imports_functions),
		cmocka_unit_test(test_tables_memories_globals_exports),
		cmocka_unit_test(test_segments),
		cmocka_unit_test(test_custom_sections),
		cmocka_unit_test(test_custom_failed),
		cmocka_unit_test(test_canonicalises),
		cmocka_unit_test(test_table_init_form),
		cmocka_unit_test(test_bad_spans),
		cmocka_unit_test(test_bad_custom_span),
		cmocka_unit_test(test_missing_arrays),
		cmocka_unit_test(test_instr_writer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
