/* test_features.c: the feature table's lookups and the command-line feature
 * options every tool shares (features.c, features_opt.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "wlab/features.h"

/* Every row: its name finds its bit, and its bit its name. */
static void test_names_round_trip(void **state)
{
	(void)state;
	int rows = 0;
#define WLAB_FEATURE(bit, cname, name, dflt) \
	assert_int_equal(wlab_feature_by_name(name), WLAB_FEATURE_##cname); \
	assert_string_equal(wlab_feature_name(WLAB_FEATURE_##cname), name); \
	assert_true(wlab_features_all() & WLAB_FEATURE_##cname); \
	assert_int_equal(!!(wlab_features_default() & WLAB_FEATURE_##cname), !!(dflt)); \
	rows++;
#include "wlab/features.def"
#undef WLAB_FEATURE
	assert_true(rows >= 13);
	assert_int_equal(wlab_feature_by_name("no-such"), 0);
	assert_null(wlab_feature_name(0));
	assert_true((wlab_features_default() & WLAB_FEATURES_2_0) == WLAB_FEATURES_2_0);
}

struct arg_case {
	uint32_t before;
	const char *arg;
	int rc;
	uint32_t after;     /* when rc == 1 */
	const char *msg;    /* a part of the message when rc == -1 */
};

static void test_options(void **state)
{
	(void)state;
	const uint32_t T = WLAB_FEATURE_THREADS, S = WLAB_FEATURE_SIMD;
	const struct arg_case cases[] = {
		{WLAB_FEATURES_2_0, "--enable-threads", 1, WLAB_FEATURES_2_0 | T, NULL},
		{WLAB_FEATURES_2_0 | T, "--disable-threads", 1, WLAB_FEATURES_2_0, NULL},
		{WLAB_FEATURES_2_0, "--disable-simd", 1, WLAB_FEATURES_2_0 & ~S, NULL},
		{WLAB_FEATURES_2_0, "--enable-simd", 1, WLAB_FEATURES_2_0, NULL},
		{0, "--enable-all", 1, 0, NULL},  /* after: wlab_features_all(), below */
		{WLAB_FEATURES_2_0, "--disable-all", 1, WLAB_FEATURE_MVP, NULL},
		{T, "--features=2.0", 1, WLAB_FEATURES_2_0, NULL},
		{T, "--features=1.0", 1, WLAB_FEATURE_MVP, NULL},
		{WLAB_FEATURE_MVP, "--features=default", 1, 0, NULL},  /* default, below */
		{1, "--enable-thread", -1, 1, "unknown feature 'thread' (known: mvp, sign-ext,"},
		{1, "--disable-", -1, 1, "unknown feature '' (known: "},
		{1, "--features=3.1", -1, 1, "unknown feature set '3.1' (known: 1.0, 2.0, default, all)"},
		{1, "--enable", 0, 1, NULL},
		{1, "--threads", 0, 1, NULL},
		{1, "threads", 0, 1, NULL},
		{1, "--feature=2.0", 0, 1, NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct arg_case *c = &cases[i];
		uint32_t f = c->before;
		char msg[512] = "";
		int rc = wlab_features_arg(c->arg, &f, msg, sizeof msg);
		if (rc != c->rc)
			fail_msg("%s: rc %d, want %d", c->arg, rc, c->rc);
		uint32_t want = c->after;
		if (strcmp(c->arg, "--enable-all") == 0)
			want = wlab_features_all();
		if (strcmp(c->arg, "--features=default") == 0)
			want = wlab_features_default();
		if (f != want)
			fail_msg("%s: features %#x, want %#x", c->arg, f, want);
		if (c->msg && !strstr(msg, c->msg))
			fail_msg("%s: message '%s' lacks '%s'", c->arg, msg, c->msg);
		if (c->rc == -1 && msg[strlen(msg) - 1] != ')')
			fail_msg("%s: message '%s' is cut", c->arg, msg);
	}
	/* A short buffer cuts the message without overflowing; NULL is allowed. */
	char tiny[8];
	uint32_t f = 0;
	assert_int_equal(wlab_features_arg("--enable-nothing-known", &f, tiny, sizeof tiny), -1);
	assert_int_equal(strlen(tiny), sizeof tiny - 1);
	assert_int_equal(wlab_features_arg("--enable-nothing-known", &f, NULL, 0), -1);
}

/* The help lists every feature of the table with its default. */
static void test_usage_lists_every_feature(void **state)
{
	(void)state;
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	assert_non_null(out);
	wlab_features_usage(out);
	fclose(out);
	char word[64];
#define WLAB_FEATURE(bit, cname, name, dflt) \
	snprintf(word, sizeof word, " %s [%s]", name, (dflt) ? "on" : "off"); \
	if (!strstr(buf, word)) \
		fail_msg("usage lacks '%s':\n%s", word, buf);
#include "wlab/features.def"
#undef WLAB_FEATURE
	for (char *p = buf, *nl; (nl = strchr(p, '\n')); p = nl + 1)
		assert_true(nl - p < 80);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_round_trip),
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_usage_lists_every_feature),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
