/* wlab/validate.h: the spec's validation of a decoded module.
 *
 * wlab_module_validate() checks every module-level rule of WebAssembly 2.0
 * (limits, index spaces, constant expressions, segments, exports, start)
 * and types every function body with the spec's stack algorithm. It reads
 * the module and allocates only scratch memory that it frees before it
 * returns; the module is not changed, but for m->validated, the features it
 * accepted the module with (0 when it refused it), which
 * wlab_instantiate_validated() trusts. Instructions of features outside the
 * default 2.0 set that the validator does not type (exceptions, memory64,
 * threads) are rejected as invalid with a message naming the instruction. */
#ifndef WLAB_VALIDATE_H
#define WLAB_VALIDATE_H

#include <stddef.h>
#include <stdint.h>

#include "wlab/module.h"
#include "wlab/status.h"
#include "wlab/api.h"

#ifdef __cplusplus
extern "C" {
#endif

struct wlab_validate_options {
	uint32_t features;  /* enum wlab_feature_bit; 0 = the default 2.0 set */
	size_t max_alloc;   /* cap on the validator's working memory; 0 = 1 GiB */
};

/* The first error found. error.status is WLAB_INVALID for a module that
 * breaks a rule (error.message in the spec testsuite's wording, such as
 * "type mismatch" or "unknown global 3"), WLAB_NOMEM when scratch memory ran
 * out or passed max_alloc, WLAB_MALFORMED when a body does not decode with
 * the given features. error.offset is the file offset of the offending
 * instruction, or of the entry (import, export, segment...) at fault. */
struct wlab_validate_error {
	struct wlab_error error;
	uint32_t func;  /* function index (imports counted) of the body at
			   fault, or UINT32_MAX outside function bodies */
};

/* Returns WLAB_OK when m is valid, else err->error.status. opts may be NULL;
 * err may be NULL when only the verdict matters. */
WLAB_API enum wlab_status wlab_module_validate(const struct wlab_module *m,
					       const struct wlab_validate_options *opts,
					       struct wlab_validate_error *err);

#ifdef __cplusplus
}
#endif

#endif
