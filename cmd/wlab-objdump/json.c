/* json.c: --json, the modules as one JSON document of schema "wlab-objdump/1"
 * (described field by field in docs/wlab-objdump.md). Offsets and sizes are
 * file offsets in bytes; indices are in their index space (imports first). */
#include <inttypes.h>
#include <string.h>

#include "objdump.h"
#include "json.h"
#include "print.h"

static void jw_sep(struct jw *w)
{
	if (w->comma)
		fputs(", ", w->out);
	w->comma = false;
}

static void jw_bytes(struct jw *w, const uint8_t *p, size_t n)
{
	/* Valid UTF-8 goes out as is; otherwise each byte >= 0x80 becomes
	 * \u00XX, reading the name as Latin-1. */
	bool utf8 = wlab_utf8_valid(p, n);
	fputc('"', w->out);
	for (size_t i = 0; i < n; i++) {
		uint8_t c = p[i];
		if (c == '"' || c == '\\')
			fprintf(w->out, "\\%c", c);
		else if (c < 0x20 || c == 0x7f || (c >= 0x80 && !utf8))
			fprintf(w->out, "\\u%04x", c);
		else
			fputc(c, w->out);
	}
	fputc('"', w->out);
}

static void jw_key(struct jw *w, const char *k)
{
	jw_sep(w);
	fprintf(w->out, "\"%s\": ", k);
}

void jw_open(struct jw *w, const char *k, char brace)
{
	if (k)
		jw_key(w, k);
	else
		jw_sep(w);
	fputc(brace, w->out);
	w->comma = false;
}

void jw_close(struct jw *w, char brace)
{
	fputc(brace, w->out);
	w->comma = true;
}

void jw_u64(struct jw *w, const char *k, uint64_t v)
{
	jw_key(w, k);
	fprintf(w->out, "%" PRIu64, v);
	w->comma = true;
}

void jw_i64(struct jw *w, const char *k, int64_t v)
{
	jw_key(w, k);
	fprintf(w->out, "%" PRId64, v);
	w->comma = true;
}

void jw_bool(struct jw *w, const char *k, bool v)
{
	jw_key(w, k);
	fputs(v ? "true" : "false", w->out);
	w->comma = true;
}

void jw_cstr(struct jw *w, const char *k, const char *s)
{
	if (k)
		jw_key(w, k);
	else
		jw_sep(w);
	if (s)
		jw_bytes(w, (const uint8_t *)s, strlen(s));
	else
		fputs("null", w->out);
	w->comma = true;
}

void jw_str(struct jw *w, const char *k, struct wlab_str s)
{
	if (k)
		jw_key(w, k);
	else
		jw_sep(w);
	jw_bytes(w, s.ptr, s.len);
	w->comma = true;
}

void jw_span(struct jw *w, struct wlab_span s)
{
	jw_u64(w, "offset", s.offset);
	jw_u64(w, "size", s.size);
}

/* ---- the module ---- */

static void signature(struct jw *w, const struct wlab_module *m, uint32_t type)
{
	char buf[512];
	size_t n = 0;
	jw_key(w, "signature");
	if (type >= m->ntypes) {
		fputs("null", w->out);
		w->comma = true;
		return;
	}
	const struct wlab_functype *t = &m->types[type];
	n += (size_t)snprintf(buf + n, sizeof buf - n, "(");
	for (uint32_t i = 0; i < t->nparams && n < sizeof buf - 32; i++)
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s", i ? ", " : "",
				      objdump_type_str(t->params[i]));
	n += (size_t)snprintf(buf + n, sizeof buf - n, ") -> ");
	if (t->nresults != 1)
		n += (size_t)snprintf(buf + n, sizeof buf - n, t->nresults ? "(" : "nil");
	for (uint32_t i = 0; i < t->nresults && n < sizeof buf - 32; i++)
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s", i ? ", " : "",
				      objdump_type_str(t->results[i]));
	if (t->nresults > 1)
		snprintf(buf + n, sizeof buf - n, ")");
	jw_cstr(w, NULL, buf);
}

static void limits(struct jw *w, const struct wlab_limits *l)
{
	jw_u64(w, "initial", l->min);
	if (l->has_max)
		jw_u64(w, "max", l->max);
	jw_bool(w, "shared", l->shared);
	jw_bool(w, "i64", l->is64);
}

static void json_sections(struct jw *w, const struct wlab_module *m)
{
	jw_open(w, "sections", '[');
	for (uint32_t i = 0; i < m->nsections; i++) {
		const struct wlab_section *s = &m->sections[i];
		jw_open(w, NULL, '{');
		jw_u64(w, "index", i);
		jw_u64(w, "id", s->id);
		jw_cstr(w, "kind", wlab_section_name(s->id));
		if (s->id == WLAB_SEC_CUSTOM)
			jw_str(w, "name", s->name);
		jw_span(w, s->span);
		jw_u64(w, "payload_offset", s->payload.offset);
		jw_u64(w, "payload_size", s->payload.size);
		if (s->id != WLAB_SEC_CUSTOM && s->id != WLAB_SEC_START)
			jw_u64(w, "count", s->id == WLAB_SEC_DATACOUNT ? m->data_count : s->count);
		jw_close(w, '}');
	}
	jw_close(w, ']');
}

/* GC's part of a type, only where it has one: form "struct" or "array"
 * with fields [{type, mutable}], final false or a supertype, its rec group. */
static void json_gc_type(struct jw *w, const struct wlab_functype *t)
{
	char buf[48];
	if (t->form == WLAB_FORM_STRUCT || t->form == WLAB_FORM_ARRAY) {
		jw_cstr(w, "form", t->form == WLAB_FORM_STRUCT ? "struct" : "array");
		jw_open(w, "fields", '[');
		for (uint32_t j = 0; j < t->nfields; j++) {
			jw_open(w, NULL, '{');
			jw_cstr(w, "type", wlab_type_str(t->fields[j].type, buf, sizeof buf));
			jw_bool(w, "mutable", t->fields[j].mut);
			jw_close(w, '}');
		}
		jw_close(w, ']');
	}
	if (t->sub || t->has_super || !t->final) {
		jw_bool(w, "final", t->final);
		if (t->has_super)
			jw_u64(w, "supertype", t->super);
	}
	if (t->rec || t->rec_size > 1) {
		jw_u64(w, "rec_start", t->rec_start);
		jw_u64(w, "rec_size", t->rec_size);
	}
}

static void json_types(struct jw *w, const struct wlab_module *m)
{
	jw_open(w, "types", '[');
	for (uint32_t i = 0; i < m->ntypes; i++) {
		const struct wlab_functype *t = &m->types[i];
		jw_open(w, NULL, '{');
		jw_u64(w, "index", i);
		jw_open(w, "params", '[');
		for (uint32_t j = 0; j < t->nparams; j++)
			jw_cstr(w, NULL, objdump_type_str(t->params[j]));
		jw_close(w, ']');
		jw_open(w, "results", '[');
		for (uint32_t j = 0; j < t->nresults; j++)
			jw_cstr(w, NULL, objdump_type_str(t->results[j]));
		jw_close(w, ']');
		json_gc_type(w, t);
		jw_span(w, t->span);
		jw_close(w, '}');
	}
	jw_close(w, ']');
}

static void json_imports(struct jw *w, const struct wlab_module *m)
{
	jw_open(w, "imports", '[');
	for (uint32_t i = 0; i < m->nimports; i++) {
		const struct wlab_import *im = &m->imports[i];
		jw_open(w, NULL, '{');
		jw_str(w, "module", im->module);
		jw_str(w, "field", im->field);
		jw_cstr(w, "kind", wlab_extern_kind_name(im->kind));
		jw_u64(w, "index", im->kind_index);
		switch (im->kind) {
		case WLAB_EXTERN_FUNC:
			jw_u64(w, "type", im->u.func_type);
			signature(w, m, im->u.func_type);
			break;
		case WLAB_EXTERN_TABLE:
			jw_cstr(w, "elemtype", objdump_type_str(im->u.table.elemtype));
			limits(w, &im->u.table.limits);
			break;
		case WLAB_EXTERN_MEMORY:
			limits(w, &im->u.memory);
			break;
		case WLAB_EXTERN_GLOBAL:
			jw_cstr(w, "valtype", objdump_type_str(im->u.global.valtype));
			jw_bool(w, "mutable", im->u.global.mut);
			break;
		case WLAB_EXTERN_TAG:
			jw_u64(w, "type", im->u.tag.type_index);
			signature(w, m, im->u.tag.type_index);
			break;
		default:
			break;
		}
		jw_span(w, im->span);
		jw_close(w, '}');
	}
	jw_close(w, ']');
}

static void json_functions(struct jw *w, const struct objdump_ctx *ctx)
{
	const struct wlab_module *m = ctx->m;
	uint32_t n = wlab_module_func_count(m);
	jw_open(w, "functions", '[');
	for (uint32_t i = 0; i < n; i++) {
		uint32_t type = wlab_module_func_type(m, i);
		jw_open(w, NULL, '{');
		jw_u64(w, "index", i);
		jw_cstr(w, "name", objdump_func_name(ctx, i));
		jw_bool(w, "imported", i < m->nimported_funcs);
		jw_u64(w, "type", type);
		signature(w, m, type);
		uint32_t d = i - m->nimported_funcs;
		if (i >= m->nimported_funcs && d < m->ncodes) {
			const struct wlab_code *c = &m->codes[d];
			jw_open(w, "locals", '[');
			for (uint32_t j = 0; j < c->nlocal_decls; j++) {
				jw_open(w, NULL, '{');
				jw_u64(w, "count", c->local_decls[j].count);
				jw_cstr(w, "type", objdump_type_str(c->local_decls[j].type));
				jw_close(w, '}');
			}
			jw_close(w, ']');
			jw_u64(w, "nlocals", c->nlocals);
			jw_u64(w, "body_offset", c->body.offset);
			jw_u64(w, "body_size", c->body.size);
			jw_u64(w, "code_offset", c->expr.offset);
			jw_u64(w, "code_size", c->expr.size);
		}
		jw_close(w, '}');
	}
	jw_close(w, ']');
}

/* "op" and its immediate: "value", "bits" or "index". */
static void json_op(struct jw *w, const struct wlab_instr *in)
{
	jw_cstr(w, "op", wlab_opinfo(in->op)->name);
	switch (in->op) {
	case WLAB_OP_I32_CONST: jw_i64(w, "value", in->i32); break;
	case WLAB_OP_I64_CONST: jw_i64(w, "value", in->i64); break;
	case WLAB_OP_F32_CONST: jw_u64(w, "bits", in->f32); break;
	case WLAB_OP_F64_CONST: jw_u64(w, "bits", in->f64); break;
	case WLAB_OP_GLOBAL_GET:
	case WLAB_OP_REF_FUNC: jw_u64(w, "index", in->index); break;
	default: break;
	}
}

/* "ops": every instruction but the final end (extended constant expressions). */
static void json_ops(struct jw *w, const struct objdump_ctx *ctx, struct wlab_expr e)
{
	struct wlab_error err = {0};
	struct wlab_instr_iter it;
	struct wlab_instr in;
	jw_open(w, "ops", '[');
	wlab_instr_iter_init(&it, ctx->m->bytes, e.span, 0xffffffffu, &err);
	while (!wlab_instr_iter_done(&it) && wlab_instr_next(&it, &in) == WLAB_OK) {
		if (in.op == WLAB_OP_END && wlab_instr_iter_done(&it))
			break;
		jw_open(w, NULL, '{');
		json_op(w, &in);
		jw_close(w, '}');
	}
	wlab_instr_iter_fini(&it);
	jw_close(w, ']');
}

static void json_expr(struct jw *w, const struct objdump_ctx *ctx, const char *k,
		      struct wlab_expr e)
{
	struct wlab_instr in[1];
	int n = objdump_expr_instrs(ctx, e, in, 1);
	jw_open(w, k, '{');
	jw_span(w, e.span);
	if (n == 1) {
		json_op(w, &in[0]);
	} else {
		jw_u64(w, "instructions", n < 0 ? 0 : (uint64_t)n);
		if (n > 1)
			json_ops(w, ctx, e);
	}
	jw_close(w, '}');
}

static void json_entities(struct jw *w, const struct objdump_ctx *ctx)
{
	const struct wlab_module *m = ctx->m;
	jw_open(w, "tables", '[');
	for (uint32_t i = 0; i < m->ntables; i++) {
		jw_open(w, NULL, '{');
		jw_u64(w, "index", m->nimported_tables + i);
		jw_cstr(w, "name", objdump_table_name(ctx, m->nimported_tables + i));
		jw_cstr(w, "elemtype", objdump_type_str(m->tables[i].type.elemtype));
		limits(w, &m->tables[i].type.limits);
		jw_span(w, m->tables[i].span);
		jw_close(w, '}');
	}
	jw_close(w, ']');
	jw_open(w, "memories", '[');
	for (uint32_t i = 0; i < m->nmemories; i++) {
		jw_open(w, NULL, '{');
		jw_u64(w, "index", m->nimported_memories + i);
		limits(w, &m->memories[i].limits);
		jw_span(w, m->memories[i].span);
		jw_close(w, '}');
	}
	jw_close(w, ']');
	jw_open(w, "globals", '[');
	for (uint32_t i = 0; i < m->nglobals; i++) {
		const struct wlab_global *g = &m->globals[i];
		jw_open(w, NULL, '{');
		jw_u64(w, "index", m->nimported_globals + i);
		jw_cstr(w, "name", objdump_global_name(ctx, m->nimported_globals + i));
		jw_cstr(w, "valtype", objdump_type_str(g->type.valtype));
		jw_bool(w, "mutable", g->type.mut);
		json_expr(w, ctx, "init", g->init);
		jw_span(w, g->span);
		jw_close(w, '}');
	}
	jw_close(w, ']');
	jw_open(w, "exports", '[');
	for (uint32_t i = 0; i < m->nexports; i++) {
		const struct wlab_export *e = &m->exports[i];
		jw_open(w, NULL, '{');
		jw_str(w, "name", e->name);
		jw_cstr(w, "kind", wlab_extern_kind_name(e->kind));
		jw_u64(w, "index", e->index);
		if (e->kind == WLAB_EXTERN_FUNC)
			signature(w, m, wlab_module_func_type(m, e->index));
		jw_span(w, e->span);
		jw_close(w, '}');
	}
	jw_close(w, ']');
	if (m->has_start)
		jw_u64(w, "start", m->start);
}

static const char *mode_name(uint8_t mode)
{
	static const char *const names[] = {"active", "passive", "declarative"};
	return mode < 3 ? names[mode] : "unknown";
}

static void json_segments(struct jw *w, const struct objdump_ctx *ctx)
{
	const struct wlab_module *m = ctx->m;
	jw_open(w, "elems", '[');
	for (uint32_t i = 0; i < m->nelems; i++) {
		const struct wlab_elem *e = &m->elems[i];
		jw_open(w, NULL, '{');
		jw_u64(w, "index", i);
		jw_u64(w, "flags", e->flags);
		jw_cstr(w, "mode", mode_name(e->mode));
		jw_cstr(w, "elemtype", objdump_type_str(e->elemtype));
		if (e->mode == WLAB_SEGMENT_ACTIVE) {
			jw_u64(w, "table", e->table);
			json_expr(w, ctx, "offset_expr", e->offset);
		}
		jw_u64(w, "count", e->count);
		jw_span(w, e->span);
		jw_close(w, '}');
	}
	jw_close(w, ']');
	jw_open(w, "datas", '[');
	for (uint32_t i = 0; i < m->ndatas; i++) {
		const struct wlab_data *d = &m->datas[i];
		jw_open(w, NULL, '{');
		jw_u64(w, "index", i);
		jw_cstr(w, "name", objdump_data_name(ctx, i));
		jw_cstr(w, "mode", mode_name(d->mode));
		if (d->mode == WLAB_SEGMENT_ACTIVE) {
			jw_u64(w, "memory", d->memory);
			json_expr(w, ctx, "offset_expr", d->offset);
		}
		jw_u64(w, "bytes_offset", d->bytes.offset);
		jw_u64(w, "bytes_size", d->bytes.size);
		jw_span(w, d->span);
		jw_close(w, '}');
	}
	jw_close(w, ']');
	if (m->has_data_count)
		jw_u64(w, "data_count", m->data_count);
}

int objdump_json_begin(FILE *out)
{
	fputs("{\"version\": \"wlab-objdump/1\", \"files\": [\n", out);
	return 0;
}

int objdump_json_end(FILE *out)
{
	fputs("\n]}\n", out);
	return 0;
}

void objdump_json_error(FILE *out, const char *path, const struct wlab_error *err)
{
	struct jw w = {out, false};
	jw_open(&w, NULL, '{');
	jw_cstr(&w, "file", path);
	jw_open(&w, "error", '{');
	jw_u64(&w, "offset", err->offset);
	jw_cstr(&w, "message", err->message);
	jw_close(&w, '}');
	jw_close(&w, '}');
}

/* "uses": the features beyond the MVP the module uses, by flag name. */
static void json_uses(struct jw *w, const struct wlab_module *m)
{
	uint32_t uses = 0;
	struct wlab_error err = {0};
	bool complete = wlab_module_uses(m, &uses, &err) == WLAB_OK;
	jw_open(w, "uses", '[');
	for (uint32_t bit = 2; bit; bit <<= 1)
		if ((uses & bit) && wlab_feature_name(bit))
			jw_cstr(w, NULL, wlab_feature_name(bit));
	jw_close(w, ']');
	if (!complete)
		jw_u64(w, "uses_unknown_after", err.offset);
}

int objdump_print_json(struct objdump_ctx *ctx)
{
	const struct wlab_module *m = ctx->m;
	struct jw w = {ctx->out, false};
	jw_open(&w, NULL, '{');
	jw_cstr(&w, "file", ctx->filename);
	jw_u64(&w, "size", m->size);
	jw_u64(&w, "wasm_version", m->version);
	json_uses(&w, m);
	json_sections(&w, m);
	json_types(&w, m);
	json_imports(&w, m);
	json_functions(&w, ctx);
	json_entities(&w, ctx);
	json_segments(&w, ctx);
	json_custom(&w, ctx);
	jw_close(&w, '}');
	return 0;
}
