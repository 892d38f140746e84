/* wlab/runtime.h: the interpreter's store, instances, host functions and calls.
 *
 * Ownership: a store owns every object made in it (functions, tables,
 * memories, globals, instances); wlab_store_free() releases them all. An
 * instance borrows its module, which must outlive the store (the compiled
 * code keeps no pointer into the module's bytes, but data and element
 * segments are read from them until dropped). Values cross the API as
 * uint64_t: i32 zero-extended, f32/f64 as their bits, funcref as an opaque
 * non-zero word (0 is null), externref as the host's word (0 is null),
 * anyref, eqref, structref, arrayref as the object's opaque word, i31ref
 * as a tagged word (its high 16 bits 0xfffe, the value in the low 31: host
 * words of that form are taken for i31 values), v128 as two words, low half first (so an args or results array holds one
 * word per value and two per v128; wlab_func_type still counts values).
 * wlab_global_value() gives a v128 global's low half only. */
#ifndef WLAB_RUNTIME_H
#define WLAB_RUNTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wlab/module.h"
#include "wlab/status.h"
#include "wlab/api.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Traps, with the spec testsuite's messages: WLAB_TRAP(CNAME, "message"). */
#define WLAB_TRAPS(X)                                              \
	X(NONE, "no trap")                                         \
	X(UNREACHABLE, "unreachable")                              \
	X(DIV_ZERO, "integer divide by zero")                      \
	X(INT_OVERFLOW, "integer overflow")                        \
	X(BAD_CONVERSION, "invalid conversion to integer")         \
	X(MEMORY_OOB, "out of bounds memory access")               \
	X(TABLE_OOB, "out of bounds table access")                 \
	X(UNDEFINED_ELEMENT, "undefined element")                  \
	X(UNINITIALIZED_ELEMENT, "uninitialized element")          \
	X(INDIRECT_MISMATCH, "indirect call type mismatch")        \
	X(EXHAUSTED, "call stack exhausted")                       \
	X(HOST, "host function trapped")                           \
	X(EXIT, "process exit")                                    \
	X(FUEL, "fuel exhausted")                                  \
	X(UNALIGNED_ATOMIC, "unaligned atomic")                    \
	X(UNSHARED_WAIT, "expected shared memory")                 \
	X(WAIT_FOREVER, "wait would block forever (single thread)") \
	X(NULL_FUNC, "null function reference")                    \
	X(NULL_REF, "null reference") \
	X(EXCEPTION, "uncaught exception")                         \
	X(NULL_EXN, "null exception reference")                    \
	X(EXN_LIMIT, "too many live exceptions")                   \
	X(NOMEM, "out of memory")                                  \
	X(INTERRUPTED, "interrupted")                              \
	X(NULL_STRUCT, "null structure reference")                 \
	X(NULL_ARRAY, "null array reference")                      \
	X(NULL_I31, "null i31 reference")                          \
	X(ARRAY_OOB, "out of bounds array access")                 \
	X(CAST, "cast failure")

enum wlab_trap {
#define WLAB_TRAP_ENUM(cname, msg) WLAB_TRAP_##cname,
	WLAB_TRAPS(WLAB_TRAP_ENUM)
#undef WLAB_TRAP_ENUM
	WLAB_TRAP_COUNT
};

WLAB_API const char *wlab_trap_message(enum wlab_trap t);

struct wlab_store;
struct wlab_instance;
struct rt_func;
struct rt_table;
struct rt_memory;
struct rt_global;
struct rt_tag;

/* An object of the store that can be imported or exported. */
struct wlab_extern {
	uint8_t kind;  /* enum wlab_extern_kind */
	union {
		struct rt_func *func;
		struct rt_table *table;
		struct rt_memory *memory;
		struct rt_global *global;
		struct rt_tag *tag;
	} u;
};

struct wlab_store_options {
	uint64_t max_memory;     /* the budget: bytes the host may allocate for the
				    guest, all together: the stacks, memories, tables
				    (an element is 8 bytes) and exceptions; also what
				    one memory may reach (a 32-bit one at most
				    4 GiB); 0 = 4 GiB, plus the stacks and 16 MiB
				    as the budget */
	uint32_t max_table;      /* elements all tables of the store may have
				    together (and one may reach); 0 = 10,000,000 */
	uint32_t max_call_depth; /* guest frames (24 bytes each); 0 = 100,000, or
				    fewer to fit a sixteenth of max_memory */
	uint32_t stack_slots;    /* value stack; 0 = 4M slots of 8 bytes, or fewer
				    to fit a sixteenth of max_memory. Stacks that
				    do not fit max_memory: wlab_store_new fails */
	uint64_t fuel;           /* units of work the store may run (wlab_store_fuel);
				    0 = no limit */
	uint32_t features;       /* enum wlab_feature_bit to validate and run modules
				    with; 0 = wlab_features_default() */
	uint64_t max_heap;       /* bytes of GC heap (structs, arrays, and the
				    collector's bitmaps) the store may hold, also
				    taken from max_memory's budget; 0 = 1 GiB.
				    Unreachable objects are collected first */
	bool gc_stress;          /* collect at every GC allocation (tests) */
	bool threads;            /* other host threads may run stores that share
				    this one's shared memories (the threads
				    proposal): atomics act atomically, a wait
				    blocks until notified, timed out or
				    interrupted. Off: a wait that nothing could
				    end traps at once, timeouts pass at once.
				    Ignored where C11 threads are missing */
};

WLAB_API struct wlab_store *wlab_store_new(const struct wlab_store_options *opts);
/* Frees the store and everything in it; NULL does nothing. */
WLAB_API void wlab_store_free(struct wlab_store *s);

/* A host function: reads type->nparams args, writes type->nresults results,
 * returns WLAB_TRAP_NONE or a trap. */
typedef enum wlab_trap (*wlab_host_fn)(void *ctx, const uint64_t *args, uint64_t *results);
/* The type's arrays are copied. NULL when out of memory. */
WLAB_API struct rt_func *wlab_host_func_new(struct wlab_store *s, const wlab_valtype_t *params,
					    uint32_t nparams, const wlab_valtype_t *results,
					    uint32_t nresults, wlab_host_fn fn, void *ctx);
/* The same of store type type_id, a function type (wlab_store_module_type_ids
 * gives a module's); NULL when out of memory or type_id is none. */
WLAB_API struct rt_func *wlab_host_func_new_id(struct wlab_store *s, uint32_t type_id,
					       wlab_host_fn fn, void *ctx);
/* The store type ids of module m's types, m->ntypes of them in ids: its rec
 * groups placed in the store as an instantiation of m places them, so that a
 * host can make what m imports of m's own types (a function or tag of a type
 * in a rec group, a global of a typed reference). WLAB_NOMEM when out of
 * memory. */
WLAB_API enum wlab_status wlab_store_module_type_ids(struct wlab_store *s,
						     const struct wlab_module *m, uint32_t *ids);
/* A valtype of a module with its concrete heap type, if any, as the store's
 * (ids from wlab_store_module_type_ids). */
static inline wlab_valtype_t wlab_store_valtype(const uint32_t *ids, wlab_valtype_t t)
{
	if (!wlab_type_is_ref(t) || !wlab_heap_is_concrete(wlab_ref_heap(t)))
		return t;
	return wlab_ref_type(wlab_ref_nullable(t),
			     wlab_heap_concrete(ids[wlab_heap_index(wlab_ref_heap(t))]));
}
/* A table (memory) with 32-bit addresses; NULL when out of memory or
 * when min passes the store's cap. */
WLAB_API struct rt_table *wlab_table_new(struct wlab_store *s, wlab_valtype_t elemtype, uint64_t min,
					 bool has_max, uint64_t max);
WLAB_API struct rt_memory *wlab_memory_new(struct wlab_store *s, uint64_t min_pages, bool has_max,
					   uint64_t max_pages);
/* The same of limits l, whose is64 gives the address type (table64, memory64). */
WLAB_API struct rt_table *wlab_table_new_limits(struct wlab_store *s, wlab_valtype_t elemtype,
						const struct wlab_limits *l);
WLAB_API struct rt_memory *wlab_memory_new_limits(struct wlab_store *s, const struct wlab_limits *l);
/* A shared memory (threads): it always has a maximum. */
WLAB_API struct rt_memory *wlab_shared_memory_new(struct wlab_store *s, uint32_t min_pages,
						  uint32_t max_pages);
WLAB_API struct rt_global *wlab_global_new(struct wlab_store *s, wlab_valtype_t type, bool mut,
					   uint64_t value);
WLAB_API uint64_t wlab_global_value(const struct rt_global *g);
/* A memory's bytes and size in bytes, for host functions. The pointer moves
 * when the memory grows: fetch it again after any call into the guest. */
WLAB_API uint8_t *wlab_memory_data(const struct rt_memory *mem, uint64_t *size);
/* The module an instance was made from. */
WLAB_API const struct wlab_module *wlab_instance_module(const struct wlab_instance *inst);
WLAB_API wlab_valtype_t wlab_global_type(const struct rt_global *g);

/* Names an extern in the store's registry under module.field, so later
 * instantiations can import it. Names are copied. */
WLAB_API enum wlab_status wlab_store_define(struct wlab_store *s, const char *module,
					    const char *field, struct wlab_extern ext);
/* Defines every export of inst under module name. */
WLAB_API enum wlab_status wlab_store_register(struct wlab_store *s, const char *name,
					      const struct wlab_instance *inst);

/* Validates m, resolves its imports from the registry, allocates, runs the
 * segments and the start function. Returns WLAB_OK and *out, or
 * WLAB_INVALID / WLAB_UNLINKABLE / WLAB_NOMEM / WLAB_TRAP with err set (a
 * trap leaves *trap set and, as the spec says, the instance's effects on
 * imported objects in place; *out is then NULL). trap may be NULL. */
WLAB_API enum wlab_status wlab_instantiate(struct wlab_store *s, const struct wlab_module *m,
					   struct wlab_instance **out, struct wlab_error *err,
					   enum wlab_trap *trap);
/* wlab_instantiate without validating m again when wlab_module_validate()
 * last accepted it with exactly the store's features (m->validated; 0 in
 * the options counts as wlab_features_default()). Any other module (never
 * validated, invalid, validated with other features) is validated here as
 * wlab_instantiate does, with the same errors. Validating a big module is
 * most of its start-up; a host that validates first (to check imports
 * against m's types, say) need not pay for it twice. Equal features, not a
 * subset: the record proves nothing about another set. */
WLAB_API enum wlab_status wlab_instantiate_validated(struct wlab_store *s,
						     const struct wlab_module *m,
						     struct wlab_instance **out,
						     struct wlab_error *err, enum wlab_trap *trap);

/* The export called name (len bytes), or false. */
WLAB_API bool wlab_instance_export(const struct wlab_instance *inst, const char *name, size_t len,
				   struct wlab_extern *out);

/* A tag of the given param types (exception handling); NULL when out of memory. */
WLAB_API struct rt_tag *wlab_tag_new(struct wlab_store *s, const wlab_valtype_t *params,
				     uint32_t nparams);
/* A tag of store type type_id, a function type without results; NULL when
 * out of memory or type_id is none. */
WLAB_API struct rt_tag *wlab_tag_new_id(struct wlab_store *s, uint32_t type_id);
/* After a call that ended with WLAB_TRAP_EXCEPTION: the exception that left
 * the guest: its tag, the tag's param types and its payload (a word per
 * value, two per v128). Valid until the next call into the store. False
 * when the last call did not end with an exception. */
WLAB_API bool wlab_store_exception(const struct wlab_store *s, const struct rt_tag **tag,
				   const wlab_valtype_t **types, uint32_t *ntypes,
				   const uint64_t **payload);
/* The instance's tag index of tag (for its name), or false when the
 * instance has no such tag. */
WLAB_API bool wlab_instance_tag_index(const struct wlab_instance *inst, const struct rt_tag *tag,
				      uint32_t *index);

/* GC references (the GC proposal): whether non-null ref is of abstract heap
 * type heap (WLAB_HT_I31, WLAB_HT_STRUCT, WLAB_HT_ARRAY, WLAB_HT_EQ,
 * WLAB_HT_ANY...); for a struct or array, its store type id, its length
 * (fields or elements) and which it is (false when ref is not one). */
WLAB_API bool wlab_ref_test(const struct wlab_store *s, uint64_t ref, wlab_heaptype_t heap);
WLAB_API bool wlab_ref_object(const struct wlab_store *s, uint64_t ref, uint32_t *type_id,
			      uint32_t *len, bool *is_array);
/* The collector (docs/interpreter.md): a GC reference the host keeps
 * between calls (a call's results, a host function's args) is collected
 * unless held: wlab_ref_hold roots it until a wlab_ref_release of the same
 * word (holds count; false when out of memory; non-objects are accepted
 * and ignored). wlab_store_gc collects now (from a host function too);
 * wlab_store_gc_stats reports collections so far, bytes of objects and
 * bytes of heap (chunks and bitmaps). */
WLAB_API bool wlab_ref_hold(struct wlab_store *s, uint64_t ref);
WLAB_API void wlab_ref_release(struct wlab_store *s, uint64_t ref);
WLAB_API void wlab_store_gc(struct wlab_store *s);
WLAB_API void wlab_store_gc_stats(const struct wlab_store *s, uint64_t *collections,
				  uint64_t *object_bytes, uint64_t *heap_bytes);
/* The store type id of the module type index of inst (GC objects report
 * theirs), or false when out of range. */
WLAB_API bool wlab_instance_type_id(const struct wlab_instance *inst, uint32_t index,
				    uint32_t *type_id);

/* A store type id's definition (the form, a struct's fields, an array's
 * element type as fields[0], each with its storage type and mutability;
 * concrete heap types in it are store type ids), or NULL when out of range.
 * Valid until the store gains types (the next instantiation, host function
 * or tag). A defined function's wlab_func_type gives its module's types:
 * wlab_instance_type_id of wlab_func_instance maps their type indices. */
WLAB_API const struct wlab_functype *wlab_store_type(const struct wlab_store *s, uint32_t type_id);

/* Structs and arrays made, read and written by the host (docs/libwasm.md,
 * "GC objects from the host"). Values are words as for wlab_call (two per
 * v128); a packed i8 / i16 field takes an i32 word and keeps its low 8 / 16
 * bits, and reads back zero-extended, or sign-extended when sign is true.
 * Every call checks its arguments: a type id of the right form, a field or
 * element index in range, each value of the field's type (an i32 or f32
 * word below 2^32; a reference null only when nullable, else of the
 * field's heap type by the runtime's own cast, so a struct of a subtype
 * fits; a funcref a function of the store), a mutable field for set. A
 * failed check returns WLAB_INVALID with err's message, changing nothing;
 * an allocation past the heap cap or the store's budget (opts.max_heap,
 * opts.max_memory) returns WLAB_NOMEM, "out of memory" (a host function
 * may then return WLAB_TRAP_NOMEM). err may be NULL. An allocation may
 * collect: a reference the host keeps across calls into the store (these
 * included) must be held (wlab_ref_hold); the values passed in are roots
 * while it runs. fields NULL: the fields' defaults (0, null; an error for
 * a non-nullable reference field). */
WLAB_API enum wlab_status wlab_struct_new(struct wlab_store *s, uint32_t type_id,
					  const uint64_t *fields, uint64_t *out,
					  struct wlab_error *err);
/* An array of len elements, each the value at init (NULL: the default). */
WLAB_API enum wlab_status wlab_array_new(struct wlab_store *s, uint32_t type_id, uint32_t len,
					 const uint64_t *init, uint64_t *out, struct wlab_error *err);
/* An array of the n values at elems. */
WLAB_API enum wlab_status wlab_array_new_fixed(struct wlab_store *s, uint32_t type_id,
					       const uint64_t *elems, uint32_t n, uint64_t *out,
					       struct wlab_error *err);
/* Field index of struct ref into out (one word, two for a v128); its new
 * value from val. */
WLAB_API enum wlab_status wlab_struct_get(const struct wlab_store *s, uint64_t ref, uint32_t index,
					  bool sign, uint64_t *out, struct wlab_error *err);
WLAB_API enum wlab_status wlab_struct_set(struct wlab_store *s, uint64_t ref, uint32_t index,
					  const uint64_t *val, struct wlab_error *err);
/* Element index of array ref, the same. */
WLAB_API enum wlab_status wlab_array_get(const struct wlab_store *s, uint64_t ref, uint32_t index,
					 bool sign, uint64_t *out, struct wlab_error *err);
WLAB_API enum wlab_status wlab_array_set(struct wlab_store *s, uint64_t ref, uint32_t index,
					 const uint64_t *val, struct wlab_error *err);
/* The length of array ref. */
WLAB_API enum wlab_status wlab_array_len(const struct wlab_store *s, uint64_t ref, uint32_t *len,
					 struct wlab_error *err);

/* The function's type. */
WLAB_API void wlab_func_type(const struct rt_func *f, const wlab_valtype_t **params, uint32_t *nparams,
			     const wlab_valtype_t **results, uint32_t *nresults);

/* Calls f with args; writes its results. Returns WLAB_OK, or WLAB_TRAP with
 * *trap set (the store stays usable). */
WLAB_API enum wlab_status wlab_call(struct wlab_store *s, struct rt_func *f, const uint64_t *args,
				    uint64_t *results, enum wlab_trap *trap);

/* Fuel: with opts.fuel set, every instruction the interpreter runs (one
 * cell of its internal form: block, loop, nop and end run none; a fused pair
 * counts once) takes one unit, and host work beyond it one more unit per
 * 64 bytes written, copied or scanned (bulk memory and table instructions
 * by length, a call by the locals it zeroes, exceptions by payload and
 * handlers searched; docs/interpreter.md), so N units pay for O(N) host
 * work. A call that runs out ends with WLAB_TRAP_FUEL before the
 * instruction or work that found too little, leaving 0. Fuel left, or
 * UINT64_MAX when there is no limit. */
WLAB_API uint64_t wlab_store_fuel(const struct wlab_store *s);
/* Sets the fuel left (0 = no limit), for the next wlab_call. */
WLAB_API void wlab_store_set_fuel(struct wlab_store *s, uint64_t fuel);
/* For host functions: takes units of fuel for the work a host function is
 * about to do (WASI takes one unit per 64 bytes it moves or scans). True
 * when the store has no limit or enough is left; false, leaving 0, when
 * not: the host function should then return WLAB_TRAP_FUEL, work undone. */
WLAB_API bool wlab_store_take_fuel(struct wlab_store *s, uint64_t units);

/* Profiling: with it on, every unit of fuel (above) is also counted to the
 * call stack it was charged in, so the counts sum to the fuel the store
 * used. Turning it on turns fuel on (without a limit, UINT64_MAX, when
 * there was none); a plain run pays nothing. The stacks are a call tree:
 * node 0 is the root (no function; charged only by host-side work before
 * the first call), every other node a function called from its parent's.
 * Host functions take no node (their work is charged to the caller).
 * Returns WLAB_NOMEM when out of memory. */
struct wlab_profile_node {
	uint32_t parent;                   /* < its own index; the root's is 0 */
	const struct wlab_instance *inst;  /* NULL for the root */
	uint32_t func;                     /* index in inst's function space */
	uint64_t self;                     /* fuel charged while it ran on top */
};
WLAB_API enum wlab_status wlab_store_profile(struct wlab_store *s);
/* The nodes so far (parents before children); *lost is set when memory ran
 * out and some calls were counted to their callers. NULL, n 0, when off. */
WLAB_API const struct wlab_profile_node *wlab_store_profile_nodes(const struct wlab_store *s,
								  uint32_t *n, bool *lost);

/* A sampled profile: turns the profile on (above) counting samples of a
 * clock instead of fuel: a node's self is the samples taken while it ran
 * on top. The clock is the caller's: a timer whose signal handler calls
 * wlab_store_profile_tick, which only adds n samples to a lock-free atomic
 * counter (async-signal-safe; a no-op unless sampled). The interpreter
 * charges the samples pending to the function running at its next
 * instruction: time in a host function (WASI) goes to the guest function
 * that called it, a function's translation (on its first call) to that
 * function. wlab_store_profile_flush charges the samples still pending to
 * the root (time after the guest's last instruction); call it once the
 * clock is stopped. Fuel is still on, and the calls still build the tree. */
WLAB_API enum wlab_status wlab_store_profile_sampled(struct wlab_store *s);
WLAB_API void wlab_store_profile_tick(struct wlab_store *s, unsigned n);
WLAB_API void wlab_store_profile_flush(struct wlab_store *s);

/* Coverage: turns the profile on (above) and also marks every instruction
 * run. Turn it on before instantiating. wlab_func_coverage calls visit for
 * each instruction of function func of inst (in inst's function space;
 * none for an imported one) that the interpreter runs (as one cell or as
 * part of a fused one; block, loop, end and nop have none), in code order:
 * its byte offset in the module file, and how many times it ran. A function no
 * call reached is translated first (WLAB_NOMEM when out of memory); none
 * when func is out of range. */
typedef void (*wlab_coverage_fn)(void *ctx, uint32_t offset, uint64_t count);
WLAB_API enum wlab_status wlab_store_coverage(struct wlab_store *s);
WLAB_API enum wlab_status wlab_func_coverage(struct wlab_instance *inst, uint32_t func,
					     wlab_coverage_fn visit, void *ctx);

/* Asks the guest code running in the store to stop: the call running (or,
 * when none is, the next one) traps with WLAB_TRAP_INTERRUPTED
 * ("interrupted") at its next taken backward branch or call, which
 * clears the request; the store stays usable. Checked there only (every
 * loop goes round through a backward branch, and the code between runs
 * forward, bounded by the function's size), so a host function running
 * at the time finishes first. Safe to call from a signal handler or another thread
 * (one lock-free atomic store), the only function of the store that is. */
WLAB_API void wlab_store_interrupt(struct wlab_store *s);

/* One frame of a trap's backtrace. A host function is a frame with inst
 * NULL, func UINT32_MAX and offset 0. */
struct wlab_frame_info {
	const struct wlab_instance *inst;
	uint32_t func;    /* index in its module's function space */
	uint32_t offset;  /* byte offset in the module file of the instruction
			     running in that frame (trapping or calling), 0 if unknown */
};

/* The frames of the last trap, innermost first: writes up to max of them
 * to out and returns how many there are (which may be more than max). Each
 * wlab_call clears them. When a host function traps after a wlab_call of
 * its own trapped, that call's frames come first, then the host's frame,
 * then its callers'. */
WLAB_API uint32_t wlab_store_backtrace(const struct wlab_store *s, struct wlab_frame_info *out,
				       uint32_t max);
/* What the last trap was about, beyond its kind (wlab-run's trap report,
 * and wasm-interp's wording): op is the trapping instruction (enum wlab_op;
 * 0 when unknown). For an access out of bounds or an unaligned atomic,
 * has_access: n bytes at address addr + offset, in memory `index` of the
 * trapping function's instance, of bound bytes; for table.get and table.set
 * out of bounds, has_index: element addr of table `index`, of bound
 * elements. Each wlab_call clears it. */
struct wlab_trap_detail {
	uint16_t op;
	bool has_access, has_index;
	uint64_t addr, offset, bound;
	uint32_t n;
	uint32_t index;
};
WLAB_API void wlab_store_trap_detail(const struct wlab_store *s, struct wlab_trap_detail *out);

/* The index of a function in its instance's function space (an imported
 * function: in the instance that defined it); UINT32_MAX for host functions. */
WLAB_API uint32_t wlab_func_index(const struct rt_func *f);
/* The instance that defined f; NULL for host functions. */
WLAB_API const struct wlab_instance *wlab_func_instance(const struct rt_func *f);

#ifdef __cplusplus
}
#endif

#endif
