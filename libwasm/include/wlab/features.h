/* wlab/features.h: feature bits, expanded from wlab/features.def. */
#ifndef WLAB_FEATURES_H
#define WLAB_FEATURES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "wlab/api.h"

#ifdef __cplusplus
extern "C" {
#endif

enum wlab_feature_bit {
#define WLAB_FEATURE(bit, cname, name, dflt) WLAB_FEATURE_##cname = 1u << (bit),
#include "wlab/features.def"
#undef WLAB_FEATURE
};

/* The features on when a caller passes 0. */
WLAB_API uint32_t wlab_features_default(void);
/* Looks up a feature by its flag name; 0 when unknown. */
WLAB_API uint32_t wlab_feature_by_name(const char *name);

/* Every feature of the table; WebAssembly 1.0 and 2.0 as feature sets, for a
 * tool or test that must keep to them (later defaults, such as threads, change
 * some of 2.0's verdicts). */
WLAB_API uint32_t wlab_features_all(void);
#define WLAB_FEATURES_1_0 (WLAB_FEATURE_MVP)
#define WLAB_FEATURES_2_0 (WLAB_FEATURE_MVP | WLAB_FEATURE_SIGN_EXT | \
	WLAB_FEATURE_SAT_FLOAT_TO_INT | WLAB_FEATURE_MULTI_VALUE | \
	WLAB_FEATURE_BULK_MEMORY | WLAB_FEATURE_REFERENCE_TYPES | WLAB_FEATURE_SIMD)

/* The flag name of one feature bit, or NULL. */
WLAB_API const char *wlab_feature_name(uint32_t bit);

/* Command-line feature options, spelled as in every wlab tool (wabt's
 * spelling, plus whole sets as wasm-tools has them), applied left to right:
 *   --enable-NAME, --disable-NAME   one feature of wlab/features.def
 *   --enable-all                    every feature of the table
 *   --disable-all                   none but the MVP (WebAssembly 1.0)
 *   --features=SET                  exactly SET: 1.0, 2.0, default or all
 * Returns 1 when arg is such an option (applied to *features), 0 when it is
 * no feature option, -1 when it names an unknown feature or set: then msg
 * (msgsize bytes, may be NULL) says which and lists the known names. */
WLAB_API int wlab_features_arg(const char *arg, uint32_t *features, char *msg, size_t msgsize);

/* Writes the help of those options: one line per feature with its default. */
WLAB_API void wlab_features_usage(FILE *out);

/* wlab_features_arg() without its message: true when arg was a feature
 * option and is applied, false when it is none or names no known feature. */
WLAB_API bool wlab_feature_option(const char *arg, uint32_t *features);

#ifdef __cplusplus
}
#endif

#endif
