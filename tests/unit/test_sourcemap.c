/* test_sourcemap.c: source maps v3 (libwasm/src/sourcemap.c): the JSON
 * members read, base64 VLQ segments with negative deltas and unmapped
 * segments, lookups between segments, names (the 5th field), index maps
 * (sections, inline or in files their "url"s name), and the errors with
 * their offsets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/stat.h>

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
	return sourcemap_parse(sm, text, strlen(text), NULL, at, err, n);
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
	assert_string_equal(sm.sources[0], "src/a.c");  /* sourceRoot joined */
	assert_string_equal(sm.sources[1], "src/b.c");
	assert_null(sm.sources[2]);
	assert_int_equal(sm.nnames, 0);
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
	assert_int_equal(sourcemap_find(&sm, 0x20)->name, SOURCEMAP_NO_NAME);
	sourcemap_fini(&sm);
}

static void expect_name(const struct sourcemap *sm, uint32_t off, const char *name)
{
	const struct sourcemap_seg *s = sourcemap_find(sm, off);
	assert_non_null(s);
	if (!name) {
		assert_true(s->name == SOURCEMAP_NO_NAME || !sm->names[s->name]);
		return;
	}
	assert_true(s->name < sm->nnames);
	assert_string_equal(sm->names[s->name], name);
}

/* Names: 0x20 a.c 0:0 "main"; 0x30 a.c 5:2 (4 fields: none); 0x40 a.c 7:0
 * "helper" (index +1 from the last 5-field segment, not from 0x30's);
 * 0x50 a.c 8:0 names[2], a null; 0x60 a.c 9:0 "main" (index -2). */
static void test_names(void **state)
{
	(void)state;
	static const char text[] =
		"{\"version\":3,\"sources\":[\"a.c\"],\"names\":[\"main\",\"h\\u00e9lper\",null],"
		"\"mappings\":\"gCAAAA,gBAKE,gBAEFC,gBACAC,gBACAF\"}";
	struct sourcemap sm;
	size_t at = 0;
	char err[128] = "";
	assert_true(parse(&sm, text, &at, err, sizeof err));
	assert_int_equal(sm.nnames, 3);
	assert_int_equal(sm.nsegs, 5);
	expect_name(&sm, 0x20, "main");
	expect_name(&sm, 0x2f, "main");
	expect_name(&sm, 0x30, NULL);
	expect_name(&sm, 0x40, "h\xc3\xa9lper");
	expect(&sm, 0x40, true, 0, 7, 0);
	expect_name(&sm, 0x50, NULL);
	expect(&sm, 0x50, true, 0, 8, 0);
	expect_name(&sm, 0x60, "main");
	expect(&sm, 0x60, true, 0, 9, 0);
	sourcemap_fini(&sm);
}

/* An index map: section 1 at 0:0 (a.c, "f"), section 2 at 0:0x100 with its
 * own sourceRoot, sources and names (indices from 0 again), section 3 on
 * generated line 1 (no wasm code: read, not kept); a member to skip. */
static void test_index_map(void **state)
{
	(void)state;
	static const char text[] =
		"{\"version\": 3, \"file\": \"m.wasm\", \"sections\": [\n"
		" {\"offset\": {\"line\": 0, \"column\": 0}, \"map\": {\"version\": 3,"
		"  \"sources\": [\"a.c\"], \"names\": [\"f\"], \"mappings\": \"gBAAAA,QAEA\"}},\n"
		" {\"map\": {\"version\": 3, \"sourceRoot\": \"r\", \"names\": [\"g\"],"
		"  \"mappings\": \"AAAAA,QCGC,I\", \"sources\": [\"b.c\", \"a.c\"]},"
		"  \"x\": [1], \"offset\": {\"column\": 256, \"line\": 0}},\n"
		" {\"offset\": {\"line\": 1, \"column\": 0}, \"map\": {\"version\": 3,"
		"  \"sources\": [\"c.c\"], \"mappings\": \"AAAA\"}}]}";
	struct sourcemap sm;
	size_t at = 0;
	char err[128] = "";
	bool ok = parse(&sm, text, &at, err, sizeof err);
	if (!ok)
		print_error("at %zu: %s\n", at, err);
	assert_true(ok);
	assert_int_equal(sm.nsources, 4);
	assert_string_equal(sm.sources[0], "a.c");
	assert_string_equal(sm.sources[1], "r/b.c");
	assert_string_equal(sm.sources[2], "r/a.c");
	assert_string_equal(sm.sources[3], "c.c");
	assert_int_equal(sm.nnames, 2);
	assert_int_equal(sm.nsegs, 5);
	assert_null(sourcemap_find(&sm, 0xf));
	expect(&sm, 0x10, true, 0, 0, 0);
	expect_name(&sm, 0x10, "f");
	expect(&sm, 0x18, true, 0, 2, 0);
	expect_name(&sm, 0x18, NULL);
	expect(&sm, 0xff, true, 0, 2, 0);
	expect(&sm, 0x100, true, 1, 0, 0);
	expect_name(&sm, 0x100, "g");
	expect(&sm, 0x108, true, 2, 3, 1);
	expect(&sm, 0x10c, false, 0, 0, 0);
	sourcemap_fini(&sm);
}

/* Each bad map fails at the given byte offset of the text: where the
 * value, the segment or the token that is wrong starts (the end of the text
 * for an unterminated string); `mark`, when given, is the text found there. */
static void test_errors(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		size_t at;
		const char *mark;
	} bad[] = {
		{"", 0, NULL},
		{"[3]", 0, NULL},
		{"{\"version\": 2, \"sources\": [], \"mappings\": \"\"}", 12, NULL},
		{"{\"sources\": [], \"mappings\": \"\"}", 31, NULL},
		{"{\"version\": 3, \"sources\": [], \"mappings\": \"AA!A\"}", 43, NULL},
		{"{\"version\": 3, \"sources\": [\"a.c\"], \"mappings\": \"AAAA", 52, NULL},
		{"{\"version\": 3, \"sources\": [\"a.c\"] \"mappings\": \"\"}", 34, NULL},
		/* a name index past "names", or below 0 */
		{"{\"version\":3,\"sources\":[\"a.c\"],\"names\":[\"f\"],\"mappings\":\"AAAAA,CAAAC\"}",
		 0, "CAAAC"},
		{"{\"version\":3,\"sources\":[\"a.c\"],\"mappings\":\"AAAAD\"}", 0, "AAAAD"},
		{"{\"version\":3,\"sources\":[\"a.c\"],\"names\":3,\"mappings\":\"\"}", 0, "3,\"m"},
		/* a VLQ past 32 bits; a source index past "sources" */
		{"{\"version\":3,\"sources\":[\"a.c\"],\"mappings\":\"AAAA,ggggggggA\"}", 0, "gggg"},
		{"{\"version\":3,\"sources\":[\"a.c\"],\"mappings\":\"AAAA,ACAA\"}", 0, "ACAA"},
		/* index maps */
		{"{\"version\":3,\"sections\":3}", 0, "3}"},
		{"{\"version\":3,\"sections\":[],\"mappings\":\"\"}", 0, "{"},
		{"{\"version\":3,\"sections\":[{\"offset\":{\"line\":0,\"column\":0}}]}", 0,
		 "{\"offset\""},
		{"{\"version\":3,\"sections\":[{\"offset\":{\"line\":0},\"map\":{}}]}", 0,
		 "{\"line\":0}"},
		{"{\"version\":3,\"sections\":[{\"offset\":{\"line\":-1,\"column\":0},\"map\":{}}]}", 0,
		 "-1"},
		{"{\"version\":3,\"sections\":[{\"offset\":{\"line\":0,\"column\":1.5},\"map\":{}}]}", 0,
		 "1.5"},
		/* a url that is not a string; both "map" and "url"; neither */
		{"{\"version\":3,\"sections\":[{\"offset\":{\"line\":0,\"column\":0},\"url\":3}]}",
		 0, "3}]"},
		{"{\"version\":3,\"sections\":[{\"offset\":{\"line\":0,\"column\":0},\"url\":\"x.map\","
		 "\"map\":{}}]}", 0, "{\"offset\""},
		{"{\"version\":3,\"sections\":[{\"offset\":{\"line\":0,\"column\":0},\"x\":1}]}",
		 0, "{\"offset\""},
		{"{\"version\":3,\"sections\":[{\"offset\":{\"line\":0,\"column\":0},"
		 "\"map\":{\"version\":3,\"sections\":[]}}]}", 0, "[]}"},
		{"{\"version\":3,\"sections\":[{\"offset\":{\"line\":0,\"column\":0},"
		 "\"map\":{\"version\":3,\"sources\":[],\"mappings\":\"\"}},"
		 "{\"offset\":{\"line\":1,\"column\":0},\"map\":{\"version\":3,\"sources\":[],\"mappings\":\"\"}},"
		 "{\"offset\":{\"line\":0,\"column\":9},\"map\":{}}]}", 0, "{\"line\":0,\"column\":9}"},
		/* overlap: the first section maps byte 0x20, the second starts at 0x10 */
		{"{\"version\":3,\"sections\":[{\"offset\":{\"line\":0,\"column\":0},"
		 "\"map\":{\"version\":3,\"sources\":[\"a.c\"],\"mappings\":\"gCAAA\"}},"
		 "{\"offset\":{\"line\":0,\"column\":16},\"map\":{}}]}", 0, "{\"line\":0,\"column\":16}"},
		/* an error inside a section's map: its offset in the whole text */
		{"{\"version\":3,\"sections\":[{\"offset\":{\"line\":0,\"column\":0},"
		 "\"map\":{\"version\":3,\"sources\":[\"a.c\"],\"mappings\":\"AAAA,A!\"}}]}", 0, "A!"},
		{"{\"version\":3,\"sections\":[{\"offset\":{\"line\":0,\"column\":0},\"map\":3}]}", 0,
		 "3}"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct sourcemap sm;
		size_t at = 12345, want = bad[i].at;
		char err[128] = "";
		if (bad[i].mark) {
			const char *m = strstr(bad[i].text, bad[i].mark);
			assert_non_null(m);
			want = (size_t)(m - bad[i].text);
		}
		bool ok = parse(&sm, bad[i].text, &at, err, sizeof err);
		if (ok || at != want)
			print_error("map %zu: ok %d, offset %zu (want %zu): %s\n", i, ok, at, want, err);
		assert_false(ok);
		assert_int_equal(at, want);
		assert_true(err[0] != 0);
		assert_int_equal(sm.nsegs, 0);
		assert_int_equal(sm.nsources, 0);
		assert_int_equal(sm.nnames, 0);
		sourcemap_fini(&sm);
	}
}

/* Index maps whose sections name map files ("url"): found next to the
 * index map (a relative path, a subdirectory, ../, file:// with an absolute
 * path), each read as an inline map would be; the problems of a named file
 * reported at the url's string with the file's path and the offset in it. */
static char dir[64];

static void put(const char *name, const char *text)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static bool parse_at(struct sourcemap *sm, const char *name, const char *text, size_t *at,
		     char *err, size_t n)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	memset(sm, 0, sizeof *sm);
	return sourcemap_parse(sm, text, strlen(text), path, at, err, n);
}

static int url_setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/wlab-test-sourcemap-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	char sub[96];
	snprintf(sub, sizeof sub, "%s/sub", dir);
	return mkdir(sub, 0755);
}

static int url_teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_url_sections(void **state)
{
	(void)state;
	put("a.map", "{\"version\":3,\"sources\":[\"a.c\"],\"names\":[\"f\"],"
		     "\"mappings\":\"gBAAAA,QAEA\"}\n");
	put("sub/b.map", "{\"version\":3,\"sourceRoot\":\"r\",\"names\":[\"g\"],"
			 "\"mappings\":\"AAAAA,QCGC,I\",\"sources\":[\"b.c\",\"a.c\"]}");
	put("sub/c.map", "{\"version\":3,\"sources\":[\"c.c\"],\"mappings\":\"AAAA\"}");
	char text[1024];
	snprintf(text, sizeof text,
		 "{\"version\": 3, \"sections\": [\n"
		 " {\"offset\": {\"line\": 0, \"column\": 0}, \"url\": \"a.map\"},\n"
		 " {\"url\": \"sub/b.map\", \"offset\": {\"column\": 256, \"line\": 0}},\n"
		 " {\"offset\": {\"line\": 0, \"column\": 512}, \"url\": \"file://%s/sub/c.map\"},\n"
		 " {\"offset\": {\"line\": 0, \"column\": 768}, \"url\": \"sub/../a.map\"}]}", dir);
	struct sourcemap sm;
	size_t at = 0;
	char err[SOURCEMAP_ERROR_MAX] = "";
	bool ok = parse_at(&sm, "index.map", text, &at, err, sizeof err);
	if (!ok)
		print_error("at %zu: %s\n", at, err);
	assert_true(ok);
	assert_int_equal(sm.nsources, 5);
	assert_string_equal(sm.sources[1], "r/b.c");
	assert_string_equal(sm.sources[3], "c.c");
	assert_string_equal(sm.sources[4], "a.c");
	assert_int_equal(sm.nnames, 3);
	assert_int_equal(sm.nsegs, 8);
	expect(&sm, 0x10, true, 0, 0, 0);
	expect_name(&sm, 0x10, "f");
	expect(&sm, 0x100, true, 1, 0, 0);
	expect_name(&sm, 0x100, "g");
	expect(&sm, 0x108, true, 2, 3, 1);
	expect(&sm, 0x10c, false, 0, 0, 0);
	expect(&sm, 0x200, true, 3, 0, 0);
	expect(&sm, 0x30f, true, 3, 0, 0);
	expect(&sm, 0x310, true, 4, 0, 0);     /* a.map again, its sources and names appended again */
	expect_name(&sm, 0x310, "f");
	expect(&sm, 0x318, true, 4, 2, 0);
	sourcemap_fini(&sm);

	/* the same index map read from the current directory: its urls are
	 * found there (path NULL), and here they are not */
	ok = parse(&sm, text, &at, err, sizeof err);
	assert_false(ok);
	assert_int_equal(at, (size_t)(strstr(text, "\"a.map\"") - text));
	assert_non_null(strstr(err, "a.map: cannot open"));
}

static void test_url_errors(void **state)
{
	(void)state;
	put("idx.map", "{\"version\":3,\"sections\":[]}");
	put("bad.map", "{\"version\":3,\"sources\":[\"a.c\"],\n\"mappings\":\"AAAA,A!\"}");
	put("tail.map", "{\"version\":3,\"sources\":[],\"mappings\":\"\"} {}");
	put("arr.map", "[]");
	put("late.map", "{\"version\":3,\"sources\":[\"a.c\"],\"mappings\":\"gCAAA\"}");
	static const struct {
		const char *url, *message;  /* message: what err holds */
	} bad[] = {
		{"idx.map", "idx.map+0x18: a section's map is an index map (not allowed)"},
		{"bad.map", "bad.map+0x31: malformed mapping segment (bad base64 VLQ)"},
		{"tail.map", "tail.map+0x29: text after the JSON object"},
		{"arr.map", "arr.map+0x0: a source map is a JSON object"},
		{"missing.map", "missing.map: cannot open: No such file or directory"},
		{"https://example.com/x.map", "https://example.com/x.map: only local files are read"},
		{"data:application/json,{}", "data:application/json,{}: only local files are read"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char text[512];
		snprintf(text, sizeof text, "{\"version\":3,\"sections\":[{\"offset\":{\"line\":0,"
			 "\"column\":0},\"url\":\"%s\"}]}", bad[i].url);
		struct sourcemap sm;
		size_t at = 0;
		char err[SOURCEMAP_ERROR_MAX] = "";
		bool ok = parse_at(&sm, "index.map", text, &at, err, sizeof err);
		size_t want = (size_t)(strstr(text, "\"url\":") + 6 - text);
		if (ok || at != want || !strstr(err, bad[i].message))
			print_error("url %s: ok %d, at %zu (want %zu): %s\n", bad[i].url, ok, at, want, err);
		assert_false(ok);
		assert_int_equal(at, want);
		assert_non_null(strstr(err, bad[i].message));
		assert_int_equal(sm.nsources, 0);
		sourcemap_fini(&sm);
	}
	/* a section named by url must not start before the one above ends */
	static const char overlap[] =
		"{\"version\":3,\"sections\":[{\"offset\":{\"line\":0,\"column\":0},\"url\":\"late.map\"},"
		"{\"offset\":{\"line\":0,\"column\":16},\"url\":\"late.map\"}]}";
	struct sourcemap sm;
	size_t at = 0;
	char err[SOURCEMAP_ERROR_MAX] = "";
	assert_false(parse_at(&sm, "index.map", overlap, &at, err, sizeof err));
	assert_int_equal(at, (size_t)(strstr(overlap, "{\"line\":0,\"column\":16}") - overlap));
	assert_string_equal(err, "a section starts before the mappings above it end");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_and_find),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_index_map),
		cmocka_unit_test(test_errors),
		cmocka_unit_test_setup_teardown(test_url_sections, url_setup, url_teardown),
		cmocka_unit_test_setup_teardown(test_url_errors, url_setup, url_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
