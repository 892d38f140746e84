/* test_rt.c: the interpreter: one hand-built function per table row, run
 * with its arguments, checked against a result or a trap; host functions,
 * call depth, the memory cap, fuel and trap backtraces. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "util.h"
#include "wlab/features.h"
#include "wlab/instr.h"
#include "wlab/layout.h"
#include "wlab/runtime.h"

#define I32 0x7f
#define I64 0x7e
#define F32 0x7d
#define F64 0x7c

/* One exported function "f": its type, its body (local declarations
 * first, then instructions ending in 0x0b), arguments, the result or trap. */
struct rcase {
	const char *name;
	uint8_t np;
	uint8_t params[3];
	uint8_t result;       /* 0: none */
	uint8_t body[128];
	size_t nbody;
	uint64_t args[3];
	uint64_t want;
	enum wlab_trap trap;
	uint8_t mem_pages;    /* a memory of this many pages (max 2) when nonzero */
	bool shared;          /* that memory is shared (threads) */
};

#define BODY(...) .body = {__VA_ARGS__}, .nbody = TU_LEN(__VA_ARGS__)

static const struct rcase cases[] = {
	{"i32.add", 2, {I32, I32}, I32, BODY(0, 0x20, 0, 0x20, 1, 0x6a, 0x0b), {2, 40}, 42, 0, 0},
	{"i32.div_s by zero", 2, {I32, I32}, I32, BODY(0, 0x20, 0, 0x20, 1, 0x6d, 0x0b),
	 {1, 0}, 0, WLAB_TRAP_DIV_ZERO, 0},
	{"i32.div_s overflow", 2, {I32, I32}, I32, BODY(0, 0x20, 0, 0x20, 1, 0x6d, 0x0b),
	 {0x80000000u, 0xffffffffu}, 0, WLAB_TRAP_INT_OVERFLOW, 0},
	{"i32.rem_s -1", 2, {I32, I32}, I32, BODY(0, 0x20, 0, 0x20, 1, 0x6f, 0x0b),
	 {0x80000000u, 0xffffffffu}, 0, 0, 0},
	{"unreachable", 0, {0}, 0, BODY(0, 0x00, 0x0b), {0}, 0, WLAB_TRAP_UNREACHABLE, 0},
	/* block (result i32) i32.const 7 br 0 end */
	{"br keeps the result", 0, {0}, I32, BODY(0, 0x02, I32, 0x41, 7, 0x0c, 0, 0x0b, 0x0b),
	 {0}, 7, 0, 0},
	/* loop: sum 1..n with a local accumulator */
	{"loop sum", 1, {I32}, I32,
	 BODY(1, 1, I32, 0x02, 0x40, 0x03, 0x40, 0x20, 0, 0x45, 0x0d, 1, 0x20, 1, 0x20, 0,
	      0x6a, 0x21, 1, 0x20, 0, 0x41, 1, 0x6b, 0x21, 0, 0x0c, 0, 0x0b, 0x0b, 0x20, 1,
	      0x0b),
	 {100}, 5050, 0, 0},
	/* if/else with a result */
	{"if else", 1, {I32}, I32,
	 BODY(0, 0x20, 0, 0x04, I32, 0x41, 1, 0x05, 0x41, 2, 0x0b, 0x0b), {0}, 2, 0, 0},
	/* br_table: 3 targets, default */
	{"br_table default", 1, {I32}, I32,
	 BODY(0, 0x02, 0x40, 0x02, 0x40, 0x20, 0, 0x0e, 1, 0, 1, 0x0b, 0x41, 10, 0x0f, 0x0b,
	      0x41, 20, 0x0b),
	 {5}, 20, 0, 0},
	{"br_table first", 1, {I32}, I32,
	 BODY(0, 0x02, 0x40, 0x02, 0x40, 0x20, 0, 0x0e, 1, 0, 1, 0x0b, 0x41, 10, 0x0f, 0x0b,
	      0x41, 20, 0x0b),
	 {0}, 10, 0, 0},
	{"i32.load out of bounds", 1, {I32}, I32, BODY(0, 0x20, 0, 0x28, 2, 0, 0x0b),
	 {65533}, 0, WLAB_TRAP_MEMORY_OOB, 1},
	{"store then load", 1, {I32}, I32,
	 BODY(0, 0x20, 0, 0x41, 42, 0x36, 2, 0, 0x20, 0, 0x28, 2, 0, 0x0b), {65532}, 42, 0, 1},
	/* fused forms (rt_fuse.c): local.get 0; local.get 1; i32.store (store_LL),
	 * then local.get 1; i32.const 5; i32.add; local.set 1 (LKS), local.get 0;
	 * local.get 1; i32.sub; local.tee 1 (LLT); plus the load */
	{"fused store, set, tee", 2, {I32, I32}, I32,
	 BODY(0, 0x20, 0, 0x20, 1, 0x36, 2, 0, 0x20, 1, 0x41, 5, 0x6a, 0x21, 1, 0x20, 0, 0x20, 1,
	      0x6b, 0x22, 1, 0x20, 0, 0x28, 2, 0, 0x6a, 0x0b),
	 {100, 7}, (uint32_t)(100 - 12) + 7, 0, 1},
	{"fused f64.mul of two locals", 2, {F64, F64}, F64, BODY(0, 0x20, 0, 0x20, 1, 0xa2, 0x0b),
	 {0x4004000000000000ull, 0xc010000000000000ull}, 0xc024000000000000ull, 0, 0},
	{"fused store out of bounds", 2, {I32, I32}, I32,
	 BODY(0, 0x20, 0, 0x20, 1, 0x36, 2, 0, 0x41, 1, 0x0b), {65533, 7}, 0,
	 WLAB_TRAP_MEMORY_OOB, 1},
	/* the float forms: a*b*c of three locals (F64_MUL_LLL), then - a with a
	 * local.tee (_LT), c * l1 + that with a local.tee (_T), + l0 (_L) */
	{"fused float ops with local.tee", 3, {F64, F64, F64}, F64,
	 BODY(0, 0x20, 0, 0x20, 1, 0xa2, 0x20, 2, 0xa2, 0x20, 0, 0xa1, 0x22, 1, 0x20, 2, 0x20, 1,
	      0xa2, 0xa0, 0x22, 0, 0x20, 0, 0xa0, 0x0b),
	 {0x4000000000000000ull, 0x4008000000000000ull, 0x4010000000000000ull},
	 0x406b800000000000ull, 0, 0},
	/* mem[a] = x; 10 - mem[a + 0] (_M); + mem[a] (_LM); * 2 stored at a
	 * (_ST); mem[a] */
	{"fused float ops with loads and stores", 2, {I32, F64}, F64,
	 BODY(0, 0x20, 0, 0x20, 1, 0x39, 3, 0, 0x20, 0, 0x44, 0, 0, 0, 0, 0, 0, 0x24, 0x40,
	      0x20, 0, 0x41, 0, 0x6a, 0x2b, 3, 0, 0xa1, 0x20, 0, 0x2b, 3, 0, 0xa0,
	      0x44, 0, 0, 0, 0, 0, 0, 0, 0x40, 0xa2, 0x39, 3, 0, 0x20, 0, 0x2b, 3, 0, 0x0b),
	 {8, 0x4008000000000000ull}, 0x4034000000000000ull, 0, 1},
	{"fused f64.add and store out of bounds", 1, {I32}, 0,
	 BODY(0, 0x20, 0, 0x44, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0x44, 0, 0, 0, 0, 0, 0, 0, 0x40,
	      0xa0, 0x39, 3, 0, 0x0b),
	 {65530}, 0, WLAB_TRAP_MEMORY_OOB, 1},
	{"fused f64.load and add out of bounds", 1, {I32}, F64,
	 BODY(0, 0x44, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0x20, 0, 0x41, 0, 0x6a, 0x2b, 3, 0, 0xa0,
	      0x0b),
	 {65530}, 0, WLAB_TRAP_MEMORY_OOB, 1},
	{"fused local f64.load and add out of bounds", 1, {I32}, F64,
	 BODY(0, 0x44, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0x20, 0, 0x2b, 3, 0, 0xa0, 0x0b),
	 {65530}, 0, WLAB_TRAP_MEMORY_OOB, 1},
	/* local.get 1; i32.store (store_L) at a + 0 */
	{"fused store of a local out of bounds", 2, {I32, I32}, 0,
	 BODY(0, 0x20, 0, 0x41, 0, 0x6a, 0x20, 1, 0x36, 2, 0, 0x0b), {65534, 7}, 0,
	 WLAB_TRAP_MEMORY_OOB, 1},
	/* 0 | a; local.tee 1; i32.load (TEE_I32_LOAD); + local 1 */
	{"fused local.tee and i32.load", 1, {I32}, I32,
	 BODY(1, 1, I32, 0x41, 0, 0x20, 0, 0x72, 0x22, 1, 0x28, 2, 0, 0x20, 1, 0x6a, 0x0b),
	 {8}, 8, 0, 1},
	{"fused local.tee and i32.load out of bounds", 1, {I32}, I32,
	 BODY(1, 1, I32, 0x41, 0, 0x20, 0, 0x72, 0x22, 1, 0x28, 2, 0, 0x20, 1, 0x6a, 0x0b),
	 {65534}, 0, WLAB_TRAP_MEMORY_OOB, 1},
	/* local.get 0; local.set 1; local.get 1 (COPY_GET); >> 4 & 15 (I32_BITS);
	 * local.set 2; i32.const 7; local.set 1; local.get 2 (CONST_SET_GET);
	 * block: 0 | l2; local.tee 0; br_if 0 (TEE_JUMP_IF); i32.const 100;
	 * local.set 1 (CONST_SET) end; l0 + l1 +; local.get 1; local.tee 0
	 * (COPY_TEE) +; + l0 */
	{"fused moves, bits, tee and br_if (taken)", 1, {I32}, I32,
	 BODY(1, 2, I32, 0x20, 0, 0x21, 1, 0x20, 1, 0x41, 4, 0x76, 0x41, 15, 0x71, 0x21, 2,
	      0x41, 7, 0x21, 1, 0x20, 2, 0x02, 0x40, 0x41, 0, 0x20, 2, 0x72, 0x22, 0, 0x0d, 0,
	      0x41, 0xe4, 0x00, 0x21, 1, 0x0b, 0x20, 0, 0x20, 1, 0x6a, 0x6a, 0x20, 1, 0x22, 0,
	      0x6a, 0x20, 0, 0x6a, 0x0b),
	 {0x1234}, 27, 0, 0},
	{"fused moves, bits, tee and br_if (not taken)", 1, {I32}, I32,
	 BODY(1, 2, I32, 0x20, 0, 0x21, 1, 0x20, 1, 0x41, 4, 0x76, 0x41, 15, 0x71, 0x21, 2,
	      0x41, 7, 0x21, 1, 0x20, 2, 0x02, 0x40, 0x41, 0, 0x20, 2, 0x72, 0x22, 0, 0x0d, 0,
	      0x41, 0xe4, 0x00, 0x21, 1, 0x0b, 0x20, 0, 0x20, 1, 0x6a, 0x6a, 0x20, 1, 0x22, 0,
	      0x6a, 0x20, 0, 0x6a, 0x0b),
	 {0x0f}, 300, 0, 0},
	/* local.get 0; local.get 1; i32.mul (_LL); i32.const 5; i32.add; local.set 2;
	 * local.get 2 (ADD_KSG); local.get 1; i32.sub; local.set 0; local.get 0
	 * (SUB_LSG); l1 + 1 (_LK); i32.mul; local.get 1; i32.add (MUL_ADD_L); + l2;
	 * + l0 */
	{"fused set-and-get forms, multiply-add", 2, {I32, I32}, I32,
	 BODY(1, 1, I32, 0x20, 0, 0x20, 1, 0x6c, 0x41, 5, 0x6a, 0x21, 2, 0x20, 2, 0x20, 1, 0x6b,
	      0x21, 0, 0x20, 0, 0x20, 1, 0x41, 1, 0x6a, 0x6c, 0x20, 1, 0x6a, 0x20, 2, 0x6a, 0x20,
	      0, 0x6a, 0x0b),
	 {10, 3}, 198, 0, 0},
	/* mem[a] = 77; local.get 0; local.tee 1; i32.load (GET_TEE_LOAD); local.get 1;
	 * i32.load8_u; local.tee 2 (_LT); +; select of l2, l0; local.tee 1 (SELECT_T);
	 * 8 - a; local.tee 2; if (TEE_BR_UNLESS) 1000 else 2000; +; local.tee 1; drop;
	 * block block local.get 2; br_table 0 1 (BR_TABLE_L) end l1 += 5 end;
	 * 1 + l1; local.tee 2; >> 4 & 15 (TEE_BITS); + l2; block local.get 0;
	 * local.set 1; local.get 2; br_if 0 (COPY_JUMP_IF) unreachable end; + l1 */
#define FUSED2 \
	BODY(1, 2, I32, 0x20, 0, 0x41, 0xcd, 0, 0x36, 2, 0, 0x20, 0, 0x22, 1, 0x28, 2, 0, 0x20, 1, \
	     0x2d, 0, 0, 0x22, 2, 0x6a, 0x20, 2, 0x20, 0, 0x1b, 0x22, 1, 0x41, 8, 0x20, 0, 0x6b, \
	     0x22, 2, 0x04, I32, 0x41, 0xe8, 7, 0x05, 0x41, 0xd0, 0x0f, 0x0b, 0x6a, 0x22, 1, 0x1a, \
	     0x02, 0x40, 0x02, 0x40, 0x20, 2, 0x0e, 1, 0, 1, 0x0b, 0x20, 1, 0x41, 5, 0x6a, 0x21, \
	     1, 0x0b, 0x41, 1, 0x20, 1, 0x6a, 0x22, 2, 0x41, 4, 0x76, 0x41, 15, 0x71, 0x20, 2, \
	     0x6a, 0x02, 0x40, 0x20, 0, 0x21, 1, 0x20, 2, 0x0d, 0, 0x00, 0x0b, 0x20, 1, 0x6a, 0x0b)
	{"fused tee, select, loads, br_table of a local (first)", 1, {I32}, I32, FUSED2,
	 {8}, 2175, 0, 1},
	{"fused tee, select, loads, br_table of a local (default)", 1, {I32}, I32, FUSED2,
	 {9}, 1172, 0, 1},
	{"fused local.get, local.tee and i32.load out of bounds", 1, {I32}, I32,
	 BODY(1, 1, I32, 0x20, 0, 0x22, 1, 0x28, 2, 0, 0x0b), {65534}, 0, WLAB_TRAP_MEMORY_OOB, 1},
	{"fused load and local.tee out of bounds", 1, {I32}, I32,
	 BODY(1, 1, I32, 0x20, 0, 0x2d, 0, 0, 0x22, 1, 0x0b), {65536}, 0, WLAB_TRAP_MEMORY_OOB, 1},
	/* local.get 0; i32.const 0x12345678; i32.store (STORE_K); local.get 0;
	 * i32.const 0xab; i32.store8 offset=1 (STORE8_K); i32.load */
	{"fused store of a constant", 1, {I32}, I32,
	 BODY(0, 0x20, 0, 0x41, 0xf8, 0xac, 0xd1, 0x91, 0x01, 0x36, 2, 0, 0x20, 0, 0x41, 0xab, 0x01,
	      0x3a, 0, 1, 0x20, 0, 0x28, 2, 0, 0x0b),
	 {100}, 0x1234ab78u, 0, 1},
	{"fused store of a constant out of bounds", 1, {I32}, I32,
	 BODY(0, 0x20, 0, 0x41, 0xf8, 0xac, 0xd1, 0x91, 0x01, 0x36, 2, 0, 0x20, 0, 0x41, 0xab, 0x01,
	      0x3a, 0, 1, 0x20, 0, 0x28, 2, 0, 0x0b),
	 {65534}, 0, WLAB_TRAP_MEMORY_OOB, 1},
	/* the f64 forms (a = 8, x = 3): mem[a + 16] = x; local.get 0; local.get 0;
	 * f64.load 16 (F64_LOAD_GL); * 2.0; local.tee 2 (F64_MUL_KT); + mem[a + 16];
	 * stored at a + 8 (F64_ADD_LMS); l2 - mem[a - 8 + 16] (F64_SUB_SKMT) into
	 * l2; + 10.0 (F64_ADD_K); + (l2 = mem[a + 8]) (F64_LOAD_LT); + l2:
	 * 10 - x + 3x + 3x */
	{"fused f64 forms", 2, {I32, F64}, F64,
	 BODY(1, 1, F64, 0x20, 0, 0x20, 1, 0x39, 3, 16, 0x20, 0, 0x20, 0, 0x2b, 3, 16,
	      0x44, 0, 0, 0, 0, 0, 0, 0, 0x40, 0xa2, 0x22, 2, 0x20, 0, 0x2b, 3, 16, 0xa0, 0x39, 3, 8,
	      0x20, 2, 0x20, 0, 0x41, 8, 0x6b, 0x2b, 3, 16, 0xa1, 0x22, 2,
	      0x44, 0, 0, 0, 0, 0, 0, 0x24, 0x40, 0xa0, 0x20, 0, 0x2b, 3, 8, 0x22, 2, 0xa0,
	      0x20, 2, 0xa0, 0x0b),
	 {8, 0x4008000000000000ull}, 0x4039000000000000ull, 0, 1},
	/* x - mem[a - 8 + 16] (F64_SUB_SKMT) at a = 0: a - 8 wraps to 2^32 - 8, and
	 * 2^32 + 8 is out of bounds (the i32 difference, then the offset) */
	{"fused f64.sub of a load at a difference out of bounds", 2, {I32, F64}, F64,
	 BODY(0, 0x20, 1, 0x20, 0, 0x41, 8, 0x6b, 0x2b, 3, 16, 0xa1, 0x22, 1, 0x0b),
	 {0, 0}, 0, WLAB_TRAP_MEMORY_OOB, 1},
	/* 1.0 + mem[a] stored at 65530 (F64_ADD_LMS): the load in bounds, the store not */
	{"fused f64.add of a load and store out of bounds", 1, {I32}, 0,
	 BODY(0, 0x41, 0xfa, 0xff, 0x03, 0x44, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0x20, 0, 0x2b, 3, 0,
	      0xa0, 0x39, 3, 0, 0x0b),
	 {0}, 0, WLAB_TRAP_MEMORY_OOB, 1},
	{"fused f64.add of a load out of bounds and store", 1, {I32}, 0,
	 BODY(0, 0x41, 0, 0x44, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0x20, 0, 0x2b, 3, 0, 0xa0, 0x39, 3,
	      0, 0x0b),
	 {65530}, 0, WLAB_TRAP_MEMORY_OOB, 1},
	/* x + mem[a] (F64_LOAD_GL, then f64.add) at a = 65530 */
	{"fused local.get and f64.load of a local out of bounds", 2, {I32, F64}, F64,
	 BODY(0, 0x20, 1, 0x20, 0, 0x2b, 3, 0, 0xa0, 0x0b), {65530, 0}, 0,
	 WLAB_TRAP_MEMORY_OOB, 1},
	/* mem[a + 9] = -16 (store8 of a constant); a ^ 0 (_LK); + 8; i32.load8_s
	 * offset=1 (I32_LOAD8_S_KA); a + a * 3 (I32_MUL_ADD_K); + */
	{"fused load at a sum, multiply-add of a constant", 1, {I32}, I32,
	 BODY(0, 0x20, 0, 0x41, 0x70, 0x3a, 0, 9, 0x20, 0, 0x41, 0, 0x73, 0x41, 8, 0x6a, 0x2c, 0, 1,
	      0x20, 0, 0x20, 0, 0x41, 3, 0x6c, 0x6a, 0x6a, 0x0b),
	 {100}, 4 * 100 - 16, 0, 1},
	/* a ^ 0; + 8; i32.load (I32_LOAD_KA): the sum is an i32, then the offset */
	{"fused i32.load at a sum out of bounds", 1, {I32}, I32,
	 BODY(0, 0x20, 0, 0x41, 0, 0x73, 0x41, 8, 0x6a, 0x28, 2, 0, 0x0b), {65526}, 0,
	 WLAB_TRAP_MEMORY_OOB, 1},
	{"fused i32.load at a sum that wraps", 1, {I32}, I32,
	 BODY(0, 0x20, 0, 0x41, 0, 0x73, 0x41, 8, 0x6a, 0x28, 2, 4, 0x0b), {0xfffffff8u}, 0, 0, 1},
	{"fused f64.load at a sum out of bounds", 1, {I32}, F64,
	 BODY(0, 0x20, 0, 0x41, 0, 0x73, 0x41, 8, 0x6a, 0x2b, 3, 0, 0x0b), {65524}, 0,
	 WLAB_TRAP_MEMORY_OOB, 1},
	/* mem[16] = 0x1234; i32.load16_u at 16 (I32_LOAD16_U_C); i32.load8_u
	 * offset=1 at 15; local.tee 1 (I32_LOAD8_U_CT); +; 4 + a + 2 (a = 10);
	 * i32.load8_u there (I32_LOAD8_U_LKA); * 7; local.tee 1 (I32_MUL_KT); +;
	 * + l1: 0x1234 + 0x34 + 2 * 0x34 * 7 */
	{"fused loads at a constant and at a sum with a local, i32 op and tee", 1, {I32}, I32,
	 BODY(1, 1, I32, 0x41, 16, 0x41, 0xb4, 0x24, 0x36, 1, 0, 0x41, 16, 0x2f, 1, 0, 0x41, 15,
	      0x2d, 0, 1, 0x22, 1, 0x6a, 0x41, 4, 0x20, 0, 0x6a, 0x41, 2, 0x6a, 0x2d, 0, 0, 0x41, 7,
	      0x6c, 0x22, 1, 0x6a, 0x20, 1, 0x6a, 0x0b),
	 {10}, 0x1234 + 0x34 + 2 * 0x34 * 7, 0, 1},
	{"fused i32.load at a constant out of bounds", 0, {0}, I32,
	 BODY(0, 0x41, 0xff, 0xff, 0x03, 0x28, 2, 0, 0x0b), {0}, 0, WLAB_TRAP_MEMORY_OOB, 1},
	{"fused i64.load at a constant and local.tee out of bounds", 0, {0}, I64,
	 BODY(1, 1, I64, 0x41, 0xfe, 0xff, 0x03, 0x29, 3, 0, 0x22, 0, 0x0b), {0}, 0,
	 WLAB_TRAP_MEMORY_OOB, 1},
	/* 4 + a + 2; i32.load (I32_LOAD_LKA) */
	{"fused i32.load at a sum with a local out of bounds", 1, {I32}, I32,
	 BODY(0, 0x41, 4, 0x20, 0, 0x6a, 0x41, 2, 0x6a, 0x28, 2, 0, 0x0b), {65528}, 0,
	 WLAB_TRAP_MEMORY_OOB, 1},
	{"fused i32.load at a sum with a local that wraps", 1, {I32}, I32,
	 BODY(0, 0x41, 4, 0x20, 0, 0x6a, 0x41, 2, 0x6a, 0x28, 2, 0, 0x0b), {0xfffffffau}, 0, 0,
	 1},
	/* mem[a + 8] = 100 - x * y * x (F64_SUB_LLLS); mem[a + 16] = y * y * x +
	 * mem[a + 8] (F64_ADD_LLLMS, the address a + 0); mem[a + 16] */
	{"fused f64 products stored", 3, {I32, F64, F64}, F64,
	 BODY(0, 0x20, 0, 0x44, 0, 0, 0, 0, 0, 0, 0x59, 0x40, 0x20, 1, 0x20, 2, 0xa2, 0x20, 1, 0xa2,
	      0xa1, 0x39, 3, 8, 0x20, 0, 0x41, 0, 0x6a, 0x20, 2, 0x20, 2, 0xa2, 0x20, 1, 0xa2, 0x20,
	      0, 0x2b, 3, 8, 0xa0, 0x39, 3, 16, 0x20, 0, 0x2b, 3, 16, 0x0b),
	 {8, 0x4000000000000000ull, 0x4008000000000000ull}, 0x405a800000000000ull, 0, 1},
	{"fused f64 product stored out of bounds", 3, {I32, F64, F64}, 0,
	 BODY(0, 0x20, 0, 0x44, 0, 0, 0, 0, 0, 0, 0x59, 0x40, 0x20, 1, 0x20, 2, 0xa2, 0x20, 1, 0xa2,
	      0xa1, 0x39, 3, 8, 0x0b),
	 {65530, 0, 0}, 0, WLAB_TRAP_MEMORY_OOB, 1},
	/* a + 0; y * y * x + mem[a] stored at a + 16 (F64_ADD_LLLMS): the load out
	 * of bounds at 65530, the store at 65520 */
#define LLLMS BODY(0, 0x20, 0, 0x41, 0, 0x6a, 0x20, 2, 0x20, 2, 0xa2, 0x20, 1, 0xa2, 0x20, 0, \
		   0x2b, 3, 0, 0xa0, 0x39, 3, 16, 0x0b)
	{"fused f64 product plus a load out of bounds", 3, {I32, F64, F64}, 0, LLLMS,
	 {65530, 0, 0}, 0, WLAB_TRAP_MEMORY_OOB, 1},
	{"fused f64 product plus a load stored out of bounds", 3, {I32, F64, F64}, 0, LLLMS,
	 {65520, 0, 0}, 0, WLAB_TRAP_MEMORY_OOB, 1},
	{"fused f64 product plus a load stored in bounds", 3, {I32, F64, F64}, 0, LLLMS,
	 {65512, 0, 0}, 0, 0, 1},
	/* mem[28] = 5; i32.load at (a << 2) + 16 (I32_LOAD_LSKA); + i32.load at 12 +
	 * ((a + 1) << 2) (I32_LOAD_SA); + ((a + 1) << 2) (I32_SHL_ADD_K); + (a << 35),
	 * the count taken mod 32 (I32_SHL_ADD_LK): 5 + 5 + 16 + 24 at a = 3 */
	{"fused shifted index forms", 1, {I32}, I32,
	 BODY(0, 0x41, 28, 0x41, 5, 0x36, 2, 0, 0x20, 0, 0x41, 2, 0x74, 0x41, 16, 0x6a, 0x28, 2, 0,
	      0x41, 12, 0x20, 0, 0x41, 1, 0x6a, 0x41, 2, 0x74, 0x6a, 0x28, 2, 0, 0x6a, 0x20, 0, 0x41,
	      1, 0x6a, 0x41, 2, 0x74, 0x6a, 0x20, 0, 0x41, 35, 0x74, 0x6a, 0x0b),
	 {3}, 50, 0, 1},
#define LSKA BODY(0, 0x41, 28, 0x41, 5, 0x36, 2, 0, 0x20, 0, 0x41, 2, 0x74, 0x41, 16, 0x6a, \
		  0x28, 2, 0, 0x0b)
	{"fused i32.load at a shifted local", 1, {I32}, I32, LSKA, {3}, 5, 0, 1},
	{"fused i32.load at a shifted local that wraps", 1, {I32}, I32, LSKA, {0x40000003u}, 5, 0,
	 1},
	{"fused i32.load at a shifted local out of bounds", 1, {I32}, I32, LSKA, {16381}, 0,
	 WLAB_TRAP_MEMORY_OOB, 1},
	/* 12 + ((a + 1) << 2); i32.load (I32_LOAD_SA) */
	{"fused i32.load at a shifted sum out of bounds", 1, {I32}, I32,
	 BODY(0, 0x41, 12, 0x20, 0, 0x41, 1, 0x6a, 0x41, 2, 0x74, 0x6a, 0x28, 2, 0, 0x0b), {16380},
	 0, WLAB_TRAP_MEMORY_OOB, 1},
	/* mem[28] = 1; br_table 0 1 of the i32 at (a << 2) + 16 (BR_TABLE_LSKA): 10 from
	 * the inner block, 20 from the outer */
#define BRT_LSKA BODY(0, 0x41, 28, 0x41, 1, 0x36, 2, 0, 0x02, 0x40, 0x02, 0x40, 0x20, 0, 0x41, \
		      2, 0x74, 0x41, 16, 0x6a, 0x28, 2, 0, 0x0e, 1, 0, 1, 0x0b, 0x41, 10, 0x0f, \
		      0x0b, 0x41, 20, 0x0b)
	{"fused br_table of a load at a shifted local (default)", 1, {I32}, I32, BRT_LSKA, {3},
	 20, 0, 1},
	{"fused br_table of a load at a shifted local (first)", 1, {I32}, I32, BRT_LSKA, {4}, 10,
	 0, 1},
	{"fused br_table of a load at a shifted local out of bounds", 1, {I32}, I32, BRT_LSKA,
	 {16381}, 0, WLAB_TRAP_MEMORY_OOB, 1},
	/* l1 = popcnt(a); mem[a] = l1 (SET_I32_STORE_LL); mem[a] + l1 */
#define SET_STORE BODY(1, 1, I32, 0x20, 0, 0x69, 0x21, 1, 0x20, 0, 0x20, 1, 0x36, 2, 0, 0x20, 0, \
		       0x28, 2, 0, 0x20, 1, 0x6a, 0x0b)
	{"fused local.set and i32.store of locals", 1, {I32}, I32, SET_STORE, {0x70}, 6, 0, 1},
	{"fused local.set and i32.store of locals out of bounds", 1, {I32}, I32, SET_STORE,
	 {65534}, 0, WLAB_TRAP_MEMORY_OOB, 1},
	/* mem[16] = 7; block (br_if 0 (l1 = mem[a])) (I32_LOAD_LTJ); l1 = 100 end; l1 */
#define LOAD_LTJ BODY(1, 1, I32, 0x41, 16, 0x41, 7, 0x36, 2, 0, 0x02, 0x40, 0x20, 0, 0x28, 2, 0, \
		      0x22, 1, 0x0d, 0, 0x41, 0xe4, 0, 0x21, 1, 0x0b, 0x20, 1, 0x0b)
	{"fused i32.load, local.tee and br_if (taken)", 1, {I32}, I32, LOAD_LTJ, {16}, 7, 0, 1},
	{"fused i32.load, local.tee and br_if (not taken)", 1, {I32}, I32, LOAD_LTJ, {20}, 100, 0,
	 1},
	{"fused i32.load, local.tee and br_if out of bounds", 1, {I32}, I32, LOAD_LTJ, {65534}, 0,
	 WLAB_TRAP_MEMORY_OOB, 1},
	/* l1 = a + 5; l2 = l1 + 7 (I32_ADD_LKS2, the second reads the first's local); l1 * l2 */
#define LKS2 BODY(1, 2, I32, 0x20, 0, 0x41, 5, 0x6a, 0x21, 1, 0x20, 1, 0x41, 7, 0x6a, 0x21, 2, \
		  0x20, 1, 0x20, 2, 0x6c, 0x0b)
	{"fused pair of local.set of a sum", 1, {I32}, I32, LKS2, {10}, 15 * 22, 0, 0},
	{"fused pair of local.set of a sum that wraps", 1, {I32}, I32, LKS2, {0xfffffffeu}, 30, 0,
	 0},
	/* a ^ 0; (>> 36, the count mod 32) & 15; local.tee 1 (I32_BITS_T); + l1 */
	{"fused bit field and local.tee", 1, {I32}, I32,
	 BODY(1, 1, I32, 0x20, 0, 0x41, 0, 0x73, 0x41, 36, 0x76, 0x41, 15, 0x71, 0x22, 1, 0x20, 1,
	      0x6a, 0x0b),
	 {0x1234}, 6, 0, 0},
	/* mem[16] = 200; if (l1 = mem8[a]) (I32_LOAD8_U_LTU) l1 else 7 */
#define LOAD8_LTU BODY(1, 1, I32, 0x41, 16, 0x41, 0xc8, 1, 0x3a, 0, 0, 0x20, 0, 0x2d, 0, 0, 0x22, \
		       1, 0x04, I32, 0x20, 1, 0x05, 0x41, 7, 0x0b, 0x0b)
	{"fused i32.load8_u, local.tee and if (then)", 1, {I32}, I32, LOAD8_LTU, {16}, 200, 0, 1},
	{"fused i32.load8_u, local.tee and if (else)", 1, {I32}, I32, LOAD8_LTU, {17}, 7, 0, 1},
	{"fused i32.load8_u, local.tee and if out of bounds", 1, {I32}, I32, LOAD8_LTU, {65536}, 0,
	 WLAB_TRAP_MEMORY_OOB, 1},
	/* mem[8] = 16; mem16[18] = 0x1234; mem[24] = -1; the i16 at 2 past the pointer at
	 * a + 4 (I32_LOAD16_U_LP) */
#define LOAD_LP BODY(0, 0x41, 8, 0x41, 16, 0x36, 2, 0, 0x41, 18, 0x41, 0xb4, 0x24, 0x3b, 1, 0, \
		     0x41, 24, 0x41, 0x7f, 0x36, 2, 0, 0x20, 0, 0x28, 2, 4, 0x2f, 1, 2, 0x0b)
	{"fused load through a pointer", 1, {I32}, I32, LOAD_LP, {4}, 0x1234, 0, 1},
	{"fused load through a pointer out of bounds", 1, {I32}, I32, LOAD_LP, {65532}, 0,
	 WLAB_TRAP_MEMORY_OOB, 1},
	{"fused load through a pointer that points out of bounds", 1, {I32}, I32, LOAD_LP, {20}, 0,
	 WLAB_TRAP_MEMORY_OOB, 1},
	/* block (br_if 0 (l1 = (a ^ 0) - 1)) (I32_SUB_KTJ); l1 = 100 end; l1 */
#define SUB_KTJ BODY(1, 1, I32, 0x02, 0x40, 0x20, 0, 0x41, 0, 0x73, 0x41, 1, 0x6b, 0x22, 1, \
		     0x0d, 0, 0x41, 0xe4, 0, 0x21, 1, 0x0b, 0x20, 1, 0x0b)
	{"fused i32.sub, local.tee and br_if (taken)", 1, {I32}, I32, SUB_KTJ, {5}, 4, 0, 0},
	{"fused i32.sub, local.tee and br_if (not taken)", 1, {I32}, I32, SUB_KTJ, {1}, 100, 0,
	 0},
	{"fused i32.sub, local.tee and br_if (wraps)", 1, {I32}, I32, SUB_KTJ, {0}, 0xffffffffu, 0,
	 0},
	/* a ^ 0; i32.eqz; if (I32_EQZ_BR_UNLESS) 1 else 2 */
#define EQZ_IF BODY(0, 0x20, 0, 0x41, 0, 0x73, 0x45, 0x04, I32, 0x41, 1, 0x05, 0x41, 2, 0x0b, \
		    0x0b)
	{"fused i32.eqz and if (then)", 1, {I32}, I32, EQZ_IF, {0}, 1, 0, 0},
	{"fused i32.eqz and if (else)", 1, {I32}, I32, EQZ_IF, {0x80000000u}, 2, 0, 0},
	/* mem[16] = 5; mem[a + 4] = mem[b] + 7 (I32_LOAD_ADD_STORE); mem[a + 4] */
#define LOAD_ADD_STORE BODY(0, 0x41, 16, 0x41, 5, 0x36, 2, 0, 0x20, 0, 0x20, 1, 0x28, 2, 0, 0x41, \
			    7, 0x6a, 0x36, 2, 4, 0x20, 0, 0x28, 2, 4, 0x0b)
	{"fused p->x += k", 2, {I32, I32}, I32, LOAD_ADD_STORE, {20, 16}, 12, 0, 1},
	{"fused p->x += k, the load out of bounds", 2, {I32, I32}, I32, LOAD_ADD_STORE,
	 {20, 65534}, 0, WLAB_TRAP_MEMORY_OOB, 1},
	{"fused p->x += k, the store out of bounds", 2, {I32, I32}, I32, LOAD_ADD_STORE,
	 {65534, 16}, 0, WLAB_TRAP_MEMORY_OOB, 1},
	/* if (a <u 2) (I32_LT_U_LKU) 1 else 2 */
#define IF_LKU BODY(0, 0x20, 0, 0x41, 2, 0x49, 0x04, I32, 0x41, 1, 0x05, 0x41, 2, 0x0b, 0x0b)
	{"fused local, constant, comparison and if (then)", 1, {I32}, I32, IF_LKU, {1}, 1, 0, 0},
	{"fused local, constant, comparison and if (else)", 1, {I32}, I32, IF_LKU, {5}, 2, 0, 0},
	{"fused local, constant, comparison and if (unsigned)", 1, {I32}, I32, IF_LKU,
	 {0xffffffffu}, 2, 0, 0},
	/* if (a >s b) (I32_GT_S_LLU) 1 else 2 */
#define IF_LLU BODY(0, 0x20, 0, 0x20, 1, 0x4a, 0x04, I32, 0x41, 1, 0x05, 0x41, 2, 0x0b, 0x0b)
	{"fused two locals, comparison and if (then)", 2, {I32, I32}, I32, IF_LLU, {3, 2}, 1, 0, 0},
	{"fused two locals, comparison and if (signed)", 2, {I32, I32}, I32, IF_LLU,
	 {0xffffffffu, 2}, 2, 0, 0},
	/* a ^ 0 (_LK); if (that <s b) (I32_LT_S_LU) 1 else 2 */
#define IF_LU BODY(0, 0x20, 0, 0x41, 0, 0x73, 0x20, 1, 0x48, 0x04, I32, 0x41, 1, 0x05, 0x41, 2, \
		   0x0b, 0x0b)
	{"fused local, comparison and if (then)", 2, {I32, I32}, I32, IF_LU, {0xffffffffu, 0}, 1,
	 0, 0},
	{"fused local, comparison and if (else)", 2, {I32, I32}, I32, IF_LU, {1, 0}, 2, 0, 0},
	/* a + 1 (_LK); i32.const 5; i32.lt_s; if (I32_LT_S_KU) 1 else 2 */
#define IF_KU BODY(0, 0x20, 0, 0x41, 1, 0x6a, 0x41, 5, 0x48, 0x04, I32, 0x41, 1, 0x05, 0x41, 2, \
		   0x0b, 0x0b)
	{"fused comparison with a constant and if (then)", 1, {I32}, I32, IF_KU, {3}, 1, 0, 0},
	{"fused comparison with a constant and if (else)", 1, {I32}, I32, IF_KU, {4}, 2, 0, 0},
	{"fused comparison with a constant and if (signed)", 1, {I32}, I32, IF_KU, {0xfffffff6u},
	 1, 0, 0},
	{"memory.grow past max", 0, {0}, I32, BODY(0, 0x41, 5, 0x40, 0, 0x0b), {0}, 0xffffffffu,
	 0, 1},
	{"memory.grow", 0, {0}, I32, BODY(0, 0x41, 1, 0x40, 0, 0x0b), {0}, 1, 0, 1},
	{"i32.trunc_f32_s NaN", 1, {F32}, I32, BODY(0, 0x20, 0, 0xa8, 0x0b), {0x7fc00000u}, 0,
	 WLAB_TRAP_BAD_CONVERSION, 0},
	{"i32.trunc_f64_u -0.9", 1, {F64}, I32, BODY(0, 0x20, 0, 0xab, 0x0b),
	 {0xbfeccccccccccccdull}, 0, 0, 0},
	{"i32.trunc_f64_u -1", 1, {F64}, I32, BODY(0, 0x20, 0, 0xab, 0x0b),
	 {0xbff0000000000000ull}, 0, WLAB_TRAP_INT_OVERFLOW, 0},
	{"i32.trunc_sat_f32_s big", 1, {F32}, I32, BODY(0, 0x20, 0, 0xfc, 0, 0x0b),
	 {0x4f000000u}, 0x7fffffffu, 0, 0},
	{"f32.min -0 0", 2, {F32, F32}, F32, BODY(0, 0x20, 0, 0x20, 1, 0x96, 0x0b),
	 {0, 0x80000000u}, 0x80000000u, 0, 0},
	{"f64.nearest 2.5", 1, {F64}, F64, BODY(0, 0x20, 0, 0x9e, 0x0b),
	 {0x4004000000000000ull}, 0x4000000000000000ull, 0, 0},
	{"f32.neg keeps NaN payload", 1, {F32}, F32, BODY(0, 0x20, 0, 0x8c, 0x0b),
	 {0x7fa00001u}, 0xffa00001u, 0, 0},
	{"i64.extend32_s", 1, {I64}, I64, BODY(0, 0x20, 0, 0xc4, 0x0b), {0x80000000u},
	 0xffffffff80000000ull, 0, 0},
	{"self recursion exhausts", 0, {0}, 0, BODY(0, 0x10, 0, 0x0b), {0}, 0,
	 WLAB_TRAP_EXHAUSTED, 0},

	/* threads: atomics near the end of memory, alignment, single-thread wait/notify */
	{"i32.atomic.load of the last word", 1, {I32}, I32, BODY(0, 0x20, 0, 0xfe, 0x10, 2, 0, 0x0b),
	 {65532}, 0, 0, 1},
	{"i32.atomic.load unaligned in bounds", 1, {I32}, I32,
	 BODY(0, 0x20, 0, 0xfe, 0x10, 2, 0, 0x0b), {65530}, 0, WLAB_TRAP_UNALIGNED_ATOMIC, 1},
	{"i32.atomic.load unaligned past the end: alignment first", 1, {I32}, I32,
	 BODY(0, 0x20, 0, 0xfe, 0x10, 2, 0, 0x0b), {65534}, 0, WLAB_TRAP_UNALIGNED_ATOMIC, 1},
	{"i32.atomic.load aligned past the end", 1, {I32}, I32,
	 BODY(0, 0x20, 0, 0xfe, 0x10, 2, 0, 0x0b), {65536}, 0, WLAB_TRAP_MEMORY_OOB, 1},
	{"i64.atomic.load: the offset counts for alignment", 1, {I32}, I64,
	 BODY(0, 0x20, 0, 0xfe, 0x11, 3, 4, 0x0b), {0}, 0, WLAB_TRAP_UNALIGNED_ATOMIC, 1},
	{"i64.atomic.load offset wraps no address", 1, {I32}, I64,
	 BODY(0, 0x20, 0, 0xfe, 0x11, 3, 0xf8, 0xff, 0xff, 0xff, 0x0f, 0x0b), {8}, 0,
	 WLAB_TRAP_MEMORY_OOB, 1},
	{"i32.atomic.load8_u at any address", 1, {I32}, I32,
	 BODY(0, 0x20, 0, 0xfe, 0x12, 0, 0, 0x0b), {65535}, 0, 0, 1},
	/* rmw16.add_u at the last halfword: store 0xffff, add 2, read back 1 */
	{"i32.atomic.rmw16.add_u wraps at 16 bits", 1, {I32}, I32,
	 BODY(0, 0x20, 0, 0x41, 0x7f, 0x3b, 1, 0, 0x20, 0, 0x41, 2, 0xfe, 0x21, 1, 0, 0x1a,
	      0x20, 0, 0xfe, 0x13, 1, 0, 0x0b), {65534}, 1, 0, 1},
	/* cmpxchg_u compares the low 8 bits only: expected 0x100 is 0 */
	{"i64.atomic.rmw8.cmpxchg_u wraps the expected value", 1, {I32}, I64,
	 BODY(0, 0x20, 0, 0x42, 0x80, 0x02, 0x42, 5, 0xfe, 0x4c, 0, 0, 0x1a,
	      0x20, 0, 0xfe, 0x14, 0, 0, 0x0b), {7}, 5, 0, 1},
	{"i32.atomic.rmw.xchg unaligned", 1, {I32}, I32,
	 BODY(0, 0x20, 0, 0x41, 1, 0xfe, 0x41, 2, 0, 0x0b), {2}, 0, WLAB_TRAP_UNALIGNED_ATOMIC, 1},
	{"i64.atomic.store32 unaligned", 1, {I32}, 0,
	 BODY(0, 0x20, 0, 0x42, 1, 0xfe, 0x1d, 2, 0, 0x0b), {6}, 0, WLAB_TRAP_UNALIGNED_ATOMIC, 1},
	{"memory.atomic.notify wakes no one", 1, {I32}, I32,
	 BODY(0, 0x20, 0, 0x41, 5, 0xfe, 0x00, 2, 0, 0x0b), {4}, 0, 0, 1},
	{"memory.atomic.notify unaligned", 1, {I32}, I32,
	 BODY(0, 0x20, 0, 0x41, 5, 0xfe, 0x00, 2, 0, 0x0b), {1}, 0, WLAB_TRAP_UNALIGNED_ATOMIC, 1},
	{"memory.atomic.wait32 on an unshared memory", 1, {I32}, I32,
	 BODY(0, 0x20, 0, 0x41, 0, 0x42, 0, 0xfe, 0x01, 2, 0, 0x0b), {0}, 0,
	 WLAB_TRAP_UNSHARED_WAIT, 1},
	{"memory.atomic.wait32 not-equal", 1, {I32}, I32,
	 BODY(0, 0x20, 0, 0x41, 1, 0x42, 0, 0xfe, 0x01, 2, 0, 0x0b), {0}, 1, 0, 1, true},
	{"memory.atomic.wait32 timed-out", 1, {I32}, I32,
	 BODY(0, 0x20, 0, 0x41, 0, 0x42, 0, 0xfe, 0x01, 2, 0, 0x0b), {0}, 2, 0, 1, true},
	{"memory.atomic.wait64 with no timeout", 1, {I32}, I32,
	 BODY(0, 0x20, 0, 0x42, 0, 0x42, 0x7f, 0xfe, 0x02, 3, 0, 0x0b), {0}, 0,
	 WLAB_TRAP_WAIT_FOREVER, 1, true},
	{"memory.atomic.wait64 unaligned", 1, {I32}, I32,
	 BODY(0, 0x20, 0, 0x42, 0, 0x42, 0, 0xfe, 0x02, 3, 0, 0x0b), {4}, 0,
	 WLAB_TRAP_UNALIGNED_ATOMIC, 1, true},
	{"memory.atomic.wait64 past the end", 1, {I32}, I32,
	 BODY(0, 0x20, 0, 0x42, 0, 0x42, 0, 0xfe, 0x02, 3, 0, 0x0b), {65536}, 0,
	 WLAB_TRAP_MEMORY_OOB, 1, true},
	{"atomic.fence", 0, {0}, I32, BODY(0, 0xfe, 0x03, 0, 0x41, 3, 0x0b), {0}, 3, 0, 0},
};

static void build(struct tu_buf *b, const struct rcase *c)
{
	struct tu_buf s = {0};
	tu_header(b);
	TU_PUT(&s, 1, 0x60, c->np);  /* type section */
	tu_bytes(&s, c->params, c->np);
	if (c->result)
		TU_PUT(&s, 1, c->result);
	else
		TU_PUT(&s, 0);
	tu_section(b, 1, &s);
	tu_buf_reset(&s);
	TU_PUT(&s, 1, 0);
	tu_section(b, 3, &s);
	if (c->mem_pages) {
		tu_buf_reset(&s);
		TU_PUT(&s, 1, c->shared ? 3 : 1, c->mem_pages, 2);
		tu_section(b, 5, &s);
	}
	tu_buf_reset(&s);
	TU_PUT(&s, 1);
	tu_name(&s, "f");
	TU_PUT(&s, 0, 0);
	tu_section(b, 7, &s);
	tu_buf_reset(&s);
	TU_PUT(&s, 1);
	tu_u32(&s, (uint32_t)c->nbody);
	tu_bytes(&s, c->body, c->nbody);
	tu_section(b, 10, &s);
	tu_buf_free(&s);
}

static void test_case(void **state)
{
	const struct rcase *c = *state;
	struct tu_buf b = {0};
	struct wlab_module *m = NULL;
	struct wlab_error err = {0};
	struct wlab_instance *inst;
	struct wlab_extern f;
	enum wlab_trap trap;
	uint64_t out[1] = {0};
	build(&b, c);
	assert_int_equal(tu_decode(&b, NULL, &m, &err), WLAB_OK);
	struct wlab_store *s = wlab_store_new(&(struct wlab_store_options){.max_call_depth = 500});
	assert_non_null(s);
	assert_int_equal(wlab_instantiate(s, m, &inst, &err, &trap), WLAB_OK);
	assert_true(wlab_instance_export(inst, "f", 1, &f));
	enum wlab_status st = wlab_call(s, f.u.func, c->args, out, &trap);
	assert_int_equal(trap, c->trap);
	assert_int_equal(st, c->trap ? WLAB_TRAP : WLAB_OK);
	if (!c->trap && c->result)
		assert_int_equal(out[0], c->want);
	wlab_store_free(s);
	wlab_module_free(m);
	tu_buf_free(&b);
}

static enum wlab_trap host_double(void *ctx, const uint64_t *args, uint64_t *results)
{
	(*(int *)ctx)++;
	results[0] = (uint32_t)(args[0] * 2);
	return WLAB_TRAP_NONE;
}

/* (import "env" "double" (func (param i32) (result i32))) f = double(x) + 1 */
static void test_host_import(void **state)
{
	(void)state;
	struct tu_buf b = {0}, s = {0};
	struct wlab_module *m = NULL;
	struct wlab_error err = {0};
	struct wlab_instance *inst;
	struct wlab_extern f, h = {.kind = WLAB_EXTERN_FUNC};
	enum wlab_trap trap;
	int calls = 0;
	uint64_t arg = 20, out = 0;
	tu_header(&b);
	TU_PUT(&s, 1, 0x60, 1, I32, 1, I32);
	tu_section(&b, 1, &s);
	tu_buf_reset(&s);
	TU_PUT(&s, 1);
	tu_name(&s, "env");
	tu_name(&s, "double");
	TU_PUT(&s, 0, 0);
	tu_section(&b, 2, &s);
	tu_buf_reset(&s);
	TU_PUT(&s, 1, 0);
	tu_section(&b, 3, &s);
	tu_buf_reset(&s);
	TU_PUT(&s, 1);
	tu_name(&s, "f");
	TU_PUT(&s, 0, 1);
	tu_section(&b, 7, &s);
	tu_buf_reset(&s);
	TU_PUT(&s, 1, 9, 0, 0x20, 0, 0x10, 0, 0x41, 1, 0x6a, 0x0b);
	tu_section(&b, 10, &s);
	assert_int_equal(tu_decode(&b, NULL, &m, &err), WLAB_OK);
	struct wlab_store *st = wlab_store_new(NULL);
	/* unresolved first */
	assert_int_equal(wlab_instantiate(st, m, &inst, &err, &trap), WLAB_UNLINKABLE);
	assert_string_equal(err.message, "unknown import \"env\" \"double\"");
	static const wlab_valtype_t i32[] = {I32};
	h.u.func = wlab_host_func_new(st, i32, 1, i32, 1, host_double, &calls);
	assert_int_equal(wlab_store_define(st, "env", "double", h), WLAB_OK);
	memset(&err, 0, sizeof err);
	assert_int_equal(wlab_instantiate(st, m, &inst, &err, &trap), WLAB_OK);
	assert_true(wlab_instance_export(inst, "f", 1, &f));
	assert_int_equal(wlab_call(st, f.u.func, &arg, &out, &trap), WLAB_OK);
	assert_int_equal(out, 41);
	assert_int_equal(calls, 1);
	wlab_store_free(st);
	wlab_module_free(m);
	tu_buf_free(&s);
	tu_buf_free(&b);
}

struct reenter {
	struct wlab_store *store;
	struct rt_func *g;
};

static enum wlab_trap host_reenter(void *ctx, const uint64_t *args, uint64_t *results)
{
	struct reenter *r = ctx;
	enum wlab_trap trap;
	if (wlab_call(r->store, r->g, args, results, &trap))
		return trap;
	return WLAB_TRAP_NONE;
}

/* f(x) = env.cb(x) where the host's cb calls back g(x) = x + 100: a guest
 * call nested inside a host call inside a guest call. */
static void test_host_reenters(void **state)
{
	(void)state;
	struct tu_buf b = {0}, s = {0};
	struct wlab_module *m = NULL;
	struct wlab_error err = {0};
	struct wlab_instance *inst;
	struct wlab_extern f, g, h = {.kind = WLAB_EXTERN_FUNC};
	enum wlab_trap trap;
	uint64_t arg = 1, out = 0;
	tu_header(&b);
	TU_PUT(&s, 1, 0x60, 1, I32, 1, I32);
	tu_section(&b, 1, &s);
	tu_buf_reset(&s);
	TU_PUT(&s, 1);
	tu_name(&s, "env");
	tu_name(&s, "cb");
	TU_PUT(&s, 0, 0);
	tu_section(&b, 2, &s);
	tu_buf_reset(&s);
	TU_PUT(&s, 2, 0, 0);
	tu_section(&b, 3, &s);
	tu_buf_reset(&s);
	TU_PUT(&s, 2);
	tu_name(&s, "f");
	TU_PUT(&s, 0, 1);
	tu_name(&s, "g");
	TU_PUT(&s, 0, 2);
	tu_section(&b, 7, &s);
	tu_buf_reset(&s);
	TU_PUT(&s, 2, 6, 0, 0x20, 0, 0x10, 0, 0x0b,
	       8, 0, 0x20, 0, 0x41, 0xe4, 0x00, 0x6a, 0x0b);
	tu_section(&b, 10, &s);
	assert_int_equal(tu_decode(&b, NULL, &m, &err), WLAB_OK);
	struct reenter r = {wlab_store_new(NULL), NULL};
	static const wlab_valtype_t i32[] = {I32};
	h.u.func = wlab_host_func_new(r.store, i32, 1, i32, 1, host_reenter, &r);
	assert_int_equal(wlab_store_define(r.store, "env", "cb", h), WLAB_OK);
	assert_int_equal(wlab_instantiate(r.store, m, &inst, &err, &trap), WLAB_OK);
	assert_true(wlab_instance_export(inst, "f", 1, &f));
	assert_true(wlab_instance_export(inst, "g", 1, &g));
	r.g = g.u.func;
	assert_int_equal(wlab_call(r.store, f.u.func, &arg, &out, &trap), WLAB_OK);
	assert_int_equal(out, 101);
	wlab_store_free(r.store);
	wlab_module_free(m);
	tu_buf_free(&s);
	tu_buf_free(&b);
}

/* A memory whose minimum passes the store's budget is refused before
 * allocation; the stacks come out of the same budget, and a store whose
 * stacks do not fit in it is not made. */
static void test_memory_cap(void **state)
{
	(void)state;
	struct wlab_store_options o = {.max_memory = 2 * 65536 + 4096 * 8 + 256 * 24,
				       .stack_slots = 4096, .max_call_depth = 256};
	struct wlab_store *s = wlab_store_new(&o);
	assert_non_null(s);
	assert_null(wlab_memory_new(s, 3, false, 0));
	assert_non_null(wlab_memory_new(s, 2, false, 0));
	assert_null(wlab_memory_new(s, 1, false, 0));
	wlab_store_free(s);
	o.max_memory = 4096 * 8 + 256 * 24 - 1;
	assert_null(wlab_store_new(&o));
}

static void test_trap_messages(void **state)
{
	(void)state;
	assert_string_equal(wlab_trap_message(WLAB_TRAP_DIV_ZERO), "integer divide by zero");
	assert_string_equal(wlab_trap_message(WLAB_TRAP_EXHAUSTED), "call stack exhausted");
	assert_string_equal(wlab_trap_message(WLAB_TRAP_MEMORY_OOB),
			    "out of bounds memory access");
	assert_string_equal(wlab_trap_message(WLAB_TRAP_UNALIGNED_ATOMIC), "unaligned atomic");
	assert_string_equal(wlab_trap_message(WLAB_TRAP_UNSHARED_WAIT), "expected shared memory");
}

/* The "loop sum" module of the table (f(n) = 1 + ... + n). */
static struct wlab_module *loop_module(struct tu_buf *b)
{
	struct wlab_module *m = NULL;
	struct wlab_error err = {0};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		if (!strcmp(cases[i].name, "loop sum"))
			build(b, &cases[i]);
	assert_int_equal(tu_decode(b, NULL, &m, &err), WLAB_OK);
	return m;
}

/* Runs f(n) in a fresh store with fuel; returns the fuel used, or
 * UINT64_MAX when it ran out (then *left is what was left: 0). */
static uint64_t fuel_used(const struct wlab_module *m, uint64_t n, uint64_t fuel,
			  uint64_t *out)
{
	struct wlab_store *s = wlab_store_new(&(struct wlab_store_options){.fuel = fuel});
	struct wlab_instance *inst;
	struct wlab_error err = {0};
	struct wlab_extern f;
	enum wlab_trap trap;
	uint64_t used = UINT64_MAX;
	assert_int_equal(wlab_store_fuel(s), fuel);
	assert_int_equal(wlab_instantiate(s, m, &inst, &err, &trap), WLAB_OK);
	assert_true(wlab_instance_export(inst, "f", 1, &f));
	if (wlab_call(s, f.u.func, &n, out, &trap) == WLAB_OK) {
		used = fuel - wlab_store_fuel(s);
	} else {
		assert_int_equal(trap, WLAB_TRAP_FUEL);
		assert_int_equal(wlab_store_fuel(s), 0);
		/* the store stays usable: with fuel again the call completes */
		wlab_store_set_fuel(s, fuel + 1000);
		assert_int_equal(wlab_call(s, f.u.func, &n, out, &trap), WLAB_OK);
		assert_int_equal(*out, n * (n + 1) / 2);
		wlab_store_set_fuel(s, 0);
		assert_int_equal(wlab_store_fuel(s), UINT64_MAX);
	}
	wlab_store_free(s);
	return used;
}

/* Exactly as many instructions as the fuel allows run: a call that needs N
 * completes with N and leaves 0; with N - 1 it traps. */
static void test_fuel(void **state)
{
	(void)state;
	struct tu_buf b = {0};
	struct wlab_module *m = loop_module(&b);
	uint64_t out = 0;
	uint64_t n10 = fuel_used(m, 10, 1000000, &out);
	assert_int_equal(out, 55);
	uint64_t n11 = fuel_used(m, 11, 1000000, &out);
	uint64_t n12 = fuel_used(m, 12, 1000000, &out);
	/* each iteration costs the same, one unit per cell: local.get,
	 * i32.eqz+br_if, sum = sum + n (fused with its local.set), n = n - 1
	 * (likewise), br */
	assert_int_equal(n11 - n10, 5);
	assert_int_equal(n12 - n11, n11 - n10);
	assert_int_equal(fuel_used(m, 10, n10, &out), n10);
	assert_int_equal(out, 55);
	assert_int_equal(fuel_used(m, 10, n10 - 1, &out), UINT64_MAX);
	assert_int_equal(fuel_used(m, 10, 1, &out), UINT64_MAX);
	struct wlab_store *s = wlab_store_new(NULL);
	assert_int_equal(wlab_store_fuel(s), UINT64_MAX);
	wlab_store_free(s);
	wlab_module_free(m);
	tu_buf_free(&b);
}

/* One store, its function translated once, run without fuel, with it and
 * without it again: the cells follow the store's mode (rt_exec.c,
 * set_handlers()), so fuel counts exactly when it is on and not at all
 * when it is off. */
static void test_fuel_switch(void **state)
{
	(void)state;
	struct tu_buf b = {0};
	struct wlab_module *m = loop_module(&b);
	struct wlab_instance *inst;
	struct wlab_error err = {0};
	struct wlab_extern f;
	enum wlab_trap trap = WLAB_TRAP_NONE;
	uint64_t n = 10, out = 0;
	uint64_t need = fuel_used(m, 10, 1000000, &out);
	struct wlab_store *s = wlab_store_new(NULL);
	assert_int_equal(wlab_instantiate(s, m, &inst, &err, &trap), WLAB_OK);
	assert_true(wlab_instance_export(inst, "f", 1, &f));
	for (int round = 0; round < 2; round++) {
		out = 0;
		assert_int_equal(wlab_call(s, f.u.func, &n, &out, &trap), WLAB_OK);
		assert_int_equal(out, 55);
		assert_int_equal(wlab_store_fuel(s), UINT64_MAX);
		wlab_store_set_fuel(s, need - 1);
		assert_int_not_equal(wlab_call(s, f.u.func, &n, &out, &trap), WLAB_OK);
		assert_int_equal(trap, WLAB_TRAP_FUEL);
		wlab_store_set_fuel(s, need);
		out = 0;
		assert_int_equal(wlab_call(s, f.u.func, &n, &out, &trap), WLAB_OK);
		assert_int_equal(out, 55);
		assert_int_equal(wlab_store_fuel(s), 0);
		wlab_store_set_fuel(s, 0);
	}
	wlab_store_free(s);
	wlab_module_free(m);
	tu_buf_free(&b);
}

/* env.boom: what it does is set by the test. */
struct boom {
	struct wlab_store *store;
	struct rt_func *a;
	int mode;  /* 0: trap; 1: call a and pass its trap on; 2: exit; 3: return */
};

static enum wlab_trap host_boom(void *ctx, const uint64_t *args, uint64_t *results)
{
	struct boom *bm = ctx;
	enum wlab_trap trap = WLAB_TRAP_NONE;
	(void)args;
	(void)results;
	switch (bm->mode) {
	case 0: return WLAB_TRAP_HOST;
	case 1: wlab_call(bm->store, bm->a, NULL, NULL, &trap); return trap;
	case 2: return WLAB_TRAP_EXIT;
	default: return WLAB_TRAP_NONE;
	}
}

/* Checks the store's backtrace against names (NULL: a host frame) and
 * offsets. */
static void expect_frames(struct wlab_store *s, const struct wlab_instance *inst,
			  const char *const *names, const size_t *offsets, uint32_t n)
{
	struct wlab_frame_info fr[8];
	char buf[64];
	assert_int_equal(wlab_store_backtrace(s, fr, 8), n);
	for (uint32_t i = 0; i < n; i++) {
		if (!names[i]) {
			assert_null(fr[i].inst);
			assert_int_equal(fr[i].func, UINT32_MAX);
			continue;
		}
		assert_ptr_equal(fr[i].inst, inst);
		const char *name = wlab_layout_func_name(wlab_instance_module(fr[i].inst),
							 fr[i].func, buf, sizeof buf);
		assert_non_null(name);
		assert_string_equal(name, names[i]);
		assert_int_equal(fr[i].offset, offsets[i]);
	}
}

/* a calls b calls c, which traps; d calls the host function env.boom. */
static void test_backtrace(void **state)
{
	(void)state;
	struct tu_buf b = {0}, s = {0};
	struct wlab_module *m = NULL;
	struct wlab_error err = {0};
	struct wlab_instance *inst;
	struct wlab_extern a, d, h = {.kind = WLAB_EXTERN_FUNC};
	enum wlab_trap trap;
	tu_header(&b);
	TU_PUT(&s, 1, 0x60, 0, 0);
	tu_section(&b, 1, &s);
	tu_buf_reset(&s);
	TU_PUT(&s, 1);
	tu_name(&s, "env");
	tu_name(&s, "boom");
	TU_PUT(&s, 0, 0);
	tu_section(&b, 2, &s);
	tu_buf_reset(&s);
	TU_PUT(&s, 4, 0, 0, 0, 0);
	tu_section(&b, 3, &s);
	tu_buf_reset(&s);
	TU_PUT(&s, 4);
	const char *names[] = {"a", "b", "c", "d"};
	for (uint8_t i = 0; i < 4; i++) {
		tu_name(&s, names[i]);
		TU_PUT(&s, 0, (uint8_t)(i + 1));
	}
	tu_section(&b, 7, &s);
	tu_buf_reset(&s);
	/* a: call b; b: nop call c; c: unreachable; d: call env.boom */
	TU_PUT(&s, 4, 4, 0, 0x10, 2, 0x0b, 5, 0, 0x01, 0x10, 3, 0x0b, 3, 0, 0x00, 0x0b,
	       4, 0, 0x10, 0, 0x0b);
	size_t p = tu_section(&b, 10, &s);
	size_t call_b = p + 3, call_c = p + 9, unreach = p + 14, call_boom = p + 18;
	assert_int_equal(b.p[call_b], 0x10);
	assert_int_equal(b.p[call_c], 0x10);
	assert_int_equal(b.p[unreach], 0x00);
	assert_int_equal(b.p[call_boom], 0x10);
	assert_int_equal(tu_decode(&b, NULL, &m, &err), WLAB_OK);

	struct boom bm = {wlab_store_new(NULL), NULL, 0};
	h.u.func = wlab_host_func_new(bm.store, NULL, 0, NULL, 0, host_boom, &bm);
	assert_int_equal(wlab_store_define(bm.store, "env", "boom", h), WLAB_OK);
	assert_int_equal(wlab_instantiate(bm.store, m, &inst, &err, &trap), WLAB_OK);
	assert_true(wlab_instance_export(inst, "a", 1, &a));
	assert_true(wlab_instance_export(inst, "d", 1, &d));
	bm.a = a.u.func;
	assert_int_equal(wlab_func_index(a.u.func), 1);
	assert_int_equal(wlab_func_index(h.u.func), UINT32_MAX);
	assert_ptr_equal(wlab_func_instance(a.u.func), inst);

	/* three guest frames, innermost first */
	assert_int_equal(wlab_call(bm.store, a.u.func, NULL, NULL, &trap), WLAB_TRAP);
	assert_int_equal(trap, WLAB_TRAP_UNREACHABLE);
	expect_frames(bm.store, inst, (const char *const[]){"c", "b", "a"},
		      (const size_t[]){unreach, call_c, call_b}, 3);
	struct wlab_frame_info one;
	assert_int_equal(wlab_store_backtrace(bm.store, &one, 1), 3);
	assert_int_equal(one.offset, unreach);

	/* a trap in a host function, then a process exit */
	assert_int_equal(wlab_call(bm.store, d.u.func, NULL, NULL, &trap), WLAB_TRAP);
	assert_int_equal(trap, WLAB_TRAP_HOST);
	expect_frames(bm.store, inst, (const char *const[]){NULL, "d"},
		      (const size_t[]){0, call_boom}, 2);
	bm.mode = 2;
	assert_int_equal(wlab_call(bm.store, d.u.func, NULL, NULL, &trap), WLAB_TRAP);
	assert_int_equal(trap, WLAB_TRAP_EXIT);
	expect_frames(bm.store, inst, (const char *const[]){NULL, "d"},
		      (const size_t[]){0, call_boom}, 2);

	/* the host calls a, which traps, and passes the trap on */
	bm.mode = 1;
	assert_int_equal(wlab_call(bm.store, d.u.func, NULL, NULL, &trap), WLAB_TRAP);
	assert_int_equal(trap, WLAB_TRAP_UNREACHABLE);
	expect_frames(bm.store, inst, (const char *const[]){"c", "b", "a", NULL, "d"},
		      (const size_t[]){unreach, call_c, call_b, 0, call_boom}, 5);

	/* the store is usable: a call that completes has no backtrace */
	bm.mode = 3;
	for (int i = 0; i < 3; i++) {
		assert_int_equal(wlab_call(bm.store, d.u.func, NULL, NULL, &trap), WLAB_OK);
		assert_int_equal(wlab_store_backtrace(bm.store, NULL, 0), 0);
	}
	/* a host function called directly is one frame */
	bm.mode = 0;
	assert_int_equal(wlab_call(bm.store, h.u.func, NULL, NULL, &trap), WLAB_TRAP);
	expect_frames(bm.store, inst, (const char *const[]){NULL}, (const size_t[]){0}, 1);
	wlab_store_free(bm.store);
	wlab_module_free(m);
	tu_buf_free(&s);
	tu_buf_free(&b);
}

/* Two memories: loads, stores, memory.size and memory.grow on memory 1
 * leave memory 0 alone; the multi-memory feature is needed to instantiate. */
static void test_multi_memory(void **state)
{
	(void)state;
	struct tu_buf b = {0}, s = {0};
	struct wlab_module *m = NULL;
	struct wlab_error err = {0};
	struct wlab_instance *inst;
	struct wlab_extern f;
	enum wlab_trap trap;
	uint64_t arg, out = 0;
	tu_header(&b);
	TU_PUT(&s, 1, 0x60, 1, I32, 1, I32);
	tu_section(&b, 1, &s);
	tu_buf_reset(&s);
	TU_PUT(&s, 1, 0);
	tu_section(&b, 3, &s);
	tu_buf_reset(&s);
	TU_PUT(&s, 2, 0, 1, 1, 1, 3);  /* memory 0: 1 page; memory 1: 1..3 */
	tu_section(&b, 5, &s);
	tu_buf_reset(&s);
	TU_PUT(&s, 1);
	tu_name(&s, "f");
	TU_PUT(&s, 0, 0);
	tu_section(&b, 7, &s);
	tu_buf_reset(&s);
	/* f(x): mem1[x] = 42 (i32.store8 at offset 1); memory.grow 1 by 1 (old size);
	 * + mem1.load8_s[x + 1] + mem0.load8_u[x + 1] * 1000 + memory.size 1 * 100 */
	static const uint8_t body[] = {
		0, 0x20, 0, 0x41, 0x2a, 0x3a, 0x40, 1, 1,                /* i32.store8 mem 1 */
		0x41, 1, 0x40, 1,                                       /* memory.grow 1 */
		0x20, 0, 0x2c, 0x40, 1, 1, 0x6a,                        /* i32.load8_s mem 1 */
		0x20, 0, 0x2d, 0x00, 1, 0x41, 0xe8, 0x07, 0x6c, 0x6a,   /* i32.load8_u mem 0 */
		0x3f, 1, 0x41, 0xe4, 0x00, 0x6c, 0x6a, 0x0b};           /* memory.size 1 */
	tu_u32(&s, 1);
	tu_u32(&s, sizeof body);
	tu_bytes(&s, body, sizeof body);
	tu_section(&b, 10, &s);
	struct wlab_decode_options dopts = {
		.features = wlab_features_default() | WLAB_FEATURE_MULTI_MEMORY};
	assert_int_equal(tu_decode(&b, &dopts, &m, &err), WLAB_OK);
	struct wlab_store *st = wlab_store_new(&(struct wlab_store_options){
		.features = WLAB_FEATURES_2_0});
	assert_int_equal(wlab_instantiate(st, m, &inst, &err, &trap), WLAB_INVALID);
	wlab_store_free(st);
	st = wlab_store_new(&(struct wlab_store_options){
		.features = wlab_features_default() | WLAB_FEATURE_MULTI_MEMORY});
	assert_int_equal(wlab_instantiate(st, m, &inst, &err, &trap), WLAB_OK);
	assert_true(wlab_instance_export(inst, "f", 1, &f));
	arg = 7;
	assert_int_equal(wlab_call(st, f.u.func, &arg, &out, &trap), WLAB_OK);
	assert_int_equal(out, 1 + 42 + 0 + 200);
	/* the second call grows memory 1 to 3 pages; the third cannot grow */
	assert_int_equal(wlab_call(st, f.u.func, &arg, &out, &trap), WLAB_OK);
	assert_int_equal(out, 2 + 42 + 300);
	assert_int_equal(wlab_call(st, f.u.func, &arg, &out, &trap), WLAB_OK);
	assert_int_equal(out, 341);  /* -1 + 42 + 300 */
	/* out of bounds in memory 1 (3 pages) though in bounds of nothing else */
	arg = 3 * 65536 - 1;
	assert_int_equal(wlab_call(st, f.u.func, &arg, &out, &trap), WLAB_TRAP);
	assert_int_equal(trap, WLAB_TRAP_MEMORY_OOB);
	wlab_store_free(st);
	wlab_module_free(m);
	tu_buf_free(&s);
	tu_buf_free(&b);
}

#define NCASES (sizeof cases / sizeof cases[0])

int main(void)
{
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test(test_host_import),
		cmocka_unit_test(test_host_reenters),
		cmocka_unit_test(test_memory_cap),
		cmocka_unit_test(test_trap_messages),
		cmocka_unit_test(test_fuel),
		cmocka_unit_test(test_fuel_switch),
		cmocka_unit_test(test_backtrace),
		cmocka_unit_test(test_multi_memory),
	};
	static struct CMUnitTest tests[NCASES + sizeof fixed / sizeof fixed[0]];
	size_t n = 0;
	for (size_t i = 0; i < NCASES; i++)
		tests[n++] = (struct CMUnitTest){cases[i].name, test_case, NULL, NULL,
						 (void *)&cases[i]};
	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
		tests[n++] = fixed[i];
	return _cmocka_run_group_tests("rt", tests, n, NULL, NULL);
}
