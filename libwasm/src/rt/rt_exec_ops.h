/* rt_exec_ops.h: the arithmetic, conversions and trap checks of the
 * interpreter loop, as static inline helpers on raw 64-bit stack slots. */
#ifndef WLAB_RT_EXEC_OPS_H
#define WLAB_RT_EXEC_OPS_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "rt_internal.h"

/* ---- slots and floats ---- */

static inline float f32_of(uint64_t v)
{
	uint32_t u = (uint32_t)v;
	float f;
	memcpy(&f, &u, 4);
	return f;
}
static inline double f64_of(uint64_t v)
{
	double d;
	memcpy(&d, &v, 8);
	return d;
}
static inline uint64_t bits_f32(float f)
{
	uint32_t u;
	memcpy(&u, &f, 4);
	return u;
}
static inline uint64_t bits_f64(double d)
{
	uint64_t u;
	memcpy(&u, &d, 8);
	return u;
}

/* ---- integers ---- */

static inline uint32_t i32_clz(uint32_t a) { return a ? (uint32_t)__builtin_clz(a) : 32; }
static inline uint32_t i32_ctz(uint32_t a) { return a ? (uint32_t)__builtin_ctz(a) : 32; }
static inline uint32_t i32_popcnt(uint32_t a) { return (uint32_t)__builtin_popcount(a); }
static inline uint64_t i64_clz(uint64_t a) { return a ? (uint64_t)__builtin_clzll(a) : 64; }
static inline uint64_t i64_ctz(uint64_t a) { return a ? (uint64_t)__builtin_ctzll(a) : 64; }
static inline uint64_t i64_popcnt(uint64_t a) { return (uint64_t)__builtin_popcountll(a); }
static inline uint32_t i32_rotl(uint32_t a, uint32_t b)
{
	b &= 31;
	return b ? a << b | a >> (32 - b) : a;
}
static inline uint32_t i32_rotr(uint32_t a, uint32_t b)
{
	b &= 31;
	return b ? a >> b | a << (32 - b) : a;
}
static inline uint64_t i64_rotl(uint64_t a, uint64_t b)
{
	b &= 63;
	return b ? a << b | a >> (64 - b) : a;
}
static inline uint64_t i64_rotr(uint64_t a, uint64_t b)
{
	b &= 63;
	return b ? a >> b | a << (64 - b) : a;
}
static inline uint32_t i32_shr_s(uint32_t a, uint32_t b)
{
	int32_t s = (int32_t)a;
	return (uint32_t)(s < 0 ? ~(~s >> (b & 31)) : s >> (b & 31));
}
static inline uint64_t i64_shr_s(uint64_t a, uint64_t b)
{
	int64_t s = (int64_t)a;
	return (uint64_t)(s < 0 ? ~(~s >> (b & 63)) : s >> (b & 63));
}

/* Division: *a = *a op b, or a trap. */
static inline enum wlab_trap i32_div(uint64_t *a, uint32_t b, int kind)
{
	uint32_t x = (uint32_t)*a;
	if (b == 0)
		return WLAB_TRAP_DIV_ZERO;
	switch (kind) {
	case 0:  /* div_s */
		if (x == 0x80000000u && b == UINT32_MAX)
			return WLAB_TRAP_INT_OVERFLOW;
		*a = (uint32_t)((int32_t)x / (int32_t)b);
		break;
	case 1: *a = x / b; break;
	case 2: *a = b == UINT32_MAX ? 0 : (uint32_t)((int32_t)x % (int32_t)b); break;
	default: *a = x % b; break;
	}
	return WLAB_TRAP_NONE;
}
static inline enum wlab_trap i64_div(uint64_t *a, uint64_t b, int kind)
{
	uint64_t x = *a;
	if (b == 0)
		return WLAB_TRAP_DIV_ZERO;
	switch (kind) {
	case 0:
		if (x == 0x8000000000000000ull && b == UINT64_MAX)
			return WLAB_TRAP_INT_OVERFLOW;
		*a = (uint64_t)((int64_t)x / (int64_t)b);
		break;
	case 1: *a = x / b; break;
	case 2: *a = b == UINT64_MAX ? 0 : (uint64_t)((int64_t)x % (int64_t)b); break;
	default: *a = x % b; break;
	}
	return WLAB_TRAP_NONE;
}

/* ---- floats: min/max with -0 and NaN, bitwise sign operations ---- */

static inline float f32_min(float a, float b)
{
	if (a != a || b != b)
		return a + b;
	if (a == b)
		return signbit(a) ? a : b;
	return a < b ? a : b;
}
static inline float f32_max(float a, float b)
{
	if (a != a || b != b)
		return a + b;
	if (a == b)
		return signbit(a) ? b : a;
	return a > b ? a : b;
}
static inline double f64_min(double a, double b)
{
	if (a != a || b != b)
		return a + b;
	if (a == b)
		return signbit(a) ? a : b;
	return a < b ? a : b;
}
static inline double f64_max(double a, double b)
{
	if (a != a || b != b)
		return a + b;
	if (a == b)
		return signbit(a) ? b : a;
	return a > b ? a : b;
}
/* Rounding that quiets a signaling NaN as the spec's arithmetic NaN requires. */
static inline float f32_ceil(float x) { return x != x ? x + x : ceilf(x); }
static inline float f32_floor(float x) { return x != x ? x + x : floorf(x); }
static inline float f32_trunc(float x) { return x != x ? x + x : truncf(x); }
static inline float f32_nearest(float x) { return x != x ? x + x : rintf(x); }
static inline double f64_ceil(double x) { return x != x ? x + x : ceil(x); }
static inline double f64_floor(double x) { return x != x ? x + x : floor(x); }
static inline double f64_trunc(double x) { return x != x ? x + x : trunc(x); }
static inline double f64_nearest(double x) { return x != x ? x + x : rint(x); }

#define F32_SIGN 0x80000000ull
#define F64_SIGN 0x8000000000000000ull
static inline uint32_t f32_copysign(uint32_t a, uint32_t b)
{
	return (a & ~(uint32_t)F32_SIGN) | (b & (uint32_t)F32_SIGN);
}
static inline uint64_t f64_copysign(uint64_t a, uint64_t b)
{
	return (a & ~F64_SIGN) | (b & F64_SIGN);
}

/* ---- float to integer: the ranges where truncation is defined ---- */

enum rt_trunc { TRUNC_I32_S, TRUNC_I32_U, TRUNC_I64_S, TRUNC_I64_U };

static inline int trunc_range(double x, enum rt_trunc k)
{
	/* -1 below, 0 inside, 1 above; x is not NaN */
	switch (k) {
	case TRUNC_I32_S: return x <= -2147483649.0 ? -1 : x >= 2147483648.0;
	case TRUNC_I32_U: return x <= -1.0 ? -1 : x >= 4294967296.0;
	case TRUNC_I64_S: return x < -9223372036854775808.0 ? -1 : x >= 9223372036854775808.0;
	default: return x <= -1.0 ? -1 : x >= 18446744073709551616.0;
	}
}
static inline uint64_t trunc_in_range(double x, enum rt_trunc k)
{
	switch (k) {
	case TRUNC_I32_S: return (uint32_t)(int32_t)x;
	case TRUNC_I32_U: return (uint32_t)x;
	case TRUNC_I64_S: return (uint64_t)(int64_t)x;
	default: return (uint64_t)x;
	}
}
static inline enum wlab_trap trunc_trap(uint64_t *slot, double x, enum rt_trunc k)
{
	if (x != x)
		return WLAB_TRAP_BAD_CONVERSION;
	if (trunc_range(x, k))
		return WLAB_TRAP_INT_OVERFLOW;
	*slot = trunc_in_range(x, k);
	return WLAB_TRAP_NONE;
}
static inline uint64_t trunc_sat(double x, enum rt_trunc k)
{
	static const uint64_t lo[] = {0x80000000u, 0, 0x8000000000000000ull, 0};
	static const uint64_t hi[] = {0x7fffffffu, 0xffffffffu, 0x7fffffffffffffffull,
				      UINT64_MAX};
	if (x != x)
		return 0;
	int r = trunc_range(x, k);
	return r < 0 ? lo[k] : r > 0 ? hi[k] : trunc_in_range(x, k);
}

/* ---- memory ---- */

/* The hot loop's check, for memory 0 when it has 32-bit addresses (data
 * and size its cached base and size): the n bytes at address ea, an i32
 * plus an offset validated below 2^32 (so the sum cannot wrap), or NULL out
 * of bounds. n bytes (n >= 1) in bounds are in a memory (size > 0), so the
 * pointer is not NULL there: saying so of the pointer itself (GCC does not
 * carry it from data through the sum) spares every access's caller a test
 * of the pointer it got. */
#if defined(__GNUC__) || defined(__clang__)
#define ASSUME_NONNULL(p) ((p) ? (void)0 : __builtin_unreachable())
#else
#define ASSUME_NONNULL(p) ((void)0)
#endif
static inline __attribute__((always_inline)) uint8_t *mem_at(uint8_t *data, uint64_t size,
							     uint64_t ea, uint64_t n)
{
	if (ea + n > size)
		return NULL;
	uint8_t *p = data + ea;
	ASSUME_NONNULL(p);
	return p;
}
/* The n bytes at base + off in any memory, or NULL when one of them is out
 * of bounds. Any base (an i64 on memory64) and any offset up to 2^64-1:
 * the comparisons subtract from the size instead of adding to the address,
 * so nothing wraps (docs/interpreter.md, "Bounds checks"). */
static inline uint8_t *mem_at_any(const struct rt_memory *m, uint64_t base, uint64_t off,
				  uint64_t n)
{
	if (!m->is64)
		base = (uint32_t)base;
	if (n > m->size || off > m->size - n || base > m->size - n - off)
		return NULL;
	return m->data + base + off;
}
/* An address operand of a memory or table of the given address type. */
static inline uint64_t rt_addr(bool is64, uint64_t v)
{
	return is64 ? v : (uint32_t)v;
}
static inline uint64_t ld(const uint8_t *p, size_t n)
{
	uint64_t v = 0;
	memcpy(&v, p, n);  /* little-endian host */
	return v;
}
static inline void st(uint8_t *p, uint64_t v, size_t n)
{
	memcpy(p, &v, n);
}

#endif
