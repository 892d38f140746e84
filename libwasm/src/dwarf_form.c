/* dwarf_form.c: DWARF values: LEB128s, lengths, attribute forms
 * (dwarf_forms.def), strings and indexed addresses. */
#include "dwarf_internal.h"

#include <string.h>

enum wlab_status dw_read_uleb(struct wlab_reader *r, uint64_t *out)
{
	uint64_t v = 0;
	unsigned shift = 0;
	for (;;) {
		uint8_t b;
		if (wlab_read_u8(r, &b))
			return WLAB_MALFORMED;
		if (shift < 64)
			v |= (uint64_t)(b & 0x7f) << shift;
		shift += 7;
		if (!(b & 0x80))
			break;
	}
	*out = v;
	return WLAB_OK;
}

enum wlab_status dw_read_sleb(struct wlab_reader *r, int64_t *out)
{
	uint64_t v = 0;
	unsigned shift = 0;
	uint8_t b;
	do {
		if (wlab_read_u8(r, &b))
			return WLAB_MALFORMED;
		if (shift < 64)
			v |= (uint64_t)(b & 0x7f) << shift;
		shift += 7;
	} while (b & 0x80);
	if (shift < 64 && (b & 0x40))
		v |= ~(uint64_t)0 << shift;
	*out = (int64_t)v;
	return WLAB_OK;
}

enum wlab_status dw_read_uint(struct wlab_reader *r, unsigned size, uint64_t *out)
{
	const uint8_t *p;
	if (size > 8 || wlab_read_bytes(r, size, &p))
		return WLAB_MALFORMED;
	uint64_t v = 0;
	for (unsigned i = 0; i < size; i++)
		v |= (uint64_t)p[i] << (8 * i);
	*out = v;
	return WLAB_OK;
}

enum wlab_status dw_read_length(struct wlab_reader *r, uint64_t *len, uint8_t *offset_size)
{
	uint64_t v;
	if (dw_read_uint(r, 4, &v))
		return WLAB_MALFORMED;
	*offset_size = 4;
	if (v == 0xffffffff) {
		*offset_size = 8;
		return dw_read_uint(r, 8, len);
	}
	if (v >= 0xfffffff0)
		return wlab_error_set(r->err, WLAB_MALFORMED, wlab_reader_offset(r) - 4,
				      "reserved unit length 0x%llx", (unsigned long long)v);
	*len = v;
	return WLAB_OK;
}

struct form_info {
	uint32_t code;
	uint8_t enc, size, cls;
};

static const struct form_info forms[] = {
#define WLAB_DW_FORM(code, cname, enc, size, cls) {code, enc, size, cls},
#include "dwarf_forms.def"
#undef WLAB_DW_FORM
};

static const struct form_info *form_info(uint32_t code)
{
	for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++)
		if (forms[i].code == code)
			return &forms[i];
	return NULL;
}

static enum wlab_status read_block(struct wlab_reader *r, uint64_t len, struct dw_value *out)
{
	if (len > wlab_reader_left(r))
		return wlab_error_set(r->err, WLAB_MALFORMED, wlab_reader_offset(r),
				      "block of %llu bytes past the end of the unit",
				      (unsigned long long)len);
	out->u = len;
	out->ptr = r->pos;
	r->pos += len;
	return WLAB_OK;
}

enum wlab_status dw_read_form(struct wlab_reader *r, const struct dw_cu *cu, uint32_t form,
			      int64_t implicit, struct dw_value *out)
{
	size_t at = wlab_reader_offset(r);
	const struct form_info *f = form_info(form);
	if (!f)
		return wlab_error_set(r->err, WLAB_MALFORMED, at, "unknown form 0x%x", form);
	memset(out, 0, sizeof *out);
	out->cls = f->cls;
	uint64_t len;
	switch ((enum dw_enc)f->enc) {
	case DWE_FIXED:
		if (f->size > 8)  /* data16: kept as bytes */
			return read_block(r, f->size, out);
		return dw_read_uint(r, f->size, &out->u);
	case DWE_ULEB: return dw_read_uleb(r, &out->u);
	case DWE_SLEB:
		if (dw_read_sleb(r, &out->s))
			return WLAB_MALFORMED;
		out->u = (uint64_t)out->s;
		return WLAB_OK;
	case DWE_OFFSET: return dw_read_uint(r, cu->offset_size, &out->u);
	case DWE_ADDR: return dw_read_uint(r, cu->addr_size, &out->u);
	case DWE_IMPLICIT:
		out->s = implicit;
		out->u = (uint64_t)implicit;
		return WLAB_OK;
	case DWE_CSTR: {
		const uint8_t *nul = memchr(r->pos, 0, wlab_reader_left(r));
		if (!nul)
			return wlab_error_set(r->err, WLAB_MALFORMED, at, "unterminated string");
		out->ptr = r->pos;
		r->pos = nul + 1;
		return WLAB_OK;
	}
	case DWE_BLOCK:
		if (dw_read_uleb(r, &len))
			return WLAB_MALFORMED;
		return read_block(r, len, out);
	case DWE_BLOCK1:
	case DWE_BLOCK2:
	case DWE_BLOCK4:
		if (dw_read_uint(r, f->enc == DWE_BLOCK1 ? 1 : f->enc == DWE_BLOCK2 ? 2 : 4, &len))
			return WLAB_MALFORMED;
		return read_block(r, len, out);
	case DWE_INDIRECT: {
		uint64_t real;
		if (dw_read_uleb(r, &real))
			return WLAB_MALFORMED;
		if (real == 0x16 || real == 0x21 || real > UINT32_MAX)  /* indirect, implicit_const */
			return wlab_error_set(r->err, WLAB_MALFORMED, at, "bad indirect form 0x%llx",
					      (unsigned long long)real);
		return dw_read_form(r, cu, (uint32_t)real, 0, out);
	}
	}
	return wlab_error_set(r->err, WLAB_MALFORMED, at, "unknown form 0x%x", form);
}

const char *dw_section_str(const struct wlab_dwarf *d, enum dw_sec sec, uint64_t offset)
{
	const struct dw_section *s = &d->sec[sec];
	if (!s->present || offset >= s->size)
		return NULL;
	if (!memchr(s->bytes + offset, 0, (size_t)(s->size - offset)))
		return NULL;
	return (const char *)s->bytes + offset;
}

/* Entry index of a DWARF 5 offsets table (.debug_str_offsets, .debug_addr)
 * at base, entries of size bytes. */
static bool table_entry(const struct wlab_dwarf *d, enum dw_sec sec, uint64_t base,
			uint64_t index, unsigned size, uint64_t *out)
{
	const struct dw_section *s = &d->sec[sec];
	if (!s->present || index > (s->size / size) || base > s->size ||
	    index * size > s->size - base || s->size - base - index * size < size)
		return false;
	const uint8_t *p = s->bytes + base + index * size;
	uint64_t v = 0;
	for (unsigned i = 0; i < size; i++)
		v |= (uint64_t)p[i] << (8 * i);
	*out = v;
	return true;
}

const char *dw_string(const struct wlab_dwarf *d, const struct dw_cu *cu,
		      const struct dw_value *v)
{
	uint64_t off;
	switch (v->cls) {
	case DWC_STRING: return (const char *)v->ptr;
	case DWC_STRP: return dw_section_str(d, DW_SEC_STR, v->u);
	case DWC_LINE_STRP: return dw_section_str(d, DW_SEC_LINE_STR, v->u);
	case DWC_STRX:
		if (!table_entry(d, DW_SEC_STR_OFFSETS, cu->str_offsets_base, v->u,
				 cu->offset_size, &off))
			return NULL;
		return dw_section_str(d, DW_SEC_STR, off);
	default: return NULL;
	}
}

bool dw_addrx(const struct wlab_dwarf *d, const struct dw_cu *cu, uint64_t index,
	      uint64_t *out)
{
	return table_entry(d, DW_SEC_ADDR, cu->addr_base, index, cu->addr_size, out);
}

bool dw_address(const struct wlab_dwarf *d, const struct dw_cu *cu,
		const struct dw_value *v, uint64_t *out)
{
	if (v->cls == DWC_ADDR) {
		*out = v->u;
		return true;
	}
	if (v->cls == DWC_ADDRX)
		return dw_addrx(d, cu, v->u, out);
	return false;
}
