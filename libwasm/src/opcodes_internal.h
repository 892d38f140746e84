/* opcodes_internal.h: the opcode tables of opcodes.c, for a lookup in line
 * (the instruction iterator's, once per instruction). */
#ifndef WLAB_OPCODES_INTERNAL_H
#define WLAB_OPCODES_INTERNAL_H

#include "wlab/instr.h"

/* The rows of wlab_op_rows_: plain opcodes 0-255, then 0xfc codes, 0xfe
 * codes, 0xfd codes and 0xfb codes, WLAB_OP_ROWS_FC, _FE, _FD and _FB of
 * each. */
enum {
	WLAB_OP_ROWS_FC = 64, WLAB_OP_ROWS_FE = 128, WLAB_OP_ROWS_FD = 512, WLAB_OP_ROWS_FB = 32,
	WLAB_OP_ROWS = 256 + WLAB_OP_ROWS_FC + WLAB_OP_ROWS_FE + WLAB_OP_ROWS_FD + WLAB_OP_ROWS_FB
};
#define WLAB_OP_ROW(prefix, code)                                                   \
	((prefix) == 0 ? (code) : (prefix) == 0xfc ? 256 + (code) :                  \
	 (prefix) == 0xfe ? 256 + WLAB_OP_ROWS_FC + (code) :                          \
	 (prefix) == 0xfd ? 256 + WLAB_OP_ROWS_FC + WLAB_OP_ROWS_FE + (code) :        \
	 256 + WLAB_OP_ROWS_FC + WLAB_OP_ROWS_FE + WLAB_OP_ROWS_FD + (code))

/* Per (prefix, code) row: the op + 1, or 0 where there is none. */
extern const uint16_t wlab_op_rows_[WLAB_OP_ROWS];
/* Per op: its row of opcodes.def. */
extern const struct wlab_opinfo wlab_op_table_[WLAB_OP_COUNT];

/* wlab_op_lookup. */
static inline uint16_t wlab_op_lookup_inline(uint8_t prefix, uint32_t code)
{
	uint32_t rows = prefix == 0 ? 256 : prefix == 0xfc ? WLAB_OP_ROWS_FC :
			prefix == 0xfe ? WLAB_OP_ROWS_FE : prefix == 0xfd ? WLAB_OP_ROWS_FD :
			prefix == 0xfb ? WLAB_OP_ROWS_FB : 0;
	if (code >= rows)
		return WLAB_OP_COUNT;
	uint16_t v = wlab_op_rows_[WLAB_OP_ROW(prefix, code)];
	return v ? (uint16_t)(v - 1) : WLAB_OP_COUNT;
}

/* wlab_instr_next without clearing *out first: sets op, offset, size and
 * the fields its immediates fill; the others keep what they held (the
 * decoder's walk, which reads only op and offset). */
enum wlab_status wlab_instr_scan(struct wlab_instr_iter *it, struct wlab_instr *out);

#endif
