/* invoke.c: the two ways to run the main module: a WASI command's _start
 * with its argv, or --invoke NAME with arguments parsed by the export's
 * signature (str:TEXT copied into memory through the module's alloc). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"
#include "wlab.h"

static struct loaded *main_module(struct runner *r)
{
	return &r->mods[r->nmods - 1];
}

/* The exported function name, or NULL. */
static struct rt_func *export_func(const struct loaded *mod, const char *name)
{
	struct wlab_extern x;
	if (!wlab_instance_export(mod->inst, name, strlen(name), &x) ||
	    x.kind != WLAB_EXTERN_FUNC)
		return NULL;
	return x.u.func;
}

/* Lists the exported functions with their types, for an error message. */
static void list_exports(const struct loaded *mod)
{
	char t[512];
	fprintf(stderr, "exported functions:");
	int n = 0;
	for (uint32_t i = 0; i < mod->m->nexports; i++) {
		const struct wlab_export *e = &mod->m->exports[i];
		struct wlab_extern x;
		if (e->kind != WLAB_EXTERN_FUNC ||
		    !wlab_instance_export(mod->inst, (const char *)e->name.ptr, e->name.len, &x))
			continue;
		const wlab_valtype_t *pt, *rt;
		uint32_t np, nr;
		wlab_func_type(x.u.func, &pt, &np, &rt, &nr);
		format_functype(t, sizeof t, pt, np, rt, nr);
		fprintf(stderr, "\n  %.*s %s", (int)e->name.len, (const char *)e->name.ptr, t);
		n++;
	}
	fprintf(stderr, "%s\n", n ? "" : " none");
}

/* Copies text and a NUL into memory from alloc(len + 1) (or malloc);
 * *ptr and 0, or an exit code after a message. */
static int put_string(struct runner *r, struct loaded *mod, const char *text, uint64_t *ptr)
{
	static const char *const allocators[] = {"alloc", "malloc"};
	struct rt_func *f = NULL;
	for (size_t i = 0; i < 2 && !f; i++)
		f = export_func(mod, allocators[i]);
	const wlab_valtype_t *pt, *rt;
	uint32_t np = 0, nr = 0;
	if (f)
		wlab_func_type(f, &pt, &np, &rt, &nr);
	if (!f || np != 1 || nr != 1 || pt[0] != WLAB_I32 || rt[0] != WLAB_I32) {
		fprintf(stderr, "%s: str: arguments need an exported alloc(i32) -> i32 "
				"(or malloc) to put the string in memory\n", mod->path);
		return EXIT_ERR;
	}
	size_t len = strlen(text);
	uint64_t arg = len + 1, res[1], size = 0;
	enum wlab_trap trap;
	if (wlab_call(r->store, f, &arg, res, &trap))
		return call_trapped(r, mod->path, trap);
	uint8_t *data = mod->mem ? wlab_memory_data(mod->mem, &size) : NULL;
	if (!data || !res[0] || res[0] + len + 1 > size) {
		fprintf(stderr, "%s: str: alloc(%zu) returned %llu, not room in the exported "
				"memory\n", mod->path, len + 1, (unsigned long long)res[0]);
		return EXIT_ERR;
	}
	memcpy(data + res[0], text, len + 1);
	*ptr = res[0];
	return 0;
}

/* Fills vals (words) from the arguments by the types pt; 0 or an exit code. */
static int parse_args(struct runner *r, struct loaded *mod, const wlab_valtype_t *pt, uint64_t *vals)
{
	char why[200];
	uint32_t p = 0, w = 0;
	for (int i = 0; i < r->o->nargs; i++) {
		const char *a = r->o->args[i];
		if (!strncmp(a, "str:", 4)) {
			int rc = put_string(r, mod, a + 4, &vals[w]);
			if (rc)
				return rc;
			vals[w + 1] = strlen(a + 4);
			p += 2;
			w += 2;
		} else if (parse_value(a, pt[p], &vals[w], why, sizeof why)) {
			fprintf(stderr, "%s: argument %d: %s\n", mod->path, i + 1, why);
			return EXIT_ERR;
		} else {
			w += value_words(pt[p++]);
		}
	}
	return 0;
}

/* Checks that the arguments fill the params pt (str: fills two i32s)
 * before anything runs; 0 or EXIT_ERR after a message. */
static int check_args(const struct loaded *mod, const char *name, const struct run_opts *o,
		      const wlab_valtype_t *pt, uint32_t np, const wlab_valtype_t *rt, uint32_t nr)
{
	uint32_t p = 0;
	char t[512];
	int i = 0;
	for (; i < o->nargs && p <= np; i++) {
		if (strncmp(o->args[i], "str:", 4)) {
			p++;
			continue;
		}
		if (p + 1 < np && pt[p] == WLAB_I32 && pt[p + 1] == WLAB_I32) {
			p += 2;
			continue;
		}
		if (p >= np)
			break;
		fprintf(stderr, "%s: argument %d: str: needs two i32 params (pointer, length) "
				"at param %u\n", mod->path, i + 1, p);
		return EXIT_ERR;
	}
	if (i == o->nargs && p == np)
		return 0;
	format_functype(t, sizeof t, pt, np, rt, nr);
	fprintf(stderr, "%s: %s %s takes %u arguments, given %d (str:TEXT gives two)\n",
		mod->path, name, t, np, o->nargs);
	return EXIT_ERR;
}

/* A WASI reactor's _initialize runs before --invoke calls an export. */
static int initialize(struct runner *r, struct loaded *mod)
{
	struct rt_func *f = export_func(mod, "_initialize");
	enum wlab_trap trap;
	if (f && wlab_call(r->store, f, NULL, NULL, &trap))
		return call_trapped(r, mod->path, trap);
	return 0;
}

int run_invoke(struct runner *r)
{
	struct loaded *mod = main_module(r);
	const char *name = r->o->invoke;
	struct rt_func *f = export_func(mod, name);
	if (!f) {
		fprintf(stderr, "%s: no exported function %s; ", mod->path, name);
		list_exports(mod);
		return EXIT_ERR;
	}
	const wlab_valtype_t *pt, *rt;
	uint32_t np, nr;
	wlab_func_type(f, &pt, &np, &rt, &nr);
	if (check_args(mod, name, r->o, pt, np, rt, nr))
		return EXIT_ERR;
	uint32_t nwin = values_words(pt, np), nwout = values_words(rt, nr);
	uint64_t *vals = calloc((size_t)(nwin > nwout ? nwin : nwout) + 1, sizeof *vals);
	enum wlab_trap trap;
	int rc = EXIT_ERR;
	if (!vals) {
		fprintf(stderr, "wlab-run: out of memory\n");
		return EXIT_ERR;
	}
	rc = initialize(r, mod);
	if (!rc)
		rc = parse_args(r, mod, pt, vals);
	if (rc)
		goto done;
	if (wlab_call(r->store, f, vals, vals, &trap)) {
		rc = call_trapped(r, mod->path, trap);
		goto done;
	}
	values_gc(r->store, mod->inst);
	for (uint32_t i = 0, w = 0; i < nr; w += value_words(rt[i++]))
		print_value(rt[i], &vals[w]);
	fflush(stdout);
done:
	free(vals);
	return rc;
}

int run_command(struct runner *r)
{
	struct loaded *mod = main_module(r);
	struct rt_func *f = export_func(mod, "_start");
	enum wlab_trap trap;
	if (!f) {
		fprintf(stderr, "%s: no _start export: not a WASI command (call an export with "
				"--invoke NAME); ", mod->path);
		list_exports(mod);
		return EXIT_ERR;
	}
	const wlab_valtype_t *pt, *rt;
	uint32_t np, nr;
	wlab_func_type(f, &pt, &np, &rt, &nr);
	if (np || nr) {
		/* where: the export entry that names it */
		uint32_t at = wlab_module_export_named(mod->m, "_start", 6)->span.offset;
		char t[512];
		format_functype(t, sizeof t, pt, np, rt, nr);
		fprintf(stderr, "%s:0x%x: error: _start %s must take and return nothing to be a WASI "
				"command (call it with --invoke _start ARGS)\n", mod->path, at, t);
		return EXIT_ERR;
	}
	if (wlab_call(r->store, f, NULL, NULL, &trap))
		return call_trapped(r, mod->path, trap);
	fflush(stdout);
	return 0;
}
