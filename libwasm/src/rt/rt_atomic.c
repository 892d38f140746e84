/* rt_atomic.c: the threads instructions on one thread. Loads, stores and
 * read-modify-writes act at once (nothing runs beside them); waits and
 * notifies follow the spec for a store where no other thread exists:
 * docs/interpreter.md, "Threads". */
#include "rt_exec_ops.h"
#include "rt_internal.h"

/* The 0xfe rows of wlab/opcodes.def come in spec order: seven loads, seven
 * stores, then seven of each read-modify-write operator, every group of
 * seven in the widths below. */
_Static_assert(WLAB_OP_I64_ATOMIC_RMW32_CMPXCHG_U - WLAB_OP_I32_ATOMIC_LOAD == 9 * 7 - 1,
	       "the atomic rows of opcodes.def are nine groups of seven");
static const uint8_t group_width[7] = {4, 8, 1, 2, 1, 2, 4};

enum group { G_LOAD, G_STORE, G_ADD, G_SUB, G_AND, G_OR, G_XOR, G_XCHG, G_CMPXCHG };

/* The checked address of n bytes at addr + offset of memory a, or a trap:
 * out of bounds first, then alignment (the order of the spec's prose).
 * Any memory: an i64 address on memory64, the check cannot wrap. */
static enum wlab_trap at(const struct rt_memory *mem, uint64_t addr, uint64_t off,
			 uint32_t n, uint8_t **p)
{
	if (!(*p = mem_at_any(mem, addr, off, n)))
		return WLAB_TRAP_MEMORY_OOB;
	if ((addr + off) & (n - 1))
		return WLAB_TRAP_UNALIGNED_ATOMIC;
	return WLAB_TRAP_NONE;
}

static uint64_t rmw(enum group g, uint64_t old, uint64_t v)
{
	switch (g) {
	case G_ADD: return old + v;
	case G_SUB: return old - v;
	case G_AND: return old & v;
	case G_OR: return old | v;
	case G_XOR: return old ^ v;
	default: return v;  /* xchg */
	}
}

/* memory.atomic.wait32/64 [addr expected timeout] -> [result], and notify
 * [addr count] -> [woken]. With one thread nobody waits, so notify wakes 0;
 * a wait returns 1 ("not-equal") when the value differs, else 2
 * ("timed-out") at once when it has a timeout, and traps when it has none,
 * as no one could ever wake it. Waits need a shared memory. */
static enum wlab_trap wait_notify(struct rt_memory *mem, const struct rt_cell *ip,
				  uint64_t **spp)
{
	uint64_t *sp = *spp;
	uint8_t *p;
	enum wlab_trap trap;
	if (ip->op == WLAB_OP_MEMORY_ATOMIC_NOTIFY) {
		if ((trap = at(mem, sp[-2], ip->b, 4, &p)))
			return trap;
		sp[-2] = 0;
		*spp = sp - 1;
		return WLAB_TRAP_NONE;
	}
	uint32_t n = ip->op == WLAB_OP_MEMORY_ATOMIC_WAIT64 ? 8 : 4;
	if (!mem->shared)
		return WLAB_TRAP_UNSHARED_WAIT;
	if ((trap = at(mem, sp[-3], ip->b, n, &p)))
		return trap;
	uint64_t expected = n == 4 ? (uint32_t)sp[-2] : sp[-2];
	int64_t timeout = (int64_t)sp[-1];
	*spp = sp - 2;
	if (ld(p, n) != expected)
		sp[-3] = 1;
	else if (timeout >= 0)
		sp[-3] = 2;
	else
		return WLAB_TRAP_WAIT_FOREVER;
	return WLAB_TRAP_NONE;
}

enum wlab_trap rt_atomic(struct wlab_instance *inst, const struct rt_cell *ip, uint64_t **spp)
{
	struct rt_memory *mem = inst->mems[ip->a];
	uint64_t *sp = *spp;
	uint8_t *p;
	enum wlab_trap trap;
	if (ip->op == WLAB_OP_ATOMIC_FENCE)
		return WLAB_TRAP_NONE;
	if (ip->op < WLAB_OP_I32_ATOMIC_LOAD)
	{
		trap = wait_notify(mem, ip, spp);
		if (trap == WLAB_TRAP_MEMORY_OOB || trap == WLAB_TRAP_UNALIGNED_ATOMIC) {
			bool notify = ip->op == WLAB_OP_MEMORY_ATOMIC_NOTIFY;
			rt_trap_access(inst->store, ip->op, sp[notify ? -2 : -3], ip->b,
				       ip->op == WLAB_OP_MEMORY_ATOMIC_WAIT64 ? 8 : 4, mem->size);
		}
		return trap;
	}
	uint32_t k = (uint32_t)(ip->op - WLAB_OP_I32_ATOMIC_LOAD);
	enum group g = (enum group)(k / 7);
	uint32_t n = group_width[k % 7];
	uint64_t mask = n == 8 ? UINT64_MAX : (UINT64_C(1) << 8 * n) - 1;
	uint32_t nargs = g == G_LOAD ? 0 : g == G_CMPXCHG ? 2 : 1;
	uint64_t *addr = sp - 1 - nargs;
	if ((trap = at(mem, *addr, ip->b, n, &p))) {
		rt_trap_access(inst->store, ip->op, *addr, ip->b, n, mem->size);
		return trap;
	}
	uint64_t old = ld(p, n);
	switch (g) {
	case G_LOAD:
		*addr = old;
		break;
	case G_STORE:
		st(p, sp[-1], n);
		*spp = sp - 2;
		return WLAB_TRAP_NONE;
	case G_CMPXCHG:
		if (old == (sp[-2] & mask))
			st(p, sp[-1], n);
		*addr = old;
		break;
	default:
		st(p, rmw(g, old, sp[-1]) & mask, n);
		*addr = old;
		break;
	}
	*spp = addr + 1;
	return WLAB_TRAP_NONE;
}
