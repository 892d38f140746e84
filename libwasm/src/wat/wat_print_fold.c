/* wat_print_fold.c: folded bodies, as `wasm2wat --fold-exprs` prints them.
 *
 * A body is first decoded into its sequences (a block's body is a sequence
 * of its own), then written. Writing a sequence first folds it into trees:
 * walking its instructions in order, each one takes as its operands the
 * trees still open (as many as it pops, if there are that many: else the
 * open trees are closed and it starts alone), and becomes a tree itself;
 * one that pushes nothing closes every open tree. Counting trees rather
 * than values, and `unreachable`, `br` and the like as pushing one, is how
 * wasm2wat folds, so the text matches it; the instructions keep their
 * order either way, so the text always reads back into the same body.
 *
 * A block's body is folded when the block is written, with the labels
 * open at that point, as wasm2wat 1.0.32 does: an `if` opens its label
 * before its condition is written, so the condition's text counts the `if`
 * among its labels (a block there is one deeper, a branch's `(;@N;)` names
 * the label its index reaches in that count, not always its target), and
 * the body of a block there is folded with that count: a branch takes as
 * many operands as the label so named carries. Kept for identical text
 * (docs/wlab-wat.md); the indices are the code's, so it reads back the same.
 * With generated names (WLAB_WAT_GENERATE_NAMES) a branch names its
 * label, the code's (p->labels: an if's label opens at its `then`), and
 * takes the operands that label's arity says, as wasm2wat finds a named
 * label; only a branch to the function's label keeps the count above.
 * A legacy `try` is written unfolded (try ... catch ... end) with folded
 * bodies, and never becomes an operand. */
#include <stdlib.h>

#include "validate_internal.h"
#include "wat_print_internal.h"

#define NONE UINT32_MAX

enum { K_PLAIN, K_BLOCK, K_IF, K_TRY, K_CATCH };

struct fnode {
	uint32_t off;           /* the instruction's file offset */
	uint8_t kind;
	bool branch;            /* K_PLAIN: its arity is its label's (op, label) */
	uint16_t op;
	uint32_t seq;           /* next instruction of its sequence, as decoded */
	uint32_t child;         /* folded: first operand (K_IF: the condition) */
	uint32_t next;          /* folded: next sibling in a list */
	uint32_t body, els;     /* K_BLOCK/K_IF/K_TRY/K_CATCH bodies (sequences, by seq);
				   K_TRY/K_CATCH: els = next catch */
	uint32_t end_off;       /* K_TRY: the delegate instruction, or NONE for end */
	uint32_t nargs, nres;   /* operands it takes, values it leaves (branch: when folded) */
	uint32_t label;         /* branch: its label index; block: its label's arity */
	uint32_t ord;           /* block: the blocks opened before it in the function */
};

struct flabel {
	uint32_t arity;         /* values a branch to it carries */
};

struct fold {
	struct wp *p;
	struct wlab_span expr;
	struct fnode *nodes;
	uint32_t nnodes, capnodes;
	uint32_t *stk;          /* the open trees of the sequence being folded */
	uint32_t top, capstk;
	struct flabel *labels;  /* open when writing; labels[0]: the function's */
	uint32_t nlabels, caplabels;
	uint32_t depth, maxdepth;  /* decoding: block nesting now, deepest */
	uint32_t maxseq;        /* decoding: instructions of the longest sequence */
	uint32_t nblocks;       /* decoding: blocks so far */
	uint32_t func_results;
	struct val_sig sig[WLAB_OP_COUNT];
};

static bool grow(void **arr, uint32_t *cap, uint32_t need, size_t elem)
{
	if (need <= *cap)
		return true;
	uint32_t n = *cap ? *cap * 2 : 64;
	while (n < need)
		n *= 2;
	void *a = realloc(*arr, (size_t)n * elem);
	if (!a)
		return false;
	*arr = a;
	*cap = n;
	return true;
}

static uint32_t new_node(struct fold *f, uint32_t off, uint8_t kind)
{
	if (!grow((void **)&f->nodes, &f->capnodes, f->nnodes + 1, sizeof *f->nodes))
		return NONE;
	struct fnode *n = &f->nodes[f->nnodes];
	n->off = off;
	n->kind = kind;
	n->branch = false;
	n->op = 0;
	n->seq = n->child = n->next = n->body = n->els = n->end_off = NONE;
	n->nargs = n->nres = n->label = 0;
	return f->nnodes++;
}

/* Moves the open trees to the end of list *tail. */
static void flush(struct fold *f, uint32_t *head, uint32_t *tail)
{
	for (uint32_t i = 0; i < f->top; i++) {
		uint32_t n = f->stk[i];
		f->nodes[n].next = NONE;
		if (*tail == NONE)
			*head = n;
		else
			f->nodes[*tail].next = n;
		*tail = n;
	}
	f->top = 0;
}

/* Makes n a tree: its operands are the open trees on
 * top whose values add up to exactly nargs. With too few values n takes
 * none and opens beside them (they may still become operands of a later
 * tree, n among them), as wasm2wat has it; when a multi-value tree would be
 * split, n joins the open trees and all of them are closed. f->stk has room
 * for every instruction of the sequence. */
static void push(struct fold *f, uint32_t n, uint32_t nargs, uint32_t nres, uint32_t *head,
		 uint32_t *tail)
{
	uint32_t first = f->top, sum = 0;
	bool close = false;
	while (first > 0 && sum < nargs)
		sum += f->nodes[f->stk[--first]].nres;
	if (sum == nargs) {
		for (uint32_t i = first; i < f->top; i++)
			f->nodes[f->stk[i]].next = i + 1 < f->top ? f->stk[i + 1] : NONE;
		if (first < f->top)
			f->nodes[n].child = f->stk[first];
		f->top = first;
	} else if (sum > nargs) {
		close = true;
	}
	f->nodes[n].nres = nres;
	f->stk[f->top++] = n;
	if (!nres || close)
		flush(f, head, tail);
}

static uint32_t label_arity(struct fold *f, uint32_t depth)
{
	const struct wp *p = f->p;
	if (depth < p->nlabels)  /* a named label: the code's */
		return p->labels[p->nlabels - 1 - depth].arity;
	return depth < f->nlabels ? f->labels[f->nlabels - 1 - depth].arity : 0;
}

static bool is_branch(uint16_t op)
{
	return op == WLAB_OP_BR || op == WLAB_OP_BR_IF || op == WLAB_OP_BR_TABLE ||
	       op == WLAB_OP_BR_ON_NULL || op == WLAB_OP_BR_ON_NON_NULL ||
	       op == WLAB_OP_BR_ON_CAST || op == WLAB_OP_BR_ON_CAST_FAIL;
}

/* A branch's operands and results, by the arity of the label its index
 * names among the labels open when its sequence is folded (br_table: its
 * default's). */
static void branch_arity(struct fold *f, const struct fnode *nd, uint32_t *nargs, uint32_t *nres)
{
	uint32_t a = label_arity(f, nd->label);
	switch (nd->op) {
	case WLAB_OP_BR: *nargs = a; *nres = 1; break;
	case WLAB_OP_BR_IF: *nargs = a + 1; *nres = a; break;
	case WLAB_OP_BR_TABLE: *nargs = a + 1; *nres = 1; break;
	case WLAB_OP_BR_ON_NULL: case WLAB_OP_BR_ON_NON_NULL: *nargs = *nres = a + 1; break;
	default: *nargs = *nres = a; break;  /* br_on_cast*: the reference is the label's last */
	}
}

static void type_counts(struct fold *f, uint32_t typeidx, uint32_t *np, uint32_t *nr)
{
	const struct wlab_module *m = f->p->m;
	*np = typeidx < m->ntypes ? m->types[typeidx].nparams : 0;
	*nr = typeidx < m->ntypes ? m->types[typeidx].nresults : 0;
}

static void block_counts(struct fold *f, const struct wlab_instr *in, uint32_t *np, uint32_t *nr)
{
	*np = *nr = 0;
	if (wlab_blocktype_is_valtype(in->blocktype))
		*nr = 1;
	else if (!wlab_blocktype_is_empty(in->blocktype))
		type_counts(f, (uint32_t)in->blocktype, np, nr);
}

static uint32_t tag_type(const struct wlab_module *m, uint32_t tag)
{
	if (tag >= m->nimported_tags)
		return m->tags[tag - m->nimported_tags].type.type_index;
	const struct wlab_import *im = wlab_module_import_of(m, WLAB_EXTERN_TAG, tag);
	return im ? im->u.tag.type_index : NONE;
}

/* The GC instructions' operands and results (their results: one or none). */
static void gc_arity(struct fold *f, const struct wlab_instr *in, uint32_t *nargs, uint32_t *nres)
{
	const struct wlab_module *m = f->p->m;
	static const struct { uint16_t op; uint8_t nargs, nres; } fixed[] = {
		{WLAB_OP_STRUCT_NEW_DEFAULT, 0, 1}, {WLAB_OP_STRUCT_SET, 2, 0},
		{WLAB_OP_ARRAY_NEW, 2, 1}, {WLAB_OP_ARRAY_NEW_DATA, 2, 1},
		{WLAB_OP_ARRAY_NEW_ELEM, 2, 1}, {WLAB_OP_ARRAY_GET, 2, 1},
		{WLAB_OP_ARRAY_GET_S, 2, 1}, {WLAB_OP_ARRAY_GET_U, 2, 1}, {WLAB_OP_ARRAY_SET, 3, 0},
		{WLAB_OP_ARRAY_FILL, 4, 0}, {WLAB_OP_ARRAY_COPY, 5, 0},
		{WLAB_OP_ARRAY_INIT_DATA, 4, 0}, {WLAB_OP_ARRAY_INIT_ELEM, 4, 0}, {WLAB_OP_REF_EQ, 2, 1},
	};
	*nargs = *nres = 1;  /* the gets, casts, conversions, i31, array.new_default, len */
	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
		if (fixed[i].op == in->op) {
			*nargs = fixed[i].nargs;
			*nres = fixed[i].nres;
		}
	if (in->op == WLAB_OP_STRUCT_NEW)
		*nargs = in->index < m->ntypes ? m->types[in->index].nfields : 0;
	else if (in->op == WLAB_OP_ARRAY_NEW_FIXED)
		*nargs = in->index2;
}

/* Operands and results of an instruction other than a block or a branch,
 * as trees count them. */
static void arity(struct fold *f, const struct wlab_instr *in, uint32_t *nargs, uint32_t *nres)
{
	const struct wlab_module *m = f->p->m;
	const struct val_sig *s = &f->sig[in->op];
	uint32_t np, nr;
	*nargs = 0;
	*nres = 1;
	if (s->kind != VAL_SIG_SPECIAL) {
		*nargs = s->npop;
		*nres = s->npush;
		return;
	}
	switch (in->op) {
	case WLAB_OP_NOP: case WLAB_OP_DATA_DROP: case WLAB_OP_ELEM_DROP: case WLAB_OP_RETHROW:
		*nres = 0;
		break;
	case WLAB_OP_RETURN: *nargs = f->func_results; break;
	case WLAB_OP_CALL: case WLAB_OP_RETURN_CALL:
		type_counts(f, wlab_module_func_type(m, in->index), nargs, nres);
		break;
	case WLAB_OP_CALL_INDIRECT: case WLAB_OP_RETURN_CALL_INDIRECT:
	case WLAB_OP_CALL_REF: case WLAB_OP_RETURN_CALL_REF:
		type_counts(f, in->index, &np, &nr);
		*nargs = np + 1;
		*nres = nr;
		break;
	case WLAB_OP_THROW:
		type_counts(f, in->index < m->nimported_tags + m->ntags ? tag_type(m, in->index) : NONE,
			    nargs, &nr);
		*nres = 0;
		break;
	case WLAB_OP_THROW_REF: *nargs = 1; *nres = 0; break;
	case WLAB_OP_DROP: case WLAB_OP_LOCAL_SET: case WLAB_OP_GLOBAL_SET:
		*nargs = 1;
		*nres = 0;
		break;
	case WLAB_OP_SELECT: case WLAB_OP_SELECT_T: *nargs = 3; break;
	case WLAB_OP_LOCAL_TEE: case WLAB_OP_TABLE_GET: case WLAB_OP_MEMORY_GROW:
	case WLAB_OP_REF_IS_NULL: case WLAB_OP_REF_AS_NON_NULL:
		*nargs = 1;
		break;
	case WLAB_OP_TABLE_SET: *nargs = 2; *nres = 0; break;
	case WLAB_OP_TABLE_GROW: *nargs = 2; break;
	case WLAB_OP_MEMORY_INIT: case WLAB_OP_MEMORY_COPY: case WLAB_OP_MEMORY_FILL:
	case WLAB_OP_TABLE_INIT: case WLAB_OP_TABLE_COPY: case WLAB_OP_TABLE_FILL:
		*nargs = 3;
		*nres = 0;
		break;
	default:  /* unreachable, the gets, sizes, ref.null, ref.func: [] -> [t] */
		if (wlab_opinfo(in->op)->feature == WLAB_FEATURE_GC)
			gc_arity(f, in, nargs, nres);
		break;
	}
}

static bool is_terminator(uint16_t op)
{
	return op == WLAB_OP_END || op == WLAB_OP_ELSE || op == WLAB_OP_CATCH ||
	       op == WLAB_OP_CATCH_ALL || op == WLAB_OP_DELEGATE;
}

static enum wlab_status decode_seq(struct fold *f, uint32_t *head, struct wlab_instr *term);

static enum wlab_status nomem(struct fold *f)
{
	return wlab_error_set(f->p->err, WLAB_NOMEM, f->expr.offset, "out of memory");
}

/* A block's bodies, after its opening instruction `in` made node n. */
static enum wlab_status decode_block(struct fold *f, uint32_t n, const struct wlab_instr *in)
{
	struct wlab_instr term;
	enum wlab_status st;
	uint32_t body = NONE;
	if (++f->depth > f->maxdepth)
		f->maxdepth = f->depth;
	if ((st = decode_seq(f, &body, &term)))
		return st;
	f->nodes[n].body = body;
	if (in->op == WLAB_OP_IF && term.op == WLAB_OP_ELSE) {
		uint32_t els = NONE;
		if ((st = decode_seq(f, &els, &term)))
			return st;
		f->nodes[n].els = els;
	}
	uint32_t prev = n;
	while (in->op == WLAB_OP_TRY && (term.op == WLAB_OP_CATCH || term.op == WLAB_OP_CATCH_ALL)) {
		uint32_t c = new_node(f, term.offset, K_CATCH), cbody = NONE;
		if (c == NONE)
			return nomem(f);
		if ((st = decode_seq(f, &cbody, &term)))
			return st;
		f->nodes[c].body = cbody;
		f->nodes[prev].els = c;
		prev = c;
	}
	if (term.op == WLAB_OP_DELEGATE)
		f->nodes[n].end_off = term.offset;
	f->depth--;
	return WLAB_OK;
}

/* Decodes one instruction sequence up to its end, else, catch or delegate
 * (in *term) into nodes; *head: its first, the rest linked by seq. */
static enum wlab_status decode_seq(struct fold *f, uint32_t *head, struct wlab_instr *term)
{
	struct wp *p = f->p;
	uint32_t last = NONE, len = 0;
	struct wlab_instr in;
	enum wlab_status st;
	*head = NONE;
	for (;;) {
		if (wlab_instr_iter_done(&p->it))
			return wlab_error_set(p->err, WLAB_MALFORMED, f->expr.offset + f->expr.size,
					      "unexpected end");
		if (wlab_instr_next(&p->it, &in))
			return WLAB_MALFORMED;
		if (is_terminator(in.op)) {
			*term = in;
			if (len > f->maxseq)
				f->maxseq = len;
			return WLAB_OK;
		}
		uint8_t imm = wlab_opinfo(in.op)->imm;
		uint8_t kind = in.op == WLAB_OP_TRY ? K_TRY : in.op == WLAB_OP_IF ? K_IF
			: imm == WLAB_IMM_BLOCK || imm == WLAB_IMM_TRY_TABLE ? K_BLOCK : K_PLAIN;
		uint32_t n = new_node(f, in.offset, kind), nargs = 0, nres = 0, np;
		if (n == NONE)
			return nomem(f);
		if (last == NONE)
			*head = n;
		else
			f->nodes[last].seq = n;
		last = n;
		len++;
		if (kind == K_PLAIN && is_branch(in.op)) {
			f->nodes[n].branch = true;
			f->nodes[n].op = in.op;
			f->nodes[n].label = in.index;
		} else if (kind == K_PLAIN) {
			arity(f, &in, &nargs, &nres);
		} else {
			block_counts(f, &in, &np, &nres);
			nargs = kind == K_IF;
			f->nodes[n].label = in.op == WLAB_OP_LOOP ? np : nres;
			f->nodes[n].ord = f->nblocks++;
			if ((st = decode_block(f, n, &in)))
				return st;
		}
		f->nodes[n].nargs = nargs;
		f->nodes[n].nres = nres;
	}
}

/* Folds the sequence from first with the labels open now; returns its
 * first tree, the rest linked by next. */
static uint32_t fold_seq(struct fold *f, uint32_t first)
{
	uint32_t head = NONE, tail = NONE;
	f->top = 0;
	for (uint32_t n = first; n != NONE; n = f->nodes[n].seq) {
		uint32_t nargs = f->nodes[n].nargs, nres = f->nodes[n].nres;
		if (f->nodes[n].branch)
			branch_arity(f, &f->nodes[n], &nargs, &nres);
		if (f->nodes[n].kind == K_TRY) {  /* never an operand: it stands alone */
			flush(f, &head, &tail);
			nargs = nres = 0;
		}
		push(f, n, nargs, nres, &head, &tail);
	}
	flush(f, &head, &tail);
	return head;
}

/* ---- writing ---- */

/* Decodes the instruction at off again (the trees keep offsets only). */
static void instr_at(struct fold *f, uint32_t off, struct wlab_instr *in)
{
	struct wlab_span rest = {off, f->expr.offset + f->expr.size - off};
	wp_iter(f->p, rest, NULL);
	if (wlab_instr_next(&f->p->it, in))
		in->op = WLAB_OP_NOP;  /* decoded once already: cannot happen */
}

static void offset_note(struct wp *p, uint32_t off)
{
	char buf[16];
	int n = 16;
	static const char hex[] = "0123456789abcdef";
	if (!(p->flags & WLAB_WAT_OFFSETS))
		return;
	do {
		buf[--n] = hex[off & 15];
		off >>= 4;
	} while (off);
	wp_puts(p, " (;@");
	wlab_buf_bytes(p->out, buf + n, (size_t)(16 - n));
	wp_puts(p, ";)");
}

static void write_node(struct fold *f, uint32_t n);

static void write_list(struct fold *f, uint32_t n)
{
	for (; n != NONE; n = f->nodes[n].next) {
		wp_newline(f->p);
		write_node(f, n);
	}
}

/* Folds the sequence from first, then writes it. */
static void write_seq(struct fold *f, uint32_t first)
{
	write_list(f, fold_seq(f, first));
}

/* Writes a block's opening instruction and opens its label. */
static void open_block(struct fold *f, const struct wlab_instr *in, const struct fnode *nd)
{
	struct wp *p = f->p;
	wp_block_instr(p, in, nd->ord);
	offset_note(p, nd->off);
	p->depth++;
	if (!(p->flags & WLAB_WAT_GENERATE_NAMES)) {
		wp_puts(p, "  ;; label = @");
		wp_u64(p, p->depth);
	}
	f->labels[f->nlabels++].arity = nd->label;
}

static void close_block(struct fold *f)
{
	f->p->depth--;
	f->nlabels--;
}

/* Opens the code's label of block nd (room was made before writing). */
static void code_label(struct fold *f, const struct fnode *nd, const struct wlab_instr *in)
{
	wp_label_push(f->p, in->op, nd->ord, nd->label);
}

/* try ... catch ... end (or delegate), unfolded around folded bodies. */
static void write_try(struct fold *f, const struct fnode *nd, const struct wlab_instr *in)
{
	struct wp *p = f->p;
	struct wlab_instr c;
	open_block(f, in, nd);
	code_label(f, nd, in);
	p->indent += 2;
	write_seq(f, nd->body);
	p->indent -= 2;
	for (uint32_t k = nd->els; k != NONE; k = f->nodes[k].els) {
		instr_at(f, f->nodes[k].off, &c);
		wp_newline(p);
		wp_instr(p, &c);
		offset_note(p, c.offset);
		p->indent += 2;
		write_seq(f, f->nodes[k].body);
		p->indent -= 2;
	}
	close_block(f);
	wp_newline(p);
	if (nd->end_off != NONE) {
		instr_at(f, nd->end_off, &c);
		wp_instr(p, &c);
	} else {
		wp_puts(p, "end");
	}
	wp_label_pop(p);  /* after a delegate, which names a label outside it */
}

static void write_node(struct fold *f, uint32_t n)
{
	struct wp *p = f->p;
	const struct fnode *nd = &f->nodes[n];
	struct wlab_instr in;
	instr_at(f, nd->off, &in);
	if (wp_hint(p, nd->off))  /* on a line of its own before the (if or (br_if */
		wp_newline(p);
	if (nd->kind == K_TRY) {
		write_try(f, nd, &in);
		return;
	}
	wp_putc(p, '(');
	if (nd->kind == K_PLAIN) {
		wp_instr(p, &in);
		offset_note(p, nd->off);
		p->indent += 2;
		write_list(f, nd->child);
		p->indent -= 2;
		wp_putc(p, ')');
		return;
	}
	open_block(f, &in, nd);
	p->indent += 2;
	if (nd->kind == K_BLOCK) {
		code_label(f, nd, &in);
		write_seq(f, nd->body);
		if (nd->body == NONE) {
			p->indent -= 2;
			wp_newline(p);
			p->indent += 2;
		}
	} else {  /* the condition's trees are written with the if's label open */
		write_list(f, nd->child);
		wp_newline(p);
		wp_puts(p, "(then");
		code_label(f, nd, &in);
		p->indent += 2;
		write_seq(f, nd->body);
		p->indent -= 2;
		wp_putc(p, ')');
		if (nd->els != NONE) {
			wp_newline(p);
			wp_puts(p, "(else");
			p->indent += 2;
			write_seq(f, nd->els);
			p->indent -= 2;
			wp_putc(p, ')');
		}
	}
	p->indent -= 2;
	close_block(f);
	wp_label_pop(p);
	wp_putc(p, ')');
}

enum wlab_status wp_fold_body(struct wp *p, uint32_t funcidx, struct wlab_span expr)
{
	struct fold *f = p->fold;
	struct wlab_instr term;
	uint32_t head = NONE, np;
	enum wlab_status st;
	if (!f) {  /* kept for every body of the module */
		if (!(f = p->fold = calloc(1, sizeof *f)))
			return wlab_error_set(p->err, WLAB_NOMEM, expr.offset, "out of memory");
		for (uint16_t op = 0; op < WLAB_OP_COUNT; op++)
			val_sig_derive(op, &f->sig[op]);
	}
	f->p = p;
	f->expr = expr;
	f->nnodes = f->top = f->nlabels = f->depth = f->maxdepth = f->maxseq = f->nblocks = 0;
	p->nlabels = 0;
	type_counts(f, wlab_module_func_type(p->m, funcidx), &np, &f->func_results);
	wp_iter(p, expr, p->err);
	if ((st = decode_seq(f, &head, &term)))
		return st;
	if (term.op != WLAB_OP_END)
		return wlab_error_set(p->err, WLAB_MALFORMED, term.offset, "unexpected %s",
				      wlab_opinfo(term.op)->name);
	/* Writing allocates nothing: the open trees and labels fit now. */
	if (!grow((void **)&f->stk, &f->capstk, f->maxseq + 1, sizeof *f->stk) ||
	    !grow((void **)&f->labels, &f->caplabels, f->maxdepth + 1, sizeof *f->labels))
		return nomem(f);
	for (uint32_t i = 0; i < f->maxdepth; i++)  /* room for the code's labels */
		if (!wp_label_push(p, WLAB_OP_BLOCK, 0, 0))
			return nomem(f);
	p->nlabels = 0;
	f->labels[0].arity = f->func_results;
	f->nlabels = 1;
	p->depth = 0;
	p->indent = 4;
	write_seq(f, head);
	return WLAB_OK;
}

void wp_fold_free(struct wp *p)
{
	struct fold *f = p->fold;
	if (!f)
		return;
	free(f->nodes);
	free(f->stk);
	free(f->labels);
	free(f);
	p->fold = NULL;
}
