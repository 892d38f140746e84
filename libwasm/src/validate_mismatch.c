/* validate_mismatch.c: what a "type mismatch" says, in wabt's shape:
 * "type mismatch in i32.add, expected [i32, i32] but got [i64, i32]".
 *
 * Worked out only after validation failed, so the success path pays
 * nothing: from the instruction being checked (at vf->offset, decoded
 * again), its control frame, and the value stack as it stood before the
 * instruction (vf->last.height), which is still in vf->vals (a pop only
 * lowers nvals; an instruction pushes only after its checks passed). The operands are checked again here, group by group
 * in the order the validator pops them (an if's condition, then its
 * params), and the first group that does not fit is the one reported. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "validate_internal.h"

/* An expected entry that takes any reference (ref.is_null). */
#define MM_ANYREF 1u
/* The longest message, NUL excluded: below WLAB_MESSAGE_MAX so that a tool
 * that wraps it keeps it whole (wlab-wat's "the module is invalid: 0x1a:
 * MESSAGE (in func[3] $name)" keeps 140 characters of it, wat.c). */
#define MM_MAX 140

struct mm {
	struct val_func *vf;
	uint32_t pos;          /* the stack height above the next group */
	uint32_t h;            /* the frame's height: values below are not ours */
	bool dead;             /* the frame is unreachable: missing values are fine */
	bool failed;
	const char *pre;       /* "in " or "at end of " */
	const char *what;      /* the instruction's or the frame's name */
	const wlab_valtype_t *want;  /* the failing group */
	uint32_t nwant;
	uint32_t lo, hi;       /* what the stack held for it: vals[lo..hi) */
	wlab_valtype_t buf[3]; /* small groups built here */
};

static bool fits(const struct mm *s, wlab_valtype_t t, wlab_valtype_t want)
{
	if (want == MM_ANYREF)
		return val_is_ref(t);
	return t == want || t == VAL_UNKNOWN || want == VAL_UNKNOWN ||
	       val_subtype(s->vf->vm, t, want);
}

/* Checks the next group (bottom first) below pos; records it if it does
 * not fit. Returns whether it fit. */
static bool take(struct mm *s, const wlab_valtype_t *ts, uint32_t n)
{
	if (s->failed)
		return false;
	uint32_t have = s->pos - s->h;
	bool ok = n <= have || s->dead;
	for (uint32_t i = 0; ok && i < n && i < have; i++)
		ok = fits(s, s->vf->vals[s->pos - 1 - i], ts[n - 1 - i]);
	if (!ok) {
		s->failed = true;
		s->want = ts;
		s->nwant = n;
		s->lo = n < have ? s->pos - n : s->h;
		s->hi = s->pos;
		return false;
	}
	s->pos = n < have ? s->pos - n : s->h;
	return true;
}

static bool take1(struct mm *s, wlab_valtype_t t)
{
	s->buf[0] = t;
	return take(s, s->buf, 1);
}

/* The names wabt gives a frame: for its results, and for values left over. */
static void frame_names(const struct val_func *vf, const struct val_ctrl *c,
			const char **in, const char **end)
{
	const char *n;
	if (c == vf->ctrls && vf->const_expr) {
		*in = *end = "initializer expression";
		return;
	}
	if (c == vf->ctrls) {
		*in = "implicit return";
		*end = "function";
		return;
	}
	switch (c->op) {
	case WLAB_OP_LOOP: n = "loop"; break;
	case WLAB_OP_IF: n = "`if true` branch"; break;
	case WLAB_OP_ELSE: n = "`if false` branch"; break;
	case WLAB_OP_TRY: n = "try"; break;
	case WLAB_OP_TRY_TABLE: n = "try_table"; break;
	case WLAB_OP_CATCH: n = "catch"; break;
	case WLAB_OP_CATCH_ALL: n = "catch_all"; break;
	default: n = "block"; break;
	}
	*in = *end = n;
}

/* end, else, catch, catch_all, delegate: the frame's results, then nothing
 * more. */
static void close_frame(struct mm *s, const struct val_ctrl *c)
{
	const char *end;
	frame_names(s->vf, c, &s->what, &end);
	if (!take(s, c->results, c->nresults) || s->pos == s->h)
		return;
	s->failed = true;
	s->pre = "at end of ";
	s->what = end;
	s->want = NULL;
	s->nwant = 0;
	s->lo = s->h;
	s->hi = s->pos;
}

static void block_params(struct mm *s, const struct wlab_instr *in)
{
	const struct wlab_module *m = s->vf->vm->m;
	if (in->blocktype < 0 || (uint64_t)in->blocktype >= m->ntypes)
		return;
	const struct wlab_functype *ft = &m->types[in->blocktype];
	take(s, ft->params, ft->nparams);
}

static bool take_label(struct mm *s, uint32_t depth)
{
	if (depth >= s->vf->nctrls)
		return false;
	const struct val_ctrl *c = &s->vf->ctrls[s->vf->nctrls - 1 - depth];
	return take(s, val_label_types(c), val_label_arity(c));
}

/* select: [t t i32], t the type of the value under the condition (wabt's
 * choice) or the one below it, "any" when that is no number or vector;
 * select t: its type. */
static void select_operands(struct mm *s, const struct wlab_instr *in)
{
	wlab_valtype_t t = VAL_UNKNOWN;
	if (in->op == WLAB_OP_SELECT_T && in->ntypes == 1) {
		t = in->types[0];
	} else {
		for (uint32_t i = 2; i <= 3 && t == VAL_UNKNOWN; i++)
			if (s->pos - s->h >= i)
				t = s->vf->vals[s->pos - i];
		if (!val_is_num(t) && !val_is_vec(t))
			t = VAL_UNKNOWN;
	}
	s->buf[0] = s->buf[1] = t;
	s->buf[2] = WLAB_I32;
	uint32_t pos = s->pos;
	if (!take(s, s->buf, 3))
		return;
	s->failed = true;  /* references, which need select t: [any, any, i32] */
	s->want = s->buf;
	s->nwant = 3;
	s->hi = pos;
	s->lo = pos - s->h >= 3 ? pos - 3 : s->h;
}

/* The operands of table and memory instructions, bottom first. */
static bool table_operands(struct mm *s, const struct wlab_instr *in)
{
	const struct val_module *vm = s->vf->vm;
	const struct wlab_tabletype *tt = val_table(vm, in->op == WLAB_OP_TABLE_INIT ? in->index2
									     : in->index);
	if (!tt)
		return false;
	wlab_valtype_t at = val_addr_type(&tt->limits), e = tt->elemtype, *b = s->buf;
	const struct wlab_tabletype *src;
	switch (in->op) {
	case WLAB_OP_TABLE_GET: return take1(s, at), true;
	case WLAB_OP_TABLE_SET: b[0] = at, b[1] = e; return take(s, b, 2), true;
	case WLAB_OP_TABLE_GROW: b[0] = e, b[1] = at; return take(s, b, 2), true;
	case WLAB_OP_TABLE_FILL: b[0] = at, b[1] = e, b[2] = at; return take(s, b, 3), true;
	case WLAB_OP_TABLE_INIT: b[0] = at, b[1] = b[2] = WLAB_I32; return take(s, b, 3), true;
	case WLAB_OP_TABLE_COPY:
		if (!(src = val_table(vm, in->index2)))
			return false;
		b[0] = at, b[1] = val_addr_type(&src->limits);
		b[2] = b[0] == WLAB_I64 && b[1] == WLAB_I64 ? WLAB_I64 : WLAB_I32;
		return take(s, b, 3), true;
	default:
		return false;
	}
}

static bool memory_operands(struct mm *s, const struct wlab_instr *in)
{
	const struct val_module *vm = s->vf->vm;
	const struct wlab_limits *l = val_memory(vm, in->op == WLAB_OP_MEMORY_INIT ? in->index2
									      : in->index);
	if (!l)
		return false;
	wlab_valtype_t at = val_addr_type(l), *b = s->buf;
	const struct wlab_limits *src;
	switch (in->op) {
	case WLAB_OP_MEMORY_GROW: return take1(s, at), true;
	case WLAB_OP_MEMORY_FILL: b[0] = at, b[1] = WLAB_I32, b[2] = at; return take(s, b, 3), true;
	case WLAB_OP_MEMORY_INIT: b[0] = at, b[1] = b[2] = WLAB_I32; return take(s, b, 3), true;
	case WLAB_OP_MEMORY_COPY:
		if (!(src = val_memory(vm, in->index2)))
			return false;
		b[0] = at, b[1] = val_addr_type(src);
		b[2] = b[0] == WLAB_I64 && b[1] == WLAB_I64 ? WLAB_I64 : WLAB_I32;
		return take(s, b, 3), true;
	default:
		return false;
	}
}

static void call_operands(struct mm *s, const struct wlab_instr *in)
{
	struct val_module *vm = s->vf->vm;
	const struct wlab_functype *ft = NULL;
	const struct wlab_tabletype *tt;
	switch (in->op) {
	case WLAB_OP_CALL: case WLAB_OP_RETURN_CALL:
		ft = val_func_type(vm, in->index);
		break;
	case WLAB_OP_CALL_REF: case WLAB_OP_RETURN_CALL_REF:
		ft = val_functype_at(vm, in->index);
		if (!take1(s, wlab_ref_type(true, wlab_heap_concrete(in->index))))
			return;
		break;
	default:  /* call_indirect, return_call_indirect */
		if (!(tt = val_table(vm, in->index2)) || !take1(s, val_addr_type(&tt->limits)))
			return;
		ft = val_functype_at(vm, in->index);
		break;
	}
	if (ft)
		take(s, ft->params, ft->nparams);
}

/* Fills in the failing group of instruction in, or leaves s->failed false
 * when none can be told (the message then names the instruction alone). */
static void describe(struct mm *s, const struct wlab_instr *in)
{
	struct val_func *vf = s->vf;
	struct val_module *vm = vf->vm;
	const struct val_sig *sig = val_sig(vm, in->op);
	const struct wlab_globaltype *g;
	const struct wlab_functype *ft;
	const struct wlab_limits *l;
	if (sig->kind == VAL_SIG_PLAIN || sig->kind == VAL_SIG_MEMORY || sig->kind == VAL_SIG_LANE) {
		for (uint32_t i = 0; i < sig->npop; i++)
			s->buf[i] = sig->pop[i];
		if (sig->kind == VAL_SIG_MEMORY && sig->npop && (l = val_memory(vm, in->memarg.memidx)))
			s->buf[0] = val_addr_type(l);  /* the address */
		take(s, s->buf, sig->npop);
		return;
	}
	switch (in->op) {
	case WLAB_OP_END: case WLAB_OP_ELSE: case WLAB_OP_CATCH: case WLAB_OP_CATCH_ALL:
	case WLAB_OP_DELEGATE:
		close_frame(s, &vf->ctrls[vf->nctrls - 1]);
		return;
	case WLAB_OP_IF:
		if (take1(s, WLAB_I32))
			block_params(s, in);
		return;
	case WLAB_OP_BLOCK: case WLAB_OP_LOOP: case WLAB_OP_TRY: case WLAB_OP_TRY_TABLE:
		block_params(s, in);
		return;
	case WLAB_OP_BR:
		take_label(s, in->index);
		return;
	case WLAB_OP_BR_IF:
		if (take1(s, WLAB_I32))
			take_label(s, in->index);
		return;
	case WLAB_OP_BR_TABLE:
		if (!take1(s, WLAB_I32))
			return;
		for (uint32_t i = 0; i < in->ntargets; i++) {
			uint32_t pos = s->pos;
			if (!take_label(s, in->targets[i]))
				return;
			s->pos = pos;  /* each target sees the same operands */
		}
		take_label(s, in->index);
		return;
	case WLAB_OP_RETURN:
		take(s, vf->ctrls[0].results, vf->ctrls[0].nresults);
		return;
	case WLAB_OP_CALL: case WLAB_OP_RETURN_CALL: case WLAB_OP_CALL_INDIRECT:
	case WLAB_OP_RETURN_CALL_INDIRECT: case WLAB_OP_CALL_REF: case WLAB_OP_RETURN_CALL_REF:
		call_operands(s, in);
		return;
	case WLAB_OP_THROW:
		if ((ft = val_tag_type(vm, in->index)))
			take(s, ft->params, ft->nparams);
		return;
	case WLAB_OP_THROW_REF:
		take1(s, WLAB_HT_EXN);
		return;
	case WLAB_OP_LOCAL_SET: case WLAB_OP_LOCAL_TEE:
		if (vf->last.type != VAL_UNKNOWN)  /* the local's type, set before the pop */
			take1(s, vf->last.type);
		return;
	case WLAB_OP_GLOBAL_SET:
		if ((g = val_global(vm, in->index)))
			take1(s, g->valtype);
		return;
	case WLAB_OP_DROP:
		take1(s, VAL_UNKNOWN);
		return;
	case WLAB_OP_SELECT: case WLAB_OP_SELECT_T:
		select_operands(s, in);
		return;
	case WLAB_OP_REF_IS_NULL: case WLAB_OP_REF_AS_NON_NULL: case WLAB_OP_BR_ON_NULL:
	case WLAB_OP_BR_ON_NON_NULL:
		take1(s, MM_ANYREF);
		return;
	default:
		break;
	}
	if (!table_operands(s, in))
		memory_operands(s, in);
}

static const char *type_text(wlab_valtype_t t, char *buf, size_t size)
{
	if (t == VAL_UNKNOWN)
		return "any";
	if (t == MM_ANYREF)
		return "reference";
	return wlab_type_str(t, buf, size);
}

/* The length "[a, b, c]" takes. */
static size_t list_len(const wlab_valtype_t *ts, uint32_t n)
{
	char b[48];
	size_t len = 2;
	for (uint32_t i = 0; i < n; i++)
		len += strlen(type_text(ts[i], b, sizeof b)) + (i ? 2 : 0);
	return len;
}

/* Appends to out (WLAB_MESSAGE_MAX bytes) at *at, truncating. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void put(char *out, size_t *at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(out + *at, WLAB_MESSAGE_MAX - *at, fmt, ap);
	va_end(ap);
	*at += n > 0 ? (size_t)n : 0;
	if (*at >= WLAB_MESSAGE_MAX)
		*at = WLAB_MESSAGE_MAX - 1;
}

/* Appends "[a, b, c]" in at most budget characters: when the list is
 * longer, its first entries, "..." and its last. */
static void put_list(char *out, size_t *at, const wlab_valtype_t *ts, uint32_t n, size_t budget)
{
	char b[48];
	size_t keep = n;
	if (list_len(ts, n) > budget) {
		/* "[" first keep ", " each ", ..., " last "]" */
		size_t used = 1 + strlen("..., ") + strlen(type_text(ts[n - 1], b, sizeof b)) + 1;
		for (keep = 0; keep + 1 < n; keep++) {
			size_t l = strlen(type_text(ts[keep], b, sizeof b)) + 2;
			if (used + l > budget)
				break;
			used += l;
		}
	}
	put(out, at, "[");
	for (uint32_t i = 0; i < keep; i++)
		put(out, at, "%s%s", i ? ", " : "", type_text(ts[i], b, sizeof b));
	if (keep < n)
		put(out, at, "%s..., %s", keep ? ", " : "", type_text(ts[n - 1], b, sizeof b));
	put(out, at, "]");
}

/* "type mismatch in WHAT, expected [..] but got [..]" into out (WLAB_MESSAGE_MAX
 * bytes), the lists shortened to fit in MM_MAX characters. */
static void format(char *out, const char *pre, const char *what, const wlab_valtype_t *want,
		   uint32_t nwant, const wlab_valtype_t *got, uint32_t ngot)
{
	size_t at = 0;
	put(out, &at, "type mismatch %s%s, expected ", pre, what);
	const size_t mid = strlen(" but got ");
	size_t avail = at + mid < MM_MAX ? MM_MAX - at - mid : 0;
	size_t le = list_len(want, nwant), lg = list_len(got, ngot), be = le, bg = lg;
	if (le + lg > avail) {
		if (le <= avail / 2)
			bg = avail - le;
		else if (lg <= avail / 2)
			be = avail - lg;
		else
			be = avail / 2, bg = avail - be;
	}
	put_list(out, &at, want, nwant, be);
	put(out, &at, " but got ");
	put_list(out, &at, got, ngot, bg);
}

/* The instruction at vf->offset, decoded again: the walk keeps no pointer
 * to it, which would cost a store per instruction. */
static bool decode_again(const struct val_func *vf, struct wlab_instr_iter *it,
			 struct wlab_instr *in, struct wlab_error *scratch)
{
	const struct wlab_module *m = vf->vm->m;
	memset(it, 0, sizeof *it);  /* for wlab_instr_iter_fini */
	if (vf->offset >= m->size)
		return false;
	struct wlab_span span = {vf->offset, (uint32_t)(m->size - vf->offset)};
	wlab_instr_iter_init(it, m->bytes, span, vf->vm->features, scratch);
	return wlab_instr_next(it, in) == WLAB_OK;
}

enum wlab_status val_mismatch(struct val_func *vf)
{
	struct wlab_instr in;
	struct wlab_instr_iter it;
	struct wlab_error scratch = {0};
	if (vf->vm->err->error.status != WLAB_OK)
		return WLAB_INVALID;
	bool known = vf->nctrls > 0 && decode_again(vf, &it, &in, &scratch);
	if (!known) {
		wlab_instr_iter_fini(&it);
		return val_fail(vf->vm, vf->offset, "type mismatch");
	}
	const struct val_ctrl *c = &vf->ctrls[vf->nctrls - 1];
	struct mm s = {
		.vf = vf, .pos = vf->last.height, .h = c->height, .dead = c->unreachable,
		.pre = "in ", .what = wlab_opinfo(in.op)->name,
	};
	if (s.pos < s.h)  /* cannot be: the frame began below the instruction */
		s.pos = s.h;
	describe(&s, &in);
	char msg[WLAB_MESSAGE_MAX];
	if (s.failed)  /* (no values: vals may be NULL, never offset) */
		format(msg, s.pre, s.what, s.want, s.nwant, s.hi > s.lo ? vf->vals + s.lo : NULL,
		       s.hi - s.lo);
	else if (vf->pop_failed)  /* the one value a pop wanted */
		format(msg, s.pre, s.what, &vf->pop_want, 1, &vf->pop_got, vf->pop_had);
	else
		snprintf(msg, sizeof msg, "type mismatch %s%s", s.pre, s.what);
	wlab_instr_iter_fini(&it);
	return val_fail(vf->vm, vf->offset, "%s", msg);
}

enum wlab_status val_mismatch_pop(struct val_func *vf, wlab_valtype_t want, bool had,
				  wlab_valtype_t got)
{
	vf->pop_failed = true;
	vf->pop_want = want;
	vf->pop_had = had;
	vf->pop_got = got;
	return val_mismatch(vf);
}

enum wlab_status val_mismatch_types(struct val_func *vf, const char *what,
				    const wlab_valtype_t *want, uint32_t nwant,
				    const wlab_valtype_t *got, uint32_t ngot)
{
	if (vf->vm->err->error.status != WLAB_OK)
		return WLAB_INVALID;
	char msg[WLAB_MESSAGE_MAX];
	struct wlab_instr in;
	struct wlab_instr_iter it;
	struct wlab_error scratch = {0};
	if (!what) {
		what = decode_again(vf, &it, &in, &scratch) ? wlab_opinfo(in.op)->name
							     : "instruction";
		wlab_instr_iter_fini(&it);  /* what is the opcode table's */
	}
	format(msg, "in ", what, want, nwant, got, ngot);
	return val_fail(vf->vm, vf->offset, "%s", msg);
}
