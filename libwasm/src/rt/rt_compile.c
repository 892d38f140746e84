/* rt_compile.c: translates validated bodies into the internal form (an
 * array of struct rt_cell), driven by the validator's per-instruction hook.
 *
 * Values are 64-bit slots and a v128 takes two, so every operand height and
 * local index becomes a slot offset: slot[h] is the offset of the value at
 * height h, kept from the validator's typed stack; a function without v128
 * values has slot[h] == h and the same cells as before. */
#include <stdlib.h>
#include <string.h>

#include "rt_internal.h"
#include "validate_internal.h"

#define NO_CELL UINT32_MAX

/* What the translator keeps per open control frame, indexed like vf->ctrls. */
struct tr_block {
	uint32_t start;    /* loop: its first cell */
	uint32_t patch;    /* forward branches to the end: a list linked through .a */
	uint32_t if_cell;  /* if: the RT_OP_BR_UNLESS to point at else or end */
	uint32_t body;     /* try, try_table: the first cell of the body */
	uint32_t body_end; /* legacy try with catches: the cell after its body */
	uint32_t hfirst, hcount;  /* try_table: its handlers in tr.handlers */
	uint32_t exn_slot; /* legacy catch: the hidden local of the caught exception */
};

struct tr {
	struct wlab_instance *inst;
	struct rt_cell *code;
	uint32_t n, cap;
	struct tr_block *blocks;
	uint32_t nblocks;
	uint32_t max_height;  /* in slots */
	bool nomem;
	uint32_t *slot;       /* slot[h] for h <= vf->nvals */
	uint32_t slot_cap;
	uint32_t *pslot;      /* params' slot offsets, nparams + 1 */
	uint64_t *dv;         /* v128 locals before local decl r, ndecls + 1 */
	uint32_t nparam_slots;
	uint64_t nlocal_slots;
	uint32_t *offsets;  /* per cell, when asked for (rt_offsets), else NULL */
	bool want_offsets;
	uint32_t offset;    /* of the instruction being translated */
	struct rt_handler *handlers;  /* exception handlers, in creation order */
	uint32_t nhandlers, handlers_cap;
	uint32_t ncatch, max_catch;   /* legacy catch blocks open, and at most */
	/* the stack map (rt_smap_site): sites, their operand bits in bits
	   (nbits so far), and whether any operand or local is a reference */
	struct rt_smap_site *sites;
	uint32_t nsites, sites_cap;
	uint64_t *bits;
	uint64_t nbits, bits_cap;  /* bits_cap in words */
	bool refs;
};

static void exn_end(struct tr *t, struct val_func *vf, struct tr_block *b);

static uint32_t emit(struct tr *t, uint16_t op, uint32_t a, uint64_t b)
{
	if (t->n == RT_MAX_CELLS) {  /* (a body of more than 100 MB) */
		t->nomem = true;
		return NO_CELL;
	}
	if (t->n == t->cap) {
		uint32_t cap = t->cap ? t->cap * 2 : 64;
		struct rt_cell *c = realloc(t->code, (size_t)cap * sizeof *c);
		if (!c) {
			t->nomem = true;
			return NO_CELL;
		}
		t->code = c;
		if (t->want_offsets) {
			uint32_t *o = realloc(t->offsets, (size_t)cap * sizeof *o);
			if (!o) {
				t->nomem = true;
				return NO_CELL;
			}
			t->offsets = o;
		}
		t->cap = cap;
	}
	if (t->want_offsets)
		t->offsets[t->n] = t->offset;
	t->code[t->n] = (struct rt_cell){.op = op, .a = a, .b = b};
	return t->n++;
}

/* The slot offset of local idx. */
static uint32_t local_slot(const struct tr *t, const struct val_func *vf, uint32_t idx)
{
	uint32_t np = vf->type->nparams;
	if (idx < np)
		return t->pslot[idx];
	uint64_t j = idx - np;
	uint32_t lo = 0, hi = vf->ndecls;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (vf->local_ends[mid] > j)
			hi = mid;
		else
			lo = mid + 1;
	}
	uint64_t v = t->dv[lo];
	if (lo < vf->ndecls && vf->decls[lo].type == WLAB_V128)
		v += j - (lo ? vf->local_ends[lo - 1] : 0);
	return (uint32_t)(t->nparam_slots + j + v);
}

/* Recomputes slot[] above the lowest height the instruction can have
 * changed: its pops below the height it found (or the closed frame's). */
static void update_slots(struct tr *t, struct val_func *vf, const struct wlab_instr *in)
{
	uint32_t n = vf->nvals, lo = vf->last.height < n ? vf->last.height : n, k;
	if (n >= t->slot_cap) {
		uint32_t cap = t->slot_cap ? t->slot_cap : 64;
		while (cap <= n)
			cap *= 2;
		uint32_t *p = realloc(t->slot, (size_t)cap * sizeof *p);
		if (!p) {
			t->nomem = true;
			return;
		}
		t->slot = p;
		t->slot_cap = cap;
	}
	switch (in->op) {
	case WLAB_OP_END: case WLAB_OP_ELSE: case WLAB_OP_CATCH: case WLAB_OP_CATCH_ALL:
	case WLAB_OP_DELEGATE:
		k = lo - (vf->last.closed.height < lo ? vf->last.closed.height : lo);
		break;
	case WLAB_OP_CALL:
		k = val_func_type(vf->vm, in->index)->nparams;
		break;
	case WLAB_OP_CALL_INDIRECT: case WLAB_OP_CALL_REF: case WLAB_OP_RETURN_CALL_REF:
		k = t->inst->m->types[in->index].nparams + 1;
		break;
	default: {
		const struct val_sig *sig = val_sig(vf->vm, in->op);
		k = sig->kind == VAL_SIG_SPECIAL ? 3 : sig->npop;
		break;
	}
	}
	lo = lo > k ? lo - k : 0;
	for (uint32_t h = lo; h < n; h++)
		t->slot[h + 1] = t->slot[h] + rt_value_slots(vf->vals[h]);
	if (t->slot[n] > t->max_height)
		t->max_height = t->slot[n];
}

static enum wlab_status open_block(struct tr *t, struct val_func *vf, uint32_t if_cell)
{
	uint32_t i = vf->nctrls - 1;
	if (i >= t->nblocks) {
		uint32_t n = t->nblocks ? t->nblocks * 2 : 16;
		while (n <= i)
			n *= 2;
		struct tr_block *b = realloc(t->blocks, n * sizeof *b);
		if (!b)
			return WLAB_NOMEM;
		t->blocks = b;
		t->nblocks = n;
	}
	t->blocks[i] = (struct tr_block){t->n, NO_CELL, if_cell, t->n, NO_CELL, 0, 0, NO_CELL};
	return WLAB_OK;
}

static void patch_list(struct tr *t, uint32_t head, uint32_t to)
{
	while (head != NO_CELL) {
		uint32_t next = t->code[head].a;
		t->code[head].a = to;
		head = next;
	}
}

/* A branch from operand height h (values on top included) to frame c. */
static void branch(struct tr *t, struct val_func *vf, uint16_t op, uint32_t depth, uint32_t h)
{
	struct val_ctrl *c = val_label(vf, depth);
	uint32_t idx = (uint32_t)(c - vf->ctrls);
	struct tr_block *b = &t->blocks[idx];
	uint32_t keep = val_label_arity(c);
	if (op == RT_OP_BR && h - keep == c->height)
		op = RT_OP_JUMP;
	else if (op == RT_OP_BR_IF && h - keep == c->height)
		op = RT_OP_JUMP_IF;
	uint64_t imm = (uint64_t)rt_slots(val_label_types(c), keep) << 32 | t->slot[c->height];
	if (c->op == WLAB_OP_LOOP) {
		emit(t, op, b->start, imm);
		return;
	}
	uint32_t cell = emit(t, op, b->patch, imm);
	if (cell != NO_CELL)
		b->patch = cell;
}

static enum wlab_status control(struct tr *t, struct val_func *vf, const struct wlab_instr *in)
{
	uint32_t h = vf->last.height;
	switch (in->op) {
	case WLAB_OP_BLOCK: case WLAB_OP_LOOP:
		return open_block(t, vf, NO_CELL);
	case WLAB_OP_IF:
		return open_block(t, vf, vf->last.dead ? NO_CELL :
				  emit(t, RT_OP_BR_UNLESS, NO_CELL, 0));
	case WLAB_OP_ELSE: {
		struct tr_block *b = &t->blocks[vf->nctrls - 1];
		if (!vf->last.dead) {
			uint32_t cell = emit(t, RT_OP_JUMP, b->patch, 0);
			if (cell != NO_CELL)
				b->patch = cell;
		}
		if (b->if_cell != NO_CELL)
			t->code[b->if_cell].a = t->n;
		b->if_cell = NO_CELL;
		return WLAB_OK;
	}
	case WLAB_OP_END: {
		struct tr_block *b = &t->blocks[vf->nctrls];
		exn_end(t, vf, b);
		if (vf->nctrls == 0)
			emit(t, WLAB_OP_RETURN, 0, 0);
		uint32_t to = vf->nctrls == 0 ? t->n - 1 : t->n;
		patch_list(t, b->patch, to);
		if (b->if_cell != NO_CELL)
			t->code[b->if_cell].a = to;
		return WLAB_OK;
	}
	case WLAB_OP_BR:
		branch(t, vf, RT_OP_BR, in->index, h);
		return WLAB_OK;
	case WLAB_OP_BR_IF:
		branch(t, vf, RT_OP_BR_IF, in->index, h - 1);
		return WLAB_OK;
	case WLAB_OP_BR_TABLE:
		emit(t, WLAB_OP_BR_TABLE, in->ntargets, 0);
		for (uint32_t i = 0; i < in->ntargets; i++)
			branch(t, vf, RT_OP_TARGET, in->targets[i], h - 1);
		branch(t, vf, RT_OP_TARGET, in->index, h - 1);
		return WLAB_OK;
	default:
		return WLAB_OK;
	}
}

/* ---- exception handling ---- */

static struct rt_handler *add_handler(struct tr *t, uint8_t kind, uint32_t depth, uint32_t height)
{
	if (t->nhandlers == t->handlers_cap) {
		uint32_t cap = t->handlers_cap ? t->handlers_cap * 2 : 8;
		struct rt_handler *h = realloc(t->handlers, (size_t)cap * sizeof *h);
		if (!h) {
			t->nomem = true;
			return NULL;
		}
		t->handlers = h;
		t->handlers_cap = cap;
	}
	struct rt_handler *h = &t->handlers[t->nhandlers];
	*h = (struct rt_handler){.kind = kind, .depth = depth, .height = height,
				 .end = UINT32_MAX, .order = t->nhandlers};
	t->nhandlers++;
	return h;
}

/* Values pushed by a handler of kind for a tag of np param slots: room. */
static void room_for(struct tr *t, uint32_t height, uint32_t slots)
{
	if (height + slots + 1 > t->max_height)
		t->max_height = height + slots + 1;
}

static uint32_t tag_slots(struct val_func *vf, uint32_t tag)
{
	const struct wlab_functype *ft = val_tag_type(vf->vm, tag);
	return ft ? rt_slots(ft->params, ft->nparams) : 0;
}

static uint32_t tag_values(struct val_func *vf, uint32_t tag)
{
	const struct wlab_functype *ft = val_tag_type(vf->vm, tag);
	return ft ? ft->nparams : 0;
}

/* try_table: a jump over one pad per catch clause, each a branch to the
 * clause's label from the values the handler pushes; then the body. */
static enum wlab_status try_table(struct tr *t, struct val_func *vf, const struct wlab_instr *in)
{
	if (open_block(t, vf, NO_CELL))
		return WLAB_NOMEM;
	uint32_t idx = vf->nctrls - 1;
	const struct val_ctrl *c = &vf->ctrls[idx];
	uint32_t base = t->slot[c->height];
	uint32_t jump = emit(t, RT_OP_JUMP, 0, 0);
	t->blocks[idx].hfirst = t->nhandlers;
	for (uint32_t i = 0; i < in->ncatches; i++) {
		const struct wlab_catch *k = &in->catches[i];
		bool tagged = k->kind <= WLAB_CATCH_REF;
		bool ref = k->kind == WLAB_CATCH_REF || k->kind == WLAB_CATCH_ALL_REF;
		uint32_t nvals = (tagged ? tag_values(vf, k->tag) : 0) + ref;
		struct rt_handler *h = add_handler(t, k->kind, idx, base);
		if (!h)
			return WLAB_NOMEM;
		h->tag = k->tag;
		h->target = t->n;
		room_for(t, base, (tagged ? tag_slots(vf, k->tag) : 0) + ref);
		branch(t, vf, RT_OP_BR, k->label + 1, c->height + nvals);
	}
	t->blocks[idx].hcount = t->nhandlers - t->blocks[idx].hfirst;
	if (jump != NO_CELL)
		t->code[jump].a = t->n;
	t->blocks[idx].body = t->n;
	for (uint32_t i = 0; i < t->blocks[idx].hcount; i++)
		t->handlers[t->blocks[idx].hfirst + i].start = t->n;
	return t->nomem ? WLAB_NOMEM : WLAB_OK;
}

/* Legacy catch x / catch_all: the body (or the previous catch block) ends
 * with a jump to the end; a handler for the try body lands here. */
static enum wlab_status legacy_catch(struct tr *t, struct val_func *vf, const struct wlab_instr *in)
{
	uint32_t idx = vf->nctrls - 1;
	struct tr_block *b = &t->blocks[idx];
	const struct val_ctrl *c = &vf->ctrls[idx];
	bool all = in->op == WLAB_OP_CATCH_ALL;
	if (b->exn_slot == NO_CELL) {
		b->body_end = t->n;
		b->exn_slot = (uint32_t)t->nlocal_slots + t->ncatch++;
		if (t->ncatch > t->max_catch)
			t->max_catch = t->ncatch;
	}
	if (!vf->last.dead) {
		uint32_t cell = emit(t, RT_OP_JUMP, b->patch, 0);
		if (cell != NO_CELL)
			b->patch = cell;
	}
	struct rt_handler *h = add_handler(t, all ? RT_H_LEGACY_CATCH_ALL : RT_H_LEGACY_CATCH,
					   idx, t->slot[c->height]);
	if (!h)
		return WLAB_NOMEM;
	h->tag = all ? 0 : in->index;
	h->start = b->body;
	h->end = b->body_end;
	h->target = t->n;
	h->exn_slot = b->exn_slot;
	room_for(t, h->height, all ? 0 : tag_slots(vf, in->index));
	return t->nomem ? WLAB_NOMEM : WLAB_OK;
}

/* delegate l: a handler over the try body that passes the exception on to
 * label l's block; then the try's end. */
static enum wlab_status legacy_delegate(struct tr *t, struct val_func *vf,
					const struct wlab_instr *in)
{
	uint32_t idx = vf->nctrls;  /* the try, closed */
	struct tr_block *b = &t->blocks[idx];
	struct rt_handler *h = add_handler(t, RT_H_DELEGATE, idx, 0);
	if (!h)
		return WLAB_NOMEM;
	h->start = b->body;
	h->end = t->n;
	h->delegate = (uint32_t)(val_label(vf, in->index) - vf->ctrls);
	patch_list(t, b->patch, t->n);
	return WLAB_OK;
}

/* At a block's end: a try_table's handlers end here; a legacy catch
 * block's hidden local is free again. */
static void exn_end(struct tr *t, struct val_func *vf, struct tr_block *b)
{
	(void)vf;
	for (uint32_t i = 0; i < b->hcount; i++)
		t->handlers[b->hfirst + i].end = t->n;
	b->hcount = 0;
	if (b->exn_slot != NO_CELL) {
		t->ncatch--;
		b->exn_slot = NO_CELL;
	}
}

static enum wlab_status exn_control(struct tr *t, struct val_func *vf, const struct wlab_instr *in)
{
	switch (in->op) {
	case WLAB_OP_TRY_TABLE:
		return try_table(t, vf, in);
	case WLAB_OP_TRY:
		return open_block(t, vf, NO_CELL);
	case WLAB_OP_CATCH: case WLAB_OP_CATCH_ALL:
		return legacy_catch(t, vf, in);
	default:  /* delegate */
		return legacy_delegate(t, vf, in);
	}
}

static int handler_cmp(const void *pa, const void *pb)
{
	const struct rt_handler *a = pa, *b = pb;
	if (a->start != b->start)
		return a->start > b->start ? -1 : 1;
	if (a->depth != b->depth)
		return a->depth > b->depth ? -1 : 1;
	return a->order < b->order ? -1 : a->order > b->order;
}

/* A v128 constant as two i64.const cells: its low and high halves. */
static void emit_v128(struct tr *t, const uint8_t bytes[16])
{
	uint64_t lo, hi;
	memcpy(&lo, bytes, 8);
	memcpy(&hi, bytes + 8, 8);
	emit(t, WLAB_OP_I64_CONST, 0, lo);
	emit(t, WLAB_OP_I64_CONST, 0, hi);
}

/* local.get/set/tee; a v128 local is two slots, moved one by one. */
static void emit_local(struct tr *t, struct val_func *vf, const struct wlab_instr *in)
{
	uint32_t s = local_slot(t, vf, in->index);
	if (vf->last.type != WLAB_V128) {
		emit(t, in->op, s, 0);
		return;
	}
	switch (in->op) {
	case WLAB_OP_LOCAL_GET:
		emit(t, WLAB_OP_LOCAL_GET, s, 0);
		emit(t, WLAB_OP_LOCAL_GET, s + 1, 0);
		break;
	case WLAB_OP_LOCAL_SET:
		emit(t, WLAB_OP_LOCAL_SET, s + 1, 0);
		emit(t, WLAB_OP_LOCAL_SET, s, 0);
		break;
	default:
		emit(t, WLAB_OP_LOCAL_SET, s + 1, 0);
		emit(t, WLAB_OP_LOCAL_TEE, s, 0);
		emit(t, WLAB_OP_LOCAL_GET, s + 1, 0);
		break;
	}
}

/* A load, store, v128 memory instruction, memory.size or memory.grow.
 * On a 32-bit memory 0, the instruction's own cell, as the hot loop (or
 * rt_simd) runs it: a = lane (v128 lane forms), b = offset. On any other
 * memory, RT_OP_MEMX (a = memory, b = offset) and RT_OP_MEMX_ARG (a = op,
 * b = lane), run by rt_memx() with the bounds check that cannot wrap.
 * Atomics name their memory in a on any memory (rt_atomic.c). */
static void emit_mem(struct tr *t, struct val_func *vf, const struct wlab_instr *in,
		     uint32_t mem, uint32_t lane, uint64_t offset)
{
	if (rt_is_atomic(in->op)) {  /* rt_atomic: any memory, a = memory, b = offset */
		emit(t, in->op, mem, offset);
		return;
	}
	if (mem == 0 && !val_memory(vf->vm, 0)->is64) {
		emit(t, in->op, lane, offset);
		return;
	}
	emit(t, RT_OP_MEMX, mem, offset);
	emit(t, RT_OP_MEMX_ARG, in->op, lane);
}

/* A GC instruction's cell (rt_gc.c): a = the store type id (allocations),
 * the field's byte offset (struct.get/set, b its storage type), the element
 * storage type (array accesses), or the cast's heap type (b: nullable); b
 * also the count, data or element segment of the array.new forms. */
static void emit_gc(struct tr *t, const struct wlab_instr *in)
{
	const struct wlab_module *m = t->inst->m;
	switch (in->op) {
	case WLAB_OP_STRUCT_NEW: case WLAB_OP_STRUCT_NEW_DEFAULT: case WLAB_OP_ARRAY_NEW:
	case WLAB_OP_ARRAY_NEW_DEFAULT: case WLAB_OP_ARRAY_NEW_FIXED: case WLAB_OP_ARRAY_NEW_DATA:
	case WLAB_OP_ARRAY_NEW_ELEM:
		emit(t, in->op, t->inst->type_ids[in->index], in->index2);
		break;
	case WLAB_OP_STRUCT_GET: case WLAB_OP_STRUCT_GET_S: case WLAB_OP_STRUCT_GET_U:
	case WLAB_OP_STRUCT_SET: {
		const struct wlab_functype *ft = &m->types[in->index];
		emit(t, in->op, rt_gc_field_offset(ft, in->index2), ft->fields[in->index2].type);
		break;
	}
	case WLAB_OP_ARRAY_LEN:
		emit(t, in->op, 0, 0);
		break;
	case WLAB_OP_REF_TEST: case WLAB_OP_REF_TEST_NULL: case WLAB_OP_REF_CAST:
	case WLAB_OP_REF_CAST_NULL:
		emit(t, in->op, rt_gc_heap_imm(t->inst, in->reftype), wlab_ref_nullable(in->reftype));
		break;
	default:  /* array.get/set/fill/copy/init_*: the (destination) element type */
		emit(t, in->op, m->types[in->index].fields[0].type, in->index2);
		break;
	}
}

/* ---- stack maps ---- */

/* Whether the k-th (from the deepest) of the operands instruction in pops
 * is a reference; *n: how many it pops. */
static bool popped_ref(struct tr *t, struct val_func *vf, const struct wlab_instr *in,
		       uint32_t k, uint32_t *n)
{
	const struct wlab_module *m = t->inst->m;
	const struct wlab_functype *ft;
	switch (in->op) {
	case WLAB_OP_CALL: case WLAB_OP_RETURN_CALL:
		ft = val_func_type(vf->vm, in->index);
		*n = ft->nparams;
		return k < ft->nparams && wlab_type_is_ref(ft->params[k]);
	case WLAB_OP_CALL_INDIRECT: case WLAB_OP_RETURN_CALL_INDIRECT: case WLAB_OP_CALL_REF:
	case WLAB_OP_RETURN_CALL_REF:  /* and the table index or the callee above the args */
		ft = &m->types[in->index];
		*n = ft->nparams + 1;
		return k < ft->nparams && wlab_type_is_ref(ft->params[k]);
	case WLAB_OP_STRUCT_NEW:
		ft = &m->types[in->index];
		*n = ft->nfields;
		return k < ft->nfields && wlab_type_is_ref(ft->fields[k].type);
	case WLAB_OP_ARRAY_NEW:  /* the value, the length */
		*n = 2;
		return k == 0 && wlab_type_is_ref(m->types[in->index].fields[0].type);
	case WLAB_OP_ARRAY_NEW_FIXED:
		*n = in->index2;
		return k < *n && wlab_type_is_ref(m->types[in->index].fields[0].type);
	case WLAB_OP_STRUCT_NEW_DEFAULT:
		*n = 0;
		return false;
	case WLAB_OP_ARRAY_NEW_DEFAULT:
		*n = 1;
		return false;
	default:  /* array.new_data, array.new_elem: two i32 */
		*n = 2;
		return false;
	}
}

/* A safepoint: the cell just emitted for in (a call or an allocation),
 * where a collection may run with this frame live. Its site, keyed by the
 * cell after it, maps the operands below the height before it pops. */
static void safepoint(struct tr *t, struct val_func *vf, const struct wlab_instr *in)
{
	uint32_t h = vf->last.height, n;
	popped_ref(t, vf, in, 0, &n);
	uint32_t base = h - n, height = t->slot[h];
	if (t->nsites == t->sites_cap) {
		uint32_t cap = t->sites_cap ? t->sites_cap * 2 : 16;
		struct rt_smap_site *p = realloc(t->sites, (size_t)cap * sizeof *p);
		if (!p) {
			t->nomem = true;
			return;
		}
		t->sites = p;
		t->sites_cap = cap;
	}
	uint64_t need = (t->nbits + height + 63) / 64;
	if (need > t->bits_cap) {
		uint64_t cap = t->bits_cap ? t->bits_cap * 2 : 16;
		while (cap < need)
			cap *= 2;
		uint64_t *p = cap < UINT32_MAX / 64 ? realloc(t->bits, (size_t)cap * 8) : NULL;
		if (!p) {
			t->nomem = true;
			return;
		}
		memset(p + t->bits_cap, 0, (size_t)(cap - t->bits_cap) * 8);
		t->bits = p;
		t->bits_cap = cap;
	}
	bool any = false;
	for (uint32_t i = 0; i < h; i++) {
		if (i < base ? !wlab_type_is_ref(vf->vals[i]) : !popped_ref(t, vf, in, i - base, &n))
			continue;
		uint64_t b = t->nbits + t->slot[i];
		t->bits[b >> 6] |= (uint64_t)1 << (b & 63);
		any = true;
	}
	t->sites[t->nsites++] = (struct rt_smap_site){t->n, height,
						       any ? (uint32_t)t->nbits : UINT32_MAX};
	if (any) {
		t->nbits += height;
		t->refs = true;
	}
}

/* The function's map (one allocation), when it has safepoints and a
 * reference in a local or at one of them (under gc stress: whenever it has
 * safepoints, so that a frame without its site fails loudly); the locals'
 * bits first. */
static enum wlab_status smap_make(struct tr *t, const struct val_func *vf, struct rt_func *f)
{
	const struct wlab_functype *ft = vf->type;
	f->smap = NULL;
	for (uint32_t i = 0; i < ft->nparams && !t->refs; i++)
		t->refs = wlab_type_is_ref(ft->params[i]);
	for (uint32_t r = 0; r < vf->ndecls && !t->refs; r++)
		t->refs = wlab_type_is_ref(vf->decls[r].type);
	if (!t->nsites || (!t->refs && !t->inst->store->gc.stress))
		return WLAB_OK;
	uint64_t nl = t->nlocal_slots, words = (nl + t->nbits + 63) / 64;
	if (nl + t->nbits > UINT32_MAX)
		return WLAB_NOMEM;
	size_t size = sizeof *f->smap + (size_t)words * 8 + (size_t)t->nsites * sizeof *t->sites;
	struct rt_smap *m = calloc(1, size);
	if (!m)
		return WLAB_NOMEM;
	m->nsites = t->nsites;
	m->nlocal_slots = (uint32_t)nl;
	m->pool = (uint64_t *)(void *)(m + 1);  /* 8-aligned: the sites after it */
	m->sites = (struct rt_smap_site *)(void *)(m->pool + words);
	for (uint32_t i = 0; i < ft->nparams; i++)
		if (wlab_type_is_ref(ft->params[i]))
			m->pool[t->pslot[i] >> 6] |= (uint64_t)1 << (t->pslot[i] & 63);
	for (uint32_t r = 0; r < vf->ndecls; r++) {
		if (!wlab_type_is_ref(vf->decls[r].type))
			continue;
		uint64_t j0 = r ? vf->local_ends[r - 1] : 0;
		for (uint64_t j = j0; j < vf->local_ends[r]; j++) {
			uint64_t b = t->nparam_slots + j + t->dv[r];
			m->pool[b >> 6] |= (uint64_t)1 << (b & 63);
		}
	}
	for (uint64_t b = 0; b < t->nbits; b++)  /* the sites' bits after the locals' */
		if (t->bits[b >> 6] >> (b & 63) & 1)
			m->pool[(nl + b) >> 6] |= (uint64_t)1 << ((nl + b) & 63);
	for (uint32_t i = 0; i < t->nsites; i++) {
		m->sites[i] = t->sites[i];
		if (m->sites[i].bit != UINT32_MAX)
			m->sites[i].bit += (uint32_t)nl;
	}
	f->smap = m;
	return WLAB_OK;
}

/* Emits the cells of one instruction (none in dead code). */
static enum wlab_status emit_one(struct tr *t, struct val_func *vf,
				 const struct wlab_instr *in)
{
	switch (in->op) {
	case WLAB_OP_BLOCK: case WLAB_OP_LOOP: case WLAB_OP_IF: case WLAB_OP_ELSE:
	case WLAB_OP_END:
		return control(t, vf, in);
	case WLAB_OP_TRY_TABLE: case WLAB_OP_TRY: case WLAB_OP_CATCH: case WLAB_OP_CATCH_ALL:
	case WLAB_OP_DELEGATE:
		return exn_control(t, vf, in);
	default:
		break;
	}
	if (vf->last.dead)
		return WLAB_OK;
	switch (in->op) {
	case WLAB_OP_NOP:
		return WLAB_OK;
	case WLAB_OP_BR: case WLAB_OP_BR_IF: case WLAB_OP_BR_TABLE:
		return control(t, vf, in);
	case WLAB_OP_SELECT: case WLAB_OP_SELECT_T:
		emit(t, vf->last.type == WLAB_V128 ? RT_OP_V128_SELECT : RT_OP_SELECT, 0, 0);
		break;
	case WLAB_OP_DROP:
		emit(t, WLAB_OP_DROP, 0, 0);
		if (vf->last.type == WLAB_V128)
			emit(t, WLAB_OP_DROP, 0, 0);
		break;
	case WLAB_OP_LOCAL_GET: case WLAB_OP_LOCAL_SET: case WLAB_OP_LOCAL_TEE:
		emit_local(t, vf, in);
		break;
	case WLAB_OP_GLOBAL_GET: case WLAB_OP_GLOBAL_SET:
		if (val_global(vf->vm, in->index)->valtype == WLAB_V128)
			emit(t, in->op == WLAB_OP_GLOBAL_GET ? RT_OP_V128_GLOBAL_GET
			     : RT_OP_V128_GLOBAL_SET, in->index, 0);
		else
			emit(t, in->op, in->index, 0);
		break;
	case WLAB_OP_V128_CONST:
		emit_v128(t, in->v128);
		break;
	case WLAB_OP_I8X16_SHUFFLE: {
		/* the lane indices go on the stack above the operands */
		uint32_t top = t->slot[vf->last.height] + 2;
		if (top > t->max_height)
			t->max_height = top;
		emit_v128(t, in->v128);
		emit(t, in->op, 0, 0);
		break;
	}
	case WLAB_OP_I32_CONST:
		emit(t, in->op, 0, (uint32_t)in->i32);
		break;
	case WLAB_OP_I64_CONST:
		emit(t, in->op, 0, (uint64_t)in->i64);
		break;
	case WLAB_OP_F32_CONST:
		emit(t, in->op, 0, in->f32);
		break;
	case WLAB_OP_F64_CONST:
		emit(t, in->op, 0, in->f64);
		break;
	case WLAB_OP_CALL_INDIRECT: case WLAB_OP_RETURN_CALL_INDIRECT:
		/* a: the type's store id; b: the table (its elements may move,
		 * the table does not) */
		emit(t, in->op, t->inst->type_ids[in->index], (uintptr_t)t->inst->tables[in->index2]);
		safepoint(t, vf, in);
		break;
	case WLAB_OP_CALL: case WLAB_OP_RETURN_CALL: {  /* b: the callee, not loaded at the call */
		struct rt_func *callee = t->inst->funcs[in->index];
		bool in_inst = in->op == WLAB_OP_CALL && callee->inst == t->inst;
		emit(t, in_inst ? RT_OP_CALL_IN : in->op, in->index, (uintptr_t)callee);
		safepoint(t, vf, in);
		break;
	}
	case WLAB_OP_CALL_REF: case WLAB_OP_RETURN_CALL_REF:
		emit(t, in->op, in->index, in->index2);
		safepoint(t, vf, in);
		break;
	case WLAB_OP_MEMORY_SIZE: case WLAB_OP_MEMORY_GROW:
		emit_mem(t, vf, in, in->index, 0, 0);
		break;
	case WLAB_OP_BR_ON_NULL:  /* branches without the null */
		branch(t, vf, RT_OP_BR_ON_NULL, in->index, vf->last.height - 1);
		break;
	case WLAB_OP_BR_ON_NON_NULL:  /* branches with the reference */
		branch(t, vf, RT_OP_BR_ON_NON_NULL, in->index, vf->last.height);
		break;
	case WLAB_OP_RETHROW:
		emit(t, in->op, t->blocks[val_label(vf, in->index) - vf->ctrls].exn_slot, 0);
		break;
	case WLAB_OP_ANY_CONVERT_EXTERN: case WLAB_OP_EXTERN_CONVERT_ANY:
		break;  /* one representation for both hierarchies: nothing to do */
	case WLAB_OP_STRUCT_NEW: case WLAB_OP_STRUCT_NEW_DEFAULT: case WLAB_OP_STRUCT_GET:
	case WLAB_OP_STRUCT_GET_S: case WLAB_OP_STRUCT_GET_U: case WLAB_OP_STRUCT_SET:
	case WLAB_OP_ARRAY_NEW: case WLAB_OP_ARRAY_NEW_DEFAULT: case WLAB_OP_ARRAY_NEW_FIXED:
	case WLAB_OP_ARRAY_NEW_DATA: case WLAB_OP_ARRAY_NEW_ELEM: case WLAB_OP_ARRAY_GET:
	case WLAB_OP_ARRAY_GET_S: case WLAB_OP_ARRAY_GET_U: case WLAB_OP_ARRAY_SET:
	case WLAB_OP_ARRAY_LEN: case WLAB_OP_ARRAY_FILL: case WLAB_OP_ARRAY_COPY:
	case WLAB_OP_ARRAY_INIT_DATA: case WLAB_OP_ARRAY_INIT_ELEM: case WLAB_OP_REF_TEST:
	case WLAB_OP_REF_TEST_NULL: case WLAB_OP_REF_CAST: case WLAB_OP_REF_CAST_NULL:
		emit_gc(t, in);
		if (rt_gc_allocates(in->op))
			safepoint(t, vf, in);
		break;
	case WLAB_OP_BR_ON_CAST: case WLAB_OP_BR_ON_CAST_FAIL: {
		/* the test pushes an i32 above the reference; a br_if takes it */
		uint32_t top = t->slot[vf->last.height] + 1;
		if (top > t->max_height)
			t->max_height = top;
		emit(t, RT_OP_CAST_TEST, rt_gc_heap_imm(t->inst, in->reftype2),
		     wlab_ref_nullable(in->reftype2) | (uint64_t)(in->op == WLAB_OP_BR_ON_CAST_FAIL) << 1);
		branch(t, vf, RT_OP_BR_IF, in->index, vf->last.height);
		break;
	}
	default: {
		const struct wlab_opinfo *oi = wlab_opinfo(in->op);
		if (oi->imm == WLAB_IMM_MEMARG)
			emit_mem(t, vf, in, in->memarg.memidx, 0, in->memarg.offset);
		else if (oi->imm == WLAB_IMM_MEMARG_LANE)
			emit_mem(t, vf, in, in->memarg.memidx, in->lane, in->memarg.offset);
		else if (oi->imm == WLAB_IMM_LANE)
			emit(t, in->op, in->lane, 0);
		else
			emit(t, in->op, in->index, in->index2);
		break;
	}
	}
	return t->nomem ? WLAB_NOMEM : WLAB_OK;
}

/* The validator's hook: the instruction's cells, then the slots of the
 * values it left. */
static enum wlab_status after(void *ctx, struct val_func *vf, const struct wlab_instr *in)
{
	struct tr *t = ctx;
	t->offset = in->offset;
	enum wlab_status st = emit_one(t, vf, in);
	update_slots(t, vf, in);
	return st ? st : t->nomem ? WLAB_NOMEM : WLAB_OK;
}

/* The slot offsets of the params and local declarations, and slot[0]. */
static enum wlab_status slots_begin(struct tr *t, const struct val_func *vf)
{
	const struct wlab_functype *ft = vf->type;
	t->slot_cap = 64;
	t->slot = malloc(t->slot_cap * sizeof *t->slot);
	t->pslot = malloc(((size_t)ft->nparams + 1) * sizeof *t->pslot);
	t->dv = malloc(((size_t)vf->ndecls + 1) * sizeof *t->dv);
	if (!t->slot || !t->pslot || !t->dv)
		return WLAB_NOMEM;
	t->slot[0] = 0;
	t->pslot[0] = 0;
	for (uint32_t i = 0; i < ft->nparams; i++)
		t->pslot[i + 1] = t->pslot[i] + rt_value_slots(ft->params[i]);
	t->nparam_slots = t->pslot[ft->nparams];
	t->dv[0] = 0;
	for (uint32_t r = 0; r < vf->ndecls; r++)
		t->dv[r + 1] = t->dv[r] +
			       (vf->decls[r].type == WLAB_V128 ? vf->decls[r].count : 0);
	t->nlocal_slots = t->nparam_slots + (vf->nlocals - ft->nparams) + t->dv[vf->ndecls];
	return WLAB_OK;
}

/* Walks body idx with vf (set up for t->inst's module) into t's cells (and
 * their offsets when t->want_offsets). */
static enum wlab_status walk_body(struct tr *t, struct val_func *vf, uint32_t idx)
{
	const struct wlab_module *m = t->inst->m;
	struct val_hook hook = {after, t};
	enum wlab_status st = val_func_begin(vf, idx);
	if (!st)
		st = open_block(t, vf, NO_CELL);
	if (!st)
		st = slots_begin(t, vf);
	if (!st)
		st = val_func_walk(vf, m->codes[idx - m->nimported_funcs].expr, &hook);
	return !st && t->nomem ? WLAB_NOMEM : st;
}

/* What only the walk needs, freed after it. */
static void walk_free(struct tr *t)
{
	free(t->sites);
	free(t->bits);
	free(t->blocks);
	free(t->slot);
	free(t->pslot);
	free(t->dv);
}

/* Translates one body with the walk vf (set up for inst's module) into f. */
static enum wlab_status compile_one(struct val_func *vf, struct wlab_instance *inst,
				    struct rt_func *f, uint32_t idx)
{
	struct tr t = {.inst = inst};
	enum wlab_status st = walk_body(&t, vf, idx);
	if (!st)
		st = smap_make(&t, vf, f);
	walk_free(&t);
	if (st) {
		free(t.handlers);
		free(t.code);
		return st;
	}
	t.nlocal_slots += t.max_catch;  /* the legacy catch blocks' hidden locals */
	f->nlocals = t.nlocal_slots > UINT32_MAX ? UINT32_MAX : (uint32_t)t.nlocal_slots;
	if (t.nhandlers)
		qsort(t.handlers, t.nhandlers, sizeof *t.handlers, handler_cmp);
	f->handlers = t.handlers;
	f->nhandlers = t.nhandlers;
	f->param_slots = t.nparam_slots;
	f->result_slots = rt_slots(f->results, f->nresults);
	f->code = t.code;
	f->ncode = t.n;
	f->max_height = t.max_height;
	f->new_slots = f->nlocals - f->param_slots;
	uint64_t enter = (uint64_t)f->new_slots + f->max_height + 2;
	f->enter_room = enter * sizeof(uint64_t);
	return WLAB_OK;
}

/* What an instance keeps to translate its functions on their first calls:
 * the validator's view of the module (rt_translate). */
struct rt_lazy {
	struct val_module vm;
	struct val_func vf;
	struct wlab_validate_error verr;
};

/* The instance's validator view, made by its first translation and kept;
 * NULL when out of memory. */
static struct rt_lazy *lazy_of(struct wlab_instance *inst)
{
	struct rt_lazy *lz = inst->lazy;
	if (!lz) {
		struct wlab_validate_options vopts = {.features = inst->store->opts.features};
		if (!(lz = calloc(1, sizeof *lz)))
			return NULL;
		inst->lazy = lz;
		if (val_module_init(&lz->vm, inst->m, &vopts, &lz->verr)) {
			val_module_fini(&lz->vm);
			free(lz);
			inst->lazy = NULL;
			return NULL;  /* the module is valid: nothing else fails */
		}
		val_func_init(&lz->vf, &lz->vm);
	}
	return lz;
}

/* The module was validated whole by wlab_instantiate before anything ran;
 * each function is translated on its first call. */
enum wlab_status rt_translate(struct rt_func *f)
{
	struct rt_lazy *lz = lazy_of(f->inst);
	if (!lz)
		return WLAB_NOMEM;
	enum wlab_status st = compile_one(&lz->vf, f->inst, f, f->index);
	if (!st) {
		rt_fuse(f);
		rt_cells_fill(f);
	}
	return st;
}

/* The offsets come from translating f again into cells that are dropped:
 * translation is a function of the body alone, so the cells come out the
 * same (their count is checked), and no run keeps 4 bytes a cell that only
 * a trap's backtrace or a profile reads. (A host function has no code.) */
const uint32_t *rt_offsets(struct rt_func *f)
{
	struct rt_lazy *lz;
	if (f->offsets || !f->code || !(lz = lazy_of(f->inst)))
		return f->offsets;
	struct tr t = {.inst = f->inst, .want_offsets = true};
	enum wlab_status st = walk_body(&t, &lz->vf, f->index);
	walk_free(&t);
	free(t.handlers);
	free(t.code);
	if (!st && t.n == f->ncode)
		f->offsets = t.offsets;
	else
		free(t.offsets);
	return f->offsets;
}

void rt_lazy_free(struct wlab_instance *inst)
{
	if (!inst->lazy)
		return;
	val_func_fini(&inst->lazy->vf);
	val_module_fini(&inst->lazy->vm);
	free(inst->lazy);
	inst->lazy = NULL;
}
