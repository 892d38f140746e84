/* wlab/module.h: the decoded module, a plain structure that every tool reads.
 *
 * Ownership: a module borrows the caller's bytes (every struct wlab_str and
 * struct wlab_span points into them), so the bytes must outlive the module.
 * Everything else belongs to the module and goes with wlab_module_free().
 * Every section and entry records where it stands in the file (offset, size),
 * so the explorer can account for every byte and an encoder can write back. */
#ifndef WLAB_MODULE_H
#define WLAB_MODULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wlab/status.h"
#include "wlab/types.h"
#include "wlab/api.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A byte range of the module: [offset, offset + size). */
struct wlab_span {
	uint32_t offset, size;
};

/* A name inside the module's bytes; not NUL-terminated. */
struct wlab_str {
	const uint8_t *ptr;
	uint32_t len;
};

/* Section ids, from wlab/sections.def. */
enum wlab_section_id {
#define WLAB_SECTION(id, cname, name) WLAB_SEC_##cname = id,
#include "wlab/sections.def"
#undef WLAB_SECTION
};

/* Value and reference types, stored as their binary code (0x7f = i32...). */
enum wlab_valtype {
#define WLAB_VALTYPE(code, cname, name) WLAB_##cname = code,
#include "wlab/valtypes.def"
#undef WLAB_VALTYPE
};

enum wlab_extern_kind {
	WLAB_EXTERN_FUNC = 0,
	WLAB_EXTERN_TABLE = 1,
	WLAB_EXTERN_MEMORY = 2,
	WLAB_EXTERN_GLOBAL = 3,
	WLAB_EXTERN_TAG = 4,
};

/* A field of a GC struct type, or an array type's element. */
struct wlab_fieldtype {
	wlab_valtype_t type;  /* a value type, or WLAB_PACKED_I8 / WLAB_PACKED_I16 */
	bool mut;
};

/* A defined type: a function type (form 0x60), or with GC a struct (0x5f)
 * or array (0x5e) type. Every type records its rec group and subtyping: a
 * type outside any `rec` is a group of one, final without supertype.
 * A struct's fields and an array's element (nfields 1) are in fields; a
 * function type's in params and results (both empty for the other forms,
 * so a reader that only knows function types sees () -> ()). */
struct wlab_functype {
	uint32_t nparams, nresults;
	wlab_valtype_t *params, *results;
	uint32_t nfields;
	struct wlab_fieldtype *fields;
	struct wlab_span span;      /* from the form byte (0x60...), or the 0x50/0x4f of sub */
	uint8_t form;               /* 0x60 func, 0x5f struct, 0x5e array */
	uint8_t sub;                /* as written: 0 none, 0x50 sub, 0x4f sub final */
	bool final;                 /* no subtype may declare it as supertype */
	bool has_super;
	uint32_t super;             /* has_super: the declared supertype's index */
	uint32_t nsupers;           /* supertypes declared (valid: at most 1; super is the first) */
	uint32_t rec_start, rec_size;  /* the rec group holding it: indices [start, start+size) */
	bool rec;                   /* its group was written as a rec (0x4e), even of one type */
	uint32_t rec_offset;        /* rec: the group's 0x4e byte */
};

/* The bits of a limits flags byte (struct wlab_limits.flags). */
enum wlab_limits_flag {
	WLAB_LIMITS_MAX = 0x01,     /* a maximum follows the minimum */
	WLAB_LIMITS_SHARED = 0x02,  /* a shared memory (threads) */
	WLAB_LIMITS_I64 = 0x04,     /* i64 addresses (memory64, table64) */
};

struct wlab_limits {
	uint8_t flags;   /* the raw flags byte: enum wlab_limits_flag's bits */
	bool has_max, shared, is64;
	uint64_t min, max;
};

struct wlab_tabletype {
	wlab_valtype_t elemtype;  /* a reference type */
	struct wlab_limits limits;
};

struct wlab_globaltype {
	wlab_valtype_t valtype;
	bool mut;
};

struct wlab_tagtype {
	uint8_t attribute;
	uint32_t type_index;
};

struct wlab_import {
	struct wlab_str module, field;
	uint8_t kind;  /* enum wlab_extern_kind */
	union {
		uint32_t func_type;  /* WLAB_EXTERN_FUNC: type index */
		struct wlab_tabletype table;
		struct wlab_limits memory;
		struct wlab_globaltype global;
		struct wlab_tagtype tag;
	} u;
	uint32_t kind_index;  /* index within its kind's space (func[3]...) */
	struct wlab_span span;
};

struct wlab_export {
	struct wlab_str name;
	uint8_t kind;
	uint32_t index;
	struct wlab_span span;
};

/* A constant expression: its raw bytes, ending with the 0x0b end opcode.
 * Walk it with the instruction iterator of wlab/instr.h. */
struct wlab_expr {
	struct wlab_span span;
};

struct wlab_table {
	struct wlab_tabletype type;
	bool has_init;          /* 0x40 0x00 form (function-references) */
	struct wlab_expr init;
	struct wlab_span span;
};

struct wlab_memory {
	struct wlab_limits limits;
	struct wlab_span span;
};

struct wlab_global {
	struct wlab_globaltype type;
	struct wlab_expr init;
	struct wlab_span span;
};

struct wlab_tag {
	struct wlab_tagtype type;
	struct wlab_span span;
};

enum wlab_segment_mode {
	WLAB_SEGMENT_ACTIVE = 0,
	WLAB_SEGMENT_PASSIVE = 1,
	WLAB_SEGMENT_DECLARATIVE = 2,
};

struct wlab_elem {
	uint32_t flags;       /* 0..7, the encoding used */
	uint8_t mode;         /* enum wlab_segment_mode */
	uint32_t table;       /* active segments */
	struct wlab_expr offset;  /* active segments */
	wlab_valtype_t elemtype;  /* a reference type (funcref for the elemkind forms) */
	bool uses_exprs;      /* flags bit 2: items are expressions */
	uint32_t count;
	uint32_t *funcs;      /* !uses_exprs: function indices */
	struct wlab_expr *exprs;  /* uses_exprs: one expression per item */
	struct wlab_span span;
};

struct wlab_data {
	uint32_t flags;       /* 0..2 */
	uint8_t mode;
	uint32_t memory;
	struct wlab_expr offset;
	struct wlab_span bytes;  /* the segment's contents */
	struct wlab_span span;
};

struct wlab_local_decl {
	uint32_t count;
	wlab_valtype_t type;
	uint32_t offset;  /* of this (count, type) pair */
};

/* A function body. Instructions stay as bytes: walk expr with wlab/instr.h. */
struct wlab_code {
	struct wlab_span span;   /* the size LEB128 and the body */
	struct wlab_span body;   /* locals and expression, without the size */
	uint32_t nlocal_decls;
	struct wlab_local_decl *local_decls;
	uint64_t nlocals;        /* sum of the counts */
	struct wlab_span expr;   /* the instructions, ending with 0x0b */
};

/* Every section as it stands in the file, in file order. */
struct wlab_section {
	uint8_t id;
	struct wlab_span span;     /* from the id byte to the end of the payload */
	struct wlab_span payload;  /* after the size LEB128 */
	uint32_t count;            /* vector count where the section has one */
	struct wlab_str name;      /* custom sections */
	struct wlab_span content;  /* custom sections: payload after the name */
};

/* ---- custom sections ---- */

struct wlab_naming {
	uint32_t index;
	struct wlab_str name;
	uint32_t offset;
};

struct wlab_name_map {
	uint32_t count;
	struct wlab_naming *names;
};

struct wlab_indirect_naming {
	uint32_t index;
	struct wlab_name_map map;
	uint32_t offset;
};

struct wlab_indirect_map {
	uint32_t count;
	struct wlab_indirect_naming *entries;
};

/* Subsection ids of the name section, from wlab/names.def. */
enum wlab_name_kind {
#define WLAB_NAME_KIND(id, cname, name, indirect) WLAB_NAMES_##cname = id,
#include "wlab/names.def"
#undef WLAB_NAME_KIND
	WLAB_NAMES_KIND_COUNT
};

struct wlab_name_subsection {
	uint8_t id;
	struct wlab_span span;  /* id byte to the end */
	bool indirect;
	struct wlab_name_map map;        /* direct kinds */
	struct wlab_indirect_map imap;   /* local, label, field */
	struct wlab_str module_name;     /* WLAB_NAMES_MODULE */
};

struct wlab_names {
	uint32_t nsubsections;
	struct wlab_name_subsection *subsections;  /* in file order */
};

struct wlab_producer_value {
	struct wlab_str name, version;
};

struct wlab_producer_field {
	struct wlab_str name;
	uint32_t count;
	struct wlab_producer_value *values;
};

struct wlab_producers {
	uint32_t count;
	struct wlab_producer_field *fields;
};

struct wlab_feature {
	uint8_t prefix;  /* '+', '-' or '=' */
	struct wlab_str name;
};

struct wlab_target_features {
	uint32_t count;
	struct wlab_feature *features;
};

/* linking section (tool-conventions/Linking.md) */
enum wlab_symbol_kind {
	WLAB_SYMTAB_FUNCTION = 0,
	WLAB_SYMTAB_DATA = 1,
	WLAB_SYMTAB_GLOBAL = 2,
	WLAB_SYMTAB_SECTION = 3,
	WLAB_SYMTAB_EVENT = 4,
	WLAB_SYMTAB_TABLE = 5,
};

struct wlab_symbol {
	uint8_t kind;
	uint32_t flags;
	struct wlab_str name;   /* may be empty (imported, no explicit name) */
	bool has_name;
	uint32_t index;         /* function/global/table/event/section index */
	bool defined;           /* data: has segment/offset/size */
	uint32_t segment;
	uint64_t offset, size;
};

struct wlab_segment_info {
	struct wlab_str name;
	uint32_t align_log2;
	uint32_t flags;
};

struct wlab_init_func {
	uint32_t priority;
	uint32_t symbol;
};

struct wlab_comdat_sym {
	uint8_t kind;
	uint32_t index;
};

struct wlab_comdat {
	struct wlab_str name;
	uint32_t flags;
	uint32_t count;
	struct wlab_comdat_sym *syms;
};

struct wlab_linking_subsection {
	uint8_t type;  /* 5 segment info, 6 init funcs, 7 comdat info, 8 symbol table */
	struct wlab_span span;
};

struct wlab_linking {
	uint32_t version;
	uint32_t nsubsections;
	struct wlab_linking_subsection *subsections;
	uint32_t nsymbols;
	struct wlab_symbol *symbols;
	uint32_t nsegments;
	struct wlab_segment_info *segments;
	uint32_t ninit_funcs;
	struct wlab_init_func *init_funcs;
	uint32_t ncomdats;
	struct wlab_comdat *comdats;
};

struct wlab_reloc {
	uint8_t type;       /* R_WASM_* code */
	uint32_t offset;    /* within the target section's payload */
	uint32_t index;
	int64_t addend;
	bool has_addend;
	uint32_t entry_offset;  /* where this entry stands in the file */
};

struct wlab_reloc_section {
	uint32_t section_index;  /* index into wlab_module.sections */
	uint32_t count;
	struct wlab_reloc *relocs;
	uint32_t custom_index;   /* which custom section holds it */
};

struct wlab_dylink_import {
	struct wlab_str module, field;
	uint32_t flags;
};

struct wlab_dylink_export {
	struct wlab_str name;
	uint32_t flags;
};

struct wlab_dylink {
	uint32_t mem_size, mem_align, table_size, table_align;
	uint32_t nneeded;
	struct wlab_str *needed;
	uint32_t nexports;
	struct wlab_dylink_export *exports;
	uint32_t nimports;
	struct wlab_dylink_import *imports;
	bool legacy;  /* the older "dylink" section */
};

/* Code metadata (tool-conventions CodeMetadata.md): a "metadata.code.T"
 * custom section attaches payloads to instructions; T = "branch_hint" is the
 * 3.0 spec's branch hint section (appendix, custom sections), whose payload
 * is one byte, 0 (likely not taken) or 1 (likely taken), on an if or br_if. */
struct wlab_code_meta_item {
	uint32_t offset;        /* of the instruction, from the start of the
				   function's body (its locals, after the size) */
	struct wlab_span data;  /* the payload (its size field not included) */
	uint32_t entry_offset;  /* where the item starts in the file */
};

struct wlab_code_meta_func {
	uint32_t func;          /* function index, imports counted */
	uint32_t count;
	struct wlab_code_meta_item *items;
	struct wlab_span span;  /* the function index to the last item's end */
};

struct wlab_code_meta {
	uint32_t section_index;
	struct wlab_str type;   /* the name after "metadata.code." */
	bool branch_hint;       /* type is "branch_hint" */
	uint32_t nfuncs;
	struct wlab_code_meta_func *funcs;
};

/* ---- the module ---- */

struct wlab_module {
	const uint8_t *bytes;  /* borrowed */
	size_t size;
	uint32_t version;

	uint32_t nsections;
	struct wlab_section *sections;

	uint32_t ntypes;
	struct wlab_functype *types;

	uint32_t nimports;
	struct wlab_import *imports;
	/* How many entries of each index space are imports; imports come first. */
	uint32_t nimported_funcs, nimported_tables, nimported_memories,
		nimported_globals, nimported_tags;

	uint32_t nfuncs;            /* defined functions (function section) */
	uint32_t *func_types;       /* type index of each defined function */
	uint32_t nfunc_decl_offsets;
	uint32_t *func_decl_offsets;  /* offset of each function-section entry */

	uint32_t ntables;
	struct wlab_table *tables;
	uint32_t nmemories;
	struct wlab_memory *memories;
	uint32_t nglobals;
	struct wlab_global *globals;
	uint32_t ntags;
	struct wlab_tag *tags;

	uint32_t nexports;
	struct wlab_export *exports;

	bool has_start;
	uint32_t start;

	uint32_t nelems;
	struct wlab_elem *elems;

	bool has_data_count;
	uint32_t data_count;

	uint32_t ncodes;
	struct wlab_code *codes;

	uint32_t ndatas;
	struct wlab_data *datas;

	/* Custom sections decoded when present (the first of each kind). */
	bool has_names;
	struct wlab_names names;
	bool has_producers;
	struct wlab_producers producers;
	bool has_target_features;
	struct wlab_target_features target_features;
	bool has_linking;
	struct wlab_linking linking;
	uint32_t nreloc_sections;
	struct wlab_reloc_section *reloc_sections;
	bool has_dylink;
	struct wlab_dylink dylink;
	uint32_t ncode_meta;
	struct wlab_code_meta *code_meta;  /* every metadata.code.* section, in file order */

	/* The first error inside a known custom section (name, linking...):
	 * WLAB_MALFORMED where its contents do not decode, WLAB_INVALID where
	 * they break a rule against the module (wlab_code_meta_check: a branch
	 * hint on an instruction other than if or br_if...). It does not fail
	 * decoding: the spec leaves custom contents unchecked. */
	struct wlab_error custom_error;

	/* The features it was decoded with (enum wlab_feature_bit), which the
	 * layout and the tools use to read it again. */
	uint32_t features;
	/* The features wlab_module_validate() last accepted it with, 0 when
	 * it has not or the last validation failed: the one field validation
	 * writes (so do not validate one module from two threads at once),
	 * which wlab_instantiate_validated() trusts. Changing the module
	 * afterwards is the caller's to clear it. */
	uint32_t validated;

	struct wlab_arena *arena;  /* owns every array above */
};

/* Which checks the decoder makes. Zero is the strict, spec-conformant
 * decoder that also walks every instruction of every body. */
enum wlab_decode_flags {
	WLAB_DECODE_SKIP_BODIES = 1u << 0,   /* do not walk instructions */
	WLAB_DECODE_SKIP_CUSTOM = 1u << 1,   /* keep custom sections as bytes */
};

struct wlab_decode_options {
	unsigned flags;         /* enum wlab_decode_flags */
	uint32_t features;      /* enum wlab_feature_bit; 0 = WebAssembly 2.0 */
	size_t max_alloc;       /* cap on the module's allocations; 0 = default */
};

/* Decodes bytes into *out. On failure returns the error's status and still
 * sets *out to the module as far as it was decoded (free it as usual), so
 * tools can show what came before the error. opts may be NULL. */
WLAB_API enum wlab_status wlab_module_decode(const uint8_t *bytes, size_t size,
					     const struct wlab_decode_options *opts,
					     struct wlab_module **out, struct wlab_error *err);

/* Checks the code metadata sections against the module: each section's
 * functions in increasing index order, defined (not imported) ones; each
 * function's items in increasing offset order, each at the first byte of
 * an instruction of its body; one section of each type; and for branch
 * hints a payload of one byte 0 or 1 on an if or br_if. Returns
 * WLAB_INVALID with the first error in err (the file offset of the item
 * or function entry at fault), WLAB_MALFORMED when a hinted body does not
 * decode, WLAB_NOMEM. wlab_module_decode runs it (unless
 * WLAB_DECODE_SKIP_CUSTOM) and keeps its error in m->custom_error. */
WLAB_API enum wlab_status wlab_code_meta_check(const struct wlab_module *m,
					       struct wlab_error *err);

/* wlab_module_free(NULL) does nothing. */
WLAB_API void wlab_module_free(struct wlab_module *m);

/* Reads a whole file into memory the caller frees with free(). */
WLAB_API enum wlab_status wlab_read_file(const char *path, uint8_t **bytes, size_t *size,
					 struct wlab_error *err);

/* Lookups across the index spaces (imports first, then definitions). */
WLAB_API uint32_t wlab_module_func_count(const struct wlab_module *m);
WLAB_API uint32_t wlab_module_table_count(const struct wlab_module *m);
WLAB_API uint32_t wlab_module_memory_count(const struct wlab_module *m);
WLAB_API uint32_t wlab_module_global_count(const struct wlab_module *m);
/* Type index of function funcidx, or UINT32_MAX when out of range. */
WLAB_API uint32_t wlab_module_func_type(const struct wlab_module *m, uint32_t funcidx);
/* The import that defines entry idx of a kind, or NULL for a definition. */
WLAB_API const struct wlab_import *wlab_module_import_of(const struct wlab_module *m,
							 uint8_t kind, uint32_t idx);
/* The export named name (len bytes), or NULL. */
WLAB_API const struct wlab_export *wlab_module_export_named(const struct wlab_module *m,
							    const char *name, size_t len);
/* The name section's name for entry idx of a subsection kind, or NULL. */
WLAB_API const struct wlab_str *wlab_module_name_of(const struct wlab_module *m,
						    uint8_t name_kind, uint32_t idx);
/* The section whose bytes (id byte to payload's end) hold offset, or that
 * ends there (the first, where one ends and the next starts: an error that
 * ran out of bytes is its section's); NULL in the header or past the end.
 * E.g. to say in which custom section m->custom_error was met. */
WLAB_API const struct wlab_section *wlab_module_section_at(const struct wlab_module *m,
							   size_t offset);
/* m->custom_error's message and the custom section it was met in, as the
 * tools warn with it: `MESSAGE (in custom section "NAME")`, in buf (size
 * bytes, cut to fit); "" when there is none. Returns buf. */
WLAB_API const char *wlab_module_custom_error_text(const struct wlab_module *m, char *buf,
						   size_t size);

/* What import im asks for, as "func (i32) -> (i32)", "tag (i32)", "global mut
 * i32", "table funcref 4..", "memory 1..2 shared" (" i64" for 64-bit
 * addresses) into buf (NUL-terminated, truncated to size); returns buf. */
WLAB_API char *wlab_import_type_str(const struct wlab_module *m, const struct wlab_import *im,
				    char *buf, size_t size);
WLAB_API const char *wlab_section_name(uint8_t id);       /* "Type", "Import"... or NULL */
/* "i32", "funcref"... for the one-byte types of valtypes.def, else NULL
 * (wlab_type_str of wlab/types.h names every type). */
WLAB_API const char *wlab_valtype_name(wlab_valtype_t t);
WLAB_API uint8_t wlab_valtype_by_name(const char *name);  /* 0x7f for "i32"...; 0 if none */
WLAB_API const char *wlab_extern_kind_name(uint8_t kind); /* "func", "table"... */

#ifdef __cplusplus
}
#endif

#endif
