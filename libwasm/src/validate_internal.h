/* validate_internal.h: the validator's state, shared by validate*.c, and the
 * per-function walk (struct val_func) that the interpreter's translator
 * drives too, reading the control frames after each step. */
#ifndef WLAB_VALIDATE_INTERNAL_H
#define WLAB_VALIDATE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wlab/instr.h"
#include "wlab/module.h"
#include "wlab/validate.h"

struct val_func;

/* The type of a value popped from the polymorphic stack of dead code. */
#define VAL_UNKNOWN 0

/* ---- stack signatures of the simple instructions (validate_sig.c) ---- */

enum val_sig_kind {
	VAL_SIG_UNSET = 0,  /* not derived yet */
	VAL_SIG_SPECIAL,    /* typed by hand: control, variables, tables, calls... */
	VAL_SIG_PLAIN,      /* pops and pushes fixed types, nothing else to check */
	VAL_SIG_MEMORY,     /* also a memarg: memory index and alignment (and lane) */
	VAL_SIG_LANE,       /* also lane immediates below lanes */
};

struct val_sig {
	uint8_t kind;     /* enum val_sig_kind */
	uint8_t npop, npush;
	uint8_t pop[3];   /* bottom of the stack first */
	uint8_t push;
	uint8_t align;    /* VAL_SIG_MEMORY: log2 of the natural alignment */
	bool atomic;      /* VAL_SIG_MEMORY: the alignment must equal align */
	uint8_t lanes;    /* lane immediates must be below this; 0 = none */
};

/* The stack signature of op, derived from its spec name in wlab/opcodes.def
 * ("i32.add" is a binary operator on i32, "f64.convert_i32_s" converts from
 * i32...), so the opcode table stays the one place an instruction is named.
 * Control and other irregular instructions come out VAL_SIG_SPECIAL. */
void val_sig_derive(uint16_t op, struct val_sig *out);

/* ---- the module being validated (validate.c) ---- */

struct val_module {
	const struct wlab_module *m;
	uint32_t features;
	struct wlab_validate_error *err;
	uint32_t func;         /* the body being checked, or UINT32_MAX */
	uint32_t nfuncs, ntables, nmemories, nglobals;  /* imports included */
	uint32_t nconst_globals;  /* globals a constant expression may read */
	const struct wlab_import **imports;  /* by kind, then kind_index: funcs,
						tables, memories, globals */
	uint8_t *declared;     /* a bit per function: ref.func may name it */
	uint32_t *canon;       /* per type: the first type index equal to it */
	uint32_t *depth, *jump;  /* per type: declared supertypes above it, and a
				    jump pointer up its chain (validate_rec.c) */
	size_t max_alloc, allocated;
	struct val_sig sigs[WLAB_OP_COUNT];  /* derived on first use */
};

/* Sets up the context of m: index spaces and declared function references.
 * Clears *err. Release with val_module_fini() whatever this returned. */
enum wlab_status val_module_init(struct val_module *vm, const struct wlab_module *m,
				 const struct wlab_validate_options *opts,
				 struct wlab_validate_error *err);
void val_module_fini(struct val_module *vm);

/* Records an invalid-module error at offset; returns WLAB_INVALID. */
enum wlab_status val_fail(struct val_module *vm, size_t offset, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;
/* Grows *p (elements of size) to hold need, charging max_alloc. */
enum wlab_status val_grow(struct val_module *vm, void **p, uint32_t *cap, size_t size,
			  uint64_t need, size_t offset);
void val_release(struct val_module *vm, void *p, uint32_t cap, size_t size);

/* Index-space lookups; NULL when idx is out of range. */
const struct wlab_functype *val_func_type(const struct val_module *vm, uint32_t funcidx);
/* The type index of function funcidx; UINT32_MAX when out of range. */
uint32_t val_func_typeidx(const struct val_module *vm, uint32_t funcidx);
const struct wlab_tabletype *val_table(const struct val_module *vm, uint32_t idx);
const struct wlab_limits *val_memory(const struct val_module *vm, uint32_t idx);
const struct wlab_globaltype *val_global(const struct val_module *vm, uint32_t idx);
static inline bool val_declared(const struct val_module *vm, uint32_t funcidx)
{
	return vm->declared[funcidx / 8] & (1u << (funcidx % 8));
}
static inline const struct val_sig *val_sig(struct val_module *vm, uint16_t op)
{
	if (vm->sigs[op].kind == VAL_SIG_UNSET)
		val_sig_derive(op, &vm->sigs[op]);
	return &vm->sigs[op];
}
/* The address type of limits: i64 for a 64-bit memory or table, else i32. */
static inline wlab_valtype_t val_addr_type(const struct wlab_limits *l)
{
	return l->is64 ? WLAB_I64 : WLAB_I32;
}
/* A one-element list holding valtype t, or NULL when t is no valtype. */
/* A one-element list holding a 2.0 valtype t (static), or NULL. */
const wlab_valtype_t *val_one_type(wlab_valtype_t t);
/* Heap and value subtyping of 3.0 (a <: b) within vm's module; VAL_UNKNOWN
 * matches anything. Concrete types compare by their canonical index. */
bool val_subtype(const struct val_module *vm, wlab_valtype_t a, wlab_valtype_t b);
/* The checks a value type written in the module needs: a concrete heap
 * type must name a type ("unknown type"). */
enum wlab_status val_check_type(struct val_module *vm, wlab_valtype_t t, size_t offset);
/* The type of a segment's references: (ref func) for function indices
 * with typed references (funcref in 2.0), else its declared type. */
wlab_valtype_t val_elem_type(const struct val_module *vm, const struct wlab_elem *e);
/* Type index typeidx as a function type: NULL when out of range or of
 * another form (struct, array); val_need_functype says which ("unknown
 * type", "non-function type"). */
const struct wlab_functype *val_functype_at(const struct val_module *vm, uint32_t typeidx);
enum wlab_status val_need_functype(struct val_module *vm, uint32_t typeidx, size_t offset);
/* Fills vm->canon: iso-recursive equivalence of rec groups, and
 * vm->depth and vm->jump for subtype queries (validate_rec.c). */
enum wlab_status val_types_canon(struct val_module *vm);
/* The supertype of concrete type a at depth d (d <= vm->depth[a]), in
 * O(log depth) steps. */
uint32_t val_ancestor(const struct val_module *vm, uint32_t a, uint32_t d);
/* The rules of the type section: indices in range, at most one supertype,
 * declared before the type, not final, matched by the type (validate_rec.c). */
enum wlab_status val_check_types(struct val_module *vm);

/* Exception handling (validate_exn.c): a tag's function type (NULL when
 * idx is out of range), the rules of a tag type, and the typing of throw,
 * throw_ref, try_table and the legacy try instructions (open_block opens
 * a block of in's block type). */
const struct wlab_functype *val_tag_type(const struct val_module *vm, uint32_t idx);
enum wlab_status val_check_tagtype(struct val_module *vm, const struct wlab_tagtype *tt,
				   size_t offset);
enum wlab_status val_exn(struct val_func *vf, const struct wlab_instr *in,
			 enum wlab_status (*open_block)(struct val_func *, const struct wlab_instr *));

/* The GC instructions (validate_gc.c): the 0xfb prefix and ref.eq. */
enum wlab_status val_gc(struct val_func *vf, const struct wlab_instr *in);

/* The module-level rules (validate_module.c). */
enum wlab_status val_check_module(struct val_module *vm, struct val_func *vf);

/* ---- the per-function walk (validate_func.c, validate_stack.c) ---- */

/* A control frame: the function body itself (depth 0, op BLOCK), or a
 * block, loop, if or else. Everything a translator needs to resolve
 * branches: where the block began, its types, the stack height at entry. */
struct val_ctrl {
	uint16_t op;          /* WLAB_OP_BLOCK, LOOP, IF, ELSE, TRY, TRY_TABLE, CATCH or
				 CATCH_ALL (a legacy handler block) */
	bool unreachable;     /* the rest of the block is dead code */
	uint32_t offset;      /* of the instruction that opened it (the body: its first) */
	uint32_t height;      /* value stack height below the block's params */
	uint32_t nparams, nresults;
	const wlab_valtype_t *params, *results;  /* valtype codes */
	uint32_t aux;         /* free for a consumer; 0 when pushed, and an else
				 frame inherits its if's */
	uint32_t inits;       /* the height of the initialised-locals stack at entry */
};

/* A branch to the frame carries its label types: params for a loop, else results. */
static inline uint32_t val_label_arity(const struct val_ctrl *c)
{
	return c->op == WLAB_OP_LOOP ? c->nparams : c->nresults;
}
static inline const wlab_valtype_t *val_label_types(const struct val_ctrl *c)
{
	return c->op == WLAB_OP_LOOP ? c->params : c->results;
}

/* What the last val_func_step did, for a consumer that emits code. */
struct val_step {
	uint32_t height;      /* value stack height before the instruction */
	bool dead;            /* it stood in dead code (after br, return...) */
	wlab_valtype_t type;         /* drop, select: the operand's type; local.*: the
				 local's (VAL_UNKNOWN when dead and unknowable) */
	struct val_ctrl closed;  /* end, else: the frame it closed (stale after
				    other instructions) */
};

/* The most locals whose types val_func_begin lays out one per local. */
enum { VAL_FLAT_LOCALS = 1024 };

struct val_func {
	struct val_module *vm;
	uint32_t funcidx;                 /* UINT32_MAX for constant expressions */
	const struct wlab_functype *type; /* NULL for constant expressions */
	bool const_expr;                  /* only constant instructions allowed */
	uint32_t offset;                  /* of the instruction being checked */
	/* locals beyond the params: those of decls[r] end at local_ends[r],
	 * counted from the first local that is not a param */
	uint32_t ndecls, ends_cap;
	uint64_t *local_ends;
	const struct wlab_local_decl *decls;
	uint64_t nlocals;                 /* params included */
	/* the type of every local, params included, when there are at most
	 * VAL_FLAT_LOCALS (else nflat is 0 and local_ends is searched) */
	wlab_valtype_t *flat;
	uint32_t nflat, flat_cap;
	wlab_valtype_t *vals;                    /* value stack: valtype codes */
	uint32_t nvals, vals_cap;
	struct val_ctrl *ctrls;           /* control stack: [0] is the body */
	uint32_t nctrls, ctrls_cap;
	struct val_step last;
	struct val_chunk *chunks;         /* one-type lists of block types that are
					     no 2.0 valtype; freed per function */
	/* 3.0 local initialisation: when a local is non-defaultable (a
	 * non-null reference), init_bits has a bit per local past the params,
	 * set by local.set/tee; inits lists the locals set since function
	 * entry, so leaving a block clears those set inside it. */
	bool track_inits;
	uint8_t *init_bits;
	uint32_t init_cap;
	uint32_t *inits;
	uint32_t ninits, inits_cap;
	/* a failed pop, for the message when the instruction's operand groups
	 * cannot be told (val_mismatch_pop): what it wanted, and what it found
	 * (pop_had: whether the frame had a value) */
	bool pop_failed, pop_had;
	wlab_valtype_t pop_want, pop_got;
};

/* A one-element list holding t, valid until the next function begins. */
const wlab_valtype_t *val_func_one_type(struct val_func *vf, wlab_valtype_t t);

/* Called after each instruction that validated; a consumer such as the
 * interpreter's translator emits code from vf's state and the instruction
 * (and may set the aux of the frame a block, loop or if just opened). */
struct val_hook {
	enum wlab_status (*after)(void *ctx, struct val_func *vf,
				  const struct wlab_instr *in);
	void *ctx;
};

void val_func_init(struct val_func *vf, struct val_module *vm);
void val_func_fini(struct val_func *vf);
/* Starts the body of defined function funcidx (imports counted). */
enum wlab_status val_func_begin(struct val_func *vf, uint32_t funcidx);
/* Starts a constant expression whose result must be type t. */
enum wlab_status val_func_begin_const(struct val_func *vf, wlab_valtype_t t, uint32_t offset);
/* Types one instruction. The walk is over once vf->nctrls is 0. */
enum wlab_status val_func_step(struct val_func *vf, const struct wlab_instr *in);
/* Steps through every instruction of span, calling hook (may be NULL)
 * after each; fails unless the last instruction closes the body. */
enum wlab_status val_func_walk(struct val_func *vf, struct wlab_span span,
			       const struct val_hook *hook);
/* A constant expression of type t at expr: begin_const, then walk. */
enum wlab_status val_const_expr(struct val_func *vf, const struct wlab_expr *expr, wlab_valtype_t t);

/* The ctrl of a branch depth, or NULL with "unknown label" recorded. */
struct val_ctrl *val_label(struct val_func *vf, uint32_t depth);
/* Instructions other than control and simple ones (validate_instr.c). */
enum wlab_status val_special(struct val_func *vf, const struct wlab_instr *in);

/* Records "type mismatch in OP, expected [..] but got [..]" at vf->offset:
 * what the instruction there expected (the first group of its operands
 * that does not fit, checked again) and what the frame's stack held for
 * it before the instruction (vf->last.height; pops leave the values in
 * vf->vals). Built only on failure, the instruction decoded again
 * (validate_mismatch.c); "type mismatch in OP" when no group can be told
 * apart (GC instructions, br_on_null). */
enum wlab_status val_mismatch(struct val_func *vf);
/* The same from a pop that failed: wanted want, found got (had) or no
 * value; said when the instruction's groups cannot be told (GC ones). */
enum wlab_status val_mismatch_pop(struct val_func *vf, wlab_valtype_t want, bool had,
				  wlab_valtype_t got);
/* The same with lists of the caller's: "type mismatch in WHAT, expected
 * [want] but got [got]" (WHAT NULL: the instruction's name). */
enum wlab_status val_mismatch_types(struct val_func *vf, const char *what,
				    const wlab_valtype_t *want, uint32_t nwant,
				    const wlab_valtype_t *got, uint32_t ngot);
/* Stack primitives, after the spec's appendix algorithm (validate_stack.c).
 * Each records a type mismatch (val_mismatch) on failure. */
enum wlab_status val_push(struct val_func *vf, wlab_valtype_t t);
enum wlab_status val_push_n(struct val_func *vf, const wlab_valtype_t *ts, uint32_t n);
/* Pops one value; expect VAL_UNKNOWN takes any type. *got may be NULL. */
enum wlab_status val_pop(struct val_func *vf, wlab_valtype_t expect, wlab_valtype_t *got);
enum wlab_status val_pop_n(struct val_func *vf, const wlab_valtype_t *ts, uint32_t n);
/* Checks that the top n values match ts without popping them. */
enum wlab_status val_peek_n(struct val_func *vf, const wlab_valtype_t *ts, uint32_t n);
enum wlab_status val_push_ctrl(struct val_func *vf, uint16_t op, uint32_t offset,
			       const wlab_valtype_t *params, uint32_t nparams,
			       const wlab_valtype_t *results, uint32_t nresults);
/* Local initialisation (validate_instr.c): whether local idx may be read;
 * marks it set; forgets the locals set since stack height h. */
bool val_local_ready(const struct val_func *vf, uint32_t idx);
enum wlab_status val_local_mark(struct val_func *vf, uint32_t idx);
void val_locals_reset(struct val_func *vf, uint32_t h);
/* Whether values of type t have a default (numbers, vectors, nullable refs). */
static inline bool val_defaultable(wlab_valtype_t t)
{
	return !wlab_type_is_ref(t) || wlab_ref_nullable(t);
}
/* Checks the frame's results, pops it into *out. */
enum wlab_status val_pop_ctrl(struct val_func *vf, struct val_ctrl *out);
void val_unreachable(struct val_func *vf);

static inline bool val_is_num(wlab_valtype_t t)
{
	return t == WLAB_I32 || t == WLAB_I64 || t == WLAB_F32 || t == WLAB_F64 ||
	       t == VAL_UNKNOWN;
}
static inline bool val_is_vec(wlab_valtype_t t)
{
	return t == WLAB_V128 || t == VAL_UNKNOWN;
}
static inline bool val_is_ref(wlab_valtype_t t)
{
	return wlab_type_is_ref(t) || t == VAL_UNKNOWN;
}

#endif
