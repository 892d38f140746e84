/* wlab/layout.h: the field tree of a module file, every byte accounted for.
 *
 * The root covers the whole file. Its children are the header, each section
 * and, when decoding stopped early, one "undecoded" leaf for the rest. Below a
 * section stand its id byte, size LEB128, vector count and entries, down to
 * one node per instruction with its opcode and immediates. The leaves tile
 * the file: in order, no gaps, no overlaps.
 *
 * Nodes are stored in preorder: a node's children follow it, and its subtree
 * ends at index `end`. A node is a leaf when end == its index + 1.
 *
 * Ownership: the layout borrows the module (and through it the file's bytes)
 * only while wlab_layout_build() runs; strings in nodes belong to the layout
 * and go with wlab_layout_free(). */
#ifndef WLAB_LAYOUT_H
#define WLAB_LAYOUT_H

#include <stdbool.h>
#include <stdint.h>

#include "wlab/module.h"
#include "wlab/status.h"
#include "wlab/api.h"

#ifdef __cplusplus
extern "C" {
#endif

enum wlab_layout_value {
	WLAB_LV_NONE,
	WLAB_LV_UINT,   /* value.u */
	WLAB_LV_SINT,   /* value.s */
	WLAB_LV_TEXT,   /* value.text: a name, a type, a float */
};

struct wlab_layout_node {
	uint32_t offset, length;
	uint32_t end;        /* index just past this node's subtree */
	uint16_t depth;      /* 0 for the root */
	uint8_t vkind;       /* enum wlab_layout_value */
	const char *kind;    /* "section", "leb-u32", "opcode"... static text */
	const char *label;   /* "size", "func[3] \"main\"", "i32.const"... */
	union {
		uint64_t u;
		int64_t s;
		const char *text;
	} value;
};

struct wlab_layout {
	uint32_t nnodes;
	struct wlab_layout_node *nodes;  /* nodes[0] is the root */
	uint32_t decoded_end;  /* bytes covered before the "undecoded" leaf */
	struct wlab_error error;  /* the first error: the decoder's, else the layout's */
	struct wlab_layout_pool *pool;  /* owns the label and value strings */
};

/* Builds the tree of m's bytes. decode_err is what wlab_module_decode()
 * reported (NULL or status WLAB_OK when it succeeded): the tree stops at the
 * field holding that error's offset. m may be a partial module. Returns
 * WLAB_NOMEM when out of memory, else WLAB_OK, even for a malformed file:
 * the error is then in (*out)->error. */
WLAB_API enum wlab_status wlab_layout_build(const struct wlab_module *m,
					    const struct wlab_error *decode_err,
					    struct wlab_layout **out);

enum wlab_layout_flags {
	/* A function body's instructions are one "instructions" leaf: the tree
	 * down to the locals, for views that stop at entries (the overview). */
	WLAB_LAYOUT_NO_INSTRS = 1u << 0,
	/* Only the nodes down to depth 2 (the root, sections, their fields and
	 * entries); an entry is then a leaf. The leaves still tile the file. */
	WLAB_LAYOUT_ENTRIES = 1u << 1,
};
/* wlab_layout_build() with flags (enum wlab_layout_flags). */
WLAB_API enum wlab_status wlab_layout_build_flags(const struct wlab_module *m,
						  const struct wlab_error *decode_err,
						  unsigned flags, struct wlab_layout **out);
/* The tree without instructions (WLAB_LAYOUT_NO_INSTRS) but for the function
 * bodies that hold any of bytes [from, to): those get every node the full
 * tree has there, so paths, --explain and a function's annotation inside
 * them are the full tree's, for a fraction of a large module's cost. The
 * body that holds decode_err's offset gets its instructions too, so the tree
 * stops where the full tree stops. m may be decoded with
 * WLAB_DECODE_SKIP_BODIES: a malformed instruction in a focused body is then
 * the layout's error. */
WLAB_API enum wlab_status wlab_layout_build_focus(const struct wlab_module *m,
						  const struct wlab_error *decode_err,
						  uint32_t from, uint32_t to,
						  struct wlab_layout **out);
/* wlab_layout_free(NULL) does nothing. */
WLAB_API void wlab_layout_free(struct wlab_layout *l);

static inline bool wlab_layout_is_leaf(const struct wlab_layout *l, uint32_t i)
{
	return l->nodes[i].end == i + 1;
}

/* Fills path[] with the node indices from the root to the leaf holding byte
 * offset; returns how many (0 when offset is past the file). At most max. */
WLAB_API uint32_t wlab_layout_path(const struct wlab_layout *l, uint32_t offset,
				   uint32_t *path, uint32_t max);

/* The display name of function funcidx: the name section's, else an export's,
 * else an import's "module.field"; NULL when it has none. Writes to buf. */
WLAB_API const char *wlab_layout_func_name(const struct wlab_module *m, uint32_t funcidx,
					   char *buf, size_t n);

#ifdef __cplusplus
}
#endif

#endif
