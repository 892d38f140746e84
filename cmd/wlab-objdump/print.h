/* print.h: helpers the -h/-x/-s/--json printers of wlab-objdump share
 * (print.c, details*.c); the disassembler needs only objdump.h. */
#ifndef OBJDUMP_PRINT_H
#define OBJDUMP_PRINT_H

#include "objdump.h"

/* Decodes up to max instructions of expr without its final end; returns
 * how many there are (possibly more than max) or -1 when malformed. */
int objdump_expr_instrs(const struct objdump_ctx *ctx, struct wlab_expr expr,
			struct wlab_instr *out, int max);
/* Prints " - init ..." for an init expression as -x shows it: "i32=5",
 * "i64=.." (both unsigned when as_unsigned), "f32=0x1p+0",
 * "global=0 <name>", or "(insn, insn...)" for several instructions, and
 * the newline; for other single instructions (ref.func, v128.const...)
 * nothing at all unless *typed, which says an earlier init of this -x pass
 * had a short form (each short form sets it).
 * Returns true with *value set when it is a single i32 or i64 constant
 * (the address wasm-objdump uses for element indices and data dumps). */
bool objdump_print_init(struct objdump_ctx *ctx, struct wlab_expr expr,
			bool as_unsigned, bool *typed, uint64_t *value);

/* The custom sections' part of -x (details_custom.c). */
void objdump_details_custom(struct objdump_ctx *ctx, uint32_t section_index);

#endif
