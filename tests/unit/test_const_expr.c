/* test_const_expr.c: extended constant expressions evaluated at
 * instantiation: i32/i64 add, sub and mul (wrapping), any depth (an
 * expression deeper than the evaluator's 16 values on the C stack was once
 * cut short), global.get of an earlier defined global (3.0), and data and
 * element offsets computed by them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "util.h"
#include "wlab/runtime.h"

#define I32 0x7f
#define I64 0x7e

struct crow {
	const char *name;
	uint8_t type;        /* of global 1; global 0 is (i32 (i32.const 100)) */
	uint8_t expr[48];    /* global 1's init, end excluded; DEEP: see below */
	size_t n;
	uint64_t want;
};

#define EXPR(...) .expr = {__VA_ARGS__}, .n = TU_LEN(__VA_ARGS__)
#define DEEP 0xff        /* expr[0]: n values of i32.const 1, then n - 1 i32.add */

static const struct crow rows[] = {
	{"i32.add", I32, EXPR(0x41, 2, 0x41, 3, 0x6a), 5},
	{"i32.sub below zero", I32, EXPR(0x41, 2, 0x41, 3, 0x6b), 0xffffffffu},
	{"i32.add wraps", I32, EXPR(0x41, 0xff, 0xff, 0xff, 0xff, 0x07, 0x41, 1, 0x6a),
	 0x80000000u},
	{"i32.mul wraps", I32, EXPR(0x41, 0x80, 0x80, 0x04, 0x41, 0x80, 0x80, 0x04, 0x6c), 0},
	{"i64 sub then mul", I64, EXPR(0x42, 3, 0x42, 10, 0x42, 2, 0x7d, 0x7e), 24},
	{"i64.mul wraps", I64,
	 EXPR(0x42, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f, 0x42, 2, 0x7e), 0},
	{"global.get of an earlier defined global", I32, EXPR(0x23, 0, 0x41, 7, 0x6a), 107},
	{"40 values deep", I32, .expr = {DEEP, 40}, .n = 0, 40},
	{"300 values deep", I32, .expr = {DEEP, 0xac, 0x02}, .n = 0, 300},
};

static void put_expr(struct tu_buf *b, const struct crow *r)
{
	if (r->expr[0] != DEEP) {
		tu_bytes(b, r->expr, r->n);
		return;
	}
	uint32_t n = r->expr[1] & 0x7f;
	if (r->expr[1] & 0x80)
		n |= (uint32_t)r->expr[2] << 7;
	for (uint32_t i = 0; i < n; i++)
		TU_PUT(b, 0x41, 1);
	for (uint32_t i = 1; i < n; i++)
		TU_PUT(b, 0x6a);
}

/* Two globals (exported "g0", "g1"), a memory of one page (exported "m")
 * with a data segment one byte past global 1, when that is an i32 within
 * the page. */
static void build(struct tu_buf *m, const struct crow *r)
{
	struct tu_buf sec = {0};
	tu_header(m);
	tu_section_raw(m, 5, TU_ARR(0x01, 0x00, 0x01), 3);
	TU_PUT(&sec, 0x02, I32, 0x00, 0x41, 0xe4, 0x00, 0x0b, r->type, 0x00);
	put_expr(&sec, r);
	TU_PUT(&sec, 0x0b);
	tu_section(m, 6, &sec);
	tu_buf_reset(&sec);
	TU_PUT(&sec, 0x03);
	tu_name(&sec, "g0");
	TU_PUT(&sec, 0x03, 0x00);
	tu_name(&sec, "g1");
	TU_PUT(&sec, 0x03, 0x01);
	tu_name(&sec, "m");
	TU_PUT(&sec, 0x02, 0x00);
	tu_section(m, 7, &sec);
	if (r->type == I32 && r->want <= 65535) {
		tu_buf_reset(&sec);
		/* offset (global.get 1) (i32.const 1) i32.add: one byte after */
		TU_PUT(&sec, 0x01, 0x00, 0x23, 0x01, 0x41, 0x01, 0x6a, 0x0b, 0x01, 0x2a);
		tu_section(m, 11, &sec);
	}
	tu_buf_free(&sec);
}

static void test_global_values(void **state)
{
	(void)state;
	for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++) {
		const struct crow *r = &rows[k];
		struct tu_buf b = {0};
		struct wlab_error err = {0};
		struct wlab_module *m = NULL;
		struct wlab_instance *inst = NULL;
		struct wlab_extern g, mem;
		enum wlab_trap trap;
		build(&b, r);
		if (tu_decode(&b, NULL, &m, &err))
			fail_msg("%s: %s", r->name, err.message);
		struct wlab_store *s = wlab_store_new(NULL);
		assert_non_null(s);
		if (wlab_instantiate(s, m, &inst, &err, &trap))
			fail_msg("%s: %s", r->name, err.message);
		assert_true(wlab_instance_export(inst, "g1", 2, &g));
		uint64_t v = wlab_global_value(g.u.global);
		if (v != r->want)
			fail_msg("%s: 0x%llx, expected 0x%llx", r->name, (unsigned long long)v,
				 (unsigned long long)r->want);
		if (r->type == I32 && r->want < 65535) {
			uint64_t size;
			assert_true(wlab_instance_export(inst, "m", 1, &mem));
			const uint8_t *data = wlab_memory_data(mem.u.memory, &size);
			if (data[r->want + 1] != 0x2a)
				fail_msg("%s: the data segment is not at %llu", r->name,
					 (unsigned long long)r->want + 1);
		}
		wlab_store_free(s);
		wlab_module_free(m);
		tu_buf_free(&b);
	}
}

/* A data offset past the end traps at instantiation, computed or not. */
static void test_offset_out_of_bounds(void **state)
{
	(void)state;
	const struct crow r = {"offset 65535 + 1", I32,
			       EXPR(0x41, 0xff, 0xff, 0x03, 0x41, 0, 0x6a), 65535};
	struct tu_buf b = {0};
	struct wlab_error err = {0};
	struct wlab_module *m = NULL;
	struct wlab_instance *inst = NULL;
	enum wlab_trap trap = WLAB_TRAP_NONE;
	build(&b, &r);
	assert_int_equal(tu_decode(&b, NULL, &m, &err), WLAB_OK);
	struct wlab_store *s = wlab_store_new(NULL);
	assert_int_equal(wlab_instantiate(s, m, &inst, &err, &trap), WLAB_TRAP);
	assert_int_equal(trap, WLAB_TRAP_MEMORY_OOB);
	wlab_store_free(s);
	wlab_module_free(m);
	tu_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_global_values),
		cmocka_unit_test(test_offset_out_of_bounds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
