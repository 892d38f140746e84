/* test_wat_deep.c: text of deep and big modules, as compilers make them.
 * Plain (unfolded) block, loop, if and try_table nest without recursion in
 * the parser: Go's esbuild.wasm nests 3,289 deep, which wasm2wat prints flat
 * and the parser refused past 1,500 ("nesting too deep"), as it still does
 * folded forms. wlab_wat_print_to hands the text out in pieces, the same
 * bytes wlab_wat_print gives, with WLAB_IO when the writer fails. Each case
 * failed before the change that made it pass. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "wlab/encode.h"
#include "wlab/features.h"
#include "wlab/module.h"
#include "wlab/wat.h"
#include "wlab/watprint.h"

/* (module (func (result i32) OPEN... i32.const 7 ...CLOSE)) with depth
 * nested plain forms cycling block, loop, if (then an else arm) and
 * try_table; the text in *text (free() it). */
static char *deep_text(unsigned depth)
{
	struct wlab_buf b = {0};
	const char *head = "(module (func (export \"f\") (result i32)\n";
	wlab_buf_bytes(&b, head, strlen(head));
	for (unsigned i = 0; i < depth; i++) {
		static const char *const open[] = {"block (result i32)\n", "loop (result i32)\n",
						   "i32.const 1\nif (result i32)\n",
						   "try_table (result i32)\n"};
		const char *o = open[i % 4];
		wlab_buf_bytes(&b, o, strlen(o));
	}
	wlab_buf_bytes(&b, "i32.const 7\n", 12);
	for (unsigned i = depth; i-- > 0;) {
		const char *c = i % 4 == 2 ? "else\ni32.const 8\nend\n" : "end\n";
		wlab_buf_bytes(&b, c, strlen(c));
	}
	wlab_buf_bytes(&b, "))\0", 3);
	assert_true(wlab_buf_ok(&b));
	size_t n;
	return (char *)wlab_buf_take(&b, &n);
}

static struct wlab_module *decode(const uint8_t *bin, size_t n)
{
	struct wlab_decode_options o = {.features = wlab_features_default()};
	struct wlab_module *m = NULL;
	struct wlab_error err = {0};
	if (wlab_module_decode(bin, n, &o, &m, &err))
		fail_msg("decode: 0x%zx: %s", err.offset, err.message);
	return m;
}

/* 5,000 plain blocks assemble, print, and read back to the same bytes;
 * 5,000 folded ones are still refused with the offset. */
static void test_deep_plain_blocks(void **state)
{
	(void)state;
	char *text = deep_text(5000);
	uint8_t *bin = NULL, *again = NULL;
	size_t n = 0, n2 = 0, len = 0;
	struct wlab_error err = {0};
	if (wlab_wat_to_binary(text, strlen(text), &bin, &n, &err))
		fail_msg("0x%zx: %s", err.offset, err.message);
	struct wlab_module *m = decode(bin, n);
	char *printed = NULL;
	assert_int_equal(wlab_wat_print(m, NULL, &printed, &len, &err), WLAB_OK);
	if (wlab_wat_to_binary(printed, len, &again, &n2, &err))
		fail_msg("0x%zx: %s", err.offset, err.message);
	assert_int_equal(n2, n);
	assert_memory_equal(again, bin, n);
	free(again);
	free(printed);
	wlab_module_free(m);
	free(bin);
	free(text);
	/* folded forms recurse: the cap stays, said where it is reached */
	struct wlab_buf f = {0};
	const char *head = "(module (func";
	wlab_buf_bytes(&f, head, strlen(head));
	for (int i = 0; i < 5000; i++)
		wlab_buf_bytes(&f, " (block", 7);
	for (int i = 0; i < 5000; i++)
		wlab_buf_u8(&f, ')');
	wlab_buf_bytes(&f, "))", 2);
	err = (struct wlab_error){0};
	assert_int_equal(wlab_wat_to_binary((const char *)f.data, f.size, &bin, &n, &err),
			 WLAB_MALFORMED);
	assert_non_null(strstr(err.message, "nesting too deep"));
	assert_true(err.offset > 0);
	wlab_buf_free(&f);
}

/* Unclosed, mismatched and misplaced closers of plain blocks keep their
 * messages: an `else` of a block, a second `else`, a `catch` in a block, a
 * missing `end`. */
static void test_plain_block_errors(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"(module (func block else end))",
		"(module (func i32.const 1 if else else end))",
		"(module (func block catch_all end))",
		"(module (func block loop end))",
		"(module (func block $a end $b))",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		uint8_t *bin = NULL;
		size_t n = 0;
		struct wlab_error err = {0};
		if (wlab_wat_to_binary(bad[i], strlen(bad[i]), &bin, &n, &err) == WLAB_OK)
			fail_msg("%s: accepted", bad[i]);
		assert_true(err.offset > 0);
		free(bin);
	}
}

struct pieces {
	struct wlab_buf all;
	unsigned calls;
	unsigned fail_at;  /* 0: never fail */
};

static bool take(void *ctx, const char *data, size_t len)
{
	struct pieces *p = ctx;
	if (++p->calls == p->fail_at)
		return false;
	wlab_buf_bytes(&p->all, data, len);
	return true;
}

/* The text in pieces (more than one for text past the 1 MiB buffer) is
 * wlab_wat_print's to the byte; a writer that fails is WLAB_IO. */
static void test_print_to(void **state)
{
	(void)state;
	char *text = deep_text(3000);  /* indented 2 spaces a level: ~20 MB of text */
	uint8_t *bin = NULL;
	size_t n = 0, len = 0;
	struct wlab_error err = {0};
	assert_int_equal(wlab_wat_to_binary(text, strlen(text), &bin, &n, &err), WLAB_OK);
	struct wlab_module *m = decode(bin, n);
	char *whole = NULL;
	assert_int_equal(wlab_wat_print(m, NULL, &whole, &len, &err), WLAB_OK);
	struct pieces p = {0};
	assert_int_equal(wlab_wat_print_to(m, NULL, take, &p, &err), WLAB_OK);
	assert_true(p.calls > 1);
	assert_int_equal(p.all.size, len);
	assert_memory_equal(p.all.data, whole, len);
	wlab_buf_free(&p.all);
	struct pieces q = {.fail_at = 2};
	err = (struct wlab_error){0};
	assert_int_equal(wlab_wat_print_to(m, NULL, take, &q, &err), WLAB_IO);
	assert_string_equal(err.message, "write error");
	assert_int_equal(q.calls, 2);  /* no write after the one that failed */
	wlab_buf_free(&q.all);
	free(whole);
	wlab_module_free(m);
	free(bin);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deep_plain_blocks),
		cmocka_unit_test(test_plain_block_errors),
		cmocka_unit_test(test_print_to),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
