/* decode_types.c: value types, limits, table/global types and the type section. */
#include "decode_internal.h"

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
	uint8_t allowed = 0x01;
	if (memory && (d->features & WLAB_FEATURE_THREADS))
		allowed |= 0x02;
	if (d->features & WLAB_FEATURE_MEMORY64)
		allowed |= 0x04;  /* i64 addresses: memory64, and table64 for tables */
	/* The flags are a LEB128 of as many bits as the features allow. */
	if (flags & 0x80)
		return dec_fail(d, r, wlab_reader_offset(r) - 1, "integer representation too long");
	if (flags & ~allowed)
		return dec_fail(d, r, wlab_reader_offset(r) - 1, "integer too large");
	out->flags = flags;
	out->has_max = flags & 0x01;
	out->shared = flags & 0x02;
	out->is64 = flags & 0x04;
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

enum wlab_status dec_type_section(struct decoder *d, struct wlab_reader *r)
{
	struct wlab_module *m = d->m;
	uint32_t n;
	if (wlab_read_count(r, 1, &n))
		return WLAB_MALFORMED;
	d->section_count = n;
	m->types = dec_array(d, n, sizeof *m->types, r);
	if (!m->types)
		return WLAB_NOMEM;
	for (uint32_t i = 0; i < n; i++) {
		struct wlab_functype *t = &m->types[i];
		uint8_t form;
		t->span.offset = (uint32_t)wlab_reader_offset(r);
		if (wlab_read_u8(r, &form))
			return WLAB_MALFORMED;
		if (form & 0x80)  /* a one-byte signed LEB128 */
			return dec_fail(d, r, t->span.offset, "integer representation too long");
		if (form != 0x60)
			return dec_fail(d, r, t->span.offset, "malformed function type");
		if (read_valtypes(d, r, &t->nparams, &t->params))
			return WLAB_MALFORMED;
		if (read_valtypes(d, r, &t->nresults, &t->results))
			return WLAB_MALFORMED;
		t->span.size = (uint32_t)wlab_reader_offset(r) - t->span.offset;
		t->form = form;
		t->final = true;
		t->rec_start = i;
		t->rec_size = 1;
		m->ntypes = i + 1;
	}
	return WLAB_OK;
}
