/* wat_internal.h: the text parser's shared state: tokens, name tables, the
 * module being built. Private to libwasm/src/wat/ (and the script's reader, script_internal.h). */
#ifndef WAT_INTERNAL_H
#define WAT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wlab/encode.h"
#include "wlab/status.h"
#include "wlab/types.h"

/* WAT_RESERVED: a reserved token (`1x`, `a"b"`), kept only when lexing a
 * script (wat.script), where it fails just the command that holds it. */
enum wat_tk { WAT_EOF, WAT_LPAR, WAT_RPAR, WAT_ATOM, WAT_ID, WAT_STRING, WAT_RESERVED };

struct wat_tok {
	uint8_t kind;       /* enum wat_tk */
	uint32_t off, len;  /* the token's bytes in the text (strings with quotes) */
	uint32_t match;     /* LPAR: the index of its RPAR; a quoted ID $"...": 1 + its
			     * name's offset in wat.ids */
};

/* Index spaces; WAT_SP_LOCAL + n is function n's locals. */
enum wat_space {
	WAT_SP_TYPE, WAT_SP_FUNC, WAT_SP_TABLE, WAT_SP_MEM, WAT_SP_GLOBAL,
	WAT_SP_ELEM, WAT_SP_DATA, WAT_SP_TAG, WAT_SP_LOCAL
};
/* WAT_SP_FIELD + x: the field ids of struct type x (GC). */
#define WAT_SP_FIELD 0x80000000u

struct wat_name {
	uint32_t space;     /* 0 = free slot, else space + 1 */
	const char *id;     /* the id's name (wat_id_bytes) */
	uint32_t len;
	uint32_t index;
};

struct wat_type {
	uint32_t np, nr;    /* a function type's params and results; a struct's
			       fields or an array's element: nr (np 0) */
	uint32_t at;        /* params then results in the type pool (a byte offset
			       to wlab_valtype_t words); fields: (type, mut) pairs */
	uint32_t super_at, nsupers;  /* declared supertypes, in the pool */
	uint8_t form;       /* WLAB_FORM_FUNC, _STRUCT, _ARRAY */
	bool sub, final;    /* written as (sub ...); final */
	uint32_t rec_start, rec_size;  /* its (rec ...): rec_size types from
					  rec_start; rec_size 0: none */
};

struct wat_label {
	const struct wat_tok *id;  /* NULL: no label */
	/* a plain block, loop, if or try_table that wat_instrs opened (it
	 * nests them without recursion): its op, else 0; for an if, where its
	 * else byte went (in_else: the else arm is open) */
	uint16_t plain_op;
	bool in_else;
	size_t else_at;
};

/* A custom section from an (@custom ...) annotation (wat_custom.c). */
struct wat_custom {
	bool after, done;    /* after (else before) its anchor; written */
	uint8_t anchor;      /* a section id; 0 first, 0xff last */
	struct wlab_buf body;  /* the name, then the contents */
};

/* A branch hint annotation (wat_lex.c), placed on the instruction that
 * starts at token tok or after it (wat_instr.c), written by wat_module.c. */
struct wat_hint {
	uint32_t tok;     /* the token after the annotation */
	uint32_t off;     /* the annotation's offset in the text */
	uint32_t func;    /* placed: the function index */
	uint32_t at;      /* placed: offset in the body (in the instructions
			     while the body is parsed) */
	uint8_t value;    /* 0 unlikely, 1 likely */
	bool placed;
};

/* Section ids in output order. */
enum { WAT_NSEC = 14 };

/* Where a module's bytes came from in its text, recorded when a
 * validation error's binary offset asks for its line:column (wat.c's
 * text_place assembles the text again with them): the bytes from `at` on
 * came from text offset `text`. While the module is parsed, `at` is in
 * section buffer wat.sec[sec], or with WAT_POS_BODY in the instructions of
 * the function body being parsed; wat_module() makes every `at` the
 * module's own and sorts them, with a place of text WAT_POS_NONE where
 * each section starts and ends (bytes the places say nothing of). A
 * constant expression outside a body is placed too: in the section buffer
 * it is written to (a global's, a table's initialiser), or with
 * WAT_POS_SCRATCH in the buffer a segment's offset is built in, until it
 * is copied to its section (wat_module.c, scratch_places). */
#define WAT_POS_BODY 0xffu
#define WAT_POS_SCRATCH 0xfeu
#define WAT_POS_NONE UINT32_MAX
struct wat_pos {
	uint32_t text, at;
	uint8_t sec;
};

struct wat {
	const char *text;
	size_t len;
	struct wlab_error *err;
	uint32_t features;              /* multi-memory: memory indices; memory64:
					   i64 limits, offsets up to 2^64-1 */
	bool nomem;
	bool script;                    /* lexing a .wast script: keep reserved tokens */
	bool debug_names;               /* write a name section (WLAB_WAT_DEBUG_NAMES) */
	const struct wat_tok *module_id;  /* (module $id ...): its id, else NULL */
	struct wat_tok *toks;
	size_t ntoks, pos;
	struct wlab_buf ids;            /* names of quoted ids: u32 length, bytes */
	/* names */
	struct wat_name *names;
	size_t nnames, names_cap;
	uint32_t count[WAT_SP_LOCAL];   /* indices given out per space */
	/* types: explicit ones first, implicit ones appended */
	struct wat_type *types;
	uint32_t ntypes, types_cap;
	struct wlab_buf typepool;
	/* the function being parsed */
	uint32_t local_space, nlocals;
	unsigned depth;                 /* folded and block nesting */
	struct wat_label *labels;
	uint32_t nlabels, labels_cap;
	/* the sections being written */
	struct wlab_buf sec[WAT_NSEC];
	uint32_t nsec[WAT_NSEC];
	bool need_datacount, has_start;
	bool ref_func_table;            /* a table of type (ref func): see elem_write */
	uint32_t ndefs;                 /* func/table/memory/global definitions so far */
	uint16_t *ops_sorted;           /* op indices sorted by name */
	uint32_t nops;
	struct wlab_buf scratch;        /* strings */
	struct wat_custom *customs;     /* (@custom ...) annotations, in text order */
	uint32_t ncustoms, customs_cap;
	struct wat_hint *hints;         /* branch hints, in text order */
	uint32_t nhints, hints_cap;
	uint32_t next_hint;             /* the first not yet placed */
	uint32_t func;                  /* the function whose body is parsed */
	bool in_body;
	uint8_t expr_sec;               /* a constant expression outside a body
					   is written to: a section (S_GLOBAL,
					   S_TABLE) or WAT_POS_SCRATCH; 0 none */
	bool hint_any_target;           /* a script's module: a hint on any
					   instruction is written (wat_hints.c) */
	size_t at_off, at_line, at_col; /* wat_locate's last place (line 0: none yet) */
	bool want_places;               /* record places (text_place) */
	unsigned body_depth;            /* depth of the body's own instructions */
	size_t top_text;                /* the text of the body's last instruction
					   at its top (its end's place, as
					   wat2wasm's); SIZE_MAX: none yet */
	struct wat_pos *places;
	size_t nplaces, places_cap;
};

/* ---- errors (wat.c) ---- */
/* Records a malformed-text error at offset; returns false. */
bool wat_fail(struct wat *w, size_t offset, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;
bool wat_fail_tok(struct wat *w, const char *what);  /* at the current token */
bool wat_oom(struct wat *w);

/* Compiles a module's text (fields, (module ...), binary or quote) like
 * wlab_wat_to_binary_features (features not 0), with err->offset in text
 * and no line:column, for a script: a branch hint on an instruction other
 * than if and br_if is written, not refused (hint_any_target). */
enum wlab_status wat_compile(const char *text, size_t len, uint32_t features, uint8_t **out,
			     size_t *size, struct wlab_error *err);
/* The line and column (from 1) of offset in text. */
void wat_line_col(const char *text, size_t len, size_t offset, size_t *line, size_t *col);
/* The same in w's text, going on from the last place asked for when offset
 * is not before it: a script locates each of its commands (and each error)
 * in one pass over the text, not one pass each. */
void wat_locate(struct wat *w, size_t offset, size_t *line, size_t *col);

/* Records that the bytes from at in section buffer sec (or WAT_POS_BODY)
 * came from text offset text, when w->want_places. Out of memory drops
 * every place (a validation error then has no line:column). */
void wat_place(struct wat *w, unsigned sec, size_t at, size_t text);
/* An instruction's (or end's) bytes from at in the body being parsed, or
 * in the constant expression being parsed (expr_sec). */
static inline void wat_place_instr(struct wat *w, size_t at, size_t text)
{
	if (w->want_places && (w->in_body || w->expr_sec))
		wat_place(w, w->in_body ? WAT_POS_BODY : w->expr_sec, at, text);
}

/* When places are recorded, notes the text of an instruction that starts
 * at the body's top (depth: w->depth outside its parentheses): the last
 * one is where the body's end is placed. */
static inline void wat_note_top(struct wat *w, unsigned depth, size_t text)
{
	if (w->want_places && w->in_body && depth == w->body_depth && w->nlabels == 0)
		w->top_text = text;
}

/* ---- tokens (wat_lex.c) ---- */
bool wat_lex(struct wat *w);
static inline const struct wat_tok *wat_peek(const struct wat *w, size_t k)
{
	size_t i = w->pos + k;
	return &w->toks[i < w->ntoks ? i : w->ntoks - 1];
}
bool wat_tok_is(const struct wat *w, const struct wat_tok *t, const char *kw);
/* The name an ID token stands for: the text after '$', or the decoded
 * string of a quoted id $"..." ($"a" and $a are the same id). */
const char *wat_id_bytes(const struct wat *w, const struct wat_tok *t, uint32_t *len);
bool wat_same_id(const struct wat *w, const struct wat_tok *a, const struct wat_tok *b);
bool wat_at_kw(const struct wat *w, const char *kw);       /* ATOM kw next */
bool wat_at_lpar_kw(const struct wat *w, const char *kw);  /* ( kw next */
bool wat_expect_kw(struct wat *w, const char *kw);
bool wat_expect_lpar_kw(struct wat *w, const char *kw);
bool wat_expect_rpar(struct wat *w);
/* Decodes a string token's bytes into out (appended). */
bool wat_string(struct wat *w, const struct wat_tok *t, struct wlab_buf *out);
/* A name: a string that is valid UTF-8, written as a wasm name to out. */
bool wat_name(struct wat *w, struct wlab_buf *out);

/* ---- numbers (wat_num.c) ---- */
/* An unsigned integer of at most max. */
bool wat_nat(struct wat *w, const struct wat_tok *t, uint64_t max, uint64_t *v);
bool wat_is_nat(const struct wat *w, const struct wat_tok *t);
/* A signed or unsigned integer of bits (32 or 64), or 8/16 for lanes. */
bool wat_int(struct wat *w, const struct wat_tok *t, unsigned bits, uint64_t *v);
bool wat_f32(struct wat *w, const struct wat_tok *t, uint32_t *bits);
bool wat_f64(struct wat *w, const struct wat_tok *t, uint64_t *bits);

/* ---- names and types (wat_module.c) ---- */
bool wat_bind(struct wat *w, uint32_t space, const struct wat_tok *id, uint32_t index);
/* An index: a number, or an id bound in space. Consumes one token. */
bool wat_index(struct wat *w, uint32_t space, uint32_t *index);
/* A value type at the cursor (a keyword or `(ref null? ht)`), consumed. */
bool wat_valtype(struct wat *w, wlab_valtype_t *vt);
/* The same, which must be a reference type. */
bool wat_reftype(struct wat *w, wlab_valtype_t *rt);
/* Whether a reference type starts at the cursor. */
bool wat_at_reftype(const struct wat *w);
/* A heap type (an abstract one's name, or a type index or id), consumed. */
bool wat_heaptype(struct wat *w, wlab_heaptype_t *h);
/* Type lists (sig params and results, the type pool, locals) hold
 * wlab_valtype_t words: append one, read the i-th. */
void wat_put_type(struct wlab_buf *b, wlab_valtype_t t);
wlab_valtype_t wat_type_at(const struct wlab_buf *b, size_t i);
/* A type use: (type x)? (param ...)* (result ...)*. */
struct wat_sig {
	bool has_type, inl;  /* (type x) given; params or results given */
	uint32_t x;
	struct wlab_buf p, r;
};
void wat_sig_free(struct wat_sig *s);
/* Parses a type use. ids: 0 ignores param ids, 1 binds them (and counts
 * params as locals of the current function), 2 rejects them. */
bool wat_sig_parse(struct wat *w, struct wat_sig *s, int ids);
/* The type index: (type x) checked against the inline form, else the first
 * equal type, appended when there is none. *np: its param count. */
bool wat_sig_resolve(struct wat *w, struct wat_sig *s, size_t off, uint32_t *typeidx, uint32_t *np);
/* A known type's params and results (NULL when x is out of range). */
const struct wat_type *wat_type_get(const struct wat *w, uint32_t x);
/* Appends an explicit (type (func ...)). */
bool wat_type_define(struct wat *w, const struct wat_sig *s);
/* Appends a type whose words (supertypes, then params and results or
 * fields) are in pool words [from, from + n) (wat_types.c); *x its index. */
bool wat_type_push(struct wat *w, struct wat_type *t, uint32_t *x);
/* ---- type definitions (wat_types.c) ---- */
/* After `(type`: a type definition up to its `)`, appended (pass 1). */
bool wat_typedef(struct wat *w);
/* After `(rec`: its type definitions up to the `)` (GC). */
bool wat_rec(struct wat *w);
/* Binds the ids of a `(type ...)` or `(rec ...)` field at the cursor,
 * types counted from *n; moves past it. */
bool wat_bind_typedef(struct wat *w, uint32_t *n);
/* Writes the type section's payload (rec groups) to b; returns their count. */
uint32_t wat_types_put(struct wat *w, struct wlab_buf *b);

/* ---- instructions (wat_instr.c) ---- */
bool wat_ops_init(struct wat *w);
/* Instructions up to a `)`, `end` or `else` (not consumed). */
bool wat_instrs(struct wat *w, struct wlab_buf *b);
/* A constant expression up to `)`, with its `end`. */
bool wat_expr(struct wat *w, struct wlab_buf *b);
/* One folded instruction `( ... )`, without an `end`. */
bool wat_folded(struct wat *w, struct wlab_buf *b);

/* ---- branch hints (wat_hints.c) ---- */
#define WAT_HINT_PLACEMENT \
	"@metadata.code.branch_hint annotation: invalid placement (not right before an " \
	"instruction)"
/* The hint for the instruction starting at the cursor (a token, or the `(`
 * of a folded one) into *h, NULL when none was annotated right before it.
 * Only in a function body. False (malformed) when the next hint stands
 * before an earlier token, one that starts no instruction. */
bool wat_hint_take(struct wat *w, struct wat_hint **h);
/* After the instruction h was placed on is written to b: false (malformed)
 * when it is not an if or a br_if, unless w->hint_any_target. h may be
 * NULL. */
bool wat_hint_target(struct wat *w, const struct wat_hint *h, const struct wlab_buf *b);
/* Places h at offset `at` of the instructions being written (b->size just
 * before the opcode); h may be NULL. */
static inline void wat_hint_place(struct wat *w, struct wat_hint *h, size_t at)
{
	if (h) {
		h->func = w->func;
		h->at = (uint32_t)at;
		h->placed = true;
	}
}
/* Shifts the hints of the body just parsed past its locals (n bytes). */
void wat_hints_shift(struct wat *w, uint32_t n);
/* Fails on a hint no instruction took; else writes the branch hint section
 * ("metadata.code.branch_hint", before the code section) to m when any. */
bool wat_hints_put(struct wat *w, struct wlab_buf *m);

/* ---- custom annotations (wat_custom.c) ---- */
/* An (@custom ...) field at the cursor: skipped in the first pass (emit
 * false), recorded in the second. */
bool wat_custom_field(struct wat *w, bool emit);
/* Writes the custom sections placed before (after false) or after section
 * sec, or with rest every one not yet written, to the module m. */
void wat_custom_put(struct wat *w, struct wlab_buf *m, uint8_t sec, bool after, bool rest);
void wat_custom_free(struct wat *w);

/* ---- the name section (wat_name_section.c) ---- */
/* Appends the "name" custom section of the ids bound (w->names) to m. */
bool wat_names_put(struct wat *w, struct wlab_buf *m);

/* ---- module (wat_module.c) ---- */
bool wat_module(struct wat *w, uint8_t **out, size_t *size);

#endif
