/* test_opcodes.c: the integrity of the opcode table (opcodes.c expanding
 * wlab/opcodes.def) and of the other .def tables: sections, value types,
 * features. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "util.h"
#include "wlab/features.h"
#include "wlab/instr.h"
#include "wlab/module.h"

static const uint8_t prefixes[] = {0x00, 0xfb, 0xfc, 0xfd, 0xfe};

/* Every feature bit that wlab/features.def defines. */
static uint32_t all_features(void)
{
	return 0
#define WLAB_FEATURE(bit, cname, name, dflt) | WLAB_FEATURE_##cname
#include "wlab/features.def"
#undef WLAB_FEATURE
		;
}

/* Each row's lookup by (prefix, code) finds that row. */
static void test_rows_find_themselves(void **state)
{
	(void)state;
	size_t failed = 0;
	for (uint16_t op = 0; op < WLAB_OP_COUNT; op++) {
		const struct wlab_opinfo *info = wlab_opinfo(op);
		assert_non_null(info);
		uint16_t found = wlab_op_lookup(info->prefix, info->code);
		if (found != op)
			failed += !tu_row_failed(info->name, "lookup(0x%02x, 0x%x) = %u, not %u",
						 info->prefix, (unsigned)info->code, found, op);
	}
	tu_table_done("opcode rows", failed, WLAB_OP_COUNT);
	assert_null(wlab_opinfo(WLAB_OP_COUNT));
	assert_null(wlab_opinfo(UINT16_MAX));
}

/* An exhaustive lookup over codes 0..0x1ff of each prefix finds each row
 * exactly once: no two rows share a (prefix, code). */
static void test_codes_unique(void **state)
{
	(void)state;
	static unsigned hits[WLAB_OP_COUNT];
	size_t total = 0;
	memset(hits, 0, sizeof hits);
	for (size_t p = 0; p < sizeof prefixes; p++) {
		for (uint32_t code = 0; code <= 0x1ff; code++) {
			uint16_t op = wlab_op_lookup(prefixes[p], code);
			if (op == WLAB_OP_COUNT)
				continue;
			assert_true(op < WLAB_OP_COUNT);
			const struct wlab_opinfo *info = wlab_opinfo(op);
			assert_int_equal(info->prefix, prefixes[p]);
			assert_int_equal(info->code, code);
			hits[op]++;
			total++;
		}
	}
	for (uint16_t op = 0; op < WLAB_OP_COUNT; op++)
		if (hits[op] != 1)
			fail_msg("%s: found %u times", wlab_opinfo(op)->name, hits[op]);
	assert_int_equal(total, WLAB_OP_COUNT);
	/* The prefix bytes are no opcodes of their own, nor are other prefixes. */
	assert_int_equal(wlab_op_lookup(0x00, 0xfc), WLAB_OP_COUNT);
	assert_int_equal(wlab_op_lookup(0x00, 0xfd), WLAB_OP_COUNT);
	assert_int_equal(wlab_op_lookup(0x00, 0xfe), WLAB_OP_COUNT);
	assert_int_equal(wlab_op_lookup(0x00, 0xfb), WLAB_OP_COUNT);
	assert_int_equal(wlab_op_lookup(0xfb, 0x1f), WLAB_OP_COUNT);
	assert_int_equal(wlab_op_lookup(0xfb, 0x20), WLAB_OP_COUNT);
	assert_int_equal(wlab_op_lookup(0xfe, 0x04), WLAB_OP_COUNT);
	assert_int_equal(wlab_op_lookup(0xfe, 0x4f), WLAB_OP_COUNT);
	assert_int_equal(wlab_op_lookup(0xfc, UINT32_MAX), WLAB_OP_COUNT);
	assert_int_equal(wlab_op_lookup(0x00, 0x100), WLAB_OP_COUNT);
}

/* Names are unique except the two forms of select, and of ref.test and
 * ref.cast (a non-null and a nullable type, told apart by the type). */
static bool shared_name(const char *name)
{
	return !strcmp(name, "select") || !strcmp(name, "ref.test") || !strcmp(name, "ref.cast");
}

static void test_names_unique(void **state)
{
	(void)state;
	size_t failed = 0;
	unsigned selects = 0, shared = 0;
	for (uint16_t a = 0; a < WLAB_OP_COUNT; a++) {
		const char *name = wlab_opinfo(a)->name;
		if (strcmp(name, "select") == 0)
			selects++;
		shared += shared_name(name);
		for (uint16_t b = a + 1; b < WLAB_OP_COUNT; b++)
			if (strcmp(name, wlab_opinfo(b)->name) == 0 && !shared_name(name))
				failed += !tu_row_failed(name, "ops %u and %u share it", a, b);
	}
	tu_table_done("opcode names", failed, WLAB_OP_COUNT);
	assert_int_equal(selects, 2);
	assert_int_equal(shared, 6);
	assert_int_equal(wlab_opinfo(WLAB_OP_REF_TEST)->imm, WLAB_IMM_CAST);
	assert_int_equal(wlab_opinfo(WLAB_OP_REF_TEST_NULL)->imm, WLAB_IMM_CAST_NULL);
	assert_string_equal(wlab_opinfo(WLAB_OP_SELECT)->name, "select");
	assert_string_equal(wlab_opinfo(WLAB_OP_SELECT_T)->name, "select");
	assert_int_equal(wlab_opinfo(WLAB_OP_SELECT)->imm, WLAB_IMM_NONE);
	assert_int_equal(wlab_opinfo(WLAB_OP_SELECT_T)->imm, WLAB_IMM_SELECT_T);
}

/* Every field of every row is in range: a known prefix, a one-byte code
 * without a prefix, a spec name of [a-z0-9._], an immediate kind of
 * enum wlab_imm, exactly one feature bit of wlab/features.def. */
static void test_row_fields(void **state)
{
	(void)state;
	static const char name_chars[] = "abcdefghijklmnopqrstuvwxyz0123456789._";
	size_t failed = 0;
	bool imm_used[WLAB_IMM_LAST + 1] = {false};
	for (uint16_t op = 0; op < WLAB_OP_COUNT; op++) {
		const struct wlab_opinfo *info = wlab_opinfo(op);
		const char *name = info->name;
		uint32_t f = info->feature;
		if (!name || !*name || strspn(name, name_chars) != strlen(name))
			failed += !tu_row_failed(name ? name : "(null)", "bad name");
		else if (!memchr(prefixes, info->prefix, sizeof prefixes))
			failed += !tu_row_failed(name, "prefix 0x%02x", info->prefix);
		else if (info->prefix == 0 && info->code > 0xff)
			failed += !tu_row_failed(name, "code 0x%x without a prefix",
						 (unsigned)info->code);
		else if (info->imm > WLAB_IMM_LAST)
			failed += !tu_row_failed(name, "immediate kind %u", info->imm);
		else if (f == 0 || (f & (f - 1)) != 0 || (f & ~all_features()) != 0)
			failed += !tu_row_failed(name, "feature 0x%x", (unsigned)f);
		else
			imm_used[info->imm] = true;
	}
	tu_table_done("opcode fields", failed, WLAB_OP_COUNT);
	/* No immediate kind is dead. */
	for (unsigned k = 0; k <= WLAB_IMM_LAST; k++)
		if (!imm_used[k])
			fail_msg("immediate kind %u is used by no opcode", k);
}

/* A few rows spelled out, one per prefix and immediate family. */
#define ROW(op, prefix, code, name, imm, feature) \
	{WLAB_OP_##op, prefix, code, name, WLAB_IMM_##imm, WLAB_FEATURE_##feature}

static const struct {
	uint16_t op;
	uint8_t prefix;
	uint32_t code;
	const char *name;
	uint8_t imm;
	uint32_t feature;
} known[] = {
	ROW(UNREACHABLE, 0x00, 0x00, "unreachable", NONE, MVP),
	ROW(BLOCK, 0x00, 0x02, "block", BLOCK, MVP),
	ROW(BR_TABLE, 0x00, 0x0e, "br_table", BR_TABLE, MVP),
	ROW(CALL_INDIRECT, 0x00, 0x11, "call_indirect", CALL_INDIRECT, MVP),
	ROW(I64_LOAD32_U, 0x00, 0x35, "i64.load32_u", MEMARG, MVP),
	ROW(MEMORY_GROW, 0x00, 0x40, "memory.grow", MEMIDX, MVP),
	ROW(F64_CONST, 0x00, 0x44, "f64.const", F64, MVP),
	ROW(I64_EXTEND32_S, 0x00, 0xc4, "i64.extend32_s", NONE, SIGN_EXT),
	ROW(REF_NULL, 0x00, 0xd0, "ref.null", REFTYPE, REFERENCE_TYPES),
	ROW(I64_TRUNC_SAT_F64_U, 0xfc, 0x07, "i64.trunc_sat_f64_u", NONE, SAT_FLOAT_TO_INT),
	ROW(MEMORY_INIT, 0xfc, 0x08, "memory.init", DATA_MEM, BULK_MEMORY),
	ROW(TABLE_FILL, 0xfc, 0x11, "table.fill", TABLE, REFERENCE_TYPES),
	ROW(V128_CONST, 0xfd, 0x0c, "v128.const", V128, SIMD),
	ROW(I8X16_SHUFFLE, 0xfd, 0x0d, "i8x16.shuffle", SHUFFLE, SIMD),
	ROW(V128_STORE64_LANE, 0xfd, 0x5b, "v128.store64_lane", MEMARG_LANE, SIMD),
	ROW(I32X4_ADD, 0xfd, 0xae, "i32x4.add", NONE, SIMD),
	ROW(TRY, 0x00, 0x06, "try", BLOCK, EXCEPTIONS),
	ROW(RETURN_CALL, 0x00, 0x12, "return_call", FUNC, TAIL_CALL),
	ROW(MEMORY_ATOMIC_NOTIFY, 0xfe, 0x00, "memory.atomic.notify", MEMARG, THREADS),
	ROW(MEMORY_ATOMIC_WAIT64, 0xfe, 0x02, "memory.atomic.wait64", MEMARG, THREADS),
	ROW(ATOMIC_FENCE, 0xfe, 0x03, "atomic.fence", ZERO, THREADS),
	ROW(I32_ATOMIC_LOAD, 0xfe, 0x10, "i32.atomic.load", MEMARG, THREADS),
	ROW(I64_ATOMIC_STORE32, 0xfe, 0x1d, "i64.atomic.store32", MEMARG, THREADS),
	ROW(I32_ATOMIC_RMW8_ADD_U, 0xfe, 0x20, "i32.atomic.rmw8.add_u", MEMARG, THREADS),
	ROW(I64_ATOMIC_RMW_XCHG, 0xfe, 0x42, "i64.atomic.rmw.xchg", MEMARG, THREADS),
	ROW(I64_ATOMIC_RMW32_CMPXCHG_U, 0xfe, 0x4e, "i64.atomic.rmw32.cmpxchg_u", MEMARG, THREADS),
};

static void test_known_rows(void **state)
{
	(void)state;
	size_t failed = 0;
	const size_t n = sizeof known / sizeof known[0];
	for (size_t i = 0; i < n; i++) {
		const struct wlab_opinfo *info = wlab_opinfo(known[i].op);
		if (info->prefix != known[i].prefix || info->code != known[i].code ||
		    strcmp(info->name, known[i].name) != 0 || info->imm != known[i].imm ||
		    info->feature != known[i].feature)
			failed += !tu_row_failed(known[i].name, "0x%02x 0x%x %s imm %u feat 0x%x",
						 info->prefix, (unsigned)info->code, info->name,
						 info->imm, (unsigned)info->feature);
	}
	tu_table_done("known rows", failed, n);
}

/* sections.def: ids 0..13 named as wabt prints them, nothing past them. */
static void test_section_table(void **state)
{
	(void)state;
	static const char *const names[] = {
		"Custom", "Type", "Import", "Function", "Table", "Memory", "Global",
		"Export", "Start", "Elem", "Code", "Data", "DataCount", "Tag",
	};
	for (uint8_t id = 0; id < 14; id++)
		assert_string_equal(wlab_section_name(id), names[id]);
	for (unsigned id = 14; id < 256; id++)
		assert_null(wlab_section_name((uint8_t)id));
	assert_int_equal(WLAB_SEC_DATACOUNT, 12);
	assert_int_equal(WLAB_SEC_TAG, 13);
}

/* valtypes.def: exactly seven codes, each named. */
static void test_valtype_table(void **state)
{
	(void)state;
	static const struct {
		uint8_t code;
		const char *name;
	} rows[] = {
		{0x7f, "i32"}, {0x7e, "i64"}, {0x7d, "f32"}, {0x7c, "f64"},
		{0x7b, "v128"}, {0x70, "funcref"}, {0x6f, "externref"},
	};
	unsigned named = 0;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		assert_string_equal(wlab_valtype_name(rows[i].code), rows[i].name);
	for (unsigned code = 0; code < 256; code++)
		named += wlab_valtype_name((uint8_t)code) != NULL;
	assert_int_equal(named, sizeof rows / sizeof rows[0]);
	assert_string_equal(wlab_extern_kind_name(WLAB_EXTERN_FUNC), "func");
	assert_string_equal(wlab_extern_kind_name(WLAB_EXTERN_TAG), "tag");
	assert_null(wlab_extern_kind_name(5));
}

/* features.def: names look up their bit, bits are distinct, the default set
 * is WebAssembly 2.0. */
static void test_feature_table(void **state)
{
	(void)state;
	static const struct {
		const char *name;
		uint32_t bit;
		bool dflt;
	} rows[] = {
#define WLAB_FEATURE(bit, cname, name, dflt) {name, WLAB_FEATURE_##cname, dflt},
#include "wlab/features.def"
#undef WLAB_FEATURE
	};
	uint32_t seen = 0, dflt = 0;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		assert_int_equal(wlab_feature_by_name(rows[i].name), rows[i].bit);
		assert_int_equal(seen & rows[i].bit, 0);
		seen |= rows[i].bit;
		if (rows[i].dflt)
			dflt |= rows[i].bit;
	}
	assert_int_equal(wlab_features_default(), dflt);
	assert_int_equal(wlab_feature_by_name("no-such-feature"), 0);
	assert_int_equal(wlab_feature_by_name(""), 0);
	uint32_t v2 = WLAB_FEATURE_MVP | WLAB_FEATURE_SIGN_EXT | WLAB_FEATURE_SAT_FLOAT_TO_INT |
		      WLAB_FEATURE_MULTI_VALUE | WLAB_FEATURE_BULK_MEMORY |
		      WLAB_FEATURE_REFERENCE_TYPES | WLAB_FEATURE_SIMD;
	assert_int_equal(WLAB_FEATURES_2_0, v2);
	assert_int_equal(wlab_features_default() & v2, v2);
	assert_true(wlab_features_default() & WLAB_FEATURE_THREADS);
	assert_true(wlab_features_default() & WLAB_FEATURE_EXTENDED_CONST);
	assert_true(wlab_features_default() & WLAB_FEATURE_RELAXED_SIMD);
	assert_true(wlab_features_default() & WLAB_FEATURE_MULTI_MEMORY);
	assert_true(wlab_features_default() & WLAB_FEATURE_MEMORY64);
}

/* wlab_feature_option: the command-line forms. */
static void test_feature_options(void **state)
{
	(void)state;
	uint32_t f = 0;
	assert_true(wlab_feature_option("--features=2.0", &f));
	assert_int_equal(f, WLAB_FEATURES_2_0);
	assert_true(wlab_feature_option("--enable-threads", &f));
	assert_int_equal(f, WLAB_FEATURES_2_0 | WLAB_FEATURE_THREADS);
	assert_true(wlab_feature_option("--disable-simd", &f));
	assert_int_equal(f, (WLAB_FEATURES_2_0 | WLAB_FEATURE_THREADS) & ~WLAB_FEATURE_SIMD);
	assert_true(wlab_feature_option("--features=default", &f));
	assert_int_equal(f, wlab_features_default());
	assert_true(wlab_feature_option("--features=all", &f));
	assert_int_equal(f, all_features());
	assert_false(wlab_feature_option("--features=3.1", &f));
	assert_false(wlab_feature_option("--enable-no-such", &f));
	assert_false(wlab_feature_option("--disable-", &f));
	assert_false(wlab_feature_option("threads", &f));
	assert_int_equal(f, all_features());
}

/* The natural alignment read off the names: plain accesses and atomics. */
static void test_natural_align(void **state)
{
	(void)state;
	static const struct {
		uint16_t op;
		uint32_t align;
	} rows[] = {
		{WLAB_OP_I32_LOAD, 2}, {WLAB_OP_I64_LOAD8_S, 0}, {WLAB_OP_F64_STORE, 3},
		{WLAB_OP_I64_STORE32, 2}, {WLAB_OP_V128_LOAD, 4}, {WLAB_OP_V128_LOAD16X4_S, 3},
		{WLAB_OP_V128_LOAD8_LANE, 0}, {WLAB_OP_V128_LOAD32_ZERO, 2},
		{WLAB_OP_MEMORY_ATOMIC_NOTIFY, 2}, {WLAB_OP_MEMORY_ATOMIC_WAIT32, 2},
		{WLAB_OP_MEMORY_ATOMIC_WAIT64, 3}, {WLAB_OP_I64_ATOMIC_LOAD, 3},
		{WLAB_OP_I64_ATOMIC_LOAD16_U, 1}, {WLAB_OP_I32_ATOMIC_STORE8, 0},
		{WLAB_OP_I32_ATOMIC_RMW_CMPXCHG, 2}, {WLAB_OP_I64_ATOMIC_RMW32_XOR_U, 2},
		{WLAB_OP_I64_ATOMIC_RMW_SUB, 3}, {WLAB_OP_I32_ATOMIC_RMW16_XCHG_U, 1},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		if (wlab_op_natural_align(rows[i].op) != rows[i].align)
			fail_msg("%s: natural alignment %u, want %u", wlab_opinfo(rows[i].op)->name,
				 wlab_op_natural_align(rows[i].op), rows[i].align);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows_find_themselves),
		cmocka_unit_test(test_codes_unique),
		cmocka_unit_test(test_names_unique),
		cmocka_unit_test(test_row_fields),
		cmocka_unit_test(test_feature_options),
		cmocka_unit_test(test_natural_align),
		cmocka_unit_test(test_known_rows),
		cmocka_unit_test(test_section_table),
		cmocka_unit_test(test_valtype_table),
		cmocka_unit_test(test_feature_table),
	};
	return cmocka_run_group_tests_name("opcodes", tests, NULL, NULL);
}
