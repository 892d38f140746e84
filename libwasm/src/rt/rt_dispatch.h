/* rt_dispatch.h: rt_exec.c's dispatch, in three builds of the same text of
 * cases and labels: clang's tail calls (musttail), computed goto (GCC, and
 * clang with -DWLAB_NO_MUSTTAIL), and a switch (-DWLAB_NO_COMPUTED_GOTO or
 * another compiler). Included by rt_exec.c only. */
#ifndef WLAB_RT_DISPATCH_H
#define WLAB_RT_DISPATCH_H

#include "rt_internal.h"

/* A profiled cell's unit of fuel, counted to the function running (at
 * the store's depth), and the cell marked when the store covers. */
static inline void prof_cell(struct wlab_store *s, struct rt_func *fn, const struct rt_cell *ip)
{
	struct rt_prof *p = s->prof;
	p->nodes[p->at[rt_depth(s)]].self++;
	if (p->cover)
		rt_prof_cover(fn, (uint32_t)(ip - fn->code));
}

/* A sampled profile's cell: the samples a clock took since the last cell
 * (one relaxed load when it took none) charged to the function running,
 * and the cell marked when the store covers. */
static inline void sample_cell(struct wlab_store *s, struct rt_func *fn, const struct rt_cell *ip)
{
	struct rt_prof *p = s->prof;
	if (atomic_load_explicit(&p->pending, memory_order_relaxed))
		rt_prof_sample(p, rt_depth(s));
	if (p->cover)
		rt_prof_cover(fn, (uint32_t)(ip - fn->code));
}

/* The check every cell goes through first in the store's mode, as the
 * build names it (a label, a handler): none (NULL) when the store runs
 * plain, fuel when it counts fuel, prof when it profiles, sample when the
 * profile is sampled. */
#define RT_MODE_CHECK(s, on_fuel, on_prof, on_sample)                            \
	(!(s)->prof && !(s)->fuel_on ? NULL                                      \
	 : !(s)->prof ? (const void *)(on_fuel)                                  \
	 : (s)->prof->sampled ? (const void *)(on_sample) : (const void *)(on_prof))

/* The dispatch. Under GCC (and clang with -DWLAB_NO_MUSTTAIL) each case
 * is a label and NEXT jumps to the one the next cell names (direct
 * threading: the cell's h, set by rt_exec.c's set_handlers()). When the
 * store counts fuel every cell names the fuel check instead, when it
 * profiles the fuel check that also counts the unit to the running
 * function's node (rt_profile.h), when the profile is sampled the one that
 * charges the samples pending there; each goes on through the table of
 * labels. With -DWLAB_NO_DIRECT NEXT jumps through a table: disp is either
 * that table or, in those modes, the store's table of every entry to the
 * check, made on first use (alt_table), not static: a static table of
 * addresses is relocated when the program or libwasm.so is loaded, and
 * the 1,764 relocation records and 14 KiB they took were pages every plain
 * run touched (docs/benchmarks.md, fourth phase). The tail-called build
 * has one such table, rt_handlers, which the store's copies are filled
 * from. With -DWLAB_NO_COMPUTED_GOTO it is one switch, which tests fuel_on
 * per cell. */
#if defined(__clang__) && __clang_major__ >= 13 && defined(__x86_64__) && \
	!defined(WLAB_NO_MUSTTAIL) && !defined(WLAB_NO_COMPUTED_GOTO)
/* The tail-called build, clang's (13 and later, on x86-64, the one target
 * it was measured on; -DWLAB_NO_MUSTTAIL for its computed goto instead):
 * each case and label is a function of its own, and NEXT tail-calls
 * (musttail) the next cell's. GCC 12 has no musttail: its build is the
 * computed-goto one below. Each compiler's default is the faster of the two
 * for it (docs/benchmarks.md, "Dispatch: computed goto and musttail").
 *
 * ip, sp, fp and memory 0's base travel as arguments, with r: the store's
 * struct rt_regs (s->mt_regs, made on first use), which holds the rest of
 * the loop's state, read by a handler as it needs it and written back where
 * it changes (RT_SYNC*, GOTO_STATE_*), and what the cells' h is an offset
 * from (with -DWLAB_NO_DIRECT, the dispatch table: rt_handlers' entries,
 * or every entry to the fuel or profile check). Five integer arguments, so
 * that x86-64's caller-saved registers leave a handler room to work in: one
 * that must save registers of its own pays for it on every run; and the
 * f64 accumulator (rt_internal.h, RT_FACC), facc, in a float register. */
#define RT_MUSTTAIL 1
#define RT_COMPUTED_GOTO 1
struct rt_regs;
typedef enum wlab_trap rt_op_fn(const struct rt_cell *ip, uint64_t *sp, uint64_t *fp,
				uint8_t *mbase, struct rt_regs *r, double facc);
struct rt_regs {
	struct wlab_store *s;
	struct rt_func *fn;
	struct wlab_instance *inst;
	struct rt_memory *mem;
	uint64_t msize;
	struct rt_func *callee;  /* to call and tail */
	struct rt_exn *exn;      /* to throw */
	enum wlab_trap trap;     /* to fail */
	uint32_t base_depth;
	/* (the registers a nested run saves end here) */
	uintptr_t hbase;         /* what a cell's h is an offset from (s->h_base) */
#ifdef WLAB_NO_DIRECT
	const void *to;          /* what h holds: rt_handlers' entries, or all one label */
	rt_op_fn *h[RT_OP_COUNT];
#endif
};
#define MUSTTAIL __attribute__((musttail))
#define RT_ARGS ip, sp, fp, mbase, r, facc
#define RT_PARAMS const struct rt_cell *ip, uint64_t *sp, uint64_t *fp, uint8_t *mbase, \
	struct rt_regs *r, double facc
/* A handler's view of the loop's locals (a load the handler does not use
 * is dropped by the compiler). */
#define RT_PROLOGUE                                                                  \
	const struct rt_cell *pc = ip + 1;                                           \
	struct wlab_store *s = r->s;                                                 \
	struct rt_func *fn = r->fn;                                                  \
	struct wlab_instance *inst = r->inst;                                        \
	struct rt_memory *mem = r->mem;                                              \
	uint64_t msize = r->msize;                                                   \
	struct rt_func *callee = r->callee;                                          \
	struct rt_exn *exn = r->exn;                                                 \
	enum wlab_trap trap = r->trap;                                               \
	uint32_t base_depth = r->base_depth;                                         \
	struct rt_table *tab;                                                        \
	unsigned attn;                                                               \
	uint8_t *p;                                                                  \
	(void)pc, (void)s, (void)fn, (void)inst, (void)mem, (void)msize,             \
		(void)callee, (void)exn, (void)trap, (void)base_depth, (void)tab,    \
		(void)attn, (void)p, (void)sp, (void)fp, (void)mbase, (void)facc;
/* What a label takes from the handler that goes there. */
#define GOTO_STATE_branch_slow (void)0
#define GOTO_STATE_return_slow (void)0
#define GOTO_STATE_call_sub r->callee = callee
#define GOTO_STATE_call r->callee = callee
#define GOTO_STATE_tail r->callee = callee
#define GOTO_STATE_call_enter r->callee = callee
#define GOTO_STATE_call_slow r->callee = callee
#define GOTO_STATE_throw r->exn = exn
#define GOTO_STATE_fail r->trap = trap
#define GOTO_STATE_oob (void)0
#define GOTO_STATE_oob_l (void)0
#define GOTO_STATE_oob_ll (void)0
#define GOTO_STATE_interrupt (void)0
#define GOTO_STATE_nofuel (void)0
#define GOTO_STATE_fuel (void)0
#define GOTO_STATE_prof (void)0
#define GOTO_STATE_sample (void)0
#define GOTO_STATE_indirect (void)0
#define GOTO(x) do { GOTO_STATE_##x; MUSTTAIL return h_lbl_##x(RT_ARGS); } while (0)
/* A case or label ends its function and starts the next: the one before
 * falls through into it, as into a C label. */
#define RT_HANDLER(name, attr) \
	}                      \
	attr static enum wlab_trap name(RT_PARAMS) { RT_PROLOGUE
#define CASE(x) MUSTTAIL return h_op_##x(RT_ARGS); RT_HANDLER(h_op_##x, )
#define RCASE(x) MUSTTAIL return h_rt_op_##x(RT_ARGS); RT_HANDLER(h_rt_op_##x, )
#define DEFAULT MUSTTAIL return h_op_default(RT_ARGS); RT_HANDLER(h_op_default, )
#define LABEL(x) GOTO(x); RT_HANDLER(h_lbl_##x, LABEL_ATTR_##x)
/* The paths out (traps, throws) and the fuel checks stay out of line: in
 * a handler that goes there they would take registers its fast path needs.
 * The call's fast path is in line in every call handler. */
#define RT_COLD_LABEL __attribute__((noinline, cold))
#define LABEL_ATTR_branch_slow __attribute__((noinline))
#define LABEL_ATTR_return_slow __attribute__((noinline))
#define LABEL_ATTR_call_sub RT_COLD_LABEL
#define LABEL_ATTR_call __attribute__((always_inline))
#define LABEL_ATTR_tail
#define LABEL_ATTR_call_enter __attribute__((always_inline))
#define LABEL_ATTR_call_slow RT_COLD_LABEL
#define LABEL_ATTR_throw RT_COLD_LABEL
#define LABEL_ATTR_fail RT_COLD_LABEL
#define LABEL_ATTR_oob RT_COLD_LABEL
#define LABEL_ATTR_oob_l RT_COLD_LABEL
#define LABEL_ATTR_oob_ll RT_COLD_LABEL
#define LABEL_ATTR_interrupt RT_COLD_LABEL
#define LABEL_ATTR_nofuel RT_COLD_LABEL
#define LABEL_ATTR_fuel __attribute__((noinline))
#define LABEL_ATTR_prof __attribute__((noinline))
#define LABEL_ATTR_sample __attribute__((noinline))
#define LABEL_ATTR_indirect __attribute__((noinline))
/* The handler of cell c. Direct threading, as in the computed-goto build
 * below: c's h is its handler's offset from r->hbase; a handler out of
 * reach is reached through indirect, which goes to the store's check or to
 * rt_handlers' entry. */
#ifdef WLAB_NO_DIRECT
#define RT_HANDLER_OF(c) r->h[(c)->op]
#else
#define RT_DIRECT 1
#define RT_HANDLER_OF(c) ((rt_op_fn *)(r->hbase + (c)->h))
#define INDIRECT_CASE                                                                  \
	LABEL(indirect)                                                                \
	MUSTTAIL return (s->h_to ? (rt_op_fn *)s->h_to : rt_handlers[ip->op])(RT_ARGS);
#endif
#define NEXT do { ip = pc; MUSTTAIL return RT_HANDLER_OF(ip)(RT_ARGS); } while (0)
/* NEXT through cell e's h, which is pc's (a br_table entry's copy) */
#define NEXT_VIA(e)                                                           \
	do {                                                                  \
		const struct rt_cell *e_ = (e);                               \
		ip = pc;                                                      \
		MUSTTAIL return ((rt_op_fn *)(r->hbase + e_->h))(RT_ARGS);    \
	} while (0)
/* The running function, its instance and memory 0 back into r where they
 * changed: RT_SYNC_FN after a call or return (SWITCH_INST writes inst and
 * mem when they change), RT_SYNC after a tail call or throw. */
#define RT_SYNC_FN (r->fn = fn)
#define RT_SYNC (r->fn = fn, r->inst = inst, r->mem = mem)
#define RT_SYNC_INST (r->inst = inst, r->mem = mem)
#define NEXT_SYNC                                                                    \
	do {                                                                         \
		RT_SYNC;                                                             \
		NEXT;                                                                \
	} while (0)
/* NEXT in a function just entered (SWITCH_INST wrote inst and mem) */
#define NEXT_ENTERED                                                                 \
	do {                                                                         \
		RT_SYNC_FN;                                                          \
		NEXT;                                                                \
	} while (0)
/* The ends of the loop's two blocks: the cases' (nothing here) and the
 * for's, where a caught throw comes to run its handler. */
#define DISPATCH_END
#define LOOP_END NEXT_SYNC;
#define RT_OP_OF_CELL MUSTTAIL return rt_handlers[ip->op](RT_ARGS)
#elif (defined(__GNUC__) || defined(__clang__)) && !defined(WLAB_NO_COMPUTED_GOTO)
#define RT_COMPUTED_GOTO 1
#define DISPATCH NEXT;
#ifdef WLAB_NO_DIRECT
#define CASE(x) op_##x:
#define RCASE(x) rt_op_##x:
#define DEFAULT op_default:
#define NEXT goto *disp[(ip = pc++)->op]
#else
/* Direct threading: a cell's h says where its handler is, as an offset
 * from hbase (rt_exec.c, set_handlers()), so that NEXT loads one thing
 * before it jumps, not the op and then the table's entry for it. A handler
 * too far for h's 16 bits is reached through indirect, which goes to the
 * store's check (fuel, profiles) or through the table of labels. Every
 * case starts with ip = pc - 1, which the compiler folds into its
 * addressing, so NEXT moves pc only. The tail-called build does the same
 * with its functions. */
#define RT_DIRECT 1
#define NEXT goto *(const void *)(hbase + (pc++)->h)
/* NEXT through cell e's h, which is pc's (a br_table entry's copy) */
#define NEXT_VIA(e) do { pc++; goto *(const void *)(hbase + (e)->h); } while (0)
#define CASE(x) op_##x: ip = pc - 1;
#define RCASE(x) rt_op_##x: ip = pc - 1;
#define DEFAULT op_default: ip = pc - 1;
#define INDIRECT_CASE LABEL(indirect) ip = pc - 1; goto *(s->h_to ? s->h_to : labels[ip->op]);
#endif
#define RT_OP_OF_CELL goto *labels[ip->op]
#else
/* (a switch: a case the switch reaches once per cell, which tests fuel_on) */
#define OP_NOFUEL 0xffff
#define DISPATCH for (;;) switch (fuel_on ? take_fuel(s, fn, ip = pc++) : (ip = pc++)->op)
#define CASE(x) case WLAB_OP_##x:
#define RCASE(x) case RT_OP_##x:
#define DEFAULT default:
#define NEXT continue
#define FUEL_CASE case OP_NOFUEL: GOTO(nofuel);

/* The op of ip, or OP_NOFUEL when there is no fuel left. */
static inline unsigned take_fuel(struct wlab_store *s, struct rt_func *fn,
				 const struct rt_cell *ip)
{
	if (!s->fuel)
		return OP_NOFUEL;
	s->fuel--;
	if (s->prof && s->prof->sampled)
		sample_cell(s, fn, ip);
	else if (s->prof)
		prof_cell(s, fn, ip);
	return ip->op;
}
#endif

#ifdef RT_OP_OF_CELL
/* The fuel checks a cell goes through first when the store counts fuel
 * (fuel), profiles (prof) or samples (sample), then its op's case
 * (RT_OP_OF_CELL). */
#define FUEL_THEN(charge)        \
	ip = pc - 1;             \
	if (!s->fuel)            \
		GOTO(nofuel);    \
	s->fuel--;               \
	charge;                  \
	RT_OP_OF_CELL;
#define FUEL_CASE                                                  \
	LABEL(fuel) FUEL_THEN((void)0)                             \
	LABEL(prof) FUEL_THEN(FACC_KEEP(prof_cell(s, fn, ip)))     \
	LABEL(sample) FUEL_THEN(FACC_KEEP(sample_cell(s, fn, ip)))
/* A call between two cells with the f64 accumulator (rt_internal.h,
 * RT_FACC) kept around it: GCC's build asks a register for it, which a call
 * may clobber. */
#ifdef RT_FACC
#define FACC_KEEP(call)                  \
	do {                             \
		double facc_ = facc;     \
		call;                    \
		facc = facc_;            \
	} while (0)
#else
#define FACC_KEEP(call) call
#endif
#endif

#ifndef INDIRECT_CASE
#define INDIRECT_CASE
#endif

#ifndef RT_MUSTTAIL
/* One function, rt_run: a label is a label, the loop's state its locals, a
 * throw caught or a call made goes on with NEXT, and the ends of the
 * cases' block and of the for are braces. */
#define GOTO(x) goto x
#define LABEL(x) x:
/* (each its own dispatch jump: a continue joined every call at the loop's
 * head, where GCC passed pc through a slot of the C stack) */
#define NEXT_SYNC NEXT
#define NEXT_ENTERED NEXT
#define RT_SYNC (void)0
#define RT_SYNC_FN (void)0
#define RT_SYNC_INST (void)0
#define DISPATCH_END }
#define LOOP_END }
#endif

#endif
