/* imports.c: who satisfies each import of a module: WASI, the spectest host
 * module, a --link module, or else a stub (listed on stderr). Every host
 * function goes through host_entry(), which traces and dispatches. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"
#include "wlab.h"

enum wlab_trap host_entry(void *ctx, const uint64_t *args, uint64_t *results)
{
	struct hostcall *h = ctx;
	uint64_t saved[16], *copy = NULL;
	if (h->r->o->trace != TRACE_OFF) {
		/* The results may overwrite the arguments: keep them for the trace. */
		uint32_t n = values_words(h->params, h->nparams);
		copy = n <= 16 ? saved : malloc(n * sizeof *copy);
		if (copy)
			memcpy(copy, args, n * sizeof *copy);
	}
	enum wlab_trap trap = h->is_stub ? stub_call(h, args, results)
					 : h->inner(h->inner_ctx, args, results);
	if (trap && trap != WLAB_TRAP_EXIT)
		h->r->trapped = h;
	if (copy)
		trace_line(h, copy, results, trap);
	if (copy != saved)
		free(copy);
	return trap;
}

/* A host function for import im with type (params, results), or when
 * type_id is not UINT32_MAX, of that store type (a stub of the module's own
 * type, which may name its other types). */
static struct hostcall *host_new(struct runner *r, struct loaded *mod, const char *module,
				 const char *field, const wlab_valtype_t *params, uint32_t np,
				 const wlab_valtype_t *results, uint32_t nr, uint32_t type_id,
				 struct wlab_extern *x)
{
	struct hostcall *h = calloc(1, sizeof *h);
	if (!h) {
		fprintf(stderr, "wlab-run: out of memory\n");
		return NULL;
	}
	h->next = r->hosts;
	r->hosts = h;
	h->r = r;
	h->mod = mod;
	h->module = strdup(module);
	h->field = strdup(field);
	x->kind = WLAB_EXTERN_FUNC;
	x->u.func = type_id != UINT32_MAX
			    ? wlab_host_func_new_id(r->store, type_id, host_entry, h)
			    : wlab_host_func_new(r->store, params, np, results, nr, host_entry, h);
	if (!h->module || !h->field || !x->u.func) {
		fprintf(stderr, "wlab-run: out of memory\n");
		return NULL;
	}
	/* The store's copy of the type outlives h; point at it. */
	wlab_func_type(x->u.func, &h->params, &h->nparams, &h->results, &h->nresults);
	return h;
}

/* The rule of --stub for module.field, else --stub-default. */
static const struct stub_policy *policy_for(const struct run_opts *o, const char *module,
					    const char *field, bool *explicit)
{
	for (int i = o->nstubs - 1; i >= 0; i--)
		if (!strcmp(o->stubs[i].module, module) &&
		    (!strcmp(o->stubs[i].field, field) || !strcmp(o->stubs[i].field, "*"))) {
			*explicit = true;
			o->stubs[i].used = true;
			return &o->stubs[i].policy;
		}
	*explicit = false;
	return &o->stub_default;
}

static void policy_text(const struct stub_policy *p, char *buf, size_t size)
{
	static const char *const names[] = {"trap", "log", "zero", "const", "str"};
	char v[64];
	if (p->kind != STUB_CONST) {
		snprintf(buf, size, "%s", names[p->kind]);
		return;
	}
	format_value(v, sizeof v, p->type, &p->value);
	snprintf(buf, size, "const:%s", v);
}

/* The store ids of mod's types, for stubs of its own types; NULL after a
 * message when out of memory. */
static const uint32_t *type_ids(struct runner *r, struct loaded *mod)
{
	if (!mod->type_ids &&
	    (!(mod->type_ids = calloc(mod->m->ntypes + 1, sizeof *mod->type_ids)) ||
	     wlab_store_module_type_ids(r->store, mod->m, mod->type_ids))) {
		fprintf(stderr, "wlab-run: out of memory\n");
		return NULL;
	}
	return mod->type_ids;
}

/* Checks that policy p can stand for import im; prints why not. */
static int policy_fits(const struct wlab_module *m, const struct wlab_import *im,
		       const struct stub_policy *p, const char *what)
{
	const char *need = NULL;
	if (im->kind == WLAB_EXTERN_FUNC) {
		const struct wlab_functype *ft = &m->types[im->u.func_type];
		if (p->kind == STUB_STR &&
		    (ft->nparams != 2 || ft->params[0] != WLAB_I32 || ft->params[1] != WLAB_I32))
			need = "params (i32, i32)";
		if (p->kind == STUB_CONST && (ft->nresults != 1 || ft->results[0] != p->type))
			need = "one result of the constant's type";
	} else if (im->kind == WLAB_EXTERN_GLOBAL) {
		if (p->kind == STUB_CONST && im->u.global.valtype != p->type)
			need = "a global of the constant's type";
	}
	if (!need)
		return 0;
	char pt[80];
	policy_text(p, pt, sizeof pt);
	fprintf(stderr, "wlab-run: policy %s for %s needs %s; the import is %s\n", pt,
		what, need, what + strlen(what) + 1);
	return -1;
}

static int stub_import(struct runner *r, struct loaded *mod, const struct wlab_import *im,
		       const char *module, const char *field, struct wlab_extern *x)
{
	bool explicit;
	const struct stub_policy *p = policy_for(r->o, module, field, &explicit);
	char desc[512], pt[80];
	int n = snprintf(desc, sizeof desc, "%s.%s", module, field);
	wlab_import_type_str(mod->m, im, desc + n + 1, sizeof desc - (size_t)n - 1);
	if (policy_fits(mod->m, im, p, desc))
		return EXIT_USAGE;
	policy_text(p, pt, sizeof pt);
	if (im->kind == WLAB_EXTERN_TAG)
		snprintf(pt, sizeof pt, "a new tag");
	else if (im->kind != WLAB_EXTERN_FUNC && im->kind != WLAB_EXTERN_GLOBAL)
		snprintf(pt, sizeof pt, "declared limits");
	else if (im->kind == WLAB_EXTERN_GLOBAL && p->kind != STUB_CONST)
		snprintf(pt, sizeof pt, "zero");
	if (!r->o->quiet)
		fprintf(stderr, "wlab-run: stub %s: %s: %s%s\n", desc, desc + n + 1, pt,
			explicit || im->kind != WLAB_EXTERN_FUNC ? "" : " (--stub-default)");
	const uint32_t *ids = type_ids(r, mod);
	if (!ids)
		return EXIT_ERR;
	if (im->kind == WLAB_EXTERN_FUNC) {
		const struct wlab_functype *ft = &mod->m->types[im->u.func_type];
		struct hostcall *h = host_new(r, mod, module, field, ft->params, ft->nparams,
					      ft->results, ft->nresults, ids[im->u.func_type], x);
		if (!h)
			return EXIT_ERR;
		h->is_stub = true;
		h->policy = *p;
		return 0;
	}
	if (im->kind == WLAB_EXTERN_TAG) {
		/* a tag of its own: the guest's throws of it are caught by its
		 * own handlers; nothing else throws it */
		x->kind = WLAB_EXTERN_TAG;
		if ((x->u.tag = wlab_tag_new_id(r->store, ids[im->u.tag.type_index])))
			return 0;
		fprintf(stderr, "wlab-run: out of memory\n");
		return EXIT_ERR;
	}
	return stub_extern(r, im, ids, p, x) ? EXIT_ERR : 0;
}

/* WASI (either snapshot) or spectest: 1 and *x when the import is theirs,
 * 0 when not, or an exit code < 0 negated. */
static int provided(struct runner *r, struct loaded *mod, const struct wlab_import *im,
		    const char *module, const char *field, struct wlab_extern *x)
{
	/* NULL for a module that is not WASI's, too */
	const struct wlab_wasi_func *w =
		im->kind == WLAB_EXTERN_FUNC ? wasi_lookup(module, field) : NULL;
	if (w) {
		if (!r->wasi && wasi_start(r))
			return -EXIT_ERR;
		wlab_valtype_t p[16], res[4];  /* the widest WASI signature has 9 params */
		for (uint32_t k = 0; k < w->nparams && k < 16; k++)
			p[k] = w->params[k];
		for (uint32_t k = 0; k < w->nresults && k < 4; k++)
			res[k] = w->results[k];
		struct hostcall *h = host_new(r, mod, module, field, p, w->nparams, res,
					      w->nresults, UINT32_MAX, x);
		if (!h)
			return -EXIT_ERR;
		h->inner = w->fn;
		h->inner_ctx = r->wasi;
		mod->uses_wasi = true;
		return 1;
	}
	if (strcmp(module, "spectest"))
		return 0;
	if (im->kind == WLAB_EXTERN_FUNC) {
		const wlab_valtype_t *params;
		uint32_t np;
		wlab_host_fn fn;
		if (!spectest_host_lookup(field, &params, &np, &fn))
			return 0;
		struct hostcall *h =
			host_new(r, mod, module, field, params, np, NULL, 0, UINT32_MAX, x);
		if (!h)
			return -EXIT_ERR;
		h->inner = fn;
		h->inner_ctx = h;
		return 1;
	}
	return spectest_host_extern(r->store, field, im->kind, x) ? 0 : 1;
}

/* The --link module called module, or NULL. */
static const struct loaded *linked(const struct runner *r, const char *module)
{
	for (int i = r->o->nlinks - 1; i >= 0; i--)
		if (i < r->nmods && r->mods[i].inst && !strcmp(r->o->links[i].name, module))
			return &r->mods[i];
	return NULL;
}

static int resolve_one(struct runner *r, struct loaded *mod, const struct wlab_import *im)
{
	char *module = strndup((const char *)im->module.ptr, im->module.len);
	char *field = strndup((const char *)im->field.ptr, im->field.len);
	struct wlab_extern x = {0};
	int rc = EXIT_ERR;
	if (!module || !field) {
		fprintf(stderr, "wlab-run: out of memory\n");
		goto done;
	}
	const struct loaded *l = linked(r, module);
	if (l && wlab_instance_export(l->inst, (const char *)im->field.ptr, im->field.len, &x)) {
		rc = 0;  /* registered under its name already */
	} else {
		rc = provided(r, mod, im, module, field, &x);
		if (rc < 0) {
			rc = -rc;
			goto done;
		}
		rc = rc ? 0 : stub_import(r, mod, im, module, field, &x);
		if (!rc && wlab_store_define(r->store, module, field, x)) {
			fprintf(stderr, "wlab-run: out of memory\n");
			rc = EXIT_ERR;
		}
	}
	if (!rc && im->kind == WLAB_EXTERN_MEMORY && im->kind_index == 0 &&
	    x.kind == WLAB_EXTERN_MEMORY)
		mod->mem = x.u.memory;
done:
	free(module);
	free(field);
	return rc;
}

int imports_resolve(struct runner *r, struct loaded *mod)
{
	for (uint32_t i = 0; i < mod->m->nimports; i++) {
		int rc = resolve_one(r, mod, &mod->m->imports[i]);
		if (rc)
			return rc;
	}
	return 0;
}
