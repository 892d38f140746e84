/* disasm_reloc.c: -r, the Code section's relocations printed under the
 * instruction they patch:
 *            000043: R_WASM_MEMORY_ADDR_SLEB 1 + 20 <arr>
 * The offset is always a file offset, even with --section-offsets (as
 * wasm-objdump 1.0.32 prints it). */
#include <inttypes.h>

#include <string.h>

#include "disasm.h"

/* What a relocation's index names; TYPE is a type index, the rest symbols. */
enum reloc_target { T_FUNC, T_DATA, T_GLOBAL, T_SECTION, T_TAG, T_TABLE, T_TYPE };

static const struct reloc_type {
	const char *name;
	uint8_t target;
} reloc_types[] = {
#define WLAB_RELOC(code, cname, target, addend, size) \
	[code] = {"R_WASM_" #cname, T_##target},
#include "custom_relocs.def"
#undef WLAB_RELOC
};
#define NRELOC_TYPES (sizeof reloc_types / sizeof reloc_types[0])

void disasm_relocs_init(const struct objdump_ctx *ctx, uint32_t code_section,
			struct disasm_relocs *rl)
{
	const struct wlab_module *m = ctx->m;
	rl->relocs = NULL;
	rl->count = rl->next = 0;
	rl->base = m->sections[code_section].payload.offset;
	if (!ctx->opts->relocs)
		return;
	for (uint32_t i = 0; i < m->nreloc_sections; i++) {
		if (m->reloc_sections[i].section_index == code_section) {
			rl->relocs = m->reloc_sections[i].relocs;
			rl->count = m->reloc_sections[i].count;
			return;
		}
	}
}

/* A symbol's name as wasm-objdump shows it: for a function, global, table
 * or tag the name of what it stands for (so a name section wins), for data
 * its own, for a section the section's. "<>" when there is none. */
static void print_symbol_name(const struct objdump_ctx *ctx, uint32_t index)
{
	const struct wlab_module *m = ctx->m;
	FILE *out = ctx->out;
	const struct wlab_symbol *s = m->has_linking && index < m->linking.nsymbols
		? &m->linking.symbols[index] : NULL;
	const char *name = NULL;
	struct wlab_str own = {0};
	if (s && s->has_name)
		own = s->name;
	switch (s ? s->kind : WLAB_SYMTAB_DATA) {
	case WLAB_SYMTAB_FUNCTION: name = objdump_func_name(ctx, s->index); break;
	case WLAB_SYMTAB_GLOBAL: name = objdump_global_name(ctx, s->index); break;
	case WLAB_SYMTAB_TABLE: name = objdump_table_name(ctx, s->index); break;
	case WLAB_SYMTAB_EVENT: name = objdump_tag_name(ctx, s->index); break;
	case WLAB_SYMTAB_SECTION:
		if (s->index < m->nsections) {
			const struct wlab_section *sec = &m->sections[s->index];
			if (sec->id == WLAB_SEC_CUSTOM)
				own = sec->name;
			else
				name = wlab_section_name(sec->id);
		}
		break;
	default:
		break;
	}
	fputs(" <", out);
	if (name)
		objdump_print_sym(out, (struct wlab_str){(const uint8_t *)name, (uint32_t)strlen(name)});
	else
		objdump_print_sym(out, own);
	fputc('>', out);
}

static void print_reloc(const struct objdump_ctx *ctx, const struct wlab_reloc *r)
{
	FILE *out = ctx->out;
	const struct reloc_type *t = r->type < NRELOC_TYPES ? &reloc_types[r->type] : NULL;
	fprintf(out, "           %06" PRIx32 ": %s %" PRIu32, r->offset,
		t && t->name ? t->name : "R_WASM_UNKNOWN", r->index);
	if (r->addend)
		fprintf(out, " + %" PRId64, r->addend);
	if (!t || t->target != T_TYPE)
		print_symbol_name(ctx, r->index);
	fputc('\n', out);
}

void disasm_relocs_print_next(const struct objdump_ctx *ctx, struct disasm_relocs *rl,
			      uint32_t end)
{
	if (rl->next >= rl->count)
		return;
	struct wlab_reloc r = rl->relocs[rl->next];
	if ((uint64_t)rl->base + r.offset >= end)
		return;
	r.offset += rl->base;
	print_reloc(ctx, &r);
	rl->next++;
}

void disasm_relocs_skip_until(struct disasm_relocs *rl, uint32_t end)
{
	while (rl->next < rl->count && (uint64_t)rl->base + rl->relocs[rl->next].offset < end)
		rl->next++;
}

void objdump_print_data_relocs(const struct objdump_ctx *ctx, const struct wlab_data *d,
			       uint64_t address)
{
	const struct wlab_module *m = ctx->m;
	if (!ctx->opts->relocs)
		return;
	for (uint32_t k = 0; k < m->nreloc_sections; k++) {
		const struct wlab_reloc_section *rs = &m->reloc_sections[k];
		if (rs->section_index >= m->nsections ||
		    m->sections[rs->section_index].id != WLAB_SEC_DATA)
			continue;
		/* Offsets count from the Data section's payload. */
		uint32_t start = d->bytes.offset - m->sections[rs->section_index].payload.offset;
		for (uint32_t i = 0; i < rs->count; i++) {
			struct wlab_reloc r = rs->relocs[i];
			if (r.offset < start || r.offset - start >= d->bytes.size)
				continue;
			r.offset = (uint32_t)(address + (r.offset - start));
			print_reloc(ctx, &r);
		}
	}
}
