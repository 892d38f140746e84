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

bool wlab_feature_option(const char *arg, uint32_t *features)
{
	if (strcmp(arg, "--features=2.0") == 0)
		*features = WLAB_FEATURES_2_0;
	else if (strcmp(arg, "--features=default") == 0)
		*features = wlab_features_default();
	else if (strcmp(arg, "--features=all") == 0)
		*features = 0
#define WLAB_FEATURE(bit, cname, name, dflt) | WLAB_FEATURE_##cname
#include "wlab/features.def"
#undef WLAB_FEATURE
			;
	else if (strncmp(arg, "--enable-", 9) == 0 && wlab_feature_by_name(arg + 9))
		*features |= wlab_feature_by_name(arg + 9);
	else if (strncmp(arg, "--disable-", 10) == 0 && wlab_feature_by_name(arg + 10))
		*features &= ~wlab_feature_by_name(arg + 10);
	else
		return false;
	return true;
}
