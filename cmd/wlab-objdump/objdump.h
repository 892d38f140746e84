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
	bool line_numbers;     /* -l: "; FILE:LINE" lines in -d from DWARF */
	bool source;           /* -S: source lines in -d (implies -d) */
	const char *source_dir;  /* --source-dir DIR: where -S looks for files */
	bool demangle;         /* -C: C++ and Rust names demangled */
	const char *debug_file;  /* --debug-file FILE: DWARF for -l/-S in FILE */
	const char *source_map;  /* --source-map FILE: a source map for -l/-S */
	bool json;             /* --json */
	bool validate;         /* --validate */
	uint32_t features;     /* --enable-X...: to validate (and to decode when given) */
	bool features_given;   /* else decode with every feature, as wasm-objdump */
	const char *section;   /* -j NAME, or NULL for all */
	/* -F IDX|NAME, may repeat: restricts -d to these functions (disasm.c
	 * applies it; an entry matches a function index in decimal or a name
	 * as shown in <...>). nfunctions == 0 means all functions. */
	const char **functions;
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

	/* Per section (or NULL): a custom section whose name could not be
	 * read, which wasm-objdump shows without a name (lenient.c). */
	const bool *bad_custom;

	/* Whether the module goes beyond WebAssembly 2.0, so that it prints as
	 * wasm-objdump 1.0.39 does, not 1.0.32: -1 until objdump_v139() first
	 * needs it (finding out may walk the code; most dumps never ask). */
	signed char v139;

	/* Derived names per index space, NUL-terminated copies or NULL. */
	char **func_names;   uint32_t nfunc_names;
	char **global_names; uint32_t nglobal_names;
	char **table_names;  uint32_t ntable_names;
	char **memory_names; uint32_t nmemory_names;
	char **tag_names;    uint32_t ntag_names;
	char **type_names;   uint32_t ntype_names;
	char **elem_names;   uint32_t nelem_names;
	char **data_names;   uint32_t ndata_names;
	/* Export names of functions and globals far past their count (an
	 * invalid module), where the tables above do not grow: a hash table
	 * of far_cap slots (a power of two, or 0), nfar_names of them used
	 * (names.c). */
	struct objdump_far_name { bool used; uint8_t kind; uint32_t idx; char *name; } *far_names;
	uint32_t nfar_names, far_cap;
};

/* Whether m goes beyond WebAssembly 2.0, so its dump follows 1.0.39. */
bool objdump_beyond_2_0(const struct wlab_module *m);

void objdump_names_build(struct objdump_ctx *ctx);
void objdump_names_free(struct objdump_ctx *ctx);

/* The derived name of entry idx, or NULL when it has none. */
/* Whether the dump follows wasm-objdump 1.0.39 (oracle.c); computed on the
 * first call, kept in ctx->v139. */
bool objdump_v139(const struct objdump_ctx *ctx);
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

/* Finds custom sections with an unreadable name. Returns NULL when there
 * is none, else one flag per section (free()) and sets *patched to a copy
 * of the bytes where each such name is empty, for the decoder (free()). */
bool *objdump_find_bad_customs(const uint8_t *bytes, size_t size, uint8_t **patched);
/* Names each of those sections on stderr, as a warning with its offset. */
void objdump_warn_bad_customs(const char *path, const uint8_t *bytes, size_t size,
			      const bool *bad);

/* Subsection 10 of the name section read as wasm-objdump 1.0.32 does, as
 * tag names (names.c): begin, then next until it returns false. Nothing
 * for a module printed as 1.0.39 prints it (objdump_v139). */
struct objdump_tag_names {
	struct wlab_reader r;
	struct wlab_error err;
	uint32_t left;
};
/* The name of field `field` of struct type `type` (name subsection 10), or NULL. */
const char *objdump_field_name(const struct objdump_ctx *ctx, uint32_t type, uint32_t field);
bool objdump_tag_names_begin(const struct objdump_ctx *ctx,
			     const struct wlab_name_subsection *sub,
			     struct objdump_tag_names *it);
bool objdump_tag_names_next(struct objdump_tag_names *it, uint32_t *idx, struct wlab_str *name);

/* Does -j select this section (true when no -j was given)? The name is
 * compared case-insensitively; a custom section by its own name.
 * Measured on wasm-objdump 1.0.32: only -x and -s filter by -j. -h lists
 * every section, and -d disassembles every body and always prints
 * "\nCode Disassembly:\n\n", whatever -j says (-j Type -d, -j foo -d and
 * -j Code -d on a module without code all do). "Section not found" (exit 1)
 * is checked only when -h, -x or -s is given. */
bool objdump_section_selected(const struct objdump_ctx *ctx, const struct wlab_section *sec);

/* The printers, one per mode; each returns 0 or 1 on an error it reported. */
int objdump_print_headers(struct objdump_ctx *ctx);   /* -h  headers.c  */
int objdump_print_details(struct objdump_ctx *ctx);   /* -x  details.c  */
int objdump_print_disasm(struct objdump_ctx *ctx);    /* -d  disasm.c   */
int objdump_print_contents(struct objdump_ctx *ctx);  /* -s  contents.c */
int objdump_print_json(struct objdump_ctx *ctx);      /* --json json.c  */
/* --json writes one document for all files: begin, one object per file
 * (separated by ",\n" by the caller), end (json.c). */
int objdump_json_begin(FILE *out);
int objdump_json_end(FILE *out);
/* The object --json prints for a file that failed to decode. */
void objdump_json_error(FILE *out, const char *path, const struct wlab_error *err);

/* With -r, the relocations that fall in data segment d, printed under its
 * hex dump at the addresses the dump shows (disasm_reloc.c). */
void objdump_print_data_relocs(const struct objdump_ctx *ctx, const struct wlab_data *d,
			       uint64_t address);

/* Helpers the printers share (print.c). */
void objdump_print_hex_lines(FILE *out, const uint8_t *bytes, uint32_t size,
			     uint32_t start_offset, const char *prefix);
/* Prints a constant expression the way -x shows an init ("i32=5",
 * "global=0 <name>"...). */
void objdump_print_init_expr(struct objdump_ctx *ctx, struct wlab_expr expr);

/* Floats the way wabt writes them: hex significand, "0x1.8p+1", "-0x0p+0",
 * "inf", "nan", "nan:0x1" (print.c). buf needs 32 bytes. */
#define OBJDUMP_FLOAT_BUF 32
void objdump_format_f32(char *buf, uint32_t bits);
void objdump_format_f64(char *buf, uint64_t bits);
/* objdump_print_hex_lines with a 64-bit first address (data at i64 offsets). */
void objdump_print_hex_dump(FILE *out, const uint8_t *bytes, uint32_t size,
			    uint64_t start_offset, const char *prefix);
/* " <name>" when name is not NULL (demangled with -C). */
void objdump_print_name(FILE *out, const char *name);
/* A symbol's name: objdump_print_str, demangled with -C. */
void objdump_print_sym(FILE *out, struct wlab_str s);
/* -C: set once by main before anything prints. */
extern bool objdump_demangle;
/* Writes a name as wasm-objdump does: its bytes up to the first NUL. */
void objdump_print_str(FILE *out, struct wlab_str s);
bool objdump_str_is(struct wlab_str s, const char *lit);
/* The name of a value or reference type code ("i32", "funcref"...). */
const char *objdump_type_str(wlab_valtype_t code);

#endif
