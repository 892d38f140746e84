/* layout_sections.c: the entries of every standard section but code. */
#include <stdio.h>

#include "layout_internal.h"

static enum wlab_status count(struct lb *b, uint32_t *n)
{
	return lb_u32(b, "vec-count", "count", n);
}

static enum wlab_status valtypes(struct lb *b, const char *what, const char *each)
{
	uint32_t n;
	if (lb_u32(b, "vec-count", what, &n))
		return WLAB_MALFORMED;
	for (uint32_t i = 0; i < n; i++)
		if (lb_valtype(b, each))
			return WLAB_MALFORMED;
	return WLAB_OK;
}

/* A struct field's or array element's storage type (i8, i16 or a value
 * type) and its mutability. */
static enum wlab_status fieldtype(struct lb *b, const char *label)
{
	uint8_t mut;
	uint32_t at = lb_pos(b);
	if (wlab_reader_left(b->r) && (*b->r->pos == WLAB_PACKED_I8 || *b->r->pos == WLAB_PACKED_I16)) {
		wlab_read_u8(b->r, &mut);
		lb_set_text(b, lb_leaf(b, at, "storage-type", label), mut == WLAB_PACKED_I8 ? "i8" : "i16");
	} else if (lb_valtype(b, label)) {
		return WLAB_MALFORMED;
	}
	at = lb_pos(b);
	if (wlab_read_u8(b->r, &mut))
		return WLAB_MALFORMED;
	uint32_t i = lb_leaf(b, at, "mutability", "mutability");
	lb_set_text(b, i, mut == 0 ? "const" : mut == 1 ? "var" : lb_fmt(b, "0x%02x", mut));
	return WLAB_OK;
}

/* type[i]: `sub` or `sub final` with its supertypes, the form, then a
 * function type's params and results, a struct's fields or an array's
 * element. */
static enum wlab_status type_entry(struct lb *b, uint32_t i)
{
	uint8_t form;
	uint32_t n, v;
	lb_open(b, "type", lb_fmt(b, "type[%u]", i));
	uint32_t at = lb_pos(b);
	if (wlab_reader_left(b->r) && (*b->r->pos == WLAB_SUB || *b->r->pos == WLAB_SUB_FINAL)) {
		wlab_read_u8(b->r, &form);
		lb_set_text(b, lb_leaf(b, at, "sub", "sub"), form == WLAB_SUB ? "0x50 sub" : "0x4f sub final");
		if (lb_u32(b, "vec-count", "supertype count", &n))
			return WLAB_MALFORMED;
		for (uint32_t k = 0; k < n; k++)
			if (lb_u32(b, "type-index", "supertype", &v))
				return WLAB_MALFORMED;
		at = lb_pos(b);
	}
	if (wlab_read_u8(b->r, &form))
		return WLAB_MALFORMED;
	lb_set_text(b, lb_leaf(b, at, "form", "form"),
		    form == WLAB_FORM_FUNC ? "0x60 func" : form == WLAB_FORM_STRUCT ? "0x5f struct"
		    : form == WLAB_FORM_ARRAY ? "0x5e array" : lb_fmt(b, "0x%02x", form));
	if (form == WLAB_FORM_ARRAY) {
		if (fieldtype(b, "element"))
			return WLAB_MALFORMED;
	} else if (form == WLAB_FORM_STRUCT) {
		if (lb_u32(b, "vec-count", "field count", &n))
			return WLAB_MALFORMED;
		for (uint32_t k = 0; k < n; k++)
			if (fieldtype(b, lb_fmt(b, "field[%u]", k)))
				return WLAB_MALFORMED;
	} else if (valtypes(b, "param count", "param") || valtypes(b, "result count", "result")) {
		return WLAB_MALFORMED;
	}
	lb_close(b);
	return WLAB_OK;
}

/* The type section's entries: rec groups (`rec[g]`: the 0x4e byte, the
 * count, its types) and types alone; types are numbered across groups. */
static enum wlab_status type_section(struct lb *b)
{
	uint32_t n, size, next = 0;
	if (count(b, &n))
		return WLAB_MALFORMED;
	for (uint32_t g = 0; g < n; g++) {
		uint32_t at = lb_pos(b);
		if (!wlab_reader_left(b->r) || *b->r->pos != WLAB_REC) {
			if (type_entry(b, next++))
				return WLAB_MALFORMED;
			continue;
		}
		lb_open(b, "rec", lb_fmt(b, "rec[%u]", g));
		b->r->pos++;
		lb_set_text(b, lb_leaf(b, at, "rec", "rec"), "0x4e rec");
		if (lb_u32(b, "vec-count", "type count", &size))
			return WLAB_MALFORMED;
		for (uint32_t k = 0; k < size; k++)
			if (type_entry(b, next++))
				return WLAB_MALFORMED;
		lb_close(b);
	}
	return WLAB_OK;
}

static enum wlab_status globaltype(struct lb *b)
{
	uint8_t mut;
	if (lb_valtype(b, "value type"))
		return WLAB_MALFORMED;
	uint32_t at = lb_pos(b);
	if (wlab_read_u8(b->r, &mut))
		return WLAB_MALFORMED;
	uint32_t i = lb_leaf(b, at, "mutability", "mutability");
	lb_set_text(b, i, mut == 0 ? "const" : mut == 1 ? "var" : lb_fmt(b, "0x%02x", mut));
	return WLAB_OK;
}

static enum wlab_status import_desc(struct lb *b, uint8_t kind)
{
	uint32_t v;
	uint8_t u;
	switch (kind) {
	case WLAB_EXTERN_FUNC:
		return lb_u32(b, "type-index", "type index", &v);
	case WLAB_EXTERN_TABLE:
		if (lb_valtype(b, "element type"))
			return WLAB_MALFORMED;
		return lb_limits(b);
	case WLAB_EXTERN_MEMORY:
		return lb_limits(b);
	case WLAB_EXTERN_GLOBAL:
		return globaltype(b);
	default:
		if (lb_byte(b, NULL, "tag attribute", &u))
			return WLAB_MALFORMED;
		return lb_u32(b, "type-index", "type index", &v);
	}
}

static enum wlab_status extern_kind(struct lb *b, const char *label, uint8_t *kind)
{
	uint32_t at = lb_pos(b);
	if (wlab_read_u8(b->r, kind))
		return WLAB_MALFORMED;
	uint32_t i = lb_leaf(b, at, "extern-kind", label);
	const char *name = wlab_extern_kind_name(*kind);
	lb_set_text(b, i, name ? name : lb_fmt(b, "0x%02x", *kind));
	return WLAB_OK;
}

static enum wlab_status import_entry(struct lb *b, uint32_t i)
{
	const uint8_t *mod, *field;
	uint32_t nmod, nfield;
	uint8_t kind;
	uint32_t node = lb_open(b, "import", NULL);
	if (lb_name(b, "module name", &mod, &nmod) || lb_name(b, "field name", &field, &nfield))
		return WLAB_MALFORMED;
	if (node != UINT32_MAX)
		b->L->nodes[node].label = lb_fmt(b, "import[%u] \"%.*s.%.*s\"", i, (int)nmod,
						 (const char *)mod, (int)nfield, (const char *)field);
	if (extern_kind(b, "import kind", &kind) || import_desc(b, kind))
		return WLAB_MALFORMED;
	lb_close(b);
	return WLAB_OK;
}

static enum wlab_status export_entry(struct lb *b, uint32_t i)
{
	const uint8_t *name;
	uint32_t len, index;
	uint8_t kind;
	uint32_t node = lb_open(b, "export", NULL);
	if (lb_name(b, "name", &name, &len))
		return WLAB_MALFORMED;
	if (node != UINT32_MAX)
		b->L->nodes[node].label = lb_fmt(b, "export[%u] \"%.*s\"", i, (int)len,
						 (const char *)name);
	if (extern_kind(b, "export kind", &kind) || lb_u32(b, "index", "index", &index))
		return WLAB_MALFORMED;
	lb_close(b);
	return WLAB_OK;
}

/* flags bit 0: passive or declarative; bit 1: explicit table index (active)
 * or declarative; bit 2: items are expressions with an explicit reftype. */
static enum wlab_status elem_entry(struct lb *b, uint32_t i)
{
	uint32_t flags, v, n;
	uint8_t kind;
	lb_open(b, "elem", lb_fmt(b, "elem[%u]", i));
	if (lb_u32(b, "segment-flags", "segment flags", &flags))
		return WLAB_MALFORMED;
	if (!(flags & 1)) {
		if ((flags & 2) && lb_u32(b, "index", "table index", &v))
			return WLAB_MALFORMED;
		if (lb_expr(b, "offset"))
			return WLAB_MALFORMED;
	}
	if (flags & 3) {
		if ((flags & 4) ? lb_valtype(b, "element type")
				: lb_byte(b, "elem-kind", "element kind", &kind))
			return WLAB_MALFORMED;
	}
	if (count(b, &n))
		return WLAB_MALFORMED;
	for (uint32_t k = 0; k < n; k++) {
		if ((flags & 4) ? lb_expr(b, lb_fmt(b, "item[%u]", k))
				: lb_u32(b, "func-index", lb_fmt(b, "item[%u]", k), &v))
			return WLAB_MALFORMED;
	}
	lb_close(b);
	return WLAB_OK;
}

static enum wlab_status data_entry(struct lb *b, uint32_t i)
{
	uint32_t flags, v, len;
	char label[64];
	snprintf(label, sizeof label, "data[%u]", i);
	const struct wlab_str *name = wlab_module_name_of(b->m, WLAB_NAMES_DATA, i);
	lb_open(b, "data", name ? lb_fmt(b, "%s \"%.*s\"", label, (int)name->len,
					 (const char *)name->ptr) : lb_fmt(b, "%s", label));
	if (lb_u32(b, "segment-flags", "segment flags", &flags))
		return WLAB_MALFORMED;
	if (flags == 2 && lb_u32(b, "index", "memory index", &v))
		return WLAB_MALFORMED;
	if (flags != 1 && lb_expr(b, "offset"))
		return WLAB_MALFORMED;
	if (lb_u32(b, "length", "data length", &len) || lb_raw(b, len, "data-bytes", "data bytes"))
		return WLAB_MALFORMED;
	lb_close(b);
	return WLAB_OK;
}

static enum wlab_status entry(struct lb *b, uint8_t id, uint32_t i)
{
	uint32_t v;
	uint8_t u;
	switch (id) {
	case WLAB_SEC_IMPORT:
		return import_entry(b, i);
	case WLAB_SEC_FUNCTION: {
		uint32_t f = b->m->nimported_funcs + i;
		const char *name = lb_func_name(b, f);
		return lb_u32(b, "type-index", name ? lb_fmt(b, "func[%u] \"%s\" type index", f, name)
				: lb_fmt(b, "func[%u] type index", f), &v);
	}
	case WLAB_SEC_TABLE:
		lb_open(b, "table", lb_fmt(b, "table[%u]", i));
		if (i < b->m->ntables && b->m->tables[i].has_init) {
			if (lb_raw(b, 2, "prefix", "0x40 0x00: a table with an initialiser") ||
			    lb_valtype(b, "element type") || lb_limits(b) || lb_expr(b, "init"))
				return WLAB_MALFORMED;
			lb_close(b);
			return WLAB_OK;
		}
		if (lb_valtype(b, "element type") || lb_limits(b))
			return WLAB_MALFORMED;
		lb_close(b);
		return WLAB_OK;
	case WLAB_SEC_MEMORY:
		lb_open(b, "memory", lb_fmt(b, "memory[%u]", i));
		if (lb_limits(b))
			return WLAB_MALFORMED;
		lb_close(b);
		return WLAB_OK;
	case WLAB_SEC_GLOBAL:
		lb_open(b, "global", lb_fmt(b, "global[%u]", b->m->nimported_globals + i));
		if (globaltype(b) || lb_expr(b, "init"))
			return WLAB_MALFORMED;
		lb_close(b);
		return WLAB_OK;
	case WLAB_SEC_EXPORT:
		return export_entry(b, i);
	case WLAB_SEC_ELEM:
		return elem_entry(b, i);
	case WLAB_SEC_DATA:
		return data_entry(b, i);
	default:  /* WLAB_SEC_TAG */
		lb_open(b, "tag", lb_fmt(b, "tag[%u]", i));
		if (lb_byte(b, NULL, "tag attribute", &u) || lb_u32(b, "type-index", "type index", &v))
			return WLAB_MALFORMED;
		lb_close(b);
		return WLAB_OK;
	}
}

enum wlab_status lb_section_payload(struct lb *b, uint8_t id)
{
	uint32_t n, v;
	switch (id) {
	case WLAB_SEC_CUSTOM:
		return lb_custom_section(b);
	case WLAB_SEC_START:
		return lb_u32(b, "func-index", "start function", &v);
	case WLAB_SEC_DATACOUNT:
		return lb_u32(b, NULL, "data count", &v);
	case WLAB_SEC_CODE:
		return lb_code_section(b);
	case WLAB_SEC_TYPE:
		return type_section(b);
	default:
		break;
	}
	if (count(b, &n))
		return WLAB_MALFORMED;
	for (uint32_t i = 0; i < n; i++) {
		enum wlab_status st = entry(b, id, i);
		if (st)
			return st;
	}
	return WLAB_OK;
}
