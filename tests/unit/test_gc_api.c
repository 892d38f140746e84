/* test_gc_api.c: structs and arrays from the host (wlab_struct_new,
 * wlab_array_new, _fixed, get, set, len): made by the host and read by the
 * guest, made by the guest and read and written by the host, packed fields
 * by sign, a reference field holding another host-made object (a subtype
 * accepted), every argument check with its message and nothing changed,
 * the heap cap, and collections between calls (opts.gc_stress) that keep
 * held objects, the values being stored and the guest's frames (an
 * allocation from a host function), and drop the others. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "wlab/features.h"
#include "wlab/runtime.h"
#include "wlab/wat.h"

static const char text[] =
	"(module\n"
	"  (import \"host\" \"mk\" (func $mk (param i32) (result anyref)))\n"
	"  (type $p (struct (field (mut i32)) (field f64) (field (mut i8)) (field (mut i16))\n"
	"                   (field (mut (ref null $p)))))\n"
	"  (type $a (array (mut i32)))\n"
	"  (type $b (array (mut i8)))\n"
	"  (type $q (sub (struct (field i32))))\n"
	"  (type $q2 (sub $q (struct (field i32) (field i64))))\n"
	"  (type $h (struct (field (ref $q))))\n"
	"  (type $f (struct (field (mut funcref))))\n"
	"  (type $v (array (mut v128)))\n"
	"  (func $p0 (export \"p0\") (param (ref $p)) (result i32) (struct.get $p 0 (local.get 0)))\n"
	"  (func (export \"p1\") (param (ref $p)) (result f64) (struct.get $p 1 (local.get 0)))\n"
	"  (func (export \"p2s\") (param (ref $p)) (result i32) (struct.get_s $p 2 (local.get 0)))\n"
	"  (func (export \"p3u\") (param (ref $p)) (result i32) (struct.get_u $p 3 (local.get 0)))\n"
	"  (func (export \"next0\") (param (ref $p)) (result i32)\n"
	"    (struct.get $p 0 (ref.as_non_null (struct.get $p 4 (local.get 0)))))\n"
	"  (func (export \"sum\") (param (ref $a)) (result i32) (local $i i32) (local $s i32)\n"
	"    (block $d (loop $l\n"
	"      (br_if $d (i32.ge_u (local.get $i) (array.len (local.get 0))))\n"
	"      (local.set $s (i32.add (local.get $s) (array.get $a (local.get 0) (local.get $i))))\n"
	"      (local.set $i (i32.add (local.get $i) (i32.const 1)))\n"
	"      (br $l)))\n"
	"    (local.get $s))\n"
	"  (func (export \"len\") (param arrayref) (result i32) (array.len (local.get 0)))\n"
	"  (func (export \"mk\") (result (ref $p))\n"
	"    (struct.new $p (i32.const 7) (f64.const 2.5) (i32.const -1) (i32.const 300)\n"
	"                   (ref.null $p)))\n"
	"  (func (export \"mka\") (result (ref $a))\n"
	"    (array.new_fixed $a 3 (i32.const 1) (i32.const 2) (i32.const 3)))\n"
	"  (func (export \"h0\") (param (ref $h)) (result i32)\n"
	"    (struct.get $q 0 (struct.get $h 0 (local.get 0))))\n"
	"  (func (export \"lane\") (param (ref $v) i32) (result i32)\n"
	"    (i32x4.extract_lane 3 (array.get $v (local.get 0) (local.get 1))))\n"
	"  (func (export \"viahost\") (param i32) (result i32) (local $keep (ref $p))\n"
	"    (local.set $keep (struct.new $p (i32.const 5) (f64.const 0) (i32.const 0)\n"
	"                                    (i32.const 0) (ref.null $p)))\n"
	"    (i32.add (struct.get $p 0 (ref.cast (ref $p) (call $mk (local.get 0))))\n"
	"             (struct.get $p 0 (local.get $keep))))\n"
	"  (elem declare func $p0))\n";

/* Type indices of text. */
enum { P, A, B, Q, Q2, H, F, V };

struct gc {
	uint8_t *bin;
	struct wlab_module *m;
	struct wlab_store *s;
	struct wlab_instance *i;
	uint32_t id[8];  /* store type ids of the types above */
};

/* host.mk: a $p of field 0 args[0], made from a host function while the
 * guest runs (its frames are roots of the collection this may run). */
static enum wlab_trap host_mk(void *ctx, const uint64_t *args, uint64_t *results)
{
	struct gc *g = ctx;
	uint64_t fields[5] = {args[0], 0, 0, 0, 0};
	if (wlab_struct_new(g->s, g->id[0], fields, &results[0], NULL) == WLAB_NOMEM)
		return WLAB_TRAP_NOMEM;
	return WLAB_TRAP_NONE;
}

static void gc_open(struct gc *g, bool stress, uint64_t max_heap)
{
	struct wlab_error err = {0};
	size_t size = 0;
	uint32_t features = wlab_features_default() | wlab_feature_by_name("gc");
	memset(g, 0, sizeof *g);
	assert_int_equal(wlab_wat_to_binary_features(text, strlen(text), features, &g->bin, &size,
						     &err), WLAB_OK);
	struct wlab_decode_options d = {.features = features};
	assert_int_equal(wlab_module_decode(g->bin, size, &d, &g->m, &err), WLAB_OK);
	struct wlab_store_options o = {.features = features, .gc_stress = stress,
				       .max_heap = max_heap};
	g->s = wlab_store_new(&o);
	assert_non_null(g->s);
	const wlab_valtype_t i32[] = {WLAB_I32}, any[] = {wlab_ref_type(true, WLAB_HT_ANY)};
	struct wlab_extern mk = {.kind = WLAB_EXTERN_FUNC};
	mk.u.func = wlab_host_func_new(g->s, i32, 1, any, 1, host_mk, g);
	assert_non_null(mk.u.func);
	assert_int_equal(wlab_store_define(g->s, "host", "mk", mk), WLAB_OK);
	enum wlab_trap trap = WLAB_TRAP_NONE;
	assert_int_equal(wlab_instantiate(g->s, g->m, &g->i, &err, &trap), WLAB_OK);
	for (uint32_t k = 0; k < 8; k++)
		assert_true(wlab_instance_type_id(g->i, k, &g->id[k]));
}

static void gc_close(struct gc *g)
{
	wlab_store_free(g->s);
	wlab_module_free(g->m);
	free(g->bin);
}

/* Calls export name with up to two args; its one result. */
static uint64_t call(struct gc *g, const char *name, uint64_t a0, uint64_t a1)
{
	struct wlab_extern x;
	enum wlab_trap trap = WLAB_TRAP_NONE;
	uint64_t args[2] = {a0, a1}, r[1] = {0};
	assert_true(wlab_instance_export(g->i, name, strlen(name), &x));
	assert_int_equal(wlab_call(g->s, x.u.func, args, r, &trap), WLAB_OK);
	return r[0];
}

static uint64_t f64_bits(double d)
{
	uint64_t u;
	memcpy(&u, &d, 8);
	return u;
}

/* A $p of the host's: fields as given (i8 -1, i16 0x12345 truncated). */
static uint64_t new_p(struct gc *g, uint32_t x, uint64_t next)
{
	uint64_t fields[5] = {x, f64_bits(2.5), 0xff, 0x12345, next}, ref = 0;
	struct wlab_error err = {0};
	assert_int_equal(wlab_struct_new(g->s, g->id[P], fields, &ref, &err), WLAB_OK);
	assert_true(ref != 0);
	return ref;
}

/* Host-made objects read by the guest and by the host. */
static void test_host_made(void **state)
{
	(void)state;
	struct gc g;
	gc_open(&g, false, 0);
	uint64_t p = new_p(&g, 7, 0), v[2];
	assert_int_equal((uint32_t)call(&g, "p0", p, 0), 7);
	assert_int_equal(call(&g, "p1", p, 0), f64_bits(2.5));
	assert_int_equal((uint32_t)call(&g, "p2s", p, 0), 0xffffffffu);
	assert_int_equal((uint32_t)call(&g, "p3u", p, 0), 0x2345);
	assert_int_equal(wlab_struct_get(g.s, p, 2, true, v, NULL), WLAB_OK);
	assert_int_equal(v[0], 0xffffffffu);
	assert_int_equal(wlab_struct_get(g.s, p, 2, false, v, NULL), WLAB_OK);
	assert_int_equal(v[0], 0xff);
	assert_int_equal(wlab_struct_get(g.s, p, 3, true, v, NULL), WLAB_OK);
	assert_int_equal(v[0], 0x2345);
	assert_int_equal(wlab_struct_get(g.s, p, 4, false, v, NULL), WLAB_OK);
	assert_int_equal(v[0], 0);

	uint64_t a = 0, five = 5, four[4] = {1, 2, 3, 40};
	uint32_t len = 0;
	assert_int_equal(wlab_array_new(g.s, g.id[A], 4, &five, &a, NULL), WLAB_OK);
	assert_int_equal((uint32_t)call(&g, "sum", a, 0), 20);
	assert_int_equal((uint32_t)call(&g, "len", a, 0), 4);
	assert_int_equal(wlab_array_new_fixed(g.s, g.id[A], four, 4, &a, NULL), WLAB_OK);
	assert_int_equal((uint32_t)call(&g, "sum", a, 0), 46);
	assert_int_equal(wlab_array_len(g.s, a, &len, NULL), WLAB_OK);
	assert_int_equal(len, 4);
	assert_int_equal(wlab_array_new(g.s, g.id[A], 3, NULL, &a, NULL), WLAB_OK);
	assert_int_equal((uint32_t)call(&g, "sum", a, 0), 0);
	assert_int_equal(wlab_array_new_fixed(g.s, g.id[A], NULL, 0, &a, NULL), WLAB_OK);
	assert_int_equal((uint32_t)call(&g, "len", a, 0), 0);

	/* i8 elements: set truncates, get extends as asked */
	uint64_t bytes[3] = {'h', 'i', 0x1ff};
	assert_int_equal(wlab_array_new_fixed(g.s, g.id[B], bytes, 3, &a, NULL), WLAB_OK);
	assert_int_equal(wlab_array_get(g.s, a, 2, false, v, NULL), WLAB_OK);
	assert_int_equal(v[0], 0xff);
	assert_int_equal(wlab_array_get(g.s, a, 2, true, v, NULL), WLAB_OK);
	assert_int_equal(v[0], 0xffffffffu);
	assert_int_equal(wlab_array_get(g.s, a, 1, true, v, NULL), WLAB_OK);
	assert_int_equal(v[0], 'i');

	/* v128 elements take two words */
	uint64_t lanes[2] = {0x1111111122222222u, 0x4444444433333333u};
	assert_int_equal(wlab_array_new(g.s, g.id[V], 2, lanes, &a, NULL), WLAB_OK);
	assert_int_equal((uint32_t)call(&g, "lane", a, 1), 0x44444444u);
	v[0] = v[1] = 0;
	assert_int_equal(wlab_array_get(g.s, a, 1, false, v, NULL), WLAB_OK);
	assert_int_equal(v[0], lanes[0]);
	assert_int_equal(v[1], lanes[1]);
	gc_close(&g);
}

/* Guest-made objects read and written by the host, then read by the guest. */
static void test_guest_made(void **state)
{
	(void)state;
	struct gc g;
	gc_open(&g, false, 0);
	uint64_t p = call(&g, "mk", 0, 0), v[2], x;
	uint32_t id = 0, len = 0;
	bool is_array = true;
	assert_true(wlab_ref_object(g.s, p, &id, &len, &is_array));
	assert_int_equal(id, g.id[P]);
	assert_false(is_array);
	assert_int_equal(wlab_struct_get(g.s, p, 0, false, v, NULL), WLAB_OK);
	assert_int_equal(v[0], 7);
	assert_int_equal(wlab_struct_get(g.s, p, 1, false, v, NULL), WLAB_OK);
	assert_int_equal(v[0], f64_bits(2.5));
	assert_int_equal(wlab_struct_get(g.s, p, 3, false, v, NULL), WLAB_OK);
	assert_int_equal(v[0], 300);
	x = 9;
	assert_int_equal(wlab_struct_set(g.s, p, 0, &x, NULL), WLAB_OK);
	assert_int_equal((uint32_t)call(&g, "p0", p, 0), 9);
	x = 0x180;
	assert_int_equal(wlab_struct_set(g.s, p, 2, &x, NULL), WLAB_OK);
	assert_int_equal((uint32_t)call(&g, "p2s", p, 0), 0xffffff80u);

	uint64_t a = call(&g, "mka", 0, 0);
	assert_int_equal(wlab_array_len(g.s, a, &len, NULL), WLAB_OK);
	assert_int_equal(len, 3);
	for (uint32_t i = 0; i < 3; i++) {
		assert_int_equal(wlab_array_get(g.s, a, i, false, v, NULL), WLAB_OK);
		assert_int_equal(v[0], i + 1);
	}
	x = 100;
	assert_int_equal(wlab_array_set(g.s, a, 1, &x, NULL), WLAB_OK);
	assert_int_equal((uint32_t)call(&g, "sum", a, 0), 104);
	gc_close(&g);
}

/* A reference field holding host-made objects: of the field's type, and of
 * a declared subtype; a funcref field holding a function of the store. */
static void test_ref_fields(void **state)
{
	(void)state;
	struct gc g;
	gc_open(&g, false, 0);
	uint64_t inner = new_p(&g, 11, 0), outer = new_p(&g, 1, inner), v[1];
	assert_int_equal((uint32_t)call(&g, "next0", outer, 0), 11);
	assert_int_equal(wlab_struct_get(g.s, outer, 4, false, v, NULL), WLAB_OK);
	assert_int_equal(v[0], inner);

	uint64_t q2f[2] = {77, 5}, q2 = 0, h = 0;
	assert_int_equal(wlab_struct_new(g.s, g.id[Q2], q2f, &q2, NULL), WLAB_OK);
	assert_int_equal(wlab_struct_new(g.s, g.id[H], &q2, &h, NULL), WLAB_OK);
	assert_int_equal((uint32_t)call(&g, "h0", h, 0), 77);

	struct wlab_extern fx;
	uint64_t fs = 0, fw;
	assert_true(wlab_instance_export(g.i, "p0", 2, &fx));
	fw = (uintptr_t)fx.u.func;
	assert_int_equal(wlab_struct_new(g.s, g.id[F], &fw, &fs, NULL), WLAB_OK);
	assert_int_equal(wlab_struct_get(g.s, fs, 0, false, v, NULL), WLAB_OK);
	assert_int_equal(v[0], fw);
	gc_close(&g);
}

/* Calls that fail: status, message, and the object unchanged. */
static void expect(enum wlab_status st, const struct wlab_error *err, enum wlab_status want,
		   const char *words)
{
	assert_int_equal(st, want);
	assert_int_equal(err->status, want);
	if (!strstr(err->message, words))
		fail_msg("message '%s' lacks '%s'", err->message, words);
}

static void test_errors(void **state)
{
	(void)state;
	struct gc g;
	gc_open(&g, false, 0);
	struct wlab_error e;
	uint64_t p = new_p(&g, 7, 0), a = call(&g, "mka", 0, 0), out = 0, v[2] = {0, 0}, x;
	uint32_t len;
	const uint64_t bad_id = 1000000;

#define E(call, want, words) (memset(&e, 0, sizeof e), expect((call), &e, (want), (words)))
	E(wlab_struct_new(g.s, (uint32_t)bad_id, NULL, &out, &e), WLAB_INVALID, "out of range");
	E(wlab_struct_new(g.s, g.id[A], NULL, &out, &e), WLAB_INVALID, "not a struct type");
	E(wlab_array_new(g.s, g.id[P], 1, NULL, &out, &e), WLAB_INVALID, "not an array type");
	E(wlab_array_new_fixed(g.s, g.id[A], NULL, 2, &out, &e), WLAB_INVALID, "no values");
	E(wlab_struct_new(g.s, g.id[H], NULL, &out, &e), WLAB_INVALID, "field 0: null for (ref");
	assert_int_equal(out, 0);

	/* values of the wrong type */
	uint64_t fields[5] = {(uint64_t)1 << 32, 0, 0, 0, 0};
	E(wlab_struct_new(g.s, g.id[P], fields, &out, &e), WLAB_INVALID, "field 0: 0x100000000");
	fields[0] = 1;
	fields[4] = a;  /* an array where a $p goes */
	E(wlab_struct_new(g.s, g.id[P], fields, &out, &e), WLAB_INVALID, "field 4:");
	fields[4] = 0xfffe000000000005u;  /* an i31 */
	E(wlab_struct_new(g.s, g.id[P], fields, &out, &e), WLAB_INVALID, "field 4:");
	E(wlab_struct_new(g.s, g.id[H], &p, &out, &e), WLAB_INVALID, "is not a (ref");
	x = 0x1000;  /* no function of the store */
	E(wlab_struct_new(g.s, g.id[F], &x, &out, &e), WLAB_INVALID, "is not a funcref");
	x = (uint64_t)1 << 33;
	E(wlab_array_new(g.s, g.id[A], 2, &x, &out, &e), WLAB_INVALID, "element 0:");
	uint64_t three[3] = {1, 2, (uint64_t)1 << 40};
	E(wlab_array_new_fixed(g.s, g.id[A], three, 3, &out, &e), WLAB_INVALID, "element 2:");
	assert_int_equal(out, 0);

	/* references that are no struct (array) */
	E(wlab_struct_get(g.s, 0, 0, false, v, &e), WLAB_INVALID, "null struct reference");
	E(wlab_array_get(g.s, 0, 0, false, v, &e), WLAB_INVALID, "null array reference");
	E(wlab_struct_get(g.s, a, 0, false, v, &e), WLAB_INVALID, "is not a struct");
	E(wlab_array_get(g.s, p, 0, false, v, &e), WLAB_INVALID, "is not an array");
	E(wlab_array_len(g.s, p, &len, &e), WLAB_INVALID, "is not an array");
	E(wlab_struct_get(g.s, 0xfffe000000000005u, 0, false, v, &e), WLAB_INVALID, "not a struct");
	E(wlab_struct_get(g.s, 0x1000, 0, false, v, &e), WLAB_INVALID, "not a struct");

	/* indices, mutability, stored types */
	E(wlab_struct_get(g.s, p, 5, false, v, &e), WLAB_INVALID, "field 5 out of range");
	E(wlab_array_get(g.s, a, 3, false, v, &e), WLAB_INVALID, "element 3 out of range");
	x = 1;
	E(wlab_array_set(g.s, a, UINT32_MAX, &x, &e), WLAB_INVALID, "out of range");
	E(wlab_struct_set(g.s, p, 1, &x, &e), WLAB_INVALID, "field 1 is immutable");
	x = (uint64_t)1 << 32;
	E(wlab_struct_set(g.s, p, 0, &x, &e), WLAB_INVALID, "not a 32-bit word");
	E(wlab_array_set(g.s, a, 0, &x, &e), WLAB_INVALID, "not a 32-bit word");
	E(wlab_struct_set(g.s, p, 4, &a, &e), WLAB_INVALID, "field 4:");
	uint64_t b = 0, by = 1;
	assert_int_equal(wlab_array_new(g.s, g.id[B], 1, &by, &b, NULL), WLAB_OK);
	x = 1;
	/* $b's elements are mutable, $q's field is not */
	uint64_t q = 0;
	assert_int_equal(wlab_struct_new(g.s, g.id[Q], &x, &q, NULL), WLAB_OK);
	E(wlab_struct_set(g.s, q, 0, &x, &e), WLAB_INVALID, "immutable");
#undef E
	/* nothing changed */
	assert_int_equal((uint32_t)call(&g, "p0", p, 0), 7);
	assert_int_equal((uint32_t)call(&g, "sum", a, 0), 6);
	assert_int_equal(wlab_struct_get(g.s, p, 4, false, v, NULL), WLAB_OK);
	assert_int_equal(v[0], 0);
	/* err may be NULL */
	assert_int_equal(wlab_struct_get(g.s, p, 9, false, v, NULL), WLAB_INVALID);
	gc_close(&g);
}

/* The heap cap: an array past it is "out of memory", no crash; the store
 * stays usable. */
static void test_nomem(void **state)
{
	(void)state;
	struct gc g;
	gc_open(&g, false, 200000);
	struct wlab_error e = {0};
	uint64_t out = 0;
	assert_int_equal(wlab_array_new(g.s, g.id[A], 1000000, NULL, &out, &e), WLAB_NOMEM);
	assert_string_equal(e.message, "out of memory");
	assert_int_equal(wlab_array_new(g.s, g.id[A], UINT32_MAX, NULL, &out, NULL), WLAB_NOMEM);
	assert_int_equal(out, 0);
	assert_int_equal(wlab_array_new(g.s, g.id[A], 1000, NULL, &out, NULL), WLAB_OK);
	assert_int_equal((uint32_t)call(&g, "len", out, 0), 1000);
	gc_close(&g);
}

/* With a collection at every allocation: a held object survives, an
 * unheld one is gone; the value a new struct stores survives the
 * collection its allocation runs, reachable from it; released, both go
 * (an object's place may be reused, so "gone" is checked where no new
 * object fits). */
static void test_collect(void **state)
{
	(void)state;
	struct gc g;
	gc_open(&g, true, 0);
	uint32_t id, len;
	bool is_array;
	uint64_t kept = new_p(&g, 1, 0);
	assert_true(wlab_ref_hold(g.s, kept));
	uint64_t lost = new_p(&g, 2, 0), big = 0;
	assert_true(wlab_ref_hold(g.s, lost));
	uint64_t wall = new_p(&g, 5, 0);  /* so that lost's place stays too small */
	assert_true(wlab_ref_hold(g.s, wall));
	wlab_ref_release(g.s, lost);
	assert_true(wlab_ref_object(g.s, lost, &id, &len, &is_array));
	/* collects: lost is gone */
	assert_int_equal(wlab_array_new(g.s, g.id[A], 100, NULL, &big, NULL), WLAB_OK);
	assert_true(big != lost);
	assert_false(wlab_ref_object(g.s, lost, &id, &len, &is_array));
	uint64_t inner = new_p(&g, 3, 0);
	assert_true(wlab_ref_object(g.s, kept, &id, &len, &is_array));
	assert_int_equal((uint32_t)call(&g, "p0", kept, 0), 1);
	uint64_t outer = new_p(&g, 4, inner);  /* collects: inner is pinned */
	assert_true(wlab_ref_hold(g.s, outer));
	uint64_t a = 0, seven = 7;
	assert_int_equal(wlab_array_new(g.s, g.id[A], 3, &seven, &a, NULL), WLAB_OK);
	assert_true(wlab_ref_object(g.s, inner, &id, &len, &is_array));
	assert_int_equal((uint32_t)call(&g, "next0", outer, 0), 3);
	assert_int_equal((uint32_t)call(&g, "p0", kept, 0), 1);
	uint64_t v[1];
	assert_int_equal(wlab_struct_get(g.s, kept, 1, false, v, NULL), WLAB_OK);
	assert_int_equal(v[0], f64_bits(2.5));
	/* from a host function: the guest's own object on its stack survives */
	assert_int_equal((uint32_t)call(&g, "viahost", 6, 0), 11);
	wlab_ref_release(g.s, outer);
	wlab_store_gc(g.s);
	assert_false(wlab_ref_object(g.s, outer, &id, &len, &is_array));
	assert_false(wlab_ref_object(g.s, inner, &id, &len, &is_array));
	assert_true(wlab_ref_object(g.s, kept, &id, &len, &is_array));
	uint64_t n, objects, heap;
	wlab_store_gc_stats(g.s, &n, &objects, &heap);
	assert_true(n >= 5);
	gc_close(&g);
}

/* wlab_store_type: the definitions behind the ids, fields in store form. */
static void test_store_type(void **state)
{
	(void)state;
	struct gc g;
	gc_open(&g, false, 0);
	const struct wlab_functype *t = wlab_store_type(g.s, g.id[P]);
	assert_non_null(t);
	assert_int_equal(t->form, WLAB_FORM_STRUCT);
	assert_int_equal(t->nfields, 5);
	assert_int_equal(t->fields[2].type, WLAB_PACKED_I8);
	assert_true(t->fields[0].mut);
	assert_false(t->fields[1].mut);
	assert_int_equal(wlab_heap_index(wlab_ref_heap(t->fields[4].type)), g.id[P]);
	t = wlab_store_type(g.s, g.id[B]);
	assert_int_equal(t->form, WLAB_FORM_ARRAY);
	assert_int_equal(t->fields[0].type, WLAB_PACKED_I8);
	assert_null(wlab_store_type(g.s, 1000000));
	gc_close(&g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_host_made),
		cmocka_unit_test(test_guest_made),
		cmocka_unit_test(test_ref_fields),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_nomem),
		cmocka_unit_test(test_collect),
		cmocka_unit_test(test_store_type),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
