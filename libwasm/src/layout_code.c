/* layout_code.c: function bodies, constant expressions and one node per
 * instruction, split into its opcode and immediates. */
#include <stdio.h>
#include <string.h>

#include "layout_internal.h"

/* The last leaf added becomes an immediate. */
static enum wlab_status imm(struct lb *b, enum wlab_status st)
{
	if (!st && b->L->nnodes && b->depth <= b->max_depth)
		b->L->nodes[b->L->nnodes - 1].kind = "immediate";
	return st;
}

static enum wlab_status imm_u32(struct lb *b, const char *label)
{
	uint32_t v;
	return lb_u32(b, "immediate", label, &v);
}

static enum wlab_status imm_memarg(struct lb *b)
{
	uint32_t align, mem;
	uint64_t off;
	/* bit 6 of the field (bit 6 of its first byte) flags a memory index
	 * (multi-memory): the field is then no plain alignment */
	bool flags = b->r->pos < b->r->end && (b->r->pos[0] & 0x40);
	if (lb_u32(b, "immediate", flags ? "flags" : "align", &align))
		return WLAB_MALFORMED;
	if ((align & 0x40) && lb_u32(b, "immediate", "memory index", &mem))
		return WLAB_MALFORMED;
	return imm(b, lb_u64(b, "offset", &off));
}

static enum wlab_status imm_float(struct lb *b, uint32_t n)
{
	uint32_t at = lb_pos(b);
	const uint8_t *p;
	if (wlab_read_bytes(b->r, n, &p))
		return WLAB_MALFORMED;
	uint32_t i = lb_leaf(b, at, "immediate", "immediate");
	if (n == 4) {
		uint32_t bits = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
				(uint32_t)p[3] << 24;
		float f;
		memcpy(&f, &bits, 4);
		lb_set_text(b, i, lb_fmt(b, "%.9g", (double)f));
	} else {
		uint64_t bits = 0;
		for (int k = 7; k >= 0; k--)
			bits = bits << 8 | p[k];
		double d;
		memcpy(&d, &bits, 8);
		lb_set_text(b, i, lb_fmt(b, "%.17g", d));
	}
	return WLAB_OK;
}

static enum wlab_status imm_blocktype(struct lb *b)
{
	uint32_t at = lb_pos(b);
	int64_t bt;
	if (wlab_reader_left(b->r) && (*b->r->pos == WLAB_REF_CODE || *b->r->pos == WLAB_REF_NULL_CODE))
		return lb_valtype(b, "block type");
	if (wlab_read_s33(b->r, &bt))
		return WLAB_MALFORMED;
	uint32_t i = lb_leaf(b, at, "immediate", "block type");
	if (wlab_blocktype_is_empty(bt))
		lb_set_text(b, i, "empty");
	else if (wlab_blocktype_is_valtype(bt)) {
		/* exnref and the other shorthands valtypes.def does not name */
		char buf[32];
		wlab_type_str((wlab_valtype_t)(bt & 0x7f), buf, sizeof buf);
		lb_set_text(b, i, lb_fmt(b, "%s", buf));
	}
	else
		lb_set_text(b, i, lb_fmt(b, "type[%lld]", (long long)bt));
	return WLAB_OK;
}

static enum wlab_status imm_vec(struct lb *b, const char *what, const char *each, bool types)
{
	uint32_t n, v;
	if (lb_u32(b, "vec-count", what, &n))
		return WLAB_MALFORMED;
	for (uint32_t k = 0; k < n; k++)
		if (types ? imm(b, lb_valtype(b, each)) : lb_u32(b, "immediate", each, &v))
			return WLAB_MALFORMED;
	return WLAB_OK;
}

/* try_table's catch clauses: a kind byte, a tag for catch and catch_ref,
 * a label. */
static enum wlab_status imm_catches(struct lb *b)
{
	uint32_t n, v;
	uint8_t kind;
	if (lb_u32(b, "vec-count", "catch count", &n))
		return WLAB_MALFORMED;
	for (uint32_t k = 0; k < n; k++) {
		if (lb_byte(b, "immediate", "catch kind", &kind))
			return WLAB_MALFORMED;
		if (kind <= WLAB_CATCH_REF && lb_u32(b, "index", "tag index", &v))
			return WLAB_MALFORMED;
		if (lb_u32(b, "immediate", "label depth", &v))
			return WLAB_MALFORMED;
	}
	return WLAB_OK;
}

/* Two u32 immediates (the GC instructions' type and field, count...). */
static enum wlab_status imm_two(struct lb *b, const char *first, const char *second)
{
	return imm_u32(b, first) || imm_u32(b, second) ? WLAB_MALFORMED : WLAB_OK;
}

/* The immediates of one instruction, the cursor after its opcode. */
static enum wlab_status immediates(struct lb *b, uint8_t kind)
{
	int32_t s32;
	int64_t s64;
	uint8_t u8;
	switch ((enum wlab_imm)kind) {
	case WLAB_IMM_NONE: return WLAB_OK;
	case WLAB_IMM_BLOCK: return imm_blocktype(b);
	case WLAB_IMM_TRY_TABLE:
		return imm_blocktype(b) || imm_catches(b) ? WLAB_MALFORMED : WLAB_OK;
	case WLAB_IMM_LABEL: return imm_u32(b, "label depth");
	case WLAB_IMM_BR_TABLE:
		if (imm_vec(b, "target count", "target", false))
			return WLAB_MALFORMED;
		return imm_u32(b, "default target");
	case WLAB_IMM_FUNC: return imm_u32(b, "func index");
	case WLAB_IMM_TYPE: return imm_u32(b, "type index");
	case WLAB_IMM_CALL_INDIRECT:
		return imm_u32(b, "type index") || imm_u32(b, "table index") ? WLAB_MALFORMED : WLAB_OK;
	case WLAB_IMM_LOCAL: return imm_u32(b, "local index");
	case WLAB_IMM_GLOBAL: return imm_u32(b, "global index");
	case WLAB_IMM_TABLE: return imm_u32(b, "table index");
	case WLAB_IMM_TAG: return imm_u32(b, "tag index");
	case WLAB_IMM_MEMARG: return imm_memarg(b);
	case WLAB_IMM_MEMARG_LANE:
		return imm_memarg(b) || lb_byte(b, "immediate", "lane", &u8) ? WLAB_MALFORMED : WLAB_OK;
	case WLAB_IMM_MEMIDX: return imm_u32(b, "memory index");
	case WLAB_IMM_I32: return imm(b, lb_s32(b, "immediate", &s32));
	case WLAB_IMM_I64: return imm(b, lb_s64(b, "immediate", &s64));
	case WLAB_IMM_F32: return imm_float(b, 4);
	case WLAB_IMM_F64: return imm_float(b, 8);
	case WLAB_IMM_V128: return lb_raw(b, 16, "immediate", "immediate");
	case WLAB_IMM_SHUFFLE: return lb_raw(b, 16, "immediate", "lane indices");
	case WLAB_IMM_LANE: return lb_byte(b, "immediate", "lane", &u8);
	case WLAB_IMM_ZERO: return lb_byte(b, "immediate", "reserved", &u8);
	case WLAB_IMM_SELECT_T: return imm_vec(b, "type count", "type", true);
	case WLAB_IMM_REFTYPE: return imm(b, lb_heaptype(b, "heap type"));
	case WLAB_IMM_DATA_MEM:
		return imm_u32(b, "data index") || imm_u32(b, "memory index") ? WLAB_MALFORMED : WLAB_OK;
	case WLAB_IMM_DATA: return imm_u32(b, "data index");
	case WLAB_IMM_MEM_MEM:
		return imm_u32(b, "destination memory") || imm_u32(b, "source memory")
			? WLAB_MALFORMED : WLAB_OK;
	case WLAB_IMM_ELEM_TABLE:
		return imm_u32(b, "elem index") || imm_u32(b, "table index") ? WLAB_MALFORMED : WLAB_OK;
	case WLAB_IMM_ELEM: return imm_u32(b, "elem index");
	case WLAB_IMM_TABLE_TABLE:
		return imm_u32(b, "destination table") || imm_u32(b, "source table")
			? WLAB_MALFORMED : WLAB_OK;
	case WLAB_IMM_TYPE_FIELD: return imm_two(b, "type index", "field index");
	case WLAB_IMM_TYPE_COUNT: return imm_two(b, "type index", "count");
	case WLAB_IMM_TYPE_DATA: return imm_two(b, "type index", "data index");
	case WLAB_IMM_TYPE_ELEM: return imm_two(b, "type index", "elem index");
	case WLAB_IMM_TYPE_TYPE: return imm_two(b, "destination type", "source type");
	case WLAB_IMM_CAST: case WLAB_IMM_CAST_NULL: return imm(b, lb_heaptype(b, "heap type"));
	case WLAB_IMM_BR_ON_CAST:
		if (lb_byte(b, "immediate", "cast flags", &u8) || imm_u32(b, "label depth") ||
		    imm(b, lb_heaptype(b, "source heap type")))
			return WLAB_MALFORMED;
		return imm(b, lb_heaptype(b, "target heap type"));
	}
	return WLAB_OK;
}

/* One instruction the iterator decoded: a leaf when it is only an opcode,
 * else an "instr" node holding the opcode and its immediates. The reads are
 * bounded by the instruction's size, so the leaves never pass it. */
static enum wlab_status instr(struct lb *b, const struct wlab_instr *in)
{
	const struct wlab_opinfo *info = wlab_opinfo(in->op);
	struct wlab_reader *outer = b->r;
	struct wlab_reader ir = *outer;
	ir.pos = ir.base + in->offset;
	ir.end = ir.pos + in->size;
	struct wlab_error scratch = {0};
	ir.err = &scratch;
	b->r = &ir;
	uint8_t u8;
	uint32_t code;
	wlab_read_u8(&ir, &u8);
	if (info->prefix)
		wlab_read_u32(&ir, &code);
	enum wlab_status st = WLAB_OK;
	if (ir.pos == ir.end) {
		ir.pos = ir.base + in->offset;
		lb_raw(b, in->size, "opcode", info->name);
	} else {
		const uint8_t *opend = ir.pos;
		ir.pos = ir.base + in->offset;
		lb_open(b, "instr", info->name);
		ir.pos = opend;
		lb_leaf(b, in->offset, "opcode", "opcode");
		if (immediates(b, info->imm) || wlab_reader_left(&ir))
			lb_rest(b, "immediate", "immediate");
		lb_close(b);
	}
	outer->pos = ir.end;
	b->r = outer;
	if (b->nomem)
		st = WLAB_NOMEM;
	return st;
}

/* Walks instructions: to the end of the reader (a body) or to the end
 * opcode that closes depth 0 (a constant expression). */
static enum wlab_status instrs(struct lb *b, bool to_end)
{
	struct wlab_instr_iter it;
	struct wlab_span span = {lb_pos(b), (uint32_t)wlab_reader_left(b->r)};
	wlab_instr_iter_init(&it, b->r->base, span, b->features, &b->err);
	struct wlab_instr in;
	uint32_t depth = 0;
	enum wlab_status st = WLAB_OK;
	for (;;) {
		if (wlab_instr_iter_done(&it)) {
			if (!to_end)
				st = lb_fail(b, lb_pos(b), "unexpected end");
			break;
		}
		st = wlab_instr_next(&it, &in);
		if (!st)
			st = instr(b, &in);
		if (st)
			break;
		if (in.op == WLAB_OP_BLOCK || in.op == WLAB_OP_LOOP || in.op == WLAB_OP_IF ||
		    in.op == WLAB_OP_TRY || in.op == WLAB_OP_TRY_TABLE)
			depth++;
		else if (in.op == WLAB_OP_END || in.op == WLAB_OP_DELEGATE) {
			if (depth == 0 && !to_end)
				break;
			if (depth)
				depth--;
		}
	}
	wlab_instr_iter_fini(&it);
	return st;
}

enum wlab_status lb_expr(struct lb *b, const char *label)
{
	lb_open(b, "expr", label);
	if (instrs(b, false))
		return WLAB_MALFORMED;
	lb_close(b);
	return WLAB_OK;
}

static enum wlab_status locals(struct lb *b)
{
	uint32_t n, c;
	lb_open(b, "locals", "locals");
	if (lb_u32(b, "vec-count", "local decl count", &n))
		return WLAB_MALFORMED;
	for (uint32_t i = 0; i < n; i++) {
		lb_open(b, "local", b->depth <= b->max_depth ? lb_fmt(b, "locals[%u]", i) : NULL);
		if (lb_u32(b, NULL, "count", &c) || lb_valtype(b, "type"))
			return WLAB_MALFORMED;
		lb_close(b);
	}
	lb_close(b);
	return WLAB_OK;
}

static enum wlab_status body(struct lb *b, uint32_t i)
{
	uint32_t f = b->m->nimported_funcs + i, size, at = lb_pos(b);
	const char *name = lb_func_name(b, f);
	lb_open(b, "func", name ? lb_fmt(b, "func[%u] \"%s\"", f, name) : lb_fmt(b, "func[%u]", f));
	if (lb_u32(b, NULL, "body size", &size))
		return WLAB_MALFORMED;
	if (size > wlab_reader_left(b->r))
		return lb_fail(b, lb_pos(b) - 1, "length out of bounds");
	uint32_t end = lb_pos(b) + size;
	bool focus = b->focus_hi && ((b->focus_hi > at && b->focus_lo < end) ||
				     (b->focus_err >= at && b->focus_err < end));
	struct wlab_reader *outer = b->r;
	struct wlab_reader sub = wlab_reader_sub(outer, size);
	b->r = &sub;
	lb_open(b, "body", "body");
	enum wlab_status st;
	if (b->flags & WLAB_LAYOUT_ENTRIES)  /* nothing below the entry is stored */
		st = lb_rest(b, "body", "body");
	else
		st = locals(b);
	if (st || (b->flags & WLAB_LAYOUT_ENTRIES))
		;
	else if ((b->flags & WLAB_LAYOUT_NO_INSTRS) && !focus)
		st = lb_rest(b, "instructions", "instructions");
	else if (!st)
		st = instrs(b, true);
	outer->pos = sub.pos;
	b->r = outer;
	if (st)
		return st;
	lb_close(b);
	lb_close(b);
	return WLAB_OK;
}

enum wlab_status lb_code_section(struct lb *b)
{
	uint32_t n;
	if (lb_u32(b, "vec-count", "count", &n))
		return WLAB_MALFORMED;
	for (uint32_t i = 0; i < n; i++) {
		enum wlab_status st = body(b, i);
		if (st)
			return st;
	}
	return WLAB_OK;
}
