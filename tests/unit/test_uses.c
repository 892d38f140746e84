/* test_uses.c: wlab_module_uses (uses.c): which features a module uses,
 * one small module per rule, and wlab_features_list's text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "util.h"
#include "wlab/uses.h"

#define HDR 0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00
#define SEC(id, ...) (id), (uint8_t)sizeof((uint8_t[]){__VA_ARGS__}), __VA_ARGS__
#define MOD(...) .bytes = {HDR, __VA_ARGS__}, .len = sizeof((uint8_t[]){HDR, __VA_ARGS__})
/* ()->() and one function of it; a code section with one body follows. */
#define TYPE0 SEC(0x01, 0x01, 0x60, 0x00, 0x00)
#define FUNC1 SEC(0x03, 0x01, 0x00)
#define BODY(...) SEC(0x0a, 0x01, (uint8_t)sizeof((uint8_t[]){__VA_ARGS__}), __VA_ARGS__)

#define MVP WLAB_FEATURE_MVP
#define SIMD WLAB_FEATURE_SIMD
#define REF WLAB_FEATURE_REFERENCE_TYPES
#define BULK WLAB_FEATURE_BULK_MEMORY
#define MV WLAB_FEATURE_MULTI_VALUE

struct use_case {
	const char *name;
	uint8_t bytes[96];
	size_t len;
	uint32_t want;
};

static const struct use_case cases[] = {
	{"empty module", {HDR}, 8, MVP},
	{"i32.add", MOD(TYPE0, FUNC1, BODY(0x00, 0x41, 1, 0x41, 2, 0x6a, 0x1a, 0x0b)), MVP},
	{"sign-ext: i32.extend8_s",
	 MOD(TYPE0, FUNC1, BODY(0x00, 0x41, 1, 0xc0, 0x1a, 0x0b)), MVP | WLAB_FEATURE_SIGN_EXT},
	{"sat: i32.trunc_sat_f32_s",
	 MOD(TYPE0, FUNC1, BODY(0x00, 0x43, 0, 0, 0, 0, 0xfc, 0x00, 0x1a, 0x0b)),
	 MVP | WLAB_FEATURE_SAT_FLOAT_TO_INT},
	{"multi-value: two results",
	 MOD(SEC(0x01, 0x01, 0x60, 0x00, 0x02, 0x7f, 0x7f)), MVP | MV},
	{"multi-value: block with a type index",
	 MOD(TYPE0, FUNC1, BODY(0x00, 0x02, 0x00, 0x0b, 0x0b)), MVP | MV},
	{"simd: v128 param", MOD(SEC(0x01, 0x01, 0x60, 0x01, 0x7b, 0x00)), MVP | SIMD},
	{"simd: v128 local", MOD(TYPE0, FUNC1, BODY(0x01, 0x01, 0x7b, 0x0b)), MVP | SIMD},
	{"simd: v128.const",
	 MOD(TYPE0, FUNC1, BODY(0x00, 0xfd, 0x0c, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
				0x1a, 0x0b)), MVP | SIMD},
	{"reference-types: externref global",
	 MOD(SEC(0x06, 0x01, 0x6f, 0x00, 0xd0, 0x6f, 0x0b)), MVP | REF},
	{"a funcref table alone is 1.0", MOD(SEC(0x04, 0x01, 0x70, 0x00, 0x01)), MVP},
	{"reference-types: externref table", MOD(SEC(0x04, 0x01, 0x6f, 0x00, 0x01)), MVP | REF},
	{"reference-types: two tables",
	 MOD(SEC(0x04, 0x02, 0x70, 0x00, 0x01, 0x70, 0x00, 0x01)), MVP | REF},
	{"bulk-memory: passive data", MOD(SEC(0x0b, 0x01, 0x01, 0x00)), MVP | BULK},
	{"bulk-memory: data count", MOD(SEC(0x0c, 0x00)), MVP | BULK},
	{"bulk-memory: memory.fill",
	 MOD(TYPE0, FUNC1, SEC(0x05, 0x01, 0x00, 0x01),
	     BODY(0x00, 0x41, 0, 0x41, 0, 0x41, 0, 0xfc, 0x0b, 0x00, 0x0b)), MVP | BULK},
	{"threads: shared memory", MOD(SEC(0x05, 0x01, 0x03, 0x01, 0x01)),
	 MVP | WLAB_FEATURE_THREADS},
	{"threads: shared memory import",
	 MOD(SEC(0x02, 0x01, 0x01, 'm', 0x01, 'x', 0x02, 0x03, 0x01, 0x01)),
	 MVP | WLAB_FEATURE_THREADS},
	{"memory64: 64-bit limits", MOD(SEC(0x05, 0x01, 0x04, 0x01)), MVP | WLAB_FEATURE_MEMORY64},
	{"multi-memory: two memories", MOD(SEC(0x05, 0x02, 0x00, 0x01, 0x00, 0x01)),
	 MVP | WLAB_FEATURE_MULTI_MEMORY},
	{"multi-memory: an imported and a defined memory",
	 MOD(SEC(0x02, 0x01, 0x01, 'm', 0x01, 'x', 0x02, 0x00, 0x01),
	     SEC(0x05, 0x01, 0x00, 0x01)), MVP | WLAB_FEATURE_MULTI_MEMORY},
	{"exceptions: tag section",
	 MOD(TYPE0, SEC(0x0d, 0x01, 0x00, 0x00)), MVP | WLAB_FEATURE_EXCEPTIONS},
	{"exceptions: tag import",
	 MOD(TYPE0, SEC(0x02, 0x01, 0x01, 'm', 0x01, 't', 0x04, 0x00, 0x00)),
	 MVP | WLAB_FEATURE_EXCEPTIONS},
	{"tail-call: return_call",
	 MOD(TYPE0, FUNC1, BODY(0x00, 0x12, 0x00, 0x0b)), MVP | WLAB_FEATURE_TAIL_CALL},
	{"extended-const: i32.add in a global's init",
	 MOD(SEC(0x06, 0x01, 0x7f, 0x00, 0x41, 1, 0x41, 2, 0x6a, 0x0b)),
	 MVP | WLAB_FEATURE_EXTENDED_CONST},
	{"a single i32.const init is 1.0", MOD(SEC(0x06, 0x01, 0x7f, 0x00, 0x41, 1, 0x0b)), MVP},
	{"extended-const: in a data offset",
	 MOD(SEC(0x05, 0x01, 0x00, 0x01),
	     SEC(0x0b, 0x01, 0x00, 0x41, 1, 0x41, 2, 0x6c, 0x0b, 0x00)),
	 MVP | WLAB_FEATURE_EXTENDED_CONST},
	/* GC: its type forms, sub, rec, and the heap types only it has */
	{"gc: struct type", MOD(SEC(0x01, 0x01, 0x5f, 0x00)), MVP | WLAB_FEATURE_GC},
	{"gc: array of i8", MOD(SEC(0x01, 0x01, 0x5e, 0x78, 0x01)), MVP | WLAB_FEATURE_GC},
	{"gc: sub function type", MOD(SEC(0x01, 0x01, 0x50, 0x00, 0x60, 0x00, 0x00)),
	 MVP | WLAB_FEATURE_GC},
	{"gc: rec of one function type", MOD(SEC(0x01, 0x01, 0x4e, 0x01, 0x60, 0x00, 0x00)),
	 MVP | WLAB_FEATURE_GC},
	{"gc: anyref param", MOD(SEC(0x01, 0x01, 0x60, 0x01, 0x6e, 0x00)), MVP | WLAB_FEATURE_GC},
	{"gc: (ref null eq) result", MOD(SEC(0x01, 0x01, 0x60, 0x00, 0x01, 0x63, 0x6d)),
	 MVP | WLAB_FEATURE_GC},
	{"gc: a struct's funcref field", MOD(SEC(0x01, 0x01, 0x5f, 0x01, 0x70, 0x00)),
	 MVP | WLAB_FEATURE_GC | REF},
	{"function-references: (ref func) param", MOD(SEC(0x01, 0x01, 0x60, 0x01, 0x64, 0x70, 0x00)),
	 MVP | WLAB_FEATURE_FUNCTION_REFERENCES},
};

static void test_uses_table(void **state)
{
	(void)state;
	size_t failed = 0;
	const size_t n = sizeof cases / sizeof cases[0];
	for (size_t i = 0; i < n; i++) {
		const struct use_case *c = &cases[i];
		struct tu_buf b = {0};
		tu_bytes(&b, c->bytes, c->len);
		struct wlab_decode_options opts = {.features = wlab_features_all()};
		struct wlab_module *m = NULL;
		struct wlab_error err = {0};
		uint32_t got = 0;
		if (tu_decode(&b, &opts, &m, &err) != WLAB_OK)
			failed += !tu_row_failed(c->name, "decode: 0x%zx %s", err.offset, err.message);
		else if (wlab_module_uses(m, &got, &err) != WLAB_OK)
			failed += !tu_row_failed(c->name, "uses: 0x%zx %s", err.offset, err.message);
		else if (got != c->want)
			failed += !tu_row_failed(c->name, "uses %#x, want %#x", got, c->want);
		wlab_module_free(m);
		tu_buf_free(&b);
	}
	tu_table_done("uses", failed, n);
}

/* A body the features cannot read: what came before, and the error's offset. */
static void test_uses_stops_at_bad_code(void **state)
{
	(void)state;
	struct tu_buf b = {0};
	const uint8_t mod[] = {HDR, TYPE0, FUNC1, SEC(0x05, 0x01, 0x03, 0x01, 0x01),
			       BODY(0x00, 0xff, 0x0b)};
	tu_bytes(&b, mod, sizeof mod);
	struct wlab_decode_options opts = {.features = wlab_features_all(),
					   .flags = WLAB_DECODE_SKIP_BODIES};
	struct wlab_module *m = NULL;
	struct wlab_error err = {0};
	assert_int_equal(tu_decode(&b, &opts, &m, &err), WLAB_OK);
	tu_expect_ok("decode", &err);
	uint32_t got = 0;
	assert_int_equal(wlab_module_uses(m, &got, &err), WLAB_MALFORMED);
	assert_int_equal(got, MVP | WLAB_FEATURE_THREADS);
	assert_int_equal(err.offset, sizeof mod - 2);
	wlab_module_free(m);
	tu_buf_free(&b);
}

/* The entries alone: limits and types count, instructions do not. */
static void test_uses_entries(void **state)
{
	(void)state;
	struct tu_buf b = {0};
	const uint8_t mod[] = {HDR, TYPE0, FUNC1, SEC(0x05, 0x01, 0x03, 0x01, 0x01),
			       BODY(0x00, 0x12, 0x00, 0x0b)};
	tu_bytes(&b, mod, sizeof mod);
	struct wlab_decode_options opts = {.features = wlab_features_all()};
	struct wlab_module *m = NULL;
	struct wlab_error err = {0};
	assert_int_equal(tu_decode(&b, &opts, &m, &err), WLAB_OK);
	uint32_t got = 0;
	assert_int_equal(wlab_module_uses_entries(m, &got, &err), WLAB_OK);
	assert_int_equal(got, MVP | WLAB_FEATURE_THREADS);
	assert_int_equal(wlab_module_uses(m, &got, &err), WLAB_OK);
	assert_int_equal(got, MVP | WLAB_FEATURE_THREADS | WLAB_FEATURE_TAIL_CALL);
	assert_int_equal(wlab_module_code_size(m), 3);
	wlab_module_free(m);
	tu_buf_free(&b);
}

static void test_features_list(void **state)
{
	(void)state;
	char buf[256];
	assert_int_equal(wlab_features_list(MVP, ", ", buf, sizeof buf), 0);
	assert_string_equal(buf, "");
	uint32_t f = MVP | WLAB_FEATURE_THREADS | WLAB_FEATURE_TAIL_CALL | WLAB_FEATURE_MEMORY64;
	assert_int_equal(wlab_features_list(f, ", ", buf, sizeof buf), 3);
	assert_string_equal(buf, "memory64, tail-call, threads");
	char tiny[6];
	assert_int_equal(wlab_features_list(f, ", ", tiny, sizeof tiny), 3);
	assert_string_equal(tiny, "memor");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uses_table),
		cmocka_unit_test(test_uses_stops_at_bad_code),
		cmocka_unit_test(test_uses_entries),
		cmocka_unit_test(test_features_list),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
