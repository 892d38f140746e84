/* wlab/watprint.h: a decoded module printed in the WebAssembly text format.
 *
 * The printer is the other half of wlab/wat.h. For a WebAssembly 2.0 module
 * its text is byte for byte what wabt 1.0.32's `wasm2wat` prints (names
 * from the name section, `(;N;)` comments for unnamed definitions, hex
 * floats with their decimal value, `;; label = @N` on blocks), and with
 * WLAB_WAT_FOLD what `wasm2wat --fold-exprs` prints. Beyond 2.0 (typed
 * references, exceptions, tail calls, memory64, multi-memory, threads,
 * relaxed SIMD) it prints the spec's text syntax, which wlab_wat_to_binary
 * reads back into the same module. */
#ifndef WLAB_WATPRINT_H
#define WLAB_WATPRINT_H

#include <stddef.h>
#include <stdint.h>

#include "wlab/module.h"
#include "wlab/api.h"
#include "wlab/status.h"

#ifdef __cplusplus
extern "C" {
#endif

enum wlab_wat_print_flags {
	WLAB_WAT_FOLD = 1u << 0,      /* folded expressions: (i32.add (local.get 0) ...) */
	WLAB_WAT_OFFSETS = 1u << 1,   /* each instruction's file offset as a (;@0x1a;) comment */
	WLAB_WAT_NO_NAMES = 1u << 2,  /* ignore the name section */
	WLAB_WAT_CUSTOM = 1u << 3,    /* custom sections as (@custom "name" (after SEC) "bytes"),
					 which wasm2wat does not print; a branch hint
					 section as (@metadata.code.branch_hint "\01")
					 before each if and br_if, where the parser
					 writes the same bytes from them */
	WLAB_WAT_INLINE_EXPORTS = 1u << 4,  /* each export inside the field it exports,
					       (func (;1;) (export "a") (type 0) ...), in
					       export order; an imported entity's stays a
					       field unless imports are inlined too */
	WLAB_WAT_INLINE_IMPORTS = 1u << 5,  /* each import as its field with (import "m" "f"):
					       (func (;0;) (import "m" "f") (type 0) (param i32)) */
	WLAB_WAT_GENERATE_NAMES = 1u << 6,  /* a name for everything the name section leaves
					       unnamed, as wasm2wat --generate-names gives it:
					       $m.f from an import, $e from an export, else
					       $t0 $f3 $T0 $M0 $g0 $e0 (tags, elems) $d0,
					       $p0 $l1 for locals, $B0 $L1 $I2 $T3 for labels */
};

struct wlab_wat_print_options {
	unsigned flags;  /* enum wlab_wat_print_flags */
};

/* Prints m (decoded by wlab_module_decode, bodies included) into a new
 * NUL-terminated buffer *out of *len bytes (the NUL not counted; free() it).
 * opts may be NULL. WLAB_MALFORMED with the offset when an instruction does
 * not decode (a module decoded with WLAB_DECODE_SKIP_BODIES), WLAB_NOMEM when
 * an allocation failed; on failure *out is NULL. The module is only read. */
WLAB_API enum wlab_status wlab_wat_print(const struct wlab_module *m,
				const struct wlab_wat_print_options *opts,
				char **out, size_t *len, struct wlab_error *err);

/* Where wlab_wat_print_to writes: len bytes of text at data; false when
 * the write failed. */
typedef bool (*wlab_wat_write_fn)(void *ctx, const char *data, size_t len);

/* The same, handed to write in pieces as it is printed (a buffer of about
 * 1 MiB at a time, more for a longer line), so that the memory it takes
 * does not grow with the text: for a module whose text runs to gigabytes.
 * WLAB_IO when write failed. Decode m with its bodies (without
 * WLAB_DECODE_SKIP_BODIES) to have no error come after text was written. */
WLAB_API enum wlab_status wlab_wat_print_to(const struct wlab_module *m,
					    const struct wlab_wat_print_options *opts,
					    wlab_wat_write_fn write, void *ctx,
					    struct wlab_error *err);

#ifdef __cplusplus
}
#endif

#endif
