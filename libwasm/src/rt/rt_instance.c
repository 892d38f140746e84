/* rt_instance.c: instantiation: validation, imports resolved by name,
 * definitions allocated, segments applied, the start function run. */
#include <stdlib.h>
#include <string.h>

#include "rt_internal.h"
#include "wlab/validate.h"

enum wlab_status rt_const_expr(const struct wlab_instance *inst, const struct wlab_expr *e,
			       uint64_t *out, uint32_t slots)
{
	struct wlab_instr_iter it;
	struct wlab_instr in;
	struct wlab_error err = {0};
	/* a value takes one slot, a v128 two (low, high: the operand stack's
	 * layout, which rt_gc_const reads); every value comes from an
	 * instruction of two bytes or more, so size slots always do */
	uint64_t small[16], *stack = small;
	size_t cap = e->span.size + 1;
	uint32_t n = 0;
	enum wlab_status st = WLAB_OK;
	if (cap > 16 && !(stack = malloc(cap * sizeof *stack)))
		return WLAB_NOMEM;
	inst->store->gc.nogc++;  /* objects on stack are no roots */
	wlab_instr_iter_init(&it, inst->m->bytes, e->span, inst->store->opts.features, &err);
	while (!st && !wlab_instr_iter_done(&it) && !wlab_instr_next(&it, &in) && n < cap) {
		switch (in.op) {
		case WLAB_OP_I32_CONST: stack[n++] = (uint32_t)in.i32; break;
		case WLAB_OP_I64_CONST: stack[n++] = (uint64_t)in.i64; break;
		case WLAB_OP_F32_CONST: stack[n++] = in.f32; break;
		case WLAB_OP_F64_CONST: stack[n++] = in.f64; break;
		case WLAB_OP_REF_NULL: stack[n++] = 0; break;
		case WLAB_OP_REF_FUNC: stack[n++] = (uintptr_t)inst->funcs[in.index]; break;
		case WLAB_OP_V128_CONST:
			memcpy(&stack[n++], in.v128, 8);
			memcpy(&stack[n++], in.v128 + 8, 8);
			break;
		case WLAB_OP_GLOBAL_GET:
			stack[n++] = inst->globals[in.index]->value;
			if (inst->globals[in.index]->type == WLAB_V128)
				stack[n++] = inst->globals[in.index]->hi;
			break;
		case WLAB_OP_I32_ADD: n--; stack[n - 1] = (uint32_t)(stack[n - 1] + stack[n]);
			break;
		case WLAB_OP_I32_SUB: n--; stack[n - 1] = (uint32_t)(stack[n - 1] - stack[n]);
			break;
		case WLAB_OP_I32_MUL: n--; stack[n - 1] = (uint32_t)(stack[n - 1] * stack[n]);
			break;
		case WLAB_OP_I64_ADD: n--; stack[n - 1] += stack[n]; break;
		case WLAB_OP_I64_SUB: n--; stack[n - 1] -= stack[n]; break;
		case WLAB_OP_I64_MUL: n--; stack[n - 1] *= stack[n]; break;
		case WLAB_OP_REF_I31: case WLAB_OP_STRUCT_NEW: case WLAB_OP_STRUCT_NEW_DEFAULT:
		case WLAB_OP_ARRAY_NEW: case WLAB_OP_ARRAY_NEW_DEFAULT: case WLAB_OP_ARRAY_NEW_FIXED:
			if (rt_gc_const(inst, &in, stack, &n))
				st = WLAB_NOMEM;
			break;
		default: break;
		}
	}
	wlab_instr_iter_fini(&it);
	inst->store->gc.nogc--;
	for (uint32_t k = 0; k < slots; k++)
		out[k] = n >= slots ? stack[n - slots + k] : 0;
	if (stack != small)
		free(stack);
	return st;
}

bool wlab_instance_type_id(const struct wlab_instance *inst, uint32_t index, uint32_t *type_id)
{
	if (index >= inst->m->ntypes)
		return false;
	*type_id = inst->type_ids[index];
	return true;
}

bool wlab_instance_export(const struct wlab_instance *inst, const char *name, size_t len,
			  struct wlab_extern *out)
{
	const struct wlab_export *e = wlab_module_export_named(inst->m, name, len);
	if (!e)
		return false;
	out->kind = e->kind;
	switch (e->kind) {
	case WLAB_EXTERN_FUNC: out->u.func = inst->funcs[e->index]; break;
	case WLAB_EXTERN_TABLE: out->u.table = inst->tables[e->index]; break;
	case WLAB_EXTERN_MEMORY: out->u.memory = inst->mems[e->index]; break;
	case WLAB_EXTERN_TAG: out->u.tag = inst->tags[e->index]; break;
	default: out->u.global = inst->globals[e->index]; break;
	}
	return true;
}

static const struct rt_name *lookup(const struct wlab_store *s, const struct wlab_import *im)
{
	for (uint32_t i = s->nnames; i-- > 0;) {
		const struct rt_name *n = &s->names[i];
		if (strlen(n->module) == im->module.len && strlen(n->field) == im->field.len &&
		    !memcmp(n->module, im->module.ptr, im->module.len) &&
		    !memcmp(n->field, im->field.ptr, im->field.len))
			return n;
	}
	return NULL;
}

static bool limits_match(uint64_t size, bool has_max, uint64_t max, const struct wlab_limits *l)
{
	if (size < l->min)
		return false;
	return !l->has_max || (has_max && max <= l->max);
}

/* 3.0 import matching: a function of a subtype (store ids, declared
 * supertypes followed), a tag of the same type, a table
 * of the same element type, a mutable global of the same type, an
 * immutable global of a subtype. */
static bool import_matches(const struct wlab_instance *inst, const struct wlab_import *im,
			   const struct wlab_extern *x)
{
	if (x->kind != im->kind)
		return false;
	switch (im->kind) {
	case WLAB_EXTERN_FUNC:
		return rt_type_sub(inst->store, x->u.func->type_id, inst->type_ids[im->u.func_type]);
	case WLAB_EXTERN_TABLE: {
		const struct rt_table *t = x->u.table;
		return t->elemtype == rt_store_type(inst, im->u.table.elemtype) &&
		       t->is64 == im->u.table.limits.is64 &&
		       limits_match(t->size, t->has_max, t->decl_max, &im->u.table.limits);
	}
	case WLAB_EXTERN_MEMORY: {
		const struct rt_memory *mem = x->u.memory;
		return mem->shared == im->u.memory.shared && mem->is64 == im->u.memory.is64 &&
		       limits_match(mem->size / RT_PAGE, mem->has_max, mem->decl_max,
				    &im->u.memory);
	}
	case WLAB_EXTERN_TAG:
		return x->u.tag->type_id == inst->type_ids[im->u.tag.type_index];
	default: {
		wlab_valtype_t want = rt_store_type(inst, im->u.global.valtype);
		if (x->u.global->mut != im->u.global.mut)
			return false;
		return im->u.global.mut ? x->u.global->type == want
					: rt_val_sub(inst->store, x->u.global->type, want);
	}
	}
}

/* "func (i32, i64) -> (i32)", "tag (i32)": a function's or tag's type, as
 * wlab-run's stubs list them. */
static void type_text(char *buf, size_t size, uint8_t kind, const wlab_valtype_t *params,
		      uint32_t np, const wlab_valtype_t *results, uint32_t nr)
{
	char t[160];
	snprintf(buf, size, "%s %s", wlab_extern_kind_name(kind),
		 wlab_functype_str(params, np, kind == WLAB_EXTERN_FUNC ? results : NULL, nr, t,
				   sizeof t));
}

/* Limits as "min..max" ("min.." without a maximum), " shared", " i64". */
static void limits_text(char *buf, size_t size, uint64_t min, bool has_max, uint64_t max,
			bool shared, bool is64)
{
	size_t at = strlen(buf);
	at += (size_t)snprintf(buf + at, at < size ? size - at : 0, " %llu..",
			       (unsigned long long)min);
	if (has_max)
		at += (size_t)snprintf(buf + at, at < size ? size - at : 0, "%llu",
				       (unsigned long long)max);
	snprintf(buf + at, at < size ? size - at : 0, "%s%s", shared ? " shared" : "",
		 is64 ? " i64" : "");
}

char *wlab_import_type_str(const struct wlab_module *m, const struct wlab_import *im,
			   char *buf, size_t size)
{
	const struct wlab_functype *ft = NULL;
	char t[48];
	switch (im->kind) {
	case WLAB_EXTERN_FUNC: ft = &m->types[im->u.func_type]; break;
	case WLAB_EXTERN_TAG: ft = &m->types[im->u.tag.type_index]; break;
	default: break;
	}
	if (ft) {
		type_text(buf, size, im->kind, ft->params, ft->nparams, ft->results, ft->nresults);
	} else if (im->kind == WLAB_EXTERN_GLOBAL) {
		snprintf(buf, size, "global %s%s", im->u.global.mut ? "mut " : "",
			 wlab_type_str(im->u.global.valtype, t, sizeof t));
	} else {
		const struct wlab_limits *l = im->kind == WLAB_EXTERN_TABLE ? &im->u.table.limits
									    : &im->u.memory;
		snprintf(buf, size, "%s%s", im->kind == WLAB_EXTERN_TABLE ? "table " : "memory",
			 im->kind == WLAB_EXTERN_TABLE
				 ? wlab_type_str(im->u.table.elemtype, t, sizeof t) : "");
		limits_text(buf, size, l->min, l->has_max, l->max, l->shared, l->is64);
	}
	return buf;
}

/* What x is, as wlab_import_type_str says what an import asks for, for the
 * message of a mismatch. */
static void extern_text(const struct wlab_extern *x, char *got, size_t size)
{
	char t[48];
	switch (x->kind) {
	case WLAB_EXTERN_FUNC:
		type_text(got, size, x->kind, x->u.func->params, x->u.func->nparams,
			  x->u.func->results, x->u.func->nresults);
		break;
	case WLAB_EXTERN_TAG:
		type_text(got, size, x->kind, x->u.tag->params, x->u.tag->nparams, NULL, 0);
		break;
	case WLAB_EXTERN_GLOBAL:
		snprintf(got, size, "global %s%s", x->u.global->mut ? "mut " : "",
			 wlab_type_str(x->u.global->type, t, sizeof t));
		break;
	case WLAB_EXTERN_TABLE:
		snprintf(got, size, "table %s", wlab_type_str(x->u.table->elemtype, t, sizeof t));
		limits_text(got, size, x->u.table->size, x->u.table->has_max,
			    x->u.table->decl_max, false, x->u.table->is64);
		break;
	default:
		snprintf(got, size, "memory");
		limits_text(got, size, x->u.memory->size / RT_PAGE, x->u.memory->has_max,
			    x->u.memory->decl_max, x->u.memory->shared, x->u.memory->is64);
		break;
	}
}

static enum wlab_status link_imports(struct wlab_instance *inst, struct wlab_error *err)
{
	const struct wlab_module *m = inst->m;
	for (uint32_t i = 0; i < m->nimports; i++) {
		const struct wlab_import *im = &m->imports[i];
		const struct rt_name *n = lookup(inst->store, im);
		if (!n)
			return wlab_error_set(err, WLAB_UNLINKABLE, im->span.offset,
					      "unknown import \"%.*s\" \"%.*s\"",
					      (int)im->module.len, (const char *)im->module.ptr,
					      (int)im->field.len, (const char *)im->field.ptr);
		if (!import_matches(inst, im, &n->ext)) {
			char want[96], got[96];
			wlab_import_type_str(m, im, want, sizeof want);
			extern_text(&n->ext, got, sizeof got);
			return wlab_error_set(err, WLAB_UNLINKABLE, im->span.offset,
					      "incompatible import type \"%.*s\" \"%.*s\": "
					      "imported as %s, defined as %s",
					      (int)im->module.len, (const char *)im->module.ptr,
					      (int)im->field.len, (const char *)im->field.ptr, want,
					      got);
		}
		uint32_t k = im->kind_index;
		switch (im->kind) {
		case WLAB_EXTERN_FUNC: inst->funcs[k] = n->ext.u.func; break;
		case WLAB_EXTERN_TABLE: inst->tables[k] = n->ext.u.table; break;
		case WLAB_EXTERN_MEMORY: inst->mems[k] = n->ext.u.memory; break;
		case WLAB_EXTERN_TAG: inst->tags[k] = n->ext.u.tag; break;
		default: inst->globals[k] = n->ext.u.global; break;
		}
	}
	return WLAB_OK;
}

static enum wlab_status define_funcs(struct wlab_instance *inst, struct wlab_error *err)
{
	const struct wlab_module *m = inst->m;
	struct wlab_store *s = inst->store;
	for (uint32_t i = 0; i < m->ntags; i++) {
		/* of the store's id of the tag's type, as imports compare it */
		inst->tags[m->nimported_tags + i] =
			wlab_tag_new_id(s, inst->type_ids[m->tags[i].type.type_index]);
		if (!inst->tags[m->nimported_tags + i])
			return wlab_error_set(err, WLAB_NOMEM, 0, "out of memory");
	}
	for (uint32_t i = 0; i < m->nfuncs; i++) {
		const struct wlab_functype *t = &m->types[m->func_types[i]];
		struct rt_func *f = rt_alloc(s, WLAB_EXTERN_FUNC, sizeof *f);
		if (!f)
			return wlab_error_set(err, WLAB_NOMEM, 0, "out of memory");
		*f = (struct rt_func){.nparams = t->nparams, .nresults = t->nresults,
				      .params = t->params, .results = t->results, .inst = inst,
				      .index = m->nimported_funcs + i};
		f->param_slots = rt_slots(t->params, t->nparams);
		f->result_slots = rt_slots(t->results, t->nresults);
		f->type_id = inst->type_ids[m->func_types[i]];
		inst->funcs[m->nimported_funcs + i] = f;
	}
	return WLAB_OK;  /* bodies are translated on first call (rt_translate) */
}

static enum wlab_status define_state(struct wlab_instance *inst, struct wlab_error *err)
{
	const struct wlab_module *m = inst->m;
	struct wlab_store *s = inst->store;
	for (uint32_t i = 0; i < m->nglobals; i++) {
		const struct wlab_global *g = &m->globals[i];
		uint64_t v[2];  /* a v128 takes two slots: low, high */
		uint32_t w = rt_value_slots(g->type.valtype);
		if (rt_const_expr(inst, &g->init, v, w))
			return wlab_error_set(err, WLAB_NOMEM, g->init.span.offset, "out of memory");
		struct rt_global *rg =
			wlab_global_new(s, rt_store_type(inst, g->type.valtype), g->type.mut, v[0]);
		if (!rg)
			return wlab_error_set(err, WLAB_NOMEM, 0, "out of memory");
		if (w == 2)
			rg->hi = v[1];
		inst->globals[m->nimported_globals + i] = rg;
	}
	for (uint32_t i = 0; i < m->ntables; i++) {
		const struct wlab_table *t = &m->tables[i];
		const struct wlab_limits *l = &t->type.limits;
		if (l->min > s->opts.max_table - s->table_elems)
			return wlab_error_set(err, WLAB_NOMEM, t->span.offset,
					      "table of %llu elements passes the cap of %llu "
					      "elements for all tables (%llu taken)",
					      (unsigned long long)l->min,
					      (unsigned long long)s->opts.max_table,
					      (unsigned long long)s->table_elems);
		struct rt_table *rt = wlab_table_new_limits(s, rt_store_type(inst, t->type.elemtype), l);
		if (!rt)
			return wlab_error_set(err, WLAB_NOMEM, t->span.offset,
					      "table of %llu elements passes the budget of %llu bytes "
					      "(%llu taken; or out of memory)",
					      (unsigned long long)l->min,
					      (unsigned long long)s->budget,
					      (unsigned long long)(s->budget - rt_budget_left(s)));
		uint64_t init = 0;
		if (t->has_init && rt_const_expr(inst, &t->init, &init, 1))
			return wlab_error_set(err, WLAB_NOMEM, t->span.offset, "out of memory");
		for (uint32_t k = 0; k < rt->size; k++)
			rt->elems[k] = init;
		inst->tables[m->nimported_tables + i] = rt;
	}
	for (uint32_t i = 0; i < m->nmemories; i++) {
		const struct wlab_limits *l = &m->memories[i].limits;
		if (l->min > rt_memory_cap(s, l->is64))
			return wlab_error_set(err, WLAB_NOMEM, m->memories[i].span.offset,
					      "memory of %llu pages passes the cap of %llu bytes",
					      (unsigned long long)l->min,
					      (unsigned long long)(rt_memory_cap(s, l->is64) * RT_PAGE));
		inst->mems[m->nimported_memories + i] = wlab_memory_new_limits(s, l);
		if (!inst->mems[m->nimported_memories + i])
			return wlab_error_set(err, WLAB_NOMEM, m->memories[i].span.offset,
					      "memory of %llu pages passes the budget of %llu bytes "
					      "(%llu taken; or out of memory)",
					      (unsigned long long)l->min,
					      (unsigned long long)s->budget,
					      (unsigned long long)(s->budget - rt_budget_left(s)));
	}
	return WLAB_OK;
}

/* Evaluates the element segments' items; the data segments' lengths. */
static enum wlab_status segments(struct wlab_instance *inst, struct wlab_error *err)
{
	const struct wlab_module *m = inst->m;
	for (uint32_t i = 0; i < m->nelems; i++) {
		const struct wlab_elem *e = &m->elems[i];
		inst->elems[i] = calloc(e->count ? e->count : 1, sizeof **inst->elems);
		if (!inst->elems[i])
			return wlab_error_set(err, WLAB_NOMEM, e->span.offset, "out of memory");
		for (uint32_t k = 0; k < e->count; k++) {
			if (!e->uses_exprs)
				inst->elems[i][k] = (uintptr_t)inst->funcs[e->funcs[k]];
			else if (rt_const_expr(inst, &e->exprs[k], &inst->elems[i][k], 1))
				return wlab_error_set(err, WLAB_NOMEM, e->span.offset,
						      "out of memory");
		}
		inst->elem_len[i] = e->mode == WLAB_SEGMENT_DECLARATIVE ? 0 : e->count;
	}
	for (uint32_t i = 0; i < m->ndatas; i++)
		inst->data_len[i] = m->datas[i].bytes.size;
	return WLAB_OK;
}

/* Active segments, in order: elements, then data. A trap goes to *t. */
static enum wlab_status apply_segments(struct wlab_instance *inst, struct wlab_error *err,
				       enum wlab_trap *t)
{
	const struct wlab_module *m = inst->m;
	for (uint32_t i = 0; i < m->nelems; i++) {
		const struct wlab_elem *e = &m->elems[i];
		if (e->mode != WLAB_SEGMENT_ACTIVE)
			continue;
		struct rt_table *tab = inst->tables[e->table];
		uint64_t d;
		if (rt_const_expr(inst, &e->offset, &d, 1))
			return wlab_error_set(err, WLAB_NOMEM, e->span.offset, "out of memory");
		if (!tab->is64)
			d = (uint32_t)d;
		if (e->count > tab->size || d > tab->size - e->count) {
			*t = WLAB_TRAP_TABLE_OOB;
			return WLAB_OK;
		}
		memcpy(tab->elems + d, inst->elems[i], (size_t)e->count * sizeof *tab->elems);
		inst->elem_len[i] = 0;
	}
	for (uint32_t i = 0; i < m->ndatas; i++) {
		const struct wlab_data *dt = &m->datas[i];
		if (dt->mode != WLAB_SEGMENT_ACTIVE)
			continue;
		struct rt_memory *mem = inst->mems[dt->memory];
		uint64_t d;
		if (rt_const_expr(inst, &dt->offset, &d, 1))
			return wlab_error_set(err, WLAB_NOMEM, dt->span.offset, "out of memory");
		if (!mem->is64)
			d = (uint32_t)d;
		if (dt->bytes.size > mem->size || d > mem->size - dt->bytes.size) {
			*t = WLAB_TRAP_MEMORY_OOB;
			return WLAB_OK;
		}
		if (dt->bytes.size)
			memcpy(mem->data + d, m->bytes + dt->bytes.offset, dt->bytes.size);
		inst->data_len[i] = 0;
	}
	return WLAB_OK;
}

static struct wlab_instance *instance_new(struct wlab_store *s, const struct wlab_module *m)
{
	struct wlab_instance *inst = calloc(1, sizeof *inst);
	if (!inst)
		return NULL;
	inst->m = m;
	inst->store = s;
	inst->nfuncs = wlab_module_func_count(m);
	inst->ntables = wlab_module_table_count(m);
	inst->nmems = wlab_module_memory_count(m);
	inst->nglobals = wlab_module_global_count(m);
	inst->funcs = calloc(inst->nfuncs + 1, sizeof *inst->funcs);
	inst->tables = calloc(inst->ntables + 1, sizeof *inst->tables);
	inst->mems = calloc(inst->nmems + 1, sizeof *inst->mems);
	inst->globals = calloc(inst->nglobals + 1, sizeof *inst->globals);
	inst->ntags = m->nimported_tags + m->ntags;
	inst->tags = calloc(inst->ntags + 1, sizeof *inst->tags);
	inst->elems = calloc(m->nelems + 1, sizeof *inst->elems);
	inst->elem_len = calloc(m->nelems + 1, sizeof *inst->elem_len);
	inst->data_len = calloc(m->ndatas + 1, sizeof *inst->data_len);
	inst->next = s->instances;
	s->instances = inst;
	if (!inst->funcs || !inst->tables || !inst->mems || !inst->globals || !inst->tags ||
	    !inst->elems ||
	    !inst->elem_len || !inst->data_len)
		return NULL;
	return inst;
}

static enum wlab_status instantiate(struct wlab_store *s, const struct wlab_module *m,
				   bool validate, struct wlab_instance **out,
				   struct wlab_error *err, enum wlab_trap *trap)
{
	struct wlab_validate_error verr;
	enum wlab_trap t = WLAB_TRAP_NONE;
	enum wlab_status st;
	*out = NULL;
	if (trap)
		*trap = WLAB_TRAP_NONE;
	struct wlab_validate_options vopts = {.features = s->opts.features};
	if (validate && wlab_module_validate(m, &vopts, &verr)) {
		*err = verr.error;
		return err->status;
	}
	struct wlab_instance *inst = instance_new(s, m);
	if (!inst)
		return wlab_error_set(err, WLAB_NOMEM, 0, "out of memory");
	st = rt_types_init(inst) ? wlab_error_set(err, WLAB_NOMEM, 0, "out of memory") : WLAB_OK;
	if (!st)
		st = link_imports(inst, err);
	if (!st)
		st = define_funcs(inst, err);
	if (!st)
		st = define_state(inst, err);
	if (!st)
		st = segments(inst, err);
	if (!st)
		st = apply_segments(inst, err, &t);
	if (st)
		return st;
	if (!t && m->has_start)
		wlab_call(s, inst->funcs[m->start], NULL, NULL, &t);
	if (t) {
		if (trap)
			*trap = t;
		return wlab_error_set(err, WLAB_TRAP, 0, "%s", wlab_trap_message(t));
	}
	*out = inst;
	return WLAB_OK;
}

enum wlab_status wlab_instantiate(struct wlab_store *s, const struct wlab_module *m,
				  struct wlab_instance **out, struct wlab_error *err,
				  enum wlab_trap *trap)
{
	return instantiate(s, m, true, out, err, trap);
}

enum wlab_status wlab_instantiate_validated(struct wlab_store *s, const struct wlab_module *m,
					    struct wlab_instance **out, struct wlab_error *err,
					    enum wlab_trap *trap)
{
	/* validated with other features, or not at all: validate it here */
	return instantiate(s, m, m->validated != s->opts.features, out, err, trap);
}
