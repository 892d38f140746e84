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

/* Threads so far: a shared memory or an atomic instruction. */
bool objdump_beyond_2_0(const struct wlab_module *m)
{
	return has_shared_memory(m) || has_atomic(m);
}
