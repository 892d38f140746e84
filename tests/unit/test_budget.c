/* test_budget.c: what a run may take from its host. Fuel charges the
 * host's work beyond an instruction (bulk memory and table instructions
 * by length, calls by the locals they zero), one unit per 64 bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
		 "(module (memory 4) (table $t 1000 funcref) (table $u 1000 funcref)\n"
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bulk_charges),
		cmocka_unit_test(test_charge_before_work),
		cmocka_unit_test(test_call_charges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
