/* rt_simd.c: the v128 instructions of the interpreter, out of the hot loop.
 *
 * A v128 value takes two 64-bit stack slots, the low half (lanes 0..7 of
 * i8x16) at the lower address, so the 16 bytes of the two slots are the
 * value's little-endian bytes. The translator (rt_compile.c) gives every
 * operand height and local a slot offset, emits v128.const as two
 * i64.const cells and i8x16.shuffle as two i64.const cells (the lane
 * indices) before the shuffle cell; lane immediates are in the cell's a,
 * memarg offsets in b. Float lanes follow the scalar rules of
 * rt_exec_ops.h (arithmetic NaNs from the C operators, min/max with -0 and
 * NaN, rounding that quiets). The relaxed instructions give the results of
 * the spec's deterministic profile (every choice is its first alternative):
 * each shares its case with the plain instruction it then equals, and the
 * three-operand ones are in simd_ternary (docs/interpreter.md). */
#include <math.h>
#include <string.h>

#include "rt_exec_ops.h"
#include "rt_internal.h"

typedef union {
	uint8_t u8[16];
	int8_t i8[16];
	uint16_t u16[8];
	int16_t i16[8];
	uint32_t u32[4];
	int32_t i32[4];
	uint64_t u64[2];
	int64_t i64[2];
	float f32[4];
	double f64[2];
} v128;

static inline v128 vget(const uint64_t *p)
{
	v128 v;
	memcpy(&v, p, 16);
	return v;
}
static inline void vput(uint64_t *p, const v128 *v)
{
	memcpy(p, v, 16);
}

#define L(n, ...) for (int i = 0; i < (n); i++) { __VA_ARGS__; }

static inline int8_t sat_s8(int32_t x) { return (int8_t)(x < -128 ? -128 : x > 127 ? 127 : x); }
static inline uint8_t sat_u8(int32_t x) { return (uint8_t)(x < 0 ? 0 : x > 255 ? 255 : x); }
static inline int16_t sat_s16(int32_t x)
{
	return (int16_t)(x < -32768 ? -32768 : x > 32767 ? 32767 : x);
}
static inline uint16_t sat_u16(int32_t x) { return (uint16_t)(x < 0 ? 0 : x > 65535 ? 65535 : x); }

/* float lanes through their bits, so that no copy changes a NaN */
static inline float lf32(const v128 *v, int i) { return f32_of(v->u32[i]); }
static inline double lf64(const v128 *v, int i) { return f64_of(v->u64[i]); }
#define SF32(r, i, x) ((r).u32[i] = (uint32_t)bits_f32(x))
#define SF64(r, i, x) ((r).u64[i] = bits_f64(x))

static inline uint32_t lane_sat32(double x, enum rt_trunc k)
{
	return (uint32_t)trunc_sat(x, k);
}

/* The bytes a memory instruction accesses. */
static uint32_t mem_bytes(uint16_t op)
{
	switch (op) {
	case WLAB_OP_V128_LOAD: case WLAB_OP_V128_STORE: return 16;
	case WLAB_OP_V128_LOAD8_SPLAT: case WLAB_OP_V128_LOAD8_LANE:
	case WLAB_OP_V128_STORE8_LANE: return 1;
	case WLAB_OP_V128_LOAD16_SPLAT: case WLAB_OP_V128_LOAD16_LANE:
	case WLAB_OP_V128_STORE16_LANE: return 2;
	case WLAB_OP_V128_LOAD32_SPLAT: case WLAB_OP_V128_LOAD32_LANE:
	case WLAB_OP_V128_STORE32_LANE: case WLAB_OP_V128_LOAD32_ZERO: return 4;
	default: return 8;  /* the extending loads, 64-bit splat, lane and zero */
	}
}

/* Memory instructions. Loads pop an address and push a v128; v128.store
 * and the lane ones take the address below a v128. */
enum wlab_trap rt_simd_mem(struct wlab_store *s, const struct rt_memory *mem, uint32_t memidx,
			   uint16_t op, uint32_t lane, uint64_t offset, uint64_t **spp)
{
	uint64_t *sp = *spp;
	bool below = op == WLAB_OP_V128_STORE ||
		     (op >= WLAB_OP_V128_LOAD8_LANE && op <= WLAB_OP_V128_STORE64_LANE);
	uint32_t n = mem_bytes(op);
	uint8_t *p = mem_at_any(mem, sp[below ? -3 : -1], offset, n);
	int8_t s8[8];
	int16_t s16[4];
	int32_t s32[2];
	v128 r;
	if (!p) {
		uint64_t at = sp[below ? -3 : -1];
		rt_trap_access(s, op, mem->is64 ? at : (uint32_t)at, offset, n, mem->size, memidx);
		return WLAB_TRAP_MEMORY_OOB;
	}
	memset(&r, 0, sizeof r);
	switch (op) {
	case WLAB_OP_V128_STORE:
		memcpy(p, sp - 2, 16);
		*spp = sp - 3;
		return WLAB_TRAP_NONE;
	case WLAB_OP_V128_STORE8_LANE: case WLAB_OP_V128_STORE16_LANE:
	case WLAB_OP_V128_STORE32_LANE: case WLAB_OP_V128_STORE64_LANE:
		r = vget(sp - 2);
		memcpy(p, r.u8 + lane % (16 / n) * n, n);
		*spp = sp - 3;
		return WLAB_TRAP_NONE;
	case WLAB_OP_V128_LOAD8_LANE: case WLAB_OP_V128_LOAD16_LANE:
	case WLAB_OP_V128_LOAD32_LANE: case WLAB_OP_V128_LOAD64_LANE:
		r = vget(sp - 2);
		memcpy(r.u8 + lane % (16 / n) * n, p, n);
		vput(sp - 3, &r);
		*spp = sp - 1;
		return WLAB_TRAP_NONE;
	case WLAB_OP_V128_LOAD8X8_S: memcpy(s8, p, 8); L(8, r.i16[i] = s8[i]); break;
	case WLAB_OP_V128_LOAD8X8_U: L(8, r.u16[i] = p[i]); break;
	case WLAB_OP_V128_LOAD16X4_S: memcpy(s16, p, 8); L(4, r.i32[i] = s16[i]); break;
	case WLAB_OP_V128_LOAD16X4_U: memcpy(s16, p, 8); L(4, r.u32[i] = (uint16_t)s16[i]); break;
	case WLAB_OP_V128_LOAD32X2_S: memcpy(s32, p, 8); L(2, r.i64[i] = s32[i]); break;
	case WLAB_OP_V128_LOAD32X2_U: memcpy(s32, p, 8); L(2, r.u64[i] = (uint32_t)s32[i]); break;
	case WLAB_OP_V128_LOAD8_SPLAT: case WLAB_OP_V128_LOAD16_SPLAT:
	case WLAB_OP_V128_LOAD32_SPLAT: case WLAB_OP_V128_LOAD64_SPLAT:
		for (uint32_t i = 0; i < 16; i += n)
			memcpy(r.u8 + i, p, n);
		break;
	default:  /* v128.load, load32_zero, load64_zero */
		memcpy(&r, p, n);
		break;
	}
	/* the address slot becomes the low half */
	vput(sp - 1, &r);
	*spp = sp + 1;
	return WLAB_TRAP_NONE;
}

/* Instructions whose result is not a v128, or whose operands are not all
 * v128: lanes, splats, shifts, tests. Returns -1 when op is none of them. */
static int simd_mixed(const struct rt_cell *ip, uint64_t **spp)
{
	uint64_t *sp = *spp;
	v128 a, r;
	uint32_t n = ip->a, k = (uint32_t)sp[-1], m = 1;
	switch (ip->op) {
	/* splats: one scalar slot becomes two */
	case WLAB_OP_I8X16_SPLAT: L(16, r.u8[i] = (uint8_t)sp[-1]); goto push;
	case WLAB_OP_I16X8_SPLAT: L(8, r.u16[i] = (uint16_t)sp[-1]); goto push;
	case WLAB_OP_I32X4_SPLAT: case WLAB_OP_F32X4_SPLAT:
		L(4, r.u32[i] = (uint32_t)sp[-1]); goto push;
	case WLAB_OP_I64X2_SPLAT: case WLAB_OP_F64X2_SPLAT:
		L(2, r.u64[i] = sp[-1]); goto push;
	/* extract: two slots become one */
	case WLAB_OP_I8X16_EXTRACT_LANE_S:
		a = vget(sp - 2); sp[-2] = (uint32_t)(int32_t)a.i8[n % 16]; goto pop1;
	case WLAB_OP_I8X16_EXTRACT_LANE_U: a = vget(sp - 2); sp[-2] = a.u8[n % 16]; goto pop1;
	case WLAB_OP_I16X8_EXTRACT_LANE_S:
		a = vget(sp - 2); sp[-2] = (uint32_t)(int32_t)a.i16[n % 8]; goto pop1;
	case WLAB_OP_I16X8_EXTRACT_LANE_U: a = vget(sp - 2); sp[-2] = a.u16[n % 8]; goto pop1;
	case WLAB_OP_I32X4_EXTRACT_LANE: case WLAB_OP_F32X4_EXTRACT_LANE:
		a = vget(sp - 2); sp[-2] = a.u32[n % 4]; goto pop1;
	case WLAB_OP_I64X2_EXTRACT_LANE: case WLAB_OP_F64X2_EXTRACT_LANE:
		a = vget(sp - 2); sp[-2] = a.u64[n % 2]; goto pop1;
	/* replace: a v128 and a scalar */
	case WLAB_OP_I8X16_REPLACE_LANE: a = vget(sp - 3); a.u8[n % 16] = (uint8_t)k; goto repl;
	case WLAB_OP_I16X8_REPLACE_LANE: a = vget(sp - 3); a.u16[n % 8] = (uint16_t)k; goto repl;
	case WLAB_OP_I32X4_REPLACE_LANE: case WLAB_OP_F32X4_REPLACE_LANE:
		a = vget(sp - 3); a.u32[n % 4] = k; goto repl;
	case WLAB_OP_I64X2_REPLACE_LANE: case WLAB_OP_F64X2_REPLACE_LANE:
		a = vget(sp - 3); a.u64[n % 2] = sp[-1]; goto repl;
	/* shifts: a v128 and an i32 count, modulo the lane width */
	case WLAB_OP_I8X16_SHL:
		a = vget(sp - 3); L(16, a.u8[i] = (uint8_t)(a.u8[i] << (k & 7))); goto repl;
	case WLAB_OP_I8X16_SHR_U: a = vget(sp - 3); L(16, a.u8[i] >>= k & 7); goto repl;
	case WLAB_OP_I8X16_SHR_S:
		a = vget(sp - 3); L(16, a.i8[i] = (int8_t)(a.i8[i] >> (k & 7))); goto repl;
	case WLAB_OP_I16X8_SHL:
		a = vget(sp - 3); L(8, a.u16[i] = (uint16_t)(a.u16[i] << (k & 15))); goto repl;
	case WLAB_OP_I16X8_SHR_U: a = vget(sp - 3); L(8, a.u16[i] >>= k & 15); goto repl;
	case WLAB_OP_I16X8_SHR_S:
		a = vget(sp - 3); L(8, a.i16[i] = (int16_t)(a.i16[i] >> (k & 15))); goto repl;
	case WLAB_OP_I32X4_SHL: a = vget(sp - 3); L(4, a.u32[i] <<= k & 31); goto repl;
	case WLAB_OP_I32X4_SHR_U: a = vget(sp - 3); L(4, a.u32[i] >>= k & 31); goto repl;
	case WLAB_OP_I32X4_SHR_S: a = vget(sp - 3); L(4, a.u32[i] = i32_shr_s(a.u32[i], k)); goto repl;
	case WLAB_OP_I64X2_SHL: a = vget(sp - 3); L(2, a.u64[i] <<= k & 63); goto repl;
	case WLAB_OP_I64X2_SHR_U: a = vget(sp - 3); L(2, a.u64[i] >>= k & 63); goto repl;
	case WLAB_OP_I64X2_SHR_S: a = vget(sp - 3); L(2, a.u64[i] = i64_shr_s(a.u64[i], k)); goto repl;
	/* tests: a v128 becomes an i32 */
	case WLAB_OP_V128_ANY_TRUE: a = vget(sp - 2); m = (a.u64[0] | a.u64[1]) != 0; goto test;
	case WLAB_OP_I8X16_ALL_TRUE: a = vget(sp - 2); L(16, m &= a.u8[i] != 0); goto test;
	case WLAB_OP_I16X8_ALL_TRUE: a = vget(sp - 2); L(8, m &= a.u16[i] != 0); goto test;
	case WLAB_OP_I32X4_ALL_TRUE: a = vget(sp - 2); L(4, m &= a.u32[i] != 0); goto test;
	case WLAB_OP_I64X2_ALL_TRUE: a = vget(sp - 2); L(2, m &= a.u64[i] != 0); goto test;
	case WLAB_OP_I8X16_BITMASK:
		a = vget(sp - 2); m = 0; L(16, m |= (uint32_t)(a.i8[i] < 0) << i); goto test;
	case WLAB_OP_I16X8_BITMASK:
		a = vget(sp - 2); m = 0; L(8, m |= (uint32_t)(a.i16[i] < 0) << i); goto test;
	case WLAB_OP_I32X4_BITMASK:
		a = vget(sp - 2); m = 0; L(4, m |= (uint32_t)(a.i32[i] < 0) << i); goto test;
	case WLAB_OP_I64X2_BITMASK:
		a = vget(sp - 2); m = 0; L(2, m |= (uint32_t)(a.i64[i] < 0) << i); goto test;
	default:
		return -1;
	}
push:
	vput(sp - 1, &r);
	*spp = sp + 1;
	return 0;
test:
	sp[-2] = m;
pop1:
	*spp = sp - 1;
	return 0;
repl:
	vput(sp - 3, &a);
	*spp = sp - 1;
	return 0;
}

/* Unary v128 -> v128; returns false when op is not one. */
static bool simd_unary(uint16_t op, const v128 *pa, v128 *pr)
{
	const v128 a = *pa;
	v128 r;
	memset(&r, 0, sizeof r);
	switch (op) {
	case WLAB_OP_V128_NOT: L(2, r.u64[i] = ~a.u64[i]); break;
	case WLAB_OP_I8X16_ABS: L(16, r.u8[i] = (uint8_t)(a.i8[i] < 0 ? -a.u8[i] : a.u8[i])); break;
	case WLAB_OP_I8X16_NEG: L(16, r.u8[i] = (uint8_t)-a.u8[i]); break;
	case WLAB_OP_I8X16_POPCNT: L(16, r.u8[i] = (uint8_t)__builtin_popcount(a.u8[i])); break;
	case WLAB_OP_I16X8_ABS:
		L(8, r.u16[i] = (uint16_t)(a.i16[i] < 0 ? -a.u16[i] : a.u16[i])); break;
	case WLAB_OP_I16X8_NEG: L(8, r.u16[i] = (uint16_t)-a.u16[i]); break;
	case WLAB_OP_I32X4_ABS: L(4, r.u32[i] = a.i32[i] < 0 ? -a.u32[i] : a.u32[i]); break;
	case WLAB_OP_I32X4_NEG: L(4, r.u32[i] = -a.u32[i]); break;
	case WLAB_OP_I64X2_ABS: L(2, r.u64[i] = a.i64[i] < 0 ? -a.u64[i] : a.u64[i]); break;
	case WLAB_OP_I64X2_NEG: L(2, r.u64[i] = -a.u64[i]); break;
	case WLAB_OP_I16X8_EXTEND_LOW_I8X16_S: L(8, r.i16[i] = a.i8[i]); break;
	case WLAB_OP_I16X8_EXTEND_HIGH_I8X16_S: L(8, r.i16[i] = a.i8[i + 8]); break;
	case WLAB_OP_I16X8_EXTEND_LOW_I8X16_U: L(8, r.u16[i] = a.u8[i]); break;
	case WLAB_OP_I16X8_EXTEND_HIGH_I8X16_U: L(8, r.u16[i] = a.u8[i + 8]); break;
	case WLAB_OP_I32X4_EXTEND_LOW_I16X8_S: L(4, r.i32[i] = a.i16[i]); break;
	case WLAB_OP_I32X4_EXTEND_HIGH_I16X8_S: L(4, r.i32[i] = a.i16[i + 4]); break;
	case WLAB_OP_I32X4_EXTEND_LOW_I16X8_U: L(4, r.u32[i] = a.u16[i]); break;
	case WLAB_OP_I32X4_EXTEND_HIGH_I16X8_U: L(4, r.u32[i] = a.u16[i + 4]); break;
	case WLAB_OP_I64X2_EXTEND_LOW_I32X4_S: L(2, r.i64[i] = a.i32[i]); break;
	case WLAB_OP_I64X2_EXTEND_HIGH_I32X4_S: L(2, r.i64[i] = a.i32[i + 2]); break;
	case WLAB_OP_I64X2_EXTEND_LOW_I32X4_U: L(2, r.u64[i] = a.u32[i]); break;
	case WLAB_OP_I64X2_EXTEND_HIGH_I32X4_U: L(2, r.u64[i] = a.u32[i + 2]); break;
	case WLAB_OP_I16X8_EXTADD_PAIRWISE_I8X16_S:
		L(8, r.i16[i] = (int16_t)(a.i8[2 * i] + a.i8[2 * i + 1])); break;
	case WLAB_OP_I16X8_EXTADD_PAIRWISE_I8X16_U:
		L(8, r.u16[i] = (uint16_t)(a.u8[2 * i] + a.u8[2 * i + 1])); break;
	case WLAB_OP_I32X4_EXTADD_PAIRWISE_I16X8_S:
		L(4, r.i32[i] = a.i16[2 * i] + a.i16[2 * i + 1]); break;
	case WLAB_OP_I32X4_EXTADD_PAIRWISE_I16X8_U:
		L(4, r.u32[i] = (uint32_t)a.u16[2 * i] + a.u16[2 * i + 1]); break;
	/* floats */
	case WLAB_OP_F32X4_ABS: L(4, r.u32[i] = a.u32[i] & 0x7fffffffu); break;
	case WLAB_OP_F32X4_NEG: L(4, r.u32[i] = a.u32[i] ^ 0x80000000u); break;
	case WLAB_OP_F64X2_ABS: L(2, r.u64[i] = a.u64[i] & ~F64_SIGN); break;
	case WLAB_OP_F64X2_NEG: L(2, r.u64[i] = a.u64[i] ^ F64_SIGN); break;
	case WLAB_OP_F32X4_SQRT: L(4, SF32(r, i, sqrtf(lf32(&a, i)))); break;
	case WLAB_OP_F32X4_CEIL: L(4, SF32(r, i, f32_ceil(lf32(&a, i)))); break;
	case WLAB_OP_F32X4_FLOOR: L(4, SF32(r, i, f32_floor(lf32(&a, i)))); break;
	case WLAB_OP_F32X4_TRUNC: L(4, SF32(r, i, f32_trunc(lf32(&a, i)))); break;
	case WLAB_OP_F32X4_NEAREST: L(4, SF32(r, i, f32_nearest(lf32(&a, i)))); break;
	case WLAB_OP_F64X2_SQRT: L(2, SF64(r, i, sqrt(lf64(&a, i)))); break;
	case WLAB_OP_F64X2_CEIL: L(2, SF64(r, i, f64_ceil(lf64(&a, i)))); break;
	case WLAB_OP_F64X2_FLOOR: L(2, SF64(r, i, f64_floor(lf64(&a, i)))); break;
	case WLAB_OP_F64X2_TRUNC: L(2, SF64(r, i, f64_trunc(lf64(&a, i)))); break;
	case WLAB_OP_F64X2_NEAREST: L(2, SF64(r, i, f64_nearest(lf64(&a, i)))); break;
	/* conversions */
	case WLAB_OP_I32X4_TRUNC_SAT_F32X4_S: case WLAB_OP_I32X4_RELAXED_TRUNC_F32X4_S:
		L(4, r.u32[i] = lane_sat32(lf32(&a, i), TRUNC_I32_S)); break;
	case WLAB_OP_I32X4_TRUNC_SAT_F32X4_U: case WLAB_OP_I32X4_RELAXED_TRUNC_F32X4_U:
		L(4, r.u32[i] = lane_sat32(lf32(&a, i), TRUNC_I32_U)); break;
	case WLAB_OP_I32X4_TRUNC_SAT_F64X2_S_ZERO: case WLAB_OP_I32X4_RELAXED_TRUNC_F64X2_S_ZERO:
		L(2, r.u32[i] = lane_sat32(lf64(&a, i), TRUNC_I32_S)); break;
	case WLAB_OP_I32X4_TRUNC_SAT_F64X2_U_ZERO: case WLAB_OP_I32X4_RELAXED_TRUNC_F64X2_U_ZERO:
		L(2, r.u32[i] = lane_sat32(lf64(&a, i), TRUNC_I32_U)); break;
	case WLAB_OP_F32X4_CONVERT_I32X4_S: L(4, SF32(r, i, (float)a.i32[i])); break;
	case WLAB_OP_F32X4_CONVERT_I32X4_U: L(4, SF32(r, i, (float)a.u32[i])); break;
	case WLAB_OP_F64X2_CONVERT_LOW_I32X4_S: L(2, SF64(r, i, (double)a.i32[i])); break;
	case WLAB_OP_F64X2_CONVERT_LOW_I32X4_U: L(2, SF64(r, i, (double)a.u32[i])); break;
	case WLAB_OP_F32X4_DEMOTE_F64X2_ZERO: L(2, SF32(r, i, (float)lf64(&a, i))); break;
	case WLAB_OP_F64X2_PROMOTE_LOW_F32X4: L(2, SF64(r, i, (double)lf32(&a, i))); break;
	default:
		return false;
	}
	*pr = r;
	return true;
}

/* Lane loops of r from a and b. Comparisons give all ones when true (-1
 * converted to the unsigned lane type); FBIN32/FBIN64 name the lanes x, y. */
#define CMP(r, a, b, nl, rf, af, op) L(nl, (r).rf[i] = -((a).af[i] op (b).af[i]))
#define FCMP32(r, a, b, op) L(4, (r).u32[i] = lf32(&(a), i) op lf32(&(b), i) ? 0xffffffffu : 0)
#define FCMP64(r, a, b, op) L(2, (r).u64[i] = lf64(&(a), i) op lf64(&(b), i) ? UINT64_MAX : 0)
#define FBIN32(r, a, b, expr) \
	L(4, { float x = lf32(&(a), i), y = lf32(&(b), i); SF32(r, i, expr); })
#define FBIN64(r, a, b, expr) \
	L(2, { double x = lf64(&(a), i), y = lf64(&(b), i); SF64(r, i, expr); })
#define MINMAX(r, a, b, nl, f, op) L(nl, (r).f[i] = (a).f[i] op (b).f[i] ? (a).f[i] : (b).f[i])

/* Binary v128 x v128 -> v128; returns false when op is not one. */
static bool simd_binary(uint16_t op, const v128 *pa, const v128 *pb, v128 *pr)
{
	const v128 a = *pa, b = *pb;
	v128 r;
	memset(&r, 0, sizeof r);
	switch (op) {
	case WLAB_OP_V128_AND: L(2, r.u64[i] = a.u64[i] & b.u64[i]); break;
	case WLAB_OP_V128_ANDNOT: L(2, r.u64[i] = a.u64[i] & ~b.u64[i]); break;
	case WLAB_OP_V128_OR: L(2, r.u64[i] = a.u64[i] | b.u64[i]); break;
	case WLAB_OP_V128_XOR: L(2, r.u64[i] = a.u64[i] ^ b.u64[i]); break;
	case WLAB_OP_I8X16_SWIZZLE: case WLAB_OP_I8X16_RELAXED_SWIZZLE:
		L(16, r.u8[i] = b.u8[i] < 16 ? a.u8[b.u8[i]] : 0); break;
	/* integer comparisons */
	case WLAB_OP_I8X16_EQ: CMP(r, a, b, 16, u8, u8, ==); break;
	case WLAB_OP_I8X16_NE: CMP(r, a, b, 16, u8, u8, !=); break;
	case WLAB_OP_I8X16_LT_S: CMP(r, a, b, 16, u8, i8, <); break;
	case WLAB_OP_I8X16_LT_U: CMP(r, a, b, 16, u8, u8, <); break;
	case WLAB_OP_I8X16_GT_S: CMP(r, a, b, 16, u8, i8, >); break;
	case WLAB_OP_I8X16_GT_U: CMP(r, a, b, 16, u8, u8, >); break;
	case WLAB_OP_I8X16_LE_S: CMP(r, a, b, 16, u8, i8, <=); break;
	case WLAB_OP_I8X16_LE_U: CMP(r, a, b, 16, u8, u8, <=); break;
	case WLAB_OP_I8X16_GE_S: CMP(r, a, b, 16, u8, i8, >=); break;
	case WLAB_OP_I8X16_GE_U: CMP(r, a, b, 16, u8, u8, >=); break;
	case WLAB_OP_I16X8_EQ: CMP(r, a, b, 8, u16, u16, ==); break;
	case WLAB_OP_I16X8_NE: CMP(r, a, b, 8, u16, u16, !=); break;
	case WLAB_OP_I16X8_LT_S: CMP(r, a, b, 8, u16, i16, <); break;
	case WLAB_OP_I16X8_LT_U: CMP(r, a, b, 8, u16, u16, <); break;
	case WLAB_OP_I16X8_GT_S: CMP(r, a, b, 8, u16, i16, >); break;
	case WLAB_OP_I16X8_GT_U: CMP(r, a, b, 8, u16, u16, >); break;
	case WLAB_OP_I16X8_LE_S: CMP(r, a, b, 8, u16, i16, <=); break;
	case WLAB_OP_I16X8_LE_U: CMP(r, a, b, 8, u16, u16, <=); break;
	case WLAB_OP_I16X8_GE_S: CMP(r, a, b, 8, u16, i16, >=); break;
	case WLAB_OP_I16X8_GE_U: CMP(r, a, b, 8, u16, u16, >=); break;
	case WLAB_OP_I32X4_EQ: CMP(r, a, b, 4, u32, u32, ==); break;
	case WLAB_OP_I32X4_NE: CMP(r, a, b, 4, u32, u32, !=); break;
	case WLAB_OP_I32X4_LT_S: CMP(r, a, b, 4, u32, i32, <); break;
	case WLAB_OP_I32X4_LT_U: CMP(r, a, b, 4, u32, u32, <); break;
	case WLAB_OP_I32X4_GT_S: CMP(r, a, b, 4, u32, i32, >); break;
	case WLAB_OP_I32X4_GT_U: CMP(r, a, b, 4, u32, u32, >); break;
	case WLAB_OP_I32X4_LE_S: CMP(r, a, b, 4, u32, i32, <=); break;
	case WLAB_OP_I32X4_LE_U: CMP(r, a, b, 4, u32, u32, <=); break;
	case WLAB_OP_I32X4_GE_S: CMP(r, a, b, 4, u32, i32, >=); break;
	case WLAB_OP_I32X4_GE_U: CMP(r, a, b, 4, u32, u32, >=); break;
	case WLAB_OP_I64X2_EQ: CMP(r, a, b, 2, u64, u64, ==); break;
	case WLAB_OP_I64X2_NE: CMP(r, a, b, 2, u64, u64, !=); break;
	case WLAB_OP_I64X2_LT_S: CMP(r, a, b, 2, u64, i64, <); break;
	case WLAB_OP_I64X2_GT_S: CMP(r, a, b, 2, u64, i64, >); break;
	case WLAB_OP_I64X2_LE_S: CMP(r, a, b, 2, u64, i64, <=); break;
	case WLAB_OP_I64X2_GE_S: CMP(r, a, b, 2, u64, i64, >=); break;
	/* float comparisons */
	case WLAB_OP_F32X4_EQ: FCMP32(r, a, b, ==); break;
	case WLAB_OP_F32X4_NE: FCMP32(r, a, b, !=); break;
	case WLAB_OP_F32X4_LT: FCMP32(r, a, b, <); break;
	case WLAB_OP_F32X4_GT: FCMP32(r, a, b, >); break;
	case WLAB_OP_F32X4_LE: FCMP32(r, a, b, <=); break;
	case WLAB_OP_F32X4_GE: FCMP32(r, a, b, >=); break;
	case WLAB_OP_F64X2_EQ: FCMP64(r, a, b, ==); break;
	case WLAB_OP_F64X2_NE: FCMP64(r, a, b, !=); break;
	case WLAB_OP_F64X2_LT: FCMP64(r, a, b, <); break;
	case WLAB_OP_F64X2_GT: FCMP64(r, a, b, >); break;
	case WLAB_OP_F64X2_LE: FCMP64(r, a, b, <=); break;
	case WLAB_OP_F64X2_GE: FCMP64(r, a, b, >=); break;
	/* integer arithmetic */
	case WLAB_OP_I8X16_ADD: L(16, r.u8[i] = (uint8_t)(a.u8[i] + b.u8[i])); break;
	case WLAB_OP_I8X16_SUB: L(16, r.u8[i] = (uint8_t)(a.u8[i] - b.u8[i])); break;
	case WLAB_OP_I8X16_ADD_SAT_S: L(16, r.i8[i] = sat_s8(a.i8[i] + b.i8[i])); break;
	case WLAB_OP_I8X16_ADD_SAT_U: L(16, r.u8[i] = sat_u8(a.u8[i] + b.u8[i])); break;
	case WLAB_OP_I8X16_SUB_SAT_S: L(16, r.i8[i] = sat_s8(a.i8[i] - b.i8[i])); break;
	case WLAB_OP_I8X16_SUB_SAT_U: L(16, r.u8[i] = sat_u8(a.u8[i] - b.u8[i])); break;
	case WLAB_OP_I8X16_MIN_S: MINMAX(r, a, b, 16, i8, <); break;
	case WLAB_OP_I8X16_MIN_U: MINMAX(r, a, b, 16, u8, <); break;
	case WLAB_OP_I8X16_MAX_S: MINMAX(r, a, b, 16, i8, >); break;
	case WLAB_OP_I8X16_MAX_U: MINMAX(r, a, b, 16, u8, >); break;
	case WLAB_OP_I8X16_AVGR_U: L(16, r.u8[i] = (uint8_t)((a.u8[i] + b.u8[i] + 1) / 2)); break;
	case WLAB_OP_I8X16_NARROW_I16X8_S:
		L(8, r.i8[i] = sat_s8(a.i16[i]); r.i8[i + 8] = sat_s8(b.i16[i])); break;
	case WLAB_OP_I8X16_NARROW_I16X8_U:
		L(8, r.u8[i] = sat_u8(a.i16[i]); r.u8[i + 8] = sat_u8(b.i16[i])); break;
	case WLAB_OP_I16X8_ADD: L(8, r.u16[i] = (uint16_t)(a.u16[i] + b.u16[i])); break;
	case WLAB_OP_I16X8_SUB: L(8, r.u16[i] = (uint16_t)(a.u16[i] - b.u16[i])); break;
	case WLAB_OP_I16X8_MUL: L(8, r.u16[i] = (uint16_t)((uint32_t)a.u16[i] * b.u16[i])); break;
	case WLAB_OP_I16X8_ADD_SAT_S: L(8, r.i16[i] = sat_s16(a.i16[i] + b.i16[i])); break;
	case WLAB_OP_I16X8_ADD_SAT_U: L(8, r.u16[i] = sat_u16(a.u16[i] + b.u16[i])); break;
	case WLAB_OP_I16X8_SUB_SAT_S: L(8, r.i16[i] = sat_s16(a.i16[i] - b.i16[i])); break;
	case WLAB_OP_I16X8_SUB_SAT_U: L(8, r.u16[i] = sat_u16(a.u16[i] - b.u16[i])); break;
	case WLAB_OP_I16X8_MIN_S: MINMAX(r, a, b, 8, i16, <); break;
	case WLAB_OP_I16X8_MIN_U: MINMAX(r, a, b, 8, u16, <); break;
	case WLAB_OP_I16X8_MAX_S: MINMAX(r, a, b, 8, i16, >); break;
	case WLAB_OP_I16X8_MAX_U: MINMAX(r, a, b, 8, u16, >); break;
	case WLAB_OP_I16X8_AVGR_U: L(8, r.u16[i] = (uint16_t)((a.u16[i] + b.u16[i] + 1) / 2)); break;
	case WLAB_OP_I16X8_Q15MULR_SAT_S: case WLAB_OP_I16X8_RELAXED_Q15MULR_S:
		L(8, r.i16[i] = sat_s16((a.i16[i] * b.i16[i] + 0x4000) >> 15)); break;
	case WLAB_OP_I16X8_NARROW_I32X4_S:
		L(4, r.i16[i] = sat_s16(a.i32[i]); r.i16[i + 4] = sat_s16(b.i32[i]));
		break;
	case WLAB_OP_I16X8_NARROW_I32X4_U:
		L(4, r.u16[i] = sat_u16(a.i32[i]); r.u16[i + 4] = sat_u16(b.i32[i]));
		break;
	case WLAB_OP_I16X8_EXTMUL_LOW_I8X16_S: L(8, r.i16[i] = (int16_t)(a.i8[i] * b.i8[i])); break;
	case WLAB_OP_I16X8_EXTMUL_HIGH_I8X16_S:
		L(8, r.i16[i] = (int16_t)(a.i8[i + 8] * b.i8[i + 8])); break;
	case WLAB_OP_I16X8_EXTMUL_LOW_I8X16_U: L(8, r.u16[i] = (uint16_t)(a.u8[i] * b.u8[i])); break;
	case WLAB_OP_I16X8_EXTMUL_HIGH_I8X16_U:
		L(8, r.u16[i] = (uint16_t)(a.u8[i + 8] * b.u8[i + 8])); break;
	case WLAB_OP_I32X4_ADD: L(4, r.u32[i] = a.u32[i] + b.u32[i]); break;
	case WLAB_OP_I32X4_SUB: L(4, r.u32[i] = a.u32[i] - b.u32[i]); break;
	case WLAB_OP_I32X4_MUL: L(4, r.u32[i] = a.u32[i] * b.u32[i]); break;
	case WLAB_OP_I32X4_MIN_S: MINMAX(r, a, b, 4, i32, <); break;
	case WLAB_OP_I32X4_MIN_U: MINMAX(r, a, b, 4, u32, <); break;
	case WLAB_OP_I32X4_MAX_S: MINMAX(r, a, b, 4, i32, >); break;
	case WLAB_OP_I32X4_MAX_U: MINMAX(r, a, b, 4, u32, >); break;
	case WLAB_OP_I32X4_DOT_I16X8_S:
		L(4, r.u32[i] = (uint32_t)(a.i16[2 * i] * b.i16[2 * i]) +
			       (uint32_t)(a.i16[2 * i + 1] * b.i16[2 * i + 1]));
		break;
	case WLAB_OP_I16X8_RELAXED_DOT_I8X16_I7X16_S:  /* signed x signed, wrapping */
		L(8, r.u16[i] = (uint16_t)(a.i8[2 * i] * b.i8[2 * i] +
					   a.i8[2 * i + 1] * b.i8[2 * i + 1]));
		break;
	case WLAB_OP_I32X4_EXTMUL_LOW_I16X8_S: L(4, r.i32[i] = a.i16[i] * b.i16[i]); break;
	case WLAB_OP_I32X4_EXTMUL_HIGH_I16X8_S: L(4, r.i32[i] = a.i16[i + 4] * b.i16[i + 4]); break;
	case WLAB_OP_I32X4_EXTMUL_LOW_I16X8_U:
		L(4, r.u32[i] = (uint32_t)a.u16[i] * b.u16[i]); break;
	case WLAB_OP_I32X4_EXTMUL_HIGH_I16X8_U:
		L(4, r.u32[i] = (uint32_t)a.u16[i + 4] * b.u16[i + 4]); break;
	case WLAB_OP_I64X2_ADD: L(2, r.u64[i] = a.u64[i] + b.u64[i]); break;
	case WLAB_OP_I64X2_SUB: L(2, r.u64[i] = a.u64[i] - b.u64[i]); break;
	case WLAB_OP_I64X2_MUL: L(2, r.u64[i] = a.u64[i] * b.u64[i]); break;
	case WLAB_OP_I64X2_EXTMUL_LOW_I32X4_S: L(2, r.i64[i] = (int64_t)a.i32[i] * b.i32[i]); break;
	case WLAB_OP_I64X2_EXTMUL_HIGH_I32X4_S:
		L(2, r.i64[i] = (int64_t)a.i32[i + 2] * b.i32[i + 2]); break;
	case WLAB_OP_I64X2_EXTMUL_LOW_I32X4_U: L(2, r.u64[i] = (uint64_t)a.u32[i] * b.u32[i]); break;
	case WLAB_OP_I64X2_EXTMUL_HIGH_I32X4_U:
		L(2, r.u64[i] = (uint64_t)a.u32[i + 2] * b.u32[i + 2]); break;
	/* float arithmetic */
	case WLAB_OP_F32X4_ADD: FBIN32(r, a, b, x + y); break;
	case WLAB_OP_F32X4_SUB: FBIN32(r, a, b, x - y); break;
	case WLAB_OP_F32X4_MUL: FBIN32(r, a, b, x * y); break;
	case WLAB_OP_F32X4_DIV: FBIN32(r, a, b, x / y); break;
	case WLAB_OP_F32X4_MIN: case WLAB_OP_F32X4_RELAXED_MIN: FBIN32(r, a, b, f32_min(x, y)); break;
	case WLAB_OP_F32X4_MAX: case WLAB_OP_F32X4_RELAXED_MAX: FBIN32(r, a, b, f32_max(x, y)); break;
	case WLAB_OP_F32X4_PMIN: L(4, r.u32[i] = lf32(&b, i) < lf32(&a, i) ? b.u32[i] : a.u32[i]);
		break;
	case WLAB_OP_F32X4_PMAX: L(4, r.u32[i] = lf32(&a, i) < lf32(&b, i) ? b.u32[i] : a.u32[i]);
		break;
	case WLAB_OP_F64X2_ADD: FBIN64(r, a, b, x + y); break;
	case WLAB_OP_F64X2_SUB: FBIN64(r, a, b, x - y); break;
	case WLAB_OP_F64X2_MUL: FBIN64(r, a, b, x * y); break;
	case WLAB_OP_F64X2_DIV: FBIN64(r, a, b, x / y); break;
	case WLAB_OP_F64X2_MIN: case WLAB_OP_F64X2_RELAXED_MIN: FBIN64(r, a, b, f64_min(x, y)); break;
	case WLAB_OP_F64X2_MAX: case WLAB_OP_F64X2_RELAXED_MAX: FBIN64(r, a, b, f64_max(x, y)); break;
	case WLAB_OP_F64X2_PMIN: L(2, r.u64[i] = lf64(&b, i) < lf64(&a, i) ? b.u64[i] : a.u64[i]);
		break;
	case WLAB_OP_F64X2_PMAX: L(2, r.u64[i] = lf64(&a, i) < lf64(&b, i) ? b.u64[i] : a.u64[i]);
		break;
	default:
		return false;
	}
	*pr = r;
	return true;
}

/* An unfused multiply-add: the product is rounded on its own (a statement
 * of its own, so that no compiler contracts it into an fma). */
static inline float madd32(float x, float y, float z)
{
	float p = x * y;
	return p + z;
}
static inline double madd64(double x, double y, double z)
{
	double p = x * y;
	return p + z;
}

/* The relaxed three-operand instructions, [v128 v128 v128] -> [v128];
 * returns false when op is none of them. */
static bool simd_ternary(uint16_t op, const v128 *pa, const v128 *pb, const v128 *pc, v128 *pr)
{
	const v128 a = *pa, b = *pb, c = *pc;
	v128 r;
	switch (op) {
	case WLAB_OP_F32X4_RELAXED_MADD: L(4, SF32(r, i, madd32(lf32(&a, i), lf32(&b, i), lf32(&c, i))));
		break;
	case WLAB_OP_F32X4_RELAXED_NMADD:
		L(4, SF32(r, i, madd32(-lf32(&a, i), lf32(&b, i), lf32(&c, i)))); break;
	case WLAB_OP_F64X2_RELAXED_MADD: L(2, SF64(r, i, madd64(lf64(&a, i), lf64(&b, i), lf64(&c, i))));
		break;
	case WLAB_OP_F64X2_RELAXED_NMADD:
		L(2, SF64(r, i, madd64(-lf64(&a, i), lf64(&b, i), lf64(&c, i)))); break;
	case WLAB_OP_I8X16_RELAXED_LANESELECT: case WLAB_OP_I16X8_RELAXED_LANESELECT:
	case WLAB_OP_I32X4_RELAXED_LANESELECT: case WLAB_OP_I64X2_RELAXED_LANESELECT:
		/* as v128.bitselect: every bit of the mask counts */
		L(2, r.u64[i] = (a.u64[i] & c.u64[i]) | (b.u64[i] & ~c.u64[i])); break;
	case WLAB_OP_I32X4_RELAXED_DOT_I8X16_I7X16_ADD_S:
		/* the i16x8 dot product (wrapping), its pairs added into c's lanes */
		L(4, {
			int16_t lo = (int16_t)(a.i8[4 * i] * b.i8[4 * i] +
					       a.i8[4 * i + 1] * b.i8[4 * i + 1]);
			int16_t hi = (int16_t)(a.i8[4 * i + 2] * b.i8[4 * i + 2] +
					       a.i8[4 * i + 3] * b.i8[4 * i + 3]);
			r.u32[i] = c.u32[i] + (uint32_t)(lo + hi);
		});
		break;
	default:
		return false;
	}
	*pr = r;
	return true;
}

enum wlab_trap rt_simd(struct wlab_instance *inst, const struct rt_cell *ip, uint64_t **spp)
{
	uint64_t *sp = *spp;
	v128 a, b, c, r;
	switch (ip->op) {
	case RT_OP_V128_GLOBAL_GET: {
		const struct rt_global *g = inst->globals[ip->a];
		sp[0] = g->value;
		sp[1] = g->hi;
		*spp = sp + 2;
		return WLAB_TRAP_NONE;
	}
	case RT_OP_V128_GLOBAL_SET: {
		struct rt_global *g = inst->globals[ip->a];
		g->value = sp[-2];
		g->hi = sp[-1];
		*spp = sp - 2;
		return WLAB_TRAP_NONE;
	}
	case RT_OP_V128_SELECT:
		/* a (2 slots), b (2 slots), i32 */
		if (!(uint32_t)sp[-1])
			memmove(sp - 5, sp - 3, 16);
		*spp = sp - 3;
		return WLAB_TRAP_NONE;
	case WLAB_OP_V128_BITSELECT:
		a = vget(sp - 6), b = vget(sp - 4), c = vget(sp - 2);
		L(2, r.u64[i] = (a.u64[i] & c.u64[i]) | (b.u64[i] & ~c.u64[i]));
		vput(sp - 6, &r);
		*spp = sp - 4;
		return WLAB_TRAP_NONE;
	case WLAB_OP_I8X16_SHUFFLE:
		/* a, b, then the lane indices pushed by the translator */
		a = vget(sp - 6), b = vget(sp - 4), c = vget(sp - 2);
		L(16, r.u8[i] = c.u8[i] < 16 ? a.u8[c.u8[i]] : b.u8[(c.u8[i] - 16) & 15]);
		vput(sp - 6, &r);
		*spp = sp - 4;
		return WLAB_TRAP_NONE;
	default:
		break;
	}
	if (ip->op >= WLAB_OP_COUNT || wlab_opinfo(ip->op)->prefix != 0xfd)
		return WLAB_TRAP_UNREACHABLE;
	if (wlab_opinfo(ip->op)->imm == WLAB_IMM_MEMARG ||
	    wlab_opinfo(ip->op)->imm == WLAB_IMM_MEMARG_LANE)
		return inst->nmems ? rt_simd_mem(inst->store, inst->mems[0], 0, ip->op, ip->a, ip->b, spp)
				   : WLAB_TRAP_UNREACHABLE;
	if (simd_mixed(ip, spp) == 0)
		return WLAB_TRAP_NONE;
	a = vget(sp - 2);
	if (simd_unary(ip->op, &a, &r)) {
		vput(sp - 2, &r);
		return WLAB_TRAP_NONE;
	}
	a = vget(sp - 4), b = vget(sp - 2);
	if (simd_binary(ip->op, &a, &b, &r)) {
		vput(sp - 4, &r);
		*spp = sp - 2;
		return WLAB_TRAP_NONE;
	}
	a = vget(sp - 6), b = vget(sp - 4), c = vget(sp - 2);
	if (simd_ternary(ip->op, &a, &b, &c, &r)) {
		vput(sp - 6, &r);
		*spp = sp - 4;
		return WLAB_TRAP_NONE;
	}
	return WLAB_TRAP_UNREACHABLE;
}
