/* test_refgraph.c: the reference graph (wlab/refgraph.h) of a small module
 * with every kind of root and edge: which items are reachable, the dominator
 * tree, retained sizes against their definition, the conservative
 * call_indirect edge, labels and lookups. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util.h"
#include "wlab/module.h"
#include "wlab/features.h"
#include "wlab/refgraph.h"
#include "wlab/wat.h"

static const char text[] =
	"(module\n"
	"  (type $t (func (param i32) (result i32)))\n"
	"  (import \"env\" \"imp\" (func $imp (type $t)))\n"             /* func 0: unused */
	"  (table 2 funcref)\n"
	"  (memory 1)\n"
	"  (global $g (mut i32) (i32.const 0))\n"                      /* global 0: b's */
	"  (global $dead i32 (i32.const 5))\n"                         /* global 1: unused */
	"  (func $main (export \"main\") (param i32) (result i32)\n"  /* func 1 */
	"    local.get 0 call $a local.get 0 i32.const 0 call_indirect (type $t) i32.add)\n"
	"  (func $a (type $t) local.get 0 call $b)\n"                 /* func 2 */
	"  (func $b (type $t) global.get $g)\n"                       /* func 3 */
	"  (func $c (type $t) local.get 0)\n"                         /* func 4: in the table */
	"  (func $dead (type $t) local.get 0 call $b)\n"              /* func 5: unused */
	"  (elem (i32.const 0) $c)\n"
	"  (data (i32.const 0) \"hi\"))\n";

struct fixture {
	uint8_t *bytes;
	size_t size;
	struct wlab_module *m;
	struct wlab_refgraph *g;
	uint32_t *idom;
	uint64_t *retained;
};

static void load(struct fixture *f)
{
	struct wlab_error err = {0};
	memset(f, 0, sizeof *f);
	assert_int_equal(wlab_wat_to_binary(text, strlen(text), &f->bytes, &f->size, &err), WLAB_OK);
	struct wlab_decode_options o = {.features = wlab_features_all()};
	assert_int_equal(wlab_module_decode(f->bytes, f->size, &o, &f->m, &err), WLAB_OK);
	assert_int_equal(wlab_refgraph_build(f->m, &f->g, &err), WLAB_OK);
	f->idom = calloc(f->g->nitems, sizeof *f->idom);
	f->retained = calloc(f->g->nitems, sizeof *f->retained);
	assert_int_equal(wlab_refgraph_dominators(f->g, f->idom, f->retained), WLAB_OK);
}

static void unload(struct fixture *f)
{
	free(f->idom);
	free(f->retained);
	wlab_refgraph_free(f->g);
	wlab_module_free(f->m);
	free(f->bytes);
}

static uint32_t fn(const struct fixture *f, uint32_t i)
{
	return wlab_refgraph_item(f->g, WLAB_ITEM_FUNC, i);
}

static bool has_edge(const struct wlab_refgraph *g, uint32_t a, uint32_t b, uint8_t kind)
{
	for (uint32_t e = g->first[a]; e < g->first[a + 1]; e++)
		if (g->to[e] == b)
			return g->ekind[e] == kind;
	return false;
}

static void test_reach_and_dominators(void **state)
{
	(void)state;
	struct fixture f;
	load(&f);
	const struct wlab_refgraph *g = f.g;
	uint32_t g0 = wlab_refgraph_item(g, WLAB_ITEM_GLOBAL, 0);
	uint32_t g1 = wlab_refgraph_item(g, WLAB_ITEM_GLOBAL, 1);
	/* unreachable: the import, the unused global and function */
	assert_int_equal(f.idom[fn(&f, 0)], UINT32_MAX);
	assert_int_equal(f.idom[fn(&f, 5)], UINT32_MAX);
	assert_int_equal(f.idom[g1], UINT32_MAX);
	assert_int_equal(f.retained[fn(&f, 5)], 0);
	/* main -> a -> b -> global 0, a chain of dominators under the export */
	uint32_t ex = wlab_refgraph_item(g, WLAB_ITEM_EXPORT, 0);
	assert_int_equal(f.idom[ex], 0);
	assert_int_equal(f.idom[fn(&f, 1)], ex);
	assert_int_equal(f.idom[fn(&f, 2)], fn(&f, 1));
	assert_int_equal(f.idom[fn(&f, 3)], fn(&f, 2));
	assert_int_equal(f.idom[g0], fn(&f, 3));
	uint64_t chain = (uint64_t)g->items[fn(&f, 1)].size + g->items[fn(&f, 2)].size +
			 g->items[fn(&f, 3)].size + g->items[g0].size;
	/* main also retains the table, its segment and c (below), the type,
	 * which only garbage names besides, and the headers of the sections
	 * whose reachable entries it all retains */
	chain += g->items[wlab_refgraph_item(g, WLAB_ITEM_TABLE, 0)].size +
		 g->items[wlab_refgraph_item(g, WLAB_ITEM_ELEM, 0)].size + g->items[fn(&f, 4)].size +
		 g->items[wlab_refgraph_item(g, WLAB_ITEM_TYPE, 0)].size;
	static const uint8_t headers[] = {WLAB_SEC_TYPE, WLAB_SEC_TABLE, WLAB_SEC_GLOBAL,
					  WLAB_SEC_ELEM, WLAB_SEC_FUNCTION, WLAB_SEC_CODE};
	for (uint32_t s = 0; s < f.m->nsections; s++)
		if (memchr(headers, f.m->sections[s].id, sizeof headers))
			chain += g->items[g->base[WLAB_ITEM_META] + s].size;
	assert_int_equal(f.retained[fn(&f, 1)], chain);
	/* c: kept by the active segment, which the table keeps (it cannot
	 * trap), and by main's call_indirect, which names the table: main
	 * dominates all three */
	uint32_t ind = g->base[WLAB_ITEM_INDIRECT];
	uint32_t t0 = wlab_refgraph_item(g, WLAB_ITEM_TABLE, 0);
	uint32_t e0 = wlab_refgraph_item(g, WLAB_ITEM_ELEM, 0);
	assert_int_equal(g->items[ind].kind, WLAB_ITEM_INDIRECT);
	assert_true(has_edge(g, fn(&f, 1), ind, WLAB_EDGE_INDIRECT));
	assert_true(has_edge(g, ind, fn(&f, 4), WLAB_EDGE_INDIRECT));
	assert_true(has_edge(g, fn(&f, 1), fn(&f, 2), WLAB_EDGE_CALL));
	assert_true(has_edge(g, t0, e0, WLAB_EDGE_USE));
	assert_false(has_edge(g, 0, e0, WLAB_EDGE_ROOT));
	assert_int_equal(f.idom[t0], fn(&f, 1));
	assert_int_equal(f.idom[e0], t0);
	assert_int_equal(f.idom[fn(&f, 4)], fn(&f, 1));
	/* nothing reads the memory: it and its data segment are garbage */
	assert_int_equal(f.idom[wlab_refgraph_item(g, WLAB_ITEM_MEMORY, 0)], UINT32_MAX);
	assert_int_equal(f.idom[wlab_refgraph_item(g, WLAB_ITEM_DATA, 0)], UINT32_MAX);
	/* the root retains every reachable byte; retained = what removal frees */
	uint8_t *all = calloc(g->nitems, 1), *mark = calloc(g->nitems, 1);
	wlab_refgraph_reach(g, UINT32_MAX, all);
	uint64_t reach = 0;
	for (uint32_t i = 0; i < g->nitems; i++)
		reach += all[i] ? g->items[i].size : 0;
	assert_int_equal(f.retained[0], reach);
	for (uint32_t x = 1; x < g->nitems; x++) {
		if (!all[x])
			continue;
		wlab_refgraph_reach(g, x, mark);
		uint64_t lost = 0;
		for (uint32_t i = 0; i < g->nitems; i++)
			lost += all[i] && !mark[i] ? g->items[i].size : 0;
		assert_int_equal(f.retained[x], lost);
	}
	free(all);
	free(mark);
	unload(&f);
}

static void test_labels_and_lookup(void **state)
{
	(void)state;
	struct fixture f;
	load(&f);
	char buf[128];
	assert_string_equal(wlab_refgraph_label(f.m, f.g, fn(&f, 1), buf, sizeof buf), "func[1] \"main\"");
	assert_string_equal(wlab_refgraph_label(f.m, f.g, fn(&f, 0), buf, sizeof buf),
			    "func[0] \"env.imp\"");
	assert_string_equal(wlab_refgraph_label(f.m, f.g, f.g->base[WLAB_ITEM_INDIRECT], buf, sizeof buf),
			    "indirect targets (i32) -> (i32)");
	assert_int_equal(wlab_refgraph_find(f.m, f.g, "main"), fn(&f, 1));
	assert_int_equal(wlab_refgraph_find(f.m, f.g, "3"), fn(&f, 3));
	assert_int_equal(wlab_refgraph_find(f.m, f.g, "env.imp"), fn(&f, 0));
	assert_int_equal(wlab_refgraph_find(f.m, f.g, "global[1]"),
			 wlab_refgraph_item(f.g, WLAB_ITEM_GLOBAL, 1));
	assert_int_equal(wlab_refgraph_find(f.m, f.g, "data[0]"), wlab_refgraph_item(f.g, WLAB_ITEM_DATA, 0));
	assert_int_equal(wlab_refgraph_find(f.m, f.g, "data[1]"), UINT32_MAX);
	assert_int_equal(wlab_refgraph_find(f.m, f.g, "nothing"), UINT32_MAX);
	/* the shallow sizes add up to the file: the preamble is the root's,
	 * what no entry owns its section's meta item's */
	assert_int_equal(f.g->total, f.size);
	assert_int_equal(f.g->items[0].size, 8);
	assert_int_equal(f.g->count[WLAB_ITEM_META], f.m->nsections);
	assert_string_equal(wlab_refgraph_label(f.m, f.g, f.g->base[WLAB_ITEM_META], buf, sizeof buf),
			    "section Type (header)");
	assert_int_equal(wlab_refgraph_find(f.m, f.g, "meta[0]"), f.g->base[WLAB_ITEM_META]);
	unload(&f);
}

/* Whether data segment d of the module in text is a root, is kept by its
 * memory, or neither (0, 1, 2). */
static int data_keeper(const char *wat, uint32_t d)
{
	struct wlab_error err = {0};
	uint8_t *bytes = NULL;
	size_t size = 0;
	struct wlab_module *m = NULL;
	struct wlab_refgraph *g = NULL;
	assert_int_equal(wlab_wat_to_binary(wat, strlen(wat), &bytes, &size, &err), WLAB_OK);
	struct wlab_decode_options o = {.features = wlab_features_all()};
	assert_int_equal(wlab_module_decode(bytes, size, &o, &m, &err), WLAB_OK);
	assert_int_equal(wlab_refgraph_build(m, &g, &err), WLAB_OK);
	uint32_t item = wlab_refgraph_item(g, WLAB_ITEM_DATA, d);
	int k = has_edge(g, 0, item, WLAB_EDGE_ROOT) ? 0
		: has_edge(g, wlab_refgraph_item(g, WLAB_ITEM_MEMORY, 0), item, WLAB_EDGE_USE) ? 1 : 2;
	wlab_refgraph_free(g);
	wlab_module_free(m);
	free(bytes);
	return k;
}

/* An active segment is a root when it may trap at instantiation or writes
 * to an imported memory; else its memory keeps it; an empty one that
 * cannot trap, nothing. */
static void test_active_segments(void **state)
{
	(void)state;
	/* within the minimum size: the memory's; at its very end too */
	assert_int_equal(data_keeper("(module (memory 1) (data (i32.const 65534) \"hi\"))", 0), 1);
	/* one byte past it, a computed offset, an imported memory: roots */
	assert_int_equal(data_keeper("(module (memory 1) (data (i32.const 65535) \"hi\"))", 0), 0);
	assert_int_equal(data_keeper("(module (global i32 (i32.const 0)) (memory 1)"
				     " (data (global.get 0) \"hi\"))", 0), 0);
	assert_int_equal(data_keeper("(module (import \"e\" \"m\" (memory 1))"
				     " (data (i32.const 0) \"hi\"))", 0), 0);
	/* empty: nothing keeps it when in bounds; a root past the end */
	assert_int_equal(data_keeper("(module (memory 1) (data (i32.const 65536) \"\"))", 0), 2);
	assert_int_equal(data_keeper("(module (memory 1) (data (i32.const 65537) \"\"))", 0), 0);
	/* a memory of no pages: any non-empty segment traps */
	assert_int_equal(data_keeper("(module (memory 0) (data (i32.const 0) \"x\"))", 0), 0);
	assert_int_equal(data_keeper("(module (memory i64 1) (data (i64.const 8) \"x\"))", 0), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reach_and_dominators),
		cmocka_unit_test(test_labels_and_lookup),
		cmocka_unit_test(test_active_segments),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
