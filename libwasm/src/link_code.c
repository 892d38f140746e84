/* link_code.c: rewriting instruction sequences for the output's index
 * spaces. Instructions whose immediates hold no index are copied byte for
 * byte; the others are written again with their new indices. */
#include <stdlib.h>
#include <string.h>

#include "link_internal.h"
#include "wlab/instr.h"

void link_buf_bytes(struct link_buf *b, const void *p, size_t n)
{
	if (b->failed || n == 0)
		return;
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->len + n)
			cap *= 2;
		uint8_t *d = realloc(b->data, cap);
		if (!d) {
			b->failed = true;
			return;
		}
		b->data = d;
		b->cap = cap;
	}
	memcpy(b->data + b->len, p, n);
	b->len += n;
}

void link_buf_u8(struct link_buf *b, uint8_t v)
{
	link_buf_bytes(b, &v, 1);
}

void link_buf_uleb(struct link_buf *b, uint64_t v)
{
	do {
		uint8_t byte = v & 0x7f;
		v >>= 7;
		link_buf_u8(b, byte | (v ? 0x80 : 0));
	} while (v);
}

void link_buf_sleb(struct link_buf *b, int64_t v)
{
	while (1) {
		uint8_t byte = v & 0x7f;
		v >>= 7;  /* arithmetic shift on the compilers we build with */
		bool done = (v == 0 && !(byte & 0x40)) || (v == -1 && (byte & 0x40));
		link_buf_u8(b, byte | (done ? 0 : 0x80));
		if (done)
			return;
	}
}

/* The output index of entry idx of a kind of input i, or LINK_NONE. */
static uint32_t map_index(const struct link_ctx *c, uint8_t kind, uint32_t i, uint32_t idx)
{
	if (idx >= link_kind_count(c->in[i].module, kind))
		return LINK_NONE;
	return c->map[kind][c->space_base[kind][i] + idx];
}

static void put_opcode(struct link_buf *b, const struct wlab_instr *in)
{
	const struct wlab_opinfo *oi = wlab_opinfo(in->op);
	if (oi->prefix) {
		link_buf_u8(b, oi->prefix);
		link_buf_uleb(b, oi->code);
	} else {
		link_buf_u8(b, (uint8_t)oi->code);
	}
}

/* A stub global's value as a constant instruction (without end). */
static void put_stub_value(struct link_ctx *c, struct link_buf *b, uint32_t row)
{
	const struct wlab_link_plan_entry *e = &c->res->plan[row];
	const struct wlab_import *imp = &c->in[e->input].module->imports[e->import];
	const struct wlab_link_stub *s = &c->opts.stubs[e->stub];
	wlab_valtype_t t = imp->u.global.valtype;
	uint64_t bits = s->kind == WLAB_LINK_STUB_CONST ? s->bits : 0;
	uint8_t raw[16] = {0};
	switch (t) {
	case WLAB_I32:
		link_buf_u8(b, 0x41);
		link_buf_sleb(b, (int32_t)(uint32_t)bits);
		break;
	case WLAB_I64:
		link_buf_u8(b, 0x42);
		link_buf_sleb(b, (int64_t)bits);
		break;
	case WLAB_F32:
		link_buf_u8(b, 0x43);
		for (int k = 0; k < 4; k++)
			link_buf_u8(b, (uint8_t)(bits >> (8 * k)));
		break;
	case WLAB_F64:
		link_buf_u8(b, 0x44);
		for (int k = 0; k < 8; k++)
			link_buf_u8(b, (uint8_t)(bits >> (8 * k)));
		break;
	case WLAB_V128:
		link_buf_u8(b, 0xfd);
		link_buf_uleb(b, 12);
		link_buf_bytes(b, raw, 16);
		break;
	default:  /* a reference: null */
		link_buf_u8(b, 0xd0);
		link_put_heap(b, wlab_ref_heap(link_map_vt(c, e->input, t)));
	}
}

void link_put_heap(struct link_buf *b, wlab_heaptype_t h)
{
	if (wlab_heap_is_concrete(h))
		link_buf_sleb(b, wlab_heap_index(h));
	else
		link_buf_u8(b, (uint8_t)h);
}

void link_put_valtype(struct link_buf *b, wlab_valtype_t t)
{
	if (t < 0x100) {
		link_buf_u8(b, (uint8_t)t);
		return;
	}
	link_buf_u8(b, (uint8_t)(t & 0xff));
	link_put_heap(b, wlab_ref_heap(t));
}

static enum wlab_status bad_index(struct link_ctx *c, uint32_t i, const struct wlab_instr *in,
				  const char *what, uint32_t idx)
{
	return link_fail(c, WLAB_INVALID, i, in->offset, "unknown index",
			 "%s:0x%x: unknown %s %u (validate the input first)", c->in[i].name,
			 (unsigned)in->offset, what, idx);
}

/* A block type that holds an index (a type index, or a typed reference). */
static void put_blocktype(const struct link_ctx *c, struct link_buf *b, uint32_t i,
			  const struct wlab_instr *in)
{
	if (in->blocktype >= 0)
		link_buf_sleb(b, c->type_map[c->type_base[i] + (uint32_t)in->blocktype]);
	else if (in->blocktype != -64 && in->bttype && wlab_type_is_ref(in->bttype))
		link_put_valtype(b, link_map_vt(c, i, in->bttype));
	else
		link_buf_sleb(b, in->blocktype);  /* empty or one value type: its byte */
}

/* try_table: its block type and every catch clause's tag remapped. */
static enum wlab_status put_try_table(struct link_ctx *c, struct link_buf *b, uint32_t i,
				      const struct wlab_instr *in)
{
	if (in->blocktype >= 0 && (uint64_t)in->blocktype >= c->in[i].module->ntypes)
		return bad_index(c, i, in, "type", (uint32_t)in->blocktype);
	put_opcode(b, in);
	put_blocktype(c, b, i, in);
	link_buf_uleb(b, in->ncatches);
	for (uint32_t k = 0; k < in->ncatches; k++) {
		const struct wlab_catch *cl = &in->catches[k];
		link_buf_u8(b, cl->kind);
		if (cl->kind == WLAB_CATCH || cl->kind == WLAB_CATCH_REF) {
			uint32_t t = map_index(c, WLAB_EXTERN_TAG, i, cl->tag);
			if (t == LINK_NONE)
				return bad_index(c, i, in, "tag", cl->tag);
			link_buf_uleb(b, t);
		}
		link_buf_uleb(b, cl->label);
	}
	return WLAB_OK;
}

/* global.get in a constant expression. */
static enum wlab_status const_global(struct link_ctx *c, struct link_buf *b, uint32_t i,
				     const struct wlab_instr *in, uint32_t g)
{
	uint32_t stub0 = c->def_base[WLAB_EXTERN_GLOBAL] + c->ndef[WLAB_EXTERN_GLOBAL];
	if (g < c->nimp[WLAB_EXTERN_GLOBAL]) {
		put_opcode(b, in);
		link_buf_uleb(b, g);
		return WLAB_OK;
	}
	if (g >= stub0) {
		put_stub_value(c, b, c->stub_globals[g - stub0].row);
		return WLAB_OK;
	}
	/* a fused definition: its init expression, without its end */
	enum wlab_status st = link_global_init(c, g);
	if (st)
		return st;
	const struct wlab_span sp = c->out->globals[g - c->nimp[WLAB_EXTERN_GLOBAL]].init.span;
	if (c->buf.failed)
		return link_fail(c, WLAB_NOMEM, i, 0, "out of memory", "out of memory");
	link_buf_bytes(b, c->buf.data + sp.offset, sp.size - 1);
	return WLAB_OK;
}

/* A heap type of input i in the output's type indices: an abstract one's
 * code byte, a concrete one's index remapped (s33). */
static enum wlab_status put_heap(struct link_ctx *c, struct link_buf *b, uint32_t i,
				 const struct wlab_instr *in, wlab_heaptype_t h)
{
	if (!wlab_heap_is_concrete(h)) {
		link_buf_u8(b, (uint8_t)h);
		return WLAB_OK;
	}
	uint32_t a = wlab_heap_index(h);
	if (a >= c->in[i].module->ntypes)
		return bad_index(c, i, in, "type", a);
	link_buf_sleb(b, c->type_map[c->type_base[i] + a]);
	return WLAB_OK;
}

static enum wlab_status rewrite_one(struct link_ctx *c, struct link_buf *b, uint32_t i,
				    const struct wlab_instr *in, bool const_expr)
{
	const struct wlab_module *m = c->in[i].module;
	uint32_t a, z;
	switch (wlab_opinfo(in->op)->imm) {
	case WLAB_IMM_BLOCK:
		if (in->blocktype == -64 || (in->blocktype < 0 && !(in->bttype &&
								     wlab_type_is_ref(in->bttype))))
			break;  /* no index in it */
		if (in->blocktype >= 0 && (uint64_t)in->blocktype >= m->ntypes)
			return bad_index(c, i, in, "type", (uint32_t)in->blocktype);
		put_opcode(b, in);
		put_blocktype(c, b, i, in);
		return WLAB_OK;
	case WLAB_IMM_TRY_TABLE:
		return put_try_table(c, b, i, in);
	case WLAB_IMM_FUNC:
		if ((a = map_index(c, WLAB_EXTERN_FUNC, i, in->index)) == LINK_NONE)
			return bad_index(c, i, in, "function", in->index);
		put_opcode(b, in);
		link_buf_uleb(b, a);
		return WLAB_OK;
	case WLAB_IMM_CALL_INDIRECT:
		if (in->index >= m->ntypes)
			return bad_index(c, i, in, "type", in->index);
		if ((z = map_index(c, WLAB_EXTERN_TABLE, i, in->index2)) == LINK_NONE)
			return bad_index(c, i, in, "table", in->index2);
		put_opcode(b, in);
		link_buf_uleb(b, c->type_map[c->type_base[i] + in->index]);
		link_buf_uleb(b, z);
		return WLAB_OK;
	case WLAB_IMM_SELECT_T:
		put_opcode(b, in);
		link_buf_uleb(b, in->ntypes);
		for (uint32_t k = 0; k < in->ntypes; k++)
			link_put_valtype(b, link_map_vt(c, i, in->types[k]));
		return WLAB_OK;
	case WLAB_IMM_TYPE:  /* call_ref */
		if (in->index >= m->ntypes)
			return bad_index(c, i, in, "type", in->index);
		put_opcode(b, in);
		link_buf_uleb(b, c->type_map[c->type_base[i] + in->index]);
		return WLAB_OK;
	case WLAB_IMM_TYPE_FIELD:  /* struct.get...: the field index stays */
	case WLAB_IMM_TYPE_COUNT:  /* array.new_fixed: the count stays */
	case WLAB_IMM_TYPE_DATA:
	case WLAB_IMM_TYPE_ELEM:
	case WLAB_IMM_TYPE_TYPE:  /* array.copy: destination and source types */
		if (in->index >= m->ntypes)
			return bad_index(c, i, in, "type", in->index);
		switch (wlab_opinfo(in->op)->imm) {
		case WLAB_IMM_TYPE_DATA:
			if (in->index2 >= m->ndatas)
				return bad_index(c, i, in, "data segment", in->index2);
			z = c->data_base[i] + in->index2;
			break;
		case WLAB_IMM_TYPE_ELEM:
			if (in->index2 >= m->nelems)
				return bad_index(c, i, in, "elem segment", in->index2);
			z = c->elem_base[i] + in->index2;
			break;
		case WLAB_IMM_TYPE_TYPE:
			if (in->index2 >= m->ntypes)
				return bad_index(c, i, in, "type", in->index2);
			z = c->type_map[c->type_base[i] + in->index2];
			break;
		default:
			z = in->index2;
		}
		put_opcode(b, in);
		link_buf_uleb(b, c->type_map[c->type_base[i] + in->index]);
		link_buf_uleb(b, z);
		return WLAB_OK;
	case WLAB_IMM_REFTYPE:  /* ref.null of a concrete heap type */
		if (!wlab_heap_is_concrete(wlab_ref_heap(in->reftype)))
			break;
		a = wlab_heap_index(wlab_ref_heap(in->reftype));
		if (a >= m->ntypes)
			return bad_index(c, i, in, "type", a);
		put_opcode(b, in);
		link_buf_sleb(b, c->type_map[c->type_base[i] + a]);
		return WLAB_OK;
	case WLAB_IMM_CAST:  /* ref.test, ref.cast of a concrete (function) type */
	case WLAB_IMM_CAST_NULL:
		if (!wlab_heap_is_concrete(wlab_ref_heap(in->reftype)))
			break;
		put_opcode(b, in);
		return put_heap(c, b, i, in, wlab_ref_heap(in->reftype));
	case WLAB_IMM_BR_ON_CAST: {
		enum wlab_status st;
		if (!wlab_heap_is_concrete(wlab_ref_heap(in->reftype)) &&
		    !wlab_heap_is_concrete(wlab_ref_heap(in->reftype2)))
			break;
		put_opcode(b, in);
		link_buf_u8(b, (uint8_t)(wlab_ref_nullable(in->reftype) |
					 wlab_ref_nullable(in->reftype2) << 1));
		link_buf_uleb(b, in->index);
		if ((st = put_heap(c, b, i, in, wlab_ref_heap(in->reftype))))
			return st;
		return put_heap(c, b, i, in, wlab_ref_heap(in->reftype2));
	}
	case WLAB_IMM_GLOBAL:
		if ((a = map_index(c, WLAB_EXTERN_GLOBAL, i, in->index)) == LINK_NONE)
			return bad_index(c, i, in, "global", in->index);
		if (const_expr && in->op == WLAB_OP_GLOBAL_GET)
			return const_global(c, b, i, in, a);
		put_opcode(b, in);
		link_buf_uleb(b, a);
		return WLAB_OK;
	case WLAB_IMM_TABLE:
		if ((a = map_index(c, WLAB_EXTERN_TABLE, i, in->index)) == LINK_NONE)
			return bad_index(c, i, in, "table", in->index);
		put_opcode(b, in);
		link_buf_uleb(b, a);
		return WLAB_OK;
	case WLAB_IMM_MEMARG:
	case WLAB_IMM_MEMARG_LANE:
		if ((a = map_index(c, WLAB_EXTERN_MEMORY, i, in->memarg.memidx)) == LINK_NONE)
			return bad_index(c, i, in, "memory", in->memarg.memidx);
		if (a == in->memarg.memidx)
			break;
		put_opcode(b, in);
		link_buf_uleb(b, (in->memarg.align & ~0x40u) | (a ? 0x40u : 0));
		if (a)
			link_buf_uleb(b, a);
		link_buf_uleb(b, in->memarg.offset);
		if (wlab_opinfo(in->op)->imm == WLAB_IMM_MEMARG_LANE)
			link_buf_u8(b, in->lane);
		return WLAB_OK;
	case WLAB_IMM_MEMIDX:
		if ((a = map_index(c, WLAB_EXTERN_MEMORY, i, in->index)) == LINK_NONE)
			return bad_index(c, i, in, "memory", in->index);
		if (a == in->index)
			break;
		put_opcode(b, in);
		link_buf_uleb(b, a);
		return WLAB_OK;
	case WLAB_IMM_DATA_MEM:
	case WLAB_IMM_DATA:
		if (in->index >= m->ndatas)
			return bad_index(c, i, in, "data segment", in->index);
		a = c->data_base[i] + in->index;
		z = 0;
		if (wlab_opinfo(in->op)->imm == WLAB_IMM_DATA_MEM &&
		    (z = map_index(c, WLAB_EXTERN_MEMORY, i, in->index2)) == LINK_NONE)
			return bad_index(c, i, in, "memory", in->index2);
		put_opcode(b, in);
		link_buf_uleb(b, a);
		if (wlab_opinfo(in->op)->imm == WLAB_IMM_DATA_MEM)
			link_buf_uleb(b, z);
		return WLAB_OK;
	case WLAB_IMM_MEM_MEM:
		a = map_index(c, WLAB_EXTERN_MEMORY, i, in->index);
		z = map_index(c, WLAB_EXTERN_MEMORY, i, in->index2);
		if (a == LINK_NONE || z == LINK_NONE)
			return bad_index(c, i, in, "memory", a == LINK_NONE ? in->index : in->index2);
		put_opcode(b, in);
		link_buf_uleb(b, a);
		link_buf_uleb(b, z);
		return WLAB_OK;
	case WLAB_IMM_ELEM_TABLE:
	case WLAB_IMM_ELEM:
		if (in->index >= m->nelems)
			return bad_index(c, i, in, "elem segment", in->index);
		a = c->elem_base[i] + in->index;
		z = 0;
		if (wlab_opinfo(in->op)->imm == WLAB_IMM_ELEM_TABLE &&
		    (z = map_index(c, WLAB_EXTERN_TABLE, i, in->index2)) == LINK_NONE)
			return bad_index(c, i, in, "table", in->index2);
		put_opcode(b, in);
		link_buf_uleb(b, a);
		if (wlab_opinfo(in->op)->imm == WLAB_IMM_ELEM_TABLE)
			link_buf_uleb(b, z);
		return WLAB_OK;
	case WLAB_IMM_TABLE_TABLE:
		a = map_index(c, WLAB_EXTERN_TABLE, i, in->index);
		z = map_index(c, WLAB_EXTERN_TABLE, i, in->index2);
		if (a == LINK_NONE || z == LINK_NONE)
			return bad_index(c, i, in, "table", a == LINK_NONE ? in->index : in->index2);
		put_opcode(b, in);
		link_buf_uleb(b, a);
		link_buf_uleb(b, z);
		return WLAB_OK;
	case WLAB_IMM_TAG:  /* throw, and legacy catch */
		if ((a = map_index(c, WLAB_EXTERN_TAG, i, in->index)) == LINK_NONE)
			return bad_index(c, i, in, "tag", in->index);
		put_opcode(b, in);
		link_buf_uleb(b, a);
		return WLAB_OK;
	default:
		break;
	}
	link_buf_bytes(b, m->bytes + in->offset, in->size);
	return WLAB_OK;
}

static enum wlab_status rewrite_into(struct link_ctx *c, struct link_buf *b, uint32_t input,
				     struct wlab_span span, bool const_expr)
{
	const struct wlab_module *m = c->in[input].module;
	struct wlab_error ierr = {0};
	struct wlab_instr_iter it;
	struct wlab_instr in;
	enum wlab_status st = WLAB_OK;
	wlab_instr_iter_init(&it, m->bytes, span, c->features, &ierr);
	while (!st && !wlab_instr_iter_done(&it)) {
		if (wlab_instr_next(&it, &in) != WLAB_OK) {
			st = link_fail(c, ierr.status ? ierr.status : WLAB_MALFORMED, input, ierr.offset,
				       ierr.message, "%s:0x%zx: %s", c->in[input].name, ierr.offset,
				       ierr.message);
			break;
		}
		st = rewrite_one(c, b, input, &in, const_expr);
	}
	wlab_instr_iter_fini(&it);
	if (!st && b->failed)
		st = link_fail(c, WLAB_NOMEM, input, 0, "out of memory", "out of memory");
	return st;
}

enum wlab_status link_rewrite_expr(struct link_ctx *c, uint32_t input, struct wlab_span span,
				   bool const_expr)
{
	if (!const_expr)
		return rewrite_into(c, &c->buf, input, span, false);
	/* a constant expression may pull in other globals' inits first */
	struct link_buf tmp = {0};
	enum wlab_status st = rewrite_into(c, &tmp, input, span, true);
	if (!st)
		link_buf_bytes(&c->buf, tmp.data, tmp.len);
	free(tmp.data);
	if (!st && c->buf.failed)
		st = link_fail(c, WLAB_NOMEM, input, 0, "out of memory", "out of memory");
	return st;
}

/* Builds the init expression of output global g (a definition) once. */
enum wlab_status link_global_init(struct link_ctx *c, uint32_t g)
{
	uint32_t d = g - c->nimp[WLAB_EXTERN_GLOBAL];
	struct wlab_global *og = &c->out->globals[d];
	if (c->global_init[d] == 2)
		return WLAB_OK;
	if (d >= c->ndef[WLAB_EXTERN_GLOBAL]) {  /* a stub */
		c->global_init[d] = 2;
		uint32_t start = (uint32_t)c->buf.len;
		put_stub_value(c, &c->buf, c->stub_globals[d - c->ndef[WLAB_EXTERN_GLOBAL]].row);
		link_buf_u8(&c->buf, 0x0b);
		og->init.span.offset = start;
		og->init.span.size = (uint32_t)(c->buf.len - start);
		return WLAB_OK;
	}
	/* which input defines it */
	uint32_t i = 0, k = d;
	while (i < c->n && k >= c->in[i].module->nglobals)
		k -= c->in[i++].module->nglobals;
	if (i == c->n)
		return link_fail(c, WLAB_INVALID, LINK_NONE, 0, "unknown global", "unknown global %u", g);
	if (c->global_init[d] == 1)
		return link_fail(c, WLAB_UNLINKABLE, i, c->in[i].module->globals[k].span.offset,
				 "import cycle",
				 "import cycle: the initializer of global %u of %s reads, through imports, its own value",
				 c->in[i].module->nimported_globals + k, c->in[i].name);
	c->global_init[d] = 1;
	struct link_buf tmp = {0};
	enum wlab_status st = rewrite_into(c, &tmp, i, c->in[i].module->globals[k].init.span, true);
	if (!st) {
		og->init.span.offset = (uint32_t)c->buf.len;
		og->init.span.size = (uint32_t)tmp.len;
		link_buf_bytes(&c->buf, tmp.data, tmp.len);
		if (c->buf.failed)
			st = link_fail(c, WLAB_NOMEM, i, 0, "out of memory", "out of memory");
	}
	free(tmp.data);
	c->global_init[d] = 2;
	return st;
}
