/* custom_codemeta.c: "metadata.code.*" sections (tool-conventions
 * CodeMetadata.md), branch hints among them (the 3.0 spec's appendix):
 * decoded here as they stand, checked against the module's code by
 * wlab_code_meta_check. */
#include "custom.h"

#include <stdlib.h>
#include <string.h>

#include "wlab/instr.h"

#define PREFIX "metadata.code."
#define PREFIX_LEN (sizeof PREFIX - 1)

/* Appends a zeroed entry to m->code_meta, doubling the array when the count
 * reaches a power of two (the arena keeps the old copy). */
static struct wlab_code_meta *code_meta_append(struct wlab_module *m)
{
	uint32_t n = m->ncode_meta;
	if ((n & (n - 1)) == 0) {
		size_t cap = n ? (size_t)n * 2 : 1;
		struct wlab_code_meta *a = wlab_arena_array(m->arena, cap, sizeof *a);
		if (!a)
			return NULL;
		if (n)
			memcpy(a, m->code_meta, n * sizeof *a);
		m->code_meta = a;
	}
	m->ncode_meta = n + 1;
	struct wlab_code_meta *cm = &m->code_meta[n];
	memset(cm, 0, sizeof *cm);
	return cm;
}

/* One item: offset, payload size, payload. */
static enum wlab_status code_meta_item(struct wlab_reader *r, struct wlab_code_meta_item *it)
{
	uint32_t size;
	const uint8_t *p;
	it->entry_offset = (uint32_t)wlab_reader_offset(r);
	enum wlab_status st = wlab_read_u32(r, &it->offset);
	if (!st)
		st = wlab_read_u32(r, &size);
	if (st)
		return st;
	it->data.offset = (uint32_t)wlab_reader_offset(r);
	it->data.size = size;
	if (size > wlab_reader_left(r))
		return wlab_custom_fail(r, wlab_reader_offset(r), "length out of bounds");
	return wlab_read_bytes(r, size, &p);
}

/* One function: its index, then its items. It counts in cm->nfuncs once
 * its index and item count are read (kept with the items read so far). */
static enum wlab_status code_meta_func(struct wlab_module *m, struct wlab_reader *r,
				       struct wlab_code_meta *cm)
{
	struct wlab_code_meta_func *f = &cm->funcs[cm->nfuncs];
	uint32_t n;
	f->span.offset = (uint32_t)wlab_reader_offset(r);
	enum wlab_status st = wlab_read_u32(r, &f->func);
	if (!st)
		st = wlab_read_count(r, 2, &n);
	if (st)
		return st;
	f->items = wlab_arena_array(m->arena, n, sizeof *f->items);
	if (!f->items && n)
		return wlab_custom_nomem(r);
	cm->nfuncs++;
	for (uint32_t i = 0; i < n; i++) {
		st = code_meta_item(r, &f->items[i]);
		if (st)
			return st;
		f->count = i + 1;
	}
	f->span.size = (uint32_t)wlab_reader_offset(r) - f->span.offset;
	return WLAB_OK;
}

enum wlab_status wlab_custom_code_meta(struct wlab_module *m, uint32_t section_index,
				       struct wlab_reader *r)
{
	const struct wlab_str name = m->sections[section_index].name;
	uint32_t n;
	struct wlab_code_meta *cm = code_meta_append(m);
	if (!cm)
		return wlab_custom_nomem(r);
	cm->section_index = section_index;
	cm->type.ptr = name.ptr + PREFIX_LEN;
	cm->type.len = name.len - (uint32_t)PREFIX_LEN;
	cm->branch_hint = cm->type.len == 11 && !memcmp(cm->type.ptr, "branch_hint", 11);
	enum wlab_status st = wlab_read_count(r, 2, &n);
	if (st)
		return st;
	cm->funcs = wlab_arena_array(m->arena, n, sizeof *cm->funcs);
	if (!cm->funcs && n)
		return wlab_custom_nomem(r);
	for (uint32_t i = 0; i < n; i++) {
		st = code_meta_func(m, r, cm);
		if (st)
			return st;
	}
	return wlab_custom_finish(r);
}

/* ---- checks against the module ---- */

static enum wlab_status check_fail(struct wlab_error *err, const struct wlab_code_meta *cm,
				   size_t offset, const char *msg)
{
	return wlab_error_set(err, WLAB_INVALID, offset, "%s%.*s section: %s",
			      cm->branch_hint ? "@" : "", (int)(cm->type.len + PREFIX_LEN),
			      (const char *)cm->type.ptr - PREFIX_LEN, msg);
}

/* A branch hint's payload: one byte, 0 or 1. */
static enum wlab_status check_hint(const struct wlab_module *m, const struct wlab_code_meta *cm,
				   const struct wlab_code_meta_item *it, struct wlab_error *err)
{
	if (it->data.size != 1)
		return check_fail(err, cm, it->data.offset - 1, "missing reserved byte");
	if (m->bytes[it->data.offset] > 1)
		return check_fail(err, cm, it->data.offset, "invalid hint value");
	return WLAB_OK;
}

/* Walks f's body: every item at an instruction's first byte, and for a
 * branch hint one of if or br_if. Items are in increasing order here. */
static enum wlab_status check_targets(const struct wlab_module *m,
				      const struct wlab_code_meta *cm,
				      const struct wlab_code_meta_func *f, struct wlab_error *err)
{
	const struct wlab_code *c = &m->codes[f->func - m->nimported_funcs];
	struct wlab_instr_iter it;
	struct wlab_instr in;
	enum wlab_status st = WLAB_OK;
	uint32_t k = 0;
	wlab_instr_iter_init(&it, m->bytes, c->expr, m->features, err);
	while (k < f->count && !wlab_instr_iter_done(&it)) {
		st = wlab_instr_next(&it, &in);
		if (st)
			goto done;
		uint32_t at = in.offset - c->body.offset;
		if (f->items[k].offset < at) {
			st = check_fail(err, cm, f->items[k].entry_offset, "invalid offset");
			goto done;
		}
		if (f->items[k].offset > at)
			continue;
		if (cm->branch_hint && in.op != WLAB_OP_IF && in.op != WLAB_OP_BR_IF) {
			st = check_fail(err, cm, f->items[k].entry_offset, "invalid target");
			goto done;
		}
		k++;
	}
	if (k < f->count)
		st = check_fail(err, cm, f->items[k].entry_offset, "invalid offset");
done:
	wlab_instr_iter_fini(&it);
	return st;
}

static enum wlab_status check_func(const struct wlab_module *m, const struct wlab_code_meta *cm,
				   const struct wlab_code_meta_func *f, struct wlab_error *err)
{
	enum wlab_status st;
	if (f->func >= wlab_module_func_count(m))
		return check_fail(err, cm, f->span.offset, "unknown function");
	if (f->func < m->nimported_funcs || f->func - m->nimported_funcs >= m->ncodes)
		return check_fail(err, cm, f->span.offset, "function has no body");
	for (uint32_t i = 0; i < f->count; i++) {
		const struct wlab_code_meta_item *it = &f->items[i];
		if (i && it->offset <= f->items[i - 1].offset)
			return check_fail(err, cm, it->entry_offset, "invalid order");
		if (cm->branch_hint && (st = check_hint(m, cm, it, err)) != WLAB_OK)
			return st;
	}
	return check_targets(m, cm, f, err);
}

enum wlab_status wlab_code_meta_check(const struct wlab_module *m, struct wlab_error *err)
{
	enum wlab_status st;
	for (uint32_t s = 0; s < m->ncode_meta; s++) {
		const struct wlab_code_meta *cm = &m->code_meta[s];
		for (uint32_t p = 0; p < s; p++)
			if (m->code_meta[p].type.len == cm->type.len &&
			    !memcmp(m->code_meta[p].type.ptr, cm->type.ptr, cm->type.len))
				return check_fail(err, cm, m->sections[cm->section_index].span.offset,
						  "duplicate section");
		for (uint32_t i = 0; i < cm->nfuncs; i++) {
			const struct wlab_code_meta_func *f = &cm->funcs[i];
			if (i && f->func <= cm->funcs[i - 1].func)
				return check_fail(err, cm, f->span.offset, "invalid order");
			if ((st = check_func(m, cm, f, err)) != WLAB_OK)
				return st;
		}
	}
	return WLAB_OK;
}
