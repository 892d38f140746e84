/* allexports.c: wlab-run --run-all-exports: every function import becomes a
 * host function that prints its call and returns zeros; every exported
 * function without params is called. Standard output is what wabt 1.0.32's
 * `wasm-interp --run-all-exports --dummy-import-func` (or --host-print)
 * prints, byte for byte: its value spellings, its trap wording with the
 * access details (wlab_store_trap_detail), its reference numbers.
 * Then -r/--run-export NAME with -a/--argument TYPE:VALUE, as wabt 1.0.39's
 * wasm-interp runs them: for each export in the module's order, each -r
 * naming it in command-line order; "NAME(ARGS) => RESULTS" or "=> error:
 * TRAP" (exit 0), and its lines for a non-function export or a wrong number
 * of arguments (exit 1, nothing after); a name no export has runs nothing. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
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

static bool is_externref(wlab_valtype_t t)
{
	wlab_heaptype_t h = wlab_ref_heap(t);
	return wlab_type_is_ref(t) && !wlab_heap_is_concrete(h) && wlab_heap_top(h) == WLAB_HT_EXTERN;
}

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
		if (is_externref(type))  /* wasm-interp: its 32-bit number, signed */
			printf("externref:%" PRId32, (int32_t)(uint32_t)w[0]);
		else {
			char name[64];  /* a concrete one too: "(ref null 1)" */
			printf("%s:%" PRIu64, wlab_type_str(type, name, sizeof name), w[0]);
		}
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
	/* of the import's own type, in its rec group (a type of typed
	 * references matches no other) */
	uint32_t *ids = calloc(m->ntypes + 1, sizeof *ids);
	int rc = !ids || wlab_store_module_type_ids(a->s, m, ids) ? -1 : 0;
	for (uint32_t i = 0; !rc && i < m->nimports; i++) {
		const struct wlab_import *im = &m->imports[i];
		if (im->kind != WLAB_EXTERN_FUNC || im->u.func_type >= m->ntypes)
			continue;
		const struct wlab_functype *t = &m->types[im->u.func_type];
		a->dummies[i] = (struct dummy){im, t, a};
		a->hosts[i] = wlab_host_func_new_id(a->s, ids[im->u.func_type], dummy_call,
						    &a->dummies[i]);
		if (!a->hosts[i])
			rc = -1;
	}
	free(ids);
	return rc;
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

/* Calls export e (function x of type t) with args and prints wasm-interp's
 * line for it: NAME(ARGS) => RESULTS, or => error: TRAP; a direct call of a
 * dummy import prints only "NAME(ARGS) =>" after the dummy's own line. */
static void call_print(struct all *a, const struct wlab_export *e, const struct wlab_functype *t,
		       struct wlab_extern x, const uint64_t *args, uint64_t *results)
{
	enum wlab_trap trap;
	a->direct = e->index < a->m->nimported_funcs;
	enum wlab_status st = wlab_call(a->s, x.u.func, args, results, &trap);
	printf("%.*s(", (int)e->name.len, (const char *)e->name.ptr);
	interp_values(a, t, false, args);
	printf(") =>");
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

static void call_export(struct all *a, struct wlab_instance *inst, const struct wlab_export *e)
{
	struct wlab_extern x;
	uint64_t results[512];
	const struct wlab_functype *t = func_type(a->m, e->index);
	if (e->kind != WLAB_EXTERN_FUNC || !t || t->nparams || result_words(t) > 512 ||
	    !wlab_instance_export(inst, (const char *)e->name.ptr, e->name.len, &x))
		return;
	call_print(a, e, t, x, NULL, results);
}

/* wasm-interp's integer: decimal, or 0x and hex digits; '_' anywhere after
 * the 0x is skipped; no sign; at least one character (after the 0x); in
 * range of max. */
static int interp_int(const char *v, uint64_t max, uint64_t *out)
{
	unsigned base = 10;
	uint64_t x = 0;
	if (v[0] == '0' && v[1] == 'x') {
		base = 16;
		v += 2;
	}
	if (!*v)
		return -1;
	for (; *v; v++) {
		unsigned d;
		if (*v == '_')
			continue;
		if (*v >= '0' && *v <= '9')
			d = (unsigned)(*v - '0');
		else if (base == 16 && *v >= 'a' && *v <= 'f')
			d = (unsigned)(*v - 'a' + 10);
		else if (base == 16 && *v >= 'A' && *v <= 'F')
			d = (unsigned)(*v - 'A' + 10);
		else
			return -1;
		if (x > (max - d) / base)
			return -1;
		x = x * base + d;
	}
	*out = x;
	return 0;
}

/* wasm-interp's float: the text without its '_'s, all of it read by
 * strtof/strtod (so empty is 0); not infinite (nor out of range); a NaN is
 * the positive canonical one. */
static int interp_float(const char *v, bool f64, uint64_t *out)
{
	size_t n = strlen(v), k = 0;
	char *t = malloc(n + 1), *end;
	int rc = -1;
	if (!t)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (v[i] != '_')
			t[k++] = v[i];
	t[k] = 0;
	if (f64) {
		double d = strtod(t, &end);
		if (end == t + k && !isinf(d)) {
			uint64_t bits = UINT64_C(0x7ff8000000000000);
			if (!isnan(d))
				memcpy(&bits, &d, 8);
			*out = bits;
			rc = 0;
		}
	} else {
		float f = strtof(t, &end);
		if (end == t + k && !isinf(f)) {
			uint32_t bits = 0x7fc00000;
			if (!isnan(f))
				memcpy(&bits, &f, 4);
			*out = bits;
			rc = 0;
		}
	}
	free(t);
	return rc;
}

int export_arg_parse(struct export_arg *a)
{
	const char *colon = strchr(a->text, ':');
	a->w[0] = a->w[1] = 0;
	if (!colon)
		return -1;
	size_t tn = (size_t)(colon - a->text);
	const char *v = colon + 1;
	static const char *const types[] = {"i32", "i64", "f32", "f64"};
	int type = -1;
	for (int k = 0; k < 4; k++)
		if (tn == 3 && !memcmp(a->text, types[k], 3))
			type = k;
	if (type < 0)
		return 1;
	a->typed = true;
	if (type == 0)
		return interp_int(v, UINT32_MAX, &a->w[0]);
	if (type == 1)
		return interp_int(v, UINT64_MAX, &a->w[0]);
	return interp_float(v, type == 3, &a->w[0]);
}

/* The name of an -a's TYPE, for a warning; "" when none. */
static const char *arg_type(const struct export_arg *a)
{
	static char buf[4];
	if (!a->typed)
		return "";
	memcpy(buf, a->text, 3);
	buf[3] = 0;
	return buf;
}

/* One -r NAME's call of export e (which is NAME): its arguments from o's -a
 * for exec j. 0, or 1 when wasm-interp stops here with exit 1. */
static int run_export(struct all *a, struct wlab_instance *inst, const struct wlab_export *e,
		      const struct run_opts *o, int j)
{
	struct wlab_extern x;
	uint64_t words[512], results[512];
	int name_len = (int)e->name.len;
	const char *name = (const char *)e->name.ptr;
	const struct wlab_functype *t = e->kind == WLAB_EXTERN_FUNC ? func_type(a->m, e->index) : NULL;
	if (!t || !wlab_instance_export(inst, name, e->name.len, &x)) {
		printf("Export '%.*s' is not a function\n", name_len, name);
		fflush(stdout);
		fprintf(stderr, "wlab-run: --run-export %s: the export is a %s, not a function\n",
			o->execs[j], wlab_extern_kind_name(e->kind));
		return 1;
	}
	uint32_t given = 0;
	for (int k = 0; k < o->neargs; k++)
		given += o->eargs[k].exec == j;
	if (given != t->nparams) {
		char ty[512];
		printf("Exported function '%.*s' expects %" PRIu32 " arguments, but %" PRIu32
		       " were provided\n", name_len, name, t->nparams, given);
		fflush(stdout);
		format_functype(ty, sizeof ty, t->params, t->nparams, t->results, t->nresults);
		fprintf(stderr, "wlab-run: --run-export %s: %s takes %" PRIu32 " argument%s (-a "
				"TYPE:VALUE each), given %" PRIu32 "\n", o->execs[j], ty, t->nparams,
			t->nparams == 1 ? "" : "s", given);
		return 1;
	}
	if (values_words(t->params, t->nparams) > 512 || result_words(t) > 512) {
		fprintf(stderr, "wlab-run: --run-export %s: too many params or results\n",
			o->execs[j]);
		return 1;
	}
	uint32_t p = 0, w = 0;
	for (int k = 0; k < o->neargs; k++) {
		const struct export_arg *g = &o->eargs[k];
		if (g->exec != j)
			continue;
		wlab_valtype_t pt = t->params[p++];
		const char *want = wlab_valtype_name(pt), *have = arg_type(g);
		if (*have && want && strcmp(have, want) && !wlab_type_is_ref(pt))
			fprintf(stderr, "wlab-run: warning: --run-export %s: argument %" PRIu32
					" '%s' is %s but the param is %s: it gets the value's bits, as in "
					"wasm-interp\n", o->execs[j], p, g->text, have, want);
		if (pt == WLAB_I32 || pt == WLAB_F32) {
			words[w++] = (uint32_t)g->w[0];
		} else if (pt == WLAB_I64 || pt == WLAB_F64) {
			words[w++] = g->w[0];
		} else if (pt == WLAB_V128) {
			words[w++] = g->w[0];
			words[w++] = g->w[1];
		} else if (is_externref(pt)) {  /* wasm-interp keeps 32 bits of it */
			words[w++] = (uint32_t)g->w[0];
		} else if (!g->w[0]) {
			words[w++] = 0;
		} else {
			fprintf(stderr, "wlab-run: --run-export %s: argument %" PRIu32 " '%s': a %s "
					"argument can only be 0 (null) here; wasm-interp's object numbers "
					"name nothing in wlab-run\n", o->execs[j], p, g->text,
				want ? want : "reference");
			return 1;
		}
	}
	call_print(a, e, t, x, words, results);
	return 0;
}

/* The -r calls, export by export; 0, or 1 after wasm-interp's error line. */
static int run_exports(struct all *a, struct wlab_instance *inst, const struct run_opts *o)
{
	for (uint32_t i = 0; i < a->m->nexports; i++) {
		const struct wlab_export *e = &a->m->exports[i];
		for (int j = 0; j < o->nexecs && !timeout_expired(); j++)
			if (strlen(o->execs[j]) == e->name.len &&
			    !memcmp(o->execs[j], e->name.ptr, e->name.len) &&
			    run_export(a, inst, e, o, j))
				return 1;
	}
	return 0;
}

/* With -r, imports are what wasm-interp provides: function imports with
 * --dummy-import-func, host.print with --host-print; nothing else. 0, or 1
 * after its message for the first import it cannot provide. */
static int check_imports(const struct wlab_module *m, const struct run_opts *o)
{
	for (uint32_t i = 0; i < m->nimports; i++) {
		const struct wlab_import *im = &m->imports[i];
		bool func = im->kind == WLAB_EXTERN_FUNC;
		bool host_print = im->module.len == 4 && !memcmp(im->module.ptr, "host", 4) &&
				  im->field.len == 5 && !memcmp(im->field.ptr, "print", 5);
		if (func && (o->dummy_imports || (o->host_print && host_print)))
			continue;
		fprintf(stderr, "error initializing module: invalid import \"%.*s.%.*s\"\n",
			(int)im->module.len, (const char *)im->module.ptr, (int)im->field.len,
			(const char *)im->field.ptr);
		if (func)
			fprintf(stderr, "wlab-run: with -r/--run-export, function imports are stubbed "
					"only with --dummy-import-func (host.print also with "
					"--host-print), as in wasm-interp\n");
		else
			fprintf(stderr, "wlab-run: -r/--run-export cannot provide a %s import (nor can "
					"wasm-interp)\n", wlab_extern_kind_name(im->kind));
		return 1;
	}
	return 0;
}

int run_all_exports(const struct wlab_module *m, struct wlab_store *s, const struct run_opts *o)
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
	for (int j = 0; j < o->nexecs; j++) {
		uint32_t i = 0;
		while (i < m->nexports && (strlen(o->execs[j]) != m->exports[i].name.len ||
					   memcmp(o->execs[j], m->exports[i].name.ptr, m->exports[i].name.len)))
			i++;
		if (i == m->nexports)
			fprintf(stderr, "wlab-run: warning: --run-export %s: %s has no export of that "
					"name; as in wasm-interp, nothing runs for it\n", o->execs[j],
				o->module);
	}
	if (o->nexecs && check_imports(m, o))
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
			fprintf(stderr, "%s:0x%zx: error: %s\n", o->module, err.offset, err.message);
			if (err.status == WLAB_UNLINKABLE && !strncmp(err.message, "unknown import", 14))
				fprintf(stderr, "wlab-run: --run-all-exports provides function imports "
						"only, as wasm-interp --dummy-import-func does (--invoke "
						"NAME stubs imports of every kind)\n");
		}
		goto done;
	}
	for (uint32_t i = 0; o->run_all && i < m->nexports && !timeout_expired(); i++)
		call_export(&a, inst, &m->exports[i]);
	rc = run_exports(&a, inst, o);
done:
	timeout_watch(NULL);
	wlab_store_free(s);  /* before the copy of m its instance refers to */
	free(a.dummies);
	free(a.hosts);
	free(renamed);
	free(fields);
	return rc;
}
