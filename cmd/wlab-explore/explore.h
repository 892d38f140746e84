/* explore.h: wlab-explore's options and its printers, one per mode. */
#ifndef EXPLORE_H
#define EXPLORE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "wlab/features.h"
#include "wlab/layout.h"
#include "wlab/uses.h"
#include "wlab/module.h"

struct explore_opts {
	bool annotate, json, explain, html;
	uint32_t top;          /* 0: every row */
	uint32_t depth;        /* --depth N; 0: the whole tree */
	uint32_t explain_at;
	const char *section;   /* --section NAME */
	const char *func;      /* --func IDX|NAME */
	const char *xref;      /* --xref IDX|NAME */
	const char *html_out;  /* --html OUT.html; NULL: stdout */
	uint32_t features;     /* to decode with: all, or as --enable-X... chose */
	bool addr2line;        /* --addr2line: source lines of addresses */
	bool code_addresses;   /* --code-addresses: bare numbers are Code offsets */
	const char *debug_file;  /* --debug-file FILE: DWARF in another file */
	const char *source_map;  /* --source-map FILE */
	char **addrs;          /* the addresses after FILE; none: read stdin */
	int naddrs;
	/* the reference graph's views (sizes.c) */
	bool dominators, garbage, callgraph, all_items, by_source;
	const char *paths;     /* --paths ITEM */
	uint8_t sort;          /* --sort: enum sz_sort */
	const char *diff_old;  /* --diff OLD (the file argument is NEW) */
	bool fail_above;       /* --fail-above given */
	bool fail_pct;         /* its limit is a percentage */
	uint64_t fail_limit;   /* bytes, or hundredths of a percent */
};

enum sz_sort { SORT_RETAINED, SORT_SHALLOW, SORT_NAME };

struct explore_ctx {
	const char *path;
	const struct explore_opts *opts;
	const struct wlab_module *m;
	const struct wlab_layout *l;
	FILE *out;
};

int explore_overview(const struct explore_ctx *ctx);
int explore_annotate(const struct explore_ctx *ctx);
int explore_explain(const struct explore_ctx *ctx);
int explore_json(const struct explore_ctx *ctx);
/* Node top and its subtree as --json writes them (one JSON object), for the
 * page (web/wlab_web.c), which unfolds a large tree a node at a time. */
int explore_json_subtree(const struct explore_ctx *ctx, uint32_t top);
/* A module's name and bytes, as --html puts them in the page. */
struct explore_file {
	const char *path;
	const uint8_t *bytes;
	size_t size;
};
/* --html (html.c): the explorer page with the module's bytes in it, to
 * out; with old (--html --diff OLD NEW; else NULL), OLD's bytes too, which
 * the page compares the module with. 2 (the reason on stderr) when this
 * build has no page. */
int explore_html(const struct explore_file *mod, const struct explore_file *old, FILE *out);
/* in[0..n) as raw DEFLATE (html_deflate.c), malloc'd, its size in *out_n;
 * NULL when out of memory. */
unsigned char *explore_deflate(const unsigned char *in, size_t n, size_t *out_n);
/* bytes[0..n) in base64 (RFC 4648, padded), on one line, to out (html_deflate.c). */
void explore_base64(FILE *out, const unsigned char *bytes, size_t n);
/* The page's wasm[0..n) as the page's script reads it: var WLAB_EXPLORE_WASM
 * (base64 of raw DEFLATE) and var WLAB_EXPLORE_WASM_SIZE (html_deflate.c). */
void explore_wasm_js(FILE *out, const unsigned char *wasm, size_t n);
/* --xref: text, or JSON with --json (schema wlab-explore-xref/1). */
int explore_xref(const struct explore_ctx *ctx);

/* --dominators, --garbage, --paths, --callgraph (sizes.c): decodes m's
 * reference graph and prints the chosen view to out; 1 on a malformed body.
 * The page (web/wlab_web.c) runs it for its dominator tree. */
int explore_sizes(const char *path, const struct wlab_module *m, const struct explore_opts *o,
		  FILE *out);
/* --diff OLD NEW (diff.c), to out; 1 when --fail-above's limit is passed.
 * The page runs it for its diff view. */
int explore_diff(const char *old_path, const struct wlab_module *old_m, const char *new_path,
		 const struct wlab_module *new_m, const struct explore_opts *o, FILE *out);

/* --addr2line (source.c): the source frames of each address, text or --json
 * (schema wlab-explore-addr2line/1); 1 when an address is in no function. */
int explore_addr2line(const struct explore_ctx *ctx);
/* --explain's "source:" lines for a byte of a function body, when the module
 * has DWARF; nothing otherwise. */
void explore_explain_source(const struct explore_ctx *ctx, uint32_t offset);

/* Writes s as a JSON string: quotes, with '"', '\\' and control bytes escaped. */
void explore_json_str(FILE *out, const char *s);
void explore_json_functype(FILE *out, const struct wlab_module *m, uint32_t type);

/* Prints a node's value as text ("5", "-1", "i32"); nothing when it has none. */
void explore_print_value(FILE *out, const struct wlab_layout_node *n);

#endif
