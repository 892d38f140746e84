/* util_inst.h: one module instance built from text, for the unit tests that
 * run code: text -> binary -> decode (default 3.0 features) -> store ->
 * instantiate, then calls of exports by name. Every step that fails fails
 * the current test with the library's message. */
#ifndef TU_UTIL_INST_H
#define TU_UTIL_INST_H

#include <stdint.h>

#include "wlab/module.h"
#include "wlab/runtime.h"

struct tu_inst {
	uint8_t *bin;  /* the binary the module borrows */
	struct wlab_module *m;
	struct wlab_store *s;
	struct wlab_instance *i;
};

/* Compiles and decodes text and makes the store (options o, may be NULL);
 * the caller may then define imports in x->s before tu_inst_start(). */
void tu_inst_open(struct tu_inst *x, const char *wat, const struct wlab_store_options *o);
/* Instantiates x->m in x->s. */
void tu_inst_start(struct tu_inst *x);
/* tu_inst_open() with default options, then tu_inst_start(). */
void tu_inst_load(struct tu_inst *x, const char *wat);
/* Frees the store, the module and the binary; x is zeroed. */
void tu_inst_close(struct tu_inst *x);

/* Calls export name with args (as many as its type takes); results go to
 * res (may be NULL for at most 16 result slots). Returns the trap, WLAB_TRAP_NONE
 * on success. */
enum wlab_trap tu_inst_call(struct tu_inst *x, const char *name, const uint64_t *args,
			    uint64_t *res);

/* tu_inst_call() of a function of one argument; its first result in *out
 * (may be NULL). */
enum wlab_trap tu_inst_call1(struct tu_inst *x, const char *name, uint64_t arg, uint64_t *out);

#endif
