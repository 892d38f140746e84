/* rt_internal.h: the interpreter's objects (functions, tables, memories,
 * globals, instances, the store) and its internal code form (struct rt_cell). */
#ifndef WLAB_RT_INTERNAL_H
#define WLAB_RT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wlab/instr.h"
#include "wlab/module.h"
#include "wlab/runtime.h"

#define RT_PAGE 65536u

/* Ops of the internal form that are not wasm instructions. */
enum rt_op {
	RT_OP_JUMP = WLAB_OP_COUNT, /* pc = a */
	RT_OP_BR,        /* keep b>>32 values, cut to height (uint32_t)b, pc = a */
	RT_OP_BR_IF,     /* the same when the popped i32 is not zero */
	RT_OP_BR_UNLESS, /* pc = a when the popped i32 is zero (if) */
	RT_OP_TARGET,    /* a br_table entry: like RT_OP_BR */
	RT_OP_SELECT,    /* any select */
	RT_OP_COUNT
};

/* One instruction of the internal form. a and b hold decoded immediates:
 * local index, function index, memarg offset, a constant, a branch target
 * (a = cell index; b = values kept << 32 | stack height to cut back to). */
struct rt_cell {
	uint16_t op;      /* enum wlab_op or enum rt_op */
	uint32_t a;
	uint64_t b;
};

struct rt_func {
	uint32_t nparams, nresults;
	uint8_t *params, *results;
	struct wlab_instance *inst;  /* NULL for host functions */
	/* defined functions */
	struct rt_cell *code;
	uint32_t ncode;
	uint32_t nlocals;     /* params included */
	uint32_t max_height;  /* deepest operand stack above the locals */
	/* host functions */
	wlab_host_fn host;
	void *host_ctx;
	uint32_t type_id;     /* equal for equal function types in the store */
};

struct rt_table {
	uint8_t elemtype;
	uint32_t size, max;   /* max: the limit growth obeys, capped by the store */
	bool has_max;
	uint32_t decl_max;    /* the declared maximum (when has_max), for import matching */
	uint64_t *elems;
};

struct rt_memory {
	uint8_t *data;
	uint64_t size;        /* bytes */
	uint64_t max_pages;   /* the limit growth obeys, capped by the store */
	bool has_max;
	uint32_t decl_max;    /* the declared maximum in pages (when has_max) */
};

struct rt_global {
	uint8_t type;
	bool mut;
	uint64_t value;
};

struct wlab_instance {
	const struct wlab_module *m;
	struct wlab_store *store;
	struct rt_func **funcs;
	struct rt_table **tables;
	struct rt_memory **mems;
	struct rt_global **globals;
	uint32_t nfuncs, ntables, nmems, nglobals;
	uint64_t **elems;     /* element segments' references */
	uint32_t *elem_len;   /* 0 once dropped */
	uint32_t *data_len;   /* bytes; 0 once dropped */
	struct wlab_instance *next;  /* the store's list */
};

struct rt_object {
	struct rt_object *next;
	uint8_t kind;    /* enum wlab_extern_kind */
	void *ptr;
};

struct rt_name {
	char *module, *field;
	struct wlab_extern ext;
};

struct rt_frame {
	struct rt_func *fn;
	const struct rt_cell *pc;  /* where to resume in the caller */
	uint64_t *fp;
};

struct wlab_store {
	struct wlab_store_options opts;
	struct rt_object *objects;
	struct wlab_instance *instances;
	struct rt_name *names;
	uint32_t nnames, names_cap;
	/* function types, for type ids */
	struct wlab_functype *types;
	uint32_t ntypes, types_cap;
	uint64_t *stack;       /* opts.stack_slots values */
	struct rt_frame *frames;  /* opts.max_call_depth */
	uint32_t depth;        /* frames in use by calls in progress */
	uint64_t *sp_base;     /* first free slot for a nested wlab_call */
};

/* rt_store.c */
void *rt_alloc(struct wlab_store *s, uint8_t kind, size_t size);
uint32_t rt_type_id(struct wlab_store *s, const uint8_t *params, uint32_t np,
		    const uint8_t *results, uint32_t nr);
enum wlab_status rt_memory_grow(struct rt_memory *mem, uint64_t delta, uint64_t *old);
enum wlab_status rt_table_grow(struct rt_table *t, uint32_t delta, uint64_t init,
			       uint32_t *old);

/* rt_compile.c: translates the bodies of inst's defined functions (already
 * in inst->funcs) into the internal form. */
enum wlab_status rt_compile(struct wlab_instance *inst, struct wlab_error *err);

/* rt_bulk.c: table instructions and bulk memory; pops and pushes at *sp. */
enum wlab_trap rt_bulk(struct wlab_instance *inst, const struct rt_cell *ip, uint64_t **sp);

/* rt_exec.c */
enum wlab_trap rt_run(struct wlab_store *s, struct rt_func *f, uint64_t *sp);
/* Evaluates a constant expression of inst's module. */
uint64_t rt_const_expr(const struct wlab_instance *inst, const struct wlab_expr *e);

#endif
