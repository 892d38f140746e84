/* features.c: the feature table expanded into defaults, lookups and the error of a disabled one. */
#include <string.h>

#include "features_internal.h"

uint32_t wlab_features_default(void)
{
	return 0
#define WLAB_FEATURE(bit, cname, name, dflt) | ((dflt) ? WLAB_FEATURE_##cname : 0u)
#include "wlab/features.def"
#undef WLAB_FEATURE
		;
}

uint32_t wlab_feature_by_name(const char *name)
{
#define WLAB_FEATURE(bit, cname, fname, dflt) \
	if (strcmp(name, fname) == 0) \
		return WLAB_FEATURE_##cname;
#include "wlab/features.def"
#undef WLAB_FEATURE
	return 0;
}

enum wlab_status wlab_feature_off(struct wlab_error *err, size_t offset, const char *msg,
				  const char *what, uint32_t bits)
{
	const char *name = wlab_feature_name(bits & (~bits + 1u));
	if (!name)
		return wlab_error_set(err, WLAB_MALFORMED, offset, "%s", msg);
	return wlab_error_set(err, WLAB_MALFORMED, offset, "%s: %s needs the %s feature (--enable-%s)",
			      msg, what, name, name);
}
