/* link.c: the import-linker's entry points and its plan: resolving every
 * import of every input to an export (following re-exports), a stub, or
 * nothing, with the spec's import matching (link_types.c). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "link_internal.h"
#include "wlab/link.h"

enum wlab_status link_fail(struct link_ctx *c, enum wlab_status st, uint32_t input,
			   size_t offset, const char *msg, const char *fmt, ...)
{
	if (!c->err || c->err->error.status != WLAB_OK)
		return st;
	wlab_error_set(&c->err->error, st, offset, "%s", msg);
	c->err->input = input;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->err->detail, sizeof c->err->detail, fmt, ap);
	va_end(ap);
	return st;
}

void link_warn(struct link_ctx *c, const char *fmt, ...)
{
	struct wlab_link_result *r = c->res;
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	char **w = realloc(r->warnings, (r->nwarnings + 1) * sizeof *w);
	if (!w)
		return;
	r->warnings = w;
	w[r->nwarnings] = malloc(strlen(buf) + 1);
	if (w[r->nwarnings])
		strcpy(w[r->nwarnings++], buf);
}

const char *link_input_label(const struct link_ctx *c, uint32_t i)
{
	return c->in[i].name;
}

uint32_t link_hash_bytes(uint32_t h, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

bool link_str_eq(struct wlab_str a, const char *s)
{
	size_t n = strlen(s);
	return n == a.len && (n == 0 || memcmp(a.ptr, s, n) == 0);
}

bool link_strs_eq(struct wlab_str a, struct wlab_str b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

struct wlab_str link_str_copy(struct link_ctx *c, struct wlab_str s)
{
	struct wlab_str r = {0};
	uint8_t *p = wlab_arena_alloc(c->arena, s.len + 1);
	if (!p)
		return r;
	if (s.len)
		memcpy(p, s.ptr, s.len);
	r.ptr = p;
	r.len = s.len;
	return r;
}

uint32_t link_kind_count(const struct wlab_module *m, uint8_t kind)
{
	switch (kind) {
	case WLAB_EXTERN_FUNC: return wlab_module_func_count(m);
	case WLAB_EXTERN_TABLE: return wlab_module_table_count(m);
	case WLAB_EXTERN_MEMORY: return wlab_module_memory_count(m);
	case WLAB_EXTERN_GLOBAL: return wlab_module_global_count(m);
	case WLAB_EXTERN_TAG: return m->nimported_tags + m->ntags;
	}
	return 0;
}

uint32_t link_kind_imported(const struct wlab_module *m, uint8_t kind)
{
	switch (kind) {
	case WLAB_EXTERN_FUNC: return m->nimported_funcs;
	case WLAB_EXTERN_TABLE: return m->nimported_tables;
	case WLAB_EXTERN_MEMORY: return m->nimported_memories;
	case WLAB_EXTERN_GLOBAL: return m->nimported_globals;
	case WLAB_EXTERN_TAG: return m->nimported_tags;
	}
	return 0;
}

/* snprintf for messages that may be cut short (their length is bounded). */
static void msg(char *buf, size_t size, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;
static void msg(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, size, fmt, ap);
	va_end(ap);
}

static void cat(char *buf, size_t size, const char *s)
{
	size_t n = strlen(buf);
	if (n + 1 < size)
		snprintf(buf + n, size - n, "%s", s);
}

static uint32_t find_stub(const struct link_ctx *c, const struct wlab_import *imp)
{
	for (uint32_t s = 0; s < c->opts.nstubs; s++)
		if (link_str_eq(imp->module, c->opts.stubs[s].module) &&
		    link_str_eq(imp->field, c->opts.stubs[s].field))
			return s;
	return LINK_NONE;
}

/* ---- resolution ---- */

static uint32_t find_input(const struct link_ctx *c, struct wlab_str name)
{
	for (uint32_t i = 0; i < c->n; i++)
		if (link_str_eq(name, c->in[i].name))
			return i;
	return LINK_NONE;
}

/* "a" imports "b"."f" */
static void describe(const struct link_ctx *c, uint32_t i, const struct wlab_import *imp,
		     char *buf, size_t size)
{
	snprintf(buf, size, "%s imports \"%.*s\".\"%.*s\"", link_input_label(c, i),
		 (int)imp->module.len, (const char *)imp->module.ptr, (int)imp->field.len,
		 (const char *)imp->field.ptr);
}

/* Checks that a stub can stand for the import. */
static bool stub_fits(const struct link_ctx *c, uint32_t i, const struct wlab_import *imp,
		      const struct wlab_link_stub *s, struct wlab_link_plan_entry *row)
{
	const struct wlab_module *m = c->in[i].module;
	char who[200];
	describe(c, i, imp, who, sizeof who);
	if (imp->kind == WLAB_EXTERN_FUNC) {
		const struct wlab_functype *t = link_type_at(m, imp->u.func_type);
		if (s->kind == WLAB_LINK_STUB_CONST &&
		    (!t || t->nresults != 1 || t->results[0] != s->valtype)) {
			msg(row->message, sizeof row->message,
				 "stub type mismatch: %s %s, but the stub returns one %s", who,
				 row->import_type, link_vt(s->valtype));
			return false;
		}
		return true;
	}
	if (imp->kind == WLAB_EXTERN_GLOBAL) {
		if (s->kind == WLAB_LINK_STUB_TRAP ||
		    (s->kind == WLAB_LINK_STUB_CONST && s->valtype != imp->u.global.valtype)) {
			msg(row->message, sizeof row->message,
				 "stub type mismatch: %s %s: a global stub is zero or const:%s:VALUE",
				 who, row->import_type, link_vt(imp->u.global.valtype));
			return false;
		}
		if (s->kind == WLAB_LINK_STUB_ZERO && imp->u.global.valtype != WLAB_I32 &&
		    imp->u.global.valtype != WLAB_I64 && imp->u.global.valtype != WLAB_F32 &&
		    imp->u.global.valtype != WLAB_F64 && imp->u.global.valtype != WLAB_FUNCREF &&
		    imp->u.global.valtype != WLAB_EXTERNREF && imp->u.global.valtype != WLAB_V128) {
			msg(row->message, sizeof row->message, "cannot stub %s %s", who,
				 row->import_type);
			return false;
		}
		return true;
	}
	msg(row->message, sizeof row->message,
		 "cannot stub %s %s: only functions and globals can be stubbed", who,
		 row->import_type);
	return false;
}

/* One step of resolution for row r (input i, import k). Fills the row's own
 * fields and returns the row it forwards to (a re-exported import of the
 * provider), or LINK_NONE when the row is settled (how set). */
static uint32_t resolve_step(struct link_ctx *c, uint32_t i, uint32_t k)
{
	const struct wlab_module *m = c->in[i].module;
	const struct wlab_import *imp = &m->imports[k];
	struct wlab_link_plan_entry *row = &c->res->plan[c->row_base[i] + k];
	char who[200];

	row->input = i;
	row->import = k;
	row->provider = row->def_input = row->def_index = row->out_index = row->stub = LINK_NONE;
	wlab_link_import_type(m, imp, row->import_type, sizeof row->import_type);
	describe(c, i, imp, who, sizeof who);
	if (imp->kind >= LINK_NKINDS) {
		row->how = WLAB_LINK_ERROR;
		msg(row->message, sizeof row->message,
			 "unsupported import kind: %s %s (wlab-link links functions, tables, memories, globals and tags)",
			 who, row->import_type);
		return LINK_NONE;
	}
	uint32_t j = find_input(c, imp->module);
	const struct wlab_export *ex = j == LINK_NONE ? NULL : wlab_module_export_named(c->in[j].module,
							   (const char *)imp->field.ptr, imp->field.len);
	if (!ex) {
		uint32_t s = find_stub(c, imp);
		if (s != LINK_NONE) {
			row->stub = s;
			row->how = stub_fits(c, i, imp, &c->opts.stubs[s], row) ? WLAB_LINK_STUBBED
										 : WLAB_LINK_ERROR;
		} else if (j == LINK_NONE) {
			row->how = WLAB_LINK_KEPT;
		} else {
			row->how = WLAB_LINK_ERROR;
			msg(row->message, sizeof row->message,
				 "unknown import: %s %s, but module %s (%s) has no export \"%.*s\"",
				 who, row->import_type, c->in[j].name,
				 c->in[j].path ? c->in[j].path : c->in[j].name,
				 (int)imp->field.len, (const char *)imp->field.ptr);
		}
		return LINK_NONE;
	}
	const struct wlab_module *pm = c->in[j].module;
	row->provider = j;
	wlab_link_export_type(pm, ex, row->provider_type, sizeof row->provider_type);
	if (!link_import_matches(c, i, imp, j, ex)) {
		char named[240];
		row->how = WLAB_LINK_ERROR;
		link_named_types(c->in[i].name, m, imp, c->in[j].name, pm, ex, named, sizeof named);
		msg(row->message, sizeof row->message,
			 "incompatible import type: %s %s, but %s exports \"%.*s\" as %s %s%s%s", who,
			 row->import_type, c->in[j].name, (int)ex->name.len,
			 (const char *)ex->name.ptr, wlab_extern_kind_name(ex->kind),
			 row->provider_type,
			 strstr(row->import_type, "(type ") || strstr(row->provider_type, "(type ")
				 ? " (GC types match as whole rec groups, and a function's type by its declared supertypes)"
				 : "",
			 named);
		return LINK_NONE;
	}
	const struct wlab_import *inner = ex->index < link_kind_imported(pm, ex->kind)
						  ? wlab_module_import_of(pm, ex->kind, ex->index)
						  : NULL;
	if (inner)
		return c->row_base[j] + (uint32_t)(inner - pm->imports);
	row->how = WLAB_LINK_FUSED;
	row->def_input = j;
	row->def_index = ex->index;
	return LINK_NONE;
}

/* Resolves row r, following re-exports; every row on the way takes the
 * final answer. A chain that comes back to itself is an import cycle. */
static void resolve(struct link_ctx *c, uint32_t r, uint32_t *chain)
{
	struct wlab_link_plan_entry *plan = c->res->plan;
	uint32_t len = 0, at = r, end;
	while (1) {
		if (c->state[at] == 2) {
			end = at;
			break;
		}
		if (c->state[at] == 1) {
			/* a cycle: every row on it is an error */
			char path[256] = "";
			for (uint32_t q = 0; q < len; q++) {
				const struct wlab_link_plan_entry *e = &plan[chain[q]];
				const struct wlab_import *imp = &c->in[e->input].module->imports[e->import];
				char step[96];
				msg(step, sizeof step, "%s%s.%.*s", q ? " -> " : "",
					 c->in[e->input].name, (int)imp->field.len,
					 (const char *)imp->field.ptr);
				cat(path, sizeof path, step);
			}
			for (uint32_t q = 0; q < len; q++) {
				plan[chain[q]].how = WLAB_LINK_ERROR;
				msg(plan[chain[q]].message, sizeof plan[chain[q]].message,
					 "import cycle: the re-exports %s -> ... resolve to themselves",
					 path);
				c->state[chain[q]] = 2;
				c->term[chain[q]] = chain[q];
			}
			return;
		}
		c->state[at] = 1;
		chain[len++] = at;
		uint32_t input = 0;
		while (input + 1 < c->n && c->row_base[input + 1] <= at)
			input++;
		uint32_t next = resolve_step(c, input, at - c->row_base[input]);
		if (next == LINK_NONE) {
			c->state[at] = 2;
			c->term[at] = at;
			end = at;
			len--;
			break;
		}
		at = next;
	}
	/* rows on the chain forward to end: take its answer */
	const struct wlab_link_plan_entry *fin = &plan[end];
	for (uint32_t q = 0; q < len; q++) {
		struct wlab_link_plan_entry *e = &plan[chain[q]];
		e->how = fin->how;
		e->def_input = fin->def_input;
		e->def_index = fin->def_index;
		e->stub = fin->stub;
		c->term[chain[q]] = c->term[end];
		if (fin->how == WLAB_LINK_ERROR) {
			char inner[sizeof e->message];
			memcpy(inner, fin->message, sizeof inner);
			msg(e->message, sizeof e->message, "%s (re-exported by %s)", inner,
			    c->in[e->provider].name);
		}
		c->state[chain[q]] = 2;
	}
}

static enum wlab_status ctx_init(struct link_ctx *c, const struct wlab_link_input *inputs,
				 uint32_t n, const struct wlab_link_options *opts,
				 struct wlab_link_result *res, struct wlab_link_error *err)
{
	memset(c, 0, sizeof *c);
	c->in = inputs;
	c->n = n;
	if (opts)
		c->opts = *opts;
	c->res = res;
	c->err = err;
	c->features = c->opts.features;
	if (err) {
		memset(err, 0, sizeof *err);
		err->input = UINT32_MAX;
	}
	c->row_base = calloc(n + 1, sizeof *c->row_base);
	if (!c->row_base)
		return link_fail(c, WLAB_NOMEM, LINK_NONE, 0, "out of memory", "out of memory");
	uint32_t rows = 0;
	for (uint32_t i = 0; i < n; i++) {
		const struct wlab_module *m = inputs[i].module;
		c->row_base[i] = rows;
		if (m->has_linking || m->nreloc_sections)
			return link_fail(c, WLAB_UNLINKABLE, i, 0, "relocatable input",
					 "relocatable input: %s (%s) has a linking or reloc.* section; it is an object file, link it with wasm-ld first",
					 inputs[i].name, inputs[i].path ? inputs[i].path : inputs[i].name);
		if (m->has_dylink)
			return link_fail(c, WLAB_UNLINKABLE, i, 0, "shared library input",
					 "shared library input: %s has a dylink section; wlab-link fuses whole modules, not dynamic libraries",
					 inputs[i].name);
		for (uint32_t j = 0; j < i; j++)
			if (strcmp(inputs[i].name, inputs[j].name) == 0)
				return link_fail(c, WLAB_UNLINKABLE, i, 0, "duplicate module name",
						 "duplicate module name: inputs %u and %u are both named \"%s\" (use NAME=FILE)",
						 j + 1, i + 1, inputs[i].name);
		rows += m->nimports;
	}
	c->row_base[n] = rows;
	enum wlab_status st = link_canon_init(c);
	if (st)
		return st;
	res->nplan = rows;
	res->plan = calloc(rows ? rows : 1, sizeof *res->plan);
	c->state = calloc(rows ? rows : 1, 1);
	c->term = calloc(rows ? rows : 1, sizeof *c->term);
	if (!res->plan || !c->state || !c->term)
		return link_fail(c, WLAB_NOMEM, LINK_NONE, 0, "out of memory", "out of memory");
	return WLAB_OK;
}

static void ctx_fini(struct link_ctx *c)
{
	free(c->row_base);
	free(c->state);
	free(c->term);
	for (int k = 0; k < LINK_NKINDS; k++) {
		free(c->map[k]);
		free(c->space_base[k]);
	}
	free(c->type_map);
	free(c->type_base);
	free(c->elem_base);
	free(c->data_base);
	free(c->out_imports);
	free(c->stub_funcs);
	free(c->stub_globals);
	free(c->types);
	link_canon_fini(c);
	free(c->global_init);
	free(c->buf.data);
	wlab_arena_free(c->arena);
	free(c->out);
}

static enum wlab_status plan(struct link_ctx *c)
{
	struct wlab_link_result *res = c->res;
	uint32_t *chain = calloc(res->nplan ? res->nplan : 1, sizeof *chain);
	if (!chain)
		return link_fail(c, WLAB_NOMEM, LINK_NONE, 0, "out of memory", "out of memory");
	for (uint32_t r = 0; r < res->nplan; r++)
		resolve(c, r, chain);
	free(chain);
	for (uint32_t s = 0; s < c->opts.nstubs; s++) {
		bool used = false;
		for (uint32_t r = 0; r < res->nplan && !used; r++)
			used = res->plan[r].stub == s;
		if (!used)
			link_warn(c, "--stub %s.%s matches no import that needs it", c->opts.stubs[s].module,
				  c->opts.stubs[s].field);
	}
	for (uint32_t r = 0; r < res->nplan; r++) {
		const struct wlab_link_plan_entry *e = &res->plan[r];
		if (e->how == WLAB_LINK_ERROR) {
			const char *text = e->message;
			char shortmsg[64];
			size_t n = strcspn(text, ":");
			snprintf(shortmsg, sizeof shortmsg, "%.*s", (int)(n < 63 ? n : 63), text);
			size_t off = c->in[e->input].module->imports[e->import].span.offset;
			return link_fail(c, WLAB_UNLINKABLE, e->input, off, shortmsg, "%s", text);
		}
	}
	return WLAB_OK;
}

enum wlab_status wlab_link_plan(const struct wlab_link_input *inputs, uint32_t ninputs,
				const struct wlab_link_options *opts,
				struct wlab_link_result *result, struct wlab_link_error *err)
{
	struct link_ctx c;
	enum wlab_status st = ctx_init(&c, inputs, ninputs, opts, result, err);
	if (st == WLAB_OK) {
		enum wlab_status pst = plan(&c);
		/* lay out even with errors so rows that resolved show an index */
		st = link_layout(&c);
		if (pst != WLAB_OK)
			st = pst;
	}
	ctx_fini(&c);
	return st;
}

enum wlab_status wlab_link(const struct wlab_link_input *inputs, uint32_t ninputs,
			   const struct wlab_link_options *opts,
			   struct wlab_link_result *result, struct wlab_link_error *err)
{
	struct link_ctx c;
	enum wlab_status st = ctx_init(&c, inputs, ninputs, opts, result, err);
	if (st == WLAB_OK)
		st = plan(&c);
	if (st == WLAB_OK)
		st = link_layout(&c);
	if (st == WLAB_OK)
		st = link_build(&c);
	if (st == WLAB_OK) {
		result->module = c.out;
		result->bytes = c.buf.data;
		result->size = c.buf.len;
		c.out->bytes = c.buf.data;
		c.out->size = c.buf.len;
		c.out->arena = c.arena;
		c.out = NULL;
		c.buf.data = NULL;
		c.arena = NULL;
	}
	ctx_fini(&c);
	return st;
}

void wlab_link_result_free(struct wlab_link_result *r)
{
	if (!r)
		return;
	wlab_module_free(r->module);
	free(r->bytes);
	free(r->plan);
	for (uint32_t i = 0; i < r->nwarnings; i++)
		free(r->warnings[i]);
	free(r->warnings);
	memset(r, 0, sizeof *r);
}
