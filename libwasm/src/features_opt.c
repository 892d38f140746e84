/* features_opt.c: the command-line feature options of every tool, from wlab/features.def. */
#include <stdbool.h>
#include <string.h>

#include "wlab/features.h"

uint32_t wlab_features_all(void)
{
	return 0
#define WLAB_FEATURE(bit, cname, name, dflt) | WLAB_FEATURE_##cname
#include "wlab/features.def"
#undef WLAB_FEATURE
		;
}

const char *wlab_feature_name(uint32_t bit)
{
#define WLAB_FEATURE(b, cname, name, dflt) \
	if (bit == WLAB_FEATURE_##cname) \
		return name;
#include "wlab/features.def"
#undef WLAB_FEATURE
	return NULL;
}

static const struct {
	const char *name;
	int set;  /* 1: 1.0, 2: 2.0, 3: default, 4: all */
} feature_sets[] = {{"1.0", 1}, {"2.0", 2}, {"default", 3}, {"all", 4}};

static uint32_t set_bits(int set)
{
	switch (set) {
	case 1: return WLAB_FEATURES_1_0;
	case 2: return WLAB_FEATURES_2_0;
	case 3: return wlab_features_default();
	default: return wlab_features_all();
	}
}

/* "known: a, b, c" after `what`, cut to msgsize. */
static void unknown(char *msg, size_t msgsize, const char *what, const char *name, bool sets)
{
	if (!msg || !msgsize)
		return;
	size_t n = (size_t)snprintf(msg, msgsize, "unknown %s '%s' (known: ", what, name);
	const char *sep = "";
	if (sets) {
		for (size_t i = 0; i < sizeof feature_sets / sizeof feature_sets[0]; i++) {
			if (n < msgsize)
				n += (size_t)snprintf(msg + n, msgsize - n, "%s%s", sep, feature_sets[i].name);
			sep = ", ";
		}
	}
#define WLAB_FEATURE(bit, cname, fname, dflt) \
	if (!sets && n < msgsize) { \
		n += (size_t)snprintf(msg + n, msgsize - n, "%s%s", sep, fname); \
		sep = ", "; \
	}
#include "wlab/features.def"
#undef WLAB_FEATURE
	if (n < msgsize)
		snprintf(msg + n, msgsize - n, ")");
}

int wlab_features_arg(const char *arg, uint32_t *features, char *msg, size_t msgsize)
{
	if (strcmp(arg, "--enable-all") == 0) {
		*features = wlab_features_all();
		return 1;
	}
	if (strcmp(arg, "--disable-all") == 0) {
		*features = WLAB_FEATURES_1_0;
		return 1;
	}
	if (strncmp(arg, "--features=", 11) == 0) {
		for (size_t i = 0; i < sizeof feature_sets / sizeof feature_sets[0]; i++) {
			if (strcmp(arg + 11, feature_sets[i].name) == 0) {
				*features = set_bits(feature_sets[i].set);
				return 1;
			}
		}
		unknown(msg, msgsize, "feature set", arg + 11, true);
		return -1;
	}
	bool on = strncmp(arg, "--enable-", 9) == 0;
	if (!on && strncmp(arg, "--disable-", 10) != 0)
		return 0;
	const char *name = arg + (on ? 9 : 10);
	uint32_t bit = wlab_feature_by_name(name);
	if (!bit) {
		unknown(msg, msgsize, "feature", name, false);
		return -1;
	}
	*features = on ? (*features | bit) : (*features & ~bit);
	return 1;
}

bool wlab_feature_option(const char *arg, uint32_t *features)
{
	return wlab_features_arg(arg, features, NULL, 0) == 1;
}

/* One "name [on]" word of the feature list, wrapped before column 80. */
static int feature_word(FILE *out, int col, const char *name, int on)
{
	int len = (int)strlen(name) + (on ? 5 : 6);
	if (col && col + 1 + len > 79) {
		fputc('\n', out);
		col = 0;
	}
	if (!col)
		col = fprintf(out, "   ");
	col += fprintf(out, " %s [%s]", name, on ? "on" : "off");
	return col;
}

void wlab_features_usage(FILE *out)
{
	fputs("\nfeatures (applied left to right):\n"
	      "      --enable-FEATURE         Turn one feature on\n"
	      "      --disable-FEATURE        Turn one feature off\n"
	      "      --enable-all             Turn every feature on\n"
	      "      --disable-all            Turn all off but the MVP (WebAssembly 1.0)\n"
	      "      --features=SET           Exactly SET: 1.0, 2.0, default or all\n"
	      "                               (--features=2.0: keep to WebAssembly 2.0)\n"
	      "  FEATURE is one of (default in brackets):\n", out);
	int col = 0;
#define WLAB_FEATURE(bit, cname, name, dflt) col = feature_word(out, col, name, dflt);
#include "wlab/features.def"
#undef WLAB_FEATURE
	if (col)
		fputc('\n', out);
}
