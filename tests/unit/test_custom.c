/* test_custom.c: the custom-section decoders, on hand-built bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "arena.h"
#include "decode.h"

#define LEN(a) (sizeof (a) / sizeof (a)[0])
#define UNDER_TEST 4  /* index of the custom section each test decodes */

/* A small module the custom sections can refer to: type, code and data
 * sections, a ".debug_info" custom section (content 16 bytes), then the
 * custom section under test, whose content is the test's bytes. */
struct world {
	struct wlab_module m;
	struct wlab_section sections[5];
	struct wlab_data datas[2];
	struct wlab_symbol symbols[6];
	struct wlab_error err;
};

static struct world *world_new(const char *name, const uint8_t *bytes, size_t size,
			       size_t cap)
{
	struct world *w = calloc(1, sizeof *w);
	assert_non_null(w);
	struct wlab_module *m = &w->m;
	m->bytes = bytes;
	m->size = size;
	m->arena = wlab_arena_new(cap);
	assert_non_null(m->arena);
	w->sections[0].id = WLAB_SEC_TYPE;
	w->sections[1] = (struct wlab_section){.id = WLAB_SEC_CODE, .payload = {0, 64}};
	w->sections[2].id = WLAB_SEC_DATA;
	w->sections[3] = (struct wlab_section){
		.id = WLAB_SEC_CUSTOM, .payload = {0, 30}, .content = {0, 16},
		.name = {(const uint8_t *)".debug_info", 11}};
	w->sections[4] = (struct wlab_section){
		.id = WLAB_SEC_CUSTOM, .payload = {0, (uint32_t)size},
		.content = {0, (uint32_t)size},
		.name = {(const uint8_t *)name, (uint32_t)strlen(name)}};
	m->sections = w->sections;
	m->nsections = 5;
	m->ntypes = 1;
	m->nimported_funcs = 1;
	m->nfuncs = 2;
	m->nimported_globals = 1;
	m->nglobals = 1;
	m->ntables = 1;
	m->ntags = 1;
	w->datas[0].bytes.size = 8;
	w->datas[1].bytes.size = 4;
	m->datas = w->datas;
	m->ndatas = 2;
	if (strncmp(name, "reloc.", 6) == 0) {
		/* A symbol table from an earlier "linking": one symbol per kind. */
		static const uint8_t kinds[] = {
			WLAB_SYMTAB_FUNCTION, WLAB_SYMTAB_DATA, WLAB_SYMTAB_GLOBAL,
			WLAB_SYMTAB_SECTION, WLAB_SYMTAB_EVENT, WLAB_SYMTAB_TABLE};
		for (size_t i = 0; i < LEN(kinds); i++)
			w->symbols[i].kind = kinds[i];
		m->has_linking = true;
		m->linking.symbols = w->symbols;
		m->linking.nsymbols = LEN(kinds);
	}
	return w;
}

static void world_free(struct world *w)
{
	wlab_arena_free(w->m.arena);
	free(w);
}

static enum wlab_status world_decode(struct world *w)
{
	return wlab_decode_custom(&w->m, UNDER_TEST, &w->err);
}

static void assert_str(struct wlab_str s, const char *want)
{
	assert_int_equal(s.len, strlen(want));
	assert_memory_equal(s.ptr, want, s.len);
}

/* ---- malformed content, one row each ---- */

struct bad_case {
	const char *section;
	const uint8_t *bytes;
	size_t size;
	enum wlab_status status;
	size_t offset;
	const char *message;
};

#define BAD(sec, off, msg, ...)                                            \
	{sec, (const uint8_t[]){__VA_ARGS__},                              \
	 sizeof((const uint8_t[]){__VA_ARGS__}), WLAB_MALFORMED, off, msg}

static const struct bad_case bad_cases[] = {
	/* name */
	BAD("name", 1, "length out of bounds", 0x01, 0x05, 0x00),
	BAD("name", 5, "unexpected end", 0x01, 0x03, 0x05, 0x00, 0x00),
	BAD("name", 4, "length out of bounds", 0x01, 0x04, 0x01, 0x00, 0x05, 'a'),
	BAD("name", 4, "unexpected end", 0x01, 0x02, 0x01, 0x00),
	BAD("name", 3, "out-of-order name subsection", 0x01, 0x01, 0x00, 0x00, 0x01, 0x00),
	BAD("name", 3, "duplicate name subsection", 0x01, 0x01, 0x00, 0x01, 0x01, 0x00),
	BAD("name", 4, "section size mismatch", 0x00, 0x03, 0x01, 'a', 0x00),
	BAD("name", 3, "malformed UTF-8 encoding", 0x00, 0x02, 0x01, 0xff),
	BAD("name", 5, "name map index out of order",
	    0x01, 0x05, 0x02, 0x01, 0x00, 0x01, 0x00),
	BAD("name", 7, "integer too large",
	    0x01, 0x07, 0x01, 0xff, 0xff, 0xff, 0xff, 0x7f, 0x00),
	BAD("name", 6, "integer representation too long",
	    0x02, 0x07, 0x81, 0x80, 0x80, 0x80, 0x80, 0x00, 0x00),
	/* producers and target_features */
	BAD("producers", 11, "duplicate producers field",
	    0x02, 0x08, 'l', 'a', 'n', 'g', 'u', 'a', 'g', 'e', 0x00,
	    0x08, 'l', 'a', 'n', 'g', 'u', 'a', 'g', 'e', 0x00),
	BAD("producers", 1, "section size mismatch", 0x00, 0x00),
	BAD("producers", 8, "unexpected end", 0x01, 0x03, 'a', 'b', 'c', 0x01, 0x01, 'x'),
	BAD("producers", 5, "unexpected end", 0xff, 0xff, 0xff, 0xff, 0x0f),
	BAD("target_features", 1, "unknown feature policy prefix", 0x01, '*', 0x01, 'a'),
	BAD("target_features", 4, "section size mismatch", 0x01, '+', 0x01, 'a', 0x00),
	/* linking */
	BAD("linking", 0, "unexpected metadata version", 0x01),
	BAD("linking", 2, "unexpected end", 0x02, 0x08),
	BAD("linking", 5, "unexpected end", 0x02, 0x08, 0x02, 0x7f, 0x00),
	BAD("linking", 4, "invalid symbol type", 0x02, 0x08, 0x04, 0x01, 0x09, 0x00, 0x00),
	BAD("linking", 6, "invalid function symbol index",
	    0x02, 0x08, 0x04, 0x01, 0x00, 0x10, 0x01),
	BAD("linking", 6, "invalid function symbol index",
	    0x02, 0x08, 0x05, 0x01, 0x00, 0x00, 0x00, 0x00),
	BAD("linking", 6, "invalid global symbol index",
	    0x02, 0x08, 0x05, 0x01, 0x02, 0x00, 0x02, 0x00),
	BAD("linking", 6, "invalid table symbol index",
	    0x02, 0x08, 0x04, 0x01, 0x05, 0x10, 0x00),
	BAD("linking", 6, "invalid section symbol index",
	    0x02, 0x08, 0x04, 0x01, 0x03, 0x02, 0x05),
	BAD("linking", 8, "invalid data segment index",
	    0x02, 0x08, 0x08, 0x01, 0x01, 0x00, 0x01, 'd', 0x05, 0x00, 0x00),
	BAD("linking", 8, "invalid data symbol offset",
	    0x02, 0x08, 0x08, 0x01, 0x01, 0x00, 0x01, 'd', 0x00, 0x09, 0x00),
	BAD("linking", 11, "invalid function symbol",
	    0x02, 0x08, 0x04, 0x01, 0x01, 0x10, 0x00, 0x06, 0x03, 0x01, 0x00, 0x00),
	BAD("linking", 7, "invalid COMDAT entry type",
	    0x02, 0x07, 0x06, 0x01, 0x00, 0x00, 0x01, 0x06, 0x00),
	BAD("linking", 8, "COMDAT index out of range",
	    0x02, 0x07, 0x06, 0x01, 0x00, 0x00, 0x01, 0x01, 0x00),
	BAD("linking", 8, "COMDAT index out of range",
	    0x02, 0x07, 0x06, 0x01, 0x00, 0x00, 0x01, 0x05, 0x01),
	BAD("linking", 4, "section size mismatch", 0x02, 0x05, 0x02, 0x00, 0x00),
	BAD("linking", 3, "too many segment names",
	    0x02, 0x05, 0x0a, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0),
	/* reloc */
	BAD("reloc.CODE", 0, "invalid section index", 0x09, 0x00),
	BAD("reloc.CODE", 0, "invalid section index", 0x04, 0x00),
	BAD("reloc.CODE", 3, "unexpected end", 0x01, 0x0a, 0x00),
	BAD("reloc.CODE", 2, "invalid relocation type", 0x01, 0x01, 0x1b, 0x00, 0x00),
	BAD("reloc.CODE", 6, "relocations not in offset order",
	    0x01, 0x02, 0x00, 0x08, 0x00, 0x00, 0x04, 0x00),
	BAD("reloc.CODE", 3, "invalid relocation offset", 0x01, 0x01, 0x00, 0x3c, 0x00),
	BAD("reloc.CODE", 3, "invalid relocation offset", 0x03, 0x01, 0x09, 0x0d, 0x03, 0x00),
	BAD("reloc.CODE", 4, "invalid relocation symbol index", 0x01, 0x01, 0x00, 0x00, 0x09),
	BAD("reloc.CODE", 4, "relocation symbol of the wrong kind",
	    0x01, 0x01, 0x00, 0x00, 0x01),
	BAD("reloc.CODE", 4, "relocation symbol of the wrong kind",
	    0x01, 0x01, 0x07, 0x00, 0x03),
	BAD("reloc.CODE", 4, "invalid relocation type index", 0x01, 0x01, 0x06, 0x00, 0x01),
	BAD("reloc.CODE", 5, "unexpected end", 0x01, 0x01, 0x04, 0x00, 0x01),
	BAD("reloc.CODE", 5, "section size mismatch", 0x01, 0x01, 0x00, 0x00, 0x00, 0x00),
	/* dylink.0 and dylink */
	BAD("dylink.0", 4, "unexpected end", 0x01, 0x02, 0x0a, 0x02),
	BAD("dylink.0", 3, "section size mismatch", 0x02, 0x02, 0x00, 0x00),
	BAD("dylink.0", 1, "length out of bounds", 0x03, 0x09, 0x00),
	BAD("dylink.0", 5, "unexpected end", 0x04, 0x03, 0x02, 0x00, 0x00),
	BAD("dylink", 5, "section size mismatch", 0x00, 0x00, 0x00, 0x00, 0x00, 0xff),
	BAD("dylink", 3, "unexpected end", 0x00, 0x00, 0x00),
};

static void test_bad_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < LEN(bad_cases); i++) {
		const struct bad_case *c = &bad_cases[i];
		struct world *w = world_new(c->section, c->bytes, c->size, 0);
		enum wlab_status st = world_decode(w);
		if (st != c->status || w->err.offset != c->offset ||
		    strcmp(w->err.message, c->message) != 0)
			print_error("case %zu (%s): got %d at %zu \"%s\", want %d at %zu \"%s\"\n",
				    i, c->section, (int)st, w->err.offset, w->err.message,
				    (int)c->status, c->offset, c->message);
		assert_int_equal(st, c->status);
		assert_int_equal(w->err.status, c->status);
		assert_int_equal(w->err.offset, c->offset);
		assert_string_equal(w->err.message, c->message);
		world_free(w);
	}
}

/* ---- valid content ---- */

static void test_names(void **state)
{
	(void)state;
	static const uint8_t b[] = {
		0x00, 0x04, 0x03, 'm', 'o', 'd',                      /* module */
		0x01, 0x07, 0x02, 0x00, 0x01, 'f', 0x02, 0x01, 'g',   /* function */
		0x02, 0x09, 0x01, 0x00, 0x02, 0x00, 0x01, 'x', 0x01, 0x01, 'y',  /* local */
		0x2a, 0x02, 0xff, 0xff,                               /* unknown id */
	};
	struct world *w = world_new("name", b, sizeof b, 0);
	assert_int_equal(world_decode(w), WLAB_OK);
	const struct wlab_names *n = &w->m.names;
	assert_true(w->m.has_names);
	assert_int_equal(n->nsubsections, 4);
	assert_int_equal(n->subsections[0].id, WLAB_NAMES_MODULE);
	assert_str(n->subsections[0].module_name, "mod");
	assert_int_equal(n->subsections[0].span.offset, 0);
	assert_int_equal(n->subsections[0].span.size, 6);

	const struct wlab_name_subsection *f = &n->subsections[1];
	assert_int_equal(f->id, WLAB_NAMES_FUNCTION);
	assert_false(f->indirect);
	assert_int_equal(f->span.offset, 6);
	assert_int_equal(f->span.size, 9);
	assert_int_equal(f->map.count, 2);
	assert_int_equal(f->map.names[0].index, 0);
	assert_str(f->map.names[0].name, "f");
	assert_int_equal(f->map.names[0].offset, 9);
	assert_int_equal(f->map.names[1].index, 2);
	assert_str(f->map.names[1].name, "g");
	assert_int_equal(f->map.names[1].offset, 12);

	const struct wlab_name_subsection *l = &n->subsections[2];
	assert_int_equal(l->id, WLAB_NAMES_LOCAL);
	assert_true(l->indirect);
	assert_int_equal(l->imap.count, 1);
	assert_int_equal(l->imap.entries[0].offset, 18);
	assert_int_equal(l->imap.entries[0].map.count, 2);
	assert_str(l->imap.entries[0].map.names[1].name, "y");
	assert_int_equal(l->imap.entries[0].map.names[1].index, 1);
	assert_int_equal(l->imap.entries[0].map.names[1].offset, 23);

	assert_int_equal(n->subsections[3].id, 0x2a);
	assert_int_equal(n->subsections[3].span.offset, 26);
	assert_int_equal(n->subsections[3].span.size, 4);
	assert_int_equal(n->subsections[3].map.count, 0);

	/* Only the first "name" section fills the struct. */
	w->m.names.nsubsections = 99;
	assert_int_equal(world_decode(w), WLAB_OK);
	assert_int_equal(w->m.names.nsubsections, 99);
	world_free(w);
}

static void test_names_partial(void **state)
{
	(void)state;
	/* A good function subsection, then a truncated one: the first stays. */
	static const uint8_t b[] = {0x01, 0x03, 0x01, 0x00, 0x00, 0x07, 0x05, 0x01};
	struct world *w = world_new("name", b, sizeof b, 0);
	assert_int_equal(world_decode(w), WLAB_MALFORMED);
	assert_int_equal(w->err.offset, 6);
	assert_true(w->m.has_names);
	assert_int_equal(w->m.names.nsubsections, 1);
	assert_int_equal(w->m.names.subsections[0].map.count, 1);
	world_free(w);
}

static void test_names_unordered(void **state)
{
	(void)state;
	/* Data segment names 1 then 0 (as binaryen's data-names.test.wasm has
	 * them): only function and local maps must be in increasing order (wabt's
	 * rule), so both stay; the local map's 1 then 0 is out of order. */
	static const uint8_t b[] = {0x09, 0x05, 0x02, 0x01, 0x00, 0x00, 0x00};
	struct world *w = world_new("name", b, sizeof b, 0);
	assert_int_equal(world_decode(w), WLAB_OK);
	const struct wlab_name_map *d = &w->m.names.subsections[0].map;
	assert_int_equal(d->count, 2);
	assert_int_equal(d->names[0].index, 1);
	assert_int_equal(d->names[1].index, 0);
	world_free(w);
	static const uint8_t l[] = {0x02, 0x07, 0x01, 0x00, 0x02, 0x01, 0x00, 0x00, 0x00};
	w = world_new("name", l, sizeof l, 0);
	assert_int_equal(world_decode(w), WLAB_MALFORMED);
	assert_int_equal(w->err.offset, 7);
	assert_string_equal(w->err.message, "name map index out of order");
	world_free(w);
}

static void test_producers(void **state)
{
	(void)state;
	static const uint8_t b[] = {
		0x02,
		0x08, 'l', 'a', 'n', 'g', 'u', 'a', 'g', 'e', 0x01, 0x01, 'C', 0x00,
		0x0c, 'p', 'r', 'o', 'c', 'e', 's', 's', 'e', 'd', '-', 'b', 'y', 0x01,
		0x05, 'c', 'l', 'a', 'n', 'g', 0x02, '1', '4',
	};
	struct world *w = world_new("producers", b, sizeof b, 0);
	assert_int_equal(world_decode(w), WLAB_OK);
	const struct wlab_producers *p = &w->m.producers;
	assert_true(w->m.has_producers);
	assert_int_equal(p->count, 2);
	assert_str(p->fields[0].name, "language");
	assert_int_equal(p->fields[0].count, 1);
	assert_str(p->fields[0].values[0].name, "C");
	assert_str(p->fields[0].values[0].version, "");
	assert_str(p->fields[1].name, "processed-by");
	assert_str(p->fields[1].values[0].name, "clang");
	assert_str(p->fields[1].values[0].version, "14");
	world_free(w);
}

static void test_target_features(void **state)
{
	(void)state;
	static const uint8_t b[] = {
		0x02, '+', 0x07, 'a', 't', 'o', 'm', 'i', 'c', 's',
		'-', 0x0a, 's', 'h', 'a', 'r', 'e', 'd', '-', 'm', 'e', 'm',
	};
	struct world *w = world_new("target_features", b, sizeof b, 0);
	assert_int_equal(world_decode(w), WLAB_OK);
	const struct wlab_target_features *tf = &w->m.target_features;
	assert_true(w->m.has_target_features);
	assert_int_equal(tf->count, 2);
	assert_int_equal(tf->features[0].prefix, '+');
	assert_str(tf->features[0].name, "atomics");
	assert_int_equal(tf->features[1].prefix, '-');
	assert_str(tf->features[1].name, "shared-mem");
	world_free(w);
}

static void test_linking(void **state)
{
	(void)state;
	static const uint8_t b[] = {
		0x02,                                  /* version */
		0x08, 0x2d, 0x09,                      /* symbol table, 9 symbols */
		0x00, 0x00, 0x01, 0x01, 'f',           /* defined function 1 "f" */
		0x00, 0x10, 0x00,                      /* imported function 0 */
		0x00, 0x50, 0x00, 0x02, 'i', 'm',      /* explicit name "im" */
		0x01, 0x00, 0x01, 'd', 0x01, 0x04, 0x04,  /* data "d" seg 1 +4 size 4 */
		0x01, 0x10, 0x01, 'e',                 /* undefined data "e" */
		0x02, 0x01, 0x01, 0x01, 'g',           /* weak global 1 "g" */
		0x03, 0x02, 0x03,                      /* section 3 */
		0x04, 0x00, 0x00, 0x01, 't',           /* event 0 "t" */
		0x05, 0x04, 0x00, 0x02, 't', 'b',      /* hidden table 0 "tb" */
		0x05, 0x0b, 0x02,                      /* segment info */
		0x02, '.', 'a', 0x02, 0x01,
		0x02, '.', 'b', 0x00, 0x00,
		0x06, 0x04, 0x01, 0xc8, 0x01, 0x00,    /* init funcs: 200 -> symbol 0 */
		0x07, 0x09, 0x01, 0x01, 'c', 0x00, 0x02,  /* comdat "c" */
		0x00, 0x01, 0x01, 0x02,
		0x63, 0x01, 0x00,                      /* unknown subsection */
	};
	struct world *w = world_new("linking", b, sizeof b, 0);
	assert_int_equal(world_decode(w), WLAB_OK);
	const struct wlab_linking *l = &w->m.linking;
	assert_true(w->m.has_linking);
	assert_int_equal(l->version, 2);
	assert_int_equal(l->nsubsections, 5);
	assert_int_equal(l->subsections[0].type, 8);
	assert_int_equal(l->subsections[0].span.offset, 1);
	assert_int_equal(l->subsections[0].span.size, 47);
	assert_int_equal(l->subsections[4].type, 0x63);
	assert_int_equal(l->subsections[4].span.offset, 78);

	assert_int_equal(l->nsymbols, 9);
	const struct wlab_symbol *s = l->symbols;
	assert_int_equal(s[0].kind, WLAB_SYMTAB_FUNCTION);
	assert_int_equal(s[0].index, 1);
	assert_true(s[0].defined && s[0].has_name);
	assert_str(s[0].name, "f");
	assert_false(s[1].defined);
	assert_false(s[1].has_name);
	assert_int_equal(s[1].name.len, 0);
	assert_int_equal(s[1].flags, 0x10);
	assert_true(s[2].has_name);
	assert_str(s[2].name, "im");
	assert_int_equal(s[3].kind, WLAB_SYMTAB_DATA);
	assert_str(s[3].name, "d");
	assert_true(s[3].defined);
	assert_int_equal(s[3].segment, 1);
	assert_int_equal(s[3].offset, 4);
	assert_int_equal(s[3].size, 4);
	assert_false(s[4].defined);
	assert_str(s[4].name, "e");
	assert_int_equal(s[5].kind, WLAB_SYMTAB_GLOBAL);
	assert_int_equal(s[5].flags, 1);
	assert_int_equal(s[6].kind, WLAB_SYMTAB_SECTION);
	assert_int_equal(s[6].index, 3);
	assert_false(s[6].has_name);
	assert_int_equal(s[7].kind, WLAB_SYMTAB_EVENT);
	assert_str(s[7].name, "t");
	assert_int_equal(s[8].kind, WLAB_SYMTAB_TABLE);
	assert_int_equal(s[8].flags, 4);
	assert_str(s[8].name, "tb");

	assert_int_equal(l->nsegments, 2);
	assert_str(l->segments[0].name, ".a");
	assert_int_equal(l->segments[0].align_log2, 2);
	assert_int_equal(l->segments[0].flags, 1);
	assert_str(l->segments[1].name, ".b");
	assert_int_equal(l->ninit_funcs, 1);
	assert_int_equal(l->init_funcs[0].priority, 200);
	assert_int_equal(l->init_funcs[0].symbol, 0);
	assert_int_equal(l->ncomdats, 1);
	assert_str(l->comdats[0].name, "c");
	assert_int_equal(l->comdats[0].count, 2);
	assert_int_equal(l->comdats[0].syms[0].kind, 0);
	assert_int_equal(l->comdats[0].syms[0].index, 1);
	assert_int_equal(l->comdats[0].syms[1].kind, 1);
	assert_int_equal(l->comdats[0].syms[1].index, 2);
	world_free(w);
}

static void test_reloc(void **state)
{
	(void)state;
	static const uint8_t b[] = {
		0x01, 0x05,                     /* for section 1 (code), 5 entries */
		0x00, 0x00, 0x00,               /* FUNCTION_INDEX_LEB @0 sym 0 */
		0x04, 0x06, 0x01, 0x7f,         /* MEMORY_ADDR_SLEB @6 sym 1 -1 */
		0x06, 0x0b, 0x00,               /* TYPE_INDEX_LEB @11 type 0 */
		0x10, 0x10, 0x01, 0x80, 0x7f,   /* MEMORY_ADDR_I64 @16 sym 1 -128 */
		0x07, 0x20, 0x01,               /* GLOBAL_INDEX_LEB (GOT) @32 sym 1 */
	};
	struct world *w = world_new("reloc.CODE", b, sizeof b, 0);
	assert_int_equal(world_decode(w), WLAB_OK);
	assert_int_equal(w->m.nreloc_sections, 1);
	const struct wlab_reloc_section *rs = &w->m.reloc_sections[0];
	assert_int_equal(rs->section_index, 1);
	assert_int_equal(rs->custom_index, UNDER_TEST);
	assert_int_equal(rs->count, 5);
	const struct wlab_reloc *r = rs->relocs;
	assert_int_equal(r[0].type, 0);
	assert_false(r[0].has_addend);
	assert_int_equal(r[0].entry_offset, 2);
	assert_int_equal(r[1].type, 4);
	assert_int_equal(r[1].offset, 6);
	assert_int_equal(r[1].index, 1);
	assert_true(r[1].has_addend);
	assert_int_equal(r[1].addend, -1);
	assert_int_equal(r[1].entry_offset, 5);
	assert_int_equal(r[2].type, 6);
	assert_false(r[2].has_addend);
	assert_int_equal(r[3].type, 16);
	assert_int_equal(r[3].addend, -128);
	assert_int_equal(r[3].entry_offset, 12);
	assert_int_equal(r[4].offset, 32);

	/* Every reloc section is kept, in order. */
	for (int i = 0; i < 4; i++)
		assert_int_equal(world_decode(w), WLAB_OK);
	assert_int_equal(w->m.nreloc_sections, 5);
	for (int i = 0; i < 5; i++)
		assert_int_equal(w->m.reloc_sections[i].relocs[3].addend, -128);
	world_free(w);
}

static void test_reloc_custom_target(void **state)
{
	(void)state;
	/* Offsets in a custom section count from its content (16 bytes). */
	static const uint8_t b[] = {0x03, 0x01, 0x09, 0x0c, 0x03, 0x05};
	struct world *w = world_new("reloc..debug_info", b, sizeof b, 0);
	assert_int_equal(world_decode(w), WLAB_OK);
	const struct wlab_reloc *r = &w->m.reloc_sections[0].relocs[0];
	assert_int_equal(w->m.reloc_sections[0].section_index, 3);
	assert_int_equal(r->type, 9);
	assert_int_equal(r->offset, 12);
	assert_int_equal(r->index, 3);
	assert_int_equal(r->addend, 5);
	world_free(w);
}

static void test_dylink0(void **state)
{
	(void)state;
	static const uint8_t b[] = {
		0x01, 0x04, 0x0a, 0x02, 0x03, 0x00,               /* mem info */
		0x02, 0x07, 0x02, 0x02, 'l', 'a', 0x02, 'l', 'b', /* needed */
		0x03, 0x04, 0x01, 0x01, 'e', 0x20,                /* export info */
		0x04, 0x06, 0x01, 0x01, 'm', 0x01, 'f', 0x01,     /* import info */
		0x05, 0x02, 0x01, 0x00,                           /* runtime path */
	};
	struct world *w = world_new("dylink.0", b, sizeof b, 0);
	assert_int_equal(world_decode(w), WLAB_OK);
	const struct wlab_dylink *d = &w->m.dylink;
	assert_true(w->m.has_dylink);
	assert_false(d->legacy);
	assert_int_equal(d->mem_size, 10);
	assert_int_equal(d->mem_align, 2);
	assert_int_equal(d->table_size, 3);
	assert_int_equal(d->table_align, 0);
	assert_int_equal(d->nneeded, 2);
	assert_str(d->needed[0], "la");
	assert_str(d->needed[1], "lb");
	assert_int_equal(d->nexports, 1);
	assert_str(d->exports[0].name, "e");
	assert_int_equal(d->exports[0].flags, 0x20);
	assert_int_equal(d->nimports, 1);
	assert_str(d->imports[0].module, "m");
	assert_str(d->imports[0].field, "f");
	assert_int_equal(d->imports[0].flags, 1);
	world_free(w);
}

static void test_dylink_legacy(void **state)
{
	(void)state;
	static const uint8_t b[] = {0x0a, 0x02, 0x03, 0x00, 0x01, 0x02, 'l', 'a'};
	struct world *w = world_new("dylink", b, sizeof b, 0);
	assert_int_equal(world_decode(w), WLAB_OK);
	const struct wlab_dylink *d = &w->m.dylink;
	assert_true(d->legacy);
	assert_int_equal(d->mem_size, 10);
	assert_int_equal(d->table_size, 3);
	assert_int_equal(d->nneeded, 1);
	assert_str(d->needed[0], "la");
	world_free(w);
}

/* ---- the dispatcher ---- */

static void test_unknown_names(void **state)
{
	(void)state;
	static const uint8_t b[] = {0xff, 0xff};
	static const char *const names[] = {"names", "nam", "", "dylink.1", "reloc",
					    ".debug_info", "producers2"};
	for (size_t i = 0; i < LEN(names); i++) {
		struct world *w = world_new(names[i], b, sizeof b, 0);
		assert_int_equal(world_decode(w), WLAB_OK);
		assert_false(w->m.has_names || w->m.has_producers || w->m.has_dylink);
		assert_int_equal(w->m.nreloc_sections, 0);
		assert_int_equal(w->err.status, WLAB_OK);
		world_free(w);
	}
}

static void test_content_out_of_bounds(void **state)
{
	(void)state;
	static const uint8_t b[] = {0x00};
	struct world *w = world_new("name", b, sizeof b, 0);
	w->sections[UNDER_TEST].content = (struct wlab_span){1, 4};
	assert_int_equal(world_decode(w), WLAB_MALFORMED);
	assert_string_equal(w->err.message, "length out of bounds");
	world_free(w);
}

static void test_out_of_memory(void **state)
{
	(void)state;
	static const uint8_t b[] = {0x01, 0x07, 0x02, 0x00, 0x01, 'f', 0x02, 0x01, 'g'};
	struct world *w = world_new("name", b, sizeof b, 8);
	assert_int_equal(world_decode(w), WLAB_NOMEM);
	assert_int_equal(w->err.status, WLAB_NOMEM);
	world_free(w);
}

/* Through the whole decoder: a custom error is kept in m->custom_error with
 * its file offset, and the module still decodes. */
static void test_module_custom_error(void **state)
{
	(void)state;
	static const uint8_t b[] = {
		0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
		0x00, 0x13, 0x0f, 't', 'a', 'r', 'g', 'e', 't', '_', 'f', 'e', 'a', 't',
		'u', 'r', 'e', 's', 0x01, '*', 0x00,
	};
	struct wlab_module *m = NULL;
	struct wlab_error err = {0};
	assert_int_equal(wlab_module_decode(b, sizeof b, NULL, &m, &err), WLAB_OK);
	assert_non_null(m);
	assert_int_equal(m->custom_error.status, WLAB_MALFORMED);
	assert_int_equal(m->custom_error.offset, 27);
	assert_string_equal(m->custom_error.message, "unknown feature policy prefix");
	assert_true(m->has_target_features);
	/* the section holding an offset (its end included), and the warning's
	 * text, cut to the buffer */
	assert_null(wlab_module_section_at(m, 7));
	assert_ptr_equal(wlab_module_section_at(m, 8), &m->sections[0]);
	assert_ptr_equal(wlab_module_section_at(m, sizeof b), &m->sections[0]);
	assert_null(wlab_module_section_at(m, sizeof b + 1));
	char text[80];
	assert_string_equal(wlab_module_custom_error_text(m, text, sizeof text),
			    "unknown feature policy prefix (in custom section \"target_features\")");
	assert_string_equal(wlab_module_custom_error_text(m, text, 8), "unknown");
	wlab_module_free(m);
	/* none: "" */
	assert_int_equal(wlab_module_decode(b, 8, NULL, &m, &err), WLAB_OK);
	assert_string_equal(wlab_module_custom_error_text(m, text, sizeof text), "");
	wlab_module_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_cases),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_names_partial),
		cmocka_unit_test(test_names_unordered),
		cmocka_unit_test(test_producers),
		cmocka_unit_test(test_target_features),
		cmocka_unit_test(test_linking),
		cmocka_unit_test(test_reloc),
		cmocka_unit_test(test_reloc_custom_target),
		cmocka_unit_test(test_dylink0),
		cmocka_unit_test(test_dylink_legacy),
		cmocka_unit_test(test_unknown_names),
		cmocka_unit_test(test_content_out_of_bounds),
		cmocka_unit_test(test_out_of_memory),
		cmocka_unit_test(test_module_custom_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
