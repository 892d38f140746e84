/* uses.c: the features a module uses, from its types, limits, sections,
 * constant expressions and (by the opcode table's feature column) its code. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wlab/instr.h"
#include "wlab/uses.h"

/* Rows that other work adds to wlab/features.def; 0 while they are absent. */
static uint32_t feature(const char *name)
{
	return wlab_feature_by_name(name);
}

/* any, eq, i31, struct, array, none: the heap types only GC has. */
static bool gc_heap(uint32_t h)
{
	return h == WLAB_HT_ANY || h == WLAB_HT_EQ || h == WLAB_HT_I31 || h == WLAB_HT_STRUCT ||
	       h == WLAB_HT_ARRAY || h == WLAB_HT_NONE;
}

/* A value type outside a table: references beyond funcref in a table are
 * reference-types (or later proposals). Any width of type word works. */
static uint32_t valtype_uses(uint32_t t)
{
	switch (t & 0xff) {
	case WLAB_V128: return WLAB_FEATURE_SIMD;
	case WLAB_FUNCREF: case WLAB_EXTERNREF: return WLAB_FEATURE_REFERENCE_TYPES;
	case 0x69: return WLAB_FEATURE_EXCEPTIONS;  /* exnref */
	case 0x6e: case 0x6d: case 0x6c: case 0x6b: case 0x6a: case 0x71:  /* anyref... nullref */
		return WLAB_FEATURE_GC;
	case 0x63: case 0x64:  /* (ref null? ht): GC's own heap types are gc */
		return gc_heap(t >> 8) ? WLAB_FEATURE_GC : feature("function-references");
	default: return 0;
	}
}

static uint32_t tabletype_uses(const struct wlab_tabletype *t)
{
	uint32_t u = (t->elemtype & 0xff) == WLAB_FUNCREF ? 0 : valtype_uses(t->elemtype);
	if (t->limits.is64)
		u |= WLAB_FEATURE_MEMORY64;  /* table64 comes with memory64 */
	return u | WLAB_FEATURE_MVP;
}

static uint32_t limits_uses(const struct wlab_limits *l)
{
	return (l->shared ? WLAB_FEATURE_THREADS : 0) | (l->is64 ? WLAB_FEATURE_MEMORY64 : 0);
}

static uint32_t types_uses(const struct wlab_module *m)
{
	uint32_t u = 0;
	for (uint32_t i = 0; i < m->ntypes; i++) {
		const struct wlab_functype *t = &m->types[i];
		if (t->nresults > 1)
			u |= WLAB_FEATURE_MULTI_VALUE;
		for (uint32_t k = 0; k < t->nparams; k++)
			u |= valtype_uses(t->params[k]);
		for (uint32_t k = 0; k < t->nresults; k++)
			u |= valtype_uses(t->results[k]);
		for (uint32_t k = 0; k < t->nfields; k++)
			u |= valtype_uses(t->fields[k].type);
		if (t->form != WLAB_FORM_FUNC || t->sub || t->rec || t->rec_size > 1)
			u |= WLAB_FEATURE_GC;  /* struct, array, sub, rec */
	}
	return u;
}

static uint32_t imports_uses(const struct wlab_module *m)
{
	uint32_t u = 0;
	for (uint32_t i = 0; i < m->nimports; i++) {
		const struct wlab_import *im = &m->imports[i];
		switch (im->kind) {
		case WLAB_EXTERN_TABLE: u |= tabletype_uses(&im->u.table); break;
		case WLAB_EXTERN_MEMORY: u |= limits_uses(&im->u.memory); break;
		case WLAB_EXTERN_GLOBAL: u |= valtype_uses(im->u.global.valtype); break;
		case WLAB_EXTERN_TAG: u |= WLAB_FEATURE_EXCEPTIONS; break;
		default: break;
		}
	}
	if (m->nimported_tables + m->ntables > 1)
		u |= WLAB_FEATURE_REFERENCE_TYPES;
	if (m->nimported_memories + m->nmemories > 1)
		u |= WLAB_FEATURE_MULTI_MEMORY;
	return u;
}

/* A constant expression beyond 2.0's single constant, global.get,
 * ref.null or ref.func, and the features of its instructions. */
static enum wlab_status expr_uses(const struct wlab_module *m, struct wlab_span span,
				  uint32_t *u, struct wlab_error *err)
{
	struct wlab_instr_iter it;
	struct wlab_instr in;
	enum wlab_status st = WLAB_OK;
	uint32_t n = 0;
	wlab_instr_iter_init(&it, m->bytes, span, m->features, err);
	while (!wlab_instr_iter_done(&it) && !(st = wlab_instr_next(&it, &in))) {
		*u |= wlab_opinfo(in.op)->feature;
		if (in.op != WLAB_OP_END)
			n++;
	}
	wlab_instr_iter_fini(&it);
	if (n > 1)
		*u |= WLAB_FEATURE_EXTENDED_CONST;
	return st;
}

static enum wlab_status globals_segments_uses(const struct wlab_module *m, uint32_t *u,
					      struct wlab_error *err)
{
	enum wlab_status st = WLAB_OK;
	for (uint32_t i = 0; i < m->ntables && !st; i++) {
		*u |= tabletype_uses(&m->tables[i].type);
		if (m->tables[i].has_init) {
			*u |= feature("function-references");
			st = expr_uses(m, m->tables[i].init.span, u, err);
		}
	}
	for (uint32_t i = 0; i < m->nmemories; i++)
		*u |= limits_uses(&m->memories[i].limits);
	if (m->ntags)
		*u |= WLAB_FEATURE_EXCEPTIONS;
	for (uint32_t i = 0; i < m->nglobals && !st; i++) {
		*u |= valtype_uses(m->globals[i].type.valtype);
		st = expr_uses(m, m->globals[i].init.span, u, err);
	}
	for (uint32_t i = 0; i < m->nelems && !st; i++) {
		const struct wlab_elem *e = &m->elems[i];
		if (e->flags != 0)  /* passive, declarative, other tables, expressions */
			*u |= WLAB_FEATURE_BULK_MEMORY | WLAB_FEATURE_REFERENCE_TYPES;
		if ((e->elemtype & 0xff) != WLAB_FUNCREF)
			*u |= valtype_uses(e->elemtype);
		if (e->mode == WLAB_SEGMENT_ACTIVE)
			st = expr_uses(m, e->offset.span, u, err);
		for (uint32_t k = 0; e->uses_exprs && k < e->count && !st; k++)
			st = expr_uses(m, e->exprs[k].span, u, err);
	}
	for (uint32_t i = 0; i < m->ndatas && !st; i++) {
		const struct wlab_data *d = &m->datas[i];
		if (d->mode == WLAB_SEGMENT_PASSIVE)
			*u |= WLAB_FEATURE_BULK_MEMORY;
		if (d->mode == WLAB_SEGMENT_ACTIVE)
			st = expr_uses(m, d->offset.span, u, err);
	}
	if (m->has_data_count)
		*u |= WLAB_FEATURE_BULK_MEMORY;
	return st;
}

/* Block types, memory indices and every instruction's feature. */
static enum wlab_status code_uses(const struct wlab_module *m, uint32_t *u,
				  struct wlab_error *err)
{
	enum wlab_status st = WLAB_OK;
	struct wlab_instr_iter it;
	struct wlab_instr in;
	for (uint32_t i = 0; i < m->ncodes && !st; i++) {
		const struct wlab_code *c = &m->codes[i];
		wlab_instr_iter_init(&it, m->bytes, c->expr, m->features, err);
		while (!wlab_instr_iter_done(&it) && !(st = wlab_instr_next(&it, &in))) {
			*u |= wlab_opinfo(in.op)->feature;
			if (wlab_opinfo(in.op)->imm == WLAB_IMM_BLOCK) {
				if (in.blocktype >= 0)
					*u |= WLAB_FEATURE_MULTI_VALUE;
				else if (!wlab_blocktype_is_empty(in.blocktype))
					*u |= valtype_uses((uint32_t)in.blocktype & 0x7f);
			}
			if (wlab_opinfo(in.op)->imm == WLAB_IMM_MEMARG && in.memarg.memidx)
				*u |= WLAB_FEATURE_MULTI_MEMORY;
		}
		wlab_instr_iter_fini(&it);
	}
	return st;
}

enum wlab_status wlab_module_uses_entries(const struct wlab_module *m, uint32_t *out,
					  struct wlab_error *err)
{
	uint32_t u = WLAB_FEATURE_MVP | types_uses(m) | imports_uses(m);
	for (uint32_t i = 0; i < m->ncodes; i++)
		for (uint32_t k = 0; k < m->codes[i].nlocal_decls; k++)
			u |= valtype_uses(m->codes[i].local_decls[k].type);
	enum wlab_status st = globals_segments_uses(m, &u, err);
	*out = u;
	return st;
}

enum wlab_status wlab_module_uses(const struct wlab_module *m, uint32_t *out,
				  struct wlab_error *err)
{
	enum wlab_status st = wlab_module_uses_entries(m, out, err);
	if (!st)
		st = code_uses(m, out, err);
	return st;
}

uint64_t wlab_module_code_size(const struct wlab_module *m)
{
	uint64_t n = 0;
	for (uint32_t i = 0; i < m->ncodes; i++)
		n += m->codes[i].expr.size;
	return n;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int wlab_features_list(uint32_t features, const char *sep, char *buf, size_t n)
{
	const char *names[32];
	int count = 0;
	for (uint32_t bit = 1; bit; bit <<= 1) {
		const char *name = bit == WLAB_FEATURE_MVP ? NULL : wlab_feature_name(bit);
		if ((features & bit) && name)
			names[count++] = name;
	}
	qsort(names, (size_t)count, sizeof names[0], by_name);
	size_t at = 0;
	if (n)
		buf[0] = 0;
	for (int i = 0; i < count && at < n; i++)
		at += (size_t)snprintf(buf + at, n - at, "%s%s", i ? sep : "", names[i]);
	return count;
}
