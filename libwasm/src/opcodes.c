/* opcodes.c: the opcode table expanded into rows and a lookup by code. */
#include "wlab/instr.h"

static const struct wlab_opinfo op_table[WLAB_OP_COUNT] = {
#define WLAB_OP(prefix, code, cname, name, imm, feature) \
	[WLAB_OP_##cname] = {prefix, code, name, WLAB_IMM_##imm, WLAB_FEATURE_##feature},
#include "wlab/opcodes.def"
#undef WLAB_OP
};

const struct wlab_opinfo *wlab_opinfo(uint16_t op)
{
	return op < WLAB_OP_COUNT ? &op_table[op] : NULL;
}

uint16_t wlab_op_lookup(uint8_t prefix, uint32_t code)
{
	switch ((uint64_t)prefix << 32 | code) {
#define WLAB_OP(prefix, code, cname, name, imm, feature) \
	case (uint64_t)(prefix) << 32 | (code): return WLAB_OP_##cname;
#include "wlab/opcodes.def"
#undef WLAB_OP
	default:
		return WLAB_OP_COUNT;
	}
}
