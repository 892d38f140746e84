/* wlab/refgraph.h: the reference graph of a module, what keeps each byte.
 *
 * Items are the module's entries: functions (imported ones too), tables,
 * memories, globals, tags, types, element and data segments, exports and the
 * start section, plus one synthetic root and one synthetic "indirect targets"
 * item per function signature that call_indirect or call_ref name. Each item
 * has a shallow size: the bytes of its entries in the file (a defined
 * function: its function-section entry and its Code entry, size LEB128
 * included; an import: its import entry). What no entry owns is a "meta"
 * item's, one per section: the section's id, size and vector count (and
 * any rec group prefix), the whole section for a custom section and the
 * data count section; the root's own size is the 8 bytes of the preamble
 * (magic and version). So the shallow sizes add up to the file's size.
 * Every item with bytes in a section has an edge to its section's meta item
 * (a defined function to the Function and Code sections'); the root has one
 * to every custom section's and to a section's that no item has bytes in:
 * a section's header goes when its last entry goes.
 *
 * The root's edges go to the roots: every export entry, the start section,
 * and every active element or data segment that may trap at instantiation
 * (an offset that is not one i32.const/i64.const, or a segment that does
 * not fit in its table's or memory's minimum size) or writes to an imported
 * table or memory (the host sees it). Any other active segment only fills
 * its own table or memory, which has an edge to it: both go when nothing
 * else keeps the table or memory (as binaryen's
 * --remove-unused-module-elements decides); an empty one that cannot trap
 * has no keeper. Imports are no roots: an import nothing uses is garbage. A relocatable
 * object (with a "linking" section) exports nothing; there its defined
 * symbols that are not local and its init functions are roots too, and each
 * relocation in the Code or Data section is an edge from the function body
 * or data segment holding it to its symbol's item (a table-index relocation
 * takes the function's reference, like an element segment).
 *
 * Edges: an export to what it exports; the start section to its function;
 * a function to its type and to what its body names (call, return_call and
 * ref.func to functions; global.get/set to globals; loads, stores and
 * memory.* to memories; table.* to tables; memory.init and data.drop to data
 * segments; table.init and elem.drop to element segments; throw and catch
 * clauses to tags; block types, call_indirect, call_ref and typed references
 * to types); a global, a table with an initialiser and a segment to what its
 * constant expressions name; an element segment to its functions and table;
 * a data segment to its memory (and a table or memory to a segment that
 * cannot trap, above); a type to the types its signature, its
 * supertype and its rec group name; a tag to its type.
 *
 * call_indirect, return_call_indirect, call_ref and return_call_ref are
 * resolved conservatively: the caller gets an edge to the "indirect
 * targets" item of the instruction's signature, which has an edge to every
 * function of that signature (same parameters and results) whose reference
 * is taken anywhere in the module: named by an element segment of any mode
 * or by a ref.func in any body or constant expression. A function reached
 * only that way is kept, even when no table could ever hold it at run time. */
#ifndef WLAB_REFGRAPH_H
#define WLAB_REFGRAPH_H

#include <stdbool.h>
#include <stdint.h>

#include "wlab/module.h"
#include "wlab/status.h"
#include "wlab/api.h"

#ifdef __cplusplus
extern "C" {
#endif

enum wlab_item_kind {
	WLAB_ITEM_ROOT,      /* the one synthetic root, item 0 */
	WLAB_ITEM_FUNC,      /* index: in the function space (imports first) */
	WLAB_ITEM_TABLE,
	WLAB_ITEM_MEMORY,
	WLAB_ITEM_GLOBAL,
	WLAB_ITEM_TAG,
	WLAB_ITEM_TYPE,
	WLAB_ITEM_ELEM,
	WLAB_ITEM_DATA,
	WLAB_ITEM_EXPORT,    /* index: in the export section */
	WLAB_ITEM_START,     /* the start section's payload */
	WLAB_ITEM_INDIRECT,  /* index: the lowest type index of its signature */
	WLAB_ITEM_META,      /* index: the section's position in m->sections */
	WLAB_ITEM_KIND_COUNT
};

enum wlab_edge_kind {
	WLAB_EDGE_ROOT,      /* from the root */
	WLAB_EDGE_CALL,      /* call, return_call; the start function */
	WLAB_EDGE_REF,       /* ref.func, an element segment's function */
	WLAB_EDGE_INDIRECT,  /* call_indirect/call_ref sites, and their targets */
	WLAB_EDGE_USE,       /* any other use: global, memory, table, type... */
};

struct wlab_refitem {
	uint8_t kind;          /* enum wlab_item_kind */
	bool imported;
	uint32_t index;        /* in its kind's index space */
	uint32_t size;         /* shallow size in bytes */
	struct wlab_span span; /* its main entry: a function's Code entry (its
				  import entry when imported)... */
};

struct wlab_refgraph {
	uint32_t nitems;
	struct wlab_refitem *items;     /* item 0 is the root */
	uint32_t base[WLAB_ITEM_KIND_COUNT];   /* first item of each kind */
	uint32_t count[WLAB_ITEM_KIND_COUNT];  /* items of each kind */
	uint32_t nedges;
	uint32_t *first;   /* nitems + 1: item i's edges are [first[i], first[i+1]) */
	uint32_t *to;      /* edge targets, sorted and distinct per item */
	uint8_t *ekind;    /* enum wlab_edge_kind of each edge */
	uint64_t total;    /* the sum of every item's shallow size */
	struct wlab_str *names;  /* per item: the name section's name (for a
				    function, else an export's); len 0: none */
};

/* Builds m's graph, walking every function body with m->features. On a
 * malformed instruction returns WLAB_MALFORMED with its offset in err (and
 * no graph); WLAB_NOMEM. Indices out of range (an unvalidated module) make
 * no edge. */
WLAB_API enum wlab_status wlab_refgraph_build(const struct wlab_module *m,
					      struct wlab_refgraph **out, struct wlab_error *err);
WLAB_API void wlab_refgraph_free(struct wlab_refgraph *g);

/* The item of a kind and index, or UINT32_MAX. */
WLAB_API uint32_t wlab_refgraph_item(const struct wlab_refgraph *g, uint8_t kind, uint32_t index);
/* "func", "global", "data"... */
WLAB_API const char *wlab_item_kind_name(uint8_t kind);

/* Marks (mark[i] = 1) the items reachable from the root without passing
 * through item skip (UINT32_MAX: none; skip itself stays 0). Returns how
 * many. */
WLAB_API uint32_t wlab_refgraph_reach(const struct wlab_refgraph *g, uint32_t skip,
				      uint8_t *mark);

/* The dominator tree: idom[i] is item i's immediate dominator (the root's is
 * itself, 0), UINT32_MAX when i is unreachable; retained[i] is the shallow
 * size of i and of every item it dominates (0 when unreachable): the bytes
 * that removing i would make unreachable. Either may be NULL. Returns
 * WLAB_OK or WLAB_NOMEM. */
WLAB_API enum wlab_status wlab_refgraph_dominators(const struct wlab_refgraph *g, uint32_t *idom,
						   uint64_t *retained);

/* Writes item i's label, "func[3] \"main\"", "export \"memory\"",
 * "indirect targets (i32) -> (i32)", into buf; returns buf. */
WLAB_API char *wlab_refgraph_label(const struct wlab_module *m, const struct wlab_refgraph *g,
				   uint32_t i, char *buf, size_t n);
/* The item a user names: "func[3]", "global[0]", "data[2]"... (kind[index]
 * for any kind), "export[1]", a function's index alone, a function's display
 * name, an export's name. UINT32_MAX when none. */
WLAB_API uint32_t wlab_refgraph_find(const struct wlab_module *m, const struct wlab_refgraph *g,
				     const char *name);

#ifdef __cplusplus
}
#endif

#endif
