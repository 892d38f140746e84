/* wlab/instr.h: the opcode table's enum and the one instruction iterator
 * that the decoder, disassembler, validator and explorer all share. */
#ifndef WLAB_INSTR_H
#define WLAB_INSTR_H

#include <stdbool.h>
#include <stdint.h>

#include "wlab/features.h"
#include "wlab/module.h"
#include "wlab/reader.h"
#include "wlab/api.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Immediate kinds named in wlab/opcodes.def. */
enum wlab_imm {
	WLAB_IMM_NONE,
	WLAB_IMM_BLOCK,         /* blocktype (s33) */
	WLAB_IMM_LABEL,         /* index */
	WLAB_IMM_BR_TABLE,      /* ntargets, targets, index = default */
	WLAB_IMM_FUNC,          /* index */
	WLAB_IMM_CALL_INDIRECT, /* index = type, index2 = table */
	WLAB_IMM_LOCAL,         /* index */
	WLAB_IMM_GLOBAL,        /* index */
	WLAB_IMM_TABLE,         /* index */
	WLAB_IMM_TAG,           /* index */
	WLAB_IMM_MEMARG,        /* memarg */
	WLAB_IMM_MEMARG_LANE,   /* memarg, lane */
	WLAB_IMM_MEMIDX,        /* index = memory (a reserved 0x00 byte in 2.0) */
	WLAB_IMM_I32,           /* i32 */
	WLAB_IMM_I64,           /* i64 */
	WLAB_IMM_F32,           /* f32 bits */
	WLAB_IMM_F64,           /* f64 bits */
	WLAB_IMM_V128,          /* v128 bytes */
	WLAB_IMM_SHUFFLE,       /* v128 bytes: the 16 lane indices */
	WLAB_IMM_LANE,          /* lane */
	WLAB_IMM_SELECT_T,      /* ntypes, types (valtype codes) */
	WLAB_IMM_REFTYPE,       /* reftype */
	WLAB_IMM_DATA_MEM,      /* index = data, index2 = memory */
	WLAB_IMM_DATA,          /* index */
	WLAB_IMM_MEM_MEM,       /* index = destination memory, index2 = source */
	WLAB_IMM_ELEM_TABLE,    /* index = elem, index2 = table */
	WLAB_IMM_ELEM,          /* index */
	WLAB_IMM_TABLE_TABLE,   /* index = destination table, index2 = source */
	WLAB_IMM_ZERO,          /* a reserved 0x00 byte (atomic.fence's ordering) */
	WLAB_IMM_TYPE,          /* index = type (call_ref) */
	WLAB_IMM_TRY_TABLE,     /* blocktype, then ncatches catch clauses */
	WLAB_IMM_TYPE_FIELD,    /* index = struct type, index2 = field (struct.get...) */
	WLAB_IMM_TYPE_COUNT,    /* index = array type, index2 = count (array.new_fixed) */
	WLAB_IMM_TYPE_DATA,     /* index = array type, index2 = data segment */
	WLAB_IMM_TYPE_ELEM,     /* index = array type, index2 = elem segment */
	WLAB_IMM_TYPE_TYPE,     /* index = destination array type, index2 = source */
	WLAB_IMM_CAST,          /* a heap type ht: reftype = (ref ht) (ref.test, ref.cast) */
	WLAB_IMM_CAST_NULL,     /* a heap type ht: reftype = (ref null ht) */
	WLAB_IMM_BR_ON_CAST,    /* flags byte, index = label, reftype and reftype2:
				   the source and target types (flags bit 0 and 1:
				   each nullable) */
};
#define WLAB_IMM_LAST WLAB_IMM_BR_ON_CAST

/* try_table's catch clause kinds, by their binary code. */
enum wlab_catch_kind {
	WLAB_CATCH = 0, WLAB_CATCH_REF = 1, WLAB_CATCH_ALL = 2, WLAB_CATCH_ALL_REF = 3
};

struct wlab_catch {
	uint8_t kind;     /* enum wlab_catch_kind */
	uint32_t tag;     /* catch and catch_ref only */
	uint32_t label;
};

enum wlab_op {
#define WLAB_OP(prefix, code, cname, name, imm, feature) WLAB_OP_##cname,
#include "wlab/opcodes.def"
#undef WLAB_OP
	WLAB_OP_COUNT
};

struct wlab_opinfo {
	uint8_t prefix;     /* 0, 0xfb, 0xfc, 0xfd or 0xfe */
	uint32_t code;
	const char *name;   /* spec text: "i32.add" */
	uint8_t imm;        /* enum wlab_imm */
	uint32_t feature;   /* enum wlab_feature bit */
};

/* The opcode table's row for op (op < WLAB_OP_COUNT). */
WLAB_API const struct wlab_opinfo *wlab_opinfo(uint16_t op);
/* The op for a prefix and code, or WLAB_OP_COUNT when there is none. */
WLAB_API uint16_t wlab_op_lookup(uint8_t prefix, uint32_t code);
/* The natural alignment (log2 of the bytes accessed) of a load, store or
 * atomic instruction; an atomic's memarg must carry exactly this one. */
WLAB_API uint32_t wlab_op_natural_align(uint16_t op);
static inline bool wlab_op_is_atomic(uint16_t op)
{
	return op < WLAB_OP_COUNT && wlab_opinfo(op)->prefix == 0xfe;
}

struct wlab_memarg {
	uint32_t align;    /* the raw flags field: log2 of the alignment; with
			      multi-memory, bit 6 flags a memory index */
	uint32_t memidx;
	uint64_t offset;
};

/* One decoded instruction. Which fields hold meaning follows its opinfo.imm. */
struct wlab_instr {
	uint16_t op;            /* enum wlab_op */
	uint32_t offset;        /* file offset of the first byte (the prefix if any) */
	uint32_t size;          /* bytes, immediates included */
	uint32_t index, index2;
	int64_t blocktype;      /* -64 (0x40): empty; < 0 otherwise: one value type,
				   in bttype; >= 0: a type index */
	wlab_valtype_t bttype;  /* blocktype < 0 and not -64: the result type */
	struct wlab_memarg memarg;
	uint8_t lane;
	int32_t i32;
	int64_t i64;
	uint32_t f32;           /* raw bits */
	uint64_t f64;           /* raw bits */
	uint8_t v128[16];
	wlab_valtype_t reftype; /* ref.null: (ref null ht) of its heap type immediate;
				   ref.test, ref.cast: the type tested; br_on_cast*:
				   the source type */
	wlab_valtype_t reftype2; /* br_on_cast*: the target type */
	uint32_t ntargets;      /* br_table, without the default (index) */
	const uint32_t *targets;  /* owned by the iterator, valid until the next call */
	uint32_t ntypes;        /* select t* */
	const wlab_valtype_t *types;  /* owned by the iterator, valid until the next call */
	uint32_t ncatches;      /* try_table */
	const struct wlab_catch *catches;  /* owned by the iterator, valid until the next call */
};

/* Walks the instructions in a span of a module's bytes. */
struct wlab_instr_iter {
	struct wlab_reader r;
	uint32_t features;      /* 0 = the default set */
	uint32_t *targets;      /* scratch for br_table, grown as needed */
	uint32_t targets_cap;
	wlab_valtype_t *types;  /* scratch for select t* */
	uint32_t types_cap;
	struct wlab_catch *catches;  /* scratch for try_table */
	uint32_t catches_cap;
};

WLAB_API void wlab_instr_iter_init(struct wlab_instr_iter *it, const uint8_t *module_bytes,
				   struct wlab_span span, uint32_t features, struct wlab_error *err);
/* Frees the scratch; safe to call twice. */
WLAB_API void wlab_instr_iter_fini(struct wlab_instr_iter *it);
static inline bool wlab_instr_iter_done(const struct wlab_instr_iter *it)
{
	return it->r.pos >= it->r.end;
}
/* Decodes the next instruction. On a malformed instruction returns
 * WLAB_MALFORMED with the error recorded in the iterator's err ("illegal
 * opcode", "unexpected end", "integer too large", "zero byte expected"...). */
WLAB_API enum wlab_status wlab_instr_next(struct wlab_instr_iter *it, struct wlab_instr *out);

/* The log2 alignment of a memarg read with features (bit 6 is no part of
 * it with multi-memory). */
static inline uint32_t wlab_memarg_align(const struct wlab_memarg *ma, uint32_t features)
{
	return (features & WLAB_FEATURE_MULTI_MEMORY) ? ma->align & ~0x40u : ma->align;
}

/* Block type helpers. */
static inline bool wlab_blocktype_is_empty(int64_t bt) { return bt == -64; }
static inline bool wlab_blocktype_is_valtype(int64_t bt) { return bt < 0 && bt != -64; }

/* Reads a value type (a reference type when ref_only), checking it against
 * features; on failure records "malformed value type" or "malformed
 * reference type" (or the reader's own error) in r's error. */
WLAB_API enum wlab_status wlab_read_valtype(struct wlab_reader *r, uint32_t features, bool ref_only,
					    wlab_valtype_t *out);
/* Reads a heap type (s33: a type index, or an abstract heap type's code). */
WLAB_API enum wlab_status wlab_read_heaptype(struct wlab_reader *r, uint32_t features,
					     wlab_heaptype_t *out);

#ifdef __cplusplus
}
#endif

#endif
