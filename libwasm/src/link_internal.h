/* link_internal.h: the linker's shared state, between planning (link.c),
 * laying out index spaces (link_layout.c), building the module
 * (link_build.c, link_code.c, link_custom.c) and its byte buffer. */
#ifndef WLAB_LINK_INTERNAL_H
#define WLAB_LINK_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "wlab/link.h"

#define LINK_NKINDS 5  /* func, table, memory, global, tag: enum wlab_extern_kind */
#define LINK_NONE UINT32_MAX

/* A growable byte buffer; spans are offsets into it, so it may move. */
struct link_buf {
	uint8_t *data;
	size_t len, cap;
	bool failed;
};

void link_buf_bytes(struct link_buf *b, const void *p, size_t n);
void link_buf_u8(struct link_buf *b, uint8_t v);
void link_buf_uleb(struct link_buf *b, uint64_t v);
void link_buf_sleb(struct link_buf *b, int64_t v);

struct link_canon;

/* One import of the output (kept imports, merged when identical). */
struct link_out_import {
	uint32_t input, import;  /* the first input import it stands for */
};

/* One function or global the linker makes itself. */
struct link_synth {
	uint32_t row;       /* plan row it satisfies (stubs), or LINK_NONE */
	uint32_t type;      /* output type index (functions) */
};

struct link_ctx {
	const struct wlab_link_input *in;
	uint32_t n;
	struct wlab_link_options opts;
	struct wlab_link_result *res;
	struct wlab_link_error *err;
	uint32_t features;

	uint32_t *row_base;   /* first plan row of each input */
	uint8_t *state;       /* per row: 0 new, 1 resolving, 2 done */
	uint32_t *term;       /* per row: the row it finally stands for (itself
				 unless it forwards through a re-export) */

	/* Output index of each entry of each input's index spaces. */
	uint32_t *map[LINK_NKINDS];   /* map[kind][space_base[kind][i] + idx] */
	uint32_t *space_base[LINK_NKINDS];
	uint32_t *type_map, *type_base;
	uint32_t *elem_base, *data_base;

	/* The output's index spaces. */
	uint32_t nout_imports;
	struct link_out_import *out_imports;
	uint32_t nimp[LINK_NKINDS];       /* kept imports of each kind */
	uint32_t def_base[LINK_NKINDS];   /* first output index of each kind's definitions */
	uint32_t ndef[LINK_NKINDS];       /* defined entries of each kind, all inputs */
	uint32_t nstub_funcs, nstub_globals;
	struct link_synth *stub_funcs, *stub_globals;
	bool has_start_wrapper;
	uint32_t start_wrapper;           /* output function index */
	struct link_canon *canon;  /* the inputs' types as one list (link_canon.c) */
	uint32_t ntypes;
	const struct wlab_functype **types;  /* output types (copies in arena) */
	uint32_t start_type;               /* the start wrapper's (func) */

	struct wlab_arena *arena;   /* the output module's arena */
	struct link_buf buf;        /* the output module's bytes */
	struct wlab_module *out;
	uint32_t *global_init;      /* per output defined global: 0 todo, 1 busy, 2 done */
};

/* link.c */
enum wlab_status link_fail(struct link_ctx *c, enum wlab_status st, uint32_t input,
			   size_t offset, const char *msg, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 6, 7)))
#endif
	;
void link_warn(struct link_ctx *c, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;
const char *link_input_label(const struct link_ctx *c, uint32_t i);
bool link_str_eq(struct wlab_str a, const char *s);
uint32_t link_hash_bytes(uint32_t h, const uint8_t *p, size_t n);  /* FNV-1a; h0 = 2166136261 */
bool link_strs_eq(struct wlab_str a, struct wlab_str b);
struct wlab_str link_str_copy(struct link_ctx *c, struct wlab_str s);
uint32_t link_kind_count(const struct wlab_module *m, uint8_t kind);
uint32_t link_kind_imported(const struct wlab_module *m, uint8_t kind);

/* link_types.c */
const char *link_vt(wlab_valtype_t code);  /* "i32"..., or "?" */
/* Type t of input i in the output module: a concrete heap type's index
 * remapped through type_map (filled by then). */
wlab_valtype_t link_map_vt(const struct link_ctx *c, uint32_t i, wlab_valtype_t t);
/* Writes a heap type (s33) or a value type (a byte, or 0x63/0x64 and a heap type). */
void link_put_heap(struct link_buf *b, wlab_heaptype_t h);
void link_put_valtype(struct link_buf *b, wlab_valtype_t t);
const struct wlab_functype *link_type_at(const struct wlab_module *m, uint32_t t);  /* or NULL */
/* For a message on an import of a type that names GC types by index:
 * "; IMPORTER's type 0 is (struct (field i64)), PROVIDER's type 0 is ...",
 * each module's first type named directly; "" when neither names one. */
char *link_named_types(const char *iname, const struct wlab_module *im,
		       const struct wlab_import *imp, const char *pname,
		       const struct wlab_module *pm, const struct wlab_export *ex, char *buf,
		       size_t size);
/* The spec's import matching of imp (of input i) against ex (of input j):
 * GC types by iso-recursive equivalence and declared subtyping. */
bool link_import_matches(const struct link_ctx *c, uint32_t i, const struct wlab_import *imp,
			 uint32_t j, const struct wlab_export *ex);

/* link_canon.c: every input's types as one list (input i's type t is
 * type_base[i] + t there), canonicalised by the validator's iso-recursive
 * equivalence; val_subtype over it compares types of two inputs. */
enum wlab_status link_canon_init(struct link_ctx *c);  /* fills type_base too */
void link_canon_fini(struct link_ctx *c);
/* Input i's type index t, or value type v, in the list's indices (an index
 * out of range: one beyond the list, equal to nothing). */
uint32_t link_canon_index(const struct link_ctx *c, uint32_t i, uint32_t t);
wlab_valtype_t link_canon_vt(const struct link_ctx *c, uint32_t i, wlab_valtype_t v);
uint32_t link_canon_of(const struct link_ctx *c, uint32_t x);  /* first type equal to x */
const struct wlab_functype *link_canon_type(const struct link_ctx *c, uint32_t x);  /* or NULL */
/* Value type a of input ia <: b of input ib; type index a <: type index b. */
bool link_canon_sub(const struct link_ctx *c, uint32_t ia, wlab_valtype_t a, uint32_t ib,
		    wlab_valtype_t b);
bool link_canon_typeidx_sub(const struct link_ctx *c, uint32_t ia, uint32_t a, uint32_t ib,
			    uint32_t b);

/* link_layout.c: output index spaces and the maps into them. */
enum wlab_status link_layout(struct link_ctx *c);

/* link_build.c */
enum wlab_status link_build(struct link_ctx *c);

/* link_code.c: rewriting instructions. const_expr: inline the definitions
 * of fused immutable globals that global.get reads (2.0 constant
 * expressions may only read imported globals). Appends to c->buf. */
enum wlab_status link_rewrite_expr(struct link_ctx *c, uint32_t input, struct wlab_span span,
				   bool const_expr);
enum wlab_status link_global_init(struct link_ctx *c, uint32_t out_global);

/* link_custom.c: name, producers, target_features, other custom sections. */
enum wlab_status link_customs(struct link_ctx *c);

#endif
