/* wlab/wat.h: the WebAssembly text format (WAT) to the binary format.
 *
 * Accepts a module in the text format of WebAssembly 2.0 (SIMD included),
 * with memory64 and multi-memory (`(memory i64 1)`, `(table i64 1 funcref)`,
 * `i32.load $m offset=...`, `memory.copy $a $b`):
 * `(module ...)`, a bare list of module fields, `(module binary "...")` and
 * `(module quote "...")`. Identifiers are resolved per index space, every
 * abbreviation is expanded (inline imports, exports, elem and data, type
 * uses with inline params and results, folded instructions) and the module
 * is written with shortest LEB128s, the way wabt's wat2wasm writes it.
 * The output is not validated: a module that parses but does not validate
 * (a type mismatch, an out-of-range lane) is written as given. */
#ifndef WLAB_WAT_H
#define WLAB_WAT_H

#include <stddef.h>
#include <stdint.h>

#include "wlab/status.h"
#include "wlab/api.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Parses text[0..len) and writes the binary module to a new buffer *out
 * of *size bytes (free() it). WLAB_MALFORMED when the text is not a module
 * in the text format: err->offset is the byte offset in the text and the
 * message starts with "LINE:COLUMN: ". WLAB_NOMEM when an allocation
 * failed. On failure *out is NULL and *size 0. */
WLAB_API enum wlab_status wlab_wat_to_binary(const char *text, size_t len, uint8_t **out,
					     size_t *size, struct wlab_error *err);
/* The same with the text forms of features only (wlab/features.h; 0 = the
 * default set): under WLAB_FEATURES_2_0, offsets past 2^32-1, memory
 * indices and i64 limits are malformed, as 2.0 has them. */
WLAB_API enum wlab_status wlab_wat_to_binary_features(const char *text, size_t len, uint32_t features,
						      uint8_t **out, size_t *size,
						      struct wlab_error *err);

enum wlab_wat_flags {
	/* A "name" custom section from the text's identifiers, at the end of
	 * the module, as wabt's wat2wasm --debug-names writes it: the module's
	 * id, then functions (imports included), the locals of every function
	 * (params and locals with an id; a function with none is listed with
	 * none), types, tables, memories, globals, elem and data segments,
	 * struct fields (GC) and tags, each subsection only when it names
	 * something (the locals' always). Labels are not written. */
	WLAB_WAT_DEBUG_NAMES = 1u << 0,
	/* Validate the module assembled, as wat2wasm does: an invalid one is
	 * WLAB_INVALID, *out NULL, err->offset the offset in the binary and
	 * err->message "LINE:COLUMN: the module is invalid: 0xOFF: MESSAGE (in
	 * func[N])", with " $id" when a name section (WLAB_WAT_DEBUG_NAMES)
	 * names it. LINE:COLUMN is where in the text the offset's bytes came
	 * from: the instruction (its name; an end's `end` or `)`; a body's
	 * end its last instruction outside blocks) in a
	 * function body or a constant expression (a global's or a table's
	 * initialiser, a segment's offset: its end is its last instruction),
	 * else the field (`(global`, `(export`...); it is left
	 * out when the text does not say (the type section, which the parser
	 * writes from every type at once, a (module binary ...) or (module
	 * quote ...)). */
	WLAB_WAT_VALIDATE = 1u << 1,
};

/* wlab_wat_to_binary_features with flags (enum wlab_wat_flags). */
WLAB_API enum wlab_status wlab_wat_to_binary_flags(const char *text, size_t len, uint32_t features,
						   unsigned flags, uint8_t **out, size_t *size,
						   struct wlab_error *err);

#ifdef __cplusplus
}
#endif

#endif
