/* wat_print_hints.c: with WLAB_WAT_CUSTOM, the branch hint section
 * ("metadata.code.branch_hint") printed as (@metadata.code.branch_hint
 * "\01") annotations right before their if and br_if, where the parser
 * (wat_hints.c) reads them back into the same bytes; any other such section
 * stays an (@custom ...) of its bytes. */
#include "wat_print_internal.h"

/* Whether cm is what the parser writes for its hints: the section right
 * before the code section, each function with hints once, in index order,
 * every hint one byte on an if or br_if (wlab_code_meta_check, run by the
 * decoder: m->custom_error), every number in its shortest LEB128. */
static bool printable(const struct wlab_module *m, const struct wlab_code_meta *cm)
{
	uint32_t si = cm->section_index;
	const struct wlab_section *s = &m->sections[si];
	if (si + 1 >= m->nsections || m->sections[si + 1].id != WLAB_SEC_CODE)
		return false;
	struct wlab_buf body = {0}, sec = {0};
	wlab_buf_u32(&body, s->name.len);
	wlab_buf_bytes(&body, s->name.ptr, s->name.len);
	wlab_buf_u32(&body, cm->nfuncs);
	bool ok = true;
	for (uint32_t i = 0; i < cm->nfuncs && ok; i++) {
		const struct wlab_code_meta_func *f = &cm->funcs[i];
		ok = f->count > 0;
		wlab_buf_u32(&body, f->func);
		wlab_buf_u32(&body, f->count);
		for (uint32_t k = 0; k < f->count && ok; k++) {
			ok = f->items[k].data.size == 1;
			wlab_buf_u32(&body, f->items[k].offset);
			wlab_buf_u32(&body, 1);
			wlab_buf_u8(&body, m->bytes[f->items[k].data.offset]);
		}
	}
	wlab_buf_u8(&sec, 0);
	wlab_buf_sized(&sec, &body);
	ok = ok && wlab_buf_ok(&sec) && sec.size == s->span.size &&
	     !memcmp(sec.data, m->bytes + s->span.offset, sec.size);
	wlab_buf_free(&body);
	wlab_buf_free(&sec);
	return ok;
}

void wp_hints_init(struct wp *p)
{
	const struct wlab_module *m = p->m;
	p->hints = NULL;
	if (!(p->flags & WLAB_WAT_CUSTOM) || m->custom_error.status != WLAB_OK)
		return;  /* a section that breaks a rule stays bytes */
	for (uint32_t i = 0; i < m->ncode_meta; i++)
		if (m->code_meta[i].branch_hint)
			p->hints = printable(m, &m->code_meta[i]) ? &m->code_meta[i] : NULL;
}

void wp_hints_func(struct wp *p, uint32_t funcidx, const struct wlab_code *c)
{
	p->hint_func = NULL;
	p->hint_base = c->body.offset;
	if (!p->hints)
		return;
	const struct wlab_code_meta *cm = p->hints;
	uint32_t lo = 0, hi = cm->nfuncs;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (cm->funcs[mid].func < funcidx)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < cm->nfuncs && cm->funcs[lo].func == funcidx)
		p->hint_func = &cm->funcs[lo];
}

bool wp_hint(struct wp *p, uint32_t off)
{
	const struct wlab_code_meta_func *f = p->hint_func;
	if (!f || off < p->hint_base)
		return false;
	off -= p->hint_base;
	/* a folded if comes before its condition: look the offset up */
	uint32_t lo = 0, hi = f->count;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (f->items[mid].offset < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == f->count || f->items[lo].offset != off)
		return false;
	wp_puts(p, p->m->bytes[f->items[lo].data.offset] ? "(@metadata.code.branch_hint \"\\01\")"
							: "(@metadata.code.branch_hint \"\\00\")");
	return true;
}
