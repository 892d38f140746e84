/* test_rt64.c: the interpreter on memory64, table64 and memories other than
 * 0: bounds checks that cannot wrap (an i64 address plus an offset up to
 * 2^64-1 traps, never reaches the host heap), indices of 2^32 and more on
 * 64-bit tables, and v128 memory instructions on the memory they name.
 * Each test is a text module whose exports are called with arguments. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "util_inst.h"
#include "wlab/features.h"
#include "wlab/runtime.h"
#include "wlab/validate.h"
#include "wlab/wat.h"

#define OOB WLAB_TRAP_MEMORY_OOB
#define TOOB WLAB_TRAP_TABLE_OOB

/* Calls export name with up to three args; the trap (WLAB_TRAP_NONE on
 * success) and the first result in *out. */
static enum wlab_trap call(struct tu_inst *x, const char *name, uint64_t a, uint64_t b,
			   uint64_t c, uint64_t *out)
{
	uint64_t args[3] = {a, b, c}, res[16] = {0};
	enum wlab_trap trap = tu_inst_call(x, name, args, res);
	if (out)
		*out = res[0];
	return trap;
}

static void expect(struct tu_inst *x, const char *name, uint64_t a, uint64_t b, uint64_t c,
		   enum wlab_trap want, uint64_t want_value)
{
	uint64_t v = 0;
	enum wlab_trap t = call(x, name, a, b, c, &v);
	if (t != want)
		fail_msg("%s(0x%llx, 0x%llx, 0x%llx): trap %d, want %d", name,
			 (unsigned long long)a, (unsigned long long)b, (unsigned long long)c,
			 (int)t, (int)want);
	if (!want && v != want_value)
		fail_msg("%s(0x%llx): 0x%llx, want 0x%llx", name, (unsigned long long)a,
			 (unsigned long long)v, (unsigned long long)want_value);
}

/* memory64: an i64 base plus offset 2^64-8 wraps to a small address in
 * 64-bit arithmetic; it must trap, whatever the base. */
static void test_regression_memory64_offset_wraps(void **state)
{
	(void)state;
	struct tu_inst x;
	tu_inst_load(&x, "(memory i64 1)"
		 "(func (export \"ld\") (param i64) (result i64)"
		 "  (i64.load offset=0xFFFF_FFFF_FFFF_FFF8 (local.get 0)))"
		 "(func (export \"st\") (param i64)"
		 "  (i64.store offset=0xFFFF_FFFF_FFFF_FFF8 (local.get 0) (i64.const -1)))"
		 "(func (export \"ld0\") (param i64) (result i64) (i64.load (local.get 0)))"
		 "(func (export \"v\") (param i64) (result i64)"
		 "  (i64x2.extract_lane 0 (v128.load offset=0xFFFF_FFFF_FFFF_FFF0 (local.get 0))))"
		 "(func (export \"sum\") (result i64) (local i64 i64)"
		 "  (loop (local.set 1 (i64.add (local.get 1) (i64.load (local.get 0))))"
		 "    (br_if 0 (i64.lt_u (local.tee 0 (i64.add (local.get 0) (i64.const 8)))"
		 "      (i64.const 65536)))) (local.get 1))");
	for (uint64_t base = 0; base < 32; base += 8) {
		expect(&x, "ld", base, 0, 0, OOB, 0);
		expect(&x, "st", base, 0, 0, OOB, 0);
		expect(&x, "v", base, 0, 0, OOB, 0);
	}
	expect(&x, "ld", UINT64_MAX, 0, 0, OOB, 0);
	expect(&x, "ld", (uint64_t)1 << 63, 0, 0, OOB, 0);
	expect(&x, "sum", 0, 0, 0, WLAB_TRAP_NONE, 0);  /* no store got through */
	expect(&x, "ld0", 65528, 0, 0, WLAB_TRAP_NONE, 0);
	expect(&x, "ld0", 65529, 0, 0, OOB, 0);
	expect(&x, "ld0", (uint64_t)1 << 32, 0, 0, OOB, 0);  /* not truncated to 0 */
	expect(&x, "ld0", UINT64_MAX - 3, 0, 0, OOB, 0);
	tu_inst_close(&x);
}

/* memory32, memory 0 (the hot loop) and memory 1 (RT_OP_MEMX): an i32
 * base of 2^32-1 plus an offset of 2^32-1 must not wrap in 32 bits. */
static void test_regression_memory32_offset_wraps(void **state)
{
	(void)state;
	struct tu_inst x;
	tu_inst_load(&x, "(memory 1) (memory $b 1)"
		 "(func (export \"ld\") (param i32) (result i64)"
		 "  (i64.load offset=0xFFFF_FFF8 (local.get 0)))"
		 "(func (export \"ldb\") (param i32) (result i64)"
		 "  (i64.load $b offset=0xFFFF_FFF8 (local.get 0)))"
		 "(func (export \"stb\") (param i32)"
		 "  (i32.store $b offset=0xFFFF_FFFF (local.get 0) (i32.const 1)))"
		 "(func (export \"vb\") (param i32)"
		 "  (v128.store $b offset=0xFFFF_FFF0 (local.get 0) (v128.const i64x2 -1 -1)))");
	uint64_t bases[] = {0, 8, 16, 0xfffffff8u, 0xffffffffu};
	for (size_t i = 0; i < sizeof bases / sizeof bases[0]; i++) {
		expect(&x, "ld", bases[i], 0, 0, OOB, 0);
		expect(&x, "ldb", bases[i], 0, 0, OOB, 0);
		expect(&x, "stb", bases[i], 0, 0, OOB, 0);
		expect(&x, "vb", bases[i], 0, 0, OOB, 0);
	}
	tu_inst_close(&x);
}

/* table64: an index of 2^32 or more is out of bounds (truncated to 32 bits
 * it would hit element 0). */
static void test_regression_table64_index_2_32(void **state)
{
	(void)state;
	struct tu_inst x;
	tu_inst_load(&x, "(type $v (func (result i32)))"
		 "(table $t i64 2 funcref) (elem (table $t) (i64.const 0) func $one $one)"
		 "(func $one (result i32) (i32.const 1))"
		 "(func (export \"get\") (param i64) (result i32)"
		 "  (ref.is_null (table.get $t (local.get 0))))"
		 "(func (export \"set\") (param i64) (table.set $t (local.get 0) (ref.null func)))"
		 "(func (export \"call\") (param i64) (result i32)"
		 "  (call_indirect $t (type $v) (local.get 0)))"
		 "(func (export \"fill\") (param i64 i64)"
		 "  (table.fill $t (local.get 0) (ref.null func) (local.get 1)))"
		 "(func (export \"grow\") (param i64) (result i64)"
		 "  (table.grow $t (ref.null func) (local.get 0)))"
		 "(func (export \"size\") (result i64) (table.size $t))");
	expect(&x, "get", 1, 0, 0, WLAB_TRAP_NONE, 0);
	expect(&x, "get", (uint64_t)1 << 32, 0, 0, TOOB, 0);
	expect(&x, "get", ((uint64_t)1 << 32) + 1, 0, 0, TOOB, 0);
	expect(&x, "set", (uint64_t)1 << 32, 0, 0, TOOB, 0);
	expect(&x, "call", 0, 0, 0, WLAB_TRAP_NONE, 1);
	expect(&x, "call", (uint64_t)1 << 32, 0, 0, WLAB_TRAP_UNDEFINED_ELEMENT, 0);
	expect(&x, "call", UINT64_MAX, 0, 0, WLAB_TRAP_UNDEFINED_ELEMENT, 0);
	expect(&x, "fill", 1, UINT64_MAX, 0, TOOB, 0);  /* 1 + n wraps to 0 */
	expect(&x, "fill", (uint64_t)1 << 32, 1, 0, TOOB, 0);
	expect(&x, "get", 1, 0, 0, WLAB_TRAP_NONE, 0);  /* the fills wrote nothing */
	expect(&x, "grow", (uint64_t)1 << 32, 0, 0, WLAB_TRAP_NONE, UINT64_MAX);
	expect(&x, "size", 0, 0, 0, WLAB_TRAP_NONE, 2);
	expect(&x, "grow", 1, 0, 0, WLAB_TRAP_NONE, 2);
	expect(&x, "size", 0, 0, 0, WLAB_TRAP_NONE, 3);
	tu_inst_close(&x);
}

/* Bulk memory on memory64: d + n that wraps traps; memory.copy between a
 * 64-bit and a 32-bit memory takes an i32 length. */
static void test_regression_bulk64_wraps(void **state)
{
	(void)state;
	struct tu_inst x;
	tu_inst_load(&x, "(memory $a i64 1) (memory $b 1)"
		 "(func (export \"fill\") (param i64 i64)"
		 "  (memory.fill $a (local.get 0) (i32.const 7) (local.get 1)))"
		 "(func (export \"copy\") (param i64 i64 i64)"
		 "  (memory.copy $a $a (local.get 0) (local.get 1) (local.get 2)))"
		 "(func (export \"mixed\") (param i64 i32 i32)"
		 "  (memory.copy $a $b (local.get 0) (local.get 1) (local.get 2)))"
		 "(func (export \"peek\") (param i64) (result i32) (i32.load8_u $a (local.get 0)))"
		 "(func (export \"grow\") (param i64) (result i64) (memory.grow $a (local.get 0)))"
		 "(func (export \"size\") (result i64) (memory.size $a))");
	expect(&x, "fill", 1, UINT64_MAX, 0, OOB, 0);
	expect(&x, "fill", UINT64_MAX, 2, 0, OOB, 0);
	expect(&x, "copy", 0, 8, UINT64_MAX - 7, OOB, 0);
	expect(&x, "copy", (uint64_t)1 << 32, 0, 1, OOB, 0);
	expect(&x, "peek", 1, 0, 0, WLAB_TRAP_NONE, 0);
	expect(&x, "fill", 65535, 1, 0, WLAB_TRAP_NONE, 0);
	expect(&x, "peek", 65535, 0, 0, WLAB_TRAP_NONE, 7);
	expect(&x, "mixed", 65535, 0, 1, WLAB_TRAP_NONE, 0);
	expect(&x, "peek", 65535, 0, 0, WLAB_TRAP_NONE, 0);
	expect(&x, "mixed", (uint64_t)1 << 32, 0, 1, OOB, 0);
	expect(&x, "grow", (uint64_t)1 << 48, 0, 0, WLAB_TRAP_NONE, UINT64_MAX);
	expect(&x, "grow", 1, 0, 0, WLAB_TRAP_NONE, 1);
	expect(&x, "size", 0, 0, 0, WLAB_TRAP_NONE, 2);
	tu_inst_close(&x);
}

/* v128 loads, stores and lanes use the memory their memarg names (they
 * used memory 0 whatever it said). */
static void test_regression_simd_memory_index(void **state)
{
	(void)state;
	struct tu_inst x;
	tu_inst_load(&x, "(memory $a 1) (memory $b 1) (memory $c i64 1)"
		 "(data (memory $b) (i32.const 16) \"\\01\\02\\03\\04\\05\\06\\07\\08\")"
		 "(data (memory $c) (i64.const 32) \"\\11\\12\")"
		 "(func (export \"ld\") (result i64)"
		 "  (i64x2.extract_lane 0 (v128.load $b offset=16 (i32.const 0))))"
		 "(func (export \"lane\") (result i32)"
		 "  (i8x16.extract_lane_u 3 (v128.load8_lane $c 3 (i64.const 33) (v128.const i64x2 0 0))))"
		 "(func (export \"st\")"
		 "  (v128.store16_lane $b offset=2 1 (i32.const 0) (v128.const i16x8 0 0x4142 0 0 0 0 0 0)))"
		 "(func (export \"peek_a\") (result i32) (i32.load16_u $a (i32.const 2)))"
		 "(func (export \"peek_b\") (result i32) (i32.load16_u $b (i32.const 2)))");
	expect(&x, "ld", 0, 0, 0, WLAB_TRAP_NONE, 0x0807060504030201ull);
	expect(&x, "lane", 0, 0, 0, WLAB_TRAP_NONE, 0x12);
	expect(&x, "st", 0, 0, 0, WLAB_TRAP_NONE, 0);
	expect(&x, "peek_a", 0, 0, 0, WLAB_TRAP_NONE, 0);
	expect(&x, "peek_b", 0, 0, 0, WLAB_TRAP_NONE, 0x4142);
	tu_inst_close(&x);
}

/* A 64-bit memory or table import matches only a 64-bit one. */
static void test_import_address_type(void **state)
{
	(void)state;
	struct tu_inst x;
	struct wlab_module *mods[6] = {0};
	uint8_t *bins[6] = {0};
	struct wlab_error err = {0};
	enum wlab_trap trap;
	tu_inst_load(&x, "(memory (export \"m32\") 1) (memory (export \"m64\") i64 1)"
		 "(table (export \"t64\") i64 1 funcref)");
	const char *good[] = {"(import \"x\" \"m64\" (memory i64 1))",
			      "(import \"x\" \"m32\" (memory 1))",
			      "(import \"x\" \"t64\" (table i64 1 funcref))"};
	const char *bad[] = {"(import \"x\" \"m64\" (memory 1))",
			     "(import \"x\" \"m32\" (memory i64 1))",
			     "(import \"x\" \"t64\" (table 1 funcref))"};
	assert_int_equal(wlab_store_register(x.s, "x", x.i), WLAB_OK);
	for (int k = 0; k < 6; k++) {
		const char *wat = k < 3 ? good[k] : bad[k - 3];
		size_t size;
		struct wlab_instance *inst;
		assert_int_equal(wlab_wat_to_binary(wat, strlen(wat), &bins[k], &size, &err),
				 WLAB_OK);
		assert_int_equal(wlab_module_decode(bins[k], size, NULL, &mods[k], &err), WLAB_OK);
		assert_int_equal(wlab_instantiate(x.s, mods[k], &inst, &err, &trap),
				 k < 3 ? WLAB_OK : WLAB_UNLINKABLE);
		if (k >= 3)
			assert_non_null(strstr(err.message, "incompatible import type"));
	}
	tu_inst_close(&x);  /* the store first: its instances point at the modules */
	for (int k = 0; k < 6; k++) {
		wlab_module_free(mods[k]);
		free(bins[k]);
	}
}

/* The review's finding: with memory64 enabled by an embedder, a memarg
 * offset of 2^64-8 on a 32-bit memory (which the hot loop's 32-bit check
 * adds without a wrap test) must never reach it: the validator refuses any
 * offset of 2^32 or more on a 32-bit memory, and wlab_instantiate
 * validates. The module is bytes, as the text parser would not write it:
 * (memory 1) (func (export "ld") (param i32) (result i64)
 *   (i64.load offset=2^64-8 (local.get 0))), and the same with 2^32. */
static void test_regression_memory32_offset_2_64_minus_8(void **state)
{
	(void)state;
	static const uint8_t head[] = {
		0, 'a', 's', 'm', 1, 0, 0, 0,
		0x01, 0x06, 0x01, 0x60, 0x01, 0x7f, 0x01, 0x7e,  /* (i32) -> (i64) */
		0x03, 0x02, 0x01, 0x00,
		0x05, 0x03, 0x01, 0x00, 0x01,                    /* (memory 1) */
		0x07, 0x06, 0x01, 0x02, 'l', 'd', 0x00, 0x00,
	};
	static const uint8_t offsets[][10] = {
		{0xf8, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01},  /* 2^64-8 */
		{0x80, 0x80, 0x80, 0x80, 0x10},                                /* 2^32 */
	};
	static const size_t offset_len[] = {10, 5};
	uint32_t features[] = {wlab_features_default() | WLAB_FEATURE_MEMORY64, UINT32_MAX};
	for (size_t k = 0; k < 2; k++) {
		uint8_t bin[96];
		size_t n = sizeof head, body = 6 + offset_len[k];
		memcpy(bin, head, n);
		const uint8_t code[] = {0x0a, (uint8_t)(body + 2), 0x01, (uint8_t)body, 0x00,
					0x20, 0x00, 0x29, 0x03};
		memcpy(bin + n, code, sizeof code);
		n += sizeof code;
		memcpy(bin + n, offsets[k], offset_len[k]);
		n += offset_len[k];
		bin[n++] = 0x0b;
		for (size_t f = 0; f < 2; f++) {
			struct wlab_module *m = NULL;
			struct wlab_error err = {0};
			struct wlab_decode_options d = {.features = features[f]};
			assert_int_equal(wlab_module_decode(bin, n, &d, &m, &err), WLAB_OK);
			struct wlab_validate_options v = {.features = features[f]};
			struct wlab_validate_error verr;
			assert_int_equal(wlab_module_validate(m, &v, &verr), WLAB_INVALID);
			assert_string_equal(verr.error.message, "offset out of range");
			struct wlab_store_options so = {.features = features[f]};
			struct wlab_store *s = wlab_store_new(&so);
			struct wlab_instance *inst = NULL;
			enum wlab_trap trap;
			assert_non_null(s);
			assert_int_equal(wlab_instantiate(s, m, &inst, &err, &trap), WLAB_INVALID);
			assert_null(inst);
			wlab_store_free(s);
			wlab_module_free(m);
		}
	}
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_regression_memory64_offset_wraps),
		cmocka_unit_test(test_regression_memory32_offset_wraps),
		cmocka_unit_test(test_regression_table64_index_2_32),
		cmocka_unit_test(test_regression_bulk64_wraps),
		cmocka_unit_test(test_regression_simd_memory_index),
		cmocka_unit_test(test_import_address_type),
		cmocka_unit_test(test_regression_memory32_offset_2_64_minus_8),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
