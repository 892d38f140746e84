/* test_codemeta.c: code metadata sections ("metadata.code.*", branch hints
 * among them): decoded by wlab_module_decode, checked by
 * wlab_code_meta_check against the code; one module, one row per rule. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util.h"
#include "wlab/module.h"

#define LEN(a) (sizeof (a) / sizeof (a)[0])

/* Function 0 is imported; function 1's body (offsets from its locals):
 * 0 locals, 1 i32.const 0, 3 if, 5 end, 6 i32.const 0, 8 br_if 0, 10 end;
 * function 2's is empty. The sections named in names (content after each
 * name in contents) stand before the code section. Returns the offset of
 * the first one's content. */
static size_t build(struct tu_buf *b, const char *const *names, const struct tu_buf *contents,
		    size_t n)
{
	struct tu_buf p = {0};
	size_t first = 0;
	tu_header(b);
	tu_section_raw(b, 1, TU_ARR(0x01, 0x60, 0x00, 0x00), 4);
	tu_section_raw(b, 2, TU_ARR(0x01, 0x01, 'm', 0x01, 'f', 0x00, 0x00), 7);
	tu_section_raw(b, 3, TU_ARR(0x02, 0x00, 0x00), 3);
	for (size_t i = 0; i < n; i++) {
		tu_buf_reset(&p);
		tu_name(&p, names[i]);
		size_t at = p.n;
		tu_bytes(&p, contents[i].p, contents[i].n);
		at += tu_section(b, 0, &p);
		if (!i)
			first = at;
	}
	tu_section_raw(b, 10, TU_ARR(0x02, 0x0b, 0x00, 0x41, 0x00, 0x04, 0x40, 0x0b, 0x41, 0x00,
				     0x0d, 0x00, 0x0b, 0x02, 0x00, 0x0b), 16);
	tu_buf_free(&p);
	return first;
}

static struct wlab_module *decode_hints(const uint8_t *content, size_t size, size_t *at,
					struct tu_buf *b)
{
	static const char *const names[] = {"metadata.code.branch_hint"};
	struct tu_buf c = {0};
	struct wlab_module *m = NULL;
	struct wlab_error err = {0};
	tu_bytes(&c, content, size);
	*at = build(b, names, &c, 1);
	if (tu_decode(b, NULL, &m, &err))
		fail_msg("decode: %s", err.message);
	tu_buf_free(&c);
	return m;
}

static void test_decode(void **state)
{
	(void)state;
	struct tu_buf b = {0};
	size_t at;
	/* func 1: a hint on the if (likely not) and on the br_if (likely);
	 * func 2: none */
	const uint8_t content[] = {0x02, 0x01, 0x02, 0x03, 0x01, 0x00, 0x08, 0x01, 0x01,
				   0x02, 0x00};
	struct wlab_module *m = decode_hints(content, sizeof content, &at, &b);
	tu_expect_ok("hints", &m->custom_error);
	assert_int_equal(m->ncode_meta, 1);
	const struct wlab_code_meta *cm = &m->code_meta[0];
	assert_true(cm->branch_hint);
	assert_int_equal(cm->type.len, 11);
	assert_int_equal(cm->section_index, 3);
	assert_int_equal(cm->nfuncs, 2);
	assert_int_equal(cm->funcs[0].func, 1);
	assert_int_equal(cm->funcs[0].count, 2);
	tu_expect_span("func 1", cm->funcs[0].span, at + 1, 8);
	assert_int_equal(cm->funcs[0].items[0].offset, 3);
	assert_int_equal(cm->funcs[0].items[0].entry_offset, at + 3);
	tu_expect_span("hint 0", cm->funcs[0].items[0].data, at + 5, 1);
	assert_int_equal(m->bytes[cm->funcs[0].items[1].data.offset], 1);
	assert_int_equal(cm->funcs[1].func, 2);
	assert_int_equal(cm->funcs[1].count, 0);
	wlab_module_free(m);
	tu_buf_free(&b);
}

/* One rule broken per row: the status, the offset from the content's
 * start, the message. */
static const struct {
	const char *what;
	uint8_t content[16];
	size_t size;
	enum wlab_status st;
	size_t offset;
	const char *msg;
} rows[] = {
	{"functions out of order", {0x02, 0x02, 0x00, 0x01, 0x00}, 5, WLAB_INVALID, 3,
	 "@metadata.code.branch_hint section: invalid order"},
	{"a function twice", {0x02, 0x01, 0x00, 0x01, 0x00}, 5, WLAB_INVALID, 3,
	 "@metadata.code.branch_hint section: invalid order"},
	{"unknown function", {0x01, 0x03, 0x00}, 3, WLAB_INVALID, 1,
	 "@metadata.code.branch_hint section: unknown function"},
	{"imported function", {0x01, 0x00, 0x00}, 3, WLAB_INVALID, 1,
	 "@metadata.code.branch_hint section: function has no body"},
	{"offsets out of order", {0x01, 0x01, 0x02, 0x08, 0x01, 0x00, 0x03, 0x01, 0x00}, 9,
	 WLAB_INVALID, 6, "@metadata.code.branch_hint section: invalid order"},
	{"an offset twice", {0x01, 0x01, 0x02, 0x03, 0x01, 0x00, 0x03, 0x01, 0x00}, 9,
	 WLAB_INVALID, 6, "@metadata.code.branch_hint section: invalid order"},
	{"payload of 2 bytes", {0x01, 0x01, 0x01, 0x03, 0x02, 0x00, 0x00}, 7, WLAB_INVALID, 4,
	 "@metadata.code.branch_hint section: missing reserved byte"},
	{"empty payload", {0x01, 0x01, 0x01, 0x03, 0x00}, 5, WLAB_INVALID, 4,
	 "@metadata.code.branch_hint section: missing reserved byte"},
	{"hint value 2", {0x01, 0x01, 0x01, 0x03, 0x01, 0x02}, 6, WLAB_INVALID, 5,
	 "@metadata.code.branch_hint section: invalid hint value"},
	{"hint on i32.const", {0x01, 0x01, 0x01, 0x01, 0x01, 0x00}, 6, WLAB_INVALID, 3,
	 "@metadata.code.branch_hint section: invalid target"},
	{"hint on end", {0x01, 0x01, 0x01, 0x05, 0x01, 0x00}, 6, WLAB_INVALID, 3,
	 "@metadata.code.branch_hint section: invalid target"},
	{"offset inside an instruction", {0x01, 0x01, 0x01, 0x04, 0x01, 0x00}, 6, WLAB_INVALID, 3,
	 "@metadata.code.branch_hint section: invalid offset"},
	{"offset of the locals", {0x01, 0x01, 0x01, 0x00, 0x01, 0x00}, 6, WLAB_INVALID, 3,
	 "@metadata.code.branch_hint section: invalid offset"},
	{"offset past the body", {0x01, 0x01, 0x01, 0x0b, 0x01, 0x00}, 6, WLAB_INVALID, 3,
	 "@metadata.code.branch_hint section: invalid offset"},
	{"truncated", {0x01, 0x01, 0x01, 0x03}, 4, WLAB_MALFORMED, 4, "unexpected end"},
	{"payload past the end", {0x01, 0x01, 0x01, 0x03, 0x05, 0x00}, 6, WLAB_MALFORMED, 5,
	 "length out of bounds"},
	{"bytes after the functions", {0x00, 0x00}, 2, WLAB_MALFORMED, 1,
	 "section size mismatch"},
	{"count past the end", {0x05, 0x01}, 2, WLAB_MALFORMED, 2, "unexpected end"},
};

static void test_rules(void **state)
{
	(void)state;
	for (size_t i = 0; i < LEN(rows); i++) {
		struct tu_buf b = {0};
		size_t at;
		struct wlab_module *m = decode_hints(rows[i].content, rows[i].size, &at, &b);
		tu_expect_error(rows[i].what, &m->custom_error, rows[i].st, at + rows[i].offset,
				rows[i].msg);
		/* the check alone says the same for the invalid ones */
		struct wlab_error err = {0};
		enum wlab_status st = wlab_code_meta_check(m, &err);
		if (rows[i].st == WLAB_INVALID)
			tu_expect_error(rows[i].what, &err, WLAB_INVALID, at + rows[i].offset,
					rows[i].msg);
		else
			assert_int_equal(st, err.status);
		wlab_module_free(m);
		tu_buf_free(&b);
	}
}

/* Another type of code metadata: any payload on any instruction, the
 * order and offset rules alone; a second section of a type is refused. */
static void test_other_types(void **state)
{
	(void)state;
	static const char *const names[] = {"metadata.code.foo", "metadata.code.branch_hint",
					    "metadata.code.foo"};
	struct tu_buf c[3] = {{0}}, b = {0};
	struct wlab_module *m = NULL;
	struct wlab_error err = {0};
	TU_PUT(&c[0], 0x01, 0x01, 0x02, 0x01, 0x03, 'a', 'b', 'c', 0x05, 0x00);
	TU_PUT(&c[1], 0x00);
	TU_PUT(&c[2], 0x01, 0x01, 0x01, 0x02, 0x00);
	build(&b, names, c, 2);
	assert_int_equal(tu_decode(&b, NULL, &m, &err), WLAB_OK);
	tu_expect_ok("foo", &m->custom_error);
	assert_int_equal(m->ncode_meta, 2);
	assert_false(m->code_meta[0].branch_hint);
	assert_int_equal(m->code_meta[0].funcs[0].items[0].data.size, 3);
	assert_int_equal(m->code_meta[0].funcs[0].items[1].offset, 5);
	wlab_module_free(m);
	tu_buf_free(&b);

	size_t at = build(&b, names, c, 3);
	assert_int_equal(tu_decode(&b, NULL, &m, &err), WLAB_OK);
	assert_int_equal(m->custom_error.status, WLAB_INVALID);
	assert_string_equal(m->custom_error.message, "metadata.code.foo section: duplicate section");
	assert_true(m->custom_error.offset > at);
	wlab_module_free(m);
	tu_buf_free(&b);

	/* offset inside an instruction, for any type */
	tu_buf_reset(&c[0]);
	TU_PUT(&c[0], 0x01, 0x01, 0x01, 0x02, 0x00);
	at = build(&b, names, c, 1);
	assert_int_equal(tu_decode(&b, NULL, &m, &err), WLAB_OK);
	tu_expect_error("foo offset", &m->custom_error, WLAB_INVALID, at + 3,
			"metadata.code.foo section: invalid offset");
	wlab_module_free(m);
	/* skipped with the custom sections */
	struct wlab_decode_options opts = {.flags = WLAB_DECODE_SKIP_CUSTOM};
	assert_int_equal(tu_decode(&b, &opts, &m, &err), WLAB_OK);
	tu_expect_ok("skipped", &m->custom_error);
	assert_int_equal(m->ncode_meta, 0);
	wlab_module_free(m);
	tu_buf_free(&b);
	for (int i = 0; i < 3; i++)
		tu_buf_free(&c[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_other_types),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
