/* test_rt.c: the interpreter: one hand-built function per table row, run
 * with its arguments, checked against a result or a trap; host functions,
 * call depth and the memory cap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "util.h"
#include "wlab/instr.h"
#include "wlab/runtime.h"

#define I32 0x7f
#define I64 0x7e
#define F32 0x7d
#define F64 0x7c

/* One exported function "f": its type, its body (local declarations
 * first, then instructions ending in 0x0b), arguments, the result or trap. */
struct rcase {
	const char *name;
	uint8_t np;
	uint8_t params[3];
	uint8_t result;       /* 0: none */
	uint8_t body[96];
	size_t nbody;
	uint64_t args[3];
	uint64_t want;
	enum wlab_trap trap;
	uint8_t mem_pages;    /* a memory of this many pages (max 2) when nonzero */
};

#define BODY(...) .body = {__VA_ARGS__}, .nbody = TU_LEN(__VA_ARGS__)

static const struct rcase cases[] = {
	{"i32.add", 2, {I32, I32}, I32, BODY(0, 0x20, 0, 0x20, 1, 0x6a, 0x0b), {2, 40}, 42, 0, 0},
	{"i32.div_s by zero", 2, {I32, I32}, I32, BODY(0, 0x20, 0, 0x20, 1, 0x6d, 0x0b),
	 {1, 0}, 0, WLAB_TRAP_DIV_ZERO, 0},
	{"i32.div_s overflow", 2, {I32, I32}, I32, BODY(0, 0x20, 0, 0x20, 1, 0x6d, 0x0b),
	 {0x80000000u, 0xffffffffu}, 0, WLAB_TRAP_INT_OVERFLOW, 0},
	{"i32.rem_s -1", 2, {I32, I32}, I32, BODY(0, 0x20, 0, 0x20, 1, 0x6f, 0x0b),
	 {0x80000000u, 0xffffffffu}, 0, 0, 0},
	{"unreachable", 0, {0}, 0, BODY(0, 0x00, 0x0b), {0}, 0, WLAB_TRAP_UNREACHABLE, 0},
	/* block (result i32) i32.const 7 br 0 end */
	{"br keeps the result", 0, {0}, I32, BODY(0, 0x02, I32, 0x41, 7, 0x0c, 0, 0x0b, 0x0b),
	 {0}, 7, 0, 0},
	/* loop: sum 1..n with a local accumulator */
	{"loop sum", 1, {I32}, I32,
	 BODY(1, 1, I32, 0x02, 0x40, 0x03, 0x40, 0x20, 0, 0x45, 0x0d, 1, 0x20, 1, 0x20, 0,
	      0x6a, 0x21, 1, 0x20, 0, 0x41, 1, 0x6b, 0x21, 0, 0x0c, 0, 0x0b, 0x0b, 0x20, 1,
	      0x0b),
	 {100}, 5050, 0, 0},
	/* if/else with a result */
	{"if else", 1, {I32}, I32,
	 BODY(0, 0x20, 0, 0x04, I32, 0x41, 1, 0x05, 0x41, 2, 0x0b, 0x0b), {0}, 2, 0, 0},
	/* br_table: 3 targets, default */
	{"br_table default", 1, {I32}, I32,
	 BODY(0, 0x02, 0x40, 0x02, 0x40, 0x20, 0, 0x0e, 1, 0, 1, 0x0b, 0x41, 10, 0x0f, 0x0b,
	      0x41, 20, 0x0b),
	 {5}, 20, 0, 0},
	{"br_table first", 1, {I32}, I32,
	 BODY(0, 0x02, 0x40, 0x02, 0x40, 0x20, 0, 0x0e, 1, 0, 1, 0x0b, 0x41, 10, 0x0f, 0x0b,
	      0x41, 20, 0x0b),
	 {0}, 10, 0, 0},
	{"i32.load out of bounds", 1, {I32}, I32, BODY(0, 0x20, 0, 0x28, 2, 0, 0x0b),
	 {65533}, 0, WLAB_TRAP_MEMORY_OOB, 1},
	{"store then load", 1, {I32}, I32,
	 BODY(0, 0x20, 0, 0x41, 42, 0x36, 2, 0, 0x20, 0, 0x28, 2, 0, 0x0b), {65532}, 42, 0, 1},
	{"memory.grow past max", 0, {0}, I32, BODY(0, 0x41, 5, 0x40, 0, 0x0b), {0}, 0xffffffffu,
	 0, 1},
	{"memory.grow", 0, {0}, I32, BODY(0, 0x41, 1, 0x40, 0, 0x0b), {0}, 1, 0, 1},
	{"i32.trunc_f32_s NaN", 1, {F32}, I32, BODY(0, 0x20, 0, 0xa8, 0x0b), {0x7fc00000u}, 0,
	 WLAB_TRAP_BAD_CONVERSION, 0},
	{"i32.trunc_f64_u -0.9", 1, {F64}, I32, BODY(0, 0x20, 0, 0xab, 0x0b),
	 {0xbfeccccccccccccdull}, 0, 0, 0},
	{"i32.trunc_f64_u -1", 1, {F64}, I32, BODY(0, 0x20, 0, 0xab, 0x0b),
	 {0xbff0000000000000ull}, 0, WLAB_TRAP_INT_OVERFLOW, 0},
	{"i32.trunc_sat_f32_s big", 1, {F32}, I32, BODY(0, 0x20, 0, 0xfc, 0, 0x0b),
	 {0x4f000000u}, 0x7fffffffu, 0, 0},
	{"f32.min -0 0", 2, {F32, F32}, F32, BODY(0, 0x20, 0, 0x20, 1, 0x96, 0x0b),
	 {0, 0x80000000u}, 0x80000000u, 0, 0},
	{"f64.nearest 2.5", 1, {F64}, F64, BODY(0, 0x20, 0, 0x9e, 0x0b),
	 {0x4004000000000000ull}, 0x4000000000000000ull, 0, 0},
	{"f32.neg keeps NaN payload", 1, {F32}, F32, BODY(0, 0x20, 0, 0x8c, 0x0b),
	 {0x7fa00001u}, 0xffa00001u, 0, 0},
	{"i64.extend32_s", 1, {I64}, I64, BODY(0, 0x20, 0, 0xc4, 0x0b), {0x80000000u},
	 0xffffffff80000000ull, 0, 0},
	{"self recursion exhausts", 0, {0}, 0, BODY(0, 0x10, 0, 0x0b), {0}, 0,
	 WLAB_TRAP_EXHAUSTED, 0},
};

static void build(struct tu_buf *b, const struct rcase *c)
{
	struct tu_buf s = {0};
	tu_header(b);
	TU_PUT(&s, 1, 0x60, c->np);  /* type section */
	tu_bytes(&s, c->params, c->np);
	if (c->result)
		TU_PUT(&s, 1, c->result);
	else
		TU_PUT(&s, 0);
	tu_section(b, 1, &s);
	tu_buf_reset(&s);
	TU_PUT(&s, 1, 0);
	tu_section(b, 3, &s);
	if (c->mem_pages) {
		tu_buf_reset(&s);
		TU_PUT(&s, 1, 1, c->mem_pages, 2);
		tu_section(b, 5, &s);
	}
	tu_buf_reset(&s);
	TU_PUT(&s, 1);
	tu_name(&s, "f");
	TU_PUT(&s, 0, 0);
	tu_section(b, 7, &s);
	tu_buf_reset(&s);
	TU_PUT(&s, 1);
	tu_u32(&s, (uint32_t)c->nbody);
	tu_bytes(&s, c->body, c->nbody);
	tu_section(b, 10, &s);
	tu_buf_free(&s);
}

static void test_case(void **state)
{
	const struct rcase *c = *state;
	struct tu_buf b = {0};
	struct wlab_module *m = NULL;
	struct wlab_error err = {0};
	struct wlab_instance *inst;
	struct wlab_extern f;
	enum wlab_trap trap;
	uint64_t out[1] = {0};
	build(&b, c);
	assert_int_equal(tu_decode(&b, NULL, &m, &err), WLAB_OK);
	struct wlab_store *s = wlab_store_new(&(struct wlab_store_options){.max_call_depth = 500});
	assert_non_null(s);
	assert_int_equal(wlab_instantiate(s, m, &inst, &err, &trap), WLAB_OK);
	assert_true(wlab_instance_export(inst, "f", 1, &f));
	enum wlab_status st = wlab_call(s, f.u.func, c->args, out, &trap);
	assert_int_equal(trap, c->trap);
	assert_int_equal(st, c->trap ? WLAB_TRAP : WLAB_OK);
	if (!c->trap && c->result)
		assert_int_equal(out[0], c->want);
	wlab_store_free(s);
	wlab_module_free(m);
	tu_buf_free(&b);
}

static enum wlab_trap host_double(void *ctx, const uint64_t *args, uint64_t *results)
{
	(*(int *)ctx)++;
	results[0] = (uint32_t)(args[0] * 2);
	return WLAB_TRAP_NONE;
}

/* (import "env" "double" (func (param i32) (result i32))) f = double(x) + 1 */
static void test_host_import(void **state)
{
	(void)state;
	struct tu_buf b = {0}, s = {0};
	struct wlab_module *m = NULL;
	struct wlab_error err = {0};
	struct wlab_instance *inst;
	struct wlab_extern f, h = {.kind = WLAB_EXTERN_FUNC};
	enum wlab_trap trap;
	int calls = 0;
	uint64_t arg = 20, out = 0;
	tu_header(&b);
	TU_PUT(&s, 1, 0x60, 1, I32, 1, I32);
	tu_section(&b, 1, &s);
	tu_buf_reset(&s);
	TU_PUT(&s, 1);
	tu_name(&s, "env");
	tu_name(&s, "double");
	TU_PUT(&s, 0, 0);
	tu_section(&b, 2, &s);
	tu_buf_reset(&s);
	TU_PUT(&s, 1, 0);
	tu_section(&b, 3, &s);
	tu_buf_reset(&s);
	TU_PUT(&s, 1);
	tu_name(&s, "f");
	TU_PUT(&s, 0, 1);
	tu_section(&b, 7, &s);
	tu_buf_reset(&s);
	TU_PUT(&s, 1, 9, 0, 0x20, 0, 0x10, 0, 0x41, 1, 0x6a, 0x0b);
	tu_section(&b, 10, &s);
	assert_int_equal(tu_decode(&b, NULL, &m, &err), WLAB_OK);
	struct wlab_store *st = wlab_store_new(NULL);
	/* unresolved first */
	assert_int_equal(wlab_instantiate(st, m, &inst, &err, &trap), WLAB_UNLINKABLE);
	assert_string_equal(err.message, "unknown import \"env\" \"double\"");
	static const uint8_t i32[] = {I32};
	h.u.func = wlab_host_func_new(st, i32, 1, i32, 1, host_double, &calls);
	assert_int_equal(wlab_store_define(st, "env", "double", h), WLAB_OK);
	memset(&err, 0, sizeof err);
	assert_int_equal(wlab_instantiate(st, m, &inst, &err, &trap), WLAB_OK);
	assert_true(wlab_instance_export(inst, "f", 1, &f));
	assert_int_equal(wlab_call(st, f.u.func, &arg, &out, &trap), WLAB_OK);
	assert_int_equal(out, 41);
	assert_int_equal(calls, 1);
	wlab_store_free(st);
	wlab_module_free(m);
	tu_buf_free(&s);
	tu_buf_free(&b);
}

struct reenter {
	struct wlab_store *store;
	struct rt_func *g;
};

static enum wlab_trap host_reenter(void *ctx, const uint64_t *args, uint64_t *results)
{
	struct reenter *r = ctx;
	enum wlab_trap trap;
	if (wlab_call(r->store, r->g, args, results, &trap))
		return trap;
	return WLAB_TRAP_NONE;
}

/* f(x) = env.cb(x) where the host's cb calls back g(x) = x + 100: a guest
 * call nested inside a host call inside a guest call. */
static void test_host_reenters(void **state)
{
	(void)state;
	struct tu_buf b = {0}, s = {0};
	struct wlab_module *m = NULL;
	struct wlab_error err = {0};
	struct wlab_instance *inst;
	struct wlab_extern f, g, h = {.kind = WLAB_EXTERN_FUNC};
	enum wlab_trap trap;
	uint64_t arg = 1, out = 0;
	tu_header(&b);
	TU_PUT(&s, 1, 0x60, 1, I32, 1, I32);
	tu_section(&b, 1, &s);
	tu_buf_reset(&s);
	TU_PUT(&s, 1);
	tu_name(&s, "env");
	tu_name(&s, "cb");
	TU_PUT(&s, 0, 0);
	tu_section(&b, 2, &s);
	tu_buf_reset(&s);
	TU_PUT(&s, 2, 0, 0);
	tu_section(&b, 3, &s);
	tu_buf_reset(&s);
	TU_PUT(&s, 2);
	tu_name(&s, "f");
	TU_PUT(&s, 0, 1);
	tu_name(&s, "g");
	TU_PUT(&s, 0, 2);
	tu_section(&b, 7, &s);
	tu_buf_reset(&s);
	TU_PUT(&s, 2, 6, 0, 0x20, 0, 0x10, 0, 0x0b,
	       8, 0, 0x20, 0, 0x41, 0xe4, 0x00, 0x6a, 0x0b);
	tu_section(&b, 10, &s);
	assert_int_equal(tu_decode(&b, NULL, &m, &err), WLAB_OK);
	struct reenter r = {wlab_store_new(NULL), NULL};
	static const uint8_t i32[] = {I32};
	h.u.func = wlab_host_func_new(r.store, i32, 1, i32, 1, host_reenter, &r);
	assert_int_equal(wlab_store_define(r.store, "env", "cb", h), WLAB_OK);
	assert_int_equal(wlab_instantiate(r.store, m, &inst, &err, &trap), WLAB_OK);
	assert_true(wlab_instance_export(inst, "f", 1, &f));
	assert_true(wlab_instance_export(inst, "g", 1, &g));
	r.g = g.u.func;
	assert_int_equal(wlab_call(r.store, f.u.func, &arg, &out, &trap), WLAB_OK);
	assert_int_equal(out, 101);
	wlab_store_free(r.store);
	wlab_module_free(m);
	tu_buf_free(&s);
	tu_buf_free(&b);
}

/* A memory whose minimum passes the store's cap is refused before allocation. */
static void test_memory_cap(void **state)
{
	(void)state;
	struct wlab_store_options o = {.max_memory = 2 * 65536};
	struct wlab_store *s = wlab_store_new(&o);
	assert_non_null(wlab_memory_new(s, 2, false, 0));
	assert_null(wlab_memory_new(s, 3, false, 0));
	wlab_store_free(s);
}

static void test_trap_messages(void **state)
{
	(void)state;
	assert_string_equal(wlab_trap_message(WLAB_TRAP_DIV_ZERO), "integer divide by zero");
	assert_string_equal(wlab_trap_message(WLAB_TRAP_EXHAUSTED), "call stack exhausted");
	assert_string_equal(wlab_trap_message(WLAB_TRAP_MEMORY_OOB),
			    "out of bounds memory access");
}

#define NCASES (sizeof cases / sizeof cases[0])

int main(void)
{
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test(test_host_import),
		cmocka_unit_test(test_host_reenters),
		cmocka_unit_test(test_memory_cap),
		cmocka_unit_test(test_trap_messages),
	};
	static struct CMUnitTest tests[NCASES + sizeof fixed / sizeof fixed[0]];
	size_t n = 0;
	for (size_t i = 0; i < NCASES; i++)
		tests[n++] = (struct CMUnitTest){cases[i].name, test_case, NULL, NULL,
						 (void *)&cases[i]};
	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
		tests[n++] = fixed[i];
	return _cmocka_run_group_tests("rt", tests, n, NULL, NULL);
}
