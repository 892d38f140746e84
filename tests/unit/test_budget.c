/* test_budget.c: what a run may take from its host. Fuel charges the
 * host's work beyond an instruction (bulk memory and table instructions
 * by length, calls by the locals they zero), one unit per 64 bytes;
 * wlab_store_interrupt() stops a guest at its next backward branch or call,
 * from a host function or another thread. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "util_inst.h"
#include "wlab/runtime.h"

/* Each export's cells do not depend on its argument n, so what a call
 * uses beyond the call with n = 0 is the charge for n. */
static char *ops_text(void)
{
	static char buf[16384];
	char data[4097], elems[64 * 3 + 1];
	memset(data, 'x', 4096);
	data[4096] = 0;
	for (int i = 0; i < 64; i++)
		memcpy(elems + 3 * i, " $f", 3);
	elems[64 * 3] = 0;
	snprintf(buf, sizeof buf,
		 "(module (memory 4) (memory $m64 i64 0)\n"
		 "  (table $t 1000 funcref) (table $u 1000 funcref)\n"
		 "  (func $f) (data $d \"%s\") (elem $e func%s)\n"
		 "  (func (export \"fill\") (param i32)\n"
		 "    (memory.fill (i32.const 0) (i32.const 0) (local.get 0)))\n"
		 "  (func (export \"copy\") (param i32)\n"
		 "    (memory.copy (i32.const 0) (i32.const 65536) (local.get 0)))\n"
		 "  (func (export \"init\") (param i32)\n"
		 "    (memory.init $d (i32.const 0) (i32.const 0) (local.get 0)))\n"
		 "  (func (export \"tfill\") (param i32)\n"
		 "    (table.fill $t (i32.const 0) (ref.null func) (local.get 0)))\n"
		 "  (func (export \"tcopy\") (param i32)\n"
		 "    (table.copy $t $u (i32.const 0) (i32.const 0) (local.get 0)))\n"
		 "  (func (export \"tinit\") (param i32)\n"
		 "    (table.init $t $e (i32.const 0) (i32.const 0) (local.get 0)))\n"
		 "  (func (export \"tgrow\") (param i32)\n"
		 "    (drop (table.grow $u (ref.null func) (local.get 0))))\n"
		 "  (func (export \"mgrow\") (param i32) (drop (memory.grow (local.get 0))))\n"
		 "  (func (export \"mgrow64\") (param i32)\n"
		 "    (drop (memory.grow $m64 (i64.extend_i32_u (local.get 0)))))\n"
		 ")\n",
		 data, elems);
	return buf;
}

/* Fuel f(n) uses in a fresh store. */
static uint64_t used(const char *wat, const char *f, uint64_t n)
{
	struct tu_inst x;
	uint64_t fuel = 1u << 30;
	tu_inst_open(&x, wat, &(struct wlab_store_options){.fuel = fuel});
	tu_inst_start(&x);
	assert_int_equal(tu_inst_call1(&x, f, n, NULL), WLAB_TRAP_NONE);
	uint64_t u = fuel - wlab_store_fuel(x.s);
	tu_inst_close(&x);
	return u;
}

static void test_bulk_charges(void **state)
{
	(void)state;
	const char *wat = ops_text();
	static const struct {
		const char *f;
		uint64_t n, extra;
	} rows[] = {
		{"fill", 63, 0}, {"fill", 64, 1}, {"fill", 65536, 1024}, {"fill", 262143, 4095},
		{"copy", 64, 1}, {"copy", 65536, 1024},
		{"init", 127, 1}, {"init", 4096, 64},
		{"tfill", 7, 0}, {"tfill", 8, 1}, {"tfill", 1000, 125},
		{"tcopy", 1000, 125}, {"tinit", 64, 8}, {"tgrow", 800, 100},
		{"mgrow", 1, 1024}, {"mgrow", 100, 102400}, {"mgrow64", 3, 3072},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		uint64_t base = used(wat, rows[i].f, 0), u = used(wat, rows[i].f, rows[i].n);
		if (u - base != rows[i].extra)
			fail_msg("%s(%llu): %llu units beyond the cells, want %llu", rows[i].f,
				 (unsigned long long)rows[i].n, (unsigned long long)(u - base),
				 (unsigned long long)rows[i].extra);
	}
}

/* A charge that does not fit traps before the work: nothing written, no
 * fuel left; an access out of bounds traps as before, charging nothing. */
static void test_charge_before_work(void **state)
{
	(void)state;
	struct tu_inst x;
	tu_inst_open(&x,
		     "(module (memory 1) (export \"mem\" (memory 0))\n"
		     "  (func (export \"fill\") (param i32)\n"
		     "    (memory.fill (i32.const 0) (i32.const 7) (local.get 0))))\n",
		     &(struct wlab_store_options){.fuel = 100});
	tu_inst_start(&x);
	assert_int_equal(tu_inst_call1(&x, "fill", 65536, NULL), WLAB_TRAP_FUEL);
	assert_int_equal(wlab_store_fuel(x.s), 0);
	struct wlab_extern e;
	uint64_t size;
	assert_true(wlab_instance_export(x.i, "mem", 3, &e));
	uint8_t *p = wlab_memory_data(e.u.memory, &size);
	assert_int_equal(p[0], 0);
	wlab_store_set_fuel(x.s, 100);
	assert_int_equal(tu_inst_call1(&x, "fill", 65537, NULL), WLAB_TRAP_MEMORY_OOB);
	wlab_store_set_fuel(x.s, 2000);
	assert_int_equal(tu_inst_call1(&x, "fill", 65536, NULL), WLAB_TRAP_NONE);
	assert_int_equal(p[65535], 7);
	tu_inst_close(&x);
}

/* memory.grow, of a 32-bit memory 0 (the loop) and of a memory64 (rt_bulk.c),
 * is charged by the pages it adds before it adds them: short of fuel, the
 * memory keeps its size; a grow refused (past the maximum) returns -1 and
 * costs no more than its cell. */
static void test_grow_before_work(void **state)
{
	(void)state;
	struct tu_inst x;
	tu_inst_open(&x,
		     "(module (memory 1 3) (memory $m64 i64 1 3)\n"
		     "  (export \"mem\" (memory 0)) (export \"m64\" (memory $m64))\n"
		     "  (func (export \"grow\") (param i32) (result i32) (memory.grow (local.get 0)))\n"
		     "  (func (export \"grow64\") (param i32) (result i32)\n"
		     "    (i32.wrap_i64 (memory.grow $m64 (i64.extend_i32_u (local.get 0))))))\n",
		     &(struct wlab_store_options){.fuel = 1000});
	tu_inst_start(&x);
	static const char *const fns[] = {"grow", "grow64"}, *const mems[] = {"mem", "m64"};
	for (int i = 0; i < 2; i++) {
		struct wlab_extern e;
		uint64_t size, out;
		assert_true(wlab_instance_export(x.i, mems[i], strlen(mems[i]), &e));
		wlab_store_set_fuel(x.s, 1000);
		assert_int_equal(tu_inst_call1(&x, fns[i], 2, NULL), WLAB_TRAP_FUEL);
		assert_int_equal(wlab_store_fuel(x.s), 0);
		wlab_memory_data(e.u.memory, &size);
		assert_int_equal(size, 65536);
		wlab_store_set_fuel(x.s, 10);  /* past the maximum: -1, nothing charged */
		assert_int_equal(tu_inst_call1(&x, fns[i], 3, &out), WLAB_TRAP_NONE);
		assert_int_equal((uint32_t)out, UINT32_MAX);
		wlab_store_set_fuel(x.s, 2100);
		assert_int_equal(tu_inst_call1(&x, fns[i], 2, &out), WLAB_TRAP_NONE);
		assert_int_equal(out, 1);
		wlab_memory_data(e.u.memory, &size);
		assert_int_equal(size, 3 * 65536);
	}
	tu_inst_close(&x);
}

/* A call costs the locals it zeroes beyond its params, 8 slots a unit (a
 * v128 is 2); a tail call its params and locals. */
static void test_call_charges(void **state)
{
	(void)state;
	char wat[4096];
	snprintf(wat, sizeof wat,
		 "(module\n"
		 "  (func $l0 (param i64))\n"
		 "  (func $l7 (param i64) (local i64 i64 i64 i64 i64 i64 i64))\n"
		 "  (func $l16 (param i64) (local i64 i64 i64 i64 i64 i64 i64 i64\n"
		 "                                i64 i64 i64 i64 i64 i64 i64 i64))\n"
		 "  (func $v8 (param i64) (local v128 v128 v128 v128 v128 v128 v128 v128))\n"
		 "  (func (export \"c0\") (param i32) (call $l0 (i64.const 0)))\n"
		 "  (func (export \"c7\") (param i32) (call $l7 (i64.const 0)))\n"
		 "  (func (export \"c16\") (param i32) (call $l16 (i64.const 0)))\n"
		 "  (func (export \"v8\") (param i32) (call $v8 (i64.const 0)))\n"
		 "  (func (export \"t0\") (param i32) (return_call $l0 (i64.const 0)))\n"
		 "  (func (export \"t16\") (param i32) (return_call $l16 (i64.const 0)))\n"
		 ")\n");
	uint64_t c0 = used(wat, "c0", 0);
	assert_int_equal(used(wat, "c7", 0), c0);
	assert_int_equal(used(wat, "c16", 0), c0 + 2);
	assert_int_equal(used(wat, "v8", 0), c0 + 2);
	/* 1 param + 16 locals: 17 slots, 2 units */
	assert_int_equal(used(wat, "t16", 0), used(wat, "t0", 0) + 2);
}

static enum wlab_trap host_interrupt(void *ctx, const uint64_t *args, uint64_t *results)
{
	(void)args;
	(void)results;
	wlab_store_interrupt(ctx);
	return WLAB_TRAP_NONE;
}

static const char spin_text[] =
	"(module (import \"env\" \"stop\" (func $stop))\n"
	"  (func (export \"spin\") (loop (br 0)))\n"
	"  (func (export \"stop_then_spin\") (call $stop) (loop (br 0)))\n"
	"  (func $r (export \"recurse\") (return_call $r))\n"
	"  (func (export \"straight\") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1))))\n";

static void open_spin(struct tu_inst *x)
{
	tu_inst_open(x, spin_text, NULL);
	struct wlab_extern h = {.kind = WLAB_EXTERN_FUNC};
	h.u.func = wlab_host_func_new(x->s, NULL, 0, NULL, 0, host_interrupt, x->s);
	assert_non_null(h.u.func);
	assert_int_equal(wlab_store_define(x->s, "env", "stop", h), WLAB_OK);
	tu_inst_start(x);
}

/* An interrupt asked from a host function stops the loop after it; the
 * request is then cleared and the store stays usable. One asked between
 * calls waits for the next branch or call: straight-line code runs on. */
static void test_interrupt(void **state)
{
	(void)state;
	struct tu_inst x;
	uint64_t out = 0;
	open_spin(&x);
	assert_int_equal(tu_inst_call1(&x, "stop_then_spin", 0, NULL), WLAB_TRAP_INTERRUPTED);
	assert_string_equal(wlab_trap_message(WLAB_TRAP_INTERRUPTED), "interrupted");
	struct wlab_frame_info fr[4];
	assert_true(wlab_store_backtrace(x.s, fr, 4) >= 1);
	assert_non_null(fr[0].inst);
	assert_int_equal(tu_inst_call1(&x, "straight", 41, &out), WLAB_TRAP_NONE);
	assert_int_equal(out, 42);
	wlab_store_interrupt(x.s);
	assert_int_equal(tu_inst_call1(&x, "straight", 1, &out), WLAB_TRAP_NONE);
	assert_int_equal(tu_inst_call1(&x, "recurse", 0, NULL), WLAB_TRAP_INTERRUPTED);
	assert_int_equal(tu_inst_call1(&x, "straight", 2, &out), WLAB_TRAP_NONE);
	assert_int_equal(out, 3);
	tu_inst_close(&x);
}

struct waker {
	struct wlab_store *s;
};

static void *wake_later(void *arg)
{
	struct waker *w = arg;
	nanosleep(&(struct timespec){.tv_nsec = 50 * 1000 * 1000}, NULL);
	wlab_store_interrupt(w->s);
	return NULL;
}

/* From another thread: an endless loop, and endless tail recursion
 * (no branch, only calls), each stop. */
static void test_interrupt_thread(void **state)
{
	(void)state;
	static const char *const fns[] = {"spin", "recurse"};
	for (size_t i = 0; i < 2; i++) {
		struct tu_inst x;
		pthread_t t;
		open_spin(&x);
		struct waker w = {x.s};
		assert_int_equal(pthread_create(&t, NULL, wake_later, &w), 0);
		assert_int_equal(tu_inst_call1(&x, fns[i], 0, NULL), WLAB_TRAP_INTERRUPTED);
		pthread_join(t, NULL);
		tu_inst_close(&x);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bulk_charges),
		cmocka_unit_test(test_charge_before_work),
		cmocka_unit_test(test_grow_before_work),
		cmocka_unit_test(test_call_charges),
		cmocka_unit_test(test_interrupt),
		cmocka_unit_test(test_interrupt_thread),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
