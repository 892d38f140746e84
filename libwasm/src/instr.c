/* instr.c: the one instruction iterator, driven by the opcode table's immediates. */
#include <stdlib.h>
#include <string.h>

#include "features_internal.h"
#include "opcodes_internal.h"

void wlab_instr_iter_init(struct wlab_instr_iter *it, const uint8_t *module_bytes,
			  struct wlab_span span, uint32_t features, struct wlab_error *err)
{
	memset(it, 0, sizeof *it);
	it->r.base = module_bytes;
	it->r.pos = module_bytes + span.offset;
	it->r.end = module_bytes + span.offset + span.size;
	it->r.err = err;
	it->features = features ? features : wlab_features_default();
}

void wlab_instr_iter_fini(struct wlab_instr_iter *it)
{
	free(it->targets);
	free(it->types);
	free(it->catches);
	it->targets = NULL;
	it->types = NULL;
	it->catches = NULL;
	it->targets_cap = it->types_cap = it->catches_cap = 0;
}

static enum wlab_status fail(struct wlab_reader *r, const uint8_t *at, const char *msg)
{
	return wlab_error_set(r->err, WLAB_MALFORMED, (size_t)(at - r->base), "%s", msg);
}

static enum wlab_status read_zero_byte(struct wlab_reader *r)
{
	uint8_t b;
	if (wlab_read_u8(r, &b))
		return WLAB_MALFORMED;
	if (b != 0)
		return fail(r, r->pos - 1, "zero byte expected");
	return WLAB_OK;
}

/* memory.size, memory.grow, memory.fill and the memory of memory.init/copy. */
static enum wlab_status read_memidx(struct wlab_instr_iter *it, uint32_t *out)
{
	if (it->features & WLAB_FEATURE_MULTI_MEMORY)
		return wlab_read_u32(&it->r, out);
	*out = 0;
	return read_zero_byte(&it->r);
}

/* A memarg: flags (log2 alignment), a memory index when flags bit 6 is set
 * (multi-memory), the offset: a u64 with memory64 (the validator bounds it
 * by the memory's address type), else a u32. With multi-memory, flags of
 * 0x80 and more are malformed, as the 3.0 suite words it: "malformed memop
 * flags" below 0x100, "integer too large" from there (a u8's range). The one
 * reader of every memarg (loads, stores, lanes, atomics). */
static enum wlab_status read_memarg(struct wlab_instr_iter *it, struct wlab_memarg *ma)
{
	struct wlab_reader *r = &it->r;
	const uint8_t *at = r->pos;
	if (wlab_read_u32(r, &ma->align))
		return WLAB_MALFORMED;
	ma->memidx = 0;
	if (it->features & WLAB_FEATURE_MULTI_MEMORY) {
		if (ma->align >= 0x100)
			return fail(r, at, "integer too large");
		if (ma->align >= 0x80)
			return fail(r, at, "malformed memop flags");
		if ((ma->align & 0x40) && wlab_read_u32(r, &ma->memidx))
			return WLAB_MALFORMED;
	}
	if (it->features & WLAB_FEATURE_MEMORY64)
		return wlab_read_u64(r, &ma->offset);
	uint32_t off;
	if (wlab_read_u32(r, &off))
		return WLAB_MALFORMED;
	ma->offset = off;
	return WLAB_OK;
}

static enum wlab_status read_br_table(struct wlab_instr_iter *it, struct wlab_instr *in)
{
	struct wlab_reader *r = &it->r;
	uint32_t n;
	if (wlab_read_count(r, 1, &n))
		return WLAB_MALFORMED;
	if (n > it->targets_cap) {
		uint32_t *t = realloc(it->targets, (size_t)n * sizeof *t);
		if (!t)
			return wlab_error_set(r->err, WLAB_NOMEM, wlab_reader_offset(r),
					      "out of memory");
		it->targets = t;
		it->targets_cap = n;
	}
	for (uint32_t i = 0; i < n; i++)
		if (wlab_read_u32(r, &it->targets[i]))
			return WLAB_MALFORMED;
	in->ntargets = n;
	in->targets = it->targets;
	return wlab_read_u32(r, &in->index);
}

/* A type index (s33 >= 0), 0x40, or a value type (one byte, or 0x63/0x64
 * and a heap type). */
static enum wlab_status read_blocktype(struct wlab_instr_iter *it, struct wlab_instr *in)
{
	struct wlab_reader *r = &it->r;
	const uint8_t *at = r->pos;
	if (r->pos < r->end && (*r->pos & 0xc0) == 0x40) {
		if (*r->pos == 0x40) {
			r->pos++;
			in->blocktype = -64;
			return WLAB_OK;
		}
		in->blocktype = (int64_t)*r->pos - 0x80;  /* the first byte as s33 */
		return wlab_read_valtype(r, it->features, false, &in->bttype);
	}
	if (wlab_read_s33(r, &in->blocktype))
		return WLAB_MALFORMED;
	if (in->blocktype >= 0)
		return WLAB_OK;
	return fail(r, at, "malformed value type");
}

static enum wlab_status read_select_types(struct wlab_instr_iter *it, struct wlab_instr *in)
{
	struct wlab_reader *r = &it->r;
	if (wlab_read_count(r, 1, &in->ntypes))
		return WLAB_MALFORMED;
	if (in->ntypes > it->types_cap) {
		wlab_valtype_t *t = realloc(it->types, (size_t)in->ntypes * sizeof *t);
		if (!t)
			return fail(r, r->pos, "out of memory");
		it->types = t;
		it->types_cap = in->ntypes;
	}
	for (uint32_t i = 0; i < in->ntypes; i++)
		if (wlab_read_valtype(r, it->features, false, &it->types[i]))
			return WLAB_MALFORMED;
	in->types = it->types;
	return WLAB_OK;
}

/* try_table: a block type, then a vector of catch clauses (kind byte,
 * a tag index for catch and catch_ref, a label). */
static enum wlab_status read_try_table(struct wlab_instr_iter *it, struct wlab_instr *in)
{
	struct wlab_reader *r = &it->r;
	uint32_t n;
	if (read_blocktype(it, in) || wlab_read_count(r, 2, &n))
		return WLAB_MALFORMED;
	if (n > it->catches_cap) {
		struct wlab_catch *c = realloc(it->catches, (size_t)n * sizeof *c);
		if (!c)
			return wlab_error_set(r->err, WLAB_NOMEM, wlab_reader_offset(r),
					      "out of memory");
		it->catches = c;
		it->catches_cap = n;
	}
	for (uint32_t i = 0; i < n; i++) {
		struct wlab_catch *c = &it->catches[i];
		const uint8_t *at = r->pos;
		c->tag = 0;
		if (wlab_read_u8(r, &c->kind))
			return WLAB_MALFORMED;
		if (c->kind > WLAB_CATCH_ALL_REF)
			return fail(r, at, "malformed catch clause");
		if (c->kind <= WLAB_CATCH_REF && wlab_read_u32(r, &c->tag))
			return WLAB_MALFORMED;
		if (wlab_read_u32(r, &c->label))
			return WLAB_MALFORMED;
	}
	in->ncatches = n;
	in->catches = it->catches;
	return WLAB_OK;
}

/* br_on_cast and br_on_cast_fail: a flags byte (bit 0: the source type
 * is nullable, bit 1: the target type), a label, two heap types. */
static enum wlab_status read_br_on_cast(struct wlab_instr_iter *it, struct wlab_instr *in)
{
	struct wlab_reader *r = &it->r;
	const uint8_t *at = r->pos;
	uint8_t flags;
	wlab_heaptype_t h1, h2;
	if (wlab_read_u8(r, &flags))
		return WLAB_MALFORMED;
	if (flags > 3)
		return fail(r, at, "malformed br_on_cast flags");
	if (wlab_read_u32(r, &in->index) || wlab_read_heaptype(r, it->features, &h1) ||
	    wlab_read_heaptype(r, it->features, &h2))
		return WLAB_MALFORMED;
	in->reftype = wlab_ref_type(flags & 1, h1);
	in->reftype2 = wlab_ref_type(flags & 2, h2);
	return WLAB_OK;
}

/* A u32 LEB128 of one byte (most immediates) in line, the rest by the reader. */
static inline enum wlab_status read_u32_fast(struct wlab_reader *r, uint32_t *out)
{
	if (r->pos < r->end && *r->pos < 0x80) {
		*out = *r->pos++;
		return WLAB_OK;
	}
	return wlab_read_u32(r, out);
}

/* Out of line: wlab_instr_next reads the commonest immediates itself and
 * stays small (no registers to save) on its way. */
__attribute__((noinline))
static enum wlab_status read_immediates(struct wlab_instr_iter *it, uint8_t imm,
					struct wlab_instr *in)
{
	struct wlab_reader *r = &it->r;
	const uint8_t *p;
	switch (imm) {
	case WLAB_IMM_NONE:
		return WLAB_OK;
	case WLAB_IMM_BLOCK:
		return read_blocktype(it, in);
	case WLAB_IMM_LABEL:
	case WLAB_IMM_FUNC:
	case WLAB_IMM_LOCAL:
	case WLAB_IMM_GLOBAL:
	case WLAB_IMM_TABLE:
	case WLAB_IMM_TAG:
	case WLAB_IMM_DATA:
	case WLAB_IMM_ELEM:
	case WLAB_IMM_TYPE:
		return read_u32_fast(r, &in->index);
	case WLAB_IMM_BR_TABLE:
		return read_br_table(it, in);
	case WLAB_IMM_CALL_INDIRECT:
		/* Without reference types the table is a reserved zero byte (the
		 * MVP's rule: not a LEB128 of 0 such as 0x80 0x00). */
		if (!(it->features & WLAB_FEATURE_REFERENCE_TYPES)) {
			in->index2 = 0;
			if (wlab_read_u32(r, &in->index))
				return WLAB_MALFORMED;
			return read_zero_byte(r);
		}
		/* fall through */
	case WLAB_IMM_ELEM_TABLE:
	case WLAB_IMM_TABLE_TABLE:
	case WLAB_IMM_TYPE_FIELD:
	case WLAB_IMM_TYPE_COUNT:
	case WLAB_IMM_TYPE_DATA:
	case WLAB_IMM_TYPE_ELEM:
	case WLAB_IMM_TYPE_TYPE:
		if (wlab_read_u32(r, &in->index))
			return WLAB_MALFORMED;
		return wlab_read_u32(r, &in->index2);
	case WLAB_IMM_MEMARG:
		return read_memarg(it, &in->memarg);
	case WLAB_IMM_MEMARG_LANE:
		if (read_memarg(it, &in->memarg))
			return WLAB_MALFORMED;
		return wlab_read_u8(r, &in->lane);
	case WLAB_IMM_MEMIDX:
		return read_memidx(it, &in->index);
	case WLAB_IMM_I32:
		return wlab_read_s32(r, &in->i32);
	case WLAB_IMM_I64:
		return wlab_read_s64(r, &in->i64);
	case WLAB_IMM_F32:
		return wlab_read_u32le(r, &in->f32);
	case WLAB_IMM_F64:
		return wlab_read_u64le(r, &in->f64);
	case WLAB_IMM_V128:
	case WLAB_IMM_SHUFFLE:
		if (wlab_read_bytes(r, 16, &p))
			return WLAB_MALFORMED;
		memcpy(in->v128, p, 16);
		return WLAB_OK;
	case WLAB_IMM_LANE:
		return wlab_read_u8(r, &in->lane);
	case WLAB_IMM_SELECT_T:
		return read_select_types(it, in);
	case WLAB_IMM_REFTYPE: {
		wlab_heaptype_t h;
		if (wlab_read_heaptype(r, it->features, &h))
			return WLAB_MALFORMED;
		in->reftype = wlab_ref_type(true, h);
		return WLAB_OK;
	}
	case WLAB_IMM_CAST:
	case WLAB_IMM_CAST_NULL: {
		wlab_heaptype_t h;
		if (wlab_read_heaptype(r, it->features, &h))
			return WLAB_MALFORMED;
		in->reftype = wlab_ref_type(imm == WLAB_IMM_CAST_NULL, h);
		return WLAB_OK;
	}
	case WLAB_IMM_BR_ON_CAST:
		return read_br_on_cast(it, in);
	case WLAB_IMM_DATA_MEM:
		if (wlab_read_u32(r, &in->index))
			return WLAB_MALFORMED;
		return read_memidx(it, &in->index2);
	case WLAB_IMM_MEM_MEM:
		if (read_memidx(it, &in->index))
			return WLAB_MALFORMED;
		return read_memidx(it, &in->index2);
	case WLAB_IMM_ZERO:
		return read_zero_byte(r);
	case WLAB_IMM_TRY_TABLE:
		return read_try_table(it, in);
	}
	return fail(r, r->pos, "illegal opcode");
}

/* Every field of *in zero, as a reader of an instruction expects of the
 * fields its immediate does not set. Field by field rather than memset:
 * compilers make a memset of the whole struct a `rep stos`, which cost half
 * of decoding and validating a big module (gcc -O2, x86-64); these become a
 * few vector stores. */
static inline void clear_instr(struct wlab_instr *in)
{
	in->index = in->index2 = 0;
	in->blocktype = 0;
	in->bttype = 0;
	in->memarg.align = in->memarg.memidx = 0;
	in->memarg.offset = 0;
	in->lane = 0;
	in->i32 = 0;
	in->i64 = 0;
	in->f32 = 0;
	in->f64 = 0;
	memset(in->v128, 0, sizeof in->v128);
	in->reftype = in->reftype2 = 0;
	in->ntargets = in->ntypes = in->ncatches = 0;
	in->targets = NULL;
	in->types = NULL;
	in->catches = NULL;
}

/* Both callers get their own copy: the decoder's without the clearing. */
static inline __attribute__((always_inline)) enum wlab_status
next(struct wlab_instr_iter *it, struct wlab_instr *out, bool clear)
{
	struct wlab_reader *r = &it->r;
	const uint8_t *start = r->pos;
	if (clear)
		clear_instr(out);
	out->op = 0;
	out->offset = (uint32_t)(start - r->base);
	out->size = 0;
	if (r->pos >= r->end)
		return wlab_read_u8(r, &(uint8_t){0});  /* the reader's end-of-input error */
	uint8_t b = *r->pos++;
	uint8_t prefix = 0;
	uint32_t code = b;
	if (b == 0xfb || b == 0xfc || b == 0xfd || b == 0xfe) {
		prefix = b;
		if (read_u32_fast(r, &code))
			goto fail;
	}
	uint16_t op = wlab_op_lookup_inline(prefix, code);
	const struct wlab_opinfo *info = op < WLAB_OP_COUNT ? &wlab_op_table_[op] : NULL;
	if (!info) {
		fail(r, start, "illegal opcode");
		goto fail;
	}
	if (!(info->feature & it->features)) {
		wlab_feature_off(r->err, (size_t)(start - r->base), "illegal opcode", info->name,
				 info->feature);
		goto fail;
	}
	out->op = op;
	switch (info->imm) {
	case WLAB_IMM_NONE:
		break;
	case WLAB_IMM_LABEL:
	case WLAB_IMM_FUNC:
	case WLAB_IMM_LOCAL:
	case WLAB_IMM_GLOBAL:
		if (r->pos < r->end && *r->pos < 0x80) {  /* an index of one byte */
			out->index = *r->pos++;
			break;
		}
		/* fall through */
	default:
		if (read_immediates(it, info->imm, out))
			goto fail;
	}
	out->size = (uint32_t)(r->pos - start);
	return WLAB_OK;
fail:
	r->pos = start;
	return r->err && r->err->status ? r->err->status : WLAB_MALFORMED;
}

enum wlab_status wlab_instr_next(struct wlab_instr_iter *it, struct wlab_instr *out)
{
	return next(it, out, true);
}

enum wlab_status wlab_instr_scan(struct wlab_instr_iter *it, struct wlab_instr *out)
{
	return next(it, out, false);
}
