/* wlab/encode.h: writes a module structure back to bytes.
 *
 * The encoder writes the sections in m->sections order (so custom sections
 * stay where they stood), every LEB128 in its shortest form:
 * - known sections from the structure (types, imports, functions, tables,
 *   memories, globals, exports, start, elements, data count, code, data,
 *   tags); constant expressions and instruction sequences are copied from
 *   their spans in m->bytes; function bodies are written as the local
 *   declarations (local_decls) followed by the bytes of code.expr;
 * - custom sections "name", "producers" and "target_features" from their
 *   decoded structures when m->has_names / has_producers /
 *   has_target_features (so a tool can edit them); every other custom
 *   section (and any custom section that failed to decode) as its content
 *   bytes.
 * A module built by a tool (a linker) rather than decoded sets m->bytes to
 * a buffer of its own that every span points into. */
#ifndef WLAB_ENCODE_H
#define WLAB_ENCODE_H

#include <stddef.h>
#include <stdint.h>

#include "wlab/module.h"
#include "wlab/status.h"

/* Encodes m into a new buffer *out of *size bytes (free it with free()).
 * WLAB_NOMEM, or WLAB_INVALID with err set when the structure cannot be
 * written (an index or span out of range). */
enum wlab_status wlab_module_encode(const struct wlab_module *m, uint8_t **out,
				    size_t *size, struct wlab_error *err);

#endif
