/* layout_internal.h: the tree builder shared by layout*.c.
 *
 * The builder owns one cursor. Every leaf covers the bytes the cursor moved
 * over since the leaf's first byte, and interior nodes open and close at the
 * cursor, so the leaves tile what was read by construction. */
#ifndef WLAB_LAYOUT_INTERNAL_H
#define WLAB_LAYOUT_INTERNAL_H

#include "wlab/instr.h"
#include "wlab/layout.h"
#include "wlab/reader.h"

#define LB_MAX_DEPTH 16

struct lb {
	struct wlab_layout *L;
	const struct wlab_module *m;
	struct wlab_reader *r;       /* the cursor; a sub-reader inside a section */
	uint32_t stack[LB_MAX_DEPTH];
	uint32_t depth;              /* open nodes */
	uint32_t cap;                /* of L->nodes */
	bool nomem;
	struct wlab_error err;       /* the layout's own first error */
	uint32_t features;
	unsigned flags;              /* enum wlab_layout_flags */
	uint32_t max_depth;          /* nodes deeper are not stored */
	uint32_t focus_lo, focus_hi; /* with WLAB_LAYOUT_NO_INSTRS: bodies that hold
					bytes [lo, hi) get their instructions */
	uint32_t focus_err;          /* and, when focused, the body that holds the
					decoder's error (UINT32_MAX: none) */
	const char **fnames;         /* display name per function, NULL: none */
	uint32_t nfnames;
};

static inline uint32_t lb_pos(const struct lb *b)
{
	return (uint32_t)wlab_reader_offset(b->r);
}

/* Node creation. Each returns the node index, or UINT32_MAX out of memory. */
uint32_t lb_open(struct lb *b, const char *kind, const char *label);
void lb_close(struct lb *b);
/* A leaf over [at, cursor). */
uint32_t lb_leaf(struct lb *b, uint32_t at, const char *kind, const char *label);
void lb_set_uint(struct lb *b, uint32_t node, uint64_t v);
void lb_set_sint(struct lb *b, uint32_t node, int64_t v);
void lb_set_text(struct lb *b, uint32_t node, const char *text);

/* Strings that live as long as the layout. */
const char *lb_fmt(struct lb *b, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;
const char *lb_str(struct lb *b, const uint8_t *p, uint32_t len);

/* Reads one field and adds its leaf; WLAB_MALFORMED or WLAB_NOMEM stop the walk. */
enum wlab_status lb_u32(struct lb *b, const char *kind, const char *label, uint32_t *out);
enum wlab_status lb_u64(struct lb *b, const char *label, uint64_t *out);
enum wlab_status lb_s32(struct lb *b, const char *label, int32_t *out);
enum wlab_status lb_s64(struct lb *b, const char *label, int64_t *out);
enum wlab_status lb_byte(struct lb *b, const char *kind, const char *label, uint8_t *out);
enum wlab_status lb_raw(struct lb *b, uint32_t n, const char *kind, const char *label);
enum wlab_status lb_valtype(struct lb *b, const char *label);
enum wlab_status lb_heaptype(struct lb *b, const char *label);
/* A name: its length LEB128 and its bytes, one node with two leaves. */
enum wlab_status lb_name(struct lb *b, const char *label, const uint8_t **p, uint32_t *len);
enum wlab_status lb_limits(struct lb *b);
/* The rest of the current reader as one leaf (nothing when empty). */
enum wlab_status lb_rest(struct lb *b, const char *kind, const char *label);
/* A failure at the cursor that is not a reader's ("malformed section id"). */
enum wlab_status lb_fail(struct lb *b, uint32_t at, const char *msg);

/* layout_names.c: fills b->fnames once (names like wlab_layout_func_name(),
 * in time linear in the module); WLAB_NOMEM when out of memory. */
enum wlab_status lb_func_names(struct lb *b);
static inline const char *lb_func_name(const struct lb *b, uint32_t f)
{
	return f < b->nfnames ? b->fnames[f] : NULL;
}

/* layout_sections.c: one section's payload, the cursor at its first byte. */
enum wlab_status lb_section_payload(struct lb *b, uint8_t id);
/* layout_code.c */
enum wlab_status lb_code_section(struct lb *b);
/* A constant expression up to its end opcode, as one "expr" node. */
enum wlab_status lb_expr(struct lb *b, const char *label);
/* layout_custom.c: a custom section's name and content. */
enum wlab_status lb_custom_section(struct lb *b);
/* layout_custom_tc.c: the content of "producers", "target_features",
 * "linking", "reloc.*", "dylink.0" and "dylink"; *known is false (and nothing
 * read) for other names. Stops with WLAB_MALFORMED at a field that does not parse. */
enum wlab_status lb_custom_tool(struct lb *b, const uint8_t *name, uint32_t len, bool *known);

#endif
