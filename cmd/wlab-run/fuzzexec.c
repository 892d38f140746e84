/* fuzzexec.c: wlab-run --fuzzing-support: runs a module of binaryen's
 * `wasm-opt -ttf` the way `wasm-opt --fuzz-exec-before` does, so the two
 * can be compared line by line (tests/differential/, docs/fuzzing.md).
 *
 * The module's imports from "fuzzing-support" are built in:
 *   log-i32, log-f32, log-f64, log-v128: print
 *     "[LoggingExternalInterface logging VALUE]"
 *   log-i64: prints its low and high halves as two signed i32s, as binaryen
 *   sleep(ms, id): returns id at once
 *   call-export(i[, flags]), call-export-catch(i) -> i32: call export number i with
 *     zero arguments; an index that is not a function export, or one JS
 *     could not call (an i64 or v128 param, a v128 result) throws (the
 *     catching form returns 1, as it does for an exception), a trap passes
 *     through both
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

struct fz {
	const struct wlab_module *m;
	struct wlab_store *s;
	struct wlab_instance *inst;
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
		fputs(w[0] ? "ref" : "null", stdout);
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

static enum wlab_trap log_i32(void *c, const uint64_t *a, uint64_t *r)
{ (void)c, (void)r; return log_value(WLAB_I32, a); }
static enum wlab_trap log_i64(void *c, const uint64_t *a, uint64_t *r)
{ (void)c, (void)r; return log_value(WLAB_I64, a); }
static enum wlab_trap log_f32(void *c, const uint64_t *a, uint64_t *r)
{ (void)c, (void)r; return log_value(WLAB_F32, a); }
static enum wlab_trap log_f64(void *c, const uint64_t *a, uint64_t *r)
{ (void)c, (void)r; return log_value(WLAB_F64, a); }
static enum wlab_trap log_v128(void *c, const uint64_t *a, uint64_t *r)
{ (void)c, (void)r; return log_value(WLAB_V128, a); }

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
		if (p[i] == WLAB_I64 || p[i] == WLAB_V128)
			return false;
	for (uint32_t i = 0; i < nr; i++)
		if (r[i] == WLAB_V128)
			return false;
	return true;
}

/* Calls export i with zero arguments: WLAB_TRAP_NONE, its trap, or
 * WLAB_TRAP_EXCEPTION when i is no function export. */
static enum wlab_trap call_export(struct fz *z, uint64_t i)
{
	struct wlab_extern e;
	if (!z->inst || i >= z->m->nexports || z->m->exports[i].kind != WLAB_EXTERN_FUNC ||
	    !wlab_instance_export(z->inst, (const char *)z->m->exports[i].name.ptr,
				  z->m->exports[i].name.len, &e))
		return WLAB_TRAP_EXCEPTION;
	const wlab_valtype_t *p, *res;
	uint32_t np, nr;
	wlab_func_type(e.u.func, &p, &np, &res, &nr);
	if (!js_callable(p, np, res, nr))
		return WLAB_TRAP_EXCEPTION;
	uint64_t *args = calloc(values_words(p, np) + 1, 8);
	uint64_t *out = calloc(values_words(res, nr) + 1, 8);
	enum wlab_trap trap = WLAB_TRAP_NOMEM;
	if (args && out && wlab_call(z->s, e.u.func, args, out, &trap) == WLAB_OK)
		trap = WLAB_TRAP_NONE;
	free(args);
	free(out);
	return trap;
}

static enum wlab_trap call_export_fn(void *c, const uint64_t *a, uint64_t *r)
{
	(void)r;
	return call_export(c, (uint32_t)a[0]);
}

static enum wlab_trap call_export_catch(void *c, const uint64_t *a, uint64_t *r)
{
	enum wlab_trap t = call_export(c, (uint32_t)a[0]);
	if (t != WLAB_TRAP_NONE && t != WLAB_TRAP_EXCEPTION)
		return t;
	r[0] = t == WLAB_TRAP_EXCEPTION;
	return WLAB_TRAP_NONE;
}

static const struct {
	const char *name;
	wlab_host_fn fn;
	uint8_t np, nr;
	wlab_valtype_t params[2], results[1];
} imports[] = {
	{"log-i32", log_i32, 1, 0, {WLAB_I32}, {0}},
	{"log-i64", log_i64, 1, 0, {WLAB_I64}, {0}},
	{"log-f32", log_f32, 1, 0, {WLAB_F32}, {0}},
	{"log-f64", log_f64, 1, 0, {WLAB_F64}, {0}},
	{"log-v128", log_v128, 1, 0, {WLAB_V128}, {0}},
	{"sleep", sleep_fn, 2, 1, {WLAB_I32, WLAB_I32}, {WLAB_I32}},
	{"call-export", call_export_fn, 1, 0, {WLAB_I32}, {0}},
	{"call-export", call_export_fn, 2, 0, {WLAB_I32, WLAB_I32}, {0}},  /* binaryen 132: (index, flags) */
	{"call-export-catch", call_export_catch, 1, 1, {WLAB_I32}, {WLAB_I32}},
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
	       !memcmp(t->params, imports[k].params, t->nparams * sizeof t->params[0]) &&
	       !memcmp(t->results, imports[k].results, t->nresults * sizeof t->results[0]);
}

static int define_import(struct fz *z, const struct wlab_import *im, const char *path)
{
	const struct wlab_str *mn = &im->module, *fn = &im->field;
	for (size_t k = 0; im->kind == WLAB_EXTERN_FUNC && sizeof "fuzzing-support" - 1 == mn->len &&
			   !memcmp(mn->ptr, "fuzzing-support", mn->len) &&
			   k < sizeof imports / sizeof imports[0]; k++) {
		if (!row_matches(z->m, im, k))
			continue;
		struct rt_func *f = wlab_host_func_new(z->s, imports[k].params, imports[k].np,
						       imports[k].results, imports[k].nr,
						       imports[k].fn, z);
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

static void run_export(struct fz *z, const struct wlab_export *ex)
{
	struct wlab_extern e;
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
	wlab_module_free(m);
	free(bytes);
	return rc;
}
