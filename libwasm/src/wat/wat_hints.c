/* wat_hints.c: branch hint annotations `(@metadata.code.branch_hint "\01")`
 * (the 3.0 spec's appendix on custom annotations): each one the lexer
 * recorded goes to the instruction that starts at the token right after it
 * (for a folded instruction, the one its `(` opens: `(@... "\01") (if (cond)
 * ...)` hints the if, not the condition), which must be an if or a br_if,
 * and the module gets a "metadata.code.branch_hint" section before its code
 * section. A hint before anything else (`(then`, `)`, `end`...) is
 * malformed, and so is one before another instruction, except in a script's
 * modules: there the 3.0 testsuite wants it written (assert_invalid_custom:
 * the decoder's check says it is invalid). */
#include <stdlib.h>

#include "wat_internal.h"
#include "wlab/module.h"

bool wat_hint_take(struct wat *w, struct wat_hint **h)
{
	*h = NULL;
	if (!w->in_body || w->next_hint >= w->nhints || w->hints[w->next_hint].tok > w->pos)
		return true;
	struct wat_hint *x = &w->hints[w->next_hint++];
	/* annotated before a token that starts no instruction: `(then`, `)`,
	 * `end`, `(result ...)`, as wasm-tools refuses them */
	if (x->tok < w->pos)
		return wat_fail(w, x->off, "%s", WAT_HINT_PLACEMENT);
	*h = x;
	return true;
}

bool wat_hint_target(struct wat *w, const struct wat_hint *h, const struct wlab_buf *b)
{
	/* the opcode byte: 0x04 if, 0x0d br_if (no prefixed opcode starts so) */
	if (!h || w->hint_any_target || h->at >= b->size || b->data[h->at] == 0x04 ||
	    b->data[h->at] == 0x0d)
		return true;
	/* the instruction's name: its token, or the keyword after its `(` */
	const struct wat_tok *t = &w->toks[h->tok];
	if (t->kind == WAT_LPAR)
		t++;
	return wat_fail(w, h->off,
			"@metadata.code.branch_hint annotation: invalid target (%.*s: only if and "
			"br_if take a hint)",
			(int)(t->len < 40 ? t->len : 40), w->text + t->off);
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
			return wat_fail(w, w->hints[i].off, "%s", WAT_HINT_PLACEMENT);
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
