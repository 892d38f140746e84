/* wlab/features.h: feature bits, expanded from wlab/features.def. */
#ifndef WLAB_FEATURES_H
#define WLAB_FEATURES_H

#include <stdbool.h>
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

/* WebAssembly 2.0, for a tool or test that must keep to it (later defaults,
 * such as threads, change some of its verdicts). */
#define WLAB_FEATURES_2_0 (WLAB_FEATURE_MVP | WLAB_FEATURE_SIGN_EXT | \
	WLAB_FEATURE_SAT_FLOAT_TO_INT | WLAB_FEATURE_MULTI_VALUE | \
	WLAB_FEATURE_BULK_MEMORY | WLAB_FEATURE_REFERENCE_TYPES | WLAB_FEATURE_SIMD)

/* Applies one command-line option to *features: --enable-NAME,
 * --disable-NAME, or a whole set with --features=2.0, default or all.
 * False when arg is no such option. */
bool wlab_feature_option(const char *arg, uint32_t *features);

#endif
