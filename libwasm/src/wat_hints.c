/* wat_hints.c: branch hint annotations `(@metadata.code.branch_hint "\01")`
 * (the 3.0 spec's appendix on custom annotations): each one the lexer
 * recorded goes to the instruction that starts next in its function (for a
 * folded instruction, the one its `(` opens: `(@... "\01") (if (cond) ...)`
 * hints the if, not the condition), and the module gets a
 * "metadata.code.branch_hint" section before its code section. */
#include <stdlib.h>

#include "wat_internal.h"
#include "wlab/module.h"

struct wat_hint *wat_hint_take(struct wat *w)
{
	if (!w->in_body || w->next_hint >= w->nhints || w->hints[w->next_hint].tok > w->pos)
		return NULL;
	return &w->hints[w->next_hint++];
}

void wat_hints_shift(struct wat *w, uint32_t n)
{
	for (uint32_t i = w->next_hint; i-- > 0 && w->hints[i].placed && w->hints[i].func == w->func;)
		w->hints[i].at += n;
}

static int hint_cmp(const void *a, const void *b)
{
	const struct wat_hint *x = a, *y = b;
	if (x->func != y->func)
		return x->func < y->func ? -1 : 1;
	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return x->tok < y->tok ? -1 : x->tok > y->tok;
}

bool wat_hints_put(struct wat *w, struct wlab_buf *m)
{
	static const char name[] = "metadata.code.branch_hint";
	for (uint32_t i = 0; i < w->nhints; i++)
		if (!w->hints[i].placed)
			return wat_fail(w, w->hints[i].off,
					"@metadata.code.branch_hint annotation: invalid placement");
	if (!w->nhints)
		return true;
	/* functions come in index order; a folded instruction's opcode comes
	 * after its operands, so a body's hints are sorted by offset */
	qsort(w->hints, w->nhints, sizeof *w->hints, hint_cmp);
	struct wlab_buf body = {0};
	uint32_t nfuncs = 0;
	for (uint32_t i = 0; i < w->nhints; i++)
		nfuncs += !i || w->hints[i].func != w->hints[i - 1].func;
	wlab_buf_u32(&body, sizeof name - 1);
	wlab_buf_bytes(&body, name, sizeof name - 1);
	wlab_buf_u32(&body, nfuncs);
	for (uint32_t i = 0, j; i < w->nhints; i = j) {
		for (j = i; j < w->nhints && w->hints[j].func == w->hints[i].func; j++)
			;
		wlab_buf_u32(&body, w->hints[i].func);
		wlab_buf_u32(&body, j - i);
		for (uint32_t k = i; k < j; k++) {
			wlab_buf_u32(&body, w->hints[k].at);
			wlab_buf_u32(&body, 1);
			wlab_buf_u8(&body, w->hints[k].value);
		}
	}
	wlab_buf_u8(m, WLAB_SEC_CUSTOM);
	wlab_buf_sized(m, &body);
	wlab_buf_free(&body);
	return true;
}
