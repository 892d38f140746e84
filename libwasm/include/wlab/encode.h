/* wlab/encode.h: writes a module structure back to bytes.
 *
 * The encoder writes the sections in m->sections order (so custom sections
 * stay where they stood), every LEB128 in its shortest form:
 * - known sections from the structure (types, imports, functions, tables,
 *   memories, globals, exports, start, elements, data count, code, data,
 *   tags); constant expressions and instruction sequences are copied from
 *   their spans in m->bytes; function bodies are written as the local
 *   declarations (local_decls) followed by the bytes of code.expr;
 * - custom sections "name", "producers" and "target_features" from their
 *   decoded structures when m->has_names / has_producers /
 *   has_target_features (so a tool can edit them); only the first section
 *   of each of these names is the decoded one (as in the decoder). Every
 *   other custom section (and any of these three that failed to decode) is
 *   written as its name and its content bytes.
 * The vector counts come from the arrays (m->ntypes...), not from
 * section.count. Element and data segments keep their flags encoding (0..7,
 * 0..2); limits are written with the flags their has_max / shared / is64
 * fields say. m->version 0 is written as 1.
 * A module built by a tool (a linker) rather than decoded sets m->bytes to
 * a buffer of its own that every span points into, and m->size to its size.
 *
 * The byte buffer below (struct wlab_buf) is the writer the encoder uses; it
 * is public so that tools can build function bodies and other byte ranges
 * with the same LEB128 and instruction writers. */
#ifndef WLAB_ENCODE_H
#define WLAB_ENCODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wlab/instr.h"
#include "wlab/module.h"
#include "wlab/status.h"
#include "wlab/api.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Encodes m into a new buffer *out of *size bytes (free it with free()).
 * WLAB_NOMEM, or WLAB_INVALID with err set when the structure cannot be
 * written (an index or span out of range, a segment whose flags disagree
 * with its fields). err->offset is the offending span's offset in m->bytes
 * (0 when there is none). On failure *out is NULL and *size 0. */
WLAB_API enum wlab_status wlab_module_encode(const struct wlab_module *m, uint8_t **out,
					     size_t *size, struct wlab_error *err);

/* ---- the byte buffer ----
 *
 * A growable buffer. Writers never fail loudly: an allocation failure sets
 * `failed`, later writes do nothing, and wlab_buf_ok() tells. Start from
 * `struct wlab_buf b = {0};` (or wlab_buf_init) and end with wlab_buf_free
 * or wlab_buf_take. data is NULL while size is 0. */
struct wlab_buf {
	uint8_t *data;
	size_t size, cap;
	bool failed;  /* an allocation failed; the contents are incomplete */
};

WLAB_API void wlab_buf_init(struct wlab_buf *b);
WLAB_API void wlab_buf_free(struct wlab_buf *b);
/* Empties the buffer but keeps its memory (and clears nothing else). */
WLAB_API void wlab_buf_reset(struct wlab_buf *b);
static inline bool wlab_buf_ok(const struct wlab_buf *b)
{
	return !b->failed;
}
/* Hands the bytes to the caller (free() them); the buffer is left empty.
 * NULL when the buffer failed (its memory is freed) or holds no bytes. */
WLAB_API uint8_t *wlab_buf_take(struct wlab_buf *b, size_t *size);

WLAB_API void wlab_buf_u8(struct wlab_buf *b, uint8_t v);
WLAB_API void wlab_buf_bytes(struct wlab_buf *b, const void *p, size_t n);
WLAB_API void wlab_buf_u32le(struct wlab_buf *b, uint32_t v);
WLAB_API void wlab_buf_u64le(struct wlab_buf *b, uint64_t v);
/* LEB128 in the shortest form. s33 (block types) is written by s64. */
WLAB_API void wlab_buf_u32(struct wlab_buf *b, uint32_t v);
WLAB_API void wlab_buf_u64(struct wlab_buf *b, uint64_t v);
WLAB_API void wlab_buf_s32(struct wlab_buf *b, int32_t v);
WLAB_API void wlab_buf_s64(struct wlab_buf *b, int64_t v);
/* A heap type (s33: index or abstract code) and a value type (one byte, or
 * 0x63/0x64 and a heap type), as wlab/types.h words them. */
WLAB_API void wlab_buf_heaptype(struct wlab_buf *b, wlab_heaptype_t h);
WLAB_API void wlab_buf_valtype(struct wlab_buf *b, wlab_valtype_t t);
/* A name: its length as a u32 LEB128, then its bytes. */
WLAB_API void wlab_buf_name(struct wlab_buf *b, const void *p, uint32_t len);
WLAB_API void wlab_buf_str(struct wlab_buf *b, struct wlab_str s);
/* inner's size as a u32 LEB128, then inner's bytes (sections, bodies,
 * subsections). Marks b failed when inner failed or is 4 GiB or more. */
WLAB_API void wlab_buf_sized(struct wlab_buf *b, const struct wlab_buf *inner);

/* The shortest LEB128 of v into out; returns its length (1..10). */
WLAB_API size_t wlab_leb_u64(uint8_t out[10], uint64_t v);
WLAB_API size_t wlab_leb_s64(uint8_t out[10], int64_t v);
/* Lengths alone. */
WLAB_API size_t wlab_leb_u64_size(uint64_t v);
WLAB_API size_t wlab_leb_s64_size(int64_t v);

/* ---- instructions ---- */

/* The opcode of op: one byte, or the 0xfc/0xfd prefix and the code as a
 * u32 LEB128. Marks b failed when op >= WLAB_OP_COUNT. */
WLAB_API void wlab_buf_op(struct wlab_buf *b, uint16_t op);
/* A whole instruction from its decoded form (what wlab_instr_next fills):
 * the opcode, then the immediates of its opinfo->imm from the fields of in,
 * LEB128s in the shortest form. A tool can walk a body with the iterator,
 * change in.index (a function, global... index) and write it back.
 * Memory arguments: memarg.memidx is written (after align, with bit 6 of
 * align set) when it is non-zero or align already has bit 6, as the
 * multi-memory proposal encodes it; memarg.offset as a u64 LEB128.
 * WLAB_IMM_MEMIDX and the memories of memory.init/copy as u32 LEB128s (0 is
 * the 0x00 byte of 2.0). select t* reads in->types[0..ntypes).
 * WLAB_INVALID when in->op is out of range, WLAB_NOMEM when b failed. */
WLAB_API enum wlab_status wlab_buf_instr(struct wlab_buf *b, const struct wlab_instr *in);

#ifdef __cplusplus
}
#endif

#endif
