/* test_layout.c: unit tests of the field tree (layout*.c): the leaves tile
 * hand-built modules that use every section and encoding, every prefix of
 * such a module, and malformed input stops at the field holding the error. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "util.h"
#include "wlab/layout.h"

/* Root covers size; every interior node is tiled by its children; no empty
 * leaf; depths follow the nesting. Returns false and prints on a failure. */
static bool tiles(const struct wlab_layout *l, uint32_t size)
{
	if (l->nnodes == 0 || l->nodes[0].offset != 0 || l->nodes[0].length != size ||
	    l->nodes[0].end != l->nnodes)
		return tu_row_failed("root", "does not cover %u bytes", size);
	uint32_t at = 0;
	for (uint32_t i = 0; i < l->nnodes; i++) {
		const struct wlab_layout_node *n = &l->nodes[i];
		if (n->end <= i || n->end > l->nnodes)
			return tu_row_failed(n->label, "bad subtree end %u at node %u", n->end, i);
		if (wlab_layout_is_leaf(l, i)) {
			if (i > 0 && n->length == 0)
				return tu_row_failed(n->label, "empty leaf at %u", n->offset);
			if (n->offset != at)
				return tu_row_failed(n->label, "leaf at %u, expected %u", n->offset, at);
			at += n->length;
			continue;
		}
		uint32_t c = i + 1, cat = n->offset;
		for (; c < n->end; c = l->nodes[c].end) {
			if (l->nodes[c].offset != cat || l->nodes[c].depth != n->depth + 1)
				return tu_row_failed(l->nodes[c].label, "child at %u of %s, expected %u",
						     l->nodes[c].offset, n->label, cat);
			cat += l->nodes[c].length;
		}
		if (cat != n->offset + n->length)
			return tu_row_failed(n->label, "children end at %u, node at %u", cat,
					     n->offset + n->length);
	}
	if (at != size)
		return tu_row_failed("leaves", "end at %u, file has %u", at, size);
	return true;
}

/* A module with every standard section, every elem and data encoding, a
 * code body with many immediate kinds, and a name section. */
static void build_module(struct tu_buf *b)
{
	struct tu_buf p = {0};
	tu_header(b);
	TU_PUT(&p, 2, 0x60, 1, 0x7f, 1, 0x7f, 0x60, 0, 0);
	tu_section(b, 1, &p), tu_buf_reset(&p);
	TU_PUT(&p, 4);
	tu_name(&p, "env"), tu_name(&p, "f"), TU_PUT(&p, 0, 1);
	tu_name(&p, "env"), tu_name(&p, "t"), TU_PUT(&p, 1, 0x70, 0, 1);
	tu_name(&p, "env"), tu_name(&p, "m"), TU_PUT(&p, 2, 1, 1, 2);
	tu_name(&p, "env"), tu_name(&p, "g"), TU_PUT(&p, 3, 0x7f, 0);
	tu_section(b, 2, &p), tu_buf_reset(&p);
	TU_PUT(&p, 2, 0, 1);
	tu_section(b, 3, &p), tu_buf_reset(&p);
	TU_PUT(&p, 1, 0x70, 0, 2);
	tu_section(b, 4, &p), tu_buf_reset(&p);
	TU_PUT(&p, 0);
	tu_section(b, 5, &p), tu_buf_reset(&p);
	TU_PUT(&p, 2, 0x7e, 1, 0x42, 0x80, 0x01, 0x0b, 0x7d, 0, 0x43, 0, 0, 0x80, 0x3f, 0x0b);
	tu_section(b, 6, &p), tu_buf_reset(&p);
	TU_PUT(&p, 1);
	tu_name(&p, "run"), TU_PUT(&p, 0, 2);
	tu_section(b, 7, &p), tu_buf_reset(&p);
	TU_PUT(&p, 1);
	tu_section(b, 8, &p), tu_buf_reset(&p);
	TU_PUT(&p, 8,
	       0, 0x41, 0, 0x0b, 1, 1,                 /* 0: active, table 0, funcs */
	       1, 0, 1, 2,                             /* 1: passive, elemkind */
	       2, 1, 0x41, 0, 0x0b, 0, 1, 1,           /* 2: active, explicit table */
	       3, 0, 1, 2,                             /* 3: declarative */
	       4, 0x41, 0, 0x0b, 1, 0xd2, 1, 0x0b,     /* 4: active, exprs */
	       5, 0x70, 1, 0xd0, 0x70, 0x0b,           /* 5: passive, exprs */
	       6, 1, 0x41, 0, 0x0b, 0x70, 0,           /* 6: explicit table, exprs */
	       7, 0x70, 1, 0xd2, 2, 0x0b);             /* 7: declarative, exprs */
	tu_section(b, 9, &p), tu_buf_reset(&p);
	TU_PUT(&p, 3);
	tu_section(b, 12, &p), tu_buf_reset(&p);
	struct tu_buf body = {0};
	TU_PUT(&body, 2, 1, 0x7f, 2, 0x7e,
	       0x02, 0x40, 0x41, 0x05, 0x0e, 0x02, 0x00, 0x00, 0x00, 0x1a, 0x0b,  /* block, br_table */
	       0x41, 0x00, 0x28, 0x02, 0x08, 0x1a,                               /* i32.load */
	       0x44, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0x1a,                          /* f64.const 1 */
	       0x41, 0, 0x41, 0, 0x41, 1, 0x1c, 1, 0x7f, 0x1a,                    /* select t */
	       0x41, 0, 0x11, 0, 0,                                               /* call_indirect */
	       0x41, 0, 0x41, 0, 0x41, 0, 0xfc, 0x08, 1, 0,                       /* memory.init */
	       0xfc, 0x09, 1,                                                     /* data.drop */
	       0x20, 0x00, 0x0b);
	TU_PUT(&p, 2);
	tu_u32(&p, (uint32_t)body.n), tu_bytes(&p, body.p, body.n);
	TU_PUT(&p, 2, 0, 0x0b);
	tu_section(b, 10, &p), tu_buf_reset(&p);
	TU_PUT(&p, 3, 0, 0x41, 8, 0x0b, 2, 'h', 'i', 1, 1, 'x', 2, 0, 0x41, 0, 0x0b, 0);
	tu_section(b, 11, &p), tu_buf_reset(&p);
	tu_name(&p, "name");
	TU_PUT(&p, 1, 15, 2, 1);
	tu_name(&p, "main"), TU_PUT(&p, 2), tu_name(&p, "helper");
	TU_PUT(&p, 2, 6, 1, 1, 1, 0), tu_name(&p, "n");
	tu_section(b, 0, &p), tu_buf_reset(&p);
	tu_name(&p, "other");
	TU_PUT(&p, 1, 2, 3);
	tu_section(b, 0, &p);
	tu_buf_free(&p);
	tu_buf_free(&body);
}

static struct wlab_layout *layout_of(const struct tu_buf *b, struct wlab_module **m,
				     struct wlab_error *err)
{
	struct wlab_layout *l = NULL;
	tu_decode(b, NULL, m, err);
	assert_int_equal(wlab_layout_build(*m, err, &l), WLAB_OK);
	return l;
}

static uint32_t count_kind(const struct wlab_layout *l, const char *kind)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < l->nnodes; i++)
		n += strcmp(l->nodes[i].kind, kind) == 0;
	return n;
}

static void test_whole_module(void **state)
{
	(void)state;
	struct tu_buf b = {0};
	struct wlab_module *m;
	struct wlab_error err;
	build_module(&b);
	struct wlab_layout *l = layout_of(&b, &m, &err);
	tu_expect_ok("decode", &err);
	tu_expect_ok("layout", &l->error);
	assert_int_equal(m->custom_error.status, WLAB_OK);
	assert_true(tiles(l, (uint32_t)b.n));
	assert_int_equal(l->decoded_end, b.n);
	assert_int_equal(count_kind(l, "undecoded"), 0);
	assert_int_equal(count_kind(l, "unknown"), 0);
	assert_int_equal(count_kind(l, "section"), 14);
	assert_int_equal(count_kind(l, "elem"), 8);
	assert_int_equal(count_kind(l, "data"), 3);
	assert_int_equal(count_kind(l, "naming"), 3);
	assert_int_equal(count_kind(l, "func"), 2);
	/* Every byte's path ends at a leaf that holds it. */
	for (uint32_t at = 0; at < b.n; at++) {
		uint32_t path[32];
		uint32_t n = wlab_layout_path(l, at, path, 32);
		assert_true(n >= 2);
		const struct wlab_layout_node *leaf = &l->nodes[path[n - 1]];
		assert_true(wlab_layout_is_leaf(l, path[n - 1]));
		assert_true(at >= leaf->offset && at < leaf->offset + leaf->length);
	}
	uint32_t path[32];
	assert_int_equal(wlab_layout_path(l, (uint32_t)b.n, path, 32), 0);
	/* func[1] takes its name from the name section. */
	bool named = false;
	for (uint32_t i = 0; i < l->nnodes; i++)
		named |= strcmp(l->nodes[i].label, "func[1] \"main\"") == 0;
	assert_true(named);
	wlab_layout_free(l);
	wlab_module_free(m);
	tu_buf_free(&b);
}

static bool same_node(const struct wlab_layout_node *a, const struct wlab_layout_node *b)
{
	return a->offset == b->offset && a->length == b->length && a->depth == b->depth &&
	       strcmp(a->kind, b->kind) == 0 && strcmp(a->label, b->label) == 0;
}

/* wlab_layout_build_focus(): for every byte, from a module decoded without
 * bodies (as the explorer page decodes it), the path to the byte is the full
 * tree's; a byte outside the bodies gets the tree without instructions. */
static void test_focus(void **state)
{
	(void)state;
	struct tu_buf b = {0};
	struct wlab_module *m, *skip = NULL;
	struct wlab_error err, serr = {0};
	build_module(&b);
	struct wlab_layout *full = layout_of(&b, &m, &err), *none = NULL;
	struct wlab_decode_options o = {.flags = WLAB_DECODE_SKIP_BODIES};
	assert_int_equal(wlab_module_decode(b.p, b.n, &o, &skip, &serr), WLAB_OK);
	assert_int_equal(wlab_layout_build_flags(skip, &serr, WLAB_LAYOUT_NO_INSTRS, &none), WLAB_OK);
	assert_true(none->nnodes < full->nnodes);
	uint32_t in_code = 0;
	for (uint32_t at = 0; at < b.n; at++) {
		struct wlab_layout *f = NULL;
		assert_int_equal(wlab_layout_build_focus(skip, &serr, at, at + 1, &f), WLAB_OK);
		tu_expect_ok("focus layout", &f->error);
		assert_true(tiles(f, (uint32_t)b.n));
		uint32_t pf[32], pl[32];
		uint32_t nf = wlab_layout_path(f, at, pf, 32), nl = wlab_layout_path(full, at, pl, 32);
		assert_int_equal(nf, nl);
		bool in_body = false;
		for (uint32_t k = 0; k < nf; k++) {
			assert_true(same_node(&f->nodes[pf[k]], &full->nodes[pl[k]]));
			in_body |= strcmp(f->nodes[pf[k]].kind, "func") == 0;
		}
		in_code += in_body;
		assert_true(in_body || f->nnodes == none->nnodes);
		for (uint32_t i = 0; !in_body && i < f->nnodes; i++)
			assert_true(same_node(&f->nodes[i], &none->nodes[i]));
		wlab_layout_free(f);
	}
	assert_true(in_code > 0);
	/* An illegal opcode in the last body, decoded with every body: every
	 * byte's path is the full tree's, which stops in that body. */
	uint32_t last = 0;
	for (uint32_t i = 0; i < full->nnodes; i++)
		if (strcmp(full->nodes[i].kind, "opcode") == 0 && full->nodes[i].length == 1 &&
		    strcmp(full->nodes[i].label, "end") != 0)
			last = full->nodes[i].offset;
	assert_true(last > 0);
	b.p[last] = 0xff;
	struct wlab_module *bad = NULL;
	struct wlab_error berr = {0};
	struct wlab_layout *bfull = NULL;
	tu_decode(&b, NULL, &bad, &berr);
	assert_int_not_equal(berr.status, WLAB_OK);
	assert_int_equal(wlab_layout_build(bad, &berr, &bfull), WLAB_OK);
	for (uint32_t at = 0; at < b.n; at++) {
		struct wlab_layout *f = NULL;
		assert_int_equal(wlab_layout_build_focus(bad, &berr, at, at + 1, &f), WLAB_OK);
		uint32_t pf[32], pl[32];
		uint32_t nf = wlab_layout_path(f, at, pf, 32), nl = wlab_layout_path(bfull, at, pl, 32);
		assert_int_equal(nf, nl);
		for (uint32_t k = 0; k < nf; k++)
			assert_true(same_node(&f->nodes[pf[k]], &bfull->nodes[pl[k]]));
		wlab_layout_free(f);
	}
	wlab_layout_free(bfull);
	wlab_module_free(bad);
	wlab_layout_free(none);
	wlab_layout_free(full);
	wlab_module_free(skip);
	wlab_module_free(m);
	tu_buf_free(&b);
}

/* Every prefix of the module: the tree covers it, and an error comes with an
 * "undecoded" leaf exactly when the tree stops short of the end. */
static void test_every_prefix(void **state)
{
	(void)state;
	struct tu_buf b = {0};
	build_module(&b);
	size_t failed = 0;
	for (size_t n = 0; n <= b.n; n++) {
		struct tu_buf cut = {0};
		tu_bytes(&cut, b.p, n);
		struct wlab_module *m;
		struct wlab_error err;
		struct wlab_layout *l = layout_of(&cut, &m, &err);
		char what[32];
		snprintf(what, sizeof what, "prefix %zu", n);
		bool ok = tiles(l, (uint32_t)n);
		if (ok && l->decoded_end < n && count_kind(l, "undecoded") != 1)
			ok = tu_row_failed(what, "no undecoded leaf after %u", l->decoded_end);
		if (ok && n < b.n && n > 0 && l->error.status == WLAB_OK &&
		    err.status != WLAB_OK)
			ok = tu_row_failed(what, "decode error lost");
		failed += !ok;
		wlab_layout_free(l);
		wlab_module_free(m);
		tu_buf_free(&cut);
	}
	tu_table_done("prefixes", failed, b.n + 1);
	tu_buf_free(&b);
}

/* An overlong LEB128 in a global's init: the tree stops at that instruction. */
static void test_error_stops_at_field(void **state)
{
	(void)state;
	struct tu_buf b = {0}, p = {0};
	tu_header(&b);
	TU_PUT(&p, 1, 0x7f, 0, 0x41, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x0b);
	tu_section(&b, 6, &p);
	struct wlab_module *m;
	struct wlab_error err;
	struct wlab_layout *l = layout_of(&b, &m, &err);
	tu_expect_error("decode", &err, WLAB_MALFORMED, 18, "integer representation too long");
	assert_int_equal(l->error.offset, 18);
	assert_true(tiles(l, (uint32_t)b.n));
	assert_int_equal(l->decoded_end, 13);  /* the i32.const opcode */
	const struct wlab_layout_node *last = &l->nodes[l->nnodes - 1];
	assert_string_equal(last->kind, "undecoded");
	assert_int_equal(last->offset, 13);
	assert_int_equal(last->length, b.n - 13);
	wlab_layout_free(l);
	wlab_module_free(m);
	tu_buf_free(&b);
	tu_buf_free(&p);
}

static void test_bad_magic_and_empty(void **state)
{
	(void)state;
	struct tu_buf b = {0};
	TU_PUT(&b, 0, 'a', 'S', 'm', 1, 0, 0, 0);
	struct wlab_module *m;
	struct wlab_error err;
	struct wlab_layout *l = layout_of(&b, &m, &err);
	assert_true(tiles(l, 8));
	assert_int_equal(l->decoded_end, 0);
	assert_int_equal(l->nnodes, 2);
	wlab_layout_free(l);
	wlab_module_free(m);
	tu_buf_reset(&b);
	l = layout_of(&b, &m, &err);
	assert_true(tiles(l, 0));
	assert_int_equal(l->nnodes, 1);
	wlab_layout_free(l);
	wlab_module_free(m);
	tu_buf_free(&b);
	wlab_layout_free(NULL);
}

/* A name section cut inside an entry: the module decodes (custom contents are
 * unchecked), and the tree shows what parsed, then the rest as content. */
static void test_broken_name_section(void **state)
{
	(void)state;
	struct tu_buf b = {0}, p = {0};
	tu_header(&b);
	tu_name(&p, "name");
	TU_PUT(&p, 1, 9, 2, 0, 1, 'a', 1, 9, 'x', 'y', 'z');  /* the second name runs out */
	tu_section(&b, 0, &p);
	struct wlab_module *m;
	struct wlab_error err;
	struct wlab_layout *l = layout_of(&b, &m, &err);
	tu_expect_ok("decode", &err);
	tu_expect_ok("layout", &l->error);
	assert_true(tiles(l, (uint32_t)b.n));
	assert_int_equal(count_kind(l, "naming"), 2);
	assert_int_equal(count_kind(l, "undecoded"), 0);
	assert_int_equal(l->nodes[l->nnodes - 1].length, 3);
	assert_string_equal(l->nodes[l->nnodes - 1].kind, "custom-content");
	wlab_layout_free(l);
	wlab_module_free(m);
	tu_buf_free(&b);
	tu_buf_free(&p);
}

/* Code metadata: a branch hint section and another type, field by field
 * (code-meta-func, code-meta, offset, hint, payload), every byte tiled; one
 * broken item leaves the rest as one content leaf. */
static void test_code_metadata(void **state)
{
	(void)state;
	static const struct {
		const char *name;
		uint8_t content[12];
		size_t n;
		uint32_t funcs, items, hints, contents;
	} rows[] = {
		{"metadata.code.branch_hint", {1, 0, 2, 1, 1, 0, 3, 1, 1}, 9, 1, 2, 2, 0},
		{"metadata.code.foo", {1, 0, 2, 1, 2, 'a', 'b', 3, 0}, 9, 1, 2, 0, 1},
		{"metadata.code.branch_hint", {1, 0, 2, 1, 1, 0, 3, 7, 1}, 9, 1, 2, 1, 1},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct tu_buf b = {0}, p = {0};
		tu_header(&b);
		TU_PUT(&p, 1, 0x60, 0, 0);
		tu_section(&b, 1, &p), tu_buf_reset(&p);
		TU_PUT(&p, 1, 0);
		tu_section(&b, 3, &p), tu_buf_reset(&p);
		tu_name(&p, rows[i].name);
		tu_bytes(&p, rows[i].content, rows[i].n);
		tu_section(&b, 0, &p), tu_buf_reset(&p);
		TU_PUT(&p, 1, 6, 0, 0x41, 0, 0x0d, 0, 0x0b);  /* i32.const 0, br_if 0 */
		tu_section(&b, 10, &p);
		struct wlab_module *m;
		struct wlab_error err;
		struct wlab_layout *l = layout_of(&b, &m, &err);
		tu_expect_ok("decode", &err);
		tu_expect_ok("layout", &l->error);
		assert_true(tiles(l, (uint32_t)b.n));
		assert_int_equal(count_kind(l, "code-meta-func"), rows[i].funcs);
		/* the broken row: its second item stops at a payload past the end */
		assert_int_equal(count_kind(l, "code-meta"), rows[i].items);
		assert_int_equal(count_kind(l, "hint"), rows[i].hints);
		assert_int_equal(count_kind(l, "custom-content"), rows[i].contents);
		bool labelled = false;
		for (uint32_t k = 0; k < l->nnodes; k++)
			labelled |= strcmp(l->nodes[k].label, "func[0] +0x3: likely taken") == 0;
		assert_int_equal(labelled, i == 0);
		wlab_layout_free(l);
		wlab_module_free(m);
		tu_buf_free(&b);
		tu_buf_free(&p);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whole_module),
		cmocka_unit_test(test_every_prefix),
		cmocka_unit_test(test_focus),
		cmocka_unit_test(test_error_stops_at_field),
		cmocka_unit_test(test_bad_magic_and_empty),
		cmocka_unit_test(test_broken_name_section),
		cmocka_unit_test(test_code_metadata),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
