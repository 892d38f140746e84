/* test_link.c: unit tests of the import-linker (wlab/link.h) on hand-built modules:
 * import matching, re-exports, kept and merged imports, stubs, index
 * rewriting in bodies, and the output validating and encoding. Built and run
 * by tests/link/link_test.py (it would sit in tests/unit/ if that were ours). */
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
#include "wlab/instr.h"
#include "wlab/link.h"
#include "wlab/validate.h"

#define LEN(a) (sizeof (a) / sizeof (a)[0])

/* A decoded module with the bytes it borrows. */
struct mod {
	struct tu_buf b;
	struct wlab_module *m;
};

static void mod_decode(struct mod *md)
{
	struct wlab_error err = {0};
	assert_int_equal(tu_decode(&md->b, NULL, &md->m, &err), WLAB_OK);
}

static void mod_free(struct mod *md)
{
	wlab_module_free(md->m);
	tu_buf_free(&md->b);
}

static void limits(struct tu_buf *p, uint32_t min, int64_t max)
{
	tu_byte(p, max < 0 ? 0 : 1);
	tu_u32(p, min);
	if (max >= 0)
		tu_u32(p, (uint32_t)max);
}

/* (module (memory (export "m") MIN MAX?)) */
static void memory_provider(struct mod *md, uint32_t min, int64_t max)
{
	struct tu_buf p = {0};
	tu_header(&md->b);
	tu_u32(&p, 1);
	limits(&p, min, max);
	tu_section(&md->b, WLAB_SEC_MEMORY, &p);
	tu_buf_reset(&p);
	tu_u32(&p, 1);
	tu_name(&p, "m");
	TU_PUT(&p, WLAB_EXTERN_MEMORY, 0);
	tu_section(&md->b, WLAB_SEC_EXPORT, &p);
	tu_buf_free(&p);
	mod_decode(md);
}

/* (module (import "a" "m" (memory MIN MAX?))) */
static void memory_importer(struct mod *md, uint32_t min, int64_t max)
{
	struct tu_buf p = {0};
	tu_header(&md->b);
	tu_u32(&p, 1);
	tu_name(&p, "a");
	tu_name(&p, "m");
	tu_byte(&p, WLAB_EXTERN_MEMORY);
	limits(&p, min, max);
	tu_section(&md->b, WLAB_SEC_IMPORT, &p);
	tu_buf_free(&p);
	mod_decode(md);
}

/* The spec's limits matching, through the plan. */
static void test_memory_matching(void **state)
{
	(void)state;
	static const struct {
		uint32_t pmin;
		int64_t pmax;
		uint32_t imin;
		int64_t imax;
		bool ok;
	} rows[] = {
		{1, -1, 1, -1, true},  {2, -1, 1, -1, true},  {1, -1, 2, -1, false},
		{1, 5, 1, -1, true},   {1, -1, 1, 5, false},  {1, 5, 1, 5, true},
		{1, 4, 1, 5, true},    {1, 6, 1, 5, false},   {3, 4, 2, 5, true},
	};
	size_t failed = 0;
	for (size_t r = 0; r < LEN(rows); r++) {
		struct mod a = {0}, b = {0};
		memory_provider(&a, rows[r].pmin, rows[r].pmax);
		memory_importer(&b, rows[r].imin, rows[r].imax);
		struct wlab_link_input in[2] = {{"a", "a.wasm", a.m}, {"b", "b.wasm", b.m}};
		struct wlab_link_result res = {0};
		struct wlab_link_error err;
		enum wlab_status st = wlab_link_plan(in, 2, NULL, &res, &err);
		char what[64];
		snprintf(what, sizeof what, "row %zu", r);
		if (rows[r].ok && (st != WLAB_OK || res.plan[0].how != WLAB_LINK_FUSED))
			failed += !tu_row_failed(what, "expected fused, got %s", err.detail);
		if (!rows[r].ok && (st != WLAB_UNLINKABLE || res.plan[0].how != WLAB_LINK_ERROR ||
				    strcmp(err.error.message, "incompatible import type") != 0))
			failed += !tu_row_failed(what, "expected incompatible import type, got %d %s", st,
						 err.error.message);
		wlab_link_result_free(&res);
		mod_free(&a);
		mod_free(&b);
	}
	tu_table_done("memory matching", failed, LEN(rows));
}

/* (module (type (func (result i32))) (func (export "f") (type 0) i32.const 7)) */
static void func_provider(struct mod *md)
{
	tu_header(&md->b);
	tu_section_raw(&md->b, WLAB_SEC_TYPE, TU_ARR(1, 0x60, 0, 1, 0x7f), 5);
	tu_section_raw(&md->b, WLAB_SEC_FUNCTION, TU_ARR(1, 0), 2);
	tu_section_raw(&md->b, WLAB_SEC_EXPORT, TU_ARR(1, 1, 'f', 0, 0), 5);
	tu_section_raw(&md->b, WLAB_SEC_CODE, TU_ARR(1, 4, 0, 0x41, 7, 0x0b), 6);
	mod_decode(md);
}

/* (module (type (func (param i32))) (type (func (result i32)))
 *   (import "env" "log" (func (type 0))) (import "a" "f" (func (type 1)))
 *   (func (export "g") (type 1) (call 0 (i32.const 1)) (call 1))) */
static void func_importer(struct mod *md, const char *from)
{
	struct tu_buf p = {0};
	tu_header(&md->b);
	tu_section_raw(&md->b, WLAB_SEC_TYPE, TU_ARR(2, 0x60, 1, 0x7f, 0, 0x60, 0, 1, 0x7f), 9);
	tu_u32(&p, 2);
	tu_name(&p, "env");
	tu_name(&p, "log");
	TU_PUT(&p, 0, 0);
	tu_name(&p, from);
	tu_name(&p, "f");
	TU_PUT(&p, 0, 1);
	tu_section(&md->b, WLAB_SEC_IMPORT, &p);
	tu_section_raw(&md->b, WLAB_SEC_FUNCTION, TU_ARR(1, 1), 2);
	tu_section_raw(&md->b, WLAB_SEC_EXPORT, TU_ARR(1, 1, 'g', 0, 2), 5);
	tu_section_raw(&md->b, WLAB_SEC_CODE, TU_ARR(1, 8, 0, 0x41, 1, 0x10, 0, 0x10, 1, 0x0b), 10);
	tu_buf_free(&p);
	mod_decode(md);
}

/* The call targets of function body i of m. */
static size_t calls_of(const struct wlab_module *m, uint32_t i, uint32_t *out, size_t cap)
{
	struct wlab_instr_iter it;
	struct wlab_instr in;
	struct wlab_error err = {0};
	size_t n = 0;
	wlab_instr_iter_init(&it, m->bytes, m->codes[i].expr, 0, &err);
	while (!wlab_instr_iter_done(&it) && wlab_instr_next(&it, &in) == WLAB_OK)
		if (in.op == WLAB_OP_CALL && n < cap)
			out[n++] = in.index;
	wlab_instr_iter_fini(&it);
	return n;
}

static void test_fuse_functions(void **state)
{
	(void)state;
	struct mod a = {0}, b = {0};
	func_provider(&a);
	func_importer(&b, "a");
	struct wlab_link_input in[2] = {{"a", NULL, a.m}, {"b", NULL, b.m}};
	struct wlab_link_result res = {0};
	struct wlab_link_error err;
	assert_int_equal(wlab_link(in, 2, NULL, &res, &err), WLAB_OK);
	const struct wlab_module *o = res.module;
	assert_non_null(o);
	/* env.log stays (func 0); a's f is func 1, b's g func 2 */
	assert_int_equal(o->nimports, 1);
	assert_int_equal(o->nimported_funcs, 1);
	assert_int_equal(o->nfuncs, 2);
	/* (result i32) in both inputs: one type; (param i32): the other */
	assert_int_equal(o->ntypes, 2);
	assert_int_equal(res.plan[1].how, WLAB_LINK_FUSED);
	assert_int_equal(res.plan[1].out_index, 1);
	uint32_t calls[4];
	assert_int_equal(calls_of(o, 1, calls, 4), 2);
	assert_int_equal(calls[0], 0);
	assert_int_equal(calls[1], 1);
	struct wlab_validate_error verr;
	assert_int_equal(wlab_module_validate(o, NULL, &verr), WLAB_OK);
	uint8_t *bytes;
	size_t size;
	struct wlab_error eerr;
	assert_int_equal(wlab_module_encode(o, &bytes, &size, &eerr), WLAB_OK);
	struct wlab_module *back = NULL;
	assert_int_equal(wlab_module_decode(bytes, size, NULL, &back, &eerr), WLAB_OK);
	assert_int_equal(back->nexports, 2);
	wlab_module_free(back);
	free(bytes);
	wlab_link_result_free(&res);
	mod_free(&a);
	mod_free(&b);
}

/* b's import x.f stays when no input is named x; when an input named x
 * lacks an export "f", it is an unknown import. */
static void test_unknown_and_kept(void **state)
{
	(void)state;
	struct mod a = {0}, b = {0};
	func_provider(&a);
	func_importer(&b, "x");  /* x names no input: kept */
	struct wlab_link_input in[2] = {{"a", NULL, a.m}, {"b", NULL, b.m}};
	struct wlab_link_result res = {0};
	struct wlab_link_error err;
	assert_int_equal(wlab_link_plan(in, 2, NULL, &res, &err), WLAB_OK);
	assert_int_equal(res.plan[1].how, WLAB_LINK_KEPT);
	wlab_link_result_free(&res);
	/* a input named x that lacks "f": unknown import */
	in[0].name = "x";
	struct mod c = {0};
	memory_provider(&c, 1, -1);
	in[0].module = c.m;
	assert_int_equal(wlab_link_plan(in, 2, NULL, &res, &err), WLAB_UNLINKABLE);
	assert_string_equal(err.error.message, "unknown import");
	assert_non_null(strstr(err.detail, "has no export \"f\""));
	wlab_link_result_free(&res);
	mod_free(&a);
	mod_free(&b);
	mod_free(&c);
}

static void test_stubs(void **state)
{
	(void)state;
	struct mod a = {0}, b = {0};
	func_provider(&a);
	func_importer(&b, "a");
	char spec[] = "env.log=zero";
	struct wlab_link_stub stub;
	char ebuf[128];
	assert_true(wlab_link_parse_stub(spec, &stub, ebuf, sizeof ebuf));
	struct wlab_link_options opts = {0};
	opts.stubs = &stub;
	opts.nstubs = 1;
	struct wlab_link_input in[2] = {{"a", NULL, a.m}, {"b", NULL, b.m}};
	struct wlab_link_result res = {0};
	struct wlab_link_error err;
	assert_int_equal(wlab_link(in, 2, &opts, &res, &err), WLAB_OK);
	assert_int_equal(res.module->nimports, 0);
	assert_int_equal(res.module->nfuncs, 3);  /* f, g, the stub */
	assert_int_equal(res.plan[0].how, WLAB_LINK_STUBBED);
	struct wlab_validate_error verr;
	assert_int_equal(wlab_module_validate(res.module, NULL, &verr), WLAB_OK);
	wlab_link_result_free(&res);
	mod_free(&a);
	mod_free(&b);
}

static void test_parse_stub(void **state)
{
	(void)state;
	static const struct {
		const char *spec;
		bool ok;
		enum wlab_link_stub_kind kind;
		uint8_t valtype;
		uint64_t bits;
	} rows[] = {
		{"env.f=trap", true, WLAB_LINK_STUB_TRAP, 0, 0},
		{"env.f=zero", true, WLAB_LINK_STUB_ZERO, 0, 0},
		{"env.f=const:i32:-1", true, WLAB_LINK_STUB_CONST, WLAB_I32, 0xffffffffu},
		{"env.f=const:i64:0x10", true, WLAB_LINK_STUB_CONST, WLAB_I64, 16},
		{"env.f=const:f32:1.5", true, WLAB_LINK_STUB_CONST, WLAB_F32, 0x3fc00000u},
		{"env.a.b=trap", true, WLAB_LINK_STUB_TRAP, 0, 0},
		{"env.f=const:i32:", false, 0, 0, 0},
		{"env.f=const:v128:0", false, 0, 0, 0},
		{"env.f=nope", false, 0, 0, 0},
		{"envf=trap", false, 0, 0, 0},
		{".f=trap", false, 0, 0, 0},
	};
	size_t failed = 0;
	for (size_t r = 0; r < LEN(rows); r++) {
		char spec[64], ebuf[160];
		struct wlab_link_stub s;
		snprintf(spec, sizeof spec, "%s", rows[r].spec);
		bool ok = wlab_link_parse_stub(spec, &s, ebuf, sizeof ebuf);
		if (ok != rows[r].ok)
			failed += !tu_row_failed(rows[r].spec, "parsed %d, expected %d", ok, rows[r].ok);
		else if (ok && (s.kind != rows[r].kind || s.valtype != rows[r].valtype ||
				s.bits != rows[r].bits))
			failed += !tu_row_failed(rows[r].spec, "kind %d type %#x bits %#llx", s.kind,
						 s.valtype, (unsigned long long)s.bits);
	}
	tu_table_done("parse stub", failed, LEN(rows));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_memory_matching),
		cmocka_unit_test(test_fuse_functions),
		cmocka_unit_test(test_unknown_and_kept),
		cmocka_unit_test(test_stubs),
		cmocka_unit_test(test_parse_stub),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
