/* custom_linking.c: the "linking" section, version 2 (tool-conventions
 * Linking.md): symbol table, segment info, init functions and comdats. */
#include "custom.h"

#define LINKING_VERSION 2

enum linking_subsection_type {
	LINKING_SEGMENT_INFO = 5,
	LINKING_INIT_FUNCS = 6,
	LINKING_COMDAT_INFO = 7,
	LINKING_SYMBOL_TABLE = 8,
};

enum {
	SYM_UNDEFINED = 0x10,      /* WASM_SYM_UNDEFINED */
	SYM_EXPLICIT_NAME = 0x40,  /* WASM_SYM_EXPLICIT_NAME */
	SYM_ABSOLUTE = 0x200,      /* WASM_SYM_ABSOLUTE */
};

enum comdat_kind {
	COMDAT_DATA = 0, COMDAT_FUNCTION = 1, COMDAT_GLOBAL = 2, COMDAT_EVENT = 3,
	COMDAT_TABLE = 4, COMDAT_SECTION = 5,
};

/* An element index of a symbol: in range, and among the imports exactly when
 * the symbol is undefined. */
static bool linking_index_ok(uint32_t index, uint32_t nimported, uint32_t ndefined,
			     bool defined)
{
	if (index < nimported)
		return !defined;
	return defined && index - nimported < ndefined;
}

/* Function, global, table and event symbols: an element index, and a name
 * unless the symbol is an import without an explicit name. */
static enum wlab_status linking_element_symbol(const struct wlab_module *m,
					       struct wlab_reader *r,
					       struct wlab_symbol *s)
{
	size_t at = wlab_reader_offset(r);
	enum wlab_status st = wlab_read_u32(r, &s->index);
	if (st)
		return st;
	bool ok;
	const char *msg;
	switch (s->kind) {
	case WLAB_SYMTAB_FUNCTION:
		ok = linking_index_ok(s->index, m->nimported_funcs,
				      m->nfuncs, s->defined);
		msg = "invalid function symbol index";
		break;
	case WLAB_SYMTAB_GLOBAL:
		ok = linking_index_ok(s->index, m->nimported_globals,
				      m->nglobals, s->defined);
		msg = "invalid global symbol index";
		break;
	case WLAB_SYMTAB_TABLE:
		ok = linking_index_ok(s->index, m->nimported_tables,
				      m->ntables, s->defined);
		msg = "invalid table symbol index";
		break;
	default:  /* WLAB_SYMTAB_EVENT */
		ok = linking_index_ok(s->index, m->nimported_tags,
				      m->ntags, s->defined);
		msg = "invalid tag symbol index";
		break;
	}
	if (!ok)
		return wlab_custom_fail(r, at, msg);
	s->has_name = s->defined || (s->flags & SYM_EXPLICIT_NAME);
	if (s->has_name)
		return wlab_custom_str(r, false, &s->name);
	return WLAB_OK;
}

/* Data symbols: a name, then segment, offset and size when defined. */
static enum wlab_status linking_data_symbol(const struct wlab_module *m,
					    struct wlab_reader *r, struct wlab_symbol *s)
{
	s->has_name = true;
	enum wlab_status st = wlab_custom_str(r, false, &s->name);
	if (st || !s->defined)
		return st;
	size_t at = wlab_reader_offset(r);
	st = wlab_read_u32(r, &s->segment);
	if (st)
		return st;
	st = wlab_read_u64(r, &s->offset);
	if (st)
		return st;
	st = wlab_read_u64(r, &s->size);
	if (st)
		return st;
	if (s->flags & SYM_ABSOLUTE)
		return WLAB_OK;
	if (s->segment >= m->ndatas)
		return wlab_custom_fail(r, at, "invalid data segment index");
	if (s->offset > m->datas[s->segment].bytes.size)
		return wlab_custom_fail(r, at, "invalid data symbol offset");
	return WLAB_OK;
}

static enum wlab_status linking_symbol(const struct wlab_module *m,
				       struct wlab_reader *r, struct wlab_symbol *s)
{
	size_t at = wlab_reader_offset(r);
	enum wlab_status st = wlab_read_u8(r, &s->kind);
	if (st)
		return st;
	st = wlab_read_u32(r, &s->flags);
	if (st)
		return st;
	s->defined = !(s->flags & SYM_UNDEFINED);
	switch (s->kind) {
	case WLAB_SYMTAB_FUNCTION:
	case WLAB_SYMTAB_GLOBAL:
	case WLAB_SYMTAB_EVENT:
	case WLAB_SYMTAB_TABLE:
		return linking_element_symbol(m, r, s);
	case WLAB_SYMTAB_DATA:
		return linking_data_symbol(m, r, s);
	case WLAB_SYMTAB_SECTION:
		at = wlab_reader_offset(r);
		st = wlab_read_u32(r, &s->index);
		if (!st && s->index >= m->nsections)
			st = wlab_custom_fail(r, at, "invalid section symbol index");
		return st;
	default:
		return wlab_custom_fail(r, at, "invalid symbol type");
	}
}

static enum wlab_status linking_symtab(struct wlab_module *m, struct wlab_reader *r)
{
	struct wlab_linking *l = &m->linking;
	uint32_t n;
	enum wlab_status st = wlab_read_count(r, 3, &n);
	if (st)
		return st;
	l->symbols = wlab_arena_array(m->arena, n, sizeof *l->symbols);
	if (!l->symbols && n)
		return wlab_custom_nomem(r);
	for (uint32_t i = 0; i < n; i++) {
		st = linking_symbol(m, r, &l->symbols[i]);
		if (st)
			return st;
		l->nsymbols = i + 1;
	}
	return WLAB_OK;
}

static enum wlab_status linking_segments(struct wlab_module *m, struct wlab_reader *r)
{
	struct wlab_linking *l = &m->linking;
	uint32_t n;
	size_t at = wlab_reader_offset(r);
	enum wlab_status st = wlab_read_count(r, 3, &n);
	if (st)
		return st;
	if (n > m->ndatas)
		return wlab_custom_fail(r, at, "too many segment names");
	l->segments = wlab_arena_array(m->arena, n, sizeof *l->segments);
	if (!l->segments && n)
		return wlab_custom_nomem(r);
	for (uint32_t i = 0; i < n; i++) {
		struct wlab_segment_info *s = &l->segments[i];
		st = wlab_custom_str(r, false, &s->name);
		if (st)
			return st;
		st = wlab_read_u32(r, &s->align_log2);
		if (st)
			return st;
		st = wlab_read_u32(r, &s->flags);
		if (st)
			return st;
		l->nsegments = i + 1;
	}
	return WLAB_OK;
}

static enum wlab_status linking_init_funcs(struct wlab_module *m, struct wlab_reader *r)
{
	struct wlab_linking *l = &m->linking;
	uint32_t n;
	enum wlab_status st = wlab_read_count(r, 2, &n);
	if (st)
		return st;
	l->init_funcs = wlab_arena_array(m->arena, n, sizeof *l->init_funcs);
	if (!l->init_funcs && n)
		return wlab_custom_nomem(r);
	for (uint32_t i = 0; i < n; i++) {
		struct wlab_init_func *f = &l->init_funcs[i];
		st = wlab_read_u32(r, &f->priority);
		if (st)
			return st;
		size_t at = wlab_reader_offset(r);
		st = wlab_read_u32(r, &f->symbol);
		if (st)
			return st;
		if (f->symbol >= l->nsymbols ||
		    l->symbols[f->symbol].kind != WLAB_SYMTAB_FUNCTION)
			return wlab_custom_fail(r, at, "invalid function symbol");
		l->ninit_funcs = i + 1;
	}
	return WLAB_OK;
}

/* A comdat entry names a definition: a data segment, a defined function or
 * global or event or table, or a custom section. */
static bool linking_comdat_entry_ok(const struct wlab_module *m,
				    const struct wlab_comdat_sym *e)
{
	switch (e->kind) {
	case COMDAT_DATA: return e->index < m->ndatas;
	case COMDAT_FUNCTION:
		return linking_index_ok(e->index, m->nimported_funcs,
					m->nfuncs, true);
	case COMDAT_GLOBAL:
		return linking_index_ok(e->index, m->nimported_globals,
					m->nglobals, true);
	case COMDAT_EVENT:
		return linking_index_ok(e->index, m->nimported_tags,
					m->ntags, true);
	case COMDAT_TABLE:
		return linking_index_ok(e->index, m->nimported_tables,
					m->ntables, true);
	default:  /* COMDAT_SECTION */
		return e->index < m->nsections &&
		       m->sections[e->index].id == WLAB_SEC_CUSTOM;
	}
}

static enum wlab_status linking_comdat(struct wlab_module *m, struct wlab_reader *r,
				       struct wlab_comdat *c)
{
	uint32_t n;
	enum wlab_status st = wlab_custom_str(r, false, &c->name);
	if (st)
		return st;
	st = wlab_read_u32(r, &c->flags);
	if (st)
		return st;
	st = wlab_read_count(r, 2, &n);
	if (st)
		return st;
	c->syms = wlab_arena_array(m->arena, n, sizeof *c->syms);
	if (!c->syms && n)
		return wlab_custom_nomem(r);
	for (uint32_t i = 0; i < n; i++) {
		struct wlab_comdat_sym *e = &c->syms[i];
		size_t at = wlab_reader_offset(r);
		uint32_t kind;
		st = wlab_read_u32(r, &kind);
		if (st)
			return st;
		if (kind > COMDAT_SECTION)
			return wlab_custom_fail(r, at, "invalid COMDAT entry type");
		e->kind = (uint8_t)kind;
		at = wlab_reader_offset(r);
		st = wlab_read_u32(r, &e->index);
		if (st)
			return st;
		if (!linking_comdat_entry_ok(m, e))
			return wlab_custom_fail(r, at, "COMDAT index out of range");
		c->count = i + 1;
	}
	return WLAB_OK;
}

static enum wlab_status linking_comdats(struct wlab_module *m, struct wlab_reader *r)
{
	struct wlab_linking *l = &m->linking;
	uint32_t n;
	enum wlab_status st = wlab_read_count(r, 3, &n);
	if (st)
		return st;
	l->comdats = wlab_arena_array(m->arena, n, sizeof *l->comdats);
	if (!l->comdats && n)
		return wlab_custom_nomem(r);
	for (uint32_t i = 0; i < n; i++) {
		l->ncomdats = i + 1;  /* kept with the entries read so far */
		st = linking_comdat(m, r, &l->comdats[i]);
		if (st)
			return st;
	}
	return WLAB_OK;
}

/* One subsection's payload. The first of each type fills the module; later
 * ones and unknown types stay as their span. */
static enum wlab_status linking_subsection(struct wlab_module *m, struct wlab_reader *sub,
					   uint8_t type, unsigned *seen)
{
	if (type < LINKING_SEGMENT_INFO || type > LINKING_SYMBOL_TABLE ||
	    (*seen & 1u << type))
		return WLAB_OK;
	*seen |= 1u << type;
	enum wlab_status st;
	switch (type) {
	case LINKING_SEGMENT_INFO: st = linking_segments(m, sub); break;
	case LINKING_INIT_FUNCS: st = linking_init_funcs(m, sub); break;
	case LINKING_COMDAT_INFO: st = linking_comdats(m, sub); break;
	default: st = linking_symtab(m, sub); break;
	}
	if (st)
		return st;
	return wlab_custom_finish(sub);
}

enum wlab_status wlab_custom_linking(struct wlab_module *m, uint32_t section_index,
				     struct wlab_reader *r)
{
	(void)section_index;
	if (m->has_linking)
		return WLAB_OK;
	m->has_linking = true;
	struct wlab_linking *l = &m->linking;
	size_t at = wlab_reader_offset(r);
	enum wlab_status st = wlab_read_u32(r, &l->version);
	if (st)
		goto fail;
	if (l->version != LINKING_VERSION) {
		st = wlab_custom_fail(r, at, "unexpected metadata version");
		goto fail;
	}
	uint32_t n = wlab_custom_count_subsections(r);
	l->subsections = wlab_arena_array(m->arena, n, sizeof *l->subsections);
	if (!l->subsections && n) {
		st = wlab_custom_nomem(r);
		goto fail;
	}
	unsigned seen = 0;
	for (uint32_t i = 0; wlab_reader_left(r) > 0; i++) {
		struct wlab_linking_subsection s;
		struct wlab_reader sub;
		st = wlab_custom_subsection(r, &s.type, &sub, &s.span);
		if (st)
			goto fail;
		if (i >= n) {  /* the pre-scan counted every header; never taken */
			st = wlab_custom_fail(r, s.span.offset, "section size mismatch");
			goto fail;
		}
		l->subsections[i] = s;
		l->nsubsections = i + 1;
		st = linking_subsection(m, &sub, s.type, &seen);
		if (st)
			goto fail;
	}
	return WLAB_OK;
fail:
	return st;
}
