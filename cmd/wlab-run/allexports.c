/* allexports.c: wlab-run --run-all-exports: every function import becomes a
 * host function that prints its call and returns zeros; every exported
 * function without params is called. Standard output is what wabt 1.0.32's
 * `wasm-interp --run-all-exports --dummy-import-func` (or --host-print)
 * prints, byte for byte: its value spellings, its trap wording with the
 * access details (wlab_store_trap_detail), its reference numbers. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"
#include "wlab.h"
#include "wlab/runtime.h"

struct all;

struct dummy {
	const struct wlab_import *im;
	const struct wlab_functype *type;
	const struct all *a;
};

struct all {
	const struct wlab_module *m;
	struct wlab_store *s;
	struct dummy *dummies;    /* per import; a function import has a type */
	struct rt_func **hosts;   /* per import: its dummy, or NULL */
	bool direct;              /* an export that is an import: wasm-interp shows no results */
};

/* wasm-interp's number for a function reference: its store counts objects
 * from 1 (the module), then the imported functions, then the instance, then
 * the defined functions; 0 is null. */
static uint64_t ref_number(const struct all *a, uint64_t v)
{
	const struct rt_func *f = (const struct rt_func *)(uintptr_t)v;
	if (!v)
		return 0;
	for (uint32_t i = 0; i < a->m->nimports; i++)
		if (a->hosts[i] == f)
			return 2 + a->m->imports[i].kind_index;
	uint32_t idx = wlab_func_index(f);
	return idx == UINT32_MAX ? 0 : 3 + (uint64_t)idx;
}

/* TYPE:VALUE in wasm-interp's spelling; returns the words it took. */
static uint32_t interp_value(const struct all *a, uint32_t type, const uint64_t *w)
{
	float f;
	double d;
	uint32_t u = (uint32_t)w[0];
	switch (type) {
	case WLAB_I32: printf("i32:%" PRIu32, u); return 1;
	case WLAB_I64: printf("i64:%" PRIu64, w[0]); return 1;
	case WLAB_F32: memcpy(&f, &u, 4); printf("f32:%f", (double)f); return 1;
	case WLAB_F64: memcpy(&d, &w[0], 8); printf("f64:%f", d); return 1;
	case WLAB_V128:
		printf("v128 i32x4:0x%08" PRIx32 " 0x%08" PRIx32 " 0x%08" PRIx32 " 0x%08" PRIx32,
		       (uint32_t)w[0], (uint32_t)(w[0] >> 32), (uint32_t)w[1],
		       (uint32_t)(w[1] >> 32));
		return 2;
	case WLAB_FUNCREF: printf("funcref:%" PRIu64, ref_number(a, w[0])); return 1;
	default:
		printf("%s:%" PRIu64, wlab_valtype_name(type), w[0] ? w[0] : 0);
		return 1;
	}
}

/* A function type's params or results, from words (a v128 takes two). */
static void interp_values(const struct all *a, const struct wlab_functype *t, bool results,
		       const uint64_t *w)
{
	uint32_t n = results ? t->nresults : t->nparams;
	for (uint32_t i = 0, k = 0; i < n; i++) {
		printf(i ? ", " : "");
		k += interp_value(a, results ? t->results[i] : t->params[i], w + k);
	}
}

static uint32_t result_words(const struct wlab_functype *t)
{
	uint32_t words = 0;
	for (uint32_t i = 0; i < t->nresults; i++)
		words += t->results[i] == WLAB_V128 ? 2 : 1;
	return words;
}

static enum wlab_trap dummy_call(void *ctx, const uint64_t *args, uint64_t *results)
{
	const struct dummy *d = ctx;
	printf("called host %.*s.%.*s(", (int)d->im->module.len, (const char *)d->im->module.ptr,
	       (int)d->im->field.len, (const char *)d->im->field.ptr);
	interp_values(d->a, d->type, false, args);
	printf(") =>");
	memset(results, 0, result_words(d->type) * sizeof *results);
	if (d->type->nresults && !d->a->direct) {  /* called from the top: none shown */
		printf(" ");
		interp_values(d->a, d->type, true, results);
	}
	printf("\n");
	return WLAB_TRAP_NONE;
}

static int define_dummies(struct all *a)
{
	const struct wlab_module *m = a->m;
	for (uint32_t i = 0; i < m->nimports; i++) {
		const struct wlab_import *im = &m->imports[i];
		if (im->kind != WLAB_EXTERN_FUNC || im->u.func_type >= m->ntypes)
			continue;
		const struct wlab_functype *t = &m->types[im->u.func_type];
		a->dummies[i] = (struct dummy){im, t, a};
		a->hosts[i] = wlab_host_func_new(a->s, t->params, t->nparams, t->results,
						 t->nresults, dummy_call, &a->dummies[i]);
		if (!a->hosts[i])
			return -1;
	}
	return 0;
}

/* The trap's text as wasm-interp words it. */
static void interp_trap(FILE *out, const struct wlab_store *s, enum wlab_trap t)
{
	struct wlab_trap_detail d;
	wlab_store_trap_detail(s, &d);
	const struct wlab_opinfo *op = d.op ? wlab_opinfo(d.op) : NULL;
	const char *name = op ? op->name : "";
	bool bulk = !strcmp(name, "memory.fill") || !strcmp(name, "memory.init") ||
		    !strcmp(name, "table.fill") || !strcmp(name, "table.init") ||
		    !strcmp(name, "table.copy");
	switch (t) {
	case WLAB_TRAP_UNREACHABLE: fprintf(out, "unreachable executed"); return;
	case WLAB_TRAP_UNDEFINED_ELEMENT: fprintf(out, "undefined table index"); return;
	case WLAB_TRAP_UNINITIALIZED_ELEMENT: fprintf(out, "uninitialized table element"); return;
	case WLAB_TRAP_INDIRECT_MISMATCH: fprintf(out, "indirect call signature mismatch"); return;
	case WLAB_TRAP_MEMORY_OOB: case WLAB_TRAP_UNALIGNED_ATOMIC: case WLAB_TRAP_TABLE_OOB:
		break;
	default: fprintf(out, "%s", wlab_trap_message(t)); return;
	}
	if (op && op->prefix == 0xfe && d.has_access)
		fprintf(out, "invalid atomic access at %" PRIu64 "+%" PRIu64, d.addr, d.offset);
	else if (d.has_access)
		fprintf(out, "out of bounds memory access: access at %" PRIu64 "+%" PRIu32
		       " >= max value %" PRIu64, d.addr + d.offset, d.n, d.bound);
	else if (d.has_index)
		fprintf(out, "out of bounds table access: %s at %" PRIu64 " >= max value %" PRIu64,
		       name, d.addr, d.bound);
	else if (!strcmp(name, "memory.copy"))  /* sic */
		fprintf(out, "out of bounds memory access: memory.copy out of bound");
	else if (bulk)
		fprintf(out, "%s: %s out of bounds", wlab_trap_message(t), name);
	else
		fprintf(out, "%s", wlab_trap_message(t));
}

/* The type of function idx of m. */
static const struct wlab_functype *func_type(const struct wlab_module *m, uint32_t idx)
{
	uint32_t type = UINT32_MAX;
	if (idx < m->nimported_funcs) {
		for (uint32_t i = 0; i < m->nimports; i++)
			if (m->imports[i].kind == WLAB_EXTERN_FUNC && m->imports[i].kind_index == idx)
				type = m->imports[i].u.func_type;
	} else if (idx - m->nimported_funcs < m->nfuncs) {
		type = m->func_types[idx - m->nimported_funcs];
	}
	return type < m->ntypes ? &m->types[type] : NULL;
}

static void call_export(struct all *a, struct wlab_instance *inst, const struct wlab_export *e)
{
	struct wlab_extern x;
	enum wlab_trap trap;
	uint64_t results[512];
	const struct wlab_functype *t = func_type(a->m, e->index);
	if (e->kind != WLAB_EXTERN_FUNC || !t || t->nparams || result_words(t) > 512 ||
	    !wlab_instance_export(inst, (const char *)e->name.ptr, e->name.len, &x))
		return;
	a->direct = e->index < a->m->nimported_funcs;
	enum wlab_status st = wlab_call(a->s, x.u.func, NULL, results, &trap);
	printf("%.*s() =>", (int)e->name.len, (const char *)e->name.ptr);
	if (a->direct)
		a->direct = false;
	else if (st) {
		printf(" error: ");
		interp_trap(stdout, a->s, trap);
	} else if (t->nresults) {
		printf(" ");
		interp_values(a, t, true, results);
	}
	printf("\n");
}

int run_all_exports(const struct wlab_module *m, struct wlab_store *s)
{
	struct wlab_error err = {0};
	struct wlab_instance *inst;
	enum wlab_trap trap = WLAB_TRAP_NONE;
	struct all a = {.m = m, .s = s};
	a.dummies = calloc(m->nimports + 1, sizeof *a.dummies);
	a.hosts = calloc(m->nimports + 1, sizeof *a.hosts);
	/* The store links imports by name, but wasm-interp gives each import its
	 * own stub, even when two share a name with different types. So the
	 * module instantiated is a copy whose function imports are named
	 * "#N" in a module no name can clash with; the stubs print the real names. */
	struct wlab_module linked = *m;
	struct wlab_import *renamed = calloc(m->nimports + 1, sizeof *renamed);
	char (*fields)[16] = calloc(m->nimports + 1, sizeof *fields);
	static const char unique[] = "\x01wlab-run";
	int rc = 1;
	if (!a.dummies || !a.hosts || !renamed || !fields || define_dummies(&a))
		goto done;
	if (m->nimports)
		memcpy(renamed, m->imports, m->nimports * sizeof *renamed);
	linked.imports = renamed;
	for (uint32_t i = 0; i < m->nimports; i++) {
		struct wlab_import *im = &renamed[i];
		if (a.hosts[i]) {
			snprintf(fields[i], sizeof fields[i], "#%" PRIu32, i);
			im->module = (struct wlab_str){(const uint8_t *)unique, sizeof unique - 1};
			im->field = (struct wlab_str){(const uint8_t *)fields[i], strlen(fields[i])};
			char mod[256], field[256];
			snprintf(mod, sizeof mod, "%.*s", (int)im->module.len,
				 (const char *)im->module.ptr);
			snprintf(field, sizeof field, "%.*s", (int)im->field.len,
				 (const char *)im->field.ptr);
			struct wlab_extern x = {.kind = WLAB_EXTERN_FUNC, .u.func = a.hosts[i]};
			if (wlab_store_define(s, mod, field, x))
				goto done;
		}
	}
	if (wlab_instantiate(s, &linked, &inst, &err, &trap)) {
		fflush(stdout);
		if (trap != WLAB_TRAP_NONE) {
			fprintf(stderr, "error initializing module: ");
			interp_trap(stderr, s, trap);
			fprintf(stderr, "\n");
		} else {
			fprintf(stderr, "0x%zx: error: %s\n", err.offset, err.message);
		}
		goto done;
	}
	for (uint32_t i = 0; i < m->nexports && !timeout_expired(); i++)
		call_export(&a, inst, &m->exports[i]);
	rc = 0;
done:
	timeout_watch(NULL);
	wlab_store_free(s);  /* before the copy of m its instance refers to */
	free(a.dummies);
	free(a.hosts);
	free(renamed);
	free(fields);
	return rc;
}
