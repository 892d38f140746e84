/* test_relaxed.c: relaxed SIMD under the 3.0 spec's deterministic profile
 * (docs/interpreter.md): one row per instruction, with operands where the
 * profile's result differs from the other results the spec allows (the
 * spec suite's relaxed_*.wast accept any of them); their typing in the
 * validator; their decoding only with the relaxed-simd feature; their
 * names in the text format. */
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
#include "wlab/instr.h"
#include "wlab/runtime.h"
#include "wlab/validate.h"
#include "wlab/wat.h"

#define V128 0x7b

/* lanes as 32-bit words: four bytes, two halves, half a double */
#define B4(a, b, c, d) ((uint32_t)(uint8_t)(a) | (uint32_t)(uint8_t)(b) << 8 | \
			(uint32_t)(uint8_t)(c) << 16 | (uint32_t)(uint8_t)(d) << 24)
#define H2(a, b) ((uint32_t)(uint16_t)(a) | (uint32_t)(uint16_t)(b) << 16)
#define D(x) (uint32_t)(x##ull), (uint32_t)(x##ull >> 32)

struct rrow {
	const char *name;
	uint32_t code;        /* after the 0xfd prefix */
	uint8_t nargs;        /* v128 operands: 1, 2 or 3 */
	uint32_t a[4], b[4], c[4];
	uint32_t want[4];
	uint8_t nan;          /* bit i: 32-bit word i must hold a NaN (f32 lane, or
				 the high word of an f64 lane), any payload */
};

static const struct rrow rows[] = {
	/* an index of 16 or more gives 0 (not lane j mod 16) */
	{"i8x16.relaxed_swizzle", 0x100, 2,
	 {B4(10, 11, 12, 13), B4(14, 15, 16, 17), B4(18, 19, 20, 21), B4(22, 23, 24, 25)},
	 {B4(0, 15, 16, 0x80), B4(0xff, 17, 31, 1), B4(3, 3, 3, 3), B4(32, 48, 64, 2)}, {0},
	 {B4(10, 25, 0, 0), B4(0, 0, 0, 11), B4(13, 13, 13, 13), B4(0, 0, 0, 12)}, 0},
	/* NaN 0, out of range saturates (not INT32_MIN) */
	{"i32x4.relaxed_trunc_f32x4_s", 0x101, 1,
	 {0x7fc00000u, 0x4f32d05eu /* 3e9 */, 0xcf32d05eu, 0xbfc00000u /* -1.5 */}, {0}, {0},
	 {0, 0x7fffffffu, 0x80000000u, 0xffffffffu}, 0},
	/* NaN and negatives 0, too large UINT32_MAX */
	{"i32x4.relaxed_trunc_f32x4_u", 0x102, 1,
	 {0x7fc00000u, 0xbf800000u /* -1 */, 0x4f9502f9u /* 5e9 */, 0x4039999au /* 2.9 */},
	 {0}, {0}, {0, 0, 0xffffffffu, 2}, 0},
	{"i32x4.relaxed_trunc_f64x2_s_zero", 0x103, 1,
	 {D(0x7ff8000000000000), D(0xc202a05f20000000) /* -1e10 */}, {0}, {0},
	 {0, 0x80000000u, 0, 0}, 0},
	{"i32x4.relaxed_trunc_f64x2_u_zero", 0x104, 1,
	 {D(0x4202a05f20000000) /* 1e10 */, D(0xc014000000000000) /* -5 */}, {0}, {0},
	 {0xffffffffu, 0, 0, 0}, 0},
	/* (1+2^-12)^2 - (1+2^-11): unfused 0, fused 2^-24; 2*3+1; 0*-1 + -0 */
	{"f32x4.relaxed_madd", 0x105, 3,
	 {0x3f800800u, 0x40000000u, 0x00000000u, 0x3f800000u},
	 {0x3f800800u, 0x40400000u, 0xbf800000u, 0x3f800000u},
	 {0xbf801000u, 0x3f800000u, 0x80000000u, 0x3f800000u},
	 {0x00000000u, 0x40e00000u, 0x80000000u, 0x40000000u}, 0},
	/* -x * y + z: the same product, unfused; -(2*3)+1 */
	{"f32x4.relaxed_nmadd", 0x106, 3,
	 {0xbf800800u, 0x40000000u, 0x3f800000u, 0x7fc00000u},
	 {0x3f800800u, 0x40400000u, 0x3f800000u, 0x3f800000u},
	 {0xbf801000u, 0x3f800000u, 0x3f800000u, 0x3f800000u},
	 {0x00000000u, 0xc0a00000u, 0x00000000u, 0}, 1u << 3},
	/* (1+2^-30)^2 - (1+2^-29): unfused 0, fused 2^-60 */
	{"f64x2.relaxed_madd", 0x107, 3,
	 {D(0x3ff0000000400000), D(0x4000000000000000)},
	 {D(0x3ff0000000400000), D(0x4008000000000000)},
	 {D(0xbff0000000800000), D(0x3ff0000000000000)},
	 {D(0x0000000000000000), D(0x401c000000000000)}, 0},
	{"f64x2.relaxed_nmadd", 0x108, 3,
	 {D(0xbff0000000400000), D(0x4000000000000000)},
	 {D(0x3ff0000000400000), D(0x4008000000000000)},
	 {D(0xbff0000000800000), D(0x3ff0000000000000)},
	 {D(0x0000000000000000), D(0xc014000000000000)}, 0},
	/* every mask bit selects: with all ones and zeros the result is the
	 * mask itself (not each lane's top bit spread over the lane) */
	{"i8x16.relaxed_laneselect", 0x109, 3,
	 {~0u, ~0u, ~0u, ~0u}, {0}, {0x0ff00f0fu, 0xf00f7f80u, 0x12345678u, 0x80000001u},
	 {0x0ff00f0fu, 0xf00f7f80u, 0x12345678u, 0x80000001u}, 0},
	{"i16x8.relaxed_laneselect", 0x10a, 3,
	 {~0u, ~0u, ~0u, ~0u}, {0}, {0x0ff00f0fu, 0xf00f7f80u, 0x12345678u, 0x80000001u},
	 {0x0ff00f0fu, 0xf00f7f80u, 0x12345678u, 0x80000001u}, 0},
	{"i32x4.relaxed_laneselect", 0x10b, 3,
	 {0xaaaaaaaau, 0x55555555u, 0, ~0u}, {0x55555555u, 0xaaaaaaaau, ~0u, 0},
	 {0x0000ffffu, 0xffff0000u, 0x7fffffffu, 0x80000000u},
	 {0x5555aaaau, 0x5555aaaau, 0x80000000u, 0x80000000u}, 0},
	{"i64x2.relaxed_laneselect", 0x10c, 3,
	 {~0u, ~0u, ~0u, ~0u}, {0}, {0x0ff00f0fu, 0x700f7f80u, 0x12345678u, 0x80000001u},
	 {0x0ff00f0fu, 0x700f7f80u, 0x12345678u, 0x80000001u}, 0},
	/* as fmin: NaN wins (either side), -0 below +0 */
	{"f32x4.relaxed_min", 0x10d, 2,
	 {0x7fc00000u, 0x3f800000u, 0x80000000u, 0x00000000u},
	 {0x3f800000u, 0x7fc00000u, 0x00000000u, 0x80000000u}, {0},
	 {0, 0, 0x80000000u, 0x80000000u}, 3},
	{"f32x4.relaxed_max", 0x10e, 2,
	 {0x7fc00000u, 0x3f800000u, 0x80000000u, 0x00000000u},
	 {0x3f800000u, 0x7fc00000u, 0x00000000u, 0x80000000u}, {0},
	 {0, 0, 0x00000000u, 0x00000000u}, 3},
	{"f64x2.relaxed_min", 0x10f, 2,
	 {D(0x3ff0000000000000), D(0x8000000000000000)},
	 {D(0x7ff8000000000000), D(0x0000000000000000)}, {0},
	 {0, 0, D(0x8000000000000000)}, 1u << 1},
	{"f64x2.relaxed_max", 0x110, 2,
	 {D(0x7ff8000000000000), D(0x8000000000000000)},
	 {D(0x3ff0000000000000), D(0x0000000000000000)}, {0},
	 {0, 0, D(0x0000000000000000)}, 1u << 1},
	/* -32768 * -32768 saturates to 32767 (not -32768) */
	{"i16x8.relaxed_q15mulr_s", 0x111, 2,
	 {H2(-32768, 16384), H2(-1, 32767), H2(0, 0), H2(0, 0)},
	 {H2(-32768, 16384), H2(1, 32767), H2(0, 0), H2(0, 0)}, {0},
	 {H2(32767, 8192), H2(0, 32766), 0, 0}, 0},
	/* both operands signed (-127, not 129); pairs wrap modulo 2^16 */
	{"i16x8.relaxed_dot_i8x16_i7x16_s", 0x112, 2,
	 {B4(-128, -128, 127, 127), B4(-128, -128, 1, 3), 0, 0},
	 {B4(-127, -127, 127, 127), B4(-128, -128, 2, 4), 0, 0}, {0},
	 {H2(32512, 32258), H2(-32768, 14), 0, 0}, 0},
	{"i32x4.relaxed_dot_i8x16_i7x16_add_s", 0x113, 3,
	 {B4(-128, -128, -128, -128), B4(1, 2, 3, 4), B4(-128, -128, -128, -128), 0},
	 {B4(-127, -127, -127, -127), B4(5, 6, 7, 8), B4(-128, -128, -128, -128), 0},
	 {1, 100, 0, 0xffffffffu},
	 {65025, 170, (uint32_t)-65536, 0xffffffffu}, 0},
};

/* (v128 v128 v128) -> v128: local.get 0..nargs-1, 0xfd code, end; export "f". */
static void build(struct tu_buf *m, uint32_t code, uint8_t nargs)
{
	struct tu_buf sec = {0}, body = {0};
	tu_header(m);
	TU_PUT(&sec, 0x01, 0x60, 0x03, V128, V128, V128, 0x01, V128);
	tu_section(m, 1, &sec);
	tu_section_raw(m, 3, TU_ARR(0x01, 0x00), 2);
	tu_buf_reset(&sec);
	TU_PUT(&sec, 0x01);
	tu_name(&sec, "f");
	TU_PUT(&sec, 0x00, 0x00);
	tu_section(m, 7, &sec);
	TU_PUT(&body, 0x00);
	for (uint8_t i = 0; i < nargs; i++)
		TU_PUT(&body, 0x20, i);
	TU_PUT(&body, 0xfd);
	tu_u32(&body, code);
	TU_PUT(&body, 0x0b);
	tu_buf_reset(&sec);
	TU_PUT(&sec, 0x01);
	tu_u32(&sec, (uint32_t)body.n);
	tu_bytes(&sec, body.p, body.n);
	tu_section(m, 10, &sec);
	tu_buf_free(&sec);
	tu_buf_free(&body);
}

static void words(const uint32_t l[4], uint64_t *out)
{
	out[0] = (uint64_t)l[1] << 32 | l[0];
	out[1] = (uint64_t)l[3] << 32 | l[2];
}

static void lane_check(const struct rrow *r, int i, uint32_t got)
{
	bool f64 = strncmp(r->name, "f64", 3) == 0;  /* NaN bits: the high word */
	uint32_t exp = f64 ? 0x7ff00000u : 0x7f800000u;
	if (r->nan & (1u << i)) {
		if ((got & exp) != exp || (got & ~exp & 0x7fffffffu) == 0)
			fail_msg("%s: word %d is 0x%08x, expected a NaN", r->name, i, got);
	} else if (r->nan & (1u << (i + 1)) && i % 2 == 0) {
		/* the low word of an f64 NaN: any payload */
	} else if (got != r->want[i]) {
		fail_msg("%s: word %d is 0x%08x, expected 0x%08x", r->name, i, got, r->want[i]);
	}
}

static void test_deterministic_results(void **state)
{
	(void)state;
	for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++) {
		const struct rrow *r = &rows[k];
		struct tu_buf b = {0};
		struct wlab_error err = {0};
		struct wlab_module *m = NULL;
		struct wlab_instance *inst = NULL;
		struct wlab_extern f;
		enum wlab_trap trap;
		uint64_t args[6], out[2];
		assert_int_equal(wlab_op_lookup(0xfd, r->code) == WLAB_OP_COUNT, 0);
		assert_string_equal(wlab_opinfo(wlab_op_lookup(0xfd, r->code))->name, r->name);
		build(&b, r->code, r->nargs);
		if (tu_decode(&b, NULL, &m, &err))
			fail_msg("%s: %s", r->name, err.message);
		struct wlab_store *s = wlab_store_new(NULL);
		assert_non_null(s);
		if (wlab_instantiate(s, m, &inst, &err, &trap))
			fail_msg("%s: %s", r->name, err.message);
		assert_true(wlab_instance_export(inst, "f", 1, &f));
		words(r->a, args);
		words(r->b, args + 2);
		words(r->c, args + 4);
		assert_int_equal(wlab_call(s, f.u.func, args, out, &trap), WLAB_OK);
		for (int i = 0; i < 4; i++)
			lane_check(r, i, (uint32_t)(out[i / 2] >> (32 * (i % 2))));
		wlab_store_free(s);
		wlab_module_free(m);
		tu_buf_free(&b);
	}
}

/* Each instruction pops its operands: one too few is a type mismatch, and
 * with relaxed-simd off the opcode does not decode. */
static void test_typing_and_feature(void **state)
{
	(void)state;
	for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++) {
		const struct rrow *r = &rows[k];
		struct tu_buf b = {0};
		struct wlab_error err = {0};
		struct wlab_module *m = NULL;
		struct wlab_validate_error verr;
		build(&b, r->code, (uint8_t)(r->nargs - 1));
		if (tu_decode(&b, NULL, &m, &err))
			fail_msg("%s: %s", r->name, err.message);
		char head[96];  /* the operand lists follow */
		snprintf(head, sizeof head, "type mismatch in %s, expected [", r->name);
		if (wlab_module_validate(m, NULL, &verr) != WLAB_INVALID ||
		    strncmp(verr.error.message, head, strlen(head)))
			fail_msg("%s with %u operands: expected \"%s...\", got \"%s\"", r->name,
				 r->nargs - 1u, head, verr.error.message);
		wlab_module_free(m);
		m = NULL;
		struct wlab_decode_options off = {
			.features = wlab_features_default() & ~(uint32_t)WLAB_FEATURE_RELAXED_SIMD};
		memset(&err, 0, sizeof err);
		char want[WLAB_MESSAGE_MAX];
		snprintf(want, sizeof want, "illegal opcode: %s needs the relaxed-simd feature "
			 "(--enable-relaxed-simd)", r->name);
		if (tu_decode(&b, &off, &m, &err) != WLAB_MALFORMED || strcmp(err.message, want))
			fail_msg("%s without relaxed-simd: expected \"%s\", got \"%s\"",
				 r->name, want, err.message);
		wlab_module_free(m);
		tu_buf_free(&b);
	}
}

/* The text format names each instruction as the opcode table does: the
 * parsed module is the hand-built one, byte for byte. */
static void test_text_names(void **state)
{
	(void)state;
	for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++) {
		const struct rrow *r = &rows[k];
		char text[512];
		int n = snprintf(text, sizeof text,
				 "(module (func (export \"f\") (param v128 v128 v128) (result v128)%s%s%s %s))",
				 " local.get 0", r->nargs > 1 ? " local.get 1" : "",
				 r->nargs > 2 ? " local.get 2" : "", r->name);
		struct tu_buf b = {0};
		struct wlab_error err = {0};
		uint8_t *bin = NULL;
		size_t size = 0;
		build(&b, r->code, r->nargs);
		if (wlab_wat_to_binary(text, (size_t)n, &bin, &size, &err))
			fail_msg("%s: %s", r->name, err.message);
		if (size != b.n || memcmp(bin, b.p, size))
			fail_msg("%s: the text gives other bytes", r->name);
		free(bin);
		tu_buf_free(&b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deterministic_results),
		cmocka_unit_test(test_typing_and_feature),
		cmocka_unit_test(test_text_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
