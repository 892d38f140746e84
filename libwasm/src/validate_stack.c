/* validate_stack.c: the value and control stacks of the spec's validation
 * algorithm (appendix "Validation Algorithm"), with its polymorphic stack:
 * below the height of a frame gone unreachable, pops yield VAL_UNKNOWN. */
#include "validate_internal.h"

enum wlab_status val_push(struct val_func *vf, wlab_valtype_t t)
{
	if (vf->nvals == vf->vals_cap &&
	    val_grow(vf->vm, (void **)&vf->vals, &vf->vals_cap, sizeof *vf->vals, (uint64_t)vf->nvals + 1,
		     vf->offset))
		return vf->vm->err->error.status;
	vf->vals[vf->nvals++] = t;
	return WLAB_OK;
}

enum wlab_status val_push_n(struct val_func *vf, const wlab_valtype_t *ts, uint32_t n)
{
	if ((uint64_t)vf->nvals + n > vf->vals_cap &&
	    val_grow(vf->vm, (void **)&vf->vals, &vf->vals_cap, sizeof *vf->vals, (uint64_t)vf->nvals + n,
		     vf->offset))
		return vf->vm->err->error.status;
	for (uint32_t i = 0; i < n; i++)
		vf->vals[vf->nvals++] = ts[i];
	return WLAB_OK;
}

/* val_pop's way when t, popped, is not expect (neither unknown): a
 * subtype, or a mismatch. Out of line, so that val_pop, called for every
 * operand, saves no registers on its way. */
__attribute__((noinline))
static enum wlab_status pop_other(struct val_func *vf, wlab_valtype_t expect, wlab_valtype_t t,
				  wlab_valtype_t *got)
{
	if (!val_subtype(vf->vm, t, expect))
		return val_mismatch_pop(vf, expect, true, t);
	if (got)
		*got = t;
	return WLAB_OK;
}

enum wlab_status val_pop(struct val_func *vf, wlab_valtype_t expect, wlab_valtype_t *got)
{
	const struct val_ctrl *c = &vf->ctrls[vf->nctrls - 1];
	wlab_valtype_t t = VAL_UNKNOWN;
	if (vf->nvals == c->height) {
		if (!c->unreachable)
			return val_mismatch_pop(vf, expect, false, 0);
	} else {
		t = vf->vals[--vf->nvals];
		if (t != expect && t != VAL_UNKNOWN && expect != VAL_UNKNOWN)
			return pop_other(vf, expect, t, got);
	}
	if (got)
		*got = t == VAL_UNKNOWN ? expect : t;
	return WLAB_OK;
}

enum wlab_status val_pop_n(struct val_func *vf, const wlab_valtype_t *ts, uint32_t n)
{
	for (uint32_t i = n; i-- > 0;)
		if (val_pop(vf, ts[i], NULL))
			return WLAB_INVALID;
	return WLAB_OK;
}

/* The same as popping ts and pushing back what was popped (br_table). */
enum wlab_status val_peek_n(struct val_func *vf, const wlab_valtype_t *ts, uint32_t n)
{
	const struct val_ctrl *c = &vf->ctrls[vf->nctrls - 1];
	uint32_t have = vf->nvals - c->height;
	for (uint32_t i = 0; i < n; i++) {
		if (i >= have) {
			if (!c->unreachable)
				return val_mismatch(vf);
			break;
		}
		wlab_valtype_t t = vf->vals[vf->nvals - 1 - i], want = ts[n - 1 - i];
		if (t != want && t != VAL_UNKNOWN && !val_subtype(vf->vm, t, want))
			return val_mismatch(vf);
	}
	return WLAB_OK;
}

enum wlab_status val_push_ctrl(struct val_func *vf, uint16_t op, uint32_t offset,
			       const wlab_valtype_t *params, uint32_t nparams,
			       const wlab_valtype_t *results, uint32_t nresults)
{
	if (vf->nctrls == vf->ctrls_cap &&
	    val_grow(vf->vm, (void **)&vf->ctrls, &vf->ctrls_cap, sizeof *vf->ctrls,
		     (uint64_t)vf->nctrls + 1, vf->offset))
		return vf->vm->err->error.status;
	struct val_ctrl *c = &vf->ctrls[vf->nctrls++];
	*c = (struct val_ctrl){
		.op = op, .offset = offset, .height = vf->nvals,
		.nparams = nparams, .nresults = nresults,
		.params = params, .results = results, .inits = vf->ninits,
	};
	return val_push_n(vf, params, nparams);
}

enum wlab_status val_pop_ctrl(struct val_func *vf, struct val_ctrl *out)
{
	const struct val_ctrl *c = &vf->ctrls[vf->nctrls - 1];
	if (val_pop_n(vf, c->results, c->nresults))
		return WLAB_INVALID;
	if (vf->nvals != c->height)
		return val_mismatch(vf);
	*out = *c;
	val_locals_reset(vf, c->inits);
	vf->nctrls--;
	return WLAB_OK;
}

void val_unreachable(struct val_func *vf)
{
	struct val_ctrl *c = &vf->ctrls[vf->nctrls - 1];
	vf->nvals = c->height;
	c->unreachable = true;
}

struct val_ctrl *val_label(struct val_func *vf, uint32_t depth)
{
	if (depth >= vf->nctrls) {
		val_fail(vf->vm, vf->offset, "unknown label");
		return NULL;
	}
	return &vf->ctrls[vf->nctrls - 1 - depth];
}
