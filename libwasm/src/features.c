/* features.c: the feature table expanded into defaults and lookups. */
#include <string.h>

#include "wlab/features.h"

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
