/* validate_module.c: the module-level rules, in the order of the spec's
 * reference interpreter: imports and function types, globals, tables,
 * memories, element and data segments, bodies, start, exports. */
#include <stdlib.h>
#include <string.h>

#include "validate_internal.h"

#define MAX_PAGES 65536u
#define MAX_PAGES64 (1ull << 48)  /* 2^64 bytes */

static enum wlab_status check_limits(struct val_module *vm, const struct wlab_limits *l,
				     uint64_t k, const char *too_big, size_t offset)
{
	if (l->min > k || (l->has_max && l->max > k))
		return val_fail(vm, offset, "%s", too_big);
	if (l->has_max && l->min > l->max)
		return val_fail(vm, offset, "size minimum must not be greater than maximum");
	return WLAB_OK;
}

static enum wlab_status check_memtype(struct val_module *vm, const struct wlab_limits *l,
				      size_t offset)
{
	if (l->is64 ? check_limits(vm, l, MAX_PAGES64, "memory size must be at most 2^48 pages",
				   offset)
		    : check_limits(vm, l, MAX_PAGES,
				   "memory size must be at most 65536 pages (4GiB)", offset))
		return WLAB_INVALID;
	if (l->shared && !l->has_max)
		return val_fail(vm, offset, "shared memory must have maximum");
	return WLAB_OK;
}

static enum wlab_status check_tabletype(struct val_module *vm,
					const struct wlab_tabletype *t, size_t offset)
{
	if (t->elemtype != WLAB_FUNCREF && val_check_type(vm, t->elemtype, offset))
		return WLAB_INVALID;
	return check_limits(vm, &t->limits, t->limits.is64 ? UINT64_MAX : UINT32_MAX,
			    "table size must be at most 2^32-1", offset);
}

static enum wlab_status check_imports(struct val_module *vm)
{
	const struct wlab_module *m = vm->m;
	for (uint32_t i = 0; i < m->nimports; i++) {
		const struct wlab_import *im = &m->imports[i];
		size_t at = im->span.offset;
		switch (im->kind) {
		case WLAB_EXTERN_FUNC:
			if (val_need_functype(vm, im->u.func_type, at))
				return WLAB_INVALID;
			break;
		case WLAB_EXTERN_TABLE:
			if (check_tabletype(vm, &im->u.table, at))
				return WLAB_INVALID;
			break;
		case WLAB_EXTERN_MEMORY:
			if (check_memtype(vm, &im->u.memory, at))
				return WLAB_INVALID;
			break;
		case WLAB_EXTERN_GLOBAL:
			if (val_check_type(vm, im->u.global.valtype, at))
				return WLAB_INVALID;
			break;
		default:
			if (val_check_tagtype(vm, &im->u.tag, at))
				return WLAB_INVALID;
			break;
		}
	}
	for (uint32_t i = 0; i < m->ntags; i++)
		if (val_check_tagtype(vm, &m->tags[i].type, m->tags[i].span.offset))
			return WLAB_INVALID;
	for (uint32_t i = 0; i < m->nfuncs; i++)
		if (val_need_functype(vm, m->func_types[i],
				      i < m->nfunc_decl_offsets ? m->func_decl_offsets[i] : 0))
			return WLAB_INVALID;
	return WLAB_OK;
}

/* Constant expressions read imported globals only in 2.0; in 3.0 (with
 * gc, the proposal that brought the rule, or extended-const here) a
 * global's initialiser reads the globals before it, and the other constant
 * expressions read them all. Immutable ones, always. */
static enum wlab_status check_definitions(struct val_module *vm, struct val_func *vf)
{
	const struct wlab_module *m = vm->m;
	bool later = vm->features & (WLAB_FEATURE_GC | WLAB_FEATURE_EXTENDED_CONST);
	for (uint32_t i = 0; i < m->nglobals; i++) {
		vm->nconst_globals = m->nimported_globals + (later ? i : 0);
		if (val_check_type(vm, m->globals[i].type.valtype, m->globals[i].span.offset))
			return WLAB_INVALID;
		if (val_const_expr(vf, &m->globals[i].init, m->globals[i].type.valtype))
			return vm->err->error.status;
	}
	vm->nconst_globals = m->nimported_globals;  /* tables come before globals */
	for (uint32_t i = 0; i < m->ntables; i++) {
		const struct wlab_table *t = &m->tables[i];
		if (check_tabletype(vm, &t->type, t->span.offset))
			return WLAB_INVALID;
		if (t->has_init && val_const_expr(vf, &t->init, t->type.elemtype))
			return vm->err->error.status;
		if (!t->has_init && !val_defaultable(t->type.elemtype)) {
			char ty[48];
			return val_fail(vm, t->span.offset,
					"type mismatch in table %u, %s has no default: it needs an "
					"initializer", m->nimported_tables + i,
					wlab_type_str(t->type.elemtype, ty, sizeof ty));
		}
	}
	for (uint32_t i = 0; i < m->nmemories; i++)
		if (check_memtype(vm, &m->memories[i].limits, m->memories[i].span.offset))
			return WLAB_INVALID;
	vm->nconst_globals = later ? vm->nglobals : m->nimported_globals;
	return WLAB_OK;
}

/* 1.0's segments are active: the passive and declarative forms came with
 * bulk memory (2.0) */
static enum wlab_status check_mode(struct val_module *vm, uint8_t mode, size_t offset)
{
	if (mode == WLAB_SEGMENT_ACTIVE || (vm->features & WLAB_FEATURE_BULK_MEMORY))
		return WLAB_OK;
	return val_fail(vm, offset, "%s segment without bulk-memory",
			mode == WLAB_SEGMENT_PASSIVE ? "passive" : "declarative");
}

static enum wlab_status check_elem(struct val_module *vm, struct val_func *vf,
				   const struct wlab_elem *e)
{
	if (check_mode(vm, e->mode, e->span.offset))
		return WLAB_INVALID;
	if (e->elemtype != WLAB_FUNCREF && val_check_type(vm, e->elemtype, e->span.offset))
		return WLAB_INVALID;
	for (uint32_t k = 0; k < e->count; k++) {
		if (e->uses_exprs) {
			if (val_const_expr(vf, &e->exprs[k], e->elemtype))
				return vm->err->error.status;
		} else if (e->funcs[k] >= vm->nfuncs) {
			return val_fail(vm, e->span.offset, "unknown function %u", e->funcs[k]);
		}
	}
	if (e->mode != WLAB_SEGMENT_ACTIVE)
		return WLAB_OK;
	const struct wlab_tabletype *t = val_table(vm, e->table);
	if (!t)
		return val_fail(vm, e->span.offset, "unknown table %u", e->table);
	if (!val_subtype(vm, val_elem_type(vm, e), t->elemtype)) {
		char want[48], got[48];
		return val_fail(vm, e->span.offset,
				"type mismatch in elem segment %u, expected [%s] but got [%s]",
				(uint32_t)(e - vm->m->elems), wlab_type_str(t->elemtype, want, sizeof want),
				wlab_type_str(val_elem_type(vm, e), got, sizeof got));
	}
	return val_const_expr(vf, &e->offset, val_addr_type(&t->limits));
}

static enum wlab_status check_segments(struct val_module *vm, struct val_func *vf)
{
	const struct wlab_module *m = vm->m;
	for (uint32_t i = 0; i < m->nelems; i++)
		if (check_elem(vm, vf, &m->elems[i]))
			return vm->err->error.status;
	for (uint32_t i = 0; i < m->ndatas; i++) {
		const struct wlab_data *d = &m->datas[i];
		if (check_mode(vm, d->mode, d->span.offset))
			return WLAB_INVALID;
		if (d->mode != WLAB_SEGMENT_ACTIVE)
			continue;
		const struct wlab_limits *mem = val_memory(vm, d->memory);
		if (!mem)
			return val_fail(vm, d->span.offset, "unknown memory %u", d->memory);
		if (val_const_expr(vf, &d->offset, val_addr_type(mem)))
			return vm->err->error.status;
	}
	return WLAB_OK;
}

static enum wlab_status check_bodies(struct val_module *vm, struct val_func *vf)
{
	const struct wlab_module *m = vm->m;
	for (uint32_t i = 0; i < m->ncodes && i < m->nfuncs; i++) {
		vm->func = m->nimported_funcs + i;
		if (val_func_begin(vf, vm->func) || val_func_walk(vf, m->codes[i].expr, NULL))
			return vm->err->error.status;
	}
	vm->func = UINT32_MAX;
	return WLAB_OK;
}

static enum wlab_status check_start(struct val_module *vm)
{
	const struct wlab_module *m = vm->m;
	if (!m->has_start)
		return WLAB_OK;
	size_t at = 0;
	for (uint32_t i = 0; i < m->nsections; i++)
		if (m->sections[i].id == WLAB_SEC_START)
			at = m->sections[i].span.offset;
	const struct wlab_functype *ft = val_func_type(vm, m->start);
	if (!ft)
		return val_fail(vm, at, "unknown function %u", m->start);
	if (ft->nparams || ft->nresults)
		return val_fail(vm, at, "start function must not have parameters or results");
	return WLAB_OK;
}

/* ---- exports ---- */

struct export_key {
	const uint8_t *name;
	uint32_t len, index;
};

static int compare_keys(const void *pa, const void *pb)
{
	const struct export_key *a = pa, *b = pb;
	uint32_t n = a->len < b->len ? a->len : b->len;
	int c = n ? memcmp(a->name, b->name, n) : 0;
	if (c)
		return c;
	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	return a->index < b->index ? -1 : a->index > b->index;
}

/* The first export whose name an earlier one already took, or UINT32_MAX. */
static enum wlab_status first_duplicate(struct val_module *vm, uint32_t *out)
{
	const struct wlab_module *m = vm->m;
	*out = UINT32_MAX;
	if (m->nexports < 2)
		return WLAB_OK;
	struct export_key *keys = calloc(m->nexports, sizeof *keys);
	if (!keys)
		return wlab_error_set(&vm->err->error, WLAB_NOMEM, 0, "out of memory");
	for (uint32_t i = 0; i < m->nexports; i++)
		keys[i] = (struct export_key){m->exports[i].name.ptr, m->exports[i].name.len, i};
	qsort(keys, m->nexports, sizeof *keys, compare_keys);
	for (uint32_t i = 1; i < m->nexports; i++)
		if (keys[i].len == keys[i - 1].len &&
		    (!keys[i].len || memcmp(keys[i].name, keys[i - 1].name, keys[i].len) == 0) &&
		    keys[i].index < *out)
			*out = keys[i].index;
	free(keys);
	return WLAB_OK;
}

static enum wlab_status check_exports(struct val_module *vm)
{
	const struct wlab_module *m = vm->m;
	uint32_t dup;
	if (first_duplicate(vm, &dup))
		return vm->err->error.status;
	for (uint32_t i = 0; i < m->nexports; i++) {
		const struct wlab_export *ex = &m->exports[i];
		uint32_t n;
		const char *what;
		switch (ex->kind) {
		case WLAB_EXTERN_FUNC: n = vm->nfuncs; what = "function"; break;
		case WLAB_EXTERN_TABLE: n = vm->ntables; what = "table"; break;
		case WLAB_EXTERN_MEMORY: n = vm->nmemories; what = "memory"; break;
		case WLAB_EXTERN_GLOBAL: n = vm->nglobals; what = "global"; break;
		default: n = m->nimported_tags + m->ntags; what = "tag"; break;
		}
		if (ex->index >= n)
			return val_fail(vm, ex->span.offset, "unknown %s %u", what, ex->index);
		if (i == dup)
			return val_fail(vm, ex->span.offset, "duplicate export name");
	}
	return WLAB_OK;
}

/* Without multi-memory (reference types) a module has at most one memory
 * (table); the error stands at the second one. */
static enum wlab_status check_counts(struct val_module *vm)
{
	const struct wlab_module *m = vm->m;
	const struct wlab_import *im;
	if (vm->nmemories > 1 && !(vm->features & WLAB_FEATURE_MULTI_MEMORY)) {
		im = wlab_module_import_of(m, WLAB_EXTERN_MEMORY, 1);
		return val_fail(vm, im ? im->span.offset :
				m->memories[1 - m->nimported_memories].span.offset,
				"multiple memories");
	}
	if (vm->ntables > 1 && !(vm->features & WLAB_FEATURE_REFERENCE_TYPES)) {
		im = wlab_module_import_of(m, WLAB_EXTERN_TABLE, 1);
		return val_fail(vm, im ? im->span.offset :
				m->tables[1 - m->nimported_tables].span.offset,
				"multiple tables");
	}
	return WLAB_OK;
}

enum wlab_status val_check_module(struct val_module *vm, struct val_func *vf)
{
	if (val_check_types(vm) || check_imports(vm) || check_definitions(vm, vf) ||
	    check_segments(vm, vf) || check_bodies(vm, vf) || check_start(vm) ||
	    check_exports(vm) || check_counts(vm))
		return vm->err->error.status;
	return WLAB_OK;
}
