/* encode_buf.c: the growable byte buffer, LEB128 writers and the instruction writer. */
#include <stdlib.h>
#include <string.h>

#include "wlab/encode.h"

void wlab_buf_init(struct wlab_buf *b)
{
	memset(b, 0, sizeof *b);
}

void wlab_buf_free(struct wlab_buf *b)
{
	free(b->data);
	wlab_buf_init(b);
}

void wlab_buf_reset(struct wlab_buf *b)
{
	b->size = 0;
}

uint8_t *wlab_buf_take(struct wlab_buf *b, size_t *size)
{
	uint8_t *p = b->failed || b->size == 0 ? NULL : b->data;
	*size = p ? b->size : 0;
	if (!p)
		free(b->data);
	wlab_buf_init(b);
	return p;
}

/* Room for extra more bytes; false (and failed set) when there is none. */
static bool reserve(struct wlab_buf *b, size_t extra)
{
	if (b->failed)
		return false;
	if (b->cap - b->size >= extra)
		return true;
	if (extra > SIZE_MAX / 2 - b->size) {
		b->failed = true;
		return false;
	}
	size_t cap = b->cap ? b->cap : 64;
	while (cap - b->size < extra)
		cap *= 2;
	uint8_t *p = realloc(b->data, cap);
	if (!p) {
		b->failed = true;
		return false;
	}
	b->data = p;
	b->cap = cap;
	return true;
}

void wlab_buf_u8(struct wlab_buf *b, uint8_t v)
{
	if (reserve(b, 1))
		b->data[b->size++] = v;
}

void wlab_buf_bytes(struct wlab_buf *b, const void *p, size_t n)
{
	if (n == 0 || !reserve(b, n))
		return;
	memcpy(b->data + b->size, p, n);
	b->size += n;
}

void wlab_buf_u32le(struct wlab_buf *b, uint32_t v)
{
	uint8_t t[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
	wlab_buf_bytes(b, t, 4);
}

void wlab_buf_u64le(struct wlab_buf *b, uint64_t v)
{
	uint8_t t[8];
	for (int i = 0; i < 8; i++)
		t[i] = (uint8_t)(v >> (8 * i));
	wlab_buf_bytes(b, t, 8);
}

size_t wlab_leb_u64(uint8_t out[10], uint64_t v)
{
	size_t n = 0;
	do {
		uint8_t byte = v & 0x7f;
		v >>= 7;
		out[n++] = (uint8_t)(byte | (v ? 0x80 : 0));
	} while (v);
	return n;
}

/* Stops once the rest is all sign: zero with bit 6 clear, or all ones with
 * bit 6 set. The shift of a negative value is done on its unsigned image,
 * with the sign bits put back by hand, so no implementation-defined shift. */
size_t wlab_leb_s64(uint8_t out[10], int64_t v)
{
	uint64_t u = (uint64_t)v;
	bool neg = v < 0;
	size_t n = 0;
	for (;;) {
		uint8_t byte = u & 0x7f;
		u >>= 7;
		if (neg)
			u |= ~(~(uint64_t)0 >> 7);
		bool done = (!neg && u == 0 && !(byte & 0x40)) ||
			    (neg && u == ~(uint64_t)0 && (byte & 0x40));
		out[n++] = (uint8_t)(byte | (done ? 0 : 0x80));
		if (done)
			return n;
	}
}

size_t wlab_leb_u64_size(uint64_t v)
{
	uint8_t t[10];
	return wlab_leb_u64(t, v);
}

size_t wlab_leb_s64_size(int64_t v)
{
	uint8_t t[10];
	return wlab_leb_s64(t, v);
}

void wlab_buf_u64(struct wlab_buf *b, uint64_t v)
{
	uint8_t t[10];
	wlab_buf_bytes(b, t, wlab_leb_u64(t, v));
}

void wlab_buf_u32(struct wlab_buf *b, uint32_t v)
{
	wlab_buf_u64(b, v);
}

void wlab_buf_s64(struct wlab_buf *b, int64_t v)
{
	uint8_t t[10];
	wlab_buf_bytes(b, t, wlab_leb_s64(t, v));
}

void wlab_buf_s32(struct wlab_buf *b, int32_t v)
{
	wlab_buf_s64(b, v);
}

void wlab_buf_name(struct wlab_buf *b, const void *p, uint32_t len)
{
	wlab_buf_u32(b, len);
	wlab_buf_bytes(b, p, len);
}

void wlab_buf_str(struct wlab_buf *b, struct wlab_str s)
{
	wlab_buf_name(b, s.ptr, s.len);
}

void wlab_buf_sized(struct wlab_buf *b, const struct wlab_buf *inner)
{
	if (inner->failed || inner->size > UINT32_MAX) {
		b->failed = true;
		return;
	}
	wlab_buf_u32(b, (uint32_t)inner->size);
	wlab_buf_bytes(b, inner->data, inner->size);
}

void wlab_buf_op(struct wlab_buf *b, uint16_t op)
{
	if (op >= WLAB_OP_COUNT) {
		b->failed = true;
		return;
	}
	const struct wlab_opinfo *info = wlab_opinfo(op);
	if (info->prefix) {
		wlab_buf_u8(b, info->prefix);
		wlab_buf_u32(b, info->code);
	} else {
		wlab_buf_u8(b, (uint8_t)info->code);
	}
}

static void write_memarg(struct wlab_buf *b, const struct wlab_memarg *ma)
{
	bool has_mem = ma->memidx != 0 || (ma->align & 0x40);
	wlab_buf_u32(b, has_mem ? ma->align | 0x40 : ma->align);
	if (has_mem)
		wlab_buf_u32(b, ma->memidx);
	wlab_buf_u64(b, ma->offset);
}

void wlab_buf_heaptype(struct wlab_buf *b, wlab_heaptype_t h)
{
	if (wlab_heap_is_concrete(h))
		wlab_buf_s64(b, wlab_heap_index(h));
	else
		wlab_buf_u8(b, (uint8_t)h);
}

void wlab_buf_valtype(struct wlab_buf *b, wlab_valtype_t t)
{
	if (t < 0x100) {
		wlab_buf_u8(b, (uint8_t)t);
		return;
	}
	wlab_buf_u8(b, (uint8_t)(t & 0xff));
	wlab_buf_heaptype(b, wlab_ref_heap(t));
}

static void write_immediates(struct wlab_buf *b, uint8_t imm, const struct wlab_instr *in)
{
	switch (imm) {
	case WLAB_IMM_NONE:
		break;
	case WLAB_IMM_BLOCK:
		if (in->blocktype < 0 && in->blocktype != -64 && in->bttype)
			wlab_buf_valtype(b, in->bttype);
		else
			wlab_buf_s64(b, in->blocktype);  /* -64 is 0x40, -1 is 0x7f... */
		break;
	case WLAB_IMM_LABEL: case WLAB_IMM_FUNC: case WLAB_IMM_LOCAL:
	case WLAB_IMM_GLOBAL: case WLAB_IMM_TABLE: case WLAB_IMM_TAG:
	case WLAB_IMM_DATA: case WLAB_IMM_ELEM: case WLAB_IMM_MEMIDX: case WLAB_IMM_TYPE:
		wlab_buf_u32(b, in->index);
		break;
	case WLAB_IMM_TRY_TABLE:
		if (in->blocktype < 0 && in->blocktype != -64 && in->bttype)
			wlab_buf_valtype(b, in->bttype);
		else
			wlab_buf_s64(b, in->blocktype);
		wlab_buf_u32(b, in->ncatches);
		for (uint32_t i = 0; i < in->ncatches; i++) {
			wlab_buf_u8(b, in->catches[i].kind);
			if (in->catches[i].kind <= WLAB_CATCH_REF)
				wlab_buf_u32(b, in->catches[i].tag);
			wlab_buf_u32(b, in->catches[i].label);
		}
		break;
	case WLAB_IMM_BR_TABLE:
		wlab_buf_u32(b, in->ntargets);
		for (uint32_t i = 0; i < in->ntargets; i++)
			wlab_buf_u32(b, in->targets[i]);
		wlab_buf_u32(b, in->index);
		break;
	case WLAB_IMM_CALL_INDIRECT: case WLAB_IMM_ELEM_TABLE: case WLAB_IMM_TABLE_TABLE:
	case WLAB_IMM_DATA_MEM: case WLAB_IMM_MEM_MEM: case WLAB_IMM_TYPE_FIELD:
	case WLAB_IMM_TYPE_COUNT: case WLAB_IMM_TYPE_DATA: case WLAB_IMM_TYPE_ELEM:
	case WLAB_IMM_TYPE_TYPE:
		wlab_buf_u32(b, in->index);
		wlab_buf_u32(b, in->index2);
		break;
	case WLAB_IMM_MEMARG:
		write_memarg(b, &in->memarg);
		break;
	case WLAB_IMM_MEMARG_LANE:
		write_memarg(b, &in->memarg);
		wlab_buf_u8(b, in->lane);
		break;
	case WLAB_IMM_I32:
		wlab_buf_s32(b, in->i32);
		break;
	case WLAB_IMM_I64:
		wlab_buf_s64(b, in->i64);
		break;
	case WLAB_IMM_F32:
		wlab_buf_u32le(b, in->f32);
		break;
	case WLAB_IMM_F64:
		wlab_buf_u64le(b, in->f64);
		break;
	case WLAB_IMM_V128: case WLAB_IMM_SHUFFLE:
		wlab_buf_bytes(b, in->v128, 16);
		break;
	case WLAB_IMM_LANE:
		wlab_buf_u8(b, in->lane);
		break;
	case WLAB_IMM_SELECT_T:
		wlab_buf_u32(b, in->ntypes);
		for (uint32_t i = 0; i < in->ntypes; i++)
			wlab_buf_valtype(b, in->types[i]);
		break;
	case WLAB_IMM_REFTYPE: case WLAB_IMM_CAST: case WLAB_IMM_CAST_NULL:
		wlab_buf_heaptype(b, wlab_ref_heap(in->reftype));
		break;
	case WLAB_IMM_BR_ON_CAST:  /* flags: bit 0 the source nullable, bit 1 the target */
		wlab_buf_u8(b, (uint8_t)(wlab_ref_nullable(in->reftype) |
					 wlab_ref_nullable(in->reftype2) << 1));
		wlab_buf_u32(b, in->index);
		wlab_buf_heaptype(b, wlab_ref_heap(in->reftype));
		wlab_buf_heaptype(b, wlab_ref_heap(in->reftype2));
		break;
	case WLAB_IMM_ZERO:
		wlab_buf_u8(b, 0);
		break;
	default:
		b->failed = true;
		break;
	}
}

enum wlab_status wlab_buf_instr(struct wlab_buf *b, const struct wlab_instr *in)
{
	if (in->op >= WLAB_OP_COUNT)
		return WLAB_INVALID;
	wlab_buf_op(b, in->op);
	write_immediates(b, wlab_opinfo(in->op)->imm, in);
	return b->failed ? WLAB_NOMEM : WLAB_OK;
}
