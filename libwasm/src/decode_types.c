/* decode_types.c: value types, limits, table/global types and the type section. */
#include <string.h>

#include "decode_internal.h"
#include "features_internal.h"

enum wlab_status dec_valtype(struct decoder *d, struct wlab_reader *r, wlab_valtype_t *out)
{
	return wlab_read_valtype(r, d->features, false, out);
}

enum wlab_status dec_reftype(struct decoder *d, struct wlab_reader *r, wlab_valtype_t *out)
{
	return wlab_read_valtype(r, d->features, true, out);
}

enum wlab_status dec_limits(struct decoder *d, struct wlab_reader *r, bool memory,
			    struct wlab_limits *out)
{
	uint8_t flags;
	if (wlab_read_u8(r, &flags))
		return WLAB_MALFORMED;
	size_t at = wlab_reader_offset(r) - 1;
	/* The flags are a LEB128 of as many bits as the features allow in 2.0
	 * ("integer too large", "integer representation too long"), a byte in
	 * 3.0 (memory64 on: "malformed limits flags"), as the suites expect. */
	bool v3 = d->features & WLAB_FEATURE_MEMORY64;
	const char *large = v3 ? "malformed limits flags" : "integer too large";
	if (flags & 0x80)
		return dec_fail(d, r, at, v3 ? large : "integer representation too long");
	if (flags & ~(WLAB_LIMITS_MAX | WLAB_LIMITS_I64 | (memory ? WLAB_LIMITS_SHARED : 0)))
		return dec_fail(d, r, at, large);
	for (uint8_t bit = WLAB_LIMITS_SHARED; bit <= WLAB_LIMITS_I64; bit <<= 1) {
		const char *what;
		uint32_t need = wlab_limits_flag_off(bit, memory, d->features, &what);
		if ((flags & bit) && need)
			return wlab_feature_off(d->err, at, large, what, need);
	}
	out->flags = flags;
	out->has_max = flags & WLAB_LIMITS_MAX;
	out->shared = flags & WLAB_LIMITS_SHARED;
	out->is64 = flags & WLAB_LIMITS_I64;
	/* With memory64 (3.0) the bounds are u64 whatever the address type; the
	 * validator checks them against it ("memory size", "table size"). */
	if (d->features & WLAB_FEATURE_MEMORY64) {
		if (wlab_read_u64(r, &out->min))
			return WLAB_MALFORMED;
		if (out->has_max && wlab_read_u64(r, &out->max))
			return WLAB_MALFORMED;
		return WLAB_OK;
	}
	uint32_t v;
	if (wlab_read_u32(r, &v))
		return WLAB_MALFORMED;
	out->min = v;
	if (out->has_max) {
		if (wlab_read_u32(r, &v))
			return WLAB_MALFORMED;
		out->max = v;
	}
	return WLAB_OK;
}

enum wlab_status dec_tabletype(struct decoder *d, struct wlab_reader *r,
			       struct wlab_tabletype *out)
{
	if (dec_reftype(d, r, &out->elemtype))
		return WLAB_MALFORMED;
	return dec_limits(d, r, false, &out->limits);
}

enum wlab_status dec_globaltype(struct decoder *d, struct wlab_reader *r,
				struct wlab_globaltype *out)
{
	uint8_t mut;
	if (dec_valtype(d, r, &out->valtype))
		return WLAB_MALFORMED;
	if (wlab_read_u8(r, &mut))
		return WLAB_MALFORMED;
	if (mut > 1)
		return dec_fail(d, r, wlab_reader_offset(r) - 1, "malformed mutability");
	out->mut = mut;
	return WLAB_OK;
}

static enum wlab_status read_valtypes(struct decoder *d, struct wlab_reader *r,
				      uint32_t *n, wlab_valtype_t **out)
{
	if (wlab_read_count(r, 1, n))
		return WLAB_MALFORMED;
	*out = dec_array(d, *n, sizeof **out, r);
	if (!*out)
		return WLAB_NOMEM;
	for (uint32_t i = 0; i < *n; i++)
		if (dec_valtype(d, r, &(*out)[i]))
			return WLAB_MALFORMED;
	return WLAB_OK;
}

/* A struct field's or array element's type: a value type or a packed
 * i8/i16, then its mutability. */
static enum wlab_status read_fieldtype(struct decoder *d, struct wlab_reader *r,
				       struct wlab_fieldtype *out)
{
	uint8_t b, mut;
	if (wlab_reader_left(r) && (*r->pos == WLAB_PACKED_I8 || *r->pos == WLAB_PACKED_I16)) {
		wlab_read_u8(r, &b);
		out->type = b;
	} else if (dec_valtype(d, r, &out->type)) {
		return WLAB_MALFORMED;
	}
	if (wlab_read_u8(r, &mut))
		return WLAB_MALFORMED;
	if (mut > 1)
		return dec_fail(d, r, wlab_reader_offset(r) - 1, "malformed mutability");
	out->mut = mut;
	return WLAB_OK;
}

/* What an error calls the type forms that only GC allows, or NULL. */
static const char *gc_form_name(uint8_t b)
{
	switch (b) {
	case WLAB_FORM_STRUCT: return "struct type";
	case WLAB_FORM_ARRAY: return "array type";
	case WLAB_SUB: return "sub type";
	case WLAB_SUB_FINAL: return "sub final type";
	case WLAB_REC: return "rec group";
	default: return NULL;
	}
}

/* The composite type after the sub prefix: func, struct or array. Without
 * GC, a GC form (rec and sub included: the caller reads them only with GC)
 * is malformed, with the feature it needs. */
static enum wlab_status read_comptype(struct decoder *d, struct wlab_reader *r,
				      struct wlab_functype *t)
{
	size_t at = wlab_reader_offset(r);
	bool gc = d->features & WLAB_FEATURE_GC;
	uint8_t form;
	if (wlab_read_u8(r, &form))
		return WLAB_MALFORMED;
	if (form & 0x80)  /* a one-byte signed LEB128 */
		return dec_fail(d, r, at, "integer representation too long");
	t->form = form;
	if (form == WLAB_FORM_FUNC) {
		if (read_valtypes(d, r, &t->nparams, &t->params) ||
		    read_valtypes(d, r, &t->nresults, &t->results))
			return WLAB_MALFORMED;
		return WLAB_OK;
	}
	if (gc && form == WLAB_FORM_ARRAY) {
		t->nfields = 1;
		t->fields = dec_array(d, 1, sizeof *t->fields, r);
		if (!t->fields)
			return WLAB_NOMEM;
		return read_fieldtype(d, r, &t->fields[0]);
	}
	if (gc && form == WLAB_FORM_STRUCT) {
		if (wlab_read_count(r, 2, &t->nfields))
			return WLAB_MALFORMED;
		t->fields = dec_array(d, t->nfields, sizeof *t->fields, r);
		if (!t->fields)
			return WLAB_NOMEM;
		for (uint32_t k = 0; k < t->nfields; k++)
			if (read_fieldtype(d, r, &t->fields[k]))
				return WLAB_MALFORMED;
		return WLAB_OK;
	}
	if (!gc && gc_form_name(form))
		return wlab_feature_off(d->err, at, "malformed function type", gc_form_name(form),
					WLAB_FEATURE_GC);
	return dec_fail(d, r, at, gc ? "malformed definition type" : "malformed function type");
}

/* A subtype: sub or sub final with their supertypes, or a bare composite
 * type (final, none). */
static enum wlab_status read_subtype(struct decoder *d, struct wlab_reader *r,
				     struct wlab_functype *t)
{
	t->span.offset = (uint32_t)wlab_reader_offset(r);
	t->final = true;
	if ((d->features & WLAB_FEATURE_GC) && wlab_reader_left(r) &&
	    (*r->pos == WLAB_SUB || *r->pos == WLAB_SUB_FINAL)) {
		wlab_read_u8(r, &t->sub);
		t->final = t->sub == WLAB_SUB_FINAL;
		if (wlab_read_count(r, 1, &t->nsupers))
			return WLAB_MALFORMED;
		for (uint32_t k = 0; k < t->nsupers; k++) {
			uint32_t s;
			if (wlab_read_u32(r, &s))
				return WLAB_MALFORMED;
			if (k == 0)
				t->super = s;
		}
		t->has_super = t->nsupers > 0;
	}
	if (read_comptype(d, r, t))
		return WLAB_MALFORMED;
	t->span.size = (uint32_t)wlab_reader_offset(r) - t->span.offset;
	return WLAB_OK;
}

/* The type section: n rec groups (a bare subtype is a group of one), so
 * the number of types is known only at the end; the array grows by
 * doubling in the module's arena. */
enum wlab_status dec_type_section(struct decoder *d, struct wlab_reader *r)
{
	struct wlab_module *m = d->m;
	uint32_t n, cap;
	if (wlab_read_count(r, 1, &n))
		return WLAB_MALFORMED;
	d->section_count = n;
	cap = n;
	m->types = dec_array(d, cap, sizeof *m->types, r);
	if (!m->types)
		return WLAB_NOMEM;
	m->ntypes = 0;
	for (uint32_t g = 0; g < n; g++) {
		uint32_t size = 1, at = (uint32_t)wlab_reader_offset(r);
		bool rec = (d->features & WLAB_FEATURE_GC) && wlab_reader_left(r) &&
			   *r->pos == WLAB_REC;
		if (rec) {
			r->pos++;
			if (wlab_read_count(r, 2, &size))
				return WLAB_MALFORMED;
		}
		if (size > WLAB_HT_CONCRETE - 1 - m->ntypes)
			return dec_fail(d, r, at, "too many types");
		if (m->ntypes + size > cap) {
			uint32_t ncap = cap * 2 > m->ntypes + size ? cap * 2 : m->ntypes + size;
			struct wlab_functype *nt = dec_array(d, ncap, sizeof *nt, r);
			if (!nt)
				return WLAB_NOMEM;
			if (m->ntypes)
				memcpy(nt, m->types, m->ntypes * sizeof *nt);
			m->types = nt;
			cap = ncap;
		}
		uint32_t start = m->ntypes;
		for (uint32_t k = 0; k < size; k++) {
			struct wlab_functype *t = &m->types[start + k];
			t->rec_start = start;
			t->rec_size = size;
			t->rec = rec;
			t->rec_offset = at;
			if (read_subtype(d, r, t))
				return WLAB_MALFORMED;
			m->ntypes = start + k + 1;
		}
	}
	return WLAB_OK;
}
