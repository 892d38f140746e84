/* test_validate.c: unit tests of validate*.c: tricky typing cases (the
 * polymorphic stack, select, br_table arity, block params, ref.func
 * declarations), module rules, signatures derived from opcode names, deep
 * nesting, the memory cap, and the per-instruction hook the interpreter uses.
 * Each table row is one module: a function of type 0 with the given body. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "util.h"
#include "validate_internal.h"
#include "wlab/validate.h"

/* Module extras, on top of the type, function and code sections. */
enum {
	X_MEMORY = 1 << 0,     /* (memory 1) */
	X_TABLE = 1 << 1,      /* (table 1 funcref) */
	X_EXPORT = 1 << 2,     /* (export "f" (func 0)) */
	X_DECLARE = 1 << 3,    /* (elem declare func 0) */
	X_GLOBALREF = 1 << 4,  /* (global funcref (ref.func 0)) */
	X_GLOBALS = 1 << 5,    /* (global i32 (i32.const 0)) (global (mut i64) ...) */
	X_MEM64 = 1 << 6,      /* (memory i64 1), after X_MEMORY's if both */
	X_TABLE64 = 1 << 7,    /* (table i64 1 funcref), after X_TABLE's if both */
};

struct vcase {
	const char *name;
	const char *types[3];  /* "params:results" in letters; type 0 is the function's */
	const uint8_t *body;   /* the instructions, the final end included */
	size_t len;
	const char *locals;    /* one local per letter */
	unsigned extras;
	const char *msg;       /* NULL: valid */
	int at;                /* the error's offset within body; -1 unchecked */
};

#define BODY(...) .body = TU_ARR(__VA_ARGS__), .len = TU_LEN(__VA_ARGS__)
#define OK .msg = NULL
#define BAD(m, a) .msg = (m), .at = (a)
#define T1(a) .types = {a}
#define T2(a, b) .types = {a, b}

/* opcodes */
enum {
	UNREACH = 0x00, BLOCK = 0x02, LOOP = 0x03, IF = 0x04, ELSE = 0x05, END = 0x0b,
	BR = 0x0c, BR_IF = 0x0d, BR_TABLE = 0x0e, RETURN = 0x0f, DROP = 0x1a,
	SELECT = 0x1b, SELECT_T = 0x1c, LGET = 0x20, LSET = 0x21, GGET = 0x23,
	GSET = 0x24, I32LOAD = 0x28, I32C = 0x41, I64C = 0x42, F32C = 0x43,
	I32ADD = 0x6a, I64ADD = 0x7c, REFNULL = 0xd0, REFISNULL = 0xd1, REFFUNC = 0xd2,
	VOID = 0x40, I32 = 0x7f, I64 = 0x7e, F32 = 0x7d, F64 = 0x7c, V128 = 0x7b,
	FUNCREF = 0x70, EXTERNREF = 0x6f, SIMD = 0xfd, ATOMIC = 0xfe,
};

static const struct vcase cases[] = {
	/* the polymorphic stack of dead code */
	{"unreachable feeds any operands", T1(":i"), BODY(UNREACH, I32ADD, END), OK},
	{"unreachable then end with results", T1(":i"), BODY(UNREACH, END), OK},
	{"dead code still checks known operands", T1(":i"),
	 BODY(UNREACH, I64C, 0, I32ADD, END),
	 BAD("type mismatch in i32.add, expected [i32, i32] but got [i64]", 3)},
	{"dead code keeps values it pushes", T1(":"),
	 BODY(UNREACH, I32C, 0, END),
	 BAD("type mismatch at end of function, expected [] but got [i32]", 3)},
	{"br makes the rest dead", T1(":l"), BODY(I64C, 1, BR, 0, I32ADD, DROP, I64C, 2, END), OK},
	{"dead select yields unknown", T1(":l"),
	 BODY(UNREACH, SELECT, I64C, 0, I64ADD, END), OK},
	{"dead block pops unknown params", T2(":", "ii:"),
	 BODY(UNREACH, BLOCK, 1, DROP, DROP, END, END), OK},
	{"a new block is live again", T1(":"),
	 BODY(UNREACH, BLOCK, VOID, I32ADD, END, END),
	 BAD("type mismatch in i32.add, expected [i32, i32] but got []", 3)},

	/* select */
	{"select of i32", T1(":i"), BODY(I32C, 1, I32C, 2, I32C, 0, SELECT, END), OK},
	{"select of mixed types", T1(":i"),
	 BODY(I32C, 1, I64C, 2, I32C, 0, SELECT, END),
	 BAD("type mismatch in select, expected [i64, i64, i32] but got [i32, i64, i32]", 6)},
	{"untyped select of references", T1(":"),
	 BODY(REFNULL, FUNCREF, REFNULL, FUNCREF, I32C, 0, SELECT, DROP, END),
	 BAD("type mismatch in select, expected [any, any, i32] "
	     "but got [funcref, funcref, i32]", 6)},
	{"untyped select of a known reference in dead code", T1(":"),
	 BODY(UNREACH, REFNULL, FUNCREF, I32C, 0, SELECT, DROP, END),
	 BAD("type mismatch in select, expected [any, any, i32] but got [funcref, i32]", 5)},
	{"typed select of references", T1(":r"),
	 BODY(REFNULL, FUNCREF, REFNULL, FUNCREF, I32C, 0, SELECT_T, 1, FUNCREF, END), OK},
	{"typed select of two types", T1(":"),
	 BODY(I32C, 0, I32C, 0, I32C, 0, SELECT_T, 2, I32, I32, END),
	 BAD("invalid result arity", 6)},
	{"select of v128", T1(":v"),
	 BODY(SIMD, 0x0c, 0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0, SIMD, 0x0c,
	      0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0, I32C, 0, SELECT, END), OK},

	/* br_table */
	{"br_table to equal labels", T1(":i"),
	 BODY(BLOCK, I32, I32C, 1, I32C, 0, BR_TABLE, 1, 0, 0, END, END), OK},
	{"br_table arity differs", T1(":"),
	 BODY(BLOCK, I32, LOOP, VOID, I32C, 1, I32C, 0, BR_TABLE, 1, 0, 1, END, END, DROP, END),
	 BAD("type mismatch in br_table labels, expected [] but got [i32]", 8)},
	{"dead br_table to labels of different types", T1(":"),
	 BODY(BLOCK, F32, BLOCK, I32, UNREACH, I32C, 0, BR_TABLE, 1, 0, 1, END, DROP,
	      F32C, 0, 0, 0, 0, END, DROP, END), OK},
	{"br_table operand of the wrong type", T1(":"),
	 BODY(BLOCK, I32, BLOCK, I32, I64C, 0, I32C, 0, BR_TABLE, 1, 0, 1, END, DROP,
	      I32C, 0, END, DROP, END),
	 BAD("type mismatch in br_table, expected [i32] but got [i64]", 8)},
	{"br_table label out of range", T1(":"),
	 BODY(I32C, 0, BR_TABLE, 1, 0, 2, END), BAD("unknown label", 2)},

	/* block types with params (multi-value) */
	{"block takes params", T2(":i", "ii:i"),
	 BODY(I32C, 1, I32C, 2, BLOCK, 1, I32ADD, END, END), OK},
	{"block params missing", T2(":i", "ii:i"),
	 BODY(I32C, 1, BLOCK, 1, I32ADD, END, END),
	 BAD("type mismatch in block, expected [i32, i32] but got [i32]", 2)},
	{"block with two results", T2(":ii", ":ii"),
	 BODY(BLOCK, 1, I32C, 1, I32C, 2, END, END), OK},
	{"branch to a loop carries its params", T2(":i", "i:i"),
	 BODY(I32C, 1, LOOP, 1, I32C, 1, BR_IF, 0, END, END), OK},
	{"if without else must map params to results", T2(":i", "i:i"),
	 BODY(I32C, 1, I32C, 0, IF, 1, END, END), OK},
	{"if without else and a new result", T2(":i", ":i"),
	 BODY(I32C, 0, IF, 1, I32C, 1, END, END),
	 BAD("type mismatch in `if false` branch, expected [i32] but got []", 6)},
	{"else sees the params again", T2(":i", "i:i"),
	 BODY(I32C, 1, I32C, 0, IF, 1, ELSE, I32C, 1, I32ADD, END, END), OK},
	{"unknown block type", T1(":"), BODY(BLOCK, 5, END, END), BAD("unknown type 5", 0)},

	/* ref.func needs a declaration outside function bodies */
	{"undeclared ref.func", T1(":"), BODY(REFFUNC, 0, DROP, END),
	 BAD("undeclared function reference", 0)},
	{"ref.func declared by an export", T1(":"), BODY(REFFUNC, 0, DROP, END), .extras = X_EXPORT, OK},
	{"ref.func declared by an elem segment", T1(":"), BODY(REFFUNC, 0, DROP, END),
	 .extras = X_DECLARE, OK},
	{"ref.func declared by a global", T1(":"), BODY(REFFUNC, 0, DROP, END),
	 .extras = X_GLOBALREF, OK},
	{"ref.func of no function", T1(":"), BODY(REFFUNC, 5, DROP, END),
	 .extras = X_EXPORT, BAD("unknown function 5", 0)},
	{"ref.is_null of a number", T1(":"), BODY(I32C, 0, REFISNULL, DROP, END),
	 BAD("type mismatch in ref.is_null, expected [reference] but got [i32]", 2)},

	/* variables, memory, lanes */
	{"locals after params", T1("l:d"), BODY(LGET, 2, END), .locals = "id", OK},
	{"local past the last", T1("l:"), BODY(LGET, 3, DROP, END), .locals = "id",
	 BAD("unknown local 3", 0)},
	{"local of the wrong type", T1("l:"), BODY(I32C, 0, LSET, 0, END),
	 BAD("type mismatch in local.set, expected [i64] but got [i32]", 2)},
	{"global.set of an immutable global", T1(":"), BODY(I32C, 0, GSET, 0, END),
	 .extras = X_GLOBALS, BAD("global is immutable", 2)},
	{"global.set of a mutable global", T1(":"), BODY(I64C, 0, GSET, 1, END),
	 .extras = X_GLOBALS, OK},
	{"load without memory", T1(":"), BODY(I32C, 0, I32LOAD, 2, 0, DROP, END),
	 BAD("unknown memory 0", 2)},
	{"load over-aligned", T1(":"), BODY(I32C, 0, I32LOAD, 3, 0, DROP, END),
	 .extras = X_MEMORY, BAD("alignment must not be larger than natural", 2)},
	{"extract lane 16 of i8x16", T1(":"),
	 BODY(SIMD, 0x0c, 0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0, SIMD, 0x15, 16, DROP, END),
	 BAD("invalid lane index", 18)},
	{"return checks the results", T1(":i"), BODY(I64C, 0, RETURN, END),
	 BAD("type mismatch in return, expected [i32] but got [i64]", 2)},

	/* threads: an atomic's alignment must be its natural one, exactly */
	{"i32.atomic.load naturally aligned", T1(":i"), BODY(I32C, 0, ATOMIC, 0x10, 2, 0, END),
	 .extras = X_MEMORY, OK},
	{"i32.atomic.load under-aligned", T1(":i"), BODY(I32C, 0, ATOMIC, 0x10, 1, 0, END),
	 .extras = X_MEMORY, BAD("atomic alignment must be natural", 2)},
	{"i64.atomic.load over-aligned", T1(":l"), BODY(I32C, 0, ATOMIC, 0x11, 4, 0, END),
	 .extras = X_MEMORY, BAD("atomic alignment must be natural", 2)},
	{"i32.atomic.load without memory", T1(":i"), BODY(I32C, 0, ATOMIC, 0x10, 2, 0, END),
	 BAD("unknown memory 0", 2)},
	{"i64.atomic.rmw8.add_u takes i64", T1(":l"),
	 BODY(I32C, 0, I64C, 1, ATOMIC, 0x22, 0, 0, END), .extras = X_MEMORY, OK},
	{"i64.atomic.rmw8.add_u of an i32", T1(":l"),
	 BODY(I32C, 0, I32C, 1, ATOMIC, 0x22, 0, 0, END), .extras = X_MEMORY,
	 BAD("type mismatch in i64.atomic.rmw8.add_u, expected [i32, i64] but got [i32, i32]", 4)},
	{"i32.atomic.rmw.cmpxchg pops three", T1(":i"),
	 BODY(I32C, 0, I32C, 1, I32C, 2, ATOMIC, 0x48, 2, 0, END), .extras = X_MEMORY, OK},
	{"i64.atomic.store16 pushes nothing", T1(":"),
	 BODY(I32C, 0, I64C, 1, ATOMIC, 0x1c, 1, 0, END), .extras = X_MEMORY, OK},
	{"memory.atomic.wait64 on an unshared memory validates", T1(":i"),
	 BODY(I32C, 0, I64C, 0, I64C, 0, ATOMIC, 0x02, 3, 0, END), .extras = X_MEMORY, OK},
	{"memory.atomic.wait32 with an i64 expected value", T1(":i"),
	 BODY(I32C, 0, I64C, 0, I64C, 0, ATOMIC, 0x01, 2, 0, END), .extras = X_MEMORY,
	 BAD("type mismatch in memory.atomic.wait32, expected [i32, i32, i64] "
	     "but got [i32, i64, i64]", 6)},
	{"memory.atomic.notify over-aligned", T1(":i"),
	 BODY(I32C, 0, I32C, 0, ATOMIC, 0x00, 3, 0, END), .extras = X_MEMORY,
	 BAD("atomic alignment must be natural", 4)},
	{"atomic.fence needs no memory", T1(":"), BODY(ATOMIC, 0x03, 0, END), OK},

	/* memory64, table64 and multi-memory: the address type follows the index */
	{"i32.load on memory64 takes an i64", T1(":i"), BODY(I64C, 0, I32LOAD, 2, 0, END),
	 .extras = X_MEM64, OK},
	{"i32.load on memory64 of an i32", T1(":i"), BODY(I32C, 0, I32LOAD, 2, 0, END),
	 .extras = X_MEM64, BAD("type mismatch in i32.load, expected [i64] but got [i32]", 2)},
	{"i32.load offset 2^32 on memory32", T1(":i"),
	 BODY(I32C, 0, I32LOAD, 2, 0x80, 0x80, 0x80, 0x80, 0x10, END),
	 .extras = X_MEMORY, BAD("offset out of range", 2)},
	{"i32.load offset 2^64-1 on memory64", T1(":i"),
	 BODY(I64C, 0, I32LOAD, 2, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01,
	      END), .extras = X_MEM64, OK},
	{"i32.load memory 1 (i64) via flags bit 6", T1(":i"),
	 BODY(I64C, 0, I32LOAD, 0x42, 1, 0, END), .extras = X_MEMORY | X_MEM64, OK},
	{"i32.load memory 2 unknown", T1(":i"), BODY(I32C, 0, I32LOAD, 0x42, 2, 0, END),
	 .extras = X_MEMORY | X_MEM64, BAD("unknown memory 2", 2)},
	{"v128.store memory 1 (i64)", T1(":"),
	 BODY(I64C, 0, SIMD, 0x0c, 0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0, SIMD, 0x0b, 0x44, 1, 0, END),
	 .extras = X_MEMORY | X_MEM64, OK},
	{"memory.size of memory64 is an i64", T1(":l"), BODY(0x3f, 0, END), .extras = X_MEM64, OK},
	{"memory.grow of memory64 takes an i32", T1(":l"), BODY(I32C, 1, 0x40, 0, END),
	 .extras = X_MEM64, BAD("type mismatch in memory.grow, expected [i64] but got [i32]", 2)},
	{"memory.grow 1 (i64)", T1(":l"), BODY(I64C, 1, 0x40, 1, END),
	 .extras = X_MEMORY | X_MEM64, OK},
	{"memory.fill on memory64: [i64 i32 i64]", T1(":"),
	 BODY(I64C, 0, I32C, 0, I64C, 0, 0xfc, 0x0b, 0, END), .extras = X_MEM64, OK},
	{"memory.copy 32 <- 64: n is an i32", T1(":"),
	 BODY(I32C, 0, I64C, 0, I32C, 0, 0xfc, 0x0a, 0, 1, END), .extras = X_MEMORY | X_MEM64, OK},
	{"memory.copy 64 <- 32: n of i64 is a mismatch", T1(":"),
	 BODY(I64C, 0, I32C, 0, I64C, 0, 0xfc, 0x0a, 1, 0, END), .extras = X_MEMORY | X_MEM64,
	 BAD("type mismatch in memory.copy, expected [i64, i32, i32] but got [i64, i32, i64]", 6)},
	{"memory.copy 64 <- 64: n is an i64", T1(":"),
	 BODY(I64C, 0, I64C, 0, I64C, 0, 0xfc, 0x0a, 1, 1, END), .extras = X_MEMORY | X_MEM64, OK},
	{"table.size of table64 is an i64", T1(":l"), BODY(0xfc, 0x10, 0, END),
	 .extras = X_TABLE64, OK},
	{"table.get of table64 takes an i64", T1(":"), BODY(I64C, 0, 0x25, 0, DROP, END),
	 .extras = X_TABLE64, OK},
	{"table.get of table64 of an i32", T1(":"), BODY(I32C, 0, 0x25, 0, DROP, END),
	 .extras = X_TABLE64, BAD("type mismatch in table.get, expected [i64] but got [i32]", 2)},
	{"call_indirect through table64 takes an i64", T1(":"), BODY(I64C, 0, 0x11, 0, 0, END),
	 .extras = X_TABLE64, OK},
	{"call_indirect through table64 of an i32", T1(":"), BODY(I32C, 0, 0x11, 0, 0, END),
	 .extras = X_TABLE64,
	 BAD("type mismatch in call_indirect, expected [i64] but got [i32]", 2)},
	{"table.copy 32 <- 64: n is an i32", T1(":"),
	 BODY(I32C, 0, I64C, 0, I32C, 0, 0xfc, 0x0e, 0, 1, END), .extras = X_TABLE | X_TABLE64,
	 OK},
	{"br past the body", T1(":"), BODY(BR, 1, END), BAD("unknown label", 0)},

	/* what a type mismatch says: wabt's "in OP, expected [..] but got [..]",
	 * got being what the frame's stack held for those operands */
	{"mismatch: an operand", T1(":i"), BODY(I64C, 1, I32C, 2, I32ADD, END),
	 BAD("type mismatch in i32.add, expected [i32, i32] but got [i64, i32]", 4)},
	{"mismatch: a block's result at its end", T1(":i"),
	 BODY(BLOCK, I32, I64C, 1, END, END),
	 BAD("type mismatch in block, expected [i32] but got [i64]", 4)},
	{"mismatch: the function's result at its end", T1(":i"), BODY(I64C, 1, END),
	 BAD("type mismatch in implicit return, expected [i32] but got [i64]", 2)},
	{"mismatch: too many values at the end of the function", T1(":"),
	 BODY(I32C, 1, END), BAD("type mismatch at end of function, expected [] but got [i32]", 2)},
	{"mismatch: too many values at the end of a block", T1(":i"),
	 BODY(BLOCK, I32, I32C, 1, I32C, 2, END, END),
	 BAD("type mismatch at end of block, expected [] but got [i32]", 6)},
	{"mismatch: too many values at the end of a loop", T1(":"),
	 BODY(LOOP, VOID, F32C, 0, 0, 0, 0, END, END),
	 BAD("type mismatch at end of loop, expected [] but got [f32]", 7)},
	{"mismatch: the then branch's result at else", T1(":i"),
	 BODY(I32C, 0, IF, I32, I64C, 0, ELSE, I32C, 0, END, END),
	 BAD("type mismatch in `if true` branch, expected [i32] but got [i64]", 6)},
	{"mismatch: a br's label", T1(":i"), BODY(BLOCK, I32, I64C, 1, BR, 0, END, END),
	 BAD("type mismatch in br, expected [i32] but got [i64]", 4)},
	{"mismatch: br_if's condition", T1(":"), BODY(BLOCK, VOID, I64C, 0, BR_IF, 0, END, END),
	 BAD("type mismatch in br_if, expected [i32] but got [i64]", 4)},
	{"mismatch: br_if's label after its condition", T1(":i"),
	 BODY(BLOCK, I32, F32C, 0, 0, 0, 0, I32C, 0, BR_IF, 0, END, END),
	 BAD("type mismatch in br_if, expected [i32] but got [f32]", 9)},
	{"mismatch: if's condition", T1(":"), BODY(I64C, 0, IF, VOID, END, END),
	 BAD("type mismatch in if, expected [i32] but got [i64]", 2)},
	{"mismatch: call's arguments", T1("il:"), BODY(I64C, 1, I32C, 2, 0x10, 0, END),
	 BAD("type mismatch in call, expected [i32, i64] but got [i64, i32]", 4)},
	{"mismatch: select's condition", T1(":i"),
	 BODY(I32C, 1, I32C, 2, I64C, 0, SELECT, END),
	 BAD("type mismatch in select, expected [i32, i32, i32] but got [i32, i32, i64]", 6)},
	{"mismatch: local.tee of an empty stack", T1(":"), BODY(LGET, 0, DROP, 0x22, 0, DROP, END),
	 .locals = "d", BAD("type mismatch in local.tee, expected [f64] but got []", 3)},
	{"mismatch: global.set", T1(":"), BODY(I32C, 0, GSET, 1, END), .extras = X_GLOBALS,
	 BAD("type mismatch in global.set, expected [i64] but got [i32]", 2)},
	{"mismatch: table.set's reference", T1(":"),
	 BODY(I32C, 0, REFNULL, EXTERNREF, 0x26, 0, END), .extras = X_TABLE,
	 BAD("type mismatch in table.set, expected [i32, funcref] but got [i32, externref]", 4)},
	{"mismatch: a long list keeps its first types, \"...\" and its last",
	 T1("llllllllllllllllllllllllllllllllllllllll:"), BODY(0x10, 0, END),
	 BAD("type mismatch in call, expected [i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, "
	     "i64, i64, i64, i64, i64, i64, i64, ..., i64] but got []", 0)},
};

static void put_types(struct tu_buf *p, const char *sig)
{
	const char *colon = strchr(sig, ':');
	static const char letters[] = "ilfdvre";
	static const uint8_t codes[] = {I32, I64, F32, F64, V128, FUNCREF, EXTERNREF};
	tu_byte(p, 0x60);
	for (int part = 0; part < 2; part++) {
		const char *s = part ? colon + 1 : sig;
		size_t n = part ? strlen(s) : (size_t)(colon - sig);
		tu_u32(p, (uint32_t)n);
		for (size_t i = 0; i < n; i++)
			tu_byte(p, codes[strchr(letters, s[i]) - letters]);
	}
}

static void put_code(struct tu_buf *b, struct tu_buf *p, const struct vcase *c,
		     size_t *body_at)
{
	static const char letters[] = "ilfdvre";
	static const uint8_t codes[] = {I32, I64, F32, F64, V128, FUNCREF, EXTERNREF};
	struct tu_buf fn = {0};
	size_t nlocals = c->locals ? strlen(c->locals) : 0;
	tu_u32(&fn, (uint32_t)nlocals);
	for (size_t i = 0; i < nlocals; i++) {
		tu_u32(&fn, 1);
		tu_byte(&fn, codes[strchr(letters, c->locals[i]) - letters]);
	}
	size_t locals_len = fn.n;
	tu_bytes(&fn, c->body, c->len);
	tu_buf_reset(p);
	tu_u32(p, 1);
	tu_u32(p, (uint32_t)fn.n);
	size_t in_payload = p->n + locals_len;
	tu_bytes(p, fn.p, fn.n);
	tu_section(b, 10, p);
	*body_at = b->n - p->n + in_payload;  /* the payload ends the module */
	tu_buf_free(&fn);
}

/* Builds c's module into b; *body_at is the file offset of the body's first instruction. */
static void build(struct tu_buf *b, const struct vcase *c, size_t *body_at)
{
	struct tu_buf p = {0};
	tu_header(b);
	size_t ntypes = 0;
	while (ntypes < 3 && c->types[ntypes])
		ntypes++;
	tu_u32(&p, (uint32_t)ntypes);
	for (size_t i = 0; i < ntypes; i++)
		put_types(&p, c->types[i]);
	tu_section(b, 1, &p);
	tu_section_raw(b, 3, TU_ARR(1, 0), 2);
	if ((c->extras & X_TABLE) && (c->extras & X_TABLE64))
		tu_section_raw(b, 4, TU_ARR(2, FUNCREF, 0, 1, FUNCREF, 4, 1), 7);
	else if (c->extras & X_TABLE)
		tu_section_raw(b, 4, TU_ARR(1, FUNCREF, 0, 1), 4);
	else if (c->extras & X_TABLE64)
		tu_section_raw(b, 4, TU_ARR(1, FUNCREF, 4, 1), 4);
	if ((c->extras & X_MEMORY) && (c->extras & X_MEM64))
		tu_section_raw(b, 5, TU_ARR(2, 0, 1, 4, 1), 5);
	else if (c->extras & X_MEMORY)
		tu_section_raw(b, 5, TU_ARR(1, 0, 1), 3);
	else if (c->extras & X_MEM64)
		tu_section_raw(b, 5, TU_ARR(1, 4, 1), 3);
	if (c->extras & X_GLOBALREF)
		tu_section_raw(b, 6, TU_ARR(1, FUNCREF, 0, REFFUNC, 0, END), 6);
	if (c->extras & X_GLOBALS)
		tu_section_raw(b, 6, TU_ARR(2, I32, 0, I32C, 0, END, I64, 1, I64C, 0, END), 11);
	if (c->extras & X_EXPORT)
		tu_section_raw(b, 7, TU_ARR(1, 1, 'f', 0, 0), 5);
	if (c->extras & X_DECLARE)
		tu_section_raw(b, 9, TU_ARR(1, 3, 0, 1, 0), 5);
	put_code(b, &p, c, body_at);
	tu_buf_free(&p);
}

static void run_case(const struct vcase *c)
{
	struct tu_buf b = {0};
	struct wlab_module *m = NULL;
	struct wlab_error derr = {0};
	struct wlab_validate_error verr;
	size_t body_at;
	build(&b, c, &body_at);
	if (tu_decode(&b, NULL, &m, &derr) != WLAB_OK)
		fail_msg("%s: does not decode: %s at 0x%zx", c->name, derr.message, derr.offset);
	enum wlab_status st = wlab_module_validate(m, NULL, &verr);
	if (!c->msg) {
		if (st != WLAB_OK)
			fail_msg("%s: expected valid, got \"%s\" at 0x%zx", c->name,
				 verr.error.message, verr.error.offset);
	} else {
		if (st != WLAB_INVALID || strcmp(verr.error.message, c->msg) != 0)
			fail_msg("%s: expected \"%s\", got status %d \"%s\"", c->name, c->msg,
				 st, verr.error.message);
		if (c->at >= 0 && verr.error.offset != body_at + (size_t)c->at)
			fail_msg("%s: error at 0x%zx, expected 0x%zx", c->name,
				 verr.error.offset, body_at + (size_t)c->at);
		if (verr.func != 0)
			fail_msg("%s: error in func %u, expected 0", c->name, verr.func);
	}
	wlab_module_free(m);
	tu_buf_free(&b);
}

static void test_typing_case(void **state)
{
	run_case(*state);
}

/* ---- module-level rules, as whole modules ---- */

#define HDR 0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00
#define TYPE_VOID 0x01, 0x04, 0x01, 0x60, 0x00, 0x00   /* (type (func)) */
#define FUNC0 0x03, 0x02, 0x01, 0x00                   /* one function of type 0 */
#define CODE_NOP 0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b    /* its empty body */

struct mcase {
	const char *name;
	const uint8_t *bytes;
	size_t len;
	uint32_t features;     /* on top of the default set; V20: of WebAssembly 2.0 */
	const char *msg;       /* NULL: valid */
	size_t at;
	uint32_t off;          /* taken from the default set (2.0 rules) */
	bool in_body;          /* the error is in function 0's body, not outside */
};

#define MOD(...) .bytes = TU_ARR(HDR, __VA_ARGS__), .len = TU_LEN(HDR, __VA_ARGS__)
#define EXT WLAB_FEATURE_EXTENDED_CONST
#define GC WLAB_FEATURE_GC
#define MULTIMEM WLAB_FEATURE_MULTI_MEMORY
#define V20 (1u << 31)  /* no feature bit: 2.0 instead of the default set */

static const struct mcase module_cases[] = {
	{"duplicate export name",
	 MOD(TYPE_VOID, FUNC0, 0x07, 0x09, 0x02, 0x01, 'a', 0x00, 0x00, 0x01, 'a', 0x00, 0x00,
	     CODE_NOP), 0, "duplicate export name", 25},
	{"export of no function",
	 MOD(TYPE_VOID, FUNC0, 0x07, 0x05, 0x01, 0x01, 'a', 0x00, 0x01, CODE_NOP), 0,
	 "unknown function 1", 21},
	{"memory past 4GiB", MOD(0x05, 0x05, 0x01, 0x00, 0x81, 0x80, 0x04), 0,
	 "memory size must be at most 65536 pages (4GiB)", 11},
	{"memory at 4GiB", MOD(0x05, 0x05, 0x01, 0x00, 0x80, 0x80, 0x04), 0, NULL, 0},
	{"memory minimum above maximum", MOD(0x05, 0x04, 0x01, 0x01, 0x02, 0x01), 0,
	 "size minimum must not be greater than maximum", 11},
	{"shared memory without maximum", MOD(0x05, 0x03, 0x01, 0x02, 0x01), 0,
	 "shared memory must have maximum", 11},
	{"shared memory 1 2", MOD(0x05, 0x04, 0x01, 0x03, 0x01, 0x02), 0, NULL, 0},
	{"two memories in 2.0", MOD(0x05, 0x05, 0x02, 0x00, 0x00, 0x00, 0x00), V20,
	 "multiple memories", 13},
	{"two memories by default", MOD(0x05, 0x05, 0x02, 0x00, 0x00, 0x00, 0x00), 0, NULL, 0},
	{"memory64 of 2^48 pages", MOD(0x05, 0x09, 0x01, 0x04, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
	 0x40), 0, NULL, 0},
	{"memory64 past 2^48 pages", MOD(0x05, 0x09, 0x01, 0x04, 0x81, 0x80, 0x80, 0x80, 0x80,
	 0x80, 0x40), 0, "memory size must be at most 2^48 pages", 11},
	{"memory32 of 2^32 pages (u64 bounds in 3.0)", MOD(0x05, 0x07, 0x01, 0x00, 0x80, 0x80,
	 0x80, 0x80, 0x10), 0, "memory size must be at most 65536 pages (4GiB)", 11},
	{"table32 of 2^32 entries", MOD(0x04, 0x08, 0x01, 0x70, 0x00, 0x80, 0x80, 0x80, 0x80,
	 0x10), 0, "table size must be at most 2^32-1", 11},
	{"table64 past 2^32 entries", MOD(0x04, 0x09, 0x01, 0x70, 0x04, 0x80, 0x80, 0x80, 0x80,
	 0x80, 0x01), 0, NULL, 0},
	{"data offset i64 on memory64", MOD(0x05, 0x03, 0x01, 0x04, 0x01,
	 0x0b, 0x07, 0x01, 0x00, 0x42, 0x00, 0x0b, 0x01, 0x61), 0, NULL, 0},
	{"data offset i32 on memory64", MOD(0x05, 0x03, 0x01, 0x04, 0x01,
	 0x0b, 0x07, 0x01, 0x00, 0x41, 0x00, 0x0b, 0x01, 0x61), 0,
	 "type mismatch in initializer expression, expected [i64] but got [i32]", 19},
	{"two memories with multi-memory", MOD(0x05, 0x05, 0x02, 0x00, 0x00, 0x00, 0x00),
	 MULTIMEM, NULL, 0},
	{"start function with a param",
	 MOD(0x01, 0x05, 0x01, 0x60, 0x01, 0x7f, 0x00, FUNC0, 0x08, 0x01, 0x00,
	     0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b), 0,
	 "start function must not have parameters or results", 19},
	{"arithmetic in a global initializer without extended-const",
	 MOD(0x06, 0x09, 0x01, 0x7f, 0x00, 0x41, 0x00, 0x41, 0x00, 0x6a, 0x0b), 0,
	 "constant expression required", 17, .off = EXT},
	{"arithmetic in a global initializer with extended-const",
	 MOD(0x06, 0x09, 0x01, 0x7f, 0x00, 0x41, 0x00, 0x41, 0x00, 0x6a, 0x0b), EXT, NULL, 0},
	{"i64.mul into an i32 global",
	 MOD(0x06, 0x09, 0x01, 0x7f, 0x00, 0x42, 0x02, 0x42, 0x03, 0x7e, 0x0b), 0,
	 "type mismatch in initializer expression, expected [i32] but got [i64]", 18},
	{"i32.sub missing an operand",
	 MOD(0x06, 0x07, 0x01, 0x7f, 0x00, 0x41, 0x02, 0x6b, 0x0b), 0,
	 "type mismatch in i32.sub, expected [i32, i32] but got [i32]", 15},
	{"a data offset of i32.mul and a defined global",
	 MOD(0x05, 0x03, 0x01, 0x00, 0x01, 0x06, 0x06, 0x01, 0x7f, 0x00, 0x41, 0x04, 0x0b,
	     0x0b, 0x0b, 0x01, 0x00, 0x23, 0x00, 0x41, 0x02, 0x6c, 0x0b, 0x02, 0x61, 0x62), 0,
	 NULL, 0},
	{"a data offset reads a defined global, 2.0",
	 MOD(0x05, 0x03, 0x01, 0x00, 0x01, 0x06, 0x06, 0x01, 0x7f, 0x00, 0x41, 0x04, 0x0b,
	     0x0b, 0x08, 0x01, 0x00, 0x23, 0x00, 0x0b, 0x02, 0x61, 0x62), 0,
	 "unknown global 0", 25, .off = EXT | GC},
	/* gc brought the rule (wasmtime's misc_testsuite/issue11561.wast
	 * enables gc, not extended-const) */
	{"a data offset reads a defined global, gc without extended-const",
	 MOD(0x05, 0x03, 0x01, 0x00, 0x01, 0x06, 0x06, 0x01, 0x7f, 0x00, 0x41, 0x04, 0x0b,
	     0x0b, 0x08, 0x01, 0x00, 0x23, 0x00, 0x0b, 0x02, 0x61, 0x62), 0, NULL, 0, .off = EXT},
	{"global initializer of the wrong type",
	 MOD(0x06, 0x06, 0x01, 0x7e, 0x00, 0x41, 0x00, 0x0b), 0,
	 "type mismatch in initializer expression, expected [i64] but got [i32]", 15},
	{"global initializer reads a defined global, 2.0",
	 MOD(0x06, 0x0b, 0x02, 0x7f, 0x00, 0x41, 0x00, 0x0b, 0x7f, 0x00, 0x23, 0x00, 0x0b), 0,
	 "unknown global 0", 18, .off = EXT | GC},
	{"global initializer reads an earlier defined global, gc without extended-const",
	 MOD(0x06, 0x0b, 0x02, 0x7f, 0x00, 0x41, 0x00, 0x0b, 0x7f, 0x00, 0x23, 0x00, 0x0b), 0,
	 NULL, 0, .off = EXT},
	{"global initializer reads an earlier defined global, 3.0",
	 MOD(0x06, 0x0b, 0x02, 0x7f, 0x00, 0x41, 0x00, 0x0b, 0x7f, 0x00, 0x23, 0x00, 0x0b), 0,
	 NULL, 0},
	{"global initializer reads a later global",
	 MOD(0x06, 0x0b, 0x02, 0x7f, 0x00, 0x23, 0x01, 0x0b, 0x7f, 0x00, 0x41, 0x00, 0x0b), 0,
	 "unknown global 1", 13},
	{"global initializer reads itself",
	 MOD(0x06, 0x06, 0x01, 0x7f, 0x00, 0x23, 0x00, 0x0b), 0, "unknown global 0", 13},
	{"global initializer reads an earlier mutable global",
	 MOD(0x06, 0x0b, 0x02, 0x7f, 0x01, 0x41, 0x00, 0x0b, 0x7f, 0x00, 0x23, 0x00, 0x0b), 0,
	 "constant expression required", 18},
	{"funcref segment into an externref table",
	 MOD(TYPE_VOID, FUNC0, 0x04, 0x04, 0x01, 0x6f, 0x00, 0x01,
	     0x09, 0x07, 0x01, 0x00, 0x41, 0x00, 0x0b, 0x01, 0x00, CODE_NOP), 0,
	 "type mismatch in elem segment 0, expected [externref] but got [(ref func)]", 27},
	{"data segment without memory",
	 MOD(0x0b, 0x06, 0x01, 0x00, 0x41, 0x00, 0x0b, 0x00), 0, "unknown memory 0", 11},
	/* (type (func (result i32))) (func (type 0) (block (type 0) (i32.const 0))):
	 * a type index as block type is multi-value's encoding, even for [] -> [i32] */
	{"block type index without multi-value",
	 MOD(0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f, FUNC0,
	     0x0a, 0x09, 0x01, 0x07, 0x00, 0x02, 0x00, 0x41, 0x00, 0x0b, 0x0b), 0,
	 "block type index without multi-value", 24, .off = WLAB_FEATURE_MULTI_VALUE,
	 .in_body = true},
	/* without reference-types (and bulk memory), as in 1.0: funcref and
	 * externref only as a table's funcref; segments only active */
	{"an externref local without reference-types",  /* (func (local externref)) */
	 MOD(TYPE_VOID, FUNC0, 0x0a, 0x06, 0x01, 0x04, 0x01, 0x01, 0x6f, 0x0b), 0,
	 "reference type without reference-types", 23, .off = WLAB_FEATURE_REFERENCE_TYPES,
	 .in_body = true},
	{"a funcref param without reference-types",  /* (type (func (param funcref))) */
	 MOD(0x01, 0x05, 0x01, 0x60, 0x01, 0x70, 0x00), 0,
	 "reference type without reference-types", 11, .off = WLAB_FEATURE_REFERENCE_TYPES},
	{"an externref table without reference-types",  /* (table 1 externref) */
	 MOD(0x04, 0x04, 0x01, 0x6f, 0x00, 0x01), 0,
	 "reference type without reference-types", 11, .off = WLAB_FEATURE_REFERENCE_TYPES},
	{"a funcref table without reference-types",  /* (table 1 funcref) */
	 MOD(0x04, 0x04, 0x01, 0x70, 0x00, 0x01), 0, NULL, 0,
	 .off = WLAB_FEATURE_REFERENCE_TYPES},
	{"an externref local with reference-types",
	 MOD(TYPE_VOID, FUNC0, 0x0a, 0x06, 0x01, 0x04, 0x01, 0x01, 0x6f, 0x0b), 0, NULL, 0},
	{"a passive data segment without bulk memory",  /* (data "") */
	 MOD(0x0b, 0x03, 0x01, 0x01, 0x00), 0, "passive segment without bulk-memory", 11,
	 .off = WLAB_FEATURE_BULK_MEMORY},
	{"a passive element segment without bulk memory",  /* (elem func) */
	 MOD(0x09, 0x04, 0x01, 0x01, 0x00, 0x00), 0, "passive segment without bulk-memory", 11,
	 .off = WLAB_FEATURE_BULK_MEMORY},
	{"a declarative element segment without bulk memory",  /* (elem declare func) */
	 MOD(0x09, 0x04, 0x01, 0x03, 0x00, 0x00), 0, "declarative segment without bulk-memory",
	 11, .off = WLAB_FEATURE_BULK_MEMORY},
	{"a passive data segment with bulk memory", MOD(0x0b, 0x03, 0x01, 0x01, 0x00), 0, NULL, 0},
	{"block type index with multi-value",
	 MOD(0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f, FUNC0,
	     0x0a, 0x09, 0x01, 0x07, 0x00, 0x02, 0x00, 0x41, 0x00, 0x0b, 0x0b), 0, NULL, 0},
};

static void test_module_rule(void **state)
{
	const struct mcase *c = *state;
	{
		uint32_t features = c->features & V20 ? WLAB_FEATURES_2_0 | (c->features & ~V20)
				    : (wlab_features_default() & ~c->off) | c->features;
		struct wlab_decode_options dopts = {.features = features};
		struct wlab_validate_options vopts = {.features = features};
		struct wlab_module *m = NULL;
		struct wlab_error derr = {0};
		struct wlab_validate_error verr;
		if (wlab_module_decode(c->bytes, c->len, &dopts, &m, &derr) != WLAB_OK)
			fail_msg("%s: does not decode: %s", c->name, derr.message);
		enum wlab_status st = wlab_module_validate(m, &vopts, &verr);
		if (!c->msg && st != WLAB_OK)
			fail_msg("%s: expected valid, got \"%s\"", c->name, verr.error.message);
		if (c->msg) {
			if (st != WLAB_INVALID || strcmp(verr.error.message, c->msg) != 0)
				fail_msg("%s: expected \"%s\", got \"%s\"", c->name, c->msg,
					 verr.error.message);
			if (verr.error.offset != c->at)
				fail_msg("%s: error at 0x%zx, expected 0x%zx", c->name,
					 verr.error.offset, c->at);
			if (verr.func != (c->in_body ? 0 : UINT32_MAX))
				fail_msg("%s: func %u, expected %s", c->name, verr.func,
					 c->in_body ? "0" : "none (outside any body)");
		}
		wlab_module_free(m);
	}
}

/* ---- signatures derived from the opcode names ---- */

static bool typed_prefix(const char *name)
{
	static const char *const prefixes[] = {
		"i32.", "i64.", "f32.", "f64.", "v128.", "i8x16.", "i16x8.", "i32x4.",
		"i64x2.", "f32x4.", "f64x2.",
	};
	for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
		if (strncmp(name, prefixes[i], strlen(prefixes[i])) == 0)
			return true;
	return false;
}

static void expect_sig(const char *name, uint8_t kind, const char *pops, uint8_t push,
		       uint8_t align, uint8_t lanes)
{
	static const char letters[] = "ilfdv";
	static const uint8_t codes[] = {I32, I64, F32, F64, V128};
	uint16_t op = WLAB_OP_COUNT;
	for (uint16_t i = 0; i < WLAB_OP_COUNT; i++)
		if (strcmp(wlab_opinfo(i)->name, name) == 0)
			op = i;
	assert_true(op < WLAB_OP_COUNT);
	struct val_sig s;
	val_sig_derive(op, &s);
	if (s.kind != kind || s.npop != strlen(pops) || s.push != push ||
	    s.npush != (push != 0) || s.align != align || s.lanes != lanes)
		fail_msg("%s: kind %u npop %u push %u/%02x align %u lanes %u", name, s.kind,
			 s.npop, s.npush, s.push, s.align, s.lanes);
	for (size_t i = 0; pops[i]; i++)
		if (s.pop[i] != codes[strchr(letters, pops[i]) - letters])
			fail_msg("%s: pop[%zu] is %02x", name, i, s.pop[i]);
}

static void test_derived_signatures(void **state)
{
	(void)state;
	for (uint16_t op = 0; op < WLAB_OP_COUNT; op++) {
		struct val_sig s;
		val_sig_derive(op, &s);
		const char *name = wlab_opinfo(op)->name;
		bool atomic = wlab_opinfo(op)->prefix == 0xfe;  /* all derived */
		if ((typed_prefix(name) || atomic) != (s.kind != VAL_SIG_SPECIAL))
			fail_msg("%s: derived kind %u", name, s.kind);
		if (s.atomic != atomic)
			fail_msg("%s: atomic %d", name, s.atomic);
	}
	/* threads: the alignment an atomic must carry, and its stack effect */
	expect_sig("memory.atomic.notify", VAL_SIG_MEMORY, "ii", I32, 2, 0);
	expect_sig("memory.atomic.wait32", VAL_SIG_MEMORY, "iil", I32, 2, 0);
	expect_sig("memory.atomic.wait64", VAL_SIG_MEMORY, "ill", I32, 3, 0);
	expect_sig("atomic.fence", VAL_SIG_PLAIN, "", 0, 0, 0);
	expect_sig("i64.atomic.load", VAL_SIG_MEMORY, "i", I64, 3, 0);
	expect_sig("i32.atomic.load16_u", VAL_SIG_MEMORY, "i", I32, 1, 0);
	expect_sig("i64.atomic.store32", VAL_SIG_MEMORY, "il", 0, 2, 0);
	expect_sig("i32.atomic.rmw8.add_u", VAL_SIG_MEMORY, "ii", I32, 0, 0);
	expect_sig("i64.atomic.rmw.xchg", VAL_SIG_MEMORY, "il", I64, 3, 0);
	expect_sig("i32.atomic.rmw.cmpxchg", VAL_SIG_MEMORY, "iii", I32, 2, 0);
	expect_sig("i64.atomic.rmw16.cmpxchg_u", VAL_SIG_MEMORY, "ill", I64, 1, 0);
	expect_sig("i32.add", VAL_SIG_PLAIN, "ii", I32, 0, 0);
	expect_sig("i64.eqz", VAL_SIG_PLAIN, "l", I32, 0, 0);
	expect_sig("f64.lt", VAL_SIG_PLAIN, "dd", I32, 0, 0);
	expect_sig("f64.convert_i32_s", VAL_SIG_PLAIN, "i", F64, 0, 0);
	expect_sig("i64.trunc_sat_f32_u", VAL_SIG_PLAIN, "f", I64, 0, 0);
	expect_sig("i64.extend32_s", VAL_SIG_PLAIN, "l", I64, 0, 0);
	expect_sig("i32.wrap_i64", VAL_SIG_PLAIN, "l", I32, 0, 0);
	expect_sig("f32.const", VAL_SIG_PLAIN, "", F32, 0, 0);
	expect_sig("i64.load32_u", VAL_SIG_MEMORY, "i", I64, 2, 0);
	expect_sig("f64.store", VAL_SIG_MEMORY, "id", 0, 3, 0);
	expect_sig("i32.store8", VAL_SIG_MEMORY, "ii", 0, 0, 0);
	expect_sig("v128.load", VAL_SIG_MEMORY, "i", V128, 4, 0);
	expect_sig("v128.load8x8_s", VAL_SIG_MEMORY, "i", V128, 3, 0);
	expect_sig("v128.load16_splat", VAL_SIG_MEMORY, "i", V128, 1, 0);
	expect_sig("v128.load32_zero", VAL_SIG_MEMORY, "i", V128, 2, 0);
	expect_sig("v128.load16_lane", VAL_SIG_MEMORY, "iv", V128, 1, 8);
	expect_sig("v128.store64_lane", VAL_SIG_MEMORY, "iv", 0, 3, 2);
	expect_sig("i8x16.extract_lane_u", VAL_SIG_LANE, "v", I32, 0, 16);
	expect_sig("i64x2.replace_lane", VAL_SIG_LANE, "vl", V128, 0, 2);
	expect_sig("f32x4.splat", VAL_SIG_PLAIN, "f", V128, 0, 0);
	expect_sig("i8x16.shuffle", VAL_SIG_LANE, "vv", V128, 0, 32);
	expect_sig("v128.bitselect", VAL_SIG_PLAIN, "vvv", V128, 0, 0);
	expect_sig("i16x8.shr_u", VAL_SIG_PLAIN, "vi", V128, 0, 0);
	expect_sig("i32x4.all_true", VAL_SIG_PLAIN, "v", I32, 0, 0);
	expect_sig("f32x4.eq", VAL_SIG_PLAIN, "vv", V128, 0, 0);
	expect_sig("i16x8.narrow_i32x4_s", VAL_SIG_PLAIN, "vv", V128, 0, 0);
	expect_sig("i32x4.trunc_sat_f64x2_s_zero", VAL_SIG_PLAIN, "v", V128, 0, 0);
	expect_sig("v128.andnot", VAL_SIG_PLAIN, "vv", V128, 0, 0);
}

/* ---- size: deep nesting and the memory cap ---- */

static void validate_body(const char *types0, const char *types1, const struct tu_buf *body,
			  size_t max_alloc, enum wlab_status want, const char *msg)
{
	struct vcase c = {.name = "generated", .types = {types0, types1}, .body = body->p,
			  .len = body->n};
	struct tu_buf b = {0};
	struct wlab_module *m = NULL;
	struct wlab_error derr = {0};
	struct wlab_validate_error verr;
	struct wlab_validate_options opts = {.max_alloc = max_alloc};
	size_t body_at;
	build(&b, &c, &body_at);
	assert_int_equal(tu_decode(&b, NULL, &m, &derr), WLAB_OK);
	enum wlab_status st = wlab_module_validate(m, &opts, &verr);
	if (st != want || (msg && strcmp(verr.error.message, msg) != 0))
		fail_msg("status %d \"%s\", expected %d \"%s\"", st, verr.error.message, want,
			 msg ? msg : "");
	wlab_module_free(m);
	tu_buf_free(&b);
}

static void test_million_nested_blocks(void **state)
{
	(void)state;
	enum { DEPTH = 1000000 };
	struct tu_buf body = {0};
	for (int i = 0; i < DEPTH; i++) {
		tu_byte(&body, BLOCK);
		tu_byte(&body, VOID);
	}
	tu_fill(&body, END, DEPTH + 1);
	validate_body(":", NULL, &body, 0, WLAB_OK, NULL);
	/* the innermost block breaks out of all of them but the body */
	tu_buf_reset(&body);
	for (int i = 0; i < DEPTH; i++) {
		tu_byte(&body, BLOCK);
		tu_byte(&body, I32);
	}
	tu_byte(&body, I32C);
	tu_byte(&body, 7);
	tu_byte(&body, BR);
	tu_u32(&body, DEPTH - 1);
	tu_fill(&body, END, DEPTH);
	tu_byte(&body, DROP);
	tu_byte(&body, END);
	validate_body(":", NULL, &body, 0, WLAB_OK, NULL);
	tu_buf_free(&body);
}

/* Dead blocks with many results each grow the stack by more than their
 * bytes; the cap turns that into WLAB_NOMEM, not an unbounded allocation. */
static void test_memory_cap(void **state)
{
	(void)state;
	char results[1002] = ":";
	memset(results + 1, 'i', 1000);
	struct tu_buf body = {0};
	for (int i = 0; i < 2000; i++)
		tu_bytes(&body, TU_ARR(BLOCK, 1, UNREACH, END), 4);
	tu_bytes(&body, TU_ARR(UNREACH, END), 2);
	validate_body(":", results, &body, 0, WLAB_OK, NULL);
	validate_body(":", results, &body, 1 << 20, WLAB_NOMEM, NULL);
	tu_buf_free(&body);
}

/* ---- the hook the interpreter's translator uses ---- */

struct trace {
	int n;
	uint16_t ops[8];
	uint32_t heights[8];
	struct val_ctrl closed[8];
};

static enum wlab_status record(void *ctx, struct val_func *vf, const struct wlab_instr *in)
{
	struct trace *t = ctx;
	if (in->op == WLAB_OP_BLOCK)  /* a translator keeps its fixups here */
		vf->ctrls[vf->nctrls - 1].aux = 42;
	if (t->n < 8) {
		t->ops[t->n] = in->op;
		t->heights[t->n] = vf->last.height;
		t->closed[t->n] = vf->last.closed;
	}
	t->n++;
	return WLAB_OK;
}

static void test_walk_hook(void **state)
{
	(void)state;
	/* (block (result i32) (i32.const 1)) (drop) */
	struct vcase c = {.name = "hook", .types = {":"},
			  BODY(BLOCK, I32, I32C, 1, END, DROP, END)};
	struct tu_buf b = {0};
	struct wlab_module *m = NULL;
	struct wlab_error derr = {0};
	struct wlab_validate_error verr;
	struct val_module vm;
	struct val_func vf;
	struct trace t = {0};
	struct val_hook hook = {record, &t};
	size_t body_at;
	build(&b, &c, &body_at);
	assert_int_equal(tu_decode(&b, NULL, &m, &derr), WLAB_OK);
	assert_int_equal(val_module_init(&vm, m, NULL, &verr), WLAB_OK);
	val_func_init(&vf, &vm);
	assert_int_equal(val_func_begin(&vf, 0), WLAB_OK);
	assert_int_equal(val_func_walk(&vf, m->codes[0].expr, &hook), WLAB_OK);
	assert_int_equal(t.n, 5);
	assert_int_equal(t.ops[2], WLAB_OP_END);
	assert_int_equal(t.heights[2], 1);                 /* the 1 inside the block */
	assert_int_equal(t.closed[2].op, WLAB_OP_BLOCK);
	assert_int_equal(t.closed[2].offset, body_at);     /* where the block began */
	assert_int_equal(t.closed[2].height, 0);
	assert_int_equal(t.closed[2].nresults, 1);
	assert_int_equal(t.closed[2].aux, 42);
	assert_int_equal(t.heights[3], 1);                 /* drop sees the block's result */
	assert_int_equal(t.ops[4], WLAB_OP_END);
	assert_int_equal(vf.nctrls, 0);
	val_func_fini(&vf);
	val_module_fini(&vm);
	wlab_module_free(m);
	tu_buf_free(&b);
}

#define NCASES (sizeof cases / sizeof cases[0])
#define NMODULES (sizeof module_cases / sizeof module_cases[0])

int main(void)
{
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test(test_derived_signatures),
		cmocka_unit_test(test_million_nested_blocks),
		cmocka_unit_test(test_memory_cap),
		cmocka_unit_test(test_walk_hook),
	};
	/* one test per table row, named after it */
	static struct CMUnitTest tests[NCASES + NMODULES + sizeof fixed / sizeof fixed[0]];
	size_t n = 0;
	for (size_t i = 0; i < NCASES; i++)
		tests[n++] = (struct CMUnitTest){cases[i].name, test_typing_case, NULL, NULL,
						 (void *)&cases[i]};
	for (size_t i = 0; i < NMODULES; i++)
		tests[n++] = (struct CMUnitTest){module_cases[i].name, test_module_rule, NULL,
						 NULL, (void *)&module_cases[i]};
	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
		tests[n++] = fixed[i];
	return _cmocka_run_group_tests("validate", tests, n, NULL, NULL);
}
