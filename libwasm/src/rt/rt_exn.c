/* rt_exn.c: tags and exceptions of the interpreter: making them, finding
 * the handler that catches one, and what the embedder sees of one that
 * leaves the guest.
 *
 * Exceptions live as long as the store, in one list, at most
 * RT_MAX_EXNS of them, each with its payload taken from the store's
 * budget (a throw past either traps "too many live exceptions"): values are untyped 64-bit words on the operand stack, so
 * without a collector the interpreter cannot tell when the last exnref to
 * an exception is gone (docs/interpreter.md). */
#include <stdlib.h>
#include <string.h>

#include "rt_internal.h"

#define RT_MAX_EXNS 1000000u

struct rt_tag *wlab_tag_new(struct wlab_store *s, const wlab_valtype_t *params,
			    uint32_t nparams)
{
	uint32_t id = rt_type_id(s, params, nparams, NULL, 0);
	return id == UINT32_MAX ? NULL : wlab_tag_new_id(s, id);
}

struct rt_tag *wlab_tag_new_id(struct wlab_store *s, uint32_t type_id)
{
	if (type_id >= s->ntypes || s->types[type_id].form != 0x60 || s->types[type_id].nresults)
		return NULL;
	const struct wlab_functype *ft = &s->types[type_id];
	struct rt_tag *t = rt_alloc(s, WLAB_EXTERN_TAG, sizeof *t);
	if (!t)
		return NULL;
	t->params = ft->params;  /* the store's types live as long as it */
	t->nparams = ft->nparams;
	t->param_slots = rt_slots(ft->params, ft->nparams);
	t->type_id = type_id;
	return t;
}

struct rt_exn *rt_exn_new(struct wlab_store *s, struct rt_tag *tag, const uint64_t *vals)
{
	uint64_t bytes = sizeof(struct rt_exn) + (uint64_t)tag->param_slots * sizeof *vals;
	if (s->nexns >= RT_MAX_EXNS || !rt_budget_take(s, bytes))
		return NULL;
	struct rt_exn *e = malloc((size_t)bytes);
	if (!e) {
		rt_budget_give(s, bytes);
		return NULL;
	}
	e->tag = tag;
	e->nslots = tag->param_slots;
	if (e->nslots)
		memcpy(e->vals, vals, e->nslots * sizeof *vals);
	e->next = s->exns;
	s->exns = e;
	s->nexns++;
	return e;
}

void rt_exn_free_all(struct wlab_store *s)
{
	while (s->exns) {
		struct rt_exn *e = s->exns;
		s->exns = e->next;
		free(e);
	}
	s->nexns = 0;
	s->exn = NULL;
}

static bool catches(const struct rt_func *f, const struct rt_handler *h, const struct rt_exn *exn)
{
	switch (h->kind) {
	case RT_H_CATCH: case RT_H_CATCH_REF: case RT_H_LEGACY_CATCH:
		return f->inst->tags[h->tag] == exn->tag;
	default:
		return true;
	}
}

/* The handlers are sorted innermost first, so the first one whose range
 * holds the cell and whose clause matches catches. A delegate sends the
 * exception on to the handlers of its label's block and those around it:
 * the ones of depth at most its label's. */
const struct rt_handler *rt_exn_find(const struct rt_func *f, uint32_t at,
				     const struct rt_exn *exn)
{
	uint32_t limit = UINT32_MAX;
	for (uint32_t i = 0; i < f->nhandlers; i++) {
		const struct rt_handler *h = &f->handlers[i];
		if (at < h->start || at >= h->end || h->depth > limit)
			continue;
		if (h->kind == RT_H_DELEGATE) {
			limit = h->delegate;
			continue;
		}
		if (catches(f, h, exn))
			return h;
	}
	return NULL;
}

uint64_t *rt_exn_catch(const struct rt_handler *h, struct rt_exn *exn, uint64_t *fp,
		       uint64_t *base)
{
	uint64_t *sp = base + h->height;
	switch (h->kind) {
	case RT_H_LEGACY_CATCH: case RT_H_LEGACY_CATCH_ALL:
		fp[h->exn_slot] = (uintptr_t)exn;
		if (h->kind == RT_H_LEGACY_CATCH_ALL)
			break;
		/* fall through */
	case RT_H_CATCH: case RT_H_CATCH_REF:
		if (exn->nslots)
			memcpy(sp, exn->vals, exn->nslots * sizeof *sp);
		sp += exn->nslots;
		if (h->kind == RT_H_CATCH_REF)
			*sp++ = (uintptr_t)exn;
		break;
	case RT_H_CATCH_ALL_REF:
		*sp++ = (uintptr_t)exn;
		break;
	default:
		break;
	}
	return sp;
}

bool wlab_store_exception(const struct wlab_store *s, const struct rt_tag **tag,
			  const wlab_valtype_t **types, uint32_t *ntypes,
			  const uint64_t **payload)
{
	if (!s->exn)
		return false;
	*tag = s->exn->tag;
	*types = s->exn->tag->params;
	*ntypes = s->exn->tag->nparams;
	*payload = s->exn->vals;
	return true;
}

bool wlab_instance_tag_index(const struct wlab_instance *inst, const struct rt_tag *tag,
			     uint32_t *index)
{
	for (uint32_t i = 0; i < inst->ntags; i++)
		if (inst->tags[i] == tag) {
			*index = i;
			return true;
		}
	return false;
}
