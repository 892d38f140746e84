/* oracle.c: which wasm-objdump a dump follows. wabt 1.0.32 is the oracle
 * for WebAssembly 2.0 modules; a module that goes beyond 2.0 (one 1.0.32's
 * wasm-validate refuses) follows wabt 1.0.39, which prints a few things
 * differently (i64.const unsigned). */
#include <string.h>

#include "objdump.h"

static bool has_shared_memory(const struct wlab_module *m)
{
	for (uint32_t i = 0; i < m->nimports; i++)
		if (m->imports[i].kind == WLAB_EXTERN_MEMORY && m->imports[i].u.memory.shared)
			return true;
	for (uint32_t i = 0; i < m->nmemories; i++)
		if (m->memories[i].limits.shared)
			return true;
	return false;
}

/* Whether a body holds a 0xfe instruction. Only bodies with a 0xfe byte are
 * walked (few are), so 2.0 modules pay a memchr per body. A malformed body
 * counts as none: -d reports it where it stands. */
static bool has_atomic(const struct wlab_module *m)
{
	for (uint32_t i = 0; i < m->ncodes; i++) {
		struct wlab_span e = m->codes[i].expr;
		if (!e.size || !memchr(m->bytes + e.offset, 0xfe, e.size))
			continue;
		struct wlab_error err = {0};
		struct wlab_instr_iter it;
		struct wlab_instr in;
		bool found = false;
		wlab_instr_iter_init(&it, m->bytes, e, 0xffffffffu, &err);
		while (!found && !wlab_instr_iter_done(&it) && wlab_instr_next(&it, &in) == WLAB_OK)
			found = wlab_op_is_atomic(in.op);
		wlab_instr_iter_fini(&it);
		if (found)
			return true;
	}
	return false;
}

/* Threads (a shared memory or an atomic instruction, found cheaply), or any
 * other feature beyond 2.0 that wlab_module_uses finds: in the entries
 * always, in the instructions up to WLAB_USES_CODE_LIMIT bytes of code (a
 * walk of bigger code would slow -d on big 2.0 modules by a fifth). */
bool objdump_beyond_2_0(const struct wlab_module *m)
{
	const uint32_t beyond = ~(uint32_t)WLAB_FEATURES_2_0;
	uint32_t uses = 0;
	struct wlab_error err = {0};
	if (m->ntags || m->nimported_tags || has_shared_memory(m) || has_atomic(m))
		return true;
	wlab_module_uses_entries(m, &uses, &err);
	if ((uses & beyond) || wlab_module_code_size(m) > WLAB_USES_CODE_LIMIT)
		return (uses & beyond) != 0;
	wlab_module_uses(m, &uses, &err);  /* on an error, what came before */
	return (uses & beyond) != 0;
}

bool objdump_v139(const struct objdump_ctx *ctx)
{
	if (ctx->v139 < 0)
		((struct objdump_ctx *)ctx)->v139 = objdump_beyond_2_0(ctx->m);  /* a cache */
	return ctx->v139 > 0;
}
