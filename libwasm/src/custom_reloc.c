/* custom_reloc.c: "reloc.*" sections (tool-conventions Linking.md). */
#include "custom.h"

#include <string.h>

enum reloc_target {
	RELOC_FUNC, RELOC_DATA, RELOC_GLOBAL, RELOC_SECTION, RELOC_TAG,
	RELOC_TABLE, RELOC_TYPE,
};

static const struct reloc_type {
	const char *name;  /* NULL for an unknown code */
	uint8_t target;    /* enum reloc_target */
	uint8_t addend;    /* 0, 32 or 64 */
	uint8_t size;      /* bytes patched */
} reloc_types[] = {
#define WLAB_RELOC(code, cname, target, addend, size) \
	[code] = {"R_WASM_" #cname, RELOC_##target, addend, size},
#include "custom_relocs.def"
#undef WLAB_RELOC
};

#define RELOC_NTYPES (sizeof reloc_types / sizeof reloc_types[0])

/* The symbol kinds each target admits, as bits of enum wlab_symbol_kind. */
static unsigned reloc_target_kinds(uint8_t target)
{
	switch (target) {
	case RELOC_FUNC: return 1u << WLAB_SYMTAB_FUNCTION;
	case RELOC_DATA: return 1u << WLAB_SYMTAB_DATA;
	case RELOC_GLOBAL:
		return 1u << WLAB_SYMTAB_GLOBAL | 1u << WLAB_SYMTAB_FUNCTION |
		       1u << WLAB_SYMTAB_DATA;
	case RELOC_SECTION: return 1u << WLAB_SYMTAB_SECTION;
	case RELOC_TAG: return 1u << WLAB_SYMTAB_EVENT;
	case RELOC_TABLE: return 1u << WLAB_SYMTAB_TABLE;
	default: return 0;
	}
}

/* Checks the index of e against the type section or the symbol table. The
 * linking section comes before reloc sections; without it symbol indices
 * go unchecked. */
static enum wlab_status reloc_check_index(const struct wlab_module *m,
					  struct wlab_reader *r, size_t at,
					  const struct reloc_type *t, uint32_t index)
{
	if (t->target == RELOC_TYPE) {
		if (index >= m->ntypes)
			return wlab_custom_fail(r, at, "invalid relocation type index");
		return WLAB_OK;
	}
	if (!m->has_linking)
		return WLAB_OK;
	if (index >= m->linking.nsymbols)
		return wlab_custom_fail(r, at, "invalid relocation symbol index");
	uint8_t kind = m->linking.symbols[index].kind;
	if (kind >= 32 || !(reloc_target_kinds(t->target) & 1u << kind))
		return wlab_custom_fail(r, at, "relocation symbol of the wrong kind");
	return WLAB_OK;
}

/* Bytes a relocation offset counts in: the payload of the target section,
 * or for a custom section the content after its name (as LLVM writes it). */
static uint32_t reloc_target_size(const struct wlab_section *s)
{
	return s->id == WLAB_SEC_CUSTOM ? s->content.size : s->payload.size;
}

static enum wlab_status reloc_entry(const struct wlab_module *m, struct wlab_reader *r,
				    const struct wlab_section *target, uint32_t min_offset,
				    struct wlab_reloc *e)
{
	uint32_t type;
	e->entry_offset = (uint32_t)wlab_reader_offset(r);
	enum wlab_status st = wlab_read_u32(r, &type);
	if (st)
		goto fail;
	if (type >= RELOC_NTYPES || !reloc_types[type].name) {
		st = wlab_custom_fail(r, e->entry_offset, "invalid relocation type");
		goto fail;
	}
	const struct reloc_type *t = &reloc_types[type];
	e->type = (uint8_t)type;
	size_t at = wlab_reader_offset(r);
	st = wlab_read_u32(r, &e->offset);
	if (st)
		goto fail;
	if (e->offset < min_offset) {
		st = wlab_custom_fail(r, at, "relocations not in offset order");
		goto fail;
	}
	if ((uint64_t)e->offset + t->size > reloc_target_size(target)) {
		st = wlab_custom_fail(r, at, "invalid relocation offset");
		goto fail;
	}
	at = wlab_reader_offset(r);
	st = wlab_read_u32(r, &e->index);
	if (st)
		goto fail;
	st = reloc_check_index(m, r, at, t, e->index);
	if (st)
		goto fail;
	if (t->addend == 32) {
		int32_t a;
		st = wlab_read_s32(r, &a);
		e->addend = a;
	} else if (t->addend == 64) {
		st = wlab_read_s64(r, &e->addend);
	}
	e->has_addend = t->addend != 0;
fail:
	return st;
}

/* Appends a zeroed entry to m->reloc_sections, doubling the array when the
 * count reaches a power of two (the arena keeps the old copy). */
static struct wlab_reloc_section *reloc_append(struct wlab_module *m)
{
	uint32_t n = m->nreloc_sections;
	if ((n & (n - 1)) == 0) {
		size_t cap = n ? (size_t)n * 2 : 1;
		struct wlab_reloc_section *a =
			wlab_arena_array(m->arena, cap, sizeof *a);
		if (!a)
			return NULL;
		if (n)
			memcpy(a, m->reloc_sections, n * sizeof *a);
		m->reloc_sections = a;
	}
	m->nreloc_sections = n + 1;
	return &m->reloc_sections[n];
}

enum wlab_status wlab_custom_reloc(struct wlab_module *m, uint32_t section_index,
				   struct wlab_reader *r)
{
	uint32_t target, n;
	size_t at = wlab_reader_offset(r);
	enum wlab_status st = wlab_read_u32(r, &target);
	if (st)
		goto fail;
	if (target >= m->nsections || target == section_index) {
		st = wlab_custom_fail(r, at, "invalid section index");
		goto fail;
	}
	st = wlab_read_count(r, 3, &n);
	if (st)
		goto fail;
	struct wlab_reloc *relocs = wlab_arena_array(m->arena, n, sizeof *relocs);
	struct wlab_reloc_section *rs = relocs || !n ? reloc_append(m) : NULL;
	if (!rs) {
		st = wlab_custom_nomem(r);
		goto fail;
	}
	rs->section_index = target;
	rs->custom_index = section_index;
	rs->relocs = relocs;
	uint32_t min_offset = 0;
	for (uint32_t i = 0; i < n; i++) {
		st = reloc_entry(m, r, &m->sections[target], min_offset, &relocs[i]);
		if (st)
			goto fail;
		min_offset = relocs[i].offset;
		rs->count = i + 1;
	}
	return wlab_custom_finish(r);
fail:
	return st;
}
