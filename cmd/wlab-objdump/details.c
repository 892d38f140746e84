/* details.c: -x, "Section Details:" for the standard sections, line for
 * line as wasm-objdump prints them; custom sections are in details_custom.c. */
#include <inttypes.h>

#include "objdump.h"
#include "print.h"

/* What the Elem and Data listings carry from one segment to the next, the
 * way wasm-objdump does: a segment whose offset is not a constant reuses
 * the last constant offset for its element indices and dump addresses. */
struct details_state {
	uint64_t elem_offset;
	uint64_t data_offset;
	bool typed;  /* an init printed so far had a short form */
};

static void print_import_ref(FILE *out, const struct wlab_import *im)
{
	fputs(" <- ", out);
	objdump_print_str(out, im->module);
	fputc('.', out);
	objdump_print_sym(out, im->field);
	fputc('\n', out);
}

static void print_limits(FILE *out, const struct wlab_limits *l)
{
	fprintf(out, "initial=%" PRIu64, l->min);
	if (l->has_max)
		fprintf(out, " max=%" PRIu64, l->max);
}

/* A table's limits, then " i64" for table64 (as wasm-objdump 1.0.39). */
static void print_table_limits(FILE *out, const struct wlab_limits *l)
{
	print_limits(out, l);
	if (l->is64)
		fputs(" i64", out);
}

static void print_memory(FILE *out, uint32_t idx, const struct wlab_limits *l)
{
	fprintf(out, " - memory[%" PRIu32 "] pages: ", idx);
	print_limits(out, l);
	if (l->shared)
		fputs(" shared", out);
	if (l->is64)
		fputs(" i64", out);
}

/* A struct field or array element: its type, (mut t) when mutable. */
static void print_field(FILE *out, const struct wlab_fieldtype *f)
{
	char buf[48];
	const char *t = f->type == WLAB_PACKED_I8 || f->type == WLAB_PACKED_I16
				? wlab_type_str(f->type, buf, sizeof buf) : objdump_type_str(f->type);
	fprintf(out, f->mut ? " (mut %s)" : " %s", t);
}

/* A function type as wasm-objdump prints it: (params) -> result. */
static void print_functype(FILE *out, const struct wlab_functype *t)
{
	fputc('(', out);
	for (uint32_t j = 0; j < t->nparams; j++)
		fprintf(out, "%s%s", j ? ", " : "", objdump_type_str(t->params[j]));
	fputs(") -> ", out);
	if (t->nresults == 0)
		fputs("nil", out);
	else if (t->nresults == 1)
		fputs(objdump_type_str(t->results[0]), out);
	else {
		fputc('(', out);
		for (uint32_t j = 0; j < t->nresults; j++)
			fprintf(out, "%s%s", j ? ", " : "", objdump_type_str(t->results[j]));
		fputc(')', out);
	}
}

/* Each type; GC's struct and array types as wasm-objdump 1.0.39 prints
 * them ((struct i32 (mut i64)), (array f64)). Beyond what it reads, our
 * own lines: a rec group's header ` - rec[G] types A..B`, and `sub` or
 * `sub final` with the supertype's index before a type declared so. */
static void print_type(struct objdump_ctx *ctx)
{
	const struct wlab_module *m = ctx->m;
	FILE *out = ctx->out;
	uint32_t group = 0;
	for (uint32_t i = 0; i < m->ntypes; i++) {
		const struct wlab_functype *t = &m->types[i];
		if (t->rec_start == i && (t->rec_size > 1 || t->rec))
			fprintf(out, " - rec[%" PRIu32 "] types %" PRIu32 "..%" PRIu32 "\n", group, i,
				i + t->rec_size - 1);
		group += t->rec_start == i || t->rec_size <= 1;
		fprintf(out, " - type[%" PRIu32 "] ", i);
		if (t->sub || t->has_super || !t->final) {
			fputs(t->final ? "sub final " : "sub ", out);
			if (t->has_super)
				fprintf(out, "%" PRIu32 " ", t->super);
		}
		if (t->form == WLAB_FORM_STRUCT || t->form == WLAB_FORM_ARRAY) {
			fputs(t->form == WLAB_FORM_STRUCT ? "(struct" : "(array", out);
			for (uint32_t j = 0; j < t->nfields; j++)
				print_field(out, &t->fields[j]);
			fputc(')', out);
		} else {
			print_functype(out, t);
		}
		fputc('\n', out);
	}
}

static void print_import(struct objdump_ctx *ctx)
{
	const struct wlab_module *m = ctx->m;
	FILE *out = ctx->out;
	for (uint32_t i = 0; i < m->nimports; i++) {
		const struct wlab_import *im = &m->imports[i];
		uint32_t k = im->kind_index;
		switch (im->kind) {
		case WLAB_EXTERN_FUNC:
			fprintf(out, " - func[%" PRIu32 "] sig=%" PRIu32, k, im->u.func_type);
			objdump_print_name(out, objdump_func_name(ctx, k));
			break;
		case WLAB_EXTERN_TABLE:
			fprintf(out, " - table[%" PRIu32 "] type=%s ", k,
				objdump_type_str(im->u.table.elemtype));
			print_table_limits(out, &im->u.table.limits);
			break;
		case WLAB_EXTERN_MEMORY:
			print_memory(out, k, &im->u.memory);
			break;
		case WLAB_EXTERN_GLOBAL:
			fprintf(out, " - global[%" PRIu32 "] %s mutable=%d", k,
				objdump_type_str(im->u.global.valtype), im->u.global.mut ? 1 : 0);
			break;
		case WLAB_EXTERN_TAG:
			fprintf(out, " - tag[%" PRIu32 "] sig=%" PRIu32, k, im->u.tag.type_index);
			objdump_print_name(out, objdump_tag_name(ctx, k));
			break;
		default:
			break;
		}
		print_import_ref(out, im);
	}
}

static void print_function(struct objdump_ctx *ctx)
{
	const struct wlab_module *m = ctx->m;
	for (uint32_t i = 0; i < m->nfuncs; i++) {
		uint32_t idx = m->nimported_funcs + i;
		fprintf(ctx->out, " - func[%" PRIu32 "] sig=%" PRIu32, idx, m->func_types[i]);
		objdump_print_name(ctx->out, objdump_func_name(ctx, idx));
		fputc('\n', ctx->out);
	}
}

static void print_table(struct objdump_ctx *ctx)
{
	const struct wlab_module *m = ctx->m;
	for (uint32_t i = 0; i < m->ntables; i++) {
		uint32_t idx = m->nimported_tables + i;
		fprintf(ctx->out, " - table[%" PRIu32 "] type=%s ", idx,
			objdump_type_str(m->tables[i].type.elemtype));
		print_table_limits(ctx->out, &m->tables[i].type.limits);
		objdump_print_name(ctx->out, objdump_table_name(ctx, idx));
		fputc('\n', ctx->out);
	}
}

static void print_memory_section(struct objdump_ctx *ctx)
{
	const struct wlab_module *m = ctx->m;
	for (uint32_t i = 0; i < m->nmemories; i++) {
		print_memory(ctx->out, m->nimported_memories + i, &m->memories[i].limits);
		fputc('\n', ctx->out);
	}
}

static void print_global(struct objdump_ctx *ctx, struct details_state *st)
{
	const struct wlab_module *m = ctx->m;
	for (uint32_t i = 0; i < m->nglobals; i++) {
		const struct wlab_global *g = &m->globals[i];
		uint32_t idx = m->nimported_globals + i;
		uint64_t v;
		fprintf(ctx->out, " - global[%" PRIu32 "] %s mutable=%d", idx,
			objdump_type_str(g->type.valtype), g->type.mut ? 1 : 0);
		objdump_print_name(ctx->out, objdump_global_name(ctx, idx));
		objdump_print_init(ctx, g->init, false, &st->typed, &v);
	}
}

static void print_tag(struct objdump_ctx *ctx)
{
	const struct wlab_module *m = ctx->m;
	for (uint32_t i = 0; i < m->ntags; i++)
		fprintf(ctx->out, " - tag[%" PRIu32 "] sig=%" PRIu32 "\n",
			m->nimported_tags + i, m->tags[i].type.type_index);
}

static void print_export(struct objdump_ctx *ctx)
{
	const struct wlab_module *m = ctx->m;
	FILE *out = ctx->out;
	for (uint32_t i = 0; i < m->nexports; i++) {
		const struct wlab_export *e = &m->exports[i];
		fprintf(out, " - %s[%" PRIu32 "]", wlab_extern_kind_name(e->kind), e->index);
		if (e->kind == WLAB_EXTERN_FUNC)
			objdump_print_name(out, objdump_func_name(ctx, e->index));
		fputs(" -> \"", out);
		objdump_print_sym(out, e->name);
		fputs("\"\n", out);
	}
}

static void print_elem_item(struct objdump_ctx *ctx, const struct wlab_elem *e, uint32_t j)
{
	FILE *out = ctx->out;
	uint32_t func;
	if (e->uses_exprs) {
		struct wlab_instr in;
		if (objdump_expr_instrs(ctx, e->exprs[j], &in, 1) < 1)
			return;
		if (in.op == WLAB_OP_REF_NULL) {
			fprintf(out, "ref.null %s\n", objdump_type_str(in.reftype));
			return;
		}
		if (in.op != WLAB_OP_REF_FUNC) {
			fprintf(out, "%s\n", wlab_opinfo(in.op)->name);
			return;
		}
		func = in.index;
	} else {
		func = e->funcs[j];
	}
	fprintf(out, objdump_v139(ctx) ? "ref.func:%" PRIu32 : "func[%" PRIu32 "]", func);  /* 1.0.39: ref.func:N */
	objdump_print_name(out, objdump_func_name(ctx, func));
	fputc('\n', out);
}

static void print_elem(struct objdump_ctx *ctx, struct details_state *st)
{
	const struct wlab_module *m = ctx->m;
	FILE *out = ctx->out;
	for (uint32_t i = 0; i < m->nelems; i++) {
		const struct wlab_elem *e = &m->elems[i];
		fprintf(out, " - segment[%" PRIu32 "] flags=%" PRIu32 " table=%" PRIu32
			" count=%" PRIu32, i, e->flags, e->table, e->count);
		if (e->mode == WLAB_SEGMENT_ACTIVE) {
			uint64_t v;
			if (objdump_print_init(ctx, e->offset, true, &st->typed, &v))
				st->elem_offset = v;
		} else {
			fputc('\n', out);
		}
		for (uint32_t j = 0; j < e->count; j++) {
			fprintf(out, "  - elem[%" PRIu64 "] = ", st->elem_offset + j);
			print_elem_item(ctx, e, j);
		}
	}
}

static void print_code(struct objdump_ctx *ctx)
{
	const struct wlab_module *m = ctx->m;
	for (uint32_t i = 0; i < m->ncodes; i++) {
		uint32_t idx = m->nimported_funcs + i;
		fprintf(ctx->out, " - func[%" PRIu32 "] size=%" PRIu32, idx, m->codes[i].body.size);
		objdump_print_name(ctx->out, objdump_func_name(ctx, idx));
		fputc('\n', ctx->out);
	}
}

static void print_data(struct objdump_ctx *ctx, struct details_state *st)
{
	const struct wlab_module *m = ctx->m;
	FILE *out = ctx->out;
	for (uint32_t i = 0; i < m->ndatas; i++) {
		const struct wlab_data *d = &m->datas[i];
		fprintf(out, " - segment[%" PRIu32 "]", i);
		objdump_print_name(out, objdump_data_name(ctx, i));
		if (d->mode == WLAB_SEGMENT_PASSIVE) {
			fprintf(out, " passive size=%" PRIu32, d->bytes.size);
		} else {
			uint64_t v;
			fprintf(out, " memory=%" PRIu32 " size=%" PRIu32, d->memory, d->bytes.size);
			if (objdump_print_init(ctx, d->offset, true, &st->typed, &v))
				st->data_offset = v;
			objdump_print_hex_dump(out, m->bytes + d->bytes.offset, d->bytes.size,
					       st->data_offset, "  - ");
			objdump_print_data_relocs(ctx, d, st->data_offset);
			continue;
		}
		fputc('\n', out);
		objdump_print_hex_dump(out, m->bytes + d->bytes.offset, d->bytes.size,
				       st->data_offset, "  - ");
		objdump_print_data_relocs(ctx, d, st->data_offset);
	}
}

static void print_section(struct objdump_ctx *ctx, uint32_t si, struct details_state *st)
{
	const struct wlab_module *m = ctx->m;
	const struct wlab_section *s = &m->sections[si];
	FILE *out = ctx->out;
	const char *name = wlab_section_name(s->id);

	switch (s->id) {
	case WLAB_SEC_CUSTOM:
		fputs("Custom:\n", out);
		objdump_details_custom(ctx, si);
		return;
	case WLAB_SEC_START:
		fprintf(out, "Start:\n - start function: %" PRIu32, m->start);
		objdump_print_name(out, objdump_func_name(ctx, m->start));
		fputc('\n', out);
		return;
	case WLAB_SEC_DATACOUNT:
		fprintf(out, "DataCount:\n - data count: %" PRIu32 "\n", m->data_count);
		return;
	default:
		break;
	}
	fprintf(out, "%s[%" PRIu32 "]:\n", name ? name : "Unknown", s->count);
	switch (s->id) {
	case WLAB_SEC_TYPE: print_type(ctx); break;
	case WLAB_SEC_IMPORT: print_import(ctx); break;
	case WLAB_SEC_FUNCTION: print_function(ctx); break;
	case WLAB_SEC_TABLE: print_table(ctx); break;
	case WLAB_SEC_MEMORY: print_memory_section(ctx); break;
	case WLAB_SEC_GLOBAL: print_global(ctx, st); break;
	case WLAB_SEC_EXPORT: print_export(ctx); break;
	case WLAB_SEC_ELEM: print_elem(ctx, st); break;
	case WLAB_SEC_CODE: print_code(ctx); break;
	case WLAB_SEC_DATA: print_data(ctx, st); break;
	case WLAB_SEC_TAG: print_tag(ctx); break;
	default: break;
	}
}

int objdump_print_details(struct objdump_ctx *ctx)
{
	struct details_state st = {0, 0, false};
	fputs("\nSection Details:\n\n", ctx->out);
	for (uint32_t i = 0; i < ctx->m->nsections; i++)
		if (objdump_section_selected(ctx, &ctx->m->sections[i]))
			print_section(ctx, i, &st);
	return 0;
}
