/* wlab/features.h: feature bits, expanded from wlab/features.def. */
#ifndef WLAB_FEATURES_H
#define WLAB_FEATURES_H

#include <stdint.h>

enum wlab_feature_bit {
#define WLAB_FEATURE(bit, cname, name, dflt) WLAB_FEATURE_##cname = 1u << (bit),
#include "wlab/features.def"
#undef WLAB_FEATURE
};

/* The features on when a caller passes 0. */
uint32_t wlab_features_default(void);
/* Looks up a feature by its flag name; 0 when unknown. */
uint32_t wlab_feature_by_name(const char *name);

#endif
