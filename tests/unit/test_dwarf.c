/* test_dwarf.c: the DWARF reader on a hand-built module: line rows, file
 * paths, an inlined frame, and every truncation and byte flip of each debug
 * section (no crash, a warning where a unit is cut short). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util.h"
#include "wlab/dwarf.h"

static void u32le(struct tu_buf *b, uint32_t v)
{
	TU_PUT(b, (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24));
}

static void patch32(struct tu_buf *b, size_t at, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		b->p[at + i] = (uint8_t)(v >> (8 * i));
}

static void cstr(struct tu_buf *b, const char *s)
{
	tu_bytes(b, s, strlen(s) + 1);
}

/* .debug_line, version 4: files a.c (the compilation directory) and inc/b.h;
 * rows at 1 (line 1), 3 (line 5, column 3), 4 (b.h line 6), end at 5. */
static void debug_line(struct tu_buf *b)
{
	u32le(b, 0);  /* unit length, patched */
	TU_PUT(b, 4, 0);
	size_t hlen = b->n;
	u32le(b, 0);  /* header length, patched */
	TU_PUT(b, 1, 1, 1, 0xfb, 14, 13, 0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1);
	cstr(b, "inc");
	TU_PUT(b, 0);
	cstr(b, "a.c");
	TU_PUT(b, 0, 0, 0);
	cstr(b, "b.h");
	TU_PUT(b, 1, 0, 0, 0);
	patch32(b, hlen, (uint32_t)(b->n - hlen - 4));
	TU_PUT(b, 0, 5, 2, 1, 0, 0, 0);  /* set_address 1 */
	TU_PUT(b, 1);                    /* copy */
	TU_PUT(b, 5, 3, 3, 4, 2, 2, 1);  /* column 3, line +4, pc +2, copy */
	TU_PUT(b, 4, 2, 33);             /* file 2, special: pc +1, line +1 */
	TU_PUT(b, 2, 1, 0, 1, 1);        /* pc +1, end_sequence */
	patch32(b, 0, (uint32_t)(b->n - 4));
}

static void debug_abbrev(struct tu_buf *b)
{
	TU_PUT(b, 1, 0x11, 1, 0x03, 0x08, 0x1b, 0x08, 0x10, 0x17, 0x11, 0x01, 0x12, 0x06, 0, 0);
	TU_PUT(b, 2, 0x2e, 1, 0x03, 0x08, 0x11, 0x01, 0x12, 0x06, 0, 0);
	TU_PUT(b, 3, 0x1d, 0, 0x31, 0x13, 0x11, 0x01, 0x12, 0x06, 0x58, 0x0b, 0x59, 0x0b,
	       0x57, 0x0b, 0, 0);
	TU_PUT(b, 4, 0x2e, 0, 0x03, 0x08, 0, 0);
	TU_PUT(b, 0);
}

/* A unit a.c in /src, [0, 16); f at [1, 5) with g inlined at [4, 5),
 * called from a.c:7:3. */
static void debug_info(struct tu_buf *b)
{
	u32le(b, 0);
	TU_PUT(b, 4, 0);
	u32le(b, 0);
	TU_PUT(b, 4);
	TU_PUT(b, 1);
	cstr(b, "a.c");
	cstr(b, "/src");
	u32le(b, 0);
	u32le(b, 0);
	u32le(b, 16);
	TU_PUT(b, 2);
	cstr(b, "f");
	u32le(b, 1);
	u32le(b, 4);
	TU_PUT(b, 3);
	size_t origin = b->n;
	u32le(b, 0);
	u32le(b, 4);
	u32le(b, 1);
	TU_PUT(b, 1, 7, 3);
	TU_PUT(b, 0);
	patch32(b, origin, (uint32_t)b->n);
	TU_PUT(b, 4);
	cstr(b, "g");
	TU_PUT(b, 0);
	patch32(b, 0, (uint32_t)(b->n - 4));
}

static const char *const names[3] = {".debug_line", ".debug_abbrev", ".debug_info"};

/* The module with the three sections; section `cut` keeps only cut_len bytes
 * of its content and byte flip (if < its length) is inverted. */
static void build(struct tu_buf *out, int cut, size_t cut_len, size_t flip)
{
	struct tu_buf s[3] = {{0}}, p = {0};
	debug_line(&s[0]);
	debug_abbrev(&s[1]);
	debug_info(&s[2]);
	tu_header(out);
	TU_PUT(out, 1, 4, 1, 0x60, 0, 0);   /* type: () -> () */
	TU_PUT(out, 3, 2, 1, 0);            /* function: type 0 */
	TU_PUT(out, 10, 5, 1, 3, 0, 1, 0x0b);  /* code: nop, end */
	for (int i = 0; i < 3; i++) {
		tu_buf_reset(&p);
		tu_name(&p, names[i]);
		size_t n = i == cut ? cut_len : s[i].n;
		if (i == cut && flip < n)
			s[i].p[flip] ^= 0xff;
		tu_bytes(&p, s[i].p, n);
		tu_section(out, 0, &p);
		tu_buf_free(&s[i]);
	}
	tu_buf_free(&p);
}

static int nwarnings;
static void count_warning(void *ctx, const char *section, uint64_t offset,
			  uint64_t file_offset, const char *message)
{
	(void)ctx, (void)section, (void)offset, (void)file_offset;
	assert_non_null(message);
	nwarnings++;
}

static struct wlab_dwarf *open_dwarf(struct tu_buf *b, struct wlab_module **m)
{
	struct wlab_error err = {0};
	assert_int_equal(tu_decode(b, NULL, m, &err), WLAB_OK);
	struct wlab_dwarf *d = wlab_dwarf_new(*m);
	assert_non_null(d);
	nwarnings = 0;
	wlab_dwarf_set_warn(d, count_warning, NULL);
	return d;
}

static void expect_loc(const struct wlab_source_loc *l, const char *file, uint32_t line,
		       uint32_t col, const char *fn, bool inlined)
{
	assert_non_null(l->file);
	assert_string_equal(l->file, file);
	assert_int_equal(l->line, line);
	assert_int_equal(l->column, col);
	if (fn) {
		assert_non_null(l->function);
		assert_string_equal(l->function, fn);
	}
	assert_int_equal(l->inlined, inlined);
}

static void test_lookup(void **state)
{
	(void)state;
	struct tu_buf b = {0};
	struct wlab_module *m = NULL;
	struct wlab_source_loc loc[4];
	build(&b, -1, 0, SIZE_MAX);
	struct wlab_dwarf *d = open_dwarf(&b, &m);
	assert_true(wlab_dwarf_present(d));
	assert_int_equal(wlab_dwarf_lookup(d, 1, loc, 4), 1);
	expect_loc(&loc[0], "/src/a.c", 1, 0, "f", false);
	assert_int_equal(wlab_dwarf_lookup(d, 2, loc, 4), 1);
	expect_loc(&loc[0], "/src/a.c", 1, 0, "f", false);
	assert_int_equal(wlab_dwarf_lookup(d, 3, loc, 4), 1);
	expect_loc(&loc[0], "/src/a.c", 5, 3, "f", false);
	assert_int_equal(wlab_dwarf_lookup(d, 4, loc, 4), 2);
	expect_loc(&loc[0], "/src/inc/b.h", 6, 3, "g", true);
	expect_loc(&loc[1], "/src/a.c", 7, 3, "f", false);
	/* past the sequence, inside the unit: no row, no function */
	assert_int_equal(wlab_dwarf_lookup(d, 5, loc, 4), 1);
	assert_null(loc[0].file);
	assert_int_equal(wlab_dwarf_lookup(d, 16, loc, 4), 0);
	struct wlab_line_table t;
	assert_int_equal(wlab_dwarf_line_table_count(d), 1);
	assert_true(wlab_dwarf_line_table(d, 0, &t));
	assert_int_equal(t.nrows, 4);
	assert_int_equal(t.rows[2].address, 4);
	assert_int_equal(t.rows[2].file, 2);
	assert_int_equal(t.rows[3].flags & WLAB_LINE_END_SEQUENCE, WLAB_LINE_END_SEQUENCE);
	assert_int_equal(nwarnings, 0);
	wlab_dwarf_free(d);
	wlab_module_free(m);
	tu_buf_free(&b);
}

static void query_all(struct wlab_dwarf *d)
{
	struct wlab_source_loc loc[4];
	struct wlab_line_table t;
	for (uint64_t a = 0; a < 18; a++)
		wlab_dwarf_lookup(d, a, loc, 4);
	for (uint32_t i = 0; i < wlab_dwarf_line_table_count(d); i++)
		assert_true(wlab_dwarf_line_table(d, i, &t));
}

static size_t section_size(int i)
{
	struct tu_buf s = {0};
	if (i == 0)
		debug_line(&s);
	else if (i == 1)
		debug_abbrev(&s);
	else
		debug_info(&s);
	size_t n = s.n;
	tu_buf_free(&s);
	return n;
}

/* Every cut of every section: no crash; a cut inside .debug_line or
 * .debug_info warns. */
static void test_truncated(void **state)
{
	(void)state;
	for (int i = 0; i < 3; i++) {
		size_t full = section_size(i);
		for (size_t n = 0; n < full; n++) {
			struct tu_buf b = {0};
			struct wlab_module *m = NULL;
			build(&b, i, n, SIZE_MAX);
			struct wlab_dwarf *d = open_dwarf(&b, &m);
			query_all(d);
			if (n > 0 && i != 1 && nwarnings == 0)
				fail_msg("%s cut to %zu bytes: no warning", names[i], n);
			wlab_dwarf_free(d);
			wlab_module_free(m);
			tu_buf_free(&b);
		}
	}
}

/* Every byte of every section inverted: no crash (the sanitizers watch). */
static void test_flipped(void **state)
{
	(void)state;
	for (int i = 0; i < 3; i++) {
		size_t full = section_size(i);
		for (size_t k = 0; k < full; k++) {
			struct tu_buf b = {0};
			struct wlab_module *m = NULL;
			build(&b, i, full, k);
			struct wlab_dwarf *d = open_dwarf(&b, &m);
			query_all(d);
			wlab_dwarf_free(d);
			wlab_module_free(m);
			tu_buf_free(&b);
		}
	}
}

static void test_no_debug_info(void **state)
{
	(void)state;
	struct tu_buf b = {0};
	struct wlab_module *m = NULL;
	struct wlab_source_loc loc[2];
	tu_header(&b);
	struct wlab_dwarf *d = open_dwarf(&b, &m);
	assert_false(wlab_dwarf_present(d));
	assert_int_equal(wlab_dwarf_lookup(d, 0, loc, 2), 0);
	assert_int_equal(wlab_dwarf_line_table_count(d), 0);
	wlab_dwarf_free(d);
	wlab_dwarf_free(NULL);
	wlab_module_free(m);
	tu_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_flipped),
		cmocka_unit_test(test_no_debug_info),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
