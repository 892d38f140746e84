/* test_reader.c: unit tests of reader.c: LEB128 of every width, fixed-width
 * reads, vector counts, names and UTF-8. Each table row is one case. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "util.h"
#include "wlab/reader.h"

/* Bytes placed before every case so that offsets are relative to the base
 * of the module, not to where the read started. */
#define PAD 3

enum width { U32, S32, S33, U64, S64 };

static const char *const width_names[] = {"u32", "s32", "s33", "u64", "s64"};

struct leb_case {
	const char *name;
	enum width w;
	uint8_t bytes[12];
	size_t len;
	enum wlab_status st;
	uint64_t value;   /* the result, sign-extended to 64 bits for signed widths */
	size_t where;     /* OK: bytes consumed; else the error offset (from the read's start) */
	const char *msg;
};

#define B(...) .bytes = {__VA_ARGS__}, .len = sizeof((uint8_t[]){__VA_ARGS__})
#define OKV(v, n) .st = WLAB_OK, .value = (uint64_t)(v), .where = (n)
#define BAD(at, m) .st = WLAB_MALFORMED, .where = (at), .msg = (m)
#define LONG "integer representation too long"
#define LARGE "integer too large"
#define END "unexpected end"

static const struct leb_case leb_cases[] = {
	/* u32 */
	{"zero", U32, B(0x00), OKV(0, 1)},
	{"one", U32, B(0x01), OKV(1, 1)},
	{"127", U32, B(0x7f), OKV(127, 1)},
	{"128", U32, B(0x80, 0x01), OKV(128, 2)},
	{"624485", U32, B(0xe5, 0x8e, 0x26), OKV(624485, 3)},
	{"max", U32, B(0xff, 0xff, 0xff, 0xff, 0x0f), OKV(UINT32_MAX, 5)},
	{"2^31", U32, B(0x80, 0x80, 0x80, 0x80, 0x08), OKV(0x80000000u, 5)},
	{"overlong zero", U32, B(0x80, 0x00), OKV(0, 2)},
	{"overlong zero, 5 bytes", U32, B(0x80, 0x80, 0x80, 0x80, 0x00), OKV(0, 5)},
	{"overlong one, 5 bytes", U32, B(0x81, 0x80, 0x80, 0x80, 0x00), OKV(1, 5)},
	{"stops at the last byte", U32, B(0x05, 0xff, 0xff), OKV(5, 1)},
	{"too long", U32, B(0x80, 0x80, 0x80, 0x80, 0x80, 0x00), BAD(4, LONG)},
	{"too long, max", U32, B(0xff, 0xff, 0xff, 0xff, 0xff, 0x0f), BAD(4, LONG)},
	{"unused bit 4", U32, B(0xff, 0xff, 0xff, 0xff, 0x1f), BAD(4, LARGE)},
	{"unused bit 6", U32, B(0x80, 0x80, 0x80, 0x80, 0x40), BAD(4, LARGE)},
	{"unused bits all", U32, B(0x80, 0x80, 0x80, 0x80, 0x70), BAD(4, LARGE)},
	{"empty", U32, .len = 0, BAD(0, END)},
	{"truncated 1", U32, B(0x80), BAD(1, END)},
	{"truncated 4", U32, B(0xff, 0xff, 0xff, 0xff), BAD(4, END)},

	/* s32 */
	{"zero", S32, B(0x00), OKV(0, 1)},
	{"-1", S32, B(0x7f), OKV(-1, 1)},
	{"63", S32, B(0x3f), OKV(63, 1)},
	{"-64", S32, B(0x40), OKV(-64, 1)},
	{"64", S32, B(0xc0, 0x00), OKV(64, 2)},
	{"-65", S32, B(0xbf, 0x7f), OKV(-65, 2)},
	{"-123456", S32, B(0xc0, 0xbb, 0x78), OKV(-123456, 3)},
	{"max", S32, B(0xff, 0xff, 0xff, 0xff, 0x07), OKV(INT32_MAX, 5)},
	{"min", S32, B(0x80, 0x80, 0x80, 0x80, 0x78), OKV(INT32_MIN, 5)},
	{"overlong zero", S32, B(0x80, 0x00), OKV(0, 2)},
	{"overlong -1", S32, B(0xff, 0x7f), OKV(-1, 2)},
	{"overlong -1, 5 bytes", S32, B(0xff, 0xff, 0xff, 0xff, 0x7f), OKV(-1, 5)},
	{"overlong zero, 5 bytes", S32, B(0x80, 0x80, 0x80, 0x80, 0x00), OKV(0, 5)},
	{"too long", S32, B(0x80, 0x80, 0x80, 0x80, 0x80, 0x00), BAD(4, LONG)},
	{"too long -1", S32, B(0xff, 0xff, 0xff, 0xff, 0xff, 0x7f), BAD(4, LONG)},
	{"positive, unused bits set", S32, B(0xff, 0xff, 0xff, 0xff, 0x0f), BAD(4, LARGE)},
	{"positive, bit 4 set", S32, B(0x80, 0x80, 0x80, 0x80, 0x10), BAD(4, LARGE)},
	{"negative, unused bits clear", S32, B(0x80, 0x80, 0x80, 0x80, 0x08), BAD(4, LARGE)},
	{"negative, one unused bit clear", S32, B(0xff, 0xff, 0xff, 0xff, 0x4f), BAD(4, LARGE)},
	{"negative, bits 4-5 only", S32, B(0x80, 0x80, 0x80, 0x80, 0x38), BAD(4, LARGE)},
	{"empty", S32, .len = 0, BAD(0, END)},
	{"truncated", S32, B(0xff, 0xff), BAD(2, END)},

	/* s33, the block type */
	{"empty block type", S33, B(0x40), OKV(-64, 1)},
	{"i32 block type", S33, B(0x7f), OKV(-1, 1)},
	{"type index 0", S33, B(0x00), OKV(0, 1)},
	{"type index 300", S33, B(0xac, 0x02), OKV(300, 2)},
	{"max", S33, B(0xff, 0xff, 0xff, 0xff, 0x0f), OKV(UINT32_MAX, 5)},
	{"min", S33, B(0x80, 0x80, 0x80, 0x80, 0x70), OKV(-((int64_t)1 << 32), 5)},
	{"overlong -1, 5 bytes", S33, B(0xff, 0xff, 0xff, 0xff, 0x7f), OKV(-1, 5)},
	{"overlong zero", S33, B(0x80, 0x00), OKV(0, 2)},
	{"too long", S33, B(0x80, 0x80, 0x80, 0x80, 0x80, 0x00), BAD(4, LONG)},
	{"positive, bit 5 set", S33, B(0x80, 0x80, 0x80, 0x80, 0x20), BAD(4, LARGE)},
	{"negative, bit 6 clear", S33, B(0x80, 0x80, 0x80, 0x80, 0x50), BAD(4, LARGE)},
	{"negative, unused clear", S33, B(0xff, 0xff, 0xff, 0xff, 0x1f), BAD(4, LARGE)},
	{"truncated", S33, B(0xc0), BAD(1, END)},

	/* u64 */
	{"zero", U64, B(0x00), OKV(0, 1)},
	{"2^32", U64, B(0x80, 0x80, 0x80, 0x80, 0x10), OKV((uint64_t)1 << 32, 5)},
	{"max", U64, B(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01),
	 OKV(UINT64_MAX, 10)},
	{"2^63", U64, B(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01),
	 OKV((uint64_t)1 << 63, 10)},
	{"overlong zero, 10 bytes",
	 U64, B(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00), OKV(0, 10)},
	{"too long",
	 U64, B(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00), BAD(9, LONG)},
	{"unused bit 1",
	 U64, B(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02), BAD(9, LARGE)},
	{"unused bits all",
	 U64, B(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7e), BAD(9, LARGE)},
	{"truncated 9", U64, B(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff),
	 BAD(9, END)},

	/* s64 */
	{"zero", S64, B(0x00), OKV(0, 1)},
	{"-1", S64, B(0x7f), OKV(-1, 1)},
	{"-2^32", S64, B(0x80, 0x80, 0x80, 0x80, 0x70), OKV(-((int64_t)1 << 32), 5)},
	{"max", S64, B(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00),
	 OKV(INT64_MAX, 10)},
	{"min", S64, B(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f),
	 OKV(INT64_MIN, 10)},
	{"overlong -1, 10 bytes",
	 S64, B(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f), OKV(-1, 10)},
	{"too long",
	 S64, B(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f), BAD(9, LONG)},
	{"positive, unused bit set",
	 S64, B(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02), BAD(9, LARGE)},
	{"negative, unused bits clear",
	 S64, B(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01), BAD(9, LARGE)},
	{"negative, one unused bit clear",
	 S64, B(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x3f), BAD(9, LARGE)},
	{"truncated", S64, B(0x80, 0x80, 0x80), BAD(3, END)},
};

static enum wlab_status read_width(struct wlab_reader *r, enum width w, uint64_t *out)
{
	enum wlab_status st;
	uint32_t u32 = 0;
	int32_t s32 = 0;
	int64_t s64 = 0;
	switch (w) {
	case U32:
		st = wlab_read_u32(r, &u32);
		*out = u32;
		return st;
	case S32:
		st = wlab_read_s32(r, &s32);
		*out = (uint64_t)(int64_t)s32;
		return st;
	case S33:
		st = wlab_read_s33(r, &s64);
		*out = (uint64_t)s64;
		return st;
	case U64:
		return wlab_read_u64(r, out);
	case S64:
		st = wlab_read_s64(r, &s64);
		*out = (uint64_t)s64;
		return st;
	}
	return WLAB_MALFORMED;
}

/* A reader over PAD filler bytes then the case's bytes, positioned after the filler. */
static void reader_at(struct wlab_reader *r, uint8_t *buf, const uint8_t *bytes, size_t len,
		      struct wlab_error *err)
{
	memset(buf, 0xee, PAD);
	if (len)
		memcpy(buf + PAD, bytes, len);
	memset(err, 0, sizeof *err);
	wlab_reader_init(r, buf, PAD + len, err);
	r->pos += PAD;
}

static bool run_leb(const struct leb_case *c)
{
	uint8_t buf[PAD + 16];
	struct wlab_reader r;
	struct wlab_error err;
	uint64_t v = 0xdeadbeef;
	char what[96];
	snprintf(what, sizeof what, "%s %s", width_names[c->w], c->name);
	reader_at(&r, buf, c->bytes, c->len, &err);
	enum wlab_status st = read_width(&r, c->w, &v);
	if (st != c->st)
		return tu_row_failed(what, "status %s, want %s (%s)", wlab_status_name(st),
				     wlab_status_name(c->st), err.message);
	if (st == WLAB_OK) {
		if (v != c->value)
			return tu_row_failed(what, "value 0x%llx, want 0x%llx",
					     (unsigned long long)v, (unsigned long long)c->value);
		if (wlab_reader_offset(&r) != PAD + c->where)
			return tu_row_failed(what, "consumed %zu bytes, want %zu",
					     wlab_reader_offset(&r) - PAD, c->where);
		return tu_check_ok(what, &err);
	}
	if (wlab_reader_offset(&r) != PAD)
		return tu_row_failed(what, "the cursor moved to %zu", wlab_reader_offset(&r));
	return tu_check_error(what, &err, WLAB_MALFORMED, PAD + c->where, c->msg);
}

static void test_leb128(void **state)
{
	(void)state;
	const size_t n = sizeof leb_cases / sizeof leb_cases[0];
	size_t failed = 0;
	for (size_t i = 0; i < n; i++)
		failed += !run_leb(&leb_cases[i]);
	tu_table_done("LEB128", failed, n);
}

/* A sub-reader ends reads at its size, not at the end of the module. */
static void test_leb128_sub_reader_end(void **state)
{
	(void)state;
	static const uint8_t bytes[] = {0x02, 0xe5, 0x8e, 0x26, 0x00};
	struct wlab_error err = {0};
	struct wlab_reader r, sub;
	uint32_t v;
	wlab_reader_init(&r, bytes, sizeof bytes, &err);
	r.pos++;
	sub = wlab_reader_sub(&r, 2);
	assert_int_equal(wlab_read_u32(&sub, &v), WLAB_MALFORMED);
	tu_expect_error("sub-reader", &err, WLAB_MALFORMED, 3, "unexpected end");
	assert_ptr_equal(sub.pos, bytes + 1);

	/* A size past the end keeps the parent's end. */
	memset(&err, 0, sizeof err);
	sub = wlab_reader_sub(&r, 100);
	assert_ptr_equal(sub.end, bytes + sizeof bytes);
	assert_int_equal(wlab_read_u32(&sub, &v), WLAB_OK);
	assert_int_equal(v, 624485);
	assert_int_equal(wlab_reader_offset(&sub), 4);
	assert_int_equal(wlab_reader_left(&sub), 1);
	/* The parent did not move. */
	assert_int_equal(wlab_reader_offset(&r), 1);
}

static void test_error_first_wins(void **state)
{
	(void)state;
	static const uint8_t bytes[] = {0x80, 0x80, 0x80, 0x80, 0x80, 0x00};
	struct wlab_error err = {0};
	struct wlab_reader r;
	uint32_t v;
	wlab_reader_init(&r, bytes, sizeof bytes, &err);
	assert_int_equal(wlab_read_u32(&r, &v), WLAB_MALFORMED);
	tu_expect_error("first", &err, WLAB_MALFORMED, 4, "integer representation too long");
	r.pos = r.end;
	assert_int_equal(wlab_read_u32(&r, &v), WLAB_MALFORMED);
	tu_expect_error("second keeps first", &err, WLAB_MALFORMED, 4,
			"integer representation too long");
}

static void test_null_error_record(void **state)
{
	(void)state;
	static const uint8_t bytes[] = {0x80};
	struct wlab_reader r;
	uint32_t v;
	const uint8_t *p;
	wlab_reader_init(&r, bytes, sizeof bytes, NULL);
	assert_int_equal(wlab_read_u32(&r, &v), WLAB_MALFORMED);
	assert_int_equal(wlab_read_bytes(&r, 2, &p), WLAB_MALFORMED);
	assert_int_equal(wlab_reader_offset(&r), 0);
}

/* Regression: an empty input given as (NULL, 0) computed NULL + 0, which is
 * undefined behaviour (UBSan: "applying zero offset to null pointer"). */
static void test_regression_null_empty_input(void **state)
{
	(void)state;
	struct wlab_error err = {0};
	struct wlab_reader r;
	const uint8_t *p;
	uint8_t b;
	wlab_reader_init(&r, NULL, 0, &err);
	assert_int_equal(wlab_reader_left(&r), 0);
	assert_int_equal(wlab_read_bytes(&r, 0, &p), WLAB_OK);
	assert_int_equal(wlab_read_u8(&r, &b), WLAB_MALFORMED);
	tu_expect_error("NULL, 0", &err, WLAB_MALFORMED, 0, "unexpected end");
}

struct fixed_case {
	const char *name;
	int kind;  /* 1: u8, 4: u32le, 8: u64le */
	uint8_t bytes[12];
	size_t len;
	enum wlab_status st;
	uint64_t value;
	size_t where;
	const char *msg;
};

static const struct fixed_case fixed_cases[] = {
	{"u8", 1, B(0xab), OKV(0xab, 1)},
	{"u8 high bit", 1, B(0x80, 0x01), OKV(0x80, 1)},
	{"u8 empty", 1, .len = 0, BAD(0, END)},
	{"u32le", 4, B(0x01, 0x02, 0x03, 0x04), OKV(0x04030201, 4)},
	{"u32le max", 4, B(0xff, 0xff, 0xff, 0xff, 0x00), OKV(UINT32_MAX, 4)},
	{"u32le short", 4, B(0x01, 0x02, 0x03), BAD(3, END)},
	{"u64le", 8, B(0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08),
	 OKV(0x0807060504030201ull, 8)},
	{"u64le f64 1.0", 8, B(0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf0, 0x3f),
	 OKV(0x3ff0000000000000ull, 8)},
	{"u64le short", 8, B(0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07), BAD(7, END)},
};

static bool run_fixed(const struct fixed_case *c)
{
	uint8_t buf[PAD + 16];
	struct wlab_reader r;
	struct wlab_error err;
	enum wlab_status st;
	uint64_t v = 0;
	uint8_t v8 = 0;
	uint32_t v32 = 0;
	reader_at(&r, buf, c->bytes, c->len, &err);
	if (c->kind == 1) {
		st = wlab_read_u8(&r, &v8);
		v = v8;
	} else if (c->kind == 4) {
		st = wlab_read_u32le(&r, &v32);
		v = v32;
	} else {
		st = wlab_read_u64le(&r, &v);
	}
	if (st != c->st)
		return tu_row_failed(c->name, "status %s (%s)", wlab_status_name(st), err.message);
	if (st == WLAB_OK && v != c->value)
		return tu_row_failed(c->name, "value 0x%llx, want 0x%llx", (unsigned long long)v,
				     (unsigned long long)c->value);
	if (wlab_reader_offset(&r) != PAD + (st == WLAB_OK ? c->where : 0))
		return tu_row_failed(c->name, "cursor at %zu", wlab_reader_offset(&r));
	if (st == WLAB_OK)
		return true;
	return tu_check_error(c->name, &err, WLAB_MALFORMED, PAD + c->where, c->msg);
}

static void test_fixed_width(void **state)
{
	(void)state;
	const size_t n = sizeof fixed_cases / sizeof fixed_cases[0];
	size_t failed = 0;
	for (size_t i = 0; i < n; i++)
		failed += !run_fixed(&fixed_cases[i]);
	tu_table_done("fixed width", failed, n);
}

static void test_read_bytes(void **state)
{
	(void)state;
	static const uint8_t bytes[] = {1, 2, 3, 4, 5};
	struct wlab_error err = {0};
	struct wlab_reader r;
	const uint8_t *p = NULL;
	wlab_reader_init(&r, bytes, sizeof bytes, &err);
	assert_int_equal(wlab_read_bytes(&r, 0, &p), WLAB_OK);
	assert_ptr_equal(p, bytes);
	assert_int_equal(wlab_read_bytes(&r, 2, &p), WLAB_OK);
	assert_ptr_equal(p, bytes);
	assert_int_equal(wlab_reader_offset(&r), 2);
	assert_int_equal(wlab_read_bytes(&r, 4, &p), WLAB_MALFORMED);
	tu_expect_error("4 of 3 left", &err, WLAB_MALFORMED, 5, "unexpected end");
	assert_int_equal(wlab_reader_offset(&r), 2);
	memset(&err, 0, sizeof err);
	assert_int_equal(wlab_read_bytes(&r, SIZE_MAX, &p), WLAB_MALFORMED);
	tu_expect_error("SIZE_MAX", &err, WLAB_MALFORMED, 5, "unexpected end");
	assert_int_equal(wlab_read_bytes(&r, 3, &p), WLAB_OK);
	assert_ptr_equal(p, bytes + 2);
	assert_int_equal(wlab_reader_left(&r), 0);
	assert_int_equal(wlab_read_bytes(&r, 0, &p), WLAB_OK);
}

struct count_case {
	const char *name;
	uint8_t bytes[12];
	size_t len;
	size_t min_elem;
	enum wlab_status st;
	uint64_t value;
	size_t where;
	const char *msg;
};

static const struct count_case count_cases[] = {
	{"zero, nothing left", B(0x00), 1, OKV(0, 1)},
	{"exactly fits", B(0x03, 1, 2, 3), 1, OKV(3, 1)},
	{"fits with min 2", B(0x02, 1, 2, 3, 4), 2, OKV(2, 1)},
	{"one too many", B(0x04, 1, 2, 3), 1, BAD(4, END)},
	{"min 2, one byte short", B(0x02, 1, 2, 3), 2, BAD(4, END)},
	{"0xffffffff, tiny input", B(0xff, 0xff, 0xff, 0xff, 0x0f, 0x00), 1, BAD(6, END)},
	{"0xffffffff, min 16", B(0xff, 0xff, 0xff, 0xff, 0x0f), 16, BAD(5, END)},
	{"min 0 never checks", B(0xff, 0xff, 0xff, 0xff, 0x0f), 0, OKV(UINT32_MAX, 5)},
	{"overlong count", B(0x81, 0x00, 0xaa), 1, OKV(1, 2)},
	{"count too long", B(0x80, 0x80, 0x80, 0x80, 0x80, 0x00), 1, BAD(4, LONG)},
	{"count truncated", B(0x80), 1, BAD(1, END)},
};

static bool run_count(const struct count_case *c)
{
	uint8_t buf[PAD + 16];
	struct wlab_reader r;
	struct wlab_error err;
	uint32_t n = 12345;
	reader_at(&r, buf, c->bytes, c->len, &err);
	enum wlab_status st = wlab_read_count(&r, c->min_elem, &n);
	if (st != c->st)
		return tu_row_failed(c->name, "status %s (%s)", wlab_status_name(st), err.message);
	if (st == WLAB_OK && n != c->value)
		return tu_row_failed(c->name, "count %u, want %llu", (unsigned)n,
				     (unsigned long long)c->value);
	if (st != WLAB_OK && n != 12345)
		return tu_row_failed(c->name, "the result was written on failure");
	if (wlab_reader_offset(&r) != PAD + (st == WLAB_OK ? c->where : 0))
		return tu_row_failed(c->name, "cursor at %zu", wlab_reader_offset(&r));
	if (st == WLAB_OK)
		return true;
	return tu_check_error(c->name, &err, WLAB_MALFORMED, PAD + c->where, c->msg);
}

static void test_read_count(void **state)
{
	(void)state;
	const size_t n = sizeof count_cases / sizeof count_cases[0];
	size_t failed = 0;
	for (size_t i = 0; i < n; i++)
		failed += !run_count(&count_cases[i]);
	tu_table_done("counts", failed, n);
}

struct name_case {
	const char *name;
	uint8_t bytes[12];
	size_t len;
	bool check;
	enum wlab_status st;
	uint32_t name_len;  /* OK: the name's length (its bytes follow the length byte) */
	size_t where;
	const char *msg;
};

#define NAME_OK(n, consumed) .st = WLAB_OK, .name_len = (n), .where = (consumed)

static const struct name_case name_cases[] = {
	{"empty", B(0x00), true, NAME_OK(0, 1)},
	{"abc", B(0x03, 'a', 'b', 'c'), true, NAME_OK(3, 4)},
	{"abc then more", B(0x03, 'a', 'b', 'c', 'd'), true, NAME_OK(3, 4)},
	{"NUL inside", B(0x02, 'a', 0x00), true, NAME_OK(2, 3)},
	{"overlong length", B(0x81, 0x00, 'x'), true, NAME_OK(1, 3)},
	{"past the end", B(0x04, 'a', 'b', 'c'), true, BAD(0, "length out of bounds")},
	{"past the end, unchecked", B(0x04, 'a', 'b', 'c'), false, BAD(0, "length out of bounds")},
	{"huge length", B(0xff, 0xff, 0xff, 0xff, 0x0f), true, BAD(0, "length out of bounds")},
	{"length truncated", B(0x80), true, BAD(1, END)},
	{"length too long", B(0x80, 0x80, 0x80, 0x80, 0x80, 0x00), true, BAD(4, LONG)},
	{"bad UTF-8", B(0x02, 'a', 0xff), true, BAD(1, "malformed UTF-8 encoding")},
	{"bad UTF-8, unchecked", B(0x02, 'a', 0xff), false, NAME_OK(2, 3)},
	/* The sequence is cut by the name's end although the input goes on. */
	{"cut by the length", B(0x01, 0xc3, 0xa9), true, BAD(1, "malformed UTF-8 encoding")},
	{"two-byte whole", B(0x02, 0xc3, 0xa9), true, NAME_OK(2, 3)},
};

static bool run_name(const struct name_case *c)
{
	uint8_t buf[PAD + 16];
	struct wlab_reader r;
	struct wlab_error err;
	const uint8_t *p = NULL;
	uint32_t len = 777;
	reader_at(&r, buf, c->bytes, c->len, &err);
	enum wlab_status st = wlab_read_name(&r, c->check, &p, &len);
	if (st != c->st)
		return tu_row_failed(c->name, "status %s (%s)", wlab_status_name(st), err.message);
	if (st != WLAB_OK && len != 777)
		return tu_row_failed(c->name, "the length was written on failure");
	if (st == WLAB_OK && (len != c->name_len || p != buf + PAD + c->where - c->name_len))
		return tu_row_failed(c->name, "name of %u bytes at %td", (unsigned)len, p - buf);
	if (wlab_reader_offset(&r) != PAD + (st == WLAB_OK ? c->where : 0))
		return tu_row_failed(c->name, "cursor at %zu", wlab_reader_offset(&r));
	if (st == WLAB_OK)
		return true;
	return tu_check_error(c->name, &err, WLAB_MALFORMED, PAD + c->where, c->msg);
}

static void test_read_name(void **state)
{
	(void)state;
	const size_t n = sizeof name_cases / sizeof name_cases[0];
	size_t failed = 0;
	for (size_t i = 0; i < n; i++)
		failed += !run_name(&name_cases[i]);
	tu_table_done("names", failed, n);
}

struct utf8_case {
	const char *name;
	uint8_t bytes[12];
	size_t len;
	bool valid;
};

static const struct utf8_case utf8_cases[] = {
	{"empty", .len = 0, true},
	{"ascii", B('h', 'i', 0x7f), true},
	{"NUL", B(0x00), true},
	{"U+0080", B(0xc2, 0x80), true},
	{"U+07FF", B(0xdf, 0xbf), true},
	{"U+0800", B(0xe0, 0xa0, 0x80), true},
	{"U+D7FF", B(0xed, 0x9f, 0xbf), true},
	{"U+E000", B(0xee, 0x80, 0x80), true},
	{"U+FFFF", B(0xef, 0xbf, 0xbf), true},
	{"U+10000", B(0xf0, 0x90, 0x80, 0x80), true},
	{"U+10FFFF", B(0xf4, 0x8f, 0xbf, 0xbf), true},
	{"mixed", B('a', 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80, 'z'), true},
	{"lone continuation 0x80", B(0x80), false},
	{"lone continuation 0xbf", B('a', 0xbf), false},
	{"overlong NUL c0 80", B(0xc0, 0x80), false},
	{"overlong c1 bf", B(0xc1, 0xbf), false},
	{"overlong 3-byte e0 80 80", B(0xe0, 0x80, 0x80), false},
	{"overlong 3-byte U+07FF", B(0xe0, 0x9f, 0xbf), false},
	{"overlong 4-byte f0 80 80 80", B(0xf0, 0x80, 0x80, 0x80), false},
	{"overlong 4-byte U+FFFF", B(0xf0, 0x8f, 0xbf, 0xbf), false},
	{"surrogate U+D800", B(0xed, 0xa0, 0x80), false},
	{"surrogate U+DBFF", B(0xed, 0xaf, 0xbf), false},
	{"surrogate U+DC00", B(0xed, 0xb0, 0x80), false},
	{"surrogate U+DFFF", B(0xed, 0xbf, 0xbf), false},
	{"surrogate pair", B(0xed, 0xa0, 0xbd, 0xed, 0xb2, 0xa9), false},
	{"U+110000", B(0xf4, 0x90, 0x80, 0x80), false},
	{"lead f5", B(0xf5, 0x80, 0x80, 0x80), false},
	{"lead f7", B(0xf7, 0xbf, 0xbf, 0xbf), false},
	{"5-byte lead f8", B(0xf8, 0x88, 0x80, 0x80, 0x80), false},
	{"6-byte lead fc", B(0xfc, 0x84, 0x80, 0x80, 0x80, 0x80), false},
	{"fe", B(0xfe), false},
	{"ff", B(0xff), false},
	{"truncated 2-byte", B(0xc2), false},
	{"truncated 3-byte", B(0xe0, 0xa0), false},
	{"truncated 3-byte after 1", B(0xe2), false},
	{"truncated 4-byte", B(0xf0, 0x90, 0x80), false},
	{"truncated then ascii", B(0xc2, 'a'), false},
	{"bad 2nd byte of 3", B(0xe2, 0x28, 0xa1), false},
	{"bad 3rd byte of 3", B(0xe2, 0x82, 0x28), false},
	{"bad 4th byte of 4", B(0xf0, 0x90, 0x80, 0xc0), false},
	{"continuation c0 as 2nd", B(0xc3, 0xc3), false},
};

/* Checks the bytes with wlab_utf8_valid() and again as a name. */
static bool run_utf8(const struct utf8_case *c)
{
	uint8_t name[16];
	uint8_t buf[PAD + 32];
	struct wlab_reader r;
	struct wlab_error err;
	const uint8_t *p;
	uint32_t len;
	if (wlab_utf8_valid(c->bytes, c->len) != c->valid)
		return tu_row_failed(c->name, "wlab_utf8_valid says %s",
				     c->valid ? "invalid" : "valid");
	name[0] = (uint8_t)c->len;
	memcpy(name + 1, c->bytes, c->len);
	reader_at(&r, buf, name, c->len + 1, &err);
	enum wlab_status st = wlab_read_name(&r, true, &p, &len);
	if (c->valid)
		return tu_check_ok(c->name, &err) && st == WLAB_OK && len == c->len;
	if (wlab_reader_offset(&r) != PAD)
		return tu_row_failed(c->name, "cursor at %zu", wlab_reader_offset(&r));
	return tu_check_error(c->name, &err, WLAB_MALFORMED, PAD + 1, "malformed UTF-8 encoding");
}

static void test_utf8(void **state)
{
	(void)state;
	const size_t n = sizeof utf8_cases / sizeof utf8_cases[0];
	size_t failed = 0;
	for (size_t i = 0; i < n; i++)
		failed += !run_utf8(&utf8_cases[i]);
	tu_table_done("UTF-8", failed, n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_leb128),
		cmocka_unit_test(test_leb128_sub_reader_end),
		cmocka_unit_test(test_error_first_wins),
		cmocka_unit_test(test_null_error_record),
		cmocka_unit_test(test_regression_null_empty_input),
		cmocka_unit_test(test_fixed_width),
		cmocka_unit_test(test_read_bytes),
		cmocka_unit_test(test_read_count),
		cmocka_unit_test(test_read_name),
		cmocka_unit_test(test_utf8),
	};
	return cmocka_run_group_tests_name("reader", tests, NULL, NULL);
}
