/* rt_bulk.c: table instructions, bulk memory and the memory instructions
 * on memories other than a 32-bit memory 0 (RT_OP_MEMX), out of the hot loop. */
#include <string.h>

#include "rt_exec_ops.h"
#include "rt_internal.h"

/* Whether [i, i + n) fits in size; i and n may be any 64-bit values. */
static bool fits(uint64_t i, uint64_t n, uint64_t size)
{
	return n <= size && i <= size - n;
}

/* table.get or table.set out of bounds, with its index for the trap's detail. */
static enum wlab_trap table_oob(struct wlab_instance *inst, const struct rt_cell *ip,
				uint64_t i, const struct rt_table *t)
{
	inst->store->detail = (struct wlab_trap_detail){.op = ip->op, .has_index = true,
							.addr = i, .bound = t->size,
							.index = ip->a};
	return WLAB_TRAP_TABLE_OOB;
}

static enum wlab_trap tables(struct wlab_instance *inst, const struct rt_cell *ip,
			     uint64_t **spp)
{
	uint64_t *sp = *spp;
	struct rt_table *t = inst->tables[ip->a];
	switch (ip->op) {
	case WLAB_OP_TABLE_GET: {
		uint64_t i = rt_addr(t->is64, sp[-1]);
		if (i >= t->size)
			return table_oob(inst, ip, i, t);
		sp[-1] = t->elems[i];
		return WLAB_TRAP_NONE;
	}
	case WLAB_OP_TABLE_SET: {
		uint64_t i = rt_addr(t->is64, sp[-2]);
		if (i >= t->size)
			return table_oob(inst, ip, i, t);
		t->elems[i] = sp[-1];
		*spp = sp - 2;
		return WLAB_TRAP_NONE;
	}
	case WLAB_OP_TABLE_SIZE:
		*sp = t->size;
		*spp = sp + 1;
		return WLAB_TRAP_NONE;
	case WLAB_OP_TABLE_GROW: {
		uint32_t old;
		uint64_t fail = t->is64 ? UINT64_MAX : UINT32_MAX, n = rt_addr(t->is64, sp[-1]);
		if (!rt_table_grow_paid(inst->store, t, n))
			return WLAB_TRAP_FUEL;
		sp[-2] = rt_table_grow(t, n, sp[-2], &old) ? fail : old;
		*spp = sp - 1;
		return WLAB_TRAP_NONE;
	}
	case WLAB_OP_TABLE_FILL: {
		uint64_t i = rt_addr(t->is64, sp[-3]), n = rt_addr(t->is64, sp[-1]);
		*spp = sp - 3;
		if (!fits(i, n, t->size))
			return WLAB_TRAP_TABLE_OOB;
		if (!rt_fuel_take(inst->store, RT_FUEL_WORDS(n)))
			return WLAB_TRAP_FUEL;
		for (uint64_t k = 0; k < n; k++)
			t->elems[i + k] = sp[-2];
		return WLAB_TRAP_NONE;
	}
	default:
		return WLAB_TRAP_UNREACHABLE;
	}
}

/* table.copy and table.init: [d s n], d of the destination's address type,
 * s of the source's (i32 for a segment), n of the smaller one. */
static enum wlab_trap table_copies(struct wlab_instance *inst, const struct rt_cell *ip,
				   uint64_t **spp)
{
	uint64_t *sp = *spp;
	*spp = sp - 3;
	if (ip->op == WLAB_OP_TABLE_COPY) {
		struct rt_table *dt = inst->tables[ip->a], *st = inst->tables[(uint32_t)ip->b];
		uint64_t d = rt_addr(dt->is64, sp[-3]), s = rt_addr(st->is64, sp[-2]);
		uint64_t n = rt_addr(dt->is64 && st->is64, sp[-1]);
		if (!fits(s, n, st->size) || !fits(d, n, dt->size))
			return WLAB_TRAP_TABLE_OOB;
		if (!rt_fuel_take(inst->store, RT_FUEL_WORDS(n)))
			return WLAB_TRAP_FUEL;
		memmove(dt->elems + d, st->elems + s, (size_t)n * sizeof *dt->elems);
		return WLAB_TRAP_NONE;
	}
	struct rt_table *t = inst->tables[(uint32_t)ip->b];
	uint64_t d = rt_addr(t->is64, sp[-3]), s = (uint32_t)sp[-2], n = (uint32_t)sp[-1];
	if (!fits(s, n, inst->elem_len[ip->a]) || !fits(d, n, t->size))
		return WLAB_TRAP_TABLE_OOB;
	if (!rt_fuel_take(inst->store, RT_FUEL_WORDS(n)))
		return WLAB_TRAP_FUEL;
	memcpy(t->elems + d, inst->elems[ip->a] + s, (size_t)n * sizeof *t->elems);
	return WLAB_TRAP_NONE;
}

/* memory.init [d s n], memory.copy [d s n] and memory.fill [d val n], with
 * the address types of their memories as for the tables. */
static enum wlab_trap copies(struct wlab_instance *inst, const struct rt_cell *ip,
			     uint64_t **spp)
{
	uint64_t *sp = *spp;
	switch (ip->op) {
	case WLAB_OP_MEMORY_INIT: {
		struct rt_memory *mem = inst->mems[(uint32_t)ip->b];
		const struct wlab_data *seg = &inst->m->datas[ip->a];
		uint64_t d = rt_addr(mem->is64, sp[-3]), s = (uint32_t)sp[-2];
		uint64_t n = (uint32_t)sp[-1];
		*spp = sp - 3;
		if (!fits(s, n, inst->data_len[ip->a]) || !fits(d, n, mem->size))
			return WLAB_TRAP_MEMORY_OOB;
		if (!rt_fuel_take(inst->store, RT_FUEL_BYTES(n)))
			return WLAB_TRAP_FUEL;
		memcpy(mem->data + d, inst->m->bytes + seg->bytes.offset + s, n);
		return WLAB_TRAP_NONE;
	}
	case WLAB_OP_MEMORY_COPY: {
		struct rt_memory *dm = inst->mems[ip->a], *sm = inst->mems[(uint32_t)ip->b];
		uint64_t d = rt_addr(dm->is64, sp[-3]), s = rt_addr(sm->is64, sp[-2]);
		uint64_t n = rt_addr(dm->is64 && sm->is64, sp[-1]);
		*spp = sp - 3;
		if (!fits(s, n, sm->size) || !fits(d, n, dm->size))
			return WLAB_TRAP_MEMORY_OOB;
		if (!rt_fuel_take(inst->store, RT_FUEL_BYTES(n)))
			return WLAB_TRAP_FUEL;
		memmove(dm->data + d, sm->data + s, n);
		return WLAB_TRAP_NONE;
	}
	case WLAB_OP_MEMORY_FILL: {
		struct rt_memory *mem = inst->mems[ip->a];
		uint64_t d = rt_addr(mem->is64, sp[-3]), n = rt_addr(mem->is64, sp[-1]);
		*spp = sp - 3;
		if (!fits(d, n, mem->size))
			return WLAB_TRAP_MEMORY_OOB;
		if (!rt_fuel_take(inst->store, RT_FUEL_BYTES(n)))
			return WLAB_TRAP_FUEL;
		memset(mem->data + d, (uint8_t)sp[-2], n);
		return WLAB_TRAP_NONE;
	}
	default:
		return table_copies(inst, ip, spp);
	}
}

/* Bytes a load or store moves; for loads that sign-extend, the width of
 * the result in bits (32 or 64) in *sext, else 0. 0 bytes: not one. */
static uint32_t access_size(uint16_t op, uint32_t *sext, bool *store)
{
	*sext = 0;
	*store = false;
	switch (op) {
	case WLAB_OP_I32_LOAD: case WLAB_OP_F32_LOAD: case WLAB_OP_I64_LOAD32_U: return 4;
	case WLAB_OP_I64_LOAD: case WLAB_OP_F64_LOAD: return 8;
	case WLAB_OP_I32_LOAD8_U: case WLAB_OP_I64_LOAD8_U: return 1;
	case WLAB_OP_I32_LOAD16_U: case WLAB_OP_I64_LOAD16_U: return 2;
	case WLAB_OP_I32_LOAD8_S: *sext = 32; return 1;
	case WLAB_OP_I32_LOAD16_S: *sext = 32; return 2;
	case WLAB_OP_I64_LOAD8_S: *sext = 64; return 1;
	case WLAB_OP_I64_LOAD16_S: *sext = 64; return 2;
	case WLAB_OP_I64_LOAD32_S: *sext = 64; return 4;
	default: break;
	}
	*store = true;
	switch (op) {
	case WLAB_OP_I32_STORE: case WLAB_OP_F32_STORE: case WLAB_OP_I64_STORE32: return 4;
	case WLAB_OP_I64_STORE: case WLAB_OP_F64_STORE: return 8;
	case WLAB_OP_I32_STORE8: case WLAB_OP_I64_STORE8: return 1;
	case WLAB_OP_I32_STORE16: case WLAB_OP_I64_STORE16: return 2;
	default: return 0;
	}
}

enum wlab_trap rt_memx(struct wlab_instance *inst, const struct rt_cell *ip, uint64_t **spp)
{
	struct rt_memory *mem = inst->mems[ip->a];
	uint16_t op = (uint16_t)ip[1].a;
	uint64_t *sp = *spp, old;
	uint32_t sext;
	bool store;
	uint8_t *p;
	if (op == WLAB_OP_MEMORY_SIZE) {
		*sp = mem->size / RT_PAGE;
		*spp = sp + 1;
		return WLAB_TRAP_NONE;
	}
	if (op == WLAB_OP_MEMORY_GROW) {
		uint64_t fail = mem->is64 ? UINT64_MAX : UINT32_MAX, n = rt_addr(mem->is64, sp[-1]);
		if (!rt_memory_grow_paid(inst->store, mem, n))
			return WLAB_TRAP_FUEL;
		sp[-1] = rt_memory_grow(mem, n, &old) ? fail : old;
		return WLAB_TRAP_NONE;
	}
	if (wlab_opinfo(op)->prefix == 0xfd)
		return rt_simd_mem(inst->store, mem, ip->a, op, (uint32_t)ip[1].b, ip->b, spp);
	uint32_t n = access_size(op, &sext, &store);
	uint64_t *addr = store ? &sp[-2] : &sp[-1];
	if (!n)
		return WLAB_TRAP_UNREACHABLE;
	if (!(p = mem_at_any(mem, *addr, ip->b, n))) {
		rt_trap_access(inst->store, op, rt_addr(mem->is64, *addr), ip->b, n, mem->size, ip->a);
		return WLAB_TRAP_MEMORY_OOB;
	}
	if (store) {
		st(p, sp[-1], n);
		*spp = sp - 2;
		return WLAB_TRAP_NONE;
	}
	uint64_t v = ld(p, n);
	if (sext) {
		uint32_t shift = 64 - 8 * n;
		v = (uint64_t)((int64_t)(v << shift) >> shift);
		if (sext == 32)
			v = (uint32_t)v;
	}
	sp[-1] = v;
	return WLAB_TRAP_NONE;
}

enum wlab_trap rt_bulk(struct wlab_instance *inst, const struct rt_cell *ip, uint64_t **spp)
{
	switch (ip->op) {
	case WLAB_OP_ELEM_DROP:
		inst->elem_len[ip->a] = 0;
		return WLAB_TRAP_NONE;
	case WLAB_OP_DATA_DROP:
		inst->data_len[ip->a] = 0;
		return WLAB_TRAP_NONE;
	case WLAB_OP_TABLE_COPY: case WLAB_OP_TABLE_INIT: case WLAB_OP_MEMORY_INIT:
	case WLAB_OP_MEMORY_COPY: case WLAB_OP_MEMORY_FILL:
		return copies(inst, ip, spp);
	default:
		return tables(inst, ip, spp);
	}
}
