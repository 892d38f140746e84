/* rt_store.c: the store: its objects, function type ids, the registry of
 * names for linking, memories and tables that grow, and wlab_call. */
#include <stdlib.h>
#include <string.h>

#include "rt_internal.h"
#include "wlab/features.h"

static const char *const trap_messages[] = {
#define WLAB_TRAP_MSG(cname, msg) msg,
	WLAB_TRAPS(WLAB_TRAP_MSG)
#undef WLAB_TRAP_MSG
};

const char *wlab_trap_message(enum wlab_trap t)
{
	return t < WLAB_TRAP_COUNT ? trap_messages[t] : "unknown trap";
}

/* Takes bytes from the store's one budget (s->budget) for what the host
 * allocates for the guest; false, taking nothing, when they do not fit.
 * Atomic: a shared memory's grow, under its own lock in another thread,
 * takes from the budget of the store that made it while that store's own
 * thread may be taking too. */
bool rt_budget_take(struct wlab_store *s, uint64_t bytes)
{
	uint64_t used = atomic_load_explicit(&s->guest_bytes, memory_order_relaxed);
	do {
		if (bytes > s->budget - used)
			return false;
	} while (!atomic_compare_exchange_weak_explicit(&s->guest_bytes, &used, used + bytes,
							memory_order_relaxed, memory_order_relaxed));
	return true;
}

void rt_budget_give(struct wlab_store *s, uint64_t bytes)
{
	atomic_fetch_sub_explicit(&s->guest_bytes, bytes, memory_order_relaxed);
}

uint64_t rt_budget_left(const struct wlab_store *s)
{
	return s->budget - atomic_load_explicit(&s->guest_bytes, memory_order_relaxed);
}

/* The stacks come out of the budget first. By default each takes at most
 * a sixteenth of it (4M value slots and 100,000 frames under 4 GiB or more;
 * fewer under a smaller budget, at least 4,096 slots and 256 frames); sizes
 * the embedder set are taken whole or not at all. The budget is
 * opts.max_memory as given, above 4 GiB too (memory64 memories may use it);
 * without one, 4 GiB, the stacks and RT_BUDGET_SLACK on top, so that a 4 GiB
 * memory fits as the spec allows, beside the small memories and tables of
 * the host (wlab-run --spectest's spectest module) or of other modules. */
static bool stacks_take(struct wlab_store *s, const struct wlab_store_options *opts)
{
	uint64_t share = (s->opts.max_memory < 65536ull * RT_PAGE ? s->opts.max_memory
								: 65536ull * RT_PAGE) / 16;
	if (!opts || !opts->stack_slots) {
		uint64_t slots = share / sizeof *s->stack;
		s->opts.stack_slots = slots >= (1u << 22) ? 1u << 22 : slots < 4096 ? 4096 : (uint32_t)slots;
	}
	if (!opts || !opts->max_call_depth) {
		uint64_t frames = share / sizeof *s->frames;
		s->opts.max_call_depth = frames >= 100000 ? 100000 : frames < 256 ? 256 : (uint32_t)frames;
	}
	uint64_t bytes = (uint64_t)s->opts.stack_slots * sizeof *s->stack +
			 (uint64_t)s->opts.max_call_depth * sizeof *s->frames;
	s->budget = 65536ull * RT_PAGE + bytes + RT_BUDGET_SLACK;
	if (opts && opts->max_memory)
		s->budget = opts->max_memory;
	return rt_budget_take(s, bytes);
}

/* The pages one memory may reach: the budget's, and at most 65,536 (4 GiB)
 * for a 32-bit memory. */
uint64_t rt_memory_cap(const struct wlab_store *s, bool is64)
{
	uint64_t cap = s->budget / RT_PAGE;
	return !is64 && cap > 65536 ? 65536 : cap;
}

static size_t stack_bytes(const struct wlab_store *s)
{
	return (size_t)s->opts.stack_slots * sizeof *s->stack;
}

static size_t frames_bytes(const struct wlab_store *s)
{
	return ((size_t)s->opts.max_call_depth + 1) * sizeof *s->frames;
}

struct wlab_store *wlab_store_new(const struct wlab_store_options *opts)
{
	struct wlab_store *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	if (opts)
		s->opts = *opts;
	if (!s->opts.max_memory)
		s->opts.max_memory = 65536ull * RT_PAGE;
	if (!s->opts.features)
		s->opts.features = wlab_features_default();
	if (!s->opts.max_table)
		s->opts.max_table = 10000000;
	if (!s->opts.max_heap)
		s->opts.max_heap = 1ull << 30;
	s->gc.max = s->opts.max_heap;
	s->gc.stress = s->opts.gc_stress;
	if (!stacks_take(s, opts)) {
		free(s);
		return NULL;
	}
	s->stack = rt_vmem_array_new(stack_bytes(s), &s->stack_mapped);
	/* one frame more, not counted in the budget: a call writes its caller's
	 * frame above the top before it checks the depth (rt_exec.c, call) */
	s->frames = rt_vmem_array_new(frames_bytes(s), &s->frames_mapped);
	if (!s->stack || !s->frames) {
		wlab_store_free(s);
		return NULL;
	}
	s->stack_end = s->stack + s->opts.stack_slots;
	s->top = s->frames;
	s->frames_end = s->frames + s->opts.max_call_depth;
	s->sp_base = s->stack;
	wlab_store_set_fuel(s, s->opts.fuel);
	return s;
}

static void free_instance(struct wlab_instance *inst)
{
	rt_lazy_free(inst);
	for (uint32_t i = 0; inst->elems && i < inst->m->nelems; i++)
		free(inst->elems[i]);
	free(inst->elems);
	free(inst->elem_len);
	free(inst->data_len);
	free(inst->type_ids);
	free(inst->funcs);
	free(inst->tables);
	free(inst->mems);
	free(inst->globals);
	free(inst->tags);
	free(inst);
}

void wlab_store_free(struct wlab_store *s)
{
	if (!s)
		return;
	for (struct rt_object *o = s->objects, *next; o; o = next) {
		next = o->next;
		if (o->kind == WLAB_EXTERN_FUNC) {
			struct rt_func *f = o->ptr;
			free(f->code);
			free(f->offsets);
			free(f->hits);
			free(f->span);
			free(f->handlers);
			free(f->smap);
		} else if (o->kind == WLAB_EXTERN_TABLE) {
			free(((struct rt_table *)o->ptr)->elems);
		} else if (o->kind == WLAB_EXTERN_MEMORY) {
			rt_vmem_free(o->ptr);
			rt_waitq_free(((struct rt_memory *)o->ptr)->waitq);
		}
		free(o);
	}
	for (struct wlab_instance *i = s->instances, *next; i; i = next) {
		next = i->next;
		free_instance(i);
	}
	for (uint32_t i = 0; i < s->nnames; i++) {
		free(s->names[i].module);
		free(s->names[i].field);
	}
	free(s->names);
	rt_exn_free_all(s);
	rt_gc_free(s);
	rt_types_free(s);
	if (s->stack)
		rt_vmem_array_free(s->stack, stack_bytes(s), s->stack_mapped);
	if (s->frames)
		rt_vmem_array_free(s->frames, frames_bytes(s), s->frames_mapped);
	rt_prof_free(s->prof);
	free((void *)s->alt_disp);
	free(s->cell_h);
	free(s->mt_regs);
	free(s->bt);
	free(s);
}

/* A zeroed object of size bytes that the store frees; the object header
 * sits in front of it. */
void *rt_alloc(struct wlab_store *s, uint8_t kind, size_t size)
{
	struct rt_object *o = calloc(1, sizeof *o + size);
	if (!o)
		return NULL;
	o->kind = kind;
	o->ptr = o + 1;
	o->next = s->objects;
	s->objects = o;
	return o->ptr;
}

struct rt_func *wlab_host_func_new(struct wlab_store *s, const wlab_valtype_t *params,
				   uint32_t nparams, const wlab_valtype_t *results,
				   uint32_t nresults, wlab_host_fn fn, void *ctx)
{
	uint32_t id = rt_type_id(s, params, nparams, results, nresults);
	return id == UINT32_MAX ? NULL : wlab_host_func_new_id(s, id, fn, ctx);
}

struct rt_func *wlab_host_func_new_id(struct wlab_store *s, uint32_t type_id, wlab_host_fn fn,
				      void *ctx)
{
	if (type_id >= s->ntypes || s->types[type_id].form != 0x60)
		return NULL;
	const struct wlab_functype *t = &s->types[type_id];
	struct rt_func *f = rt_alloc(s, WLAB_EXTERN_FUNC, sizeof *f);
	if (!f)
		return NULL;
	f->nparams = t->nparams;
	f->nresults = t->nresults;
	f->param_slots = rt_slots(t->params, t->nparams);
	f->result_slots = rt_slots(t->results, t->nresults);
	f->params = t->params;
	f->results = t->results;
	f->type_id = type_id;
	f->host = fn;
	f->host_ctx = ctx;
	return f;
}


struct rt_table *wlab_table_new(struct wlab_store *s, wlab_valtype_t elemtype, uint64_t min,
				bool has_max, uint64_t max)
{
	if (min > s->opts.max_table - s->table_elems || !rt_budget_take(s, min * sizeof(uint64_t)))
		return NULL;
	struct rt_table *t = rt_alloc(s, WLAB_EXTERN_TABLE, sizeof *t);
	if (!t) {
		rt_budget_give(s, min * sizeof(uint64_t));
		return NULL;
	}
	t->store = s;
	t->elemtype = elemtype;
	t->has_max = has_max;
	t->decl_max = max;
	t->max = has_max && max < s->opts.max_table ? (uint32_t)max : s->opts.max_table;
	t->elems = calloc(min ? min : 1, sizeof *t->elems);
	if (!t->elems) {
		rt_budget_give(s, min * sizeof(uint64_t));
		return NULL;
	}
	t->size = (uint32_t)min;
	s->table_elems += min;
	return t;
}

struct rt_table *wlab_table_new_limits(struct wlab_store *s, wlab_valtype_t elemtype,
				       const struct wlab_limits *l)
{
	struct rt_table *t = wlab_table_new(s, elemtype, l->min, l->has_max, l->max);
	if (t)
		t->is64 = l->is64;
	return t;
}

static struct rt_memory *memory_new(struct wlab_store *s, uint64_t min_pages, bool has_max,
				     uint64_t max_pages, bool is64)
{
	uint64_t cap = rt_memory_cap(s, is64);
	if (min_pages > cap || !rt_budget_take(s, min_pages * RT_PAGE))
		return NULL;
	struct rt_memory *m = rt_alloc(s, WLAB_EXTERN_MEMORY, sizeof *m);
	if (!m)
		return NULL;
	m->store = s;
	m->has_max = has_max;
	m->decl_max = max_pages;
	m->is64 = is64;
	m->max_pages = has_max && max_pages < cap ? max_pages : cap;
	return rt_vmem_init(m, min_pages * RT_PAGE, m->max_pages * RT_PAGE) ? NULL : m;
}

struct rt_memory *wlab_memory_new(struct wlab_store *s, uint64_t min_pages, bool has_max,
				  uint64_t max_pages)
{
	return memory_new(s, min_pages, has_max, max_pages, false);
}

/* Makes m shared, with its queue of waiters (rt_wait.c) where threads exist. */
static struct rt_memory *share(struct rt_memory *m)
{
	m->shared = true;
#ifdef RT_THREADS
	if (!(m->waitq = rt_waitq_new()))
		return NULL;  /* m stays the store's, freed with it */
#endif
	return m;
}

struct rt_memory *wlab_shared_memory_new(struct wlab_store *s, uint32_t min_pages,
					 uint32_t max_pages)
{
	struct rt_memory *m = wlab_memory_new(s, min_pages, true, max_pages);
	return m ? share(m) : NULL;
}

struct rt_memory *wlab_memory_new_limits(struct wlab_store *s, const struct wlab_limits *l)
{
	struct rt_memory *m = memory_new(s, l->min, l->has_max, l->max, l->is64);
	return m && l->shared ? share(m) : m;
}

struct rt_global *wlab_global_new(struct wlab_store *s, wlab_valtype_t type, bool mut,
				  uint64_t value)
{
	struct rt_global *g = rt_alloc(s, WLAB_EXTERN_GLOBAL, sizeof *g);
	if (g)
		*g = (struct rt_global){.type = type, .mut = mut, .value = value};
	return g;
}

uint64_t wlab_global_value(const struct rt_global *g) { return g->value; }
wlab_valtype_t wlab_global_type(const struct rt_global *g) { return g->type; }

uint8_t *wlab_memory_data(const struct rt_memory *mem, uint64_t *size)
{
	*size = mem->size;
	return mem->data;
}

const struct wlab_module *wlab_instance_module(const struct wlab_instance *inst)
{
	return inst->m;
}

bool rt_memory_grow_fits(const struct rt_memory *mem, uint64_t delta)
{
	const struct wlab_store *s = mem->store;
	return delta <= mem->max_pages - mem->size / RT_PAGE &&
	       delta * RT_PAGE <= rt_budget_left(s);
}

bool rt_table_grow_fits(const struct rt_table *t, uint64_t delta)
{
	const struct wlab_store *s = t->store;
	return delta <= t->max - t->size && delta <= s->opts.max_table - s->table_elems &&
	       delta * sizeof *t->elems <= rt_budget_left(s);
}

static enum wlab_status grow(struct rt_memory *mem, uint64_t delta, uint64_t *old)
{
	uint64_t pages = mem->size / RT_PAGE;
	*old = pages;
	if (delta == 0)
		return WLAB_OK;
	if (delta > mem->max_pages - pages || !rt_budget_take(mem->store, delta * RT_PAGE))
		return WLAB_NOMEM;
	if (rt_vmem_grow(mem, (pages + delta) * RT_PAGE)) {
		rt_budget_give(mem->store, delta * RT_PAGE);
		return WLAB_NOMEM;
	}
	return WLAB_OK;
}

/* A shared memory where threads exist (it has a queue of waiters) grows
 * under its queue's lock, one grow at a time; and only where it was
 * reserved: a malloc'd one would move, under the other threads' feet, so
 * its grow fails (memory.grow gives -1, as it may). */
enum wlab_status rt_memory_grow(struct rt_memory *mem, uint64_t delta, uint64_t *old)
{
#ifdef RT_THREADS
	if (mem->waitq) {
		if (!mem->reserved && delta) {
			*old = mem->size / RT_PAGE;
			return WLAB_NOMEM;
		}
		rt_waitq_lock(mem->waitq);
		enum wlab_status st = grow(mem, delta, old);
		rt_waitq_unlock(mem->waitq);
		return st;
	}
#endif
	return grow(mem, delta, old);
}

enum wlab_status rt_table_grow(struct rt_table *t, uint64_t delta, uint64_t init,
			       uint32_t *old)
{
	struct wlab_store *s = t->store;
	*old = t->size;
	if (delta > t->max - t->size || delta > s->opts.max_table - s->table_elems ||
	    !rt_budget_take(s, delta * sizeof *t->elems))
		return WLAB_NOMEM;
	uint32_t size = t->size + (uint32_t)delta;
	uint64_t *elems = realloc(t->elems, (size ? size : 1) * sizeof *elems);
	if (!elems) {
		rt_budget_give(s, delta * sizeof *elems);
		return WLAB_NOMEM;
	}
	for (uint32_t i = t->size; i < size; i++)
		elems[i] = init;
	t->elems = elems;
	t->size = size;
	s->table_elems += delta;
	return WLAB_OK;
}

enum wlab_status wlab_store_define(struct wlab_store *s, const char *module,
				   const char *field, struct wlab_extern ext)
{
	if (s->nnames == s->names_cap) {
		uint32_t cap = s->names_cap ? s->names_cap * 2 : 32;
		struct rt_name *n = realloc(s->names, cap * sizeof *n);
		if (!n)
			return WLAB_NOMEM;
		s->names = n;
		s->names_cap = cap;
	}
	struct rt_name *n = &s->names[s->nnames];
	n->module = strdup(module);
	n->field = strdup(field);
	n->ext = ext;
	if (!n->module || !n->field) {
		free(n->module);
		free(n->field);
		return WLAB_NOMEM;
	}
	s->nnames++;
	return WLAB_OK;
}

enum wlab_status wlab_store_register(struct wlab_store *s, const char *name,
				     const struct wlab_instance *inst)
{
	const struct wlab_module *m = inst->m;
	for (uint32_t i = 0; i < m->nexports; i++) {
		const struct wlab_export *e = &m->exports[i];
		char field[1024];
		struct wlab_extern ext;
		if (e->name.len >= sizeof field)
			continue;
		memcpy(field, e->name.ptr, e->name.len);
		field[e->name.len] = 0;
		wlab_instance_export(inst, field, e->name.len, &ext);
		if (wlab_store_define(s, name, field, ext))
			return WLAB_NOMEM;
	}
	return WLAB_OK;
}

void wlab_func_type(const struct rt_func *f, const wlab_valtype_t **params, uint32_t *nparams,
		    const wlab_valtype_t **results, uint32_t *nresults)
{
	*params = f->params;
	*nparams = f->nparams;
	*results = f->results;
	*nresults = f->nresults;
}

enum wlab_status wlab_call(struct wlab_store *s, struct rt_func *f, const uint64_t *args,
			   uint64_t *results, enum wlab_trap *trap)
{
	uint64_t *sp = s->sp_base;
	uint64_t room = (uint64_t)(s->stack + s->opts.stack_slots - sp);
	enum wlab_trap t = WLAB_TRAP_EXHAUSTED;
	s->nbt = 0;
	s->detail = (struct wlab_trap_detail){0};
	if (f->param_slots <= room && f->result_slots <= room) {
		if (f->param_slots)
			memcpy(sp, args, f->param_slots * sizeof *sp);
		t = rt_run(s, f, sp + f->param_slots);
	}
	if (trap)
		*trap = t;
	if (t)
		return WLAB_TRAP;
	if (f->result_slots)
		memcpy(results, sp, f->result_slots * sizeof *sp);
	return WLAB_OK;
}

uint64_t wlab_store_fuel(const struct wlab_store *s)
{
	return s->fuel_on ? s->fuel : UINT64_MAX;
}

void wlab_store_set_fuel(struct wlab_store *s, uint64_t fuel)
{
	s->fuel = fuel;
	s->fuel_on = fuel != 0;
	if (s->fuel_on)
		atomic_fetch_or_explicit(&s->attn, RT_ATTN_FUEL, memory_order_relaxed);
	else
		atomic_fetch_and_explicit(&s->attn, ~RT_ATTN_FUEL, memory_order_relaxed);
}

bool wlab_store_take_fuel(struct wlab_store *s, uint64_t units)
{
	return rt_fuel_take(s, units);
}

void wlab_store_interrupt(struct wlab_store *s)
{
	atomic_fetch_or_explicit(&s->attn, RT_ATTN_INTERRUPT, memory_order_relaxed);
}

void rt_bt_push(struct wlab_store *s, struct rt_func *f, const struct rt_cell *ip)
{
	if (s->nbt == s->bt_cap) {
		uint32_t cap = s->bt_cap ? s->bt_cap * 2 : 64;
		struct wlab_frame_info *bt = cap > s->bt_cap ? realloc(s->bt, cap * sizeof *bt) : NULL;
		if (!bt)
			return;
		s->bt = bt;
		s->bt_cap = cap;
	}
	struct wlab_frame_info *fr = &s->bt[s->nbt++];
	if (!f || f->host) {
		*fr = (struct wlab_frame_info){NULL, UINT32_MAX, 0};
		return;
	}
	uint32_t i = ip ? (uint32_t)(ip - f->code) : UINT32_MAX;
	const uint32_t *off = i < f->ncode ? rt_offsets(f) : NULL;
	*fr = (struct wlab_frame_info){f->inst, f->index, off ? off[i] : 0};
}

uint32_t wlab_store_backtrace(const struct wlab_store *s, struct wlab_frame_info *out,
			      uint32_t max)
{
	for (uint32_t i = 0; i < s->nbt && i < max; i++)
		out[i] = s->bt[i];
	return s->nbt;
}

uint32_t wlab_func_index(const struct rt_func *f)
{
	return f->host ? UINT32_MAX : f->index;
}

const struct wlab_instance *wlab_func_instance(const struct rt_func *f)
{
	return f->inst;
}

void rt_trap_access(struct wlab_store *s, uint16_t op, uint64_t addr, uint64_t off,
		    uint32_t n, uint64_t bound, uint32_t memidx)
{
	s->detail = (struct wlab_trap_detail){.op = op, .has_access = true, .addr = addr,
					      .offset = off, .n = n, .bound = bound,
					      .index = memidx};
}

void wlab_store_trap_detail(const struct wlab_store *s, struct wlab_trap_detail *out)
{
	*out = s->detail;
}
