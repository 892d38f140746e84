/* test_instr.c: unit tests of the instruction iterator (instr.c) on every
 * immediate kind, feature gating, offsets and sizes, and malformed input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "util.h"
#include "wlab/instr.h"

/* Filler before each case: offsets are file offsets, not span offsets. */
#define PAD 5

#define MVP WLAB_FEATURE_MVP
#define DEF 0  /* the default features */
#define V20 WLAB_FEATURES_2_0  /* WebAssembly 2.0 */

struct instr_case {
	const char *name;
	uint32_t features;       /* the feature set; 0: the default set plus extra */
	uint32_t extra;
	uint8_t bytes[24];
	size_t len;              /* OK cases: exactly one instruction */
	struct wlab_instr want;  /* offset is ignored: every case starts at PAD */
	enum wlab_status st;
	size_t err_at;           /* from the case's first byte */
	const char *msg;
};

#define B(...) .bytes = {__VA_ARGS__}, .len = sizeof((uint8_t[]){__VA_ARGS__})
#define OK(...) .want = {__VA_ARGS__}, .st = WLAB_OK
#define BAD(at, m) .st = WLAB_MALFORMED, .err_at = (at), .msg = (m)
#define V16 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16
#define END "unexpected end"
#define ILLEGAL "illegal opcode"
#define ZERO "zero byte expected"
#define BADTYPE "malformed value type"
#define OP(x) .op = WLAB_OP_##x

static const struct instr_case cases[] = {
	/* no immediates */
	{"unreachable", DEF, 0, B(0x00), OK(OP(UNREACHABLE), .size = 1)},
	{"nop", DEF, 0, B(0x01), OK(OP(NOP), .size = 1)},
	{"else", DEF, 0, B(0x05), OK(OP(ELSE), .size = 1)},
	{"end", DEF, 0, B(0x0b), OK(OP(END), .size = 1)},
	{"i32.add", DEF, 0, B(0x6a), OK(OP(I32_ADD), .size = 1)},
	{"select", DEF, 0, B(0x1b), OK(OP(SELECT), .size = 1)},
	{"ref.is_null", DEF, 0, B(0xd1), OK(OP(REF_IS_NULL), .size = 1)},

	/* block types */
	{"block empty", DEF, 0, B(0x02, 0x40), OK(OP(BLOCK), .size = 2, .blocktype = -64)},
	{"loop i32", DEF, 0, B(0x03, 0x7f), OK(OP(LOOP), .size = 2, .blocktype = -1)},
	{"if i64", DEF, 0, B(0x04, 0x7e), OK(OP(IF), .size = 2, .blocktype = -2)},
	{"block f32", DEF, 0, B(0x02, 0x7d), OK(OP(BLOCK), .size = 2, .blocktype = -3)},
	{"block f64", DEF, 0, B(0x02, 0x7c), OK(OP(BLOCK), .size = 2, .blocktype = -4)},
	{"block v128", DEF, 0, B(0x02, 0x7b), OK(OP(BLOCK), .size = 2, .blocktype = -5)},
	{"block funcref", DEF, 0, B(0x02, 0x70), OK(OP(BLOCK), .size = 2, .blocktype = -16)},
	{"block externref", DEF, 0, B(0x02, 0x6f), OK(OP(BLOCK), .size = 2, .blocktype = -17)},
	{"block type index 0", DEF, 0, B(0x02, 0x00), OK(OP(BLOCK), .size = 2, .blocktype = 0)},
	{"block type index 200", DEF, 0, B(0x02, 0xc8, 0x01),
	 OK(OP(BLOCK), .size = 3, .blocktype = 200)},
	{"block type index 2^32-1", DEF, 0, B(0x02, 0xff, 0xff, 0xff, 0xff, 0x0f),
	 OK(OP(BLOCK), .size = 6, .blocktype = UINT32_MAX)},
	{"block type index too large", DEF, 0, B(0x02, 0xff, 0xff, 0xff, 0xff, 0x1f),
	 BAD(5, "integer too large")},
	{"block type too long", DEF, 0, B(0x02, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00),
	 BAD(5, "integer representation too long")},
	{"block type missing", DEF, 0, B(0x02), BAD(1, END)},
	{"block type 0x7a", DEF, 0, B(0x02, 0x7a), BAD(1, BADTYPE)},
	{"block type 0x41", DEF, 0, B(0x02, 0x41), BAD(1, BADTYPE)},
	{"block type -128 in two bytes", DEF, 0, B(0x02, 0x80, 0x7f), BAD(1, BADTYPE)},
	{"block type i32 in two bytes", DEF, 0, B(0x02, 0xff, 0x7f), BAD(1, BADTYPE)},
	{"block v128 without simd", MVP, 0, B(0x02, 0x7b),
	 BAD(1, "malformed value type: v128 needs the simd feature (--enable-simd)")},

	/* labels, functions, locals, globals, tables, tags */
	{"br", DEF, 0, B(0x0c, 0x03), OK(OP(BR), .size = 2, .index = 3)},
	{"br_if 128", DEF, 0, B(0x0d, 0x80, 0x01), OK(OP(BR_IF), .size = 3, .index = 128)},
	{"br missing label", DEF, 0, B(0x0c), BAD(1, END)},
	{"br_table", DEF, 0, B(0x0e, 0x02, 0x00, 0x01, 0x02),
	 OK(OP(BR_TABLE), .size = 5, .ntargets = 2, .targets = (const uint32_t[]){0, 1},
	    .index = 2)},
	{"br_table default only", DEF, 0, B(0x0e, 0x00, 0x05),
	 OK(OP(BR_TABLE), .size = 3, .ntargets = 0, .index = 5)},
	{"br_table big targets", DEF, 0,
	 B(0x0e, 0x02, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x80, 0x01, 0x00),
	 OK(OP(BR_TABLE), .size = 10, .ntargets = 2,
	    .targets = (const uint32_t[]){UINT32_MAX, 128})},
	{"br_table targets cut", DEF, 0, B(0x0e, 0x03, 0x00, 0x01), BAD(4, END)},
	{"br_table default missing", DEF, 0, B(0x0e, 0x01, 0x00), BAD(3, END)},
	{"br_table count 2^32-1", DEF, 0, B(0x0e, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x00), BAD(7, END)},
	{"call", DEF, 0, B(0x10, 0x05), OK(OP(CALL), .size = 2, .index = 5)},
	{"call_indirect", DEF, 0, B(0x11, 0x02, 0x00),
	 OK(OP(CALL_INDIRECT), .size = 3, .index = 2, .index2 = 0)},
	{"call_indirect table 3", DEF, 0, B(0x11, 0x02, 0x03),
	 OK(OP(CALL_INDIRECT), .size = 3, .index = 2, .index2 = 3)},
	{"call_indirect table missing", DEF, 0, B(0x11, 0x02), BAD(2, END)},
	{"call_indirect MVP", MVP, 0, B(0x11, 0x02, 0x00),
	 OK(OP(CALL_INDIRECT), .size = 3, .index = 2, .index2 = 0)},
	{"call_indirect MVP table 0x80 0x00", MVP, 0, B(0x11, 0x02, 0x80, 0x00), BAD(2, ZERO)},
	{"call_indirect MVP table 1", MVP, 0, B(0x11, 0x02, 0x01), BAD(2, ZERO)},
	{"call_indirect 2.0 table 0x80 0x00", V20, 0, B(0x11, 0x02, 0x80, 0x00),
	 OK(OP(CALL_INDIRECT), .size = 4, .index = 2, .index2 = 0)},
	{"return_call_indirect MVP table 0x80 0x00", MVP | WLAB_FEATURE_TAIL_CALL, 0,
	 B(0x13, 0x01, 0x80, 0x00), BAD(2, ZERO)},
	{"return_call", 0, WLAB_FEATURE_TAIL_CALL, B(0x12, 0x01),
	 OK(OP(RETURN_CALL), .size = 2, .index = 1)},
	{"return_call_indirect", 0, WLAB_FEATURE_TAIL_CALL, B(0x13, 0x01, 0x00),
	 OK(OP(RETURN_CALL_INDIRECT), .size = 3, .index = 1)},
	{"return_call without tail-call", WLAB_FEATURES_2_0, 0, B(0x12, 0x01),
	 BAD(0, "illegal opcode: return_call needs the tail-call feature (--enable-tail-call)")},
	{"local.get", DEF, 0, B(0x20, 0x00), OK(OP(LOCAL_GET), .size = 2)},
	{"local.set 2^32-1", DEF, 0, B(0x21, 0xff, 0xff, 0xff, 0xff, 0x0f),
	 OK(OP(LOCAL_SET), .size = 6, .index = UINT32_MAX)},
	{"local.tee", DEF, 0, B(0x22, 0x07), OK(OP(LOCAL_TEE), .size = 2, .index = 7)},
	{"global.get", DEF, 0, B(0x23, 0x01), OK(OP(GLOBAL_GET), .size = 2, .index = 1)},
	{"global.set", DEF, 0, B(0x24, 0x02), OK(OP(GLOBAL_SET), .size = 2, .index = 2)},
	{"table.get", DEF, 0, B(0x25, 0x02), OK(OP(TABLE_GET), .size = 2, .index = 2)},
	{"table.set", DEF, 0, B(0x26, 0x00), OK(OP(TABLE_SET), .size = 2)},
	{"try", 0, WLAB_FEATURE_EXCEPTIONS, B(0x06, 0x40),
	 OK(OP(TRY), .size = 2, .blocktype = -64)},
	{"catch", 0, WLAB_FEATURE_EXCEPTIONS, B(0x07, 0x01), OK(OP(CATCH), .size = 2, .index = 1)},
	{"throw", 0, WLAB_FEATURE_EXCEPTIONS, B(0x08, 0x00), OK(OP(THROW), .size = 2)},
	{"rethrow", 0, WLAB_FEATURE_EXCEPTIONS, B(0x09, 0x01),
	 OK(OP(RETHROW), .size = 2, .index = 1)},
	{"delegate", 0, WLAB_FEATURE_EXCEPTIONS, B(0x18, 0x00), OK(OP(DELEGATE), .size = 2)},
	{"catch_all", 0, WLAB_FEATURE_EXCEPTIONS, B(0x19), OK(OP(CATCH_ALL), .size = 1)},
	{"try without exceptions", V20, 0, B(0x06, 0x40),
	 BAD(0, "illegal opcode: try needs the exceptions feature (--enable-exceptions)")},

	/* select t* */
	{"select i32", DEF, 0, B(0x1c, 0x01, 0x7f),
	 OK(OP(SELECT_T), .size = 3, .ntypes = 1, .types = (const wlab_valtype_t[]){0x7f})},
	{"select i64 externref", DEF, 0, B(0x1c, 0x02, 0x7e, 0x6f),
	 OK(OP(SELECT_T), .size = 4, .ntypes = 2, .types = (const wlab_valtype_t[]){0x7e, 0x6f})},
	{"select no types", DEF, 0, B(0x1c, 0x00), OK(OP(SELECT_T), .size = 2, .ntypes = 0)},
	{"select types cut", DEF, 0, B(0x1c, 0x02, 0x7f), BAD(3, END)},
	{"select type 0x40", DEF, 0, B(0x1c, 0x01, 0x40), BAD(2, BADTYPE)},
	{"select 2nd type 0x00", DEF, 0, B(0x1c, 0x02, 0x7f, 0x00), BAD(3, BADTYPE)},
	{"select t without reference-types", MVP, 0, B(0x1c, 0x01, 0x7f),
	 BAD(0, "illegal opcode: select needs the reference-types feature (--enable-reference-types)")},

	/* memarg */
	{"i32.load", DEF, 0, B(0x28, 0x02, 0x10),
	 OK(OP(I32_LOAD), .size = 3, .memarg = {.align = 2, .offset = 16})},
	{"i64.store offset 2^32-1", DEF, 0, B(0x37, 0x03, 0xff, 0xff, 0xff, 0xff, 0x0f),
	 OK(OP(I64_STORE), .size = 7, .memarg = {.align = 3, .offset = UINT32_MAX})},
	{"i32.load offset 2^32", V20, 0, B(0x28, 0x02, 0x80, 0x80, 0x80, 0x80, 0x10),
	 BAD(6, "integer too large")},
	{"i32.load offset 2^32, memory64", 0, WLAB_FEATURE_MEMORY64,
	 B(0x28, 0x02, 0x80, 0x80, 0x80, 0x80, 0x10),
	 OK(OP(I32_LOAD), .size = 7, .memarg = {.align = 2, .offset = (uint64_t)1 << 32})},
	{"i32.load memory 1", 0, WLAB_FEATURE_MULTI_MEMORY, B(0x28, 0x42, 0x01, 0x04),
	 OK(OP(I32_LOAD), .size = 4, .memarg = {.align = 0x42, .memidx = 1, .offset = 4})},
	{"align bit 6 without multi-memory", V20, 0, B(0x28, 0x42, 0x01),
	 OK(OP(I32_LOAD), .size = 3, .memarg = {.align = 0x42, .offset = 1})},
	{"memarg offset missing", DEF, 0, B(0x28, 0x02), BAD(2, END)},
	/* 3.0 (multi-memory and memory64 by default): flags below 0x80, u64 offsets */
	{"i32.load offset 2^32 by default", DEF, 0, B(0x28, 0x02, 0x80, 0x80, 0x80, 0x80, 0x10),
	 OK(OP(I32_LOAD), .size = 7, .memarg = {.align = 2, .offset = (uint64_t)1 << 32})},
	{"i64.load offset 2^64-8", DEF, 0,
	 B(0x29, 0x03, 0xf8, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01),
	 OK(OP(I64_LOAD), .size = 12, .memarg = {.align = 3, .offset = UINT64_MAX - 7})},
	{"i64.load offset past 2^64", DEF, 0,
	 B(0x29, 0x03, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02),
	 BAD(11, "integer too large")},
	{"v128.load memory 2", DEF, 0, B(0xfd, 0x00, 0x44, 0x02, 0x08),
	 OK(OP(V128_LOAD), .size = 5, .memarg = {.align = 0x44, .memidx = 2, .offset = 8})},
	{"v128.load8_lane memory 1", DEF, 0, B(0xfd, 0x54, 0x40, 0x01, 0x00, 0x0f),
	 OK(OP(V128_LOAD8_LANE), .size = 6, .lane = 15,
	    .memarg = {.align = 0x40, .memidx = 1, .offset = 0})},
	{"memop flags 0x80", DEF, 0, B(0x28, 0x80, 0x01, 0x00), BAD(1, "malformed memop flags")},
	{"memop flags 0xff", DEF, 0, B(0x28, 0xff, 0x01, 0x00), BAD(1, "malformed memop flags")},
	{"memop flags 0x100", DEF, 0, B(0x28, 0x80, 0x02, 0x00), BAD(1, "integer too large")},
	{"memop memory index missing", DEF, 0, B(0x28, 0x42), BAD(2, END)},
	{"memarg align too long", DEF, 0, B(0x28, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00),
	 BAD(5, "integer representation too long")},

	/* memory index bytes */
	{"memory.size", DEF, 0, B(0x3f, 0x00), OK(OP(MEMORY_SIZE), .size = 2)},
	{"memory.grow", DEF, 0, B(0x40, 0x00), OK(OP(MEMORY_GROW), .size = 2)},
	{"memory.size 1", V20, 0, B(0x3f, 0x01), BAD(1, ZERO)},
	{"memory.grow 0x80 0x00", V20, 0, B(0x40, 0x80, 0x00), BAD(1, ZERO)},
	{"memory.size byte missing", DEF, 0, B(0x3f), BAD(1, END)},
	{"memory.size 1, multi-memory", 0, WLAB_FEATURE_MULTI_MEMORY, B(0x3f, 0x01),
	 OK(OP(MEMORY_SIZE), .size = 2, .index = 1)},
	{"memory.grow 0x80 0x00, multi-memory", 0, WLAB_FEATURE_MULTI_MEMORY, B(0x40, 0x80, 0x00),
	 OK(OP(MEMORY_GROW), .size = 3, .index = 0)},

	/* constants */
	{"i32.const 0", DEF, 0, B(0x41, 0x00), OK(OP(I32_CONST), .size = 2, .i32 = 0)},
	{"i32.const -1", DEF, 0, B(0x41, 0x7f), OK(OP(I32_CONST), .size = 2, .i32 = -1)},
	{"i32.const min", DEF, 0, B(0x41, 0x80, 0x80, 0x80, 0x80, 0x78),
	 OK(OP(I32_CONST), .size = 6, .i32 = INT32_MIN)},
	{"i32.const too large", DEF, 0, B(0x41, 0xff, 0xff, 0xff, 0xff, 0x0f),
	 BAD(5, "integer too large")},
	{"i32.const missing", DEF, 0, B(0x41), BAD(1, END)},
	{"i64.const min", DEF, 0,
	 B(0x42, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f),
	 OK(OP(I64_CONST), .size = 11, .i64 = INT64_MIN)},
	{"i64.const 2^32", DEF, 0, B(0x42, 0x80, 0x80, 0x80, 0x80, 0x10),
	 OK(OP(I64_CONST), .size = 6, .i64 = (int64_t)1 << 32)},
	{"f32.const 1", DEF, 0, B(0x43, 0x00, 0x00, 0x80, 0x3f),
	 OK(OP(F32_CONST), .size = 5, .f32 = 0x3f800000)},
	{"f32.const NaN payload", DEF, 0, B(0x43, 0x01, 0x00, 0xc0, 0x7f),
	 OK(OP(F32_CONST), .size = 5, .f32 = 0x7fc00001)},
	{"f32.const cut", DEF, 0, B(0x43, 0x00, 0x00), BAD(3, END)},
	{"f64.const 1", DEF, 0, B(0x44, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f),
	 OK(OP(F64_CONST), .size = 9, .f64 = 0x3ff0000000000000ull)},
	{"f64.const cut", DEF, 0, B(0x44, 0, 0, 0, 0, 0, 0, 0xf0), BAD(8, END)},

	/* references */
	{"ref.null func", DEF, 0, B(0xd0, 0x70), OK(OP(REF_NULL), .size = 2, .reftype = 0x70)},
	{"ref.null extern", DEF, 0, B(0xd0, 0x6f), OK(OP(REF_NULL), .size = 2, .reftype = 0x6f)},
	{"ref.null i32", DEF, 0, B(0xd0, 0x7f), BAD(1, "malformed reference type")},
	{"ref.null 0x40", DEF, 0, B(0xd0, 0x40), BAD(1, "malformed reference type")},
	{"ref.null missing", DEF, 0, B(0xd0), BAD(1, END)},
	{"ref.func", DEF, 0, B(0xd2, 0x03), OK(OP(REF_FUNC), .size = 2, .index = 3)},

	/* the 0xfc prefix */
	{"i32.trunc_sat_f32_s", DEF, 0, B(0xfc, 0x00), OK(OP(I32_TRUNC_SAT_F32_S), .size = 2)},
	{"0xfc code in two bytes", DEF, 0, B(0xfc, 0x80, 0x00),
	 OK(OP(I32_TRUNC_SAT_F32_S), .size = 3)},
	{"0xfc code in five bytes", DEF, 0, B(0xfc, 0x87, 0x80, 0x80, 0x80, 0x00),
	 OK(OP(I64_TRUNC_SAT_F64_U), .size = 6)},
	{"0xfc code too long", DEF, 0, B(0xfc, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00),
	 BAD(5, "integer representation too long")},
	{"0xfc code too large", DEF, 0, B(0xfc, 0xff, 0xff, 0xff, 0xff, 0x1f),
	 BAD(5, "integer too large")},
	{"0xfc code missing", DEF, 0, B(0xfc), BAD(1, END)},
	{"0xfc 0x12", DEF, 0, B(0xfc, 0x12), BAD(0, ILLEGAL)},
	{"0xfc 0x100", DEF, 0, B(0xfc, 0x80, 0x02), BAD(0, ILLEGAL)},
	{"sat without the feature", MVP, 0, B(0xfc, 0x00),
	 BAD(0, "illegal opcode: i32.trunc_sat_f32_s needs the saturating-float-to-int feature (--enable-saturating-float-to-int)")},
	{"memory.init", DEF, 0, B(0xfc, 0x08, 0x01, 0x00),
	 OK(OP(MEMORY_INIT), .size = 4, .index = 1, .index2 = 0)},
	{"memory.init memory 1", V20, 0, B(0xfc, 0x08, 0x01, 0x01), BAD(3, ZERO)},
	{"memory.init memory 1, multi-memory", 0, WLAB_FEATURE_MULTI_MEMORY,
	 B(0xfc, 0x08, 0x01, 0x01),
	 OK(OP(MEMORY_INIT), .size = 4, .index = 1, .index2 = 1)},
	{"data.drop", DEF, 0, B(0xfc, 0x09, 0x02), OK(OP(DATA_DROP), .size = 3, .index = 2)},
	{"memory.copy", DEF, 0, B(0xfc, 0x0a, 0x00, 0x00), OK(OP(MEMORY_COPY), .size = 4)},
	{"memory.copy source 1", V20, 0, B(0xfc, 0x0a, 0x00, 0x01), BAD(3, ZERO)},
	{"memory.copy dest 1", V20, 0, B(0xfc, 0x0a, 0x01, 0x00), BAD(2, ZERO)},
	{"memory.copy 1 2, multi-memory", 0, WLAB_FEATURE_MULTI_MEMORY, B(0xfc, 0x0a, 0x01, 0x02),
	 OK(OP(MEMORY_COPY), .size = 4, .index = 1, .index2 = 2)},
	{"memory.fill", DEF, 0, B(0xfc, 0x0b, 0x00), OK(OP(MEMORY_FILL), .size = 3)},
	{"memory.fill 1", V20, 0, B(0xfc, 0x0b, 0x01), BAD(2, ZERO)},
	{"table.init", DEF, 0, B(0xfc, 0x0c, 0x01, 0x02),
	 OK(OP(TABLE_INIT), .size = 4, .index = 1, .index2 = 2)},
	{"elem.drop", DEF, 0, B(0xfc, 0x0d, 0x03), OK(OP(ELEM_DROP), .size = 3, .index = 3)},
	{"table.copy", DEF, 0, B(0xfc, 0x0e, 0x01, 0x02),
	 OK(OP(TABLE_COPY), .size = 4, .index = 1, .index2 = 2)},
	{"table.grow", DEF, 0, B(0xfc, 0x0f, 0x01), OK(OP(TABLE_GROW), .size = 3, .index = 1)},
	{"table.size", DEF, 0, B(0xfc, 0x10, 0x00), OK(OP(TABLE_SIZE), .size = 3)},
	{"table.fill", DEF, 0, B(0xfc, 0x11, 0x04), OK(OP(TABLE_FILL), .size = 3, .index = 4)},
	{"table.init cut", DEF, 0, B(0xfc, 0x0c, 0x01), BAD(3, END)},

	/* the 0xfd prefix */
	{"v128.load", DEF, 0, B(0xfd, 0x00, 0x04, 0x00),
	 OK(OP(V128_LOAD), .size = 4, .memarg = {.align = 4})},
	{"v128.const", DEF, 0, B(0xfd, 0x0c, V16), OK(OP(V128_CONST), .size = 18, .v128 = {V16})},
	{"v128.const code in two bytes", DEF, 0, B(0xfd, 0x8c, 0x00, V16),
	 OK(OP(V128_CONST), .size = 19, .v128 = {V16})},
	{"v128.const cut", DEF, 0, B(0xfd, 0x0c, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15),
	 BAD(17, END)},
	{"i8x16.shuffle", DEF, 0,
	 B(0xfd, 0x0d, 0, 17, 1, 18, 2, 19, 3, 20, 4, 21, 5, 22, 6, 23, 7, 31),
	 OK(OP(I8X16_SHUFFLE), .size = 18,
	    .v128 = {0, 17, 1, 18, 2, 19, 3, 20, 4, 21, 5, 22, 6, 23, 7, 31})},
	{"i8x16.extract_lane_s 15", DEF, 0, B(0xfd, 0x15, 0x0f),
	 OK(OP(I8X16_EXTRACT_LANE_S), .size = 3, .lane = 15)},
	{"f64x2.replace_lane 255", DEF, 0, B(0xfd, 0x22, 0xff),
	 OK(OP(F64X2_REPLACE_LANE), .size = 3, .lane = 255)},
	{"extract_lane missing", DEF, 0, B(0xfd, 0x15), BAD(2, END)},
	{"v128.load8_lane", DEF, 0, B(0xfd, 0x54, 0x00, 0x00, 0x03),
	 OK(OP(V128_LOAD8_LANE), .size = 5, .lane = 3)},
	{"v128.store64_lane", DEF, 0, B(0xfd, 0x5b, 0x03, 0x08, 0x01),
	 OK(OP(V128_STORE64_LANE), .size = 5, .memarg = {.align = 3, .offset = 8}, .lane = 1)},
	{"v128.load32_lane lane missing", DEF, 0, B(0xfd, 0x56, 0x02, 0x00), BAD(4, END)},
	{"i32x4.add (two-byte code)", DEF, 0, B(0xfd, 0xae, 0x01), OK(OP(I32X4_ADD), .size = 3)},
	{"i16x8.abs (two-byte code)", DEF, 0, B(0xfd, 0x80, 0x01), OK(OP(I16X8_ABS), .size = 3)},
	{"0xfd code 2^32-1", DEF, 0, B(0xfd, 0xff, 0xff, 0xff, 0xff, 0x0f), BAD(0, ILLEGAL)},
	{"v128.const without simd", MVP, 0, B(0xfd, 0x0c, V16),
	 BAD(0, "illegal opcode: v128.const needs the simd feature (--enable-simd)")},

	/* unknown single-byte opcodes and feature gates */
	{"0xff", DEF, 0, B(0xff), BAD(0, ILLEGAL)},
	{"0x27", DEF, 0, B(0x27), BAD(0, ILLEGAL)},
	{"0x1d", DEF, 0, B(0x1d), BAD(0, ILLEGAL)},
	{"0xc5", DEF, 0, B(0xc5), BAD(0, ILLEGAL)},
	{"0xd3: ref.eq", DEF, 0, B(0xd3), OK(OP(REF_EQ), .size = 1)},
	{"0xd3 without gc", V20, 0, B(0xd3),
	 BAD(0, "illegal opcode: ref.eq needs the gc feature (--enable-gc)")},
	{"0xfe without threads", MVP, 0, B(0xfe, 0x00, 0x02, 0x00),
	 BAD(0, "illegal opcode: memory.atomic.notify needs the threads feature (--enable-threads)")},
	{"0xfe 0x04", DEF, 0, B(0xfe, 0x04), BAD(0, ILLEGAL)},
	{"0xfe 0x4f", DEF, 0, B(0xfe, 0x4f, 0x02, 0x00), BAD(0, ILLEGAL)},
	{"0xfe code missing", DEF, 0, B(0xfe), BAD(1, END)},
	{"memory.atomic.notify", DEF, 0, B(0xfe, 0x00, 0x02, 0x10),
	 OK(OP(MEMORY_ATOMIC_NOTIFY), .size = 4, .memarg = {.align = 2, .offset = 16})},
	{"i64.atomic.rmw32.cmpxchg_u", DEF, 0, B(0xfe, 0x4e, 0x02, 0x00),
	 OK(OP(I64_ATOMIC_RMW32_CMPXCHG_U), .size = 4, .memarg = {.align = 2})},
	{"i32.atomic.load code in two bytes", DEF, 0, B(0xfe, 0x90, 0x00, 0x02, 0x00),
	 OK(OP(I32_ATOMIC_LOAD), .size = 5, .memarg = {.align = 2})},
	{"i32.atomic.load memory 1, multi-memory", 0, WLAB_FEATURE_MULTI_MEMORY,
	 B(0xfe, 0x10, 0x42, 0x01, 0x08),
	 OK(OP(I32_ATOMIC_LOAD), .size = 5, .memarg = {.align = 0x42, .memidx = 1, .offset = 8})},
	{"i32.atomic.store offset missing", DEF, 0, B(0xfe, 0x17, 0x02), BAD(3, END)},
	{"atomic.fence", DEF, 0, B(0xfe, 0x03, 0x00), OK(OP(ATOMIC_FENCE), .size = 3)},
	{"atomic.fence 1", DEF, 0, B(0xfe, 0x03, 0x01), BAD(2, ZERO)},
	{"atomic.fence without its byte", DEF, 0, B(0xfe, 0x03), BAD(2, END)},
	{"i32.extend8_s without sign-ext", MVP, 0, B(0xc0),
	 BAD(0, "illegal opcode: i32.extend8_s needs the sign-ext feature (--enable-sign-ext)")},
	{"i32.extend8_s", DEF, 0, B(0xc0), OK(OP(I32_EXTEND8_S), .size = 1)},
	{"table.get without reference-types", MVP, 0, B(0x25, 0x00),
	 BAD(0, "illegal opcode: table.get needs the reference-types feature (--enable-reference-types)")},
	{"memory.copy without bulk-memory", MVP, 0, B(0xfc, 0x0a, 0x00, 0x00),
	 BAD(0, "illegal opcode: memory.copy needs the bulk-memory feature (--enable-bulk-memory)")},
	{"empty input", DEF, 0, .len = 0, BAD(0, END)},
};

static bool check_instr(const char *name, const struct wlab_instr *got,
			const struct wlab_instr *want, const uint8_t *buf)
{
	(void)buf;
	const struct wlab_opinfo *info = wlab_opinfo(got->op);
	if (got->op != want->op)
		return tu_row_failed(name, "op %s, want %s", info ? info->name : "?",
			      wlab_opinfo(want->op)->name);
	if (got->offset != PAD || got->size != want->size)
		return tu_row_failed(name, "at %u size %u, want at %u size %u",
				     (unsigned)got->offset, (unsigned)got->size, (unsigned)PAD,
				     (unsigned)want->size);
	if (got->index != want->index || got->index2 != want->index2)
		return tu_row_failed(name, "index %u, %u, want %u, %u", (unsigned)got->index,
			      (unsigned)got->index2, (unsigned)want->index, (unsigned)want->index2);
	if (got->blocktype != want->blocktype)
		return tu_row_failed(name, "blocktype %lld, want %lld", (long long)got->blocktype,
			      (long long)want->blocktype);
	if (got->memarg.align != want->memarg.align || got->memarg.memidx != want->memarg.memidx ||
	    got->memarg.offset != want->memarg.offset)
		return tu_row_failed(name, "memarg %u %u %llu", (unsigned)got->memarg.align,
			      (unsigned)got->memarg.memidx, (unsigned long long)got->memarg.offset);
	if (got->lane != want->lane || got->reftype != want->reftype)
		return tu_row_failed(name, "lane %u reftype 0x%x", got->lane, got->reftype);
	if (got->i32 != want->i32 || got->i64 != want->i64 || got->f32 != want->f32 ||
	    got->f64 != want->f64)
		return tu_row_failed(name, "constant mismatch");
	if (memcmp(got->v128, want->v128, 16) != 0)
		return tu_row_failed(name, "v128 bytes differ");
	if (got->ntargets != want->ntargets)
		return tu_row_failed(name, "%u targets, want %u", (unsigned)got->ntargets,
			      (unsigned)want->ntargets);
	if (want->ntargets && memcmp(got->targets, want->targets, want->ntargets * 4) != 0)
		return tu_row_failed(name, "targets differ");
	if (got->ntypes != want->ntypes)
		return tu_row_failed(name, "%u types, want %u", (unsigned)got->ntypes,
				     (unsigned)want->ntypes);
	if (want->ntypes && memcmp(got->types, want->types, want->ntypes * sizeof *want->types) != 0)
		return tu_row_failed(name, "types differ");
	return true;
}

static bool run_case(const struct instr_case *c)
{
	uint8_t buf[PAD + 32];
	struct wlab_error err = {0};
	struct wlab_instr_iter it;
	struct wlab_instr in;
	bool ok;
	uint32_t features = c->features ? c->features : wlab_features_default() | c->extra;
	memset(buf, 0x01, PAD);
	memcpy(buf + PAD, c->bytes, c->len);
	buf[PAD + c->len] = 0x0b;  /* past the span: must not be read */
	wlab_instr_iter_init(&it, buf, (struct wlab_span){PAD, (uint32_t)c->len}, features, &err);
	enum wlab_status st = wlab_instr_next(&it, &in);
	if (st != c->st)
		ok = tu_row_failed(c->name, "status %s, want %s (%s at 0x%zx)",
				   wlab_status_name(st), wlab_status_name(c->st), err.message,
				   err.offset);
	else if (st == WLAB_OK)
		ok = tu_check_ok(c->name, &err) && check_instr(c->name, &in, &c->want, buf) &&
		     (wlab_instr_iter_done(&it) ||
		      tu_row_failed(c->name, "%zu bytes left over", wlab_reader_left(&it.r)));
	else  /* the iterator stays at the instruction that failed */
		ok = tu_check_error(c->name, &err, c->st, PAD + c->err_at, c->msg) &&
		     (wlab_reader_offset(&it.r) == PAD ||
		      tu_row_failed(c->name, "iterator moved to %zu", wlab_reader_offset(&it.r)));
	wlab_instr_iter_fini(&it);
	return ok;
}

static void test_each_immediate_kind(void **state)
{
	(void)state;
	const size_t n = sizeof cases / sizeof cases[0];
	size_t failed = 0;
	for (size_t i = 0; i < n; i++)
		failed += !run_case(&cases[i]);
	tu_table_done("instructions", failed, n);
}

/* A sequence in a span that starts inside the module: offsets are file
 * offsets, sizes add up, and the iterator stops at the span's end. */
static void test_sequence_offsets(void **state)
{
	(void)state;
	static const uint8_t bytes[] = {
		0xaa, 0xaa, 0xaa,                    /* not in the span */
		0x02, 0x40,                          /* 3: block */
		0x41, 0x80, 0x01,                    /* 5: i32.const 128 */
		0x0e, 0x01, 0x00, 0x00,              /* 8: br_table 0 0 */
		0xfd, 0x0c, V16,                     /* 12: v128.const */
		0xfc, 0x0a, 0x00, 0x00,              /* 30: memory.copy */
		0x28, 0x02, 0x00,                    /* 34: i32.load */
		0x0b,                                /* 37: end */
		0x0b,                                /* 38: end */
		0xff,                                /* 39: not in the span */
	};
	static const struct {
		uint16_t op;
		uint32_t offset, size;
	} want[] = {
		{WLAB_OP_BLOCK, 3, 2}, {WLAB_OP_I32_CONST, 5, 3}, {WLAB_OP_BR_TABLE, 8, 4},
		{WLAB_OP_V128_CONST, 12, 18}, {WLAB_OP_MEMORY_COPY, 30, 4},
		{WLAB_OP_I32_LOAD, 34, 3},
		{WLAB_OP_END, 37, 1}, {WLAB_OP_END, 38, 1},
	};
	struct wlab_error err = {0};
	struct wlab_instr_iter it;
	struct wlab_instr in;
	size_t n = 0;
	wlab_instr_iter_init(&it, bytes, (struct wlab_span){3, 36}, 0, &err);
	assert_int_equal(it.features, wlab_features_default());
	while (!wlab_instr_iter_done(&it)) {
		assert_int_equal(wlab_instr_next(&it, &in), WLAB_OK);
		assert_true(n < sizeof want / sizeof want[0]);
		assert_int_equal(in.op, want[n].op);
		assert_int_equal(in.offset, want[n].offset);
		assert_int_equal(in.size, want[n].size);
		assert_int_equal(wlab_reader_offset(&it.r), in.offset + in.size);
		n++;
	}
	assert_int_equal(n, sizeof want / sizeof want[0]);
	/* Past the end: "unexpected end" at the span's end. */
	assert_int_equal(wlab_instr_next(&it, &in), WLAB_MALFORMED);
	tu_expect_error("past the end", &err, WLAB_MALFORMED, 39, "unexpected end");
	wlab_instr_iter_fini(&it);
	wlab_instr_iter_fini(&it);  /* twice is fine */
}

/* The br_table scratch grows and is reused; targets stay valid until the next call. */
static void test_br_table_scratch(void **state)
{
	(void)state;
	struct tu_buf b = {0};
	tu_byte(&b, 0x0e);
	tu_u32(&b, 300);
	for (uint32_t i = 0; i < 300; i++)
		tu_u32(&b, i * 1000);
	tu_u32(&b, 7);
	TU_PUT(&b, 0x0e, 0x02, 0x09, 0x08, 0x07);
	TU_PUT(&b, 0x0e, 0x00, 0x01);
	struct wlab_error err = {0};
	struct wlab_instr_iter it;
	struct wlab_instr in;
	wlab_instr_iter_init(&it, b.p, (struct wlab_span){0, (uint32_t)b.n}, 0, &err);
	assert_int_equal(wlab_instr_next(&it, &in), WLAB_OK);
	assert_int_equal(in.ntargets, 300);
	for (uint32_t i = 0; i < 300; i++)
		assert_int_equal(in.targets[i], i * 1000);
	assert_int_equal(in.index, 7);
	assert_int_equal(wlab_instr_next(&it, &in), WLAB_OK);
	assert_int_equal(in.ntargets, 2);
	assert_int_equal(in.targets[0], 9);
	assert_int_equal(in.targets[1], 8);
	assert_int_equal(in.index, 7);
	assert_int_equal(wlab_instr_next(&it, &in), WLAB_OK);
	assert_int_equal(in.ntargets, 0);
	assert_int_equal(in.index, 1);
	assert_true(wlab_instr_iter_done(&it));
	wlab_instr_iter_fini(&it);
	tu_buf_free(&b);
}

/* After a failure the iterator stays put and the first error stays recorded. */
static void test_error_stays(void **state)
{
	(void)state;
	static const uint8_t bytes[] = {0x01, 0x3f, 0x01, 0x0b};
	struct wlab_error err = {0};
	struct wlab_instr_iter it;
	struct wlab_instr in;
	wlab_instr_iter_init(&it, bytes, (struct wlab_span){0, sizeof bytes}, WLAB_FEATURES_2_0,
			     &err);
	assert_int_equal(wlab_instr_next(&it, &in), WLAB_OK);
	assert_int_equal(wlab_instr_next(&it, &in), WLAB_MALFORMED);
	tu_expect_error("memory.size 1", &err, WLAB_MALFORMED, 2, "zero byte expected");
	assert_int_equal(wlab_reader_offset(&it.r), 1);
	assert_int_equal(wlab_instr_next(&it, &in), WLAB_MALFORMED);
	tu_expect_error("again", &err, WLAB_MALFORMED, 2, "zero byte expected");
	wlab_instr_iter_fini(&it);

	/* Without an error record the status still says what went wrong. */
	wlab_instr_iter_init(&it, bytes, (struct wlab_span){1, 2}, WLAB_FEATURES_2_0, NULL);
	assert_int_equal(wlab_instr_next(&it, &in), WLAB_MALFORMED);
	wlab_instr_iter_fini(&it);
}

/* The block type helpers of instr.h. */
static void test_blocktype_helpers(void **state)
{
	(void)state;
	assert_true(wlab_blocktype_is_empty(-64));
	assert_false(wlab_blocktype_is_valtype(-64));
	assert_true(wlab_blocktype_is_valtype(-1));
	assert_false(wlab_blocktype_is_valtype(0));
	assert_false(wlab_blocktype_is_empty(0));
	assert_false(wlab_blocktype_is_valtype(UINT32_MAX));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_immediate_kind),
		cmocka_unit_test(test_sequence_offsets),
		cmocka_unit_test(test_br_table_scratch),
		cmocka_unit_test(test_error_stays),
		cmocka_unit_test(test_blocktype_helpers),
	};
	return cmocka_run_group_tests_name("instr", tests, NULL, NULL);
}
