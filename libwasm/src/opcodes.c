/* opcodes.c: the opcode table expanded into rows and a lookup by code. */
#include <stdlib.h>
#include <string.h>

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

/* Read off the spec name: the value type's width ("i64.load" 64, "v128.load"
 * 128, memory.atomic.* 32), unless the access names its own after "load",
 * "store", "rmw" or "wait" ("i32.load8_s" 8, "v128.load16x4_s" 64,
 * "i64.atomic.rmw32.add_u" 32, "memory.atomic.wait64" 64). */
uint32_t wlab_op_natural_align(uint16_t op)
{
	static const char *const words[] = {"load", "store", "rmw", "wait"};
	const char *name = wlab_opinfo(op) ? wlab_opinfo(op)->name : "";
	unsigned long bits = name[1] == '3' ? 32 : name[1] == '6' ? 64 : name[0] == 'v' ? 128 : 32;
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
		const char *p = strstr(name, words[i]);
		if (!p)
			continue;
		p += strlen(words[i]);
		if (*p >= '0' && *p <= '9') {
			char *end;
			bits = strtoul(p, &end, 10);
			if (*end == 'x')
				bits *= strtoul(end + 1, NULL, 10);
		}
		break;
	}
	uint32_t a = 0;
	while ((8ul << a) < bits)
		a++;
	return a;
}
