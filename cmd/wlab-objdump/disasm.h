/* disasm.h: what the files of wlab-objdump's -d (disasm*.c) share. */
#ifndef OBJDUMP_DISASM_H
#define OBJDUMP_DISASM_H

#include <stdint.h>

#include "objdump.h"

/* Prints the immediates of in after its name, each with a leading space,
 * the way wasm-objdump -d shows them ("i32.load 2 0", "call 3 <f>",
 * "call_indirect 0 (type 1)"). func is the function index the instruction
 * belongs to, for local names. */
void disasm_print_immediates(const struct objdump_ctx *ctx, uint32_t func,
			     const struct wlab_instr *in);

/* The relocations of -r that apply to the Code section, walked in order
 * as the instructions go by (disasm_reloc.c). */
struct disasm_relocs {
	const struct wlab_reloc *relocs;
	uint32_t count, next;
	uint32_t base;  /* file offset the relocation offsets count from */
};

void disasm_relocs_init(const struct objdump_ctx *ctx, uint32_t code_section,
			struct disasm_relocs *rl);
/* Prints the next pending relocation under the instruction that just ended
 * at end (a file offset) if it starts before end. Like wasm-objdump, at
 * most one a line: the others wait for the instructions that follow. */
void disasm_relocs_print_next(const struct objdump_ctx *ctx, struct disasm_relocs *rl,
			      uint32_t end);
/* Skips the pending relocations that start before end, unprinted. */
void disasm_relocs_skip_until(struct disasm_relocs *rl, uint32_t end);

#endif
