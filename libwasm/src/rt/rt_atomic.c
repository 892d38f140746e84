/* rt_atomic.c: the threads instructions. On a memory no other thread can
 * see, loads, stores and read-modify-writes act at once, and waits and
 * notifies follow the spec for a store where no other thread exists. On a
 * shared memory of a store with wlab_store_options.threads, each access
 * is one atomic compare-and-swap (or load) of the aligned word holding it,
 * and waits block on the memory's queue (rt_wait.c): docs/interpreter.md,
 * "Threads". */
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
 * alignment first, then bounds (the threads spec's prose for the
 * read-modify-writes checks the alignment of ea before it looks at the
 * memory; the reference interpreter, wasmtime and SpiderMonkey agree).
 * addr + offset may wrap 64 bits: its low bits are still ea's. Any memory:
 * an i64 address on memory64, the bounds check cannot wrap. */
static enum wlab_trap at(const struct rt_memory *mem, uint64_t addr, uint64_t off,
			 uint32_t n, uint8_t **p)
{
	if ((addr + off) & (n - 1))
		return WLAB_TRAP_UNALIGNED_ATOMIC;
	if (!(*p = mem_at_any(mem, addr, off, n)))
		return WLAB_TRAP_MEMORY_OOB;
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

#ifdef RT_THREADS
/* The value group g leaves at a place that held old (masked to the width). */
static uint64_t apply(enum group g, uint64_t old, uint64_t v, uint64_t expected, uint64_t mask)
{
	switch (g) {
	case G_LOAD: return old;
	case G_STORE: return v & mask;
	case G_CMPXCHG: return old == (expected & mask) ? v & mask : old;
	default: return rmw(g, old, v) & mask;
	}
}

/* Group g on the n bytes at p (aligned) of a shared memory, atomically
 * across host threads: a compare-and-swap loop on the aligned 4- or 8-byte
 * word that holds them (the memory's base is at least 8-aligned); the old
 * value. A little-endian host, as ld and st assume. */
static uint64_t shared_access(enum group g, uint8_t *p, uint32_t n, uint64_t v, uint64_t expected)
{
	uint64_t mask = n == 8 ? UINT64_MAX : (UINT64_C(1) << 8 * n) - 1;
	if (n == 8) {
		uint64_t *w = (uint64_t *)(void *)p;
		uint64_t old = __atomic_load_n(w, __ATOMIC_SEQ_CST);
		while (g != G_LOAD &&
		       !__atomic_compare_exchange_n(w, &old, apply(g, old, v, expected, mask), false,
						    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
			;
		return old;
	}
	uintptr_t a = (uintptr_t)p;
	uint32_t *w = (uint32_t *)(void *)(a & ~(uintptr_t)3);
	unsigned shift = (unsigned)(a & 3) * 8;
	uint32_t word = __atomic_load_n(w, __ATOMIC_SEQ_CST);
	for (;;) {
		uint64_t old = word >> shift & mask;
		if (g == G_LOAD)
			return old;
		uint32_t next = (word & ~((uint32_t)mask << shift)) |
				(uint32_t)apply(g, old, v, expected, mask) << shift;
		if (__atomic_compare_exchange_n(w, &word, next, false, __ATOMIC_SEQ_CST,
						__ATOMIC_SEQ_CST))
			return old;
	}
}

/* Whether the accesses of inst's store to mem must be atomic across host
 * threads (and its waits block). */
static bool threaded(const struct wlab_instance *inst, const struct rt_memory *mem)
{
	return mem->waitq && inst->store->opts.threads;
}
#endif

/* memory.atomic.wait32/64 [addr expected timeout] -> [result], and notify
 * [addr count] -> [woken]. Threaded (above), the memory's queue does both.
 * Else nobody waits, so notify wakes 0; a wait returns 1 ("not-equal")
 * when the value differs, else 2 ("timed-out") at once when it has a
 * timeout, and traps when it has none, as no one could ever wake it. Waits
 * need a shared memory. */
static enum wlab_trap wait_notify(struct wlab_instance *inst, struct rt_memory *mem,
				  const struct rt_cell *ip, uint64_t **spp)
{
	uint64_t *sp = *spp;
	uint8_t *p;
	enum wlab_trap trap;
	(void)inst;  /* without RT_THREADS */
	if (ip->op == WLAB_OP_MEMORY_ATOMIC_NOTIFY) {
		if ((trap = at(mem, sp[-2], ip->b, 4, &p)))
			return trap;
#ifdef RT_THREADS
		if (threaded(inst, mem)) {
			sp[-2] = rt_notify(mem->waitq, p, (uint32_t)sp[-1]);
			*spp = sp - 1;
			return WLAB_TRAP_NONE;
		}
#endif
		sp[-2] = 0;
		*spp = sp - 1;
		return WLAB_TRAP_NONE;
	}
	uint32_t n = ip->op == WLAB_OP_MEMORY_ATOMIC_WAIT64 ? 8 : 4;
	if ((trap = at(mem, sp[-3], ip->b, n, &p)))
		return trap;
	if (!mem->shared)  /* after the address's checks, as wasmtime orders them */
		return WLAB_TRAP_UNSHARED_WAIT;
	uint64_t expected = n == 4 ? (uint32_t)sp[-2] : sp[-2];
	int64_t timeout = (int64_t)sp[-1];
	*spp = sp - 2;
#ifdef RT_THREADS
	if (threaded(inst, mem))
		return rt_wait(inst->store, mem->waitq, p, n, expected, timeout, &sp[-3]);
#endif
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
		trap = wait_notify(inst, mem, ip, spp);
		if (trap == WLAB_TRAP_MEMORY_OOB || trap == WLAB_TRAP_UNALIGNED_ATOMIC) {
			bool notify = ip->op == WLAB_OP_MEMORY_ATOMIC_NOTIFY;
			rt_trap_access(inst->store, ip->op, sp[notify ? -2 : -3], ip->b,
				       ip->op == WLAB_OP_MEMORY_ATOMIC_WAIT64 ? 8 : 4, mem->size, ip->a);
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
		rt_trap_access(inst->store, ip->op, *addr, ip->b, n, mem->size, ip->a);
		return trap;
	}
#ifdef RT_THREADS
	if (threaded(inst, mem)) {
		uint64_t v = g == G_LOAD ? 0 : sp[-1], expected = g == G_CMPXCHG ? sp[-2] : 0;
		*addr = shared_access(g, p, n, v, expected);
		*spp = g == G_STORE ? sp - 2 : addr + 1;
		return WLAB_TRAP_NONE;
	}
#endif
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
