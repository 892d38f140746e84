/* link_types.c: types in the text format's words for messages and the
 * plan, the spec's import matching, and parsing --stub specs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "link_internal.h"
#include "wlab/link.h"

static void cat(char *buf, size_t size, const char *s)
{
	size_t n = strlen(buf);
	if (n + 1 < size)
		snprintf(buf + n, size - n, "%s", s);
}

const char *link_vt(wlab_valtype_t code)
{
	const char *s = wlab_valtype_name(code);
	return s ? s : "?";
}

/* Appends " T" with T as the text format spells it ("(ref null 1)"...). */
static void cat_type(char *buf, size_t size, const char *sep, wlab_valtype_t t)
{
	char tb[48];
	cat(buf, size, sep);
	cat(buf, size, wlab_type_str(t, tb, sizeof tb));
}

wlab_valtype_t link_map_vt(const struct link_ctx *c, uint32_t i, wlab_valtype_t t)
{
	if (!wlab_type_is_ref(t) || !wlab_heap_is_concrete(wlab_ref_heap(t)))
		return t;
	uint32_t j = wlab_heap_index(wlab_ref_heap(t));
	if (j >= c->in[i].module->ntypes)
		return t;
	return wlab_ref_type(wlab_ref_nullable(t), wlab_heap_concrete(c->type_map[c->type_base[i] + j]));
}

/* A GC type's place: " (type 2)", " (rec types 2..3)" when its rec group
 * holds others, " (sub 1)" when it declares a supertype. */
static void cat_gc_place(char *buf, size_t size, uint32_t idx, const struct wlab_functype *t)
{
	char tmp[48];
	snprintf(tmp, sizeof tmp, " (type %u)", idx);
	cat(buf, size, tmp);
	if (t->rec_size > 1) {
		snprintf(tmp, sizeof tmp, " (rec types %u..%u)", t->rec_start,
			 t->rec_start + t->rec_size - 1);
		cat(buf, size, tmp);
	}
	if (t->has_super) {
		snprintf(tmp, sizeof tmp, " (sub %u)", t->super);
		cat(buf, size, tmp);
	}
}

/* Appends a type's composite: " (struct (field i32))", " (array (mut i8))",
 * or a function's " (param i32) (result i32)". */
static void cat_composite(char *buf, size_t size, const struct wlab_functype *t)
{
	if (t->form != WLAB_FORM_FUNC) {
		cat(buf, size, t->form == WLAB_FORM_STRUCT ? " (struct" : " (array");
		for (uint32_t k = 0; k < t->nfields; k++) {
			cat(buf, size, t->form == WLAB_FORM_STRUCT ? " (field" : "");
			cat_type(buf, size, t->fields[k].mut ? " (mut " : " ", t->fields[k].type);
			cat(buf, size, t->fields[k].mut ? ")" : "");
			cat(buf, size, t->form == WLAB_FORM_STRUCT ? ")" : "");
		}
		cat(buf, size, ")");
		return;
	}
	if (t->nparams) {
		cat(buf, size, " (param");
		for (uint32_t i = 0; i < t->nparams; i++)
			cat_type(buf, size, " ", t->params[i]);
		cat(buf, size, ")");
	}
	if (t->nresults) {
		cat(buf, size, " (result");
		for (uint32_t i = 0; i < t->nresults; i++)
			cat_type(buf, size, " ", t->results[i]);
		cat(buf, size, ")");
	}
}

/* "(func (param i32) (result i32))", or "(tag (param i32))" with head "tag";
 * a type only GC can declare (a struct or array, a sub, part of a rec group
 * of several) with its place: "(func (type 2) (sub 1) (result i32))",
 * "(func (type 0) (struct (field i32)))". */
static void fmt_functype(const char *head, const struct wlab_module *m, uint32_t idx,
			 char *buf, size_t size)
{
	const struct wlab_functype *t = link_type_at(m, idx);
	snprintf(buf, size, "(%s", head);
	if (!t) {
		cat(buf, size, " ?)");
		return;
	}
	if (t->form != WLAB_FORM_FUNC || t->has_super || !t->final || t->rec_size > 1)
		cat_gc_place(buf, size, idx, t);
	cat_composite(buf, size, t);
	cat(buf, size, ")");
}

static void fmt_limits(const struct wlab_limits *l, char *buf, size_t size)
{
	char tmp[64];
	if (l->has_max)
		snprintf(tmp, sizeof tmp, " %llu %llu", (unsigned long long)l->min,
			 (unsigned long long)l->max);
	else
		snprintf(tmp, sizeof tmp, " %llu", (unsigned long long)l->min);
	cat(buf, size, tmp);
	if (l->shared)
		cat(buf, size, " shared");
}

const struct wlab_functype *link_type_at(const struct wlab_module *m, uint32_t t)
{
	return t < m->ntypes ? &m->types[t] : NULL;
}

static void fmt_entity(const struct wlab_module *m, uint8_t kind, uint32_t functype,
		       const struct wlab_tabletype *tt, const struct wlab_limits *mem,
		       const struct wlab_globaltype *gt, char *buf, size_t size)
{
	buf[0] = 0;
	switch (kind) {
	case WLAB_EXTERN_FUNC:
		fmt_functype("func", m, functype, buf, size);
		break;
	case WLAB_EXTERN_TAG:
		fmt_functype("tag", m, functype, buf, size);
		break;
	case WLAB_EXTERN_TABLE:
		snprintf(buf, size, "(table");
		fmt_limits(&tt->limits, buf, size);
		cat_type(buf, size, " ", tt->elemtype);
		cat(buf, size, ")");
		break;
	case WLAB_EXTERN_MEMORY:
		snprintf(buf, size, "(memory");
		fmt_limits(mem, buf, size);
		cat(buf, size, ")");
		break;
	case WLAB_EXTERN_GLOBAL:
		snprintf(buf, size, gt->mut ? "(global (mut" : "(global");
		cat_type(buf, size, " ", gt->valtype);
		cat(buf, size, gt->mut ? "))" : ")");
		break;
	default:
		snprintf(buf, size, "(%s)", wlab_extern_kind_name(kind));
	}
}

char *wlab_link_import_type(const struct wlab_module *m, const struct wlab_import *imp,
			    char *buf, size_t size)
{
	uint32_t ft = imp->kind == WLAB_EXTERN_TAG ? imp->u.tag.type_index : imp->u.func_type;
	fmt_entity(m, imp->kind, ft, &imp->u.table, &imp->u.memory, &imp->u.global, buf, size);
	return buf;
}

/* The type of entry idx of a kind as module m declares it. */
static bool entity_type(const struct wlab_module *m, uint8_t kind, uint32_t idx,
			uint32_t *functype, struct wlab_tabletype *tt, struct wlab_limits *mem,
			struct wlab_globaltype *gt)
{
	const struct wlab_import *imp = wlab_module_import_of(m, kind, idx);
	uint32_t d = idx - link_kind_imported(m, kind);
	switch (kind) {
	case WLAB_EXTERN_FUNC:
		*functype = wlab_module_func_type(m, idx);
		return *functype != UINT32_MAX;
	case WLAB_EXTERN_TABLE:
		if (imp)
			*tt = imp->u.table;
		else if (d < m->ntables)
			*tt = m->tables[d].type;
		else
			return false;
		return true;
	case WLAB_EXTERN_MEMORY:
		if (imp)
			*mem = imp->u.memory;
		else if (d < m->nmemories)
			*mem = m->memories[d].limits;
		else
			return false;
		return true;
	case WLAB_EXTERN_GLOBAL:
		if (imp)
			*gt = imp->u.global;
		else if (d < m->nglobals)
			*gt = m->globals[d].type;
		else
			return false;
		return true;
	case WLAB_EXTERN_TAG:
		if (imp)
			*functype = imp->u.tag.type_index;
		else if (d < m->ntags)
			*functype = m->tags[d].type.type_index;
		else
			return false;
		return true;
	}
	return false;
}

char *wlab_link_export_type(const struct wlab_module *m, const struct wlab_export *ex,
			    char *buf, size_t size)
{
	uint32_t ft = 0;
	struct wlab_tabletype tt = {0};
	struct wlab_limits mem = {0};
	struct wlab_globaltype gt = {0};
	if (!entity_type(m, ex->kind, ex->index, &ft, &tt, &mem, &gt)) {
		snprintf(buf, size, "(%s ?)", wlab_extern_kind_name(ex->kind));
		return buf;
	}
	fmt_entity(m, ex->kind, ft, &tt, &mem, &gt, buf, size);
	return buf;
}

/* The first type index an entity's type names directly (a parameter, a
 * result, a table's element type, a global's value type), or UINT32_MAX. */
static uint32_t first_named(const struct wlab_module *m, uint8_t kind, uint32_t ft,
			    const struct wlab_tabletype *tt, const struct wlab_globaltype *gt)
{
	const struct wlab_functype *t = kind == WLAB_EXTERN_FUNC || kind == WLAB_EXTERN_TAG
						? link_type_at(m, ft)
						: NULL;
	uint32_t n = t && t->form == WLAB_FORM_FUNC ? t->nparams + t->nresults : 1;
	for (uint32_t k = 0; k < n; k++) {
		wlab_valtype_t v = kind == WLAB_EXTERN_TABLE ? tt->elemtype
				   : kind == WLAB_EXTERN_GLOBAL ? gt->valtype
				   : !t || t->form != WLAB_FORM_FUNC ? WLAB_I32
				   : k < t->nparams ? t->params[k]
						    : t->results[k - t->nparams];
		if (wlab_type_is_ref(v) && wlab_heap_is_concrete(wlab_ref_heap(v)))
			return wlab_heap_index(wlab_ref_heap(v));
	}
	return UINT32_MAX;
}

static void cat_named(char *buf, size_t size, const char *whose, const struct wlab_module *m,
		      uint32_t idx)
{
	const struct wlab_functype *t = link_type_at(m, idx);
	char tmp[160];
	if (!t)
		return;
	snprintf(tmp, sizeof tmp, "%s%s's type %u is", buf[0] ? ", " : "; ", whose, idx);
	cat(buf, size, tmp);
	cat(buf, size, t->form == WLAB_FORM_FUNC ? " (func" : "");
	cat_composite(buf, size, t);
	cat(buf, size, t->form == WLAB_FORM_FUNC ? ")" : "");
}

char *link_named_types(const char *iname, const struct wlab_module *im,
		       const struct wlab_import *imp, const char *pname,
		       const struct wlab_module *pm, const struct wlab_export *ex, char *buf,
		       size_t size)
{
	uint32_t ft = 0;
	struct wlab_tabletype tt = {0};
	struct wlab_limits mem = {0};
	struct wlab_globaltype gt = {0};
	uint32_t ift = imp->kind == WLAB_EXTERN_TAG ? imp->u.tag.type_index : imp->u.func_type;
	uint32_t a = first_named(im, imp->kind, ift, &imp->u.table, &imp->u.global);
	uint32_t b = entity_type(pm, ex->kind, ex->index, &ft, &tt, &mem, &gt)
			     ? first_named(pm, ex->kind, ft, &tt, &gt)
			     : UINT32_MAX;
	buf[0] = 0;
	if (a != UINT32_MAX)
		cat_named(buf, size, iname, im, a);
	if (b != UINT32_MAX)
		cat_named(buf, size, pname, pm, b);
	return buf;
}

/* The spec's import matching: the provider's limits within the import's. */
static bool limits_match(const struct wlab_limits *prov, const struct wlab_limits *imp)
{
	if (prov->min < imp->min || prov->shared != imp->shared || prov->is64 != imp->is64)
		return false;
	return !imp->has_max || (prov->has_max && prov->max <= imp->max);
}

/* Value types a of input ia and b of input ib are equivalent: each a
 * subtype of the other (iso-recursive equivalence, link_canon.c). */
static bool vt_equiv(const struct link_ctx *c, uint32_t ia, wlab_valtype_t a, uint32_t ib,
		     wlab_valtype_t b)
{
	return link_canon_sub(c, ia, a, ib, b) && link_canon_sub(c, ib, b, ia, a);
}

bool link_import_matches(const struct link_ctx *c, uint32_t i, const struct wlab_import *imp,
			 uint32_t j, const struct wlab_export *ex)
{
	const struct wlab_module *pm = c->in[j].module;
	uint32_t ft = 0;
	struct wlab_tabletype tt = {0};
	struct wlab_limits mem = {0};
	struct wlab_globaltype gt = {0};
	if (ex->kind != imp->kind || !entity_type(pm, ex->kind, ex->index, &ft, &tt, &mem, &gt))
		return false;
	switch (imp->kind) {
	case WLAB_EXTERN_FUNC:  /* the provider's type a declared subtype of the import's */
		return link_canon_typeidx_sub(c, j, ft, i, imp->u.func_type);
	case WLAB_EXTERN_TABLE:
		return vt_equiv(c, j, tt.elemtype, i, imp->u.table.elemtype) &&
		       limits_match(&tt.limits, &imp->u.table.limits);
	case WLAB_EXTERN_MEMORY:
		return limits_match(&mem, &imp->u.memory);
	case WLAB_EXTERN_GLOBAL:
		if (gt.mut != imp->u.global.mut)
			return false;
		return gt.mut ? vt_equiv(c, j, gt.valtype, i, imp->u.global.valtype)
			      : link_canon_sub(c, j, gt.valtype, i, imp->u.global.valtype);
	case WLAB_EXTERN_TAG:  /* 3.0: the tag types are equivalent */
		return link_canon_typeidx_sub(c, j, ft, i, imp->u.tag.type_index) &&
		       link_canon_typeidx_sub(c, i, imp->u.tag.type_index, j, ft);
	}
	return false;
}

/* ---- stubs ---- */

bool wlab_link_parse_stub(char *spec, struct wlab_link_stub *out, char *err_buf,
			  size_t err_size)
{
	memset(out, 0, sizeof *out);
	char *eq = strchr(spec, '='), *dot = strchr(spec, '.');
	if (!eq || !dot || dot > eq || dot == spec || dot + 1 == eq) {
		snprintf(err_buf, err_size, "stub '%s': expected MOD.FIELD=trap|zero|const:TYPE:VALUE",
			 spec);
		return false;
	}
	*dot = 0;
	*eq = 0;
	out->module = spec;
	out->field = dot + 1;
	const char *what = eq + 1;
	if (strcmp(what, "trap") == 0) {
		out->kind = WLAB_LINK_STUB_TRAP;
		return true;
	}
	if (strcmp(what, "zero") == 0) {
		out->kind = WLAB_LINK_STUB_ZERO;
		return true;
	}
	if (strncmp(what, "const:", 6) == 0) {
		char type[8] = {0};
		const char *colon = strchr(what + 6, ':');
		size_t tl = colon ? (size_t)(colon - (what + 6)) : 0;
		if (colon && tl < sizeof type)
			memcpy(type, what + 6, tl);
		uint8_t code = colon ? wlab_valtype_by_name(type) : 0;
		if (code == WLAB_I32 || code == WLAB_I64 || code == WLAB_F32 || code == WLAB_F64) {
			char *end = NULL;
			const char *v = colon + 1;
			out->kind = WLAB_LINK_STUB_CONST;
			out->valtype = code;
			if (code == WLAB_F32 || code == WLAB_F64) {
				double d = strtod(v, &end);
				if (code == WLAB_F32) {
					float f = (float)d;
					uint32_t bits;
					memcpy(&bits, &f, 4);
					out->bits = bits;
				} else {
					memcpy(&out->bits, &d, 8);
				}
			} else {
				long long s = strtoll(v, &end, 0);
				out->bits = (uint64_t)s;
				if (code == WLAB_I32)
					out->bits &= 0xffffffffu;
			}
			if (end && end != v && *end == 0)
				return true;
		}
	}
	snprintf(err_buf, err_size,
		 "stub '%s.%s=%s': expected trap, zero or const:TYPE:VALUE (TYPE i32, i64, f32 or f64)",
		 out->module, out->field, what);
	return false;
}

