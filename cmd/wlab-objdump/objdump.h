/* objdump.h: what the files of wlab-objdump share: options, the per-file
 * context and the names wabt's wasm-objdump shows in <angle brackets>. */
#ifndef OBJDUMP_H
#define OBJDUMP_H

#include <stdbool.h>
#include <stdio.h>

#include "wlab.h"

struct objdump_opts {
	bool headers;          /* -h */
	bool details;          /* -x */
	bool disasm;           /* -d */
	bool contents;         /* -s */
	bool relocs;           /* -r: relocations inline with the disassembly */
	bool section_offsets;  /* --section-offsets */
	bool json;             /* --json */
	const char *section;   /* -j NAME, or NULL for all */
	const char **functions;  /* -F IDX|NAME, may repeat */
	int nfunctions;
};

/* One module being dumped. Names are built once per module by
 * objdump_names_build(), the way wasm-objdump derives them (name section,
 * then imports, then exports), and freed by objdump_names_free(). */
struct objdump_ctx {
	const char *filename;        /* as given on the command line */
	const char *basename;        /* what the header line shows */
	const struct wlab_module *m;
	const struct objdump_opts *opts;
	FILE *out;

	/* Derived names per index space, NUL-terminated copies or NULL. */
	char **func_names;   uint32_t nfunc_names;
	char **global_names; uint32_t nglobal_names;
	char **table_names;  uint32_t ntable_names;
	char **memory_names; uint32_t nmemory_names;
	char **tag_names;    uint32_t ntag_names;
	char **type_names;   uint32_t ntype_names;
	char **elem_names;   uint32_t nelem_names;
	char **data_names;   uint32_t ndata_names;
};

void objdump_names_build(struct objdump_ctx *ctx);
void objdump_names_free(struct objdump_ctx *ctx);

/* The derived name of entry idx, or NULL when it has none. */
const char *objdump_func_name(const struct objdump_ctx *ctx, uint32_t idx);
const char *objdump_global_name(const struct objdump_ctx *ctx, uint32_t idx);
const char *objdump_table_name(const struct objdump_ctx *ctx, uint32_t idx);
const char *objdump_memory_name(const struct objdump_ctx *ctx, uint32_t idx);
const char *objdump_tag_name(const struct objdump_ctx *ctx, uint32_t idx);
const char *objdump_type_name(const struct objdump_ctx *ctx, uint32_t idx);
const char *objdump_elem_name(const struct objdump_ctx *ctx, uint32_t idx);
const char *objdump_data_name(const struct objdump_ctx *ctx, uint32_t idx);
/* The local's name from the name section, or NULL. */
const char *objdump_local_name(const struct objdump_ctx *ctx, uint32_t func, uint32_t local);

/* Does -j select this section (true when no -j was given)? */
bool objdump_section_selected(const struct objdump_ctx *ctx, const struct wlab_section *sec);

/* The printers, one per mode; each returns 0 or 1 on an error it reported. */
int objdump_print_headers(struct objdump_ctx *ctx);   /* -h  headers.c  */
int objdump_print_details(struct objdump_ctx *ctx);   /* -x  details.c  */
int objdump_print_disasm(struct objdump_ctx *ctx);    /* -d  disasm.c   */
int objdump_print_contents(struct objdump_ctx *ctx);  /* -s  contents.c */
int objdump_print_json(struct objdump_ctx *ctx);      /* --json json.c  */

/* Helpers the printers share (print.c). */
void objdump_print_hex_lines(FILE *out, const uint8_t *bytes, uint32_t size,
			     uint32_t start_offset, const char *prefix);
/* Prints a constant expression the way -x shows an init ("i32=5",
 * "global=0 <name>"...). */
void objdump_print_init_expr(struct objdump_ctx *ctx, struct wlab_expr expr);

#endif
