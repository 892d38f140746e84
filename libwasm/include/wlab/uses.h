/* wlab/uses.h: the language features a module actually uses, so a user can
 * tell which runtimes can run it. */
#ifndef WLAB_USES_H
#define WLAB_USES_H

#include <stddef.h>
#include <stdint.h>

#include "wlab/features.h"
#include "wlab/module.h"
#include "wlab/status.h"
#include "wlab/api.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The features m uses (enum wlab_feature_bit), WLAB_FEATURE_MVP always
 * among them. From its types (v128 -> simd, externref or a funcref outside
 * a table -> reference-types, several results -> multi-value, exnref ->
 * exceptions, typed references -> function-references), limits (shared ->
 * threads, 64-bit -> memory64), counts (two memories -> multi-memory, two
 * tables -> reference-types), sections (tag -> exceptions, data count ->
 * bulk-memory), segment forms, mutable global imports and exports, constant
 * expressions (more than one constant or global.get -> extended-const), and
 * every instruction of every body by the opcode table's feature column
 * (block types with a type index -> multi-value). The bodies are read with
 * m->features. Returns WLAB_OK, or an instruction's decode error in err
 * (then *out holds what was found before it). */
WLAB_API enum wlab_status wlab_module_uses(const struct wlab_module *m, uint32_t *out,
					   struct wlab_error *err);

/* wlab_module_uses() without the instructions of the function bodies: one
 * pass over the entries, for views that must stay cheap on big modules (the
 * walk of the code costs about 15 ms a megabyte). */
WLAB_API enum wlab_status wlab_module_uses_entries(const struct wlab_module *m, uint32_t *out,
						   struct wlab_error *err);
/* The bytes of m's function bodies' instructions. */
WLAB_API uint64_t wlab_module_code_size(const struct wlab_module *m);
/* Above this many bytes of instructions, the tools look only at the entries
 * (wlab_module_uses_entries) where a full walk would slow a plain view. */
#define WLAB_USES_CODE_LIMIT (1u << 20)

/* Writes the names of the feature bits in features beyond the MVP, in
 * alphabetical order, separated by sep, into buf (n bytes, NUL-terminated,
 * cut if short); "" when there are none. Returns how many names. */
WLAB_API int wlab_features_list(uint32_t features, const char *sep, char *buf, size_t n);

#ifdef __cplusplus
}
#endif

#endif
