/* details_custom.c: -x for custom sections: "name", "linking", "reloc.*",
 * "target_features", "dylink.0" and the rest, as wasm-objdump shows them. */
#include <inttypes.h>
#include <string.h>

#include "objdump.h"
#include "print.h"

/* Is section si the first custom section called name (the one decoded)? */
static bool first_named(const struct wlab_module *m, uint32_t si, const char *name)
{
	for (uint32_t i = 0; i < m->nsections; i++) {
		const struct wlab_section *s = &m->sections[i];
		if (s->id == WLAB_SEC_CUSTOM && objdump_str_is(s->name, name))
			return i == si;
	}
	return false;
}

/* ---- name ---- */

static const char *name_kind_label(uint8_t id)
{
	switch (id) {
	case WLAB_NAMES_TYPE: return "type";
	case WLAB_NAMES_TABLE: return "table";
	case WLAB_NAMES_MEMORY: return "memory";
	case WLAB_NAMES_GLOBAL: return "global";
	case WLAB_NAMES_ELEM: return "elemseg";
	case WLAB_NAMES_DATA: return "dataseg";
	default: return NULL;
	}
}

static void print_naming(FILE *out, const char *label, const struct wlab_naming *n)
{
	fprintf(out, " - %s[%" PRIu32 "] <", label, n->index);
	objdump_print_sym(out, n->name);
	fputs(">\n", out);
}

static void print_names(struct objdump_ctx *ctx)
{
	const struct wlab_names *ns = &ctx->m->names;
	uint32_t nfuncs = wlab_module_func_count(ctx->m);
	FILE *out = ctx->out;
	for (uint32_t i = 0; i < ns->nsubsections; i++) {
		const struct wlab_name_subsection *sub = &ns->subsections[i];
		const char *label = name_kind_label(sub->id);
		if (sub->id == WLAB_NAMES_MODULE) {
			fputs(" - module <", out);
			objdump_print_str(out, sub->module_name);
			fputs(">\n", out);
		} else if (sub->id == WLAB_NAMES_FUNCTION) {
			for (uint32_t j = 0; j < sub->map.count; j++) {
				if (sub->map.names[j].index >= nfuncs)
					return;  /* wasm-objdump stops at a bad function index */
				print_naming(out, "func", &sub->map.names[j]);
			}
		} else if (sub->id == WLAB_NAMES_LOCAL) {
			for (uint32_t j = 0; j < sub->imap.count; j++) {
				const struct wlab_indirect_naming *in = &sub->imap.entries[j];
				if (in->index >= nfuncs)
					return;
				for (uint32_t k = 0; k < in->map.count; k++) {
					if (!in->map.names[k].name.len)
						continue;  /* wasm-objdump skips an empty local name */
					fprintf(out, " - func[%" PRIu32 "] local[%" PRIu32 "] <",
						in->index, in->map.names[k].index);
					objdump_print_str(out, in->map.names[k].name);
					fputs(">\n", out);
				}
			}
		} else if (sub->id == WLAB_NAMES_FIELD) {
			struct objdump_tag_names it;
			struct wlab_naming n;
			if (objdump_tag_names_begin(ctx, sub, &it))
				while (objdump_tag_names_next(&it, &n.index, &n.name))
					print_naming(out, "tag", &n);
		} else if (sub->id == WLAB_NAMES_TAG) {
			if (objdump_v139(ctx))  /* 1.0.32 skips subsection 11 */
				for (uint32_t j = 0; j < sub->map.count; j++)
					print_naming(out, "tag", &sub->map.names[j]);
		} else if (label) {
			for (uint32_t j = 0; j < sub->map.count; j++)
				print_naming(out, label, &sub->map.names[j]);
		}
	}
}

/* The entry count a subsection or section declares, read from its bytes
 * at offset (after skip LEB128 fields): wasm-objdump prints it in headers
 * even when fewer entries could be read. Returns fallback when unreadable. */
static uint32_t declared_count(const struct wlab_module *m, uint32_t offset, uint32_t size,
			       bool id_byte, int skip, uint32_t fallback)
{
	struct wlab_error err = {0};
	struct wlab_reader r;
	uint32_t v;
	uint8_t id;
	if ((uint64_t)offset + size > m->size)
		return fallback;
	wlab_reader_init(&r, m->bytes, m->size, &err);
	r.pos = m->bytes + offset;
	r.end = r.pos + size;
	if (id_byte && wlab_read_u8(&r, &id))
		return fallback;
	for (int i = 0; i < skip; i++)
		if (wlab_read_u32(&r, &v))
			return fallback;
	return wlab_read_u32(&r, &v) ? fallback : v;
}

/* ---- linking ---- */

static const char symbol_kind_letter[] = "FDGSET";

/* The largest symbol or segment flags wasm-objdump prints: 1.0.32 knows the
 * bits up to tls (0x100), 1.0.39 also abs (0x200). Past them it gives up on
 * the section: the line stays unfinished and nothing more of it shows. */
static uint32_t flags_max(const struct objdump_ctx *ctx)
{
	return objdump_v139(ctx) ? 0x3ff : 0x1ff;
}

/* " [ undefined ... binding=B vis=V ]\n" as wasm-objdump prints a symbol's
 * flags; false (nothing printed) where it gives up (flags_max). Bits it
 * does not name show as unknown_flags=0x...; binding 3 has no name
 * (glibc's printf then writes "(null)"). */
static bool print_symbol_flags(const struct objdump_ctx *ctx, FILE *out, uint32_t f)
{
	static const char *const binding[] = {"global", "weak", "local", "(null)"};
	static const struct { uint32_t bit; const char *name; } named[] = {
		{0x10, "undefined"}, {0x20, "exported"}, {0x40, "explicit_name"},
		{0x80, "no_strip"}, {0x100, "tls"}, {0x200, "abs"},
	};
	if (f > flags_max(ctx))
		return false;
	uint32_t rest = f & ~(uint32_t)7;
	fputs(" [", out);
	for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
		if (rest & named[i].bit) {
			fprintf(out, " %s", named[i].name);
			rest &= ~named[i].bit;
		}
	if (rest)
		fprintf(out, " unknown_flags=%#" PRIx32, rest);
	fprintf(out, " binding=%s vis=%s ]\n", binding[f & 3], (f & 4) ? "hidden" : "default");
	return true;
}

static const char *symbol_name(const struct objdump_ctx *ctx, const struct wlab_symbol *s)
{
	switch (s->kind) {
	case WLAB_SYMTAB_FUNCTION: return objdump_func_name(ctx, s->index);
	case WLAB_SYMTAB_GLOBAL: return objdump_global_name(ctx, s->index);
	case WLAB_SYMTAB_TABLE: return objdump_table_name(ctx, s->index);
	case WLAB_SYMTAB_EVENT: return objdump_tag_name(ctx, s->index);
	default: return NULL;
	}
}

/* False where wasm-objdump gives up on the section (print_symbol_flags). */
static bool print_symbol(struct objdump_ctx *ctx, uint32_t i, const struct wlab_symbol *s)
{
	FILE *out = ctx->out;
	char kind = s->kind < 6 ? symbol_kind_letter[s->kind] : '?';
	fprintf(out, "   - %" PRIu32 ": %c <", i, kind);
	if (s->kind == WLAB_SYMTAB_DATA || s->has_name) {
		objdump_print_sym(out, s->name);
	} else if (s->kind == WLAB_SYMTAB_SECTION) {
		if (s->index < ctx->m->nsections)
			objdump_print_str(out, ctx->m->sections[s->index].name);
	} else {
		const char *n = symbol_name(ctx, s);
		if (n)
			objdump_print_sym(out, (struct wlab_str){(const uint8_t *)n, (uint32_t)strlen(n)});
	}
	fputc('>', out);
	switch (s->kind) {
	case WLAB_SYMTAB_FUNCTION: fprintf(out, " func=%" PRIu32, s->index); break;
	case WLAB_SYMTAB_GLOBAL: fprintf(out, " global=%" PRIu32, s->index); break;
	case WLAB_SYMTAB_TABLE: fprintf(out, " table=%" PRIu32, s->index); break;
	case WLAB_SYMTAB_EVENT:  /* 1.0.39 says tag */
		fprintf(out, " %s=%" PRIu32, objdump_v139(ctx) ? "tag" : "event", s->index);
		break;
	case WLAB_SYMTAB_SECTION: fprintf(out, " section=%" PRIu32, s->index); break;
	case WLAB_SYMTAB_DATA:
		/* wabt reads offset and size as u32 and prints them with %d;
		 * 1.0.39 shows an absolute symbol's offset as its address. */
		if (s->defined && objdump_v139(ctx) && (s->flags & 0x200))
			fprintf(out, " address=%" PRId32 " size=%" PRId32,
				(int32_t)(uint32_t)s->offset, (int32_t)(uint32_t)s->size);
		else if (s->defined)
			fprintf(out, " segment=%" PRIu32 " offset=%" PRId32 " size=%" PRId32,
				s->segment, (int32_t)(uint32_t)s->offset, (int32_t)(uint32_t)s->size);
		break;
	default: break;
	}
	return print_symbol_flags(ctx, out, s->flags);
}

/* A data segment's flags in the segment info: STRINGS, TLS and (1.0.39)
 * RETAIN, then unknown_flags=0x...; false where wabt gives up (flags_max). */
static bool print_segment_flags(const struct objdump_ctx *ctx, FILE *out, uint32_t f)
{
	if (f > flags_max(ctx))
		return false;
	fputs(" [", out);
	if (f & 1)
		fputs(" STRINGS", out);
	if (f & 2)
		fputs(" TLS", out);
	uint32_t rest = f & ~(uint32_t)3;
	if (objdump_v139(ctx) && (rest & 4)) {
		fputs(" RETAIN", out);
		rest &= ~(uint32_t)4;
	}
	if (rest)
		fprintf(out, " unknown_flags=%#" PRIx32, rest);
	fputs(" ]\n", out);
	return true;
}

/* The name wasm-objdump 1.0.39 gives an init function's symbol: that of
 * its function (libwasm checks the symbol is one). */
static void print_init_symbol(struct objdump_ctx *ctx, const struct wlab_symbol *s)
{
	const char *n = symbol_name(ctx, s);
	if (n && *n)
		objdump_print_name(ctx->out, n);
}

static void print_linking(struct objdump_ctx *ctx)
{
	const struct wlab_linking *l = &ctx->m->linking;
	FILE *out = ctx->out;
	for (uint32_t k = 0; k < l->nsubsections; k++) {
		struct wlab_span sp = l->subsections[k].span;
		switch (l->subsections[k].type) {
		case 8:
			fprintf(out, "  - symbol table [count=%" PRIu32 "]\n",
				declared_count(ctx->m, sp.offset, sp.size, true, 1, l->nsymbols));
			for (uint32_t i = 0; i < l->nsymbols; i++)
				if (!print_symbol(ctx, i, &l->symbols[i]))
					return;
			break;
		case 5:
			fprintf(out, "  - segment info [count=%" PRIu32 "]\n",
				declared_count(ctx->m, sp.offset, sp.size, true, 1, l->nsegments));
			for (uint32_t i = 0; i < l->nsegments; i++) {
				const struct wlab_segment_info *si = &l->segments[i];
				fprintf(out, "   - %" PRIu32 ": ", i);
				objdump_print_str(out, si->name);
				fprintf(out, " p2align=%" PRIu32, si->align_log2);
				if (!print_segment_flags(ctx, out, si->flags))
					return;
			}
			break;
		case 6:
			fprintf(out, "  - init functions [count=%" PRIu32 "]\n",
				declared_count(ctx->m, sp.offset, sp.size, true, 1, l->ninit_funcs));
			for (uint32_t i = 0; i < l->ninit_funcs; i++) {
				const struct wlab_init_func *f = &l->init_funcs[i];
				fprintf(out, "   - %" PRIu32 ": priority=%" PRIu32,
					f->symbol, f->priority);
				if (objdump_v139(ctx))  /* 1.0.39 names the symbol */
					print_init_symbol(ctx, &l->symbols[f->symbol]);
				fputc('\n', out);
			}
			break;
		case 7:
			fprintf(out, "  - comdat groups [count=%" PRIu32 "]\n",
				declared_count(ctx->m, sp.offset, sp.size, true, 1, l->ncomdats));
			for (uint32_t i = 0; i < l->ncomdats; i++) {
				const struct wlab_comdat *c = &l->comdats[i];
				fputs("   - ", out);
				objdump_print_sym(out, c->name);
				fprintf(out, ": [count=%" PRIu32 "]\n", c->count);
				for (uint32_t j = 0; j < c->count; j++) {
					const struct wlab_comdat_sym *cs = &c->syms[j];
					static const char *const kinds[] = {"data", "func", "global", "event", "table", "section"};
					if (objdump_v139(ctx) && cs->kind == 0) {
						/* 1.0.39: segment[N] <its name in the segment info> */
						fprintf(out, "    - segment[%" PRIu32 "]", cs->index);
						if (cs->index < l->nsegments) {
							fputs(" <", out);
							objdump_print_str(out, l->segments[cs->index].name);
							fputc('>', out);
						}
						fputc('\n', out);
						continue;
					}
					fprintf(out, "    - %s[%" PRIu32 "]", cs->kind < 6 ? kinds[cs->kind] : "?", cs->index);
					if (cs->kind == 1)
						objdump_print_name(out, objdump_func_name(ctx, cs->index));
					fputc('\n', out);
				}
			}
			break;
		default:
			break;
		}
	}
}

/* ---- reloc.* ---- */

static const char *reloc_type_name(uint8_t type)
{
	switch (type) {
#define WLAB_RELOC(code, cname, target, addend, size) case code: return "R_WASM_" #cname;
#include "custom_relocs.def"
#undef WLAB_RELOC
	default: return "unknown";
	}
}

/* The file offsets shown add the target section's payload offset, except
 * for a custom target: wasm-objdump then adds the offset of the last
 * custom section it read, the reloc section itself (si). */
static void print_reloc_section(struct objdump_ctx *ctx, uint32_t si,
				const struct wlab_reloc_section *rs)
{
	const struct wlab_module *m = ctx->m;
	FILE *out = ctx->out;
	uint32_t base = 0;
	fprintf(out, "  - relocations for section: %" PRIu32 " (", rs->section_index);
	if (rs->section_index < m->nsections) {
		const struct wlab_section *t = &m->sections[rs->section_index];
		base = t->id == WLAB_SEC_CUSTOM ? m->sections[si].payload.offset
						: t->payload.offset;
		if (t->id == WLAB_SEC_CUSTOM)
			objdump_print_str(out, t->name);
		else
			fputs(wlab_section_name(t->id), out);
	}
	const struct wlab_section *own = &m->sections[si];
	fprintf(out, ") [%" PRIu32 "]\n",
		declared_count(m, own->content.offset, own->content.size, false, 1, rs->count));
	for (uint32_t i = 0; i < rs->count; i++) {
		const struct wlab_reloc *r = &rs->relocs[i];
		fprintf(out, "   - %s offset=%#08" PRIx32 "(file=%#08" PRIx32 ") ",
			reloc_type_name(r->type), r->offset, base + r->offset);
		if (r->type == 6) {
			fprintf(out, "type=%" PRIu32, r->index);
		} else {
			fprintf(out, "symbol=%" PRIu32, r->index);
			const struct wlab_linking *l = &m->linking;
			if (r->index >= l->nsymbols) {
				fputs(" <<illegal_symbol_index>>", out);
			} else {
				const struct wlab_symbol *s = &l->symbols[r->index];
				const char *n = NULL;
				if (s->kind == WLAB_SYMTAB_DATA || s->has_name) {
					fputs(" <", out);
					objdump_print_sym(out, s->name);
					fputc('>', out);
				} else if (s->kind == WLAB_SYMTAB_SECTION) {
					if (s->index < m->nsections) {
						fputs(" <", out);
						objdump_print_str(out, m->sections[s->index].name);
						fputc('>', out);
					}
				} else if ((n = symbol_name(ctx, s)) != NULL) {
					objdump_print_name(out, n);
				}
			}
		}
		if (r->addend > 0)
			fprintf(out, "+%#" PRIx64, (uint64_t)r->addend);
		else if (r->addend < 0)
			fprintf(out, "-%#" PRIx64, (uint64_t)-r->addend);
		fputc('\n', out);
	}
}

static void print_relocs(struct objdump_ctx *ctx, uint32_t si)
{
	const struct wlab_module *m = ctx->m;
	for (uint32_t i = 0; i < m->nreloc_sections; i++)
		if (m->reloc_sections[i].custom_index == si)
			print_reloc_section(ctx, si, &m->reloc_sections[i]);
}

/* ---- target_features, dylink ---- */

static void print_target_features(struct objdump_ctx *ctx)
{
	const struct wlab_target_features *tf = &ctx->m->target_features;
	for (uint32_t i = 0; i < tf->count; i++) {
		fprintf(ctx->out, "  - [%c] ", tf->features[i].prefix);
		objdump_print_str(ctx->out, tf->features[i].name);
		fputc('\n', ctx->out);
	}
}

static void print_dylink(struct objdump_ctx *ctx)
{
	const struct wlab_dylink *d = &ctx->m->dylink;
	FILE *out = ctx->out;
	fprintf(out, " - mem_size     : %" PRIu32 "\n", d->mem_size);
	fprintf(out, " - mem_p2align  : %" PRIu32 "\n", d->mem_align);
	fprintf(out, " - table_size   : %" PRIu32 "\n", d->table_size);
	fprintf(out, " - table_p2align: %" PRIu32 "\n", d->table_align);
	/* The needed list only when it has names, as wasm-objdump: dylink.0
	 * has it in a subsection, the legacy "dylink" always has its count. */
	if (d->nneeded) {
		fprintf(out, " - needed_dynlibs[%" PRIu32 "]:\n", d->nneeded);
		for (uint32_t i = 0; i < d->nneeded; i++) {
			fputs("  - ", out);
			objdump_print_str(out, d->needed[i]);
			fputc('\n', out);
		}
	}
	if (d->nexports) {
		fprintf(out, " - exports[%" PRIu32 "]:\n", d->nexports);
		for (uint32_t i = 0; i < d->nexports; i++) {
			fputs("  - ", out);
			objdump_print_str(out, d->exports[i].name);
			if (!print_symbol_flags(ctx, out, d->exports[i].flags))
				return;
		}
	}
	if (d->nimports) {
		fprintf(out, " - imports[%" PRIu32 "]:\n", d->nimports);
		for (uint32_t i = 0; i < d->nimports; i++) {
			fputs("  - ", out);
			objdump_print_str(out, d->imports[i].module);
			fputc('.', out);
			objdump_print_str(out, d->imports[i].field);
			if (!print_symbol_flags(ctx, out, d->imports[i].flags))
				return;
		}
	}
}

/* ---- metadata.code.* ---- */

/* Each function's items, a hex dump of each payload, read from the
 * section's bytes as wasm-objdump reads them (libwasm's reading is
 * stricter and stops before it). The list stops where wabt's reader gives
 * up on the section: a function that is imported, unknown or not after the
 * one before it; a count larger than the bytes left (a byte an entry); an item
 * offset not after the one before it (a duplicate or out of order); bytes
 * that run out. wabt 1.0.32 reads a function index as a count too, so it
 * must not pass the bytes left after it (1.0.39 does not check). */
static void print_code_meta(struct objdump_ctx *ctx, uint32_t si)
{
	const struct wlab_module *m = ctx->m;
	const struct wlab_section *sec = &m->sections[si];
	uint32_t nfuncs = wlab_module_func_count(m), n, func = 0, count, off = 0, size;
	FILE *out = ctx->out;
	struct wlab_error err = {0};
	struct wlab_reader r;
	wlab_reader_init(&r, m->bytes, m->size, &err);
	r.pos = m->bytes + sec->content.offset;
	r.end = r.pos + sec->content.size;
	if (wlab_read_u32(&r, &n) || n > wlab_reader_left(&r))
		return;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t last = func;
		if (wlab_read_u32(&r, &func) ||
		    (!objdump_v139(ctx) && func > wlab_reader_left(&r)) ||
		    func < m->nimported_funcs || func >= nfuncs || (i && func <= last) ||
		    wlab_read_u32(&r, &count) || count > wlab_reader_left(&r))
			return;
		fprintf(out, "   - func[%" PRIu32 "]", func);
		objdump_print_name(out, objdump_func_name(ctx, func));
		fputs(":\n", out);
		for (uint32_t k = 0; k < count; k++) {
			uint32_t prev = off;
			if (wlab_read_u32(&r, &off) || (k && off <= prev) ||
			    wlab_read_u32(&r, &size) || size > wlab_reader_left(&r))
				return;
			fprintf(out, "    - meta[%" PRIx32 "]:\n", off);
			objdump_print_hex_dump(out, r.pos, size, 0, "     - ");
			r.pos += size;
		}
	}
}

void objdump_details_custom(struct objdump_ctx *ctx, uint32_t si)
{
	const struct wlab_module *m = ctx->m;
	const struct wlab_section *s = &m->sections[si];
	FILE *out = ctx->out;

	if (ctx->bad_custom && ctx->bad_custom[si])
		return;
	fputs(" - name: \"", out);
	objdump_print_str(out, s->name);
	fputs("\"\n", out);
	if (objdump_str_is(s->name, "name") && m->has_names && first_named(m, si, "name"))
		print_names(ctx);
	else if (objdump_str_is(s->name, "linking") && m->has_linking &&
		 first_named(m, si, "linking"))
		print_linking(ctx);
	else if (s->name.len > 6 && memcmp(s->name.ptr, "reloc.", 6) == 0)
		print_relocs(ctx, si);
	else if (objdump_str_is(s->name, "target_features") && m->has_target_features &&
		 first_named(m, si, "target_features"))
		print_target_features(ctx);
	else if ((objdump_str_is(s->name, "dylink.0") || objdump_str_is(s->name, "dylink")) &&
		 m->has_dylink)
		print_dylink(ctx);
	else if (s->name.len > 14 && memcmp(s->name.ptr, "metadata.code.", 14) == 0)
		print_code_meta(ctx, si);
}
