/* fuzzexec.c: wlab-run --fuzzing-support: runs a module of binaryen's
 * `wasm-opt -ttf` the way `wasm-opt --fuzz-exec-before` does, so the two
 * can be compared line by line (tests/differential/, docs/fuzzing.md).
 *
 * The module's imports from "fuzzing-support" are built in:
 *   log-i32, log-f32, log-f64, log-v128: print
 *     "[LoggingExternalInterface logging VALUE]"
 *   log-i64: prints its low and high halves as two signed i32s, as binaryen
 *   sleep(ms, id): returns id at once
 *   log-anyref, log-funcref, log-externref: print the reference as JS
 *     would: null, function, object(null) (a GC object), externref(N) (an
 *     imported global's value below), jserror, or an i31's number
 *   call-export(i[, flags]), call-export-catch(i) -> i32: call export number i with
 *     zero arguments; an index that is not a function export, or one JS
 *     could not call (an i64, v128, exnref or non-nullable param, a v128
 *     or exnref result) throws a JS exception (the catching form returns
 *     1, as it does for any exception), a trap passes through both
 *   call-ref(ref, flags), call-ref-catch(ref): the same for a funcref
 *   throw(i): throws a JS exception when i is 0, else the tag wasmtag
 *     (param i32) with payload i
 *   table-get(i), table-set(i, ref): the export "table" (funcref, externref
 *     or anyref elements), a JS exception when out of bounds or missing
 *   the tags wasmtag (param i32) and jstag (param externref): a JS
 *     exception is jstag's, with an externref that prints as jserror
 * An immutable externref global imported from any module is an object of
 * payload N (the import's module and field characters summed mod 251), as
 * binaryen's interpreter and its fuzz_shell.js make it. JS exceptions are
 * thrown by a small wasm module instantiated beside the guest (the API has
 * no host-side throw), so the guest can catch them.
 * Every export, in the export section's order, prints "[fuzz-exec] export
 * NAME"; a global then logs its value; a function is called with zero
 * arguments and prints "[fuzz-exec] note result: NAME => VALUE" (more
 * results one per line), "[trap MESSAGE]" (our wording, not binaryen's) or
 * "[exception thrown]" (an exported v128 global shows its low half and
 * "? ?": wlab_global_value() gives no more). Values: i32 and i64 signed decimal; floats as the
 * shortest decimal that reads back to the same double (an f32 widened to
 * double, as binaryen prints it), inf, -0 and NaNs as nan:0xPAYLOAD with
 * their sign; v128 as i32x4 and four hex words. Imports from any other
 * module are refused. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"
#include "wlab.h"

/* An externref of fuzz payload p: a host word no GC object or i31 has. */
#define EXT_WORD(p) (0x10000u + (uint64_t)(p))
#define JS_ERROR 0xbad

struct fz {
	const struct wlab_module *m;
	struct wlab_store *s;
	struct wlab_instance *inst;
	struct rt_func *throw_wasm, *throw_js;     /* the thrower module's */
	struct rt_func *tget, *tset;               /* the table module's */
	struct wlab_module *helper[2];             /* their modules */
	uint8_t tbytes[96];                        /* the table module's bytes */
};

/* The store whose references put_value prints, and the module naming
 * their concrete types. */
static const struct wlab_store *ref_store;
static const struct wlab_module *ref_module;

/* The thrower: imports fuzzing-support's tags wasmtag and jstag and the
 * externref wlab-run.jserror; exports w(i32) (throw wasmtag) and j()
 * (throw jstag with jserror). */
static const uint8_t thrower[] = {
	0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x0c, 0x03, 0x60,
	0x01, 0x7f, 0x00, 0x60, 0x01, 0x6f, 0x00, 0x60, 0x00, 0x00, 0x02, 0x49,
	0x03, 0x0f, 0x66, 0x75, 0x7a, 0x7a, 0x69, 0x6e, 0x67, 0x2d, 0x73, 0x75,
	0x70, 0x70, 0x6f, 0x72, 0x74, 0x07, 0x77, 0x61, 0x73, 0x6d, 0x74, 0x61,
	0x67, 0x04, 0x00, 0x00, 0x0f, 0x66, 0x75, 0x7a, 0x7a, 0x69, 0x6e, 0x67,
	0x2d, 0x73, 0x75, 0x70, 0x70, 0x6f, 0x72, 0x74, 0x05, 0x6a, 0x73, 0x74,
	0x61, 0x67, 0x04, 0x00, 0x01, 0x08, 0x77, 0x6c, 0x61, 0x62, 0x2d, 0x72,
	0x75, 0x6e, 0x07, 0x6a, 0x73, 0x65, 0x72, 0x72, 0x6f, 0x72, 0x03, 0x6f,
	0x00, 0x03, 0x03, 0x02, 0x00, 0x02, 0x07, 0x09, 0x02, 0x01, 0x77, 0x00,
	0x00, 0x01, 0x6a, 0x00, 0x01, 0x0a, 0x0f, 0x02, 0x06, 0x00, 0x20, 0x00,
	0x08, 0x00, 0x0b, 0x06, 0x00, 0x23, 0x00, 0x08, 0x01, 0x0b,
};

/* The shortest %.Ng that reads back as d. */
static void put_double(double d)
{
	char buf[40];
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, sizeof buf, "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			break;
	}
	fputs(buf, stdout);
}

static void put_float_bits(uint64_t bits, bool f32)
{
	uint64_t sign = f32 ? bits >> 31 & 1 : bits >> 63;
	uint64_t payload = f32 ? bits & 0x7fffff : bits & 0xfffffffffffffull;
	bool nan = f32 ? (bits & 0x7f800000) == 0x7f800000 && payload
		       : (bits & 0x7ff0000000000000ull) == 0x7ff0000000000000ull && payload;
	if (nan) {
		printf("%snan:0x%" PRIx64, sign ? "-" : "", payload);
		return;
	}
	double d;
	if (f32) {
		float f;
		uint32_t u = (uint32_t)bits;
		memcpy(&f, &u, 4);
		d = f;
	} else {
		memcpy(&d, &bits, 8);
	}
	if (isinf(d))
		fputs(d < 0 ? "-inf" : "inf", stdout);
	else if (d == 0)
		fputs(signbit(d) ? "-0" : "0", stdout);
	else
		put_double(d);
}

/* The top of a reference type's hierarchy (a concrete type: func or any). */
static wlab_heaptype_t ref_top(wlab_valtype_t t)
{
	wlab_heaptype_t h = wlab_ref_heap(t);
	if (!wlab_heap_is_concrete(h))
		return wlab_heap_top(h);
	return ref_module && wlab_heap_index(h) < ref_module->ntypes &&
			       ref_module->types[wlab_heap_index(h)].form == WLAB_FORM_FUNC
		       ? WLAB_HT_FUNC : WLAB_HT_ANY;
}

/* A reference as JS shows it (binaryen's printValue): null, function, an
 * i31's number, object(null) for a GC object or an exnref (no prototype),
 * externref(N) for an imported global's payload, jserror. */
static void put_ref(wlab_valtype_t t, uint64_t w)
{
	wlab_heaptype_t top = ref_top(t);
	if (!w)
		fputs("null", stdout);
	else if (top == WLAB_HT_FUNC)
		fputs("function", stdout);
	else if ((w >> 48) == 0xfffe)  /* an i31 (wlab/runtime.h), signed as JS reads it */
		printf("%" PRId32, (int32_t)((uint32_t)w << 1) >> 1);
	else if (w == EXT_WORD(JS_ERROR))
		fputs("jserror", stdout);
	else if (top != WLAB_HT_EXN && w >= EXT_WORD(0) && w < EXT_WORD(251) &&
		 !(ref_store && wlab_ref_object(ref_store, w, &(uint32_t){0}, &(uint32_t){0},
						&(bool){0})))
		printf("externref(%" PRIu64 ")", w - EXT_WORD(0));
	else
		fputs("object(null)", stdout);
}

/* One value as binaryen prints it; returns the words it took. */
static uint32_t put_value(wlab_valtype_t t, const uint64_t *w)
{
	switch (t) {
	case WLAB_I32: printf("%" PRId32, (int32_t)(uint32_t)w[0]); return 1;
	case WLAB_I64: printf("%" PRId64, (int64_t)w[0]); return 1;
	case WLAB_F32: put_float_bits(w[0], true); return 1;
	case WLAB_F64: put_float_bits(w[0], false); return 1;
	case WLAB_V128:
		printf("i32x4 0x%08" PRIx32 " 0x%08" PRIx32 " 0x%08" PRIx32 " 0x%08" PRIx32,
		       (uint32_t)w[0], (uint32_t)(w[0] >> 32), (uint32_t)w[1], (uint32_t)(w[1] >> 32));
		return 2;
	default:
		put_ref(t, w[0]);
		return 1;
	}
}

static enum wlab_trap log_value(wlab_valtype_t t, const uint64_t *args)
{
	fputs("[LoggingExternalInterface logging ", stdout);
	if (t == WLAB_I64)
		printf("%" PRId32 " %" PRId32, (int32_t)(uint32_t)args[0],
		       (int32_t)(uint32_t)(args[0] >> 32));
	else
		put_value(t, args);
	puts("]");
	return WLAB_TRAP_NONE;
}

/* Every log-* import: its one parameter's type is the context
 * (imports[] below, defined by define_import). */
static enum wlab_trap log_fn(void *c, const uint64_t *a, uint64_t *r)
{
	(void)r;
	return log_value((wlab_valtype_t)(uintptr_t)c, a);
}

/* Throws what JS's TypeErrors and the like become in the guest: jstag
 * with the jserror payload (WLAB_TRAP_EXCEPTION with the store's
 * exception set, which the guest may catch); without the thrower (the
 * exceptions feature off), an uncaught exception. */
static enum wlab_trap js_throw(struct fz *z)
{
	enum wlab_trap t = WLAB_TRAP_EXCEPTION;
	uint64_t none[1] = {0};
	if (z->throw_js && wlab_call(z->s, z->throw_js, none, none, &t) == WLAB_OK)
		t = WLAB_TRAP_EXCEPTION;
	return t;
}

static enum wlab_trap throw_fn(void *c, const uint64_t *a, uint64_t *r)
{
	struct fz *z = c;
	(void)r;
	if (!(uint32_t)a[0] || !z->throw_wasm)
		return js_throw(z);
	enum wlab_trap t = WLAB_TRAP_EXCEPTION;
	uint64_t arg[1] = {(uint32_t)a[0]};
	wlab_call(z->s, z->throw_wasm, arg, arg, &t);
	return t;
}

/* table-get(i), table-set(i, ref) on the export "table", through the
 * table module; out of bounds (its trap) or no such table: a JS exception. */
static enum wlab_trap table_get(void *c, const uint64_t *a, uint64_t *r)
{
	struct fz *z = c;
	uint64_t arg[1] = {(uint32_t)a[0]};
	enum wlab_trap t;
	if (!z->tget || wlab_call(z->s, z->tget, arg, r, &t) != WLAB_OK)
		return js_throw(z);
	return WLAB_TRAP_NONE;
}

static enum wlab_trap table_set(void *c, const uint64_t *a, uint64_t *r)
{
	struct fz *z = c;
	uint64_t arg[2] = {(uint32_t)a[0], a[1]};
	enum wlab_trap t;
	(void)r;
	if (!z->tset || wlab_call(z->s, z->tset, arg, arg, &t) != WLAB_OK)
		return js_throw(z);
	return WLAB_TRAP_NONE;
}

static enum wlab_trap sleep_fn(void *c, const uint64_t *a, uint64_t *r)
{
	(void)c;
	r[0] = (uint32_t)a[1];
	return WLAB_TRAP_NONE;
}

/* Whether JS could make the call binaryen's call-export stands for: JS's
 * zero arguments cannot become an i64 (a BigInt) or a v128, and a v128
 * cannot come back; binaryen throws a JS error instead of calling. */
static bool js_callable(const wlab_valtype_t *p, uint32_t np, const wlab_valtype_t *r,
			uint32_t nr)
{
	for (uint32_t i = 0; i < np; i++)
		if (p[i] == WLAB_I64 || p[i] == WLAB_V128 ||
		    (wlab_type_is_ref(p[i]) && (!wlab_ref_nullable(p[i]) || ref_top(p[i]) == WLAB_HT_EXN)))
			return false;
	for (uint32_t i = 0; i < nr; i++)
		if (r[i] == WLAB_V128 || (wlab_type_is_ref(r[i]) && ref_top(r[i]) == WLAB_HT_EXN))
			return false;
	return true;
}

/* Calls f (NULL: not a function) as JS would, with null for every param:
 * WLAB_TRAP_NONE, its trap, or WLAB_TRAP_EXCEPTION (a JS exception when JS
 * could not make the call). */
static enum wlab_trap call_as_js(struct fz *z, struct rt_func *f)
{
	if (!f)
		return js_throw(z);
	const wlab_valtype_t *p, *res;
	uint32_t np, nr;
	wlab_func_type(f, &p, &np, &res, &nr);
	if (!js_callable(p, np, res, nr))
		return js_throw(z);
	uint64_t *args = calloc(values_words(p, np) + 1, 8);
	uint64_t *out = calloc(values_words(res, nr) + 1, 8);
	enum wlab_trap trap = WLAB_TRAP_NOMEM;
	if (args && out && wlab_call(z->s, f, args, out, &trap) == WLAB_OK)
		trap = WLAB_TRAP_NONE;
	free(args);
	free(out);
	return trap;
}

/* Export number i, when it is a function (and the exports exist: not
 * during the start function). */
static struct rt_func *export_func(struct fz *z, uint64_t i)
{
	struct wlab_extern e;
	if (!z->inst || i >= z->m->nexports || z->m->exports[i].kind != WLAB_EXTERN_FUNC ||
	    !wlab_instance_export(z->inst, (const char *)z->m->exports[i].name.ptr,
				  z->m->exports[i].name.len, &e))
		return NULL;
	return e.u.func;
}

/* The catching forms: 1 for any exception, 0 for none; traps pass. */
static enum wlab_trap caught(enum wlab_trap t, uint64_t *r)
{
	if (t != WLAB_TRAP_NONE && t != WLAB_TRAP_EXCEPTION)
		return t;
	r[0] = t == WLAB_TRAP_EXCEPTION;
	return WLAB_TRAP_NONE;
}

static enum wlab_trap call_export_fn(void *c, const uint64_t *a, uint64_t *r)
{
	(void)r;
	return call_as_js(c, export_func(c, (uint32_t)a[0]));
}

static enum wlab_trap call_export_catch(void *c, const uint64_t *a, uint64_t *r)
{
	return caught(call_as_js(c, export_func(c, (uint32_t)a[0])), r);
}

/* A funcref word is the function (wlab-run's values.c reads it so too). */
static enum wlab_trap call_ref_fn(void *c, const uint64_t *a, uint64_t *r)
{
	(void)r;
	return call_as_js(c, (struct rt_func *)(uintptr_t)a[0]);
}

static enum wlab_trap call_ref_catch(void *c, const uint64_t *a, uint64_t *r)
{
	return caught(call_as_js(c, (struct rt_func *)(uintptr_t)a[0]), r);
}

static const struct {
	const char *name;
	wlab_host_fn fn;
	uint8_t np, nr;
	wlab_valtype_t params[2], results[1];
} imports[] = {
	{"log-i32", log_fn, 1, 0, {WLAB_I32}, {0}},
	{"log-i64", log_fn, 1, 0, {WLAB_I64}, {0}},
	{"log-f32", log_fn, 1, 0, {WLAB_F32}, {0}},
	{"log-f64", log_fn, 1, 0, {WLAB_F64}, {0}},
	{"log-v128", log_fn, 1, 0, {WLAB_V128}, {0}},
	{"sleep", sleep_fn, 2, 1, {WLAB_I32, WLAB_I32}, {WLAB_I32}},
	{"call-export", call_export_fn, 1, 0, {WLAB_I32}, {0}},
	{"call-export", call_export_fn, 2, 0, {WLAB_I32, WLAB_I32}, {0}},  /* binaryen 132: (index, flags) */
	{"call-export-catch", call_export_catch, 1, 1, {WLAB_I32}, {WLAB_I32}},
	{"log-anyref", log_fn, 1, 0, {WLAB_HT_ANY}, {0}},
	{"log-funcref", log_fn, 1, 0, {WLAB_HT_FUNC}, {0}},
	{"log-externref", log_fn, 1, 0, {WLAB_HT_EXTERN}, {0}},
	{"throw", throw_fn, 1, 0, {WLAB_I32}, {0}},
	{"table-get", table_get, 1, 1, {WLAB_I32}, {WLAB_HT_FUNC}},
	{"table-set", table_set, 2, 0, {WLAB_I32, WLAB_HT_FUNC}, {0}},
	{"call-ref", call_ref_fn, 2, 0, {WLAB_HT_FUNC, WLAB_I32}, {0}},
	{"call-ref-catch", call_ref_catch, 1, 1, {WLAB_HT_FUNC}, {WLAB_I32}},
};

/* Row k of imports[] is the function im declares: its name and type. */
static bool row_matches(const struct wlab_module *m, const struct wlab_import *im, size_t k)
{
	const struct wlab_str *fn = &im->field;
	if (strlen(imports[k].name) != fn->len || memcmp(imports[k].name, fn->ptr, fn->len) ||
	    im->u.func_type >= m->ntypes)
		return false;
	const struct wlab_functype *t = &m->types[im->u.func_type];
	return t->nparams == imports[k].np && t->nresults == imports[k].nr &&
	       (!t->nparams || !memcmp(t->params, imports[k].params, t->nparams * sizeof t->params[0])) &&
	       (!t->nresults || !memcmp(t->results, imports[k].results, t->nresults * sizeof t->results[0]));
}

static bool is_fuzz_support(const struct wlab_str *n)
{
	return n->len == sizeof "fuzzing-support" - 1 && !memcmp(n->ptr, "fuzzing-support", n->len);
}

/* An immutable externref global import: an object of payload N. */
static int define_global(struct fz *z, const struct wlab_import *im)
{
	uint32_t payload = 0;
	for (size_t i = 0; i < im->module.len; i++)
		payload = (payload + im->module.ptr[i]) % 251;
	for (size_t i = 0; i < im->field.len; i++)
		payload = (payload + im->field.ptr[i]) % 251;
	char *mod = strndup((const char *)im->module.ptr, im->module.len);
	char *field = strndup((const char *)im->field.ptr, im->field.len);
	struct rt_global *g = wlab_global_new(z->s, im->u.global.valtype, false, EXT_WORD(payload));
	struct wlab_extern x = {.kind = WLAB_EXTERN_GLOBAL, .u.global = g};
	int rc = mod && field && g && !wlab_store_define(z->s, mod, field, x) ? 0 : EXIT_ERR;
	free(mod);
	free(field);
	if (rc)
		fprintf(stderr, "wlab-run: out of memory\n");
	return rc;
}

static int define_import(struct fz *z, const struct wlab_import *im, const char *path)
{
	const struct wlab_str *mn = &im->module, *fn = &im->field;
	if (im->kind == WLAB_EXTERN_GLOBAL && !im->u.global.mut &&
	    wlab_type_is_ref(im->u.global.valtype) && wlab_ref_heap(im->u.global.valtype) == WLAB_HT_EXTERN)
		return define_global(z, im);
	if (im->kind == WLAB_EXTERN_TAG && is_fuzz_support(mn) &&
	    ((fn->len == 7 && !memcmp(fn->ptr, "wasmtag", 7)) || (fn->len == 5 && !memcmp(fn->ptr, "jstag", 5))))
		return 0;  /* defined by helpers_new (its types checked when linking) */
	for (size_t k = 0; im->kind == WLAB_EXTERN_FUNC && is_fuzz_support(mn) &&
			   k < sizeof imports / sizeof imports[0]; k++) {
		if (!row_matches(z->m, im, k))
			continue;
		struct rt_func *f = wlab_host_func_new(z->s, imports[k].params, imports[k].np,
						       imports[k].results, imports[k].nr,
						       imports[k].fn,
						       imports[k].fn == log_fn
							       ? (void *)(uintptr_t)imports[k].params[0] : (void *)z);
		struct wlab_extern x = {.kind = WLAB_EXTERN_FUNC, .u.func = f};
		if (f && !wlab_store_define(z->s, "fuzzing-support", imports[k].name, x))
			return 0;
		fprintf(stderr, "wlab-run: out of memory\n");
		return EXIT_ERR;
	}
	fprintf(stderr, "%s:0x%zx: error: --fuzzing-support: unknown import %.*s.%.*s (or not of its type)\n", path,
		(size_t)im->span.offset, (int)mn->len, (const char *)mn->ptr, (int)fn->len,
		(const char *)fn->ptr);
	return EXIT_ERR;
}

/* Instantiates helper module k of bytes (n) and reads its exports a and b. */
static void helper(struct fz *z, int k, const uint8_t *bytes, size_t n, uint32_t features,
		   struct rt_func **a, struct rt_func **b)
{
	struct wlab_error err = {0};
	struct wlab_instance *inst = NULL;
	struct wlab_extern x, y;
	if (wlab_module_decode(bytes, n, &(struct wlab_decode_options){.features = features},
			       &z->helper[k], &err) ||
	    wlab_instantiate(z->s, z->helper[k], &inst, &err, NULL) ||
	    !wlab_instance_export(inst, k ? "g" : "w", 1, &x) ||
	    !wlab_instance_export(inst, k ? "s" : "j", 1, &y)) {
		return;
	}
	*a = x.u.func;
	*b = y.u.func;
}

/* The tags wasmtag (i32) and jstag (externref), the jserror object and
 * the thrower module (none without the exceptions feature). */
static int helpers_new(struct fz *z, uint32_t features)
{
	wlab_valtype_t i32 = WLAB_I32, ext = WLAB_HT_EXTERN;
	struct rt_tag *wt = wlab_tag_new(z->s, &i32, 1), *jt = wlab_tag_new(z->s, &ext, 1);
	struct rt_global *je = wlab_global_new(z->s, ext, false, EXT_WORD(JS_ERROR));
	if (!wt || !jt || !je ||
	    wlab_store_define(z->s, "fuzzing-support", "wasmtag",
			      (struct wlab_extern){.kind = WLAB_EXTERN_TAG, .u.tag = wt}) ||
	    wlab_store_define(z->s, "fuzzing-support", "jstag",
			      (struct wlab_extern){.kind = WLAB_EXTERN_TAG, .u.tag = jt}) ||
	    wlab_store_define(z->s, "wlab-run", "jserror",
			      (struct wlab_extern){.kind = WLAB_EXTERN_GLOBAL, .u.global = je})) {
		fprintf(stderr, "wlab-run: out of memory\n");
		return EXIT_ERR;
	}
	helper(z, 0, thrower, sizeof thrower, features, &z->throw_wasm, &z->throw_js);
	return 0;
}

/* After instantiation: the table module for table-get and table-set, when
 * the guest exports a table "table" of an abstract reference type:
 * g(i32) -> E: table.get; s(i32, E): table.set (E the element type). */
static void table_helper(struct fz *z, uint32_t features)
{
	const struct wlab_module *m = z->m;
	const struct wlab_tabletype *tt = NULL;
	struct wlab_extern e;
	for (uint32_t i = 0; i < m->nexports && !tt; i++) {
		const struct wlab_export *ex = &m->exports[i];
		if (ex->kind != WLAB_EXTERN_TABLE || ex->name.len != 5 || memcmp(ex->name.ptr, "table", 5))
			continue;
		if (ex->index >= m->nimported_tables)
			tt = &m->tables[ex->index - m->nimported_tables].type;
		for (uint32_t k = 0; k < m->nimports && !tt; k++)
			if (m->imports[k].kind == WLAB_EXTERN_TABLE && m->imports[k].kind_index == ex->index)
				tt = &m->imports[k].u.table;
	}
	if (!tt || !wlab_instance_export(z->inst, "table", 5, &e) ||
	    wlab_store_define(z->s, "wlab-run", "table", e))
		return;
	uint8_t el[2];
	size_t ne = 1;
	wlab_valtype_t t = tt->elemtype;
	if (t < 0x100) {
		el[0] = (uint8_t)t;
	} else if (!wlab_heap_is_concrete(wlab_ref_heap(t))) {
		el[0] = WLAB_REF_CODE, el[1] = (uint8_t)wlab_ref_heap(t), ne = 2;
	} else {
		return;  /* a concrete element type: JS exceptions (docs/fuzzing.md) */
	}
	uint8_t *b = z->tbytes, x64 = tt->limits.is64;
	size_t n = 0;
#define PUT(...) do { const uint8_t v_[] = {__VA_ARGS__}; memcpy(b + n, v_, sizeof v_); n += sizeof v_; } while (0)
#define PUTE() do { memcpy(b + n, el, ne); n += ne; } while (0)
	PUT(0, 'a', 's', 'm', 1, 0, 0, 0);
	PUT(1, (uint8_t)(9 + 2 * ne), 2, 0x60, 1, 0x7f, 1); PUTE(); PUT(0x60, 2, 0x7f); PUTE(); PUT(0);
	PUT(2, (uint8_t)(19 + ne), 1, 8, 'w', 'l', 'a', 'b', '-', 'r', 'u', 'n', 5, 't', 'a', 'b', 'l', 'e', 1);
	PUTE(); PUT(x64 ? 4 : 0, 0);
	PUT(3, 3, 2, 0, 1);
	PUT(7, 9, 2, 1, 'g', 0, 0, 1, 's', 0, 1);
	PUT(10, (uint8_t)(17 + 2 * x64), 2, (uint8_t)(6 + x64), 0, 0x20, 0);
	if (x64)
		PUT(0xad);
	PUT(0x25, 0, 0x0b, (uint8_t)(8 + x64), 0, 0x20, 0);
	if (x64)
		PUT(0xad);
	PUT(0x20, 1, 0x26, 0, 0x0b);
#undef PUT
#undef PUTE
	helper(z, 1, b, n, features, &z->tget, &z->tset);
}

static void run_export(struct fz *z, const struct wlab_export *ex)
{
	struct wlab_extern e;
	if (ex->kind != WLAB_EXTERN_FUNC && ex->kind != WLAB_EXTERN_GLOBAL)
		return;  /* binaryen shows functions and globals only */
	printf("[fuzz-exec] export %.*s\n", (int)ex->name.len, (const char *)ex->name.ptr);
	if (!wlab_instance_export(z->inst, (const char *)ex->name.ptr, ex->name.len, &e))
		return;
	if (e.kind == WLAB_EXTERN_GLOBAL) {
		uint64_t v[2] = {wlab_global_value(e.u.global), 0};
		wlab_valtype_t t = wlab_global_type(e.u.global);
		fputs("[LoggingExternalInterface logging ", stdout);
		if (t == WLAB_V128)  /* the API gives a v128 global's low half only */
			printf("i32x4 0x%08" PRIx32 " 0x%08" PRIx32 " ? ?", (uint32_t)v[0],
			       (uint32_t)(v[0] >> 32));
		else
			put_value(t, v);
		puts("]");
		return;
	}
	if (e.kind != WLAB_EXTERN_FUNC)
		return;
	const wlab_valtype_t *p, *res;
	uint32_t np, nr;
	wlab_func_type(e.u.func, &p, &np, &res, &nr);
	uint64_t *args = calloc(values_words(p, np) + 1, 8);
	uint64_t *out = calloc(values_words(res, nr) + 1, 8);
	enum wlab_trap trap = WLAB_TRAP_NOMEM;
	if (args && out && wlab_call(z->s, e.u.func, args, out, &trap) == WLAB_OK) {
		const uint64_t *w = out;
		for (uint32_t i = 0; i < nr; i++) {
			if (i == 0)
				printf("[fuzz-exec] note result: %.*s => ", (int)ex->name.len,
				       (const char *)ex->name.ptr);
			w += put_value(res[i], w);
			putchar('\n');
		}
	} else if (trap == WLAB_TRAP_EXCEPTION) {
		puts("[exception thrown]");
	} else {
		printf("[trap %s]\n", wlab_trap_message(trap));
	}
	fflush(stdout);
	free(args);
	free(out);
}

int fuzz_exec(const struct run_opts *o)
{
	uint8_t *bytes = NULL;
	size_t size = 0;
	struct wlab_error err = {0};
	struct wlab_module *m = NULL;
	struct fz z = {0};
	enum wlab_trap trap = WLAB_TRAP_NONE;
	int rc = EXIT_ERR;
	if (wlab_read_file(o->module, &bytes, &size, &err) ||
	    wlab_module_decode(bytes, size, &(struct wlab_decode_options){.features = o->features},
			       &m, &err)) {
		fprintf(stderr, "%s:0x%zx: error: %s\n", o->module, err.offset, err.message);
		goto done;
	}
	z.m = m;
	z.s = wlab_store_new(&(struct wlab_store_options){.max_memory = o->max_memory,
							  .max_heap = o->max_heap,
							  .gc_stress = o->gc_stress,
							  .features = o->features,
							  .max_call_depth = o->max_stack,
							  .fuel = o->fuel});
	if (!z.s)
		goto done;
	timeout_watch(z.s);
	ref_store = z.s;
	ref_module = m;
	if (helpers_new(&z, o->features))
		goto done;
	for (uint32_t i = 0; i < m->nimports; i++)
		if (define_import(&z, &m->imports[i], o->module))
			goto done;
	if (wlab_instantiate(z.s, m, &z.inst, &err, &trap)) {
		if (trap == WLAB_TRAP_EXCEPTION) {
			puts("[exception thrown]");
			rc = 0;
		} else if (trap != WLAB_TRAP_NONE) {
			printf("[trap %s]\n", wlab_trap_message(trap));
			rc = 0;
		} else {
			fprintf(stderr, "%s:0x%zx: error: %s\n", o->module, err.offset, err.message);
		}
		goto done;
	}
	table_helper(&z, o->features);
	for (uint32_t i = 0; i < m->nexports && !timeout_expired(); i++) {
		if (o->fuel)
			wlab_store_set_fuel(z.s, o->fuel);
		run_export(&z, &m->exports[i]);
	}
	rc = 0;
done:
	fflush(stdout);
	timeout_watch(NULL);
	wlab_store_free(z.s);
	wlab_module_free(z.helper[0]);
	wlab_module_free(z.helper[1]);
	wlab_module_free(m);
	free(bytes);
	return rc;
}
