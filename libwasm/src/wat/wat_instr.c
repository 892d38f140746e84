/* wat_instr.c: plain and folded instructions, block types, labels and the
 * immediates of every opcode kind, written as binary code. */
#include <stdlib.h>
#include <string.h>

#include "wat_internal.h"
#include "wlab/features.h"
#include "wlab/instr.h"

enum { MAX_DEPTH = 1500 };

static int op_cmp(const void *a, const void *b)
{
	return strcmp(wlab_opinfo(*(const uint16_t *)a)->name, wlab_opinfo(*(const uint16_t *)b)->name);
}

bool wat_ops_init(struct wat *w)
{
	/* the default operators but GC's always (a feature turned off is the
	 * decoder's to refuse), GC's when it is on */
	uint32_t feats = (wlab_features_default() & ~(uint32_t)WLAB_FEATURE_GC) |
			 (w->features & WLAB_FEATURE_GC);
	w->ops_sorted = malloc(WLAB_OP_COUNT * sizeof *w->ops_sorted);
	if (!w->ops_sorted)
		return wat_oom(w);
	w->nops = 0;
	for (uint16_t op = 0; op < WLAB_OP_COUNT; op++)
		if ((wlab_opinfo(op)->feature & feats) && op != WLAB_OP_SELECT_T &&
		    op != WLAB_OP_REF_TEST_NULL && op != WLAB_OP_REF_CAST_NULL)
			w->ops_sorted[w->nops++] = op;
	qsort(w->ops_sorted, w->nops, sizeof *w->ops_sorted, op_cmp);
	return true;
}

static int op_lookup(const struct wat *w, const struct wat_tok *t)
{
	size_t lo = 0, hi = w->nops;
	if (t->kind != WAT_ATOM)
		return -1;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const char *name = wlab_opinfo(w->ops_sorted[mid])->name;
		int c = strncmp(name, w->text + t->off, t->len);
		if (!c)
			c = name[t->len] ? 1 : 0;
		if (!c)
			return w->ops_sorted[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* An operator the parser left out (its feature is off: GC's), by its
 * name; for the error that names the feature. -1 for none. */
static int op_off(const struct wat *w, const struct wat_tok *t)
{
	if (t->kind != WAT_ATOM)
		return -1;
	for (int op = 0; op < WLAB_OP_COUNT; op++) {
		const char *name = wlab_opinfo((uint16_t)op)->name;
		if (!(wlab_opinfo((uint16_t)op)->feature & w->features) &&
		    strncmp(name, w->text + t->off, t->len) == 0 && !name[t->len])
			return op;
	}
	return -1;
}

/* ---- labels ---- */

static bool label_push(struct wat *w, const struct wat_tok *id)
{
	if (w->nlabels == w->labels_cap) {
		uint32_t ncap = w->labels_cap ? w->labels_cap * 2 : 16;
		struct wat_label *l = realloc(w->labels, ncap * sizeof *l);
		if (!l)
			return wat_oom(w);
		w->labels = l;
		w->labels_cap = ncap;
	}
	w->labels[w->nlabels++] = (struct wat_label){.id = id};
	return true;
}

/* An optional `$id` after end/else: it must repeat the block's label. */
static bool label_close(struct wat *w)
{
	const struct wat_tok *t = wat_peek(w, 0);
	if (t->kind != WAT_ID)
		return true;
	const struct wat_label *l = &w->labels[w->nlabels - 1];
	if (!l->id || !wat_same_id(w, l->id, t))
		return wat_fail(w, t->off, "mismatching label");
	w->pos++;
	return true;
}

static bool label_index(struct wat *w, uint32_t *depth)
{
	const struct wat_tok *t = wat_peek(w, 0);
	if (t->kind == WAT_ID) {
		for (uint32_t i = w->nlabels; i-- > 0;) {
			const struct wat_label *l = &w->labels[i];
			if (l->id && wat_same_id(w, l->id, t)) {
				*depth = w->nlabels - 1 - i;
				w->pos++;
				return true;
			}
		}
		return wat_fail(w, t->off, "unknown label %.*s", (int)(t->len < 40 ? t->len : 40),
				w->text + t->off);
	}
	uint64_t v;
	if (!wat_nat(w, t, UINT32_MAX, &v))
		return false;
	*depth = (uint32_t)v;
	w->pos++;
	return true;
}

/* ---- block types ---- */

static bool blocktype(struct wat *w, struct wlab_buf *b)
{
	struct wat_sig s = {0};
	size_t off = wat_peek(w, 0)->off;
	uint32_t x = 0, np;
	bool ok = wat_sig_parse(w, &s, 2);
	if (!ok)
		goto done;
	if (s.has_type) {
		const struct wat_type *t = wat_type_get(w, s.x);
		ok = wat_sig_resolve(w, &s, off, &x, &np);
		if (ok && t && t->form == WLAB_FORM_FUNC && t->np == 0 && t->nr <= 1) {
			if (t->nr)
				wlab_buf_valtype(b, wat_type_at(&w->typepool, t->at / sizeof(wlab_valtype_t)));
			else
				wlab_buf_u8(b, 0x40);
			goto done;
		}
		if (ok)
			wlab_buf_s64(b, x);
	} else if (s.p.size == 0 && s.r.size <= sizeof(wlab_valtype_t)) {
		if (s.r.size)
			wlab_buf_valtype(b, wat_type_at(&s.r, 0));
		else
			wlab_buf_u8(b, 0x40);
	} else {
		ok = wat_sig_resolve(w, &s, off, &x, &np);
		if (ok)
			wlab_buf_s64(b, x);
	}
done:
	wat_sig_free(&s);
	return ok;
}

/* ---- immediates ---- */

static bool keyval(const struct wat *w, const struct wat_tok *t, const char *key)
{
	size_t n = strlen(key);
	return t->kind == WAT_ATOM && t->len > n && !memcmp(w->text + t->off, key, n);
}

/* `offset=N? align=N?` after memory x: flags (bit 6 when x is not 0), x,
 * the offset (up to 2^64-1 with memory64; validation bounds it by the
 * memory's address type). */
static bool memarg(struct wat *w, uint16_t op, uint32_t x, struct wlab_buf *b)
{
	uint64_t offset = 0, align = 0;
	uint64_t top = (w->features & WLAB_FEATURE_MEMORY64) ? UINT64_MAX : UINT32_MAX;
	uint32_t a = wlab_op_natural_align(op);
	if (keyval(w, wat_peek(w, 0), "offset=")) {
		struct wat_tok t = *wat_peek(w, 0);
		t.off += 7, t.len -= 7;
		if (!wat_nat(w, &t, top, &offset))
			return false;
		w->pos++;
	}
	if (keyval(w, wat_peek(w, 0), "align=")) {
		struct wat_tok t = *wat_peek(w, 0);
		t.off += 6, t.len -= 6;
		if (!wat_nat(w, &t, top, &align))
			return false;
		if (!align || (align & (align - 1)))
			return wat_fail(w, t.off, "alignment must be a power of two");
		for (a = 0; ((uint64_t)1 << a) < align; a++)
			;
		w->pos++;
	}
	wlab_buf_u32(b, x ? a | 0x40 : a);
	if (x)
		wlab_buf_u32(b, x);
	wlab_buf_u64(b, offset);
	return true;
}

/* The memory index a load, store or lane instruction may start with
 * (multi-memory). A lane form's number is its memory only when a memarg
 * or the lane follows it. */
static bool memarg_memory(struct wat *w, bool lane_form, uint32_t *x)
{
	const struct wat_tok *t = wat_peek(w, 0), *n = wat_peek(w, 1);
	*x = 0;
	if (!(w->features & WLAB_FEATURE_MULTI_MEMORY))
		return true;
	if (t->kind == WAT_ID)
		return wat_index(w, WAT_SP_MEM, x);
	if (t->kind != WAT_ATOM || !wat_is_nat(w, t))
		return true;
	if (lane_form && !keyval(w, n, "offset=") && !keyval(w, n, "align=") &&
	    !(n->kind == WAT_ATOM && wat_is_nat(w, n)))
		return true;
	return wat_index(w, WAT_SP_MEM, x);
}

/* A memory index (multi-memory); 0 without one. */
static bool opt_memory(struct wat *w, uint32_t *x)
{
	const struct wat_tok *t = wat_peek(w, 0);
	*x = 0;
	if ((w->features & WLAB_FEATURE_MULTI_MEMORY) &&
	    (t->kind == WAT_ID || (t->kind == WAT_ATOM && wat_is_nat(w, t))))
		return wat_index(w, WAT_SP_MEM, x);
	return true;
}

static bool lane(struct wat *w, struct wlab_buf *b)
{
	uint64_t v;
	if (!wat_nat(w, wat_peek(w, 0), 255, &v))
		return false;
	w->pos++;
	wlab_buf_u8(b, (uint8_t)v);
	return true;
}

static bool v128_const(struct wat *w, struct wlab_buf *b)
{
	static const char *const shapes[] = {"i8x16", "i16x8", "i32x4", "i64x2", "f32x4", "f64x2"};
	int s = -1;
	for (int i = 0; i < 6; i++)
		if (wat_at_kw(w, shapes[i]))
			s = i;
	if (s < 0)
		return wat_fail_tok(w, "a v128 shape");
	w->pos++;
	unsigned bytes = s < 4 ? 1u << s : s == 4 ? 4 : 8, n = 16 / bytes;
	for (unsigned i = 0; i < n; i++) {
		const struct wat_tok *t = wat_peek(w, 0);
		uint64_t v = 0;
		uint32_t f;
		bool ok = s < 4 ? wat_int(w, t, bytes * 8, &v) : s == 4 ? wat_f32(w, t, &f) : wat_f64(w, t, &v);
		if (!ok)
			return false;
		if (s == 4)
			v = f;
		for (unsigned k = 0; k < bytes; k++)
			wlab_buf_u8(b, (uint8_t)(v >> (8 * k)));
		w->pos++;
	}
	return true;
}

static bool is_idx(const struct wat *w, size_t k)
{
	const struct wat_tok *t = wat_peek(w, k);
	return t->kind == WAT_ID || (t->kind == WAT_ATOM && wat_is_nat(w, t));
}

static bool opt_index(struct wat *w, uint32_t space, uint32_t *x)
{
	const struct wat_tok *t = wat_peek(w, 0);
	*x = 0;
	if (t->kind == WAT_ID || (t->kind == WAT_ATOM && wat_is_nat(w, t)))
		return wat_index(w, space, x);
	return true;
}

/* A struct type and one of its fields (by index or field id). */
static bool type_field(struct wat *w, uint32_t *x, uint32_t *y)
{
	return wat_index(w, WAT_SP_TYPE, x) &&
	       wat_index(w, *x < WAT_SP_FIELD ? WAT_SP_FIELD + *x : WAT_SP_FIELD, y);
}

/* The GC instructions' immediates: a type and a field, count, data or elem
 * segment, or second type; br_on_cast's label and two reference types. */
static bool gc_immediates(struct wat *w, uint16_t op, struct wlab_buf *b)
{
	const struct wlab_opinfo *oi = wlab_opinfo(op);
	uint32_t x = 0, y = 0;
	uint64_t v;
	wlab_valtype_t rt1, rt2;
	switch (oi->imm) {
	case WLAB_IMM_TYPE_FIELD:
		if (!type_field(w, &x, &y))
			return false;
		break;
	case WLAB_IMM_TYPE_COUNT:
		if (!wat_index(w, WAT_SP_TYPE, &x) || !wat_nat(w, wat_peek(w, 0), UINT32_MAX, &v))
			return false;
		w->pos++;
		y = (uint32_t)v;
		break;
	case WLAB_IMM_TYPE_DATA:
		if (!wat_index(w, WAT_SP_TYPE, &x) || !wat_index(w, WAT_SP_DATA, &y))
			return false;
		w->need_datacount = true;
		break;
	case WLAB_IMM_TYPE_ELEM:
		if (!wat_index(w, WAT_SP_TYPE, &x) || !wat_index(w, WAT_SP_ELEM, &y))
			return false;
		break;
	case WLAB_IMM_TYPE_TYPE:
		if (!wat_index(w, WAT_SP_TYPE, &x) || !wat_index(w, WAT_SP_TYPE, &y))
			return false;
		break;
	case WLAB_IMM_BR_ON_CAST:
		if (!label_index(w, &x) || !wat_reftype(w, &rt1) || !wat_reftype(w, &rt2))
			return false;
		wlab_buf_u8(b, (uint8_t)(wlab_ref_nullable(rt1) | wlab_ref_nullable(rt2) << 1));
		wlab_buf_u32(b, x);
		wlab_buf_heaptype(b, wlab_ref_heap(rt1));
		wlab_buf_heaptype(b, wlab_ref_heap(rt2));
		return true;
	default:
		return wat_fail(w, wat_peek(w, 0)->off, "unsupported instruction");
	}
	wlab_buf_u32(b, x);
	wlab_buf_u32(b, y);
	return true;
}

static bool immediates(struct wat *w, uint16_t op, struct wlab_buf *b)
{
	const struct wlab_opinfo *oi = wlab_opinfo(op);
	uint32_t x = 0, y = 0, np;
	uint64_t v;
	switch (oi->imm) {
	case WLAB_IMM_NONE:
		return true;
	case WLAB_IMM_LABEL:
		if (!label_index(w, &x))
			return false;
		wlab_buf_u32(b, x);
		return true;
	case WLAB_IMM_BR_TABLE: {
		struct wlab_buf t = {0};
		uint32_t n = 0;
		/* Labels are ids and numbers: an instruction after them (flat
		 * text, `br_table 0 1 end`) ends the list. */
		while (wat_peek(w, 0)->kind == WAT_ID || (wat_peek(w, 0)->kind == WAT_ATOM &&
							 w->text[wat_peek(w, 0)->off] >= '0' &&
							 w->text[wat_peek(w, 0)->off] <= '9')) {
			if (!label_index(w, &x)) {
				wlab_buf_free(&t);
				return false;
			}
			wlab_buf_u32(&t, x);
			n++;
		}
		if (!n)
			return wat_fail_tok(w, "a label");
		wlab_buf_u32(b, n - 1);
		wlab_buf_bytes(b, t.data, t.size);
		wlab_buf_free(&t);
		return true;
	}
	case WLAB_IMM_FUNC:
	case WLAB_IMM_GLOBAL:
	case WLAB_IMM_LOCAL:
	case WLAB_IMM_DATA:
	case WLAB_IMM_ELEM:
	case WLAB_IMM_TAG:
		if (!wat_index(w, oi->imm == WLAB_IMM_FUNC ? WAT_SP_FUNC : oi->imm == WLAB_IMM_GLOBAL
			       ? WAT_SP_GLOBAL : oi->imm == WLAB_IMM_LOCAL ? w->local_space
			       : oi->imm == WLAB_IMM_DATA ? WAT_SP_DATA : oi->imm == WLAB_IMM_TAG
			       ? WAT_SP_TAG : WAT_SP_ELEM, &x))
			return false;
		wlab_buf_u32(b, x);
		if (op == WLAB_OP_DATA_DROP)
			w->need_datacount = true;
		return true;
	case WLAB_IMM_TABLE:
		if (!opt_index(w, WAT_SP_TABLE, &x))
			return false;
		wlab_buf_u32(b, x);
		return true;
	case WLAB_IMM_CALL_INDIRECT: {
		struct wat_sig s = {0};
		size_t off = wat_peek(w, 0)->off;
		bool ok = opt_index(w, WAT_SP_TABLE, &y) && wat_sig_parse(w, &s, 2) &&
			  wat_sig_resolve(w, &s, off, &x, &np);
		wat_sig_free(&s);
		wlab_buf_u32(b, x);
		wlab_buf_u32(b, y);
		return ok;
	}
	case WLAB_IMM_MEMARG:
		return memarg_memory(w, false, &x) && memarg(w, op, x, b);
	case WLAB_IMM_MEMARG_LANE:
		return memarg_memory(w, true, &x) && memarg(w, op, x, b) && lane(w, b);
	case WLAB_IMM_MEMIDX:
		if (!opt_memory(w, &x))
			return false;
		wlab_buf_u32(b, x);
		return true;
	case WLAB_IMM_ZERO:
		wlab_buf_u8(b, 0);
		return true;
	case WLAB_IMM_I32:
	case WLAB_IMM_I64:
		if (!wat_int(w, wat_peek(w, 0), oi->imm == WLAB_IMM_I32 ? 32 : 64, &v))
			return false;
		w->pos++;
		if (oi->imm == WLAB_IMM_I32)
			wlab_buf_s32(b, (int32_t)(uint32_t)v);
		else
			wlab_buf_s64(b, (int64_t)v);
		return true;
	case WLAB_IMM_F32:
		if (!wat_f32(w, wat_peek(w, 0), &x))
			return false;
		w->pos++;
		wlab_buf_u32le(b, x);
		return true;
	case WLAB_IMM_F64:
		if (!wat_f64(w, wat_peek(w, 0), &v))
			return false;
		w->pos++;
		wlab_buf_u64le(b, v);
		return true;
	case WLAB_IMM_V128:
		return v128_const(w, b);
	case WLAB_IMM_SHUFFLE:
		for (int i = 0; i < 16; i++)
			if (!lane(w, b))
				return false;
		return true;
	case WLAB_IMM_LANE:
		return lane(w, b);
	case WLAB_IMM_REFTYPE: {
		wlab_heaptype_t h;
		if (!wat_heaptype(w, &h))
			return false;
		wlab_buf_heaptype(b, h);
		return true;
	}
	case WLAB_IMM_TYPE:
		if (!wat_index(w, WAT_SP_TYPE, &x))
			return false;
		wlab_buf_u32(b, x);
		return true;
	case WLAB_IMM_DATA_MEM:  /* memory.init data | memory.init memory data */
		if ((w->features & WLAB_FEATURE_MULTI_MEMORY) && is_idx(w, 1) &&
		    !wat_index(w, WAT_SP_MEM, &y))
			return false;
		if (!wat_index(w, WAT_SP_DATA, &x))
			return false;
		w->need_datacount = true;
		wlab_buf_u32(b, x);
		wlab_buf_u32(b, y);
		return true;
	case WLAB_IMM_MEM_MEM:  /* memory.copy (dst src)? */
		if ((w->features & WLAB_FEATURE_MULTI_MEMORY) && is_idx(w, 0) &&
		    (!wat_index(w, WAT_SP_MEM, &x) || !wat_index(w, WAT_SP_MEM, &y)))
			return false;
		wlab_buf_u32(b, x);
		wlab_buf_u32(b, y);
		return true;
	case WLAB_IMM_ELEM_TABLE:  /* table.init elem | table.init table elem */
		y = 0;
		if (is_idx(w, 1) && !wat_index(w, WAT_SP_TABLE, &y))
			return false;
		if (!wat_index(w, WAT_SP_ELEM, &x))
			return false;
		wlab_buf_u32(b, x);
		wlab_buf_u32(b, y);
		return true;
	case WLAB_IMM_TABLE_TABLE:  /* table.copy (dst src)? */
		x = y = 0;
		if (is_idx(w, 0) && (!wat_index(w, WAT_SP_TABLE, &x) || !wat_index(w, WAT_SP_TABLE, &y)))
			return false;
		wlab_buf_u32(b, x);
		wlab_buf_u32(b, y);
		return true;
	default:
		return gc_immediates(w, op, b);
	}
}

/* An operator and its immediates (not block, loop, if). */
static bool operator(struct wat *w, struct wlab_buf *b)
{
	const struct wat_tok *t = wat_peek(w, 0);
	int op = op_lookup(w, t);
	if (op == WLAB_OP_CATCH || op == WLAB_OP_CATCH_ALL || op == WLAB_OP_DELEGATE)
		return wat_fail(w, t->off, "unexpected token %.*s", (int)t->len, w->text + t->off);
	int off = op < 0 ? op_off(w, t) : -1;
	if (off >= 0) {
		const char *f = wlab_feature_name(wlab_opinfo((uint16_t)off)->feature);
		return wat_fail(w, t->off, "unknown operator %s: %s needs the %s feature (--enable-%s)",
				wlab_opinfo((uint16_t)off)->name, wlab_opinfo((uint16_t)off)->name, f, f);
	}
	if (op < 0 || op == WLAB_OP_ELSE || op == WLAB_OP_END)
		return wat_fail(w, t->off, "unknown operator %.*s", (int)(t->len < 40 ? t->len : 40),
				w->text + t->off);
	w->pos++;
	if (op == WLAB_OP_SELECT && wat_at_lpar_kw(w, "result")) {
		/* select (result t*): 0x1c; an empty (result) writes plain select */
		struct wlab_buf ty = {0};
		uint32_t n = 0;
		wlab_valtype_t vt;
		while (wat_at_lpar_kw(w, "result")) {
			w->pos += 2;
			while (wat_peek(w, 0)->kind != WAT_RPAR) {
				if (!wat_valtype(w, &vt)) {
					wlab_buf_free(&ty);
					return false;
				}
				wlab_buf_valtype(&ty, vt);
				n++;
			}
			w->pos++;
		}
		if (n) {
			wlab_buf_op(b, WLAB_OP_SELECT_T);
			wlab_buf_u32(b, n);
			wlab_buf_bytes(b, ty.data, ty.size);
		} else {
			wlab_buf_op(b, WLAB_OP_SELECT);
		}
		wlab_buf_free(&ty);
		return true;
	}
	if (op == WLAB_OP_REF_TEST || op == WLAB_OP_REF_CAST) {
		/* ref.test rt, ref.cast rt: a nullable rt has its own opcode */
		wlab_valtype_t rt;
		if (!wat_reftype(w, &rt))
			return false;
		if (wlab_ref_nullable(rt))
			op = op == WLAB_OP_REF_TEST ? WLAB_OP_REF_TEST_NULL : WLAB_OP_REF_CAST_NULL;
		wlab_buf_op(b, (uint16_t)op);
		wlab_buf_heaptype(b, wlab_ref_heap(rt));
		return true;
	}
	wlab_buf_op(b, (uint16_t)op);
	return immediates(w, (uint16_t)op, b);
}

static int block_op(const struct wat *w)
{
	if (wat_at_kw(w, "try_table"))
		return WLAB_OP_TRY_TABLE;
	if (wat_at_kw(w, "try"))
		return WLAB_OP_TRY;
	if (wat_at_kw(w, "block"))
		return WLAB_OP_BLOCK;
	if (wat_at_kw(w, "loop"))
		return WLAB_OP_LOOP;
	if (wat_at_kw(w, "if"))
		return WLAB_OP_IF;
	return -1;
}

/* try_table's clauses: (catch x l) (catch_ref x l) (catch_all l)
 * (catch_all_ref l), labels counted from outside the try_table. */
static bool catch_clauses(struct wat *w, struct wlab_buf *b)
{
	static const char *const kinds[] = {"catch", "catch_ref", "catch_all", "catch_all_ref"};
	struct wlab_buf cl = {0};
	uint32_t n = 0, x, l;
	bool ok = true;
	for (;;) {
		int k = -1;
		for (int i = 0; i < 4; i++)
			if (wat_at_lpar_kw(w, kinds[i]))
				k = i;
		if (k < 0)
			break;
		w->pos += 2;
		wlab_buf_u8(&cl, (uint8_t)k);
		if (k < 2) {
			if (!(ok = wat_index(w, WAT_SP_TAG, &x)))
				break;
			wlab_buf_u32(&cl, x);
		}
		if (!(ok = label_index(w, &l) && wat_expect_rpar(w)))
			break;
		wlab_buf_u32(&cl, l);
		n++;
	}
	wlab_buf_u32(b, n);
	wlab_buf_bytes(b, cl.data, cl.size);
	wlab_buf_free(&cl);
	return ok;
}

/* block/loop/if/try/try_table label? blocktype (catch clauses): the
 * opcode and immediates; the label pushed. */
static bool block_head(struct wat *w, int op, struct wlab_buf *b)
{
	w->pos++;
	const struct wat_tok *id = wat_peek(w, 0)->kind == WAT_ID ? wat_peek(w, 0) : NULL;
	w->pos += id != NULL;
	wlab_buf_op(b, (uint16_t)op);
	if (!blocktype(w, b))
		return false;
	if (op == WLAB_OP_TRY_TABLE && !catch_clauses(w, b))
		return false;
	return label_push(w, id);
}

/* A legacy try's end: `delegate l` (l counted from outside the try, so
 * the try's label goes first), else `end`. */
static bool legacy_end(struct wat *w, struct wlab_buf *b, bool folded, bool handlers)
{
	uint32_t l;
	if (handlers || !(folded ? wat_at_lpar_kw(w, "delegate") : wat_at_kw(w, "delegate"))) {
		if (!folded && (!wat_expect_kw(w, "end") || !label_close(w)))
			return false;
		wlab_buf_u8(b, 0x0b);
		w->nlabels--;
		return true;
	}
	w->pos += folded ? 2 : 1;
	w->nlabels--;
	if (!label_index(w, &l))
		return false;
	wlab_buf_u8(b, 0x18);
	wlab_buf_u32(b, l);
	return !folded || wat_expect_rpar(w);
}

/* A legacy try's handlers: `catch x instr*`... `catch_all instr*`, plain
 * or folded (catch x instr*) (catch_all instr*). */
static bool legacy_handlers(struct wat *w, struct wlab_buf *b, bool folded, bool *any)
{
	*any = false;
	for (bool all = false; !all;) {
		if (folded ? wat_at_lpar_kw(w, "catch") : wat_at_kw(w, "catch"))
			all = false;
		else if (folded ? wat_at_lpar_kw(w, "catch_all") : wat_at_kw(w, "catch_all"))
			all = true;
		else
			return true;
		w->pos += folded ? 2 : 1;
		*any = true;
		uint32_t x;
		if (all) {
			wlab_buf_u8(b, 0x19);
		} else {
			if (!wat_index(w, WAT_SP_TAG, &x))
				return false;
			wlab_buf_u8(b, 0x07);
			wlab_buf_u32(b, x);
		}
		if (!wat_instrs(w, b) || (folded && !wat_expect_rpar(w)))
			return false;
	}
	return true;
}

/* (try label? blocktype (do instr*) handlers-or-delegate), after `(`. */
static bool folded_try(struct wat *w, struct wlab_buf *b)
{
	if (!block_head(w, WLAB_OP_TRY, b))
		return false;
	if (wat_at_lpar_kw(w, "do")) {
		w->pos += 2;
		if (!wat_instrs(w, b) || !wat_expect_rpar(w))
			return false;
	}
	bool any;
	return legacy_handlers(w, b, true, &any) && legacy_end(w, b, true, any) &&
	       wat_expect_rpar(w);
}

/* An operator, or a legacy try (block, loop, if and try_table are
 * wat_instrs' own). */
static bool plain(struct wat *w, struct wlab_buf *b)
{
	if (block_op(w) != WLAB_OP_TRY)
		return operator(w, b);
	if (w->depth >= MAX_DEPTH)
		return wat_fail(w, wat_peek(w, 0)->off, "nesting too deep");
	w->depth++;
	bool any, ok = block_head(w, WLAB_OP_TRY, b) && wat_instrs(w, b) &&
		       legacy_handlers(w, b, false, &any) && legacy_end(w, b, false, any);
	w->depth--;
	return ok;
}

static bool folded_if(struct wat *w, struct wlab_buf *b, struct wat_hint *hint, size_t text)
{
	struct wlab_buf head = {0};
	w->pos++;
	const struct wat_tok *id = wat_peek(w, 0)->kind == WAT_ID ? wat_peek(w, 0) : NULL;
	w->pos += id != NULL;
	wlab_buf_u8(&head, 0x04);
	bool ok = blocktype(w, &head);
	while (ok && wat_peek(w, 0)->kind == WAT_LPAR && !wat_at_lpar_kw(w, "then"))
		ok = wat_folded(w, b);
	wat_hint_place(w, hint, b->size);
	wat_place_instr(w, b->size, text);
	wlab_buf_bytes(b, head.data, head.size);
	wlab_buf_free(&head);
	if (!ok || !label_push(w, id) || !wat_expect_lpar_kw(w, "then") || !wat_instrs(w, b) ||
	    !wat_expect_rpar(w))
		return false;
	if (wat_at_lpar_kw(w, "else")) {
		size_t at = b->size;
		wat_place_instr(w, at, wat_peek(w, 1)->off);
		w->pos += 2;
		wlab_buf_u8(b, 0x05);
		if (!wat_instrs(w, b) || !wat_expect_rpar(w))
			return false;
		if (b->size == at + 1)
			b->size = at;
	}
	wat_place_instr(w, b->size, wat_peek(w, 0)->off);
	wlab_buf_u8(b, 0x0b);
	w->nlabels--;
	return wat_expect_rpar(w);
}

bool wat_folded(struct wat *w, struct wlab_buf *b)
{
	if (wat_peek(w, 0)->kind != WAT_LPAR)
		return wat_fail_tok(w, "(");
	if (w->depth >= MAX_DEPTH)
		return wat_fail(w, wat_peek(w, 0)->off, "nesting too deep");
	struct wat_hint *hint;
	if (!wat_hint_take(w, &hint))
		return false;
	size_t lpar = wat_peek(w, 0)->off;
	w->pos++;
	w->depth++;
	/* where wat2wasm places them: a block at its (, an operator at its name */
	size_t text = wat_peek(w, 0)->off;
	int op = block_op(w);
	bool ok;
	if (op >= 0)
		text = lpar;
	wat_note_top(w, w->depth - 1, text);
	if (op == WLAB_OP_IF) {
		ok = folded_if(w, b, hint, text);
	} else if (op == WLAB_OP_TRY) {
		wat_hint_place(w, hint, b->size);
		wat_place_instr(w, b->size, text);
		ok = folded_try(w, b);
	} else if (op >= 0) {
		wat_hint_place(w, hint, b->size);
		wat_place_instr(w, b->size, text);
		ok = block_head(w, op, b) && wat_instrs(w, b);
		if (ok)
			wat_place_instr(w, b->size, wat_peek(w, 0)->off);  /* the end: its ) */
		wlab_buf_u8(b, 0x0b);
		w->nlabels -= ok;
		ok = ok && wat_expect_rpar(w);
	} else {
		struct wlab_buf self = {0};
		ok = operator(w, &self);
		while (ok && wat_peek(w, 0)->kind == WAT_LPAR)
			ok = wat_folded(w, b);
		wat_hint_place(w, hint, b->size);
		wat_place_instr(w, b->size, text);
		wlab_buf_bytes(b, self.data, self.size);
		wlab_buf_free(&self);
		ok = ok && wat_expect_rpar(w);
	}
	w->depth--;
	return ok && wat_hint_target(w, hint, b);
}

/* The else or end of the plain block l that wat_instrs opened, at the
 * cursor: an else opens the arm of an if (any other block expects its
 * end), an end closes it (an empty else arm is not written). */
static bool plain_close(struct wat *w, struct wat_label *l, bool is_else, struct wlab_buf *b)
{
	wat_place_instr(w, b->size, wat_peek(w, 0)->off);
	if (is_else && l->plain_op == WLAB_OP_IF && !l->in_else) {
		w->pos++;
		if (!label_close(w))
			return false;
		l->in_else = true;
		l->else_at = b->size;
		wlab_buf_u8(b, 0x05);
		return true;
	}
	if (!wat_expect_kw(w, "end") || !label_close(w))
		return false;
	if (l->in_else && b->size == l->else_at + 1)
		b->size = l->else_at;  /* an empty else is not written */
	wlab_buf_u8(b, 0x0b);
	w->nlabels--;
	return true;
}

/* Instructions up to a `)`, or an end, else, catch, catch_all or delegate
 * of the caller's block. Plain block, loop, if and try_table open and close
 * here without recursion, their state in the labels above this call's
 * first (compilers nest them thousands deep: Go's esbuild.wasm 3,289, which
 * wasm2wat prints flat); folded forms and a legacy try recurse, under
 * MAX_DEPTH. */
bool wat_instrs(struct wat *w, struct wlab_buf *b)
{
	uint32_t base = w->nlabels;
	for (;;) {
		const struct wat_tok *t = wat_peek(w, 0);
		if (!wlab_buf_ok(b))
			return wat_oom(w);
		bool open = w->nlabels > base;
		if (t->kind == WAT_RPAR || t->kind == WAT_EOF) {
			if (open)
				return wat_expect_kw(w, "end");
			return true;
		}
		if (t->kind == WAT_LPAR) {
			if (!wat_folded(w, b))
				return false;
			continue;
		}
		bool is_end = wat_tok_is(w, t, "end"), is_else = wat_tok_is(w, t, "else");
		if (is_end || is_else || wat_tok_is(w, t, "catch") ||
		    wat_tok_is(w, t, "catch_all") || wat_tok_is(w, t, "delegate")) {
			if (!open)
				return true;
			if (!plain_close(w, &w->labels[w->nlabels - 1], is_else, b))
				return false;
			continue;
		}
		struct wat_hint *hint;
		if (!wat_hint_take(w, &hint))
			return false;
		wat_hint_place(w, hint, b->size);
		wat_place_instr(w, b->size, t->off);
		wat_note_top(w, w->depth, t->off);
		int op = block_op(w);
		if (op >= 0 && op != WLAB_OP_TRY) {
			if (!block_head(w, op, b))
				return false;
			w->labels[w->nlabels - 1].plain_op = (uint16_t)op;
		} else if (!plain(w, b)) {
			return false;
		}
		if (!wat_hint_target(w, hint, b))
			return false;
	}
}

bool wat_expr(struct wat *w, struct wlab_buf *b)
{
	if (!wat_instrs(w, b))
		return false;
	if (wat_peek(w, 0)->kind != WAT_RPAR)
		return wat_fail_tok(w, ")");
	wlab_buf_u8(b, 0x0b);
	return true;
}
