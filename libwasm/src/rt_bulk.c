/* rt_bulk.c: table instructions and bulk memory, out of the hot loop. */
#include <string.h>

#include "rt_internal.h"

/* Whether [i, i + n) fits in size. */
static bool fits(uint64_t i, uint64_t n, uint64_t size)
{
	return i + n <= size;
}

static enum wlab_trap tables(struct wlab_instance *inst, const struct rt_cell *ip,
			     uint64_t **spp)
{
	uint64_t *sp = *spp;
	struct rt_table *t = inst->tables[ip->a];
	switch (ip->op) {
	case WLAB_OP_TABLE_GET:
		if ((uint32_t)sp[-1] >= t->size)
			return WLAB_TRAP_TABLE_OOB;
		sp[-1] = t->elems[(uint32_t)sp[-1]];
		return WLAB_TRAP_NONE;
	case WLAB_OP_TABLE_SET:
		if ((uint32_t)sp[-2] >= t->size)
			return WLAB_TRAP_TABLE_OOB;
		t->elems[(uint32_t)sp[-2]] = sp[-1];
		*spp = sp - 2;
		return WLAB_TRAP_NONE;
	case WLAB_OP_TABLE_SIZE:
		*sp = t->size;
		*spp = sp + 1;
		return WLAB_TRAP_NONE;
	case WLAB_OP_TABLE_GROW: {
		uint32_t old;
		sp[-2] = rt_table_grow(t, (uint32_t)sp[-1], sp[-2], &old) ? UINT32_MAX : old;
		*spp = sp - 1;
		return WLAB_TRAP_NONE;
	}
	case WLAB_OP_TABLE_FILL: {
		uint32_t i = (uint32_t)sp[-3], n = (uint32_t)sp[-1];
		*spp = sp - 3;
		if (!fits(i, n, t->size))
			return WLAB_TRAP_TABLE_OOB;
		for (uint32_t k = 0; k < n; k++)
			t->elems[i + k] = sp[-2];
		return WLAB_TRAP_NONE;
	}
	default:
		return WLAB_TRAP_UNREACHABLE;
	}
}

static enum wlab_trap copies(struct wlab_instance *inst, const struct rt_cell *ip,
			     uint64_t **spp)
{
	uint64_t *sp = *spp;
	uint32_t d = (uint32_t)sp[-3], s = (uint32_t)sp[-2], n = (uint32_t)sp[-1];
	*spp = sp - 3;
	switch (ip->op) {
	case WLAB_OP_TABLE_COPY: {
		struct rt_table *dt = inst->tables[ip->a], *st = inst->tables[(uint32_t)ip->b];
		if (!fits(s, n, st->size) || !fits(d, n, dt->size))
			return WLAB_TRAP_TABLE_OOB;
		memmove(dt->elems + d, st->elems + s, (size_t)n * sizeof *dt->elems);
		return WLAB_TRAP_NONE;
	}
	case WLAB_OP_TABLE_INIT: {
		struct rt_table *t = inst->tables[(uint32_t)ip->b];
		if (!fits(s, n, inst->elem_len[ip->a]) || !fits(d, n, t->size))
			return WLAB_TRAP_TABLE_OOB;
		memcpy(t->elems + d, inst->elems[ip->a] + s, (size_t)n * sizeof *t->elems);
		return WLAB_TRAP_NONE;
	}
	case WLAB_OP_MEMORY_INIT: {
		struct rt_memory *mem = inst->mems[(uint32_t)ip->b];
		const struct wlab_data *seg = &inst->m->datas[ip->a];
		if (!fits(s, n, inst->data_len[ip->a]) || !fits(d, n, mem->size))
			return WLAB_TRAP_MEMORY_OOB;
		memcpy(mem->data + d, inst->m->bytes + seg->bytes.offset + s, n);
		return WLAB_TRAP_NONE;
	}
	case WLAB_OP_MEMORY_COPY: {
		struct rt_memory *dm = inst->mems[ip->a], *sm = inst->mems[(uint32_t)ip->b];
		if (!fits(s, n, sm->size) || !fits(d, n, dm->size))
			return WLAB_TRAP_MEMORY_OOB;
		memmove(dm->data + d, sm->data + s, n);
		return WLAB_TRAP_NONE;
	}
	case WLAB_OP_MEMORY_FILL: {
		struct rt_memory *mem = inst->mems[ip->a];
		if (!fits(d, n, mem->size))
			return WLAB_TRAP_MEMORY_OOB;
		memset(mem->data + d, (uint8_t)s, n);
		return WLAB_TRAP_NONE;
	}
	default:
		return WLAB_TRAP_UNREACHABLE;
	}
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
