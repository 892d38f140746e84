/* test_sourcemap.c: source maps v3 (libwasm/src/sourcemap.c): the JSON
 * members read, base64 VLQ segments with negative deltas and unmapped
 * segments, lookups between segments, and the errors with their offsets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "sourcemap.h"

/* Segments (absolute values): 0x20 a.c 0:0, 0x25 a.c 2:4, 0x30 unmapped,
 * 0x40 b.c 1:3, 1000 a.c 11:2; the VLQs are deltas, some negative. */
static const char good[] =
	"{\"version\": 3, \"file\": \"m.wasm\", \"sourceRoot\": \"src/\",\n"
	" \"sources\": [\"a.c\", \"b.c\", null], \"names\": [], \"x_extra\": {\"k\": [1, {}]},\n"
	" \"mappings\": \"gCAAA,KAEI,W,gBCDD,w6BDUD\"}";

static bool parse(struct sourcemap *sm, const char *text, size_t *at, char *err, size_t n)
{
	memset(sm, 0, sizeof *sm);
	return sourcemap_parse(sm, text, strlen(text), at, err, n);
}

static void expect(const struct sourcemap *sm, uint32_t off, bool mapped, uint32_t src,
		   uint32_t line, uint32_t col)
{
	const struct sourcemap_seg *s = sourcemap_find(sm, off);
	assert_non_null(s);
	assert_int_equal(s->mapped, mapped);
	if (!mapped)
		return;
	assert_int_equal(s->source, src);
	assert_int_equal(s->line, line);
	assert_int_equal(s->column, col);
}

static void test_parse_and_find(void **state)
{
	(void)state;
	struct sourcemap sm;
	size_t at = 0;
	char err[128] = "";
	assert_true(parse(&sm, good, &at, err, sizeof err));
	assert_int_equal(sm.nsources, 3);
	assert_string_equal(sm.sources[0], "a.c");
	assert_string_equal(sm.sources[1], "b.c");
	assert_null(sm.sources[2]);
	assert_string_equal(sm.source_root, "src/");
	assert_int_equal(sm.nsegs, 5);
	assert_null(sourcemap_find(&sm, 0x1f));  /* before the first segment */
	expect(&sm, 0x20, true, 0, 0, 0);
	expect(&sm, 0x24, true, 0, 0, 0);        /* between segments: the last before */
	expect(&sm, 0x25, true, 0, 2, 4);
	expect(&sm, 0x30, false, 0, 0, 0);
	expect(&sm, 0x3f, false, 0, 0, 0);
	expect(&sm, 0x40, true, 1, 1, 3);        /* line and column deltas of -1 */
	expect(&sm, 999, true, 1, 1, 3);
	expect(&sm, 1000, true, 0, 11, 2);
	expect(&sm, UINT32_MAX, true, 0, 11, 2);
	sourcemap_fini(&sm);
}

/* Each bad map fails at the given byte offset of the text: where the
 * value, the segment or the token that is wrong starts (the end of the text
 * for an unterminated string). */
static void test_errors(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		size_t at;
	} bad[] = {
		{"", 0},
		{"[3]", 0},
		{"{\"version\": 2, \"sources\": [], \"mappings\": \"\"}", 12},
		{"{\"sources\": [], \"mappings\": \"\"}", 31},
		{"{\"version\": 3, \"sources\": [], \"mappings\": \"AA!A\"}", 43},
		{"{\"version\": 3, \"sources\": [\"a.c\"], \"mappings\": \"AAAA", 52},
		{"{\"version\": 3, \"sources\": [\"a.c\"] \"mappings\": \"\"}", 34},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct sourcemap sm;
		size_t at = 12345;
		char err[128] = "";
		bool ok = parse(&sm, bad[i].text, &at, err, sizeof err);
		if (ok || at != bad[i].at)
			print_error("map %zu: ok %d, offset %zu (want %zu): %s\n", i, ok, at, bad[i].at, err);
		assert_false(ok);
		assert_int_equal(at, bad[i].at);
		assert_true(err[0] != 0);
		assert_int_equal(sm.nsegs, 0);
		sourcemap_fini(&sm);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_and_find),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
