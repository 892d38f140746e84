/* dwarf_info.c: .debug_abbrev and .debug_info: the compile units, and in
 * each the subprograms and inlined subroutines with their address ranges
 * (the scopes a source lookup walks). */
#include "dwarf_internal.h"

#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 256  /* DIE nesting kept track of; deeper DIEs are skipped */

static enum wlab_status abbrev_attrs(struct wlab_reader *r, struct dw_abbrev *a)
{
	uint32_t cap = 0;
	for (;;) {
		uint64_t name, form;
		int64_t implicit = 0;
		if (dw_read_uleb(r, &name) || dw_read_uleb(r, &form))
			return WLAB_MALFORMED;
		if (!name && !form)
			return WLAB_OK;
		if (form == 0x21 && dw_read_sleb(r, &implicit))
			return WLAB_MALFORMED;
		if (a->nattrs == cap) {
			cap = cap ? cap * 2 : 8;
			struct dw_abbrev_attr *p = realloc(a->attrs, cap * sizeof *p);
			if (!p)
				return wlab_error_set(r->err, WLAB_NOMEM, wlab_reader_offset(r),
						      "out of memory");
			a->attrs = p;
		}
		a->attrs[a->nattrs++] = (struct dw_abbrev_attr){
			(uint32_t)(name > UINT32_MAX ? 0 : name),
			(uint32_t)(form > UINT32_MAX ? 0 : form), implicit};
	}
}

/* The abbreviation table at offset, parsed once and kept; -1 if it is bad. */
static int64_t abbrevs_at(struct wlab_dwarf *d, uint64_t offset)
{
	for (uint32_t i = 0; i < d->nabbrevs; i++)
		if (d->abbrevs[i].offset == offset)
			return d->abbrevs[i].v ? (int64_t)i : -1;
	if (!dw_grow(d, (void **)&d->abbrevs, &d->cap_abbrevs, d->nabbrevs, sizeof *d->abbrevs))
		return -1;
	struct dw_abbrevs *t = &d->abbrevs[d->nabbrevs++];
	memset(t, 0, sizeof *t);
	t->offset = offset;
	struct wlab_error err = {0};
	struct wlab_reader r;
	uint32_t cap = 0;
	dw_reader(d, DW_SEC_ABBREV, &r, &err);
	if (offset > d->sec[DW_SEC_ABBREV].size) {
		dw_warn(d, DW_SEC_ABBREV, offset, "abbreviation table past the end of the section");
		return -1;
	}
	r.pos += offset;
	for (;;) {
		uint64_t code, tag;
		uint8_t children;
		if (dw_read_uleb(&r, &code))
			goto fail;
		if (!code)
			break;
		if (t->n == cap) {
			cap = cap ? cap * 2 : 32;
			struct dw_abbrev *p = realloc(t->v, cap * sizeof *p);
			if (!p) {
				d->nomem = true;
				goto fail;
			}
			t->v = p;
		}
		struct dw_abbrev *a = &t->v[t->n++];
		memset(a, 0, sizeof *a);
		a->code = code;
		if (dw_read_uleb(&r, &tag) || wlab_read_u8(&r, &children) || abbrev_attrs(&r, a))
			goto fail;
		a->tag = (uint32_t)(tag > UINT32_MAX ? 0 : tag);
		a->children = children != 0;
	}
	if (!t->v)  /* an empty table is valid; mark it parsed */
		t->v = calloc(1, sizeof *t->v);
	return t->v ? (int64_t)(t - d->abbrevs) : -1;
fail:
	dw_warn(d, DW_SEC_ABBREV, err.status ? err.offset : offset, "%s",
		err.status ? err.message : "bad abbreviation table");
	for (uint32_t k = 0; k < t->n; k++)
		free(t->v[k].attrs);
	free(t->v);
	t->v = NULL;
	t->n = 0;
	return -1;
}

static const struct dw_abbrev *find_abbrev(const struct dw_abbrevs *t, uint64_t code)
{
	if (code - 1 < t->n && t->v[code - 1].code == code)  /* the usual numbering */
		return &t->v[code - 1];
	for (uint32_t i = 0; i < t->n; i++)
		if (t->v[i].code == code)
			return &t->v[i];
	return NULL;
}

static int attr_slot(uint32_t name)
{
	switch (name) {
	case DW_AT_name: return DWA_NAME;
	case DW_AT_linkage_name:
	case DW_AT_MIPS_linkage_name: return DWA_LINKAGE;
	case DW_AT_stmt_list: return DWA_STMT_LIST;
	case DW_AT_low_pc: return DWA_LOW_PC;
	case DW_AT_high_pc: return DWA_HIGH_PC;
	case DW_AT_comp_dir: return DWA_COMP_DIR;
	case DW_AT_abstract_origin: return DWA_ORIGIN;
	case DW_AT_specification: return DWA_SPEC;
	case DW_AT_ranges: return DWA_RANGES;
	case DW_AT_call_file: return DWA_CALL_FILE;
	case DW_AT_call_line: return DWA_CALL_LINE;
	case DW_AT_call_column: return DWA_CALL_COLUMN;
	case DW_AT_str_offsets_base: return DWA_STR_OFFSETS_BASE;
	case DW_AT_addr_base: return DWA_ADDR_BASE;
	case DW_AT_rnglists_base: return DWA_RNGLISTS_BASE;
	default: return -1;
	}
}

enum wlab_status dw_read_die(struct wlab_dwarf *d, const struct dw_cu *cu,
			     struct wlab_reader *r, struct dw_die *out)
{
	uint64_t code;
	memset(out, 0, sizeof *out);
	out->offset = wlab_reader_offset(r);
	if (dw_read_uleb(r, &code))
		return WLAB_MALFORMED;
	if (!code) {
		out->null = true;
		return WLAB_OK;
	}
	const struct dw_abbrev *a = find_abbrev(&d->abbrevs[cu->abbrevs], code);
	if (!a)
		return wlab_error_set(r->err, WLAB_MALFORMED, out->offset,
				      "unknown abbreviation code %llu", (unsigned long long)code);
	out->tag = a->tag;
	out->children = a->children;
	for (uint32_t i = 0; i < a->nattrs; i++) {
		struct dw_value v;
		if (dw_read_form(r, cu, a->attrs[i].form, a->attrs[i].implicit, &v))
			return WLAB_MALFORMED;
		int slot = attr_slot(a->attrs[i].name);
		if (slot >= 0 && !out->has[slot]) {
			out->has[slot] = true;
			out->v[slot] = v;
		}
	}
	return WLAB_OK;
}

/* The unit header at r (past its length); fills cu. */
static enum wlab_status unit_header(struct wlab_dwarf *d, struct wlab_reader *r,
				    struct dw_cu *cu)
{
	uint64_t version, abbrev_off, unit_type = 1, addr_size;
	size_t at = wlab_reader_offset(r);
	if (dw_read_uint(r, 2, &version))
		return WLAB_MALFORMED;
	if (version < 2 || version > 5)
		return wlab_error_set(r->err, WLAB_MALFORMED, at, "unsupported DWARF version %u",
				      (unsigned)version);
	cu->version = (uint16_t)version;
	if (version >= 5) {
		if (dw_read_uint(r, 1, &unit_type) || dw_read_uint(r, 1, &addr_size) ||
		    dw_read_uint(r, cu->offset_size, &abbrev_off))
			return WLAB_MALFORMED;
		/* skeleton and split units carry a dwo id, type units a signature
		 * and a type offset */
		uint64_t skip = unit_type == 4 || unit_type == 5 ? 8
				: unit_type == 2 || unit_type == 6 ? 8u + cu->offset_size : 0;
		const uint8_t *p;
		if (wlab_read_bytes(r, (size_t)skip, &p))
			return WLAB_MALFORMED;
	} else if (dw_read_uint(r, cu->offset_size, &abbrev_off) ||
		   dw_read_uint(r, 1, &addr_size)) {
		return WLAB_MALFORMED;
	}
	if (addr_size != 4 && addr_size != 8)
		return wlab_error_set(r->err, WLAB_MALFORMED, at,
				      "unsupported address size %u", (unsigned)addr_size);
	cu->addr_size = (uint8_t)addr_size;
	cu->unit_type = (uint8_t)unit_type;
	int64_t ab = abbrevs_at(d, abbrev_off);
	if (ab < 0)
		return wlab_error_set(r->err, WLAB_MALFORMED, at,
				      "bad abbreviation table at 0x%llx",
				      (unsigned long long)abbrev_off);
	cu->abbrevs = (uint32_t)ab;
	cu->die_offset = wlab_reader_offset(r);
	return WLAB_OK;
}

/* The unit DIE's attributes into cu. */
static void unit_die(struct wlab_dwarf *d, struct dw_cu *cu, const struct dw_die *die)
{
	if (die->has[DWA_STR_OFFSETS_BASE])
		cu->str_offsets_base = die->v[DWA_STR_OFFSETS_BASE].u;
	else if (cu->version >= 5)
		cu->str_offsets_base = cu->offset_size == 8 ? 16 : 8;
	if (die->has[DWA_ADDR_BASE])
		cu->addr_base = die->v[DWA_ADDR_BASE].u;
	if (die->has[DWA_RNGLISTS_BASE])
		cu->rnglists_base = die->v[DWA_RNGLISTS_BASE].u;
	if (die->has[DWA_NAME])
		cu->name = dw_string(d, cu, &die->v[DWA_NAME]);
	if (die->has[DWA_COMP_DIR])
		cu->comp_dir = dw_string(d, cu, &die->v[DWA_COMP_DIR]);
	if (die->has[DWA_STMT_LIST]) {
		cu->has_stmt_list = true;
		cu->stmt_list = die->v[DWA_STMT_LIST].u;
	}
	if (die->has[DWA_LOW_PC])
		dw_address(d, cu, &die->v[DWA_LOW_PC], &cu->base_address);
	dw_die_ranges(d, cu, die, &cu->first_range, &cu->nranges);
}

static void add_scope(struct wlab_dwarf *d, struct dw_cu *cu, const struct dw_die *die,
		      int32_t parent)
{
	if (!dw_grow(d, (void **)&d->scopes, &d->cap_scopes, d->nscopes, sizeof *d->scopes))
		return;
	struct dw_scope *s = &d->scopes[d->nscopes];
	memset(s, 0, sizeof *s);
	s->die = die->offset;
	s->cu = (uint32_t)(cu - d->cus);
	s->inlined = die->tag == DW_TAG_inlined_subroutine;
	s->parent = parent;
	dw_die_ranges(d, cu, die, &s->first_range, &s->nranges);
	if (die->has[DWA_CALL_FILE])
		s->call_file = (uint32_t)die->v[DWA_CALL_FILE].u;
	if (die->has[DWA_CALL_LINE])
		s->call_line = (uint32_t)die->v[DWA_CALL_LINE].u;
	if (die->has[DWA_CALL_COLUMN])
		s->call_column = (uint32_t)die->v[DWA_CALL_COLUMN].u;
	d->nscopes++;
	cu->nscopes++;
}

/* Walks the DIEs of cu from its unit DIE to its end. */
static void unit_dies(struct wlab_dwarf *d, struct dw_cu *cu)
{
	struct wlab_error err = {0};
	struct wlab_reader r;
	struct dw_die die;
	int32_t scope_at[MAX_DEPTH];  /* the enclosing scope at each depth */
	int depth = 0;
	dw_reader(d, DW_SEC_INFO, &r, &err);
	r.pos = r.base + cu->die_offset;
	r.end = r.base + cu->end;
	if (dw_read_die(d, cu, &r, &die))
		goto fail;
	if (die.null || (die.tag != DW_TAG_compile_unit && die.tag != DW_TAG_partial_unit))
		return;
	unit_die(d, cu, &die);
	cu->first_scope = d->nscopes;
	if (!die.children)
		return;
	scope_at[0] = -1;
	depth = 1;
	while (depth > 0 && wlab_reader_left(&r) > 0) {
		if (dw_read_die(d, cu, &r, &die))
			goto fail;
		if (die.null) {
			depth--;
			continue;
		}
		int32_t enclosing = depth <= MAX_DEPTH ? scope_at[depth - 1] : -1;
		int32_t mine = enclosing;
		if (depth <= MAX_DEPTH && (die.tag == DW_TAG_subprogram ||
					   die.tag == DW_TAG_inlined_subroutine)) {
			add_scope(d, cu, &die, enclosing);
			mine = (int32_t)d->nscopes - 1;
		}
		if (die.children) {
			if (depth < MAX_DEPTH)
				scope_at[depth] = mine;
			depth++;
		}
	}
	return;
fail:
	dw_warn(d, DW_SEC_INFO, err.offset, "%s", err.message);
}

void dw_parse_info(struct wlab_dwarf *d)
{
	struct wlab_error err = {0};
	struct wlab_reader r;
	if (!d->sec[DW_SEC_INFO].present)
		return;
	dw_reader(d, DW_SEC_INFO, &r, &err);
	while (wlab_reader_left(&r) > 0) {
		struct dw_cu cu = {0};
		uint64_t len;
		cu.offset = wlab_reader_offset(&r);
		cu.table = -1;
		if (dw_read_length(&r, &len, &cu.offset_size))
			goto fail;
		if (len > wlab_reader_left(&r)) {
			wlab_error_set(&err, WLAB_MALFORMED, cu.offset,
				       "unit length 0x%llx past the end of the section",
				       (unsigned long long)len);
			goto fail;
		}
		cu.end = wlab_reader_offset(&r) + len;
		struct wlab_reader unit = wlab_reader_sub(&r, (size_t)len);
		r.pos += len;
		if (unit_header(d, &unit, &cu)) {
			dw_warn(d, DW_SEC_INFO, err.offset, "%s", err.message);
			memset(&err, 0, sizeof err);
			continue;
		}
		if (!dw_grow(d, (void **)&d->cus, &d->cap_cus, d->ncus, sizeof *d->cus))
			return;
		d->cus[d->ncus] = cu;
		unit_dies(d, &d->cus[d->ncus++]);
	}
	return;
fail:
	dw_warn(d, DW_SEC_INFO, err.offset, "%s", err.message);
}

const struct dw_cu *dw_cu_at(const struct wlab_dwarf *d, uint64_t off)
{
	uint32_t lo = 0, hi = d->ncus;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (d->cus[mid].end <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < d->ncus && d->cus[lo].offset <= off ? &d->cus[lo] : NULL;
}
