/* validate.c: wlab_module_validate: the context (index spaces, declared
 * function references), scratch memory accounting and error records. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "validate_internal.h"

#define DEFAULT_MAX_ALLOC ((size_t)1 << 30)

enum wlab_status val_fail(struct val_module *vm, size_t offset, const char *fmt, ...)
{
	struct wlab_error *e = &vm->err->error;
	if (e->status != WLAB_OK)
		return WLAB_INVALID;
	char msg[WLAB_MESSAGE_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	vm->err->func = vm->func;
	return wlab_error_set(e, WLAB_INVALID, offset, "%s", msg);
}

enum wlab_status val_grow(struct val_module *vm, void **p, uint32_t *cap, size_t size,
			  uint64_t need, size_t offset)
{
	if (need <= *cap)
		return WLAB_OK;
	uint64_t n = *cap ? *cap : 16;
	while (n < need)
		n *= 2;
	if (n > UINT32_MAX)
		n = need;
	size_t more = (size_t)(n - *cap) * size;
	void *q = NULL;
	if (need <= UINT32_MAX && n <= SIZE_MAX / size && more <= vm->max_alloc - vm->allocated)
		q = realloc(*p, (size_t)n * size);
	if (!q) {
		vm->err->func = vm->func;
		return wlab_error_set(&vm->err->error, WLAB_NOMEM, offset,
				      "out of memory (validation needs more than %zu bytes)",
				      vm->max_alloc);
	}
	vm->allocated += more;
	*p = q;
	*cap = (uint32_t)n;
	return WLAB_OK;
}

void val_release(struct val_module *vm, void *p, uint32_t cap, size_t size)
{
	free(p);
	vm->allocated -= (size_t)cap * size;
}

const wlab_valtype_t *val_one_type(wlab_valtype_t t)
{
	static const wlab_valtype_t types[] = {
#define WLAB_VALTYPE(code, cname, name) code,
#include "wlab/valtypes.def"
#undef WLAB_VALTYPE
	};
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
		if (types[i] == t)
			return &types[i];
	return NULL;
}

/* vm->imports lists the imports of each kind in index order, kinds in
 * the order of enum wlab_extern_kind; base is where kind's run starts. */
static const struct wlab_import *import_of(const struct val_module *vm, uint8_t kind,
					   uint32_t idx)
{
	const struct wlab_module *m = vm->m;
	uint32_t base = 0;
	if (kind > WLAB_EXTERN_FUNC)
		base += m->nimported_funcs;
	if (kind > WLAB_EXTERN_TABLE)
		base += m->nimported_tables;
	if (kind > WLAB_EXTERN_MEMORY)
		base += m->nimported_memories;
	return vm->imports[base + idx];
}

uint32_t val_func_typeidx(const struct val_module *vm, uint32_t funcidx)
{
	const struct wlab_module *m = vm->m;
	if (funcidx < m->nimported_funcs)
		return import_of(vm, WLAB_EXTERN_FUNC, funcidx)->u.func_type;
	if (funcidx - m->nimported_funcs < m->nfuncs)
		return m->func_types[funcidx - m->nimported_funcs];
	return UINT32_MAX;
}

const struct wlab_functype *val_func_type(const struct val_module *vm, uint32_t funcidx)
{
	return val_functype_at(vm, val_func_typeidx(vm, funcidx));
}

const struct wlab_tabletype *val_table(const struct val_module *vm, uint32_t idx)
{
	const struct wlab_module *m = vm->m;
	if (idx < m->nimported_tables)
		return &import_of(vm, WLAB_EXTERN_TABLE, idx)->u.table;
	idx -= m->nimported_tables;
	return idx < m->ntables ? &m->tables[idx].type : NULL;
}

const struct wlab_limits *val_memory(const struct val_module *vm, uint32_t idx)
{
	const struct wlab_module *m = vm->m;
	if (idx < m->nimported_memories)
		return &import_of(vm, WLAB_EXTERN_MEMORY, idx)->u.memory;
	idx -= m->nimported_memories;
	return idx < m->nmemories ? &m->memories[idx].limits : NULL;
}

const struct wlab_globaltype *val_global(const struct val_module *vm, uint32_t idx)
{
	const struct wlab_module *m = vm->m;
	if (idx < m->nimported_globals)
		return &import_of(vm, WLAB_EXTERN_GLOBAL, idx)->u.global;
	idx -= m->nimported_globals;
	return idx < m->nglobals ? &m->globals[idx].type : NULL;
}

static void declare(struct val_module *vm, uint32_t funcidx)
{
	if (funcidx < vm->nfuncs)
		vm->declared[funcidx / 8] |= (uint8_t)(1u << (funcidx % 8));
}

/* Every ref.func in a constant expression declares its function. */
static enum wlab_status declare_in(struct val_module *vm, const struct wlab_expr *e)
{
	struct wlab_instr_iter it;
	struct wlab_instr in;
	enum wlab_status st = WLAB_OK;
	wlab_instr_iter_init(&it, vm->m->bytes, e->span, vm->features, &vm->err->error);
	while (!st && !wlab_instr_iter_done(&it)) {
		st = wlab_instr_next(&it, &in);
		if (!st && in.op == WLAB_OP_REF_FUNC)
			declare(vm, in.index);
	}
	wlab_instr_iter_fini(&it);
	return st;
}

/* C.refs: functions named outside function bodies, in exports, element
 * segments and global initializers, may be taken by ref.func. */
static enum wlab_status collect_declared(struct val_module *vm)
{
	const struct wlab_module *m = vm->m;
	for (uint32_t i = 0; i < m->nexports; i++)
		if (m->exports[i].kind == WLAB_EXTERN_FUNC)
			declare(vm, m->exports[i].index);
	for (uint32_t i = 0; i < m->nglobals; i++)
		if (declare_in(vm, &m->globals[i].init))
			return vm->err->error.status;
	for (uint32_t i = 0; i < m->nelems; i++) {
		const struct wlab_elem *e = &m->elems[i];
		for (uint32_t k = 0; k < e->count; k++) {
			if (!e->uses_exprs)
				declare(vm, e->funcs[k]);
			else if (declare_in(vm, &e->exprs[k]))
				return vm->err->error.status;
		}
	}
	return WLAB_OK;
}

enum wlab_status val_module_init(struct val_module *vm, const struct wlab_module *m,
				 const struct wlab_validate_options *opts,
				 struct wlab_validate_error *err)
{
	memset(vm, 0, sizeof *vm);
	memset(err, 0, sizeof *err);
	err->func = UINT32_MAX;
	vm->m = m;
	vm->err = err;
	vm->func = UINT32_MAX;
	vm->features = opts && opts->features ? opts->features : wlab_features_default();
	vm->max_alloc = opts && opts->max_alloc ? opts->max_alloc : DEFAULT_MAX_ALLOC;
	vm->nfuncs = m->nimported_funcs + m->nfuncs;
	vm->ntables = m->nimported_tables + m->ntables;
	vm->nmemories = m->nimported_memories + m->nmemories;
	vm->nglobals = m->nimported_globals + m->nglobals;
	vm->nconst_globals = m->nimported_globals;
	uint32_t base[4] = {0, m->nimported_funcs, 0, 0};
	base[2] = base[1] + m->nimported_tables;
	base[3] = base[2] + m->nimported_memories;
	vm->imports = calloc(m->nimports ? m->nimports : 1, sizeof *vm->imports);
	vm->declared = calloc(vm->nfuncs / 8 + 1, 1);
	if (!vm->imports || !vm->declared)
		return wlab_error_set(&err->error, WLAB_NOMEM, 0, "out of memory");
	for (uint32_t i = 0; i < m->nimports; i++) {
		const struct wlab_import *im = &m->imports[i];
		if (im->kind <= WLAB_EXTERN_GLOBAL)
			vm->imports[base[im->kind] + im->kind_index] = im;
	}
	if (val_types_canon(vm))
		return err->error.status;
	return collect_declared(vm);
}

void val_module_fini(struct val_module *vm)
{
	free(vm->imports);
	free(vm->declared);
	free(vm->canon);
	free(vm->depth);
	free(vm->jump);
	vm->canon = vm->depth = vm->jump = NULL;
	vm->imports = NULL;
	vm->declared = NULL;
}

enum wlab_status wlab_module_validate(const struct wlab_module *m,
				      const struct wlab_validate_options *opts,
				      struct wlab_validate_error *err)
{
	struct wlab_validate_error scratch;
	if (!err)
		err = &scratch;
	/* the record of wlab_instantiate_validated(), set on success below; m
	 * is the caller's (the decoder's allocation), const to say that
	 * validation changes nothing else */
	struct wlab_module *record = (struct wlab_module *)m;
	record->validated = 0;
	struct val_module *vm = malloc(sizeof *vm);
	if (!vm) {
		memset(err, 0, sizeof *err);
		err->func = UINT32_MAX;
		return wlab_error_set(&err->error, WLAB_NOMEM, 0, "out of memory");
	}
	if (!val_module_init(vm, m, opts, err)) {
		struct val_func vf;
		val_func_init(&vf, vm);
		val_check_module(vm, &vf);
		val_func_fini(&vf);
	}
	if (!err->error.status)
		record->validated = vm->features;
	val_module_fini(vm);
	free(vm);
	return err->error.status;
}
