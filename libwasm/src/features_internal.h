/* features_internal.h: the error of a construct that a disabled feature would allow. */
#ifndef WLAB_FEATURES_INTERNAL_H
#define WLAB_FEATURES_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wlab/features.h"
#include "wlab/status.h"
#include "wlab/types.h"

/* Records a malformed error at offset: the spec's wording `msg`, then which
 * feature `what` needs, named by its flag (the lowest bit of `bits`), e.g.
 * "malformed function type: struct type needs the gc feature (--enable-gc)".
 * Callers check first that `bits` names a feature the module's set lacks. */
enum wlab_status wlab_feature_off(struct wlab_error *err, size_t offset, const char *msg,
				  const char *what, uint32_t bits);

/* Whether features lack what value type t (heap type h) needs, as the
 * decoder finds it: the feature bits needed (any one of them), with the
 * part's name ("anyref", "(ref ht)", "eq") in *what; 0 when they allow it.
 * The text parser refuses a type with the decoder's rule (types.c). */
uint32_t wlab_valtype_off(wlab_valtype_t t, uint32_t features, const char **what);
uint32_t wlab_heaptype_off(wlab_heaptype_t h, uint32_t features, const char **what);
/* The same for a limits flag bit: WLAB_LIMITS_SHARED (a memory's only)
 * needs threads, WLAB_LIMITS_I64 memory64; *what is "shared memory", "i64
 * memory" or "i64 table". The decoder and the text parser both ask it. */
uint32_t wlab_limits_flag_off(uint8_t bit, bool memory, uint32_t features, const char **what);

#endif
