/* wat_print_code.c: function bodies, flat (one instruction a line, blocks
 * indented, `;; label = @N` on each block and `(;@N;)` on each branch), and
 * the immediates of every instruction. */
#include <stdlib.h>

#include "wat_print_internal.h"

static char label_prefix(uint16_t op)
{
	return op == WLAB_OP_LOOP ? 'L' : op == WLAB_OP_IF ? 'I'
		: op == WLAB_OP_TRY || op == WLAB_OP_TRY_TABLE ? 'T' : 'B';
}

bool wp_label_push(struct wp *p, uint16_t op, uint32_t ord, uint32_t arity)
{
	if (!(p->flags & WLAB_WAT_GENERATE_NAMES))
		return true;
	if (p->nlabels == p->caplabels) {
		uint32_t cap = p->caplabels ? 2 * p->caplabels : 64;
		struct wp_label *l = realloc(p->labels, (size_t)cap * sizeof *l);
		if (!l)
			return false;
		p->labels = l;
		p->caplabels = cap;
	}
	p->labels[p->nlabels++] = (struct wp_label){ord, arity, label_prefix(op)};
	return true;
}

void wp_label_pop(struct wp *p)
{
	if (p->nlabels)
		p->nlabels--;
}

static void label_name(struct wp *p, char prefix, uint32_t ord)
{
	wp_puts(p, " $");
	wp_putc(p, prefix);
	wp_u64(p, ord);
}

/* A branch's label: the name of the code's label it names, or (the
 * function's, none named) its index and the depth it reaches. */
static void label(struct wp *p, uint32_t depth)
{
	if (depth < p->nlabels) {
		const struct wp_label *l = &p->labels[p->nlabels - 1 - depth];
		label_name(p, l->prefix, l->ord);
		return;
	}
	wp_putc(p, ' ');
	wp_u64(p, depth);
	if (depth > p->depth) {
		wp_puts(p, " (; INVALID ;)");
		return;
	}
	wp_puts(p, " (;@");
	wp_u64(p, p->depth - depth);
	wp_puts(p, ";)");
}

static void memarg(struct wp *p, const struct wlab_instr *in)
{
	const struct wlab_memarg *ma = &in->memarg;
	if (ma->memidx) {
		wp_putc(p, ' ');
		wp_ref(p, WP_MEMORY, ma->memidx);
	}
	if (ma->offset) {
		wp_puts(p, " offset=");
		wp_u64(p, ma->offset);
	}
	uint32_t align = wlab_memarg_align(ma, p->m->features);
	if (align != p->natural[in->op]) {
		wp_puts(p, " align=");
		wp_u64(p, align < 64 ? (uint64_t)1 << align : 0);
	}
}

static void v128(struct wp *p, const uint8_t *b)
{
	static const char hex[] = "0123456789abcdef";
	wp_puts(p, " i32x4");
	for (int i = 0; i < 4; i++) {
		char s[11] = " 0x";
		for (int j = 0; j < 4; j++) {
			uint8_t v = b[4 * i + 3 - j];
			s[3 + 2 * j] = hex[v >> 4];
			s[4 + 2 * j] = hex[v & 15];
		}
		wlab_buf_bytes(p->out, s, 11);
	}
}

/* Table 0 without a name goes unsaid where wasm2wat leaves it out. */
static bool default_table(struct wp *p, uint32_t idx)
{
	return idx == 0 && !(p->names[WP_TABLE].name && p->names[WP_TABLE].name[0]);
}

static void two(struct wp *p, enum wp_space s1, uint32_t i1, enum wp_space s2, uint32_t i2)
{
	wp_putc(p, ' ');
	wp_ref(p, s1, i1);
	wp_putc(p, ' ');
	wp_ref(p, s2, i2);
}

static void catches(struct wp *p, const struct wlab_instr *in)
{
	static const char *const kw[] = {" (catch ", " (catch_ref ", " (catch_all ", " (catch_all_ref "};
	for (uint32_t i = 0; i < in->ncatches; i++) {
		const struct wlab_catch *c = &in->catches[i];
		wp_puts(p, kw[c->kind & 3]);
		if (c->kind == WLAB_CATCH || c->kind == WLAB_CATCH_REF) {
			wp_ref(p, WP_TAG, c->tag);
			wp_putc(p, ' ');
		}
		wp_u64(p, c->label);
		wp_putc(p, ')');
	}
}

/* A block type: nothing, (result t), or the params and results of a type. */
static void blocktype(struct wp *p, const struct wlab_instr *in)
{
	if (wlab_blocktype_is_empty(in->blocktype))
		return;
	if (wlab_blocktype_is_valtype(in->blocktype)) {
		wp_types(p, "result", 1, &in->bttype);
		return;
	}
	wp_sig(p, (uint32_t)in->blocktype);
}

/* The immediates of in after its name; blocks print only their type. */
static void immediates(struct wp *p, const struct wlab_instr *in)
{
	switch (wlab_opinfo(in->op)->imm) {
	case WLAB_IMM_BLOCK: blocktype(p, in); break;
	case WLAB_IMM_TRY_TABLE: blocktype(p, in); catches(p, in); break;
	case WLAB_IMM_LABEL:
		if (in->op == WLAB_OP_DELEGATE && p->nlabels && in->index < p->nlabels - 1) {
			/* counted from outside its try, still open in p->labels */
			const struct wp_label *l = &p->labels[p->nlabels - 2 - in->index];
			label_name(p, l->prefix, l->ord);
		} else if (in->op == WLAB_OP_DELEGATE) {  /* no comment, as wasm2wat prints it */
			wp_putc(p, ' ');
			wp_u64(p, in->index);
		} else {
			label(p, in->index);
		}
		break;
	case WLAB_IMM_BR_TABLE:
		for (uint32_t i = 0; i < in->ntargets; i++)
			label(p, in->targets[i]);
		label(p, in->index);
		break;
	case WLAB_IMM_FUNC: wp_putc(p, ' '); wp_ref(p, WP_FUNC, in->index); break;
	case WLAB_IMM_CALL_INDIRECT:
		if (!default_table(p, in->index2)) {
			wp_putc(p, ' ');
			wp_ref(p, WP_TABLE, in->index2);
		}
		wp_puts(p, " (type ");
		wp_ref(p, WP_TYPE, in->index);
		wp_putc(p, ')');
		break;
	case WLAB_IMM_LOCAL: wp_putc(p, ' '); wp_local_ref(p, in->index); break;
	case WLAB_IMM_GLOBAL: wp_putc(p, ' '); wp_ref(p, WP_GLOBAL, in->index); break;
	case WLAB_IMM_TABLE: wp_putc(p, ' '); wp_ref(p, WP_TABLE, in->index); break;
	case WLAB_IMM_TAG: wp_putc(p, ' '); wp_ref(p, WP_TAG, in->index); break;
	case WLAB_IMM_MEMARG: memarg(p, in); break;
	case WLAB_IMM_MEMARG_LANE:
		memarg(p, in);
		wp_putc(p, ' ');
		wp_u64(p, in->lane);
		break;
	case WLAB_IMM_MEMIDX:
		if (in->index) {
			wp_putc(p, ' ');
			wp_ref(p, WP_MEMORY, in->index);
		}
		break;
	case WLAB_IMM_I32: wp_putc(p, ' '); wp_s64(p, in->i32); break;
	case WLAB_IMM_I64: wp_putc(p, ' '); wp_s64(p, in->i64); break;
	case WLAB_IMM_F32: wp_putc(p, ' '); wp_f32(p, in->f32); break;
	case WLAB_IMM_F64: wp_putc(p, ' '); wp_f64(p, in->f64); break;
	case WLAB_IMM_V128: v128(p, in->v128); break;
	case WLAB_IMM_SHUFFLE:
		for (int i = 0; i < 16; i++) {
			wp_putc(p, ' ');
			wp_u64(p, in->v128[i]);
		}
		break;
	case WLAB_IMM_LANE: wp_putc(p, ' '); wp_u64(p, in->lane); break;
	case WLAB_IMM_SELECT_T: wp_types(p, "result", in->ntypes, in->types); break;
	case WLAB_IMM_REFTYPE: wp_putc(p, ' '); wp_heaptype(p, wlab_ref_heap(in->reftype)); break;
	case WLAB_IMM_DATA_MEM:
		if (in->index2)
			two(p, WP_MEMORY, in->index2, WP_DATA, in->index);
		else {
			wp_putc(p, ' ');
			wp_ref(p, WP_DATA, in->index);
		}
		break;
	case WLAB_IMM_DATA: wp_putc(p, ' '); wp_ref(p, WP_DATA, in->index); break;
	case WLAB_IMM_MEM_MEM:
		if (in->index || in->index2)
			two(p, WP_MEMORY, in->index, WP_MEMORY, in->index2);
		break;
	case WLAB_IMM_ELEM_TABLE:
		if (!default_table(p, in->index2)) {
			wp_putc(p, ' ');
			wp_ref(p, WP_TABLE, in->index2);
		}
		wp_putc(p, ' ');
		wp_ref(p, WP_ELEM, in->index);
		break;
	case WLAB_IMM_ELEM: wp_putc(p, ' '); wp_ref(p, WP_ELEM, in->index); break;
	case WLAB_IMM_TABLE_TABLE:
		if (!default_table(p, in->index) || !default_table(p, in->index2))
			two(p, WP_TABLE, in->index, WP_TABLE, in->index2);
		break;
	case WLAB_IMM_TYPE: wp_putc(p, ' '); wp_ref(p, WP_TYPE, in->index); break;
	case WLAB_IMM_TYPE_FIELD:  /* a field by its name (subsection 10) or index */
		wp_putc(p, ' ');
		wp_ref(p, WP_TYPE, in->index);
		wp_putc(p, ' ');
		wp_field_ref(p, in->index, in->index2);
		break;
	case WLAB_IMM_TYPE_COUNT:
		wp_putc(p, ' ');
		wp_ref(p, WP_TYPE, in->index);
		wp_putc(p, ' ');
		wp_u64(p, in->index2);
		break;
	case WLAB_IMM_TYPE_DATA: two(p, WP_TYPE, in->index, WP_DATA, in->index2); break;
	case WLAB_IMM_TYPE_ELEM: two(p, WP_TYPE, in->index, WP_ELEM, in->index2); break;
	case WLAB_IMM_TYPE_TYPE: two(p, WP_TYPE, in->index, WP_TYPE, in->index2); break;
	case WLAB_IMM_CAST: case WLAB_IMM_CAST_NULL:
		wp_putc(p, ' ');
		wp_valtype(p, in->reftype);
		break;
	case WLAB_IMM_BR_ON_CAST:
		label(p, in->index);
		wp_putc(p, ' ');
		wp_valtype(p, in->reftype);
		wp_putc(p, ' ');
		wp_valtype(p, in->reftype2);
		break;
	default: break;
	}
}

void wp_instr(struct wp *p, const struct wlab_instr *in)
{
	wp_write(p, wlab_opinfo(in->op)->name, p->namelen[in->op]);
	immediates(p, in);
}

void wp_block_instr(struct wp *p, const struct wlab_instr *in, uint32_t ord)
{
	wp_write(p, wlab_opinfo(in->op)->name, p->namelen[in->op]);
	if (p->flags & WLAB_WAT_GENERATE_NAMES)
		label_name(p, label_prefix(in->op), ord);
	immediates(p, in);
}

static void offset_comment(struct wp *p, const struct wlab_instr *in)
{
	static const char hex[] = "0123456789abcdef";
	char s[16];
	int n = 16;
	uint32_t v = in->offset;
	if (!(p->flags & WLAB_WAT_OFFSETS))
		return;
	wp_puts(p, " (;@");
	do {
		s[--n] = hex[v & 15];
		v >>= 4;
	} while (v);
	wlab_buf_bytes(p->out, s + n, (size_t)(16 - n));
	wp_puts(p, ";)");
}

static bool opens_block(uint16_t op)
{
	uint8_t imm = wlab_opinfo(op)->imm;
	return imm == WLAB_IMM_BLOCK || imm == WLAB_IMM_TRY_TABLE;
}

static bool is_else_like(uint16_t op)
{
	return op == WLAB_OP_ELSE || op == WLAB_OP_CATCH || op == WLAB_OP_CATCH_ALL ||
	       op == WLAB_OP_DELEGATE;
}

/* The flat body: one line per instruction; the function's own end closes it. */
enum wlab_status wp_flat_body(struct wp *p, struct wlab_span expr)
{
	struct wlab_instr in;
	bool named = p->flags & WLAB_WAT_GENERATE_NAMES;
	wp_iter(p, expr, p->err);
	p->depth = 0;
	p->indent = 4;
	p->nlabels = p->nblocks = 0;
	while (!wlab_instr_iter_done(&p->it)) {
		if (wlab_instr_next(&p->it, &in))
			return WLAB_MALFORMED;
		if (in.op == WLAB_OP_END || in.op == WLAB_OP_DELEGATE) {
			if (p->depth == 0)
				break;
			p->depth--;
			p->indent -= 2;
			if (in.op == WLAB_OP_END)  /* a delegate names a label outside its try */
				wp_label_pop(p);
		} else if (is_else_like(in.op)) {
			p->indent -= 2;
		}
		wp_newline(p);
		if (wp_hint(p, in.offset))
			wp_putc(p, ' ');
		if (opens_block(in.op))
			wp_block_instr(p, &in, p->nblocks);
		else
			wp_instr(p, &in);
		offset_comment(p, &in);
		if (in.op == WLAB_OP_DELEGATE)
			wp_label_pop(p);
		if (opens_block(in.op)) {
			p->depth++;
			if (!wp_label_push(p, in.op, p->nblocks++, 0))
				return wlab_error_set(p->err, WLAB_NOMEM, in.offset, "out of memory");
			if (!named) {
				wp_puts(p, "  ;; label = @");
				wp_u64(p, p->depth);
			}
			p->indent += 2;
		} else if (is_else_like(in.op) && in.op != WLAB_OP_DELEGATE) {
			p->indent += 2;  /* (a delegate ends its try, as an end does) */
		}
	}
	return WLAB_OK;
}

/* The types of a function's params (t), or of its locals (runs of one
 * type, never written out one by one: a few bytes declare 2^32 - 1). */
struct types {
	const wlab_valtype_t *t;
	const struct wlab_local_decl *decl;  /* the run of the next local */
	uint32_t done;                       /* of decl's count */
};

static wlab_valtype_t next_type(struct types *c)
{
	if (c->t)
		return *c->t++;
	while (c->done == c->decl->count)
		c->decl++, c->done = 0;
	c->done++;
	return c->decl->type;
}

/* (param ...) with the local names of the function: a named one alone,
 * unnamed neighbours together; n types from t, in order. */
static void params(struct wp *p, const char *kw, uint32_t first, uint32_t n, struct types *t)
{
	uint32_t i = 0;
	while (i < n) {
		const char *name = p->locals.name && first + i < p->locals.count
			? p->locals.name[first + i] : NULL;
		wp_puts(p, "(");
		wp_puts(p, kw);
		if (name) {
			wp_putc(p, ' ');
			wp_puts(p, name);
			wp_putc(p, ' ');
			wp_valtype(p, next_type(t));
			i++;
		} else {
			do {
				wp_putc(p, ' ');
				wp_valtype(p, next_type(t));
				i++;
			} while (i < n && !(p->locals.name && first + i < p->locals.count &&
					    p->locals.name[first + i]));
		}
		wp_putc(p, ')');
		if (i < n)
			wp_putc(p, ' ');
	}
}

static enum wlab_status locals(struct wp *p, const struct wlab_code *c, uint32_t nparams)
{
	uint64_t total = c->nlocals;
	if (!total)
		return WLAB_OK;
	if (total > 0xffffffffu)
		return wlab_error_set(p->err, WLAB_INVALID, c->body.offset, "too many locals");
	struct types t = {NULL, c->local_decls, 0};
	wp_newline(p);
	params(p, "local", nparams, (uint32_t)total, &t);
	return WLAB_OK;
}

enum wlab_status wp_func(struct wp *p, uint32_t defidx)
{
	const struct wlab_module *m = p->m;
	uint32_t funcidx = m->nimported_funcs + defidx;
	uint32_t typeidx = m->func_types[defidx];
	const struct wlab_functype *ft = typeidx < m->ntypes ? &m->types[typeidx] : NULL;
	const struct wlab_code *c = defidx < m->ncodes ? &m->codes[defidx] : NULL;
	uint32_t nparams = ft ? ft->nparams : 0;
	enum wlab_status st;
	if (!c)
		return wlab_error_set(p->err, WLAB_MALFORMED, m->size,
				      "function and code section have inconsistent lengths");
	if ((st = wp_locals_init(p, funcidx, nparams, nparams + c->nlocals)))
		return wlab_error_set(p->err, st, c->span.offset, "out of memory");
	p->indent = 2;
	wp_newline(p);
	wp_puts(p, "(func");
	wp_def(p, WP_FUNC, funcidx);
	wp_inline_exports(p, WLAB_EXTERN_FUNC, funcidx);
	wp_puts(p, " (type ");
	wp_ref(p, WP_TYPE, typeidx);
	wp_putc(p, ')');
	if (ft && ft->nparams) {
		wp_putc(p, ' ');
		params(p, "param", 0, ft->nparams, &(struct types){ft->params, NULL, 0});
	}
	if (ft)
		wp_types(p, "result", ft->nresults, ft->results);
	p->indent = 4;
	if ((st = locals(p, c, nparams)))
		return st;
	wp_hints_func(p, funcidx, c);
	if (p->flags & WLAB_WAT_FOLD)
		st = wp_fold_body(p, funcidx, c->expr);
	else
		st = wp_flat_body(p, c->expr);
	wp_putc(p, ')');
	return st;
}
