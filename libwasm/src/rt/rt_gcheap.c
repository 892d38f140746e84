/* rt_gcheap.c: the GC heap and its collector (docs/interpreter.md, "The
 * collector"): non-moving mark-sweep.
 *
 * Chunks of memory, each with two bitmaps of one bit per 8 bytes: starts
 * (an allocated object begins here) and marks (reached by the running
 * collection). A word is an object exactly when it is 8-aligned inside a
 * chunk and its start bit is set, so host words let into the any
 * hierarchy (and whatever else a reference slot holds) are told from
 * objects without reading them. The value stack's roots are the reference
 * slots of the live frames, by the translator's stack maps (mark_stack). Allocation carves from free runs (the gaps between the objects that
 * survived the last sweep, and fresh chunks). Marking uses a bounded mark
 * stack and, when it fills, rescans the marked objects: no recursion. The
 * sweep clears the start bits of unmarked objects, releases chunks left
 * empty and rebuilds the runs. Chunk bytes (bitmaps included) count against
 * the heap cap (opts.max_heap) and the store's budget (opts.max_memory). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rt_internal.h"

#define CHUNK_MIN (64u * 1024u)
#define TRIGGER_MIN (4u * 1024u * 1024u)
#define MARK_STACK 4096u
#define SMALL 256u  /* objects up to this size give up a run too short for them */

static inline uint64_t bitmap_words(uint64_t size)
{
	return size / 512;  /* a bit per 8 bytes, 64 bits a word */
}

static inline uint64_t chunk_cost(uint64_t size)
{
	return size + 2 * 8 * bitmap_words(size);
}

static inline bool bit(const uint64_t *m, uint64_t g)
{
	return m[g >> 6] >> (g & 63) & 1;
}

static inline void set_bit(uint64_t *m, uint64_t g)
{
	m[g >> 6] |= (uint64_t)1 << (g & 63);
}

/* The chunk holding address w, or NULL. */
static struct rt_gc_chunk *chunk_of(const struct rt_gc *h, uint64_t w)
{
	if (w < h->lo || w >= h->hi)
		return NULL;
	for (uint32_t i = 0; i < h->n; i++)
		if (w - (uintptr_t)h->chunks[i].base < h->chunks[i].size)
			return &h->chunks[i];
	return NULL;
}

bool rt_gc_is_obj(const struct wlab_store *s, uint64_t w)
{
	if (w & 7)
		return false;
	const struct rt_gc_chunk *c = chunk_of(&s->gc, w);
	return c && bit(c->starts, (w - (uintptr_t)c->base) >> 3);
}

/* Bytes object o takes, header included, rounded to 8. */
static uint64_t obj_bytes(const struct wlab_store *s, const struct rt_gcobj *o)
{
	const struct wlab_functype *t = &s->types[o->type];
	uint64_t payload = t->form == WLAB_FORM_ARRAY
			   ? (uint64_t)o->len * rt_gc_size(t->fields[0].type)
			   : rt_gc_field_offset(t, t->nfields);
	return (sizeof(struct rt_gcobj) + payload + 7) & ~(uint64_t)7;
}

static void bounds(struct rt_gc *h)
{
	h->lo = UINTPTR_MAX;
	h->hi = 0;
	for (uint32_t i = 0; i < h->n; i++) {
		uintptr_t b = (uintptr_t)h->chunks[i].base;
		if (b < h->lo)
			h->lo = b;
		if (b + h->chunks[i].size > h->hi)
			h->hi = b + h->chunks[i].size;
	}
}

static bool add_run(struct rt_gc *h, uint8_t *p, uint64_t n)
{
	if (h->nruns == h->runs_cap) {
		uint32_t cap = h->runs_cap ? h->runs_cap * 2 : 64;
		struct rt_gc_run *r = realloc(h->runs, cap * sizeof *r);
		if (!r)
			return false;  /* the run is lost until the next sweep */
		h->runs = r;
		h->runs_cap = cap;
	}
	h->runs[h->nruns++] = (struct rt_gc_run){p, n};
	return true;
}

/* A new chunk for an object of need bytes: the heap's size again (at least
 * CHUNK_MIN), within the cap; false when even need does not fit. */
static bool grow(struct wlab_store *s, uint64_t need)
{
	struct rt_gc *h = &s->gc;
	uint64_t room = h->max - h->chunk_bytes;
	uint64_t size = h->chunk_bytes > CHUNK_MIN ? (h->chunk_bytes + 511) & ~(uint64_t)511
			: CHUNK_MIN;
	need = (need + 511) & ~(uint64_t)511;
	if (size < need)
		size = need;
	while (size > need && chunk_cost(size) > room)
		size = size / 2 > need ? (size / 2 + 511) & ~(uint64_t)511 : need;
	if (chunk_cost(size) > room || size > SIZE_MAX / 2)
		return false;
	if (h->n == h->cap) {
		uint32_t cap = h->cap ? h->cap * 2 : 8;
		struct rt_gc_chunk *p = realloc(h->chunks, cap * sizeof *p);
		if (!p)
			return false;
		h->chunks = p;
		h->cap = cap;
	}
	if (!rt_budget_take(s, chunk_cost(size)))
		return false;
	uint8_t *base = malloc((size_t)size);
	uint64_t *bits = calloc((size_t)bitmap_words(size) * 2, 8);
	if (!base || !bits || !add_run(h, base, size)) {
		free(base);
		free(bits);
		rt_budget_give(s, chunk_cost(size));
		return false;
	}
	h->chunks[h->n++] = (struct rt_gc_chunk){base, size, bits, bits + bitmap_words(size)};
	h->chunk_bytes += chunk_cost(size);
	bounds(h);
	return true;
}

/* need bytes from the runs (first fit from the cursor), or NULL. */
static uint8_t *take(struct rt_gc *h, uint64_t need)
{
	for (uint32_t i = h->run; i < h->nruns; i++) {
		struct rt_gc_run *r = &h->runs[i];
		if (r->n >= need) {
			uint8_t *p = r->p;
			r->p += need;
			r->n -= need;
			if (need <= SMALL)
				h->run = i;  /* the shorter runs passed wait for the next sweep */
			return p;
		}
	}
	return NULL;
}

/* ---- marking ---- */

static void mark_word(struct wlab_store *s, uint64_t w)
{
	struct rt_gc *h = &s->gc;
	if ((w & 7) || w < h->lo || w >= h->hi)
		return;
	struct rt_gc_chunk *c = chunk_of(h, w);
	uint64_t g = c ? (w - (uintptr_t)c->base) >> 3 : 0;
	if (!c || !bit(c->starts, g) || bit(c->marks, g))
		return;
	set_bit(c->marks, g);
	if (h->msp < h->mcap)
		h->mstack[h->msp++] = w;
	else
		h->overflow = true;  /* marked, its fields traced by a rescan */
}

static void mark_words(struct wlab_store *s, const uint64_t *w, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		mark_word(s, w[i]);
}

/* Marks what o's reference fields (elements) hold: precise, from its type. */
static void trace(struct wlab_store *s, const struct rt_gcobj *o)
{
	const struct wlab_functype *t = &s->types[o->type];
	uint64_t w;
	if (t->form == WLAB_FORM_ARRAY) {
		if (wlab_type_is_ref(t->fields[0].type))
			for (uint32_t i = 0; i < o->len; i++) {
				memcpy(&w, o->data + (uint64_t)i * rt_gc_size(t->fields[0].type), 8);
				mark_word(s, w);
			}
		return;
	}
	for (uint32_t i = 0, off = 0; i < t->nfields; i++) {
		wlab_valtype_t ft = t->fields[i].type;
		if (wlab_type_is_ref(ft)) {
			memcpy(&w, o->data + off, 8);
			mark_word(s, w);
		}
		off += rt_gc_field_bytes(ft);
	}
}

static void drain(struct wlab_store *s)
{
	struct rt_gc *h = &s->gc;
	while (h->msp)
		trace(s, (const struct rt_gcobj *)(uintptr_t)h->mstack[--h->msp]);
}

/* After the mark stack overflowed: traces every marked object again until
 * a pass overflows no more (marks only grow, so this ends). */
static void rescan(struct wlab_store *s)
{
	struct rt_gc *h = &s->gc;
	while (h->overflow) {
		h->overflow = false;
		for (uint32_t i = 0; i < h->n; i++) {
			const struct rt_gc_chunk *c = &h->chunks[i];
			for (uint64_t k = 0; k < bitmap_words(c->size); k++)
				for (uint64_t m = c->marks[k]; m; m &= m - 1) {
					uint64_t g = k * 64 + (uint64_t)__builtin_ctzll(m);
					trace(s, (const struct rt_gcobj *)(void *)(c->base + g * 8));
					drain(s);
				}
		}
	}
}

/* ---- the value stack: stack maps ---- */

static inline bool pool_bit(const uint64_t *p, uint64_t b)
{
	return p[b >> 6] >> (b & 63) & 1;
}

/* The site of map m at the cell after a safepoint, or NULL. */
static const struct rt_smap_site *site_of(const struct rt_smap *m, uint32_t cell)
{
	uint32_t lo = 0, hi = m->nsites;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (m->sites[mid].cell < cell)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < m->nsites && m->sites[lo].cell == cell ? &m->sites[lo] : NULL;
}

/* A frame at a cell without a site in its map: a translator bug. */
static void no_site(const struct rt_frame *fr)
{
	fprintf(stderr, "wlab: gc stress: no stack map for function %u at cell %u\n",
		fr->fn->index, (uint32_t)(rt_frame_pc(fr) - fr->fn->code));
	abort();
}

/* Marks what the reference slots of activation fr hold: its locals and the
 * operands of its site. A frame without a site (a translator bug: under
 * stress it aborts) is scanned whole, conservatively. */
static void mark_frame(struct wlab_store *s, const struct rt_frame *fr)
{
	const struct rt_func *fn = fr->fn;
	const struct rt_smap *m = fn->smap;
	if (!m) {  /* no reference slot at any safepoint */
		if (s->gc.stress)  /* stress maps every function with safepoints */
			no_site(fr);
		return;
	}
	const struct rt_smap_site *st = site_of(m, (uint32_t)(rt_frame_pc(fr) - fn->code));
	if (!st) {
		if (s->gc.stress)
			no_site(fr);
		mark_words(s, fr->fp, (uint64_t)fn->nlocals + fn->max_height);
		return;
	}
	for (uint32_t k = 0; k * 64 < m->nlocal_slots; k++) {
		uint64_t w = m->pool[k];
		if ((k + 1) * 64 > m->nlocal_slots)
			w &= ((uint64_t)1 << (m->nlocal_slots & 63)) - 1;
		for (; w; w &= w - 1)
			mark_word(s, fr->fp[k * 64 + (uint32_t)__builtin_ctzll(w)]);
	}
	if (st->bit != UINT32_MAX)
		for (uint32_t b = 0; b < st->height; b++)
			if (pool_bit(m->pool, (uint64_t)st->bit + b))
				mark_word(s, fr->fp[fn->nlocals + b]);
}

/* Visits every guest activation: the frames of the calls in progress
 * (s->frames; a nested run's sentinel has no function) and those they do
 * not hold (s->gc.acts: the one allocating, those calling host functions).
 * The marking (mark_frame) and stress's check (check_frame) of the maps. */
static void each_frame(struct wlab_store *s,
		       void (*visit)(struct wlab_store *, const struct rt_frame *))
{
	for (struct rt_frame *fr = s->frames; fr < s->top; fr++)
		if (fr->fn)
			visit(s, fr);
	for (const struct rt_gc_act *a = s->gc.acts; a; a = a->prev)
		if (a->fr.fn)
			visit(s, &a->fr);
}

/* The value stack's roots: every activation's by its map, and the
 * arguments of host functions in progress by their types. */
static void mark_stack(struct wlab_store *s)
{
	each_frame(s, mark_frame);
	for (const struct rt_gc_act *a = s->gc.acts; a; a = a->prev) {
		if (!a->host)
			continue;
		for (uint32_t i = 0, k = 0; i < a->host->nparams; k += 1 + (a->host->params[i] == WLAB_V128), i++)
			if (wlab_type_is_ref(a->host->params[i]))
				mark_word(s, a->args[k]);
	}
}

/* Gc stress's check of the maps, after marking: a word of a frame's
 * mapped extent (its locals and its site's operands) that is exactly an
 * object left unmarked is a reference the map missed: abort. */
static void check_frame(struct wlab_store *s, const struct rt_frame *fr)
{
	const struct rt_func *fn = fr->fn;
	const struct rt_smap_site *st = site_of(fn->smap, (uint32_t)(rt_frame_pc(fr) - fn->code));
	uint64_t n = (uint64_t)fn->nlocals + st->height;
	for (uint64_t i = 0; i < n; i++) {
		uint64_t w = fr->fp[i];
		struct rt_gc_chunk *c = (w & 7) ? NULL : chunk_of(&s->gc, w);
		uint64_t g = c ? (w - (uintptr_t)c->base) >> 3 : 0;
		if (c && bit(c->starts, g) && !bit(c->marks, g)) {
			fprintf(stderr, "wlab: gc stress: the stack map of function %u at cell %u "
				"misses a reference in slot %" PRIu64 " (%s)\n", fn->index,
				(uint32_t)(rt_frame_pc(fr) - fn->code), i, i < fn->nlocals ? "a local" : "an operand");
			abort();
		}
	}
}

/* The roots: the value stack's reference slots (mark_stack), the globals
 * and tables of the store, the instances' element segments, the payloads
 * of exceptions (they live as long as the store), the references the host
 * holds and the values the host API is putting in a new object. */
static void mark_roots(struct wlab_store *s)
{
	struct rt_gc *h = &s->gc;
	mark_stack(s);
	drain(s);
	for (const struct rt_object *o = s->objects; o; o = o->next) {
		if (o->kind == WLAB_EXTERN_GLOBAL) {
			const struct rt_global *g = o->ptr;
			if (wlab_type_is_ref(g->type))
				mark_word(s, g->value);
		} else if (o->kind == WLAB_EXTERN_TABLE) {
			const struct rt_table *t = o->ptr;
			mark_words(s, t->elems, t->size);
		}
		drain(s);
	}
	for (const struct wlab_instance *i = s->instances; i; i = i->next)
		for (uint32_t k = 0; i->elems && k < i->m->nelems; k++)
			mark_words(s, i->elems[k], i->elem_len[k]);
	for (const struct rt_exn *e = s->exns; e; e = e->next)
		mark_words(s, e->vals, e->nslots);
	mark_words(s, h->held, h->nheld);
	if (h->pin)
		mark_words(s, h->pin, h->npin);
	drain(s);
}

/* ---- sweeping ---- */

static void release(struct wlab_store *s, uint32_t i)
{
	struct rt_gc *h = &s->gc;
	struct rt_gc_chunk *c = &h->chunks[i];
	h->chunk_bytes -= chunk_cost(c->size);
	rt_budget_give(s, chunk_cost(c->size));
	free(c->base);
	free(c->starts);
	h->chunks[i] = h->chunks[--h->n];
}

/* Unmarked objects die; their gaps become runs. Returns live bytes. */
static uint64_t sweep(struct wlab_store *s)
{
	struct rt_gc *h = &s->gc;
	uint64_t live = 0;
	h->nruns = h->run = 0;
	for (uint32_t i = 0; i < h->n;) {
		struct rt_gc_chunk *c = &h->chunks[i];
		uint64_t words = bitmap_words(c->size), any = 0;
		for (uint64_t k = 0; k < words; k++)
			any |= c->starts[k] &= c->marks[k];
		if (!any && h->n > 1) {
			release(s, i);
			continue;
		}
		uint8_t *at = c->base;
		for (uint64_t k = 0; k < words; k++)
			for (uint64_t m = c->starts[k]; m; m &= m - 1) {
				uint8_t *o = c->base + (k * 64 + (uint64_t)__builtin_ctzll(m)) * 8;
				uint64_t n = obj_bytes(s, (const struct rt_gcobj *)(void *)o);
				if (o > at)
					add_run(h, at, (uint64_t)(o - at));
				at = o + n;
				live += n;
			}
		if (at < c->base + c->size)
			add_run(h, at, (uint64_t)(c->base + c->size - at));
		i++;
	}
	bounds(h);
	return live;
}

void rt_gc_collect(struct wlab_store *s)
{
	struct rt_gc *h = &s->gc;
	if (h->nogc)
		return;
	if (!h->mstack && (h->mstack = malloc(MARK_STACK * sizeof *h->mstack)))
		h->mcap = MARK_STACK;
	for (uint32_t i = 0; i < h->n; i++)
		memset(h->chunks[i].marks, 0, (size_t)bitmap_words(h->chunks[i].size) * 8);
	h->msp = 0;
	h->overflow = false;
	mark_roots(s);
	rescan(s);
	if (h->stress)
		each_frame(s, check_frame);
	h->bytes = sweep(s);
	if (h->stress)  /* a reference the roots missed now reads garbage */
		for (uint32_t i = 0; i < h->nruns; i++)
			memset(h->runs[i].p, 0xdb, (size_t)h->runs[i].n);
	h->trigger = h->bytes * 2 > TRIGGER_MIN ? h->bytes * 2 : TRIGGER_MIN;
	h->collections++;
}

/* ---- allocation ---- */

struct rt_gcobj *rt_gc_alloc(struct wlab_store *s, uint32_t type, uint32_t len, uint64_t payload)
{
	struct rt_gc *h = &s->gc;
	if (payload > h->max)
		return NULL;
	uint64_t need = (sizeof(struct rt_gcobj) + payload + 7) & ~(uint64_t)7;
	bool collected = false;
	if (h->stress && !h->nogc) {
		rt_gc_collect(s);
		collected = true;
	}
	uint8_t *p = take(h, need);
	if (!p && !collected && !h->nogc && h->bytes >= h->trigger) {
		rt_gc_collect(s);
		collected = true;
		p = take(h, need);
	}
	if (!p && grow(s, need))
		p = take(h, need);
	if (!p && !collected && !h->nogc) {  /* at the cap: collect before giving up */
		rt_gc_collect(s);
		p = take(h, need);
		if (!p && grow(s, need))
			p = take(h, need);
	}
	if (!p)
		return NULL;
	struct rt_gc_chunk *c = chunk_of(h, (uintptr_t)p);
	set_bit(c->starts, (uint64_t)(p - c->base) >> 3);
	h->bytes += need;
	struct rt_gcobj *o = (struct rt_gcobj *)(void *)p;
	o->type = type;
	o->len = len;
	memset(o->data, 0, (size_t)(need - sizeof *o));
	return o;
}

void rt_gc_free(struct wlab_store *s)
{
	for (uint32_t i = 0; i < s->gc.n; i++) {
		free(s->gc.chunks[i].base);
		free(s->gc.chunks[i].starts);
	}
	free(s->gc.chunks);
	free(s->gc.runs);
	free(s->gc.mstack);
	free(s->gc.held);
}

/* ---- the host's side ---- */

bool wlab_ref_hold(struct wlab_store *s, uint64_t ref)
{
	struct rt_gc *h = &s->gc;
	if (h->nheld == h->held_cap) {
		uint32_t cap = h->held_cap ? h->held_cap * 2 : 16;
		uint64_t *p = cap > h->held_cap ? realloc(h->held, cap * sizeof *p) : NULL;
		if (!p)
			return false;
		h->held = p;
		h->held_cap = cap;
	}
	h->held[h->nheld++] = ref;
	return true;
}

void wlab_ref_release(struct wlab_store *s, uint64_t ref)
{
	struct rt_gc *h = &s->gc;
	for (uint32_t i = h->nheld; i-- > 0;)
		if (h->held[i] == ref) {
			h->held[i] = h->held[--h->nheld];
			return;
		}
}

void wlab_store_gc(struct wlab_store *s)
{
	rt_gc_collect(s);  /* from a host function: its caller's frames are roots */
}

void wlab_store_gc_stats(const struct wlab_store *s, uint64_t *collections,
			 uint64_t *object_bytes, uint64_t *heap_bytes)
{
	*collections = s->gc.collections;
	*object_bytes = s->gc.bytes;
	*heap_bytes = s->gc.chunk_bytes;
}
