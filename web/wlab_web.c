/* wlab_web.c: the explorer's entry points for the page (web/, `make web`):
 * libwasm and wlab-explore's printers (cmd/wlab-explore/ but main.c and html.c),
 * compiled with clang for wasm32-wasi as a reactor. The page copies a
 * module's bytes into memory from web_alloc(), calls web_open(), then one
 * web_run() per view: each runs the printer the CLI runs for the same
 * options, into memory, so the page shows what `wlab-explore` prints.
 *
 * The field tree is built as the CLI builds it for those options (main.c):
 * without instructions for the overview and --json --depth 1..3, with every
 * instruction for the whole --json and --xref. The views of one byte or one
 * function (--explain, a path, a node, --annotate --func) read the tree of a
 * focus (wlab_layout_build_focus): every node of the function body that
 * holds the byte, none of the other bodies' instructions, so their output is
 * the full tree's for a fraction of a large module's cost. Each tree is
 * built on first use and kept until the next web_open(); the focus tree
 * until a view asks for a byte outside its function. The focus tree reads the
 * module decoded with its bodies (the decoder's error in a body is where the
 * tree stops) until the page says that its bodies decode (web_bodies_ok(),
 * after the page's worker, a second instance, decoded them: view 11); then
 * the module of the tree of entries (no body read), so a click in a 10 MB
 * module decodes nothing.
 *
 * The dominator tree (--dominators --json) and the diff (--diff OLD NEW
 * --json) are the CLI's printers too (sizes.c, diff.c), on the module
 * decoded with its bodies (the page asks its worker for them); the diff's
 * OLD module is copied in from web_alloc_old() and kept across web_open()
 * until the next web_alloc_old(). */
#include <stdlib.h>
#include <string.h>

#include "explore.h"
#include "wlab/validate.h"

#define EXPORT(name) __attribute__((export_name(#name)))

/* The exports explore.js calls (and nothing else does). */
uint8_t *web_alloc(size_t size);
char *web_name(size_t size);
int web_open(uint32_t features);
const char *web_run(int mode, uint32_t arg, uint32_t arg2);
size_t web_out_len(void);
size_t web_size(void);
uint8_t *web_alloc_old(size_t size);
char *web_name_old(size_t size);
void web_bodies_ok(void);

enum web_mode {
	WEB_OVERVIEW = 0,  /* the overview (arg: --top N, 0 every row) */
	WEB_JSON = 1,      /* --json --depth arg (0: the whole tree) */
	WEB_EXPLAIN = 2,   /* --explain arg; with arg2 1, in the tree of entries
			      only (quick: no instruction of a large module read) */
	WEB_FUNC = 3,      /* --annotate --func arg */
	WEB_XREF = 4,      /* --xref arg --json */
	WEB_VALIDATE = 5,  /* the validator's verdict: JSON */
	WEB_EXTERNS = 6,   /* imports and exports with their types: JSON; rows
			      arg..arg + arg2 - 1 of the two (arg2 0: all) */
	WEB_PATH = 7,      /* the nodes from the root to the leaf at byte arg: JSON;
			      arg2 as for WEB_EXPLAIN */
	WEB_NODE = 8,      /* the node at depth arg2 on the path to byte arg, as
			      --json writes it, down to depth arg2 + 1 (a
			      section, arg2 1: as --json --depth 2 writes it) */
	WEB_DOMINATORS = 9,  /* --dominators --json (--sort: enum sz_sort arg) */
	WEB_DIFF = 10,     /* --diff OLD MODULE --json, OLD from web_alloc_old() */
	WEB_DECODE = 11,   /* whether every body decodes: JSON, the decoder's
			      error as view 5 gives it, or {"malformed":false} */
};

/* The three trees main.c builds: entries only, no instructions, every node;
 * and the tree of a focus (the bytes focus_lo..focus_hi - 1). */
enum { T_ENTRIES, T_NOINSTRS, T_FULL, T_FOCUS, NTREES };

static struct {
	uint8_t *bytes;
	size_t size;
	uint32_t features;
	struct wlab_module *m[NTREES];
	struct wlab_layout *l[NTREES];
	struct wlab_error err[NTREES];
	uint32_t focus_lo, focus_hi;  /* T_FOCUS holds every node of these bytes */
	bool bodies_ok;  /* every body decodes: the focus tree reads m[T_ENTRIES] */
	char *name;  /* the file's name, as the views print it */
	struct {  /* --diff's OLD */
		uint8_t *bytes;
		size_t size;
		char *name;
		struct wlab_module *m;
		struct wlab_error err;
	} old;
	char *out;  /* the last view's text */
	size_t out_len;
} web;

static void drop_trees(void)
{
	for (int t = 0; t < NTREES; t++) {
		wlab_layout_free(web.l[t]);
		wlab_module_free(web.m[t]);
		web.l[t] = NULL;
		web.m[t] = NULL;
		memset(&web.err[t], 0, sizeof web.err[t]);
	}
	web.bodies_ok = false;
}

/* Room for a module of size bytes; the page writes them there. */
EXPORT(web_alloc) uint8_t *web_alloc(size_t size)
{
	drop_trees();
	free(web.bytes);
	web.bytes = malloc(size ? size : 1);
	web.size = web.bytes ? size : 0;
	return web.bytes;
}

/* Room for the file's name (size bytes with its NUL), which the views print
 * where the CLI prints the path it was given; "module.wasm" without one. */
EXPORT(web_name) char *web_name(size_t size)
{
	free(web.name);
	web.name = calloc(size ? size : 1, 1);
	return web.name;
}

/* Room for the module the diff view compares the open one with (OLD of
 * --diff OLD NEW); it stays until the next call. */
EXPORT(web_alloc_old) uint8_t *web_alloc_old(size_t size)
{
	wlab_module_free(web.old.m);
	web.old.m = NULL;
	memset(&web.old.err, 0, sizeof web.old.err);
	free(web.old.bytes);
	web.old.bytes = malloc(size ? size : 1);
	web.old.size = web.old.bytes ? size : 0;
	return web.old.bytes;
}

/* Room for OLD's name (size bytes with its NUL). */
EXPORT(web_name_old) char *web_name_old(size_t size)
{
	free(web.old.name);
	web.old.name = calloc(size ? size : 1, 1);
	return web.old.name;
}

/* Takes the bytes written at web_alloc()'s pointer as the module, read with
 * every feature (as the CLI reads it) unless features is non-zero. */
EXPORT(web_open) int web_open(uint32_t features)
{
	drop_trees();
	web.features = features ? features : wlab_features_all();
	return web.bytes ? 0 : 1;
}

/* The module decoded for tree t, once: with its bodies for the full tree and
 * the focus (whose tree then stops at a malformed body's error, as the
 * CLI's does; the validator reads that module too), without for the rest. */
static struct wlab_module *module(int t)
{
	if (web.m[t] || web.err[t].status != WLAB_OK)
		return web.m[t];
	bool bodies = t == T_FULL || t == T_FOCUS;
	struct wlab_decode_options dopts = {.flags = bodies ? 0 : WLAB_DECODE_SKIP_BODIES,
					    .features = web.features};
	wlab_module_decode(web.bytes, web.size, &dopts, &web.m[t], &web.err[t]);
	return web.m[t];
}

/* The page's word that every body of the open module decodes (with the
 * same features): the focus tree then reads the module of the tree of
 * entries, decoded without its bodies, as wlab_layout_build_focus allows. */
EXPORT(web_bodies_ok) void web_bodies_ok(void)
{
	wlab_layout_free(web.l[T_FOCUS]);  /* it read m[T_FOCUS] */
	web.l[T_FOCUS] = NULL;
	web.bodies_ok = true;
}

/* The tree a focus tree reads the module of. */
static int focus_source(void)
{
	return web.bodies_ok ? T_ENTRIES : T_FOCUS;
}

/* The tree of the function body that holds byte at (of byte at alone
 * outside the bodies), kept while the next views stay inside it. */
static struct wlab_layout *focus_tree(uint32_t at)
{
	if (web.l[T_FOCUS] && at >= web.focus_lo && at < web.focus_hi)
		return web.l[T_FOCUS];
	wlab_layout_free(web.l[T_FOCUS]);
	web.l[T_FOCUS] = NULL;
	int src = focus_source();
	struct wlab_module *m = module(src);
	if (!m || wlab_layout_build_focus(m, &web.err[src], at, at + 1, &web.l[T_FOCUS]))
		return NULL;
	struct wlab_layout *l = web.l[T_FOCUS];
	uint32_t path[64], n = wlab_layout_path(l, at, path, 64);
	web.focus_lo = at;
	web.focus_hi = at + 1;
	for (uint32_t k = 0; k < n; k++) {
		if (strcmp(l->nodes[path[k]].kind, "func") == 0) {
			web.focus_lo = l->nodes[path[k]].offset;
			web.focus_hi = web.focus_lo + l->nodes[path[k]].length;
		}
	}
	return l;
}

/* Tree t, built on first use; NULL when out of memory. */
static struct wlab_layout *tree(int t)
{
	if (web.l[t])
		return web.l[t];
	unsigned lflags = t == T_FULL ? 0 : WLAB_LAYOUT_NO_INSTRS;
	if (t == T_ENTRIES)
		lflags |= WLAB_LAYOUT_ENTRIES;
	if (!module(t) || wlab_layout_build_flags(web.m[t], &web.err[t], lflags, &web.l[t]))
		return NULL;
	return web.l[t];
}

static void json_strn(FILE *out, const struct wlab_str *s)
{
	char *z = malloc((size_t)s->len + 1);
	if (!z) {
		fputs("\"\"", out);
		return;
	}
	memcpy(z, s->ptr, s->len);
	z[s->len] = 0;
	explore_json_str(out, z);
	free(z);
}

static const char *const extern_kinds[] = {"func", "table", "memory", "global", "tag"};

static const char *kind_name(uint8_t k)
{
	return k < sizeof extern_kinds / sizeof *extern_kinds ? extern_kinds[k] : "?";
}

/* {"nimports":N,"nexports":M,"imports":[...],"exports":[...]}: the rows
 * first..first + count - 1 (count 0: to the end) of the imports followed by
 * the exports, each with its kind, index, offset and, for a function, its
 * type (params and results by valtype name). The page asks for the rows it
 * draws: a module may export thousands of functions. */
static void externs(FILE *out, const struct wlab_module *m, uint32_t first, uint32_t count)
{
	uint64_t end = count ? (uint64_t)first + count : UINT64_MAX;
	fprintf(out, "{\"nimports\":%u,\"nexports\":%u,\"imports\":[", m->nimports, m->nexports);
	for (uint32_t i = first, k = 0; i < m->nimports && i < end; i++, k++) {
		const struct wlab_import *im = &m->imports[i];
		fprintf(out, "%s{\"module\":", k ? ",\n" : "");
		json_strn(out, &im->module);
		fputs(",\"field\":", out);
		json_strn(out, &im->field);
		fprintf(out, ",\"kind\":\"%s\",\"index\":%u,\"offset\":%u", kind_name(im->kind),
			im->kind_index, (unsigned)im->span.offset);
		if (im->kind == WLAB_EXTERN_FUNC) {
			fputs(",\"type\":", out);
			explore_json_functype(out, m, im->u.func_type);
		}
		fputc('}', out);
	}
	fputs("],\n\"exports\":[", out);
	uint32_t from = first > m->nimports ? first - m->nimports : 0;
	for (uint32_t i = from, k = 0; i < m->nexports && (uint64_t)m->nimports + i < end; i++, k++) {
		const struct wlab_export *ex = &m->exports[i];
		fprintf(out, "%s{\"name\":", k ? ",\n" : "");
		json_strn(out, &ex->name);
		fprintf(out, ",\"kind\":\"%s\",\"index\":%u,\"offset\":%u", kind_name(ex->kind),
			ex->index, (unsigned)ex->span.offset);
		if (ex->kind == WLAB_EXTERN_FUNC) {
			fputs(",\"type\":", out);
			explore_json_functype(out, m, wlab_module_func_type(m, ex->index));
		}
		fputc('}', out);
	}
	fputs("]}\n", out);
}

/* {"valid":true} or {"valid":false,"offset":N,"message":"...","func":F}: the
 * validator's verdict on the module (decoded with its bodies). */
static void validate(FILE *out, const struct wlab_module *m, const struct wlab_error *derr)
{
	if (derr->status != WLAB_OK) {
		fprintf(out, "{\"valid\":false,\"malformed\":true,\"offset\":%zu,\"message\":",
			derr->offset);
		explore_json_str(out, derr->message);
		fputs("}\n", out);
		return;
	}
	struct wlab_validate_options vo = {.features = web.features};
	struct wlab_validate_error ve = {0};
	if (wlab_module_validate(m, &vo, &ve) == WLAB_OK) {
		fputs("{\"valid\":true}\n", out);
		return;
	}
	fprintf(out, "{\"valid\":false,\"malformed\":false,\"offset\":%zu,\"message\":",
		ve.error.offset);
	explore_json_str(out, ve.error.message);
	if (ve.func != UINT32_MAX)
		fprintf(out, ",\"func\":%u", ve.func);
	fputs("}\n", out);
}

/* [{"offset":..,"length":..,"kind":..,"label":..,"index":..}, ...] from the
 * root to the leaf holding byte at; [] past the end. */
static void path_json(FILE *out, const struct wlab_layout *l, uint32_t at)
{
	uint32_t path[64];
	uint32_t n = wlab_layout_path(l, at, path, 64);
	fputc('[', out);
	for (uint32_t k = 0; k < n; k++) {
		const struct wlab_layout_node *nd = &l->nodes[path[k]];
		fprintf(out, "%s{\"offset\":%u,\"length\":%u,\"kind\":\"%s\",\"label\":", k ? ",\n" : "",
			nd->offset, nd->length, nd->kind);
		explore_json_str(out, nd->label);
		if (nd->vkind == WLAB_LV_TEXT) {
			fputs(",\"value\":", out);
			explore_json_str(out, nd->value.text);
		} else if (nd->vkind != WLAB_LV_NONE) {
			fputs(",\"value\":", out);
			explore_print_value(out, nd);  /* a number */
		}
		fputc('}', out);
	}
	fputs("]\n", out);
}

/* The byte a view of one byte or one function is about: for --func, the
 * first byte of the function's body entry (none: past the end). */
static uint32_t focus_of(int mode, uint32_t arg)
{
	if (mode != WEB_FUNC)
		return arg;
	struct wlab_module *m = module(focus_source());
	if (!m || arg < m->nimported_funcs || arg - m->nimported_funcs >= m->ncodes)
		return UINT32_MAX;
	return m->codes[arg - m->nimported_funcs].span.offset;
}

static int node_json(struct explore_ctx *ctx, uint32_t at, uint32_t depth)
{
	uint32_t path[64];
	uint32_t n = wlab_layout_path(ctx->l, at, path, 64);
	if (depth >= n) {
		fputs("null\n", ctx->out);
		return 1;
	}
	struct explore_opts o = *ctx->opts;
	o.depth = depth + 1;
	ctx->opts = &o;
	return explore_json_subtree(ctx, path[depth]);
}

/* The tree a mode reads, as main.c chooses it for the same options. */
static int tree_for(int mode, uint32_t arg, uint32_t arg2)
{
	if ((mode == WEB_EXPLAIN || mode == WEB_PATH) && arg2 == 1)
		return T_ENTRIES;
	if (mode == WEB_OVERVIEW || (mode == WEB_JSON && arg && arg <= 2) || (mode == WEB_NODE && arg2 <= 1))
		return T_ENTRIES;
	if (mode == WEB_JSON && arg == 3)
		return T_NOINSTRS;
	if (mode == WEB_EXTERNS)
		return T_ENTRIES;
	if (mode == WEB_EXPLAIN || mode == WEB_PATH || mode == WEB_NODE || mode == WEB_FUNC)
		return T_FOCUS;
	return T_FULL;
}

/* The error of a module that does not decode, as the CLI prints it. */
static int decode_error(const char *path, const struct wlab_error *err)
{
	fprintf(stderr, "%s:0x%zx: error: %s\n", path, err->offset, err->message);
	return 1;
}

/* --dominators --json (arg: --sort) and --diff OLD MODULE --json, printed
 * by sizes.c and diff.c from the module decoded with its bodies. */
static int graph_view(FILE *out, int mode, uint32_t arg)
{
	const char *path = web.name && *web.name ? web.name : "module.wasm";
	struct explore_opts o = {.features = web.features, .json = true};
	struct wlab_module *m = module(T_FOCUS);
	if (!m)
		return decode_error(path, &web.err[T_FOCUS]);
	if (mode == WEB_DOMINATORS) {
		o.dominators = true;
		o.sort = (uint8_t)(arg <= SORT_NAME ? arg : SORT_RETAINED);
		return explore_sizes(path, m, &o, out);
	}
	const char *old_path = web.old.name && *web.old.name ? web.old.name : "old.wasm";
	if (!web.old.bytes) {
		fputs("no module to compare with\n", stderr);
		return 1;
	}
	if (!web.old.m && web.old.err.status == WLAB_OK) {
		struct wlab_decode_options dopts = {.features = web.features};
		wlab_module_decode(web.old.bytes, web.old.size, &dopts, &web.old.m, &web.old.err);
	}
	if (!web.old.m)
		return decode_error(old_path, &web.old.err);
	o.diff_old = old_path;
	return explore_diff(old_path, web.old.m, path, m, &o, out);
}

/* {"malformed":false}, or the decoder's error in view 5's words: the
 * module decoded with its bodies (kept for the views that read them). */
static void decode_status(FILE *out)
{
	const struct wlab_error *err = &web.err[T_FOCUS];
	if (!module(T_FOCUS) && err->status == WLAB_OK) {
		fputs("{\"malformed\":false,\"nomem\":true}\n", out);
		return;
	}
	if (err->status == WLAB_OK) {
		fputs("{\"malformed\":false}\n", out);
		return;
	}
	fprintf(out, "{\"malformed\":true,\"offset\":%zu,\"message\":", err->offset);
	explore_json_str(out, err->message);
	fputs("}\n", out);
}

static int run(FILE *out, int mode, uint32_t arg, uint32_t arg2)
{
	if (mode == WEB_DECODE) {
		decode_status(out);
		return 0;
	}
	if (mode == WEB_VALIDATE) {  /* the focus's module: every body, no tree */
		struct wlab_module *m = module(T_FOCUS);
		if (m || web.err[T_FOCUS].status != WLAB_OK)
			validate(out, m, &web.err[T_FOCUS]);
		else
			fputs("{\"valid\":false,\"malformed\":false,\"offset\":0,"
			      "\"message\":\"out of memory\"}\n", out);
		return 0;
	}
	if (mode == WEB_DOMINATORS || mode == WEB_DIFF)
		return graph_view(out, mode, arg);
	int t = tree_for(mode, arg, arg2);
	struct wlab_layout *l = t == T_FOCUS ? focus_tree(focus_of(mode, arg)) : tree(t);
	if (!l) {
		fputs("out of memory\n", out);
		return 1;
	}
	char idx[16];
	snprintf(idx, sizeof idx, "%u", arg);
	struct explore_opts o = {.features = web.features};
	struct explore_ctx ctx = {.path = web.name && *web.name ? web.name : "module.wasm",
				  .opts = &o, .m = web.m[t == T_FOCUS ? focus_source() : t], .l = l, .out = out};
	switch (mode) {
	case WEB_OVERVIEW: o.top = arg; return explore_overview(&ctx);
	case WEB_JSON: o.json = true; o.depth = arg; return explore_json(&ctx);
	case WEB_EXPLAIN: o.explain = true; o.explain_at = arg; return explore_explain(&ctx);
	case WEB_FUNC: o.annotate = true; o.func = idx; return explore_annotate(&ctx);
	case WEB_XREF: o.json = true; o.xref = idx; return explore_xref(&ctx);
	case WEB_EXTERNS: externs(out, web.m[t], arg, arg2); return 0;
	case WEB_PATH: path_json(out, l, arg); return 0;
	case WEB_NODE: return node_json(&ctx, arg, arg2);
	default: fputs("unknown view\n", out); return 1;
	}
}

/* Runs one view (enum web_mode) of the open module; returns a pointer to its
 * text, web_out_len() bytes long, valid until the next call. */
EXPORT(web_run) const char *web_run(int mode, uint32_t arg, uint32_t arg2)
{
	free(web.out);
	web.out = NULL;
	web.out_len = 0;
	FILE *out = open_memstream(&web.out, &web.out_len);
	if (!out)
		return NULL;
	run(out, mode, arg, arg2);
	fclose(out);
	return web.out;
}

EXPORT(web_out_len) size_t web_out_len(void)
{
	return web.out_len;
}

/* The module's size as the CLI reports it (bytes of the root node). */
EXPORT(web_size) size_t web_size(void)
{
	return web.size;
}
