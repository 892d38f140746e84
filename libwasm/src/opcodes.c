/* opcodes.c: the opcode table expanded into rows and a lookup by code. */
#include <stdlib.h>
#include <string.h>

#include "opcodes_internal.h"

const struct wlab_opinfo wlab_op_table_[WLAB_OP_COUNT] = {
#define WLAB_OP(prefix, code, cname, name, imm, feature) \
	[WLAB_OP_##cname] = {prefix, code, name, WLAB_IMM_##imm, WLAB_FEATURE_##feature},
#include "wlab/opcodes.def"
#undef WLAB_OP
};

const struct wlab_opinfo *wlab_opinfo(uint16_t op)
{
	return op < WLAB_OP_COUNT ? &wlab_op_table_[op] : NULL;
}

/* The rows of wlab_op_rows_, one per (prefix, code) pair. A code past its
 * prefix's rows would land on another prefix's row: a second initializer of
 * one row, which -Werror (-Woverride-init, clang's -Winitializer-overrides)
 * refuses; test_opcodes finds every op by its code. */
const uint16_t wlab_op_rows_[WLAB_OP_ROWS] = {
#define WLAB_OP(prefix, code, cname, name, imm, feature) \
	[WLAB_OP_ROW(prefix, code)] = WLAB_OP_##cname + 1,
#include "wlab/opcodes.def"
#undef WLAB_OP
};

uint16_t wlab_op_lookup(uint8_t prefix, uint32_t code)
{
	return wlab_op_lookup_inline(prefix, code);
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
