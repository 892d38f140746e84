/* rt_fuse.c: superinstructions: rewrites common sequences of cells (a
 * constant or a local and an i32 operator, a comparison and a br_if...) into
 * one fused op, in place. The cells a fused op stands for stay where they
 * were: a branch may land on them, and the fused op reads their immediates;
 * the fused op skips them. */
#include "rt_internal.h"

static const uint16_t i32_k[] = {
#define X(x) [WLAB_OP_I32_##x] = RT_OP_I32_##x##_K,
	RT_I32_BINOPS(X)
#undef X
};
static const uint16_t i64_k[] = {
#define X(x) [WLAB_OP_I64_##x] = RT_OP_I64_##x##_K,
	RT_I64_BINOPS(X)
#undef X
};

static const uint16_t load_l[] = {
#define X(x) [WLAB_OP_##x] = RT_OP_##x##_L,
	RT_LOADS_L(X) RT_FLOATS_L(X)
#undef X
};

static const uint16_t i32_lks[] = {
#define X(x) [WLAB_OP_I32_##x] = RT_OP_I32_##x##_LKS,
	RT_I32_ARITH(X)
#undef X
};
static const uint16_t ll_form[] = {
#define X(x) [WLAB_OP_##x] = RT_OP_##x##_LL,
	RT_STORES_LL(X) RT_FLOATS_L(X)
#undef X
};

/* The fused op for op from table t (of n entries), or 0. */
static uint16_t pick(const uint16_t *t, size_t n, uint16_t op)
{
	return op < n ? t[op] : 0;
}
#define PICK(t, op) pick(t, sizeof t / sizeof t[0], op)

/* The forms, in the order of the enum after each _K (and after each _LKS). */
enum { FORM_K, FORM_L, FORM_LK, FORM_LL, FORM_J, FORM_KJ, FORM_LJ, FORM_LKJ, FORM_LLJ };
enum { FORM_LKS, FORM_LLS, FORM_LKT, FORM_LLT };

static bool is_cmp(uint16_t op)
{
	switch (op) {
#define X(x) case WLAB_OP_I32_##x:
	RT_I32_CMPS(X)
#undef X
		return true;
	default:
		return false;
	}
}

/* The fused form of the cells at c (n of them) and how many it stands
 * for, or 0. */
static uint16_t fuse_at(struct rt_cell *c, uint32_t n, uint32_t *len)
{
	uint16_t op[4] = {0, 0, 0, 0}, k;
	for (uint32_t i = 0; i < 4 && i < n; i++)
		op[i] = c[i].op;
	bool get = op[0] == WLAB_OP_LOCAL_GET;
	if (get && (op[1] == WLAB_OP_I32_CONST || op[1] == WLAB_OP_LOCAL_GET) &&
	    (k = PICK(i32_k, op[2]))) {
		bool lk = op[1] == WLAB_OP_I32_CONST;
		uint16_t ks = PICK(i32_lks, op[2]);
		c->b = lk ? (uint32_t)c[1].b : c[1].a;
		*len = 3;
		if (ks && (op[3] == WLAB_OP_LOCAL_SET || op[3] == WLAB_OP_LOCAL_TEE)) {
			bool tee = op[3] == WLAB_OP_LOCAL_TEE;
			c->b |= (uint64_t)c[3].a << 32;
			*len = 4;
			return (uint16_t)(ks + (lk ? (tee ? FORM_LKT : FORM_LKS) :
						     (tee ? FORM_LLT : FORM_LLS)));
		}
		if (is_cmp(op[2]) && op[3] == RT_OP_JUMP_IF) {
			*len = 4;
			return (uint16_t)(k + (lk ? FORM_LKJ : FORM_LLJ));
		}
		return (uint16_t)(k + (lk ? FORM_LK : FORM_LL));
	}
	if ((get || op[0] == WLAB_OP_I32_CONST) && (k = PICK(i32_k, op[1]))) {
		*len = 2;
		if (is_cmp(op[1]) && op[2] == RT_OP_JUMP_IF) {
			*len = 3;
			return (uint16_t)(k + (get ? FORM_LJ : FORM_KJ));
		}
		return (uint16_t)(k + (get ? FORM_L : FORM_K));
	}
	if (get && op[1] == WLAB_OP_LOCAL_GET && (k = PICK(ll_form, op[2]))) {
		c->b = c[1].a;
		*len = 3;
		return k;
	}
	*len = 2;
	if (get && (k = PICK(load_l, op[1])))
		return k;
	if (op[0] == WLAB_OP_I64_CONST && (k = PICK(i64_k, op[1])))
		return k;
	if (is_cmp(op[0]) && op[1] == RT_OP_JUMP_IF)
		return (uint16_t)(PICK(i32_k, op[0]) + FORM_J);
	if (op[0] == WLAB_OP_I32_EQZ && op[1] == RT_OP_JUMP_IF)
		return RT_OP_I32_EQZ_JUMP_IF;
	if (get && op[1] == WLAB_OP_LOCAL_GET) {
		c->b = c[1].a;
		return RT_OP_LOCAL_GET2;
	}
	if (op[0] == WLAB_OP_LOCAL_SET && op[1] == WLAB_OP_LOCAL_GET) {
		c->b = c[1].a;
		return RT_OP_SET_GET;
	}
	return 0;
}

void rt_fuse(struct rt_func *f)
{
	for (uint32_t i = 0; i + 1 < f->ncode; i++) {
		uint32_t len;
		uint16_t op = fuse_at(f->code + i, f->ncode - i, &len);
		if (op) {
			f->code[i].op = op;
			i += len - 1;
		}
	}
}
