/* decode_code.c: instruction sequences, constant expressions and the code section. */
#include <stdlib.h>

#include "decode_internal.h"
#include "opcodes_internal.h"

enum block_kind { BLOCK_PLAIN, BLOCK_IF, BLOCK_ELSE, BLOCK_TRY };

static enum wlab_status push_block(struct decoder *d, size_t depth, uint8_t kind, size_t at)
{
	if (depth == d->blocks_cap) {
		size_t cap = d->blocks_cap ? d->blocks_cap * 2 : 64;
		uint8_t *b = realloc(d->blocks, cap);
		if (!b)
			return wlab_error_set(d->err, WLAB_NOMEM, at, "out of memory");
		d->blocks = b;
		d->blocks_cap = cap;
	}
	d->blocks[depth] = kind;
	return WLAB_OK;
}

/* Walks to the end that closes depth 0. Keeps no recursion: block kinds
 * live in a stack that grows with the input, so any nesting depth is fine.
 * A function body (body_end: the offset its size gives, else 0) that
 * reaches its end before the code section's fails there instead of
 * reading on into the next body (where the error came at whatever those
 * bytes were): "END opcode expected" at an instruction's boundary, else
 * "section size mismatch". A body that ends with its section keeps the
 * messages of reading on, as the spec's tests expect (binary.wast). */
enum wlab_status dec_walk_instrs(struct decoder *d, struct wlab_reader *r, uint32_t body_end)
{
	bool is_body = body_end != 0;
	struct wlab_instr_iter it;
	struct wlab_span span = {(uint32_t)wlab_reader_offset(r), (uint32_t)wlab_reader_left(r)};
	wlab_instr_iter_init(&it, r->base, span, d->features, d->err);
	it.r.eof_message = r->eof_message;
	size_t depth = 0;
	enum wlab_status st = WLAB_OK;
	struct wlab_instr in = {0};  /* wlab_instr_scan clears none of it */
	for (;;) {
		if (is_body && wlab_reader_offset(&it.r) >= body_end && body_end < d->section_end) {
			st = dec_fail(d, r, body_end, wlab_reader_offset(&it.r) == body_end ?
				      "END opcode expected" : "section size mismatch");
			break;
		}
		if (wlab_instr_iter_done(&it)) {
			st = dec_fail(d, r, wlab_reader_offset(&it.r),
				      r->eof_message ? r->eof_message : "unexpected end");
			break;
		}
		st = wlab_instr_scan(&it, &in);
		if (st)
			break;
		switch (in.op) {
		case WLAB_OP_BLOCK: case WLAB_OP_LOOP: case WLAB_OP_IF: case WLAB_OP_TRY:
		case WLAB_OP_TRY_TABLE:
			st = push_block(d, depth, in.op == WLAB_OP_IF ? BLOCK_IF :
					in.op == WLAB_OP_TRY ? BLOCK_TRY : BLOCK_PLAIN, in.offset);
			depth++;
			break;
		case WLAB_OP_ELSE:
			if (depth == 0 || d->blocks[depth - 1] != BLOCK_IF)
				st = dec_fail(d, r, in.offset, "END opcode expected");
			else
				d->blocks[depth - 1] = BLOCK_ELSE;
			break;
		case WLAB_OP_CATCH: case WLAB_OP_CATCH_ALL:
			if (depth == 0 || d->blocks[depth - 1] != BLOCK_TRY)
				st = dec_fail(d, r, in.offset, "END opcode expected");
			break;
		case WLAB_OP_DELEGATE:
			if (depth == 0 || d->blocks[depth - 1] != BLOCK_TRY)
				st = dec_fail(d, r, in.offset, "END opcode expected");
			else
				depth--;
			break;
		case WLAB_OP_END:
			if (depth == 0) {
				r->pos = it.r.pos;
				wlab_instr_iter_fini(&it);
				return WLAB_OK;
			}
			depth--;
			break;
		case WLAB_OP_MEMORY_INIT: case WLAB_OP_DATA_DROP:
		case WLAB_OP_ARRAY_NEW_DATA: case WLAB_OP_ARRAY_INIT_DATA:
			if (is_body && !d->data_index_used)
				d->data_index_used = in.offset + 1;
			break;
		default:
			break;
		}
		if (st)
			break;
	}
	wlab_instr_iter_fini(&it);
	return st;
}

enum wlab_status dec_expr(struct decoder *d, struct wlab_reader *r, struct wlab_expr *out)
{
	out->span.offset = (uint32_t)wlab_reader_offset(r);
	if (dec_walk_instrs(d, r, 0))
		return WLAB_MALFORMED;
	out->span.size = (uint32_t)wlab_reader_offset(r) - out->span.offset;
	return WLAB_OK;
}

static enum wlab_status read_locals(struct decoder *d, struct wlab_reader *r,
				    struct wlab_code *c)
{
	uint32_t n;
	if (wlab_read_count(r, 1, &n))
		return WLAB_MALFORMED;
	c->local_decls = dec_array(d, n, sizeof *c->local_decls, r);
	if (!c->local_decls)
		return WLAB_NOMEM;
	for (uint32_t i = 0; i < n; i++) {
		struct wlab_local_decl *l = &c->local_decls[i];
		l->offset = (uint32_t)wlab_reader_offset(r);
		if (wlab_read_u32(r, &l->count))
			return WLAB_MALFORMED;
		c->nlocals += l->count;
		if (c->nlocals > UINT32_MAX)
			return dec_fail(d, r, l->offset, "too many locals");
		if (dec_valtype(d, r, &l->type))
			return WLAB_MALFORMED;
		c->nlocal_decls = i + 1;
	}
	return WLAB_OK;
}

static enum wlab_status read_body(struct decoder *d, struct wlab_reader *r, struct wlab_code *c)
{
	uint32_t size;
	c->span.offset = (uint32_t)wlab_reader_offset(r);
	if (wlab_read_u32(r, &size))
		return WLAB_MALFORMED;
	if (size > wlab_reader_left(r))
		return dec_fail(d, r, c->span.offset, "length out of bounds");
	c->body.offset = (uint32_t)wlab_reader_offset(r);
	c->body.size = size;
	c->span.size = c->body.offset + size - c->span.offset;
	uint32_t end = c->body.offset + size;
	if (read_locals(d, r, c))
		return WLAB_MALFORMED;
	c->expr.offset = (uint32_t)wlab_reader_offset(r);
	if (c->expr.offset > end)
		return dec_fail(d, r, end, "section size mismatch");
	c->expr.size = end - c->expr.offset;
	if (d->flags & WLAB_DECODE_SKIP_BODIES) {
		r->pos = r->base + end;
		return WLAB_OK;
	}
	if (dec_walk_instrs(d, r, end))
		return WLAB_MALFORMED;
	if (wlab_reader_offset(r) != end)
		return dec_fail(d, r, end, "section size mismatch");
	return WLAB_OK;
}

enum wlab_status dec_code_section(struct decoder *d, struct wlab_reader *r)
{
	struct wlab_module *m = d->m;
	uint32_t n;
	if (wlab_read_count(r, 1, &n))
		return WLAB_MALFORMED;
	d->section_count = n;
	if (n != m->nfuncs)
		return dec_fail(d, r, wlab_reader_offset(r),
				"function and code section have inconsistent lengths");
	m->codes = dec_array(d, n, sizeof *m->codes, r);
	if (!m->codes)
		return WLAB_NOMEM;
	for (uint32_t i = 0; i < n; i++) {
		m->ncodes = i + 1;
		if (read_body(d, r, &m->codes[i]))
			return WLAB_MALFORMED;
	}
	return WLAB_OK;
}
