/* json_custom.c: the "custom" member of --json: the custom sections libwasm
 * decodes (name, producers, target_features, linking, reloc.*, dylink,
 * metadata.code.*). */
#include "json.h"

/* "code_metadata": every metadata.code.* section: its type, and per
 * function the items (offset in the body; a branch hint's value, else the
 * payload's span). Only in modules that have one. */
static void json_code_meta(struct jw *w, const struct wlab_module *m)
{
	jw_open(w, "code_metadata", '[');
	for (uint32_t s = 0; s < m->ncode_meta; s++) {
		const struct wlab_code_meta *cm = &m->code_meta[s];
		jw_open(w, NULL, '{');
		jw_u64(w, "section", cm->section_index);
		jw_str(w, "type", cm->type);
		jw_open(w, "funcs", '[');
		for (uint32_t i = 0; i < cm->nfuncs; i++) {
			const struct wlab_code_meta_func *f = &cm->funcs[i];
			jw_open(w, NULL, '{');
			jw_u64(w, "func", f->func);
			jw_open(w, "items", '[');
			for (uint32_t k = 0; k < f->count; k++) {
				const struct wlab_code_meta_item *it = &f->items[k];
				jw_open(w, NULL, '{');
				jw_u64(w, "offset", it->offset);
				if (cm->branch_hint && it->data.size == 1)
					jw_cstr(w, "hint", m->bytes[it->data.offset] == 1 ? "likely"
							   : m->bytes[it->data.offset] == 0 ? "unlikely"
							   : NULL);
				else {
					jw_u64(w, "data_offset", it->data.offset);
					jw_u64(w, "data_size", it->data.size);
				}
				jw_close(w, '}');
			}
			jw_close(w, ']');
			jw_close(w, '}');
		}
		jw_close(w, ']');
		jw_close(w, '}');
	}
	jw_close(w, ']');
}

/* The custom sections libwasm decodes: names, producers, target features,
 * linking, relocations, dylink, code metadata, and the first error met
 * inside them. */
void json_custom(struct jw *w, const struct objdump_ctx *ctx)
{
	const struct wlab_module *m = ctx->m;
	jw_open(w, "custom", '{');
	if (m->has_names) {
		jw_open(w, "name", '[');
		for (uint32_t i = 0; i < m->names.nsubsections; i++) {
			const struct wlab_name_subsection *s = &m->names.subsections[i];
			jw_open(w, NULL, '{');
			jw_u64(w, "id", s->id);
			jw_span(w, s->span);
			if (s->id == WLAB_NAMES_MODULE) {
				jw_str(w, "module", s->module_name);
			} else if (!s->indirect) {
				jw_open(w, "names", '[');
				for (uint32_t j = 0; j < s->map.count; j++) {
					jw_open(w, NULL, '{');
					jw_u64(w, "index", s->map.names[j].index);
					jw_str(w, "name", s->map.names[j].name);
					jw_close(w, '}');
				}
				jw_close(w, ']');
			} else {
				jw_open(w, "maps", '[');
				for (uint32_t j = 0; j < s->imap.count; j++) {
					const struct wlab_indirect_naming *in = &s->imap.entries[j];
					jw_open(w, NULL, '{');
					jw_u64(w, "index", in->index);
					jw_open(w, "names", '[');
					for (uint32_t k = 0; k < in->map.count; k++) {
						jw_open(w, NULL, '{');
						jw_u64(w, "index", in->map.names[k].index);
						jw_str(w, "name", in->map.names[k].name);
						jw_close(w, '}');
					}
					jw_close(w, ']');
					jw_close(w, '}');
				}
				jw_close(w, ']');
			}
			jw_close(w, '}');
		}
		jw_close(w, ']');
	}
	if (m->has_producers) {
		jw_open(w, "producers", '[');
		for (uint32_t i = 0; i < m->producers.count; i++) {
			const struct wlab_producer_field *f = &m->producers.fields[i];
			jw_open(w, NULL, '{');
			jw_str(w, "field", f->name);
			jw_open(w, "values", '[');
			for (uint32_t j = 0; j < f->count; j++) {
				jw_open(w, NULL, '{');
				jw_str(w, "name", f->values[j].name);
				jw_str(w, "version", f->values[j].version);
				jw_close(w, '}');
			}
			jw_close(w, ']');
			jw_close(w, '}');
		}
		jw_close(w, ']');
	}
	if (m->has_target_features) {
		jw_open(w, "target_features", '[');
		for (uint32_t i = 0; i < m->target_features.count; i++) {
			const struct wlab_feature *f = &m->target_features.features[i];
			char pre[2] = {(char)f->prefix, 0};
			jw_open(w, NULL, '{');
			jw_cstr(w, "prefix", pre);
			jw_str(w, "name", f->name);
			jw_close(w, '}');
		}
		jw_close(w, ']');
	}
	if (m->has_linking) {
		const struct wlab_linking *l = &m->linking;
		jw_open(w, "linking", '{');
		jw_u64(w, "version", l->version);
		jw_open(w, "symbols", '[');
		for (uint32_t i = 0; i < l->nsymbols; i++) {
			const struct wlab_symbol *s = &l->symbols[i];
			jw_open(w, NULL, '{');
			jw_u64(w, "kind", s->kind);
			jw_u64(w, "flags", s->flags);
			if (s->has_name || s->kind == WLAB_SYMTAB_DATA)
				jw_str(w, "name", s->name);
			if (s->kind == WLAB_SYMTAB_DATA) {
				if (s->defined) {
					jw_u64(w, "segment", s->segment);
					jw_u64(w, "offset", s->offset);
					jw_u64(w, "size", s->size);
				}
			} else {
				jw_u64(w, "index", s->index);
			}
			jw_close(w, '}');
		}
		jw_close(w, ']');
		jw_open(w, "segments", '[');
		for (uint32_t i = 0; i < l->nsegments; i++) {
			jw_open(w, NULL, '{');
			jw_str(w, "name", l->segments[i].name);
			jw_u64(w, "p2align", l->segments[i].align_log2);
			jw_u64(w, "flags", l->segments[i].flags);
			jw_close(w, '}');
		}
		jw_close(w, ']');
		jw_open(w, "init_funcs", '[');
		for (uint32_t i = 0; i < l->ninit_funcs; i++) {
			jw_open(w, NULL, '{');
			jw_u64(w, "priority", l->init_funcs[i].priority);
			jw_u64(w, "symbol", l->init_funcs[i].symbol);
			jw_close(w, '}');
		}
		jw_close(w, ']');
		jw_close(w, '}');
	}
	jw_open(w, "relocs", '[');
	for (uint32_t i = 0; i < m->nreloc_sections; i++) {
		const struct wlab_reloc_section *rs = &m->reloc_sections[i];
		jw_open(w, NULL, '{');
		jw_u64(w, "section", rs->section_index);
		jw_u64(w, "in_section", rs->custom_index);
		jw_open(w, "entries", '[');
		for (uint32_t j = 0; j < rs->count; j++) {
			const struct wlab_reloc *r = &rs->relocs[j];
			jw_open(w, NULL, '{');
			jw_u64(w, "type", r->type);
			jw_u64(w, "offset", r->offset);
			jw_u64(w, "index", r->index);
			if (r->has_addend)
				jw_i64(w, "addend", r->addend);
			jw_close(w, '}');
		}
		jw_close(w, ']');
		jw_close(w, '}');
	}
	jw_close(w, ']');
	if (m->has_dylink) {
		const struct wlab_dylink *d = &m->dylink;
		jw_open(w, "dylink", '{');
		jw_u64(w, "mem_size", d->mem_size);
		jw_u64(w, "mem_p2align", d->mem_align);
		jw_u64(w, "table_size", d->table_size);
		jw_u64(w, "table_p2align", d->table_align);
		jw_open(w, "needed", '[');
		for (uint32_t i = 0; i < d->nneeded; i++)
			jw_str(w, NULL, d->needed[i]);
		jw_close(w, ']');
		jw_close(w, '}');
	}
	if (m->ncode_meta)
		json_code_meta(w, m);
	if (m->custom_error.status != WLAB_OK) {
		jw_open(w, "error", '{');
		jw_u64(w, "offset", m->custom_error.offset);
		jw_cstr(w, "message", m->custom_error.message);
		jw_close(w, '}');
	}
	jw_close(w, '}');
}

