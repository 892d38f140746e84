/* wat_print_internal.h: the text printer's state, shared by wat_print*.c. */
#ifndef WLAB_WAT_PRINT_INTERNAL_H
#define WLAB_WAT_PRINT_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "wlab/encode.h"
#include "wlab/instr.h"
#include "wlab/watprint.h"

/* The index spaces that carry names, in the printer's own order. */
enum wp_space {
	WP_FUNC, WP_TYPE, WP_TABLE, WP_MEMORY, WP_GLOBAL, WP_ELEM, WP_DATA, WP_TAG,
	WP_NSPACES
};

/* The names of one index space: NUL-terminated "$name" strings or NULL. */
struct wp_names {
	uint32_t count;
	char **name;
};

struct fold;

/* A label open in the code, named when WLAB_WAT_GENERATE_NAMES: "$B3" (a
 * block; $L a loop, $I an if, $T a try or try_table), 3 the blocks the
 * function opened before it. */
struct wp_label {
	uint32_t ord;
	uint32_t arity;  /* values a branch to it carries (the folder's count) */
	char prefix;
};

struct wp {
	const struct wlab_module *m;
	unsigned flags;              /* enum wlab_wat_print_flags */
	struct wlab_buf *out;
	struct wlab_error *err;
	struct wp_names names[WP_NSPACES];
	char *module_name;           /* "$name" or NULL */
	struct wp_names locals;      /* of the function being printed */
	struct wp_names *fields;     /* per type: its struct fields' names, or NULL */
	uint32_t depth;              /* label depth inside the function */
	struct wp_label *labels;     /* WLAB_WAT_GENERATE_NAMES: the code's open labels */
	uint32_t nlabels, caplabels;
	uint32_t nblocks;            /* blocks the function opened so far */
	bool indices;                /* wp_ref writes indices, not names */
	/* WLAB_WAT_INLINE_EXPORTS: the exports of each kind's entry idx, as
	   export indices: first[kind][idx], then next[export], UINT32_MAX ends */
	uint32_t *export_first[5], *export_next;
	uint32_t indent;             /* spaces */
	uint8_t natural[WLAB_OP_COUNT];  /* wlab_op_natural_align of each op */
	uint8_t namelen[WLAB_OP_COUNT];  /* strlen of each op's name */
	struct wlab_instr_iter it;   /* scratch reused by every body */
	struct fold *fold;           /* the folder's buffers (wat_print_fold.c) */
	/* the branch hints printed as annotations (wat_print_hints.c) */
	const struct wlab_code_meta *hints;          /* their section, or NULL */
	const struct wlab_code_meta_func *hint_func; /* the function's, or NULL */
	uint32_t hint_base;                          /* its body's file offset */
	/* wlab_wat_print_to's writer: out is handed to it whenever it fills */
	wlab_wat_write_fn sink;
	void *sink_ctx;
	bool sink_failed;
};

/* out is full: hands it to the sink, if any, then appends s (n bytes). */
void wp_spill(struct wp *p, const void *s, size_t n);

/* Appends n bytes: in place while they fit, else through the buffer's grower. */
static inline void wp_write(struct wp *p, const char *s, size_t n)
{
	struct wlab_buf *b = p->out;
	if (b->cap - b->size >= n) {
		memcpy(b->data + b->size, s, n);
		b->size += n;
	} else {
		wp_spill(p, s, n);
	}
}
static inline void wp_puts(struct wp *p, const char *s)
{
	wp_write(p, s, strlen(s));
}
static inline void wp_putc(struct wp *p, char c)
{
	struct wlab_buf *b = p->out;
	if (b->size < b->cap)
		b->data[b->size++] = (uint8_t)c;
	else
		wp_spill(p, &c, 1);
}
void wp_u64(struct wp *p, uint64_t v);
void wp_s64(struct wp *p, int64_t v);
/* A newline and the current indentation. */
void wp_newline(struct wp *p);
/* A quoted string with wasm2wat's escapes (\hh for bytes outside printable ASCII, \" \\ as \22 \5c). */
void wp_string(struct wp *p, const uint8_t *s, uint32_t len);

/* Points the iterator at span, keeping its scratch buffers. */
void wp_iter(struct wp *p, struct wlab_span span, struct wlab_error *err);

/* Names (wat_print_names.c). */
enum wlab_status wp_names_init(struct wp *p);
void wp_names_free(struct wp *p);
/* The local names of defined-or-imported function funcidx (nlocals: params + locals;
 * generated ones: $p0 for the first nparams, $l1 for the rest). */
enum wlab_status wp_locals_init(struct wp *p, uint32_t funcidx, uint32_t nparams,
				uint64_t nlocals);
void wp_locals_free(struct wp *p);
/* A use: "$name" or the index. */
void wp_ref(struct wp *p, enum wp_space s, uint32_t idx);
void wp_local_ref(struct wp *p, uint32_t idx);
/* Field fieldidx of type typeidx: "$name" (name section subsection 10) or the index. */
void wp_field_ref(struct wp *p, uint32_t typeidx, uint32_t fieldidx);
/* A field's definition: " $name" or nothing. */
void wp_field_def(struct wp *p, uint32_t typeidx, uint32_t fieldidx);
/* A definition: " $name" or " (;N;)". */
void wp_def(struct wp *p, enum wp_space s, uint32_t idx);

/* Types (wat_print.c). */
void wp_valtype(struct wp *p, wlab_valtype_t t);
void wp_heaptype(struct wp *p, wlab_heaptype_t h);
/* " (param a b) (result c)" of type typeidx. */
void wp_sig(struct wp *p, uint32_t typeidx);
void wp_types(struct wp *p, const char *kw, uint32_t n, const wlab_valtype_t *t);

/* Numbers (wat_print_num.c): wasm2wat's hex floats, with their %g value as
 * a comment: "0x1.5p+3 (;=10.5;)". */
void wp_f32(struct wp *p, uint32_t bits);
void wp_f64(struct wp *p, uint64_t bits);

/* Code (wat_print_code.c). */
enum wlab_status wp_func(struct wp *p, uint32_t defidx);
/* A constant expression as (instr) (instr)... without its end. */
enum wlab_status wp_const_expr(struct wp *p, struct wlab_expr e);
/* One instruction's name and immediates, no newline. */
void wp_instr(struct wp *p, const struct wlab_instr *in);
/* A block's opening instruction: its name, its label's name $B<ord> when
 * names are generated, its type. */
void wp_block_instr(struct wp *p, const struct wlab_instr *in, uint32_t ord);
/* Opens the label of block op in the code (when names are generated); false
 * when there was no memory for it. */
bool wp_label_push(struct wp *p, uint16_t op, uint32_t ord, uint32_t arity);
void wp_label_pop(struct wp *p);
/* Inline exports (wat_print.c): (export "name") of each export of entry idx
 * of kind (enum wlab_extern_kind) printed inside its field. */
void wp_inline_exports(struct wp *p, uint8_t kind, uint32_t idx);
enum wlab_status wp_flat_body(struct wp *p, struct wlab_span expr);
/* Branch hints (wat_print_hints.c): p->hints, the branch hint section
 * when WLAB_WAT_CUSTOM is set and the parser would write the same bytes
 * from annotations (else customs() prints it as bytes); the hints of
 * function funcidx; the annotation of the instruction at file offset off,
 * printed when it has one (true). */
void wp_hints_init(struct wp *p);
void wp_hints_func(struct wp *p, uint32_t funcidx, const struct wlab_code *c);
bool wp_hint(struct wp *p, uint32_t off);
/* Folded bodies (wat_print_fold.c). */
enum wlab_status wp_fold_body(struct wp *p, uint32_t funcidx, struct wlab_span expr);
void wp_fold_free(struct wp *p);

#endif
