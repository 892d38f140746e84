/* features_internal.h: the error of a construct that a disabled feature would allow. */
#ifndef WLAB_FEATURES_INTERNAL_H
#define WLAB_FEATURES_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "wlab/features.h"
#include "wlab/status.h"

/* Records a malformed error at offset: the spec's wording `msg`, then which
 * feature `what` needs, named by its flag (the lowest bit of `bits`), e.g.
 * "malformed function type: struct type needs the gc feature (--enable-gc)".
 * Callers check first that `bits` names a feature the module's set lacks. */
enum wlab_status wlab_feature_off(struct wlab_error *err, size_t offset, const char *msg,
				  const char *what, uint32_t bits);

#endif
