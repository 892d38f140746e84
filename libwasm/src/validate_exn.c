/* validate_exn.c: exception handling: tag types, throw, throw_ref,
 * try_table and its catch clauses, and the legacy try/catch/catch_all/
 * delegate/rethrow (the legacy exception-handling proposal's rules). */
#include "validate_internal.h"

const struct wlab_functype *val_tag_type(const struct val_module *vm, uint32_t idx)
{
	const struct wlab_module *m = vm->m;
	uint32_t t;
	if (idx < m->nimported_tags) {
		const struct wlab_import *im = wlab_module_import_of(m, WLAB_EXTERN_TAG, idx);
		if (!im)
			return NULL;
		t = im->u.tag.type_index;
	} else if (idx - m->nimported_tags < m->ntags) {
		t = m->tags[idx - m->nimported_tags].type.type_index;
	} else {
		return NULL;
	}
	return val_functype_at(vm, t);
}

enum wlab_status val_check_tagtype(struct val_module *vm, const struct wlab_tagtype *tt,
				   size_t offset)
{
	const struct wlab_module *m = vm->m;
	if (val_need_functype(vm, tt->type_index, offset))
		return WLAB_INVALID;
	if (m->types[tt->type_index].nresults)
		return val_fail(vm, offset, "non-empty tag result type");
	return WLAB_OK;
}

static const struct wlab_functype *tag_of(struct val_func *vf, uint32_t idx)
{
	const struct wlab_functype *ft = val_tag_type(vf->vm, idx);
	if (!ft)
		val_fail(vf->vm, vf->offset, "unknown tag %u", idx);
	return ft;
}

/* Does a branch to c accept the values ts (the types a catch clause pushes)? */
static bool label_takes(struct val_func *vf, const struct val_ctrl *c,
			const wlab_valtype_t *ts, uint32_t n, bool with_ref)
{
	uint32_t arity = val_label_arity(c);
	const wlab_valtype_t *lt = val_label_types(c);
	if (arity != n + with_ref)
		return false;
	for (uint32_t i = 0; i < n; i++)
		if (!val_subtype(vf->vm, ts[i], lt[i]))
			return false;
	return !with_ref || val_subtype(vf->vm, wlab_ref_type(false, WLAB_HT_EXN), lt[n]);
}

/* "type mismatch in catch, expected [the label's types] but got [what the
 * clause pushes]" (its first 15 types). */
static enum wlab_status catch_mismatch(struct val_func *vf, const struct val_ctrl *l,
				       const struct wlab_functype *ft, bool ref)
{
	wlab_valtype_t got[16];
	uint32_t n = 0;
	for (uint32_t i = 0; ft && i < ft->nparams && n < 15; i++)
		got[n++] = ft->params[i];
	if (ref)
		got[n++] = wlab_ref_type(false, WLAB_HT_EXN);
	return val_mismatch_types(vf, "catch", val_label_types(l), val_label_arity(l), got, n);
}

/* Each clause's label must take what the clause pushes: the tag's params
 * (catch), those and a (ref exn) (catch_ref), nothing (catch_all) or a
 * (ref exn) (catch_all_ref). Labels count from outside the try_table. */
static enum wlab_status check_catches(struct val_func *vf, const struct wlab_instr *in)
{
	for (uint32_t i = 0; i < in->ncatches; i++) {
		const struct wlab_catch *c = &in->catches[i];
		const struct wlab_functype *ft = NULL;
		if (c->kind <= WLAB_CATCH_REF && !(ft = tag_of(vf, c->tag)))
			return WLAB_INVALID;
		const struct val_ctrl *l = val_label(vf, c->label);
		if (!l)
			return WLAB_INVALID;
		bool ref = c->kind == WLAB_CATCH_REF || c->kind == WLAB_CATCH_ALL_REF;
		if (!label_takes(vf, l, ft ? ft->params : NULL, ft ? ft->nparams : 0, ref))
			return catch_mismatch(vf, l, ft, ref);
	}
	return WLAB_OK;
}

/* catch x / catch_all: ends the try (or the previous catch) block and
 * opens a handler block with the try's results; its stack starts with the
 * tag's params alone (catch) or empty (catch_all), not with the try's params. */
static enum wlab_status legacy_catch(struct val_func *vf, const struct wlab_instr *in)
{
	struct val_ctrl *c = &vf->last.closed;
	const struct wlab_functype *ft = NULL;
	if (in->op == WLAB_OP_CATCH && !(ft = tag_of(vf, in->index)))
		return WLAB_INVALID;
	uint16_t top = vf->ctrls[vf->nctrls - 1].op;
	if (top != WLAB_OP_TRY && top != WLAB_OP_CATCH)
		return val_fail(vf->vm, in->offset, top == WLAB_OP_CATCH_ALL ?
				"catch after catch_all" : "catch without try");
	if (val_pop_ctrl(vf, c))
		return WLAB_INVALID;
	if (val_push_ctrl(vf, in->op, c->offset, c->params, c->nparams, c->results,
			  c->nresults))
		return WLAB_INVALID;
	vf->ctrls[vf->nctrls - 1].aux = c->aux;
	vf->nvals = vf->ctrls[vf->nctrls - 1].height;  /* the params val_push_ctrl pushed */
	return ft ? val_push_n(vf, ft->params, ft->nparams) : WLAB_OK;
}

/* delegate l: ends a try block (without catches); l counts from outside it. */
static enum wlab_status legacy_delegate(struct val_func *vf, const struct wlab_instr *in)
{
	struct val_ctrl *c = &vf->last.closed;
	if (vf->ctrls[vf->nctrls - 1].op != WLAB_OP_TRY)
		return val_fail(vf->vm, in->offset, "delegate without try");
	if (val_pop_ctrl(vf, c))
		return WLAB_INVALID;
	if (!val_label(vf, in->index))
		return WLAB_INVALID;
	return val_push_n(vf, c->results, c->nresults);
}

/* rethrow l: l must name a catch or catch_all block. */
static enum wlab_status legacy_rethrow(struct val_func *vf, const struct wlab_instr *in)
{
	const struct val_ctrl *l = val_label(vf, in->index);
	if (!l)
		return WLAB_INVALID;
	if (l->op != WLAB_OP_CATCH && l->op != WLAB_OP_CATCH_ALL)
		return val_fail(vf->vm, in->offset, "invalid rethrow label");
	val_unreachable(vf);
	return WLAB_OK;
}

enum wlab_status val_exn(struct val_func *vf, const struct wlab_instr *in,
			 enum wlab_status (*open_block)(struct val_func *, const struct wlab_instr *))
{
	const struct wlab_functype *ft;
	switch (in->op) {
	case WLAB_OP_THROW:
		if (!(ft = tag_of(vf, in->index)) || val_pop_n(vf, ft->params, ft->nparams))
			return WLAB_INVALID;
		val_unreachable(vf);
		return WLAB_OK;
	case WLAB_OP_THROW_REF:
		if (val_pop(vf, WLAB_HT_EXN, NULL))
			return WLAB_INVALID;
		val_unreachable(vf);
		return WLAB_OK;
	case WLAB_OP_TRY_TABLE:
		if (check_catches(vf, in))
			return WLAB_INVALID;
		return open_block(vf, in);
	case WLAB_OP_TRY:
		return open_block(vf, in);
	case WLAB_OP_CATCH: case WLAB_OP_CATCH_ALL:
		return legacy_catch(vf, in);
	case WLAB_OP_DELEGATE:
		return legacy_delegate(vf, in);
	default:  /* rethrow */
		return legacy_rethrow(vf, in);
	}
}
